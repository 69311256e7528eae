"""The content's typed, immutable models.

The loader builds these from YAML after validating it; nothing else creates
them, and nothing changes them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Category(str, Enum):
    """What kind of remedy it is."""

    AT_HOME = "at-home"
    PROFESSIONAL = "professional"
    LIFESTYLE = "lifestyle"
    DEVICE = "device"
    MEDICATION = "medication"


class Stance(str, Enum):
    """What one source says about one remedy."""

    RECOMMENDED = "recommended"
    CONSIDER = "consider"
    ONLY_WITH_EXERCISE = "only-with-exercise"
    NOT_RECOMMENDED = "not-recommended"
    INSUFFICIENT_EVIDENCE = "insufficient-evidence"
    NOT_ADDRESSED = "not-addressed"


class Rating(str, Enum):
    """A remedy's overall standing, derived from its guideline stances (see query.rate)."""

    SUPPORTED = "supported"
    CONDITIONAL = "conditional"
    MIXED = "mixed"
    AGAINST = "against"
    UNASSESSED = "unassessed"


class Level(str, Enum):
    """How soon a red flag needs a professional, most urgent first."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"


class SourceKind(str, Enum):
    """What a source is; only guidelines count towards a remedy's rating."""

    GUIDELINE = "guideline"
    ARTICLE = "article"
    WEBSITE = "website"
    REVIEW = "review"
    TRIAL = "trial"


@dataclass(frozen=True, slots=True)
class Source:
    """A publication that content cites by ``id``."""

    id: str
    title: str
    publisher: str
    kind: SourceKind
    year: int | None = None
    url: str | None = None
    note: str | None = None
    origin: str = "built-in"


@dataclass(frozen=True, slots=True)
class Term:
    """An entry of a vocabulary: a cause or a symptom."""

    slug: str
    name: str
    description: str
    origin: str = "built-in"


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A warning sign that self-care is not enough."""

    id: str
    level: Level
    name: str
    question: str
    action: str
    sources: tuple[str, ...]
    origin: str = "built-in"


@dataclass(frozen=True, slots=True)
class LevelAdvice:
    """What to do at one red-flag level, and what is safe meanwhile."""

    level: Level
    heading: str
    meanwhile: tuple[str, ...]
    sources: tuple[str, ...]
    origin: str = "built-in"


@dataclass(frozen=True, slots=True)
class Caution:
    """A safety note and the source it rests on."""

    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one source says about a remedy (optionally about one ``topic`` of it)."""

    source: str
    stance: Stance
    note: str
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class Remedy:
    """One self-care remedy, in full."""

    slug: str
    name: str
    category: Category
    summary: str
    description: str
    steps: tuple[str, ...]
    causes: tuple[str, ...]
    symptoms: tuple[str, ...]
    cautions: tuple[Caution, ...]
    see_a_doctor: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    origin: str = "built-in"


@dataclass(frozen=True, slots=True)
class Layer:
    """One folder of content, in the order layers apply (built-in first)."""

    label: str
    path: str
    exists: bool


@dataclass(frozen=True)
class Catalog:
    """All content after layering: later layers replace same-slug entries."""

    remedies: tuple[Remedy, ...]
    causes: tuple[Term, ...]
    symptoms: tuple[Term, ...]
    sources: tuple[Source, ...]
    red_flags: tuple[RedFlag, ...]
    levels: tuple[LevelAdvice, ...] = ()
    layers: tuple[Layer, ...] = ()
    remedy_by_slug: dict[str, Remedy] = field(init=False, repr=False, compare=False)
    cause_by_slug: dict[str, Term] = field(init=False, repr=False, compare=False)
    symptom_by_slug: dict[str, Term] = field(init=False, repr=False, compare=False)
    source_by_id: dict[str, Source] = field(init=False, repr=False, compare=False)
    red_flag_by_id: dict[str, RedFlag] = field(init=False, repr=False, compare=False)
    advice_by_level: dict[Level, LevelAdvice] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Indexes for lookups; derived, so they are built here rather than passed in.
        object.__setattr__(self, "remedy_by_slug", {r.slug: r for r in self.remedies})
        object.__setattr__(self, "cause_by_slug", {c.slug: c for c in self.causes})
        object.__setattr__(self, "symptom_by_slug", {s.slug: s for s in self.symptoms})
        object.__setattr__(self, "source_by_id", {s.id: s for s in self.sources})
        object.__setattr__(self, "red_flag_by_id", {f.id: f for f in self.red_flags})
        object.__setattr__(self, "advice_by_level", {a.level: a for a in self.levels})
