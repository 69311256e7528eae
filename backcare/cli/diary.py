"""The pain diary: log, diary (list, edit, delete, export, import, path) and progress.

The diary's file, SQL and ``sqlite3`` are imported only inside these commands,
so that the guide's commands never load them.
"""

import re
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcare.cli import diary_log
from backcare.cli.app import app
from backcare.cli.common import JsonOption, complete, end_with, examples, state_of
from backcare.cli.state import LEVEL_EXIT
from backcare.errors import UsageError

if TYPE_CHECKING:
    from backcare.models import DiaryEntry

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_IMPORT_BYTES = 64 * 1024 * 1024
PAIN_HELP = "Pain now, 0 to 10: 0 is no pain, 10 the worst pain you can imagine."
WHEN_HELP = (
    "When, in local time: now (the default), yesterday, 'yesterday 21:00', 21:00, -2h, -3d,"
    " 2026-11-30 or '2026-11-30 08:15'. Not in the future."
)


class ExportFormat(str, Enum):
    """What ``diary export`` writes."""

    JSONL = "jsonl"
    CSV = "csv"


TriedOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tried",
        metavar="REMEDY",
        help="A remedy or exercise you tried (slug or name). Repeatable.",
        autocompletion=complete("tried"),
    ),
]
LimitsOption = Annotated[
    str | None,
    typer.Option(
        "--limits",
        metavar="0-10",
        help="How much the pain stops your normal activities: 0 not at all, 10 completely.",
    ),
]
NoteOption = Annotated[
    str | None,
    typer.Option("--note", metavar="TEXT", help="A few words: what you did, how it felt."),
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", metavar="WHEN", help="Only from then on (a day counts from 00:00)."),
]


@app.command(
    short_help="Record your pain (0 to 10) in one line.",
    epilog=examples(
        "backcare log 6",
        "backcare log 4 --tried hot-packs --note 'after a walk'",
        "backcare log 7 --limits 5 --at 'yesterday 21:00'",
    ),
)
def log(
    ctx: typer.Context,
    pain: Annotated[str, typer.Argument(metavar="PAIN", help=PAIN_HELP, show_default=False)],
    tried: TriedOption = None,
    limits: LimitsOption = None,
    note: NoteOption = None,
    at: Annotated[str, typer.Option("--at", metavar="WHEN", help=WHEN_HELP)] = "now",
    as_json: JsonOption = False,
) -> None:
    """Record one diary entry: your pain on the 0 to 10 scale, and what you tried.

    Pain is the 0 to 10 numeric rating scale: 0 is no pain, 10 the worst pain
    you can imagine. Any number of entries a day. When your note or the record
    names a reason to see someone, that card comes first and the exit code
    tells its level (10, 11, 12), as 'suggest' does.
    """
    end_with(diary_log.log(state_of(ctx, as_json), pain, tried, limits, note, at, as_json))


diary_app = typer.Typer(
    name="diary",
    help="Your pain diary: the entries, newest first (the default), and ways to change them.",
    epilog=examples(
        "backcare diary",
        "backcare diary --last 5",
        "backcare diary --since yesterday --csv",
        "backcare diary export -o diary.jsonl",
        "backcare diary path",
    ),
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(diary_app, short_help="Your pain diary: list, edit, delete, export, import.")

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="The entry's id, or its first 4 or more characters.")
]
LastOption = Annotated[
    int | None,
    typer.Option("--last", metavar="N", min=1, help="Only the newest N entries."),
]
CsvOption = Annotated[bool, typer.Option("--csv", help="Write CSV to stdout.")]


