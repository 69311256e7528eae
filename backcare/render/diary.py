"""Rendering the pain diary: a logged entry, the entries, progress, and "see someone" cards.

Each function picks JSON, CSV, Rich (a terminal) or plain lines (a pipe), as
the rest of ``backcare.render`` does; Rich is imported only for a terminal.
User text (notes, remedy names) is escaped wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backcare.escape import printable
from backcare.render.words import LEVEL_LABELS

if TYPE_CHECKING:
    from datetime import date

    from rich.console import RenderableType

    from backcare.models import Catalog, DiaryEntry, Level
    from backcare.output import Output
    from backcare.query.trends import Alert, Day, Helps, Progress, Trend

#: Said under "what seems to help you", every time it is shown.
HELP_CAVEAT = (
    "This is your own record, not proof: pain changes for many reasons, and most back"
    " pain eases over a few weeks whatever is tried."
)
NOT_ENOUGH_HELP = "Nothing tried at least 3 times with another entry within a day yet."
SEE_SOMEONE = "When to see someone"
CSV_FIELDS = ("id", "at", "local", "pain", "limits", "tried", "note")
BAR = 20  # characters for 0 to 10 in the chart, when there is room
NARROW = 60  # below this many columns: no entries table, a shorter chart


# --- words shared by every form ---


def when(entry: DiaryEntry) -> str:
    """An entry's local time as people read it: ``2026-12-02 08:15``."""
    return f"{entry.local:%Y-%m-%d %H:%M}"


def short_id(entry_id: str) -> str:
    """The first 8 hex digits of an id: enough to name an entry in ``diary edit``."""
    return entry_id[:8]


def entry_line(entry: DiaryEntry) -> str:
    """One entry in one line."""
    parts = [short_id(entry.id), when(entry), f"pain {entry.pain}/10"]
    if entry.limits is not None:
        parts.append(f"limits {entry.limits}/10")
    if entry.tried:
        parts.append("tried " + ", ".join(entry.tried))
    if entry.note:
        parts.append(f"note: {' '.join(entry.note.split())}")
    return "  ".join(parts)  # made printable where it is written


def trend_words(trend: Trend | None) -> str:
    """The trend in words: "down from 7 to 4 over 9 days"."""
    if trend is None:
        return "Not enough days yet for a trend (it needs two days with entries)."
    span = f"over {trend.days} days ({_day(trend.first)} to {_day(trend.last)})"
    if trend.direction == "steady":
        return f"About the same, around {_points(trend.end)}, {span}."
    start, end = _points(trend.start), _points(trend.end)
    return f"{trend.direction.capitalize()} from {start} to {end} {span}."


def help_line(item: Helps) -> str:
    """One remedy's record: how much pain changed at the next entry, and how often it was tried."""
    if abs(item.change) < 0.05:
        change = "no change in pain"
    else:
        change = f"pain {_points(abs(item.change))} {'lower' if item.change < 0 else 'higher'}"
    return printable(f"{item.remedy}: {change} at the next entry, on average ({item.times} times)")


def alert_lines(catalog: Catalog, alert: Alert) -> list[str]:
    """An alert's card as lines: what was seen, what to do, and the source."""
    from backcare.render.plain import own_action

    lines = [f"{alert.rule.name}:" if alert.flags else f"{alert.rule.name}: {alert.detail}."]
    for flag in alert.flags:
        action = own_action(catalog, flag)
        lines.append(f"  - {flag.name}" + (f": {action}" if action else ""))
    lines.append(alert.rule.advice)
    lines.append("Source: " + "; ".join(_source(catalog, s) for s in alert.rule.sources))
    return [printable(line) for line in lines]


def heading(catalog: Catalog, level: Level, group: Sequence[Alert] = ()) -> str:
    """The card's first line: the level, and what the level asks when a warning sign is named.

    A diary rule says what to do itself (a pharmacist after two weeks, a doctor
    after a few), so its card does not add the level's own advice.
    """
    advice = catalog.advice_by_level.get(level)
    if advice is None or (group and not any(a.flags for a in group)):
        return LEVEL_LABELS[level]
    return f"{LEVEL_LABELS[level]}: {advice.heading}"


