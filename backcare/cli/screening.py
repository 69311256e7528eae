"""Screening: the warning signs, and the questionnaire that asks about them."""

from typing import Annotated

import typer

from backcare.cli import app
from backcare.cli.common import LEVEL_EXIT, JsonOption, State, complete, examples, state_of
from backcare.errors import UsageError
from backcare.escape import printable
from backcare.models import Catalog, Level


@app.command(
    "red-flags",
    short_help="Warning signs that need a doctor.",
    epilog=examples("backcare red-flags", "backcare check"),
)
def red_flags(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the warning signs that need a doctor or an emergency department."""
    from backcare import query, render

    state = state_of(ctx, as_json)
    catalog = state.screening_catalog()
    render.red_flags(state.out, catalog, query.red_flags_in_order(catalog), as_json=as_json)


@app.command(
    short_help="Screen yourself for warning signs.",
    epilog=examples("backcare check", "backcare check --yes fever --json", "backcare check --none"),
)
def check(
    ctx: typer.Context,
    yes: Annotated[
        list[str] | None,
        typer.Option(
            "--yes",
            metavar="ID",
            help=(
                "A warning sign that applies (see 'backcare red-flags');"
                " all others count as no. Repeatable."
            ),
            autocompletion=complete("red-flag"),
        ),
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="Answer no to every warning sign, without prompts.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Screen for warning signs, emergency first; the exit code tells the level."""
    from backcare import query, render

    state = state_of(ctx, as_json)
    catalog = state.screening_catalog()
    if yes or none:
        if yes and none:
            raise UsageError("--none and --yes contradict each other; give one of them")
        triage = query.triage(catalog, yes or [])
    elif state.env.stdin_isatty:
        triage = query.triage(catalog, _ask(state, catalog))
        if not state.env.stdout_isatty:  # the card goes to a file or pipe: say the result here too
            _tell_result(state, catalog, triage.level)
    else:
        raise UsageError(
            "check needs answers, and stdin is not a terminal",
            hint="pass --yes ID for each sign that applies, or --none (see 'backcare red-flags')",
        )
    state.pending_exit = LEVEL_EXIT[triage.level]
    render.check(state.out, catalog, triage, as_json=as_json)
    raise typer.Exit(state.pending_exit)


def _fit(state: State, text: str) -> str:
    """Wrap a question to the terminal's width, so words are not split at its edge."""
    import textwrap

    width = min(state.env.stderr_width(), 100) - 6  # room for " [y/n] "
    return textwrap.fill(text, width=max(width, 30))


def _tell_result(state: State, catalog: Catalog, level: Level | None) -> None:
    """One line on the terminal with the screening's result and what to do."""
    from backcare.render.words import LEVEL_LABELS

    if level is None:
        state.out.note("Result: no warning signs; self-care is reasonable.")
        return
    advice = catalog.advice_by_level.get(level)
    action = f": {advice.heading}" if advice else ""
    state.out.note(f"Result: {LEVEL_LABELS[level]}{action}.")


def ask(state: State, catalog: Catalog) -> list[str]:
    """The warning-sign questions on the terminal; the ids answered yes (see ``_ask``)."""
    return _ask(state, catalog)


def _ask(state: State, catalog: Catalog) -> list[str]:
    """Ask each warning-sign question on the terminal, emergency first.

    Stops at the first emergency "yes": nothing else matters then.
    """
    from backcare import query

    stream = state.env.stderr
    stream.write("Answer each question with y or n. Emergency signs come first.\n")
    answered: list[str] = []
    for flag in query.red_flags_in_order(catalog):
        while True:
            stream.write(f"{_fit(state, printable(flag.question))} [y/n] ")
            stream.flush()
            try:
                line = state.env.stdin.readline()
            except KeyboardInterrupt:
                if not answered:
                    raise
                line = ""
            if not line:  # end of input, or Ctrl-C after a "yes": stop, but keep every yes
                stream.write("\n")
                if not answered:
                    raise UsageError("the screening stopped before every question was answered")
                stream.write("The screening stopped early; here is what your yes answers mean.\n")
                return answered
            reply = line.strip().lower()
            if reply in ("y", "yes", "n", "no"):
                break
            stream.write("Please answer y or n.\n")
        if reply.startswith("y"):
            answered.append(flag.id)
            if flag.level is Level.EMERGENCY:
                break
    stream.write("\n")
    return answered
