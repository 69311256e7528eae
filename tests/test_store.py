"""The diary store: what is kept, what is refused, and that nothing is ever lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcare import store
from backcare.errors import DiaryError, ExitStatus, NotFoundError, UsageError
from backcare.models import CheckRecord, DiaryEntry, Level
from backcare.store import Diary, diary_path, new_id

POSIX = os.name == "posix"
ROOT = POSIX and os.geteuid() == 0
T0 = datetime(2026, 11, 30, 8, 15, tzinfo=timezone.utc)


def entry(
    pain: int = 5,
    at: datetime = T0,
    *,
    offset: int = 0,
    tried: tuple[str, ...] = (),
    note: str = "",
    limits: int | None = None,
    entry_id: str | None = None,
) -> DiaryEntry:
    return DiaryEntry(entry_id or new_id(), at, offset, pain, limits, tried, note)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "diary.sqlite3"


@pytest.fixture
def diary(path: Path):
    with Diary(path) as opened:
        yield opened


def refused(path: Path, action: Callable[[Diary], object] = Diary.entries) -> DiaryError:
    """The error a diary at ``path`` gives, checking that the file is left byte for byte."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(DiaryError) as caught, Diary(path) as diary:
        action(diary)
    assert caught.value.exit_status == ExitStatus.DIARY
    assert int(ExitStatus.DIARY) == 4
    assert str(path) in caught.value.message
    assert "\n" not in caught.value.message
    if before is not None:
        assert path.read_bytes() == before
    return caught.value


def make_v1_diary(path: Path, *entries: DiaryEntry) -> None:
    with Diary(path) as diary:
        for item in entries:
            diary.add(item)


def every_connection_runs(monkeypatch: pytest.MonkeyPatch, sql: str) -> None:
    """Make the store run ``sql`` on every connection it opens."""
    connect = store._connect

    def connect_and_run(target: Path) -> sqlite3.Connection:
        db = connect(target)
        db.execute(sql)
        return db

    monkeypatch.setattr(store, "_connect", connect_and_run)


# --- where it lives and how it is created ---


def test_the_diary_lives_in_the_data_folder_unless_backcare_diary_names_a_file(
    tmp_path: Path,
) -> None:
    data = tmp_path / "xdg-data"
    environ = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(data)}
    if sys.platform.startswith("linux"):
        assert diary_path(environ) == data / "backcare" / "diary.sqlite3"
    mine = tmp_path / "elsewhere" / "pain.db"
    assert diary_path({**environ, "BACKCARE_DIARY": str(mine)}) == mine


def test_reading_a_diary_that_does_not_exist_is_empty_and_creates_nothing(path: Path) -> None:
    with Diary(path) as diary:
        assert diary.entries() == []
        assert diary.get("abc") is None
        assert diary.last_check() is None
    assert not path.parent.exists()


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_the_first_write_creates_an_owner_only_file_in_an_owner_only_folder(
    path: Path, diary: Diary
) -> None:
    path.parent.parent.chmod(0o755)
    old = os.umask(0)  # even with a permissive umask
    try:
        diary.add(entry())
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.parent.parent.stat().st_mode & 0o777 == 0o755  # an existing folder is left as it is
    assert sorted(p.name for p in path.parent.iterdir()) == ["diary.sqlite3"]


def test_a_folder_that_cannot_be_made_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "diary.sqlite3"
    error = refused(target, lambda d: d.add(entry()))
    assert error.message == (
        f"the diary {target} cannot be used: part of its path is a file, not a folder"
    )
    assert blocker.read_text() == "x"


@pytest.mark.skipif(not POSIX, reason="symbolic links")
def test_a_link_to_nowhere_is_an_error_and_is_left_as_it_is(path: Path) -> None:
    path.parent.mkdir()
    path.symlink_to(path.parent / "gone" / "diary.sqlite3")
    error = refused(path, lambda d: d.add(entry()))
    assert error.message == f"the diary {path} cannot be created: No such file or directory"
    assert path.is_symlink()
    assert sorted(p.name for p in path.parent.iterdir()) == ["diary.sqlite3"]


# --- entries ---


