"""A plan for the week: pure rules over causes, symptoms, the diary and a date.

The same inputs and the same start date always give the same plan. Every
sentence of it comes from content (the ``plan`` section and the remedies);
the rules here only choose, count and date them.

The diary comes in as the store's records, already read: nothing here
touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from backcare import query
from backcare.models import (
    Catalog,
    CheckRecord,
    DiaryEntry,
    Level,
    LevelAdvice,
    PlanPart,
    PlanText,
    Rating,
    RedFlag,
    ReviewLevel,
    Term,
    local_time,
)
from backcare.query.trends import daily, note_red_flags

DAYS = 7
# How many remedies the plan names: enough to choose from, few enough to act on.
MAX_REMEDIES = 3
# The diary window the plan reads: notes and a saved check older than this are history.
RECENT_DAYS = 14
# The days the trend reads: the last week.
TREND_WINDOW = 7
# Pain this high on this many days running counts as rising, whatever the average says.
SEVERE_PAIN = 8
SEVERE_DAYS = 3
# A gap in the diary longer than this ends one episode of pain.
EPISODE_GAP = 7


class Trend(NamedTuple):
    """Which way the pain is going over the last week of the diary."""

    direction: PlanPart  # WORSE, BETTER or STEADY
    first: float  # the average pain of the first days compared
    last: float  # and of the last days
    days: int  # how many days of entries the comparison read


class PlanDay(NamedTuple):
    """One day of the plan: its activity goals, worded."""

    day: date
    minutes: int
    repetitions: int
    walking: str
    exercises: str


class Review(NamedTuple):
    """A date by which to see someone if the pain is no better."""

    day: date
    part: PlanPart  # REVIEW_FIRST or REVIEW_DOCTOR
    text: str


class PlanRemedy(NamedTuple):
    """A remedy the plan suggests, with its rating."""

    slug: str
    name: str
    summary: str
    rating: Rating


class Plan(NamedTuple):
    """A week's plan; a warning sign given or recorded puts its card first.

    With an emergency or urgent sign, ``days``, ``remedies`` and ``avoid`` are
    empty: self-care is not the answer, and the card says what is. With a
    see-a-doctor-soon sign, the card comes first and the plan follows.
    """

    start: date
    causes: tuple[Term, ...]
    symptoms: tuple[Term, ...]
    flags: tuple[RedFlag, ...] = ()
    recorded: tuple[str, ...] = ()  # where recorded flags came from: "diary", "check"
    advice: LevelAdvice | None = None
    days: tuple[PlanDay, ...] = ()
    exercises: tuple[tuple[str, str], ...] = ()  # the routine's exercises: (slug, name)
    remedies: tuple[PlanRemedy, ...] = ()
    avoid: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()
    trend: Trend | None = None
    diary_note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def level(self) -> Level | None:
        """The most urgent level among the warning signs, if any."""
        return query.most_urgent(self.flags)


# --- the diary ------------------------------------------------------------------------


def local_day(at: datetime, utc_offset_minutes: int) -> date:
    """The person's own calendar day for a moment recorded in UTC with its offset."""
    return local_time(at, utc_offset_minutes).date()


def trend(entries: Iterable[DiaryEntry], today: date) -> Trend | None:
    """Rising, easing or about the same over the last week; None with under two days of entries.

    The diary's own trend (``trends.trend``) over the last seven days, where
    pain of 8 or more on three days running counts as rising too.
    """
    from backcare.query.trends import trend as diary_trend

    since = today - timedelta(days=TREND_WINDOW - 1)
    days = [d for d in daily(entries) if since <= d.day <= today]
    moved = diary_trend(days)
    if moved is None:
        return None
    severe = len(days) >= SEVERE_DAYS and all(d.worst >= SEVERE_PAIN for d in days[-SEVERE_DAYS:])
    direction = {"up": PlanPart.WORSE, "down": PlanPart.BETTER}.get(moved.direction)
    if severe:
        direction = PlanPart.WORSE
    return Trend(
        direction or PlanPart.STEADY, round(moved.start, 1), round(moved.end, 1), len(days)
    )


def episode_start(entries: Iterable[DiaryEntry], today: date) -> date:
    """The first day of the current spell of pain: today without a diary.

    Going back from the newest day, a gap of more than a week without entries
    ends the spell.
    """
    days = sorted({d.day for d in daily(entries) if d.day <= today and d.worst > 0}, reverse=True)
    if not days or (today - days[0]).days > EPISODE_GAP:
        return today
    start = days[0]
    for day in days[1:]:
        if (start - day).days > EPISODE_GAP:
            break
        start = day
    return start


