"""Safety pins (issue 3): emergencies are never answered with self-care,
advised-against remedies are never hidden, and screening never waits blindly.
"""

from __future__ import annotations

import json

import pytest

from backcare.models import Catalog, Level, Stance
from backcare.output import Environment
from tests.conftest import ANSI, RunFn, builtin_catalog


def _catalog() -> Catalog:
    return builtin_catalog()


CATALOG = _catalog()
SLUGS = sorted(CATALOG.remedy_by_slug)
EMERGENCY = [f.id for f in CATALOG.red_flags if f.level is Level.EMERGENCY]
URGENT = [f.id for f in CATALOG.red_flags if f.level is Level.URGENT]
SOON = [f.id for f in CATALOG.red_flags if f.level is Level.SOON]
ADVISED_AGAINST = sorted(
    {r.slug for r in CATALOG.remedies for e in r.evidence if e.stance is Stance.NOT_RECOMMENDED}
)
# Every symptom and cause at once: the widest remedy list suggest could give.
ALL_CAUSES = [a for c in CATALOG.causes for a in ("--cause", c.slug)]


def shows_no_remedy(stdout: str) -> bool:
    words = set(stdout.replace("\t", " ").split())
    return not words & set(SLUGS) and "Meanwhile" not in stdout


def test_the_content_has_signs_at_every_level() -> None:
    assert EMERGENCY
    assert URGENT
    assert SOON
    assert ADVISED_AGAINST


# --- emergency: never a remedy list ----------------------------------------------------------


@pytest.mark.parametrize("flag", EMERGENCY)
@pytest.mark.parametrize("color", ["never", "always"])
def test_check_yes_emergency_gives_the_emergency_card_and_exit_12(
    run: RunFn, flag: str, color: str
) -> None:
    result = run("--color", color, "check", "--yes", flag)
    assert result.code == 12
    out = ANSI.sub("", result.stdout)
    assert "EMERGENCY" in out
    for number in ("999", "911", "112"):
        assert number in out
    assert shows_no_remedy(out)


@pytest.mark.parametrize("flag", EMERGENCY)
def test_emergency_wins_over_any_other_answer(run: RunFn, flag: str) -> None:
    result = run("check", "--yes", URGENT[0], "--yes", SOON[0], "--yes", flag)
    assert result.code == 12
    assert "RESULT: EMERGENCY" in result.stdout
    assert shows_no_remedy(result.stdout)


@pytest.mark.parametrize("flag", EMERGENCY)
@pytest.mark.parametrize("color", ["never", "always"])
def test_suggest_with_an_emergency_sign_prints_no_remedy(run: RunFn, flag: str, color: str):
    result = run("--color", color, "suggest", *ALL_CAUSES, "--symptom", flag)
    assert result.code == 12
    out = ANSI.sub("", result.stdout)
    assert "EMERGENCY" in out
    assert "999" in out
    assert shows_no_remedy(out)


@pytest.mark.parametrize("flag", EMERGENCY)
def test_emergency_json_has_no_remedies(run: RunFn, flag: str) -> None:
    suggest = run("suggest", *ALL_CAUSES, "--symptom", flag, "--json")
    assert suggest.code == 12
    document = json.loads(suggest.stdout)
    assert document["remedies"] == []
    assert document["red_flags"] == [flag]
    assert document["result"] == "emergency"

    check = run("check", "--yes", flag, "--json")
    assert check.code == 12
    document = json.loads(check.stdout)
    assert document["result"] == "emergency"
    assert document["flags"] == [flag]
    assert document.get("meanwhile", []) == []


def test_red_flag_card_comes_before_any_remedy(run: RunFn) -> None:
    result = run("suggest", "--cause", "posture", "--symptom", URGENT[0])
    out = result.stdout
    assert out.index("URGENT") < out.index("\nexercise\t")


# --- urgent and soon: the action, then what is safe meanwhile ------------------------------


@pytest.mark.parametrize("color", ["never", "always"])
def test_a_warning_sign_alone_shows_no_empty_remedy_list(run: RunFn, color: str) -> None:
    result = run("--color", color, "suggest", "--symptom", URGENT[0])
    assert result.code == 11
    out = ANSI.sub("", result.stdout)
    assert "Meanwhile" in out
    assert "remedies that match" not in out
    assert "Why it matched" not in out


