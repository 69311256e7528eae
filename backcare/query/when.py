"""Reading a WHEN, as people type it, into an aware local time: ``--at`` and ``--since``.

Accepted (local time): ``now``; ``today`` or ``yesterday``, alone or with a
time (``yesterday 21:00``); a time alone (``08:15``, today); ``-2h``, ``-30m``,
``-3d`` (that long ago); ``2026-11-30`` (noon that day, or now if noon is still
to come) and ``2026-11-30 08:15``. The future is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta

from backcare.errors import UsageError

FORMS = "now, yesterday, 'yesterday 21:00', 21:00, -2h, -3d, 2026-11-30 or '2026-11-30 08:15'"
_AGO = re.compile(r"-\s*(\d{1,6})\s*([mhdw])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_NOON = time(12, 0)


def local(naive: datetime) -> datetime:
    """A naive local wall-clock time made aware with the offset in force at that moment."""
    return naive.astimezone()


def parse_when(
    text: str,
    now: datetime,
    option: str = "--at",
    localize: Callable[[datetime], datetime] = local,
    *,
    start_of_day: bool = False,
) -> datetime:
    """The aware time that ``text`` names, seen from ``now`` (aware, local).

    ``localize`` gives a naive local time its offset (the system's time zone by
    default), so a date across a daylight-saving change gets that day's offset.
    With ``start_of_day`` (for ``--since``), a day named without a time starts
    at midnight rather than at noon (a date) or at this time of day (yesterday).
    """
    words = " ".join(text.lower().split())
    if start_of_day and (words in ("today", "yesterday") or _DATE.fullmatch(words)):
        words += " 00:00"
    at = _read(words, now, localize)
    if at is None:
        raise UsageError(
            f"{option}: cannot read {text.strip()[:40]!r} as a time",
            hint=f"use one of: {FORMS}",
        )
    if at > now + timedelta(minutes=1):  # a minute's grace for a clock read twice
        raise UsageError(
            f"{option}: {at:%Y-%m-%d %H:%M} is in the future",
            hint="the diary records what has happened; give a time up to now",
        )
    return at


def _read(words: str, now: datetime, localize: Callable[[datetime], datetime]) -> datetime | None:
    if words in ("now", ""):
        return now if words else None
    ago = _AGO.fullmatch(words)
    if ago:
        try:
            return now - timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
        except OverflowError:
            return None
    day_word, _, clock = words.partition(" ")
    today = now.date()
    if day_word in ("today", "yesterday"):
        day = today - timedelta(days=day_word == "yesterday")
        if not clock:
            return now if day == today else localize(datetime.combine(day, now.time()))
        wall = _clock(clock)
        return None if wall is None else localize(datetime.combine(day, wall))
    if _CLOCK.fullmatch(words):
        wall = _clock(words)
        return None if wall is None else localize(datetime.combine(today, wall))
    try:
        day = datetime.strptime(day_word, "%Y-%m-%d").date()
    except ValueError:
        return _iso(words, localize)
    if not clock:
        noon = localize(datetime.combine(day, _NOON))
        return now if day == today and noon > now else noon
    wall = _clock(clock)
    return None if wall is None else localize(datetime.combine(day, wall))


def _clock(text: str) -> time | None:
    match = _CLOCK.fullmatch(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _iso(text: str, localize: Callable[[datetime], datetime]) -> datetime | None:
    """``2026-11-30T08:15``, with or without an offset (as export writes it)."""
    try:
        at = datetime.fromisoformat(text.upper())
    except ValueError:
        return None
    return at if at.tzinfo is not None else localize(at)
