"""The pain diary's store: one SQLite file, and the only module that speaks SQL.

The file is marked as a backcare diary (``PRAGMA application_id``) and counts
the migrations applied to it (``PRAGMA user_version``). Opening it brings an
older schema up to date in one transaction, after keeping a copy of the old
file beside it; a newer schema than this release knows is refused. Anything
that is not a backcare diary (another program's database, a damaged or
truncated file, a folder) is refused with a ``DiaryError`` naming the path, and
is never written to.

Every write is one short ``BEGIN IMMEDIATE`` transaction, so two programs
writing at once take turns (within the busy timeout) and an interrupted write
leaves the previous state as it was (SQLite's rollback journal).

Times are stored in UTC as fixed-width ISO 8601 text, which sorts in time
order, with the local offset of the moment in its own column.

This module imports ``sqlite3``: only the diary commands may import it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from backcare.errors import DiaryError, NotFoundError, UsageError
from backcare.models import CheckRecord, DiaryEntry, Level

ENV_DIARY = "BACKCARE_DIARY"
FILE_NAME = "diary.sqlite3"
#: Marks the file as a backcare diary: "BcDy" in ASCII.
APPLICATION_ID = 0x42634479
#: How long a write waits for another program's write to finish, in seconds.
BUSY_TIMEOUT = 10.0
SQLITE_HEADER = b"SQLite format 3\x00"
ANSWERS = frozenset({"yes", "no", "unsure"})

T = TypeVar("T")


def diary_path(environ: Mapping[str, str]) -> Path:
    """The diary file: ``BACKCARE_DIARY`` when set, else ``diary.sqlite3`` in the data folder."""
    override = environ.get(ENV_DIARY)
    if override:
        return Path(override)
    from backcare.paths import user_data_dir

    return user_data_dir(environ) / FILE_NAME


def new_id() -> str:
    """A new entry id: a random (version 4) UUID's 32 hex digits.

    Built from ``os.urandom`` as ``uuid.uuid4`` builds it: importing ``uuid``
    also imports ``platform``, a few milliseconds of every ``log``.
    """
    value = int.from_bytes(os.urandom(16), "big")
    value = (value & ~(0xC000 << 48)) | (0x8000 << 48)  # the RFC 4122 variant
    value = (value & ~(0xF000 << 64)) | (4 << 76)  # version 4
    return f"{value:032x}"


# --- Schema: migration N (1-based) takes a file from user_version N-1 to N. ---


def _schema_1(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE entries (
            id TEXT PRIMARY KEY NOT NULL,
            at TEXT NOT NULL,
            utc_offset_minutes INTEGER NOT NULL,
            pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
            limits INTEGER CHECK (limits BETWEEN 0 AND 10),
            tried TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX entries_by_time ON entries (at)")
    db.execute(
        """CREATE TABLE checks (
            id TEXT PRIMARY KEY NOT NULL,
            at TEXT NOT NULL,
            utc_offset_minutes INTEGER NOT NULL,
            answers TEXT NOT NULL,
            level TEXT
        )"""
    )
    db.execute("CREATE INDEX checks_by_time ON checks (at)")


#: Every migration in order; never edit or reorder one that has been released.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_schema_1]

_ENTRY_COLUMNS = "id, at, utc_offset_minutes, pain, limits, tried, note"
_CHECK_COLUMNS = "id, at, utc_offset_minutes, answers, level"


class Diary:
    """A diary file. Nothing is created until the first write; reading a missing file is empty.

    Use it as a context manager, or call ``close``. Every failure of the file
    or the disk is a ``DiaryError`` (exit 4) naming the path.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> Diary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection, if one is open."""
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- entries ---

    def entries(self, since: datetime | None = None, last: int | None = None) -> list[DiaryEntry]:
        """The entries at or after ``since``, newest first; at most ``last`` of them."""
        sql = f"SELECT {_ENTRY_COLUMNS} FROM entries"
        params: list[object] = []
        if since is not None:
            sql += " WHERE at >= ?"
            params.append(_time_text(since))
        sql += " ORDER BY at DESC, rowid DESC"
        if last is not None:
            sql += " LIMIT ?"
            params.append(max(last, 0))
        return [self._entry(row) for row in self._read(sql, params)]

    def get(self, entry_id: str) -> DiaryEntry | None:
        """The entry with this exact id, or None."""
        rows = self._read(f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE id = ?", [entry_id])
        return self._entry(rows[0]) if rows else None

    def ids_starting(self, prefix: str) -> list[str]:
        """The ids that begin with ``prefix`` (for short ids typed by hand), oldest first."""
        sql = "SELECT id FROM entries WHERE substr(id, 1, ?) = ? ORDER BY at, rowid"
        return [str(row[0]) for row in self._read(sql, [len(prefix), prefix])]

    def add(self, entry: DiaryEntry) -> None:
        """Record a new entry; an entry with the same id is an error."""
        values = _entry_values(entry)

        def insert(db: sqlite3.Connection) -> None:
            if db.execute("SELECT 1 FROM entries WHERE id = ?", [entry.id]).fetchone():
                raise UsageError(f"the diary already holds an entry with id {entry.id}")
            db.execute(f"INSERT INTO entries ({_ENTRY_COLUMNS}) VALUES (?,?,?,?,?,?,?)", values)

        self._write(insert)

    def add_many(self, entries: Iterable[DiaryEntry]) -> int:
        """Record entries in one transaction, skipping ids already held; return how many are new."""
        rows = [_entry_values(entry) for entry in entries]

        def insert(db: sqlite3.Connection) -> int:
            added = 0
            for values in rows:
                cursor = db.execute(
                    f"INSERT INTO entries ({_ENTRY_COLUMNS}) VALUES (?,?,?,?,?,?,?)"
                    " ON CONFLICT (id) DO NOTHING",
                    values,
                )
                added += cursor.rowcount
            return added

        return self._write(insert)

    def update(self, entry: DiaryEntry) -> None:
        """Replace the entry with ``entry.id`` by ``entry``."""
        values = _entry_values(entry)

        def change(db: sqlite3.Connection) -> None:
            cursor = db.execute(
                "UPDATE entries SET at = ?, utc_offset_minutes = ?, pain = ?, limits = ?,"
                " tried = ?, note = ? WHERE id = ?",
                [*values[1:], values[0]],
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"no diary entry with id {entry.id}")

        self._write(change)

    def delete(self, entry_id: str) -> None:
        """Remove the entry with this id."""

        def remove(db: sqlite3.Connection) -> None:
            if db.execute("DELETE FROM entries WHERE id = ?", [entry_id]).rowcount == 0:
                raise NotFoundError(f"no diary entry with id {entry_id}")

        self._write(remove)

    # --- warning-sign screenings ---

    def save_check(self, record: CheckRecord) -> None:
        """Keep the result of a warning-sign screening."""
        for flag, answer in record.answers:
            if answer not in ANSWERS:
                raise UsageError(f"answer {answer!r} for {flag} is not yes, no or unsure")
        values = [
            record.id,
            _time_text(record.at),
            int(record.utc_offset_minutes),
            json.dumps([list(pair) for pair in record.answers]),
            record.level.value if record.level is not None else None,
        ]
        self._write(
            lambda db: db.execute(
                f"INSERT INTO checks ({_CHECK_COLUMNS}) VALUES (?,?,?,?,?)", values
            ).close()
        )

    def last_check(self) -> CheckRecord | None:
        """The most recent screening, or None when there has been none."""
        sql = f"SELECT {_CHECK_COLUMNS} FROM checks ORDER BY at DESC, rowid DESC LIMIT 1"
        rows = self._read(sql, [])
        return self._check(rows[0]) if rows else None

    # --- the file ---

    def _read(self, sql: str, params: list[object]) -> list[tuple[object, ...]]:
        db = self._open(create=False)
        if db is None:
            return []
        with self._guard():
            return db.execute(sql, params).fetchall()

    def _write(self, action: Callable[[sqlite3.Connection], T]) -> T:
        db = self._open(create=True)
        assert db is not None
        with self._guard():
            return _in_transaction(db, action)

    def _open(self, *, create: bool) -> sqlite3.Connection | None:
        """The open connection, opening (and, for a write, creating) the file first."""
        if self._db is not None:
            return self._db
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if not create:
                return None
            self._create()
            try:
                info = os.stat(self.path)
            except OSError as error:  # e.g. a link to a file that is not there
                raise self._error(f"cannot be created: {_reason(error)}") from error
        except NotADirectoryError as error:
            raise self._error("cannot be used: part of its path is a file, not a folder") from error
        except OSError as error:
            raise self._error(f"cannot be read: {_reason(error)}") from error
        if stat.S_ISDIR(info.st_mode):
            raise self._error(
                "is a folder, not a diary file", hint=f"set {ENV_DIARY} to a file's path"
            )
        if not stat.S_ISREG(info.st_mode):
            raise self._error("is not a regular file, so not a backcare diary")
        self._check_header(info.st_size)
        with self._guard():
            db = _connect(self.path)
            try:
                self._check_identity(db)
            except BaseException:
                db.close()
                raise
        self._db = db
        return db

    def _check_header(self, size: int) -> None:
        """Refuse, before SQLite sees it, a file that is not a whole SQLite database."""
        try:
            with open(self.path, "rb") as file:
                header = file.read(100)
        except OSError as error:
            raise self._error(f"cannot be read: {_reason(error)}") from error
        if size == 0:
            raise self._error("is an empty file, not a backcare diary")
        if len(header) < 100 or not header.startswith(SQLITE_HEADER):
            raise self._error("is not a backcare diary (it is not an SQLite database)")
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        # The page count in the header is valid only when these two counters agree.
        if header[24:28] == header[92:96] and size < pages * page_size:
            raise self._error(
                f"is cut short: it holds {size:,} of its {pages * page_size:,} bytes",
                hint="restore it from a backup copy; backcare will not change it",
            )

    def _check_identity(self, db: sqlite3.Connection) -> None:
        """Refuse another program's database and a newer schema; migrate an older one."""
        application_id = int(db.execute("PRAGMA application_id").fetchone()[0])
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if application_id != APPLICATION_ID:
            raise self._error("is not a backcare diary (another program's SQLite database)")
        self._check_version(version)
        if version < len(MIGRATIONS):
            self._migrate(db)

    def _check_version(self, version: int) -> None:
        if version > len(MIGRATIONS):
            raise self._error(
                f"was written by a newer backcare (diary schema {version};"
                f" this one knows up to {len(MIGRATIONS)})",
                hint="update backcare to read it; the file was left as it is",
            )

    def _migrate(self, db: sqlite3.Connection, *, keep_copy: bool = True) -> None:
        """Apply the missing migrations in one transaction, after copying the old file."""

        def apply(db: sqlite3.Connection) -> None:
            # Read again under the write lock: another run may have migrated meanwhile.
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            self._check_version(version)
            if version == len(MIGRATIONS):
                return
            if keep_copy and version > 0:
                self._keep_copy(version)
            for migration in MIGRATIONS[version:]:
                migration(db)
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

        with self._guard():
            _in_transaction(db, apply)

    def _keep_copy(self, version: int) -> Path:
        """Copy the diary, as it is, beside it before a migration changes it."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        copy = self.path.with_name(f"{self.path.name}.schema{version}-{stamp}.bak")
        try:
            descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
            with open(descriptor, "wb") as target, open(self.path, "rb") as source:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(copy)
            raise self._error(
                f"cannot be brought up to date: the copy kept before it, {copy},"
                f" cannot be written: {_reason(error)}",
                hint="the diary was left as it was",
            ) from error
        return copy

    def _create(self) -> None:
        """Create the diary, complete, under a temporary name, then give it its name.

        So no run ever sees a half-made diary, and a file that appeared
        meanwhile (another run's) is kept, never replaced.
        """
        folder = self.path.parent
        try:
            _make_folders(folder)
        except OSError as error:
            raise self._error(f"cannot be created: {folder}: {_reason(error)}") from error
        temporary = folder / f".{self.path.name}.{new_id()[:12]}.new"
        try:
            with self._guard():
                descriptor = os.open(
                    temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600
                )
                os.close(descriptor)
                db = _connect(temporary)
                try:
                    self._migrate(db, keep_copy=False)
                finally:
                    db.close()
                _link_without_replacing(temporary, self.path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite's and the system's failures into one-line ``DiaryError``s."""
        try:
            yield
        except sqlite3.Error as error:
            raise self._error(_sqlite_reason(error), hint=_sqlite_hint(error)) from error
        except OSError as error:
            raise self._error(f"cannot be read or written: {_reason(error)}") from error

    def _error(self, what: str, *, hint: str | None = None) -> DiaryError:
        return DiaryError(f"the diary {self.path} {what}", hint=hint)

    def _entry(self, row: tuple[object, ...]) -> DiaryEntry:
        entry_id, at, offset, pain, limits, tried, note = row
        try:
            # Checked by type alone: this runs for every row of a long diary.
            if type(at) is not str or type(note) is not str or type(entry_id) is not str:
                raise ValueError("a field is not text")
            if type(pain) is not int or type(offset) is not int:
                raise ValueError("pain or offset is not a whole number")
            if limits is not None and type(limits) is not int:
                raise ValueError("limits is not a whole number")
            return DiaryEntry(
                entry_id, _time_from_text(at), offset, pain, limits, _names(tried), note
            )
        except ValueError as error:
            raise self._error(
                f"holds a damaged entry {entry_id}: {error}",
                hint="the file was left as it is",
            ) from error

    def _check(self, row: tuple[object, ...]) -> CheckRecord:
        check_id, at, offset, answers, level = row
        try:
            pairs = json.loads(str(answers))
            if not isinstance(pairs, list):
                raise ValueError("its answers are not a list")
            return CheckRecord(
                id=str(check_id),
                at=_time_from_text(str(at)),
                utc_offset_minutes=_integer(offset),
                answers=tuple((str(flag), str(answer)) for flag, answer in pairs),
                level=None if level is None else Level(str(level)),
            )
        except (ValueError, TypeError) as error:
            raise self._error(
                f"holds a damaged screening {check_id}: {error}",
                hint="the file was left as it is",
            ) from error


_BINARY = getattr(os, "O_BINARY", 0)


def _connect(path: Path) -> sqlite3.Connection:
    """Open an existing database file for reading and writing; never creates one."""
    uri = path.resolve().as_uri() + "?mode=rw"
    # isolation_level=None: no implicit transactions; each write says BEGIN itself.
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)


