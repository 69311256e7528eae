"""``check`` as a questionnaire people can finish: progress, not sure, back, scope, stopping."""

from __future__ import annotations

import json
import os
import select
import shutil
import sys
import time
from pathlib import Path

import pytest

from backcare import content
from backcare.models import Catalog, Layer, Level
from backcare.output import Environment
from backcare.paths import builtin_content_dir
from backcare.query.questionnaire import (
    Answer,
    next_question,
    outcome,
    progress,
    questions,
)
from tests.conftest import RunFn

CATALOG: Catalog = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])
EMERGENCY = [f for f in CATALOG.red_flags if f.level is Level.EMERGENCY]
SCOPE = [q.id for q in CATALOG.scope]
TOTAL = len(SCOPE) + len(CATALOG.red_flags)
NO = Answer.NO
SCOPE_NO = [(s, NO) for s in SCOPE]


# --- the questionnaire's logic ----------------------------------------------------------------


def test_scope_questions_come_first_then_emergency_signs() -> None:
    asked = questions(CATALOG)
    assert [q.id for q in asked[: len(SCOPE)]] == list(SCOPE)
    assert asked[len(SCOPE)].level is Level.EMERGENCY
    assert progress(CATALOG, []) == (1, len(SCOPE))
    assert progress(CATALOG, SCOPE_NO) == (1, len(CATALOG.red_flags))
    assert progress(CATALOG, [*SCOPE_NO, (EMERGENCY[0].id, NO)]) == (2, len(CATALOG.red_flags))


def test_not_sure_about_an_emergency_sign_counts_as_yes_and_ends_the_questions() -> None:
    answers = [*SCOPE_NO, (EMERGENCY[0].id, Answer.UNSURE)]
    assert next_question(CATALOG, answers) is None
    result = outcome(CATALOG, answers)
    assert result.level is Level.EMERGENCY
    assert result.unsure == (EMERGENCY[0],)


def test_a_scope_yes_leaves_only_the_emergency_questions_and_a_doctor() -> None:
    answers = [("under-16", Answer.YES), ("pregnant", NO)]
    assert progress(CATALOG, answers) == (1, len(EMERGENCY))
    answers += [(f.id, NO) for f in EMERGENCY]
    assert next_question(CATALOG, answers) is None
    result = outcome(CATALOG, answers)
    assert result.out_of_scope == ("under-16",)
    assert result.level is Level.SOON


def test_stopping_before_the_emergency_questions_are_done_is_no_all_clear() -> None:
    result = outcome(CATALOG, [*SCOPE_NO, (EMERGENCY[0].id, NO)], complete=False)
    assert not result.complete
    assert result.level is None
    assert not result.emergency_ruled_out
    assert EMERGENCY[1] in result.not_asked


def test_stopping_after_every_emergency_question_was_answered_no_is_clear_so_far() -> None:
    answers = [*SCOPE_NO, *((f.id, NO) for f in EMERGENCY)]
    result = outcome(CATALOG, answers, complete=False)
    assert result.level is None
    assert result.emergency_ruled_out
    assert not result.complete


# --- asked through the command line ------------------------------------------------------------


