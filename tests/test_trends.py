"""The diary's analysis: local days, the trend, what helps, and each rule for seeing someone."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcare.cache import load_catalog_cached
from backcare.content import load
from backcare.findings import Code
from backcare.models import Catalog, DiaryEntry, DiaryRule, Layer, Level, RuleKind
from backcare.paths import builtin_content_dir, content_layers
from backcare.query import trends
from backcare.query.trends import Day, daily, no_better, rising, severe_days_running
from backcare.store import new_id
from tests.conftest import write_layer

START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def entry(
    pain: int,
    at: datetime,
    *,
    offset: int = 0,
    tried: tuple[str, ...] = (),
    note: str = "",
) -> DiaryEntry:
    return DiaryEntry(new_id(), at, offset, pain, None, tried, note)


def days_of(
    *averages: float, start: date = date(2026, 11, 1), worst: int | None = None
) -> list[Day]:
    return [
        Day(start + timedelta(days=i), worst if worst is not None else round(a), a, 1)
        for i, a in enumerate(averages)
    ]


def rule(
    kind: RuleKind, days: int, pain: int | None = None, points: int | None = None
) -> DiaryRule:
    return DiaryRule(
        "r", kind, Level.SOON, "Rule", "See someone.", ("nhs-back-pain",), days, pain, points
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog_cached(content_layers(dict(os.environ)), dict(os.environ))


# --- days, trend, what helps ---


def test_entries_group_by_the_local_day_they_were_made_on() -> None:
    # 23:30 UTC is already the next day in Tokyo, and still the same day in London.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)
    days = daily([entry(6, late, offset=540), entry(2, late, offset=0), entry(4, late, offset=0)])
    assert [(d.day, d.worst, d.average, d.entries) for d in days] == [
        (date(2026, 11, 30), 4, 3.0, 2),
        (date(2026, 12, 1), 6, 6.0, 1),
    ]


def test_the_trend_says_down_up_or_steady_from_the_first_days_to_the_last() -> None:
    down = trends.trend(days_of(7, 7, 7, 6, 5, 5, 4, 4, 4))
    assert down is not None
    assert (down.direction, down.start, down.end, down.days) == ("down", 7.0, 4.0, 9)
    up = trends.trend(days_of(2, 5))
    assert up is not None
    assert (up.direction, up.start, up.end) == ("up", 2.0, 5.0)
    steady = trends.trend(days_of(4, 5, 4, 4))
    assert steady is not None
    assert steady.direction == "steady"
    assert trends.trend(days_of(5)) is None


def test_what_helps_counts_the_change_at_the_next_entry_within_a_day() -> None:
    hour = timedelta(hours=1)
    record = []
    for n in range(3):
        day = START + timedelta(days=n)
        record += [entry(7, day, tried=("hot-packs",)), entry(4, day + 2 * hour)]
        record += [entry(5, day + 5 * hour, tried=("ice-packs",)), entry(6, day + 6 * hour)]
    # Tried, but followed by nothing within a day: not counted.
    record.append(entry(8, START + timedelta(days=10), tried=("hot-packs",)))
    # Tried twice only: below the minimum.
    record += [
        entry(6, START + timedelta(days=20), tried=("massage",)),
        entry(3, START + timedelta(days=20, hours=1)),
    ]
    found = trends.what_helps(record)
    assert found == [trends.Helps("hot-packs", 3, -3.0), trends.Helps("ice-packs", 3, 1.0)]


# --- the rules, one by one ---


def test_no_better_needs_a_record_as_long_as_the_rule() -> None:
    two_weeks = rule(RuleKind.NO_BETTER, 14, pain=1)
    assert no_better(two_weeks, days_of(*[5] * 14)) is None  # 13 days apart: too short
    detail = no_better(two_weeks, days_of(*[5] * 15))
    assert detail == "your daily pain was 5 around 1 Nov and is 5 now, 14 days later"


def test_no_better_is_not_met_when_pain_has_fallen_or_is_gone() -> None:
    two_weeks = rule(RuleKind.NO_BETTER, 14, pain=1)
    assert no_better(two_weeks, days_of(6, *[5] * 10, 4, 3, 3, 3)) is None
    assert no_better(two_weeks, days_of(*[0] * 15)) is None


def test_rising_needs_a_rise_of_the_rule_points_over_its_days() -> None:
    week = rule(RuleKind.RISING, 7, points=2)
    assert rising(week, days_of(3, 4, 5)) == "your daily pain went from 3 on 1 Nov to 5 on 3 Nov"
    assert rising(week, days_of(3, 4)) is None  # two days are not a trend
    assert rising(week, days_of(3, 4, 4)) is None  # up by one point only
    assert rising(week, days_of(3, 9, 8, 1, 1, 5)) is None  # sloping down overall
    # Only the last seven days count: the rise from 1 was long ago.
    assert rising(week, days_of(1, 1, 6, 6, 6, 6, 6, 6, 6, 6)) is None


def test_severe_days_running_needs_consecutive_days_up_to_the_latest() -> None:
    severe = rule(RuleKind.SEVERE_DAYS_RUNNING, 3, pain=8)
    assert severe_days_running(severe, days_of(8, 9, 8)) == (
        "your worst pain was 8, 9, 8 on 3 days running, to 3 Nov"
    )
    assert severe_days_running(severe, days_of(8, 9, 7)) is None
    assert severe_days_running(severe, days_of(9, 9, 9, 5)) is None  # the run has ended
    gap = [*days_of(9, 9), Day(date(2026, 11, 4), 9, 9.0, 1)]
    assert severe_days_running(severe, gap) is None  # a day missing breaks the run


def test_a_note_naming_a_warning_sign_finds_it(catalog: Catalog) -> None:
    flags = trends.note_red_flags(catalog, "numb around the groin after lifting the shopping")
    assert "saddle-numbness" in [f.id for f in flags]
    assert flags[0].level is Level.EMERGENCY  # the most urgent first
    assert trends.note_red_flags(catalog, "Chest pain since this morning")[0].id == "chest-pain"


@pytest.mark.parametrize(
    "note",
    ["did the stretches, felt better", "walked to the shop and back", "hot bath helped", ""],
)
def test_everyday_notes_name_no_warning_sign(catalog: Catalog, note: str) -> None:
    assert trends.note_red_flags(catalog, note) == []


def test_alerts_bring_the_emergency_card_first(catalog: Catalog) -> None:
    now = START + timedelta(days=3)
    record = [entry(9, START + timedelta(days=n)) for n in range(3)]
    fresh = entry(9, now, note="numb around the groin")
    found = trends.alerts(catalog, [*record, fresh], now, fresh)
    assert [a.rule.id for a in found] == ["note-names-a-warning-sign", "severe-three-days-running"]
    assert found[0].level is Level.EMERGENCY
    assert found[0].flags[0].id == "saddle-numbness"


def test_alerts_keep_only_the_later_review_point(catalog: Catalog) -> None:
    record = [entry(5, START + timedelta(days=n)) for n in range(30)]
    found = trends.alerts(catalog, record, START + timedelta(days=30))
    assert [a.rule.id for a in found] == ["no-better-after-a-few-weeks"]
    assert found[0].rule.sources == ("nhs-back-pain",)


def test_old_notes_do_not_raise_alerts_in_progress(catalog: Catalog) -> None:
    old = entry(3, START, note="chest pain")
    assert trends.alerts(catalog, [old], START + timedelta(days=30)) == []


# --- the rules are built-in content ---


def test_the_built_in_rules_carry_their_thresholds_and_sources(catalog: Catalog) -> None:
    by_id = {r.id: r for r in catalog.diary_rules}
    assert (by_id["no-better-after-two-weeks"].days, by_id["no-better-after-a-few-weeks"].days) == (
        14,
        28,
    )
    assert (by_id["severe-three-days-running"].pain, by_id["severe-three-days-running"].days) == (
        8,
        3,
    )
    assert by_id["rising-over-a-week"].days == 7
    assert all(r.sources for r in catalog.diary_rules)


def test_the_no_better_rules_follow_the_review_points(catalog: Catalog) -> None:
    # One set of review points: the diary's "no better" rules may not drift from them.
    no_better = sorted(r.days for r in catalog.diary_rules if r.kind is RuleKind.NO_BETTER)
    assert no_better == [p.after_days for p in catalog.review_points]


def test_the_cache_keeps_the_rules(catalog: Catalog) -> None:
    fresh = load(content_layers(dict(os.environ))).catalog
    assert fresh.diary_rules == catalog.diary_rules


RULE = """\
diary_rules:
  - id: {id}
    kind: severe-days-running
    level: soon
    name: Never mind
    advice: Nothing to do.
    sources: [nhs-back-pain]
    days: 30
    pain: 10
