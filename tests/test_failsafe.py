"""Screening that cannot be switched off: broken extra content, closed pipes, odd arguments."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from backcare.output import Environment
from tests.conftest import RunFn, write_layer
from tests.test_entrypoint import BACKCARE

BROKEN = {"mine.yaml": "remedies:\n  - slug: foam-roller\n    name: Foam roller\n"}


@pytest.fixture
def broken_user_layer(isolated: Path) -> Path:
    return write_layer(isolated / "data" / "backcare", BROKEN)


def test_a_broken_user_file_cannot_stop_the_emergency_card(
    run: RunFn, broken_user_layer: Path
) -> None:
    result = run("check", "--yes", "saddle-numbness")
    assert result.code == 12
    assert "999" in result.stdout
    assert "backcare: warning:" in result.stderr
    assert "mine.yaml" in result.stderr
    assert "built-in warning signs only" in result.stderr


def test_a_broken_user_file_cannot_hide_the_warning_signs(
    run: RunFn, broken_user_layer: Path
) -> None:
    result = run("red-flags")
    assert result.code == 0
    assert "saddle-numbness" in result.stdout
    assert "built-in warning signs only" in result.stderr


def test_other_commands_still_refuse_broken_content(run: RunFn, broken_user_layer: Path) -> None:
    result = run("list")
    assert result.code == 3
    assert "mine.yaml" in result.stderr
    assert "backcare validate" in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "--yes", "saddle-numbness"], 12),
        (["suggest", "--symptom", "saddle-numbness"], 12),
        (["check", "--yes", "fever"], 11),
        (["--color", "always", "check", "--yes", "saddle-numbness"], 12),
        (["--color", "always", "list"], 0),
    ],
)
def test_a_reader_that_goes_away_does_not_change_the_exit_code(
    isolated: Path, args: list[str], code: int
) -> None:
    process = subprocess.Popen(
        [str(BACKCARE), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader is gone before anything is written
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=30) == code
    assert "Traceback" not in stderr


def test_an_empty_content_folder_argument_is_a_usage_error(run: RunFn) -> None:
    result = run("--content", "", "list")
    assert result.code == 2
    assert "give a folder, not an empty string" in result.stderr


def test_json_before_the_command_works(run: RunFn) -> None:
    result = run("--json", "list")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["remedies"]


def test_end_of_input_during_check_ends_the_prompt_line(
    run: RunFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Environment, "stdin_isatty", property(lambda self: True))
    result = run("check", input="")
    assert result.code == 2
    assert "[y/n/?/b] \nbackcare: error: the screening stopped" in result.stderr


@pytest.mark.parametrize(("sign", "code"), [("saddle-numbness", 12), ("fever", 11)])
def test_a_broken_user_file_cannot_stop_a_warning_sign_given_to_suggest(
    run: RunFn, broken_user_layer: Path, sign: str, code: int
) -> None:
    result = run("suggest", "--symptom", sign)
    assert result.code == code
    assert "built-in warning signs only" in result.stderr


def test_suggest_without_a_warning_sign_still_refuses_broken_content(
    run: RunFn, broken_user_layer: Path
) -> None:
    result = run("suggest", "--cause", "posture")
    assert result.code == 3
    assert "warning:" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["search", "zzzqqq", "--json"], 1, "nothing matches"),
        (["show", "nope", "--json"], 1, "no remedy called 'nope'"),
        (["list", "--rating", "supported", "--category", "device", "--json"], 1, "no remedy fits"),
        (["check", "--json"], 2, "check needs answers"),
        (["suggest", "--cause", "postur", "--json"], 2, "did you mean 'posture'"),
    ],
)
def test_a_failed_json_run_still_writes_one_json_document(
    run: RunFn, args: list[str], code: int, fragment: str
) -> None:
    result = run(*args)
    assert result.code == code
    document = json.loads(result.stdout)
    assert document["error"]["code"] == code
    assert fragment in document["error"]["message"]
    assert "disclaimer" in document
    assert fragment in result.stderr


def test_an_interactive_check_into_a_file_still_tells_the_result_on_the_terminal(
    run: RunFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Environment, "stdin_isatty", property(lambda self: True))
    result = run("check", "--json", input="n\nn\ny\n")  # no to both scope questions
    assert result.code == 12
    assert json.loads(result.stdout)["result"] == "emergency"
    assert "Result: EMERGENCY: call 999" in result.stderr.replace("Call 999", "call 999")


def test_a_screening_stopped_early_keeps_the_yes_answers(
    run: RunFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Environment, "stdin_isatty", property(lambda self: True))
    emergencies = sum(1 for line in run("red-flags").stdout.splitlines() if "\tEMERGENCY\t" in line)
    assert emergencies > 7
    # No to the two scope questions and every emergency sign, yes to the first urgent one.
    answers = "n\n" * (emergencies + 2) + "y\n"
    result = run("check", input=answers)
    assert result.code == 11
    assert "You stopped before every question was answered" in result.stdout
    assert "RESULT: URGENT" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_an_error_but_an_emergency_stays_12(
    isolated: Path,
) -> None:
    with open("/dev/full", "w") as full:
        emergency = subprocess.run(
            [str(BACKCARE), "check", "--yes", "chest-pain"], stdout=full, stderr=subprocess.PIPE
        )
        listing = subprocess.run([str(BACKCARE), "list"], stdout=full, stderr=subprocess.PIPE)
    assert emergency.returncode == 12
    assert listing.returncode == 74
    assert b"cannot write the output" in listing.stderr
    assert b"Traceback" not in emergency.stderr + listing.stderr


def test_a_usage_error_of_a_json_run_is_json_too(run: RunFn) -> None:
    result = run("list", "--rating", "nope", "--json")
    assert result.code == 2
    assert json.loads(result.stdout)["error"]["code"] == 2


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--color", "never"),
        ("list", "--color=never"),
        ("--color", "never", "list"),
        ("list", "--no-pager", "--color", "never"),
    ],
)
def test_a_global_option_works_after_the_command(run: RunFn, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("acupressure-acupuncture\t")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_warning_that_cannot_be_written_does_not_change_the_emergency_code(
    broken_user_layer: Path,
) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(BACKCARE), "check", "--yes", "chest-pain"],
            stdout=subprocess.DEVNULL,
            stderr=full,
            env={**os.environ},
        )
    assert result.returncode == 12