def recorded_flags(
    catalog: Catalog,
    entries: Iterable[DiaryEntry],
    last_check: CheckRecord | None,
    today: date,
) -> tuple[tuple[RedFlag, ...], tuple[str, ...]]:
    """The warning signs named in the last two weeks' notes or answered yes in a recent check.

    Returns the signs, most urgent first, and where they were found.
    """
    since = today - timedelta(days=RECENT_DAYS)
    flags: dict[str, RedFlag] = {}
    where: list[str] = []
    for entry in entries:
        if local_day(entry.at, entry.utc_offset_minutes) >= since:
            for flag in note_red_flags(catalog, entry.note):
                flags.setdefault(flag.id, flag)
                where.append("diary")
    if last_check is not None and local_day(last_check.at, last_check.utc_offset_minutes) >= since:
        for flag_id, answer in last_check.answers:
            if answer == "yes" and flag_id in catalog.red_flag_by_id:
                flags.setdefault(flag_id, catalog.red_flag_by_id[flag_id])
                where.append("check")
    ordered = sorted(flags.values(), key=lambda f: query.LEVEL_ORDER[f.level])
    return tuple(ordered), tuple(dict.fromkeys(where))


# --- the plan ---------------------------------------------------------------------------


def fill(text: str, values: Mapping[str, str]) -> str:
    """A plan text with its placeholders filled in; an unknown one stays as written."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


def long_date(day: date) -> str:
    """A date as a person reads it: ``Wednesday 16 December``."""
    return f"{day:%A} {day.day} {day:%B}"


def texts(catalog: Catalog, part: PlanPart) -> list[PlanText]:
    """The plan texts for one part, in content order."""
    return [t for t in catalog.plan_texts if t.part is part]


def build_plan(
    catalog: Catalog,
    causes: Sequence[str],
    symptoms: Sequence[str],
    start: date,
    entries: Sequence[DiaryEntry] = (),
    last_check: CheckRecord | None = None,
    urgent: str | None = None,
) -> Plan:
    """The plan for the seven days from ``start``.

    Causes and symptoms are resolved as ``suggest`` resolves them; a warning
    sign among them, in a recent diary note or in a recent saved check gives
    the sign's card: instead of a plan for an emergency or urgent sign, before
    it for a see-a-doctor-soon sign. Rising pain in the diary keeps the
    goals at their gentle start and brings the review dates closer. ``urgent``
    is the reader's region's words for urgent advice (the generic region's
    otherwise).
    """
    given: tuple[Term, ...] = ()
    given_symptoms: tuple[Term, ...] = ()
    flags: tuple[RedFlag, ...] = ()
    matches: Sequence[query.Match] = ()
    if causes or symptoms:
        suggestion = query.suggest(catalog, causes, symptoms)
        given, given_symptoms, flags = suggestion.causes, suggestion.symptoms, suggestion.red_flags
        matches = suggestion.matches
    past = [e for e in entries if local_day(e.at, e.utc_offset_minutes) <= start]
    recorded, where = recorded_flags(catalog, past, last_check, start)
    every = {f.id: f for f in (*flags, *recorded)}
    ordered = tuple(sorted(every.values(), key=lambda f: query.LEVEL_ORDER[f.level]))
    level = query.most_urgent(ordered)
    advice = catalog.advice_by_level.get(level) if level is not None else None
    if level in (Level.EMERGENCY, Level.URGENT):
        return Plan(start, given, given_symptoms, ordered, where, advice)
    # A see-a-doctor-soon sign comes first, and the week's self-care goes on meanwhile,
    # as suggest lists remedies under such a card.

    direction = trend(past, start)
    worse = direction is not None and direction.direction is PlanPart.WORSE
    used: list[PlanText] = []
    days = _days(catalog, start, worse, used)
    reviews = _reviews(catalog, start, episode_start(past, start), worse, urgent, used)
    note_text = texts(catalog, direction.direction) if direction else []
    used.extend(note_text[:1])
    avoid = texts(catalog, PlanPart.AVOID)
    used.extend(avoid)
    return Plan(
        start=start,
        causes=given,
        symptoms=given_symptoms,
        flags=ordered,
        recorded=where if ordered else (),
        advice=advice,
        days=days,
        exercises=_routine(catalog),
        remedies=_remedies(catalog, matches if (causes or symptoms) else None),
        avoid=tuple(t.text for t in avoid),
        reviews=reviews,
        trend=direction,
        diary_note=note_text[0].text if note_text else None,
        sources=tuple(dict.fromkeys(s for t in used for s in t.sources)),
    )


def _days(catalog: Catalog, start: date, worse: bool, used: list[PlanText]) -> tuple[PlanDay, ...]:
    walking = texts(catalog, PlanPart.WALKING)[:1]
    exercises = texts(catalog, PlanPart.EXERCISES)[:1]
    used.extend((*walking, *exercises))
    result = []
    for offset in range(DAYS):
        minutes = _goal(walking[0], offset, worse) if walking else 0
        repetitions = _goal(exercises[0], offset, worse) if exercises else 0
        values = {"minutes": str(minutes), "repetitions": str(repetitions)}
        result.append(
            PlanDay(
                start + timedelta(days=offset),
                minutes,
                repetitions,
                _wording(walking[0], worse, values) if walking else "",
                _wording(exercises[0], worse, values) if exercises else "",
            )
        )
    return tuple(result)


def _routine(catalog: Catalog) -> tuple[tuple[str, str], ...]:
    """The exercises of ``backcare routine``, which the daily exercise goal means.

    The walk, done at one's own pace, is the walking goal, so it is not among them.
    """
    from backcare.errors import NotFoundError
    from backcare.query.exercises import routine_exercises

    try:
        return tuple((e.slug, e.name) for e in routine_exercises(catalog))
    except NotFoundError:
        return ()


def _goal(text: PlanText, offset: int, worse: bool) -> int:
    """A day's goal: it grows by ``step`` every ``every`` days, or holds at the gentle start."""
    start = text.number("start")
    if worse:
        return text.number("gentle_start", start)
    every = max(1, text.number("every", 1))
    return start + text.number("step") * (offset // every)


def _wording(text: PlanText, worse: bool, values: Mapping[str, str]) -> str:
    return fill(text.gentle if worse and text.gentle else text.text, values)


# Which review point of the content each review of the plan follows.
_REVIEW_PARTS = {
    ReviewLevel.ADVICE: PlanPart.REVIEW_FIRST,
    ReviewLevel.DOCTOR: PlanPart.REVIEW_DOCTOR,
}


def _reviews(
    catalog: Catalog,
    start: date,
    episode: date,
    worse: bool,
    urgent: str | None,
    used: list[PlanText],
) -> tuple[Review, ...]:
    """A date for each review point (the first of each level), dated from the first day of pain.

    A date already past is today; with the pain rising, each comes no later
    than its plan text's ``sooner`` days from today.
    """
    from backcare.query.region import generic

    words = urgent or generic(catalog).urgent
    reviews: list[Review] = []
    earliest = start
    for level, part in _REVIEW_PARTS.items():
        point = next((p for p in catalog.review_points if p.level is level), None)
        wording = texts(catalog, part)[:1]
        if point is None or not wording:
            continue
        text = wording[0]
        used.append(text._replace(sources=(*point.sources, *text.sources)))
        day = max(earliest, episode + timedelta(days=point.after_days))
        if worse:
            day = max(earliest, min(day, start + timedelta(days=text.number("sooner"))))
        when = long_date(day)
        values = {"date": f"today ({when})" if day == start else when, "urgent": words}
        reviews.append(Review(day, part, _wording(text, worse, values)))
        earliest = day
    return tuple(reviews)


def _remedies(catalog: Catalog, matches: Sequence[query.Match] | None) -> tuple[PlanRemedy, ...]:
    """The best-rated remedies that fit, supported first, leaving out any a guideline opposes."""
    if matches is None:
        candidates = [(item.remedy, item.rating) for item in query.rated(catalog, catalog.remedies)]
        candidates.sort(key=lambda c: (query.RATING_ORDER[c[1]], c[0].name.lower()))
    else:
        ranked = sorted(
            matches,
            key=lambda m: (query.RATING_ORDER[m.rating], -m.score, m.remedy.name.lower()),
        )
        candidates = [(m.remedy, m.rating) for m in ranked]
    chosen = [
        PlanRemedy(remedy.slug, remedy.name, remedy.summary, rating)
        for remedy, rating in candidates
        if rating is not Rating.AGAINST and not query.advised_against(catalog, remedy)
    ]
    return tuple(chosen[:MAX_REMEDIES])
