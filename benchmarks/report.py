"""Render tables as aligned plain text or as Markdown."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Table:
    """A titled table of strings; columns whose header starts with '>' are right-aligned."""

    title: str
    headers: Sequence[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self, *, markdown: bool) -> str:
        """Return the table (and its notes) as Markdown or as aligned plain text."""
        body = (self._markdown() if markdown else self._plain()) if self.rows else []
        title = f"### {self.title}" if markdown else self.title
        notes = [f"- {n}" if markdown else f"  * {n}" for n in self.notes]
        return "\n".join([title, *(["", *body] if body else []), *(["", *notes] if notes else [])])

    def _names(self) -> list[str]:
        return [h.lstrip(">") for h in self.headers]

    def _right(self) -> list[bool]:
        return [h.startswith(">") for h in self.headers]

    def _markdown(self) -> list[str]:
        align = ["---:" if r else ":---" for r in self._right()]
        lines = [self._names(), align, *self.rows]
        return ["| " + " | ".join(cells) + " |" for cells in lines]

    def _plain(self) -> list[str]:
        names = self._names()
        widths = [max(len(row[i]) for row in [names, *self.rows]) for i in range(len(names))]
        right = self._right()

        def line(cells: Sequence[str]) -> str:
            parts = [
                c.rjust(w) if r else c.ljust(w)
                for c, w, r in zip(cells, widths, right, strict=True)
            ]
            return "  ".join(parts).rstrip()

        return [line(names), line(["-" * w for w in widths]), *(line(r) for r in self.rows)]


def fmt(value: float, digits: int = 1, suffix: str = "") -> str:
    """Format a number, or an em dash when it is missing (NaN)."""
    if math.isnan(value):
        return "—"
    return f"{value:.{digits}f}{suffix}"


def ratio(value: float, reference: float) -> float:
    """Return ``value / reference``, or NaN when either is missing or zero."""
    if math.isnan(value) or math.isnan(reference) or reference == 0:
        return float("nan")
    return value / reference
