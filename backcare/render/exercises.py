"""Exercises and the routine as people and scripts read them: JSON, Rich or plain text.

Rich is imported only inside the functions that build Rich views. A figure is
shown only in the Rich view of one exercise: the position is always said in
words first, so a screen reader or a pipe loses nothing without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backcare.escape import printable
from backcare.models import Catalog, Exercise, Source
from backcare.query.schedule import Done, Kind, Step, dose, total_seconds
from backcare.render.plain import _row, _section, flat, source_line

if TYPE_CHECKING:
    from rich.console import RenderableType

    from backcare.output import Output
    from backcare.query.exercises import ExerciseHit

# Said with every exercise and at the start of every session, whatever the content says.
STOP_LINE = (
    "If pain spreads down a leg, or you feel numbness or tingling: stop, and run 'backcare check'."
)
STOP_QUESTION = "Did pain spread down your leg, or did you feel numbness or tingling?"
PAIN_QUESTION = "How is the pain now, 0 to 10? (0 is no pain, 10 the worst imaginable; Enter skips)"
KEYS_LINE = "space: pause or go on   s: skip this exercise   q: end the session"
FIGURE_LABEL = "The position, drawn (the words above say the same)"


# --- words ---------------------------------------------------------------------------


def seconds(n: int) -> str:
    """``1 second``, ``5 seconds``."""
    return f"{n} second{'s' * (n != 1)}"


def duration(total: int) -> str:
    """A session's length in words: ``about 11 minutes``, ``40 seconds``."""
    if total < 90:
        return seconds(total)
    return f"about {round(total / 60)} minutes"


def times_a_day(n: int) -> str:
    """``once a day``, ``up to 3 times a day``."""
    return "once a day" if n == 1 else f"up to {n} times a day"


def dose_text(exercise: Exercise, easy: bool = False) -> str:
    """The dose in words: ``5 repetitions, each held 5 seconds; 2 sets; up to 3 times a day``."""
    hold, reps, sets = dose(exercise, easy)
    if hold == 0:
        return f"At your own pace, {times_a_day(exercise.times_a_day)}"
    text = f"{reps} repetition{'s' * (reps != 1)}, each held {seconds(hold)}"
    if sets > 1:
        text += f"; {sets} sets"
    return f"{text}; {times_a_day(exercise.times_a_day)}"


def easier_dose(exercise: Exercise) -> str | None:
    """The easier variant's dose in words, when it differs from the full one."""
    if dose(exercise, True) == dose(exercise):
        return None
    return dose_text(exercise, True)


def step_title(step: Step) -> str:
    """What a step asks, in a few words: ``Hold: 3 of 5 (set 1 of 2)``."""
    sets = f" (set {step.set} of {step.sets})" if step.sets > 1 else ""
    if step.kind is Kind.READY:
        return "Get into position"
    if step.kind is Kind.HOLD:
        return f"Hold: {step.rep} of {step.reps}{sets}"
    if step.kind is Kind.RELAX:
        return "Relax, back to the start"
    if step.kind is Kind.REST:
        return f"Rest before set {step.set + 1} of {step.sets}"
    return "At your own pace"


def heading(step: Step) -> str:
    """``Exercise 2 of 7: Pelvic tilt (pelvic-tilt)``."""
    e = step.exercise
    return f"Exercise {step.number} of {step.total}: {e.name} ({e.slug})"


# --- JSON ----------------------------------------------------------------------------


def brief(exercise: Exercise) -> dict[str, Any]:
    """The fields of an exercise that a listing needs."""
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "purpose": exercise.purpose,
        "hold_seconds": exercise.hold_seconds,
        "reps": exercise.reps,
        "sets": exercise.sets,
        "times_a_day": exercise.times_a_day,
        "origin": exercise.origin,
    }


def full(catalog: Catalog, exercise: Exercise) -> dict[str, Any]:
    """Everything about one exercise, with the sources it cites in full."""
    from backcare.render.data import source

    easy = dose(exercise, True)
    return {
        **brief(exercise),
        "position": exercise.position,
        "steps": list(exercise.steps),
        "easier": exercise.easier,
        "easier_dose": {"hold_seconds": easy[0], "reps": easy[1], "sets": easy[2]},
        "cautions": [{"text": c.text, "source": c.source} for c in exercise.cautions],
        "stop_if": [*exercise.stop_if, STOP_LINE],
        "figure": exercise.figure,
        "keywords": list(exercise.keywords),
        "sources": list(exercise.sources),
        "cited_sources": [source(s) for s in cited(catalog, exercise)],
    }


def cited(catalog: Catalog, exercise: Exercise) -> list[Source]:
    """The sources an exercise cites, in order of first mention."""
    ids = [*exercise.sources, *(c.source for c in exercise.cautions)]
    return [catalog.source_by_id[i] for i in dict.fromkeys(ids) if i in catalog.source_by_id]


