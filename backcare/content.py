"""Load content layers into one validated ``Catalog``.

Layers apply in order (built-in first): a later layer adds new entries and
replaces same-slug entries of earlier ones. Links are checked once all layers
are merged, so a user's remedy may point at built-in causes and sources.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backcare.errors import ContentError
from backcare.findings import Code, Finding, limit_per_file
from backcare.models import Catalog, Layer
from backcare.schema import SECTIONS, Document, Entry, parse_document
from backcare.yamlsafe import read_file

# Layers that the user named explicitly must exist; the per-user folder is optional.
_OPTIONAL_LAYERS = frozenset({"user"})


@dataclass
class LoadResult:
    """The merged catalog and every problem met on the way."""

    catalog: Catalog
    findings: list[Finding] = field(default_factory=list)


def load_catalog(layers: Sequence[Layer]) -> Catalog:
    """Load and merge ``layers``; raise ``ContentError`` on any problem."""
    result = load(layers)
    if result.findings:
        raise ContentError(result.findings)
    return result.catalog


def load(layers: Sequence[Layer]) -> LoadResult:
    """Load and merge ``layers``, collecting every finding instead of stopping at one."""
    findings: list[Finding] = []
    merged: dict[str, dict[str, Entry[Any]]] = {section: {} for section in SECTIONS}
    for layer in layers:
        if not layer.exists:
            if layer.label not in _OPTIONAL_LAYERS:
                findings.append(Finding(layer.path, 0, 0, Code.MISSING_LAYER, "does not exist"))
            continue
        document = _read_layer(layer, findings)
        for section in SECTIONS:
            for entry in getattr(document, section):
                merged[section][entry.key] = entry
    findings.extend(_check_links(merged))
    findings = limit_per_file(list(dict.fromkeys(findings)))
    catalog = Catalog(
        remedies=tuple(e.model for e in merged["remedies"].values()),
        causes=tuple(e.model for e in merged["causes"].values()),
        symptoms=tuple(e.model for e in merged["symptoms"].values()),
        sources=tuple(e.model for e in merged["sources"].values()),
        red_flags=tuple(e.model for e in merged["red_flags"].values()),
        levels=tuple(e.model for e in merged["levels"].values()),
        layers=tuple(layers),
    )
    findings.sort(key=lambda f: (f.path, f.line, f.column))
    return LoadResult(catalog, findings)


def _read_layer(layer: Layer, findings: list[Finding]) -> Document:
    """Parse every file of one layer; within a layer a slug may appear only once."""
    from backcare.paths import scan_layer

    seen: dict[str, dict[str, Entry[Any]]] = {section: {} for section in SECTIONS}
    layer_document = Document()
    scan = scan_layer(Path(layer.path))
    findings.extend(scan.findings)
    for path in scan.files:
        root, problems = read_file(path)
        findings.extend(problems)
        if root is None:
            continue
        document, problems = parse_document(root, str(path), layer.describe())
        findings.extend(problems)
        for section in SECTIONS:
            for entry in getattr(document, section):
                first = seen[section].get(entry.key)
                if first is not None:
                    findings.append(
                        Finding(
                            entry.path,
                            entry.line,
                            entry.column,
                            Code.DUPLICATE_ID,
                            f"'{entry.key}' is defined twice in this layer"
                            f" (first at {first.path}:{first.line})",
                        )
                    )
                    continue
                seen[section][entry.key] = entry
                getattr(layer_document, section).append(entry)
    return layer_document


_LINK_SECTIONS = {
    "cause": "causes",
    "symptom": "symptoms",
    "source": "sources",
    "red flag": "red_flags",
}


def _check_links(merged: dict[str, dict[str, Entry[Any]]]) -> list[Finding]:
    findings: list[Finding] = []
    for section in SECTIONS:
        for entry in merged[section].values():
            for link in entry.links:
                known = merged[_LINK_SECTIONS[link.kind]]
                if link.target in known:
                    continue
                close = difflib.get_close_matches(link.target, list(known), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                findings.append(
                    Finding(
                        entry.path,
                        link.line,
                        link.column,
                        Code.UNKNOWN_LINK,
                        f"unknown {link.kind} '{link.target}'{hint}",
                    )
                )
    for flag_id, entry in merged["red_flags"].items():
        if flag_id in merged["symptoms"]:
            findings.append(
                Finding(
                    entry.path,
                    entry.line,
                    entry.column,
                    Code.ID_CLASH,
                    f"red flag '{flag_id}' has the same id as a symptom;"
                    " 'suggest --symptom' could not tell them apart",
                )
            )
    return findings


def validation_layers(layers: Sequence[Layer], targets: Sequence[Path]) -> list[Layer]:
    """``layers`` plus each target that is not already one of them, as a layer of its own.

    Targets go on top, so their links may point at built-in and configured content.
    """
    known = {os.path.realpath(layer.path) for layer in layers}
    extra = [
        Layer(label="validate", path=str(t), exists=t.exists())
        for t in targets
        if os.path.realpath(t) not in known
    ]
    return [*layers, *extra]


def within(findings: Sequence[Finding], targets: Sequence[Path]) -> list[Finding]:
    """The findings in files at or below ``targets`` (all of them when there are none)."""
    if not targets:
        return list(findings)
    roots = [Path(os.path.realpath(t)) for t in targets]
    return [f for f in findings if _is_within(Path(os.path.realpath(f.path)), roots)]


def validate(layers: Sequence[Layer], targets: Sequence[Path] = ()) -> list[Finding]:
    """Every problem in ``targets`` (or, when none are given, in ``layers``)."""
    return within(load(validation_layers(layers, targets)).findings, targets)


def _is_within(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)
