"""Warning signs in free text: named per phrase, forgiving typos, never falsely reassuring."""

from __future__ import annotations

import json

import pytest

from backcare import content
from backcare.models import Catalog, Layer
from backcare.paths import builtin_content_dir
from backcare.query import suggest
from backcare.query.signs import match_signs, named_signs, search_screened
from tests.conftest import ANSI, RunFn

CATALOG: Catalog = content.load_catalog([Layer("built-in", str(builtin_content_dir()), True)])

# (search words, the sign they name, the exit code suggest gives that sign)
NAMED = [
    ("chest pain and stiffness", "chest-pain", 12),
    ("fever with stiffness", "fever", 11),
    ("chset pain", "chest-pain", 12),
    ("fevr", "fever", 11),
    ("severe back pain after fall", "serious-accident", 12),
    ("numb legs", "both-legs-numb-or-weak", 12),
    ("weight loss without trying", "unexplained-weight-loss", 11),
    ("high temperature and a stiff neck", "fever", 11),
    ("then a bad fall on the ice", "serious-accident", 12),
    ("my legs are numb", "both-legs-numb-or-weak", 12),
]


@pytest.mark.parametrize(("text", "sign", "code"), NAMED)
def test_a_phrase_names_its_sign_whatever_words_surround_it(text: str, sign: str, code: int):
    assert sign in [f.id for f in named_signs(CATALOG, text)]


@pytest.mark.parametrize(("text", "sign", "code"), NAMED)
def test_search_shows_the_card_of_a_sign_it_names_with_suggests_exit_code(
    run: RunFn, text: str, sign: str, code: int
) -> None:
    result = run("search", *text.split())
    assert result.code == code, result.stderr
    name = CATALOG.red_flag_by_id[sign].name
    assert name in result.stdout
    assert run("suggest", "--symptom", sign).code == code  # the same level as suggest


def test_typos_are_forgiven_as_in_remedy_search() -> None:
    (match,) = [m for m in match_signs(CATALOG, "chset pain") if m.named]
    assert match.flag.id == "chest-pain"
    assert match.words == ("chset",)


@pytest.mark.parametrize(
    ("text", "sign", "words"),
    [
        ("weight loss", "unexplained-weight-loss", ("weight", "loss")),
        ("leg", "both-legs-numb-or-weak", ("leg",)),
        ("leg", "leg-weakness-worsening", ("leg",)),
        # A word of the question ("legs") far from the sign's own word does not name it.
        ("sore legs after a walk", "walking-changed", ("legs", "walk")),
    ],
)
def test_words_that_only_touch_a_sign_say_which_words_matched(
    text: str, sign: str, words: tuple[str, ...]
) -> None:
    matches = {m.flag.id: m for m in match_signs(CATALOG, text)}
    assert not matches[sign].named
    assert matches[sign].words == words
    assert named_signs(CATALOG, text) == []


@pytest.mark.parametrize(
    ("words", "sign"), [("weight loss", "Weight loss without trying"), ("leg", "both legs")]
)
@pytest.mark.parametrize("color", ["never", "always"])
def test_search_shows_a_touched_sign_to_check_without_raising_the_exit_code(
    run: RunFn, words: str, sign: str, color: str
) -> None:
    result = run("--color", color, "search", *words.split())
    assert result.code == 0
    out = " ".join(ANSI.sub("", result.stdout).split())
    assert "To check" in out or "TO CHECK" in out
    assert sign in out
    assert f"your words: {', '.join(words.split())}" in out


def test_the_remedy_weight_loss_is_still_found() -> None:
    result = search_screened(CATALOG, "weight loss")
    assert result.hits[0].remedy.slug == "weight-loss"
    assert result.level is None


# Everyday words for a sign, from its ``also_called`` phrases in the content.
EVERYDAY = ["numb groin", "numbness in my bum", "tingling around my bottom", "groin numb"]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_words_name_the_sign_they_mean(run: RunFn, text: str) -> None:
    assert "saddle-numbness" in [f.id for f in named_signs(CATALOG, text)]
    result = run("search", *text.split())
    assert result.code == 12, result.stderr
    assert result.stdout.startswith("EMERGENCY: Call 999")
    assert run("suggest", "--symptom", text).code == 12


@pytest.mark.parametrize("text", ["groin", "groin strain", "sore bum", "bottom of my foot"])
def test_part_of_an_everyday_phrase_names_no_sign(text: str) -> None:
    assert "saddle-numbness" not in [f.id for f in named_signs(CATALOG, text)]


@pytest.mark.parametrize("text", ["leg", "rest", "bum", "groin"])
def test_a_common_word_alone_does_not_raise_the_exit_code(run: RunFn, text: str) -> None:
    assert run("search", text).code in (0, 1)


def test_every_everyday_phrase_names_its_own_sign() -> None:
    phrases = [(f, p) for f in CATALOG.red_flags for p in f.also_called]
    assert phrases  # the content has some
    for flag, phrase in phrases:
        assert flag in named_signs(CATALOG, phrase), phrase


@pytest.mark.parametrize(
    "text",
    [
        *["back pain", "lower back pain", "heat stiff", "hot bath", "stretching"],
        *["massage", "muscle cramp", "sudden spasm", "pelvic tilt"],
    ],
)
def test_everyday_searches_name_no_sign_nor_touch_one(text: str) -> None:
    assert match_signs(CATALOG, text) == ()


def test_search_withholds_what_suggest_withholds_for_a_named_sign(run: RunFn) -> None:
    result = run("search", "fever", "with", "stiffness", "--json")
    document = json.loads(result.stdout)
    assert result.code == 11
    assert document["red_flags"] == ["fever"]
    assert document["result"] == "urgent"
    slugs = [r["slug"] for r in document["remedies"]]
    assert "hot-packs" not in slugs
    assert "hot-packs" in document["withheld"]
    given = suggest(CATALOG, ["stress"], ["stiffness", "fever"])
    assert {r.slug for r in given.withheld} <= set(document["withheld"]) | {"hot-bath"}
    plain = run("search", "fever", "with", "stiffness")
    assert "see a doctor instead with this sign: " in plain.stderr  # piped: a note for the person
    assert "hot-packs\t" not in plain.stdout


def test_search_json_lists_the_signs_to_check_with_their_words(run: RunFn) -> None:
    document = json.loads(run("search", "weight", "loss", "--json").stdout)
    assert document["red_flags"] == []
    assert document["result"] == "none"
    (touched,) = document["to_check"]
    assert touched["id"] == "unexplained-weight-loss"
    assert touched["words"] == ["weight", "loss"]


def test_suggest_screens_a_symptom_written_in_words_as_the_sign_it_names(run: RunFn) -> None:
    result = run("suggest", "--symptom", "chset pain")
    assert result.code == 12
    assert result.stdout.startswith("'chset pain' reads as the warning sign: Chest pain.\n")
    assert "EMERGENCY" in result.stdout
    document = json.loads(run("suggest", "--symptom", "fevr", "--json").stdout)
    assert document["read_as"] == {"fevr": ["fever"]}
    assert document["result"] == "urgent"


def test_suggest_still_refuses_words_that_name_no_sign(run: RunFn) -> None:
    result = run("suggest", "--symptom", "weight loss")
    assert result.code == 2
    assert "unknown value 'weight loss' for --symptom" in result.stderr


def test_a_sign_at_the_end_of_a_long_note_is_found() -> None:
    note = "Woke up stiff, walked the dog. " * 200 + "Then a bad fall on the ice."
    assert "serious-accident" in [f.id for f in named_signs(CATALOG, note)]
