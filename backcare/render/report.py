"""``report``: the diary handout as one self-contained HTML file, or as Markdown.

Jinja2 fills the templates in ``backcare/templates`` with autoescaping on for
HTML, so every value (a note, a slug, a remedy's name) is escaped unless a
template says otherwise, and none does. The chart is inline SVG whose
coordinates are numbers computed here. Jinja2 is imported only by this module,
which only ``backcare report`` imports.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from backcare.escape import printable

if TYPE_CHECKING:
    from jinja2 import Environment

    from backcare.query.report import Report, Tried

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CHART_WIDTH = 680
CHART_HEIGHT = 170
CHART_LEFT = 28  # room for the 0-10 labels
CHART_BOTTOM = 18  # room for the dates
CHART_TOP = 6
TREND_WORDS = {"up": "rising", "down": "easing", "steady": "about the same"}
# Characters that Markdown could read as formatting, a link, markup or a table cell's
# end, escaped in user text. User text never starts a line, so line-start marks
# (#, -, +, 1.) need no escape.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]|<>~&])")


class Point(NamedTuple):
    """One day on the chart."""

    x: float
    worst_y: float
    average_y: float
    day: date
    worst: int
    average: float


class Chart(NamedTuple):
    """The chart's geometry, all numbers: the template only places them."""

    width: int
    height: int
    left: int
    bottom: float
    points: tuple[Point, ...]
    worst_line: str
    average_line: str
    grid: tuple[tuple[int, float], ...]  # (pain, y)
    ticks: tuple[tuple[float, str], ...]  # (x, label)


def chart(report: Report) -> Chart:
    """Place each day of the period on a 0-10 chart, dated along the bottom."""
    span = max(1, (report.until - report.since).days)
    inner = CHART_WIDTH - CHART_LEFT - 8
    bottom = CHART_HEIGHT - CHART_BOTTOM
    scale = (bottom - CHART_TOP) / 10

    def x_of(day: date) -> float:
        return round(CHART_LEFT + inner * (day - report.since).days / span, 1)

    def y_of(pain: float) -> float:
        return round(bottom - pain * scale, 1)

    points = tuple(
        Point(x_of(d.day), y_of(d.worst), y_of(d.average), d.day, d.worst, d.average)
        for d in report.days
    )
    step = 7 if span > 10 else 1
    ticks = tuple(
        (x_of(report.since.fromordinal(report.since.toordinal() + n)), _short(n, report))
        for n in range(0, span + 1, step)
    )
    return Chart(
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_LEFT,
        bottom,
        points,
        " ".join(f"{p.x},{p.worst_y}" for p in points),
        " ".join(f"{p.x},{p.average_y}" for p in points),
        tuple((pain, y_of(pain)) for pain in range(0, 11, 2)),
        ticks,
    )


def _short(offset: int, report: Report) -> str:
    day = report.since.fromordinal(report.since.toordinal() + offset)
    return f"{day.day} {day:%b}"


def helps_words(item: Tried) -> str:
    """The person's own figure for one thing tried, in words."""
    if item.change is None:
        return f"too few follow-up entries to say ({item.followed} of {item.times})"
    if item.change <= -0.5:
        how = f"pain {abs(item.change):.1f} lower"
    elif item.change >= 0.5:
        how = f"pain {item.change:.1f} higher"
    else:
        how = "pain about the same"
    return f"{how} at the next entry, on average ({item.followed} of {item.times} tries)"


def markdown_text(value: object) -> str:
    """User text made literal in Markdown: one line, every formatting character escaped."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(value).split()))


def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Control characters and bidirectional overrides in a note could hide or
        # reorder what a reader sees; they become U+FFFD, as in the terminal.
        finalize=lambda value: printable(value) if isinstance(value, str) else value,
    )
    environment.filters["md"] = markdown_text
    environment.filters["day"] = lambda d: f"{d:%a} {d.day} {d:%b %Y}"
    environment.filters["clock"] = lambda d: f"{d:%a} {d.day} {d:%b} {d:%H:%M}"
    return environment


def _context(report: Report, disclaimer: str, generated: datetime) -> dict[str, Any]:
    pains = [e.pain for e in report.entries]
    return {
        "r": report,
        "chart": chart(report),
        "helps": helps_words,
        "trend_words": TREND_WORDS,
        "average": round(sum(pains) / len(pains), 1) if pains else None,
        "worst": max(pains) if pains else None,
        "yes": [a for a in report.answers if a.answer == "yes"],
        "others": [a for a in report.answers if a.answer != "yes"],
        "disclaimer": disclaimer,
        "generated": generated,
    }


def html(report: Report, disclaimer: str, generated: datetime) -> str:
    """The handout as one HTML document: no script, no external resource of any kind."""
    template = _environment().get_template("report.html")
    return template.render(_context(report, disclaimer, generated))


def markdown(report: Report, disclaimer: str, generated: datetime) -> str:
    """The handout as Markdown, for pasting into a message."""
    template = _environment().get_template("report.md")
    return template.render(_context(report, disclaimer, generated))