# --- plain text ------------------------------------------------------------------------


def plain_list(items: Sequence[Exercise]) -> str:
    """``exercises``, piped: slug, name, dose, purpose; one line each."""
    return "".join(_row(e.slug, e.name, dose_text(e), e.purpose) for e in items)


def plain_hits(hits: Sequence[ExerciseHit]) -> str:
    """The exercises a search found, as ``exercises`` lists them, after a title line."""
    if not hits:
        return ""
    return "\nEXERCISES\n" + plain_list([h.exercise for h in hits])


def plain_full(catalog: Catalog, exercise: Exercise) -> str:
    """``exercises show``, piped: headed sections, the figure left out."""
    e = exercise
    easier = [flat(e.easier)]
    if easier_dose(e):
        easier.append(f"Easier dose: {easier_dose(e)}.")
    return (
        f"{e.name} ({e.slug})\n{e.purpose}\nDose: {dose_text(e)}. Layer: {e.origin}.\n"
        + _section("Starting position", [flat(e.position)])
        + _section("How to", [f"{n}. {step}" for n, step in enumerate(e.steps, 1)])
        + _section("Easier", easier)
        + _section("Cautions", [f"- {c.text} [{c.source}]" for c in e.cautions])
        + _section("When to stop", [f"- {t}" for t in [*e.stop_if, STOP_LINE]])
        + _section("Sources", [source_line(s) for s in cited(catalog, e)])
    )


def timer_hint(exercise: Exercise) -> str:
    """How to do an exercise with the timer: for the person, never part of piped data."""
    return f"Follow it with a timer: backcare routine --exercise {exercise.slug}"


def checklist(steps: Sequence[Step], easy: bool, extra: Sequence[Exercise] = ()) -> str:
    """The routine written out for a pipe, a screen reader or a terminal without a timer.

    One block per exercise: how to do it, then a box per set with its holds
    and repetitions in words. ``extra`` are exercises to do afterwards at one's
    own pace (a walk).
    """
    count = steps[-1].total if steps else 0
    variant = ", the easier variant" if easy else ""
    out = (
        f"ROUTINE: {count} exercise{'s' * (count != 1)}{variant},"
        f" {duration(total_seconds(steps))} with the pauses.\n{STOP_LINE}\n"
    )
    for index, step in enumerate(steps):
        e = step.exercise
        if step.kind in (Kind.READY, Kind.OWN_PACE):
            out += f"\n{heading(step)}\n  Position: {flat(e.position)}\n"
            if easy:
                out += f"  Easier: {flat(e.easier)}\n"
            out += "".join(f"  {n}. {s}\n" for n, s in enumerate(e.steps, 1))
            if step.kind is Kind.OWN_PACE:
                out += f"  [ ] {dose_text(e, easy)}\n"
        elif step.kind is Kind.HOLD and step.rep == 1:
            sets = f"Set {step.set} of {step.sets}: " if step.sets > 1 else ""
            after = steps[index + 1] if index + 1 < len(steps) else None
            relax = after.seconds if after and after.kind is Kind.RELAX else 0
            out += (
                f"  [ ] {sets}{step.reps} repetition{'s' * (step.reps != 1)},"
                f" hold each for {seconds(step.seconds)}"
                + (f" (relax {seconds(relax)} between them)" if relax else "")
                + "\n"
            )
        elif step.kind is Kind.REST:
            out += f"  [ ] Rest for {seconds(step.seconds)}\n"
    if extra:
        out += "\nAFTERWARDS\n" + "".join(
            f"  [ ] {e.name} ({e.slug}): {dose_text(e)}; see 'backcare exercises show {e.slug}'\n"
            for e in extra
        )
    return out


def summary_lines(done: Sequence[Done]) -> list[str]:
    """What a session got through, an exercise a line."""
    lines = []
    for d in done:
        if d.complete:
            state = "done"
        elif d.holds_done:
            state = f"{d.holds_done} of {d.holds_total} holds, then stopped"
        else:
            state = "not done"
        lines.append(f"{d.exercise.name} ({d.exercise.slug}): {state}")
    return lines


# --- Rich ----------------------------------------------------------------------------