@pytest.fixture
def tty_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdin is a terminal, so ``check`` asks its questions (on stderr here)."""
    monkeypatch.setattr(Environment, "stdin_isatty", property(lambda self: True))


def answer(*replies: str) -> str:
    return "".join(f"{r}\n" for r in replies)


@pytest.mark.usefixtures("tty_stdin")
def test_each_question_shows_its_number_and_the_total(run: RunFn) -> None:
    result = run("check", input=answer("n", "n", "n") + "\n")
    signs = len(CATALOG.red_flags)
    assert f"About you, 1 of {len(SCOPE)}\nAre you under 16?" in result.stderr
    assert f"About you, 2 of {len(SCOPE)}\n" in result.stderr
    assert f"Question 1 of {signs}\n" in result.stderr
    assert f"Question 2 of {signs}\n" in result.stderr


@pytest.mark.usefixtures("tty_stdin")
@pytest.mark.parametrize("replies", [["y", "n"], ["n", "y"], ["n", "b", "y", "n"]])
def test_the_total_never_changes_once_shown_even_out_of_scope(
    run: RunFn, replies: list[str]
) -> None:
    import re

    result = run("check", input=answer(*replies, *["n"] * len(EMERGENCY)))
    shown = re.findall(r"^(About you,|Question) (\d+) of (\d+)$", result.stderr, re.MULTILINE)
    totals = {part: {int(t) for p, _, t in shown if p == part} for part, _, _ in shown}
    assert totals == {"About you,": {len(SCOPE)}, "Question": {len(EMERGENCY)}}
    numbers = [int(n) for p, n, _ in shown if p == "Question"]
    assert numbers == list(range(1, len(EMERGENCY) + 1))
    assert f"Only the {len(EMERGENCY)} emergency questions follow" in result.stderr


@pytest.mark.usefixtures("tty_stdin")
def test_not_sure_about_an_emergency_sign_is_treated_as_yes_and_says_so(run: RunFn) -> None:
    result = run("check", input=answer("n", "n", "not sure"))
    assert result.code == 12
    assert "Not sure counts as yes for an emergency sign" in result.stderr
    assert "RESULT: EMERGENCY" in result.stdout
    assert "You were not sure about (counted as yes):" in result.stdout
    assert EMERGENCY[0].name in result.stdout


@pytest.mark.usefixtures("tty_stdin")
def test_not_sure_about_an_urgent_sign_counts_as_yes_too(run: RunFn) -> None:
    replies = ["n"] * (len(SCOPE) + len(EMERGENCY)) + ["?"] + ["n"] * 20
    result = run("check", "--json", input=answer(*replies))
    document = json.loads(result.stdout)
    assert result.code == 11
    assert document["result"] == "urgent"
    assert len(document["unsure"]) == 1
    assert "Not sure counts as yes, to be safe." in result.stderr


@pytest.mark.usefixtures("tty_stdin")
def test_back_goes_to_the_previous_question_and_changes_its_answer(run: RunFn) -> None:
    replies = ["n", "b", "y", "n"] + ["n"] * len(EMERGENCY)
    result = run("check", input=answer(*replies))
    assert result.stderr.count("Are you under 16?") == 2
    assert result.code == 10
    assert "This guide is for adults" in result.stdout


@pytest.mark.usefixtures("tty_stdin")
def test_back_at_the_first_question_says_there_is_nothing_before_it(run: RunFn) -> None:
    result = run("check", input=answer("b") + answer("n") * TOTAL)
    assert "This is the first question" in result.stderr
    assert result.code == 0


@pytest.mark.usefixtures("tty_stdin")
@pytest.mark.parametrize(
    ("replies", "where"),
    [(["y", "n"], "Ask a doctor or pharmacist"), (["n", "y"], "Ask your midwife, doctor")],
    ids=["under-16", "pregnant"],
)
def test_out_of_scope_says_where_to_go_and_still_asks_the_emergency_questions(
    run: RunFn, replies: list[str], where: str
) -> None:
    result = run("check", input=answer(*replies, *["n"] * len(EMERGENCY)))
    assert result.code == 10
    assert where in result.stderr  # said at once, on the terminal
    assert where in " ".join(result.stdout.split())  # and on the result card
    assert result.stderr.count("[y/n/?/b]") == len(SCOPE) + len(EMERGENCY)
    assert "This guide is not written for you" in result.stdout


@pytest.mark.usefixtures("tty_stdin")
def test_out_of_scope_with_an_emergency_sign_is_still_an_emergency(run: RunFn) -> None:
    result = run("check", input=answer("y", "n", "y"))
    assert result.code == 12
    assert "RESULT: EMERGENCY" in result.stdout


@pytest.mark.parametrize("color", ["never", "always"])
def test_no_warning_sign_ends_with_the_emergency_signs_to_watch_for(run: RunFn, color: str) -> None:
    result = run("--color", color, "check", "--none")
    assert result.code == 0
    text = " ".join(result.stdout.split())
    assert "Watch for these emergency signs from now on" in text
    for flag in EMERGENCY:
        assert flag.name in text


@pytest.mark.usefixtures("tty_stdin")
def test_end_of_input_after_every_emergency_no_is_clear_so_far_and_says_incomplete(
    run: RunFn,
) -> None:
    result = run("check", input=answer(*["n"] * (len(SCOPE) + len(EMERGENCY))))
    assert result.code == 0
    assert "SCREENING INCOMPLETE" in result.stdout
    assert "RESULT: NONE" in result.stdout
    assert "other questions; run 'backcare check' again to finish" in result.stdout


@pytest.mark.usefixtures("tty_stdin")
def test_end_of_input_after_some_no_answers_is_not_a_usage_error(run: RunFn) -> None:
    result = run("check", "--json", input=answer("n", "n", "n"))
    assert result.code == 130
    document = json.loads(result.stdout)
    assert document["result"] == "incomplete"
    assert document["complete"] is False
    assert EMERGENCY[1].id in document["not_asked"]
    assert "error" not in result.stderr


# --- in a pseudo-terminal ----------------------------------------------------------------------

BACKCARE = Path(sys.executable).parent / "backcare"
TIMEOUT = 30
PROMPT = b"[y/n/?/b] "

needs_a_terminal = pytest.mark.skipif(
    os.name == "nt" or not BACKCARE.exists() or shutil.which("sh") is None,
    reason="needs a pseudo-terminal and the installed program",
)


class Terminal:
    """backcare check run with a pseudo-terminal as its controlling terminal and stdin.

    stdout goes to a file and stderr to the null device, as ``check 2>/dev/null
    >result.txt`` would; the questions can only reach the terminal directly.
    """

    def __init__(self, tmp_path: Path, *args: str, columns: int | None = None) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.stdout = tmp_path / "stdout.txt"
        command = f'exec "{BACKCARE}" check {" ".join(args)} 2>/dev/null >"{self.stdout}"'
        environ = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
        if columns is None:
            environ["COLUMNS"] = "80"
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: its controlling terminal is the pseudo-terminal
            try:
                if columns is not None:
                    size = struct.pack("HHHH", 40, columns, 0, 0)
                    fcntl.ioctl(0, termios.TIOCSWINSZ, size)  # stdin: the terminal
                os.execvpe("sh", ["sh", "-c", command], environ)
            finally:
                os._exit(127)
        self.seen = b""

    def wait_for(self, text: bytes, count: int = 1) -> None:
        deadline = time.monotonic() + TIMEOUT
        while self.seen.count(text) < count and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.seen += chunk
        assert self.seen.count(text) >= count, self.seen.decode(errors="replace")

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def finish(self) -> tuple[int, str, str]:
        """Wait for the program to end: its exit code, the terminal's text, stdout's text."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                self.seen += chunk
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
        else:
            os.kill(self.pid, 9)
            _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        code = os.waitstatus_to_exitcode(status)
        return code, self.seen.decode(errors="replace"), self.stdout.read_text()


