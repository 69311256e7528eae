"""Reading --at and --since: every form a person types, and the ones refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backcare.errors import ExitStatus, UsageError
from backcare.query.when import parse_when

BERLIN_WINTER = timezone(timedelta(hours=1))
BERLIN_SUMMER = timezone(timedelta(hours=2))
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=BERLIN_WINTER)


def berlin(naive: datetime) -> datetime:
    """Central European time: summer time from the last Sunday of March to that of October."""
    summer = datetime(naive.year, 3, 29, 2) <= naive < datetime(naive.year, 10, 25, 3)
    return naive.replace(tzinfo=BERLIN_SUMMER if summer else BERLIN_WINTER)


def at(text: str) -> datetime:
    return parse_when(text, NOW, localize=berlin)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("  NOW ", NOW),
        ("today", NOW),
        ("yesterday", NOW - timedelta(days=1)),
        ("yesterday 21:00", datetime(2026, 12, 1, 21, 0, tzinfo=BERLIN_WINTER)),
        ("today 07:05", datetime(2026, 12, 2, 7, 5, tzinfo=BERLIN_WINTER)),
        ("08:15", datetime(2026, 12, 2, 8, 15, tzinfo=BERLIN_WINTER)),
        ("-2h", NOW - timedelta(hours=2)),
        ("-30m", NOW - timedelta(minutes=30)),
        ("-3d", NOW - timedelta(days=3)),
        ("-1w", NOW - timedelta(weeks=1)),
        ("2026-11-30", datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN_WINTER)),
        ("2026-11-30 08:15", datetime(2026, 11, 30, 8, 15, tzinfo=BERLIN_WINTER)),
        ("2026-11-30T08:15", datetime(2026, 11, 30, 8, 15, tzinfo=BERLIN_WINTER)),
        ("2026-11-30T07:15:00+00:00", datetime(2026, 11, 30, 7, 15, tzinfo=timezone.utc)),
    ],
)
def test_every_documented_form_is_read_in_local_time(text: str, expected: datetime) -> None:
    assert at(text) == expected


def test_a_date_in_summer_gets_the_summer_offset() -> None:
    assert at("2026-07-01 08:00").utcoffset() == timedelta(hours=2)
    assert at("2026-07-01 08:00").astimezone(timezone.utc).hour == 6


def test_today_alone_before_noon_is_now_not_the_future() -> None:
    early = datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN_WINTER)
    assert parse_when("2026-12-02", early, localize=berlin) == early


@pytest.mark.parametrize(
    "text", ["tomorrow", "soon", "-2x", "25:00", "yesterday 9pm", "2026-13-01", "", "2026-11-31"]
)
def test_what_cannot_be_read_is_a_usage_error_listing_the_forms(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        at(text)
    assert caught.value.message == f"--at: cannot read {text!r} as a time"
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("use one of: now, yesterday, 'yesterday 21:00'")
    assert caught.value.exit_status == ExitStatus.USAGE


@pytest.mark.parametrize("text", ["23:00", "today 11:00", "2026-12-03", "2026-12-02 18:00"])
def test_the_future_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match=r"^--at: 2026-12-0[23] \d\d:\d\d is in the future$"):
        at(text)


def test_the_option_is_named_in_the_message() -> None:
    with pytest.raises(UsageError, match=r"^--since: cannot read"):
        parse_when("whenever", NOW, "--since", localize=berlin)


def test_a_huge_offset_is_refused_not_a_crash() -> None:
    with pytest.raises(UsageError, match="cannot read"):
        at("-999999w")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", datetime(2026, 12, 2, 0, 0, tzinfo=BERLIN_WINTER)),
        ("yesterday", datetime(2026, 12, 1, 0, 0, tzinfo=BERLIN_WINTER)),
        ("2026-11-30", datetime(2026, 11, 30, 0, 0, tzinfo=BERLIN_WINTER)),
        ("-3d", NOW - timedelta(days=3)),
    ],
)
def test_since_a_day_means_from_its_start(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, "--since", localize=berlin, start_of_day=True) == expected
