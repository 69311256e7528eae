"""What ``log`` does once parsed, and the steps the diary's commands share; free of Typer.

The diary's file, SQL and ``sqlite3`` are imported only inside these functions,
so that the guide's commands never load them. ``log`` runs from the quick path
(``backcare.cli.quick``) as well as from Typer (``backcare.cli.diary``).
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from backcare.cli.state import LEVEL_EXIT, State
from backcare.errors import BackcareError, NotFoundError, UsageError

if TYPE_CHECKING:
    from backcare.models import Catalog, DiaryEntry
    from backcare.store import Diary

MAX_NOTE = 1000
#: Days read beyond the longest rule, so that its first days are in view.
RULE_MARGIN = 3


def log(
    state: State,
    pain: str,
    tried: list[str] | None,
    limits: str | None,
    note: str | None,
    at: str,
    as_json: bool,
) -> int:
    """``log``: add one diary entry and show it, after any reason to see someone.

    A warning sign named in the note is shown whatever else goes wrong (a
    mistyped value, a diary that cannot be written), and its level is the
    exit code.
    """
    from backcare.query import trends
    from backcare.render import diary as view

    now = local_now()
    catalog = state.screening_catalog()
    # The note is screened first: a warning sign in it is shown whatever else
    # goes wrong (a mistyped value, a diary that cannot be written).
    named = trends.alerts(catalog, [], now, bare(note or "", now))
    try:
        entry = make_entry(
            catalog,
            new_id(),
            when(at, now, "--at"),
            scale(pain, "PAIN"),
            None if limits is None else scale(limits, "--limits"),
            tried or [],
            note or "",
        )
        with open_diary(state) as diary:
            diary.add(entry)
            record = diary.entries(since=now - reach(catalog))
    except BackcareError as error:
        if not named:
            raise
        state.pending_exit = LEVEL_EXIT[named[0].level]
        view.refused(
            state.out, catalog, named, error.exit_status, error.message, error.hint, as_json=as_json
        )
        return state.pending_exit
    alerts = trends.alerts(catalog, with_entry(record, entry), now, entry)
    state.pending_exit = LEVEL_EXIT[alerts[0].level if alerts else None]
    view.logged(state.out, catalog, entry, alerts, as_json=as_json)
    return state.pending_exit


def scale(text: str, name: str) -> int:
    """A 0 to 10 rating as typed, or a usage error that says what the scale is."""
    value = text.strip()
    if value.isdigit() and int(value) <= 10:
        return int(value)
    raise UsageError(
        f"{name} is a whole number from 0 to 10, not {text[:20]!r}",
        hint="0 is no pain (or no limit), 10 the worst you can imagine",
    )


def local_now() -> datetime:
    """Now, in local time."""
    return datetime.now().astimezone()


def new_id() -> str:
    from backcare.store import new_id

    return new_id()


def when(text: str, now: datetime, option: str, *, start_of_day: bool = False) -> datetime:
    from backcare.query.when import parse_when

    return parse_when(text, now, option, start_of_day=start_of_day)


def open_diary(state: State) -> "Diary":
    from backcare.store import Diary, diary_path

    return Diary(diary_path(state.env.environ))


def reach(catalog: "Catalog") -> timedelta:
    from backcare.query.trends import longest_rule_days

    return timedelta(days=longest_rule_days(catalog) + RULE_MARGIN)


def bare(note: str, now: datetime) -> "DiaryEntry":
    """A stand-in entry holding only ``note``, to screen it before anything else is read."""
    from backcare.models import DiaryEntry

    return DiaryEntry("", now, 0, 0, None, (), note)


def with_entry(record: list["DiaryEntry"], entry: "DiaryEntry") -> list["DiaryEntry"]:
    """The record with ``entry`` in it, even when it is older than the record read."""
    return record if any(e.id == entry.id for e in record) else [*record, entry]


def make_entry(
    catalog: "Catalog",
    entry_id: str,
    when: datetime,
    pain: int,
    limits: int | None,
    tried: list[str],
    note: str,
) -> "DiaryEntry":
    from datetime import timezone

    from backcare.models import DiaryEntry

    if len(note) > MAX_NOTE:
        raise UsageError(f"--note is {len(note)} characters; the limit is {MAX_NOTE}")
    offset = when.utcoffset() or timedelta(0)
    return DiaryEntry(
        id=entry_id,
        at=when.astimezone(timezone.utc),
        utc_offset_minutes=int(offset.total_seconds() // 60),
        pain=pain,
        limits=limits,
        tried=tuple(dict.fromkeys(tried_slug(catalog, t) for t in tried)),
        note=note.strip(),
    )


def tried_slug(catalog: "Catalog", text: str) -> str:
    """A --tried value as a slug: a remedy's or exercise's slug or name, did-you-mean on a typo."""
    from backcare import query
    from backcare.query.exercises import find_exercise

    try:
        return query.find_remedy(catalog, text).slug
    except NotFoundError as error:
        try:
            return find_exercise(catalog, text).slug
        except (NotFoundError, UsageError):
            raise NotFoundError(f"--tried: {error.message}", hint=error.hint) from error


def find_entry(diary: "Diary", entry_id: str) -> "DiaryEntry":
    """The entry an id names, or the first 4 or more of its hex digits."""
    key = entry_id.strip().lower()
    hint = "run 'backcare diary' to see the ids"
    if len(key) < 4 or any(c not in "0123456789abcdef" for c in key):
        raise UsageError(f"{entry_id[:40]!r} is not an entry id (4 or more hex digits)", hint=hint)
    ids = diary.ids_starting(key)
    if not ids:
        raise NotFoundError(f"no diary entry with id {key}", hint=hint)
    if len(ids) > 1:
        raise UsageError(f"{len(ids)} entries have ids starting {key}; give more of it", hint=hint)
    found = diary.get(ids[0])
    assert found is not None
    return found
