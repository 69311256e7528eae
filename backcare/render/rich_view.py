"""Rich renderables for a person at a terminal.

Content is always wrapped in ``Text`` objects, never parsed as markup, so
square brackets in content are shown as they are. Every badge is a word;
colour only repeats it.

Every view reads from 60 to 200 columns and never drops or shortens text:
listings are tables only when there is room for their text columns
(``WIDE`` columns and more) and stacked entries below that; long text wraps
with a hanging indent; every text column folds a word too long for it rather
than cutting it off. A slug is set apart from a name by parentheses, never
by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from backcare.escape import printable, shown
from backcare.models import Catalog, Evidence, Layer, Level, Rating, RedFlag, Source, Stance, Term
from backcare.query import (
    Match,
    Rated,
    Suggestion,
    Triage,
    cited_sources,
    evidence_groups,
)
from backcare.render import plain
from backcare.render.words import (
    AFTER_CARD_TITLE,
    CHECK_INCOMPLETE,
    GUIDELINES_HEADING,
    INCOMPLETE_HEADING,
    INCOMPLETE_NONE,
    LEVEL_LABELS,
    LEVEL_STYLES,
    NO_FLAGS_HEADING,
    NO_FLAGS_NEXT,
    NO_SELF_CARE,
    NOT_ASKED_EMERGENCY,
    NOT_FOR_YOU_HEADING,
    OTHER_EVIDENCE_HEADING,
    RATING_BADGES,
    RATING_MEANINGS,
    RATING_STYLES,
    STANCE_WORDS,
    SUGGEST_TITLE,
    TERM_TITLES,
    TO_CHECK_INTRO,
    TO_CHECK_TITLE,
    UNSURE_HEADING,
    WATCH_FOR,
    layer_state,
    qualifiers,
    rating_legend,
)

if TYPE_CHECKING:
    from rich.panel import Panel
    from rich.table import Table

    from backcare.findings import Finding
    from backcare.query.signs import ScreenedSearch

# Below this width, listings are stacked entries instead of tables.
WIDE = 90
# The widest a name column grows in a table; longer names wrap inside it.
NAME_WIDTH = 30
# How far wrapped text under an entry's first line is indented.
INDENT = 4

_STANCE_STYLES = {
    Stance.RECOMMENDED: "green",
    Stance.CONSIDER: "cyan",
    Stance.ONLY_WITH_EXERCISE: "cyan",
    Stance.NOT_RECOMMENDED: "bold red",
    Stance.INSUFFICIENT_EVIDENCE: "yellow",
    Stance.NOT_ADDRESSED: "dim",
}
_LEVEL_BORDERS = {Level.EMERGENCY: "red", Level.URGENT: "yellow", Level.SOON: "cyan"}


# --- building blocks --------------------------------------------------------------


def t(text: str, style: str = "") -> Text:
    """Content as literal text: no markup, no control characters."""
    return Text(printable(text), style=style)


def badge(rating: Rating) -> Text:
    """A rating as a coloured word."""
    return Text(RATING_BADGES[rating], style=RATING_STYLES[rating])


def level_label(level: Level) -> Text:
    """A warning level as a word on a coloured ground."""
    return Text(f" {LEVEL_LABELS[level]} ", style=LEVEL_STYLES[level])


def named(name: str, slug: str) -> Text:
    """A name and its slug in parentheses: ``Ice packs (ice-packs)``."""
    text = t(name, "bold")
    text.append(" ")
    text.append(printable(f"({slug})"), style="cyan")
    return text


class ByWidth:
    """A renderable laid out for the width it is given, at the moment it is printed."""

    def __init__(self, build: Callable[[int], RenderableType]) -> None:
        self.build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        built = self.build(options.max_width)
        if isinstance(built, Group):
            # What a group draws, its parts in turn, one layer fewer for every segment.
            yield from built.renderables
        else:
            yield built

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


def indented(renderable: RenderableType, by: int = INDENT) -> RenderableType:
    """A block indented from the left: every wrapped line keeps the indent."""
    return Padding(renderable, (0, 0, 0, by))


class Hanging:
    """Rows of a marker (a bullet, a number, a label) and text that wraps under itself.

    Laid out exactly as a two-column ``Table.grid(expand=True)`` would lay it out
    (the marker column as wide as its widest marker, the text column the rest),
    without what a table costs a terminal's first run: importing ``rich.table``
    (which brings ``fractions`` and ``decimal``) and measuring every text cell
    before drawing it. ``gap`` spaces follow the marker column; ``min_width``
    is that column's narrowest width, gap excluded.
    """

    def __init__(
        self,
        rows: Iterable[tuple[str | Text, RenderableType]],
        marker_style: str = "",
        *,
        gap: int = 0,
        min_width: int | None = None,
    ) -> None:
        self.rows = list(rows)
        self.marker_style = marker_style
        self.gap = gap
        self.min_width = min_width

    def as_table(self) -> Table:
        """The same rows as the grid they stand for."""
        from rich.table import Table

        grid = Table.grid(expand=True, padding=(0, self.gap, 0, 0))
        grid.add_column(no_wrap=True, style=self.marker_style, min_width=self.min_width)
        grid.add_column(ratio=1, overflow="fold")
        for marker, text in self.rows:
            grid.add_row(marker, text)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if not self.rows or width < 1:
            return
        gap = self.gap
        marker_width = gap + max(Measurement.get(console, options, m).maximum for m, _ in self.rows)
        if self.min_width is not None:
            marker_width = max(marker_width, self.min_width + gap)
        marker_width = min(marker_width, width) or 1
        if marker_width >= width or marker_width <= gap:  # too narrow: as the grid shares it out
            yield self.as_table()
            return
        text_width = width - marker_width
        marker_style = console.get_style(self.marker_style)
        # The options a grid gives its cells (a column's defaults: left, not highlighted).
        marker_options = options.update(
            width=marker_width - gap,
            justify="left",
            no_wrap=True,
            overflow="ellipsis",
            height=None,
            highlight=False,
        )
        text_options = marker_options.update(width=text_width, no_wrap=False, overflow="fold")
        spaces = [Segment(" " * gap, marker_style)] if gap else []
        new_line = Segment.line()
        # A bullet or label written as a string is drawn once for all its rows.
        drawn: dict[str, list[list[Segment]]] = {}
        for marker, text in self.rows:
            if isinstance(marker, str) and marker in drawn:
                left = drawn[marker]
            else:
                left = console.render_lines(marker, marker_options, style=marker_style)
                left = [line + spaces for line in left] if spaces else left
                if isinstance(marker, str):
                    drawn[marker] = left
            right = console.render_lines(text, text_options)
            height = max(len(left), len(right))
            left = Segment.set_shape(
                Segment.align_top(left, marker_width, height, marker_style), marker_width, height
            )
            right = Segment.set_shape(
                Segment.align_top(right, text_width, height, Style.null()), text_width, height
            )
            for left_line, right_line in zip(left, right, strict=True):
                yield from left_line
                yield from right_line
                yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.as_table().__rich_measure__(console, options)


def hanging(rows: Iterable[tuple[str | Text, RenderableType]], marker_style: str = "") -> Hanging:
    """Lines with a marker (a bullet, a number, a label) and text that wraps under itself."""
    return Hanging(rows, marker_style)


def bullets(lines: Iterable[Text]) -> Hanging:
    """A bulleted list with a hanging indent."""
    return hanging(("• ", line) for line in lines)


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def _table(title: str | None = None) -> Table:
    """A listing table: a rule under the header, no blank edge lines, titled on the left.

    Only a listing wide enough for a table imports ``rich.table``.
    """
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAVY,
        show_edge=False,
        expand=True,
        pad_edge=False,
    )


def _stack(title: str | None, entries: Iterable[RenderableType]) -> Group:
    """Entries one under another, a blank line between them, under a bold title."""
    parts: list[RenderableType] = [Text(title, style="bold")] if title else []
    for entry in entries:
        if parts:
            parts.append(Text(""))
        parts.append(entry)
    return Group(*parts)


def disclaimer(text: str) -> RenderableType:
    """The disclaimer, set apart at the end of the output."""
    return Padding(Text(text, style="italic dim"), (1, 0, 0, 0))


def legend(pointer: bool = True) -> RenderableType:
    """What each rating badge means, one rating a line."""
    words = rating_legend() if pointer else [(RATING_BADGES[r], RATING_MEANINGS[r]) for r in Rating]
    rows = [
        (Text(word, style=RATING_STYLES[Rating(word.lower())]), Text(meaning))
        for word, meaning in words
    ]
    return Group(Text("Ratings", style="bold"), indented(Hanging(rows, gap=2), 2))


def reminder(catalog: Catalog) -> RenderableType:
    """The one-line reminder of emergency signs and of ``backcare check``."""
    return Padding(t(plain.reminder(catalog), "bold"), (1, 0, 0, 0))


def time_course(catalog: Catalog) -> list[RenderableType]:
    """The line on how long back pain lasts, when the content has one."""
    line = plain.time_course(catalog)
    return [t(line, "dim")] if line else []


# --- listings ---------------------------------------------------------------------


def _name_width(slugs: Iterable[str]) -> int:
    return max([NAME_WIDTH, *(len(s) + 2 for s in slugs)])


def remedy_list(items: Sequence[Rated], title: str = "Remedies") -> RenderableType:
    """``list`` and ``search``: remedies as a table, or stacked when narrow; the legend below."""

    def build(width: int) -> RenderableType:
        name_width = _name_width(i.remedy.slug for i in items)
        if width < WIDE or name_width > width // 3:
            body: RenderableType = _stack(title, (_entry(i) for i in items))
        else:
            table = _table(title)
            table.add_column("Remedy (slug)", max_width=name_width, overflow="fold")
            table.add_column("Category", no_wrap=True)
            table.add_column("Rating", no_wrap=True)
            table.add_column("Summary", ratio=1, overflow="fold")
            for i in items:
                r = i.remedy
                name = t(r.name, "bold")
                name.append(printable(f"\n({r.slug})"), style="cyan")
                table.add_row(name, t(r.category.value), badge(i.rating), t(r.summary))
            body = table
        return Group(
            body,
            Text(""),
            legend(),
            t("Show one in full with: backcare show SLUG", "dim"),
        )

    return ByWidth(build)


def _entry(item: Rated) -> RenderableType:
    r = item.remedy
    facts = badge(item.rating)
    facts.append(f"  {printable(r.category.value)}", style="dim")
    return Group(named(r.name, r.slug), indented(Group(facts, t(r.summary))))


def search(catalog: Catalog, query: str, result: ScreenedSearch) -> RenderableType:
    """``search``: cards for the signs the words name, signs to check, remedies, exercises."""
    from rich import box
    from rich.panel import Panel

    from backcare.render.exercises import rich_hits

    parts = warning_cards(catalog, result.named)
    if result.level is Level.EMERGENCY:
        parts.append(t(NO_SELF_CARE, "bold"))
    if result.touched:
        lines = bullets(t(plain.touch_line(catalog, m)) for m in result.touched)
        body = Group(t(TO_CHECK_INTRO), lines)
        parts.append(
            Panel(body, title=t(TO_CHECK_TITLE, "bold"), title_align="left", box=box.ROUNDED)
        )
    if result.hits:
        title = f"Matches for '{printable(query)}'"
        hits = [Rated(h.remedy, h.rating) for h in result.hits]
        parts.append(remedy_list(hits, title=title))
    parts += rich_hits(result.exercises)
    if result.withheld:
        parts.append(t(plain.withheld_line(result.withheld), "italic"))
    return Group(*parts, reminder(catalog))


# --- show -------------------------------------------------------------------------


def _evidence(entries: Sequence[Evidence]) -> RenderableType:
    """Evidence as stacked entries: source and stance on a line, the note indented below."""
    lines: list[RenderableType] = []
    for e in entries:
        says = Text(STANCE_WORDS[e.stance], style=_STANCE_STYLES[e.stance])
        words = qualifiers(e)
        if words:
            says.append(printable(f" ({'; '.join(words)})"))
        source = t(f"[{e.source}] ", "cyan")
        lines += [hanging([(source, says)]), indented(t(plain.flat(e.note)))]
    return Group(*lines)


def _source(s: Source) -> Text:
    text = t(plain.source_line(s))
    if s.note:
        text.append(printable(f"\n{plain.flat(s.note)}"), style="dim")
    return text


def remedy(catalog: Catalog, item: Rated) -> RenderableType:
    """``show``: one remedy laid out for reading."""
    from rich import box
    from rich.panel import Panel

    r = item.remedy
    rating = badge(item.rating)
    rating.append(f" ({RATING_MEANINGS[item.rating]})", style="dim")
    meta = hanging([("Category: ", t(r.category.value)), ("Rating: ", rating)], "bold")
    parts: list[RenderableType] = [t(r.summary, "italic"), meta]

    described, suggested_for = plain.section_headings(catalog, r)
    parts += [_heading(described), t(plain.flat(r.description))]
    steps = hanging(((f"{n}. ", t(step)) for n, step in enumerate(r.steps, 1)), "bold")
    parts += [_heading("How to"), steps]

    causes = ", ".join(
        catalog.cause_by_slug[c].name for c in r.causes if c in catalog.cause_by_slug
    )
    symptoms = ", ".join(
        catalog.symptom_by_slug[s].name for s in r.symptoms if s in catalog.symptom_by_slug
    )
    helps = hanging([("Causes: ", t(causes)), ("Symptoms: ", t(symptoms))], "bold")
    parts += [_heading(suggested_for), helps]

    if r.cautions:
        parts += [
            _heading("Cautions"),
            bullets(t(c.text) + Text(printable(f" [{c.source}]"), style="dim") for c in r.cautions),
        ]

    guidelines, other = evidence_groups(catalog, r)
    parts.append(_heading(GUIDELINES_HEADING))
    parts.append(_evidence(guidelines) if guidelines else t("No guideline entries.", "dim"))
    if other:
        parts += [_heading(OTHER_EVIDENCE_HEADING), _evidence(other)]

    exercises = plain.exercise_lines(catalog, r)
    if exercises:
        lines = [t(line.removeprefix("- ")) for line in exercises[:-1]]
        parts += [_heading("Exercises"), bullets(lines), t(exercises[-1], "dim")]
    if r.see_a_doctor:
        parts += [_heading("See a doctor instead if"), bullets(t(s) for s in r.see_a_doctor)]
    cited = cited_sources(catalog, r)
    if cited:
        parts += [_heading("Sources"), bullets(_source(s) for s in cited)]
    footer = t(f"layer: {r.origin}", "dim")

    def build(width: int) -> RenderableType:
        title = named(r.name, r.slug)
        # A panel's title is cut short when it does not fit: put it inside instead.
        fits = title.cell_len <= width - 8 and footer.cell_len <= width - 8
        panel = Panel(
            Group(*parts) if fits else Group(title, *parts),
            title=title if fits else None,
            title_align="left",
            subtitle=footer if fits else None,
            subtitle_align="right",
            box=box.ROUNDED,
        )
        return Group(panel, *([] if fits else [footer]), reminder(catalog), *time_course(catalog))

    return ByWidth(build)


# --- warning signs ----------------------------------------------------------------


def _signs(catalog: Catalog, flags: Sequence[RedFlag]) -> Hanging:
    """Signs as bullets: the name, and the sign's own action when it adds to the heading."""
    lines = []
    for f in flags:
        line = t(f.name, "bold")
        action = plain.own_action(catalog, f)
        if action:
            line.append(printable(f": {action}"))
        lines.append(line)
    return bullets(lines)


