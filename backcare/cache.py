"""A cache of parsed content, so that a warm start skips YAML entirely.

The cache is a JSON file per set of layers in the user's cache folder, and it
is input like any other: it is never trusted over the files, nor over the
package.

- Its key is backcare's version plus, for every content file, what git's index
  records: size, modification and change times, inode and device. A file
  changed too recently for its times to tell (the same clock tick as the
  change before it) is also recorded by a checksum of its bytes. Any edit, an
  added or removed file, or an upgrade misses the cache.
- Only a regular file is read, never through a symbolic link, never waiting
  (a named pipe), and never more than a bound derived from the content's size.
  The JSON may not nest deeper than the cache's own shape, every value must
  have its field's type, and every link must resolve.
- The safety content it holds (built-in warning signs and levels, emergency
  numbers, when the diary says to see someone, and the sources they cite) must
  match the digest of what the package ships (``screening_digest.SCREENING``).
- The folder must belong to this user and be closed to others (as OpenSSH
  asks of ``~/.ssh``); it is created 0700. Files are written whole to a
  temporary file and renamed into place; temporary files left by a process
  that was killed are removed by the next write.

Content with problems is never cached. A cache that cannot be read or written
is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from backcare import __version__
from backcare.models import (
    Catalog,
    Category,
    Caution,
    DiaryRule,
    Duration,
    Evidence,
    Exercise,
    Layer,
    Level,
    LevelAdvice,
    PlanPart,
    PlanText,
    Quality,
    RecoveryItem,
    RedFlag,
    Region,
    Remedy,
    ReviewLevel,
    ReviewPoint,
    RuleKind,
    ScopeQuestion,
    Source,
    SourceKind,
    Stance,
    Strength,
    Term,
)

if TYPE_CHECKING:
    from backcare.findings import Finding

FORMAT = 3
BUILTIN = "built-in"

Warn = Callable[[str], None]

# A file whose times are this close to now may change again within the same
# clock tick (whole seconds on some file systems, two on FAT) without its times
# showing it, so its bytes are checksummed too, as git does for "racily clean" files.
RACY_NS = 3_000_000_000
# A temporary file untouched this long belongs to no write in progress.
STALE_TEMPORARY_NS = 10 * 60 * 1_000_000_000
# The cache of N bytes of YAML is at most this many times N, plus the constant:
# JSON escapes a non-ASCII character in 6 or 12 bytes, and each entry names its layer.
_BOUND_FACTOR = 8
_BOUND_EXTRA = 1024 * 1024
_TEMPORARY = re.compile(r"catalog-[0-9a-f]{8}\.json\.([0-9]+)\.tmp")

# The cache is written as ASCII JSON, so every character the loader refuses in
# content (C0 and C1 controls, bidirectional overrides) appears as an escape.
_UNSAFE_ESCAPE = re.compile(
    rb"\\u(?:00[01][0-9a-fA-F]|00[79][fF]|00[89][0-9a-fA-F]|202[a-eA-E]|206[6-9])"
)


def _unsafe_text(data: bytes) -> bool:
    """Whether the JSON escapes a character that the loader refuses in content.

    Only an odd run of backslashes escapes: in ``\\\\u009b`` the first two are one
    backslash of text (as a strange folder name, shown escaped, holds). The
    pattern starts with a fixed string, so the search is a fast scan.
    """
    for match in _UNSAFE_ESCAPE.finditer(data):
        start = first = match.start()
        while first and data[first - 1] == 0x5C:  # the backslashes before it, once each
            first -= 1
        if (start - first) % 2 == 0:
            return True
    return False


class Slot(NamedTuple):
    """Where the cache for one set of layers lives, the key it must carry, its size bound."""

    path: Path
    key: list[Any]
    bound: int


def load_catalog_cached(
    layers: Sequence[Layer], environ: Mapping[str, str], warn: Warn | None = None
) -> Catalog:
    """Load ``layers`` into a catalog, from the cache when no file has changed.

    The per-user folder is skipped, with a warning, when it is there but may not
    be read. ``warn`` receives one line for each thing the user should know.
    """
    layers = _readable(layers, warn)
    slot = _slot(layers, environ, warn)
    if slot is not None:
        cached = _read(slot, layers)
        if cached is not None:
            return cached
    from backcare.content import load_catalog

    catalog = load_catalog(layers)  # raises on any problem, so bad content is never cached
    if slot is not None:
        _write(slot, catalog)
    return catalog


def validate_cached(
    layers: Sequence[Layer],
    targets: Sequence[Path],
    environ: Mapping[str, str],
    warn: Warn | None = None,
) -> list[Finding]:
    """Every problem in ``targets`` (or in ``layers`` when none are given).

    Only content without problems is ever cached, so when the cache matches
    every file as it is now, there is nothing to report and nothing to parse.
    """
    from backcare.content import load, validation_layers, within

    every = validation_layers(layers, targets)
    slot = _slot(every, environ, warn)
    if slot is not None and _read(slot, every) is not None:
        return []
    result = load(every)
    if slot is not None and not result.findings:
        _write(slot, result.catalog)
    return within(result.findings, targets)


def _readable(layers: Sequence[Layer], warn: Warn | None) -> Sequence[Layer]:
    """The layers without a per-user folder that may not be read, saying that it is skipped."""
    skipped = [layer for layer in layers if layer.label == "user" and layer.problem]
    if not skipped:
        return layers
    from backcare.escape import shown

    for layer in skipped:
        _say(
            warn,
            f"your content folder {shown(layer.path)} cannot be read ({layer.problem}),"
            " so its content is skipped (BC013; see 'backcare validate')",
        )
    return [layer for layer in layers if layer not in skipped]


def _say(warn: Warn | None, message: str) -> None:
    if warn is not None:
        warn(message)


def _slot(layers: Sequence[Layer], environ: Mapping[str, str], warn: Warn | None) -> Slot | None:
    """The cache slot for this set of layers, or None when there is no usable cache folder."""
    from backcare.paths import NoHomeError, user_cache_dir

    try:
        folder = user_cache_dir(environ)
    except NoHomeError:
        return None  # the run says so once; see paths.home_problem
    problem = _folder_problem(folder)
    if problem is not None:
        if problem:
            from backcare.escape import shown

            _say(warn, f"the cache folder {shown(str(folder))} is not used: {problem}")
        return None
    # Absolute folders as well as the names given: a relative --content folder
    # run from elsewhere is another folder, and entries name their layer as given.
    names = [[layer.path, os.path.abspath(layer.path)] for layer in layers]
    digest = zlib.crc32(json.dumps(names).encode("utf-8", "surrogateescape"))
    key, content_bytes = _fingerprint(layers)
    bound = _BOUND_FACTOR * content_bytes + _BOUND_EXTRA
    return Slot(folder / f"catalog-{digest:08x}.json", key, bound)


def _folder_problem(folder: Path) -> str | None:
    """Why ``folder`` may not hold the cache: '' if it cannot be made, None if it may."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        try:
            os.makedirs(folder, mode=0o700)
            info = os.stat(folder)
        except (OSError, ValueError):
            return ""
    except (OSError, ValueError):
        return ""
    if not stat.S_ISDIR(info.st_mode):
        return ""
    if os.name == "posix" and info.st_uid != os.geteuid():
        return "it belongs to another user"
    if not _private(info):
        return "others may write to it (make it private: chmod 700)"
    return None


