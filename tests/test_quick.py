"""The quick path reads a command line exactly as Typer does, or leaves it to Typer.

``backcare.cli.quick`` runs plain read commands without importing Typer. It
may decline any command line; it may never read one differently. These tests
hold its table to Typer's grammar, compare what both pass to the commands'
bodies for generated command lines, and compare whole runs byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcare.cli import diary_log, quick, reads
from backcare.cli.app import app
from tests.conftest import RunFn

HELP = {"--help", "-h"}


def typer_command(name: str) -> Any:
    """The click command Typer builds for ``name``."""
    import typer.main

    group = typer.main.get_command(app)
    return group.commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(quick.COMMANDS))
def test_the_table_lists_exactly_the_options_typer_declares(name: str) -> None:
    command = typer_command(name)
    table = quick.COMMANDS[name]
    declared: dict[str, tuple[str, bool, bool, tuple[str, ...], object]] = {}
    words = None
    for param in command.params:
        if param.param_type_name == "argument":
            assert param.nargs in (-1, 1), "the table reads one word, or one or more"
            assert param.required
            assert table.many == (param.nargs == -1)
            words = param.name
            continue
        choices = tuple(str(c).casefold() for c in getattr(param.type, "choices", ()))
        for opt in [*param.opts, *param.secondary_opts]:
            if opt not in HELP:
                default = None if param.is_flag or param.multiple else param.default
                declared[opt] = (param.name, not param.is_flag, param.multiple, choices, default)
    listed = {
        opt: (
            option.param,
            option.takes_value,
            option.repeatable,
            tuple(str(m.value).casefold() for m in option.choices or ()),
            option.default,
        )
        for opt, option in table.options.items()
    }
    assert listed == declared
    assert table.words == words


@pytest.mark.parametrize("name", sorted(quick.COMMANDS))
def test_the_body_takes_what_the_table_gives(name: str) -> None:
    import inspect

    table = quick.COMMANDS[name]
    given_names = {o.param for o in table.options.values()} | set(table.fixed)
    given_names |= {table.words} if table.words else set()
    accepted = set(inspect.signature(table.body).parameters) - {"state"}
    assert given_names == accepted


# Words a command line may be made of: every option of the table's commands,
# the root's options, help, choices in several cases, and awkward values.
OPTIONS = sorted({opt for c in quick.COMMANDS.values() for opt in c.options})
AWKWARD = [
    *("--color", "never", "--content", "--region", "uk", "--no-pager", "-V", "--version"),
    *("--help", "-h", "--", "-", "", " ", "--json=1", "-cat-home", "--category=", "-x"),
    *("AT-HOME", "at-home", "Supported", "medication", "lifestyle", "posture", "fever"),
    *("chest-pain", "stiffness", "ice-packs", "ice", "packs", "--cause=posture", "--yes=fever"),
    *("--symptom=sharp-pain", "-r", "-c", "--rating=against", "é", "--Json", "list", "show"),
    *("5", "10", "11", "--at=-2h", "yesterday", "--limits=3", "--note=ok", "--tried=hot-packs"),
]
WORD = st.sampled_from(OPTIONS + AWKWARD) | st.text(max_size=6)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Each body replaced by one that records what it was given and returns 0."""
    import inspect

    calls: list[dict[str, Any]] = []

    def recorder_for(body: Any) -> Any:
        signature = inspect.signature(body)

        def recorder(*args: Any, **kwargs: Any) -> int:
            bound = signature.bind(*args, **kwargs).arguments
            calls.append({k: v for k, v in bound.items() if k != "state"})
            return 0

        return recorder

    for body in {c.body for c in quick.COMMANDS.values()}:
        module = reads if body.__module__ == reads.__name__ else diary_log
        monkeypatch.setattr(module, body.__name__, recorder_for(body))
    return calls


