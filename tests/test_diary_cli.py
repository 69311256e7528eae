"""The diary commands as a person uses them: log, diary, progress, and every refusal."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcare.models import DiaryEntry
from backcare.store import Diary, new_id
from tests.conftest import DISCLAIMER_WORDS, RunFn

POSIX = os.name == "posix"


@pytest.fixture(autouse=True)
def diary_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A diary of its own for each test, in UTC so that local days are predictable."""
    path = tmp_path / "mine" / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(path))
    monkeypatch.setenv("TZ", "UTC")
    tzset = getattr(
        time, "tzset", lambda: None
    )  # POSIX only; elsewhere the tests run in local time
    tzset()
    yield path
    monkeypatch.undo()
    tzset()


def now() -> datetime:
    return datetime.now(timezone.utc)


def put(path: Path, *pains: int, days_ago: int | None = None, **fields: object) -> list[DiaryEntry]:
    """Entries one day apart, the last one an hour ago (or ``days_ago`` days back)."""
    start = days_ago if days_ago is not None else len(pains) - 1
    items = [
        DiaryEntry(
            str(fields.get("entry_id") or new_id()),
            now() - timedelta(days=start - n, hours=1),
            0,
            pain,
            None,
            tuple(fields.get("tried", ())),  # type: ignore[arg-type]
            str(fields.get("note", "")),
        )
        for n, pain in enumerate(pains)
    ]
    with Diary(path) as diary:
        for item in items:
            diary.add(item)
    return items


def stored(path: Path) -> list[DiaryEntry]:
    with Diary(path) as diary:
        return diary.entries()


# --- log ---


def test_log_records_an_entry_in_one_line(run: RunFn, diary_file: Path) -> None:
    result = run("log", "6", "--tried", "Hot packs", "--limits", "4", "--note", "after gardening")
    assert result.code == 0
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("Logged:")]
    assert "pain 6/10  limits 4/10  tried hot-packs  note: after gardening" in line
    (entry,) = stored(diary_file)
    assert (entry.pain, entry.limits, entry.tried, entry.note) == (
        6,
        4,
        ("hot-packs",),
        "after gardening",
    )
    assert line.startswith(f"Logged: {entry.id[:8]}  ")
    if POSIX:
        assert diary_file.stat().st_mode & 0o777 == 0o600
        assert diary_file.parent.stat().st_mode & 0o777 == 0o700


def test_log_takes_exercises_as_tried(run: RunFn, diary_file: Path) -> None:
    assert run("log", "4", "--tried", "Knee rolls", "--tried", "exercise").code == 0
    assert stored(diary_file)[0].tried == ("knee-rolls", "exercise")


def test_log_help_explains_the_pain_scale(run: RunFn) -> None:
    result = run("log", "--help")
    assert result.code == 0
    assert "0 is no pain, 10 the worst pain you can imagine" in " ".join(result.stdout.split())