def _meanwhile(catalog: Catalog, level: Level) -> list[RenderableType]:
    """What is safe while waiting: never for an emergency."""
    advice = catalog.advice_by_level.get(level)
    if level is Level.EMERGENCY or not advice or not advice.meanwhile:
        return []
    return [Text("\nMeanwhile:", style="bold"), bullets(t(m) for m in advice.meanwhile)]


def _card(level: Level, body: Sequence[RenderableType], title: Text | None = None) -> Panel:
    from rich import box
    from rich.panel import Panel

    return Panel(
        Group(*body),
        title=title or level_label(level),
        title_align="left",
        border_style=_LEVEL_BORDERS[level],
        box=box.HEAVY,
    )


def _heading_of(catalog: Catalog, level: Level) -> list[RenderableType]:
    advice = catalog.advice_by_level.get(level)
    return [t(advice.heading, "bold"), Text("")] if advice else []


def warning_cards(catalog: Catalog, flags: Sequence[RedFlag]) -> list[RenderableType]:
    """``suggest``'s cards: one per level given, most urgent first.

    Only the most urgent card says what is safe meanwhile, and only when it is
    not an emergency.
    """
    cards: list[RenderableType] = []
    for n, (level, at_level) in enumerate(plain.by_level(flags)):
        body = [*_heading_of(catalog, level), _signs(catalog, at_level)]
        if n == 0:
            body += _meanwhile(catalog, level)
        cards.append(_card(level, body))
    return cards


