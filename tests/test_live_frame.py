"""The live display's frames, rendered without a terminal; the scaled clock."""

from __future__ import annotations

import io
import os

from rich.console import Console

from backcare import content, paths
from backcare.query.exercises import find_exercise
from backcare.query.schedule import Kind, schedule
from backcare.render.exercises import KEYS_LINE, STOP_LINE
from backcare.render.live import ScaledClock, frame


def shown(
    kind: Kind, rep: int = 1, *, paused: bool = False, easy: bool = False, ascii_only: bool = False
) -> str:
    """One frame of a knee-rolls session with 2.2 seconds left, as 80 columns of text."""
    catalog = content.load_catalog(paths.content_layers(os.environ))
    steps = schedule([find_exercise(catalog, "knee-rolls")])
    step = next(s for s in steps if s.kind is kind and s.rep in (rep, 0))
    stream = io.StringIO()
    console = Console(file=stream, width=80, color_system=None)
    console.print(frame(step, 2.2, paused, 80, easy=easy, ascii_only=ascii_only))
    return stream.getvalue()


def test_a_hold_shows_the_count_the_seconds_left_and_a_bar() -> None:
    text = shown(Kind.HOLD, 3)
    assert "Exercise 1 of 1: Knee rolls (knee-rolls)" in text
    assert "Hold: 3 of 5 (set 1 of 2)   3 seconds" in text
    assert "\u2501" in text
    assert KEYS_LINE in text
    assert STOP_LINE.split(":")[0] in text
    assert "Paused" not in text


def test_pausing_says_how_to_go_on() -> None:
    assert "Paused. Press space to go on." in shown(Kind.HOLD, paused=True)


def test_the_easier_dose_is_shown_with_easy() -> None:
    assert "each held 2 seconds" in shown(Kind.READY, easy=True)
    assert "each held 5 seconds" in shown(Kind.READY)


def test_the_bar_is_ascii_where_the_terminal_cannot_show_more() -> None:
    text = shown(Kind.HOLD, ascii_only=True)
    assert "\u2501" not in text
    assert "=" in text
    assert text.isascii()


def test_the_scaled_clock_runs_routine_time_faster() -> None:
    ticks = iter([10.0, 10.5])
    clock = ScaledClock(0.01, monotonic=lambda: next(ticks))
    assert clock.now() == 1000.0
    assert clock.now() == 1050.0
    assert clock.real(5) == 0.05