@needs_a_terminal
def test_questions_reach_the_terminal_when_stderr_is_redirected(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path)
    terminal.wait_for(PROMPT)
    assert b"About you, 1 of 2" in terminal.seen
    for n in range(1, 4):
        terminal.type(b"n\n")
        terminal.wait_for(PROMPT, n + 1)
    terminal.type(b"y\n")  # the second emergency sign
    code, shown, stdout = terminal.finish()
    assert code == 12
    assert "RESULT: EMERGENCY" in stdout
    assert "Result: EMERGENCY" in shown  # the card went to a file: the terminal is told too


@needs_a_terminal
@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_ctrl_d_after_some_no_answers_shows_the_incomplete_result(
    tmp_path: Path, key: bytes
) -> None:
    terminal = Terminal(tmp_path)
    terminal.wait_for(PROMPT)
    for n in range(1, 4):
        terminal.type(b"n\n")
        terminal.wait_for(PROMPT, n + 1)
    terminal.type(key)
    code, shown, stdout = terminal.finish()
    assert code == 130, shown  # emergency questions were left unanswered: never 0
    assert "Traceback" not in shown
    assert "RESULT: INCOMPLETE" in stdout, shown
    assert EMERGENCY[-1].name in stdout  # named as not asked yet


@needs_a_terminal
def test_ctrl_d_after_every_emergency_no_exits_0_and_says_incomplete(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path)
    answered = len(SCOPE) + len(EMERGENCY)
    for n in range(1, answered + 1):
        terminal.wait_for(PROMPT, n)
        terminal.type(b"n\n")
    terminal.wait_for(PROMPT, answered + 1)
    terminal.type(b"\x04")
    code, _, stdout = terminal.finish()
    assert code == 0
    assert "SCREENING INCOMPLETE" in stdout
    assert "RESULT: NONE" in stdout