def suggestion(catalog: Catalog, s: Suggestion) -> RenderableType:
    """``suggest``: warning-sign cards first, then ranked remedies with why they matched."""
    parts: list[RenderableType] = [t(line, "bold") for line in plain.read_as_lines(s)]
    parts += warning_cards(catalog, s.red_flags)
    if s.level is Level.EMERGENCY:
        parts.append(t(NO_SELF_CARE, "bold"))
        return Group(*parts)
    withheld = [t(plain.withheld_note(s).strip(), "italic")] if s.withheld else []
    if not s.matches:  # only warning signs were given: no empty remedy table
        return Group(*parts, *withheld, reminder(catalog), *time_course(catalog))
    title = AFTER_CARD_TITLE if parts else SUGGEST_TITLE

    def build(width: int) -> RenderableType:
        name_width = _name_width(m.remedy.slug for m in s.matches)
        if width < WIDE or name_width > width // 3:
            body: RenderableType = _stack(
                title, (_match_entry(n, m) for n, m in enumerate(s.matches, 1))
            )
        else:
            table = _table(title)
            table.add_column("#", justify="right", no_wrap=True)
            table.add_column("Remedy (slug)", max_width=name_width, overflow="fold")
            table.add_column("Rating", no_wrap=True)
            table.add_column("Why it matched", ratio=1, overflow="fold")
            table.add_column("Summary", ratio=2, overflow="fold")
            for n, m in enumerate(s.matches, 1):
                name = t(m.remedy.name, "bold")
                name.append(printable(f"\n({m.remedy.slug})"), style="cyan")
                summary = t(m.remedy.summary)
                note = plain.against_note(m)
                if note:
                    summary.append(printable(f"\n{note}"), style="bold red")
                table.add_row(str(n), name, badge(m.rating), t("\n".join(_why(m))), summary)
            body = table
        return Group(
            *parts, body, Text(""), *withheld, legend(), reminder(catalog), *time_course(catalog)
        )

    return ByWidth(build)


