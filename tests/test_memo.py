"""Remembered renderings: a repeat answers the same, and any change of input is seen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backcare import memo
from tests.test_cache import REMEDY

# Runs backcare through its console entry point in a fresh interpreter, with the
# settling time given as the first argument, and writes to the file named second
# whether the command line was loaded at all (if not, the run was answered from memory).
SCRIPT = """
import atexit, sys
from backcare import launch, memo
memo.SETTLE_NS = int(sys.argv[1])
marker = sys.argv[2]
atexit.register(lambda: open(marker, "w").write(str("backcare.cli" in sys.modules)))
sys.argv = ["backcare", *sys.argv[3:]]
launch.main()
"""


class Ran:
    def __init__(self, result: subprocess.CompletedProcess[bytes], replayed: bool) -> None:
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.code = result.returncode
        self.replayed = replayed


def backcare(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Ran:
    marker = tmp_path / "command-line-loaded"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, "0", str(marker), *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return Ran(result, marker.read_text() == "False")


def entries() -> list[Path]:
    place = memo.folder(os.environ)
    assert place is not None
    folder = Path(place)
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("args", "shown"),
    [(["show", "ice-packs"], b"Ice packs"), (["exercises", "show", "knee-rolls"], b"Knee rolls")],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_a_repeat_answers_the_same_without_starting_the_command_line(
    tmp_path: Path, args: list[str], shown: bytes
) -> None:
    first = backcare(tmp_path, *args)
    again = backcare(tmp_path, *args)
    assert not first.replayed
    assert again.replayed
    assert (again.stdout, again.stderr, again.code) == (first.stdout, first.stderr, 0)
    assert shown in again.stdout


def test_a_repeated_completion_request_is_answered_from_memory(tmp_path: Path) -> None:
    request = {"_BACKCARE_COMPLETE": "complete_bash", "COMP_WORDS": "backcare show ic"}
    request["COMP_CWORD"] = "2"
    first = backcare(tmp_path, env=request)
    again = backcare(tmp_path, env=request)
    assert again.replayed
    assert again.stdout == first.stdout
    assert b"ice-packs" in again.stdout
    request["COMP_WORDS"] = "backcare show ho"
    assert b"hot-packs" in backcare(tmp_path, env=request).stdout


def test_the_store_is_private(tmp_path: Path) -> None:
    backcare(tmp_path, "list")
    (entry,) = entries()
    assert entry.stat().st_mode & 0o777 == 0o600
    assert entry.parent.stat().st_mode & 0o777 == 0o700


def test_changing_an_argument_or_the_environment_changes_the_answer(tmp_path: Path) -> None:
    backcare(tmp_path, "show", "ice-packs")
    other = backcare(tmp_path, "show", "heat")
    assert not other.replayed
    assert b"Ice packs" not in other.stdout
    backcare(tmp_path, "show", "ice-packs", env={"NO_COLOR": "1"})
    coloured = backcare(tmp_path, "show", "ice-packs", env={"FORCE_COLOR": "1"})
    assert not coloured.replayed
    assert b"\x1b[" in coloured.stdout


def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path: Path) -> None:
    layer = tmp_path / "layer"
    layer.mkdir()
    target = layer / "mine.yaml"
    target.write_text(REMEDY, encoding="utf-8")
    backcare(tmp_path, "--content", str(layer), "show", "knee-hug")
    assert backcare(tmp_path, "--content", str(layer), "show", "knee-hug").replayed
    before = target.stat()
    target.write_text(REMEDY.replace("Hug one knee", "Tug one knee"), encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or rsync -t do
    assert target.stat().st_size == before.st_size
    # The parsed-content cache goes by size and time; this test is about the memo alone.
    for cached in Path(os.environ["BACKCARE_CACHE_DIR"]).glob("catalog-*.json"):
        cached.unlink()
    edited = backcare(tmp_path, "--content", str(layer), "show", "knee-hug")
    assert not edited.replayed
    assert b"Tug one knee" in edited.stdout


def test_a_new_file_in_a_layer_is_seen(tmp_path: Path) -> None:
    layer = tmp_path / "layer"
    layer.mkdir()
    (layer / "mine.yaml").write_text(REMEDY, encoding="utf-8")
    backcare(tmp_path, "--content", str(layer), "list")
    (layer / "more.yaml").write_text(REMEDY.replace("knee-hug", "knee-rock"), encoding="utf-8")
    listed = backcare(tmp_path, "--content", str(layer), "list")
    assert not listed.replayed
    assert b"knee-rock" in listed.stdout


def test_a_configuration_file_is_seen_when_added_or_edited(tmp_path: Path) -> None:
    config = tmp_path / "config"
    env = {"XDG_CONFIG_HOME": str(config)}
    backcare(tmp_path, "list", env=env)
    (config / "backcare").mkdir(parents=True)
    settings = config / "backcare" / "config.toml"
    settings.write_text('color = "never"\n', encoding="utf-8")
    assert not backcare(tmp_path, "list", env=env).replayed
    assert backcare(tmp_path, "list", env=env).replayed
    before = settings.stat()
    settings.write_text('color = "auto" \n', encoding="utf-8")  # the same size
    os.utime(settings, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert settings.stat().st_size == before.st_size
    assert not backcare(tmp_path, "list", env=env).replayed


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--yes", "fever", "--save"],  # a screening kept in the diary
        ["validate"],
        ["routine", "--no-log"],
        ["show", "no-such-remedy"],  # a failure
        ["--version"],
    ],
    ids=" ".join,
)
def test_stateful_commands_and_failures_are_never_remembered(
    tmp_path: Path, args: list[str]
) -> None:
    backcare(tmp_path, *args)
    assert not backcare(tmp_path, *args).replayed
    assert entries() == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "--yes", "fever"], 11),
        (["check", "--none"], 0),
        (["suggest", "--symptom", "chest-pain"], 12),
        (["search", "chest pain"], 12),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_a_warning_card_is_remembered_with_its_exit_code(
    tmp_path: Path, args: list[str], code: int
) -> None:
    first = backcare(tmp_path, *args)
    again = backcare(tmp_path, *args)
    assert first.code == code
    assert again.replayed
    assert (again.stdout, again.stderr, again.code) == (first.stdout, first.stderr, code)


def test_the_remembered_exit_codes_are_success_and_the_warning_levels() -> None:
    from backcare.errors import ExitStatus

    levels = {ExitStatus.SEE_A_DOCTOR_SOON, ExitStatus.URGENT, ExitStatus.EMERGENCY}
    assert {ExitStatus.OK, *levels} == memo.REMEMBERED_EXITS


def test_a_recent_edit_is_not_remembered(tmp_path: Path) -> None:
    layer = tmp_path / "layer"
    layer.mkdir()
    (layer / "mine.yaml").write_text(REMEDY, encoding="utf-8")
    marker = tmp_path / "marker"
    args = ["--content", str(layer), "list"]
    command = [sys.executable, "-c", SCRIPT, str(60 * 10**9), str(marker), *args]
    subprocess.run(command, capture_output=True, check=True)
    assert entries() == []


@pytest.mark.parametrize("tamper", ["readable by others", "symbolic link", "too large"])
def test_an_entry_that_is_not_private_and_bounded_is_ignored(tmp_path: Path, tamper: str) -> None:
    backcare(tmp_path, "show", "ice-packs")
    (entry,) = entries()
    data = entry.read_bytes().replace(b"Ice packs", b"Forged!!!")
    if tamper == "readable by others":
        entry.write_bytes(data)
        entry.chmod(0o644)
    elif tamper == "symbolic link":
        elsewhere = tmp_path / "forged"
        elsewhere.write_bytes(data)
        elsewhere.chmod(0o600)
        entry.unlink()
        entry.symlink_to(elsewhere)
    else:
        entry.write_bytes(data + b"0" * memo.MAX_BYTES)
    again = backcare(tmp_path, "show", "ice-packs")
    assert not again.replayed
    assert b"Forged" not in again.stdout


def test_the_key_holds_version_folder_terminal_and_source(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    argv, environ = ["list"], {"HOME": str(tmp_path)}
    base = memo.key(argv, environ)
    monkeypatch.setattr(memo, "__version__", "99.0")
    assert memo.key(argv, environ) != base
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)  # a relative --content names another folder
    assert memo.key(argv, environ) != base
    monkeypatch.undo()

    class Terminal:
        encoding, errors = "utf-8", "strict"

        def isatty(self) -> bool:
            return True

        def fileno(self) -> int:
            raise OSError

    monkeypatch.setattr(sys, "stderr", Terminal())
    assert memo.key(argv, environ) != base
    monkeypatch.undo()
    source = tmp_path / "package"
    source.mkdir()
    (source / "module.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(memo, "_PACKAGE", str(source))
    before = memo.key(argv, environ)
    (source / "module.py").write_text("A = 2\n", encoding="utf-8")
    assert memo.key(argv, environ) != before
