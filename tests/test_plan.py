"""The week's plan: pure rules over causes, symptoms, the diary and a date."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcare import content, query
from backcare.findings import Code
from backcare.models import Catalog, CheckRecord, DiaryEntry, Layer, Level, PlanPart, Rating
from backcare.paths import builtin_content_dir
from backcare.query.plan import (
    Plan,
    build_plan,
    episode_start,
    trend,
)
from backcare.query.trends import daily, note_red_flags
from tests.conftest import write_layer

START = date(2026, 12, 2)


def entry(
    days_before: int, pain: int, note: str = "", hour: int = 9, offset: int = 0
) -> DiaryEntry:
    at = datetime.combine(START - timedelta(days=days_before), datetime.min.time())
    at = at.replace(hour=hour, tzinfo=timezone.utc)
    return DiaryEntry(f"e{days_before}-{hour}", at, offset, pain, None, (), note)


def diary(*pains: int) -> list[DiaryEntry]:
    """One entry a day, the last of ``pains`` yesterday, newest first as the store gives them."""
    return [entry(len(pains) - n, pain) for n, pain in enumerate(pains)][::-1]


def builtin() -> Layer:
    return Layer(label="built-in", path=str(builtin_content_dir()), exists=True)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return content.load_catalog([builtin()])


def week(catalog: Catalog, **kwargs: object) -> Plan:
    return build_plan(catalog, ["posture"], ["stiffness"], START, **kwargs)  # type: ignore[arg-type]


# --- a week without a diary ----------------------------------------------------------------


def test_a_week_for_posture_and_stiffness_starts_today_and_grows_gently(catalog: Catalog) -> None:
    plan = week(catalog)
    assert [d.day for d in plan.days] == [START + timedelta(days=n) for n in range(7)]
    minutes = [d.minutes for d in plan.days]
    repetitions = [d.repetitions for d in plan.days]
    assert minutes == sorted(minutes)
    assert minutes[-1] > minutes[0]
    assert repetitions == sorted(repetitions)
    assert repetitions[-1] > repetitions[0]
    # Gently: never more than one step a day.
    assert all(b - a <= 5 for a, b in itertools.pairwise(minutes))
    assert f"about {minutes[0]} minutes" in plan.days[0].walking
    assert f"about {repetitions[3]} repetitions" in plan.days[3].exercises
    assert plan.flags == ()
    assert plan.level is None


def test_the_remedies_are_supported_first_and_none_is_advised_against(catalog: Catalog) -> None:
    plan = week(catalog)
    assert plan.remedies, "a plan names some remedies"
    order = [query.RATING_ORDER[r.rating] for r in plan.remedies]
    assert order == sorted(order)
    assert plan.remedies[0].rating is Rating.SUPPORTED
    for chosen in plan.remedies:
        remedy = catalog.remedy_by_slug[chosen.slug]
        assert chosen.rating is not Rating.AGAINST
        assert not query.advised_against(catalog, remedy)
        assert "posture" in remedy.causes or "stiffness" in remedy.symptoms


def test_without_causes_or_symptoms_the_plan_still_names_well_supported_remedies(
    catalog: Catalog,
) -> None:
    plan = build_plan(catalog, [], [], START)
    assert plan.remedies
    assert plan.remedies[0].rating is Rating.SUPPORTED
    assert all(
        not query.advised_against(catalog, catalog.remedy_by_slug[r.slug]) for r in plan.remedies
    )


def test_review_dates_come_from_content_and_name_the_region_s_line(catalog: Catalog) -> None:
    plan = week(catalog)
    first, doctor = plan.reviews
    assert (first.part, doctor.part) == (PlanPart.REVIEW_FIRST, PlanPart.REVIEW_DOCTOR)
    assert first.day == START + timedelta(days=14)
    assert doctor.day == START + timedelta(days=28)
    assert "Wednesday 16 December" in first.text
    assert "pharmacist" in first.text
    assert "NHS 111" in first.text
    assert "doctor" in doctor.text
    assert "Wednesday 30 December" in doctor.text
    australia = week(catalog, urgent="healthdirect on 1800 022 222")
    assert "healthdirect on 1800 022 222" in australia.reviews[0].text
    assert "NHS 111" not in australia.reviews[0].text


def test_what_to_avoid_and_the_sources_come_from_content(catalog: Catalog) -> None:
    plan = week(catalog)
    avoid = [t.text for t in catalog.plan_texts if t.part is PlanPart.AVOID]
    assert list(plan.avoid) == avoid
    assert any("bed" in a for a in avoid)
    assert set(plan.sources) <= set(catalog.source_by_id)


def test_the_same_inputs_and_date_give_the_same_plan(catalog: Catalog) -> None:
    entries = diary(5, 5, 4, 4)
    assert week(catalog, entries=entries) == week(catalog, entries=list(entries))
    assert week(catalog) != build_plan(catalog, ["posture"], ["stiffness"], START + timedelta(1))


# --- the diary changes the plan --------------------------------------------------------------


def test_worsening_pain_keeps_the_goals_small_and_brings_the_reviews_closer(
    catalog: Catalog,
) -> None:
    usual = week(catalog)
    worse = week(catalog, entries=diary(3, 4, 5, 6, 7))
    assert worse.trend is not None
    assert worse.trend.direction is PlanPart.WORSE
    assert worse.diary_note is not None
    assert "rising" in worse.diary_note
    assert all(d.minutes <= u.minutes for d, u in zip(worse.days, usual.days, strict=True))
    assert worse.days[-1].minutes < usual.days[-1].minutes
    assert len({d.minutes for d in worse.days}) == 1, "no growth while the pain rises"
    assert "as far as the pain allows" in worse.days[0].walking
    assert worse.reviews[0].day == START + timedelta(days=3)
    assert worse.reviews[1].day == START + timedelta(days=7)
    assert all(w.day < u.day for w, u in zip(worse.reviews, usual.reviews, strict=True))


def test_pain_of_eight_or_more_three_days_running_counts_as_rising(catalog: Catalog) -> None:
    plan = week(catalog, entries=diary(9, 8, 8, 8))
    assert plan.trend is not None
    assert plan.trend.direction is PlanPart.WORSE


def test_easing_pain_keeps_the_usual_growth(catalog: Catalog) -> None:
    better = week(catalog, entries=diary(7, 6, 5, 4, 3))
    assert better.trend is not None
    assert better.trend.direction is PlanPart.BETTER
    assert [d.minutes for d in better.days] == [d.minutes for d in week(catalog).days]
    assert better.diary_note is not None
    assert "easing" in better.diary_note


def test_review_dates_count_from_the_first_day_of_pain_in_the_diary(catalog: Catalog) -> None:
    entries = [entry(10, 5), entry(6, 5), entry(2, 5), entry(1, 5)]
    plan = week(catalog, entries=entries)
    assert episode_start(entries, START) == START - timedelta(days=10)
    assert plan.reviews[0].day == START + timedelta(days=4)
    # A gap of more than a week starts a new spell: the old pain does not count.
    assert episode_start([entry(30, 6), entry(2, 4)], START) == START - timedelta(days=2)
    # Pain long past its review points: the review is due today, not in the past.
    long_ago = [entry(n, 5) for n in range(40, 0, -3)]
    assert week(catalog, entries=long_ago).reviews[0].day == START


def test_days_are_the_person_s_local_days() -> None:
    late = entry(1, 6, hour=23, offset=120)  # 23:00 UTC is 01:00 the next day at UTC+2
    early = entry(1, 2, hour=9)
    days = daily([late, early])
    assert [(d.day, d.worst) for d in days] == [(START - timedelta(1), 2), (START, 6)]


def test_one_day_of_entries_is_no_trend() -> None:
    assert trend([entry(1, 5), entry(1, 8, hour=20)], START) is None


# --- warning signs replace the plan with their card -------------------------------------------


def test_a_warning_sign_given_gives_its_card_and_no_plan(catalog: Catalog) -> None:
    plan = build_plan(catalog, ["posture"], ["saddle-numbness"], START)
    assert plan.level is Level.EMERGENCY
    assert [f.id for f in plan.flags] == ["saddle-numbness"]
    assert (plan.days, plan.remedies, plan.avoid, plan.reviews) == ((), (), (), ())


def test_a_warning_sign_in_a_recent_diary_note_gives_its_card(catalog: Catalog) -> None:
    entries = [entry(1, 4, "walked fine, then numb around my bottom"), *diary(5, 5)]
    plan = week(catalog, entries=entries)
    assert plan.level is Level.EMERGENCY
    assert plan.recorded == ("diary",)
    assert plan.days == ()
    assert plan.advice is not None
    assert plan.advice.meanwhile == ()


def test_an_old_note_or_check_no_longer_replaces_the_plan(catalog: Catalog) -> None:
    old = [entry(20, 4, "a fever for two days")]
    assert week(catalog, entries=old).flags == ()
    at = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)
    stale = CheckRecord("c", at, 0, (("fever", "yes"),), Level.URGENT)
    assert week(catalog, last_check=stale).flags == ()


def test_a_yes_in_the_last_saved_check_gives_its_card(catalog: Catalog) -> None:
    at = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
    check = CheckRecord("c", at, 0, (("fever", "yes"), ("chest-pain", "no")), Level.URGENT)
    plan = week(catalog, last_check=check)
    assert [f.id for f in plan.flags] == ["fever"]
    assert plan.level is Level.URGENT
    assert plan.recorded == ("check",)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("walked ok, then numb around the bottom", ["saddle-numbness", "walking-changed"]),
        ("bad night, pain in both legs", ["both-legs-numb-or-weak"]),
        ("pins and needles in both legs", ["both-legs-numb-or-weak"]),
        ("chest pain", ["chest-pain"]),
        ("a fever since yesterday", ["fever"]),
        ("felt better, walked 20 min", []),
        ("<script>alert(1)</script>", []),
    ],
)
def test_notes_name_warning_signs_in_their_own_words(
    catalog: Catalog, note: str, expected: list[str]
) -> None:
    assert [f.id for f in note_red_flags(catalog, note)] == expected


# --- the wording is content, validated ---------------------------------------------------------


def test_a_layer_can_reword_the_plan(catalog: Catalog, tmp_path: Path) -> None:
    folder = write_layer(
        tmp_path / "mine",
        {
            "plan.yaml": (
                "plan:\n"
                "  - id: walking\n"
                "    part: walking\n"
                "    text: Stroll {minutes} minutes around the park.\n"
                "    numbers: {start: 6, step: 2, every: 1}\n"
                "    sources: [nhs-back-pain]\n"
            )
        },
    )
    mine = content.load_catalog([builtin(), Layer("extra", str(folder), True)])
    plan = week(mine)
    assert plan.days[0].walking == "Stroll 6 minutes around the park."
    assert [d.minutes for d in plan.days] == [6, 8, 10, 12, 14, 16, 18]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("text: Walk {mins} minutes.", "unknown placeholder '{mins}'"),
        ("text: Walk {0.__class__} minutes.", "unknown placeholder '{0.__class__}'"),
        ("numbers: {start: -1}", "'start' must be a whole number from 0 to 365"),
        ("numbers: {start: ten}", "'start' must be a whole number from 0 to 365"),
        ("part: jogging", "'jogging' is not one of walking"),
    ],
)
def test_plan_texts_are_validated(tmp_path: Path, field: str, message: str) -> None:
    name, _ = field.split(":", 1)
    entry_fields = {
        "id": "id: walking",
        "part": "part: walking",
        "text": "text: Walk {minutes} minutes.",
        "sources": "sources: [nhs-back-pain]",
    }
    entry_fields[name] = field
    body = "\n".join(f"    {line}" for line in entry_fields.values()).replace("    ", "  - ", 1)
    folder = write_layer(tmp_path / "bad", {"plan.yaml": "plan:\n" + body + "\n"})
    findings = content.validate([builtin()], [folder])
    assert any(message in f.message for f in findings), [f.format() for f in findings]
    assert all(
        f.code in (Code.WRONG_TYPE, Code.BAD_CHOICE, Code.UNKNOWN_PLACEHOLDER) for f in findings
    )


def test_the_built_in_plan_texts_cite_known_sources(catalog: Catalog) -> None:
    parts = {t.part for t in catalog.plan_texts}
    assert {PlanPart.WALKING, PlanPart.EXERCISES, PlanPart.AVOID} <= parts
    assert {PlanPart.REVIEW_FIRST, PlanPart.REVIEW_DOCTOR, PlanPart.WORSE} <= parts
    for text in catalog.plan_texts:
        assert text.sources
        assert set(text.sources) <= set(catalog.source_by_id)


def test_the_exercise_goal_names_the_routine_s_exercises(catalog: Catalog) -> None:
    from backcare.query.exercises import routine_exercises

    plan = week(catalog)
    assert [slug for slug, _ in plan.exercises] == [e.slug for e in routine_exercises(catalog)]
    assert plan.exercises
    assert all(catalog.exercise_by_slug[slug].hold_seconds > 0 for slug, _ in plan.exercises)


def test_a_see_a_doctor_soon_sign_keeps_the_week_after_its_card(catalog: Catalog) -> None:
    plan = build_plan(catalog, ["posture"], ["stops-daily-activities"], START)
    assert plan.level is Level.SOON
    assert len(plan.days) == 7
    assert plan.advice is not None
    assert plan.advice.meanwhile
