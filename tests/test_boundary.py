"""The boundary with the machine: the cache, names and bytes from outside, the environment.

Fault injection: every kind of damaged cache, a signal at every stage of a
cache write, concurrent runs while content changes. Each ends with the right
output or a one-line error: never a traceback, a hang, stale text or a weaker
warning sign.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from backcare import cache, content, paths
from backcare.escape import shown
from backcare.models import Layer
from tests.conftest import DISCLAIMER_WORDS, RunFn, write_layer

TIMEOUT = 60
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system features")

REMEDY = """\
remedies:
  - slug: knee-hug
    name: Knee hug NAME
    category: at-home
    summary: Hug one knee to your chest.
    description: Pull one knee gently towards your chest and hold it.
    steps: [Lie on your back with both knees bent.]
    causes: [posture]
    symptoms: [stiffness]
"""


def remedy(name: str) -> str:
    """A remedy file whose size does not depend on ``name`` (four letters)."""
    assert len(name) == 4
    return REMEDY.replace("NAME", name)


def layers(*extra: str | Path) -> list[Layer]:
    return paths.content_layers(os.environ, [str(p) for p in extra])


def cache_folder() -> Path:
    return paths.user_cache_dir(os.environ)


def the_cache_file() -> Path:
    [found] = cache_folder().glob("catalog-*.json")
    return found


def backcare(
    *args: str | bytes,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    memory: int | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run the real program (``python -m backcare``) and return its raw bytes.

    ``memory`` limits its address space, as a container or ``ulimit -v`` would.
    """

    def limit() -> None:
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "backcare", *args],
        capture_output=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        preexec_fn=limit if memory is not None else None,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")


# --- the cache never shows stale content ------------------------------------------------


def test_an_edit_that_keeps_size_and_times_is_seen(tmp_path: Path) -> None:
    # touch -d / cp -p / rsync -t / tar x: the same size and modification time.
    target = write_layer(tmp_path / "mine", {"a.yaml": remedy("AAAA")}) / "a.yaml"
    os.utime(target, ns=(10**18, 10**18))
    assert cache.load_catalog_cached(layers(target.parent), os.environ).remedies[-1].name == (
        "Knee hug AAAA"
    )
    target.write_text(remedy("BBBB"), encoding="utf-8")
    os.utime(target, ns=(10**18, 10**18))
    loaded = cache.load_catalog_cached(layers(target.parent), os.environ)
    assert loaded.remedy_by_slug["knee-hug"].name == "Knee hug BBBB"


def test_a_file_replaced_by_a_copy_with_the_same_size_and_times_is_seen(tmp_path: Path) -> None:
    folder = write_layer(tmp_path / "mine", {"a.yaml": remedy("AAAA")})
    os.utime(folder / "a.yaml", ns=(10**18, 10**18))
    cache.load_catalog_cached(layers(folder), os.environ)
    copy = write_layer(tmp_path / "other", {"a.yaml": remedy("CCCC")}) / "a.yaml"
    os.utime(copy, ns=(10**18, 10**18))
    os.replace(copy, folder / "a.yaml")  # a new inode, as cp -p or rsync leave
    loaded = cache.load_catalog_cached(layers(folder), os.environ)
    assert loaded.remedy_by_slug["knee-hug"].name == "Knee hug CCCC"


def test_an_edit_in_the_same_clock_tick_is_seen_by_its_checksum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file system whose times do not change within a tick (whole seconds):
    # every stat of the file answers what it answered before the edit.
    target = write_layer(tmp_path / "mine", {"a.yaml": remedy("AAAA")}) / "a.yaml"
    frozen = os.stat(target)
    real_stat = os.stat

    def coarse_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        return frozen if os.fspath(path) == str(target) else real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", coarse_stat)
    cache.load_catalog_cached(layers(target.parent), os.environ)
    target.write_text(remedy("DDDD"), encoding="utf-8")
    loaded = cache.load_catalog_cached(layers(target.parent), os.environ)
    assert loaded.remedy_by_slug["knee-hug"].name == "Knee hug DDDD"


