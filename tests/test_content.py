"""The built-in content: complete, linked, sourced, and immutable once loaded."""

from __future__ import annotations

import pytest

from backcare import content
from backcare.models import Catalog, Layer, Level, SourceKind, Stance
from backcare.paths import builtin_content_dir
from tests.conftest import builtin_catalog

REQUIRED_REMEDIES = {
    "exercise",
    "massage",
    "physiotherapy",
    "acupressure-acupuncture",
    "warm-clothes",
    "weight-loss",
    "support",
    "mattress",
    "sleep",
    "relaxation",
    "ice-packs",
    "hot-packs",
    "traction-devices",
    "back-braces",
    "nutrition",
    "medications",
    "shoes",
    "posture",
}
EXTRA_REMEDIES = {"hot-bath", "rest"}
REQUIRED_CAUSES = {
    "posture",
    "injury",
    "overexertion",
    "nutrient-deficiency",
    "nerve-damage",
    "arthritis",
    "osteoporosis",
    "stress",
    "cold-weather",
    "excess-weight",
    "poor-sleep",
    "ill-fitting-shoes",
}
GUIDELINES = ("nice-ng59", "acp-2017")


def builtin_layer() -> Layer:
    return Layer(label="built-in", path=str(builtin_content_dir()), exists=True)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return content.load_catalog([builtin_layer()])


def test_builtin_content_loads_without_findings() -> None:
    result = content.load([builtin_layer()])
    assert [f.format() for f in result.findings] == []


def test_every_remedy_of_the_article_is_present_with_its_slug(catalog: Catalog) -> None:
    slugs = {r.slug for r in catalog.remedies}
    assert slugs == REQUIRED_REMEDIES | EXTRA_REMEDIES