@needs_a_terminal
def test_questions_wrap_to_the_terminal_they_are_shown_on(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path, columns=40)
    for n in range(1, 6):
        terminal.wait_for(PROMPT, n)
        terminal.type(b"n\n")
    terminal.wait_for(PROMPT, 6)
    terminal.type(b"y\n")
    code, shown, _ = terminal.finish()
    assert code == 12
    lines = shown.replace("\r", "").splitlines()
    assert max(len(line) for line in lines) <= 40, shown
    assert any(line.endswith("[y/n/?/b] n") for line in lines)


# --- check --save: the screening kept in the diary only when asked ----------------------------


@pytest.fixture
def diary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "mine" / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(path))
    return path


def test_check_saves_its_answers_and_level_only_with_save(run: RunFn, diary: Path) -> None:
    from backcare.store import Diary

    plain = run("check", "--yes", "fever")
    assert plain.code == 11
    assert not diary.exists()  # health data is stored only when asked
    saved = run("check", "--yes", "fever", "--save")
    assert saved.code == 11
    assert saved.stdout == plain.stdout  # the card is the same
    assert "Saved in your diary; 'backcare report' shows it." in saved.stderr
    with Diary(diary) as kept:
        record = kept.last_check()
    assert record is not None
    assert record.level is Level.URGENT
    answers = dict(record.answers)
    assert answers["fever"] == "yes"
    assert answers["chest-pain"] == "no"
    assert set(answers) == {f.id for f in CATALOG.red_flags}


def test_report_shows_the_last_saved_screening(run: RunFn, diary: Path) -> None:
    assert run("log", "4").code == 0  # a report needs some entries
    assert run("check", "--yes", "fever").code == 11
    assert "Last saved check" not in run("report").stdout
    assert run("check", "--yes", "fever", "--save").code == 11
    report = run("report")
    assert report.code == 0, report.stderr
    section = report.stdout[report.stdout.index("## Warning-sign check") :]
    assert "Last saved check:" in section
    assert "High temperature" in section


@pytest.mark.usefixtures("tty_stdin")
def test_check_saves_the_answers_given_at_the_terminal(run: RunFn, diary: Path) -> None:
    from backcare.store import Diary

    result = run("check", "--save", input=answer("n", "n", "not sure"))
    assert result.code == 12
    with Diary(diary) as kept:
        record = kept.last_check()
    assert record is not None
    assert record.level is Level.EMERGENCY
    assert record.answers == ((EMERGENCY[0].id, "unsure"),)  # scope answers are not signs


@pytest.mark.usefixtures("tty_stdin")
def test_an_unfinished_screening_is_not_saved(run: RunFn, diary: Path) -> None:
    result = run("check", "--save", input=answer("n", "n", "n"))
    assert result.code == 130
    assert "Not saved in your diary: the screening was not finished." in result.stderr
    assert not diary.exists()


@pytest.mark.parametrize(("args", "code"), [(["--yes", "chest-pain"], 12), (["--none"], 0)])
def test_a_diary_that_cannot_be_written_never_changes_the_card_or_its_exit_code(
    run: RunFn, diary: Path, args: list[str], code: int
) -> None:
    diary.mkdir(parents=True)
    plain = run("check", *args)
    result = run("check", *args, "--save")
    assert result.code == code
    assert result.stdout == plain.stdout
    assert f"backcare: error: the diary {diary} is a folder, not a diary file" in result.stderr
    as_json = run("check", *args, "--save", "--json")
    assert as_json.code == code
    document = json.loads(as_json.stdout)
    assert document["result"] == ("emergency" if code else "none")
