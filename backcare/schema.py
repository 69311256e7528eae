"""The content format: which fields each entry has, and how they become models.

Each YAML file is a mapping whose keys are among ``SECTIONS``; each section is
a list of entries. ``parse_document`` checks every field of every entry and
reports every problem, not only the first, so that ``backcare validate`` can
explain all of a file's mistakes at once. Links between entries (a remedy's
causes, a caution's source) are collected here and resolved later, once all
layers are known.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, NamedTuple, TypeVar

from backcare.findings import Code, Finding
from backcare.models import (
    Category,
    Caution,
    DiaryRule,
    Duration,
    Evidence,
    Exercise,
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
from backcare.yamlsafe import Mapping, Node, Scalar, Sequence, excerpt

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 64
MAX_NAME = 80
MAX_SUMMARY = 160
MAX_TEXT = 1000
MAX_URL = 300
# The largest text figure of an exercise: small enough for a 60-column terminal.
FIGURE_LINES = 8
FIGURE_WIDTH = 40
# The bounds of an exercise's dose: (smallest, largest) for each number.
DOSE_RANGES: dict[str, tuple[int, int]] = {
    "hold_seconds": (0, 120),
    "reps": (1, 30),
    "sets": (1, 5),
    "times_a_day": (1, 6),
}
MAX_DAYS = 3650
# The stand-ins text may hold for the reader's emergency number and urgent advice
# service, filled in from the region in effect (see query.localize).
PLACEHOLDERS = ("emergency", "urgent")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# A telephone number as dialled: digits, at most 15 (the international limit).
_PHONE = re.compile(r"[0-9]{2,15}")
_TERRITORY = re.compile(r"[A-Z]{2}")

T = TypeVar("T")
# A kind of entry's fields: name -> (reader, required).
_Fields = dict[str, tuple[Callable[[Node], Any], bool]]


class _Spec(NamedTuple):
    """A kind of entry's fields, ready for reading: readers by name, required names in order."""

    readers: dict[str, Callable[[Node], Any]]
    required: tuple[str, ...]
    required_set: frozenset[str]


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and
# a large layer has tens of thousands of links. Nothing changes one once made, so
# it may still be hashed by its fields, as a frozen one would be.
@dataclass(slots=True, unsafe_hash=True)
class Link:
    """A reference from one entry to another, kept with its place for error messages."""

    kind: str  # "cause", "symptom", "source", "red flag" or "exercise"
    target: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Entry(Generic[T]):
    """A model parsed from a file, with its place and the links it makes."""

    key: str
    model: T
    path: str
    line: int
    column: int
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Broken:
    """An entry that is not applied: it failed its checks, or its key was already taken.

    It is kept, with its key when that was readable and the links it makes, so
    that validation still checks those links and that key.
    """

    section: str
    key: str | None
    path: str
    line: int
    column: int
    links: tuple[Link, ...] = ()


@dataclass
class Document:
    """Everything one file defines, and the entries it tried to define but could not."""

    remedies: list[Entry[Remedy]] = field(default_factory=list)
    causes: list[Entry[Term]] = field(default_factory=list)
    symptoms: list[Entry[Term]] = field(default_factory=list)
    sources: list[Entry[Source]] = field(default_factory=list)
    red_flags: list[Entry[RedFlag]] = field(default_factory=list)
    levels: list[Entry[LevelAdvice]] = field(default_factory=list)
    exercises: list[Entry[Exercise]] = field(default_factory=list)
    regions: list[Entry[Region]] = field(default_factory=list)
    recovery: list[Entry[RecoveryItem]] = field(default_factory=list)
    review_points: list[Entry[ReviewPoint]] = field(default_factory=list)
    scope: list[Entry[ScopeQuestion]] = field(default_factory=list)
    diary_rules: list[Entry[DiaryRule]] = field(default_factory=list)
    plan: list[Entry[PlanText]] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)


class _Invalid(Exception):
    """A field's value is unusable; the finding is already recorded."""