def test_log_at_a_time_in_the_past(run: RunFn, diary_file: Path) -> None:
    assert run("log", "7", "--at", "yesterday 21:00").code == 0
    (entry,) = stored(diary_file)
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).date()
    assert (entry.local.date(), entry.local.hour, entry.local.minute) == (yesterday, 21, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "11"], "PAIN is a whole number from 0 to 10, not '11'"),
        (["log", "seven"], "PAIN is a whole number from 0 to 10, not 'seven'"),
        (["log", "6.5"], "PAIN is a whole number from 0 to 10, not '6.5'"),
        (["log", "5", "--limits", "12"], "--limits is a whole number from 0 to 10, not '12'"),
        (["log", "5", "--at", "tomorrow"], "--at: cannot read 'tomorrow' as a time"),
        (["log", "5", "--at", "-1h", "--note", "x" * 1001], "--note is 1001 characters; the limit"),
        (["log"], "Missing argument 'PAIN'."),
    ],
)
def test_log_refuses_bad_input_with_exit_2(
    run: RunFn, diary_file: Path, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.code == 2
    assert f"backcare: error: {message}" in result.stderr
    assert not diary_file.exists()


def test_log_refuses_the_future(run: RunFn, diary_file: Path) -> None:
    later = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%d")
    result = run("log", "5", "--at", later)
    assert result.code == 2
    assert f"backcare: error: --at: {later} 12:00 is in the future" in result.stderr
    assert not diary_file.exists()


def test_log_an_unknown_remedy_suggests_the_nearest(run: RunFn, diary_file: Path) -> None:
    result = run("log", "5", "--tried", "hotpacks")
    assert result.code == 1
    assert "backcare: error: --tried: no remedy called 'hotpacks'" in result.stderr
    assert "did you mean hot-packs" in result.stderr
    assert not diary_file.exists()


def test_a_note_naming_an_emergency_sign_brings_its_card_first(run: RunFn) -> None:
    result = run("log", "3", "--note", "numb around the groin")
    assert result.code == 12
    lines = result.stdout.splitlines()
    assert lines[0].startswith("EMERGENCY: Call 999")
    assert any(line.startswith("    - Numbness or tingling around the genitals") for line in lines)
    assert any(line.startswith("Logged:") for line in lines[lines.index("") :])


@pytest.mark.parametrize("note", ["numb groin since lunch", "numbness in my bum"])
def test_a_note_in_everyday_words_names_the_emergency_sign(run: RunFn, note: str) -> None:
    result = run("log", "5", "--note", note)
    assert result.code == 12
    assert result.stdout.startswith("EMERGENCY: Call 999")


def test_the_emergency_card_shows_even_when_the_diary_cannot_be_written(
    run: RunFn, diary_file: Path
) -> None:
    diary_file.mkdir(parents=True)
    result = run("log", "3", "--note", "chest pain since this morning")
    assert result.code == 12
    assert result.stdout.startswith("EMERGENCY: Call 999")
    assert f"backcare: error: the diary {diary_file} is a folder, not a diary file" in result.stderr


@pytest.mark.parametrize(
    "args", [["12"], ["5", "--at", "tomorrow"], ["5", "--tried", "nothing-like-it"]]
)
def test_the_emergency_card_shows_even_when_the_rest_of_the_line_is_wrong(
    run: RunFn, diary_file: Path, args: list[str]
) -> None:
    result = run("log", *args, "--note", "numb around the groin")
    assert result.code == 12
    assert result.stdout.startswith("EMERGENCY: Call 999")
    assert "backcare: error: " in result.stderr
    assert not diary_file.exists()
    document = json.loads(run("log", *args, "--note", "chest pain", "--json").stdout)
    assert document["error"]["code"] in (1, 2)
    assert document["result"] == "emergency"


def test_log_json_gives_the_entry_and_the_result(run: RunFn) -> None:
    result = run("log", "4", "--json")
    document = json.loads(result.stdout)
    assert result.code == 0
    assert document["logged"]["pain"] == 4
    assert (document["result"], document["alerts"]) == ("none", [])
    assert DISCLAIMER_WORDS in document["disclaimer"]


def test_severe_pain_three_days_running_says_see_a_doctor_soon(
    run: RunFn, diary_file: Path
) -> None:
    put(diary_file, 9, 8, days_ago=2)
    result = run("log", "8")
    assert result.code == 10
    assert result.stdout.startswith("SEE A DOCTOR SOON\n")
    assert "Severe pain three days running: your worst pain was 9, 8, 8" in result.stdout
    assert "Source: NHS website, Back pain" in result.stdout


# --- files that are not a diary ---


def test_a_file_that_is_not_a_diary_is_exit_4_and_left_alone(run: RunFn, diary_file: Path) -> None:
    diary_file.parent.mkdir()
    diary_file.write_text("my notes\n" * 50)
    for args in (["log", "5"], ["diary"], ["progress"]):
        result = run(*args)
        assert result.code == 4
        assert (
            f"backcare: error: the diary {diary_file} is not a backcare diary"
            " (it is not an SQLite database)"
        ) in result.stderr
    assert diary_file.read_text() == "my notes\n" * 50


def test_a_newer_diary_is_exit_4(run: RunFn, diary_file: Path) -> None:
    put(diary_file, 5)
    with sqlite3.connect(diary_file) as db:
        db.execute("PRAGMA user_version = 7")
    db.close()
    result = run("diary", "--json")
    assert result.code == 4
    assert json.loads(result.stdout)["error"]["code"] == 4
    assert "was written by a newer backcare (diary schema 7" in result.stderr


# --- diary ---


def test_diary_lists_newest_first_with_last_and_since(run: RunFn, diary_file: Path) -> None:
    put(diary_file, 7, 5, 3)
    assert [line.split()[4] for line in run("diary").stdout.splitlines()[:3]] == [
        "3/10",
        "5/10",
        "7/10",
    ]
    assert len(json.loads(run("diary", "--last", "2", "--json").stdout)["entries"]) == 2
    assert len(json.loads(run("diary", "list", "--since", "-36h", "--json").stdout)["entries"]) == 2


def test_diary_csv_keeps_formulas_as_text(run: RunFn, diary_file: Path) -> None:
    put(diary_file, 4, note="=HYPERLINK(1)")
    result = run("diary", "--csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "id,at,local,pain,limits,tried,note"
    assert lines[1].endswith(",4,,,'=HYPERLINK(1)")
    assert DISCLAIMER_WORDS not in result.stdout


def test_diary_json_and_csv_together_are_refused(run: RunFn) -> None:
    result = run("diary", "--json", "--csv")
    assert result.code == 2
    assert "--json and --csv contradict each other; give one of them" in result.stderr


def test_an_empty_diary_says_how_to_start(run: RunFn, diary_file: Path) -> None:
    result = run("diary")
    assert result.code == 0
    assert "Record one with 'backcare log PAIN'" in result.stderr
    assert not diary_file.exists()


def test_diary_delete_and_edit_by_a_short_id(run: RunFn, diary_file: Path) -> None:
    first, second = put(diary_file, 6, 5)
    edited = run("diary", "edit", first.id[:6], "--pain", "2", "--note", "better")
    assert edited.code == 0
    assert "pain 2/10" in edited.stdout
    assert "note: better" in edited.stdout
    assert run("diary", "delete", second.id[:8]).code == 0
    (left,) = stored(diary_file)
    assert (left.id, left.pain, left.note, left.at) == (first.id, 2, "better", first.at)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["diary", "delete", "abcd0000"], 1, "no diary entry with id abcd0000"),
        (["diary", "delete", "xyz!"], 2, "'xyz!' is not an entry id (4 or more hex digits)"),
        (["diary", "delete", "aaaa"], 2, "2 entries have ids starting aaaa; give more of it"),
        (["diary", "edit", "aaaa1"], 2, "nothing to change"),
        (["diary", "edit", "aaaa1", "--pain", "12"], 2, "--pain is a whole number from 0 to 10"),
    ],
)
def test_diary_changes_refuse_bad_ids_and_options(
    run: RunFn, diary_file: Path, args: list[str], code: int, message: str
) -> None:
    put(diary_file, 5, entry_id="aaaa1" + "0" * 27)
    put(diary_file, 6, entry_id="aaaa2" + "0" * 27)
    result = run(*args)
    assert result.code == code
    assert f"backcare: error: {message}" in result.stderr
    assert len(stored(diary_file)) == 2


