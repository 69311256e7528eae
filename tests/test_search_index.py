"""Search with many words: the word index gives exactly what scanning each remedy gives."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from backcare import content, query
from backcare.errors import UsageError
from backcare.models import Catalog, Layer
from backcare.paths import builtin_content_dir
from backcare.query.fuzzy import Vocabulary

BUILTIN = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])
LETTERS = st.text(alphabet="abcdeilmnorst", min_size=1, max_size=9)
REMEDY_A = BUILTIN.remedies[0]._replace(name="Alpha")
REMEDY_B = BUILTIN.remedies[1]._replace(name="Bravo")


def scanned(catalog: Catalog, text: str) -> list[tuple[str, float, tuple[str, ...]]]:
    """What ``search`` answers when every remedy's text is scanned for every word."""
    words = [w for w in query._WORD.findall(text.lower()) if w not in query._STOPWORDS]
    fields = [(r, query.remedy_texts(r)) for r in catalog.remedies]
    vocabulary = Vocabulary("".join(t for _, texts in fields for t in texts))
    needles = {w: query._needles(w, vocabulary) for w in dict.fromkeys(words)}
    found = []
    for remedy, texts in fields:
        score, matched = query._match_by_scanning(texts, needles)
        if matched:
            found.append((remedy.slug, score, tuple(matched)))
    return found


def searched(catalog: Catalog, text: str) -> list[tuple[str, float, tuple[str, ...]]]:
    return sorted((h.remedy.slug, h.score, h.matched) for h in query.search(catalog, text))


def test_many_misspelled_words_find_what_each_finds_alone() -> None:
    text = "strech musle matress paracetmol acupunture hot ice walkng posture"
    assert searched(BUILTIN, text) == sorted(scanned(BUILTIN, text))
    # The misspellings were corrected: the words matched are the user's words.
    matched = {word for hit in query.search(BUILTIN, text) for word in hit.matched}
    assert {"strech", "matress", "paracetmol"} <= matched


@settings(max_examples=20, deadline=None)
@given(st.lists(LETTERS, min_size=5, max_size=12))
def test_the_word_index_agrees_with_scanning(words: list[str]) -> None:
    text = " ".join(words)
    try:
        expected = sorted(scanned(BUILTIN, text))
    except UsageError:
        return
    if not expected:
        return
    assert searched(BUILTIN, text) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(LETTERS, min_size=1, max_size=60), LETTERS)
def test_close_spellings_are_exactly_difflibs(words: list[str], word: str) -> None:
    vocabulary = Vocabulary(" " + " ".join(words) + " ")
    expected = difflib.get_close_matches(word, sorted(set(words)), n=3, cutoff=0.75)
    assert vocabulary.close(word, n=3, cutoff=0.75) == expected


def test_words_beginning_with_a_prefix() -> None:
    vocabulary = Vocabulary(" stretch stretches strong  stiff street ")
    assert vocabulary.beginning_with("stre") == ["street", "stretch", "stretches"]
    assert vocabulary.begins_a_word("stro")
    assert not vocabulary.begins_a_word("stx")


def test_a_vocabulary_of_fields_has_the_words_of_their_text() -> None:
    fields = [" stretch  the back ", " back pain ", " hip "]
    pieces = Vocabulary(" extra ", fields)
    whole = Vocabulary(" extra " + "".join(fields))
    assert pieces.words() == whole.words() == ["back", "extra", "hip", "pain", "stretch", "the"]
    assert pieces.begins_a_word("hi")
    assert not pieces.begins_a_word("ip")


def test_scores_are_exact_so_equal_matches_tie_and_sort_by_name() -> None:
    # A close spelling counts 0.7 of its field's weight; summed in tenths, the
    # score does not depend on the order of the words.
    items = [
        (REMEDY_B, query.searchable(["Bravo", "", "stiffness ease", "", "", ""])),
        (REMEDY_A, query.searchable(["Alpha", "", "ease stiffness", "", "", ""])),
    ]
    for words in (["stifness", "ease"], ["ease", "stifness"]):
        ranked = query.rank_texts(items, words)
        assert [(item.name, score) for item, score, _ in ranked] == [("Alpha", 5.1), ("Bravo", 5.1)]
    many = ["stifness", "ease", "alpha", "bravo", "zulu"]
    assert [(i.name, s, m) for i, s, m in query.rank_texts(items, many)] == [
        ("Alpha", 10.1, ("stifness", "ease", "alpha")),
        ("Bravo", 10.1, ("stifness", "ease", "bravo")),
    ]