@pytest.mark.parametrize(("flag", "code"), [(f, 11) for f in URGENT] + [(f, 10) for f in SOON])
def test_urgent_and_soon_give_their_exit_code_and_meanwhile(
    run: RunFn, flag: str, code: int
) -> None:
    result = run("check", "--yes", flag)
    assert result.code == code
    label = "URGENT" if code == 11 else "SEE A DOCTOR SOON"
    assert f"RESULT: {label}" in result.stdout
    level = Level.URGENT if code == 11 else Level.SOON
    heading = result.stdout.index(CATALOG.advice_by_level[level].heading)
    assert heading < result.stdout.index("Meanwhile")


@pytest.mark.parametrize(("flag", "code"), [(URGENT[0], 11), (SOON[0], 10)])
def test_suggest_with_a_non_emergency_sign_keeps_self_care_after_the_card(
    run: RunFn, flag: str, code: int
) -> None:
    result = run("suggest", "--cause", "posture", "--symptom", flag)
    assert result.code == code
    assert "Meanwhile" in result.stdout
    assert result.stdout.index("Meanwhile") < result.stdout.index("\nexercise\t")


# --- advised-against remedies are marked, never hidden --------------------------------------


@pytest.mark.parametrize("slug", ADVISED_AGAINST)
@pytest.mark.parametrize("color", ["never", "always"])
def test_show_states_not_recommended(run: RunFn, slug: str, color: str) -> None:
    result = run("--color", color, "show", slug)
    assert result.code == 0
    out = ANSI.sub("", result.stdout)
    assert "Not recommended" in out
    assert "What the guidelines say".upper() in out.upper()


@pytest.mark.parametrize("slug", ADVISED_AGAINST)
def test_suggest_marks_advised_against_remedies(run: RunFn, slug: str) -> None:
    remedy = CATALOG.remedy_by_slug[slug]
    args = [a for c in remedy.causes for a in ("--cause", c)]
    plain = run("suggest", *args)
    assert plain.code == 0
    line = next(line for line in plain.stdout.splitlines() if line.startswith(f"{slug}\t"))
    assert "advised against" in line.lower()
    assert "\tAGAINST\t" in line or "\tMIXED\t" in line

    rich = ANSI.sub("", run("--color", "always", "suggest", *args).stdout)
    assert slug in rich
    assert "Advised against" in rich

    document = json.loads(run("suggest", *args, "--json").stdout)
    (item,) = [r for r in document["remedies"] if r["slug"] == slug]
    assert item["rating"] in ("against", "mixed")
    assert item["advised_against"]


# --- the reminder ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("show", "ice-packs"), ("suggest", "--cause", "posture"), ("suggest", "--symptom", "fever")],
)
@pytest.mark.parametrize("color", ["never", "always"])
def test_show_and_suggest_end_with_the_check_reminder(
    run: RunFn, args: tuple[str, ...], color: str
) -> None:
    result = run("--color", color, *args)
    if color == "never":  # piped: the reminder is for the person, on stderr before the disclaimer
        reminder = next(line for line in result.stderr.splitlines() if "Emergency?" in line)
        assert "backcare check" in reminder
        assert "999" in reminder
        assert "backcare check" not in result.stdout
        return
    raw = ANSI.sub("", result.stdout)
    out = "\n".join(line.rstrip() for line in raw.splitlines())
    body, _, disclaimer = out.rstrip().rpartition("\n\n")
    assert "not medical advice" in disclaimer
    reminder = " ".join(body.rstrip().split("\n\n")[-1].split())
    assert "backcare check" in reminder
    assert "999" in reminder


# --- check without answers, and interactively -------------------------------------------------


def test_check_without_a_terminal_or_answers_refuses(run: RunFn) -> None:
    result = run("check", input="y\n" * 50)
    assert result.code == 2
    assert "--yes" in result.stderr
    assert "--none" in result.stderr
    assert result.stdout == ""


