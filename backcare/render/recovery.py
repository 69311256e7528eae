"""Rendering for ``recovery`` and ``config``: JSON, Rich or plain text.

Rich is imported only when a terminal asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backcare.render import _emit

if TYPE_CHECKING:
    from rich.console import RenderableType

    from backcare.models import Catalog
    from backcare.output import Output
    from backcare.query.settings import Setting


def recovery(out: Output, catalog: Catalog, *, as_json: bool) -> None:
    """``recovery``: the time course and advice, then when to get it looked at."""
    _emit(
        out,
        as_json,
        lambda data: _recovery_data(data, catalog),
        lambda rv: _recovery_rich(catalog),
        lambda plain: _recovery_plain(catalog),
    )


def settings(out: Output, rows: Sequence[Setting], catalog: Catalog, *, as_json: bool) -> None:
    """``config``: each setting, its value and where it came from."""
    _emit(
        out,
        as_json,
        lambda data: {
            "settings": [{"name": s.name, "value": s.value, "origin": s.origin} for s in rows],
            "regions": [
                {"id": r.id, "name": r.name, "emergency": r.emergency, "urgent": r.urgent}
                for r in catalog.regions
            ],
        },
        lambda rv: _settings_rich(rows, catalog),
        lambda plain: "".join(plain._row(s.name, s.value, s.origin) for s in rows),
        lambda plain: _regions_line(catalog),
    )


def _regions_line(catalog: Catalog) -> str:
    return "Regions: " + ", ".join(f"{r.id} ({r.name})" for r in catalog.regions) + "."


def _cited(catalog: Catalog, ids: Sequence[str]) -> list[str]:
    return [i for i in dict.fromkeys(ids) if i in catalog.source_by_id]


def _all_sources(catalog: Catalog) -> list[str]:
    ids = [i for item in catalog.recovery for i in item.sources]
    ids += [i for point in catalog.review_points for i in point.sources]
    return _cited(catalog, ids)


def _recovery_data(data: Any, catalog: Catalog) -> dict[str, Any]:
    return {
        "recovery": [
            {
                "id": i.id,
                "title": i.title,
                "summary": i.summary,
                "text": i.text,
                "sources": list(i.sources),
            }
            for i in catalog.recovery
        ],
        "review_points": [
            {
                "id": p.id,
                "after_days": p.after_days,
                "level": p.level.value,
                "text": p.text,
                "sources": list(p.sources),
            }
            for p in catalog.review_points
        ],
        "cited_sources": [data.source(catalog.source_by_id[i]) for i in _all_sources(catalog)],
    }


def _recovery_plain(catalog: Catalog) -> str:
    from backcare.render import plain
    from backcare.render.words import RECOVERY_TITLE, REVIEW_TITLE, after

    def cites(ids: Sequence[str]) -> str:
        return f" [{', '.join(ids)}]" if ids else ""

    items = [f"{i.title}: {plain.flat(i.text)}{cites(i.sources)}" for i in catalog.recovery]
    points = [
        f"{after(p.after_days).capitalize()}: {plain.flat(p.text)}{cites(p.sources)}"
        for p in catalog.review_points
    ]
    cited = [plain.source_line(catalog.source_by_id[i]) for i in _all_sources(catalog)]
    return (
        plain._section(RECOVERY_TITLE, items).lstrip("\n")
        + plain._section(REVIEW_TITLE, points)
        + plain._section("Sources", cited)
        + f"\n{plain.reminder(catalog)}\n"
    )


def _recovery_rich(catalog: Catalog) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from backcare.render import plain, rich_view
    from backcare.render.words import RECOVERY_TITLE, REVIEW_TITLE, after

    def cites(ids: Sequence[str]) -> Text:
        return rich_view.t(f" [{', '.join(ids)}]", "dim")

    parts: list[RenderableType] = [rich_view.t(RECOVERY_TITLE, "bold underline")]
    for i in catalog.recovery:
        parts.append(rich_view.t(i.title, "bold"))
        parts.append(rich_view.indented(rich_view.t(plain.flat(i.text)) + cites(i.sources)))
    parts += [Text(""), rich_view.t(REVIEW_TITLE, "bold underline")]
    for p in catalog.review_points:
        parts.append(rich_view.t(after(p.after_days).capitalize(), "bold"))
        parts.append(rich_view.indented(rich_view.t(plain.flat(p.text)) + cites(p.sources)))
    cited = [catalog.source_by_id[i] for i in _all_sources(catalog)]
    parts += [Text(""), rich_view.t("Sources", "bold underline")]
    parts += [rich_view.t(plain.source_line(s), "dim") for s in cited]
    return Group(*parts, rich_view.reminder(catalog))


def _settings_rich(rows: Sequence[Setting], catalog: Catalog) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from backcare.render import rich_view

    def build(width: int) -> RenderableType:
        if width < rich_view.WIDE:
            body: RenderableType = Group(
                *(
                    Group(
                        rich_view.t(s.name, "bold"),
                        rich_view.indented(rich_view.t(s.value)),
                        rich_view.indented(rich_view.t(s.origin, "dim")),
                    )
                    for s in rows
                )
            )
        else:
            grid = Table.grid(padding=(0, 2, 0, 0), expand=True)
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(ratio=2, overflow="fold")
            grid.add_column(ratio=1, overflow="fold", style="dim")
            for s in rows:
                grid.add_row(rich_view.t(s.name), rich_view.t(s.value), rich_view.t(s.origin))
            body = grid
        return Group(body, Text(""), rich_view.t(_regions_line(catalog), "dim"))

    return rich_view.ByWidth(build)
