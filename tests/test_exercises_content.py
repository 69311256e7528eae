"""The ``exercises:`` section: its format, its codes (BC026-BC028), links and the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backcare import cache, content, paths
from backcare.findings import Code, Finding
from backcare.models import Layer
from tests.conftest import RunFn, write_content_file

# A valid exercise that cites a built-in source. Line 2 is "- slug" (column 5).
EXERCISE = """\
exercises:
  - slug: my-stretch
    name: My stretch
    purpose: A stretch my physiotherapist showed me.
    position: Lie on your back with your knees bent.
    steps:
      - Draw one knee gently towards your chest.
    hold_seconds: 10
    reps: 5
    sets: 2
    times_a_day: 2
    easier: Draw the knee in only part of the way.
    stop_if:
      - The pain gets worse.
    sources: [nhs-back-exercises]
"""


def layers() -> list[Layer]:
    return paths.content_layers(os.environ)


def check(tmp_path: Path, text: str) -> list[Finding]:
    target = write_content_file(tmp_path, text, "mine.yaml")
    return content.validate(layers(), [target.parent])


def codes(found: list[Finding]) -> list[tuple[Code, int, int]]:
    return [(f.code, f.line, f.column) for f in found]


def test_the_exercise_template_is_valid(tmp_path: Path) -> None:
    assert check(tmp_path, EXERCISE) == []


def test_bc026_a_dose_out_of_range(tmp_path: Path) -> None:
    found = check(tmp_path, EXERCISE.replace("reps: 5", "reps: 500"))
    assert codes(found) == [(Code.OUT_OF_RANGE, 9, 11)]
    assert found[0].message == "500 is out of range; it must be 1 to 30"


@pytest.mark.parametrize("value", ["five", "2.5", "true"])
def test_a_dose_that_is_not_a_whole_number_is_the_wrong_type(tmp_path: Path, value: str) -> None:
    found = check(tmp_path, EXERCISE.replace("hold_seconds: 10", f"hold_seconds: {value}"))
    assert codes(found) == [(Code.WRONG_TYPE, 8, 19)]
    assert "expected a whole number" in found[0].message


def test_bc027_a_figure_too_wide_for_a_small_terminal(tmp_path: Path) -> None:
    figure = "    figure: |\n      " + "-" * 41 + "\n"
    found = check(tmp_path, EXERCISE + figure)
    assert codes(found) == [(Code.FIGURE_TOO_LARGE, 16, 13)]
    assert "1 lines of up to 41 characters" in found[0].message


def test_a_figure_keeps_its_indents(tmp_path: Path) -> None:
    figure = "    figure: |\n      lying down\n        __\n      o/  \\\n\n"
    folder = write_content_file(tmp_path, EXERCISE + figure, "mine.yaml").parent
    catalog = content.load_catalog([*layers(), Layer("--content", str(folder), True)])
    assert catalog.exercise_by_slug["my-stretch"].figure == "lying down\n  __\no/  \\"


def test_bc028_an_exercise_slug_that_is_a_remedy_slug(tmp_path: Path) -> None:
    found = check(tmp_path, EXERCISE.replace("my-stretch", "hot-packs"))
    assert codes(found) == [(Code.EXERCISE_CLASH, 2, 5)]
    assert "exercise 'hot-packs' has the same slug as a remedy" in found[0].message


def test_a_remedy_linking_to_an_unknown_exercise(tmp_path: Path) -> None:
    remedy = """\
remedies:
  - slug: my-routine
    name: My routine
    category: at-home
    summary: My physiotherapist's exercises.
    description: The exercises I was given.
    steps: [Do them every morning.]
    causes: [posture]
    symptoms: [stiffness]
    exercises: [knee-rols, my-stretch]
"""
    found = check(tmp_path, remedy + EXERCISE)
    assert codes(found) == [(Code.UNKNOWN_LINK, 10, 17)]
    assert found[0].message == "unknown exercise 'knee-rols' (did you mean 'knee-rolls'?)"


def test_an_exercise_citing_an_unknown_source(tmp_path: Path) -> None:
    found = check(tmp_path, EXERCISE.replace("[nhs-back-exercises]", "[my-physio]"))
    assert codes(found) == [(Code.UNKNOWN_LINK, 15, 15)]


def test_an_exercise_needs_its_stop_rule_and_a_source(tmp_path: Path) -> None:
    text = EXERCISE.replace("    stop_if:\n      - The pain gets worse.\n", "")
    text = text.replace("[nhs-back-exercises]", "[]")
    found = check(tmp_path, text)
    assert [(f.code, f.line) for f in found] == [(Code.MISSING_FIELD, 2), (Code.EMPTY_TEXT, 13)]
    assert "exercise is missing 'stop_if'" in found[0].message


def test_a_layer_adds_an_exercise_and_replaces_a_builtin_one(tmp_path: Path) -> None:
    mine = EXERCISE + EXERCISE.replace("exercises:\n", "").replace("my-stretch", "knee-rolls")
    folder = write_content_file(tmp_path, mine, "mine.yaml").parent
    catalog = content.load_catalog([*layers(), Layer("--content", str(folder), True)])
    assert catalog.exercise_by_slug["my-stretch"].origin.startswith("--content")
    assert catalog.exercise_by_slug["knee-rolls"].name == "My stretch"


def test_builtin_exercises_are_sourced_dosed_and_linked_from_the_exercise_remedy() -> None:
    catalog = content.load_catalog(layers())
    assert len(catalog.exercises) >= 8
    expected = {
        "knee-rolls",
        "pelvic-tilt",
        "knee-to-chest",
        "bottom-to-heels",
        "bridging",
        "back-extension",
        "cat-and-camel",
        "walking-plan",
    }
    assert expected <= set(catalog.exercise_by_slug)
    assert set(catalog.remedy_by_slug["exercise"].exercises) == expected
    for exercise in catalog.exercises:
        assert exercise.sources, exercise.slug
        assert all(s in catalog.source_by_id for s in exercise.sources)
        assert exercise.stop_if
        assert exercise.easier
        assert exercise.position
        # Gentle: no hold over 10 seconds (the CSP's range), no more than 10 a session.
        assert exercise.hold_seconds <= 10
        assert exercise.reps * exercise.sets <= 10


def test_the_cache_round_trips_exercises_and_remedy_links() -> None:
    every = layers()
    fresh = content.load_catalog(every)
    cache.load_catalog_cached(every, os.environ)  # writes the cache
    warm = cache.load_catalog_cached(every, os.environ)
    assert warm.exercises == fresh.exercises
    assert warm.remedies == fresh.remedies


def test_validate_reports_a_broken_user_exercise(run: RunFn, tmp_path: Path) -> None:
    folder = write_content_file(tmp_path, EXERCISE.replace("sets: 2", "sets: 0"), "x.yaml").parent
    result = run("validate", str(folder))
    assert result.code == 3
    assert f"{folder / 'x.yaml'}:10:11: BC026 0 is out of range; it must be 1 to 5" in result.stdout
