"""The report in a real browser: headless Chromium loads it, prints it, and runs nothing.

Skipped where Chromium is not installed (Debian: ``apt-get install chromium``;
``.ci/run`` installs it). Page counts come from ``pdfinfo`` (poppler-utils)
when it is there, else from the PDF's page objects.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import RunFn
from tests.diary_fixtures import NOTES, a_check, fill, month

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium)",
)
# Headless, as root in a container, with nothing of its own reaching the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)
# Generous: only a hung browser ever comes near it.
LIMIT = 120
TODAY = datetime.now().astimezone().date()


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=LIMIT,
        check=False,
    )


def pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=LIMIT, check=True
        )
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def report(
    run: RunFn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notes: tuple[str, ...],
    hours: tuple[int, ...] = (8, 19),
) -> Path:
    diary = tmp_path / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(diary))
    at = datetime.combine(TODAY - timedelta(days=2), datetime.min.time(), timezone.utc)
    fill(diary, month(TODAY, notes, hours=hours), a_check(at, "fever"))
    target = tmp_path / "report.html"
    result = run("report", "-o", str(target))
    assert result.code == 0, result.stderr
    return target


class Listener:
    """A local web server that records every request made to it."""

    def __init__(self) -> None:
        seen: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.seen = seen
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    with Listener() as server:
        yield server


def hostile(base: str) -> tuple[str, ...]:
    """Notes that would fetch from ``base`` or change the title if a browser obeyed them."""
    return (
        f'<img src="{base}/img">',
        f"<script>document.title='ran';new Image().src='{base}/script'</script>",
        f"<img src=x onerror=\"this.onerror=null;document.title='ran';this.src='{base}/onerror'\">",
        f'<link rel="stylesheet" href="{base}/style.css">',
        f'<iframe src="{base}/frame"></iframe>',
        f"<svg><image href='{base}/svg'/></svg>",
        f'<style>@import "{base}/import.css";</style>',
        "Walked to the shops, fine",
    )


def test_hostile_notes_run_nothing_and_the_page_loads_nothing(
    run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listener: Listener
) -> None:
    page = report(run, tmp_path, monkeypatch, hostile(listener.base))
    dom = chromium(
        tmp_path / "profile", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()
    ).stdout
    assert "<title>Back pain diary," in dom, "the scripts in notes did not run"
    assert "&lt;script&gt;document.title='ran'" in dom, "the note shows as text"
    assert "<img" not in dom
    assert "<iframe" not in dom
    assert listener.seen == [], "the report fetched nothing"


def test_the_harness_sees_a_page_that_does_fetch(tmp_path: Path, listener: Listener) -> None:
    """The control: the same notes unescaped in a bare page are fetched and run."""
    bare = tmp_path / "bare.html"
    bare.write_text("<html><body>" + "".join(hostile(listener.base)) + "</body></html>")
    dom = chromium(
        tmp_path / "profile", "--virtual-time-budget=3000", "--dump-dom", bare.as_uri()
    ).stdout
    assert "<title>ran</title>" in dom
    assert "/img" in listener.seen


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_four_weeks_print_on_two_pages_at_most(
    run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paper: str
) -> None:
    """Three entries a day, each with a note of about 80 characters."""
    notes = tuple(
        f"{note} ({n}): stiff after the desk, a short walk eased it" for n, note in enumerate(NOTES)
    )
    page = report(run, tmp_path, monkeypatch, notes, hours=(7, 13, 19))
    assert page.read_text(encoding="utf-8").count('<tr><td class="when">') == 84
    sized = tmp_path / f"report-{paper}.html"
    sized.write_text(
        page.read_text(encoding="utf-8").replace(
            "</style>", f"@page {{ size: {paper}; }}\n</style>", 1
        ),
        encoding="utf-8",
    )
    pdf = tmp_path / f"report-{paper}.pdf"
    result = chromium(
        tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", sized.as_uri()
    )
    assert pdf.exists(), result.stderr[-2000:]
    assert 1 <= pages(pdf) <= 2
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=LIMIT, check=True
        ).stdout
        assert re.search(rf"^Page size:.*\({paper}\)", info, re.M | re.I), info
