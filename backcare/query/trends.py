"""What the pain diary says: daily pain, the trend, what seems to help, and when to see someone.

Pure functions of the entries (and, for the rules, of the thresholds in the
built-in content's ``diary_rules``); nothing here reads a file or prints.
A "day" is the person's local day: each entry is placed by the clock it was
made on, so a diary kept across time zones and clock changes groups correctly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import NamedTuple

from backcare.models import Catalog, DiaryEntry, DiaryRule, Level, RedFlag, RuleKind

#: "What seems to help": a remedy counts once tried this many times...
HELP_MINIMUM = 3
#: ...each followed by another entry within this long.
HELP_WITHIN = timedelta(days=1)
#: A change of at least this many points (on the 0 to 10 scale) is "down" or "up".
TREND_STEP = 1.0


class Day(NamedTuple):
    """One local day of the diary."""

    day: date
    worst: int
    average: float
    entries: int


class Trend(NamedTuple):
    """How pain moved between the start and the end of a stretch of days."""

    direction: str  # "down", "up" or "steady"
    start: float  # the average of the first days
    end: float  # the average of the last days
    first: date
    last: date

    @property
    def days(self) -> int:
        """How many calendar days the trend spans, both ends counted."""
        return (self.last - self.first).days + 1


class Helps(NamedTuple):
    """What the record says about one remedy: the average change in pain at the next entry."""

    remedy: str
    times: int
    change: float  # negative: pain was lower at the next entry


class Alert(NamedTuple):
    """A rule of "when to see someone" that the record meets, and why."""

    rule: DiaryRule
    level: Level
    detail: str
    flags: tuple[RedFlag, ...] = ()


class Progress(NamedTuple):
    """The answer to "is it getting better?"."""

    days: list[Day]
    trend: Trend | None
    helps: list[Helps]
    alerts: list[Alert]


def progress(
    catalog: Catalog, entries: Sequence[DiaryEntry], now: datetime, since: datetime
) -> Progress:
    """Days, trend and what helps from ``since`` on; alerts from every entry given."""
    shown = [e for e in entries if e.at >= since]
    days = daily(shown)
    every_day = days if len(shown) == len(entries) else None
    return Progress(
        days, trend(days), what_helps(shown), alerts(catalog, entries, now, days=every_day)
    )


def longest_rule_days(catalog: Catalog) -> int:
    """How many days back the rules look, at most: read at least this far for ``alerts``."""
    return max((rule.days for rule in catalog.diary_rules), default=0)


def daily(entries: Iterable[DiaryEntry]) -> list[Day]:
    """Pain per local day, oldest first: the day's worst and its average."""
    by_day: dict[date, list[int]] = {}
    shifts: dict[int, timedelta] = {}
    for entry in entries:
        offset = entry.utc_offset_minutes
        shift = shifts.get(offset)
        if shift is None:
            shift = shifts[offset] = timedelta(minutes=offset)
        # The local day, without building a time zone for each entry.
        by_day.setdefault((entry.at + shift).date(), []).append(entry.pain)
    return [
        Day(day, max(pains), sum(pains) / len(pains), len(pains))
        for day, pains in sorted(by_day.items())
    ]