def _source(catalog: Catalog, source_id: str) -> str:
    source = catalog.source_by_id.get(source_id)
    if source is None:
        return source_id
    return f"{source.publisher}, {source.title}" + (f" ({source.url})" if source.url else "")


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _points(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


# --- what each command shows ---


def cards(out: Output, catalog: Catalog, alerts: Sequence[Alert]) -> None:
    """The "see someone" cards, most urgent first, before anything else a command shows.

    With an emergency, only the emergency card: nothing may stand beside it.
    """
    if not alerts:
        return
    if alerts[0].level.value == "emergency":
        alerts = [a for a in alerts if a.level is alerts[0].level]
    if out.rich:
        out.console().print(_rich_cards(catalog, alerts))
        return
    text = ""
    for n, (level, group) in enumerate(_by_level(alerts)):
        text += ("\n" if n else "") + f"{heading(catalog, level, group)}\n"
        for alert in group:
            text += "".join(f"  {line}\n" for line in alert_lines(catalog, alert))
    out.write(text + "\n")


def refused(
    out: Output,
    catalog: Catalog,
    alerts: Sequence[Alert],
    status: int,
    message: str,
    hint: str | None,
    *,
    as_json: bool,
) -> None:
    """``log`` that failed after its note named a warning sign: the card, then the error."""
    if as_json:
        from backcare.render.data import dumps

        out.error(message, hint)
        error = {"code": int(status), "message": message, "hint": hint}
        out.write_json(dumps({"error": error, **_alerts_data(catalog, alerts)}))
        return
    cards(out, catalog, alerts)
    from backcare.render import failure

    failure(out, status, message, hint)


def logged(
    out: Output, catalog: Catalog, entry: DiaryEntry, alerts: Sequence[Alert], *, as_json: bool
) -> None:
    """``log``: any card first, then the one line saying what was recorded."""
    if as_json:
        from backcare.render.data import dumps

        out.write_json(dumps({"logged": entry_data(entry), **_alerts_data(catalog, alerts)}))
        return
    cards(out, catalog, alerts)
    out.write(f"Logged: {entry_line(entry)}\n")  # write() makes it printable


def entries(out: Output, items: Sequence[DiaryEntry], *, as_json: bool, as_csv: bool) -> None:
    """``diary``: the entries, newest first."""
    if as_json:
        from backcare.render.data import dumps

        out.write_json(dumps({"entries": [entry_data(e) for e in items]}))
    elif as_csv:
        out.json = True  # like JSON, stdout keeps only the data: the disclaimer goes to stderr
        out.env.stdout.write(csv_text(items))
    elif not items:
        out.note("The diary has no entries here yet. Record one with 'backcare log PAIN'.")
    elif out.rich:
        console = out.console()
        console.print(_rich_entries(items, console.width))
    else:
        out.write("".join(entry_line(e) + "\n" for e in items))


def progress(out: Output, catalog: Catalog, report: Progress, *, as_json: bool) -> None:
    """``progress``: any card first, then the chart, the trend and what seems to help."""
    if as_json:
        from backcare.render.data import dumps

        out.write_json(dumps(progress_data(catalog, report)))
        return
    cards(out, catalog, report.alerts)
    if not report.days:
        out.note("The diary has no entries for this period. Record one with 'backcare log PAIN'.")
        return
    if out.rich:
        console = out.console()
        unicode = console.encoding.lower().startswith("utf")
        console.print(_rich_progress(report, unicode, console.width))
        return
    text = "Daily pain (worst, average, entries):\n"
    text += "".join(
        f"{d.day:%Y-%m-%d}  worst {d.worst}  average {_points(d.average)}  ({d.entries})\n"
        for d in report.days
    )
    text += f"\nTrend: {trend_words(report.trend)}\n\nWhat seems to help you:\n"
    text += "".join(f"  {help_line(h)}\n" for h in report.helps) or f"  {NOT_ENOUGH_HELP}\n"
    text += f"  {HELP_CAVEAT}\n"
    out.write(text)


# --- data: JSON and CSV ---


def entry_data(entry: DiaryEntry) -> dict[str, Any]:
    """One entry as JSON data; export writes exactly this, one per line."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "utc_offset_minutes": entry.utc_offset_minutes,
        "local": entry.local.isoformat(),
        "pain": entry.pain,
        "limits": entry.limits,
        "tried": list(entry.tried),
        "note": entry.note,
    }


def csv_text(items: Sequence[DiaryEntry]) -> str:
    """Entries as CSV; a cell a spreadsheet would run as a formula is made plain text."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for e in items:
        tried = _cell(";".join(e.tried))
        writer.writerow(
            [e.id, e.at.isoformat(), e.local.isoformat(), e.pain, e.limits, tried, _cell(e.note)]
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet would take for a formula, with a quote in front so it stays text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def progress_data(catalog: Catalog, report: Progress) -> dict[str, Any]:
    """``progress --json``: the numbers behind the chart, the trend and the help table."""
    trend = report.trend
    return {
        "days": [
            {"day": d.day.isoformat(), "worst": d.worst, "average": d.average, "entries": d.entries}
            for d in report.days
        ],
        "trend": None
        if trend is None
        else {
            "direction": trend.direction,
            "start": trend.start,
            "end": trend.end,
            "first": trend.first.isoformat(),
            "last": trend.last.isoformat(),
            "days": trend.days,
            "words": trend_words(trend),
        },
        "helps": [{"remedy": h.remedy, "times": h.times, "change": h.change} for h in report.helps],
        "helps_caveat": HELP_CAVEAT,
        **_alerts_data(catalog, report.alerts),
    }


def _alerts_data(catalog: Catalog, alerts: Sequence[Alert]) -> dict[str, Any]:
    level = alerts[0].level.value if alerts else "none"
    return {
        "result": level,
        "alerts": [
            {
                "rule": a.rule.id,
                "level": a.level.value,
                "name": a.rule.name,
                "detail": a.detail,
                "action": heading(catalog, a.level, [a]),
                "advice": a.rule.advice,
                "sources": list(a.rule.sources),
                "warning_signs": [f.id for f in a.flags],
            }
            for a in alerts
        ],
    }


def _by_level(alerts: Sequence[Alert]) -> list[tuple[Level, list[Alert]]]:
    groups: dict[Level, list[Alert]] = {}
    for alert in alerts:  # already most urgent first
        groups.setdefault(alert.level, []).append(alert)
    return list(groups.items())


# --- Rich, for a terminal ---


def _rich_cards(catalog: Catalog, alerts: Sequence[Alert]) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from backcare.render.rich_view import _card, level_label

    panels = []
    for level, group in _by_level(alerts):
        advice = catalog.advice_by_level.get(level)
        named = any(a.flags for a in group)
        body: list[RenderableType] = []
        if advice is not None and named:
            body.append(Text(advice.heading, style="bold"))
        for alert in group:
            lines = alert_lines(catalog, alert)
            body += [Text("")] if body else []
            body += [Text(lines[0], style="bold"), *(Text(x) for x in lines[1:])]
        title = level_label(level)
        title.append(f" {SEE_SOMEONE} ")
        panels.append(_card(level, body, title))
    return Group(*panels)


def _rich_entries(items: Sequence[DiaryEntry], width: int) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if width < NARROW:  # no room for a table: one wrapped line per entry, nothing cut
        return Group(*(Text(printable(entry_line(e))) for e in items))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, justify in (("id", "left"), ("when", "left"), ("pain", "right")):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    table.add_column("limits", justify="right", no_wrap=True)
    table.add_column("tried", overflow="fold")
    table.add_column("note", overflow="fold", ratio=1)
    for e in items:
        table.add_row(
            short_id(e.id),
            when(e),
            str(e.pain),
            "" if e.limits is None else str(e.limits),
            printable(", ".join(e.tried)),
            printable(e.note),
        )
    return table


def _rich_progress(report: Progress, unicode: bool, width: int) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    chart = Table(box=None, show_header=True, pad_edge=False, title_justify="left")
    chart.title = "Daily pain: worst (light) and average (solid), 0 to 10"
    chart.add_column("day", no_wrap=True)
    narrow = width < NARROW
    # Room for the bar: the width less the day (10 or 6), "worst", "avg" and the gaps.
    bar = max(5, min(BAR, width - (6 if narrow else 10) - 5 - 3 - 4))
    chart.add_column("", no_wrap=True, width=bar)
    chart.add_column("worst", justify="right", no_wrap=True, min_width=5)
    chart.add_column("avg", justify="right", no_wrap=True, min_width=3)
    for d in report.days:
        label = _day(d.day) if narrow else f"{d.day:%a} {_day(d.day)}"
        chart.add_row(label, _bar(d, unicode, bar), str(d.worst), _points(d.average))
    helps = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    helps.add_column("tried", overflow="fold")
    helps.add_column("change at next entry", justify="right", no_wrap=True)
    helps.add_column("times", justify="right", no_wrap=True)
    for h in report.helps:
        sign = "-" if h.change < 0 else "+"
        helps.add_row(printable(h.remedy), f"{sign}{_points(abs(h.change))}", str(h.times))
    parts: list[RenderableType] = [
        chart,
        Text(""),
        Text("Trend: ", style="bold") + Text(trend_words(report.trend)),
        Text(""),
        Text("What seems to help you", style="bold"),
        helps if report.helps else Text(NOT_ENOUGH_HELP),
        Text(HELP_CAVEAT, style="dim"),
    ]
    return Group(*parts)


def _bar(day: Day, unicode: bool, width: int) -> Any:
    """Average as a solid bar, the rest of the worst as a light one (ASCII where needed)."""
    from rich.text import Text

    full, part = ("\u2588", "\u2591") if unicode else ("#", ".")
    solid = round(day.average * width / 10)
    light = max(round(day.worst * width / 10) - solid, 0)
    style = "red" if day.worst >= 8 else "yellow" if day.worst >= 5 else "green"
    bar = Text(full * solid, style=style)
    bar.append(part * light, style=style)
    return bar
