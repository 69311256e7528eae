"""Import guards for the hot paths: a slow import must not creep back unseen.

Start-up time is measured by the benchmark (``python -m benchmarks``), never
here; these tests only check, deterministically, which modules a run loads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ANSI

# Runs one command in a fresh interpreter, stdout captured (so: not a terminal),
# and prints the names of every module that was imported.
SCRIPT = """
import io, json, sys
sys.argv = ["backcare", *json.loads(sys.argv[1])]
real, sys.stdout = sys.stdout, io.StringIO()
from backcare.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout = real
print(json.dumps(sorted(sys.modules)))
"""

NEVER = {"pydantic", "annotated_types", "typing_extensions"}
PARSER = {"yaml", "backcare.yamlsafe", "backcare.schema", "backcare.content"}
RICH = {"rich", "backcare.render.rich_view"}
DIARY = {"sqlite3", "_sqlite3", "backcare.store"}
# The routine's live display: only `backcare routine` may load it.
LIVE = {"rich.live", "termios", "tty", "backcare.render.live", "backcare.render.exercises"}
TOML = {"tomllib", "tomli"}
REPORT = {"jinja2", "markupsafe", "backcare.render.report", "backcare.query.plan"}


def modules(args: list[str], cache: Path, env: dict[str, str] | None = None) -> set[str]:
    environ = {**os.environ, "BACKCARE_CACHE_DIR": str(cache), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args)],
        capture_output=True,
        text=True,
        env=environ,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def top_level(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names} | names


HOT = [
    ["show", "ice-packs"],
    ["list"],
    ["suggest", "--cause", "posture"],
    ["search", "stretch muscle"],
    ["red-flags"],
    ["check", "--yes", "fever"],
]


@pytest.mark.parametrize("args", HOT, ids=" ".join)
def test_a_warm_piped_run_imports_no_parser_no_rich_and_no_pydantic(
    args: list[str], tmp_path: Path
) -> None:
    modules(args, tmp_path)  # fills the cache
    loaded = top_level(modules(args, tmp_path))
    assert not loaded & NEVER
    assert not loaded & RICH, "plain output for a pipe must not import Rich"
    assert not loaded & PARSER, "an unchanged catalog must come from the cache, not YAML"
    assert "backcare.render.data" not in loaded  # JSON rendering only for --json
    assert not loaded & DIARY, "only the diary commands may load SQLite"
    assert not loaded & TOML, "without a config file, no TOML parser is loaded"
    assert "backcare.fallback" not in loaded  # stand-ins only for a stream that is not UTF-8
    assert "backcare.findings" not in loaded  # validation codes only when there is a problem
    assert not loaded & {"shlex", "backcare.cli.manpage"}  # the pager and man page only when used
    assert not loaded & REPORT, "only report loads Jinja2; only plan and report their rules"


def test_a_cold_run_parses_with_the_yaml_loader(tmp_path: Path) -> None:
    loaded = modules(["show", "ice-packs"], tmp_path)
    assert {"yaml", "backcare.yamlsafe"} <= loaded


def test_json_output_imports_no_rich(tmp_path: Path) -> None:
    modules(["list", "--json"], tmp_path)
    loaded = top_level(modules(["list", "--json"], tmp_path))
    assert "backcare.render.data" in loaded
    assert not loaded & RICH


def test_forced_colour_imports_rich_for_tables(tmp_path: Path) -> None:
    loaded = top_level(modules(["--color", "always", "list"], tmp_path))
    assert "rich" in loaded
    assert not loaded & NEVER


def test_completion_imports_no_rich(tmp_path: Path) -> None:
    env = {
        "_BACKCARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "backcare show ic",
        "COMP_CWORD": "2",
    }
    modules(["show", "ic"], tmp_path, env)
    loaded = top_level(modules(["show", "ic"], tmp_path, env))
    assert not loaded & (RICH | NEVER | PARSER)


@pytest.mark.parametrize("args", HOT, ids=" ".join)
def test_other_commands_never_load_the_live_display(args: list[str], tmp_path: Path) -> None:
    env = {"FORCE_COLOR": "1"}  # Rich output, as at a terminal
    modules(args, tmp_path, env)
    loaded = modules(args, tmp_path, env)
    assert "rich" in top_level(loaded)
    # search shows matching exercises too, with their renderer, but never the live display
    live = LIVE - {"backcare.render.exercises"} if args[0] == "search" else LIVE
    assert not loaded & live


def test_the_routine_checklist_loads_no_live_display(tmp_path: Path) -> None:
    loaded = modules(["routine", "--no-log"], tmp_path)
    assert "backcare.render.exercises" in loaded
    assert not loaded & (LIVE - {"backcare.render.exercises"})


def test_a_config_file_is_parsed_only_when_there_is_one(tmp_path: Path) -> None:
    config = tmp_path / "config"
    env = {"XDG_CONFIG_HOME": str(config)}
    assert not top_level(modules(["list"], tmp_path, env)) & TOML
    (config / "backcare").mkdir(parents=True)
    (config / "backcare" / "config.toml").write_text('color = "never"\n', encoding="utf-8")
    assert top_level(modules(["list"], tmp_path, env)) & TOML


def test_only_the_diary_commands_load_sqlite(tmp_path: Path) -> None:
    env = {"BACKCARE_DIARY": str(tmp_path / "diary.sqlite3")}
    loaded = top_level(modules(["diary", "path"], tmp_path, env))
    assert {"backcare.store", "sqlite3"} <= loaded
    assert not loaded & RICH
    guide = top_level(modules(["search", "heat"], tmp_path, env))
    assert not guide & DIARY


def test_a_warm_piped_log_imports_no_parser_no_rich_and_no_pydantic(tmp_path: Path) -> None:
    env = {"BACKCARE_DIARY": str(tmp_path / "diary.sqlite3")}
    modules(["log", "5"], tmp_path, env)  # fills the cache
    loaded = top_level(modules(["log", "4", "--tried", "hot-packs"], tmp_path, env))
    assert "sqlite3" in loaded
    assert not loaded & (NEVER | RICH | PARSER)
    assert "backcare.render.data" not in loaded


# The same run through the console entry point, which answers a repeat from memory.
LAUNCH = SCRIPT.replace("from backcare.cli import main", "from backcare.launch import main")


@pytest.mark.parametrize("args", [["show", "ice-packs"], ["list"]], ids=" ".join)
def test_a_repeat_imports_neither_typer_nor_the_content(args: list[str], tmp_path: Path) -> None:
    environ = {**os.environ, "BACKCARE_CACHE_DIR": str(tmp_path)}
    command = [sys.executable, "-c", LAUNCH, json.dumps(args)]
    subprocess.run(command, capture_output=True, env=environ, check=True)
    result = subprocess.run(command, capture_output=True, text=True, env=environ, check=True)
    loaded = top_level(set(json.loads(result.stdout.splitlines()[-1])))
    assert not loaded & (NEVER | RICH | PARSER | {"typer", "click", "backcare.cli"})
    assert not loaded & {"backcare.models", "backcare.cache", "typing"}


@pytest.mark.parametrize("args", [*HOT, ["check", "--none", "--json"], ["log", "5"]], ids=" ".join)
def test_a_first_run_of_a_plain_read_command_imports_no_typer(
    args: list[str], tmp_path: Path
) -> None:
    diary = {"BACKCARE_DIARY": str(tmp_path / "diary.sqlite3")}
    modules(args, tmp_path, diary)  # fills the content cache through Typer; nothing is remembered
    environ = {**os.environ, "BACKCARE_CACHE_DIR": str(tmp_path), **diary}
    command = [sys.executable, "-c", LAUNCH, json.dumps(args)]
    result = subprocess.run(command, capture_output=True, text=True, env=environ, check=True)
    loaded = top_level(set(json.loads(result.stdout.splitlines()[-1])))
    assert "backcare.cli.quick" in loaded
    assert not loaded & (NEVER | RICH | PARSER | {"typer", "click", "backcare.cli.app"})
    assert not loaded & (TOML | REPORT | {"rich.live", "termios", "backcare.render.live"})
    assert bool(loaded & DIARY) == (args[0] == "log"), "only the diary's commands load SQLite"
    assert not loaded & {"uuid", "platform"}, "a new entry's id needs neither"


def test_a_first_completion_imports_no_typer(tmp_path: Path) -> None:
    request = {"_BACKCARE_COMPLETE": "complete_bash", "COMP_WORDS": "backcare show ic"}
    request["COMP_CWORD"] = "2"
    modules([], tmp_path, request)  # fills the content cache through Typer
    environ = {**os.environ, "BACKCARE_CACHE_DIR": str(tmp_path), **request}
    command = [sys.executable, "-c", LAUNCH, json.dumps([])]
    result = subprocess.run(command, capture_output=True, text=True, env=environ, check=True)
    loaded = top_level(set(json.loads(result.stdout.splitlines()[-1])))
    assert "backcare.cli.completion" in loaded
    assert not loaded & (NEVER | RICH | PARSER | {"typer", "click", "backcare.cli.app"})


def test_only_report_imports_jinja2(tmp_path: Path) -> None:
    from datetime import datetime

    from tests.diary_fixtures import fill, month

    diary = fill(tmp_path / "diary.sqlite3", month(datetime.now().astimezone().date()))
    env = {"BACKCARE_DIARY": str(diary)}
    plan = top_level(modules(["plan", "--cause", "posture"], tmp_path, env))
    assert "backcare.query.plan" in plan
    assert not plan & {"jinja2", "markupsafe"}
    report = top_level(modules(["report", "--format", "md"], tmp_path, env))
    assert "jinja2" in report


# The console script's run with stdout and stderr a terminal (a pseudo-terminal of
# the given width, colour on, no pager); the names of the modules go to a file instead.
TERMINAL_SCRIPT = """
import json, sys
report, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["backcare", *args]
from backcare.launch import main
try:
    main()