def _typer_reading(run: RunFn, argv: list[str], calls: list[dict[str, Any]]) -> dict[str, Any]:
    calls.clear()
    result = run(*argv)
    assert len(calls) == 1, f"Typer did not run the command: {result.stderr}"
    return calls[0]


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.sampled_from(sorted(quick.COMMANDS)), words=st.lists(WORD, max_size=6))
def test_a_quick_reading_is_always_typers_reading(
    name: str, words: list[str], run: RunFn, recorded: list[dict[str, Any]]
) -> None:
    argv = [name, *words]
    call = quick.parse(argv, {})
    if call is None:
        return  # declined: Typer reads it, whatever it means
    assert call.name == name
    assert _normal(call.params) == _normal(_typer_reading(run, argv, recorded))


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "ice-packs"],
        ["show", "ice", "packs", "--json"],
        ["list", "-c", "AT-HOME", "--rating=supported"],
        ["list", "--category", "device", "--category", "at-home"],
        ["suggest", "--cause", "posture", "--symptom", "stiffness", "--cause=stress"],
        ["search", "--json", "stretch", "muscle"],
        ["causes"],
        ["red-flags", "--json"],
        ["check", "--yes", "fever", "--yes", "chest-pain"],
        ["check", "--none", "--save"],
        ["log", "5"],
        ["log", "4", "--tried", "ice-packs", "--tried=walking", "--note", "after work"],
        ["log", "--at", "yesterday 21:00", "3", "--limits", "2", "--json"],
    ],
    ids=" ".join,
)
def test_typical_command_lines_are_read_quickly_and_alike(
    argv: list[str], run: RunFn, recorded: list[dict[str, Any]]
) -> None:
    call = quick.parse(argv, {})
    assert call is not None, "a plain read command must not need Typer"
    assert _normal(call.params) == _normal(_typer_reading(run, argv, recorded))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--json", "list"],
        ["list", "--color", "never"],
        ["show"],
        ["show", "--help"],
        ["list", "--category", "nonsense"],
        ["list", "--category"],
        ["suggest", "--cause", "--json"],
        ["list", "extra"],
        ["check"],
        ["check", "--save"],
        ["show", "--", "-x"],
        ["list", "-cat-home"],
        ["exercises", "show", "knee-rolls"],
        ["log"],
        ["log", "5", "6"],
        ["log", "-1"],
        ["diary"],
    ],
    ids=lambda argv: " ".join(argv) or "(nothing)",
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert quick.parse(argv, {}) is None


def test_shell_completion_is_always_typers() -> None:
    assert quick.parse(["show", "ice"], {quick.COMPLETE_VAR: "complete_bash"}) is None


def _normal(params: dict[str, Any]) -> dict[str, Any]:
    """Lists and tuples alike, and no list the same as an empty one (Typer gives either)."""
    return {
        key: (list(value) or None) if isinstance(value, (list, tuple)) else value
        for key, value in params.items()
    }


# Whole runs: the console script (quick path) against ``python -c`` through Typer.
THROUGH_TYPER = "import sys; from backcare.cli import main; sys.argv[0] = 'backcare'; main()"


def _both(argv: list[str], tmp_path: Path) -> tuple[Any, Any]:
    env = {**os.environ, "BACKCARE_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "80"}
    env["BACKCARE_DIARY"] = str(tmp_path / "diary.sqlite3")
    quick_run = subprocess.run(
        [sys.executable, "-m", "backcare", *argv], capture_output=True, env=env, check=False
    )
    typer_run = subprocess.run(
        [sys.executable, "-c", THROUGH_TYPER, *argv], capture_output=True, env=env, check=False
    )
    return quick_run, typer_run


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "ice-packs"],
        ["show", "no-such-remedy"],
        ["list", "--json"],
        ["list", "--category", "medication", "--rating", "supported"],
        ["suggest", "--symptom", "chest-pain"],
        ["suggest", "--cause", "nonsense"],
        ["search", "fevr"],
        ["red-flags"],
        ["check", "--yes", "fever", "--json"],
        ["check", "--yes", "fever", "--none"],
        ["symptoms"],
        ["sources"],
        ["recovery", "--json"],
        ["exercises"],
        ["log", "11"],
        ["log", "5", "--tried", "nonsense", "--note", "chest pain"],
    ],
    ids=" ".join,
)
def test_a_quick_run_writes_what_typer_writes(argv: list[str], tmp_path: Path) -> None:
    assert quick.parse(argv, {}) is not None
    quick_run, typer_run = _both(argv, tmp_path)
    assert quick_run.returncode == typer_run.returncode
    assert quick_run.stdout == typer_run.stdout
    assert quick_run.stderr == typer_run.stderr