def _why(m: Match) -> list[str]:
    return [*(f"cause: {c.name}" for c in m.causes), *(f"symptom: {x.name}" for x in m.symptoms)]


def _match_entry(n: int, m: Match) -> RenderableType:
    head = Text(f"{n}. ", style="bold")
    head.append_text(named(m.remedy.name, m.remedy.slug))
    why = Text("Why it matched: ", style="dim")
    why.append(printable("; ".join(_why(m))))
    lines: list[RenderableType] = [badge(m.rating), why, t(m.remedy.summary)]
    note = plain.against_note(m)
    if note:
        lines.append(t(note, "bold red"))
    return Group(head, indented(Group(*lines)))


def red_flags(catalog: Catalog, flags: Sequence[RedFlag]) -> RenderableType:
    """``red-flags``: grouped by level, emergency first, labelled in words, in one grid."""

    def build(width: int) -> RenderableType:
        id_width = max((len(f.id) for f in flags), default=2)
        stacked = id_width > width * 0.4
        parts: list[RenderableType] = []
        for level, at_level in plain.by_level(flags):
            advice = catalog.advice_by_level.get(level)
            if parts:
                parts.append(Text(""))
            label = level_label(level) + Text("  ")
            parts.append(hanging([(label, t(advice.heading if advice else "", "bold"))]))
            if stacked:
                parts += [Group(t(f.id, "cyan"), indented(t(f.question))) for f in at_level]
                continue
            # The same id width at every level, so the questions line up in one column.
            rows = [(t(f.id), t(f.question)) for f in at_level]
            grid = Hanging(rows, "cyan", gap=2, min_width=id_width)
            parts.append(indented(grid, 2))
        parts += [Text(""), t("Answer these one by one with: backcare check", "dim")]
        return Group(*parts)

    return ByWidth(build)


