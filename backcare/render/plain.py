"""Plain text for pipes and files: no colour, no box drawing.

Listings are one line per entry, its slug first, fields separated by tabs, so
``backcare list | cut -f1`` gives the slugs. Longer views are headed sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from backcare.models import Catalog, Layer, Level, RedFlag, Source, Term
from backcare.query import Hit, Match, Rated, Suggestion, Triage, cited_sources, red_flags_in_order

if TYPE_CHECKING:
    from backcare.findings import Finding

from backcare.render.words import (
    LEVEL_LABELS,
    NO_FLAGS_HEADING,
    NO_FLAGS_NEXT,
    RATING_BADGES,
    RATING_MEANINGS,
    STANCE_WORDS,
    rating_legend,
)


def _row(*fields: object) -> str:
    return "\t".join(" ".join(str(f).split()) for f in fields) + "\n"


def _section(title: str, lines: Iterable[str]) -> str:
    body = "".join(f"  {line}\n" for line in lines)
    return f"\n{title.upper()}\n{body}" if body else ""


def legend() -> str:
    """The rating legend, as one line."""
    return "Ratings: " + "; ".join(f"{badge} = {meaning}" for badge, meaning in rating_legend())


def reminder(catalog: Catalog) -> str:
    """The one-line reminder of the emergency signs and of ``backcare check``."""
    signs = [f.name.lower() for f in red_flags_in_order(catalog) if f.level is Level.EMERGENCY]
    advice = catalog.advice_by_level.get(Level.EMERGENCY)
    if not signs or advice is None:
        return "Run 'backcare check' to screen for warning signs that need a doctor."
    listed = ", ".join(signs[:3]) + (" and other emergency signs" if len(signs) > 3 else "")
    return f"Emergency? With {listed}: {advice.heading}. Run 'backcare check' to screen."


def remedy_list(items: Sequence[Rated]) -> str:
    """``list``: slug, name, category, rating, summary."""
    rows = [
        _row(
            i.remedy.slug,
            i.remedy.name,
            i.remedy.category.value,
            RATING_BADGES[i.rating],
            i.remedy.summary,
        )
        for i in items
    ]
    return "".join(rows)


def search(hits: Sequence[Hit]) -> str:
    """``search``: like ``list``, best match first."""
    return remedy_list([Rated(h.remedy, h.rating) for h in hits])


def remedy(catalog: Catalog, item: Rated) -> str:
    """``show``: one remedy in full, in headed sections."""
    r = item.remedy
    names = catalog.cause_by_slug
    symptoms = catalog.symptom_by_slug
    head = (
        f"{r.name} ({r.slug})\n{r.summary}\n"
        f"Category: {r.category.value}. Rating: {RATING_BADGES[item.rating]}"
        f" ({RATING_MEANINGS[item.rating]}). Layer: {r.origin}.\n"
    )
    evidence = [
        f"[{e.source}] {STANCE_WORDS[e.stance]}"
        + (f" ({e.topic})" if e.topic else "")
        + f": {' '.join(e.note.split())}"
        for e in r.evidence
    ]
    helps = [
        "Causes: " + ", ".join(names[c].name for c in r.causes if c in names),
        "Symptoms: " + ", ".join(symptoms[s].name for s in r.symptoms if s in symptoms),
    ]
    return (
        head
        + _section("What the article says", [" ".join(r.description.split())])
        + _section("How to", [f"{n}. {step}" for n, step in enumerate(r.steps, 1)])
        + _section("Helps with", helps)
        + _section("Cautions", [f"- {c.text} [{c.source}]" for c in r.cautions])
        + _section("What the guidelines say", evidence or ["No evidence entries."])
        + _section("See a doctor instead if", [f"- {t}" for t in r.see_a_doctor])
        + _section("Sources", [source_line(s) for s in cited_sources(catalog, r)])
        + f"\n{reminder(catalog)}\n"
    )


def source_line(s: Source) -> str:
    """A source as one citation line."""
    parts = [f"[{s.id}] {s.title}.", f"{s.publisher}."]
    if s.year:
        parts.append(f"{s.year}.")
    if s.url:
        parts.append(s.url)
    return " ".join(parts)


def _warning_block(catalog: Catalog, flags: Sequence[RedFlag]) -> str:
    out = ""
    for level in Level:
        at_level = [f for f in flags if f.level is level]
        if not at_level:
            continue
        advice = catalog.advice_by_level.get(level)
        out += f"{LEVEL_LABELS[level]}: {advice.heading if advice else ''}\n"
        out += "".join(f"  - {f.name}: {f.action}\n" for f in at_level)
        if advice and advice.meanwhile and level is not Level.EMERGENCY:
            out += "  Meanwhile:\n" + "".join(f"  - {m}\n" for m in advice.meanwhile)
    return out


def against_note(m: Match) -> str | None:
    """One line on what guidelines advise against in a suggested remedy, if anything."""
    whole = [e for e in m.advised_against if not e.topic]
    if whole:
        sources = ", ".join(dict.fromkeys(e.source for e in whole))
        return f"Advised against by {sources}: {' '.join(whole[0].note.split())}"
    topics = "; ".join(dict.fromkeys(e.topic or "" for e in m.advised_against))
    if topics:
        return f"Advised against in part ({topics}): see 'backcare show {m.remedy.slug}'"
    return None


def suggestion(catalog: Catalog, s: Suggestion) -> str:
    """``suggest``: warning signs first; then one line per remedy, best first."""
    out = _warning_block(catalog, s.red_flags)
    if s.level is Level.EMERGENCY:
        return out + "No self-care list is shown: these signs need help now, not home remedies.\n"
    if not s.matches:  # only warning signs were given: no empty remedy list
        return out + f"\n{reminder(catalog)}\n"
    if out:
        out += "\nOnce you have arranged that, these may ease things meanwhile:\n"
    for m in s.matches:
        why = "; ".join(
            [*(f"cause: {c.slug}" for c in m.causes), *(f"symptom: {t.slug}" for t in m.symptoms)]
        )
        note = against_note(m)
        fields = (m.remedy.slug, m.remedy.name, RATING_BADGES[m.rating], why, m.remedy.summary)
        out += _row(*fields, *([note] if note else []))
    return out + f"\n{legend()}\n{reminder(catalog)}\n"


def terms(items: Sequence[tuple[Term, int]]) -> str:
    """``causes`` and ``symptoms``: slug, name, remedy count, description."""
    return "".join(
        _row(t.slug, t.name, f"{n} remed{'y' if n == 1 else 'ies'}", t.description)
        for t, n in items
    )


def sources(items: Iterable[Source]) -> str:
    """``sources``: id, kind, year, title, publisher, link."""
    return "".join(
        _row(s.id, s.kind.value, s.year or "", s.title, s.publisher, s.url or "") for s in items
    )


def red_flags(catalog: Catalog, flags: Sequence[RedFlag]) -> str:
    """``red-flags``: grouped by level, most urgent first, each level labelled in words."""
    out = []
    for level in Level:
        at_level = [f for f in flags if f.level is level]
        if not at_level:
            continue
        advice = catalog.advice_by_level.get(level)
        heading = f"{LEVEL_LABELS[level]}: {advice.heading}" if advice else LEVEL_LABELS[level]
        out.append(heading + "\n" + "".join(f"  {f.id}\t{f.question}\n" for f in at_level))
    return "\n".join(out)


def check(catalog: Catalog, triage: Triage) -> str:
    """``check``: one result card; an emergency card carries no self-care at all."""
    level = triage.level
    if level is None:
        return f"RESULT: NONE\n{NO_FLAGS_HEADING}.\n{NO_FLAGS_NEXT}\n"
    advice = catalog.advice_by_level.get(level)
    out = f"RESULT: {LEVEL_LABELS[level]}\n"
    out += f"{advice.heading}.\n" if advice else ""
    out += "You answered yes to:\n" + "".join(f"  - {f.name}\n" for f in triage.flags)
    if advice and advice.meanwhile and level is not Level.EMERGENCY:
        out += "Meanwhile:\n" + "".join(f"  - {m}\n" for m in advice.meanwhile)
    return out


def paths(layers: Sequence[Layer]) -> str:
    """``paths``: order, label, folder, whether it exists."""
    return "".join(
        _row(n, layer.label, layer.path, "exists" if layer.exists else "missing")
        for n, layer in enumerate(layers, 1)
    )


def findings(items: Sequence[Finding], checked: str) -> str:
    """``validate``: one line per finding, then a summary line."""
    lines = "".join(f"{f.format()}\n" for f in items)
    if not items:
        return f"No problems found in {checked}.\n"
    files = len({f.path for f in items})
    return (
        lines
        + f"{len(items)} problem{'s' * (len(items) != 1)} in {files} file{'s' * (files != 1)}.\n"
    )