def test_entries_come_back_newest_first_with_since_and_last(diary: Diary) -> None:
    items = [entry(pain, T0 + timedelta(hours=hours)) for pain, hours in [(7, 0), (5, 5), (3, 30)]]
    for item in items:
        diary.add(item)
    assert [e.pain for e in diary.entries()] == [3, 5, 7]
    assert [e.pain for e in diary.entries(last=2)] == [3, 5]
    assert [e.pain for e in diary.entries(since=T0 + timedelta(hours=5))] == [3, 5]
    assert diary.entries()[-1] == items[0]


def test_an_entry_keeps_every_field_and_its_local_time(diary: Diary) -> None:
    kept = entry(
        6, T0, offset=-300, tried=("ice-packs", "exercise"), note="after gardening", limits=4
    )
    diary.add(kept)
    (back,) = diary.entries()
    assert back == kept
    assert back.at.tzinfo == timezone.utc
    assert back.local.isoformat() == "2026-11-30T03:15:00-05:00"


def test_remedy_names_of_any_shape_come_back_as_they_were(diary: Diary) -> None:
    odd = entry(tried=('say "ah"', "c, d", "back\\slash", '", "', "plain"))
    diary.add(odd)
    assert diary.entries() == [odd]


def test_times_order_by_the_instant_not_the_local_clock(diary: Diary) -> None:
    # 09:00 in Berlin (08:00 UTC) came before 04:00 in New York (09:00 UTC).
    berlin = entry(4, datetime(2026, 11, 30, 9, tzinfo=timezone(timedelta(hours=1))), offset=60)
    new_york = entry(
        6, datetime(2026, 11, 30, 4, tzinfo=timezone(timedelta(hours=-5))), offset=-300
    )
    diary.add(new_york)
    diary.add(berlin)
    assert [e.pain for e in diary.entries()] == [6, 4]
    assert [e.local.hour for e in diary.entries()] == [4, 9]


def test_get_update_and_delete_by_id(diary: Diary) -> None:
    first = entry(5)
    diary.add(first)
    assert diary.get(first.id) == first
    assert diary.ids_starting(first.id[:6]) == [first.id]
    changed = first._replace(pain=2, note="better")
    diary.update(changed)
    assert diary.entries() == [changed]
    diary.delete(first.id)
    assert diary.entries() == []


def test_update_and_delete_of_an_unknown_id_say_so(diary: Diary) -> None:
    diary.add(entry())
    with pytest.raises(NotFoundError, match=r"^no diary entry with id nope$"):
        diary.delete("nope")
    with pytest.raises(NotFoundError, match=r"^no diary entry with id nope$") as caught:
        diary.update(entry(entry_id="nope"))
    assert caught.value.exit_status == ExitStatus.NOT_FOUND


def test_adding_an_id_twice_is_refused_and_add_many_skips_ids_already_held(diary: Diary) -> None:
    first = entry(5)
    diary.add(first)
    with pytest.raises(UsageError, match=f"already holds an entry with id {first.id}"):
        diary.add(first._replace(pain=9))
    assert diary.add_many([first, entry(3), entry(2)]) == 2
    assert diary.add_many([first]) == 0
    assert sorted(e.pain for e in diary.entries()) == [2, 3, 5]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (entry(11), "pain 11 is not on the 0 to 10 scale"),
        (entry(-1), "pain -1 is not on the 0 to 10 scale"),
        (entry(limits=12), "limits 12 is not on the 0 to 10 scale"),
        (entry(at=datetime(2026, 11, 30, 8)), "a diary time must say its offset from UTC"),
    ],
)
def test_values_outside_the_scale_are_refused_before_anything_is_written(
    path: Path, bad: DiaryEntry, message: str
) -> None:
    with Diary(path) as diary, pytest.raises(UsageError, match=message):
        diary.add(bad)
    with Diary(path) as diary, pytest.raises(UsageError, match=message):
        diary.add_many([entry(1), bad])
    assert Diary(path).entries() == []


# --- screenings ---


def test_the_last_screening_is_kept(diary: Diary) -> None:
    older = CheckRecord(new_id(), T0, 60, (("saddle-numbness", "no"),), None)
    newer = CheckRecord(
        new_id(),
        T0 + timedelta(days=1),
        60,
        (("fever", "yes"), ("chest-pain", "unsure")),
        Level.URGENT,
    )
    diary.save_check(newer)
    diary.save_check(older)
    assert diary.last_check() == newer
    assert diary.entries() == []


