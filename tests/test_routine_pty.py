"""`backcare routine` in a real pseudo-terminal: the live timer, its keys, and a clean exit.

BACKCARE_TIME_SCALE runs the timer fast, so a short routine takes a few
seconds; where a key must arrive mid-session, the scale leaves a loaded
machine seconds to send it. The deadlines only stop a broken run from hanging.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

DEADLINE = 30
HIDE, SHOW = "\x1b[?25l", "\x1b[?25h"


class Session:
    """One run of backcare with a pseudo-terminal as its controlling terminal."""

    def __init__(self, args: list[str], *, scale: str = "0.02", term: str = "xterm-256color"):
        self.leader, self.follower = pty.openpty()
        size = struct.pack("HHHH", 30, 80, 0, 0)
        fcntl.ioctl(self.follower, termios.TIOCSWINSZ, size)
        self.before = termios.tcgetattr(self.follower)
        env = {
            **os.environ,
            "TERM": term,
            "BACKCARE_TIME_SCALE": scale,
            "PYTHONIOENCODING": "utf-8",
        }
        env.pop("COLUMNS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backcare", *args],
            stdin=self.follower,
            stdout=self.follower,
            stderr=self.follower,
            env=env,
            start_new_session=True,
            # The pseudo-terminal becomes the controlling one, so Ctrl-C sends SIGINT.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        self.output = ""

    def read_until(self, pattern: str) -> str:
        """Read the terminal until ``pattern`` (a regular expression) shows up."""
        end = time.monotonic() + DEADLINE
        while not re.search(pattern, self.output):
            if time.monotonic() > end:
                raise AssertionError(f"{pattern!r} never showed up in:\n{self.output[-2000:]}")
            ready, _, _ = select.select([self.leader], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.leader, 65536).decode("utf-8", "replace")
                except OSError:  # the program ended and closed the terminal
                    break
        return self.output

    def type(self, keys: str) -> None:
        os.write(self.leader, keys.encode())

    def finish(self) -> int:
        """Read what is left, wait for the end; the exit code."""
        end = time.monotonic() + DEADLINE
        while self.process.poll() is None or select.select([self.leader], [], [], 0)[0]:
            if time.monotonic() > end:
                self.process.kill()
                raise AssertionError(f"the routine did not end:\n{self.output[-2000:]}")
            ready, _, _ = select.select([self.leader], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.leader, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.output += data.decode("utf-8", "replace")
        code = self.process.wait(timeout=DEADLINE)
        self.restored = termios.tcgetattr(self.follower)
        os.close(self.leader)
        os.close(self.follower)
        return code

    def answer_and_finish(self, pain: str = "") -> int:
        """Answer the questions at the end (no pain score, no stop sign); the exit code."""
        self.read_until("How is the pain now, 0 to 10?")
        self.type(pain + "\n")
        self.read_until(r"numbness or tingling\? \[y/n\]")
        self.type("n\n")
        return self.finish()

    @property
    def text(self) -> str:
        """The output without escape sequences."""
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", self.output)


def assert_terminal_restored(session: Session) -> None:
    assert session.restored == session.before, "terminal settings were not restored"
    assert HIDE in session.output, "the live display should hide the cursor while it runs"
    assert session.output.rfind(SHOW) > session.output.rfind(HIDE), "the cursor stays hidden"


@pytest.fixture(autouse=True)
def diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(path))
    return path


def test_a_short_routine_pauses_goes_on_and_ends_cleanly() -> None:
    session = Session(["routine", "--exercise", "pelvic-tilt", "--easy", "--no-log"], scale="0.1")
    session.read_until("Hold: 1 of 5")
    session.type(" ")
    session.read_until("Paused. Press space to go on.")
    session.type(" ")
    session.read_until("Session complete.")
    assert session.answer_and_finish() == 0
    text = session.text
    assert "Hold: 5 of 5" in text
    assert "Pelvic tilt (pelvic-tilt): done" in text
    assert "\a" in session.output, "a bell at the end of each hold"
    assert_terminal_restored(session)


def test_q_ends_the_session_with_a_summary() -> None:
    args = ["routine", "-e", "knee-rolls", "-e", "bridging", "--no-log", "--no-bell"]
    session = Session(args, scale="0.1")
    session.read_until("Hold: 2 of 5")
    session.type("q")
    session.read_until("Session ended.")
    assert session.answer_and_finish() == 0
    assert re.search(r"Knee rolls \(knee-rolls\): \d+ of 10 holds, then stopped", session.text)
    assert "Bridging (bridging): not done" in session.text
    assert "\a" not in session.output
    assert_terminal_restored(session)


def test_s_skips_to_the_next_exercise() -> None:
    args = ["routine", "-e", "knee-rolls", "-e", "pelvic-tilt", "--easy", "--no-log"]
    session = Session(args, scale="0.1")
    session.read_until("Exercise 1 of 2")
    session.type("s")
    session.read_until("Exercise 2 of 2")
    assert session.answer_and_finish() == 0
    assert "Knee rolls (knee-rolls): not done" in session.text
    assert "Pelvic tilt (pelvic-tilt): done" in session.text
    assert_terminal_restored(session)


def test_ctrl_c_ends_the_session_cleanly_too() -> None:
    session = Session(["routine", "--exercise", "bridging", "--no-log"], scale="0.1")
    session.read_until("Hold: 1 of 5")
    session.type("\x03")
    session.read_until("Session ended.")
    assert session.answer_and_finish() == 0
    assert "Traceback" not in session.text
    assert_terminal_restored(session)


def test_term_dumb_gets_the_checklist_and_the_questions() -> None:
    session = Session(["routine", "--exercise", "bridging", "--no-log"], term="dumb")
    session.read_until("Press Enter when you have done them")
    session.type("\n")
    assert session.answer_and_finish() == 0
    assert "[ ] Set 1 of 2: 5 repetitions, hold each for 5 seconds" in session.text
    assert HIDE not in session.output


def test_a_finished_session_is_in_the_diary(diary: Path) -> None:
    from backcare.store import Diary

    session = Session(["routine", "--exercise", "knee-to-chest", "--easy", "--no-bell"])
    assert session.answer_and_finish(pain="3") == 0
    assert "Recorded in your diary: pain 3, tried exercise, knee-to-chest" in session.text
    with Diary(diary) as opened:
        [entry] = opened.entries()
    assert (entry.pain, entry.tried) == (3, ("exercise", "knee-to-chest"))
    assert entry.note == "Routine, easier variant: knee-to-chest."
