"""The installed program, run as a user runs it: pipes, Ctrl-C, completion, the wheel."""

from __future__ import annotations

import importlib.util
import os
import pty
import select
import signal
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DISCLAIMER_WORDS, write_layer

BIN = Path(sys.executable).parent
BACKCARE = BIN / ("backcare.exe" if os.name == "nt" else "backcare")
PROJECT = Path(__file__).resolve().parent.parent
TIMEOUT = 30

pytestmark = pytest.mark.skipif(not BACKCARE.exists(), reason="backcare is not installed")


def backcare(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BACKCARE), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_console_script_runs(isolated: Path) -> None:
    result = backcare("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("acupressure-acupuncture\t")
    assert DISCLAIMER_WORDS in result.stderr


def test_python_dash_m_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backcare", "show", "ice-packs"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ice packs (ice-packs)")


def test_usage_error_from_the_real_program_has_no_traceback() -> None:
    result = backcare("show", "nonsense")
    assert result.returncode == 1
    assert "did you mean" in result.stderr or "backcare list" in result.stderr
    assert "Traceback" not in result.stderr


# --- a reader that goes away ---------------------------------------------------------------


@pytest.mark.parametrize("args", [("list",), ("show", "medications"), ("list", "--json")])
def test_head_dash_1_ends_quietly(args: tuple[str, ...]) -> None:
    """``backcare list | head -1``: read one line, then close the pipe."""
    process = subprocess.Popen(
        [str(BACKCARE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=TIMEOUT)
    assert first.strip()
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
    assert code == 0, stderr


def test_a_reader_gone_before_the_first_write_ends_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails
    try:
        process = subprocess.run(
            [str(BACKCARE), "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)
    stderr = process.stderr.decode()
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert process.returncode == 0


# --- Ctrl-C ------------------------------------------------------------------------------------


CHECK_PROMPT = b"[y/n/?/b]"


def interrupt_at_prompt(*args: str) -> tuple[int, str, str]:
    """Run backcare on a pseudo-terminal, press Ctrl-C at its first prompt.

    Returns the exit code, stdout, and stderr (the prompt included).
    """
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(BACKCARE), *args],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stderr is not None
        assert process.stdout is not None
        seen = b""
        deadline = time.monotonic() + TIMEOUT
        while CHECK_PROMPT not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 0.5)
            if ready:
                chunk = os.read(process.stderr.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
        assert CHECK_PROMPT in seen, seen.decode(errors="replace")
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=TIMEOUT)
        stderr = seen.decode() + process.stderr.read().decode()
        stdout = process.stdout.read().decode()
    finally:
        os.close(follower)
        os.close(leader)
    return code, stdout, stderr


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
def test_ctrl_c_during_check_exits_130_without_traceback() -> None:
    code, stdout, stderr = interrupt_at_prompt("check")
    assert code == 130
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr
    assert "interrupted" in stderr
    assert "RESULT" not in stdout  # an interrupted screening is no result


# --- shell completion ------------------------------------------------------------------------


def complete(words: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Ask the program for completions the way Typer's bash script does."""
    parts = words.split(" ")
    return backcare(
        _BACKCARE_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(parts) - 1),
        **env,
    )


def test_completion_of_remedy_slugs_for_show() -> None:
    result = complete("backcare show ic")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ice-packs"]


def test_completion_of_cause_values() -> None:
    result = complete("backcare suggest --cause po")
    assert result.returncode == 0
    values = result.stdout.split()
    assert "posture" in values
    assert all(v.startswith("po") for v in values)
    assert DISCLAIMER_WORDS not in result.stdout + result.stderr


def test_completion_of_symptoms_includes_warning_signs() -> None:
    values = complete("backcare suggest --symptom sa").stdout.split()
    assert "saddle-numbness" in values


def test_completion_of_warning_signs_for_check() -> None:
    values = complete("backcare check --yes fe").stdout.split()
    assert values == ["fever"]


def test_completion_answers_with_nothing_when_content_is_broken(tmp_path: Path) -> None:
    layer = write_layer(tmp_path / "broken", {"bad.yaml": "remedies: [\n"})
    result = complete("backcare show ic", BACKCARE_CONTENT=str(layer))
    assert result.returncode == 0
    assert result.stdout.strip() == ""
    assert "Traceback" not in result.stderr


# --- the wheel -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")  # the backend is here already: no download
    result = subprocess.run(
        command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = outdir.glob("backcare-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_the_package_and_the_content(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "backcare/cli/__init__.py" in names
    assert "backcare/query/__init__.py" in names
    assert "backcare/_content/remedies/ice-packs.yaml" in names
    assert "backcare/_content/red-flags.yaml" in names
    assert not any(name.startswith("tests/") for name in names)
    metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
    assert "Project-URL: Homepage, https://" in zipfile.ZipFile(wheel).read(metadata).decode()


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    scripts = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(scripts / "backcare"), "list"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ice-packs\t" in result.stdout
    paths = subprocess.run(
        [str(scripts / "backcare"), "paths"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    builtin = paths.stdout.splitlines()[0].split("\t")
    assert builtin[1] == "built-in"
    assert str(env_dir) in builtin[2]  # the installed copy, not this checkout
    assert builtin[3] == "exists"
