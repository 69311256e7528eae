"""The two benchmark suites: start-up against reference commands, and content scale."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import generate, generate_diary
from benchmarks.harness import Command, Sample, Series, round_robin, run_once
from benchmarks.report import Table, fmt, ratio

#: The folder of remembered renderings inside backcare's cache folder.
MEMO_FOLDER = "memo"

#: Targets, as multiples of the tldr client rendering a local page: a first run of a
#: command (nothing remembered of it) and a repeat (the same command again, nothing changed).
FIRST_TARGET = 0.8
REPEAT_TARGET = 0.35
#: In a terminal, with colour, as a multiple of tldr with colour in a terminal.
TERMINAL_TARGET = 1.0
TARGETS = {"first": FIRST_TARGET, "repeat": REPEAT_TARGET}
#: Scale flag: the largest growth factor for 10x the remedies.
SCALE_GROWTH_LIMIT = 12.0
#: Scale targets at 10,000 remedies: the cold run, warm runs, and a warm search.
COLD_LIMIT_MS = 1500.0
WARM_LIMIT_MS = 300.0
SEARCH_LIMIT_MS = 500.0

PYTHON_LABEL = "python -c pass"
STARTUP_HEADERS = (
    *("command", "run", ">median ms", ">x tldr", ">x python", ">peak RSS MiB", ">RSS x tldr"),
    "target",
)
SCALE_HEADERS = (
    *("command", ">remedies", ">cold ms", ">warm ms", ">repeat ms", ">ms per 1k over N=100"),
    *(">x vs N/10", "flag"),
)
TLDR_LABEL = "tldr -r page.md"
CHEAT_LABEL = "cheat page (2.5.1, Python)"
TEALDEER_LABEL = "tealdeer --render page.md (Rust)"
PEERS = (PYTHON_LABEL, TLDR_LABEL, CHEAT_LABEL, TEALDEER_LABEL)
COMPLETE_LABEL = "complete 'backcare show ic'"
#: A warning sign that needs a doctor soon: ``check --yes`` with it exits 10.
CHECK_FLAG = "no-better-after-weeks"
CHECK_EXIT = 10
#: 30 misspelled words, none the start of a word in the content, for the scale series.
MISSPELLED = (
    "strecth muscel gnetle lwoer sipne shuolder wram clod tolew folor chiar pillwo braeth"
    " croe psoture wlak rset rleax tesnion eaes hlod rlol tiwst bnde lfit clam stedy"
    " supprot felx relaese"
)

TLDR_PAGE = """\
# lumbar

> Ease a stiff lower back with short, gentle movement breaks.
> Pairs heat, stretches and posture checks into one routine.
> More information: <https://example.org/lumbar>.

- Start a five-minute routine of gentle stretches:

`lumbar stretch --minutes {{5}}`

- Apply heat to the lower back for twenty minutes:

`lumbar heat --place {{lower-back}} --minutes {{20}}`

- Run a posture check every half hour while sitting at a desk:

`lumbar posture --every {{30m}}`

- Show a knee-to-chest stretch, step by step:

`lumbar show {{knee-to-chest}}`

- List remedies that suit a given cause:

`lumbar suggest --cause {{posture}}`

- Search remedies by keyword:

`lumbar search "{{stretch muscle}}"`

- Screen for warning signs that need a doctor:

`lumbar check`

- Display help:

