"""The second clinical review, pinned on the shipped content and on what a user sees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backcare import query
from backcare.models import Catalog, Category, Duration, Level, Quality, Rating, Stance, Strength
from backcare.query.region import localize, time_course
from tests.conftest import ANSI, RunFn, builtin_catalog

CATALOG = builtin_catalog()


def flag(flag_id: str) -> str:
    return CATALOG.red_flag_by_id[flag_id].question.lower()


def cautions(slug: str) -> str:
    return " ".join(" ".join(c.text.split()) for c in CATALOG.remedy_by_slug[slug].cautions)


def every_text(catalog: Catalog) -> list[str]:
    texts: list[str] = []
    for r in catalog.remedies:
        texts += [r.summary, r.description, *r.steps, *r.see_a_doctor]
        texts += [c.text for c in r.cautions] + [e.note for e in r.evidence]
    for f in catalog.red_flags:
        texts += [f.name, f.question, f.action]
    for a in catalog.levels:
        texts += [a.heading, *a.meanwhile]
    texts += [i.text for i in catalog.recovery] + [p.text for p in catalog.review_points]
    return [" ".join(t.split()) for t in texts]


# --- emergency signs: each one of the facts file is asked, one thing at a time ---------------

# (words a question must hold, in lower case) for each emergency sign of the review.
EMERGENCY_SIGNS = [
    ("pain", "tingling", "numbness", "weakness", "both of your legs"),
    ("leg", "weak", "severe or getting worse"),
    ("numbness or tingling", "genitals", "buttocks", "back passage"),
    ("wipe",),
    ("hard, or impossible, to pee",),
    ("bladder is full",),
    ("leaking urine", "pads"),
    ("peeing feel different",),
    ("control of your bowels",),
    ("stool", "feel different"),
    ("sexual function", "genitals", "erection"),
    ("chest pain",),
    ("serious accident", "fall"),
    ("walk", "numbness"),
    ("suddenly", "tummy or lower back", "dizziness", "fainting"),
]


@pytest.mark.parametrize("words", EMERGENCY_SIGNS, ids=[w[0] for w in EMERGENCY_SIGNS])
def test_every_emergency_sign_of_the_review_is_asked_at_the_emergency_level(words) -> None:
    asked = [
        f
        for f in CATALOG.red_flags
        if all(w in " ".join(f.question.lower().split()) for w in words)
    ]
    assert asked, words
    assert {f.level for f in asked} == {Level.EMERGENCY}


def test_each_question_is_one_question() -> None:
    for f in CATALOG.red_flags:
        assert f.question.count("?") == 1, f.id
        assert f.question.endswith("?"), f.id
        # No question runs two signs together with "and/or" lists of separate body parts.
        assert " and/or " not in f.question, f.id


def test_the_burst_aneurysm_look_alike_says_what_it_can_be() -> None:
    sign = CATALOG.red_flag_by_id["sudden-severe-tummy-pain"]
    assert "aneurysm" in sign.action
    assert sign.sources == ("nhs-aaa",)


# --- urgent and soon signs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag_id", "level", "words"),
    [
        (
            "minor-fall-fragile-bones",
            Level.URGENT,
            ("osteoporosis", "steroid", "lifting", "no injury"),
        ),
        ("severe-mid-back-pain", Level.URGENT, ("severe", "middle of your back")),
        ("severe-pain-at-rest", Level.URGENT, ("constant", "at night", "nothing easing")),
        ("history-of-cancer", Level.URGENT, ("cancer",)),
        ("weak-immune-system", Level.URGENT, ("immune system", "inject drugs")),
        ("recent-infection", Level.URGENT, ("bacterial infection",)),
        ("lump-or-shape-change", Level.URGENT, ("lump or a swelling",)),
        ("first-episode-age", Level.SOON, ("first ever", "over about 50", "under 20")),
        ("sciatica-not-settling", Level.SOON, ("one leg", "few weeks", "getting worse")),
        ("inflammatory-pattern", Level.SOON, ("under 40", "30 minutes", "eases as you move")),
    ],
)
def test_the_urgent_and_soon_signs_of_the_review(flag_id: str, level: Level, words) -> None:
    sign = CATALOG.red_flag_by_id[flag_id]
    assert sign.level is level
    for word in words:
        assert word in " ".join(sign.question.split()), (flag_id, word)


def test_the_sign_that_fired_on_every_spasm_is_gone() -> None:
    assert "night-or-rest-pain" not in CATALOG.red_flag_by_id
    assert "risk-history" not in CATALOG.red_flag_by_id
    for f in CATALOG.red_flags:
        assert "older" not in f.question or "65" in f.question, f.id


def test_a_swelling_is_urgent_not_a_symptom_for_ice() -> None:
    soreness = CATALOG.symptom_by_slug["inflammation"]
    assert "swollen" not in soreness.description
    assert "warning sign" in soreness.description
    assert "Do not treat a lump or swelling with ice" in " ".join(
        CATALOG.red_flag_by_id["lump-or-shape-change"].action.split()
    )


# --- medicines ------------------------------------------------------------------------------


def test_paracetamol_is_not_called_not_recommended_by_the_acp() -> None:
    medications = CATALOG.remedy_by_slug["medications"]
    acp = [
        e
        for e in medications.evidence
        if e.source == "acp-2017" and "paracetamol" in (e.topic or "")
    ]
    assert [e.stance for e in acp] == [Stance.INSUFFICIENT_EVIDENCE]
    text = " ".join([*medications.steps, cautions("medications")]).lower()
    assert "never on its own" not in text
    assert "only alongside" not in text


def test_paracetamol_cautions_guard_against_double_dosing_and_name_the_nhs_cautions() -> None:
    text = cautions("medications")
    assert "two products that both contain it" in text
    assert "co-codamol" in text
    for words in ("under 50 kg", "liver problems", "14 units of alcohol"):
        assert words in text, words


def test_nsaid_cautions_name_the_medicines_and_conditions_of_the_review() -> None:
    text = cautions("medications")
    for words in (
        "blood thinner",
        "SSRI",
        "steroid",
        "high blood pressure",
        "heart failure",
        "trying to get pregnant",
    ):
        assert words in text, words


def test_no_caution_tells_anyone_to_stop_a_prescribed_medicine() -> None:
    for remedy in CATALOG.remedies:
        if remedy.category is not Category.MEDICATION:
            continue
        for text in (*remedy.steps, *(c.text for c in remedy.cautions), *remedy.see_a_doctor):
            flat = " ".join(text.split()).lower()
            for found in re.finditer(r"\bstop\b", flat):
                before = flat[max(0, found.start() - 12) : found.start()]
                assert "do not" in before or "not " in before, (remedy.slug, text)
            if "aspirin" in flat and "never" in flat:
                assert "under 16" in flat, (remedy.slug, text)
    low_dose = [c for c in CATALOG.remedy_by_slug["medications"].cautions if "low-dose" in c.text]
    assert low_dose
    assert "do not stop it" in low_dose[0].text


# --- heat and ice ---------------------------------------------------------------------------


def test_ice_and_heat_cautions_of_the_review_are_present_and_cited() -> None:
    ice = CATALOG.remedy_by_slug["ice-packs"].cautions
    assert any("numb skin" in c.text and c.source == "nhs-cold-treatment" for c in ice)
    heat = CATALOG.remedy_by_slug["hot-packs"].cautions
    assert any("wheat bag" in c.text and c.source == "wheat-bag-safety" for c in heat)
    assert any("never sleep" in c.text.lower() and c.source == "nhs-heat-and-ice" for c in heat)


def test_heat_and_cold_cautions_do_not_cite_the_nhs_back_pain_page() -> None:
    for slug in ("ice-packs", "hot-packs", "hot-bath", "sleep", "warm-clothes"):
        for c in CATALOG.remedy_by_slug[slug].cautions:
            assert c.source != "nhs-back-pain", (slug, c.text)


# --- ratings --------------------------------------------------------------------------------


def test_shoes_that_fit_are_not_mixed_or_against() -> None:
    shoes = CATALOG.remedy_by_slug["shoes"]
    assert query.rate(shoes, CATALOG) not in (Rating.MIXED, Rating.AGAINST)
    assert "orthotics" in cautions("shoes")


def test_chronic_only_entries_do_not_set_the_rating() -> None:
    relaxation = CATALOG.remedy_by_slug["relaxation"]
    assert any(e.duration is Duration.CHRONIC for e in relaxation.evidence)
    assert query.rate(relaxation, CATALOG) is Rating.CONDITIONAL  # NICE's, not the ACP's chronic
    only_chronic = relaxation._replace(
        evidence=tuple(e for e in relaxation.evidence if e.duration is Duration.CHRONIC)
    )
    assert query.rate(only_chronic, CATALOG) is Rating.UNASSESSED
    acute = only_chronic._replace(
        evidence=tuple(e._replace(duration=Duration.ACUTE) for e in only_chronic.evidence)
    )
    assert query.rate(acute, CATALOG) is Rating.SUPPORTED


@pytest.mark.parametrize(
    ("slug", "duration", "quality"),
    [
        ("hot-packs", Duration.ACUTE, Quality.MODERATE),
        ("massage", Duration.ACUTE, Quality.LOW),
        ("acupressure-acupuncture", Duration.ACUTE, Quality.LOW),
        ("physiotherapy", Duration.ACUTE, Quality.LOW),
        ("exercise", Duration.CHRONIC, Quality.MODERATE),
        ("physiotherapy", Duration.CHRONIC, Quality.MODERATE),
        ("acupressure-acupuncture", Duration.CHRONIC, Quality.MODERATE),
        ("relaxation", Duration.CHRONIC, Quality.MODERATE),
    ],
)
def test_acp_strength_and_quality_are_recorded(slug: str, duration: Duration, quality) -> None:
    entries = [
        e
        for e in CATALOG.remedy_by_slug[slug].evidence
        if e.source == "acp-2017" and e.duration is duration
    ]
    assert [(e.stance, e.strength, e.quality) for e in entries] == [
        (Stance.RECOMMENDED, Strength.STRONG, quality)
    ]


@pytest.mark.parametrize("slug", ["exercise", "rest", "posture"])
def test_nice_1_2_1_is_its_own_recommendation(slug: str) -> None:
    entries = [
        e
        for e in CATALOG.remedy_by_slug[slug].evidence
        if e.source == "nice-ng59" and "continuing normal activities" in (e.topic or "")
    ]
    assert [e.stance for e in entries] == [Stance.RECOMMENDED]
    assert "1.2.1" in entries[0].note


def test_show_marks_chronic_only_entries(run: RunFn) -> None:
    out = run("show", "exercise").stdout
    assert "chronic pain only; not counted in the rating" in out
    assert "strong recommendation" in out


# --- wording --------------------------------------------------------------------------------


def test_summaries_do_not_state_the_articles_mechanisms_as_fact() -> None:
    for remedy in CATALOG.remedies:
        summary = remedy.summary.lower()
        for claim in ("blood flow", "to heal", "take some load", "takes load", "loosen"):
            assert claim not in summary, (remedy.slug, claim)


def test_causes_read_as_causes_the_article_names(run: RunFn) -> None:
    assert "causes the article names" in run("causes").stderr
    out = ANSI.sub("", run("--color", "always", "causes").stdout)
    assert "Causes the article names" in out


def test_no_text_puts_2_to_6_weeks_in_the_nhss_mouth() -> None:
    for text in every_text(CATALOG):
        assert "2 to 6 weeks" not in text, text


def test_the_disclaimer_says_who_the_guide_is_for(run: RunFn) -> None:
    out = run("list").stderr  # piped: the disclaimer is on stderr
    assert "adults (16 and over) who are not pregnant" in " ".join(out.split())


# --- regions --------------------------------------------------------------------------------

REGION_NUMBERS = {
    "uk": ("999", "NHS 111"),
    "ie": ("112 or 999", "out-of-hours"),
    "eu": ("112", "out-of-hours"),
    "us": ("911", "urgent care"),
    "ca": ("911", "811"),
    "au": ("000", "1800 022 222"),
    "nz": ("111", "0800 611 116"),
    "in": ("112", "your doctor"),
}


@pytest.mark.parametrize("region_id", sorted(REGION_NUMBERS))
def test_every_region_of_the_table_has_its_numbers(region_id: str) -> None:
    region = CATALOG.region_by_id[region_id]
    emergency, urgent = REGION_NUMBERS[region_id]
    assert emergency in region.emergency
    assert urgent in region.urgent
    for number in region.emergency_numbers:
        assert number in region.emergency
    assert region.sources


def test_no_placeholder_is_left_in_any_region() -> None:
    from backcare import content
    from backcare.models import Layer
    from backcare.paths import builtin_content_dir

    raw = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])
    for region in raw.regions:
        for text in every_text(localize(raw, region)):
            assert "{" not in text, (region.id, text)


def test_check_in_australia_shows_000(run: RunFn) -> None:
    result = run("check", "--yes", "chest-pain", env={"BACKCARE_REGION": "au"})
    assert result.code == 12
    assert "Call triple zero (000) now" in result.stdout
    assert "999" not in result.stdout
    assert "call triple zero (000)." in " ".join(result.stderr.split())  # the disclaimer too


def test_check_json_in_australia_names_000(run: RunFn) -> None:
    result = run("check", "--yes", "chest-pain", "--json", env={"BACKCARE_REGION": "AU"})
    document = json.loads(result.stdout)
    assert "000" in document["action"]
    assert "000" in document["disclaimer"]


def test_the_locale_picks_the_region_and_says_so(run: RunFn) -> None:
    result = run("check", "--yes", "fever", env={"LANG": "en_AU.UTF-8"})
    assert result.code == 11
    flat = " ".join(result.stdout.split())
    assert "healthdirect on 1800 022 222" in flat
    assert "call triple zero (000) straight away" in flat
    assert "Numbers are for Australia, going by your locale" in " ".join(result.stderr.split())


def test_lc_all_c_names_no_country(run: RunFn) -> None:
    result = run("check", "--yes", "chest-pain", env={"LANG": "en_AU.UTF-8", "LC_ALL": "C"})
    assert "999 (UK), 911 (US) or 112 (EU)" in result.stdout


def test_region_option_wins_over_the_environment(run: RunFn) -> None:
    result = run("--region", "nz", "check", "--yes", "chest-pain", env={"BACKCARE_REGION": "au"})
    assert "Call 111 now" in result.stdout


def test_an_unknown_region_never_stops_the_emergency_card(run: RunFn) -> None:
    result = run("check", "--yes", "chest-pain", env={"BACKCARE_REGION": "atlantis"})
    assert result.code == 12
    assert "999 (UK), 911 (US) or 112 (EU)" in result.stdout
    assert "unknown region 'atlantis' in BACKCARE_REGION" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_region_is_a_usage_error_elsewhere(run: RunFn) -> None:
    result = run("--region", "atlantis", "list")
    assert result.code == 2
    assert "backcare: error: unknown region 'atlantis' in --region" in result.stderr
    assert "valid regions: generic, uk" in result.stderr


# --- the config file ------------------------------------------------------------------------


def write_config(home: Path, text: str) -> Path:
    path = home / "config" / "backcare" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_config_file_sets_the_region(run: RunFn, isolated: Path) -> None:
    write_config(isolated, 'region = "us"\n')
    result = run("check", "--yes", "chest-pain")
    assert "Call 911 now" in result.stdout


def test_a_broken_config_file_is_one_line_with_its_line_number(run: RunFn, isolated: Path) -> None:
    path = write_config(isolated, 'region = "uk"\ncolor = \n')
    result = run("list")
    assert result.code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"backcare: error: config file {path}:2: is not valid TOML")
    assert "Traceback" not in result.stderr


def test_a_wrong_setting_names_its_line(run: RunFn, isolated: Path) -> None:
    path = write_config(isolated, '# mine\n\nregon = "uk"\n')
    result = run("sources")
    assert result.code == 2
    assert (
        f"config file {path}:3: unknown setting 'regon' (did you mean 'region'?)" in result.stderr
    )


def test_a_broken_config_file_never_stops_the_emergency_card(run: RunFn, isolated: Path) -> None:
    write_config(isolated, "region = [\n")
    result = run("check", "--yes", "chest-pain")
    assert result.code == 12
    assert "Call 999 (UK), 911 (US) or 112 (EU) now" in result.stdout
    assert "backcare: warning: config file" in result.stderr


def test_the_config_file_sets_colour_and_content(
    run: RunFn, isolated: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "causes:\n  - slug: gardening\n    name: Gardening\n    description: Digging.\n",
        encoding="utf-8",
    )
    write_config(isolated, f'color = "always"\ncontent = ["{folder}"]\n')
    result = run("causes")
    assert ANSI.search(result.stdout)
    assert "gardening" in result.stdout


def test_config_shows_each_setting_and_where_it_came_from(run: RunFn, isolated: Path) -> None:
    path = write_config(isolated, 'region = "ie"\npager = "less -R"\n')
    result = run("config", "--json")
    settings = {s["name"]: s for s in json.loads(result.stdout)["settings"]}
    assert settings["region"]["value"] == "ie (Ireland)"
    assert settings["region"]["origin"] == f"config file ({path}:1)"
    assert settings["pager"]["value"] == "less -R"
    assert settings["color"]["origin"] == "default"
    assert settings["config file"]["value"] == str(path)
    plain = run("config", env={"BACKCARE_REGION": "au"}).stdout
    assert "region\tau (Australia)\tBACKCARE_REGION" in plain


def test_config_without_a_file_says_so(run: RunFn) -> None:
    result = run("config")
    assert result.code == 0
    assert "not found (optional)" in result.stdout
    assert "default (no region set)" in result.stdout


# --- recovery -------------------------------------------------------------------------------


def test_review_points_are_machine_readable() -> None:
    points = [(p.id, p.after_days, p.level.value) for p in CATALOG.review_points]
    assert points == [("two-weeks", 14, "advice"), ("few-weeks", 28, "doctor")]
    assert "pharmacist" in CATALOG.review_points[0].text
    assert "NHS 111" in CATALOG.review_points[0].text


def test_recovery_says_it_in_full_with_sources(run: RunFn) -> None:
    result = run("recovery")
    assert result.code == 0
    flat = " ".join(result.stdout.split())
    for words in (
        "within about 4 to 6 weeks",
        "Avoid resting in bed for long periods",
        "does not mean you are harming your back",
        "you do not have to wait until the pain has gone",
        "book NHS physiotherapy yourself",
        "After about 2 weeks",
        "After about 4 weeks",
        "[csp-back-pain]",
    ):
        assert words in flat, words


def test_recovery_json_lists_review_points_for_the_region(run: RunFn) -> None:
    result = run("recovery", "--json", env={"BACKCARE_REGION": "nz"})
    document = json.loads(result.stdout)
    assert [p["after_days"] for p in document["review_points"]] == [14, 28]
    assert "Healthline" in document["review_points"][0]["text"]
    assert {s["id"] for s in document["cited_sources"]} >= {"nhs-back-pain", "csp-back-pain"}


@pytest.mark.parametrize(
    "args", [("show", "ice-packs"), ("suggest", "--cause", "posture"), ("check", "--none")]
)
def test_show_suggest_and_the_all_clear_mention_the_time_course(run: RunFn, args) -> None:
    line = time_course(CATALOG)
    assert line
    result = run(*args)
    assert line in " ".join((result.stdout + result.stderr).split())


def test_an_emergency_card_has_no_time_course(run: RunFn) -> None:
    assert "backcare recovery" not in run("check", "--yes", "chest-pain").stdout


# --- scope ----------------------------------------------------------------------------------


def test_the_scope_questions_say_who_the_guide_is_not_for() -> None:
    scope = {q.id: q for q in CATALOG.scope}
    assert set(scope) == {"under-16", "pregnant"}
    assert scope["under-16"].question == "Are you under 16?"
    assert scope["pregnant"].question == "Are you pregnant?"
    for question in scope.values():
        assert "999 (UK), 911 (US) or 112 (EU)" in question.action  # filled in for the region
        assert "ask" in question.action.lower()


def test_an_empty_region_option_is_a_usage_error(run: RunFn) -> None:
    result = run("--region", " ", "list")
    assert result.code == 2
    assert "give a region, not an empty string" in result.stderr


def test_config_reports_a_broken_file_with_its_line(run: RunFn, isolated: Path) -> None:
    path = write_config(isolated, 'color = "blue"\n')
    result = run("config")
    assert result.code == 2
    assert f"config file {path}:1: color must be one of auto, always, never" in result.stderr
    assert "Traceback" not in result.stderr


def test_region_completion_offers_the_regions() -> None:
    from backcare.cli.common import complete

    assert complete("region")(None, "a") == ["au"]


def test_placeholders_in_exercises_are_filled_in_too() -> None:
    from backcare.models import Catalog as Whole

    raw = builtin_catalog()
    first = raw.exercises[0]
    changed = first._replace(stop_if=("Numb legs: call {emergency} now.",))
    catalog = Whole(
        remedies=raw.remedies,
        causes=raw.causes,
        symptoms=raw.symptoms,
        sources=raw.sources,
        red_flags=raw.red_flags,
        levels=raw.levels,
        regions=raw.regions,
        exercises=(changed, *raw.exercises[1:]),
    )
    shown = localize(catalog, raw.region_by_id["au"])
    assert shown.exercises[0].stop_if == ("Numb legs: call triple zero (000) now.",)
    assert shown.exercises[1] is raw.exercises[1]  # untouched when there is nothing to fill