def test_relative_folders_of_one_name_run_from_elsewhere_do_not_share_a_slot(
    tmp_path: Path,
) -> None:
    for where, name in (("one", "EEEE"), ("two", "FFFF")):
        target = write_layer(tmp_path / where / "mine", {"a.yaml": remedy(name)}) / "a.yaml"
        os.utime(target, ns=(10**18, 10**18))
    first = backcare("--content", "mine", "show", "knee-hug", cwd=tmp_path / "one")
    second = backcare("--content", "mine", "show", "knee-hug", cwd=tmp_path / "two")
    assert first.stdout.startswith(b"Knee hug EEEE (knee-hug)")
    assert second.stdout.startswith(b"Knee hug FFFF (knee-hug)")
    assert len(list(cache_folder().glob("catalog-*.json"))) == 2


# --- a damaged cache is input too ----------------------------------------------------------


def reference_show() -> bytes:
    result = backcare("show", "ice-packs", env={"BACKCARE_CACHE_DIR": ""})
    assert result.returncode == 0
    return result.stdout


def damage(kind: str, path: Path) -> None:
    """Put a damaged cache of ``kind`` where the cache file is."""
    path.unlink()
    if kind == "garbage":
        path.write_bytes(os.urandom(4096))
    elif kind == "deep-nesting":
        path.write_text("[" * 200_000, encoding="ascii")
    elif kind == "deep-mixed-nesting":
        path.write_text('{"key":' + '[{"a":' * 100_000, encoding="ascii")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "symlink-to-a-good-cache":
        good = path.with_name("elsewhere.json")
        path.symlink_to(good)
    elif kind == "huge":
        with path.open("wb") as stream:
            stream.truncate(2 * 1024**3)  # 2 GB, sparse
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "folder":
        path.mkdir()
    else:
        raise AssertionError(kind)


