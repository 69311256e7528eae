"""A plan for the week, and a report of the diary for a doctor."""

from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from backcare.cli.app import app
from backcare.cli.common import CauseOption, JsonOption, SymptomOption, examples, state_of
from backcare.cli.state import LEVEL_EXIT, State
from backcare.errors import DiaryError, UsageError
from backcare.models import CheckRecord, DiaryEntry
from backcare.query import echo

# How far back the plan reads the diary: enough to find when this spell of pain began.
DIARY_DAYS = 90


def _midnight(day: date) -> datetime:
    """The start of a local day, as an aware time."""
    return datetime.combine(day, datetime.min.time()).astimezone()


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


def _diary(state: State, since: datetime | None) -> tuple[list[DiaryEntry], CheckRecord | None]:
    """The diary's entries from ``since`` and its last saved check; none without a diary."""
    from backcare.store import Diary, diary_path

    with Diary(diary_path(state.env.environ)) as diary:
        return diary.entries(since=since), diary.last_check()


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
    # The plan reads the last two weeks of the diary, and further back for when the pain began.
    # A diary that cannot be read does not stop the plan, nor a warning sign's card.
    try:
        entries, last_check = _diary(state, _midnight(first - timedelta(days=DIARY_DAYS)))
    except DiaryError as error:
        state.out.note(f"backcare: warning: {error.message}")
        state.out.note("backcare: the plan goes on without the diary")
        entries, last_check = [], None
    urgent = state.region().region.urgent
    result = build_plan(catalog, cause or [], symptom or [], first, entries, last_check, urgent)
    state.pending_exit = LEVEL_EXIT[result.level]
    if ics is not None and result.days:
        from backcare.files import write_new
        from backcare.render.ics import calendar

        text = calendar(result, datetime.now(timezone.utc), state.disclaimer())
        write_new(ics, text.encode("utf-8"), force=force, option="--ics")
        state.out.note(f"backcare: wrote the plan's calendar to {str(ics)!r}")
    elif ics is not None:
        state.out.note("backcare: no calendar was written: a warning sign comes first")
    view.show(state.out, catalog, result, as_json=as_json)
    raise typer.Exit(state.pending_exit)


class ReportFormat(str, Enum):
    """The ``--format`` of ``report``."""

    HTML = "html"
    MD = "md"


REPORT_DAYS = 28


def _since(value: str | None, now: datetime) -> date:
    """``--since``: the first local day of the report (read as ``diary --since`` reads it)."""
    if value is None:
        return now.date() - timedelta(days=REPORT_DAYS - 1)
    from backcare.query.when import parse_when

    return parse_when(value, now, "--since", start_of_day=True).date()


@app.command(
    short_help="A handout of your diary for a doctor.",
    epilog=examples(
        "backcare report -o report.html",
        "backcare report --since -2w --format md",
        "backcare report --since 2026-11-01 -o report.html --force",
    ),
)
def report(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="The first day, as for 'diary --since' (2026-11-04, -14d, -2w). Default: 4 weeks.",
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            case_sensitive=False,
            help="html (one self-contained page; the default with -o) or md (Markdown).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let -o replace an existing file.")
    ] = False,
) -> None:
    """Make a handout of your diary for a doctor or physiotherapist.

    It holds the pain chart, the trend, every entry with its note, what you
    tried and your own "seems to help" figures, medicines tried, and the
    answers of your last saved check. It names nobody: the diary stores no name.
    """
    from backcare.errors import NotFoundError
    from backcare.query.report import build_report
    from backcare.render import report as view

    state = state_of(ctx)
    now = datetime.now().astimezone()
    first = _since(since, now)
    entries, last_check = _diary(state, _midnight(first - timedelta(days=1)))
    result = build_report(state.catalog(), entries, first, now.date(), last_check)
    if not result.entries:
        raise NotFoundError(
            f"the diary has no entries since {first.isoformat()}",
            hint="record some with 'backcare log', or give an earlier --since",
        )
    chosen = output_format or (ReportFormat.HTML if output is not None else ReportFormat.MD)
    render = view.html if chosen is ReportFormat.HTML else view.markdown
    # The region's emergency number, as in the disclaimer of every run.
    text = render(result, state.disclaimer(), now.replace(tzinfo=None))
    if output is None:
        # A stdout that cannot hold every character of a note (LC_ALL=C, latin-1)
        # gets HTML's character references, or a replacement mark in Markdown.
        encoding = getattr(state.env.stdout, "encoding", None) or "utf-8"
        errors = "xmlcharrefreplace" if chosen is ReportFormat.HTML else "replace"
        state.out.write(text.encode(encoding, errors).decode(encoding))
        # The report carries the disclaimer itself; as after a JSON document,
        # the run's own copy goes to stderr so stdout holds the report alone.
        state.out.json = True
        return
    from backcare.files import write_new

    write_new(output, text.encode("utf-8"), force=force, option="-o")
    state.out.note(f"backcare: wrote the report to {str(output)!r}")
