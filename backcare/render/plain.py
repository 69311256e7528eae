"""Plain text for pipes and files: no colour, no box drawing.

Listings are one line per entry, its slug first, fields separated by tabs, so
``backcare list | cut -f1`` gives the slugs. Longer views are headed sections.
What is for the person rather than the data (legends, reminders, notes) is
returned separately, for stderr.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from backcare.escape import shown
from backcare.models import (
    Catalog,
    Evidence,
    Layer,
    Level,
    LevelAdvice,
    RedFlag,
    Remedy,
    Source,
    Term,
)
from backcare.query import (
    Match,
    Rated,
    Suggestion,
    Triage,
    cited_sources,
    cites,
    echo,
    evidence_groups,
    red_flags_in_order,
)
from backcare.render.words import (
    AFTER_CARD_TITLE,
    ARTICLE_SOURCE,
    CHECK_INCOMPLETE,
    DESCRIPTION_HEADINGS,
    FOR_HEADINGS,
    GUIDELINES_HEADING,
    INCOMPLETE_HEADING,
    INCOMPLETE_NONE,
    LEVEL_LABELS,
    NO_FLAGS_HEADING,
    NO_FLAGS_NEXT,
    NO_SELF_CARE,
    NOT_ASKED_EMERGENCY,
    NOT_ASKED_OTHERS,
    NOT_FOR_YOU_HEADING,
    OTHER_EVIDENCE_HEADING,
    RATING_BADGES,
    RATING_MEANINGS,
    STANCE_WORDS,
    TO_CHECK_INTRO,
    TO_CHECK_TITLE,
    UNSURE_HEADING,
    WATCH_FOR,
    embedded,
    layer_state,
    matched_words,
    qualifiers,
    rating_legend,
    read_as,
)

if TYPE_CHECKING:
    from backcare.findings import Finding
    from backcare.query.signs import ScreenedSearch, SignMatch


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
    signs = [name.lower() for name in emergency_signs(catalog)]
    if not signs or Level.EMERGENCY not in catalog.advice_by_level:
        return "Run 'backcare check' to screen for warning signs that need a doctor."
    listed = ", ".join(signs[:3]) + (" and other emergency signs" if len(signs) > 3 else "")
    return f"Emergency? With {listed}: {emergency_action(catalog)}. Run 'backcare check' to screen."


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


def search(catalog: Catalog, result: ScreenedSearch) -> str:
    """``search``: warning signs named, then signs to check, then like ``list``, best first.

    Matching exercises follow under a title line of their own.
    """
    from backcare.render.exercises import plain_hits

    cards = _warning_block(catalog, result.named)
    if result.level is Level.EMERGENCY:
        cards += NO_SELF_CARE + "\n"
    if result.touched:
        cards += ("\n" if cards else "") + f"{TO_CHECK_TITLE.upper()}: {TO_CHECK_INTRO}\n"
        cards += "".join(f"  - {touch_line(catalog, m)}\n" for m in result.touched)
    rows = remedy_list([Rated(h.remedy, h.rating) for h in result.hits])
    rows += plain_hits(result.exercises)
    return cards + ("\n" if cards and rows else "") + rows


def search_notes(catalog: Catalog, result: ScreenedSearch) -> str:
    """What ``search`` tells the person on stderr: remedies left out, and the reminder."""
    withheld = withheld_line(result.withheld)
    return "\n".join(line for line in (withheld, reminder(catalog)) if line)


def touch_line(catalog: Catalog, match: SignMatch) -> str:
    """A sign to check: its name, its level and what to do, and the words that touched it."""
    advice = catalog.advice_by_level.get(match.flag.level)
    todo = f": {advice.heading.rstrip('.')}" if advice else ""
    return (
        f"{match.flag.name} ({LEVEL_LABELS[match.flag.level]}{todo})."
        f" ({matched_words(match.words)})"
    )


def section_headings(catalog: Catalog, remedy: Remedy) -> tuple[str, str]:
    """The headings for the description and for "helps with": the article's, or neutral."""
    n = 0 if cites(catalog, remedy, ARTICLE_SOURCE) else 1
    return DESCRIPTION_HEADINGS[n], FOR_HEADINGS[n]


