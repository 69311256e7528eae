"""Rendering: one function per result, each choosing JSON, Rich or plain text.

The render layer never decides anything about content; it only shows the
results that ``backcare.query`` computed, in the form ``Output`` chose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from backcare.findings import Finding
    from backcare.models import Catalog, Layer, RedFlag, Source, Term
    from backcare.output import Output
    from backcare.query import Rated, Suggestion, Triage
    from backcare.query.signs import ScreenedSearch


def _emit(
    out: Output,
    as_json: bool,
    to_data: Callable[[Any], dict[str, Any]],
    to_rich: Callable[[Any], RenderableType],
    to_plain: Callable[[Any], str],
    plain_note: Callable[[Any], str] | None = None,
) -> None:
    """Render with the one module this run needs; each is imported only then.

    ``plain_note`` is for the person reading plain output (a legend, say): it
    goes to stderr, so that stdout keeps only the lines a script cuts up.
    """
    if as_json:
        from backcare.render import data

        out.write_json(data.dumps(to_data(data), out.disclaimer_text))
    elif out.rich:
        from backcare.render import rich_view

        out.console().print(to_rich(rich_view))
    else:
        from backcare.render import plain

        out.write(to_plain(plain))
        note = plain_note(plain) if plain_note is not None else ""
        if note:
            out.note(note)


def disclaimer(out: Output, text: str | None = None, short: str | None = None) -> None:
    """The disclaimer, on every run.

    Last on stdout, in one or two lines (``short``), for a person at a terminal;
    on stderr whenever stdout carries data for a program (a pipe, JSON, the
    version) or the run failed, in full (``text``). Both are for the region in
    effect; the generic ones by default.
    """
    from backcare.render.words import DISCLAIMER, SHORT_DISCLAIMER

    if out.rich and not (out.bare or out.failed):
        from backcare.render import rich_view

        out.console().print(rich_view.disclaimer(short or SHORT_DISCLAIMER))
        return
    # Set apart from what came before it on the terminal; but after a document
    # for a program, stderr holds only the disclaimer: no blank line to open it.
    if out.wrote_stderr or (out.env.stderr_isatty and not out.bare):
        out.paragraph("")
    out.paragraph(text or out.disclaimer_text or DISCLAIMER)


def failure(out: Output, status: int, message: str, hint: str | None = None) -> None:
    """Report a failure on stderr; when JSON was asked for, as a JSON document on stdout too.

    stdout then carries exactly one JSON document, ``{"error": {"code", "message",
    "hint"}, "disclaimer"}``, unless a command already wrote its document.
    """
    out.error(message, hint)
    if not out.json_requested or out.json:
        return
    from backcare.render.data import dumps

    error = {"error": {"code": int(status), "message": message, "hint": hint}}
    out.write_json(dumps(error, out.disclaimer_text))


def remedy_list(out: Output, items: Sequence[Rated], *, as_json: bool) -> None:
    """``list``."""
    _emit(
        out,
        as_json,
        lambda data: data.remedy_list(items),
        lambda rv: rv.remedy_list(items),
        lambda plain: plain.remedy_list(items),
        lambda plain: plain.legend(),
    )


def search(
    out: Output, catalog: Catalog, query: str, result: ScreenedSearch, *, as_json: bool
) -> None:
    """``search``: warning signs named first, then those to check, then remedies."""
    _emit(
        out,
        as_json,
        lambda data: data.search(catalog, query, result),
        lambda rv: rv.search(catalog, query, result),
        lambda plain: plain.search(catalog, result),
        lambda plain: plain.search_notes(catalog, result),
    )


def remedy(out: Output, catalog: Catalog, item: Rated, *, as_json: bool) -> None:
    """``show``."""
    _emit(
        out,
        as_json,
        lambda data: data.remedy(catalog, item),
        lambda rv: rv.remedy(catalog, item),
        lambda plain: plain.remedy(catalog, item),
        lambda plain: plain.remedy_notes(catalog),
    )


def suggestion(out: Output, catalog: Catalog, result: Suggestion, *, as_json: bool) -> None:
    """``suggest``."""
    from backcare.models import Level

    _emit(
        out,
        as_json,
        lambda data: {
            **data.suggestion(result),
            "time_course": None if result.level is Level.EMERGENCY else data.time_course(catalog),
        },
        lambda rv: rv.suggestion(catalog, result),
        lambda plain: plain.suggestion(catalog, result),
        lambda plain: plain.suggestion_notes(catalog, result),
    )


def terms(out: Output, kind: str, items: Sequence[tuple[Term, int]], *, as_json: bool) -> None:
    """``causes`` and ``symptoms``."""
    from backcare.render.words import CAUSES_NOTE

    _emit(
        out,
        as_json,
        lambda data: data.terms(kind, items),
        lambda rv: rv.terms(kind, items),
        lambda plain: plain.terms(items),
        lambda plain: CAUSES_NOTE if kind == "causes" else "",
    )


def sources(out: Output, items: Sequence[Source], *, as_json: bool) -> None:
    """``sources``."""
    _emit(
        out,
        as_json,
        lambda data: data.sources(items),
        lambda rv: rv.sources(items),
        lambda plain: plain.sources(items),
    )


def red_flags(out: Output, catalog: Catalog, flags: Sequence[RedFlag], *, as_json: bool) -> None:
    """``red-flags``."""
    _emit(
        out,
        as_json,
        lambda data: data.red_flags(flags),
        lambda rv: rv.red_flags(catalog, flags),
        lambda plain: plain.red_flags(catalog, flags),
    )


def check(out: Output, catalog: Catalog, triage: Triage, *, as_json: bool) -> None:
    """``check``."""
    _emit(
        out,
        as_json,
        lambda data: data.check(catalog, triage),
        lambda rv: rv.check(catalog, triage),
        lambda plain: plain.check(catalog, triage),
    )


def paths(out: Output, layers: Sequence[Layer], *, as_json: bool) -> None:
    """``paths``."""
    _emit(
        out,
        as_json,
        lambda data: data.paths(layers),
        lambda rv: rv.paths(layers),
        lambda plain: plain.paths(layers),
    )


def findings(out: Output, items: Sequence[Finding], checked: str, *, as_json: bool) -> None:
    """``validate``."""
    _emit(
        out,
        as_json,
        lambda data: data.findings(items),
        lambda rv: rv.findings(items, checked),
        lambda plain: plain.findings(items, checked),
    )
