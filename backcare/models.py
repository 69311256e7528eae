"""The content's typed, immutable models.

The loader builds these from YAML after validating it; nothing else creates
them, and nothing changes them afterwards.

The records are ``NamedTuple`` classes rather than frozen dataclasses: both
are typed and immutable, but creating a dataclass class costs about 1 ms at
import (it generates and compiles its methods) against 0.07 ms for a
NamedTuple, and every run imports these. See the README's "Performance".
"""

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from enum import Enum
from types import MappingProxyType
from typing import NamedTuple


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


class Duration(str, Enum):
    """How long-lasting the back pain is that an evidence entry is about."""

    ACUTE = "acute"  # acute and subacute pain, up to about 12 weeks
    CHRONIC = "chronic"  # long-lasting pain, over about 12 weeks
    ANY = "any"  # any duration, or the source does not say


class Strength(str, Enum):
    """How strongly a guideline makes a recommendation (the ACP's grading)."""

    STRONG = "strong"
    WEAK = "weak"


class Quality(str, Enum):
    """The quality of the evidence behind a recommendation (the ACP's grading)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


class ReviewLevel(str, Enum):
    """Whom a review point sends the reader to."""

    ADVICE = "advice"  # a pharmacist or an urgent advice line
    DOCTOR = "doctor"  # a GP or other doctor


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


class Source(NamedTuple):
    """A publication that content cites by ``id``."""

    id: str
    title: str
    publisher: str
    kind: SourceKind
    year: int | None = None
    url: str | None = None
    note: str | None = None
    origin: str = "built-in"


class Term(NamedTuple):
    """An entry of a vocabulary: a cause or a symptom."""

    slug: str
    name: str
    description: str
    origin: str = "built-in"


class RedFlag(NamedTuple):
    """A warning sign that self-care is not enough."""

    id: str
    level: Level
    name: str
    question: str
    action: str
    sources: tuple[str, ...]
    # Everyday phrases that name the sign too ("numbness in the groin").
    also_called: tuple[str, ...] = ()
    origin: str = "built-in"


class LevelAdvice(NamedTuple):
    """What to do at one red-flag level, and what is safe meanwhile."""

    level: Level
    heading: str
    meanwhile: tuple[str, ...]
    sources: tuple[str, ...]
    origin: str = "built-in"


class Caution(NamedTuple):
    """A safety note and the source it rests on."""

    text: str
    source: str


class Evidence(NamedTuple):
    """What one source says about a remedy (optionally about one ``topic`` of it).

    ``duration`` says whether it is about acute, chronic or any back pain; only
    acute and any-duration entries set a remedy's rating (see query.rate).
    ``strength`` and ``quality`` record a guideline's own grading, when it gives one.
    """

    source: str
    stance: Stance
    note: str
    topic: str | None = None
    duration: Duration = Duration.ANY
    strength: Strength | None = None
    quality: Quality | None = None


class Remedy(NamedTuple):
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
    exercises: tuple[str, ...] = ()
    origin: str = "built-in"


class Exercise(NamedTuple):
    """One gentle exercise, with its dose, as the routine walks through it.

    ``hold_seconds`` is how long each repetition is held (0: a movement done at
    one's own pace, such as a walk, which the routine does not time);
    ``easier_hold_seconds`` is the hold of the easier variant. ``figure`` is a
    small text drawing of the position; nothing depends on it, since
    ``position`` and ``steps`` say everything in words.
    """

    slug: str
    name: str
    purpose: str
    position: str
    steps: tuple[str, ...]
    hold_seconds: int
    reps: int
    sets: int
    times_a_day: int
    easier: str
    cautions: tuple[Caution, ...]
    stop_if: tuple[str, ...]
    sources: tuple[str, ...]
    easier_hold_seconds: int | None = None
    easier_reps: int | None = None
    easier_sets: int | None = None
    figure: str | None = None
    keywords: tuple[str, ...] = ()
    origin: str = "built-in"


class Region(NamedTuple):
    """Where the reader lives: the emergency number and urgent advice service to name."""

    id: str
    name: str
    emergency: str  # what follows "Call" on an emergency card
    emergency_numbers: tuple[str, ...]
    urgent: str  # what follows "get urgent advice from" on an urgent card
    territories: tuple[str, ...]  # locale countries (en_AU -> AU) that select it
    sources: tuple[str, ...]
    origin: str = "built-in"


class RecoveryItem(NamedTuple):
    """One piece of advice on what to expect while back pain gets better."""

    id: str
    title: str
    summary: str
    text: str
    sources: tuple[str, ...]
    origin: str = "built-in"


class ReviewPoint(NamedTuple):
    """When to get pain that is not getting better looked at, and by whom."""

    id: str
    after_days: int  # days from the start of the episode
    level: ReviewLevel
    text: str
    sources: tuple[str, ...]
    origin: str = "built-in"


class ScopeQuestion(NamedTuple):
    """A question that says whether the guide is for the reader at all (asked first)."""

    id: str
    question: str  # a yes/no question; "yes" means the guide is not for them
    action: str  # where to go instead
    sources: tuple[str, ...]
    origin: str = "built-in"


class RuleKind(str, Enum):
    """What a diary rule looks for in the record (see ``query.trends``)."""

    WARNING_SIGN_IN_NOTE = "warning-sign-in-note"
    NO_BETTER = "no-better"
    RISING = "rising"
    SEVERE_DAYS_RUNNING = "severe-days-running"


class DiaryRule(NamedTuple):
    """When the diary says it is time to see someone: one rule, its thresholds and sources.

    ``level`` is None only for ``warning-sign-in-note``, which takes the level
    of the warning sign a note names. ``days`` is the span the rule looks at;
    ``pain`` a pain threshold; ``points`` how much pain must rise.
    """

    id: str
    kind: RuleKind
    level: Level | None
    name: str
    advice: str
    sources: tuple[str, ...]
    days: int
    pain: int | None = None
    points: int | None = None
    origin: str = "built-in"


class PlanPart(str, Enum):
    """Which piece of a week's plan a plan text words."""

    WALKING = "walking"
    EXERCISES = "exercises"
    AVOID = "avoid"
    REVIEW_FIRST = "review-first"
    REVIEW_DOCTOR = "review-doctor"
    WORSE = "worse"
    BETTER = "better"
    STEADY = "steady"


class PlanText(NamedTuple):
    """The wording of one piece of the week's plan, and the numbers its rule uses.

    ``text`` may hold placeholders (``{minutes}``, ``{date}``...) that the plan
    fills in; ``gentle`` is the wording for a week when the diary shows the
    pain getting worse. ``numbers`` are the rule's figures (``start``, ``step``,
    ``every``, ``days``...), as written in content.
    """

    id: str
    part: PlanPart
    text: str
    sources: tuple[str, ...]
    gentle: str | None = None
    numbers: tuple[tuple[str, int], ...] = ()
    origin: str = "built-in"

    def number(self, name: str, default: int = 0) -> int:
        """One of the rule's figures, or ``default`` when content leaves it out."""
        return dict(self.numbers).get(name, default)


class Layer(NamedTuple):
    """One folder of content, in the order layers apply (built-in first)."""

    label: str
    path: str
    exists: bool
    # Why the folder cannot be read, when it is there but may not be looked into.
    problem: str | None = None

    def describe(self) -> str:
        """How entries name the layer they came from: ``built-in``, or label and folder.

        The folder's name is escaped (see ``names.shown``), so that it can be shown as it is.
        """
        if self.label == "built-in":
            return self.label
        from backcare.escape import shown

        return f"{self.label} ({shown(self.path)})"


class Catalog:
    """All content after layering: later layers replace same-slug entries.

    Read-only once built; the ``*_by_*`` mappings index the tuples.
    """

    __slots__ = (
        "advice_by_level",
        "cause_by_slug",
        "causes",
        "diary_rules",
        "exercise_by_slug",
        "exercises",
        "layers",
        "levels",
        "plan_texts",
        "recovery",
        "red_flag_by_id",
        "red_flags",
        "region_by_id",
        "regions",
        "remedies",
        "remedy_by_slug",
        "review_points",
        "scope",
        "source_by_id",
        "sources",
        "symptom_by_slug",
        "symptoms",
    )

    remedies: tuple[Remedy, ...]
    causes: tuple[Term, ...]
    symptoms: tuple[Term, ...]
    sources: tuple[Source, ...]
    red_flags: tuple[RedFlag, ...]
    levels: tuple[LevelAdvice, ...]
    layers: tuple[Layer, ...]
    exercises: tuple[Exercise, ...]
    regions: tuple[Region, ...]
    recovery: tuple[RecoveryItem, ...]
    review_points: tuple[ReviewPoint, ...]
    scope: tuple[ScopeQuestion, ...]
    region_by_id: Mapping[str, Region]
    diary_rules: tuple[DiaryRule, ...]
    plan_texts: tuple[PlanText, ...]
    remedy_by_slug: Mapping[str, Remedy]
    cause_by_slug: Mapping[str, Term]
    symptom_by_slug: Mapping[str, Term]
    source_by_id: Mapping[str, Source]
    red_flag_by_id: Mapping[str, RedFlag]
    advice_by_level: Mapping[Level, LevelAdvice]
    exercise_by_slug: Mapping[str, Exercise]

    def __init__(
        self,
        remedies: tuple[Remedy, ...],
        causes: tuple[Term, ...],
        symptoms: tuple[Term, ...],
        sources: tuple[Source, ...],
        red_flags: tuple[RedFlag, ...],
        levels: tuple[LevelAdvice, ...] = (),
        layers: tuple[Layer, ...] = (),
        exercises: tuple[Exercise, ...] = (),
        regions: tuple[Region, ...] = (),
        recovery: tuple[RecoveryItem, ...] = (),
        review_points: tuple[ReviewPoint, ...] = (),
        scope: tuple[ScopeQuestion, ...] = (),
        diary_rules: tuple[DiaryRule, ...] = (),
        plan_texts: tuple[PlanText, ...] = (),
    ) -> None:
        values = {
            "remedies": remedies,
            "causes": causes,
            "symptoms": symptoms,
            "sources": sources,
            "red_flags": red_flags,
            "levels": levels,
            "layers": layers,
            "exercises": exercises,
            "regions": regions,
            "recovery": recovery,
            "review_points": tuple(sorted(review_points, key=lambda p: p.after_days)),
            "scope": scope,
            "region_by_id": MappingProxyType({r.id: r for r in regions}),
            "diary_rules": diary_rules,
            "plan_texts": plan_texts,
            "remedy_by_slug": MappingProxyType({r.slug: r for r in remedies}),
            "cause_by_slug": MappingProxyType({c.slug: c for c in causes}),
            "symptom_by_slug": MappingProxyType({s.slug: s for s in symptoms}),
            "source_by_id": MappingProxyType({s.id: s for s in sources}),
            "red_flag_by_id": MappingProxyType({f.id: f for f in red_flags}),
            "advice_by_level": MappingProxyType({a.level: a for a in levels}),
            "exercise_by_slug": MappingProxyType({e.slug: e for e in exercises}),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Catalog is read-only; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"Catalog({len(self.remedies)} remedies, {len(self.layers)} layers)"


class DiaryEntry(NamedTuple):
    """One entry of the pain diary.

    ``at`` is aware and in UTC; ``utc_offset_minutes`` is the local offset when
    the entry was made, so the entry keeps its local day across time zones and
    daylight-saving changes.
    """

    id: str  # uuid4 hex; import de-duplicates by it
    at: datetime
    utc_offset_minutes: int
    pain: int  # 0..10 numeric rating scale
    limits: int | None  # 0..10: how much the pain stops normal activities
    tried: tuple[str, ...]  # remedy or exercise slugs; "exercise" for a routine
    note: str

    @property
    def local(self) -> datetime:
        """The local wall-clock time when the entry was made (aware, with its own offset)."""
        return local_time(self.at, self.utc_offset_minutes)


class CheckRecord(NamedTuple):
    """One saved warning-sign screening: each question's answer and the level it led to."""

    id: str
    at: datetime
    utc_offset_minutes: int
    answers: tuple[tuple[str, str], ...]  # red-flag id -> "yes", "no" or "unsure"
    level: Level | None

    @property
    def local(self) -> datetime:
        """The local wall-clock time of the screening (aware, with its own offset)."""
        return local_time(self.at, self.utc_offset_minutes)


def local_time(at: datetime, utc_offset_minutes: int) -> datetime:
    """``at`` seen on a clock ``utc_offset_minutes`` ahead of UTC."""
    zone = _ZONES.get(utc_offset_minutes)
    if zone is None:  # a diary holds few offsets: make each zone once
        zone = _ZONES[utc_offset_minutes] = timezone(timedelta(minutes=utc_offset_minutes))
    return at.astimezone(zone)


_ZONES: dict[int, timezone] = {}
