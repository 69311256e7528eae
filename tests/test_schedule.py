"""The routine as data: which exercises, and the steps of a session with their seconds."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcare import content, paths
from backcare.errors import NotFoundError, UsageError
from backcare.models import Catalog, Exercise
from backcare.query import exercises as qe
from backcare.query.schedule import Kind, Timing, dose, schedule, summary, total_seconds


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return content.load_catalog(paths.content_layers(os.environ))


def exercise(**changes: Any) -> Exercise:
    base = Exercise(
        slug="lift",
        name="Lift",
        purpose="p",
        position="lying",
        steps=("lift",),
        hold_seconds=5,
        reps=3,
        sets=2,
        times_a_day=1,
        easier="less",
        cautions=(),
        stop_if=("worse",),
        sources=("nhs-back-pain",),
        easier_hold_seconds=2,
        easier_sets=1,
    )
    return base._replace(**changes)


def test_a_session_is_ready_then_holds_relaxes_and_a_rest_between_sets() -> None:
    steps = schedule([exercise()], timing=Timing(ready=10, relax=3, rest=15))
    assert [(s.kind.value, s.seconds, s.rep, s.set) for s in steps] == [
        ("ready", 10, 0, 0),
        ("hold", 5, 1, 1),
        ("relax", 3, 1, 1),
        ("hold", 5, 2, 1),
        ("relax", 3, 2, 1),
        ("hold", 5, 3, 1),
        ("rest", 15, 3, 1),
        ("hold", 5, 1, 2),
        ("relax", 3, 1, 2),
        ("hold", 5, 2, 2),
        ("relax", 3, 2, 2),
        ("hold", 5, 3, 2),
    ]
    assert {(s.reps, s.sets) for s in steps if s.kind is Kind.HOLD} == {(3, 2)}
    assert total_seconds(steps) == 10 + 6 * 5 + 4 * 3 + 15


def test_easy_uses_the_easier_dose_and_falls_back_to_the_full_one() -> None:
    easy = exercise(easier_reps=None)
    assert dose(easy) == (5, 3, 2)
    assert dose(easy, easy=True) == (2, 3, 1)
    holds = [s for s in schedule([easy], easy=True) if s.kind is Kind.HOLD]
    assert [(s.seconds, s.rep, s.set) for s in holds] == [(2, 1, 1), (2, 2, 1), (2, 3, 1)]


def test_an_exercise_without_a_hold_is_one_untimed_step() -> None:
    walk = exercise(slug="walk", hold_seconds=0, reps=1, sets=1)
    steps = schedule([exercise(reps=1, sets=1), walk])
    assert [(s.kind, s.number, s.total) for s in steps] == [
        (Kind.READY, 1, 2),
        (Kind.HOLD, 1, 2),
        (Kind.OWN_PACE, 2, 2),
    ]
    assert steps[-1].seconds == 0


def test_the_summary_counts_the_holds_finished_per_exercise() -> None:
    one, two = exercise(), exercise(slug="other", reps=1, sets=1)
    steps = schedule([one, two])
    holds = [i for i, s in enumerate(steps) if s.kind is Kind.HOLD]
    done = summary(steps, set(holds[:4]))
    assert [(d.exercise.slug, d.holds_done, d.holds_total, d.complete) for d in done] == [
        ("lift", 4, 6, False),
        ("other", 0, 1, False),
    ]


def test_the_default_routine_takes_ten_minutes_or_so(catalog: Catalog) -> None:
    chosen = qe.routine_exercises(catalog)
    assert [e.slug for e in chosen] == [
        "knee-rolls",
        "pelvic-tilt",
        "knee-to-chest",
        "bridging",
        "back-extension",
        "cat-and-camel",
        "bottom-to-heels",
    ]
    assert 8 * 60 <= total_seconds(schedule(chosen)) <= 12 * 60
    assert total_seconds(schedule(chosen, easy=True)) < total_seconds(schedule(chosen)) / 2
    assert [e.slug for e in qe.own_pace(catalog, chosen)] == ["walking-plan"]


def test_exercises_asked_for_by_slug_or_name_in_order_once(catalog: Catalog) -> None:
    chosen = qe.routine_exercises(catalog, ["Bridging", "knee-rolls", "bridging"])
    assert [e.slug for e in chosen] == ["bridging", "knee-rolls"]
    assert qe.find_exercise(catalog, "CAT_AND_CAMEL").slug == "cat-and-camel"
    assert qe.find_exercise(catalog, "camel").slug == "cat-and-camel"


def test_an_unknown_exercise_says_what_was_meant(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError) as caught:
        qe.find_exercise(catalog, "knee-rols")
    assert caught.value.message == "no exercise called 'knee-rols'"
    assert caught.value.hint is not None
    assert "knee-rolls" in caught.value.hint
    with pytest.raises(UsageError):
        qe.find_exercise(catalog, "  ")


def test_search_finds_exercises_by_name_keyword_and_typo(catalog: Catalog) -> None:
    assert qe.search_exercises(catalog, "bridge")[0].exercise.slug == "bridging"
    assert qe.search_exercises(catalog, "all fours")[0].exercise.slug in {
        "cat-and-camel",
        "bottom-to-heels",
    }
    assert qe.search_exercises(catalog, "pelvc")[0].exercise.slug == "pelvic-tilt"
    assert qe.search_exercises(catalog, "mattress") == []


@given(
    hold=st.integers(1, 120),
    reps=st.integers(1, 30),
    sets=st.integers(1, 5),
    timing=st.builds(Timing, st.integers(0, 30), st.integers(0, 10), st.integers(0, 60)),
)
def test_any_dose_gives_every_hold_once_in_order(
    hold: int, reps: int, sets: int, timing: Timing
) -> None:
    steps = schedule([exercise(hold_seconds=hold, reps=reps, sets=sets)], timing=timing)
    holds = [(s.set, s.rep) for s in steps if s.kind is Kind.HOLD]
    assert holds == [(n, r) for n in range(1, sets + 1) for r in range(1, reps + 1)]
    assert [s.kind for s in steps].count(Kind.REST) == sets - 1
    assert [s.kind for s in steps].count(Kind.RELAX) == sets * (reps - 1)
    expected = timing.ready + sets * reps * hold
    expected += sets * (reps - 1) * timing.relax + (sets - 1) * timing.rest
    assert total_seconds(steps) == expected
    assert steps[-1].kind is Kind.HOLD
