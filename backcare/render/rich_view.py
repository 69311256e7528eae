"""Rich renderables for a person at a terminal.

Content is always wrapped in ``Text`` objects, never parsed as markup, so
square brackets in content are shown as they are. Every badge is a word;
colour only repeats it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backcare.findings import Finding
from backcare.models import Catalog, Layer, Level, Rating, RedFlag, Source, Stance, Term
from backcare.output import printable
from backcare.query import Hit, Rated, Suggestion, Triage, cited_sources
from backcare.render import plain
from backcare.render.words import (
    LEVEL_LABELS,
    LEVEL_STYLES,
    NO_FLAGS_HEADING,
    NO_FLAGS_NEXT,
    RATING_BADGES,
    RATING_MEANINGS,
    RATING_STYLES,
    STANCE_WORDS,
    rating_legend,
)

_STANCE_STYLES = {
    Stance.RECOMMENDED: "green",
    Stance.CONSIDER: "cyan",
    Stance.ONLY_WITH_EXERCISE: "cyan",
    Stance.NOT_RECOMMENDED: "bold red",
    Stance.INSUFFICIENT_EVIDENCE: "yellow",
    Stance.NOT_ADDRESSED: "dim",
}


def t(text: str, style: str = "") -> Text:
    """Content as literal text: no markup, no control characters."""
    return Text(printable(text), style=style)


def badge(rating: Rating) -> Text:
    """A rating as a coloured word."""
    return Text(RATING_BADGES[rating], style=RATING_STYLES[rating])


def disclaimer(text: str) -> RenderableType:
    """The disclaimer, set apart at the end of the output."""
    return Padding(Text(text, style="italic dim"), (1, 0, 0, 0))


def legend() -> RenderableType:
    """What each rating badge means."""
    line = Text("Ratings: ", style="bold")
    for n, (word, meaning) in enumerate(rating_legend()):
        if n:
            line.append("; ")
        line.append(word, style=RATING_STYLES[Rating(word.lower())])
        line.append(f" = {meaning}")
    return line


def reminder(catalog: Catalog) -> RenderableType:
    """The one-line reminder of emergency signs and of ``backcare check``."""
    return Padding(t(plain.reminder(catalog), "bold"), (1, 0, 0, 0))


def remedy_list(items: Sequence[Rated], title: str = "Remedies") -> RenderableType:
    """``list`` and ``search``: a table of remedies with the legend below."""
    # The name and its slug share a column, so the summary keeps room to read
    # even in an 80-column terminal; single words (category, rating) never wrap.
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left", expand=True)
    # A slug is what people type next: never cut it short.
    widest_slug = max((len(i.remedy.slug) for i in items), default=10)
    table.add_column("Remedy (slug)", min_width=widest_slug, max_width=max(widest_slug, 24))
    table.add_column("Category", no_wrap=True)
    table.add_column("Rating", no_wrap=True)
    table.add_column("Summary", ratio=1, min_width=20)
    for i in items:
        r = i.remedy
        name = t(r.name, "bold")
        name.append("\n")
        name.append(printable(r.slug), style="cyan")
        table.add_row(name, t(r.category.value), badge(i.rating), t(r.summary))
    return Group(table, legend(), t("Show one in full with: backcare show SLUG", "dim"))


def search(query: str, hits: Sequence[Hit]) -> RenderableType:
    """``search``."""
    return remedy_list([Rated(h.remedy, h.rating) for h in hits], title=f"Matches for '{query}'")


def _bullets(lines: Iterable[Text]) -> Text:
    out = Text()
    for n, line in enumerate(lines):
        if n:
            out.append("\n")
        out.append("• ")
        out.append_text(line)
    return out


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def remedy(catalog: Catalog, item: Rated) -> RenderableType:
    """``show``: one remedy laid out for reading."""
    r = item.remedy
    meta = Text()
    meta.append("Category: ", style="bold")
    meta.append(printable(r.category.value))
    meta.append("   Rating: ", style="bold")
    meta.append_text(badge(item.rating))
    meta.append(f" ({RATING_MEANINGS[item.rating]})", style="dim")
    parts: list[RenderableType] = [t(r.summary, "italic"), meta]

    parts += [_heading("What the article says"), t(" ".join(r.description.split()))]
    steps = Text()
    for n, step in enumerate(r.steps, 1):
        if n > 1:
            steps.append("\n")
        steps.append(f"{n}. ", style="bold")
        steps.append(printable(step))
    parts += [_heading("How to"), steps]

    helps = Text()
    helps.append("Causes: ", style="bold")
    helps.append(
        printable(
            ", ".join(catalog.cause_by_slug[c].name for c in r.causes if c in catalog.cause_by_slug)
        )
    )
    helps.append("\nSymptoms: ", style="bold")
    helps.append(
        printable(
            ", ".join(
                catalog.symptom_by_slug[s].name for s in r.symptoms if s in catalog.symptom_by_slug
            )
        )
    )
    parts += [_heading("Helps with"), helps]

    if r.cautions:
        parts += [
            _heading("Cautions"),
            _bullets(t(c.text) + Text(f" [{c.source}]", style="dim") for c in r.cautions),
        ]

    parts.append(_heading("What the guidelines say"))
    if r.evidence:
        table = Table(box=box.SIMPLE, show_header=True, expand=True, padding=(0, 1))
        table.add_column("Source", style="cyan", no_wrap=True)
        table.add_column("Says", no_wrap=True)
        table.add_column("Note", ratio=1)
        for e in r.evidence:
            says = Text(STANCE_WORDS[e.stance], style=_STANCE_STYLES[e.stance])
            if e.topic:
                says.append(f"\n({printable(e.topic)})", style="dim")
            table.add_row(t(e.source), says, t(" ".join(e.note.split())))
        parts.append(table)
    else:
        parts.append(t("No evidence entries.", "dim"))

    if r.see_a_doctor:
        parts += [_heading("See a doctor instead if"), _bullets(t(s) for s in r.see_a_doctor)]
    cited = cited_sources(catalog, r)
    if cited:
        parts += [_heading("Sources"), _bullets(t(plain.source_line(s)) for s in cited)]
    title = Text(printable(r.name), style="bold")
    title.append(f"  {printable(r.slug)}", style="cyan")
    footer = t(f"layer: {r.origin}", "dim")
    return Group(
        Panel(
            Group(*parts),
            title=title,
            title_align="left",
            subtitle=footer,
            subtitle_align="right",
            box=box.ROUNDED,
        ),
        reminder(catalog),
    )


def _level_card(
    catalog: Catalog, level: Level, flags: Sequence[RedFlag], *, show_actions: bool = True
) -> RenderableType:
    advice = catalog.advice_by_level.get(level)
    body = Text()
    if advice:
        body.append(printable(advice.heading), style="bold")
        body.append("\n")
    for n, f in enumerate(flags):
        body.append("\n• " if n else "• ")
        body.append(printable(f.name), style="bold")
        if show_actions:
            body.append(f": {printable(f.action)}")
    if advice and advice.meanwhile and level is not Level.EMERGENCY:
        body.append("\n\nMeanwhile:", style="bold")
        for m in advice.meanwhile:
            body.append(f"\n• {printable(m)}")
    label = Text(f" {LEVEL_LABELS[level]} ", style=LEVEL_STYLES[level])
    border = {Level.EMERGENCY: "red", Level.URGENT: "yellow", Level.SOON: "cyan"}[level]
    return Panel(body, title=label, title_align="left", border_style=border, box=box.HEAVY)


def suggestion(catalog: Catalog, s: Suggestion) -> RenderableType:
    """``suggest``: warning-sign cards first, then ranked remedies with why they matched."""
    parts: list[RenderableType] = [
        _level_card(catalog, level, [f for f in s.red_flags if f.level is level])
        for level in Level
        if any(f.level is level for f in s.red_flags)
    ]
    if s.level is Level.EMERGENCY:
        parts.append(
            t("No self-care list is shown: these signs need help now, not home remedies.", "bold")
        )
        return Group(*parts)
    if not s.matches:  # only warning signs were given: no empty remedy table
        return Group(*parts, reminder(catalog))
    table = Table(
        title="Once you have arranged that, these may ease things meanwhile"
        if parts
        else "Suggested remedies",
        title_justify="left",
        box=box.SIMPLE_HEAVY,
    )
    table.add_column("#", justify="right")
    table.add_column("Remedy", no_wrap=True)
    table.add_column("Rating", no_wrap=True)
    table.add_column("Why it matched", ratio=1)
    table.add_column("Summary", ratio=2)
    for n, m in enumerate(s.matches, 1):
        name = t(m.remedy.name, "bold")
        name.append(printable(f"\n{m.remedy.slug}"), style="cyan")
        why = Text(
            "\n".join(
                [
                    *(f"cause: {c.name}" for c in m.causes),
                    *(f"symptom: {x.name}" for x in m.symptoms),
                ]
            )
        )
        summary = t(m.remedy.summary)
        note = plain.against_note(m)
        if note:
            summary.append(printable(f"\n{note}"), style="bold red")
        table.add_row(str(n), name, badge(m.rating), why, summary)
    parts += [table, legend(), reminder(catalog)]
    return Group(*parts)


def terms(kind: str, items: Sequence[tuple[Term, int]]) -> RenderableType:
    """``causes`` and ``symptoms``."""
    table = Table(title=kind.capitalize(), title_justify="left", box=box.SIMPLE_HEAVY)
    table.add_column("Slug", style="cyan", no_wrap=True)
    table.add_column("Name", style="bold")
    table.add_column("Remedies", justify="right")
    table.add_column("Description", ratio=1)
    for term, n in items:
        table.add_row(t(term.slug), t(term.name), str(n), t(term.description))
    option = "--cause" if kind == "causes" else "--symptom"
    return Group(table, t(f"Use a slug with: backcare suggest {option} SLUG", "dim"))


def sources(items: Iterable[Source]) -> RenderableType:
    """``sources``."""
    table = Table(title="Sources", title_justify="left", box=box.SIMPLE_HEAVY)
    table.add_column("Id", style="cyan", no_wrap=True)
    table.add_column("Kind")
    table.add_column("Year", justify="right")
    table.add_column("Title and publisher", ratio=1)
    for s in items:
        title = t(s.title, "bold")
        title.append(printable(f"\n{s.publisher}"))
        if s.url:
            title.append(printable(f"\n{s.url}"), style="blue")
        table.add_row(t(s.id), t(s.kind.value), str(s.year or ""), title)
    return table


def red_flags(catalog: Catalog, flags: Sequence[RedFlag]) -> RenderableType:
    """``red-flags``: grouped by level, emergency first, labelled in words."""
    parts: list[RenderableType] = []
    for level in Level:
        at_level = [f for f in flags if f.level is level]
        if not at_level:
            continue
        advice = catalog.advice_by_level.get(level)
        table = Table(box=box.SIMPLE, show_header=False, expand=True)
        table.add_column("Id", style="cyan", no_wrap=True)
        table.add_column("Question", ratio=1)
        for f in at_level:
            table.add_row(t(f.id), t(f.question))
        heading = Text(f" {LEVEL_LABELS[level]} ", style=LEVEL_STYLES[level])
        if advice:
            heading.append(printable(f"  {advice.heading}"), style="bold")
        parts += [heading, table]
    parts.append(t("Answer these one by one with: backcare check", "dim"))
    return Group(*parts)


def check(catalog: Catalog, triage: Triage) -> RenderableType:
    """``check``: one result card."""
    level = triage.level
    if level is None:
        body = Text(NO_FLAGS_HEADING + ".", style="bold")
        body.append(f"\n{NO_FLAGS_NEXT}")
        return Panel(
            body,
            title=Text(" RESULT: NO WARNING SIGNS ", style="bold green"),
            title_align="left",
            border_style="green",
            box=box.HEAVY,
        )
    return _level_card(catalog, level, triage.flags, show_actions=False)


def paths(layers: Sequence[Layer]) -> RenderableType:
    """``paths``."""
    table = Table(
        title="Content layers (later ones win)", title_justify="left", box=box.SIMPLE_HEAVY
    )
    table.add_column("#", justify="right")
    table.add_column("Layer", style="bold")
    table.add_column("Folder")
    table.add_column("Exists")
    for n, layer in enumerate(layers, 1):
        table.add_row(
            str(n),
            t(layer.label),
            t(layer.path),
            Text("yes", style="green") if layer.exists else Text("no", style="dim"),
        )
    return table


def findings(items: Sequence[Finding], checked: str) -> RenderableType:
    """``validate``."""
    if not items:
        return Text(f"No problems found in {printable(checked)}.", style="bold green")
    lines = Text()
    for f in items:
        where = f.path + (f":{f.line}:{f.column}" if f.line else "")
        lines.append(printable(where), style="bold")
        lines.append(": ")
        lines.append(f.code.value, style="red")
        lines.append(printable(f" {f.message}\n"))
    lines.append(plain.findings(items, checked).splitlines()[-1], style="bold")
    return lines