@diary_app.callback()
def diary(
    ctx: typer.Context,
    since: SinceOption = None,
    last: LastOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Your pain diary: the entries, newest first, or one of the commands below."""
    if ctx.invoked_subcommand is None:
        _list(ctx, since, last, as_json, as_csv)


@diary_app.command("list", epilog=examples("backcare diary list --last 10"))
def list_entries(
    ctx: typer.Context,
    since: SinceOption = None,
    last: LastOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The entries, newest first (the same as 'backcare diary')."""
    _list(ctx, since, last, as_json, as_csv)


def _list(
    ctx: typer.Context, since: str | None, last: int | None, as_json: bool, as_csv: bool
) -> None:
    from backcare.render import diary as view

    state = state_of(ctx, as_json)
    if as_json and as_csv:
        raise UsageError("--json and --csv contradict each other; give one of them")
    start = (
        diary_log.when(since, diary_log.local_now(), "--since", start_of_day=True)
        if since
        else None
    )
    with diary_log.open_diary(state) as diary:
        items = diary.entries(since=start, last=last)
    view.entries(state.out, items, as_json=as_json, as_csv=as_csv)


@diary_app.command(epilog=examples("backcare diary delete 1a2b3c4d"))
def delete(
    ctx: typer.Context,
    entry_id: IdArgument,
) -> None:
    """Delete one entry for good."""
    state = state_of(ctx)
    with diary_log.open_diary(state) as diary:
        found = diary_log.find_entry(diary, entry_id)
        diary.delete(found.id)
    from backcare.render.diary import entry_line

    state.out.write(f"Deleted: {entry_line(found)}\n")


@diary_app.command(
    short_help="Change one entry.",
    epilog=examples(
        "backcare diary edit 1a2b3c4d --pain 5",
        "backcare diary edit 1a2b3c4d --note 'after gardening' --at 'yesterday 18:00'",
    ),
)
def edit(
    ctx: typer.Context,
    entry_id: IdArgument,
    pain: Annotated[
        str | None,
        typer.Option("--pain", metavar="0-10", help=PAIN_HELP),
    ] = None,
    tried: TriedOption = None,
    limits: LimitsOption = None,
    note: NoteOption = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="WHEN", help=WHEN_HELP),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Change one entry: only the options given change (--tried replaces the list)."""
    from backcare.render import diary as view

    state = state_of(ctx, as_json)
    if all(v is None for v in (pain, tried, limits, note, at)):
        raise UsageError("nothing to change", hint="give --pain, --tried, --limits, --note or --at")
    catalog = state.screening_catalog()
    now = diary_log.local_now()
    with diary_log.open_diary(state) as diary:
        old = diary_log.find_entry(diary, entry_id)
        when = diary_log.when(at, now, "--at") if at is not None else old.local
        new = diary_log.make_entry(
            catalog,
            old.id,
            when,
            old.pain if pain is None else diary_log.scale(pain, "--pain"),
            old.limits if limits is None else diary_log.scale(limits, "--limits"),
            list(old.tried) if tried is None else tried,
            old.note if note is None else note,
        )
        diary.update(new)
    if as_json:
        from backcare.render.data import dumps

        state.out.write_json(dumps({"edited": view.entry_data(new)}))
    else:
        state.out.write(f"Edited: {view.entry_line(new)}\n")


@diary_app.command(
    short_help="Write every entry as JSON Lines or CSV.",
    epilog=examples(
        "backcare diary export > diary.jsonl",
        "backcare diary export --format csv -o diary.csv",
    ),
)
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", case_sensitive=False, help="jsonl (for import) or csv."),
    ] = ExportFormat.JSONL,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="A new file (default: stdout)."),
    ] = None,
) -> None:
    """Write every entry, oldest first: JSON Lines for 'diary import', or CSV."""
    import json

    from backcare.render import diary as view

    state = state_of(ctx)
    with diary_log.open_diary(state) as diary:
        items = list(reversed(diary.entries()))
    if fmt is ExportFormat.CSV:
        text = view.csv_text(items)
    else:
        text = "".join(json.dumps(view.entry_data(e), ensure_ascii=False) + "\n" for e in items)
    state.out.json = True  # stdout (or the file) holds only the data: the disclaimer goes to stderr
    if output is None or str(output) == "-":
        state.env.stdout.write(text)
        return
    _write_new(output, text)
    state.out.note(f"Exported {len(items)} entries to {output}")


@diary_app.command(
    "import",
    short_help="Add the entries of an export.",
    epilog=examples("backcare diary import diary.jsonl"),
)
def import_entries(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="JSON Lines written by 'diary export'.")
    ],
) -> None:
    """Add the entries of an export; entries already in the diary (same id) are skipped.

    A bad line stops the import before anything is added, and names its line.
    """
    state = state_of(ctx)
    items = _read_export(file)
    with diary_log.open_diary(state) as diary:
        added = diary.add_many(items)
    skipped = len(items) - added
    state.out.write(
        f"Imported {added} entr{'y' if added == 1 else 'ies'} from {file}"
        + (f"; {skipped} already in the diary were skipped" if skipped else "")
        + ".\n"
    )


@diary_app.command(short_help="Where the diary file is.", epilog=examples("backcare diary path"))
def path(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Where the diary file is (BACKCARE_DIARY names another); delete it to start afresh."""
    from backcare.store import diary_path

    state = state_of(ctx, as_json)
    where = diary_path(state.env.environ)
    if as_json:
        from backcare.render.data import dumps

        state.out.write_json(dumps({"path": str(where), "exists": where.exists()}))
    else:
        state.out.write(f"{where}\n")


@app.command(
    short_help="Is it getting better? Chart, trend, what helps.",
    epilog=examples(
        "backcare progress", "backcare progress --since -2w", "backcare progress --json"
    ),
)
def progress(
    ctx: typer.Context,
    since: Annotated[
        str,
        typer.Option("--since", metavar="WHEN", help="From when (default: the last 4 weeks)."),
    ] = "-4w",
    as_json: JsonOption = False,
) -> None:
    """Daily pain (worst and average), the trend in words, and what seems to help you.

    When the record says it is time to see someone, that card comes first and
    the exit code tells its level (10, 11, 12), as 'suggest' does.
    """
    from backcare.query import trends
    from backcare.render import diary as view

    state = state_of(ctx, as_json)
    now = diary_log.local_now()
    start = diary_log.when(since, now, "--since", start_of_day=True)
    catalog = state.screening_catalog()
    with diary_log.open_diary(state) as diary:
        record = diary.entries(since=min(start, now - diary_log.reach(catalog)))
    report = trends.progress(catalog, record, now, start)
    state.pending_exit = LEVEL_EXIT[report.alerts[0].level if report.alerts else None]
    view.progress(state.out, catalog, report, as_json=as_json)
    raise typer.Exit(state.pending_exit)


def _write_new(output: Path, text: str) -> None:
    """Write a new file, owner-only (it holds health data); never replace an existing one."""
    import os

    try:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(
            f"{output} already exists; give a new file name",
            hint="backcare never overwrites a file",
        ) from None
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror}") from error
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror}") from error