def rich_list(items: Sequence[Exercise], title: str = "Exercises") -> RenderableType:
    """``exercises`` at a terminal: a table, or stacked entries when narrow."""
    from rich.console import Group
    from rich.text import Text

    from backcare.render import rich_view as rv

    def build(width: int) -> RenderableType:
        if width < rv.WIDE:
            entries = [
                Group(
                    rv.named(e.name, e.slug),
                    rv.indented(Group(rv.t(dose_text(e), "dim"), rv.t(e.purpose))),
                )
                for e in items
            ]
            body: RenderableType = rv._stack(title, entries)
        else:
            table = rv._table(title)
            table.add_column("Exercise (slug)", max_width=rv.NAME_WIDTH, overflow="fold")
            table.add_column("Dose", ratio=1, overflow="fold")
            table.add_column("What it is", ratio=1, overflow="fold")
            for e in items:
                name = rv.t(e.name, "bold")
                name.append(printable(f"\n({e.slug})"), style="cyan")
                table.add_row(name, rv.t(dose_text(e)), rv.t(e.purpose))
            body = table
        return Group(
            body,
            Text(""),
            rv.t("Show one in full with: backcare exercises show SLUG", "dim"),
            rv.t("Follow them with a timer: backcare routine", "dim"),
        )

    return rv.ByWidth(build)


def rich_full(catalog: Catalog, exercise: Exercise) -> RenderableType:
    """``exercises show`` at a terminal: a panel; the figure, when there is one, after the words."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from backcare.render import rich_view as rv

    e = exercise
    meta = rv.hanging([("Dose: ", rv.t(dose_text(e)))], "bold")
    parts: list[RenderableType] = [rv.t(e.purpose, "italic"), meta]
    parts += [rv._heading("Starting position"), rv.t(flat(e.position))]
    if e.figure:
        drawing = Text(printable(e.figure), no_wrap=True, overflow="crop")
        parts += [Text(FIGURE_LABEL, style="dim"), rv.indented(drawing, 2)]
    steps = rv.hanging(((f"{n}. ", rv.t(s)) for n, s in enumerate(e.steps, 1)), "bold")
    parts += [rv._heading("How to"), steps]
    easier = [rv.t(flat(e.easier))]
    if easier_dose(e):
        easier.append(rv.t(f"Easier dose: {easier_dose(e)}.", "dim"))
    parts += [rv._heading("Easier"), *easier]
    if e.cautions:
        parts += [
            rv._heading("Cautions"),
            rv.bullets(
                rv.t(c.text) + Text(printable(f" [{c.source}]"), style="dim") for c in e.cautions
            ),
        ]
    stop = [rv.t(t) for t in e.stop_if] + [rv.t(STOP_LINE, "bold")]
    parts += [rv._heading("When to stop"), rv.bullets(stop)]
    parts += [rv._heading("Sources"), rv.bullets(rv._source(s) for s in cited(catalog, e))]
    footer = rv.t(f"layer: {e.origin}", "dim")
    follow = rv.t(timer_hint(e), "dim")

    def build(width: int) -> RenderableType:
        title = rv.named(e.name, e.slug)
        fits = title.cell_len <= width - 8 and footer.cell_len <= width - 8
        panel = Panel(
            Group(*parts) if fits else Group(title, *parts),
            title=title if fits else None,
            title_align="left",
            subtitle=footer if fits else None,
            subtitle_align="right",
            box=box.ROUNDED,
        )
        return Group(panel, *([] if fits else [footer]), follow)

    return rv.ByWidth(build)


def rich_hits(hits: Sequence[ExerciseHit]) -> list[RenderableType]:
    """The exercises a search found, as a listing of their own (nothing when none)."""
    if not hits:
        return []
    return [rich_list([h.exercise for h in hits], title="Matching exercises")]


def rich_checklist(
    steps: Sequence[Step], easy: bool, extra: Sequence[Exercise] = ()
) -> RenderableType:
    """The checklist for a terminal without the timer: the same words, no live display."""
    from backcare.render import rich_view as rv

    return rv.t(checklist(steps, easy, extra))


# --- entry points ------------------------------------------------------------------------


def exercise_list(out: Output, items: Sequence[Exercise], *, as_json: bool) -> None:
    """``exercises``."""
    from backcare.render import _emit

    _emit(
        out,
        as_json,
        lambda data: {"exercises": [brief(e) for e in items]},
        lambda rv: rich_list(items),
        lambda plain: plain_list(items),
    )


def exercise(out: Output, catalog: Catalog, item: Exercise, *, as_json: bool) -> None:
    """``exercises show``."""
    from backcare.render import _emit

    _emit(
        out,
        as_json,
        lambda data: {"exercise": full(catalog, item)},
        lambda rv: rich_full(catalog, item),
        lambda plain: plain_full(catalog, item),
        lambda plain: timer_hint(item),
    )


def routine_checklist(
    out: Output, steps: Sequence[Step], easy: bool, extra: Sequence[Exercise] = ()
) -> None:
    """``routine`` without a timer: the session as a checklist."""
    from backcare.render import _emit

    _emit(
        out,
        False,
        lambda data: {},
        lambda rv: rich_checklist(steps, easy, extra),
        lambda plain: checklist(steps, easy, extra),
    )