def check(catalog: Catalog, triage: Triage) -> RenderableType:
    """``check``: one result card, the signs answered yes grouped by their own level.

    A screening stopped early says so first; a result of no warning sign ends
    with the emergency signs to watch for.
    """
    from rich import box
    from rich.panel import Panel

    level = triage.level
    before = [] if triage.complete else [t(f"{INCOMPLETE_HEADING}. {CHECK_INCOMPLETE}", "bold")]
    after = _not_asked(catalog, triage)
    if level is None:
        body: list[RenderableType]
        if triage.emergency_ruled_out:
            course = plain.time_course(catalog)
            body = [t(NO_FLAGS_HEADING + ".", "bold"), t(NO_FLAGS_NEXT)]
            body += [*([t(course)] if course else []), *after]
            body += [Text(""), *_watch_for(catalog)]
            title, style = " RESULT: NO WARNING SIGNS ", "bold green"
        else:
            body = [t(INCOMPLETE_NONE, "bold"), *after]
            title, style = " RESULT: INCOMPLETE ", "bold yellow"
        card = Panel(
            Group(*body),
            title=Text(title, style=style),
            title_align="left",
            border_style=style.split()[-1],
            box=box.HEAVY,
        )
        return Group(*before, card)
    parts = _heading_of(catalog, level)
    if triage.out_of_scope:
        parts += [
            Text(NOT_FOR_YOU_HEADING, style="bold"),
            bullets(t(line) for line in plain.scope_lines(catalog, triage)),
        ]
    answered = (("You answered yes to:", triage.flags), (UNSURE_HEADING, triage.unsure))
    for heading, flags in answered:
        if not flags:
            continue
        _gap(parts)
        parts.append(Text(heading, style="bold"))
        for n, (at, group) in enumerate(plain.by_level(flags)):
            parts += [*([Text("")] if n else []), level_label(at), _signs(catalog, group)]
    if plain.meanwhile_applies(triage, catalog.advice_by_level.get(level)):
        parts += _meanwhile(catalog, level)
    parts += after
    if triage.out_of_scope and triage.emergency_ruled_out:
        _gap(parts)
        parts += _watch_for(catalog)
    while parts and isinstance(parts[-1], Text) and not parts[-1].plain:
        parts.pop()
    label = Text(f" RESULT: {LEVEL_LABELS[level]} ", style=LEVEL_STYLES[level])
    return Group(*before, _card(level, parts, label))


