"""`backcare plan` on the command line, and the calendar file it writes."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import pytest

from backcare.models import DiaryEntry, PlanPart
from backcare.query.plan import Plan, PlanDay, Review
from backcare.render.ics import calendar, escape, fold
from tests.conftest import ANSI, RunFn
from tests.diary_fixtures import fill

WEEK = ("plan", "--cause", "posture", "--symptom", "stiffness", "--start", "2026-12-02")


def test_plan_shows_a_week_with_goals_remedies_and_review_dates(run: RunFn) -> None:
    result = run(*WEEK)
    assert result.code == 0, result.stderr
    out = result.stdout
    assert "A plan for the week from Wednesday 2 December" in out
    assert "Wed 2 Dec\twalk 10 min\texercises 5 of each" in out
    assert "Tue 8 Dec" in out
    assert "Wed 9 Dec" not in out
    assert "Exercise, stretching and walking (exercise, supported)" in out
    assert "Avoid:" in out
    assert "When to see someone:" in out
    assert "no better by Wednesday 16 December" in out
    assert "not a substitute for professional medical advice" in result.stderr


def test_plan_json_has_the_days_remedies_and_reviews(run: RunFn) -> None:
    result = run(*WEEK, "--json")
    assert result.code == 0
    data = json.loads(result.stdout)
    assert data["result"] == "none"
    assert data["start"] == "2026-12-02"
    assert [d["date"] for d in data["days"]][:2] == ["2026-12-02", "2026-12-03"]
    assert data["days"][0]["walking_minutes"] == 10
    assert data["remedies"][0]["rating"] == "supported"
    assert [r["kind"] for r in data["reviews"]] == ["review-first", "review-doctor"]
    assert data["reviews"][0]["date"] == "2026-12-16"


@pytest.mark.parametrize(
    ("symptom", "code", "heading"),
    [
        ("saddle-numbness", 12, "EMERGENCY"),
        ("fever", 11, "URGENT"),
    ],
)
def test_a_warning_sign_gives_its_card_and_exit_code_instead_of_a_plan(
    run: RunFn, symptom: str, code: int, heading: str
) -> None:
    result = run("plan", "--symptom", symptom)
    assert result.code == code
    assert result.stdout.startswith(heading)
    assert "No plan is shown" in result.stdout
    assert "Each day" not in result.stdout


def test_a_warning_sign_writes_no_calendar(run: RunFn, tmp_path: Path) -> None:
    target = tmp_path / "week.ics"
    result = run("plan", "--symptom", "chest-pain", "--ics", str(target))
    assert result.code == 12
    assert not target.exists()
    assert "no calendar was written: a warning sign comes first" in result.stderr


def test_a_bad_start_date_is_a_usage_error(run: RunFn) -> None:
    result = run("plan", "--cause", "posture", "--start", "next tuesday")
    assert result.code == 2
    assert "--start takes a date like 2026-12-02, not 'next tuesday'" in result.stderr


def test_an_unknown_cause_is_a_usage_error_as_in_suggest(run: RunFn) -> None:
    result = run("plan", "--cause", "postur")
    assert result.code == 2
    assert "unknown value 'postur' for --cause (did you mean 'posture'?)" in result.stderr


# --- the calendar file ---------------------------------------------------------------------


def test_ics_opens_in_a_real_parser_with_sessions_reviews_and_alarms(
    run: RunFn, tmp_path: Path
) -> None:
    target = tmp_path / "week.ics"
    result = run(*WEEK, "--ics", str(target))
    assert result.code == 0, result.stderr
    assert "wrote the plan's calendar" in result.stderr
    raw = target.read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    sessions = [e for e in events if str(e["UID"]).startswith("session-")]
    reviews = [e for e in events if str(e["UID"]).startswith("review-")]
    assert [e.decoded("DTSTART") for e in sessions] == [
        datetime(2026, 12, day, 9, 0) for day in range(2, 9)
    ]
    assert "walk 10 min" in str(sessions[0]["SUMMARY"])
    assert [e.decoded("DTSTART") for e in reviews] == [date(2026, 12, 16), date(2026, 12, 30)]
    assert "pharmacist" in str(reviews[0]["DESCRIPTION"])
    for event in events:
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_ics_refuses_to_overwrite_without_force(run: RunFn, tmp_path: Path) -> None:
    target = tmp_path / "week.ics"
    target.write_text("mine", encoding="utf-8")
    result = run(*WEEK, "--ics", str(target))
    assert result.code == 2
    assert f"'{target}' already exists; backcare will not overwrite it" in result.stderr
    assert "add --force to replace it" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    assert run(*WEEK, "--ics", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_ics_into_a_missing_folder_is_a_clear_error(run: RunFn, tmp_path: Path) -> None:
    result = run(*WEEK, "--ics", str(tmp_path / "no" / "such" / "week.ics"))
    assert result.code == 74
    assert "cannot write" in result.stderr
    assert "No such file or directory" in result.stderr


def test_ics_text_is_escaped_and_folded_so_a_parser_reads_it_back() -> None:
    hostile = "Walk, slowly; then rest\\relax\nline two " + "é" * 60
    plan = Plan(
        start=date(2026, 12, 2),
        causes=(),
        symptoms=(),
        days=(PlanDay(date(2026, 12, 2), 10, 5, hostile, "BEGIN:VEVENT\r\nX:1"),),
        reviews=(Review(date(2026, 12, 9), PlanPart.REVIEW_DOCTOR, "by then; see, a GP"),),
    )
    text = calendar(plan, datetime(2026, 12, 2, 8, tzinfo=timezone.utc), "Not advice.")
    raw = text.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 2, "a value cannot open an event of its own"
    description = str(events[0]["DESCRIPTION"])
    assert description.startswith(hostile + "\nBEGIN:VEVENT\nX:1")
    assert str(events[1]["DESCRIPTION"]).startswith("by then; see, a GP")


def test_folding_never_splits_a_character_and_unfolds_to_the_original() -> None:
    line = "DESCRIPTION:" + "ü€😀" * 40
    folded = fold(line)
    for part in folded.encode("utf-8").split(b"\r\n"):
        assert len(part) <= 75
        part.decode("utf-8")  # whole characters only
    assert folded.replace("\r\n ", "") == line
    assert escape("a,b;c\\d\ne\x07") == "a\\,b\\;c\\\\d\\ne"


def test_the_same_plan_and_moment_give_the_same_file() -> None:
    plan = Plan(date(2026, 12, 2), (), (), days=(PlanDay(date(2026, 12, 2), 1, 1, "a", "b"),))
    moment = datetime(2026, 12, 2, tzinfo=timezone.utc)
    assert calendar(plan, moment, "x") == calendar(plan, moment, "x")


# --- with a diary ------------------------------------------------------------------------


@pytest.fixture
def diary_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "diary.sqlite3"
    monkeypatch.setenv("BACKCARE_DIARY", str(path))
    return path


def rising(today: date, note: str = "") -> list[DiaryEntry]:
    """Five days of pain rising from 3 to 7, the last yesterday."""
    return [
        DiaryEntry(
            f"{n:032x}",
            datetime.combine(today - timedelta(days=5 - n), time(9), timezone.utc),
            0,
            3 + n,
            None,
            (),
            note if n == 4 else "",
        )
        for n in range(5)
    ]


def test_a_diary_of_rising_pain_changes_the_week(run: RunFn, diary_path: Path) -> None:
    fill(diary_path, rising(date(2026, 12, 2)))
    result = run(*WEEK)
    assert result.code == 0
    assert "Your diary shows the pain rising" in result.stdout
    assert "Tue 8 Dec\twalk 5 min\texercises 5 of each" in result.stdout
    assert "no better by Saturday 5 December" in result.stdout
    assert "see your GP or another doctor by Wednesday 9 December" in result.stdout


def test_a_warning_sign_in_the_diary_gives_its_card(run: RunFn, diary_path: Path) -> None:
    fill(diary_path, rising(date(2026, 12, 2), note="woke up numb around my bottom"))
    result = run(*WEEK)
    assert result.code == 12
    assert "Numbness or tingling around the genitals" in result.stdout
    assert "Found in a recent diary note." in result.stdout
    assert "Each day" not in result.stdout


def test_plan_without_a_diary_creates_none(run: RunFn, diary_path: Path) -> None:
    assert run(*WEEK).code == 0
    assert not diary_path.exists()


@pytest.mark.parametrize("columns", ["40", "120"])
def test_in_a_terminal_the_days_are_a_table_at_any_width(run: RunFn, columns: str) -> None:
    result = run("--color", "always", *WEEK, env={"COLUMNS": columns})
    assert result.code == 0
    text = ANSI.sub("", result.stdout)
    assert re.search(r"Day\s+Walk\s+Exercises", text)
    assert re.search(r"Wed 2 Dec\s+10 min\s+5 of each", text)
    assert "When to see someone" in text
    assert max(len(line) for line in text.splitlines()) <= int(columns)


def test_in_a_terminal_a_warning_sign_is_a_card_alone(run: RunFn) -> None:
    result = run("--color", "always", "plan", "--symptom", "chest-pain")
    assert result.code == 12
    text = ANSI.sub("", result.stdout)
    assert "EMERGENCY" in text
    assert "No plan is shown" in text
    assert "Day" not in text


def test_a_diary_that_cannot_be_read_does_not_stop_the_plan(run: RunFn, diary_path: Path) -> None:
    diary_path.write_bytes(b"not a diary at all\n" * 10)
    result = run(*WEEK)
    assert result.code == 0
    assert "backcare: warning:" in result.stderr
    assert "the plan goes on without the diary" in result.stderr
    assert "Wed 2 Dec\twalk 10 min" in result.stdout
    assert diary_path.read_bytes() == b"not a diary at all\n" * 10
    card = run("plan", "--symptom", "saddle-numbness")
    assert card.code == 12


def test_report_stops_at_a_diary_that_cannot_be_read(run: RunFn, diary_path: Path) -> None:
    diary_path.write_bytes(b"not a diary at all\n" * 10)
    result = run("report")
    assert result.code == 4
    assert str(diary_path) in result.stderr


def test_plan_json_with_a_warning_sign_has_the_card_and_no_days(run: RunFn) -> None:
    result = run("plan", "--symptom", "fever", "--json")
    assert result.code == 11
    data = json.loads(result.stdout)
    assert data["result"] == "urgent"
    assert [w["id"] for w in data["warning_signs"]] == ["fever"]
    assert (data["days"], data["remedies"], data["reviews"]) == ([], [], [])
    assert data["action"].startswith("See a doctor today")


def test_the_review_dates_speak_the_region_s_words(run: RunFn) -> None:
    australia = run(*WEEK, env={"BACKCARE_REGION": "au"}).stdout
    assert "see a pharmacist, or contact healthdirect" in australia
    assert "NHS 111" not in australia.split("When to see someone:")[1].split("Sources")[0]
    assert "see a pharmacist, or contact NHS 111" in run(*WEEK).stdout


def test_a_see_a_doctor_soon_sign_comes_first_and_the_week_follows(
    run: RunFn, tmp_path: Path
) -> None:
    target = tmp_path / "week.ics"
    result = run(*WEEK, "--symptom", "stops-daily-activities", "--ics", str(target))
    assert result.code == 10
    assert result.stdout.startswith("SEE A DOCTOR SOON")
    card, week = result.stdout.split("A plan for the week from", 1)
    assert "Meanwhile:" in card
    assert "No plan is shown" not in result.stdout
    assert "Wed 2 Dec\twalk 10 min" in week
    assert target.exists()
