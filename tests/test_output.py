"""Output's choices for hostile environments: odd COLUMNS, TERM=dumb, missing or broken streams."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from backcare import render
from backcare.output import (
    MIN_WIDTH,
    ColorChoice,
    Environment,
    Output,
)
from backcare.render.words import AFTER_CARD_TITLE, DISCLAIMER
from tests.conftest import ANSI, DISCLAIMER_WORDS, RunFn

PROJECT = Path(__file__).resolve().parent.parent
URGENT_SIGN = "fever"  # a built-in urgent warning sign, given as a symptom


class Terminal(io.StringIO):
    """A stream that says it is a terminal but cannot tell its size."""

    def isatty(self) -> bool:
        return True


class FullDevice(io.StringIO):
    """A stream whose every write fails, like ``2>/dev/full``."""

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def env_with(
    environ: dict[str, str], stdout: io.StringIO | None = None, stderr: io.StringIO | None = None
) -> Environment:
    return Environment(
        stdout if stdout is not None else Terminal(),
        stderr if stderr is not None else io.StringIO(),
        io.StringIO(),
        environ,
    )


def written(stream: IO[str]) -> str:
    """What a test's in-memory stream holds."""
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()


# --- 1. COLUMNS too small or not a number ---------------------------------------------


@pytest.mark.parametrize("value", ["0", "1", "19", "-5", "abc", "", " ", "80x", "²", "99999"])
def test_an_unusable_columns_is_ignored(value: str) -> None:
    assert env_with({"COLUMNS": value}).columns is None


@pytest.mark.parametrize(("value", "width"), [("20", 20), ("60", 60), (" 132 ", 132)])
def test_a_usable_columns_is_kept(value: str, width: int) -> None:
    assert env_with({"COLUMNS": value}).columns == width


@pytest.mark.parametrize("value", ["0", "1", "5", "garbage"])
def test_rich_output_at_a_terminal_survives_a_bad_columns(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    # Rich reads COLUMNS from the process too: set it there as a real shell would.
    monkeypatch.setenv("COLUMNS", value)
    env = env_with({"COLUMNS": value})
    out = Output(env, ColorChoice.NEVER, pager=False)
    assert out.rich
    console = out.console()
    assert console.width == 80  # the terminal cannot tell its size here: Rich's default
    from backcare.render import rich_view

    console.print(rich_view.disclaimer(DISCLAIMER))
    text = written(env.stdout)
    assert DISCLAIMER_WORDS in " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) > 40


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
def test_a_bad_columns_falls_back_to_the_terminals_own_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fcntl
    import pty
    import struct
    import termios

    monkeypatch.setenv("COLUMNS", "0")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 67, 0, 0))
    with open(follower, "w", encoding="utf-8") as stdout, open(leader, "rb", buffering=0):
        env = Environment(stdout, io.StringIO(), io.StringIO(), {"COLUMNS": "0"})
        assert env.stdout_width() == 67
        assert Output(env).console().width == 67


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
def test_a_tiny_terminal_still_gets_twenty_columns() -> None:
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 3, 0, 0))
    with open(follower, "w", encoding="utf-8") as stdout, open(leader, "rb", buffering=0):
        env = Environment(stdout, stdout, io.StringIO(), {})
        assert Output(env).console().width == MIN_WIDTH
        assert env.stderr_width() == MIN_WIDTH


@pytest.mark.parametrize("value", ["0", "1", "nope"])
def test_list_with_a_bad_columns_prints_everything(run: RunFn, value: str) -> None:
    result = run("--color", "always", "list", env={"COLUMNS": value})
    assert result.code == 0
    text = ANSI.sub("", result.stdout)
    assert "(ice-packs)" in text or "ice-packs" in text
    assert max(len(line) for line in text.splitlines()) > MIN_WIDTH


# --- 2. --color always and FORCE_COLOR win over TERM=dumb -------------------------------


@pytest.mark.parametrize("term", ["dumb", "unknown", "DUMB"])
@pytest.mark.parametrize(
    ("color", "environ"),
    [(ColorChoice.ALWAYS, {}), (ColorChoice.AUTO, {"FORCE_COLOR": "1"})],
)
def test_forced_colour_wins_over_a_dumb_terminal(
    monkeypatch: pytest.MonkeyPatch, term: str, color: ColorChoice, environ: dict[str, str]
) -> None:
    monkeypatch.setenv("TERM", term)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    env = env_with({"TERM": term, **environ}, stdout=io.StringIO())
    out = Output(env, color)
    assert out.color
    console = out.console()
    assert console.color_system == "standard"
    from rich.text import Text

    console.print(Text("AGAINST", style="bold red"))
    assert "\x1b[" in written(env.stdout)


def test_colour_stays_off_at_a_dumb_terminal_unless_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    out = Output(env_with({"TERM": "dumb"}))
    assert not out.color
    assert out.console().color_system is None


