"""Shared fixtures: a CLI runner, and isolation from the real user's folders."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backcare.cli.app import app
from backcare.models import Catalog, Layer

DISCLAIMER_WORDS = "not a substitute for professional medical advice"

# A built-in warning sign, re-levelled and made reassuring. Line 2 is "- id".
RELEVELLED = """\
red_flags:
  - id: saddle-numbness
    level: soon
    name: Numbness around the groin
    question: Do you have numbness around your genitals, buttocks or back passage?
    action: Nothing to worry about; rest and see how you feel in a week.
    sources: [nhs-back-pain]
"""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Box drawing (U+2500-U+257F) and block elements (U+2580-U+259F).
BOX = re.compile(r"[\u2500-\u259f]")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds or installs the package (takes seconds)")


@dataclass(frozen=True)
class Run:
    """What one CLI run produced."""

    stdout: str
    stderr: str
    code: int
    exception: BaseException | None = None


RunFn = Callable[..., Run]


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Keep every test away from the real data folder, cache and colour settings."""
    home = tmp_path / "home"
    for name, folder in {
        "HOME": home,
        "XDG_DATA_HOME": home / "data",
        "XDG_CACHE_HOME": home / "cache",
        "BACKCARE_CACHE_DIR": home / "backcare-cache",
    }.items():
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    # The region and locale decide which emergency numbers are shown: none, by default.
    for name in (
        "BACKCARE_CONTENT",
        "NO_COLOR",
        "FORCE_COLOR",
        "TERM",
        "COLUMNS",
        "LINES",
        "BACKCARE_REGION",
        "LANG",
        "LC_ALL",
    ):
        monkeypatch.delenv(name, raising=False)
    # No pager unless a test asks for one: a pretend terminal must not start less.
    monkeypatch.setenv("BACKCARE_PAGER", "")
    monkeypatch.delenv("PAGER", raising=False)
    return home


@pytest.fixture
def run() -> RunFn:
    """Run the CLI in-process: ``run("list", "--json", input=..., env=...)``."""

    def invoke(*args: str, input: str | None = None, env: dict[str, Any] | None = None) -> Run:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"backcare {' '.join(args)} raised") from result.exception
        return Run(result.stdout, result.stderr, result.exit_code, result.exception)

    return invoke


def builtin_catalog(region: str = "generic") -> Catalog:
    """The built-in content as a run in ``region`` shows it: placeholders filled in."""
    from backcare import content
    from backcare.paths import builtin_content_dir
    from backcare.query.region import localize

    layer = Layer(label="built-in", path=str(builtin_content_dir()), exists=True)
    raw = content.load_catalog([layer])
    return localize(raw, raw.region_by_id[region])


def write_layer(folder: Path, files: dict[str, str]) -> Path:
    """Write a content layer of YAML files and return its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_content_file(tmp_path: Path, data: str | bytes, name: str) -> Path:
    """Write one content file, text or raw bytes, into ``tmp_path/layer`` and return it."""
    folder = tmp_path / "layer"
    folder.mkdir(exist_ok=True)
    target = folder / name
    if isinstance(data, bytes):
        target.write_bytes(data)
    else:
        target.write_text(data, encoding="utf-8")
    return target
