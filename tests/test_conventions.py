"""The conventions of the best command-line tools: pager, clean pipes, flags, completion, help.

The pager is tested the way a person meets it: the installed program in a
pseudo-terminal of a known size, with a fake pager script that marks what
went through it.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from backcare import __version__
from tests.conftest import ANSI, DISCLAIMER_WORDS, RunFn, write_layer
from tests.test_entrypoint import BACKCARE, TIMEOUT, backcare, complete, interrupt_at_prompt

MARK = "<<paged>>"
PAGER = f"""#!{sys.executable}
import os, sys
sys.stdout.write("{MARK} LESS=" + os.environ.get("LESS", "") + "\\n")
sys.stdout.write(sys.stdin.read())
"""

needs_pty = pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")


@pytest.fixture
def fake_pager(tmp_path: Path) -> str:
    script = tmp_path / "fake-pager"
    script.write_text(PAGER, encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def in_terminal(
    *args: str,
    rows: int = 24,
    columns: int = 80,
    when: bytes = b"",
    answer: bytes = b"",
    **env: str,
) -> tuple[int, str]:
    """Run backcare with stdin, stdout and stderr on a terminal of that size.

    Once the screen shows ``when``, ``answer`` is typed.
    """
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PAGER")}
    environ.pop("BACKCARE_PAGER", None)
    environ.update(env, TERM="xterm")
    try:
        process = subprocess.Popen(
            [str(BACKCARE), *args], stdin=follower, stdout=follower, stderr=follower, env=environ
        )
        os.close(follower)
        seen = b""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal closed: every writer is gone
                    break
                if not chunk:
                    break
                seen += chunk
                if when and when in seen and answer:
                    os.write(leader, answer)
                    answer = b""
            elif process.poll() is not None:
                break
        code = process.wait(timeout=TIMEOUT)
    finally:
        os.close(leader)
    return code, ANSI.sub("", seen.decode("utf-8", errors="replace")).replace("\r\n", "\n")


# --- the pager -----------------------------------------------------------------------------


@needs_pty
def test_red_flags_at_80x24_are_paged_emergency_first(fake_pager: str) -> None:
    code, screen = in_terminal("red-flags", BACKCARE_PAGER=fake_pager)
    assert code == 0
    assert MARK in screen
    paged = screen.split(MARK, 1)[1].splitlines()[1:]
    assert "EMERGENCY" in "\n".join(paged[:23])  # on the first screen
    assert DISCLAIMER_WORDS not in screen  # the short disclaimer at a terminal
    assert "not medical advice" in screen.split(MARK, 1)[1]
    # laid out for the terminal's own 80 columns, not for a pipe
    assert max(len(line) for line in paged) <= 80


@needs_pty
def test_the_pager_gets_git_style_less_options(fake_pager: str) -> None:
    _, screen = in_terminal("red-flags", BACKCARE_PAGER=fake_pager)
    assert f"{MARK} LESS=FRX" in screen
    _, screen = in_terminal("red-flags", BACKCARE_PAGER=fake_pager, LESS="-S")
    assert f"{MARK} LESS=-S" in screen


@needs_pty
def test_pager_falls_back_to_pager_variable(fake_pager: str) -> None:
    code, screen = in_terminal("red-flags", PAGER=fake_pager)
    assert (code, MARK in screen) == (0, True)


@needs_pty
@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--no-pager", "red-flags"), {}),
        (("red-flags", "--no-pager"), {}),
        (("--help", "--no-pager"), {}),
        (("red-flags",), {"BACKCARE_PAGER": ""}),
        (("red-flags",), {"PAGER": "cat"}),
        (("red-flags", "--json"), {}),
        (("paths",), {}),  # fits on the screen
    ],
)
def test_no_pager_when_turned_off_fitting_or_json(
    fake_pager: str, args: tuple[str, ...], env: dict[str, str]
) -> None:
    environ = {"BACKCARE_PAGER": fake_pager, **env}
    if "PAGER" in env:
        environ = {"PAGER": env["PAGER"]}
    code, screen = in_terminal(*args, rows=24, columns=80, when=b"", answer=b"", **environ)
    assert code == 0
    assert MARK not in screen
    assert screen.strip()


@needs_pty
def test_a_pager_that_does_not_exist_gives_plain_output_and_no_error(tmp_path: Path) -> None:
    code, screen = in_terminal("red-flags", BACKCARE_PAGER=str(tmp_path / "no-such-pager"))
    assert code == 0
    assert "EMERGENCY" in screen
    assert "error" not in screen.lower()
    assert "not medical advice" in screen


@needs_pty
def test_an_interactive_routine_shows_its_checklist_before_asking(fake_pager: str) -> None:
    code, screen = in_terminal(
        "routine",
        "--no-timer",
        "--no-log",
        when=b"Press Enter",
        answer=b"q\n",
        BACKCARE_PAGER=fake_pager,
    )
    assert MARK not in screen
    before = screen.split("Press Enter", 1)[0]
    assert "Exercise 1 of" in before  # shown at once, not held back for a pager
    assert code in (0, 1, 2)


def test_no_pager_in_a_pipe(fake_pager: str) -> None:
    result = backcare("red-flags", BACKCARE_PAGER=fake_pager)
    assert result.returncode == 0
    assert MARK not in result.stdout


@needs_pty
def test_suggest_pages_the_best_ranked_first_and_keeps_its_exit_code(fake_pager: str) -> None:
    code, screen = in_terminal(
        "suggest", "--cause", "posture", "--symptom", "fever", BACKCARE_PAGER=fake_pager
    )
    assert code == 11
    first = "\n".join(screen.split(MARK, 1)[1].splitlines()[1:24])
    assert "URGENT" in first
    assert "Exercise" in first  # the best-ranked remedy, not the advised-against ones


@needs_pty
def test_ctrl_c_in_a_json_run_gives_the_json_error() -> None:
    code, stdout, _ = interrupt_at_prompt("check", "--json")
    assert code == 130
    assert json.loads(stdout)["error"] == {"code": 130, "message": "interrupted", "hint": None}


# --- clean pipes -----------------------------------------------------------------------------


def test_list_piped_to_cut_gives_the_slugs_alone() -> None:
    result = subprocess.run(
        [str(BACKCARE), "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    slugs = [line.split("\t")[0] for line in result.stdout.split("\n")]
    assert slugs[-1] == ""  # the text ends with one newline, no blank line
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in slugs[:-1])


@needs_pty
def test_the_disclaimer_at_a_terminal_is_two_lines_at_most() -> None:
    code, screen = in_terminal("paths", rows=60)
    assert code == 0
    last = re.split(r"\n\s*\n", screen.rstrip())[-1]
    assert "not medical advice" in last
    assert len(last.strip().splitlines()) <= 2


def test_version_is_the_version_line_alone(run: RunFn) -> None:
    result = run("-V")
    assert result.stdout == f"backcare {__version__}\n"


# --- flags in any position -------------------------------------------------------------------


MY_LAYER = """\
remedies:
  - slug: cold-shower
    name: Cold shower
    category: at-home
    summary: A short cool shower.
    description: A short cool shower after exercise.
    steps: [Keep it short.]
    causes: [overexertion]
    symptoms: [stiffness]
    evidence:
      - source: nice-ng59
        stance: not-addressed
        note: NICE says nothing about it.
      - source: acp-2017
        stance: not-addressed
        note: The ACP says nothing about it.
    sources: [nice-ng59]