"""


@pytest.mark.parametrize("rule_id", ["severe-three-days-running", "my-own-rule"])
def test_no_other_layer_may_add_or_replace_a_diary_rule(tmp_path: Path, rule_id: str) -> None:
    folder = write_layer(tmp_path / "mine", {"rules.yaml": RULE.format(id=rule_id)})
    builtin = Layer("built-in", str(builtin_content_dir()), True)
    result = load([builtin, Layer("--content", str(folder), True)])
    (finding,) = result.findings
    assert finding.code is Code.BUILTIN_ONLY
    assert finding.line == 2
    assert finding.message.startswith("only the built-in content may define diary rules")
    severe = {r.id: r for r in result.catalog.diary_rules}["severe-three-days-running"]
    assert (severe.days, severe.pain) == (3, 8)
    assert "my-own-rule" not in {r.id for r in result.catalog.diary_rules}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("    kind: rising\n    level: soon\n    days: 7\n", "a rising diary rule needs 'points'"),
        (
            "    kind: no-better\n    days: 14\n    pain: 1\n",
            "a no-better diary rule needs 'level'",
        ),
        (
            "    kind: rising\n    level: soon\n    days: 0\n    points: 2\n",
            "0 is out of range; it must be 1 to 366",
        ),
        (
            "    kind: severe-days-running\n    level: soon\n    days: 3\n    pain: 11\n",
            "11 is out of range; it must be 0 to 10",
        ),
        ("    kind: warning-sign-in-note\n    days: 7\n    pain: 3\n", "takes no 'pain'"),
        ("    kind: sometimes\n    days: 7\n", "'sometimes' is not one of warning-sign-in-note"),
    ],
)
def test_a_malformed_rule_is_a_finding(tmp_path: Path, body: str, message: str) -> None:
    text = (
        "diary_rules:\n  - id: x\n    name: X\n    advice: Y.\n    sources: [nhs-back-pain]\n"
        + body
    )
    folder = write_layer(tmp_path / "built", {"rules.yaml": text})
    result = load([Layer("built-in", str(folder), True)])
    assert any(message in f.message for f in result.findings), result.findings