def _in_transaction(db: sqlite3.Connection, action: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``action`` in one write transaction: all of it is kept, or none of it."""
    db.execute("BEGIN IMMEDIATE")
    try:
        result = action(db)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        raise
    return result


def _make_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each readable by its owner only (0700)."""
    missing: list[Path] = []
    while not os.path.isdir(folder):
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)


def _link_without_replacing(source: Path, target: Path) -> None:
    """Give ``source`` the name ``target`` unless ``target`` exists already."""
    try:
        os.link(source, target)
    except FileExistsError:
        return  # another run created the diary first: that one is kept
    except OSError:  # a file system without hard links
        if not os.path.lexists(target):
            os.rename(source, target)


def _entry_values(entry: DiaryEntry) -> list[object]:
    """An entry as the row it is stored as, after checking what SQL cannot."""
    if not 0 <= entry.pain <= 10:
        raise UsageError(f"pain {entry.pain} is not on the 0 to 10 scale")
    if entry.limits is not None and not 0 <= entry.limits <= 10:
        raise UsageError(f"limits {entry.limits} is not on the 0 to 10 scale")
    return [
        entry.id,
        _time_text(entry.at),
        int(entry.utc_offset_minutes),
        int(entry.pain),
        None if entry.limits is None else int(entry.limits),
        json.dumps(list(entry.tried), separators=(",", ":")),
        entry.note,
    ]


