"""Run the benchmarks: ``python -m benchmarks [--quick] [--markdown] [--runs N]``.

Exits non-zero only when a command under test fails; a missed target is
reported, never fatal.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.suites import (
    SuiteResult,
    Tools,
    find_tealdeer,
    growth_suite,
    scale_suite,
    startup_suite,
    workspace,
)

FULL_SIZES = (100, 1000, 10_000)
QUICK_SIZES = (100, 1000)
WARMUPS = 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; ``--quick`` sets the defaults it implies."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=(
            "Time backcare's start-up against python, tldr, cheat and tealdeer,"
            " and its content scaling."
        ),
    )
    parser.add_argument("--runs", type=int, help="start-up runs per command (default 15)")
    parser.add_argument("--scale-runs", type=int, default=5, help="warm runs per size (default 5)")
    parser.add_argument("--quick", action="store_true", help="runs=5, sizes up to 1,000 only")
    parser.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    parser.add_argument("--skip-startup", action="store_true", help="leave out the start-up series")
    parser.add_argument("--skip-scale", action="store_true", help="leave out the scale series")
    parser.add_argument(
        "--skip-growth", action="store_true", help="leave out the repeated-flag series"
    )
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 5 if args.quick else 15
    if args.runs < 1 or args.scale_runs < 1:
        parser.error("--runs and --scale-runs must be at least 1")
    args.sizes = QUICK_SIZES if args.quick else FULL_SIZES
    return args


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo, else whatever platform knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "Hardware"):
                return value.strip()
    return platform.processor() or "unknown"


def version_of(distribution: str) -> str:
    """The installed version of ``distribution``, or 'not installed'."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def tealdeer_version() -> str:
    """tealdeer's version, from the binary itself (it is no Python package)."""
    path = find_tealdeer()
    if path is None:
        return "not installed"
    result = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip().removeprefix("tealdeer ") or "unknown"


def system_info() -> list[tuple[str, str]]:
    """Facts about the machine and the tools, for the top of the report."""
    now = datetime.datetime.now().astimezone()
    return [
        ("date", now.isoformat(timespec="seconds")),
        ("platform", platform.platform()),
        ("cpu", f"{cpu_model()} ({os.cpu_count()} logical)"),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("backcare", version_of("backcare")),
        ("tldr", version_of("tldr")),
        ("cheat", version_of("cheat")),
        ("tealdeer", tealdeer_version()),
    ]


def render_info(info: Sequence[tuple[str, str]], *, markdown: bool) -> str:
    """Render the system facts as a Markdown list or as aligned lines."""
    if markdown:
        return "\n".join(f"- **{key}**: {value}" for key, value in info)
    width = max(len(key) for key, _ in info)
    return "\n".join(f"{key.ljust(width)}  {value}" for key, value in info)


def compile_bytecode() -> None:
    """Compile backcare's modules, as installing a wheel does.

    An editable checkout run with PYTHONDONTWRITEBYTECODE set would otherwise
    compile every module from source on every start, which no installed copy does.
    """
    import compileall

    import backcare

    compileall.compile_dir(str(Path(backcare.__file__).parent), quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected suites, print the report and return the exit status."""
    args = parse_args(argv)
    compile_bytecode()
    print(render_info(system_info(), markdown=args.markdown), end="\n\n", flush=True)
    tools = Tools.beside_interpreter()
    results: list[SuiteResult] = []
    with workspace() as tmp:
        workdir = Path(tmp)
        if not args.skip_startup:
            results.append(startup_suite(tools, args.runs, WARMUPS, workdir))
            print(results[-1].table.render(markdown=args.markdown), end="\n\n", flush=True)
        if not args.skip_scale:
            results.append(scale_suite(tools, args.sizes, args.scale_runs, workdir))
            print(results[-1].table.render(markdown=args.markdown), end="\n\n", flush=True)
        if not args.skip_growth:
            results.append(growth_suite(tools, args.scale_runs, workdir))
            print(results[-1].table.render(markdown=args.markdown), end="\n\n", flush=True)
    failures = list(dict.fromkeys(f for result in results for f in result.failures))
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
