"""The guide: list, show, suggest, search, and the words they understand."""

from typing import Annotated

import typer

from backcare.cli import reads
from backcare.cli.app import app
from backcare.cli.common import (
    CauseOption,
    JsonOption,
    SymptomOption,
    choice_option,
    complete,
    end_with,
    examples,
    state_of,
)
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
    end_with(reads.list_remedies(state_of(ctx, as_json), category, rating, as_json))


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
    end_with(reads.show(state_of(ctx, as_json), remedy, as_json))


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
    end_with(reads.suggest(state_of(ctx, as_json), cause, symptom, as_json))


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
    end_with(reads.search(state_of(ctx, as_json), words, as_json))


@app.command(epilog=examples("backcare causes", "backcare suggest --cause posture"))
def causes(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the causes that 'suggest --cause' understands."""
    end_with(reads.terms(state_of(ctx, as_json), "causes", as_json))


@app.command(epilog=examples("backcare symptoms", "backcare suggest --symptom stiffness"))
def symptoms(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the symptoms that 'suggest --symptom' understands."""
    end_with(reads.terms(state_of(ctx, as_json), "symptoms", as_json))


@app.command(epilog=examples("backcare sources", "backcare sources --json"))
def sources(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the sources that the content cites."""
    end_with(reads.sources(state_of(ctx, as_json), as_json))
