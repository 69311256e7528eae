"""A report of one period of the diary, for a doctor or a physiotherapist: pure.

It gathers what the handout shows (daily pain, the trend, the entries, what
was tried and what the person's own record says about it, medicines, the last
saved check) and decides nothing about how it looks. Nothing here names the
person: the diary stores no name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from backcare.models import Catalog, Category, CheckRecord, DiaryEntry, RedFlag
from backcare.query.plan import local_day
from backcare.query.trends import Day, Trend, daily, trend, what_helps

# A "seems to help" figure is shown only from this many tries followed by an entry.
HELP_MINIMUM = 3
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
    days: tuple[Day, ...]
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
    days = daily(shown)
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
        trend(days),
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


def tried(catalog: Catalog, entries: Sequence[DiaryEntry]) -> tuple[Tried, ...]:
    """What was tried, most often first, with the person's own "seems to help" figure.

    The figure is ``trends.what_helps``'s: the average change in pain at the
    next entry within a day, from three such tries. It is the person's own
    record, not evidence.
    """
    times: dict[str, int] = {}
    for entry in entries:
        for slug in dict.fromkeys(entry.tried):
            times[slug] = times.get(slug, 0) + 1
    helps = {h.remedy: h for h in what_helps(entries, minimum=1)}
    result = []
    for slug, count in times.items():
        remedy = catalog.remedy_by_slug.get(slug)
        exercise = catalog.exercise_by_slug.get(slug)
        figure = helps.get(slug)
        followed = figure.times if figure else 0
        result.append(
            Tried(
                slug,
                remedy.name if remedy else exercise.name if exercise else slug,
                count,
                followed,
                round(figure.change, 1) if figure and followed >= HELP_MINIMUM else None,
                remedy is not None and remedy.category is Category.MEDICATION,
            )
        )
    return tuple(sorted(result, key=lambda t: (-t.times, t.name.lower())))