except SystemExit:
    pass
with open(report, "w", encoding="utf-8") as file:
    json.dump(sorted(sys.modules), file)
"""

# rich.table imports fractions, and fractions imports decimal: a terminal's
# first run pays for all three only when a view lays out a wide listing.
TABLE = {"rich.table", "fractions", "decimal"}


def terminal_modules(args: list[str], cache: Path, columns: int) -> tuple[set[str], str]:
    """The modules a run in a terminal ``columns`` wide loads, and what it showed there."""
    import fcntl
    import pty
    import struct
    import termios

    report = cache / "modules.json"
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    environ |= {"BACKCARE_CACHE_DIR": str(cache), "BACKCARE_PAGER": "", "TERM": "xterm-256color"}
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    command = [sys.executable, "-c", TERMINAL_SCRIPT, str(report), json.dumps(args)]
    with subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=environ
    ) as process:
        os.close(follower)
        shown = b""
        while True:  # read as a terminal would, so the run never waits on a full one
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the run closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
    assert process.returncode == 0, shown.decode(errors="replace")
    return set(json.loads(report.read_text(encoding="utf-8"))), shown.decode()


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    ("args", "columns", "expected"),
    [
        (["show", "ice-packs"], 80, "Ice packs"),
        (["show", "ice-packs"], 200, "Ice packs"),
        (["list"], 80, "Ice packs"),
        (["suggest", "--cause", "posture"], 80, "Why it matched"),
        (["red-flags"], 200, "EMERGENCY"),
        (["check", "--yes", "fever"], 200, "RESULT"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_a_terminal_run_without_a_wide_listing_imports_no_table(
    args: list[str], columns: int, expected: str, tmp_path: Path
) -> None:
    terminal_modules(args, tmp_path, columns)  # fills the cache
    loaded, shown = terminal_modules(args, tmp_path, columns)
    assert expected in ANSI.sub("", shown)
    assert "\x1b[" in shown, "colour is on in a terminal"
    assert "backcare.render.rich_view" in loaded
    assert not loaded & TABLE


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
def test_a_wide_terminal_lays_a_listing_out_as_a_table(tmp_path: Path) -> None:
    terminal_modules(["list"], tmp_path, 200)  # fills the cache
    loaded, shown = terminal_modules(["list"], tmp_path, 200)
    assert "Remedy (slug)" in ANSI.sub("", shown)
    assert loaded >= TABLE
