"""`backcare report`: the diary handout for a doctor, as HTML or Markdown."""

from __future__ import annotations

import re
import stat
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backcare import content
from backcare.models import Layer
from backcare.paths import builtin_content_dir
from backcare.query.report import build_report, tried
from backcare.render.report import markdown_text
from tests.conftest import DISCLAIMER_WORDS, RunFn
from tests.diary_fixtures import HOSTILE_NOTES, NOTES, a_check, fill, month


class Tags(HTMLParser):
    """Every element and attribute name of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes.update(name for name, _ in attrs)


TODAY = datetime.now().astimezone().date()


@pytest.fixture
def diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Four weeks of entries, some notes hostile, and a saved check with a yes."""
    path = tmp_path / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(path))
    at = datetime.combine(TODAY - timedelta(days=3), datetime.min.time(), timezone.utc)
    return fill(path, month(TODAY, NOTES + HOSTILE_NOTES), a_check(at, "fever"))


def html_of(run: RunFn, tmp_path: Path, *args: str) -> str:
    target = tmp_path / "report.html"
    result = run("report", "-o", str(target), *args)
    assert result.code == 0, result.stderr
    return target.read_text(encoding="utf-8")


@pytest.mark.usefixtures("diary")
def test_report_writes_a_self_contained_page_with_everything_a_doctor_needs(
    run: RunFn, tmp_path: Path
) -> None:
    page = html_of(run, tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page
    assert page.count("<circle") == 28  # one point a day for four weeks
    assert "56</b> entries on <b>28</b> days" in page
    assert "trend: <b>easing</b>" in page
    assert "Heat pack helped for an hour" in page  # the notes
    assert "Hot packs" in page
    assert "at the next entry, on average" in page  # the person's own figures
    assert "Medicines tried:</b>" in page
    assert "Painkillers" in page
    assert 'Answered <span class="yes">yes</span> to:' in page
    assert "High temperature" in page  # the last check's yes
    assert "not a substitute for professional medical advice" in page
    assert "The diary stores no name" in page


@pytest.mark.usefixtures("diary")
def test_the_page_loads_nothing_and_runs_nothing(run: RunFn, tmp_path: Path) -> None:
    page = html_of(run, tmp_path)
    tags = Tags()
    tags.feed(page)
    assert not tags.names & {"script", "link", "img", "iframe", "object", "embed", "base"}
    assert not {a for a in tags.attributes if a in {"src", "href", "srcset", "action"}}
    assert not {a for a in tags.attributes if a.startswith("on")}
    assert not re.search(r"@import|url\(", page, re.I)
    # The only address is the SVG namespace, which is a name, never fetched.
    assert re.findall(r"https?://[^\s\"'<>]+", page) == ["http://www.w3.org/2000/svg"]
    assert "default-src 'none'" in page


@pytest.mark.usefixtures("diary")
def test_hostile_notes_show_as_text(run: RunFn, tmp_path: Path) -> None:
    page = html_of(run, tmp_path)
    assert "&lt;script&gt;document.title=&#39;ran&#39;&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;document.title=&#39;ran&#39;&#34;&gt;" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;injected&lt;/h1&gt;" in page
    assert "{{ 7*7 }} and {% raw %}" in page  # a note is never a template
    assert "<h1>injected" not in page


@pytest.mark.usefixtures("diary")
def test_markdown_escapes_notes_so_a_paste_shows_them_as_text(run: RunFn) -> None:
    result = run("report", "--format", "md")
    assert result.code == 0
    out = result.stdout
    assert out.startswith("# Back pain diary, ")
    assert "| When | Pain | Limits | Tried | Note |" in out
    assert r"\<script\>document.title='ran'\</script\>" in out
    assert r"""\<img src=x onerror="document.title='ran'"\>""" in out
    assert not re.search(r"(?<!\\)[<>]", out), "every < and > is escaped"
    rows = out.split("## Entries")[1].split("\n\n")[1].splitlines()[2:]
    assert len(rows) == 56
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows), "no note breaks a row"


def test_markdown_text_escapes_table_and_markup_characters() -> None:
    assert markdown_text("a | b\n*c* <d>") == r"a \| b \*c\* \<d\>"


@pytest.mark.usefixtures("diary")
def test_markdown_is_the_default_on_stdout_and_html_with_o(run: RunFn) -> None:
    result = run("report")
    assert result.stdout.startswith("# Back pain diary")
    # The report carries the disclaimer once; the run's own copy goes to stderr.
    assert result.stdout.count(DISCLAIMER_WORDS) == 1
    assert result.stdout.rstrip().endswith("emergency call 999 (UK), 911 (US) or 112 (EU).")
    assert DISCLAIMER_WORDS in result.stderr
    assert run("report", "--format", "html").stdout.startswith("<!DOCTYPE html>")