"""


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json", "--color", "never"),
        ("--json", "list", "--color=never"),
        ("list", "--content", "{layer}", "--json"),
    ],
)
def test_options_work_before_or_after_the_command(
    run: RunFn, tmp_path: Path, args: tuple[str, ...]
) -> None:
    layer = write_layer(tmp_path / "layer", {"mine.yaml": MY_LAYER})
    result = run(*(a.format(layer=layer) for a in args))
    assert result.code == 0, result.stderr
    slugs = [r["slug"] for r in json.loads(result.stdout)["remedies"]]
    assert ("cold-shower" in slugs) == ("--content" in args)


def test_a_value_that_looks_like_json_stays_a_value(run: RunFn) -> None:
    result = run("suggest", "--symptom", "--json")
    assert result.code == 2
    assert result.stdout == ""  # no JSON was asked for: --json is the symptom
    assert "unknown value '--json' for --symptom" in result.stderr


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        ((), "Usage: backcare [OPTIONS]"),
        (("show",), "Usage: backcare show"),
        (("diary", "list"), "Usage: backcare diary list"),
    ],
)
def test_help_command(run: RunFn, args: tuple[str, ...], usage: str) -> None:
    result = run("help", *args)
    assert result.code == 0
    assert result.stdout.startswith(usage)


# --- did you mean --------------------------------------------------------------------------------

# Checked by tests/test_cli.py's table of errors, with every other error.
ERRORS = [
    (("list", "--rating", "suported"), 2, "did you mean 'supported'?", ""),
    (("list", "--category", "at-hom"), 2, "did you mean 'at-home'?", ""),
    (
        ("suggest", "--cause", "stiffness"),
        2,
        "'stiffness' is a symptom, not a value for --cause",
        "backcare suggest --symptom stiffness",
    ),
    (
        ("suggest", "--cause", "fever"),
        2,
        "'fever' is a warning sign, not a value for --cause",
        "backcare suggest --symptom fever",
    ),
    (
        ("suggest", "--symptom", "posture"),
        2,
        "'posture' is a cause, not a value for --symptom",
        "backcare suggest --cause posture",
    ),
    (("show", "hot"), 2, "'hot' could be more than one remedy: hot-bath or hot-packs", "show hot-"),
    (("show", ""), 2, "the remedy name is empty", "backcare list"),
    (("show", "   "), 2, "the remedy name is empty", "backcare list"),
    (("show", "!!"), 1, "no remedy called '!!'", "backcare list"),
    (("help", "lsit"), 2, "no command called 'lsit' (did you mean 'list'?)", "backcare help"),
    (
        ("help", "diary", "lst"),
        2,
        "no command called 'diary lst' (did you mean 'diary list'?)",
        "backcare diary --help",
    ),
    (("--show-completion", "tcsh"), 2, "unknown shell 'tcsh'", "bash, zsh, fish, powershell"),
    (
        ("--content", "nope", "list"),
        2,
        "the --content folder 'nope' does not exist",
        "check the path",
    ),
    (("list", "--content"), 2, "Option '--content' requires an argument", "backcare --help"),
]


@pytest.mark.parametrize(
    "args", [("show", "ice", "packs"), ("show", "Ice", "Packs"), ("show", "mass")]
)
def test_show_joins_unquoted_words_and_takes_a_unique_beginning(
    run: RunFn, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.code == 0, result.stderr
    assert result.stdout.split(" (", 1)[0] in ("Ice packs", "Massage")


@pytest.mark.parametrize(
    "args",
    [
        ("--json", "--content", "nope", "list"),
        ("list", "--json", "--rating", "bogus"),
        ("--json", "bogus-command"),
        ("show", "hot", "--json"),
    ],
)
def test_a_failing_json_run_always_gives_the_json_error(run: RunFn, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == 2
    assert error["message"]
    assert result.stderr.startswith("backcare: error: ")


# --- completion --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F"),
        ("zsh", "compdef"),
        ("fish", "complete --command backcare"),
        ("powershell", "Register-ArgumentCompleter"),
    ],
)
def test_show_completion_prints_the_script_of_the_shell_named(shell: str, marker: str) -> None:
    result = backcare("--show-completion", shell)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert DISCLAIMER_WORDS not in result.stdout  # the script is eval'd: nothing else in it


def test_completion_after_an_equals_sign_in_bash() -> None:
    # bash splits `--cause=po` into `--cause`, `=`, `po`
    values = complete("backcare suggest --cause = po").stdout.split()
    assert "posture" in values
    assert all(value.startswith("po") for value in values)
    everything = backcare(
        _BACKCARE_COMPLETE="complete_bash",
        COMP_WORDS="backcare suggest --cause =",
        COMP_CWORD="3",
    ).stdout.split()
    assert "posture" in everything
    assert "injury" in everything


# --- help and the man page ----------------------------------------------------------------------


def test_help_lists_environment_and_exit_codes(run: RunFn) -> None:
    text = run("--help").stdout
    for name in ("BACKCARE_PAGER", "PAGER", "NO_COLOR", "BACKCARE_CONTENT"):
        assert name in text
    for code in ("0", "1", "2", "3", "10", "11", "12", "74", "130"):
        assert re.search(rf"^  {code} +\S", text, re.MULTILINE)


@pytest.mark.parametrize(
    "args", [("--help",), ("suggest", "--help"), ("help", "list"), ("diary", "list", "--help")]
)
@pytest.mark.parametrize("columns", ["40", "45"])
def test_narrow_help_fits_and_keeps_every_word_whole(
    run: RunFn, args: tuple[str, ...], columns: str
) -> None:
    narrow = run(*args, env={"COLUMNS": columns}).stdout
    wide = run(*args, env={"COLUMNS": "100"}).stdout
    assert max(len(line) for line in narrow.splitlines()) <= int(columns)
    # the same words in the same order (shell continuations aside): none was split
    assert [w for w in narrow.split() if w != "\\"] == wide.split()


def test_the_man_page_comes_from_the_help(run: RunFn) -> None:
    result = run("--man")
    assert result.code == 0
    page = result.stdout
    assert page.startswith(".TH BACKCARE 1 ")
    for section in ("NAME", "SYNOPSIS", "OPTIONS", "COMMANDS", "ENVIRONMENT", "EXIT STATUS"):
        assert f"\n.SH {section}\n" in page
    for command in ("list", "show", "suggest", "red\\-flags", "check", "help"):
        assert f"\n.SS backcare {command}" in page
    assert "BACKCARE_PAGER" in page
    assert DISCLAIMER_WORDS not in result.stdout.split(".SH NOTES")[0]


@pytest.mark.skipif(shutil.which("groff") is None, reason="needs groff")
def test_the_man_page_renders_without_warnings() -> None:
    page = backcare("--man").stdout
    rendered = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww"],
        input=page,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert rendered.returncode == 0
    assert rendered.stderr == ""
    assert "suggest" in rendered.stdout


def test_help_lists_every_command_once_in_sections_warning_signs_first(run: RunFn) -> None:
    import typer.main

    from backcare.cli.app import SECTIONS, app

    registered = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    placed = [name for _, members in SECTIONS for name in members]
    assert sorted(placed) == sorted(registered), "place a new command in a help section"
    shown = run("--help").stdout
    headings = [shown.index(f"\n{title}:\n") for title, _ in SECTIONS]
    assert headings == sorted(headings)
    assert SECTIONS[0][0] == "Warning signs"
    for name in registered:
        assert shown.count(f"\n  {name} ") == 1, name