def test_a_screening_answer_must_be_yes_no_or_unsure(diary: Diary) -> None:
    record = CheckRecord(new_id(), T0, 0, (("fever", "maybe"),), None)
    with pytest.raises(UsageError, match="answer 'maybe' for fever is not yes, no or unsure"):
        diary.save_check(record)


# --- files that are not a backcare diary are refused and left alone ---


def test_a_garbage_file_is_refused(path: Path) -> None:
    path.parent.mkdir()
    path.write_bytes(b"my shopping list\n" * 20)
    error = refused(path, lambda d: d.add(entry()))
    assert (
        error.message == f"the diary {path} is not a backcare diary (it is not an SQLite database)"
    )


def test_an_empty_file_is_refused(path: Path) -> None:
    path.parent.mkdir()
    path.write_bytes(b"")
    error = refused(path, lambda d: d.add(entry()))
    assert error.message == f"the diary {path} is an empty file, not a backcare diary"


def test_another_programs_database_is_refused(path: Path) -> None:
    path.parent.mkdir()
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
        other.execute("INSERT INTO notes VALUES ('keep me')")
    other.close()
    error = refused(path, lambda d: d.add(entry()))
    assert error.message == (
        f"the diary {path} is not a backcare diary (another program's SQLite database)"
    )


def test_a_truncated_diary_is_refused(path: Path) -> None:
    make_v1_diary(path, *(entry(n % 11, note="x" * 500) for n in range(40)))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    error = refused(path, lambda d: d.add(entry()))
    assert f"the diary {path} is cut short: it holds" in error.message
    assert error.hint == "restore it from a backup copy; backcare will not change it"


def test_a_diary_damaged_inside_is_refused(path: Path) -> None:
    make_v1_diary(path, *(entry(n % 11, note="x" * 500) for n in range(40)))
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 + 200] = b"\xff" * 192  # scribble over the second page
    path.write_bytes(bytes(data))
    error = refused(path)
    assert error.message.startswith(f"the diary {path} is ")


def test_a_damaged_row_is_refused_by_name(path: Path) -> None:
    kept = entry(3)
    make_v1_diary(path, kept)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE entries SET tried = 'not json'")
    db.close()
    error = refused(path)
    assert error.message.startswith(f"the diary {path} holds a damaged entry {kept.id}: ")


def test_a_folder_is_refused(path: Path) -> None:
    path.mkdir(parents=True)
    error = refused(path, lambda d: d.add(entry()))
    assert error.message == f"the diary {path} is a folder, not a diary file"
    assert error.hint == "set BACKCARE_DIARY to a file's path"
    assert list(path.iterdir()) == []


def test_a_file_that_cannot_be_read_is_refused(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_v1_diary(path, entry())

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store, "open", denied, raising=False)
    error = refused(path)
    assert error.message == f"the diary {path} cannot be read: Permission denied"


@pytest.mark.skipif(not POSIX or ROOT, reason="permissions do not bind root")
def test_a_file_without_read_permission_is_refused(path: Path) -> None:
    make_v1_diary(path, entry())
    path.chmod(0)
    try:
        with pytest.raises(DiaryError, match="cannot be read: Permission denied"):
            Diary(path).entries()
    finally:
        path.chmod(0o600)


@pytest.mark.skipif(not POSIX or ROOT, reason="permissions do not bind root")
def test_a_read_only_diary_can_be_read_but_not_written(path: Path) -> None:
    make_v1_diary(path, entry(4))
    path.chmod(0o400)
    try:
        assert [e.pain for e in Diary(path).entries()] == [4]
        error = refused(path, lambda d: d.add(entry()))
        assert "cannot be written: it is read-only (nothing was changed)" in error.message
    finally:
        path.chmod(0o600)