@POSIX
@pytest.mark.parametrize(
    "kind",
    [
        "garbage",
        "deep-nesting",
        "deep-mixed-nesting",
        "fifo",
        "symlink-to-dev-zero",
        "symlink-to-a-good-cache",
        "huge",
        "empty",
        "folder",
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(kind: str) -> None:
    expected = reference_show()
    first = backcare("show", "ice-packs")  # writes the cache
    assert first.stdout == expected
    path = the_cache_file()
    if kind == "symlink-to-a-good-cache":
        path.rename(path.with_name("elsewhere.json"))
        path.touch()
    damage(kind, path)
    # A FIFO must not hang it (TIMEOUT fails the test), nor /dev/zero or a 2 GB file
    # exhaust its memory.
    result = backcare("show", "ice-packs", memory=1024**3)
    no_traceback(result)
    assert result.returncode == 0
    assert result.stdout == expected
    assert result.stderr == first.stderr  # the reminder and disclaimer, and no warning


def forge(path: Path, change: Any) -> None:
    """Edit the cache's JSON as a forger would, keeping its key."""
    document = json.loads(path.read_text(encoding="ascii"))
    change(document["catalog"])
    path.write_text(json.dumps(document), encoding="ascii")


def relevel(catalog: dict[str, Any]) -> None:
    for row in catalog["red_flags"]:
        if row[0] == "saddle-numbness":
            row[1] = "soon"
            row[4] = "Nothing to worry about."


def drop_emergencies(catalog: dict[str, Any]) -> None:
    catalog["red_flags"] = [row for row in catalog["red_flags"] if row[1] != "emergency"]


def disown(catalog: dict[str, Any]) -> None:
    # The sign no longer counts as built-in, so it is left out of the digest...
    for row in catalog["red_flags"]:
        if row[0] == "saddle-numbness":
            row[1], row[-1] = "soon", "user (elsewhere)"


def shadow(catalog: dict[str, Any]) -> None:
    # ...or a second, milder copy comes after the built-in one and wins the lookup.
    [row] = [r for r in catalog["red_flags"] if r[0] == "saddle-numbness"]
    catalog["red_flags"].append([row[0], "soon", *row[2:-1], "user (elsewhere)"])


def calm_the_emergency_level(catalog: dict[str, Any]) -> None:
    for row in catalog["levels"]:
        if row[0] == "emergency":
            row[1] = "Rest and see how you feel."


@pytest.mark.parametrize(
    "change", [relevel, drop_emergencies, disown, shadow, calm_the_emergency_level]
)
def test_a_forged_cache_cannot_weaken_a_warning_sign(run: RunFn, change: Any) -> None:
    assert run("check", "--yes", "saddle-numbness").code == 12
    forge(the_cache_file(), change)
    checked = run("check", "--yes", "saddle-numbness", "--json")
    assert checked.code == 12
    assert json.loads(checked.stdout)["result"] == "emergency"
    flags = json.loads(run("red-flags", "--json").stdout)["red_flags"]
    assert [f["level"] for f in flags if f["id"] == "saddle-numbness"] == ["emergency"]
    assert (
        flags
        == json.loads(run("red-flags", "--json", env={"BACKCARE_CACHE_DIR": ""}).stdout)[
            "red_flags"
        ]
    )
    assert "Nothing to worry about" not in run("red-flags").stdout
    fresh = run("check", "--yes", "saddle-numbness", "--json", env={"BACKCARE_CACHE_DIR": ""})
    assert checked.stdout == fresh.stdout


def renumber(catalog: dict[str, Any]) -> None:
    for row in catalog["regions"]:
        if row[0] == "uk":
            row[2], row[3] = "0800 000 000", ["0800000000"]


def add_a_region(catalog: dict[str, Any]) -> None:
    [uk] = [row for row in catalog["regions"] if row[0] == "uk"]
    catalog["regions"].insert(0, ["uk2", "United Kingdom", "0800", ["0800"], *uk[4:-1], "x"])


@pytest.mark.parametrize("change", [renumber, add_a_region])
def test_a_forged_cache_cannot_change_an_emergency_number(run: RunFn, change: Any) -> None:
    args = ("--region", "uk", "check", "--yes", "saddle-numbness")
    fresh = run(*args, env={"BACKCARE_CACHE_DIR": ""})
    assert fresh.code == 12
    assert "999" in fresh.stdout
    forge(_warm(run), change)
    forged = run(*args)
    assert forged.code == 12
    assert forged.stdout == fresh.stdout
    assert "0800" not in forged.stdout + forged.stderr


def _warm(run: RunFn) -> Path:
    assert run("list").code == 0
    return the_cache_file()


def test_the_digest_covers_every_section_only_the_built_in_content_may_hold() -> None:
    assert cache._BUILTIN_ONLY == content.BUILTIN_ONLY_SECTIONS
    assert set(content.PROTECTED_SECTIONS) <= {*cache._SAFETY_SECTIONS, "sources"}


def wrong_type(catalog: dict[str, Any]) -> None:
    catalog["remedies"][0][1] = 42  # a name that is a number


def wrong_list(catalog: dict[str, Any]) -> None:
    catalog["remedies"][0][5] = ["a step", 7]


def broken_link(catalog: dict[str, Any]) -> None:
    catalog["remedies"][0][13] = ["no-such-source"]


def short_row(catalog: dict[str, Any]) -> None:
    catalog["remedies"][0] = catalog["remedies"][0][:3]


def not_a_list(catalog: dict[str, Any]) -> None:
    catalog["causes"] = {"a": 1}


@pytest.mark.parametrize("change", [wrong_type, wrong_list, broken_link, short_row, not_a_list])
def test_a_forged_cache_of_the_wrong_shape_is_ignored(run: RunFn, change: Any) -> None:
    expected = run("show", "acupressure-acupuncture")
    forge(the_cache_file(), change)
    for args in (("show", "acupressure-acupuncture"), ("list",), ("search", "heat")):
        result = run(*args)
        assert result.code in (0, 1)
    assert run("show", "acupressure-acupuncture") == expected


def test_the_screening_digest_is_that_of_the_built_in_content() -> None:
    builtin = [layer for layer in layers() if layer.label == "built-in"]
    actual = cache.screening_digest(cache._catalog_to(content.load_catalog(builtin)))
    from backcare import screening_digest

    assert actual == screening_digest.SCREENING, (
        "the built-in warning signs, levels or sources changed: set SCREENING in"
        f" backcare/screening_digest.py to {actual!r}"
    )


# --- the cache folder --------------------------------------------------------------------


@POSIX
def test_the_cache_folder_is_created_private(run: RunFn, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "cache"
    assert run("list", env={"BACKCARE_CACHE_DIR": str(folder)}).code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [written] = folder.glob("catalog-*.json")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


@POSIX
@pytest.mark.parametrize("mode", [0o777, 0o775, 0o1777])
def test_a_cache_folder_others_may_write_is_not_used(run: RunFn, tmp_path: Path, mode: int) -> None:
    folder = tmp_path / "shared"
    assert run("check", "--yes", "saddle-numbness", env={"BACKCARE_CACHE_DIR": str(folder)}).code
    forge(next(folder.glob("catalog-*.json")), relevel)
    folder.chmod(mode)
    result = run("check", "--yes", "saddle-numbness", env={"BACKCARE_CACHE_DIR": str(folder)})
    assert result.code == 12
    assert result.stderr.count("backcare: warning: the cache folder") == 1
    assert "others may write to it (make it private: chmod 700)" in result.stderr


@POSIX
def test_a_cache_folder_of_another_user_is_not_used(
    run: RunFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("list").code == 0
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    result = run("list")
    assert result.code == 0
    assert "is not used: it belongs to another user" in result.stderr


@POSIX
def test_a_cache_file_of_another_user_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.load_catalog_cached(layers(), os.environ)
    path = the_cache_file()
    assert cache.read_bounded(path, 10**9, own=True) is not None
    path.chmod(0o666)
    assert cache.read_bounded(path, 10**9, own=True) is None


# --- no leftovers ---------------------------------------------------------------------------

# Runs backcare with a signal sent to itself at one stage of the cache write.
SIGNAL_AT_STAGE = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
stage, number = sys.argv[1], int(sys.argv[2])
real_fdopen, real_replace = os.fdopen, os.replace

def fdopen(*args, **kwargs):
    if stage == "opened":
        os.kill(os.getpid(), number)
    return real_fdopen(*args, **kwargs)

def replace(source, target):
    if stage == "written":
        os.kill(os.getpid(), number)
    real_replace(source, target)
    if stage == "renamed":
        os.kill(os.getpid(), number)

os.fdopen, os.replace = fdopen, replace
sys.argv = ["backcare", "show", "ice-packs"]
from backcare.cli import main
main()
"""


@POSIX
@pytest.mark.parametrize("stage", ["opened", "written", "renamed"])
@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_signal_at_any_stage_of_a_cache_write_leaves_nothing_behind(
    stage: str, number: int
) -> None:
    expected = reference_show()
    killed = subprocess.run(
        [sys.executable, "-c", SIGNAL_AT_STAGE, stage, str(int(number))],
        capture_output=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    no_traceback(killed)
    if number == signal.SIGINT:
        assert killed.returncode == 130
        assert killed.stderr.lstrip(b"\n").startswith(b"backcare: error: interrupted\n")
        assert list(cache_folder().glob("*.tmp")) == []  # removed by the run itself
    after = backcare("show", "ice-packs")
    no_traceback(after)
    assert after.returncode == 0
    assert after.stdout == expected
    assert list(cache_folder().glob("*.tmp")) == []
    assert backcare("show", "ice-packs").stdout == expected


@POSIX
def test_stale_temporary_files_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    killed = folder / f"catalog-0000abcd.json.{ended.stdout.strip()}.tmp"  # its writer is gone
    silent = folder / f"catalog-0000abcd.json.{os.getppid()}.tmp"  # untouched for ages
    other = folder / "notes.tmp"  # not backcare's
    for path in (killed, silent, other):
        path.write_bytes(b"{" * 100)
    os.utime(silent, ns=(0, 0))
    cache.load_catalog_cached(layers(), os.environ)
    assert not killed.exists()
    assert not silent.exists()
    assert other.exists()
    in_progress = folder / f"catalog-0000abcd.json.{os.getppid()}.tmp"
    in_progress.write_bytes(b"{")
    write_layer(tmp_path / "more", {"a.yaml": remedy("GGGG")})
    cache.load_catalog_cached(layers(tmp_path / "more"), os.environ)  # another write
    assert in_progress.exists()


# --- concurrent runs while content changes -------------------------------------------------


@POSIX
def test_concurrent_runs_while_content_changes_end_with_the_last_version(tmp_path: Path) -> None:
    folder = write_layer(tmp_path / "mine", {"a.yaml": remedy("V000")})
    target = folder / "a.yaml"
    args = [sys.executable, "-m", "backcare", "--content", str(folder), "show", "knee-hug"]
    versions = [f"V{n:03d}" for n in range(8)]
    running = []
    for version in versions:
        target.write_text(remedy(version), encoding="utf-8")  # in place: the same inode
        os.utime(target, ns=(10**18, 10**18))  # and the same size and times
        running += [
            subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
        ]
    for process in running:
        out, err = process.communicate(timeout=TIMEOUT)
        assert b"Traceback" not in err
        if process.returncode == 0:
            assert any(out.startswith(f"Knee hug {v} (knee-hug)".encode()) for v in versions)
        else:  # caught mid-write: one line, and the disclaimer
            assert process.returncode == 3
            assert err.startswith(b"backcare: error: ")
    final = backcare("--content", str(folder), "show", "knee-hug")
    assert final.stdout.startswith(b"Knee hug V007 (knee-hug)")


# --- names and bytes from outside ------------------------------------------------------------

FORGED_NAME = "a\nfake.yaml:1:1: BC000 forged\nb.yaml"


def test_shown_escapes_names_as_ls_does() -> None:
    assert shown("plain name.yaml") == "plain name.yaml"
    assert shown("a\nb.yaml") == "$'a\\nb.yaml'"
    assert shown("c\x9b.yaml") == "$'c\\u009b.yaml'"
    assert shown("d\udcff.yaml") == "$'d\\xff.yaml'"  # the byte 0xff, as Python decodes it
    assert shown("e\x1b[31m'\\.yaml") == "$'e\\x1b[31m\\'\\\\.yaml'"
    assert shown("f\u202eg.yaml") == "$'f\\u202eg.yaml'"


@POSIX
def test_a_file_name_cannot_forge_a_finding_line(run: RunFn, tmp_path: Path) -> None:
    folder = write_layer(tmp_path / "layer", {FORGED_NAME: "remedy: []\n"})
    result = run("validate", str(folder))
    assert result.code == 3
    lines = result.stdout.splitlines()
    assert not any(line.startswith("fake.yaml") for line in lines)
    assert lines[0].startswith(f"$'{folder}/a\\nfake.yaml:1:1: BC000 forged\\nb.yaml':1:1: BC005")
    listed = run("--content", str(folder), "list")
    assert listed.code == 3
    assert "\nfake.yaml" not in listed.stderr
    assert listed.stderr.splitlines()[1] == (
        f"backcare: to check it, run: backcare validate $'{folder}/a\\nfake.yaml:1:1: BC000"
        " forged\\nb.yaml'"
    )


# A folder name, and the bytes of it that may never reach an output as they are.
NAMES = {
    "newline": (b"a\nb", b"a\nb"),
    "c1-control": ("c\x9b".encode(), b"\xc2\x9b"),
    "raw-c1-byte": (b"c\x9b", b"c\x9b"),
    "escape": (b"e\x1b[31m", b"\x1b"),
    "invalid-utf8": (b"f\xff\xfe", b"\xff"),
    "override": ("g\u202eh".encode(), "\u202e".encode()),
}


def strings(value: Any) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


@POSIX
@pytest.mark.parametrize("name", list(NAMES))
def test_a_strange_folder_name_is_escaped_in_every_output_mode(tmp_path: Path, name: str) -> None:
    given, unsafe = NAMES[name]
    raw = os.fsencode(tmp_path) + b"/" + given
    os.mkdir(raw)
    with open(raw + b"/mine.yaml", "w", encoding="utf-8") as stream:
        stream.write(remedy("HHHH"))
    folder = os.fsdecode(raw)
    for args in (
        ("paths",),
        ("paths", "--json"),
        ("show", "knee-hug"),
        ("show", "knee-hug", "--json"),
        ("list", "--json"),
        ("validate", folder),
        ("validate", folder, "--json"),
    ):
        result = backcare(b"--content", raw, *args, env={"FORCE_COLOR": ""})
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        text = result.stdout.decode("utf-8")  # valid UTF-8, always
        assert unsafe not in result.stdout + result.stderr
        found = strings(json.loads(text)) if "--json" in args else text.splitlines()
        if args != ("validate", folder, "--json"):  # clean: no paths to show
            assert any(shown(folder) in line for line in found)
    shown_line = backcare(b"--content", raw, "show", "knee-hug").stdout.decode().splitlines()
    assert any(f"Layer: --content ({shown(folder)})." in line for line in shown_line)


@POSIX
def test_a_layer_with_a_strange_name_is_cached_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_layer(tmp_path / "we\x9bird\nname", {"a.yaml": remedy("LLLL")})
    first = cache.load_catalog_cached(layers(folder), os.environ)

    def fail(*args: object) -> None:
        raise AssertionError("parsed YAML although nothing changed")

    monkeypatch.setattr(content, "load_catalog", fail)
    again = cache.load_catalog_cached(layers(folder), os.environ)
    assert again.remedies == first.remedies
    assert again.remedy_by_slug["knee-hug"].origin == f"--content ({shown(str(folder))})"


ARGUMENT_RUNS: list[Sequence[bytes | str]] = [
    ("show", b"\xff\xfe", "--json"),
    ("show", b"\xff\x9b"),
    ("search", b"\xff\xfe", "--json"),
    ("search", b"zzzz\xff"),
    ("suggest", "--cause", b"\xff", "--json"),
    ("suggest", "--symptom", b"\x9b\xff"),
    ("check", "--yes", b"\xff", "--json"),
    ("--content", b"\xff\xfe", "list", "--json"),
    ("--content", b"\xff\xfe", "list"),
    ("validate", b"\xff\xfe", "--json"),
    ("validate", b"\xff\xfe"),
]


@POSIX
@pytest.mark.parametrize("args", ARGUMENT_RUNS, ids=lambda a: " ".join(map(str, a)))
def test_arguments_that_are_not_utf8_never_make_the_output_invalid(
    args: Sequence[bytes | str],
) -> None:
    result = backcare(*args)
    no_traceback(result)
    assert result.returncode in (1, 2, 3)
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")  # valid UTF-8
    assert "\\xff" in out + err
    assert "\x9b" not in out + err
    if "--json" in args:
        assert "\\\\xff" in out or "\\\\x9b" in out
        json.loads(out)
    assert err.count("\n") <= 4  # an error, a hint, and the disclaimer


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--category", "VALUE"),
        ("list", "--category=VALUE"),
        ("list", "-cVALUE"),
        ("list", "--rating", "VALUE"),
        ("--color", "VALUE", "list"),
        ("list", "--json", "--rating", "VALUE"),
    ],
)
def test_a_huge_option_value_is_echoed_as_a_short_prefix(run: RunFn, args: tuple[str, ...]) -> None:
    huge = "x" * 100_000
    result = run(*(a.replace("VALUE", huge) for a in args))
    assert result.code == 2
    assert len(result.stderr) < 1000
    assert len(result.stdout) < 1000
    assert "x" * 59 + "\u2026" in result.stderr
    assert "x" * 61 not in result.stderr + result.stdout


# --- environments ---------------------------------------------------------------------------


@pytest.fixture
def no_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A user with no HOME and no password entry (``env -i``, a container, ``unshare``)."""
    for name in (
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "XDG_CONFIG_HOME",
        "BACKCARE_CACHE_DIR",
        "USERPROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    if os.name == "posix":
        import pwd

        def no_entry(uid: int) -> Any:
            raise KeyError(f"getpwuid(): uid not found: {uid}")

        monkeypatch.setattr(pwd, "getpwuid", no_entry)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_without_a_home_folder_backcare_runs_and_says_so_once(run: RunFn, no_home: Path) -> None:
    result = run("show", "ice-packs")
    assert result.code == 0
    assert result.stdout.startswith("Ice packs (ice-packs)")
    assert result.stderr.count("backcare: warning: no home folder") == 1
    assert "running without a user content folder, a config file or a cache" in result.stderr
    assert list(no_home.iterdir()) == []  # no "~" folder made in the working folder
    assert run("check", "--yes", "saddle-numbness").code == 12
    listed = run("paths")
    assert listed.code == 0
    assert "\tuser\t" not in listed.stdout
    assert run("validate").code == 0


def test_without_a_home_folder_an_explicit_cache_folder_is_still_used(
    run: RunFn, no_home: Path
) -> None:
    result = run("list", env={"BACKCARE_CACHE_DIR": str(no_home / "cache")})
    assert result.code == 0
    assert "running without a user content folder or a config file\n" in result.stderr
    assert list((no_home / "cache").glob("catalog-*.json"))


def test_without_a_home_folder_the_diary_has_no_place_unless_named(no_home: Path) -> None:
    from backcare import store

    with pytest.raises(paths.NoHomeError) as raised:
        store.diary_path(os.environ)
    assert raised.value.message.startswith("no home folder (")
    assert raised.value.hint == "set HOME to your home folder"
    assert raised.value.exit_status == 2
    assert store.diary_path({"BACKCARE_DIARY": str(no_home / "d.sqlite3")}).parent == no_home


def refuse_user_folder(monkeypatch: pytest.MonkeyPatch, how: str) -> Path:
    """Make the per-user folder exist but be unreadable, as for another user (even for root)."""
    folder = paths.user_data_dir(os.environ)
    write_layer(folder, {"mine.yaml": remedy("IIII")})
    if how == "stat":  # a folder on the way that may not be searched
        real_stat = os.stat

        def refuse(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            if os.fspath(path) == str(folder):
                raise PermissionError(13, "Permission denied", str(path))
            return real_stat(path, *args, **kwargs)

        monkeypatch.setattr(os, "stat", refuse)
    else:  # chmod 000 on the folder itself
        real_access = os.access
        monkeypatch.setattr(
            os,
            "access",
            lambda path, mode, **kw: os.fspath(path) != str(folder) and real_access(path, mode),
        )
    return folder


@pytest.mark.parametrize("how", ["stat", "list"])
def test_an_unreadable_user_folder_is_reported_not_skipped_silently(
    run: RunFn, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    folder = refuse_user_folder(monkeypatch, how)
    listed = run("paths")
    assert f"2\tuser\t{folder}\tcannot be read: Permission denied (BC013)\n" in listed.stdout
    as_json = json.loads(run("paths", "--json").stdout)["layers"][1]
    assert as_json["problem"] == "Permission denied"
    assert as_json["exists"] is False
    checked = run("validate")
    assert checked.code == 3
    assert f"{folder}: BC013 cannot be read: Permission denied" in checked.stdout
    first = run("list")
    assert first.code == 0
    assert first.stderr.count(f"your content folder {folder} cannot be read") == 1
    assert "its content is skipped (BC013; see 'backcare validate')" in first.stderr
    assert run("check", "--yes", "saddle-numbness").code == 12


@POSIX
@pytest.mark.parametrize("link", ["outside-broken", "dangling", "device"])
def test_validate_and_loading_reach_one_verdict_on_a_linked_file(
    run: RunFn, tmp_path: Path, link: str
) -> None:
    folder = write_layer(tmp_path / "layer", {"own.yaml": remedy("JJJJ")})
    outside = write_layer(tmp_path / "dotfiles", {"theirs.yaml": "remedy: []\n"})
    target = {
        "outside-broken": outside / "theirs.yaml",
        "dangling": tmp_path / "gone.yaml",
        "device": Path("/dev/null"),
    }[link]
    (folder / "linked.yaml").symlink_to(target)
    checked = run("validate", str(folder))
    loaded = run("--content", str(folder), "list")
    assert checked.code == loaded.code == 3
    [line] = [x for x in checked.stdout.splitlines() if ": BC" in x]
    assert line.startswith(f"{folder / 'linked.yaml'}")
    assert loaded.stderr.startswith(f"backcare: error: {line}\n")


@POSIX
def test_a_good_linked_file_outside_the_folder_is_clean_for_both(
    run: RunFn, tmp_path: Path
) -> None:
    folder = tmp_path / "layer"
    folder.mkdir()
    outside = write_layer(tmp_path / "dotfiles", {"theirs.yaml": remedy("KKKK")})
    (folder / "linked.yaml").symlink_to(outside / "theirs.yaml")
    assert run("validate", str(folder)).code == 0
    shown_remedy = run("--content", str(folder), "show", "knee-hug")
    assert shown_remedy.stdout.startswith("Knee hug KKKK (knee-hug)")
    assert DISCLAIMER_WORDS in shown_remedy.stderr  # piped: the disclaimer is on stderr


def test_a_config_file_in_a_strangely_named_folder_is_named_escaped(
    run: RunFn, tmp_path: Path
) -> None:
    folder = tmp_path / "conf\x1b[31m\nx"
    (folder / "backcare").mkdir(parents=True)
    (folder / "backcare" / "config.toml").write_text("region = 5\n", encoding="utf-8")
    result = run("list", env={"XDG_CONFIG_HOME": str(folder)})
    assert result.code == 2
    assert "\x1b" not in result.stderr
    assert f"config file {shown(str(folder / 'backcare' / 'config.toml'))}:1: " in result.stderr
    shown_settings = run("config", env={"XDG_CONFIG_HOME": str(folder)})
    assert "\x1b" not in shown_settings.stdout + shown_settings.stderr
