"""`exercises`, `exercises show`, `search` for exercises, and `routine` without a terminal."""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from backcare import paths
from backcare.cache import load_catalog_cached
from backcare.cli.routine import finish, time_scale
from backcare.cli.state import State
from backcare.errors import UsageError
from backcare.models import DiaryEntry
from backcare.output import Environment, Output
from backcare.query.exercises import routine_exercises
from backcare.query.schedule import Kind, schedule
from backcare.render.exercises import STOP_LINE
from backcare.store import Diary
from tests.conftest import ANSI, RunFn

ROUTINE = [
    "knee-rolls",
    "pelvic-tilt",
    "knee-to-chest",
    "bridging",
    "back-extension",
    "cat-and-camel",
    "bottom-to-heels",
]


def test_exercises_piped_is_one_line_each_slug_first(run: RunFn) -> None:
    result = run("exercises")
    assert result.code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines() if "\t" in line]
    assert [r[0] for r in rows] == [*ROUTINE, "walking-plan"]
    assert rows[0][2] == "5 repetitions, each held 5 seconds; 2 sets; up to 3 times a day"
    assert rows[-1][2] == "At your own pace, once a day"


def test_exercises_json(run: RunFn) -> None:
    result = run("exercises", "--json")
    document = json.loads(result.stdout)
    first = document["exercises"][0]
    assert first == {
        "slug": "knee-rolls",
        "name": "Knee rolls",
        "purpose": first["purpose"],
        "hold_seconds": 5,
        "reps": 5,
        "sets": 2,
        "times_a_day": 3,
        "origin": "built-in",
    }
    assert "disclaimer" in document


def test_exercises_at_a_terminal_is_a_table_with_the_next_commands(run: RunFn) -> None:
    result = run("--color", "always", "exercises", env={"COLUMNS": "120"})
    text = ANSI.sub("", result.stdout)
    assert "Exercise (slug)" in text
    assert "backcare exercises show SLUG" in text
    assert "backcare routine" in text


def test_exercises_show_in_full_with_sources_and_the_stop_rule(run: RunFn) -> None:
    result = run("exercises", "show", "Bottom to heels stretch")
    assert result.code == 0
    out = result.stdout
    for heading in ("STARTING POSITION", "HOW TO", "EASIER", "CAUTIONS", "WHEN TO STOP", "SOURCES"):
        assert f"\n{heading}\n" in out
    assert "With a knee problem, do not sit all the way back onto your heels." in out
    assert STOP_LINE in out
    assert "[nhs-back-exercises] Lower back pain exercises." in out
    assert "Easier dose: 5 repetitions, each held 2 seconds; up to 3 times a day." in out


def test_the_figure_is_only_in_the_terminal_view_after_the_words(run: RunFn) -> None:
    piped = run("exercises", "show", "knee-rolls")
    assert "o_/" not in piped.stdout
    shown = ANSI.sub("", run("--color", "always", "exercises", "show", "knee-rolls").stdout)
    assert "o_/" in shown
    assert (
        shown.index("Starting position") < shown.index("The position, drawn") < shown.index("o_/")
    )
    document = json.loads(run("exercises", "show", "knee-rolls", "--json").stdout)
    assert "o_/" in document["exercise"]["figure"]
    assert document["exercise"]["stop_if"][-1] == STOP_LINE


def test_exercises_show_piped_keeps_the_timer_hint_off_stdout(run: RunFn) -> None:
    hint = "Follow it with a timer: backcare routine --exercise knee-rolls"
    piped = run("exercises", "show", "knee-rolls")
    assert piped.code == 0
    assert "timer" not in piped.stdout
    assert hint in piped.stderr  # for the person, not the data
    shown = ANSI.sub("", run("--color", "always", "exercises", "show", "knee-rolls").stdout)
    assert hint in shown  # on a terminal it is part of the view
    assert "timer" not in run("exercises", "show", "knee-rolls", "--json").stdout


def test_exercises_show_unknown_says_what_was_meant(run: RunFn) -> None:
    result = run("exercises", "show", "knee-rols")
    assert result.code == 1
    assert "backcare: error: no exercise called 'knee-rols'" in result.stderr
    assert "backcare: did you mean knee-rolls or knee-to-chest?" in result.stderr
    as_json = run("exercises", "show", "knee-rols", "--json")
    assert json.loads(as_json.stdout)["error"]["code"] == 1


