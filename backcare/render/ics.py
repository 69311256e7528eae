"""The plan as an iCalendar file (RFC 5545), written by hand: no dependency.

Each day of the plan is a short session at the same local time, with an
alarm; each review date is an all-day event with an alarm that morning. Times
are "floating" (no time zone), so a calendar shows them at the person's own
local time wherever they are. Every UID is derived from the plan, so importing
the same plan twice updates the events rather than doubling them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcare.query.plan import Plan

PRODID = "-//backcare//plan//EN"
SESSION_AT = time(9, 0)
SESSION_MINUTES = 30
SESSION_ALARM = "-PT10M"
REVIEW_ALARM = "PT9H"  # 09:00 on the day of an all-day event
LINE_OCTETS = 75


def escape(text: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters have no place in a calendar line.
    return "".join(c for c in text if c >= " " or c == "\t")


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _event(
    uid: str, stamp: str, start: str, end: str, summary: str, description: str, trigger: str
) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        start,
        end,
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(summary)}",
        f"TRIGGER:{trigger}",
        "END:VALARM",
        "END:VEVENT",
    ]


def calendar(plan: Plan, created: datetime, disclaimer: str) -> str:
    """The plan's sessions and review dates as one iCalendar document (CRLF line ends).

    ``created`` (aware) becomes every event's DTSTAMP, so the same plan and
    moment give the same bytes.
    """
    stamp = _stamp(created)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape('backcare plan from ' + plan.start.isoformat())}",
    ]
    for day in plan.days:
        begin = datetime.combine(day.day, SESSION_AT)
        end = begin + timedelta(minutes=SESSION_MINUTES)
        summary = f"Back care: walk {day.minutes} min, exercises {day.repetitions} of each"
        lines += _event(
            f"session-{day.day:%Y%m%d}-{plan.start:%Y%m%d}@backcare",
            stamp,
            f"DTSTART:{begin:%Y%m%dT%H%M%S}",
            f"DTEND:{end:%Y%m%dT%H%M%S}",
            summary,
            "\n".join([day.walking, day.exercises, "", disclaimer]),
            SESSION_ALARM,
        )
    for review in plan.reviews:
        lines += _event(
            f"review-{review.part.value}-{review.day:%Y%m%d}-{plan.start:%Y%m%d}@backcare",
            stamp,
            f"DTSTART;VALUE=DATE:{review.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{review.day + timedelta(days=1):%Y%m%d}",
            "Back care: is it better? " + _short(review.text),
            "\n".join([review.text, "", disclaimer]),
            REVIEW_ALARM,
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
