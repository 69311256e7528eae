"""Diaries for tests: four weeks of entries, written through the real store."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from backcare.models import CheckRecord, DiaryEntry, Level
from backcare.store import Diary

HOSTILE_NOTES = (
    "<script>document.title='ran'</script>",
    "<img src=x onerror=\"document.title='ran'\">",
    "</td></tr></table><h1>injected</h1>",
    "{{ 7*7 }} and {% raw %}",
)
NOTES = (
    "Stiff getting out of bed",
    "Walked to the shops, fine",
    "Long day at the desk; worse by the evening",
    "Slept badly",
    "Heat pack helped for an hour",
    "",
)


def month(
    today: date, notes: Sequence[str] = NOTES, seed: int = 4, hours: Sequence[int] = (8, 19)
) -> list[DiaryEntry]:
    """Four weeks to ``today``, an entry a day at each of ``hours``, the pain easing from 8 to 3."""
    rng = random.Random(seed)
    first = today - timedelta(days=27)
    entries = []
    for n in range(28):
        day = first + timedelta(days=n)
        base = max(1, round(7 - n * 0.17))
        for hour in hours:
            extra = 1 if hour < 12 else 0
            at = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)
            tried = rng.choice(
                [(), ("hot-packs",), ("exercise",), ("medications",), ("hot-packs", "exercise")]
            )
            entries.append(
                DiaryEntry(
                    f"{n:02d}{hour:02d}" + "0" * 28,
                    at,
                    0,
                    min(10, base + extra + rng.choice([-1, 0, 0, 1])),
                    rng.choice([None, 3, 5, 6]),
                    tried,
                    notes[(n * 2 + hour) % len(notes)],
                )
            )
    return entries


def fill(path: Path, entries: Sequence[DiaryEntry], check: CheckRecord | None = None) -> Path:
    """Write ``entries`` (and a saved check) into a new diary at ``path``."""
    with Diary(path) as diary:
        for entry in entries:
            diary.add(entry)
        if check is not None:
            diary.save_check(check)
    return path


def a_check(at: datetime, *yes: str) -> CheckRecord:
    """A saved check answering yes to ``yes`` and no to two others."""
    answers = (
        *((flag, "yes") for flag in yes),
        ("chest-pain", "no"),
        ("night-or-rest-pain", "unsure"),
    )
    return CheckRecord("c" * 32, at, 0, answers, Level.URGENT if yes else None)