def test_search_finds_exercises_and_says_so_in_json(run: RunFn) -> None:
    result = run("search", "bridge")
    assert result.code == 0
    assert "\nEXERCISES\nbridging\tBridging\t" in result.stdout
    document = json.loads(run("search", "all", "fours", "--json").stdout)
    assert {e["slug"] for e in document["exercises"]} == {"cat-and-camel", "bottom-to-heels"}


def test_search_with_an_emergency_sign_lists_no_exercise(run: RunFn) -> None:
    result = run("search", "chest", "pain", "--json")
    assert result.code == 12
    assert json.loads(result.stdout)["exercises"] == []


def test_routine_without_a_terminal_prints_the_checklist(run: RunFn) -> None:
    result = run("routine")
    assert result.code == 0
    out = result.stdout
    assert out.startswith("ROUTINE: 7 exercises, about 11 minutes with the pauses.\n" + STOP_LINE)
    for n, slug in enumerate(ROUTINE, 1):
        assert f"Exercise {n} of 7: " in out
        assert f"({slug})" in out
    assert "  [ ] Set 1 of 2: 5 repetitions, hold each for 5 seconds (relax 3 seconds" in out
    assert "  [ ] Rest for 15 seconds\n" in out
    assert "AFTERWARDS\n  [ ] Walking plan (walking-plan)" in out
    assert "Not recorded in the diary" in result.stderr


def test_routine_easy_with_chosen_exercises(run: RunFn) -> None:
    result = run("routine", "--exercise", "bridging", "-e", "Knee rolls", "--easy", "--no-log")
    out = result.stdout
    assert out.startswith("ROUTINE: 2 exercises, the easier variant, 64 seconds with the pauses.")
    assert out.index("(bridging)") < out.index("(knee-rolls)")
    assert "  [ ] 5 repetitions, hold each for 2 seconds" in out
    assert "Easier: Lift your hips only a little way" in out
    assert "AFTERWARDS" not in out
    assert "Not recorded" not in result.stderr


def test_routine_with_an_unknown_exercise(run: RunFn) -> None:
    result = run("routine", "--exercise", "yoga-flow")
    assert result.code == 1
    assert "backcare: error: no exercise called 'yoga-flow'" in result.stderr


@pytest.mark.parametrize("value", ["fast", "0", "-1", "11"])
def test_a_bad_time_scale_is_a_usage_error(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        time_scale({"BACKCARE_TIME_SCALE": value})
    assert caught.value.exit_status == 2
    assert caught.value.message.startswith("BACKCARE_TIME_SCALE must be a number above 0")


def test_the_time_scale_defaults_to_real_time() -> None:
    assert time_scale({}) == 1.0
    assert time_scale({"BACKCARE_TIME_SCALE": "0.01"}) == 0.01


# --- after a session: the questions, the diary, the screening -----------------------------


Entries = Callable[[], list[DiaryEntry]]


@pytest.fixture
def diary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Entries:
    """A diary of its own for the test; a function that reads its entries."""
    path = tmp_path / "data" / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(path))

    def entries() -> list[DiaryEntry]:
        with Diary(path) as opened:
            return opened.entries()

    return entries


def after(answers: str, finished: str = "all", log: bool = True) -> tuple[int, str, str]:
    """Run the end of a session of pelvic tilts with ``answers`` typed; code, stdout, stderr."""
    env = Environment(io.StringIO(), io.StringIO(), io.StringIO(answers), dict(os.environ))
    state = State(env, Output(env))
    catalog = load_catalog_cached(paths.content_layers(os.environ), os.environ)
    steps = schedule(routine_exercises(catalog, ["pelvic-tilt", "bridging"]))
    holds = [i for i, s in enumerate(steps) if s.kind is Kind.HOLD]
    done = frozenset(holds if finished == "all" else holds[:3])
    code = finish(state, catalog, steps, done, easy=False, log=log)
    return code, env.stdout.getvalue(), env.stderr.getvalue()  # type: ignore[attr-defined]


