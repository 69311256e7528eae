"""The command line as people and scripts use it, through Typer's CliRunner.

CliRunner's stdout is not a terminal, so output is the plain, piped form
unless a test asks for colour or pretends to be a terminal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from backcare import __version__
from backcare.output import Environment
from tests.conftest import ANSI, BOX, DISCLAIMER_WORDS, Run, RunFn, write_layer
from tests.test_conventions import ERRORS as CONVENTION_ERRORS

BUILTIN_ICE_PACKS = Path(__file__).parent.parent / "content" / "remedies" / "ice-packs.yaml"

# (arguments, expected exit code) for the happy path of every command.
HAPPY = [
    (("list",), 0),
    (("list", "--category", "device"), 0),
    (("list", "--rating", "supported"), 0),
    (("show", "ice-packs"), 0),
    (("suggest", "--cause", "posture"), 0),
    (("suggest", "--cause", "posture", "--symptom", "stiffness"), 0),
    (("search", "heat"), 0),
    (("causes",), 0),
    (("symptoms",), 0),
    (("sources",), 0),
    (("red-flags",), 0),
    (("check", "--none"), 0),
    (("check", "--yes", "fever"), 11),
    (("paths",), 0),
    (("validate",), 0),
]
COMMANDS = [
    "list",
    "show",
    "suggest",
    "search",
    "causes",
    "symptoms",
    "sources",
    "red-flags",
    "check",
    "paths",
    "validate",
]


def rows(stdout: str) -> list[list[str]]:
    """The tab-separated lines of plain output (the disclaimer and legend have no tabs)."""
    return [line.split("\t") for line in stdout.splitlines() if "\t" in line]


def piped_clean(result: Run) -> None:
    """Piped stdout is data alone; the disclaimer goes to stderr, last, in full."""
    assert DISCLAIMER_WORDS not in result.stdout
    assert not result.stdout.endswith("\n\n")
    assert ends_with_disclaimer(result.stderr)


def ends_with_disclaimer(text: str) -> bool:
    """Whether the last paragraph of ``text`` is the disclaimer (Rich may wrap it)."""
    last = " ".join(ANSI.sub("", text).rstrip().split("\n\n")[-1].split())
    return ("not a substitute for" in last or "not medical advice" in last) and last.endswith(
        "112 (EU)."
    )


# --- happy paths, piped ----------------------------------------------------------------


@pytest.mark.parametrize(("args", "code"), HAPPY, ids=[" ".join(a) for a, _ in HAPPY])
def test_every_command_works_piped_in_plain_text(run: RunFn, args: tuple[str, ...], code: int):
    result = run(*args)
    assert result.code == code, result.stderr
    assert result.stdout.strip()
    assert not ANSI.search(result.stdout)
    assert not BOX.search(result.stdout)
    piped_clean(result)
    assert "Traceback" not in result.stdout + result.stderr


def test_list_pipes_one_tab_separated_line_per_remedy_slug_first(run: RunFn) -> None:
    result = run("list")
    lines = rows(result.stdout)
    slugs = [fields[0] for fields in lines]
    assert len(slugs) == 20
    assert {"ice-packs", "posture", "traction-devices", "hot-bath"} <= set(slugs)
    assert len(slugs) == len(set(slugs))
    # slug, name, category, rating, summary
    ice = next(fields for fields in lines if fields[0] == "ice-packs")
    assert ice[1] == "Ice packs"
    assert ice[2] == "at-home"
    assert ice[3] == "UNASSESSED"
    assert ice[4].startswith("Cold")
    # A legend explains the rating words, to the person (stderr): stdout is only the
    # remedies, a blank line and the disclaimer, so `cut -f1` gives slugs and nothing else.
    assert "SUPPORTED = " in result.stderr
    assert "AGAINST = " in result.stderr
    assert "Ratings" not in result.stdout
    assert all("\t" in line for line in result.stdout.splitlines())
    assert result.stdout.endswith("\n")
    assert not result.stdout.endswith("\n\n")


def test_list_category_filter(run: RunFn) -> None:
    lines = rows(run("list", "--category", "device").stdout)
    assert lines
    assert {fields[2] for fields in lines} == {"device"}
    assert "traction-devices" in {fields[0] for fields in lines}


def test_list_category_is_case_insensitive(run: RunFn) -> None:
    assert rows(run("list", "-c", "DEVICE").stdout) == rows(run("list", "-c", "device").stdout)


def test_list_rating_filter(run: RunFn) -> None:
    lines = rows(run("list", "--rating", "against").stdout)
    assert {fields[3] for fields in lines} == {"AGAINST"}
    assert {"traction-devices", "back-braces"} <= {fields[0] for fields in lines}


def test_show_lays_out_the_remedy_in_sections(run: RunFn) -> None:
    out = run("show", "Ice Packs").stdout
    assert out.startswith("Ice packs (ice-packs)")
    for heading in (
        "HOW TO",
        "CAUTIONS",
        "WHAT THE GUIDELINES SAY",
        "SEE A DOCTOR INSTEAD IF",
        "SOURCES",
    ):
        assert f"\n{heading}\n" in out
    assert "1. Wrap an ice pack" in out
    assert "[nice-ng59] Not addressed" in out
    assert "NICE guideline NG59" in out  # the cited source, in full


def test_show_forgives_case_and_underscores(run: RunFn) -> None:
    assert run("show", "ICE_PACKS").stdout == run("show", "ice-packs").stdout


def test_suggest_says_why_each_remedy_matched_best_first(run: RunFn) -> None:
    result = run("suggest", "--cause", "posture", "--symptom", "stiffness")
    lines = rows(result.stdout)
    assert lines
    whys = [fields[3] for fields in lines]
    assert whys[0] == "cause: posture; symptom: stiffness"
    # More matches rank higher: no one-match line before a two-match line.
    scores = [why.count(";") + 1 for why in whys]
    assert scores == sorted(scores, reverse=True)
    assert "Ratings: " in result.stderr
    assert "Ratings: " not in result.stdout


def test_suggest_repeats_options(run: RunFn) -> None:
    lines = rows(run("suggest", "--cause", "posture", "--cause", "stress").stdout)
    whys = " ".join(fields[3] for fields in lines)
    assert "cause: posture" in whys
    assert "cause: stress" in whys


def test_search_ranks_and_forgives_typos(run: RunFn) -> None:
    assert rows(run("search", "ice").stdout)[0][0] == "ice-packs"
    assert "mattress" in [fields[0] for fields in rows(run("search", "matress").stdout)]


def test_causes_and_symptoms_list_slugs_with_remedy_counts(run: RunFn) -> None:
    causes = rows(run("causes").stdout)
    posture = next(fields for fields in causes if fields[0] == "posture")
    assert posture[2].endswith("remedies")
    assert int(posture[2].split()[0]) >= 1
    symptoms = {fields[0] for fields in rows(run("symptoms").stdout)}
    assert {"stiffness", "sudden-spasm"} <= symptoms


def test_sources_lists_the_guidelines(run: RunFn) -> None:
    ids = {fields[0] for fields in rows(run("sources").stdout)}
    assert {"article", "nice-ng59", "acp-2017", "nhs-back-pain"} <= ids


def test_red_flags_pipe_one_sign_a_line_emergency_first_with_words(run: RunFn) -> None:
    lines = rows(run("red-flags").stdout)
    assert len(lines) == len(run("red-flags").stdout.splitlines())  # nothing but records
    levels = [fields[1] for fields in lines]
    assert levels == sorted(levels, key=["EMERGENCY", "URGENT", "SEE A DOCTOR SOON"].index)
    saddle = next(fields for fields in lines if fields[0] == "saddle-numbness")
    assert saddle[1] == "EMERGENCY"
    assert "999" in saddle[4]  # each record carries its action
    assert next(fields for fields in lines if fields[0] == "fever")[1] == "URGENT"


def test_check_none_says_self_care_is_reasonable(run: RunFn) -> None:
    result = run("check", "--none")
    assert result.code == 0
    assert "RESULT: NONE" in result.stdout
    assert "backcare suggest" in result.stdout


def test_paths_lists_the_layers(run: RunFn, isolated: Path) -> None:
    lines = rows(run("paths").stdout)
    assert [fields[1] for fields in lines] == ["built-in", "user"]
    assert lines[0][3] == "exists"
    assert lines[1][2].startswith(str(isolated))  # the isolated data folder, not the real one


def test_validate_reports_no_problems_in_builtin_content(run: RunFn) -> None:
    result = run("validate")
    assert result.code == 0
    assert "No problems found" in result.stdout


def test_version(run: RunFn) -> None:
    for option in ("--version", "-V"):
        result = run(option)
        assert result.code == 0
        assert result.stdout == f"backcare {__version__}\n"  # the version line alone
        assert ends_with_disclaimer(result.stderr)


# --- help --------------------------------------------------------------------------------


def test_app_help_lists_every_command_and_an_example(run: RunFn) -> None:
    result = run("--help")
    assert result.code == 0
    for command in COMMANDS:
        assert f"\n  {command} " in result.stdout
    assert "Examples:\n    backcare list\n" in result.stdout
    assert ends_with_disclaimer(result.stderr)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_an_example(run: RunFn, command: str) -> None:
    result = run(command, "--help")
    assert result.code == 0
    assert f"Usage: backcare {command}" in result.stdout
    assert f"backcare {command}" in result.stdout.split("Example", 1)[1]
    assert ends_with_disclaimer(result.stderr)


def test_no_arguments_shows_help_as_a_usage_error(run: RunFn) -> None:
    result = run()
    assert result.code == 2
    assert "Usage: backcare" in result.stdout
    assert DISCLAIMER_WORDS in result.stderr


# --- colour and layout ---------------------------------------------------------------------


@pytest.mark.parametrize("args", [("list",), ("show", "ice-packs"), ("check", "--yes", "fever")])
def test_color_always_gives_rich_layout_and_colour(run: RunFn, args: tuple[str, ...]) -> None:
    result = run("--color", "always", *args)
    assert result.code in (0, 11)
    assert ANSI.search(result.stdout)
    assert BOX.search(result.stdout)
    assert "\t" not in result.stdout
    assert ends_with_disclaimer(result.stdout)
    paragraphs = re.split(r"\n\s*\n", ANSI.sub("", result.stdout).rstrip())
    assert len(paragraphs[-1].splitlines()) <= 2  # the disclaimer, short at a terminal


def test_rich_red_flags_label_levels_in_words(run: RunFn) -> None:
    out = ANSI.sub("", run("--color", "always", "red-flags").stdout)
    assert out.index("EMERGENCY") < out.index("URGENT") < out.index("SEE A DOCTOR SOON")


def test_rich_list_keeps_slugs_and_categories_whole(run: RunFn) -> None:
    out = ANSI.sub("", run("--color", "always", "list").stdout)
    for word in ("acupressure-acupuncture", "traction-devices", "professional", "medication"):
        assert word in out
    assert "…" not in out


def test_color_never_is_plain(run: RunFn) -> None:
    result = run("--color", "never", "list")
    assert not ANSI.search(result.stdout)
    assert rows(result.stdout)


def test_no_color_with_auto_gives_no_escapes(run: RunFn) -> None:
    result = run("--color", "auto", "show", "ice-packs", env={"NO_COLOR": "1"})
    assert not ANSI.search(result.stdout)


def test_force_color_gives_colour_in_a_pipe(run: RunFn) -> None:
    result = run("list", env={"FORCE_COLOR": "1"})
    assert ANSI.search(result.stdout)
    result = run("list", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not ANSI.search(result.stdout)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdout is a terminal."""
    monkeypatch.setattr(Environment, "stdout_isatty", property(lambda self: True))