@pytest.mark.usefixtures("diary")
def test_o_refuses_to_overwrite_without_force(run: RunFn, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old report", encoding="utf-8")
    result = run("report", "-o", str(target))
    assert result.code == 2
    assert f"backcare: error: '{target}' already exists; backcare will not overwrite it" in (
        result.stderr
    )
    assert "add --force to replace it, or give another file name" in result.stderr
    assert target.read_text(encoding="utf-8") == "the old report"
    forced = run("report", "-o", str(target), "--force")
    assert forced.code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.usefixtures("diary")
def test_o_writes_a_private_file_and_leaves_no_temporary_behind(run: RunFn, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("report", "-o", str(folder / "r.md"), "--format", "md")
    assert result.code == 0
    assert "wrote the report to" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["r.md"]
    assert stat.S_IMODE((folder / "r.md").stat().st_mode) == 0o600


@pytest.mark.usefixtures("diary")
def test_o_to_a_folder_is_a_usage_error(run: RunFn, tmp_path: Path) -> None:
    result = run("report", "-o", str(tmp_path))
    assert result.code == 2
    assert "is a folder; give a file name" in result.stderr


@pytest.mark.usefixtures("diary")
def test_since_narrows_the_period(run: RunFn) -> None:
    out = run("report", "--since", "-6d", "--format", "md").stdout
    assert "14 entries on 7 days" in out
    first = TODAY - timedelta(days=6)
    dated = run("report", "--since", first.isoformat(), "--format", "md").stdout
    assert "14 entries on 7 days" in dated
    assert f"# Back pain diary, {first:%a} {first.day} {first:%b %Y} to" in dated
    assert "28 days" in run("report", "--since", "-4w", "--format", "md").stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("last week", "--since: cannot read 'last week' as a time"),
        ("2026-13-01", "--since: cannot read '2026-13-01' as a time"),
        ("2999-01-01", "--since: 2999-01-01 00:00 is in the future"),
    ],
)
@pytest.mark.usefixtures("diary")
def test_a_bad_since_is_a_usage_error(run: RunFn, value: str, message: str) -> None:
    result = run("report", "--since", value)
    assert result.code == 2
    assert message in result.stderr


def test_no_entries_is_a_clear_not_found(
    run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKCARE_DIARY", str(tmp_path / "none.sqlite3"))
    result = run("report")
    assert result.code == 1
    assert "the diary has no entries since" in result.stderr
    assert "record some with 'backcare log'" in result.stderr
    assert not (tmp_path / "none.sqlite3").exists(), "reading never creates a diary"


# --- the pure parts ---------------------------------------------------------------------


def test_seems_to_help_needs_three_followed_tries() -> None:
    catalog = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])
    entries = month(date(2026, 12, 1))
    found = {t.slug: t for t in tried(catalog, entries)}
    assert found["hot-packs"].change is not None
    assert found["medications"].medication
    assert not found["hot-packs"].medication
    # Two tries, each followed within a day: too few to say.
    two = [e._replace(tried=()) for e in entries]
    two[0] = two[0]._replace(tried=("massage",))
    two[2] = two[2]._replace(tried=("massage",))
    (massage,) = tried(catalog, two)
    assert (massage.times, massage.followed, massage.change) == (2, 2, None)


def test_the_report_keeps_to_its_period_in_local_days() -> None:
    catalog = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])
    entries = month(date(2026, 12, 1))
    report = build_report(catalog, entries, date(2026, 11, 25), date(2026, 11, 30))
    assert (report.days[0].day, report.days[-1].day) == (date(2026, 11, 25), date(2026, 11, 30))
    assert len(report.entries) == 12


def test_a_stdout_that_cannot_hold_a_note_still_gets_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import subprocess
    import sys

    diary = tmp_path / "diary.sqlite3"
    entries = month(TODAY, ("ouch \U0001f600 today",))
    fill(diary, entries)
    env = {**os.environ, "BACKCARE_DIARY": str(diary), "PYTHONIOENCODING": "latin-1"}
    for fmt, shown in (("md", "ouch ? today"), ("html", "ouch &#128512; today")):
        result = subprocess.run(
            [sys.executable, "-m", "backcare", "report", "--format", fmt],
            capture_output=True,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr.decode("latin-1")
        assert shown in result.stdout.decode("latin-1")
        assert b"Traceback" not in result.stderr


def test_control_characters_and_bidi_overrides_in_notes_are_neutralised(
    run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diary = tmp_path / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(diary))
    fill(diary, month(TODAY, ("pay \u202eevil\u202c now \x1b[31mred",)))
    page = html_of(run, tmp_path)
    assert "pay \ufffdevil\ufffd now \ufffd[31mred" in page
    assert "\u202e" not in page
    assert "\x1b" not in page


def test_exercises_tried_are_named_as_the_content_names_them() -> None:
    catalog = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])
    entries = [e._replace(tried=("knee-rolls", "exercise")) for e in month(date(2026, 12, 1))]
    names = {t.slug: t.name for t in tried(catalog, entries)}
    assert names == {"knee-rolls": "Knee rolls", "exercise": "Exercise, stretching and walking"}


@pytest.mark.usefixtures("diary")
def test_the_report_s_disclaimer_names_the_region_s_emergency_number(run: RunFn) -> None:
    result = run("report", "--format", "md", env={"BACKCARE_REGION": "au"})
    assert result.code == 0
    assert "in an emergency call triple zero (000)." in result.stdout.split("---")[-1]
