"""The two benchmark suites: start-up against reference commands, and content scale."""

from __future__ import annotations

import math
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import generate, generate_diary
from benchmarks.harness import Command, Sample, Series, round_robin, run_once
from benchmarks.report import Table, fmt, ratio

#: Targets, as multiples of the tldr client rendering a local page.
WALL_TARGET = 1.2
RSS_TARGET = 1.2
#: Scale flags: slowest acceptable run at 10,000 remedies, and largest 10x-growth factor.
SCALE_LIMIT_MS = 1000.0
SCALE_GROWTH_LIMIT = 12.0

PYTHON_LABEL = "python -c pass"
STARTUP_HEADERS = (
    *("command", ">median ms", ">x tldr", ">x python", ">peak RSS MiB", ">RSS x tldr"),
    *("wall <=1.2x tldr", "RSS <=1.2x tldr"),
)
SCALE_HEADERS = (
    *("command", ">remedies", ">cold ms", ">warm ms", ">ms per 1k over N=100"),
    *(">x vs N/10", "flag"),
)
TLDR_LABEL = "tldr -r page.md"
COMPLETE_LABEL = "complete 'backcare show ic'"

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
    """Executables under test: the venv's interpreter, tldr and backcare."""

    python: Path
    tldr: Path
    backcare: Path

    @classmethod
    def beside_interpreter(cls) -> Tools:
        """Locate the tools in the same bin folder as the running interpreter."""
        bin_dir = Path(sys.executable).parent
        return cls(Path(sys.executable), bin_dir / "tldr", bin_dir / "backcare")


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


def startup_commands(tools: Tools, page: Path, env: Mapping[str, str]) -> list[Command]:
    """The start-up series: two references, three backcare commands and a completion."""
    completion_env = {
        **env,
        "_BACKCARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "backcare show ic",
        "COMP_CWORD": "2",
    }
    bc = str(tools.backcare)
    return [
        Command(PYTHON_LABEL, (str(tools.python), "-c", "pass"), env),
        # Plain render: tldr 3.4's -c/--color forces colour on; a pipe plus NO_COLOR keeps it off.
        Command(TLDR_LABEL, (str(tools.tldr), "-r", str(page)), env),
        Command("backcare show ice-packs", (bc, "show", "ice-packs"), env),
        Command("backcare list", (bc, "list"), env),
        Command("backcare suggest --cause posture", (bc, "suggest", "--cause", "posture"), env),
        Command(COMPLETE_LABEL, (bc,), completion_env),
        # Each run adds an entry to the run's own diary, as a person's would.
        Command("backcare log 5", (bc, "log", "5"), env),
    ]


def _missing(commands: Sequence[Command]) -> list[str]:
    return sorted({c.argv[0] for c in commands if not Path(c.argv[0]).is_file()})


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
    return "ok" if value <= limit else "MISS"


def startup_suite(tools: Tools, runs: int, warmups: int, workdir: Path) -> SuiteResult:
    """Measure the start-up series and build its table."""
    env = base_env(workdir, "cache-startup")
    commands = startup_commands(tools, write_tldr_page(workdir), env)
    missing = _missing(commands)
    failures = [f"cannot run {p}: not found (install the bench extra)" for p in missing]
    runnable = [c for c in commands if c.argv[0] not in missing]
    measured = {s.command.label: s for s in round_robin(runnable, runs, warmups)}
    table = Table(
        f"Start-up: median of {runs} runs after {warmups} warm-ups, stdout to a pipe",
        STARTUP_HEADERS,
    )
    for command in commands:
        series = measured.get(command.label)
        table.rows.append(_startup_row(command.label, series, measured))
        failures += _failure_text(command.label, series.failure if series else None)
    table.notes += _completion_notes(measured.get(COMPLETE_LABEL))
    return SuiteResult(table, failures)


def _medians(series: Series | None) -> tuple[float, float]:
    if series is None:
        return float("nan"), float("nan")
    return series.median_ms, series.median_rss_mib


def _startup_row(label: str, series: Series | None, measured: Mapping[str, Series]) -> list[str]:
    ms, rss = _medians(series)
    base_ms, _ = _medians(measured.get(PYTHON_LABEL))
    tldr_ms, tldr_rss = _medians(measured.get(TLDR_LABEL))
    wall_x, rss_x = ratio(ms, tldr_ms), ratio(rss, tldr_rss)
    targets = ["—", "—"]
    if label not in (PYTHON_LABEL, TLDR_LABEL):
        targets = [_target(wall_x, WALL_TARGET), _target(rss_x, RSS_TARGET)]
    return [
        _labelled(label, series.failure if series else None),
        *(fmt(ms), fmt(wall_x, 2), fmt(ratio(ms, base_ms), 2)),
        *(fmt(rss), fmt(rss_x, 2), *targets),
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
    """One command at one content size: the cold run and the warm series."""

    label: str
    size: int
    cold: Sample
    warm: Series


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
    warm = round_robin(scale_commands(tools, content, warm_env), runs, warmups=1)
    return [ScalePoint(w.command.label, size, c, w) for c, w in zip(cold, warm, strict=True)]


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
    return SuiteResult(_scale_table(points, sizes, runs), failures)


def _scale_table(points: Sequence[ScalePoint], sizes: Sequence[int], runs: int) -> Table:
    table = Table(
        f"Scale: backcare --content DIR ..., warm median of {runs} runs "
        "after a cold run and 1 warm-up",
        SCALE_HEADERS,
    )
    warm = {(p.label, p.size): p.warm.median_ms for p in points}
    order = {label: i for i, label in enumerate(dict.fromkeys(p.label for p in points))}
    for point in sorted(points, key=lambda p: (order[p.label], p.size)):
        table.rows.append(_scale_row(point, warm, min(sizes)))
    table.notes.append("cold: first run with an empty BACKCARE_CACHE_DIR; warm: a shared one")
    table.notes.append(
        f"flags: over {SCALE_LIMIT_MS:.0f} ms at 10,000 remedies; "
        f"over {SCALE_GROWTH_LIMIT:.0f}x growth for 10x the remedies (superlinear)"
    )
    return table


def _scale_row(point: ScalePoint, warm: Mapping[tuple[str, int], float], base: int) -> list[str]:
    ms = point.warm.median_ms
    per_k = float("nan")
    if point.size > base:
        per_k = (ms - warm[(point.label, base)]) / ((point.size - base) / 1000)
    growth = ratio(ms, warm.get((point.label, point.size // 10), float("nan")))
    flags = []
    if point.size >= 10_000 and ms > SCALE_LIMIT_MS:
        flags.append(f"over {SCALE_LIMIT_MS:.0f} ms")
    if growth > SCALE_GROWTH_LIMIT:
        flags.append("superlinear")
    return [
        _labelled(point.label, point.cold, point.warm.failure),
        *(f"{point.size:,}", fmt(point.cold.wall_ms), fmt(ms), fmt(per_k)),
        *(fmt(growth, 1, "x"), ", ".join(flags) or "ok"),
    ]


def workspace() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for pages, generated content and caches."""
    return tempfile.TemporaryDirectory(prefix="backcare-bench-")