def trend(days: Sequence[Day]) -> Trend | None:
    """The trend of the daily averages, from the first days to the last; None for one day.

    Each end is the mean of up to three days (a third of the days at most), so
    one odd day does not decide the direction.
    """
    if len(days) < 2:
        return None
    width = max(1, min(3, len(days) // 3))
    start = _mean(d.average for d in days[:width])
    end = _mean(d.average for d in days[-width:])
    direction = "steady"
    if end - start <= -TREND_STEP:
        direction = "down"
    elif end - start >= TREND_STEP:
        direction = "up"
    return Trend(direction, start, end, days[0].day, days[-1].day)


def what_helps(
    entries: Iterable[DiaryEntry], minimum: int = HELP_MINIMUM, within: timedelta = HELP_WITHIN
) -> list[Helps]:
    """For each remedy tried at least ``minimum`` times, the average change in pain after it.

    A try counts when another entry follows within ``within``: the change is
    that entry's pain minus the pain when the remedy was logged. Most helpful
    (largest fall) first. This is a person's own record, not evidence.
    """
    ordered = sorted(entries, key=lambda e: e.at)
    changes: dict[str, list[int]] = {}
    for entry, following in pairwise(ordered):
        if following.at - entry.at > within:
            continue
        for remedy in dict.fromkeys(entry.tried):
            changes.setdefault(remedy, []).append(following.pain - entry.pain)
    found = [
        Helps(remedy, len(values), _mean(values))
        for remedy, values in changes.items()
        if len(values) >= minimum
    ]
    return sorted(found, key=lambda h: (h.change, -h.times, h.remedy))


# --- when to see someone: one pure function per kind of rule ---


def note_red_flags(catalog: Catalog, note: str) -> list[RedFlag]:
    """The warning signs a note names, by the same matching as ``search`` and ``suggest``.

    A phrase names a sign whatever words surround it, so "numb around the groin
    after lifting the shopping" names the groin sign and "chest pain since this
    morning" the chest-pain sign, while "felt better" names none. Signs the note
    only touches (a lone "leg") are not counted. Everyday words name a sign
    as its content's ``also_called`` phrases say ("numb around the groin").
    """
    from backcare.query.signs import named_signs

    return named_signs(catalog, note)


def no_better(rule: DiaryRule, days: Sequence[Day]) -> str | None:
    """Met when pain now is no lower than ``rule.days`` days before, and still ``rule.pain``+.

    "Then" is the mean of up to three recorded days on or before ``rule.days``
    days before the latest day; "now" the mean of up to three latest days after
    that. A record shorter than ``rule.days`` does not meet it.
    """
    if not days:
        return None
    cutoff = days[-1].day - timedelta(days=rule.days)
    then = [d for d in days if d.day <= cutoff][-3:]
    now = [d for d in days if d.day > cutoff][-3:]
    if not then or not now:
        return None
    before, after = _mean(d.average for d in then), _mean(d.average for d in now)
    if after < before or after < (rule.pain or 0):
        return None
    return (
        f"your daily pain was {_points(before)} around {_when(then[-1].day)}"
        f" and is {_points(after)} now, {(now[-1].day - then[-1].day).days} days later"
    )


def rising(rule: DiaryRule, days: Sequence[Day]) -> str | None:
    """Met when, over the last ``rule.days`` days, daily pain rose by ``rule.points`` or more.

    Needs at least three recorded days in that span; the rise is from its
    first day's average to its last day's, and the days between must slope up.
    """
    if not days:
        return None
    recent = [d for d in days if d.day > days[-1].day - timedelta(days=rule.days)]
    if len(recent) < 3:
        return None
    rise = recent[-1].average - recent[0].average
    if rise < (rule.points or 1) or _slope(recent) <= 0:
        return None
    return (
        f"your daily pain went from {_points(recent[0].average)} on {_when(recent[0].day)}"
        f" to {_points(recent[-1].average)} on {_when(recent[-1].day)}"
    )


def severe_days_running(rule: DiaryRule, days: Sequence[Day]) -> str | None:
    """Met when the day's worst pain was ``rule.pain``+ on the last ``rule.days`` days running."""
    run = list(days[-rule.days :])
    if len(run) < rule.days or any(d.worst < (rule.pain or 0) for d in run):
        return None
    if (run[-1].day - run[0].day).days != rule.days - 1:  # a missing day breaks the run
        return None
    worst = ", ".join(str(d.worst) for d in run)
    return f"your worst pain was {worst} on {rule.days} days running, to {_when(run[-1].day)}"


def alerts(
    catalog: Catalog,
    entries: Sequence[DiaryEntry],
    now: datetime,
    fresh: DiaryEntry | None = None,
    *,
    days: Sequence[Day] | None = None,
) -> list[Alert]:
    """Every "when to see someone" rule the record meets, most urgent first.

    ``entries`` should reach back further than the longest rule. Notes are read
    from entries within the note rule's ``days`` of ``now``, and from ``fresh``
    (the entry just logged) whatever its time. Of the "no better" rules met, only
    the longest is kept: it is the later review point. ``days`` may give
    ``daily(entries)`` when it is already known.
    """
    from backcare.query import LEVEL_ORDER

    days = daily(entries) if days is None else days
    found: list[Alert] = []
    longest_no_better: Alert | None = None
    for rule in catalog.diary_rules:
        if rule.kind is RuleKind.WARNING_SIGN_IN_NOTE:
            found.extend(_note_alerts(catalog, rule, entries, now, fresh))
            continue
        detail = RULES[rule.kind](rule, days)
        if detail is None or rule.level is None:
            continue
        alert = Alert(rule, rule.level, detail)
        if rule.kind is RuleKind.NO_BETTER:
            if longest_no_better is None or rule.days > longest_no_better.rule.days:
                longest_no_better = alert
            continue
        found.append(alert)
    if longest_no_better is not None:
        found.append(longest_no_better)
    return sorted(found, key=lambda a: LEVEL_ORDER[a.level])


def _note_alerts(
    catalog: Catalog,
    rule: DiaryRule,
    entries: Sequence[DiaryEntry],
    now: datetime,
    fresh: DiaryEntry | None,
) -> list[Alert]:
    since = now - timedelta(days=rule.days)
    read = [e for e in entries if e.at >= since and e.note]
    if fresh is not None and fresh.note and fresh not in read:
        read.append(fresh)
    flags: dict[str, RedFlag] = {}
    for note in dict.fromkeys(entry.note for entry in read):  # each different note once
        for flag in note_red_flags(catalog, note):
            flags.setdefault(flag.id, flag)
    if not flags:
        return []
    from backcare.query import LEVEL_ORDER

    ordered = sorted(flags.values(), key=lambda f: LEVEL_ORDER[f.level])
    names = ", ".join(f.name.lower() for f in ordered)
    return [Alert(rule, ordered[0].level, f"a note names {names}", tuple(ordered))]


RULES = {
    RuleKind.NO_BETTER: no_better,
    RuleKind.RISING: rising,
    RuleKind.SEVERE_DAYS_RUNNING: severe_days_running,
}


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items)


def _slope(days: Sequence[Day]) -> float:
    """The least-squares slope of the daily averages against the day number."""
    xs = [(d.day - days[0].day).days for d in days]
    ys = [d.average for d in days]
    mx, my = _mean(xs), _mean(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread if spread else 0.0


def _points(value: float) -> str:
    """A pain figure as people say it: whole when it is, else one decimal."""
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _when(day: date) -> str:
    return f"{day.day} {day:%b}"