# --- shell completion -----------------------------------------------------------------------

PARTIAL = ["ic", "ice-packs", "po", "posture", "fe", "fever", "sa", "st", "h", "x", "-", "5"]
COMPLETION_WORDS = [
    *sorted(quick.COMMANDS),
    *OPTIONS,
    *PARTIAL,
    *("--", "--color", "--content", "--help", "-h", "exercises", "diary", "é"),
]


def _typer_completion(run: RunFn, environ: dict[str, str]) -> str:
    result = run(env=environ)
    assert result.code == 0, result.stderr
    return result.stdout


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.sampled_from(sorted(quick.COMMANDS)), data=st.data())
def test_quick_completions_are_typers(name: str, data: st.DataObject, run: RunFn) -> None:
    own = sorted(quick.COMMANDS[name].options)
    # Mostly the command's own options and likely values, sometimes anything.
    word = st.sampled_from(own + PARTIAL) | st.sampled_from(COMPLETION_WORDS)
    words = [name, *data.draw(st.lists(word, max_size=4))]
    trailing_space = data.draw(st.booleans())
    text = " ".join(["backcare", *words]) + (" " if trailing_space else "")
    cword = data.draw(st.integers(1, len(words) + trailing_space))
    environ = {quick.COMPLETE_VAR: "complete_bash", "COMP_WORDS": text, "COMP_CWORD": str(cword)}
    answer = quick.completion(environ)
    if answer is None:
        return
    assert answer + "\n" == _typer_completion(run, environ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("backcare show ic", ["ice-packs"]),
        ("backcare show --json ic", ["ice-packs"]),
        ("backcare check --yes fe", ["fever"]),
        ("backcare suggest --json --cause po", ["posture", "poor-sleep", "poor-support"]),
        ("backcare log 5 --tried ice", ["ice-packs"]),
        ("backcare show zz", []),
    ],
)
def test_common_completions_are_answered_quickly(
    text: str, expected: list[str], run: RunFn
) -> None:
    environ = {
        quick.COMPLETE_VAR: "complete_bash",
        "COMP_WORDS": text,
        "COMP_CWORD": str(len(text.split()) - 1),
    }
    answer = quick.completion(environ)
    assert answer is not None
    assert sorted(answer.split()) == sorted(expected)
    assert answer + "\n" == _typer_completion(run, environ)


@pytest.mark.parametrize(
    ("text", "cword"),
    [
        ("backcare sh", 1),  # a command's name
        ("backcare show --j", 2),  # an option's name
        ("backcare suggest --cause = po", 4),  # bash's split at "="
        ("backcare --content extra show ic", 3),  # a root option
        ("backcare list --category ", 2),  # an option with fixed values: Typer's own
        ('backcare show "ic', 2),  # quoting
    ],
)
def test_other_completions_are_left_to_typer(text: str, cword: int) -> None:
    environ = {quick.COMPLETE_VAR: "complete_bash", "COMP_WORDS": text, "COMP_CWORD": str(cword)}
    assert quick.completion(environ) is None
    assert quick.completion({**environ, quick.COMPLETE_VAR: "complete_zsh"}) is None


def _in_terminal(command: list[str], env: dict[str, str], columns: int) -> tuple[int, bytes]:
    """Run ``command`` with stdin, stdout and stderr a pseudo-terminal ``columns`` wide."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=60), output


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", [40, 200])
@pytest.mark.parametrize(
    "argv", [["show", "ice-packs"], ["list"], ["suggest", "--symptom", "fever"]], ids=" ".join
)
def test_in_a_terminal_a_quick_run_shows_what_typer_shows(
    argv: list[str], columns: int, tmp_path: Path
) -> None:
    env = {**os.environ, "BACKCARE_CACHE_DIR": str(tmp_path / "cache"), "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    quick_code, quick_shown = _in_terminal([sys.executable, "-m", "backcare", *argv], env, columns)
    typer_code, typer_shown = _in_terminal(
        [sys.executable, "-c", THROUGH_TYPER, *argv], env, columns
    )
    assert b"\x1b[" in quick_shown, "a terminal gets colour"
    assert (quick_code, quick_shown) == (typer_code, typer_shown)