def stance(e: Evidence) -> str:
    """What a source says, with what it is about and how strongly.

    ``Recommended (NSAIDs; acute pain; strong recommendation, moderate-quality evidence)``.
    """
    words = qualifiers(e)
    return STANCE_WORDS[e.stance] + (f" ({'; '.join(words)})" if words else "")


def remedy_notes(catalog: Catalog) -> str:
    """What ``show`` tells the person on stderr: the reminder and the time course."""
    return "\n".join(line for line in (reminder(catalog), time_course(catalog)) if line)


def time_course(catalog: Catalog) -> str:
    """The one line on how long back pain lasts, or nothing when the content has none."""
    from backcare.query.region import time_course as line

    return line(catalog) or ""


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces folded into single spaces."""
    return " ".join(text.split())


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
    guidelines, other = evidence_groups(catalog, r)
    described, suggested_for = section_headings(catalog, r)
    helps = [
        "Causes: " + ", ".join(names[c].name for c in r.causes if c in names),
        "Symptoms: " + ", ".join(symptoms[s].name for s in r.symptoms if s in symptoms),
    ]
    return (
        head
        + _section(described, [flat(r.description)])
        + _section("How to", [f"{n}. {step}" for n, step in enumerate(r.steps, 1)])
        + _section(suggested_for, helps)
        + _section("Cautions", [f"- {c.text} [{c.source}]" for c in r.cautions])
        + _section(
            GUIDELINES_HEADING,
            [f"[{e.source}] {stance(e)}: {flat(e.note)}" for e in guidelines]
            or ["No guideline entries."],
        )
        + _section(
            OTHER_EVIDENCE_HEADING, [f"[{e.source}] {stance(e)}: {flat(e.note)}" for e in other]
        )
        + _section("Exercises", exercise_lines(catalog, r))
        + _section("See a doctor instead if", [f"- {t}" for t in r.see_a_doctor])
        + _section("Sources", [source_line(s, note=True) for s in cited_sources(catalog, r)])
    )


def exercise_lines(catalog: Catalog, remedy: Remedy) -> list[str]:
    """The exercises a remedy links to, one a line, and how to follow them (none: empty)."""
    found = [catalog.exercise_by_slug[s] for s in remedy.exercises if s in catalog.exercise_by_slug]
    if not found:
        return []
    return [
        *(f"- {e.name} ({e.slug}): {e.purpose}" for e in found),
        "Each in full: backcare exercises show SLUG. A guided session: backcare routine",
    ]


def _line(text: str) -> str:
    return f"{text}\n" if text else ""


def source_line(s: Source, *, note: bool = False) -> str:
    """A source as one citation line, with its note if asked."""
    parts = [f"[{s.id}] {s.title}.", f"{s.publisher}."]
    if s.year:
        parts.append(f"{s.year}.")
    if s.url:
        parts.append(s.url)
    if note and s.note:
        parts.append(f"Note: {s.note}")
    return " ".join(flat(p) for p in parts)


def by_level(flags: Sequence[RedFlag]) -> list[tuple[Level, list[RedFlag]]]:
    """Warning signs grouped by their level, most urgent first."""
    return [
        (level, [f for f in flags if f.level is level])
        for level in Level
        if any(f.level is level for f in flags)
    ]


def own_action(catalog: Catalog, flag: RedFlag) -> str | None:
    """A sign's action when it says more than its level's heading, else None."""
    advice = catalog.advice_by_level.get(flag.level)

    def key(text: str) -> str:
        return flat(text).rstrip(". ").casefold()

    if advice and key(flag.action) == key(advice.heading):
        return None
    return flat(flag.action)


def _sign(catalog: Catalog, flag: RedFlag) -> str:
    action = own_action(catalog, flag)
    return f"{flag.name}: {action}" if action else flag.name


def _warning_block(catalog: Catalog, flags: Sequence[RedFlag]) -> str:
    """A card per level given; only the most urgent, unless an emergency, says "Meanwhile"."""
    out = ""
    for n, (level, at_level) in enumerate(by_level(flags)):
        advice = catalog.advice_by_level.get(level)
        out += f"{LEVEL_LABELS[level]}: {advice.heading if advice else ''}\n"
        out += "".join(f"  - {_sign(catalog, f)}\n" for f in at_level)
        if n == 0 and advice and advice.meanwhile and level is not Level.EMERGENCY:
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


def read_as_lines(s: Suggestion) -> list[str]:
    """A line for each symptom written in words that was read as a warning sign."""
    return [read_as(echo(text), [f.name for f in flags]) for text, flags in s.read_as]


def suggestion(catalog: Catalog, s: Suggestion) -> str:
    """``suggest``: warning signs first; then one line per remedy, best first."""
    out = "".join(f"{line}\n" for line in read_as_lines(s))
    out += _warning_block(catalog, s.red_flags)
    if s.level is Level.EMERGENCY:
        return out + NO_SELF_CARE + "\n"
    if not s.matches:  # only warning signs were given: no empty remedy list
        return out
    if out:
        out += f"\n{AFTER_CARD_TITLE}:\n"
    rows = []  # joined once: adding each row to the text copied it, quadratic in remedies
    for m in s.matches:
        why = "; ".join(
            [*(f"cause: {c.slug}" for c in m.causes), *(f"symptom: {t.slug}" for t in m.symptoms)]
        )
        note = against_note(m)
        fields = (m.remedy.slug, m.remedy.name, RATING_BADGES[m.rating], why, m.remedy.summary)
        rows.append(_row(*fields, *([note] if note else [])))
    return out + "".join(rows)


def suggestion_notes(catalog: Catalog, s: Suggestion) -> str:
    """What ``suggest`` tells the person on stderr: left-out remedies, legend, reminder."""
    if s.level is Level.EMERGENCY:
        return ""
    notes = [
        withheld_note(s).strip(),
        legend() if s.matches else "",
        reminder(catalog),
        time_course(catalog),
    ]
    return "\n".join(note for note in notes if note)


def withheld_note(s: Suggestion) -> str:
    """A line naming the remedies left out because of a warning sign given, if any."""
    line = withheld_line(s.withheld)
    return f"\n{line}\n" if line else ""


def withheld_line(withheld: Sequence[Remedy]) -> str:
    """The remedies left out because their own advice is a doctor with a sign given."""
    if not withheld:
        return ""
    names = ", ".join(f"{r.name} ({r.slug})" for r in withheld)
    return (
        f"Not listed, because their own advice is to see a doctor instead with this sign: {names}."
    )


def terms(items: Sequence[tuple[Term, int]]) -> str:
    """``causes`` and ``symptoms``: slug, name, remedy count, description."""
    return "".join(
        _row(t.slug, t.name, f"{n} remed{'y' if n == 1 else 'ies'}", t.description)
        for t, n in items
    )


def sources(items: Iterable[Source]) -> str:
    """``sources``: id, kind, year, title, publisher, link, note (empty fields when absent)."""
    return "".join(
        _row(s.id, s.kind.value, s.year or "", s.title, s.publisher, s.url or "", s.note or "")
        for s in items
    )


def red_flags(catalog: Catalog, flags: Sequence[RedFlag]) -> str:
    """``red-flags``: one sign a line, most urgent first: id, level, name, question, action."""
    return "".join(
        _row(f.id, LEVEL_LABELS[level], f.name, f.question, flat(f.action))
        for level, at_level in by_level(flags)
        for f in at_level
    )


def check(catalog: Catalog, triage: Triage) -> str:
    """``check``: one result card; an emergency card carries no self-care at all.

    A screening stopped early says so and what its answers mean; a result of
    no warning sign ends with the emergency signs to watch for.
    """
    level = triage.level
    out = "" if triage.complete else f"{INCOMPLETE_HEADING.upper()}: {CHECK_INCOMPLETE}\n"
    if level is None:
        if triage.emergency_ruled_out:
            out += f"RESULT: NONE\n{NO_FLAGS_HEADING}.\n{NO_FLAGS_NEXT}\n"
            out += _line(time_course(catalog))
        else:
            out += f"RESULT: INCOMPLETE\n{INCOMPLETE_NONE}\n"
    else:
        advice = catalog.advice_by_level.get(level)
        out += f"RESULT: {LEVEL_LABELS[level]}\n"
        out += f"{advice.heading.rstrip('.')}.\n" if advice else ""
        if triage.out_of_scope:
            out += f"{NOT_FOR_YOU_HEADING}:\n"
            out += "".join(f"  - {line}\n" for line in scope_lines(catalog, triage))
        for title, flags in (
            ("You answered yes to:", triage.flags),
            (UNSURE_HEADING, triage.unsure),
        ):
            if flags:
                out += f"{title}\n"
                for at, group in by_level(flags):
                    out += f"  {LEVEL_LABELS[at]}\n"
                    out += "".join(f"  - {_sign(catalog, f)}\n" for f in group)
        if meanwhile_applies(triage, advice):
            assert advice is not None
            out += "Meanwhile:\n" + "".join(f"  - {m}\n" for m in advice.meanwhile)
    emergency, others = not_asked(triage)
    if emergency:
        out += f"{NOT_ASKED_EMERGENCY} {emergency_action(catalog)}:\n"
        out += "".join(f"  - {f.name}\n" for f in emergency)
    if others:
        out += others + "\n"
    if (level is None or triage.out_of_scope) and triage.emergency_ruled_out:
        out += f"{WATCH_FOR} {emergency_action(catalog)}:\n"
        out += "".join(f"  - {name}\n" for name in emergency_signs(catalog))
    return out


def scope_lines(catalog: Catalog, triage: Triage) -> list[str]:
    """For each scope question answered yes: where to go instead, with its sources."""
    by_id = {q.id: q for q in catalog.scope}
    return [
        flat(by_id[i].action) + (f" [{', '.join(by_id[i].sources)}]" if by_id[i].sources else "")
        for i in triage.out_of_scope
        if i in by_id
    ]


def meanwhile_applies(triage: Triage, advice: LevelAdvice | None) -> bool:
    """Whether the card says what is safe meanwhile: never for an emergency, nor out of scope."""
    return bool(
        advice
        and advice.meanwhile
        and triage.level is not Level.EMERGENCY
        and not triage.out_of_scope
    )


def not_asked(triage: Triage) -> tuple[list[RedFlag], str]:
    """The emergency signs a stopped screening never asked, and a line on the others."""
    emergency = [f for f in triage.not_asked if f.level is Level.EMERGENCY]
    count = len(triage.not_asked) - len(emergency)
    others = NOT_ASKED_OTHERS.format(count=count, s="s" * (count != 1)) if count else ""
    return emergency, others


def emergency_signs(catalog: Catalog) -> list[str]:
    """The names of the emergency signs, in order."""
    return [f.name for f in red_flags_in_order(catalog) if f.level is Level.EMERGENCY]


def emergency_action(catalog: Catalog) -> str:
    """What to do with an emergency sign, as the tail of a sentence."""
    advice = catalog.advice_by_level.get(Level.EMERGENCY)
    return embedded(advice.heading.rstrip(". ")) if advice else "get help now"


def paths(layers: Sequence[Layer]) -> str:
    """``paths``: order, label, folder, whether it exists."""
    return "".join(
        _row(n, layer.label, shown(layer.path), layer_state(layer))
        for n, layer in enumerate(layers, 1)
    )


def findings(items: Sequence[Finding], checked: str) -> str:
    """``validate``: one line per finding, then a summary line."""
    lines = "".join(f"{f.format()}\n" for f in items)
    if not items:
        return f"No problems found in {checked}.\n"
    from backcare.findings import listed_problems

    real, cut_short = listed_problems(items)
    count = f"{'at least ' if cut_short else ''}{len(real)} problem{'s' * (len(real) != 1)}"
    files = len({f.path for f in items})
    return lines + f"{count} in {files} file{'s' * (files != 1)}.\n"
