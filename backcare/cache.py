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
    Caution,
    Evidence,
    Layer,
    LevelAdvice,
    RedFlag,
    Remedy,
    Source,
    Term,
)

if TYPE_CHECKING:
    from backcare.findings import Finding

FORMAT = 1

# Escaped C0 controls (JSON writes tab and newline as \t and \n instead), raw C1
# controls and bidirectional overrides: the loader refuses all of them in content.
_UNSAFE_TEXT = re.compile(r"\\u00[01][0-9a-fA-F]|\\u007[fF]|[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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
    return [FORMAT, __version__, files]


def _read(path: Path, key: list[Any], layers: Sequence[Layer]) -> Catalog | None:
    try:
        text = path.read_text(encoding="utf-8")
        if _UNSAFE_TEXT.search(text):  # content never holds these; the cache was tampered with
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
            json.dump(document, stream, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)  # atomic: a reader never sees half a file
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _catalog_to(catalog: Catalog) -> dict[str, Any]:
    return {
        section: [_plain(item) for item in getattr(catalog, section)]
        for section in ("remedies", "causes", "symptoms", "sources", "red_flags", "levels")
    }


def _plain(value: Any) -> Any:
    """A model as JSON-ready data: records become dicts, tuples lists."""
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _catalog_from(data: dict[str, Any], layers: Sequence[Layer]) -> Catalog:
    from backcare.models import Category, Level, SourceKind, Stance

    def remedy(d: dict[str, Any]) -> Remedy:
        return Remedy(
            **{
                **d,
                "category": Category(d["category"]),
                "cautions": tuple(Caution(**c) for c in d["cautions"]),
                "evidence": tuple(
                    Evidence(**{**e, "stance": Stance(e["stance"])}) for e in d["evidence"]
                ),
                **{k: tuple(d[k]) for k in _REMEDY_TUPLES},
            }
        )

    return Catalog(
        remedies=tuple(remedy(d) for d in data["remedies"]),
        causes=tuple(Term(**d) for d in data["causes"]),
        symptoms=tuple(Term(**d) for d in data["symptoms"]),
        sources=tuple(Source(**{**d, "kind": SourceKind(d["kind"])}) for d in data["sources"]),
        red_flags=tuple(
            RedFlag(**{**d, "level": Level(d["level"]), "sources": tuple(d["sources"])})
            for d in data["red_flags"]
        ),
        levels=tuple(
            LevelAdvice(
                **{
                    **d,
                    "level": Level(d["level"]),
                    "meanwhile": tuple(d["meanwhile"]),
                    "sources": tuple(d["sources"]),
                }
            )
            for d in data["levels"]
        ),
        layers=tuple(layers),
    )


_REMEDY_TUPLES = ("steps", "causes", "symptoms", "see_a_doctor", "sources", "keywords", "red_flags")