def _private(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to this user and no one else may write to it."""
    if os.name != "posix":
        return True  # Windows keeps a user's folders private by their access lists
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _fingerprint(layers: Sequence[Layer]) -> tuple[list[Any], int]:
    """The cache key for ``layers`` as they are now, and the bytes of content they hold."""
    from backcare.escape import shown
    from backcare.paths import yaml_files

    # Names go into the key escaped, so that a strange folder name cannot look like
    # the escapes that mark a tampered file (see _unsafe_text); inode and device
    # tell apart any two names that escape alike.
    now = time.time_ns()
    total = 0
    files: list[Any] = []
    for layer in layers:
        files.append([layer.label, shown(layer.path), layer.exists, layer.problem])
        if not layer.exists:
            continue
        for path in yaml_files(Path(layer.path)):
            try:
                info = os.stat(path)
            except (OSError, ValueError):
                files.append([shown(str(path)), None])
                continue
            entry = [
                shown(str(path)),
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
                info.st_ino,
                info.st_dev,
            ]
            if max(info.st_mtime_ns, info.st_ctime_ns) > now - RACY_NS:
                entry.append(_checksum(path))
            total += info.st_size
            files.append(entry)
    return [FORMAT, __version__, _SHAPE, files], total


def _checksum(path: Path) -> int | None:
    """A checksum of a content file's bytes (None when it cannot be read as a file)."""
    from backcare.yamlsafe import MAX_FILE_BYTES

    data = read_bounded(path, MAX_FILE_BYTES, follow=True)
    return None if data is None else zlib.crc32(data)


def read_bounded(
    path: Path, limit: int, *, follow: bool = False, own: bool = False
) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes, or None.

    Never blocks (a named pipe), never reads a device or more than ``limit``
    bytes (``/dev/zero``, a file that grows), and with ``follow=False`` never
    goes through a symbolic link; with ``own=True`` the file must belong to
    this user and be closed to writes by others.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        descriptor = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if own and not _private(info):
            return None
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # one byte past the limit, so a file that grew is refused
            chunk = os.read(descriptor, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return None if total > limit else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _read(slot: Slot, layers: Sequence[Layer]) -> Catalog | None:
    data = read_bounded(slot.path, slot.bound, own=True)
    if data is None:
        return None
    # This file is written as ASCII with escapes; anything else, or an escaped
    # character the loader refuses in content, means it was tampered with.
    if not data.isascii() or _unsafe_text(data):
        return None
    try:
        document = json.loads(data)
        if type(document) is not dict or document.get("key") != slot.key:
            return None
        rows = document["catalog"]
        if any(layer.label == BUILTIN for layer in layers):
            from backcare.screening_digest import SCREENING

            if screening_digest(rows) != SCREENING:
                return None
        return _catalog_from(rows, layers)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        # RecursionError: JSON nested far deeper than the cache's own shape
        # ("[" repeated 200,000 times), which the parser refuses at its limit.
        return None


def _write(slot: Slot, catalog: Catalog) -> None:
    rows = _catalog_to(catalog)
    if any(layer.label == BUILTIN for layer in catalog.layers):
        from backcare.screening_digest import SCREENING

        if screening_digest(rows) != SCREENING:
            return  # it could never be read back
    text = json.dumps({"key": slot.key, "catalog": rows}, ensure_ascii=True, separators=(",", ":"))
    data = text.encode("ascii")
    if len(data) > slot.bound:
        return
    folder = slot.path.parent
    _remove_stale_temporaries(folder)
    temporary = folder / f"{slot.path.name}.{os.getpid()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        try:
            descriptor = os.open(temporary, flags, 0o600)
        except FileExistsError:  # left by an earlier process that had this process id
            os.unlink(temporary)
            descriptor = os.open(temporary, flags, 0o600)
    except (OSError, ValueError):
        return
    replaced = False
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, slot.path)  # atomic: a reader never sees half a file
        replaced = True
    except OSError:
        pass
    finally:
        # Also on Ctrl-C or SIGTERM turned into an exception; a SIGKILL leaves the
        # file for _remove_stale_temporaries.
        if not replaced:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files whose writer is gone (killed mid-write) or long silent."""
    now = time.time_ns()
    try:
        with os.scandir(folder) as entries:
            found = [(e.path, e.name) for e in entries if e.name.endswith(".tmp")]
    except OSError:
        return
    for path, name in found:
        match = _TEMPORARY.fullmatch(name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                continue
            if now - info.st_mtime_ns > STALE_TEMPORARY_NS or not _running(int(match.group(1))):
                os.unlink(path)
        except OSError:
            continue


def _running(pid: int) -> bool:
    """Whether a process with this id runs here (always True where that cannot be asked)."""
    if os.name != "posix":
        return True  # os.kill would end the process on Windows; the age rule applies there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


def screening_digest(rows: Mapping[str, Any]) -> str:
    """A digest of the built-in safety content among cache ``rows``.

    That is the built-in warning signs and levels, every row of the sections
    only the built-in content may hold (emergency numbers, when to get pain
    looked at, who the guide is not for), and the built-in sources they cite.
    Raises ``ValueError`` when an entry of these appears twice (one could then
    hide the other), and ``TypeError``, ``KeyError`` or ``IndexError`` when the
    rows are not the cache's shape.
    """
    chosen: dict[str, list[Any]] = {}
    for section in (*_SAFETY_SECTIONS, "sources"):
        section_rows = rows[section]
        if type(section_rows) is not list or any(type(row) is not list for row in section_rows):
            raise TypeError(section)
        keys = [json.dumps(row[0]) for row in section_rows]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a repeated entry in {section}")
        # Rows of a built-in-only section count whatever their origin says.
        everyone = section in _BUILTIN_ONLY
        chosen[section] = [row for row in section_rows if everyone or row[-1] == BUILTIN]
    # Only the sources that safety content cites: a source added for a remedy
    # leaves the digest as it is.
    cited = {
        json.dumps(source)
        for section in _SAFETY_SECTIONS
        for row in chosen[section]
        for source in row[_SOURCES_AT[section]]
    }
    chosen["sources"] = [row for row in chosen["sources"] if json.dumps(row[0]) in cited]
    text = json.dumps(chosen, ensure_ascii=True, separators=(",", ":"))
    # _blake2 is the C module behind hashlib.blake2b; hashlib itself would load
    # OpenSSL (about 3 ms) on every warm start.
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without it
        from hashlib import blake2b
    return blake2b(text.encode("ascii"), digest_size=32).hexdigest()


def _catalog_to(catalog: Catalog) -> dict[str, Any]:
    """The catalog as rows for JSON: records stay tuples, which ``json.dumps`` writes as lists.

    Only the sections the screening digest reads become lists here (it checks
    their shape): converting 10,000 remedies field by field cost about 0.1 s of
    a cold run for the same bytes.
    """
    return {
        section: [_plain(item) for item in getattr(catalog, section)]
        if section in _DIGESTED
        else list(getattr(catalog, section))
        for section in _SECTIONS
    }


def _plain(value: Any) -> Any:
    """A model as JSON-ready data: records become lists of their fields, in order."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("expected a list")
    "".join(value)  # raises TypeError, at C speed, unless every item is text
    return tuple(value)


def _year(value: Any) -> int | None:
    return None if value is None else _count(value)


def _count(value: Any) -> int:
    if type(value) is not int:  # bool is a kind of int, but not a number of anything
        raise TypeError("expected a whole number")
    return value


def _optional_count(value: Any) -> int | None:
    return None if value is None else _count(value)


_LIST = {list}


def _catalog_from(data: dict[str, Any], layers: Sequence[Layer]) -> Catalog:
    """Rebuild the catalog from rows written by ``_catalog_to`` (fields in model order).

    Every value is checked for its field's type, and every link for a target,
    so that a cache edited by hand cannot hand the rest of backcare a record
    that content loading would never have built.
    """
    categories = {c.value: c for c in Category}
    stances = {s.value: s for s in Stance}
    levels = {v.value: v for v in Level}
    kinds = {k.value: k for k in SourceKind}
    durations = {d.value: d for d in Duration}
    strengths = {s.value: s for s in Strength}
    qualities = {q.value: q for q in Quality}
    review_levels = {r.value: r for r in ReviewLevel}
    rule_kinds = {k.value: k for k in RuleKind}
    text, texts = _text, _texts

    def remedy(row: list[Any]) -> Remedy:
        # The hottest loop of a warm start: each check covers many values in one
        # C call ("".join refuses anything but text) and records are made with
        # tuple.__new__, as NamedTuple._make does, after the row is checked.
        (slug, name, category, summary, description, steps, causes, symptoms) = row[:8]
        (cautions, see_a_doctor, evidence, sources, keywords, red_flags, exercises) = row[8:15]
        (origin,) = row[15:]
        lists = (steps, causes, symptoms, cautions, see_a_doctor, evidence, sources, keywords)
        if set(map(type, (*lists, red_flags, exercises))) != _LIST:
            raise TypeError("expected a list")
        "".join((slug, name, summary, description, origin))
        "".join(chain(steps, causes, symptoms, see_a_doctor, sources, keywords, red_flags))
        "".join(exercises)
        return new_remedy(
            (
                slug,
                name,
                categories[category],
                summary,
                description,
                tuple(steps),
                tuple(causes),
                tuple(symptoms),
                tuple(map(caution, cautions)),
                tuple(see_a_doctor),
                tuple(map(entry, evidence)),
                tuple(sources),
                tuple(keywords),
                tuple(red_flags),
                tuple(exercises),
                origin,
            )
        )

    new_remedy = partial(tuple.__new__, Remedy)
    new_caution = partial(tuple.__new__, Caution)
    new_evidence = partial(tuple.__new__, Evidence)

    def caution(row: list[Any]) -> Caution:
        if type(row) is not list or len(row) != 2:
            raise TypeError("expected a caution")
        "".join(row)
        return new_caution(row)

    def entry(row: list[Any]) -> Evidence:
        if type(row) is not list:
            raise TypeError("expected an evidence entry")
        src, stance, note, topic, duration, strength, quality = row
        "".join((src, note) if topic is None else (src, note, topic))
        return new_evidence(
            (
                src,
                stances[stance],
                note,
                topic,
                durations[duration],
                optional_strengths[strength],
                optional_qualities[quality],
            )
        )

    optional_strengths: dict[Any, Strength | None] = {None: None, **strengths}
    optional_qualities: dict[Any, Quality | None] = {None: None, **qualities}

    def exercise(row: list[Any]) -> Exercise:
        (slug, name, purpose, position, steps, hold, reps, sets, times, easier) = row[:10]
        (cautions, stop_if, sources, easy_hold, easy_reps, easy_sets, figure) = row[10:17]
        (keywords, origin) = row[17:]
        return Exercise(
            text(slug),
            text(name),
            text(purpose),
            text(position),
            texts(steps),
            _count(hold),
            _count(reps),
            _count(sets),
            _count(times),
            text(easier),
            tuple(Caution(text(t), text(source)) for t, source in cautions),
            texts(stop_if),
            texts(sources),
            _optional_count(easy_hold),
            _optional_count(easy_reps),
            _optional_count(easy_sets),
            _optional_text(figure),
            texts(keywords),
            text(origin),
        )

    def term(row: list[Any]) -> Term:
        slug, name, description, origin = row
        return Term(text(slug), text(name), text(description), text(origin))

    catalog = Catalog(
        remedies=tuple(remedy(row) for row in data["remedies"]),
        causes=tuple(term(row) for row in data["causes"]),
        symptoms=tuple(term(row) for row in data["symptoms"]),
        sources=tuple(
            Source(
                text(i),
                text(title),
                text(publisher),
                kinds[kind],
                _year(year),
                _optional_text(url),
                _optional_text(note),
                text(origin),
            )
            for i, title, publisher, kind, year, url, note, origin in data["sources"]
        ),
        red_flags=tuple(
            RedFlag(
                text(i),
                levels[level],
                text(n),
                text(q),
                text(a),
                texts(s),
                texts(aka),
                text(origin),
            )
            for i, level, n, q, a, s, aka, origin in data["red_flags"]
        ),
        levels=tuple(
            LevelAdvice(levels[level], text(heading), texts(meanwhile), texts(s), text(origin))
            for level, heading, meanwhile, s, origin in data["levels"]
        ),
        layers=tuple(layers),
        exercises=tuple(exercise(row) for row in data["exercises"]),
        regions=tuple(
            Region(
                text(i), text(n), text(e), texts(numbers), text(u), texts(lands), texts(s), text(o)
            )
            for i, n, e, numbers, u, lands, s, o in data["regions"]
        ),
        recovery=tuple(
            RecoveryItem(text(i), text(title), text(summary), text(body), texts(s), text(o))
            for i, title, summary, body, s, o in data["recovery"]
        ),
        review_points=tuple(
            ReviewPoint(text(i), _count(days), review_levels[level], text(body), texts(s), text(o))
            for i, days, level, body, s, o in data["review_points"]
        ),
        scope=tuple(
            ScopeQuestion(text(i), text(question), text(action), texts(s), text(o))
            for i, question, action, s, o in data["scope"]
        ),
        diary_rules=tuple(
            DiaryRule(
                text(i),
                rule_kinds[kind],
                None if level is None else levels[level],
                text(name),
                text(advice),
                texts(s),
                _count(days),
                _optional_count(pain),
                _optional_count(points),
                text(o),
            )
            for i, kind, level, name, advice, s, days, pain, points, o in data["diary_rules"]
        ),
        plan_texts=tuple(
            PlanText(
                i,
                PlanPart(part),
                text,
                tuple(sources),
                gentle,
                tuple((name, value) for name, value in numbers),
                origin,
            )
            for i, part, text, sources, gentle, numbers, origin in data["plan_texts"]
        ),
    )
    _check_links(catalog)
    return catalog


def _check_links(catalog: Catalog) -> None:
    """Raise ``KeyError`` if any link in ``catalog`` has no target (as loading guarantees)."""
    remedies, exercises = catalog.remedies, catalog.exercises

    def every(items: Iterable[Any], field: str) -> set[Any]:
        return set(chain.from_iterable(map(attrgetter(field), items)))

    def cited(items: Iterable[Any], field: str) -> set[str]:
        return set(map(attrgetter("source"), chain.from_iterable(map(attrgetter(field), items))))

    links = (
        (catalog.cause_by_slug, every(remedies, "causes")),
        (catalog.symptom_by_slug, every(remedies, "symptoms")),
        (catalog.red_flag_by_id, every(remedies, "red_flags")),
        (catalog.exercise_by_slug, every(remedies, "exercises")),
        (
            catalog.source_by_id,
            set().union(
                every(remedies, "sources"),
                cited(remedies, "cautions"),
                cited(remedies, "evidence"),
                every(exercises, "sources"),
                cited(exercises, "cautions"),
                *(
                    every(section, "sources")
                    for section in (
                        catalog.red_flags,
                        catalog.levels,
                        catalog.regions,
                        catalog.recovery,
                        catalog.review_points,
                        catalog.scope,
                        catalog.diary_rules,
                    )
                ),
            ),
        ),
    )
    for targets, linked in links:
        if not linked.issubset(targets.keys()):
            raise KeyError("a link without a target")


# Safety content: built-in warning signs and levels, which no layer may replace, and
# the sections only the built-in content may hold at all (see content.py).
_BUILTIN_ONLY = ("regions", "recovery", "review_points", "scope", "diary_rules")
_SAFETY_SECTIONS = ("red_flags", "levels", *_BUILTIN_ONLY)
_DIGESTED = frozenset((*_SAFETY_SECTIONS, "sources"))
# Where each of their rows holds the sources it cites.
_SOURCES_AT = {
    "red_flags": RedFlag._fields.index("sources"),
    "levels": LevelAdvice._fields.index("sources"),
    "regions": Region._fields.index("sources"),
    "recovery": RecoveryItem._fields.index("sources"),
    "review_points": ReviewPoint._fields.index("sources"),
    "scope": ScopeQuestion._fields.index("sources"),
    "diary_rules": DiaryRule._fields.index("sources"),
}
_SECTIONS = (
    "remedies",
    "causes",
    "symptoms",
    "sources",
    "red_flags",
    "levels",
    "exercises",
    "regions",
    "recovery",
    "review_points",
    "scope",
    "diary_rules",
    "plan_texts",
)
# Rows are positional, so the models' field lists are part of the cache key.
_SHAPE = [
    list(model._fields)
    for model in (
        Remedy,
        Term,
        Source,
        RedFlag,
        LevelAdvice,
        Caution,
        Evidence,
        Exercise,
        Region,
        RecoveryItem,
        ReviewPoint,
        ScopeQuestion,
        DiaryRule,
        PlanText,
    )
]