@pytest.fixture
def tty_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdin is a terminal, so ``check`` asks its questions."""
    monkeypatch.setattr(Environment, "stdin_isatty", property(lambda self: True))


def questions_asked(stderr: str) -> int:
    return stderr.count("[y/n/?/b]")


# The two scope questions (under 16? pregnant?) come first; "no" to both.
SCOPE_NO = "n\nn\n"


@pytest.mark.usefixtures("tty_stdin")
def test_interactive_check_stops_at_the_first_emergency_yes(run: RunFn) -> None:
    result = run("check", input=SCOPE_NO + "n\ny\n" + "n\n" * 50)
    assert result.code == 12
    assert questions_asked(result.stderr) == 4
    assert "RESULT: EMERGENCY" in result.stdout
    assert shows_no_remedy(result.stdout)


@pytest.mark.usefixtures("tty_stdin")
def test_interactive_check_asks_emergency_questions_first(run: RunFn) -> None:
    result = run("check", input="n\n" * 50)
    asked = [line for line in result.stderr.split("[y/n/?/b]") if line.strip()]
    first = next(f.question for f in CATALOG.red_flags if f.level is Level.EMERGENCY)
    assert " ".join(first.split()) in " ".join(asked[2].split())


@pytest.mark.usefixtures("tty_stdin")
def test_interactive_check_all_no_points_to_suggest(run: RunFn) -> None:
    result = run("check", input="n\n" * (len(CATALOG.red_flags) + 2))
    assert result.code == 0
    assert questions_asked(result.stderr) == len(CATALOG.red_flags) + 2
    assert "RESULT: NONE" in result.stdout
    assert "backcare suggest" in result.stdout


@pytest.mark.usefixtures("tty_stdin")
def test_interactive_check_asks_again_after_an_unclear_answer(run: RunFn) -> None:
    answers = ["n", "n", "maybe"] + ["n"] * len(EMERGENCY) + ["yes"] + ["n"] * 50
    result = run("check", input="\n".join(answers) + "\n")
    assert "Please answer y (yes), n (no), ? (not sure) or b (back)" in result.stderr
    assert result.code == 11
    assert "RESULT: URGENT" in result.stdout


@pytest.mark.usefixtures("tty_stdin")
def test_interactive_check_that_ends_early_does_not_pass_as_all_clear(run: RunFn) -> None:
    result = run("check", input=SCOPE_NO + "n\n")
    assert result.code == 130
    assert "RESULT: NONE" not in result.stdout
    assert "RESULT: INCOMPLETE" in result.stdout
    assert "SCREENING INCOMPLETE: You stopped before every question was answered" in result.stdout


def test_suggest_json_names_the_remedies_withheld_for_a_warning_sign(run: RunFn) -> None:
    result = run("suggest", "--cause", "stress", "--symptom", "fever", "--json")
    assert result.code == 11
    document = json.loads(result.stdout)
    assert "hot-packs" in document["withheld"]
    assert "hot-packs" not in [r["slug"] for r in document["remedies"]]
    plain = run("suggest", "--cause", "stress", "--symptom", "fever")
    assert "see a doctor instead with this sign: " in plain.stderr


# --- search names the warning signs it touches -----------------------------------------------


@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize(
    ("words", "sign"), [("chest pain", "Chest pain"), ("numb legs", "both legs")]
)
def test_search_for_an_emergency_sign_shows_its_card_and_no_remedy(
    run: RunFn, words: str, sign: str, color: str
) -> None:
    result = run("--color", color, "search", *words.split())
    assert result.code == 12
    out = ANSI.sub("", result.stdout)
    assert "EMERGENCY" in out
    assert sign in out
    assert "999" in out
    for remedy in CATALOG.remedies:
        assert f"{remedy.slug}\t" not in out
        assert f"({remedy.slug})" not in out


def test_search_json_lists_the_warning_signs_it_names(run: RunFn) -> None:
    result = run("search", "chest", "pain", "--json")
    document = json.loads(result.stdout)
    assert document["red_flags"] == ["chest-pain"]
    assert document["remedies"] == []


def test_generic_words_name_no_warning_sign(run: RunFn) -> None:
    result = run("search", "back", "pain")
    assert result.code == 0
    assert "EMERGENCY" not in result.stdout
    assert "backcare check" in result.stderr  # the reminder ends every search
