"""Load content layers into one validated ``Catalog``.

Layers apply in order (built-in first): a later layer adds new entries and
replaces same-slug entries of earlier ones, except the built-in warning signs,
their levels and the sources they cite, which are safety content and are never
replaced. Links are checked once all layers are merged, so a user's remedy may
point at built-in causes and sources.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backcare.errors import ContentError
from backcare.escape import shown
from backcare.findings import Code, Finding, limit_per_file
from backcare.forked import map_in_two
from backcare.models import Catalog, Layer
from backcare.schema import SECTIONS, Broken, Document, Entry, parse_document
from backcare.yamlsafe import read_file

# Layers that the user named explicitly must exist and hold content; the per-user
# folder is optional.
_OPTIONAL_LAYERS = frozenset({"user"})
BUILTIN = "built-in"
VALIDATE = "validate"
# Sections whose built-in entries no later layer may replace: warning signs are safety
# content, and a replaced source would change what built-in advice is said to rest on.
PROTECTED_SECTIONS = ("sources", "red_flags", "levels")
# Sections that only the built-in content may hold at all: emergency numbers, and when
# to get pain looked at, are safety content that no other layer may add to or change.
BUILTIN_ONLY_SECTIONS = ("regions", "recovery", "review_points", "scope", "diary_rules")


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
    broken: list[Broken] = []
    # The built-in warning signs, levels and sources, which no later layer may replace.
    protected: dict[str, dict[str, Entry[Any]]] = {section: {} for section in PROTECTED_SECTIONS}
    # The files the built-in entries come from, to tell built-in entries from others.
    builtin_files: set[str] = set()
    for layer in layers:
        if not layer.exists:
            findings.extend(_missing_layer(layer))
            continue
        document = _read_layer(layer, findings)
        for section in SECTIONS:
            for entry in getattr(document, section):
                if section in BUILTIN_ONLY_SECTIONS and not _is_builtin(
                    layer, entry.path, builtin_files
                ):
                    findings.append(_builtin_only(section, entry))
                    broken.append(
                        Broken(
                            section, entry.key, entry.path, entry.line, entry.column, entry.links
                        )
                    )
                    continue
                original = protected.get(section, {}).get(entry.key)
                if original is None:
                    merged[section][entry.key] = entry
                    continue
                if not _same_file(entry.path, original.path):
                    findings.append(_replaces_protected(section, entry.key, entry))
                broken.append(
                    Broken(section, entry.key, entry.path, entry.line, entry.column, entry.links)
                )
        for rejected in document.broken:
            if rejected.section in BUILTIN_ONLY_SECTIONS and not _is_builtin(
                layer, rejected.path, builtin_files
            ):
                findings.append(_builtin_only(rejected.section, rejected))
            original = protected.get(rejected.section, {}).get(rejected.key or "")
            if original is not None and not _same_file(rejected.path, original.path):
                findings.append(_replaces_protected(rejected.section, original.key, rejected))
        broken.extend(document.broken)
        if layer.label == BUILTIN:
            for section, entries in protected.items():
                entries.update((entry.key, entry) for entry in getattr(document, section))
            builtin_files.update(e.path for section in SECTIONS for e in getattr(document, section))
            builtin_files.update(b.path for b in document.broken)
    findings.extend(_check_links(merged, broken, builtin_files))
    findings = limit_per_file(list(dict.fromkeys(findings)))
    catalog = Catalog(
        remedies=tuple(e.model for e in merged["remedies"].values()),
        causes=tuple(e.model for e in merged["causes"].values()),
        symptoms=tuple(e.model for e in merged["symptoms"].values()),
        sources=tuple(e.model for e in merged["sources"].values()),
        red_flags=tuple(e.model for e in merged["red_flags"].values()),
        levels=tuple(e.model for e in merged["levels"].values()),
        layers=tuple(layers),
        exercises=tuple(e.model for e in merged["exercises"].values()),
        regions=tuple(e.model for e in merged["regions"].values()),
        recovery=tuple(e.model for e in merged["recovery"].values()),
        review_points=tuple(e.model for e in merged["review_points"].values()),
        scope=tuple(e.model for e in merged["scope"].values()),
        diary_rules=tuple(e.model for e in merged["diary_rules"].values()),
        plan_texts=tuple(e.model for e in merged["plan"].values()),
    )
    findings.sort(key=lambda f: (f.path, f.line, f.column))
    return LoadResult(catalog, findings)


def _missing_layer(layer: Layer) -> list[Finding]:
    """What is wrong with a layer that is not there: missing, or not to be looked at."""
    from backcare.paths import unreadable_reason

    # A folder that is there but may not be read is reported, the per-user one too:
    # otherwise its content would be skipped without a word.
    reason = layer.problem or unreadable_reason(layer.path)
    if reason is not None:
        return [Finding(layer.path, 0, 0, Code.UNREADABLE, f"cannot be read: {reason}")]
    if layer.label in _OPTIONAL_LAYERS:
        return []  # the per-user folder need not exist; ``validate`` names it when asked to
    return [Finding(layer.path, 0, 0, Code.MISSING_LAYER, "does not exist")]


def _replaces_protected(section: str, key: str, entry: Entry[Any] | Broken) -> Finding:
    if section == "sources":
        message = (
            f"source '{key}' would replace a built-in source that built-in warning signs,"
            " levels and remedies cite, so the built-in source stays (give yours an id of"
            " its own)"
        )
    elif section == "levels":
        message = (
            f"level '{key}' would replace the built-in one; warning signs and their levels"
            " are safety content, so the built-in level stays"
        )
    else:
        message = (
            f"red flag '{key}' would replace a built-in warning sign; warning signs are"
            " safety content, so the built-in one stays (give a new sign an id of its own)"
        )
    return Finding(entry.path, entry.line, entry.column, Code.PROTECTED, message)


def _is_builtin(layer: Layer, path: str, builtin_files: Set[str]) -> bool:
    """Whether an entry is built-in: from the built-in layer, or a built-in file named again."""
    return layer.label == BUILTIN or any(_same_file(path, known) for known in builtin_files)


def _builtin_only(section: str, entry: Entry[Any] | Broken) -> Finding:
    return Finding(
        entry.path,
        entry.line,
        entry.column,
        Code.BUILTIN_ONLY,
        f"only the built-in content may define {section.replace('_', ' ')}: emergency numbers,"
        " who the guide is for and when to get pain looked at are safety content, so this"
        " entry is not used",
    )


def _same_file(one: str, other: str) -> bool:
    """Whether two paths name one file (a built-in file named again, e.g. by validate)."""
    return one == other or os.path.realpath(one) == os.path.realpath(other)


def _read_layer(layer: Layer, findings: list[Finding]) -> Document:
    """Parse every file of one layer; within a layer a slug may appear only once."""
    from backcare.paths import scan_layer

    seen: dict[str, dict[str, tuple[str, int]]] = {section: {} for section in SECTIONS}
    layer_document = Document()
    scan = scan_layer(Path(layer.path))
    findings.extend(scan.findings)
    if not scan.files and not scan.findings and layer.label not in _OPTIONAL_LAYERS:
        findings.append(
            Finding(
                layer.path,
                0,
                0,
                Code.NO_CONTENT_FILES,
                "no content files found; content files are YAML files ending in .yaml or .yml",
            )
        )
    describe = layer.describe()
    sizes = [_size(path) for path in scan.files]
    parsed = map_in_two(lambda path: _parse_file(path, describe), scan.files, sizes)
    for problems, document in parsed:
        findings.extend(problems)
        if document is None:
            continue
        # In file order, so that the second of two entries with one slug is the one reported.
        placed: list[tuple[int, int, str, Entry[Any] | Broken]] = [
            (entry.line, entry.column, section, entry)
            for section in SECTIONS
            for entry in getattr(document, section)
        ]
        placed.extend((b.line, b.column, b.section, b) for b in document.broken)
        for _, _, section, item in sorted(placed, key=lambda p: (p[0], p[1])):
            if isinstance(item, Broken):
                if item.key is not None:
                    _is_repeated(seen, section, item.key, item, findings)
                layer_document.broken.append(item)
            elif _is_repeated(seen, section, item.key, item, findings):
                layer_document.broken.append(
                    Broken(section, item.key, item.path, item.line, item.column, item.links)
                )
            else:
                getattr(layer_document, section).append(item)
    return layer_document


def _parse_file(path: Path, describe: str) -> tuple[list[Finding], Document | None]:
    """One file read and checked against the schema: its findings, and what it defines."""
    root, problems = read_file(path)
    if root is None:
        return problems, None
    document, more = parse_document(root, str(path), describe)
    return [*problems, *more], document


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0


def _is_repeated(
    seen: dict[str, dict[str, tuple[str, int]]],
    section: str,
    key: str,
    entry: Entry[Any] | Broken,
    findings: list[Finding],
) -> bool:
    """Whether ``key`` is already taken in this layer (reporting it if so); takes it if not."""
    first = seen[section].get(key)
    if first is None:
        seen[section][key] = (entry.path, entry.line)
        return False
    findings.append(
        Finding(
            entry.path,
            entry.line,
            entry.column,
            Code.DUPLICATE_ID,
            f"'{key}' is defined twice in this layer (first at {shown(first[0])}:{first[1]})",
        )
    )
    return True


_LINK_SECTIONS = {
    "cause": "causes",
    "symptom": "symptoms",
    "source": "sources",
    "red flag": "red_flags",
    "exercise": "exercises",
}

# How a remedy's vocabulary links are named, to say where a misfiled link belongs.
_LINK_WORDS = {
    "cause": ("a cause", "causes"),
    "symptom": ("a symptom", "symptoms"),
    "red flag": ("a warning sign", "red_flags"),
}


def _check_links(
    merged: dict[str, dict[str, Entry[Any]]],
    broken: Sequence[Broken] = (),
    builtin_files: Set[str] = frozenset(),
) -> list[Finding]:
    """Unknown links and red-flag ids that clash with symptoms, in every entry.

    Entries that were not applied (``broken``) are checked too, so one mistake
    in an entry does not hide another; their keys count as known, so a link to
    an entry with problems of its own is not reported a second time. A clash
    is reported at the entry that is not built-in (entries from
    ``builtin_files`` are), so that validating the other layer shows it.
    """
    known: dict[str, dict[str, None]] = {
        section: dict.fromkeys(entries) for section, entries in merged.items()
    }
    for rejected in broken:
        if rejected.key is not None:
            known[rejected.section].setdefault(rejected.key)
    carriers: list[Entry[Any] | Broken] = [
        entry for section in SECTIONS for entry in merged[section].values()
    ]
    carriers.extend(broken)
    findings: list[Finding] = []
    for carrier in carriers:
        for link in carrier.links:
            if link.target in known[_LINK_SECTIONS[link.kind]]:
                continue
            findings.append(
                Finding(
                    carrier.path,
                    link.line,
                    link.column,
                    Code.UNKNOWN_LINK,
                    _unknown_link_message(link.kind, link.target, known),
                )
            )
    symptoms = _by_key("symptoms", merged, broken)

    def is_builtin(item: Entry[Any] | Broken) -> bool:  # asked only of clashes, which are rare
        return any(_same_file(item.path, path) for path in builtin_files)

    for key, flags in _by_key("red_flags", merged, broken).items():
        clashing = symptoms.get(key, [])
        if not clashing:
            continue
        own = [symptom for symptom in clashing if not is_builtin(symptom)]
        for flag in flags:
            if own and is_builtin(flag):
                # A built-in sign and a layer's symptom: the layer's entry is the mistake.
                findings.extend(_symptom_clash(symptom, key) for symptom in own)
                continue
            findings.append(
                Finding(
                    flag.path,
                    flag.line,
                    flag.column,
                    Code.ID_CLASH,
                    f"red flag '{key}' has the same id as a symptom;"
                    " 'suggest --symptom' could not tell them apart",
                )
            )
    remedies = _by_key("remedies", merged, broken)
    for key, exercises in _by_key("exercises", merged, broken).items():
        if key in remedies:
            findings.extend(_exercise_clash(exercise, key) for exercise in exercises)
    return findings


def _exercise_clash(exercise: Entry[Any] | Broken, key: str) -> Finding:
    return Finding(
        exercise.path,
        exercise.line,
        exercise.column,
        Code.EXERCISE_CLASH,
        f"exercise '{key}' has the same slug as a remedy; the diary records both by slug"
        " and could not tell them apart (give the exercise a slug of its own)",
    )


def _by_key(
    section: str, merged: dict[str, dict[str, Entry[Any]]], broken: Sequence[Broken]
) -> dict[str, list[Entry[Any] | Broken]]:
    """Every entry of ``section``, applied or not, by its slug or id (when readable)."""
    found: dict[str, list[Entry[Any] | Broken]] = {}
    items: list[Entry[Any] | Broken] = [*merged[section].values()]
    items.extend(b for b in broken if b.section == section)
    for item in items:
        if item.key is not None:
            found.setdefault(item.key, []).append(item)
    return found


def _symptom_clash(symptom: Entry[Any] | Broken, key: str) -> Finding:
    return Finding(
        symptom.path,
        symptom.line,
        symptom.column,
        Code.ID_CLASH,
        f"symptom '{key}' has the same slug as the built-in red flag '{key}';"
        " 'suggest --symptom' could not tell them apart (give the symptom a slug of its own)",
    )


def _unknown_link_message(kind: str, target: str, known: dict[str, dict[str, None]]) -> str:
    """Why a link does not resolve: unknown, or a known entry of another kind."""
    if kind in _LINK_WORDS:
        for other, (article, field_name) in _LINK_WORDS.items():
            if other != kind and target in known[_LINK_SECTIONS[other]]:
                return (
                    f"'{target}' is {article}, not {_LINK_WORDS[kind][0]};"
                    f" link it under {field_name}"
                )
    close = difflib.get_close_matches(target, list(known[_LINK_SECTIONS[kind]]), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown {kind} '{target}'{hint}"


def validation_layers(layers: Sequence[Layer], targets: Sequence[Path]) -> list[Layer]:
    """``layers`` plus each target that is not already one of them, as a layer of its own.

    Targets go on top, so their links may point at built-in and configured content.
    A target that is the optional per-user folder is held to a named layer's rules
    when it is missing or holds no content file, so that it is reported.
    """
    from backcare.paths import exists, scan_layer

    result = list(layers)
    known = {os.path.realpath(layer.path): index for index, layer in enumerate(result)}
    for target in targets:
        real = os.path.realpath(target)
        index = known.get(real)
        if index is None:
            known[real] = len(result)
            result.append(Layer(label=VALIDATE, path=str(target), exists=exists(target)))
            continue
        layer = result[index]
        if layer.label in _OPTIONAL_LAYERS and (
            not layer.exists or not scan_layer(Path(layer.path)).files
        ):
            result[index] = layer._replace(label=VALIDATE)
    return result


def within(findings: Sequence[Finding], targets: Sequence[Path]) -> list[Finding]:
    """The findings in files at or below ``targets`` (all of them when there are none)."""
    if not targets:
        return list(findings)
    # A file is within a target if its path is, as named or with links resolved: a
    # linked file whose target lies elsewhere (stow-style dotfiles, a dangling
    # link) is still a file of the folder that holds the link, as loading found.
    named = [Path(os.path.abspath(t)) for t in targets]
    real = [Path(os.path.realpath(t)) for t in targets]
    return [
        f
        for f in findings
        if _is_within(Path(os.path.abspath(f.path)), named)
        or _is_within(Path(os.path.realpath(f.path)), real)
    ]


def validate(layers: Sequence[Layer], targets: Sequence[Path] = ()) -> list[Finding]:
    """Every problem in ``targets`` (or, when none are given, in ``layers``)."""
    return within(load(validation_layers(layers, targets)).findings, targets)


def _is_within(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)
