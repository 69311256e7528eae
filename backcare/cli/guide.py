"""The guide: list, show, suggest, search, and the words they understand."""

from typing import Annotated

import typer

from backcare.cli.app import app
from backcare.cli.common import (
    CauseOption,
    JsonOption,
    SymptomOption,
    choice_option,
    complete,
    examples,
    state_of,
)
from backcare.cli.state import LEVEL_EXIT
from backcare.models import Category, Rating


@app.command(
    "list",
    short_help="Every remedy at a glance, with its rating.",
    epilog=examples(
        "backcare list",
        "backcare list --category at-home --rating supported",
        "backcare list --json",
    ),
)
def list_remedies(
    ctx: typer.Context,
    category: Annotated[
        Category | None, choice_option("--category", "-c", "Only this category", Category)
    ] = None,
    rating: Annotated[
        Rating | None, choice_option("--rating", "-r", "Only this guideline rating", Rating)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List every remedy at a glance, with its guideline rating."""
    from backcare import query, render

    state = state_of(ctx, as_json)
    items = query.list_remedies(state.catalog(), category, rating)
    if not items:
        from backcare.errors import NotFoundError

        raise NotFoundError("no remedy fits those filters", hint="run 'backcare list' to see all")
    render.remedy_list(state.out, items, as_json=as_json)


@app.command(
    short_help="One remedy in full, with the evidence.",
    epilog=examples(
        "backcare show ice-packs", "backcare show ice packs", "backcare show ice-packs --json"
    ),
)
def show(
    ctx: typer.Context,
    remedy: Annotated[
        list[str],
        typer.Argument(
            metavar="REMEDY",
            help="The remedy's slug or name; several words are one name.",
            autocompletion=complete("remedy"),
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Show one remedy in full: how to, cautions, and what the guidelines say."""
    from backcare import query, render

    state = state_of(ctx, as_json)
    catalog = state.catalog()
    found = query.find_remedy(catalog, " ".join(remedy))
    render.remedy(
        state.out, catalog, query.Rated(found, query.rate(found, catalog)), as_json=as_json
    )


@app.command(
    short_help="Remedies for your causes and symptoms.",
    epilog=examples(
        "backcare suggest --cause posture",
        "backcare suggest --cause posture --symptom stiffness",
        "backcare suggest --symptom sharp-pain --json",
    ),
)
def suggest(
    ctx: typer.Context,
    cause: CauseOption = None,
    symptom: SymptomOption = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest remedies for your causes and symptoms, best first, saying why each fits."""
    from backcare import query, render

    state = state_of(ctx, as_json)
    # A warning sign given as a symptom is screening: broken extra content may not stop it.
    catalog = state.screening_catalog(
        lambda builtin: any(query.normalize(s) in builtin.red_flag_by_id for s in symptom or [])
    )
    result = query.suggest(catalog, cause or [], symptom or [])
    state.pending_exit = LEVEL_EXIT[result.level]
    render.suggestion(state.out, catalog, result, as_json=as_json)
    raise typer.Exit(state.pending_exit)


@app.command(
    short_help="Full-text search; small typos forgiven.",
    epilog=examples("backcare search heat stiff", "backcare search stretching --json"),
)
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="WORDS...", help="Words to look for; small typos are forgiven."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Search remedies and exercises: names, summaries, descriptions and steps, best first.

    Warning signs the words name come first, with suggest's exit codes; signs
    they only touch are shown as something to check.
    """
    from backcare import render
    from backcare.query.signs import search_screened

    state = state_of(ctx, as_json)
    text = " ".join(words)
    catalog = state.catalog()
    result = search_screened(catalog, text)
    state.pending_exit = LEVEL_EXIT[result.level]
    render.search(state.out, catalog, text, result, as_json=as_json)
    raise typer.Exit(state.pending_exit)


@app.command(epilog=examples("backcare causes", "backcare suggest --cause posture"))
def causes(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the causes that 'suggest --cause' understands."""
    _terms(ctx, "causes", as_json)


@app.command(epilog=examples("backcare symptoms", "backcare suggest --symptom stiffness"))
def symptoms(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the symptoms that 'suggest --symptom' understands."""
    _terms(ctx, "symptoms", as_json)


def _terms(ctx: typer.Context, kind: str, as_json: bool) -> None:
    from backcare import query, render

    state = state_of(ctx, as_json)
    render.terms(state.out, kind, query.term_counts(state.catalog(), kind), as_json=as_json)


@app.command(epilog=examples("backcare sources", "backcare sources --json"))
def sources(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the sources that the content cites."""
    from backcare import render

    state = state_of(ctx, as_json)
    render.sources(state.out, list(state.catalog().sources), as_json=as_json)