def test_export_and_import_move_a_diary_without_doubling(
    run: RunFn, diary_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = put(diary_file, 7, 5, 3, tried=("hot-packs",), note="ok")
    exported = tmp_path / "out.jsonl"
    result = run("diary", "export", "-o", str(exported))
    assert result.code == 0
    assert len(exported.read_text().splitlines()) == 3
    if POSIX:
        assert exported.stat().st_mode & 0o777 == 0o600
    other = tmp_path / "other" / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(other))
    assert run("diary", "import", str(exported)).stdout.startswith("Imported 3 entries from")
    again = run("diary", "import", str(exported))
    assert again.stdout.startswith("Imported 0 entries from")
    assert "3 already in the diary were skipped" in again.stdout
    assert stored(other) == stored(diary_file) == sorted(kept, key=lambda e: e.at, reverse=True)


def test_export_never_overwrites_a_file(run: RunFn, tmp_path: Path, diary_file: Path) -> None:
    put(diary_file, 5)
    target = tmp_path / "exists.csv"
    target.write_text("keep")
    result = run("diary", "export", "--format", "csv", "-o", str(target))
    assert result.code == 2
    assert f"backcare: error: {target} already exists; give a new file name" in result.stderr
    assert target.read_text() == "keep"


GOOD = {
    "id": "b" * 32,
    "at": "2026-11-30T08:15:00+00:00",
    "utc_offset_minutes": 60,
    "pain": 5,
    "limits": None,
    "tried": [],
    "note": "",
}


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("not json", "Expecting value"),
        ('["a list"]', "not a JSON object"),
        (json.dumps({**GOOD, "pain": 11}), "'pain' is not a whole number from 0 to 10"),
        (json.dumps({**GOOD, "id": "short"}), "'id' is not 32 hex digits"),
        (json.dumps({**GOOD, "tried": ["a\nb"]}), "'tried' is not a list of remedy slugs"),
        (json.dumps({**GOOD, "at": "2026-11-30T08:15"}), "'at' has no offset from UTC"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "pain"}), "missing 'pain'"),
    ],
)
def test_a_bad_import_line_names_its_number_and_imports_nothing(
    run: RunFn, tmp_path: Path, diary_file: Path, bad_line: str, message: str
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({**GOOD, "id": "a" * 32}) + "\n\n" + bad_line + "\n")
    result = run("diary", "import", str(source))
    assert result.code == 2
    assert f"backcare: error: {source}:3: " in result.stderr
    assert message in result.stderr
    assert "nothing was imported" in result.stderr
    assert stored(diary_file) == []