def test_rich_still_detects_colours_when_term_is_not_dumb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    out = Output(env_with({"TERM": "xterm-256color"}), ColorChoice.ALWAYS)
    assert out.console().color_system == "256"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--color", "always", "list"), {"TERM": "dumb"}),
        (("list",), {"TERM": "dumb", "FORCE_COLOR": "1"}),
    ],
)
def test_list_is_coloured_at_term_dumb_when_forced(
    run: RunFn, args: tuple[str, ...], env: dict[str, str]
) -> None:
    result = run(*args, env=env)
    assert result.code == 0
    assert ANSI.search(result.stdout)


# --- 3. missing streams, and a stderr that cannot be written ---------------------------


@pytest.mark.parametrize("missing", ["stdout", "stderr", "stdin"])
def test_a_missing_stream_becomes_the_null_device(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setattr(sys, missing, None)
    env = Environment.from_process()
    stream = getattr(env, missing)
    assert stream is not None
    if missing == "stdin":
        assert stream.readline() == ""
        assert not env.stdin_isatty
    else:
        stream.write("goes nowhere\n")
        stream.flush()
        assert not getattr(env, f"{missing}_isatty")
    out = Output(env)
    out.error("something failed", "a hint")
    out.note("a note")
    render.disclaimer(out)
    stream.close()


def test_a_failing_stderr_never_raises() -> None:
    env = env_with({}, stdout=io.StringIO(), stderr=FullDevice())
    out = Output(env)
    out.note("Ratings: ...")
    out.error("something failed", "a hint")
    out.json_requested = True
    render.failure(out, 2, "something failed")
    render.disclaimer(out)
    assert out.failed
    assert '"error"' in written(env.stdout)


def _python(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/sh", "-c", script, sys.executable],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TERM")},
            "PYTHONPATH": str(PROJECT),
        },
        check=False,
    )


@pytest.mark.skipif(os.name == "nt", reason="needs a POSIX shell")
@pytest.mark.parametrize(
    ("redirect", "args"),
    [
        ("2>&-", "list"),  # the legend goes to stderr
        ("2>&-", "show no-such-remedy"),  # an error goes to stderr
        (">&-", "list"),
        (">&- 2>&-", "list --json"),
        ("<&-", "list"),
    ],
)
def test_a_closed_descriptor_does_not_crash_the_run(redirect: str, args: str) -> None:
    result = _python(f'"$0" -m backcare {args} {redirect}')
    assert "Traceback" not in result.stderr
    assert "AttributeError" not in result.stdout + result.stderr
    if args == "list" and ">&-" not in redirect:
        assert result.returncode == 0
        assert "ice-packs" in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(("args", "code"), [("list", 0), ("list --json", 0), ("suggest", None)])
def test_a_full_stderr_does_not_change_the_exit_code(args: str, code: int | None) -> None:
    expected = _python(f'"$0" -m backcare {args} 2>/dev/null').returncode
    result = _python(f'"$0" -m backcare {args} 2>/dev/full')
    assert result.returncode == expected
    if code is not None:  # the command's output is all there
        assert result.returncode == code
        assert "ice-packs" in result.stdout


# --- 4. the disclaimer after JSON opens with no blank line ----------------------------


def test_the_disclaimer_after_json_has_no_leading_blank_line(run: RunFn) -> None:
    result = run("list", "--json")
    assert result.code == 0
    assert result.stderr.startswith("backcare offers")
    assert DISCLAIMER_WORDS in result.stderr


def test_the_disclaimer_after_a_json_error_is_set_apart() -> None:
    env = env_with({}, stdout=io.StringIO())
    out = Output(env)
    out.json_requested = True
    render.failure(out, 3, "no remedy called 'x'")
    render.disclaimer(out)
    assert written(env.stderr) == f"backcare: error: no remedy called 'x'\n\n{DISCLAIMER}\n"


def test_the_disclaimer_after_a_plain_failure_keeps_its_blank_line() -> None:
    env = env_with({}, stdout=io.StringIO())
    out = Output(env)
    out.error("broken")
    render.disclaimer(out)
    assert written(env.stderr) == f"backcare: error: broken\n\n{DISCLAIMER}\n"


# --- 5. suggest's title under a warning card promises nothing --------------------------


@pytest.mark.parametrize("color", ["never", "always"])
def test_suggest_title_under_a_card_does_not_promise_relief(run: RunFn, color: str) -> None:
    result = run("--color", color, "suggest", "--cause", "posture", "--symptom", URGENT_SIGN)
    text = " ".join(ANSI.sub("", result.stdout).split())
    assert "ease things" not in text
    assert " ".join(AFTER_CARD_TITLE.split()) in text
    assert "rating" in AFTER_CARD_TITLE
