"""A plan for the week, and a report of the diary for a doctor."""

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from backcare.cli import app
from backcare.cli.common import (
    LEVEL_EXIT,
    CauseOption,
    JsonOption,
    State,
    SymptomOption,
    examples,
    state_of,
)
from backcare.errors import UsageError
from backcare.query import echo


def _start(value: str | None) -> date:
    """``--start``: an ISO date, or today (local) when not given."""
    if value is None:
        return datetime.now().astimezone().date()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"--start takes a date like 2026-12-02, not '{echo(value)}'",
            hint="leave --start out to begin today",
        ) from None


def _diary(state: State) -> tuple[list, object | None]:  # type: ignore[type-arg]
    """The diary's entries and last saved check, when there is a diary."""
    return [], None


@app.command(
    short_help="A plan for the next seven days.",
    epilog=examples(
        "backcare plan --cause posture --symptom stiffness",
        "backcare plan --cause posture --ics week.ics",
        "backcare plan --symptom stiffness --json",
    ),
)
def plan(
    ctx: typer.Context,
    cause: CauseOption = None,
    symptom: SymptomOption = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Also write the sessions and review dates as a calendar file, with alarms.",
            dir_okay=True,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --ics replace an existing file.")
    ] = False,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="DATE", help="The plan's first day (default: today)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Plan the next seven days: daily goals that grow gently, remedies, and review dates.

    Reads the diary when there is one: pain that is rising keeps the goals
    small and brings the review dates closer. A warning sign given or
    recorded gives its card instead of a plan.
    """
    from backcare import query
    from backcare.query.plan import build_plan
    from backcare.render import plan as view

    state = state_of(ctx, as_json)
    first = _start(start)
    catalog = state.screening_catalog(
        lambda builtin: any(query.normalize(s) in builtin.red_flag_by_id for s in symptom or [])
    )
    entries, last_check = _diary(state)
    urgent = state.region().region.urgent
    result = build_plan(catalog, cause or [], symptom or [], first, entries, last_check, urgent)  # type: ignore[arg-type]
    state.pending_exit = LEVEL_EXIT[result.level]
    if ics is not None and not result.flags:
        from backcare.files import write_new
        from backcare.render.ics import calendar
        from backcare.render.words import DISCLAIMER

        text = calendar(result, datetime.now(timezone.utc), DISCLAIMER)
        write_new(ics, text.encode("utf-8"), force=force, option="--ics")
        state.out.note(f"backcare: wrote the plan's calendar to {str(ics)!r}")
    elif ics is not None:
        state.out.note("backcare: no calendar was written: a warning sign comes first")
    view.show(state.out, catalog, result, as_json=as_json)
    raise typer.Exit(state.pending_exit)