def test_a_diary_that_refuses_writes_is_a_clear_error(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_v1_diary(path, entry(4))
    every_connection_runs(monkeypatch, "PRAGMA query_only = ON")  # SQLite's own "read-only"
    error = refused(path, lambda d: d.add(entry()))
    assert error.message == (
        f"the diary {path} cannot be written: it is read-only (nothing was changed)"
    )


def test_a_full_disk_changes_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_v1_diary(path, entry(4))
    pages = path.stat().st_size // 4096
    every_connection_runs(monkeypatch, f"PRAGMA max_page_count = {pages}")  # SQLite's "full"
    many = [entry(5, note="y" * 2000) for _ in range(20)]
    error = refused(path, lambda d: d.add_many(many))
    assert error.message == (
        f"the diary {path} cannot be written: the disk is full (nothing was changed)"
    )
    monkeypatch.undo()
    assert [e.pain for e in Diary(path).entries()] == [4]


def test_a_busy_diary_is_a_clear_error_and_works_once_free(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_v1_diary(path, entry(4))
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.0)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DiaryError) as caught, Diary(path) as diary:
            diary.add(entry(6))
        assert caught.value.message == (
            f"the diary {path} is busy: another program is writing to it (nothing was changed)"
        )
        assert caught.value.hint == "try again in a moment"
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Diary(path) as diary:
        diary.add(entry(6))
        assert sorted(e.pain for e in diary.entries()) == [4, 6]


# --- schema versions and migrations ---


def test_a_new_diary_is_marked_and_at_the_latest_schema(path: Path) -> None:
    make_v1_diary(path, entry())
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
    db.close()


def test_a_newer_schema_is_refused_not_guessed(path: Path) -> None:
    make_v1_diary(path, entry())
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    error = refused(path, lambda d: d.add(entry()))
    assert error.message == (
        f"the diary {path} was written by a newer backcare (diary schema 99;"
        f" this one knows up to {len(store.MIGRATIONS)})"
    )
    assert error.hint == "update backcare to read it; the file was left as it is"


def _schema_2(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE entries ADD COLUMN mood INTEGER")


def test_an_older_schema_is_migrated_after_a_copy_is_kept_beside_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = entry(7, note="before the upgrade")
    make_v1_diary(path, kept)
    old = path.read_bytes()
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, _schema_2])
    assert Diary(path).entries() == [kept]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        columns = [row[1] for row in db.execute("PRAGMA table_info(entries)")]
    db.close()
    assert "mood" in columns
    (copy,) = path.parent.glob("diary.sqlite3.schema1-*.bak")
    assert copy.read_bytes() == old
    if POSIX:
        assert copy.stat().st_mode & 0o777 == 0o600
    Diary(path).entries()  # a second opening has nothing to migrate and copies nothing
    assert len(list(path.parent.glob("*.bak"))) == 1


def test_a_failed_migration_leaves_the_diary_as_it_was(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = entry(7)
    make_v1_diary(path, kept)

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE entries ADD COLUMN mood INTEGER")
        db.execute("ALTER TABLE nowhere ADD COLUMN x")

    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, broken])
    with pytest.raises(DiaryError, match="no such table: nowhere"):
        Diary(path).entries()
    monkeypatch.undo()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = [row[1] for row in db.execute("PRAGMA table_info(entries)")]
    db.close()
    assert "mood" not in columns
    assert Diary(path).entries() == [kept]


# --- several programs, and interrupted writes ---

WRITER = """
import sys
from datetime import datetime, timezone
from backcare.models import DiaryEntry
from backcare.store import Diary, new_id
with Diary(sys.argv[1]) as diary:
    for n in range(int(sys.argv[2])):
        diary.add(DiaryEntry(new_id(), datetime.now(timezone.utc), 0, n % 11, None, (), ""))
"""


def test_two_programs_logging_at_once_both_succeed(path: Path) -> None:
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), "40"]) for _ in range(2)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    assert len(Diary(path).entries()) == 80


INTERRUPTED = """
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("DELETE FROM entries")
for n in range(2000):
    db.execute(
        "INSERT INTO entries VALUES (?, '2026-11-30T08:00:00.000000+00:00', 0, 9, NULL, '[]', ?)",
        [str(n), "z" * 400],
    )
os._exit(1)  # the power goes off before COMMIT
"""


def test_an_interrupted_write_leaves_the_previous_state(path: Path) -> None:
    kept = [entry(n) for n in range(3)]
    make_v1_diary(path, *kept)
    subprocess.run([sys.executable, "-c", INTERRUPTED, str(path)], check=False)
    assert sorted(Diary(path).entries()) == sorted(kept)


def test_new_ids_are_distinct_version_4_uuids() -> None:
    import uuid

    ids = {store.new_id() for _ in range(200)}
    assert len(ids) == 200
    for value in ids:
        parsed = uuid.UUID(hex=value)
        assert (parsed.version, parsed.variant, parsed.hex) == (4, uuid.RFC_4122, value)