class _Reader:
    """Parses one document, collecting findings and links as it goes."""

    def __init__(self, path: str, origin: str) -> None:
        self.path = path
        self.origin = origin
        self.findings: list[Finding] = []
        self.links: list[Link] = []
        # Each kind of entry's field readers, made once per file rather than per entry.
        self._specs: dict[Callable[[_Reader], _Fields], _Spec] = {}
        # Slugs already found well-formed in this file: links repeat the same few.
        self._slugs: set[str] = set()

    def fields(self, make: Callable[[_Reader], _Fields]) -> _Spec:
        """The field readers ``make`` builds for this reader, built on first use."""
        spec = self._specs.get(make)
        if spec is None:
            spec = self._specs[make] = _spec(make(self))
        return spec

    def problem(self, node: Node | tuple[int, int], code: Code, message: str) -> None:
        line, column = node if isinstance(node, tuple) else (node.line, node.column)
        self.findings.append(Finding(self.path, line, column, code, message))

    # Field readers: each returns a value or raises _Invalid after recording why.

    def text(
        self,
        node: Node,
        limit: int = MAX_TEXT,
        *,
        one_line: bool = False,
        placeholders: tuple[str, ...] = PLACEHOLDERS,
    ) -> str:
        if type(node) is Scalar:
            value = node.value
            if type(value) is str:
                # The common case, answered without the checks that only explain a problem.
                value = value.strip()
                if value and len(value) <= limit and "{" not in value:
                    return " ".join(value.split()) if one_line else value
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            self.problem(node, Code.WRONG_TYPE, f"expected text, found {_describe(node)}")
            raise _Invalid
        value = node.value.strip()
        if not value:
            self.problem(node, Code.EMPTY_TEXT, "text is empty")
            raise _Invalid
        if len(value) > limit:
            self.problem(
                node, Code.TEXT_TOO_LONG, f"text is {len(value)} characters; the limit is {limit}"
            )
            raise _Invalid
        for found in _PLACEHOLDER.finditer(value):
            if found.group(1) not in placeholders:
                known = ", ".join(f"{{{name}}}" for name in placeholders)
                self.problem(
                    node,
                    Code.UNKNOWN_PLACEHOLDER,
                    f"unknown placeholder '{_short(found.group(0))}'; text may hold {known}"
                    + _did_you_mean(found.group(1), placeholders),
                )
                raise _Invalid
        if one_line:
            value = " ".join(value.split())
        return value

    def phone(self, node: Node) -> str:
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            self.problem(
                node, Code.WRONG_TYPE, f"expected a number in quotes, found {_describe(node)}"
            )
            raise _Invalid
        if not _PHONE.fullmatch(node.value):
            self.problem(
                node,
                Code.BAD_PHONE_NUMBER,
                f"'{_short(node.value)}' is not a telephone number as dialled"
                " (2 to 15 digits, no spaces or signs)",
            )
            raise _Invalid
        return node.value

    def territory(self, node: Node) -> str:
        if (
            not isinstance(node, Scalar)
            or not isinstance(node.value, str)
            or not _TERRITORY.fullmatch(node.value)
        ):
            self.problem(
                node,
                Code.WRONG_TYPE,
                f"expected a two-letter country code such as AU, found {_describe(node)}",
            )
            raise _Invalid
        return node.value

    def days(self, node: Node) -> int:
        if (
            not isinstance(node, Scalar)
            or isinstance(node.value, bool)
            or not isinstance(node.value, int)
            or not 1 <= node.value <= MAX_DAYS
        ):
            self.problem(
                node,
                Code.WRONG_TYPE,
                f"expected a number of days from 1 to {MAX_DAYS}, found {_describe(node)}",
            )
            raise _Invalid
        return node.value

    def slug(self, node: Node) -> str:
        if type(node) is Scalar and node.value in self._slugs:
            return node.value
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            self.problem(node, Code.WRONG_TYPE, f"expected a slug, found {_describe(node)}")
            raise _Invalid
        value = node.value
        if len(value) > MAX_SLUG or not SLUG.fullmatch(value):
            self.problem(
                node,
                Code.BAD_SLUG,
                f"'{_short(value)}' is not a slug (lowercase letters and digits joined by"
                " single hyphens, at most 64 characters)",
            )
            raise _Invalid
        self._slugs.add(value)
        return value

    def link(self, kind: str) -> Callable[[Node], str]:
        def read(node: Node) -> str:
            target = self.slug(node)
            self.links.append(Link(kind, target, node.line, node.column))
            return target

        return read

    def url(self, node: Node) -> str:
        value = self.text(node, MAX_URL, one_line=True)
        if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
            self.problem(
                node, Code.WRONG_TYPE, f"'{_short(value)}' is not a web address (http or https)"
            )
            raise _Invalid
        return value

    def year(self, node: Node) -> int:
        if (
            not isinstance(node, Scalar)
            or isinstance(node.value, bool)
            or not isinstance(node.value, int)
        ):
            self.problem(node, Code.WRONG_TYPE, f"expected a year, found {_describe(node)}")
            raise _Invalid
        if not 1800 <= node.value <= 2200:
            self.problem(node, Code.WRONG_TYPE, f"{node.value} is not a plausible year")
            raise _Invalid
        return node.value

    def number(self, low: int, high: int) -> Callable[[Node], int]:
        def read(node: Node) -> int:
            value = node.value if isinstance(node, Scalar) else None
            if isinstance(value, bool) or not isinstance(value, int):
                self.problem(
                    node, Code.WRONG_TYPE, f"expected a whole number, found {_describe(node)}"
                )
                raise _Invalid
            if not low <= value <= high:
                self.problem(
                    node, Code.OUT_OF_RANGE, f"{value} is out of range; it must be {low} to {high}"
                )
                raise _Invalid
            return value

        return read

    def figure(self, node: Node) -> str:
        """A small drawing: its lines kept as written (indents too), trailing blanks dropped."""
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            self.problem(node, Code.WRONG_TYPE, f"expected text, found {_describe(node)}")
            raise _Invalid
        lines = [line.rstrip() for line in node.value.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        if not lines:
            self.problem(node, Code.EMPTY_TEXT, "text is empty")
            raise _Invalid
        widest = max(len(line) for line in lines)
        if len(lines) > FIGURE_LINES or widest > FIGURE_WIDTH or "\t" in node.value:
            self.problem(
                node,
                Code.FIGURE_TOO_LARGE,
                f"the figure is {len(lines)} lines of up to {widest} characters"
                + (" with a tab" if "\t" in node.value else "")
                + f"; the limit is {FIGURE_LINES} lines of {FIGURE_WIDTH}, without tabs",
            )
            raise _Invalid
        return "\n".join(lines)

    def choice(self, enum: type[Enum]) -> Callable[[Node], Any]:
        def read(node: Node) -> Any:
            if isinstance(node, Scalar) and isinstance(node.value, str):
                member = enum._value2member_map_.get(node.value)
                if member is not None:  # the common case, without building the message
                    return member
            allowed = [str(member.value) for member in enum]
            if not isinstance(node, Scalar) or not isinstance(node.value, str):
                self.problem(node, Code.WRONG_TYPE, f"expected one of {', '.join(allowed)}")
                raise _Invalid
            try:
                return enum(node.value)
            except ValueError:
                self.problem(
                    node,
                    Code.BAD_CHOICE,
                    f"'{_short(node.value)}' is not one of {', '.join(allowed)}"
                    + _did_you_mean(node.value, allowed),
                )
                raise _Invalid from None

        return read

    def many(
        self, item: Callable[[Node], T], *, minimum: int = 0
    ) -> Callable[[Node], tuple[T, ...]]:
        def read(node: Node) -> tuple[T, ...]:
            if not isinstance(node, Sequence):
                self.problem(node, Code.WRONG_TYPE, f"expected a list, found {_describe(node)}")
                raise _Invalid
            values: list[T] = []
            ok = not node.refused  # an item was unreadable; already reported
            for child in node.items:
                try:
                    values.append(item(child))
                except _Invalid:
                    ok = False
            if not ok:
                raise _Invalid
            if len(values) < minimum:
                self.problem(
                    node, Code.EMPTY_TEXT, f"needs at least {minimum} item{'s' * (minimum > 1)}"
                )
                raise _Invalid
            return tuple(values)

        return read

    def record(self, node: Node, what: str, fields: _Fields | _Spec) -> dict[str, Any]:
        """Read a mapping by ``fields`` (name -> (reader, required)); raise if any field failed."""
        if not isinstance(node, Mapping):
            self.problem(node, Code.SHAPE, f"each {what} must be a mapping of fields")
            raise _Invalid
        spec = fields if isinstance(fields, _Spec) else _spec(fields)
        readers = spec.readers
        keys = node.keys
        items = node.items
        ok = len(items) == len(keys)  # else a value was unreadable; already reported
        if not keys.keys() <= readers.keys():
            ok = False
            for key, where in keys.items():
                if key not in readers:
                    self.problem(
                        where,
                        Code.UNKNOWN_FIELD,
                        f"unknown field '{_short(key)}' in a {what}" + _did_you_mean(key, readers),
                    )
        if not spec.required_set <= keys.keys():
            ok = False
            for name in spec.required:
                if name not in keys:
                    self.problem(node, Code.MISSING_FIELD, f"{what} is missing '{name}'")
        values: dict[str, Any] = {}
        for name, child in items.items():
            read = readers.get(name)
            if read is not None:
                try:
                    values[name] = read(child)
                except _Invalid:
                    ok = False
        if not ok:
            raise _Invalid
        return values


def _spec(fields: _Fields) -> _Spec:
    required = tuple(name for name, (_, needed) in fields.items() if needed)
    return _Spec({name: read for name, (read, _) in fields.items()}, required, frozenset(required))


def parse_document(root: Node, path: str, origin: str) -> tuple[Document, list[Finding]]:
    """Turn one file's data into entries, reporting every problem found."""
    reader = _Reader(path, origin)
    document = Document()
    if not isinstance(root, Mapping):
        reader.problem(
            root,
            Code.SHAPE,
            f"a content file must be a mapping with sections ({', '.join(SECTIONS)})",
        )
        return document, reader.findings
    for key, where in root.keys.items():
        if key not in SECTIONS:
            reader.problem(
                where,
                Code.UNKNOWN_FIELD,
                f"unknown section '{_short(key)}'; sections are {', '.join(SECTIONS)}"
                + _did_you_mean(key, SECTIONS),
            )
    for section, (what, parse) in SECTIONS.items():
        node = root.items.get(section)
        if node is None:
            continue
        if not isinstance(node, Sequence):
            reader.problem(node, Code.SHAPE, f"section '{section}' must be a list of {what}s")
            continue
        entries: list[Entry[Any]] = getattr(document, section)
        for item in node.items:
            reader.links = []
            try:
                key, model = parse(reader, item)
            except _Invalid:
                document.broken.append(
                    Broken(
                        section,
                        readable_key(section, item),
                        path,
                        item.line,
                        item.column,
                        tuple(reader.links),
                    )
                )
                continue
            entries.append(Entry(key, model, path, item.line, item.column, tuple(reader.links)))
    return document, reader.findings


# The field that names an entry of each section, and so must be unique in a layer.
KEY_FIELDS = {
    "sources": "id",
    "causes": "slug",
    "symptoms": "slug",
    "red_flags": "id",
    "levels": "level",
    "remedies": "slug",
    "exercises": "slug",
    "regions": "id",
    "recovery": "id",
    "review_points": "id",
    "scope": "id",
    "diary_rules": "id",
    "plan": "id",
}


def readable_key(section: str, node: Node) -> str | None:
    """An entry's slug, id or level as written, when it is valid, else None.

    Read straight from the data, reporting nothing: the entry's own checks
    have already said what is wrong with it.
    """
    if not isinstance(node, Mapping):
        return None
    value = node.items.get(KEY_FIELDS[section])
    if not isinstance(value, Scalar) or not isinstance(value.value, str):
        return None
    key = value.value
    if section == "levels":
        return key if key in {level.value for level in Level} else None
    return key if len(key) <= MAX_SLUG and SLUG.fullmatch(key) else None


def _source_fields(r: _Reader) -> _Fields:
    return {
        "id": (r.slug, True),
        "title": (lambda n: r.text(n, MAX_SUMMARY * 2, one_line=True), True),
        "publisher": (lambda n: r.text(n, MAX_SUMMARY, one_line=True), True),
        "kind": (r.choice(SourceKind), True),
        "year": (r.year, False),
        "url": (r.url, False),
        "note": (lambda n: r.text(n, MAX_SUMMARY * 2, one_line=True), False),
    }


def _parse_source(r: _Reader, node: Node) -> tuple[str, Source]:
    v = r.record(node, "source", r.fields(_source_fields))
    return v["id"], Source(origin=r.origin, **v)


def _term_fields(r: _Reader) -> _Fields:
    return {
        "slug": (r.slug, True),
        "name": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
        "description": (r.text, True),
    }


def _parse_term(what: str) -> Callable[[_Reader, Node], tuple[str, Term]]:
    def parse(r: _Reader, node: Node) -> tuple[str, Term]:
        v = r.record(node, what, r.fields(_term_fields))
        return v["slug"], Term(origin=r.origin, **v)

    return parse


def _parse_red_flag(r: _Reader, node: Node) -> tuple[str, RedFlag]:
    v = r.record(
        node,
        "red flag",
        {
            "id": (r.slug, True),
            "level": (r.choice(Level), True),
            "name": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
            "question": (lambda n: r.text(n, MAX_SUMMARY * 2, one_line=True), True),
            "action": (r.text, True),
            "sources": (r.many(r.link("source"), minimum=1), True),
            "also_called": (r.many(lambda n: r.text(n, MAX_NAME, one_line=True)), False),
        },
    )
    return v["id"], RedFlag(origin=r.origin, **{"also_called": (), **v})


def _parse_level(r: _Reader, node: Node) -> tuple[str, LevelAdvice]:
    # Self-care is never the answer to an emergency sign, so that level offers none.
    advice = node.items.get("meanwhile") if isinstance(node, Mapping) else None
    emergency = readable_key("levels", node) == Level.EMERGENCY.value
    offers_self_care = isinstance(advice, Sequence) and bool(advice.items or advice.refused)
    if emergency and offers_self_care and advice is not None:
        r.problem(
            advice,
            Code.EMERGENCY_SELF_CARE,
            "the emergency level may hold no self-care advice; leave 'meanwhile' empty ([]),"
            " since the only advice for an emergency sign is to get help now",
        )
    v = r.record(
        node,
        "level",
        {
            "level": (r.choice(Level), True),
            "heading": (lambda n: r.text(n, MAX_SUMMARY, one_line=True), True),
            "meanwhile": (r.many(r.text), True),
            "sources": (r.many(r.link("source"), minimum=1), True),
        },
    )
    if emergency and offers_self_care:
        raise _Invalid
    return v["level"].value, LevelAdvice(origin=r.origin, **v)


def _evidence_fields(r: _Reader) -> _Fields:
    return {
        "source": (r.link("source"), True),
        "stance": (r.choice(Stance), True),
        "note": (r.text, True),
        "topic": (lambda t: r.text(t, MAX_NAME, one_line=True), False),
        "duration": (r.choice(Duration), False),
        "strength": (r.choice(Strength), False),
        "quality": (r.choice(Quality), False),
    }


def _remedy_fields(r: _Reader) -> _Fields:
    texts = r.many(r.text, minimum=1)

    def evidence(n: Node) -> Evidence:
        return Evidence(**r.record(n, "evidence entry", r.fields(_evidence_fields)))

    return {
        "slug": (r.slug, True),
        "name": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
        "category": (r.choice(Category), True),
        "summary": (lambda n: r.text(n, MAX_SUMMARY, one_line=True), True),
        "description": (r.text, True),
        "steps": (texts, True),
        "causes": (r.many(r.link("cause")), True),
        "symptoms": (r.many(r.link("symptom")), True),
        "cautions": (r.many(lambda n: _parse_caution(r, n)), False),
        "see_a_doctor": (texts, False),
        "evidence": (r.many(evidence), False),
        "sources": (r.many(r.link("source")), False),
        "keywords": (r.many(lambda n: r.text(n, MAX_NAME, one_line=True)), False),
        "red_flags": (r.many(r.link("red flag")), False),
        "exercises": (r.many(r.link("exercise")), False),
    }


def _parse_remedy(r: _Reader, node: Node) -> tuple[str, Remedy]:
    v = r.record(node, "remedy", r.fields(_remedy_fields))
    return v["slug"], Remedy(origin=r.origin, **{**_REMEDY_DEFAULTS, **v})


def _caution_fields(r: _Reader) -> _Fields:
    return {"text": (r.text, True), "source": (r.link("source"), True)}


def _parse_caution(r: _Reader, n: Node) -> Caution:
    return Caution(**r.record(n, "caution", r.fields(_caution_fields)))


def _exercise_fields(r: _Reader) -> _Fields:
    texts = r.many(r.text, minimum=1)
    dose = {name: r.number(*bounds) for name, bounds in DOSE_RANGES.items()}
    return {
        "slug": (r.slug, True),
        "name": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
        "purpose": (lambda n: r.text(n, MAX_SUMMARY, one_line=True), True),
        "position": (r.text, True),
        "steps": (texts, True),
        "hold_seconds": (dose["hold_seconds"], True),
        "reps": (dose["reps"], True),
        "sets": (dose["sets"], True),
        "times_a_day": (dose["times_a_day"], True),
        "easier": (r.text, True),
        "easier_hold_seconds": (dose["hold_seconds"], False),
        "easier_reps": (dose["reps"], False),
        "easier_sets": (dose["sets"], False),
        "cautions": (r.many(lambda n: _parse_caution(r, n)), False),
        "stop_if": (texts, True),
        "sources": (r.many(r.link("source"), minimum=1), True),
        "figure": (r.figure, False),
        "keywords": (r.many(lambda n: r.text(n, MAX_NAME, one_line=True)), False),
    }


def _parse_exercise(r: _Reader, node: Node) -> tuple[str, Exercise]:
    v = r.record(node, "exercise", r.fields(_exercise_fields))
    return v["slug"], Exercise(origin=r.origin, **{"cautions": (), "keywords": (), **v})


# What each kind of diary rule needs besides its id, name, advice, sources and days.
_RULE_NEEDS: dict[RuleKind, tuple[str, ...]] = {
    RuleKind.WARNING_SIGN_IN_NOTE: (),
    RuleKind.NO_BETTER: ("level", "pain"),
    RuleKind.RISING: ("level", "points"),
    RuleKind.SEVERE_DAYS_RUNNING: ("level", "pain"),
}


def _parse_diary_rule(r: _Reader, node: Node) -> tuple[str, DiaryRule]:
    v = r.record(
        node,
        "diary rule",
        {
            "id": (r.slug, True),
            "kind": (r.choice(RuleKind), True),
            "level": (r.choice(Level), False),
            "name": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
            "advice": (lambda n: r.text(n, MAX_SUMMARY * 2, one_line=True), True),
            "sources": (r.many(r.link("source"), minimum=1), True),
            "days": (r.number(1, 366), True),
            "pain": (r.number(0, 10), False),
            "points": (r.number(1, 10), False),
        },
    )
    needs = _RULE_NEEDS[v["kind"]]
    missing = [name for name in needs if name not in v]
    extra = [name for name in ("level", "pain", "points") if name in v and name not in needs]
    for name in missing:
        r.problem(node, Code.MISSING_FIELD, f"a {v['kind'].value} diary rule needs '{name}'")
    for name in extra:
        r.problem(
            node.keys[name],  # type: ignore[union-attr]
            Code.UNKNOWN_FIELD,
            f"a {v['kind'].value} diary rule takes no '{name}'",
        )
    if missing or extra:
        raise _Invalid
    return v["id"], DiaryRule(origin=r.origin, **{"level": None, **v})


# The optional lists of a remedy, empty when a file leaves them out.
_REMEDY_DEFAULTS: dict[str, tuple[()]] = {
    "cautions": (),
    "see_a_doctor": (),
    "evidence": (),
    "sources": (),
    "keywords": (),
    "red_flags": (),
    "exercises": (),
}


def _parse_region(r: _Reader, node: Node) -> tuple[str, Region]:
    v = r.record(
        node,
        "region",
        {
            "id": (r.slug, True),
            "name": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
            "emergency": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
            "emergency_numbers": (r.many(r.phone, minimum=1), True),
            "urgent": (lambda n: r.text(n, MAX_SUMMARY, one_line=True), True),
            "territories": (r.many(r.territory), True),
            "sources": (r.many(r.link("source"), minimum=1), True),
        },
    )
    return v["id"], Region(origin=r.origin, **v)


def _parse_recovery(r: _Reader, node: Node) -> tuple[str, RecoveryItem]:
    v = r.record(
        node,
        "recovery item",
        {
            "id": (r.slug, True),
            "title": (lambda n: r.text(n, MAX_NAME, one_line=True), True),
            "summary": (lambda n: r.text(n, MAX_SUMMARY, one_line=True), True),
            "text": (r.text, True),
            "sources": (r.many(r.link("source"), minimum=1), True),
        },
    )
    return v["id"], RecoveryItem(origin=r.origin, **v)


def _parse_review_point(r: _Reader, node: Node) -> tuple[str, ReviewPoint]:
    v = r.record(
        node,
        "review point",
        {
            "id": (r.slug, True),
            "after_days": (r.days, True),
            "level": (r.choice(ReviewLevel), True),
            "text": (r.text, True),
            "sources": (r.many(r.link("source"), minimum=1), True),
        },
    )
    return v["id"], ReviewPoint(origin=r.origin, **v)


def _parse_scope(r: _Reader, node: Node) -> tuple[str, ScopeQuestion]:
    v = r.record(
        node,
        "scope question",
        {
            "id": (r.slug, True),
            "question": (lambda n: r.text(n, MAX_SUMMARY * 2, one_line=True), True),
            "action": (r.text, True),
            "sources": (r.many(r.link("source"), minimum=1), True),
        },
    )
    return v["id"], ScopeQuestion(origin=r.origin, **v)


# What a plan text may ask the plan to fill in; anything else in braces is a mistake.
PLAN_PLACEHOLDERS = ("minutes", "repetitions", "date", "urgent")
MAX_PLAN_NUMBER = 365


def _parse_plan_text(r: _Reader, node: Node) -> tuple[str, PlanText]:
    def wording(n: Node) -> str:
        return r.text(n, MAX_SUMMARY * 2, one_line=True, placeholders=PLAN_PLACEHOLDERS)

    def numbers(n: Node) -> tuple[tuple[str, int], ...]:
        if not isinstance(n, Mapping):
            r.problem(n, Code.WRONG_TYPE, f"expected a mapping of numbers, found {_describe(n)}")
            raise _Invalid
        values: list[tuple[str, int]] = []
        for key, child in n.items.items():
            if (
                not isinstance(child, Scalar)
                or isinstance(child.value, bool)
                or not isinstance(child.value, int)
                or not 0 <= child.value <= MAX_PLAN_NUMBER
            ):
                r.problem(
                    child,
                    Code.WRONG_TYPE,
                    f"'{_short(key)}' must be a whole number from 0 to {MAX_PLAN_NUMBER},"
                    f" found {_describe(child)}",
                )
                raise _Invalid
            values.append((key, child.value))
        return tuple(values)

    v = r.record(
        node,
        "plan text",
        {
            "id": (r.slug, True),
            "part": (r.choice(PlanPart), True),
            "text": (wording, True),
            "gentle": (wording, False),
            "numbers": (numbers, False),
            "sources": (r.many(r.link("source"), minimum=1), True),
        },
    )
    return v["id"], PlanText(origin=r.origin, **v)


SECTIONS: dict[str, tuple[str, Callable[[_Reader, Node], tuple[str, Any]]]] = {
    "sources": ("source", _parse_source),
    "causes": ("cause", _parse_term("cause")),
    "symptoms": ("symptom", _parse_term("symptom")),
    "red_flags": ("red flag", _parse_red_flag),
    "levels": ("level", _parse_level),
    "remedies": ("remedy", _parse_remedy),
    "exercises": ("exercise", _parse_exercise),
    "regions": ("region", _parse_region),
    "recovery": ("recovery item", _parse_recovery),
    "review_points": ("review point", _parse_review_point),
    "scope": ("scope question", _parse_scope),
    "diary_rules": ("diary rule", _parse_diary_rule),
    "plan": ("plan text", _parse_plan_text),
}


def _describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    if node.value is None:
        return "nothing"
    if isinstance(node.value, bool):
        return f"true/false ({str(node.value).lower()})"
    if isinstance(node.value, (int, float)):
        return f"a number ({node.value})"
    return f"'{_short(node.value)}'"


def _short(text: str, limit: int = 40) -> str:
    return excerpt(text, limit)


def _did_you_mean(word: str, known: Any) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
