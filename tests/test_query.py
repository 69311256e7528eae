"""The query layer: lookup, rating, suggest, search and triage, without a terminal."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from backcare import content, query
from backcare.errors import ExitStatus, NotFoundError, UsageError
from backcare.models import (
    Catalog,
    Category,
    Evidence,
    Layer,
    Level,
    Rating,
    RedFlag,
    Remedy,
    Source,
    SourceKind,
    Stance,
    Term,
)
from backcare.paths import builtin_content_dir

# --- a small synthetic catalog ----------------------------------------------------------

SOURCES = (
    Source("g1", "Guideline one", "Body one", SourceKind.GUIDELINE, 2016),
    Source("g2", "Guideline two", "Body two", SourceKind.GUIDELINE, 2017),
    Source("web", "A web page", "Someone", SourceKind.WEBSITE),
)


def remedy(
    slug: str,
    *evidence: Evidence,
    causes: Sequence[str] = (),
    symptoms: Sequence[str] = (),
    category: Category = Category.AT_HOME,
    name: str | None = None,
    summary: str = "A summary.",
    description: str = "A description.",
    steps: Sequence[str] = ("Do it.",),
) -> Remedy:
    return Remedy(
        slug=slug,
        name=name or slug.replace("-", " ").capitalize(),
        category=category,
        summary=summary,
        description=description,
        steps=tuple(steps),
        causes=tuple(causes),
        symptoms=tuple(symptoms),
        cautions=(),
        see_a_doctor=("It gets worse.",),
        evidence=evidence,
        sources=(),
    )


def ev(source: str, stance: Stance, topic: str | None = None) -> Evidence:
    return Evidence(source, stance, "A note.", topic)


def make_catalog(*remedies: Remedy, red_flags: Sequence[RedFlag] = ()) -> Catalog:
    return Catalog(
        remedies=remedies,
        causes=(
            Term("posture", "Poor posture", "Sitting badly."),
            Term("stress", "Stress", "Worry."),
            Term("injury", "Injury", "A knock."),
        ),
        symptoms=(
            Term("stiffness", "Stiffness", "Hard to move."),
            Term("sharp-pain", "Sharp pain", "It stabs."),
        ),
        sources=SOURCES,
        red_flags=tuple(red_flags),
    )


def rating_of(*evidence: Evidence) -> Rating:
    item = remedy("x", *evidence)
    return query.rate(item, make_catalog(item))


@pytest.fixture(scope="module")
def builtin() -> Catalog:
    layer = Layer(label="built-in", path=str(builtin_content_dir()), exists=True)
    return content.load_catalog([layer])


# --- lookup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Ice Packs", "ice-packs"),
        ("ICE_PACKS", "ice-packs"),
        (" ice-packs ", "ice-packs"),
        ("ice packs", "ice-packs"),
        ("Traction Devices", "traction-devices"),
    ],
)
def test_normalize_folds_case_spaces_and_underscores(typed: str, slug: str) -> None:
    assert query.normalize(typed) == slug


@pytest.mark.parametrize("typed", ["Ice Packs", "ICE_PACKS", " ice-packs ", "ice  packs"])
def test_find_remedy_forgives_case_and_spacing(builtin: Catalog, typed: str) -> None:
    assert query.find_remedy(builtin, typed).slug == "ice-packs"


def test_find_remedy_accepts_the_display_name(builtin: Catalog) -> None:
    name = builtin.remedy_by_slug["medications"].name
    assert name.lower() != "medications"  # otherwise this test proves nothing
    assert query.find_remedy(builtin, name).slug == "medications"


def test_unknown_remedy_offers_the_closest_slug(builtin: Catalog) -> None:
    with pytest.raises(NotFoundError) as caught:
        query.find_remedy(builtin, "icepak")
    assert "icepak" in caught.value.message
    assert caught.value.hint is not None
    assert "did you mean ice-packs" in caught.value.hint
    assert caught.value.exit_status is ExitStatus.NOT_FOUND


def test_unknown_remedy_with_nothing_close_points_to_list(builtin: Catalog) -> None:
    with pytest.raises(NotFoundError) as caught:
        query.find_remedy(builtin, "zzzzzzzzzz")
    assert caught.value.hint is not None
    assert "backcare list" in caught.value.hint


def test_empty_remedy_name_is_a_usage_error(builtin: Catalog) -> None:
    with pytest.raises(UsageError):
        query.find_remedy(builtin, "  ")


# --- rating ------------------------------------------------------------------------------


def test_rule_1_against_and_for_is_mixed() -> None:
    assert rating_of(ev("g1", Stance.NOT_RECOMMENDED), ev("g2", Stance.RECOMMENDED)) is Rating.MIXED
    assert rating_of(ev("g1", Stance.NOT_RECOMMENDED), ev("g2", Stance.CONSIDER)) is Rating.MIXED


def test_rule_2_against_the_whole_remedy_is_against() -> None:
    assert (
        rating_of(ev("g1", Stance.NOT_RECOMMENDED), ev("g2", Stance.INSUFFICIENT_EVIDENCE))
        is Rating.AGAINST
    )


def test_rule_3_against_one_topic_is_mixed() -> None:
    assert (
        rating_of(ev("g1", Stance.RECOMMENDED), ev("g2", Stance.NOT_RECOMMENDED, topic="a part"))
        is Rating.MIXED
    )
    assert rating_of(ev("g1", Stance.NOT_RECOMMENDED, topic="a part")) is Rating.MIXED


def test_rule_4_recommended_is_supported() -> None:
    assert rating_of(ev("g1", Stance.RECOMMENDED), ev("g2", Stance.CONSIDER)) is Rating.SUPPORTED


@pytest.mark.parametrize("stance", [Stance.CONSIDER, Stance.ONLY_WITH_EXERCISE])
def test_rule_5_consider_is_conditional(stance: Stance) -> None:
    assert rating_of(ev("g1", stance), ev("g2", Stance.NOT_ADDRESSED)) is Rating.CONDITIONAL


def test_rule_6_silence_is_unassessed() -> None:
    assert rating_of() is Rating.UNASSESSED
    assert (
        rating_of(ev("g1", Stance.INSUFFICIENT_EVIDENCE), ev("g2", Stance.NOT_ADDRESSED))
        is Rating.UNASSESSED
    )


def test_only_guidelines_count_towards_the_rating() -> None:
    assert rating_of(ev("web", Stance.RECOMMENDED)) is Rating.UNASSESSED
    assert rating_of(ev("web", Stance.NOT_RECOMMENDED)) is Rating.UNASSESSED
    assert rating_of(ev("unknown-source", Stance.RECOMMENDED)) is Rating.UNASSESSED


def test_builtin_ratings_follow_the_guidelines(builtin: Catalog) -> None:
    def rating(slug: str) -> Rating:
        return query.rate(builtin.remedy_by_slug[slug], builtin)

    assert rating("exercise") is Rating.SUPPORTED
    assert rating("traction-devices") is Rating.AGAINST
    assert rating("back-braces") is Rating.AGAINST
    assert rating("medications") is Rating.MIXED


# --- list ----------------------------------------------------------------------------


def test_list_filters_by_category_and_rating() -> None:
    a = remedy("a", ev("g1", Stance.RECOMMENDED), category=Category.LIFESTYLE)
    b = remedy("b", category=Category.LIFESTYLE)
    c = remedy("c", ev("g1", Stance.RECOMMENDED), category=Category.DEVICE)
    catalog = make_catalog(a, b, c)

    def slugs(items: list[query.Rated]) -> list[str]:
        return [i.remedy.slug for i in items]

    assert slugs(query.list_remedies(catalog)) == ["a", "b", "c"]
    assert slugs(query.list_remedies(catalog, Category.LIFESTYLE)) == ["a", "b"]
    assert slugs(query.list_remedies(catalog, rating=Rating.SUPPORTED)) == ["a", "c"]
    assert slugs(query.list_remedies(catalog, Category.LIFESTYLE, Rating.SUPPORTED)) == ["a"]
    assert query.list_remedies(catalog, Category.MEDICATION) == []


def test_list_filter_on_builtin_content(builtin: Catalog) -> None:
    devices = query.list_remedies(builtin, Category.DEVICE)
    assert devices
    assert all(i.remedy.category is Category.DEVICE for i in devices)
    against = {i.remedy.slug for i in query.list_remedies(builtin, rating=Rating.AGAINST)}
    assert {"traction-devices", "back-braces"} <= against
    assert "exercise" not in against


# --- suggest ---------------------------------------------------------------------------

EMERGENCY = RedFlag("numb", Level.EMERGENCY, "Numbness", "Numb?", "Call 999.", ())
URGENT = RedFlag("fever", Level.URGENT, "Fever", "Hot?", "See a doctor today.", ())
SOON = RedFlag("weeks", Level.SOON, "Weeks", "Long?", "Book a doctor.", ())


def ranking_catalog() -> Catalog:
    return make_catalog(
        remedy("one-match-unassessed", causes=["posture"]),
        remedy("two-matches", causes=["posture", "stress"]),
        remedy("one-match-supported", ev("g1", Stance.RECOMMENDED), causes=["posture"]),
        remedy("advised-against", ev("g1", Stance.NOT_RECOMMENDED), causes=["posture"]),
        remedy("unrelated", ev("g1", Stance.RECOMMENDED), causes=["injury"]),
        red_flags=[EMERGENCY, URGENT, SOON],
    )


def suggested(result: query.Suggestion) -> list[str]:
    return [m.remedy.slug for m in result.matches]


def test_suggest_ranks_more_matches_first_then_support() -> None:
    result = query.suggest(ranking_catalog(), ["posture", "stress"], [])
    assert suggested(result) == [
        "two-matches",
        "one-match-supported",
        "one-match-unassessed",
        "advised-against",
    ]
    assert result.matches[0].score == 2


def test_suggest_keeps_advised_against_remedies_with_their_rating() -> None:
    result = query.suggest(ranking_catalog(), ["posture"], [])
    against = [m for m in result.matches if m.remedy.slug == "advised-against"]
    assert against
    assert against[0].rating is Rating.AGAINST
    assert "unrelated" not in suggested(result)


def test_suggest_says_why_each_remedy_matched() -> None:
    catalog = make_catalog(remedy("r", causes=["posture"], symptoms=["stiffness"]))
    result = query.suggest(catalog, ["Posture"], ["STIFFNESS", "stiffness"])
    (match,) = result.matches
    assert [c.slug for c in match.causes] == ["posture"]
    assert [s.slug for s in match.symptoms] == ["stiffness"]  # repeated value counted once
    assert match.score == 2


def test_suggest_without_options_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        query.suggest(ranking_catalog(), [], [])
    assert "--cause or --symptom" in caught.value.message


def test_unknown_cause_names_valid_values_and_the_closest() -> None:
    with pytest.raises(UsageError) as caught:
        query.suggest(ranking_catalog(), ["postur"], [])
    assert "postur" in caught.value.message
    assert "did you mean 'posture'" in caught.value.message
    assert caught.value.hint is not None
    assert "injury, posture, stress" in caught.value.hint


def test_unknown_symptom_names_valid_values() -> None:
    with pytest.raises(UsageError) as caught:
        query.suggest(ranking_catalog(), [], ["stifness"])
    assert "did you mean 'stiffness'" in caught.value.message
    assert caught.value.hint is not None
    assert "sharp-pain" in caught.value.hint
    assert "stiffness" in caught.value.hint


def test_suggest_with_no_matching_remedy_is_not_found() -> None:
    with pytest.raises(NotFoundError) as caught:
        query.suggest(ranking_catalog(), [], ["sharp-pain"])
    assert "sharp pain" in caught.value.message


def test_red_flag_as_symptom_comes_first_and_emergency_leaves_no_remedies() -> None:
    result = query.suggest(ranking_catalog(), ["posture"], ["numb", "stiffness"])
    assert result.red_flags == (EMERGENCY,)
    assert result.level is Level.EMERGENCY
    assert result.matches == ()


def test_red_flags_are_ordered_by_urgency() -> None:
    result = query.suggest(ranking_catalog(), ["posture"], ["weeks", "fever"])
    assert [f.id for f in result.red_flags] == ["fever", "weeks"]
    assert result.level is Level.URGENT
    assert suggested(result)  # below emergency, self-care may still help meanwhile


def test_red_flag_alone_is_an_answer_not_a_miss() -> None:
    result = query.suggest(ranking_catalog(), [], ["weeks"])
    assert result.level is Level.SOON
    assert result.matches == ()


# --- search ----------------------------------------------------------------------------


def search_catalog() -> Catalog:
    return make_catalog(
        remedy("heat", name="Heat packs", summary="Warmth for stiff muscles."),
        remedy("walk", name="Walking", description="A walk keeps stiff muscles moving."),
        remedy("rest", name="Rest", steps=("Lie down for a while, then stretch gently.",)),
    )


def hits(catalog: Catalog, text: str) -> list[str]:
    return [h.remedy.slug for h in query.search(catalog, text)]


def test_search_ranks_by_where_the_word_is_found() -> None:
    assert hits(search_catalog(), "stiff") == ["heat", "walk"]  # summary beats description


def test_search_ranks_more_matched_words_first() -> None:
    # "walk" matches one word in its name; "heat" matches both words, lower down.
    catalog = make_catalog(
        remedy("walk", name="Walking"),
        remedy("heat", name="Heat", summary="Warm, stiff muscles loosen; try walking after."),
    )
    assert hits(catalog, "walking stiff") == ["heat", "walk"]


def test_search_reports_the_words_matched() -> None:
    (hit,) = query.search(search_catalog(), "stretch")
    assert hit.remedy.slug == "rest"
    assert hit.matched == ("stretch",)


@pytest.mark.parametrize(("typo", "expected"), [("stretchs", "exercise"), ("matress", "mattress")])
def test_search_forgives_small_typos(builtin: Catalog, typo: str, expected: str) -> None:
    assert expected in hits(builtin, typo)[:2]


def test_search_ignores_stopwords_and_punctuation(builtin: Catalog) -> None:
    assert hits(builtin, "how do I use an ice pack?")[0] == "ice-packs"


def test_search_with_only_stopwords_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        query.search(search_catalog(), "the and of")


def test_search_without_a_hit_is_not_found() -> None:
    with pytest.raises(NotFoundError) as caught:
        query.search(search_catalog(), "xylophone")
    assert "xylophone" in caught.value.message


def test_search_text_that_is_too_long_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        query.search(search_catalog(), "stiff " * 50)
    assert "too long" in caught.value.message


def test_search_results_carry_the_rating(builtin: Catalog) -> None:
    (top, *_) = query.search(builtin, "traction")
    assert top.remedy.slug == "traction-devices"
    assert top.rating is Rating.AGAINST


# --- vocabularies and triage ------------------------------------------------------------


def test_term_counts_count_linking_remedies() -> None:
    catalog = make_catalog(
        remedy("a", causes=["posture", "stress"], symptoms=["stiffness"]),
        remedy("b", causes=["posture"]),
    )
    assert [(t.slug, n) for t, n in query.term_counts(catalog, "causes")] == [
        ("posture", 2),
        ("stress", 1),
        ("injury", 0),
    ]
    assert [(t.slug, n) for t, n in query.term_counts(catalog, "symptoms")] == [
        ("stiffness", 1),
        ("sharp-pain", 0),
    ]


def test_red_flags_in_order_puts_emergency_first() -> None:
    catalog = make_catalog(red_flags=[SOON, URGENT, EMERGENCY])
    assert [f.level for f in query.red_flags_in_order(catalog)] == [
        Level.EMERGENCY,
        Level.URGENT,
        Level.SOON,
    ]


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        ([], None),
        (["weeks"], Level.SOON),
        (["weeks", "fever"], Level.URGENT),
        (["fever", "numb", "weeks"], Level.EMERGENCY),
    ],
)
def test_triage_gives_the_most_urgent_level(yes: list[str], level: Level | None) -> None:
    catalog = make_catalog(red_flags=[EMERGENCY, URGENT, SOON])
    result = query.triage(catalog, yes)
    assert result.level is level
    assert {f.id for f in result.flags} == set(yes)


def test_triage_forgives_case_and_ignores_repeats() -> None:
    catalog = make_catalog(red_flags=[EMERGENCY, URGENT, SOON])
    assert [f.id for f in query.triage(catalog, ["FEVER", "fever"]).flags] == ["fever"]


def test_triage_rejects_an_unknown_sign() -> None:
    catalog = make_catalog(red_flags=[EMERGENCY, URGENT, SOON])
    with pytest.raises(UsageError) as caught:
        query.triage(catalog, ["fevr"])
    assert "did you mean 'fever'" in caught.value.message
    assert caught.value.hint is not None
    assert "red-flags" in caught.value.hint


# --- forgiving lookups ------------------------------------------------------------------


def test_a_word_naming_one_part_of_one_slug_finds_that_remedy(builtin: Catalog) -> None:
    catalog = builtin
    assert query.find_remedy(catalog, "acupuncture").slug == "acupressure-acupuncture"
    assert query.find_remedy(catalog, "Braces").slug == "back-braces"


@pytest.mark.parametrize(
    ("word", "candidates"), [("packs", "hot-packs or ice-packs"), ("hot", "hot-bath or hot-packs")]
)
def test_a_word_naming_several_remedies_is_ambiguous_not_missing(
    builtin: Catalog, word: str, candidates: str
) -> None:
    with pytest.raises(UsageError) as caught:
        query.find_remedy(builtin, word)
    assert caught.value.message == f"'{word}' could be more than one remedy: {candidates}"
    assert caught.value.exit_status == 2


def test_a_beginning_that_names_one_remedy_finds_it(builtin: Catalog) -> None:
    assert query.find_remedy(builtin, "mass").slug == "massage"


def test_causes_and_symptoms_may_be_given_by_their_displayed_names(builtin: Catalog) -> None:
    catalog = builtin
    by_name = query.suggest(catalog, [catalog.cause_by_slug["posture"].name], [])
    assert [c.slug for c in by_name.causes] == ["posture"]
    symptom = catalog.symptom_by_slug["stiffness"].name.upper()
    assert [s.slug for s in query.suggest(catalog, [], [symptom]).symptoms] == ["stiffness"]


def test_search_reads_the_evidence_notes_and_cautions_too(builtin: Catalog) -> None:
    hits = query.search(builtin, "paracetamol")
    assert hits[0].remedy.slug == "medications"


def test_search_with_only_common_words_says_so(builtin: Catalog) -> None:
    with pytest.raises(UsageError, match="only common words"):
        query.search(builtin, "the and of")


def test_a_remedy_that_says_see_a_doctor_with_the_sign_given_is_withheld(builtin: Catalog) -> None:
    result = query.suggest(builtin, ["stress"], ["fever"])
    shown = {m.remedy.slug for m in result.matches}
    withheld = {r.slug for r in result.withheld}
    assert {"hot-packs", "hot-bath"} <= withheld  # both say: with a fever, see a doctor
    assert not shown & withheld
    assert "relaxation" in shown


@pytest.mark.parametrize("stray", ["", "\x01", "\x00"])
def test_placeholders_are_filled_in_whichever_remedy_and_field_holds_them(stray: str) -> None:
    from backcare.models import Caution
    from backcare.query.region import localize

    raw = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])
    first = raw.remedies[0]
    plain = [first._replace(slug=f"plain-{n}", summary=f"Nothing to fill {n}.") for n in range(40)]
    holding = [
        first._replace(slug="in-summary", summary="Call {emergency}." + stray),
        first._replace(slug="in-a-step", steps=("Rest.", "Ask {urgent}.")),
        first._replace(slug="in-a-caution", cautions=(Caution("Call {emergency}.", "article"),)),
        first._replace(slug="in-see-a-doctor", see_a_doctor=("Ask {urgent} today.",)),
    ]
    remedies = (*plain[:20], holding[0], *plain[20:30], *holding[1:], *plain[30:])
    catalog = Catalog(remedies, raw.causes, raw.symptoms, raw.sources, raw.red_flags)
    au = raw.region_by_id["au"]
    local = localize(catalog, au).remedy_by_slug
    assert local["in-summary"].summary.startswith(f"Call {au.emergency}.")
    assert local["in-a-step"].steps[1] == f"Ask {au.urgent}."
    assert local["in-a-caution"].cautions[0].text == f"Call {au.emergency}."
    assert local["in-see-a-doctor"].see_a_doctor[0] == f"Ask {au.urgent} today."
    assert [local[r.slug] for r in plain] == plain


def test_a_symptom_in_words_given_again_is_read_once(
    builtin: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each reading looks through every remedy's name, so reading a repeated value
    # again would make the cost of a command line grow with remedies times values.
    from backcare.query import signs

    calls: list[str] = []
    real = signs.named_signs

    def counting(catalog: Catalog, text: str) -> list[RedFlag]:
        calls.append(text)
        return real(catalog, text)

    monkeypatch.setattr(signs, "named_signs", counting)
    once = query.suggest(builtin, [], ["chset pain"])
    again = query.suggest(builtin, [], ["chset pain"] * 5)
    assert calls == ["chset pain", "chset pain"]
    assert again.red_flags == once.red_flags
    assert again.read_as == once.read_as * 5
