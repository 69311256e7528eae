"""A report of one period of the diary, for a doctor or a physiotherapist: pure.

It gathers what the handout shows (daily pain, the trend, the entries, what
was tried and what the person's own record says about it, medicines, the last
saved check) and decides nothing about how it looks. Nothing here names the
person: the diary stores no name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import NamedTuple

from backcare.models import Catalog, Category, CheckRecord, DiaryEntry, RedFlag
from backcare.query.plan import DayPain, Trend, daily_pain, local_day

# A try counts towards "seems to help" when another entry follows within a day...
HELP_WITHIN = timedelta(days=1)
# ...and a figure is shown only for what was tried at least this many times.
HELP_MINIMUM = 3
TREND_STEP = 1.0
DEFAULT_DAYS = 28


class Tried(NamedTuple):
    """One thing tried in the period: how often, and the person's own figure for it."""

    slug: str
    name: str
    times: int
    followed: int  # tries with another entry within a day, which the figure averages
    change: float | None  # average change in pain at the next entry; None: too few to say
    medication: bool


class ReportEntry(NamedTuple):
    """One diary entry as the report lists it, in the person's local time."""

    local: datetime
    pain: int
    limits: int | None
    tried: tuple[str, ...]
    note: str


class Answer(NamedTuple):
    """One answer of the last saved check."""

    flag: RedFlag | None
    flag_id: str
    answer: str


class Report(NamedTuple):
    """Everything the handout shows, for one period of the diary."""

    since: date
    until: date
    days: tuple[DayPain, ...]
    trend: Trend | None
    entries: tuple[ReportEntry, ...]  # oldest first
    tried: tuple[Tried, ...]
    check_at: datetime | None
    answers: tuple[Answer, ...]

    @property
    def medications(self) -> tuple[Tried, ...]:
        """The medicines tried in the period."""
        return tuple(t for t in self.tried if t.medication)


def build_report(
    catalog: Catalog,
    entries: Sequence[DiaryEntry],
    since: date,
    until: date,
    last_check: CheckRecord | None = None,
) -> Report:
    """The report of the local days from ``since`` to ``until``, both included."""
    shown = sorted(
        (e for e in entries if since <= local_day(e.at, e.utc_offset_minutes) <= until),
        key=lambda e: e.at,
    )
    days = daily_pain(shown)
    answers: tuple[Answer, ...] = ()
    check_at = None
    if last_check is not None:
        check_at = _local(last_check.at, last_check.utc_offset_minutes)
        answers = tuple(
            Answer(catalog.red_flag_by_id.get(flag_id), flag_id, answer)
            for flag_id, answer in last_check.answers
        )
    return Report(
        since,
        until,
        tuple(days),
        period_trend(days),
        tuple(
            ReportEntry(_local(e.at, e.utc_offset_minutes), e.pain, e.limits, e.tried, e.note)
            for e in shown
        ),
        tried(catalog, shown),
        check_at,
        answers,
    )


def _local(at: datetime, offset: int) -> datetime:
    """The wall-clock time the person saw, without a zone (the offset is applied)."""
    return (at + timedelta(minutes=offset)).replace(tzinfo=None)


def period_trend(days: Sequence[DayPain]) -> Trend | None:
    """From the first few days of the period to the last few: rising, easing or about the same."""
    from backcare.models import PlanPart

    if len(days) < 2:
        return None
    width = max(1, min(3, len(days) // 3))
    first = sum(d.average for d in days[:width]) / width
    last = sum(d.average for d in days[-width:]) / width
    direction = PlanPart.STEADY
    if last - first >= TREND_STEP:
        direction = PlanPart.WORSE
    elif first - last >= TREND_STEP:
        direction = PlanPart.BETTER
    return Trend(direction, round(first, 1), round(last, 1), len(days))


def tried(catalog: Catalog, entries: Sequence[DiaryEntry]) -> tuple[Tried, ...]:
    """What was tried, most often first, with the average change in pain at the next entry.

    A try counts towards the figure when another entry follows within a day;
    the figure is given only from three such tries. It is the person's own
    record, not evidence.
    """
    ordered = sorted(entries, key=lambda e: e.at)
    times: dict[str, int] = {}
    changes: dict[str, list[int]] = {}
    for entry in ordered:
        for slug in dict.fromkeys(entry.tried):
            times[slug] = times.get(slug, 0) + 1
    for entry, following in pairwise(ordered):
        if following.at - entry.at > HELP_WITHIN:
            continue
        for slug in dict.fromkeys(entry.tried):
            changes.setdefault(slug, []).append(following.pain - entry.pain)
    result = []
    for slug, count in times.items():
        remedy = catalog.remedy_by_slug.get(slug)
        exercise = catalog.exercise_by_slug.get(slug)
        values = changes.get(slug, [])
        change = round(sum(values) / len(values), 1) if len(values) >= HELP_MINIMUM else None
        result.append(
            Tried(
                slug,
                remedy.name if remedy else exercise.name if exercise else slug,
                count,
                len(values),
                change,
                remedy is not None and remedy.category is Category.MEDICATION,
            )
        )
    return tuple(sorted(result, key=lambda t: (-t.times, t.name.lower())))