def _gap(parts: list[RenderableType]) -> None:
    """A blank line before the next section, unless there is one already (or nothing)."""
    if parts and not (isinstance(parts[-1], Text) and not parts[-1].plain):
        parts.append(Text(""))


def _not_asked(catalog: Catalog, triage: Triage) -> list[RenderableType]:
    """What a stopped screening never asked: the emergency signs by name, the rest counted."""
    emergency, others = plain.not_asked(triage)
    parts: list[RenderableType] = []
    if emergency:
        heading = f"{NOT_ASKED_EMERGENCY} {plain.emergency_action(catalog)}:"
        parts += [Text(""), t(heading, "bold"), bullets(t(f.name) for f in emergency)]
    if others:
        parts += [Text(""), t(others)]
    return parts


def _watch_for(catalog: Catalog) -> list[RenderableType]:
    """The emergency signs to watch for from now on, and what to do with one."""
    heading = f"{WATCH_FOR} {plain.emergency_action(catalog)}:"
    return [t(heading, "bold"), bullets(t(name) for name in plain.emergency_signs(catalog))]


# --- vocabularies, sources, layers, findings ---------------------------------------


def terms(kind: str, items: Sequence[tuple[Term, int]]) -> RenderableType:
    """``causes`` and ``symptoms``."""
    option = "--cause" if kind == "causes" else "--symptom"
    title = TERM_TITLES.get(kind, kind.capitalize())

    def count(n: int) -> str:
        return f"{n} remed{'y' if n == 1 else 'ies'}"

    def build(width: int) -> RenderableType:
        if width < WIDE:
            entries = []
            for term, n in items:
                head = named(term.name, term.slug)
                head.append(f"  {count(n)}", style="dim")
                entries.append(Group(head, indented(t(term.description))))
            body: RenderableType = _stack(title, entries)
        else:
            table = _table(title)
            table.add_column("Slug", style="cyan", max_width=NAME_WIDTH, overflow="fold")
            table.add_column("Name", style="bold", max_width=NAME_WIDTH, overflow="fold")
            table.add_column("Remedies", justify="right", no_wrap=True)
            table.add_column("Description", ratio=1, overflow="fold")
            for term, n in items:
                table.add_row(t(term.slug), t(term.name), str(n), t(term.description))
            body = table
        return Group(body, Text(""), t(f"Use a slug with: backcare suggest {option} SLUG", "dim"))

    return ByWidth(build)