def test_a_session_goes_into_the_diary_with_its_exercises(
    diary: Callable[[], list[DiaryEntry]],
) -> None:
    code, out, err = after("4\nn\n")
    assert code == 0
    assert "How is the pain now, 0 to 10?" in err
    assert "Did pain spread down your leg, or did you feel numbness or tingling? [y/n]" in err
    [entry] = diary()
    assert (entry.pain, entry.limits) == (4, None)
    assert entry.tried == ("exercise", "pelvic-tilt", "bridging")
    assert entry.note == "Routine: pelvic-tilt, bridging."
    assert entry.at.tzinfo is not None
    assert "Recorded in your diary: pain 4, tried exercise, pelvic-tilt, bridging" in out
    path = Path(os.environ["BACKCARE_DIARY"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_session_cut_short_records_what_was_done(diary: Entries) -> None:
    after("2\nn\n", finished="some")
    assert diary()[0].tried == ("exercise", "pelvic-tilt")
    assert diary()[0].note == "Routine: pelvic-tilt 3 of 10."


def test_a_wrong_pain_score_is_asked_again_and_enter_skips(
    diary: Callable[[], list[DiaryEntry]],
) -> None:
    code, out, err = after("eleven\n11\n\nn\n")
    assert err.count("Please give a whole number from 0 to 10, or press Enter to skip.") == 2
    assert diary() == []
    assert "Not recorded in the diary: no pain score was given." in out
    assert "backcare log PAIN --tried exercise --tried pelvic-tilt --tried bridging" in out
    assert code == 0


def test_no_log_records_nothing(diary: Entries) -> None:
    code, out, _ = after("3\nn\n", log=False)
    assert diary() == []
    assert "diary" not in out
    assert code == 0


def test_yes_to_the_stop_question_brings_the_screening_card(
    diary: Callable[[], list[DiaryEntry]],
) -> None:
    # The first warning-sign question is an emergency one: yes ends the questions.
    code, out, err = after("6\ny\ny\n")
    assert code == 12
    assert "Stop the exercises for now." in out
    assert "RESULT: EMERGENCY" in out
    assert "Answer each question with y (yes), n (no), ? (not sure) or b (back" in err
    assert diary()[0].note.endswith("Stopped: pain spread down a leg, or numbness or tingling.")


def test_no_answer_to_the_stop_question_still_says_what_to_do(
    diary: Callable[[], list[DiaryEntry]],
) -> None:
    code, out, _ = after("5\n")
    assert code == 0
    assert out.rstrip().endswith(STOP_LINE)
    assert len(diary()) == 1


def test_the_exercise_remedy_names_its_exercises_and_the_routine(run: RunFn) -> None:
    out = run("show", "exercise").stdout
    section = out[out.index("\nEXERCISES\n") :]
    assert "  - Knee rolls (knee-rolls): " in section
    assert "A guided session: backcare routine" in section
    shown = ANSI.sub("", run("--color", "always", "show", "exercise").stdout)
    assert "Bridging (bridging)" in shown
    document = json.loads(run("show", "exercise", "--json").stdout)
    assert document["remedy"]["exercises"][:2] == ["knee-rolls", "pelvic-tilt"]
    assert "\nEXERCISES\n" not in run("show", "ice-packs").stdout


def test_a_diary_that_cannot_be_written_does_not_stop_the_screening(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BACKCARE_DIARY", str(tmp_path))  # a folder, not a diary
    code, _, err = after("3\nn\n")
    assert code == 4
    assert f"{tmp_path} is a folder, not a diary file\nbackcare: set BACKCARE_DIARY" in err
    code, out, _ = after("3\ny\ny\n")
    assert code == 12
    assert "RESULT: EMERGENCY" in out


@pytest.mark.parametrize("args", [["routine", "--exercise", " "], ["exercises", "show", ""]])
def test_an_empty_exercise_name_is_a_usage_error(run: RunFn, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 2
    assert "backcare: error: give the name of an exercise, for example:" in result.stderr


def test_completion_of_exercise_slugs() -> None:
    from tests.test_entrypoint import complete

    assert complete("backcare exercises show br").stdout.split() == ["bridging"]
    assert complete("backcare routine --exercise kn").stdout.split() == [
        "knee-rolls",
        "knee-to-chest",
    ]
