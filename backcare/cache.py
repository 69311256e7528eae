"""A cache of parsed content, so that a warm start skips YAML entirely.

The cache is a JSON file per set of layers in the user's cache folder. Its key
is backcare's version plus the path, size and modification time of every
content file, so any edit, added or removed file, or upgrade misses the cache
and the files are read again: the cache is never trusted over the files.
Content with problems is never cached. A cache that cannot be read or written
is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

FORMAT = 2

# The cache is written as ASCII JSON, so every character the loader refuses in
# content (C0 and C1 controls, bidirectional overrides) appears as an escape.
_UNSAFE_TEXT = re.compile(
    r"\\u(?:00[01][0-9a-fA-F]|00[79][fF]|00[89][0-9a-fA-F]|202[a-eA-E]|206[6-9])"
)


def load_catalog_cached(layers: Sequence[Layer], environ: Mapping[str, str]) -> Catalog:
    """Load ``layers`` into a catalog, from the cache when no file has changed."""
    path, key = _slot(layers, environ)
    cached = _read(path, key, layers)
    if cached is not None:
        return cached
    from backcare.content import load_catalog

    catalog = load_catalog(layers)  # raises on any problem, so bad content is never cached
    _write(path, key, catalog)
    return catalog


def validate_cached(
    layers: Sequence[Layer], targets: Sequence[Path], environ: Mapping[str, str]
) -> list[Finding]:
    """Every problem in ``targets`` (or in ``layers`` when none are given).

    Only content without problems is ever cached, so when the cache matches
    every file as it is now, there is nothing to report and nothing to parse.
    """
    from backcare.content import load, validation_layers, within

    every = validation_layers(layers, targets)
    path, key = _slot(every, environ)
    if _read(path, key, every) is not None:
        return []
    result = load(every)
    if not result.findings:
        _write(path, key, result.catalog)
    return within(result.findings, targets)


def _slot(layers: Sequence[Layer], environ: Mapping[str, str]) -> tuple[Path, list[Any]]:
    """Where the cache for this set of layers lives, and the key it must carry."""
    from backcare.paths import user_cache_dir

    name = f"catalog-{zlib.crc32(json.dumps([lay.path for lay in layers]).encode()):08x}.json"
    return user_cache_dir(environ) / name, _fingerprint(layers)


def _fingerprint(layers: Sequence[Layer]) -> list[Any]:
    from backcare.paths import yaml_files

    files: list[Any] = []
    for layer in layers:
        files.append([layer.label, layer.path, layer.exists])
        if not layer.exists:
            continue
        for path in yaml_files(Path(layer.path)):
            try:
                stat = path.stat()
            except OSError:
                files.append([str(path), None])
                continue
            files.append([str(path), stat.st_size, stat.st_mtime_ns])
    return [FORMAT, __version__, _SHAPE, files]


def _read(path: Path, key: list[Any], layers: Sequence[Layer]) -> Catalog | None:
    try:
        text = path.read_text(encoding="utf-8")
        # This file is written as ASCII with escapes; anything else, or an escaped
        # character the loader refuses in content, means it was tampered with.
        if not text.isascii() or _UNSAFE_TEXT.search(text):
            return None
        document = json.loads(text)
        if document.get("key") != key:
            return None
        return _catalog_from(document["catalog"], layers)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write(path: Path, key: list[Any], catalog: Catalog) -> None:
    document = {"key": key, "catalog": _catalog_to(catalog)}
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("w", encoding="utf-8") as stream:
            # ASCII only: every character outside it is escaped, so one scan of
            # the text finds any control character (see _UNSAFE_TEXT).
            json.dump(document, stream, ensure_ascii=True, separators=(",", ":"))
        os.replace(temporary, path)  # atomic: a reader never sees half a file
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _catalog_to(catalog: Catalog) -> dict[str, Any]:
    return {section: [_plain(item) for item in getattr(catalog, section)] for section in _SECTIONS}


def _plain(value: Any) -> Any:
    """A model as JSON-ready data: records become lists of their fields, in order."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _catalog_from(data: dict[str, Any], layers: Sequence[Layer]) -> Catalog:
    """Rebuild the catalog from rows written by ``_catalog_to`` (fields in model order)."""
    categories = {c.value: c for c in Category}
    stances = {s.value: s for s in Stance}
    levels = {v.value: v for v in Level}
    kinds = {k.value: k for k in SourceKind}
    rule_kinds = {k.value: k for k in RuleKind}

    def remedy(row: list[Any]) -> Remedy:
        (slug, name, category, summary, description, steps, causes, symptoms) = row[:8]
        (cautions, see_a_doctor, evidence, sources, keywords, red_flags, exercises) = row[8:15]
        origin = row[15]
        return Remedy(
            slug,
            name,
            categories[category],
            summary,
            description,
            tuple(steps),
            tuple(causes),
            tuple(symptoms),
            tuple(Caution(text, source) for text, source in cautions),
            tuple(see_a_doctor),
            tuple(
                Evidence(
                    src,
                    stances[stance],
                    note,
                    topic,
                    Duration(duration),
                    None if strength is None else Strength(strength),
                    None if quality is None else Quality(quality),
                )
                for src, stance, note, topic, duration, strength, quality in evidence
            ),
            tuple(sources),
            tuple(keywords),
            tuple(red_flags),
            tuple(exercises),
            origin,
        )

    def exercise(row: list[Any]) -> Exercise:
        (slug, name, purpose, position, steps, hold, reps, sets, times, easier) = row[:10]
        (cautions, stop_if, sources, easy_hold, easy_reps, easy_sets, figure) = row[10:17]
        (keywords, origin) = row[17:]
        return Exercise(
            slug,
            name,
            purpose,
            position,
            tuple(steps),
            hold,
            reps,
            sets,
            times,
            easier,
            tuple(Caution(text, source) for text, source in cautions),
            tuple(stop_if),
            tuple(sources),
            easy_hold,
            easy_reps,
            easy_sets,
            figure,
            tuple(keywords),
            origin,
        )

    return Catalog(
        remedies=tuple(remedy(row) for row in data["remedies"]),
        causes=tuple(Term(*row) for row in data["causes"]),
        symptoms=tuple(Term(*row) for row in data["symptoms"]),
        sources=tuple(
            Source(i, title, publisher, kinds[kind], year, url, note, origin)
            for i, title, publisher, kind, year, url, note, origin in data["sources"]
        ),
        red_flags=tuple(
            RedFlag(i, levels[level], name, question, action, tuple(sources), origin)
            for i, level, name, question, action, sources, origin in data["red_flags"]
        ),
        levels=tuple(
            LevelAdvice(levels[level], heading, tuple(meanwhile), tuple(sources), origin)
            for level, heading, meanwhile, sources, origin in data["levels"]
        ),
        layers=tuple(layers),
        exercises=tuple(exercise(row) for row in data["exercises"]),
        regions=tuple(
            Region(i, name, emergency, tuple(numbers), urgent, tuple(lands), tuple(src), origin)
            for i, name, emergency, numbers, urgent, lands, src, origin in data["regions"]
        ),
        recovery=tuple(
            RecoveryItem(i, title, summary, text, tuple(src), origin)
            for i, title, summary, text, src, origin in data["recovery"]
        ),
        review_points=tuple(
            ReviewPoint(i, days, ReviewLevel(level), text, tuple(src), origin)
            for i, days, level, text, src, origin in data["review_points"]
        ),
        scope=tuple(
            ScopeQuestion(i, question, action, tuple(src), origin)
            for i, question, action, src, origin in data["scope"]
        ),
        diary_rules=tuple(
            DiaryRule(
                i,
                rule_kinds[kind],
                None if level is None else levels[level],
                name,
                advice,
                tuple(sources),
                days,
                pain,
                points,
                origin,
            )
            for i, kind, level, name, advice, sources, days, pain, points, origin in data[
                "diary_rules"
            ]
        ),
    )


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
    )
]