def _time_text(at: datetime) -> str:
    """An aware time as fixed-width UTC text, which sorts in time order."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise UsageError("a diary time must say its offset from UTC")
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _time_from_text(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError(f"time {text!r} has no offset from UTC")
    return at if at.tzinfo is timezone.utc else at.astimezone(timezone.utc)


def _names(tried: object) -> tuple[str, ...]:
    """The ``tried`` column: a JSON list of names."""
    if tried == "[]":
        return ()
    if type(tried) is str and tried.startswith('["') and "\\" not in tried and '", ' not in tried:
        return tuple(tried[2:-2].split('","'))  # plain names need no JSON parser
    names = json.loads(str(tried))
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError("'tried' is not a list of names")
    return tuple(names)


def _integer(value: object) -> int:
    if not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _sqlite_reason(error: sqlite3.Error) -> str:
    """What a failure of SQLite means for the person, in a few words."""
    name = getattr(error, "sqlite_errorname", "")
    text = str(error).lower()
    if name == "SQLITE_FULL" or "full" in text:
        return "cannot be written: the disk is full (nothing was changed)"
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in text:
        return "is busy: another program is writing to it (nothing was changed)"
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return "cannot be written: it is read-only (nothing was changed)"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return "cannot be opened"
    if name == "SQLITE_PERM" or "access permission" in text:
        return "cannot be read: permission denied"
    if name == "SQLITE_NOTADB" or "not a database" in text:
        return "is not a backcare diary (it is not an SQLite database)"
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return "is damaged (SQLite: database disk image is malformed)"
    if name.startswith("SQLITE_IOERR") or "disk i/o" in text:
        return f"cannot be read or written: {error}"
    return f"is not a usable backcare diary (SQLite: {error})"


def _sqlite_hint(error: sqlite3.Error) -> str | None:
    text = _sqlite_reason(error)
    if "busy" in text:
        return "try again in a moment"
    if "damaged" in text or "not a backcare diary" in text:
        return "restore it from a backup copy; backcare will not change it"
    return None