def test_every_remedy_is_complete(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        assert remedy.name.strip(), remedy.slug
        assert remedy.summary.strip(), remedy.slug
        assert "\n" not in remedy.summary, remedy.slug
        assert remedy.description.strip(), remedy.slug
        assert remedy.steps, remedy.slug
        assert remedy.causes or remedy.symptoms, remedy.slug
        assert remedy.see_a_doctor, remedy.slug


def test_required_causes_exist(catalog: Catalog) -> None:
    assert {c.slug for c in catalog.causes} >= REQUIRED_CAUSES


@pytest.mark.parametrize("kind", ["causes", "symptoms"])
def test_every_cause_and_symptom_is_reachable_from_a_remedy(catalog: Catalog, kind: str) -> None:
    terms = {t.slug for t in getattr(catalog, kind)}
    linked = {slug for r in catalog.remedies for slug in getattr(r, kind)}
    assert terms, kind
    assert terms - linked == set(), f"{kind} no remedy links to"
    assert linked - terms == set(), f"{kind} linked but not defined"


def test_every_remedy_has_evidence_from_both_guidelines(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        cited = {e.source for e in remedy.evidence}
        for guideline in GUIDELINES:
            assert guideline in cited, f"{remedy.slug} has no {guideline} entry"
            assert all(e.note.strip() for e in remedy.evidence), remedy.slug


def test_guideline_sources_are_guidelines(catalog: Catalog) -> None:
    for guideline in GUIDELINES:
        assert catalog.source_by_id[guideline].kind is SourceKind.GUIDELINE


def test_every_citation_names_a_known_source(catalog: Catalog) -> None:
    known = set(catalog.source_by_id)
    for remedy in catalog.remedies:
        cited = (
            {c.source for c in remedy.cautions}
            | {e.source for e in remedy.evidence}
            | set(remedy.sources)
        )
        assert cited <= known, f"{remedy.slug} cites {cited - known}"
    for flag in catalog.red_flags:
        assert set(flag.sources) <= known, flag.id


def test_sources_include_the_required_ones(catalog: Catalog) -> None:
    assert {"article", "nice-ng59", "acp-2017", "nhs-back-pain"} <= set(catalog.source_by_id)


def test_some_remedies_are_advised_against(catalog: Catalog) -> None:
    advised_against = {
        r.slug for r in catalog.remedies for e in r.evidence if e.stance is Stance.NOT_RECOMMENDED
    }
    # The issue names these as remedies the guidelines advise against.
    assert {"traction-devices", "back-braces", "acupressure-acupuncture", "medications"} <= (
        advised_against
    )


def test_heat_cold_and_medication_cautions_are_present(catalog: Catalog) -> None:
    def cautions(slug: str) -> str:
        return " ".join(c.text for c in catalog.remedy_by_slug[slug].cautions).lower()

    assert "skin" in cautions("ice-packs")
    assert "20 minutes" in cautions("ice-packs")
    medication = cautions("medications")
    assert "under 16" in medication
    assert "aspirin" in medication
    assert "paracetamol" in medication
    assert "pharmacist" in medication


def test_red_flags_exist_at_every_level(catalog: Catalog) -> None:
    levels = {f.level for f in catalog.red_flags}
    assert levels == set(Level)
    assert set(catalog.advice_by_level) == set(Level)


def test_red_flag_ids_are_unique_and_questions_are_questions(catalog: Catalog) -> None:
    ids = [f.id for f in catalog.red_flags]
    assert len(ids) == len(set(ids))
    for flag in catalog.red_flags:
        assert flag.question.rstrip().endswith("?"), flag.id
        assert flag.action.strip(), flag.id


def test_remedy_red_flag_links_point_at_known_flags(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        assert set(remedy.red_flags) <= set(catalog.red_flag_by_id), remedy.slug


def test_red_flag_ids_do_not_clash_with_symptoms(catalog: Catalog) -> None:
    assert not set(catalog.red_flag_by_id) & set(catalog.symptom_by_slug)


def test_every_emergency_action_names_the_emergency_numbers(catalog: Catalog) -> None:
    emergency = [f for f in catalog.red_flags if f.level is Level.EMERGENCY]
    assert emergency
    for flag in emergency:
        assert "Call {emergency} now" in flag.action, flag.id
    assert "{emergency}" in catalog.advice_by_level[Level.EMERGENCY].heading
    shown = builtin_catalog()  # as a run with no region shows it: every common number
    for flag in shown.red_flags:
        if flag.level is Level.EMERGENCY:
            assert all(n in flag.action for n in ("999", "911", "112")), flag.id
    heading = shown.advice_by_level[Level.EMERGENCY].heading
    assert all(n in heading for n in ("999", "911", "112"))


def test_emergency_level_offers_no_self_care_meanwhile(catalog: Catalog) -> None:
    assert catalog.advice_by_level[Level.EMERGENCY].meanwhile == ()
    assert catalog.advice_by_level[Level.URGENT].meanwhile
    assert catalog.advice_by_level[Level.SOON].meanwhile


def test_models_are_frozen(catalog: Catalog) -> None:
    remedy = catalog.remedy_by_slug["ice-packs"]
    with pytest.raises(AttributeError):
        remedy.name = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        catalog.red_flags[0].level = Level.SOON  # type: ignore[misc]
    with pytest.raises(AttributeError):
        catalog.remedies = ()
    assert isinstance(remedy.steps, tuple)


# --- clinical accuracy --------------------------------------------------------------------

# Words that mark a see-a-doctor line as one of the emergency signs.
EMERGENCY_WORDS = ("accident", "both legs", "groin", "bladder", "bowel", "chest pain")


def test_emergency_signs_in_see_a_doctor_lines_point_to_emergency_help(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        for line in remedy.see_a_doctor:
            if any(word in line.lower() for word in EMERGENCY_WORDS):
                assert line.startswith("Emergency:"), (remedy.slug, line)
                assert "call {emergency}" in line, (remedy.slug, line)


def test_see_a_doctor_lines_match_the_levels_of_the_linked_red_flags(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        levels = {catalog.red_flag_by_id[flag].level for flag in remedy.red_flags}
        lines = " ".join(remedy.see_a_doctor)
        emergency_lines = [line for line in remedy.see_a_doctor if line.startswith("Emergency:")]
        assert bool(emergency_lines) == (Level.EMERGENCY in levels), remedy.slug
        if emergency_lines:
            assert remedy.see_a_doctor[0].startswith("Emergency:"), remedy.slug  # first
        assert ("same day" in lines) == (Level.URGENT in levels), remedy.slug


@pytest.mark.parametrize(
    ("slug", "flags"),
    [
        ("ice-packs", {"serious-accident", "both-legs-numb-or-weak"}),
        ("massage", {"serious-accident", "both-legs-numb-or-weak"}),
        ("back-braces", {"serious-accident"}),
        ("exercise", {"both-legs-numb-or-weak"}),
        ("physiotherapy", {"both-legs-numb-or-weak"}),
    ],
)
def test_remedies_link_the_emergency_signs_they_name(
    catalog: Catalog, slug: str, flags: set[str]
) -> None:
    assert flags <= set(catalog.remedy_by_slug[slug].red_flags)


def test_every_remedy_that_sends_you_back_after_weeks_links_that_sign(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        if any("no better after a few weeks" in line for line in remedy.see_a_doctor):
            assert "no-better-after-weeks" in remedy.red_flags, remedy.slug


def test_medications_evidence_is_about_what_it_suggests(catalog: Catalog) -> None:
    medications = catalog.remedy_by_slug["medications"]
    topics = {(e.source, e.topic) for e in medications.evidence}
    assert topics == {
        ("nice-ng59", "NSAIDs"),
        ("acp-2017", "NSAIDs"),
        ("nice-ng59", "paracetamol on its own"),
        ("acp-2017", "paracetamol on its own"),
        ("acp-2017", "muscle relaxants"),
    }
    notes = " ".join(e.note for e in medications.evidence).lower()
    assert "opioid" not in notes
    assert "antidepressant" not in notes
    against = [c for c in medications.cautions if "opioids" in c.text]
    assert len(against) == 1
    assert against[0].source == "nice-ng59"
    assert "anticonvulsants" in against[0].text
    assert not {"nerve-damage", "arthritis", "osteoporosis"} & set(medications.causes)


def test_medicine_cautions_cite_the_nhs_medicines_guide(catalog: Catalog) -> None:
    source = catalog.source_by_id["nhs-medicines"]
    assert (source.publisher, source.kind, source.url) == (
        "NHS website",
        SourceKind.WEBSITE,
        "https://www.nhs.uk/medicines/",
    )
    cautions = catalog.remedy_by_slug["medications"].cautions
    for fragment in (
        "10 days",
        "pregnant",
        "Ask a pharmacist before",
        "two NSAIDs",
        "black stools",
        "Reye's syndrome",
        "breastfeeding",
        "maximum dose on the label",
        "do not drive",
    ):
        cited = {c.source for c in cautions if fragment in " ".join(c.text.split())}
        assert cited == {"nhs-medicines"}, fragment
    assert "nhs-medicines" in catalog.remedy_by_slug["medications"].sources


def test_a_living_web_page_has_no_publication_year(catalog: Catalog) -> None:
    for source_id in ("nhs-back-pain", "nhs-medicines"):
        source = catalog.source_by_id[source_id]
        assert source.year is None, source_id
        assert "living web page" in (source.note or ""), source_id


def test_the_urgent_level_does_not_suggest_heat_or_cold(catalog: Catalog) -> None:
    urgent = " ".join(catalog.advice_by_level[Level.URGENT].meanwhile).lower()
    assert "heat" not in urgent
    assert "cold" not in urgent
    soon = " ".join(catalog.advice_by_level[Level.SOON].meanwhile).lower()
    assert "heat or cold pack" in soon


def test_evidence_from_studies_says_plainly_what_it_is(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        for entry in remedy.evidence:
            kind = catalog.source_by_id[entry.source].kind
            if kind is SourceKind.TRIAL:
                assert entry.note.startswith("One trial"), remedy.slug
            elif kind is SourceKind.REVIEW:
                assert entry.note.startswith("A review"), remedy.slug
            if kind is not SourceKind.GUIDELINE and entry.stance is Stance.CONSIDER:
                assert "not a guideline's advice" in " ".join(entry.note.split()), remedy.slug


def test_not_addressed_notes_do_not_hint_at_a_verdict(catalog: Catalog) -> None:
    for remedy in catalog.remedies:
        for entry in remedy.evidence:
            if entry.stance is Stance.NOT_ADDRESSED:
                assert "recommended treatments" not in entry.note, remedy.slug
    for slug in ("traction-devices", "back-braces"):
        acp = [e for e in catalog.remedy_by_slug[slug].evidence if e.source == "acp-2017"]
        assert [e.stance for e in acp] == [Stance.NOT_ADDRESSED]
        assert "do not cover" in acp[0].note
