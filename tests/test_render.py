"""The render layer: every view readable from 60 to 200 columns, and what each one says.

Rich views are printed to a Console of a fixed width without colour; plain
views are plain strings. Nothing here needs a terminal.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from typing import Any

import pytest
from rich.console import Console, RenderableType

from backcare import query
from backcare import render as render_package
from backcare.models import Catalog, Layer, Level, Rating, SourceKind, Stance
from backcare.output import ColorChoice, Environment, Output, forces_colour
from backcare.query.signs import search_screened
from backcare.render import plain, rich_view
from backcare.render.words import DISCLAIMER, embedded
from tests.conftest import ANSI, BOX, RunFn, builtin_catalog


def _catalog() -> Catalog:
    return builtin_catalog()


CATALOG = _catalog()
WIDTHS = [60, 72, 80, 89, 90, 100, 140, 200]
RATED = {r.remedy.slug: r for r in query.list_remedies(CATALOG)}


def render(renderable: RenderableType, width: int, *, colour: bool = False) -> str:
    """What a terminal of ``width`` columns would show, without colour unless asked."""
    file = io.StringIO()
    console = Console(
        file=file,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        no_color=not colour,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    console.print(renderable)
    return file.getvalue()


def flat(text: str) -> str:
    """Text as one run of words: box drawing, line breaks and indents folded away."""
    return " ".join(BOX.sub(" ", text).split())


def words(text: str) -> list[str]:
    return re.findall(r"[\w'/:.-]*\w", BOX.sub(" ", text))


def assert_fits(out: str, width: int) -> None:
    lines = out.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines), width
    assert "…" not in out, "text was cut short"


def assert_no_double_blank_lines(out: str) -> None:
    blank = [not line.strip() for line in out.splitlines()]
    assert not any(a and b for a, b in itertools.pairwise(blank)), out


def contains_all_words(out: str, text: str) -> bool:
    have = set(words(out))
    return all(w in have for w in words(text))


# --- finding 1: readable from 60 to 200 columns, nothing dropped or cut ---------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("slug", sorted(RATED))
def test_show_keeps_every_clinical_sentence_whole_at_any_width(slug: str, width: int) -> None:
    item = RATED[slug]
    r = item.remedy
    out = render(rich_view.remedy(CATALOG, item), width)
    assert_fits(out, width)
    text = flat(out)
    for sentence in (
        r.summary,
        r.description,
        *r.steps,
        *(c.text for c in r.cautions),
        *(e.note for e in r.evidence),
        *r.see_a_doctor,
    ):
        assert flat(sentence) in text, sentence
    for e in r.evidence:
        assert f"[{e.source}]" in text
        if e.topic:
            assert flat(e.topic) in text


@pytest.mark.parametrize("width", WIDTHS)
def test_list_keeps_names_slugs_and_summaries_whole(width: int) -> None:
    items = list(RATED.values())
    out = render(rich_view.remedy_list(items), width)
    assert_fits(out, width)
    assert_no_double_blank_lines(out)
    for item in items:
        r = item.remedy
        assert f"({r.slug})" in out  # set apart by parentheses, not by colour alone
        assert contains_all_words(out, r.summary)
        assert contains_all_words(out, r.name)
        if width < rich_view.WIDE:  # stacked: each summary reads as one paragraph
            assert flat(r.summary) in flat(out)
            assert f"{r.name} ({r.slug})" in out


def test_list_is_a_table_only_when_wide() -> None:
    items = list(RATED.values())
    assert not BOX.search(render(rich_view.remedy_list(items), 80))
    wide = render(rich_view.remedy_list(items), 120)
    assert BOX.search(wide)
    header = next(line for line in wide.splitlines() if "Summary" in line)
    # The summary column gets the room: the name column stops at about 30.
    assert header.index("Category") <= rich_view.NAME_WIDTH + 4
    assert 120 - header.index("Summary") >= 55


@pytest.mark.parametrize("width", WIDTHS)
def test_suggest_keeps_names_why_and_the_advised_against_line(width: int) -> None:
    result = query.suggest(CATALOG, ["injury"], [])
    out = render(rich_view.suggestion(CATALOG, result), width)
    assert_fits(out, width)
    assert_no_double_blank_lines(out)
    for m in result.matches:
        assert f"({m.remedy.slug})" in out
        assert contains_all_words(out, m.remedy.name)
        assert contains_all_words(out, m.remedy.summary)
        note = plain.against_note(m)
        if note:
            assert contains_all_words(out, note)
            if width < rich_view.WIDE:
                assert flat(note) in flat(out)
    assert contains_all_words(out, "cause: Injury from sport or an accident")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "view",
    ["search", "causes", "symptoms", "sources", "red-flags", "paths", "check"],
)
def test_every_other_view_fits_without_cutting_or_double_blank_lines(view: str, width: int) -> None:
    renderable: RenderableType
    texts: list[str]
    if view == "search":
        result = search_screened(CATALOG, "heat rest")
        assert result.touched  # the view with a sign to check, as well as remedies
        renderable = rich_view.search(CATALOG, "heat rest", result)
        texts = [h.remedy.summary for h in result.hits]
    elif view in ("causes", "symptoms"):
        counts = query.term_counts(CATALOG, view)
        renderable = rich_view.terms(view, counts)
        texts = [t.description for t, _ in counts]
    elif view == "sources":
        renderable = rich_view.sources(CATALOG.sources)
        texts = [s.note or "" for s in CATALOG.sources] + [s.title for s in CATALOG.sources]
    elif view == "red-flags":
        flags = query.red_flags_in_order(CATALOG)
        renderable = rich_view.red_flags(CATALOG, flags)
        texts = [f.question for f in flags]
    elif view == "paths":
        folder = "/a/folder/" + "deep/" * 20 + "content"
        renderable = rich_view.paths([Layer("built-in", folder, True), Layer("user", "/b", False)])
        texts = ["built-in exists", "user missing"]
        # A folder too long for its column is folded onto more lines, never cut.
        assert "".join(BOX.sub("", render(renderable, width)).split()).count("deep") >= 20
    else:
        triage = query.triage(CATALOG, ["saddle-numbness", "fever", "no-better-after-weeks"])
        renderable = rich_view.check(CATALOG, triage)
        texts = [f.name for f in triage.flags]
    out = render(renderable, width)
    assert_fits(out, width)
    assert_no_double_blank_lines(out)
    for text in texts:
        assert contains_all_words(out, text), text


# --- finding 2: guidelines apart from other evidence; honest headings -----------------------------


def test_show_puts_reviews_and_trials_under_other_evidence() -> None:
    kinds = {s.id: s.kind for s in CATALOG.sources}
    mixed = [
        r
        for r in CATALOG.remedies
        if any(kinds[e.source] is not SourceKind.GUIDELINE for e in r.evidence)
    ]
    assert mixed, "the content has a review or a trial to show"
    for r in mixed:
        item = RATED[r.slug]
        for out in (
            flat(render(rich_view.remedy(CATALOG, item), 100)),
            plain.remedy(CATALOG, item),
        ):
            lowered = out.lower()
            guidelines = lowered.index("what the guidelines say")
            other = lowered.index("other evidence")
            assert guidelines < other
            for e in r.evidence:
                at = out.index(f"[{e.source}] {plain.stance(e)}")
                if kinds[e.source] is SourceKind.GUIDELINE:
                    assert guidelines < at < other
                else:
                    assert at > other


def test_show_without_other_evidence_has_no_such_section() -> None:
    item = RATED["medications"]
    assert "Other evidence" not in render(rich_view.remedy(CATALOG, item), 100)
    assert "OTHER EVIDENCE" not in plain.remedy(CATALOG, item)


def _without_article(slug: str) -> tuple[Catalog, query.Rated]:
    r = CATALOG.remedy_by_slug[slug]
    mine = r._replace(
        sources=tuple(s for s in r.sources if s != "article"),
        cautions=tuple(c for c in r.cautions if c.source != "article"),
        evidence=tuple(e for e in r.evidence if e.source != "article"),
        origin="user",
    )
    remedies = tuple(mine if x.slug == slug else x for x in CATALOG.remedies)
    catalog = Catalog(
        remedies,
        CATALOG.causes,
        CATALOG.symptoms,
        CATALOG.sources,
        CATALOG.red_flags,
        CATALOG.levels,
        CATALOG.layers,
    )
    return catalog, query.Rated(mine, query.rate(mine, catalog))


def test_headings_credit_the_article_only_when_the_remedy_cites_it() -> None:
    item = RATED["ice-packs"]
    assert "article" in item.remedy.sources
    rich = render(rich_view.remedy(CATALOG, item), 100)
    assert "What the article says" in rich
    assert "The article suggests it for" in rich
    assert "Helps with" not in rich
    assert "THE ARTICLE SUGGESTS IT FOR" in plain.remedy(CATALOG, item)

    catalog, mine = _without_article("ice-packs")
    for out in (render(rich_view.remedy(catalog, mine), 100), plain.remedy(catalog, mine)):
        for heading in ("what the article says", "the article suggests it for"):
            assert heading not in out.lower()
        for heading in ("description\n", "suggested for\n"):
            assert heading in "\n".join(line.strip("│ ") for line in out.lower().splitlines())


def test_show_explains_a_mixed_rating_without_pointing_at_show() -> None:
    item = RATED["medications"]
    out = flat(render(rich_view.remedy(CATALOG, item), 100))
    assert "MIXED (guidelines disagree, or differ by topic)" in out
    assert "see 'show'" not in out
    assert "see 'show'" not in plain.remedy(CATALOG, item)


# --- finding 3: hanging indents, no double blank lines, one grid for red flags --------------------


@pytest.mark.parametrize("width", [60, 80])
def test_bullets_wrap_under_their_text_not_at_the_margin(width: int) -> None:
    out = render(rich_view.remedy(CATALOG, RATED["medications"]), width)
    body = [line.strip("│ ").rstrip() for line in out.splitlines()]
    assert not any(line.startswith("[nhs-back-pain]") for line in body)
    bullet_lines = [line for line in out.splitlines() if "• " in line]
    assert bullet_lines
    column = bullet_lines[0].index("• ") + 2
    lines = out.splitlines()
    for n, line in enumerate(lines[:-1]):
        following = lines[n + 1]
        if "• " in line and following.strip("│ ") and "• " not in following:
            # A continuation line is indented to the bullet's text, never further left.
            assert following[:column].strip("│ ") == "", following


def test_red_flag_questions_line_up_across_levels() -> None:
    flags = query.red_flags_in_order(CATALOG)
    out = render(rich_view.red_flags(CATALOG, flags), 100)
    starts = set()
    for f in flags:
        line = next(line for line in out.splitlines() if line.strip().startswith(f.id + " "))
        starts.add(line.index(f.question.split()[0], line.index(f.id) + len(f.id)))
    assert len(starts) == 1
    assert out.index("EMERGENCY") < out.index("URGENT") < out.index("SEE A DOCTOR SOON")


# --- finding 4: the result card groups signs by their own level -----------------------------------

EMERGENCY_HEADING = CATALOG.advice_by_level[Level.EMERGENCY].heading


@pytest.mark.parametrize("mode", ["rich", "plain"])
def test_check_card_labels_each_sign_with_its_own_level(mode: str) -> None:
    triage = query.triage(
        CATALOG, ["lump-or-shape-change", "saddle-numbness", "stops-daily-activities"]
    )
    if mode == "rich":
        out = render(rich_view.check(CATALOG, triage), 80)
    else:
        out = plain.check(CATALOG, triage)
    groin, fever, daily = (
        out.index("Numbness or tingling around the genitals"),
        out.index("A lump or swelling in the back"),
        out.index("Pain stopping daily life"),
    )
    emergency = out.index("EMERGENCY", out.index("You answered yes to"))
    urgent = out.index("URGENT")
    soon = out.index("SEE A DOCTOR SOON")
    assert emergency < groin < urgent < fever < soon < daily
    assert "Meanwhile" not in out
    # The emergency heading is said once, not again as each sign's action.
    assert flat(out).count(flat(EMERGENCY_HEADING)) == 1
    # The urgent sign's own action says more than its heading: it stays.
    assert "Do not treat a lump or swelling with ice" in flat(out)


@pytest.mark.parametrize("mode", ["rich", "plain"])
def test_check_card_keeps_meanwhile_below_an_emergency(mode: str) -> None:
    triage = query.triage(CATALOG, ["fever"])
    out = (
        render(rich_view.check(CATALOG, triage), 80)
        if mode == "rich"
        else plain.check(CATALOG, triage)
    )
    assert "Meanwhile" in out
    assert (
        out.index("You answered yes to")
        < out.index("URGENT", out.index("You answered"))
        < out.index("Meanwhile")
    )


@pytest.mark.parametrize("mode", ["rich", "plain"])
def test_suggest_cards_state_an_action_only_when_it_adds_to_the_heading(mode: str) -> None:
    result = query.suggest(
        CATALOG, [], ["saddle-numbness", "bladder-bowel-control", "lump-or-shape-change"]
    )
    if mode == "rich":
        out = render(rich_view.suggestion(CATALOG, result), 80)
    else:
        out = plain.suggestion(CATALOG, result)
    assert flat(out).count(flat(EMERGENCY_HEADING)) == 1
    assert "Meanwhile" not in out  # no self-care on an emergency path, not even on the urgent card
    assert "Do not treat a lump or swelling with ice" in flat(out)


def test_own_action_ignores_case_spacing_and_the_full_stop() -> None:
    flag = next(f for f in CATALOG.red_flags if f.id == "saddle-numbness")
    assert plain.own_action(CATALOG, flag) is None
    assert plain.own_action(CATALOG, flag._replace(action="Lie flat and call 999.")) == (
        "Lie flat and call 999."
    )


# --- finding 5: plain listings keep stdout for scripts --------------------------------------------


def test_plain_list_stdout_is_the_remedies_alone(run: RunFn) -> None:
    result = run("list")
    # `backcare list 2>/dev/null | cut -f1`: the slugs, no blank line, no disclaimer
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        r.slug for r in CATALOG.remedies
    ]
    assert result.stdout.endswith(".\n")
    assert "Ratings:" in result.stderr
    assert result.stderr.rstrip().endswith(DISCLAIMER)


@pytest.mark.parametrize(
    "args", [("suggest", "--cause", "posture"), ("show", "ice-packs"), ("search", "heat")]
)
def test_plain_output_sends_legend_and_reminder_to_stderr(
    run: RunFn, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert "Ratings:" not in result.stdout
    assert "backcare check" not in result.stdout
    assert "Emergency?" in result.stderr
    assert "backcare check" in result.stderr
    assert DISCLAIMER not in result.stdout


def test_plain_red_flags_label_levels_in_words(run: RunFn) -> None:
    out = run("red-flags").stdout
    assert out.index("\tEMERGENCY\t") < out.index("\tURGENT\t") < out.index("\tSEE A DOCTOR SOON\t")


# --- finding 6: the reminder reads as one sentence ------------------------------------------------


def test_reminder_lower_cases_the_embedded_heading() -> None:
    line = plain.reminder(CATALOG)
    assert "emergency signs: call 999" in line
    assert ": Call" not in line


@pytest.mark.parametrize(
    ("sentence", "tail"),
    [
        ("Call 999 now", "call 999 now"),
        ("A doctor today", "a doctor today"),
        ("NHS 111 today", "NHS 111 today"),
        ("I am", "I am"),
        ("", ""),
    ],
)
def test_embedded(sentence: str, tail: str) -> None:
    assert embedded(sentence) == tail


# --- finding 7: sources carry their notes ---------------------------------------------------------


def test_sources_show_each_note_and_no_year_when_there_is_none() -> None:
    rich = flat(render(rich_view.sources(CATALOG.sources), 80))
    lines = plain.sources(CATALOG.sources).splitlines()
    for s in CATALOG.sources:
        if s.note:
            assert flat(s.note) in rich
        row = next(line.split("\t") for line in lines if line.startswith(f"{s.id}\t"))
        assert row[2] == (str(s.year) if s.year else "")
        assert row[6] == flat(s.note or "")
    article = next(s for s in CATALOG.sources if s.id == "article")
    assert article.year is None
    assert re.search(r"\[article\] article(?! ?,)", rich)  # "article", not "article, None"


def test_show_cites_sources_with_their_notes() -> None:
    item = RATED["medications"]
    rich = flat(render(rich_view.remedy(CATALOG, item), 80))
    text = plain.remedy(CATALOG, item)
    for s in query.cited_sources(CATALOG, item.remedy):
        if s.note:
            assert flat(s.note) in rich
            assert flat(s.note) in text


# --- finding 8: the disclaimer on a terminal's stderr is wrapped ----------------------------------


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("columns", "width"), [("60", 60), ("200", 100), ("", 80)])
def test_disclaimer_on_a_terminal_stderr_is_word_wrapped(columns: str, width: int) -> None:
    stderr = Tty()
    env = Environment(io.StringIO(), stderr, io.StringIO(), {"COLUMNS": columns} if columns else {})
    out = Output(env)
    out.failed = True
    render_package.disclaimer(out)
    lines = stderr.getvalue().strip().splitlines()
    assert len(lines) > 1
    assert all(len(line) <= width for line in lines)
    assert " ".join(lines) == DISCLAIMER


def test_disclaimer_to_a_file_is_one_line() -> None:
    stderr = io.StringIO()
    out = Output(Environment(io.StringIO(), stderr, io.StringIO(), {"COLUMNS": "60"}))
    out.failed = True
    render_package.disclaimer(out)
    assert stderr.getvalue() == f"{DISCLAIMER}\n"


# --- finding 9: FORCE_COLOR=0 does not force colour -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "forced"),
    [
        ("1", True),
        ("true", True),
        ("3", True),
        ("0", False),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("", False),
        (None, False),
    ],
)
def test_force_color_values(value: str | None, forced: bool) -> None:
    assert forces_colour(value) is forced
    environ = {} if value is None else {"FORCE_COLOR": value}
    out = Output(Environment(io.StringIO(), io.StringIO(), io.StringIO(), environ))
    assert out.color is forced
    assert out.rich is forced


@pytest.mark.parametrize("value", ["0", "false", "no"])
def test_force_color_off_in_a_pipe_stays_plain(run: RunFn, value: str) -> None:
    result = run("list", env={"FORCE_COLOR": value})
    assert not ANSI.search(result.stdout)
    assert "\t" in result.stdout


def test_columns_sets_the_width_of_rich_output(run: RunFn) -> None:
    out = run("--color", "always", "list", env={"COLUMNS": "60"}).stdout
    assert max(len(line) for line in ANSI.sub("", out).splitlines()) <= 60


# --- finding 10: errors as JSON -------------------------------------------------------------------


def _output() -> tuple[Output, io.StringIO, io.StringIO]:
    stdout, stderr = io.StringIO(), io.StringIO()
    return Output(Environment(stdout, stderr, io.StringIO(), {})), stdout, stderr


def test_json_requested_is_off_until_a_command_sets_it() -> None:
    out, _, _ = _output()
    assert out.json_requested is False
    assert out.json is False


def test_json_error_writes_one_document_with_the_code_message_and_hint() -> None:
    out, stdout, stderr = _output()
    out.json_requested = True
    render_package.failure(out, 1, "no remedy called 'x\x1b[31m\x85'", "did you mean ice-packs?")
    render_package.disclaimer(out)
    raw = stdout.getvalue()
    document: dict[str, Any] = json.loads(raw)
    assert document["error"] == {
        "code": 1,
        "message": "no remedy called 'x\x1b[31m\x85'",
        "hint": "did you mean ice-packs?",
    }
    assert document["disclaimer"] == DISCLAIMER
    # Escaped, as data.dumps does.
    assert "\x1b" not in raw
    assert "\x85" not in raw
    assert "\\u001b" in raw
    assert "\\u0085" in raw
    assert "backcare: error: no remedy called" in stderr.getvalue()
    assert DISCLAIMER in stderr.getvalue()  # the disclaimer's place after JSON
    assert out.failed
    assert out.json


def test_json_error_without_a_hint_and_after_a_document_adds_nothing() -> None:
    out, stdout, _ = _output()
    out.json_requested = True
    render_package.failure(out, 2, "bad value")
    assert json.loads(stdout.getvalue())["error"] == {
        "code": 2,
        "message": "bad value",
        "hint": None,
    }
    out2, stdout2, _ = _output()
    out2.json_requested = True
    out2.write_json("{}")
    render_package.failure(out2, 3, "later")
    assert stdout2.getvalue() == "{}\n"  # still exactly one document


# --- the same content in every mode ---------------------------------------------------------------


def test_every_not_recommended_entry_is_shown_in_show_at_sixty_columns() -> None:
    for r in CATALOG.remedies:
        out = flat(render(rich_view.remedy(CATALOG, RATED[r.slug]), 60))
        for e in r.evidence:
            if e.stance is Stance.NOT_RECOMMENDED:
                assert f"[{e.source}] Not recommended" in out
                assert flat(e.note) in out


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_a_closed_stdout_reaches_the_cli_as_a_broken_pipe_not_an_exit() -> None:
    # Rich's own handling would exit with status 1, hiding an emergency's exit code.
    out = Output(Environment(ClosedPipe(), io.StringIO(), io.StringIO(), {}), ColorChoice.ALWAYS)
    with pytest.raises(BrokenPipeError):
        out.console().print("x")


def test_a_name_too_long_for_the_panel_title_moves_inside_whole() -> None:
    r = CATALOG.remedy_by_slug["ice-packs"]
    long = r._replace(name="Ice packs wrapped in a thin towel, for ten minutes at a time, often")
    out = render(rich_view.remedy(CATALOG, query.Rated(long, Rating.UNASSESSED)), 60)
    assert_fits(out, 60)
    assert f"{flat(long.name)} (ice-packs)" in flat(out)
    assert "layer: built-in" in out


# --- hanging indents without rich.table: laid out exactly as the grid they stand for ----------


LONG = "A sentence long enough to wrap at every width tried here, with a word " + "x" * 45


@pytest.mark.parametrize("width", [20, 33, 60, 80, 200])
@pytest.mark.parametrize(
    "hanging",
    [
        rich_view.bullets([rich_view.t(LONG), rich_view.t("short", "bold")]),
        rich_view.hanging([("1. ", rich_view.t(LONG)), ("10. ", rich_view.t("Ten"))], "bold"),
        rich_view.Hanging([(rich_view.t("STRONG", "green"), rich_view.t(LONG))], gap=2),
        rich_view.Hanging(
            [(rich_view.t("id", "cyan"), rich_view.t(LONG))], "cyan", gap=2, min_width=9
        ),
        # a marker wider than the terminal: shared out as the grid does it
        rich_view.hanging([(rich_view.t("m" * 40), rich_view.t(LONG))]),
        rich_view.bullets([]),
    ],
    ids=["bullets", "numbers", "gap", "min-width", "wide-marker", "empty"],
)
def test_hanging_rows_look_exactly_like_the_grid_they_replace(
    hanging: rich_view.Hanging, width: int
) -> None:
    grid = hanging.as_table()
    assert render(hanging, width, colour=True) == render(grid, width, colour=True)
    assert render(hanging, width) == render(grid, width)
    inside, grid_inside = rich_view.indented(hanging, 2), rich_view.indented(grid, 2)
    assert render(inside, width, colour=True) == render(grid_inside, width, colour=True)