def _read_export(file: Path) -> list["DiaryEntry"]:
    """Every entry of a JSON Lines export, or a UsageError naming the first bad line."""
    import json

    try:
        if file.stat().st_size > MAX_IMPORT_BYTES:
            raise UsageError(f"{file} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
        with open(file, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except UnicodeDecodeError:
        raise UsageError(f"{file} is not UTF-8 text; nothing was imported") from None
    except IsADirectoryError:
        raise UsageError(f"{file} is a folder, not an export file") from None
    except OSError as error:
        raise UsageError(f"cannot read {file}: {error.strerror}") from error
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(_imported(json.loads(line)))
        except (ValueError, TypeError, KeyError, UsageError) as error:
            reason = error.message if isinstance(error, UsageError) else str(error)
            if isinstance(error, KeyError):
                reason = f"missing {error}"
            raise UsageError(
                f"{file}:{number}: {reason}; nothing was imported",
                hint="import reads the JSON Lines that 'backcare diary export' writes",
            ) from None
    return items


def _imported(data: object) -> "DiaryEntry":
    """One exported entry, checked field by field."""
    from datetime import timezone

    from backcare.models import DiaryEntry

    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    entry_id = data["id"]
    if not isinstance(entry_id, str) or len(entry_id) != 32 or not _is_hex(entry_id):
        raise ValueError("'id' is not 32 hex digits")
    at = datetime.fromisoformat(_text(data, "at"))
    if at.tzinfo is None:
        raise ValueError("'at' has no offset from UTC")
    offset = data["utc_offset_minutes"]
    pain, limits = data["pain"], data.get("limits")
    tried, note = data.get("tried", []), data.get("note", "")
    if not _whole(offset, -1440, 1440):
        raise ValueError("'utc_offset_minutes' is not a whole number from -1440 to 1440")
    if not _whole(pain, 0, 10):
        raise ValueError("'pain' is not a whole number from 0 to 10")
    if limits is not None and not _whole(limits, 0, 10):
        raise ValueError("'limits' is not a whole number from 0 to 10")
    if not isinstance(tried, list) or not all(
        isinstance(t, str) and _SLUG.fullmatch(t) for t in tried
    ):
        raise ValueError("'tried' is not a list of remedy slugs")
    if not isinstance(note, str) or len(note) > diary_log.MAX_NOTE:
        raise ValueError(f"'note' is not text of at most {diary_log.MAX_NOTE} characters")
    return DiaryEntry(
        entry_id, at.astimezone(timezone.utc), offset, pain, limits, tuple(tried), note
    )


def _text(data: dict[str, object], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(f"'{key}' is not text")
    return value


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)
