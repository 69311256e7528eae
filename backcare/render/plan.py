"""``plan``: the week as JSON, Rich or plain text, and as an iCalendar file.

A plan with warning signs is shown as their card alone, as ``suggest`` shows
an emergency: the card is the whole answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backcare.render import _emit

if TYPE_CHECKING:
    from rich.console import RenderableType

    from backcare.models import Catalog
    from backcare.output import Output
    from backcare.query.plan import Plan

PLAN_TITLE = "A plan for the week from"
CARD_INSTEAD = (
    "No plan is shown: a warning sign was given or recorded, and it needs a professional"
    " first. Run 'backcare plan' again once you have been seen."
)
ROUTINE_LEAD = "The exercises ('backcare routine' walks you through them)"
RECORDED_WHERE = {"diary": "a recent diary note", "check": "your last saved check"}


def show(out: Output, catalog: Catalog, plan: Plan, *, as_json: bool) -> None:
    """``plan``."""
    _emit(
        out,
        as_json,
        lambda data: to_data(plan),
        lambda rv: to_rich(catalog, plan),
        lambda plain: to_plain(catalog, plan),
    )


def short_date(day: Any) -> str:
    """``Wed 2 Dec``."""
    return f"{day:%a} {day.day} {day:%b}"


def to_data(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (shape in the README)."""
    from backcare.render.data import red_flag

    level = plan.level
    return {
        "start": plan.start.isoformat(),
        "causes": [c.slug for c in plan.causes],
        "symptoms": [s.slug for s in plan.symptoms],
        "result": level.value if level else "none",
        "warning_signs": [red_flag(f) for f in plan.flags],
        "recorded_in": list(plan.recorded),
        "action": plan.advice.heading if plan.advice else None,
        "days": [
            {
                "date": d.day.isoformat(),
                "walking_minutes": d.minutes,
                "repetitions": d.repetitions,
                "walking": d.walking,
                "exercises": d.exercises,
            }
            for d in plan.days
        ],
        "exercises": [{"slug": slug, "name": name} for slug, name in plan.exercises],
        "remedies": [
            {"slug": r.slug, "name": r.name, "rating": r.rating.value, "summary": r.summary}
            for r in plan.remedies
        ],
        "avoid": list(plan.avoid),
        "reviews": [
            {"date": r.day.isoformat(), "kind": r.part.value, "text": r.text} for r in plan.reviews
        ],
        "trend": (
            {
                "direction": plan.trend.direction.value,
                "first": plan.trend.first,
                "last": plan.trend.last,
                "days": plan.trend.days,
            }
            if plan.trend
            else None
        ),
        "diary_note": plan.diary_note,
        "sources": list(plan.sources),
    }


def _card_plain(catalog: Catalog, plan: Plan) -> str:
    from backcare.render.plain import _warning_block

    where = " and ".join(RECORDED_WHERE[w] for w in plan.recorded)
    found = f"Found in {where}.\n" if where else ""
    return _warning_block(catalog, plan.flags) + found + CARD_INSTEAD + "\n"


def to_plain(catalog: Catalog, plan: Plan) -> str:
    """Plain text: the days one per line (date, minutes, repetitions), then the rest."""
    if plan.flags and not plan.days:
        return _card_plain(catalog, plan)
    card = _card_plain(catalog, plan).replace(CARD_INSTEAD + "\n", "") + "\n" if plan.flags else ""
    from backcare.query.plan import long_date

    lines = [card + f"{PLAN_TITLE} {long_date(plan.start)}"]
    asked = [*(c.name for c in plan.causes), *(s.name for s in plan.symptoms)]
    if asked:
        lines.append("For: " + ", ".join(asked))
    if plan.diary_note:
        lines.append(plan.diary_note)
    lines += ["", "Each day:"]
    lines += [
        f"  {short_date(d.day)}\twalk {d.minutes} min\texercises {d.repetitions} of each"
        for d in plan.days
    ]
    if plan.days:
        lines += ["", "How:", f"  - {plan.days[0].walking}", f"  - {plan.days[0].exercises}"]
    if plan.exercises:
        lines.append(f"  - {ROUTINE_LEAD}: " + ", ".join(name for _, name in plan.exercises))
    if plan.remedies:
        lines += ["", "Remedies that fit, best supported first:"]
        lines += [f"  - {r.name} ({r.slug}, {r.rating.value}): {r.summary}" for r in plan.remedies]
    if plan.avoid:
        lines += ["", "Avoid:"] + [f"  - {a}" for a in plan.avoid]
    if plan.reviews:
        lines += ["", "When to see someone:"] + [f"  - {r.text}" for r in plan.reviews]
    lines += ["", "Sources: " + ", ".join(plan.sources)]
    return "\n".join(lines) + "\n"


def to_rich(catalog: Catalog, plan: Plan) -> RenderableType:
    """For a terminal: the same sections, the days in a small table."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from backcare.query.plan import long_date
    from backcare.render import rich_view as rv

    parts: list[RenderableType] = []
    if plan.flags:
        where = " and ".join(RECORDED_WHERE[w] for w in plan.recorded)
        parts += rv.warning_cards(catalog, plan.flags)
        if where:
            parts.append(rv.t(f"Found in {where}.", "italic"))
        if not plan.days:
            parts.append(rv.t(CARD_INSTEAD, "bold"))
            return Group(*parts)
        parts.append(Text(""))
    parts.append(rv.t(f"{PLAN_TITLE} {long_date(plan.start)}", "bold underline"))
    asked = [*(c.name for c in plan.causes), *(s.name for s in plan.symptoms)]
    if asked:
        parts.append(rv.t("For: " + ", ".join(asked), "dim"))
    if plan.diary_note:
        parts.append(rv.t(plan.diary_note, "italic"))
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
    table.add_column("Day", no_wrap=True)
    table.add_column("Walk", justify="right", no_wrap=True)
    table.add_column("Exercises", justify="right", no_wrap=True)
    for d in plan.days:
        table.add_row(short_date(d.day), f"{d.minutes} min", f"{d.repetitions} of each")
    parts += [Text(""), table]
    if plan.days:
        how = [rv.t(plan.days[0].walking), rv.t(plan.days[0].exercises)]
        if plan.exercises:
            how.append(rv.t(f"{ROUTINE_LEAD}: " + ", ".join(n for _, n in plan.exercises)))
        parts += [Text(""), rv.bullets(how)]

    def section(title: str, items: list[Text]) -> None:
        if items:
            parts.extend([Text(""), rv.t(title, "bold"), rv.bullets(items)])

    section(
        "Remedies that fit, best supported first",
        [rv.t(f"{r.name} ({r.slug}, {r.rating.value}): {r.summary}") for r in plan.remedies],
    )
    section("Avoid", [rv.t(a) for a in plan.avoid])
    section("When to see someone", [rv.t(r.text) for r in plan.reviews])
    parts += [Text(""), rv.t("Sources: " + ", ".join(plan.sources), "dim")]
    return Group(*parts)