@pytest.mark.usefixtures("terminal")
def test_a_terminal_gets_tables_and_colour(run: RunFn) -> None:
    result = run("list", env={"COLUMNS": "120"})
    assert ANSI.search(result.stdout)
    assert BOX.search(result.stdout)
    assert "\t" not in result.stdout


@pytest.mark.usefixtures("terminal")
@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_a_terminal_without_colour_keeps_tables(run: RunFn, env: dict[str, str]) -> None:
    result = run("list", env={**env, "COLUMNS": "120"})
    assert not ANSI.search(result.stdout)
    assert BOX.search(result.stdout)
    assert "(ice-packs)" in result.stdout  # the slug set apart without colour


@pytest.mark.usefixtures("terminal")
@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_a_narrow_terminal_without_colour_stacks_with_slugs_in_parentheses(
    run: RunFn, env: dict[str, str]
) -> None:
    result = run("list", env={**env, "COLUMNS": "60"})
    assert not ANSI.search(result.stdout)
    assert "\t" not in result.stdout
    assert "Ice packs (ice-packs)" in result.stdout


# --- the disclaimer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json"),
        ("show", "ice-packs", "--json"),
        ("check", "--none", "--json"),
        ("show", "nonsense"),
        ("suggest",),
        ("list", "--category", "bogus"),
        ("bogus-command",),
    ],
)
def test_disclaimer_goes_to_stderr_with_json_and_on_errors(
    run: RunFn, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert DISCLAIMER_WORDS in result.stderr
    assert result.stderr.rstrip().endswith(result.stderr.rstrip().splitlines()[-1])
    assert DISCLAIMER_WORDS in result.stderr.rstrip().splitlines()[-1]
    if "--json" in args:
        json.loads(result.stdout)  # nothing but JSON on stdout
    else:
        assert DISCLAIMER_WORDS not in result.stdout


# --- JSON ----------------------------------------------------------------------------------


def as_json(run: RunFn, *args: str, code: int = 0) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.code == code, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    assert DISCLAIMER_WORDS in document["disclaimer"]
    return document


def test_list_json(run: RunFn) -> None:
    remedies = as_json(run, "list")["remedies"]
    assert isinstance(remedies, list)
    assert len(remedies) == 20
    ice = next(r for r in remedies if r["slug"] == "ice-packs")
    assert {"slug", "name", "category", "rating", "summary"} <= set(ice)
    assert ice["rating"] == "unassessed"


def test_search_json(run: RunFn) -> None:
    remedies = as_json(run, "search", "ice")["remedies"]
    assert isinstance(remedies, list)
    assert remedies[0]["slug"] == "ice-packs"


def test_suggest_json(run: RunFn) -> None:
    document = as_json(run, "suggest", "--cause", "posture", "--symptom", "stiffness")
    remedies = document["remedies"]
    assert isinstance(remedies, list)
    assert remedies
    assert remedies[0]["matched"] == {"causes": ["posture"], "symptoms": ["stiffness"]}
    assert all("matched" in r and "rating" in r for r in remedies)
    assert document["red_flags"] == []


def test_suggest_json_carries_the_red_flags_given(run: RunFn) -> None:
    document = as_json(run, "suggest", "--cause", "posture", "--symptom", "fever", code=11)
    assert document["red_flags"] == ["fever"]
    assert document["remedies"]


def test_show_json(run: RunFn) -> None:
    remedy = as_json(run, "show", "ice-packs")["remedy"]
    assert isinstance(remedy, dict)
    assert remedy["slug"] == "ice-packs"
    assert remedy["steps"]
    assert remedy["cautions"]
    assert remedy["evidence"]
    assert {e["source"] for e in remedy["evidence"]} >= {"nice-ng59", "acp-2017"}


@pytest.mark.parametrize("kind", ["causes", "symptoms"])
def test_vocabulary_json(run: RunFn, kind: str) -> None:
    terms = as_json(run, kind)[kind]
    assert isinstance(terms, list)
    assert terms
    assert all({"slug", "name", "description", "remedies"} <= set(t) for t in terms)
    assert all(t["remedies"] >= 1 for t in terms)


def test_red_flags_json(run: RunFn) -> None:
    flags = as_json(run, "red-flags")["red_flags"]
    assert isinstance(flags, list)
    assert flags
    for flag in flags:
        assert {"id", "level", "question", "action"} <= set(flag)
        assert flag["level"] in ("emergency", "urgent", "soon")
    levels = [f["level"] for f in flags]
    assert levels[0] == "emergency"
    assert {"emergency", "urgent", "soon"} == set(levels)


@pytest.mark.parametrize(
    ("yes", "level", "code"),
    [
        ((), "none", 0),
        (("no-better-after-weeks",), "soon", 10),
        (("fever", "no-better-after-weeks"), "urgent", 11),
        (("saddle-numbness", "fever"), "emergency", 12),
    ],
)
def test_check_json(run: RunFn, yes: tuple[str, ...], level: str, code: int) -> None:
    args = [a for flag in yes for a in ("--yes", flag)] or ["--none"]
    document = as_json(run, "check", *args, code=code)
    assert document["result"] == level
    assert sorted(document["flags"]) == sorted(yes)


def test_sources_json(run: RunFn) -> None:
    sources = as_json(run, "sources")["sources"]
    assert isinstance(sources, list)
    assert {"nice-ng59", "acp-2017"} <= {s["id"] for s in sources}


def test_paths_and_validate_json(run: RunFn) -> None:
    assert as_json(run, "paths")["layers"]
    assert as_json(run, "validate")["findings"] == []


# --- errors: message and exit code -------------------------------------------------------


ERRORS = [
    (("show", "icepak"), 1, "no remedy called 'icepak'", "did you mean ice-packs"),
    (("show", "zzzzzzzz"), 1, "no remedy called", "backcare list"),
    (("suggest",), 2, "--cause or --symptom", "backcare causes"),
    (("suggest", "--cause", "postur"), 2, "did you mean 'posture'", "valid values: arthritis"),
    (("suggest", "--symptom", "stifness"), 2, "did you mean 'stiffness'", "valid values:"),
    (("search", "xylophone"), 1, "nothing matches 'xylophone'", "backcare list"),
    (("search", "the", "and"), 2, "holds only common words", ""),
    (("search", "x" * 201), 2, "too long", ""),
    (("list", "--rating", "against", "--category", "lifestyle"), 1, "no remedy fits", ""),
    (("list", "--category", "bogus"), 2, "'bogus' is not one of", "backcare list --help"),
    (("bogus-command",), 2, "No such command", "backcare --help"),
    (("show",), 2, "Missing argument", "backcare show --help"),
    (("check", "--yes", "fevr"), 2, "did you mean 'fever'", "red-flags"),
    (("check", "--yes", "fever", "--none"), 2, "contradict", ""),
    (("check",), 2, "stdin is not a terminal", "--yes ID"),
    (
        ("--content", "does-not-exist", "list"),
        2,
        "folder 'does-not-exist' does not exist",
        "check the path",
    ),
    (
        ("list", "--content", "does-not-exist"),
        2,
        "folder 'does-not-exist' does not exist",
        "check the path",
    ),
]


@pytest.mark.parametrize(
    ("args", "code", "message", "hint"),
    ERRORS + CONVENTION_ERRORS,
    ids=[" ".join(e[0])[:40] for e in ERRORS + CONVENTION_ERRORS],
)
def test_errors_give_a_message_and_exit_code(
    run: RunFn, args: tuple[str, ...], code: int, message: str, hint: str
) -> None:
    result = run(*args)
    assert result.code == code
    assert result.stderr.startswith("backcare: error: ")
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert DISCLAIMER_WORDS in result.stderr
    assert result.stdout == ""  # an error is no data


def test_suggest_with_nothing_matched_exits_1(run: RunFn, tmp_path: Path) -> None:
    layer = write_layer(
        tmp_path / "layer",
        {
            "symptoms.yaml": (
                "symptoms:\n"
                "  - slug: itchy-back\n"
                "    name: Itchy back\n"
                "    description: An itch no remedy here addresses.\n"
            )
        },
    )
    result = run("--content", str(layer), "suggest", "--symptom", "itchy-back")
    assert result.code == 1, result.stderr
    assert "no remedy addresses itchy back" in result.stderr
    assert "try another --cause or --symptom" in result.stderr


def test_broken_content_is_one_line_naming_file_line_and_column(run: RunFn, tmp_path: Path) -> None:
    layer = write_layer(tmp_path / "broken", {"bad.yaml": "remedies:\n  - slug: [unclosed\n"})
    result = run("--content", str(layer), "list")
    assert result.code == 3
    error_lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(error_lines) == 1
    assert (
        f"{layer / 'bad.yaml'}:3:" in error_lines[0]
        or f"{layer / 'bad.yaml'}:2:" in (error_lines[0])
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_broken_content_in_the_environment_is_a_content_error(
    run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layer = write_layer(tmp_path / "broken", {"bad.yaml": "remedies: [\n"})
    monkeypatch.setenv("BACKCARE_CONTENT", str(layer))
    result = run("show", "ice-packs")
    assert result.code == 3
    assert "bad.yaml:" in result.stderr


def test_validate_reports_each_problem_and_exits_3(run: RunFn, tmp_path: Path) -> None:
    text = BUILTIN_ICE_PACKS.read_text(encoding="utf-8").replace(
        "causes: [injury, overexertion, pulled-muscle]", "causes: [injury, overexertin]"
    )
    assert "overexertin]" in text
    layer = write_layer(tmp_path / "layer", {"ice.yaml": text})
    result = run("validate", str(layer))
    assert result.code == 3
    assert f"{layer / 'ice.yaml'}:" in result.stdout
    assert "unknown cause 'overexertin'" in result.stdout
    assert "did you mean 'overexertion'" in result.stdout


# --- content is data, not markup ------------------------------------------------------------


@pytest.fixture
def bracket_layer(tmp_path: Path) -> Path:
    text = BUILTIN_ICE_PACKS.read_text(encoding="utf-8")
    old = "summary: Cold, wrapped in a cloth, for short spells on a freshly strained back."
    assert old in text
    text = text.replace(old, 'summary: "Cold [bold]x[/bold] packs [red]now"')
    return write_layer(tmp_path / "brackets", {"ice-packs.yaml": text})


@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize("command", [("list",), ("show", "ice-packs"), ("search", "cold")])
def test_square_brackets_in_content_are_shown_literally(
    run: RunFn, bracket_layer: Path, color: str, command: tuple[str, ...]
) -> None:
    result = run("--color", color, "--content", str(bracket_layer), *command)
    assert result.code == 0, result.stderr
    out = ANSI.sub("", result.stdout)
    assert "[bold]x[/bold]" in out
    assert "[red]now" in out


def test_later_layers_replace_builtin_entries(run: RunFn, bracket_layer: Path) -> None:
    result = run("--content", str(bracket_layer), "show", "ice-packs", "--json")
    assert json.loads(result.stdout)["remedy"]["summary"] == "Cold [bold]x[/bold] packs [red]now"


def test_an_edited_layer_is_read_again_on_the_next_run(run: RunFn, bracket_layer: Path) -> None:
    first = run("--content", str(bracket_layer), "show", "ice-packs", "--json")
    assert json.loads(first.stdout)["remedy"]["summary"].startswith("Cold [bold]")
    path = bracket_layer / "ice-packs.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Cold [bold]x", "Warm [bold]y"), encoding="utf-8"
    )
    second = run("--content", str(bracket_layer), "show", "ice-packs", "--json")
    assert json.loads(second.stdout)["remedy"]["summary"].startswith("Warm [bold]y")


def test_json_escapes_terminal_controls_that_json_leaves_raw(run: RunFn) -> None:
    result = run("search", "ice\u009b\u202e", "--json")
    assert "\u009b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert json.loads(result.stdout)["query"] == "ice\u009b\u202e"


def test_arguments_echoed_in_errors_are_made_safe_and_short(run: RunFn) -> None:
    result = run("show", "\u202eevil" + "x" * 500)
    assert result.code == 1
    line = result.stderr.splitlines()[0]
    assert "\u202e" not in line
    assert len(line) < 120