def test_importing_a_missing_file_is_a_usage_error(run: RunFn, tmp_path: Path) -> None:
    result = run("diary", "import", str(tmp_path / "nope.jsonl"))
    assert result.code == 2
    assert f"backcare: error: cannot read {tmp_path / 'nope.jsonl'}: No such file" in result.stderr


def test_diary_path_names_the_file(run: RunFn, diary_file: Path) -> None:
    assert run("diary", "path").stdout.splitlines()[0] == str(diary_file)
    assert json.loads(run("diary", "path", "--json").stdout)["exists"] is False


# --- progress ---


def test_progress_shows_the_days_the_trend_and_what_helps(run: RunFn, diary_file: Path) -> None:
    pains = [7, 7, 7, 6, 5, 5, 4, 4, 4]
    for n, pain in enumerate(pains):
        at = now() - timedelta(days=len(pains) - 1 - n, hours=3)
        with Diary(diary_file) as diary:
            diary.add(DiaryEntry(new_id(), at, 0, pain, None, ("hot-packs",), ""))
            diary.add(DiaryEntry(new_id(), at + timedelta(hours=2), 0, pain - 2, None, (), ""))
    result = run("progress")
    assert result.code == 0
    assert "Trend: Down from 6 to 3 over 9 days" in result.stdout
    assert "hot-packs: pain 2 lower at the next entry, on average (9 times)" in result.stdout
    assert "This is your own record, not proof" in result.stdout
    data = json.loads(run("progress", "--json").stdout)
    assert len(data["days"]) == 9
    assert data["days"][0] == {
        "day": data["days"][0]["day"],
        "worst": 7,
        "average": 6.0,
        "entries": 2,
    }
    assert data["trend"]["direction"] == "down"
    assert data["helps"][0]["remedy"] == "hot-packs"
    assert data["result"] == "none"