`lumbar --help`
"""


@dataclass(frozen=True)
class Tools:
    """Executables under test: the venv's interpreter, backcare and the peers.

    A peer that is not installed is None, and its row says so.
    """

    python: Path
    backcare: Path
    tldr: Path | None
    cheat: Path | None
    tealdeer: Path | None

    @classmethod
    def beside_interpreter(cls) -> Tools:
        """Find backcare, tldr and cheat beside the running interpreter; tealdeer on PATH."""
        bin_dir = Path(sys.executable).parent

        def beside(name: str) -> Path | None:
            path = bin_dir / name
            return path if path.is_file() else None

        return cls(
            Path(sys.executable),
            bin_dir / "backcare",
            beside("tldr"),
            beside("cheat"),
            find_tealdeer(),
        )


def find_tealdeer() -> Path | None:
    """tealdeer's binary: ``tealdeer``, or a ``tldr`` on PATH that says it is tealdeer."""
    for name in ("tealdeer", "tldr"):
        for folder in os.environ.get("PATH", "").split(os.pathsep):
            candidate = Path(folder) / name
            if candidate.is_file() and os.access(candidate, os.X_OK) and _is_tealdeer(candidate):
                return candidate
    return None


def _is_tealdeer(path: Path) -> bool:
    try:
        result = subprocess.run(
            [str(path), "--version"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.stdout.startswith(b"tealdeer")


@dataclass
class SuiteResult:
    """A suite's table plus the failures that should make the run exit non-zero."""

    table: Table
    failures: list[str]


def base_env(workdir: Path, cache: str, diary: str = "diary.sqlite3") -> dict[str, str]:
    """The environment for a run: ours, minus backcare and colour settings, with NO_COLOR.

    Every command writes to a pipe with colour off. The cache goes to a folder
    named ``cache`` under ``workdir`` and the per-user content folder points at
    an empty place, so results do not depend on this machine's own content;
    the diary is the file ``diary`` under ``workdir``.
    """
    dropped = ("BACKCARE_", "_BACKCARE_", "FORCE_COLOR", "TTY_COMPATIBLE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env["NO_COLOR"] = "1"
    env["BACKCARE_CACHE_DIR"] = str(workdir / cache)
    env["XDG_DATA_HOME"] = str(workdir / "no-user-data")
    env["BACKCARE_DIARY"] = str(workdir / diary)
    return env


def write_tldr_page(folder: Path) -> Path:
    """Write a tldr-format page about the size of one backcare remedy; return its path."""
    page = folder / "lumbar.md"
    page.write_text(TLDR_PAGE, encoding="utf-8")
    return page


def write_cheat_sheet(folder: Path) -> Path:
    """Write the same page as a cheat sheet (comments and commands); return its folder."""
    sheets = folder / "cheatsheets"
    sheets.mkdir(exist_ok=True)
    lines = []
    for line in TLDR_PAGE.splitlines():
        if line.startswith(("> ", "- ")):
            lines.append("# " + line[2:])
        elif line.startswith("`"):
            lines.append(line.strip("`").replace("{{", "").replace("}}", "") + "\n")
    (sheets / "lumbar").write_text("\n".join(lines), encoding="utf-8")
    return sheets


def forget_renderings(cache: Path) -> Callable[[], None]:
    """Remove the remembered renderings under ``cache`` (the content cache stays)."""

    def forget() -> None:
        shutil.rmtree(cache / MEMO_FOLDER, ignore_errors=True)

    return forget


def startup_commands(tools: Tools, workdir: Path, env: Mapping[str, str]) -> list[Command]:
    """The start-up series: the peers, then each backcare command as a first run and a repeat.

    A first run has its cache of content warm but nothing remembered of the
    command itself; a repeat is the same command again, nothing changed.
    """
    page = write_tldr_page(workdir)
    peers = [Command(PYTHON_LABEL, (str(tools.python), "-c", "pass"), env)]
    if tools.tldr is not None:
        # Plain render: tldr 3.4's -c/--color forces colour on; a pipe plus NO_COLOR keeps it off.
        peers.append(Command(TLDR_LABEL, (str(tools.tldr), "-r", str(page)), env))
    if tools.cheat is not None:
        sheets = {**env, "CHEAT_USER_DIR": str(write_cheat_sheet(workdir)), "CHEAT_COLORS": "0"}
        peers.append(Command(CHEAT_LABEL, (str(tools.cheat), "lumbar"), sheets))
    if tools.tealdeer is not None:
        peers.append(Command(TEALDEER_LABEL, (str(tools.tealdeer), "--render", str(page)), env))
    bc = str(tools.backcare)
    completion = {
        "_BACKCARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "backcare show ic",
        "COMP_CWORD": "2",
    }
    runs: list[tuple[str, tuple[str, ...], dict[str, str], int]] = [
        ("backcare show ice-packs", (bc, "show", "ice-packs"), {}, 0),
        ("backcare list", (bc, "list"), {}, 0),
        ("backcare suggest --cause posture", (bc, "suggest", "--cause", "posture"), {}, 0),
        ('backcare search "stretch muscle"', (bc, "search", "stretch muscle"), {}, 0),
        ("backcare red-flags", (bc, "red-flags"), {}, 0),
        (f"backcare check --yes {CHECK_FLAG}", (bc, "check", "--yes", CHECK_FLAG), {}, CHECK_EXIT),
        (COMPLETE_LABEL, (bc,), completion, 0),
    ]
    # No pager in the terminal (tldr pages nothing either): less would wait for a key.
    colour = {**{k: v for k, v in env.items() if k != "NO_COLOR"}, "BACKCARE_PAGER": ""}
    if tools.tldr is not None:
        tldr_colour = (str(tools.tldr), "--color", "-r", str(page))
        peers.append(Command(f"{TLDR_LABEL} | terminal", tldr_colour, colour, terminal=True))
    first_env = {**env, "BACKCARE_CACHE_DIR": str(workdir / "cache-first")}
    forget = forget_renderings(workdir / "cache-first")
    commands = list(peers)
    for label, argv, extra, expect in runs:
        commands.append(Command(f"{label} | first", argv, {**first_env, **extra}, expect, forget))
        commands.append(Command(f"{label} | repeat", argv, {**env, **extra}, expect))
    # Each run adds an entry to the run's own diary, as a person's would: never
    # remembered, so every run is a first run.
    commands.append(Command("backcare log 5 | first", (bc, "log", "5"), first_env))
    for label, argv, _, expect in runs[:3]:
        commands.append(Command(f"{label} | terminal", argv, colour, expect, terminal=True))
    return commands


def missing_peers(tools: Tools) -> list[str]:
    """A line for each peer that is not installed, saying how to add it."""
    notes = []
    if tools.tldr is None:
        notes.append("tldr: not installed, row skipped (pip install -e '.[bench]')")
    if tools.cheat is None:
        notes.append("cheat: not installed, row skipped (pip install -e '.[bench]')")
    if tools.tealdeer is None:
        notes.append(
            "tealdeer: not installed, row skipped (a system package: benchmarks/install-peers)"
        )
    return notes


def _failure_text(label: str, failure: Sample | None) -> list[str]:
    """Describe a failed run (label, exit status, first lines of stderr); [] if none."""
    if failure is None:
        return []
    lines = failure.stderr.decode(errors="replace").splitlines()
    head = [line for line in lines if line.strip()][:3]
    detail = "\n    ".join(head) if head else "(no stderr)"
    return [f"{label}: exit status {failure.status}\n    {detail}"]


def _labelled(label: str, *runs: Sample | None) -> str:
    """The label, marked when any of ``runs`` failed."""
    return f"{label} [FAILED]" if any(r is not None and not r.ok for r in runs) else label


def _target(value: float, limit: float) -> str:
    if math.isnan(value):
        return "—"
    return f"<= {limit}x: " + ("ok" if value <= limit else "MISS")


def startup_suite(tools: Tools, runs: int, warmups: int, workdir: Path) -> SuiteResult:
    """Measure the start-up series and build its table."""
    env = base_env(workdir, "cache-startup")
    commands = startup_commands(tools, workdir, env)
    failures: list[str] = []
    if not tools.backcare.is_file():
        failures.append(f"cannot run {tools.backcare}: not found")
        commands = [c for c in commands if c.label.partition(" | ")[0] in PEERS]
    measured = {s.command.label: s for s in round_robin(commands, runs, warmups)}
    table = Table(
        f"Start-up: median of {runs} interleaved rounds after {warmups} warm-ups, stdout to a pipe",
        STARTUP_HEADERS,
    )
    for command in commands:
        series = measured[command.label]
        table.rows.append(_startup_row(command.label, series, measured))
        failures += _failure_text(command.label, series.failure)
    table.notes += missing_peers(tools)
    table.notes += _completion_notes(measured.get(f"{COMPLETE_LABEL} | repeat"))
    table.notes.append(
        "first: the content cache is warm, nothing is remembered of the command;"
        " repeat: the same command again, nothing changed; terminal: stdout and stderr"
        " an 80x24 pseudo-terminal, colour on, no pager (x tldr there is against tldr --color"
        " in a terminal)"
    )
    table.notes.append(
        "log 5: each run adds an entry to the run's own diary, so it is never remembered"
        " and every run is a first run"
    )
    return SuiteResult(table, failures)


def _medians(series: Series | None) -> tuple[float, float]:
    if series is None:
        return float("nan"), float("nan")
    return series.median_ms, series.median_rss_mib


def _startup_row(label: str, series: Series, measured: Mapping[str, Series]) -> list[str]:
    ms, rss = _medians(series)
    base_ms, _ = _medians(measured.get(PYTHON_LABEL))
    tldr_ms, tldr_rss = _medians(measured.get(TLDR_LABEL))
    wall_x, rss_x = ratio(ms, tldr_ms), ratio(rss, tldr_rss)
    name, _, run = label.partition(" | ")
    target = "—"
    if run == "terminal" and name != TLDR_LABEL:
        tldr_terminal, _ = _medians(measured.get(f"{TLDR_LABEL} | terminal"))
        wall_x = ratio(ms, tldr_terminal)
        target = _target(wall_x, TERMINAL_TARGET) + " (of tldr in a terminal)"
    elif run in TARGETS:
        target = _target(wall_x, TARGETS[run])
    return [
        _labelled(name, series.failure),
        run or "—",
        *(fmt(ms), fmt(wall_x, 2), fmt(ratio(ms, base_ms), 2)),
        *(fmt(rss), fmt(rss_x, 2), target),
    ]


def _completion_notes(series: Series | None) -> list[str]:
    if series is None or not series.samples:
        return []
    words = series.samples[-1].stdout.decode(errors="replace").split()
    if "ice-packs" in words:
        return [f"completion of 'show ic' offered: {' '.join(words[:5])}"]
    return ["completion of 'show ic' did not offer ice-packs (slug completion missing?)"]


def scale_commands(tools: Tools, content: Path, env: Mapping[str, str]) -> list[Command]:
    """The scale series for one content folder: list, search, suggest and validate."""
    prefix = (str(tools.backcare), "--content", str(content))
    return [
        Command("list", (*prefix, "list"), env),
        Command('search "stretch muscle"', (*prefix, "search", "stretch muscle"), env),
        Command("search, 30 misspelled words", (*prefix, "search", MISSPELLED), env),
        Command("suggest --cause posture", (*prefix, "suggest", "--cause", "posture"), env),
        Command("validate DIR", (*prefix, "validate", str(content)), env),
        # N diary entries (six a day) and the built-in content only: the whole diary
        # listed, and progress over all of it.
        Command("diary (N entries)", (str(tools.backcare), "diary"), env),
        Command(
            "progress (N entries)", (str(tools.backcare), "progress", "--since", "2000-01-01"), env
        ),
    ]


@dataclass(frozen=True)
class ScalePoint:
    """One command at one content size: the cold run, the warm series and the repeats.

    Warm runs have the content cache filled but nothing remembered of the
    command; repeats answer from the remembered rendering.
    """

    label: str
    size: int
    cold: Sample
    warm: Series
    repeat: Series


def measure_size(tools: Tools, size: int, runs: int, workdir: Path) -> list[ScalePoint]:
    """Generate ``size`` remedies, then time each command cold once and warm ``runs`` times."""
    content = workdir / f"content-{size}"
    generate(content, size)
    diary = f"diary-{size}.sqlite3"
    generate_diary(workdir / diary, size)
    cold = []
    for index, command in enumerate(scale_commands(tools, content, {})):
        env = base_env(workdir, f"cache-cold-{size}-{index}", diary)
        cold.append(run_once(Command(command.label, command.argv, env)))
    warm_env = base_env(workdir, f"cache-warm-{size}", diary)
    forget = forget_renderings(workdir / f"cache-warm-{size}")
    warm_commands = [
        Command(c.label, c.argv, c.env, c.expect, forget)
        for c in scale_commands(tools, content, warm_env)
    ]
    warm = round_robin(warm_commands, runs, warmups=1)
    repeat_env = base_env(workdir, f"cache-repeat-{size}", diary)
    repeat = round_robin(scale_commands(tools, content, repeat_env), runs, warmups=1)
    return [
        ScalePoint(w.command.label, size, c, w, r)
        for c, w, r in zip(cold, warm, repeat, strict=True)
    ]


def scale_suite(tools: Tools, sizes: Sequence[int], runs: int, workdir: Path) -> SuiteResult:
    """Measure every scale command at every size and build the table."""
    if not tools.backcare.is_file():
        table = Table("Scale: skipped", SCALE_HEADERS, notes=["backcare is not installed"])
        return SuiteResult(table, [f"cannot run {tools.backcare}: not found"])
    points = [p for size in sizes for p in measure_size(tools, size, runs, workdir)]
    failures: list[str] = []
    for point in points:
        cold_failure = None if point.cold.ok else point.cold
        failures += _failure_text(f"{point.label} (N={point.size})", cold_failure)
        failures += _failure_text(f"{point.label} (N={point.size})", point.warm.failure)
        failures += _failure_text(f"{point.label} (N={point.size})", point.repeat.failure)
    return SuiteResult(_scale_table(points, sizes, runs), failures)


def _scale_table(points: Sequence[ScalePoint], sizes: Sequence[int], runs: int) -> Table:
    table = Table(
        f"Scale: backcare --content DIR ..., medians of {runs} interleaved runs "
        "after a cold run and 1 warm-up",
        SCALE_HEADERS,
    )
    warm = {(p.label, p.size): p.warm.median_ms for p in points}
    order = {label: i for i, label in enumerate(dict.fromkeys(p.label for p in points))}
    for point in sorted(points, key=lambda p: (order[p.label], p.size)):
        table.rows.append(_scale_row(point, warm, min(sizes)))
    table.notes.append(
        "cold: first run with an empty BACKCARE_CACHE_DIR; warm: the content cache filled,"
        " nothing remembered of the command; repeat: the same command again, answered"
        " from its remembered rendering (validate is never remembered)"
    )
    table.notes.append(
        f"flags at 10,000 remedies: cold over {COLD_LIMIT_MS:.0f} ms; warm over"
        f" {WARM_LIMIT_MS:.0f} ms ({SEARCH_LIMIT_MS:.0f} ms for search);"
        f" and over {SCALE_GROWTH_LIMIT:.0f}x growth for 10x the remedies (superlinear)"
    )
    table.notes.append(f"misspelled words: {MISSPELLED}")
    return table


def _scale_row(point: ScalePoint, warm: Mapping[tuple[str, int], float], base: int) -> list[str]:
    ms = point.warm.median_ms
    per_k = float("nan")
    if point.size > base:
        per_k = (ms - warm[(point.label, base)]) / ((point.size - base) / 1000)
    growth = ratio(ms, warm.get((point.label, point.size // 10), float("nan")))
    flags = []
    if point.size >= 10_000:
        warm_limit = SEARCH_LIMIT_MS if point.label.startswith("search") else WARM_LIMIT_MS
        if point.cold.wall_ms > COLD_LIMIT_MS:
            flags.append(f"cold over {COLD_LIMIT_MS:.0f} ms")
        if ms > warm_limit:
            flags.append(f"warm over {warm_limit:.0f} ms")
    if growth > SCALE_GROWTH_LIMIT:
        flags.append("superlinear")
    return [
        _labelled(point.label, point.cold, point.warm.failure, point.repeat.failure),
        *(f"{point.size:,}", fmt(point.cold.wall_ms), fmt(ms), fmt(point.repeat.median_ms)),
        fmt(per_k),
        *(fmt(growth, 1, "x"), ", ".join(flags) or "ok"),
    ]


def workspace() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for pages, generated content and caches."""
    return tempfile.TemporaryDirectory(prefix="backcare-bench-")


#: Repetitions of one flag (and numbers of query words) in the growth series.
GROWTH_COUNTS = (1, 10, 100, 1000)
GROWTH_WORDS = (1, 3, 10, 30)
GROWTH_HEADERS = ("command", ">N", ">warm ms", ">x vs row above", "flag")


def growth_commands(tools: Tools, workdir: Path, env: Mapping[str, str]) -> list[Command]:
    """Runs whose only difference is how often a flag is repeated, or how many words are asked."""
    bc = str(tools.backcare)
    layer = workdir / "content-growth"
    generate(layer, 10)
    words = MISSPELLED.split()
    commands = []
    for n in GROWTH_COUNTS:
        commands.append(
            Command(
                f"suggest --cause posture x N | {n}",
                (bc, "suggest", *["--cause", "posture"] * n),
                env,
            )
        )
        commands.append(
            Command(
                f"suggest --symptom stiffness x N | {n}",
                (bc, "suggest", *["--symptom", "stiffness"] * n),
                env,
            )
        )
        if n <= 100:  # each --content is a layer to check on every run
            commands.append(
                Command(
                    f"--content DIR x N, list | {n}",
                    (bc, *["--content", str(layer)] * n, "list"),
                    env,
                )
            )
    for n in GROWTH_WORDS:
        commands.append(
            Command(f"search, N misspelled words | {n}", (bc, "search", " ".join(words[:n])), env)
        )
    return commands


def growth_suite(tools: Tools, runs: int, workdir: Path) -> SuiteResult:
    """Time warm runs as a flag repeats or query words add up: nothing may grow faster."""
    if not tools.backcare.is_file():
        table = Table("Growth: skipped", GROWTH_HEADERS, notes=["backcare is not installed"])
        return SuiteResult(table, [f"cannot run {tools.backcare}: not found"])
    env = base_env(workdir, "cache-growth")
    forget = forget_renderings(workdir / "cache-growth")
    commands = [
        Command(c.label, c.argv, c.env, c.expect, forget)
        for c in growth_commands(tools, workdir, env)
    ]
    series = round_robin(commands, runs, warmups=1)
    table = Table(
        f"Growth: built-in content, warm, medians of {runs} interleaved runs after 1 warm-up",
        GROWTH_HEADERS,
    )
    by_label: dict[str, dict[int, float]] = {}
    failures: list[str] = []
    for one in series:
        label, _, times = one.command.label.partition(" | ")
        by_label.setdefault(label, {})[int(times)] = one.median_ms
        failures += _failure_text(one.command.label, one.failure)
    for label, points in by_label.items():
        previous: float | None = None
        for count, ms in points.items():
            growth = ratio(ms, previous) if previous is not None else float("nan")
            flag = "superlinear" if growth > SCALE_GROWTH_LIMIT else "ok"
            table.rows.append([label, f"{count:,}", fmt(ms), fmt(growth, 1, "x"), flag])
            previous = ms
    table.notes.append(
        "N grows tenfold from row to row (about threefold for search's words); flagged over"
        f" {SCALE_GROWTH_LIMIT:.0f}x; search is capped at 200 characters, about 30 words"
    )
    return SuiteResult(table, failures)