def sources(items: Iterable[Source]) -> RenderableType:
    """``sources``: each source with its id, kind and year, title, publisher, link and note."""
    entries = []
    for s in items:
        head = t(f"[{s.id}]", "cyan")
        head.append(printable(f"  {s.kind.value}" + (f", {s.year}" if s.year else "")))
        lines = [t(s.title, "bold"), t(s.publisher)]
        if s.url:
            lines.append(t(s.url, "blue"))
        if s.note:
            lines.append(t(plain.flat(s.note), "dim"))
        entries.append(Group(head, indented(Group(*lines))))
    return _stack("Sources", entries)


def paths(layers: Sequence[Layer]) -> RenderableType:
    """``paths``."""
    title = "Content layers (later ones win)"

    def exists(layer: Layer) -> Text:
        return Text(layer_state(layer), style="green" if layer.exists else "dim")

    def build(width: int) -> RenderableType:
        if width < WIDE:
            entries = []
            for n, layer in enumerate(layers, 1):
                head = Text(f"{n}. ", style="bold")
                head.append(printable(layer.label), style="bold")
                head.append("  ")
                head.append_text(exists(layer))
                entries.append(Group(head, indented(t(shown(layer.path)))))
            return _stack(title, entries)
        table = _table(title)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Layer", style="bold", max_width=NAME_WIDTH, overflow="fold")
        table.add_column("Folder", ratio=1, overflow="fold")
        table.add_column("Exists", no_wrap=True)
        for n, layer in enumerate(layers, 1):
            table.add_row(str(n), t(layer.label), t(shown(layer.path)), exists(layer))
        return table

    return ByWidth(build)


def findings(items: Sequence[Finding], checked: str) -> RenderableType:
    """``validate``."""
    if not items:
        return Text(f"No problems found in {printable(checked)}.", style="bold green")
    lines = Text()
    for f in items:
        where = shown(f.path) + (f":{f.line}:{f.column}" if f.line else "")
        lines.append(printable(where), style="bold")
        lines.append(": ")
        lines.append(f.code.value, style="red")
        lines.append(printable(f" {f.message}\n"))
    lines.append(plain.findings(items, checked).splitlines()[-1], style="bold")
    return lines