def test_progress_says_when_pain_is_no_better_after_a_few_weeks(
    run: RunFn, diary_file: Path
) -> None:
    put(diary_file, *[5] * 30)
    result = run("progress")
    assert result.code == 10
    assert result.stdout.startswith("SEE A DOCTOR SOON\n")
    assert "No better after a few weeks: your daily pain was 5" in result.stdout
    assert json.loads(run("progress", "--json").stdout)["alerts"][0]["rule"] == (
        "no-better-after-a-few-weeks"
    )


def test_progress_of_an_empty_diary(run: RunFn) -> None:
    result = run("progress")
    assert result.code == 0
    assert "The diary has no entries for this period" in result.stderr


def test_progress_refuses_a_bad_since(run: RunFn) -> None:
    result = run("progress", "--since", "last tuesday")
    assert result.code == 2
    assert "backcare: error: --since: cannot read 'last tuesday' as a time" in result.stderr


# --- a terminal (Rich), at any width ---


def plain_text(text: str) -> list[str]:
    from tests.conftest import ANSI

    return ANSI.sub("", text).splitlines()


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_the_chart_and_table_fit_the_terminal(run: RunFn, diary_file: Path, columns: str) -> None:
    put(diary_file, 7, 6, 9, 4, tried=("hot-packs",), note="a long note " * 8)
    env = {"COLUMNS": columns}
    chart = run("--color", "always", "progress", env=env)
    assert chart.code == 0
    lines = plain_text(chart.stdout)
    assert max(len(line) for line in lines) <= int(columns)
    assert any("\u2588" in line and line.rstrip().endswith("9") for line in lines)
    assert any(line.startswith("Trend: ") for line in lines)
    listing = plain_text(run("--color", "always", "diary", env=env).stdout)
    assert max(len(line) for line in listing) <= int(columns)
    assert sum("a long note" in line for line in listing) >= 4  # wrapped, never cut


def test_a_latin_1_terminal_gets_an_ascii_chart(diary_file: Path) -> None:
    import subprocess
    import sys

    put(diary_file, 7, 6)
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "BACKCARE_DIARY": str(diary_file)}
    result = subprocess.run(
        [sys.executable, "-m", "backcare", "--color", "always", "progress"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0
    text = result.stdout.decode("latin-1")
    assert "######" in text
    assert "\u2588" not in text


def test_the_emergency_card_comes_first_in_a_terminal_too(run: RunFn) -> None:
    result = run("--color", "always", "log", "3", "--note", "numb around the groin")
    assert result.code == 12
    lines = plain_text(result.stdout)
    assert "EMERGENCY" in lines[0]
    assert "When to see someone" in lines[0]
    assert any(line.startswith("Logged:") for line in lines[3:])


def test_an_emergency_card_stands_alone(run: RunFn, diary_file: Path) -> None:
    put(diary_file, 9, 9, days_ago=2)
    result = run("log", "8", "--note", "pins and needles in both legs")
    assert result.code == 12
    assert result.stdout.startswith("EMERGENCY: Call 999")
    assert "Severe pain three days running" not in result.stdout
    document = json.loads(run("log", "8", "--note", "chest pain", "--json").stdout)
    assert [a["level"] for a in document["alerts"]] == ["emergency", "soon"]


def test_broken_extra_content_cannot_stop_the_emergency_card(run: RunFn, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("remedies: [\n")
    result = run("--content", str(broken), "log", "3", "--note", "numb around the groin")
    assert result.code == 12
    assert result.stdout.startswith("EMERGENCY: Call 999")
    assert "screening goes on with the built-in warning signs only" in result.stderr
