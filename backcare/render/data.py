"""JSON-ready data for every result: the shapes documented in the README.

Every document carries the disclaimer under ``"disclaimer"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from backcare.escape import shown, undecodable_bytes
from backcare.models import Catalog, Layer, RedFlag, Remedy, Source, Term
from backcare.query import Match, Rated, Suggestion, Triage, cited_sources
from backcare.query.region import time_course
from backcare.render.words import DISCLAIMER

if TYPE_CHECKING:
    from backcare.findings import Finding
    from backcare.query.signs import ScreenedSearch


# JSON leaves C1 controls and bidirectional overrides raw; a terminal showing the
# document would act on them, so they are escaped like the C0 controls are.
_ESCAPES = {
    c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def dumps(document: dict[str, Any], disclaimer: str | None = None) -> str:
    """Serialize with the disclaimer added, stable key order kept, safe for a terminal."""
    document = {**document, "disclaimer": disclaimer or DISCLAIMER}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # A byte that was not UTF-8 (an argument's) becomes the text \xHH, written in
    # JSON as "\\xHH", so the document stays valid UTF-8.
    return undecodable_bytes(text.translate(_ESCAPES), backslash="\\\\")


def remedy_brief(item: Rated) -> dict[str, Any]:
    """The fields of a remedy that a listing needs."""
    remedy = item.remedy
    return {
        "slug": remedy.slug,
        "name": remedy.name,
        "category": remedy.category.value,
        "rating": item.rating.value,
        "summary": remedy.summary,
        "origin": remedy.origin,
    }


def remedy_full(remedy: Remedy, item: Rated) -> dict[str, Any]:
    """Everything about one remedy."""
    return {
        **remedy_brief(item),
        "description": remedy.description,
        "steps": list(remedy.steps),
        "causes": list(remedy.causes),
        "symptoms": list(remedy.symptoms),
        "cautions": [{"text": c.text, "source": c.source} for c in remedy.cautions],
        "see_a_doctor": list(remedy.see_a_doctor),
        "evidence": [
            {
                "source": e.source,
                "stance": e.stance.value,
                "topic": e.topic,
                "note": e.note,
                "duration": e.duration.value,
                "strength": e.strength.value if e.strength else None,
                "quality": e.quality.value if e.quality else None,
            }
            for e in remedy.evidence
        ],
        "sources": list(remedy.sources),
        "keywords": list(remedy.keywords),
        "red_flags": list(remedy.red_flags),
        "exercises": list(remedy.exercises),
    }


def source(item: Source) -> dict[str, Any]:
    """One source."""
    return {
        "id": item.id,
        "title": item.title,
        "publisher": item.publisher,
        "year": item.year,
        "kind": item.kind.value,
        "url": item.url,
        "note": item.note,
    }


def red_flag(flag: RedFlag) -> dict[str, Any]:
    """One warning sign."""
    return {
        "id": flag.id,
        "level": flag.level.value,
        "name": flag.name,
        "question": flag.question,
        "action": flag.action,
        "sources": list(flag.sources),
    }


def remedy_list(items: Iterable[Rated]) -> dict[str, Any]:
    """``list``."""
    return {"remedies": [remedy_brief(i) for i in items]}


def search(catalog: Catalog, query: str, result: ScreenedSearch) -> dict[str, Any]:
    """``search``: the warning signs the words name, those to check, remedies and exercises."""
    from backcare.render.exercises import brief

    level = result.level
    return {
        "query": query,
        "result": level.value if level else "none",
        "red_flags": [f.id for f in result.named],
        "warning_signs": [red_flag(f) for f in result.named],
        "to_check": [{**red_flag(m.flag), "words": list(m.words)} for m in result.touched],
        "remedies": [
            {
                **remedy_brief(Rated(h.remedy, h.rating)),
                "score": round(h.score, 2),
                "matched": list(h.matched),
            }
            for h in result.hits
        ],
        "exercises": [
            {**brief(h.exercise), "score": round(h.score, 2), "matched": list(h.matched)}
            for h in result.exercises
        ],
        "withheld": [r.slug for r in result.withheld],
    }


def remedy(catalog: Catalog, item: Rated) -> dict[str, Any]:
    """``show``: the remedy, with every source it cites in full."""
    cited = [source(s) for s in cited_sources(catalog, item.remedy)]
    return {
        "remedy": {**remedy_full(item.remedy, item), "cited_sources": cited},
        "time_course": time_course(catalog),
    }


def _match(m: Match) -> dict[str, Any]:
    return {
        **remedy_brief(Rated(m.remedy, m.rating)),
        "score": m.score,
        "matched": {
            "causes": [c.slug for c in m.causes],
            "symptoms": [s.slug for s in m.symptoms],
        },
        "advised_against": [
            {"source": e.source, "topic": e.topic, "note": e.note} for e in m.advised_against
        ],
    }


def suggestion(s: Suggestion) -> dict[str, Any]:
    """``suggest``: red-flag ids given, the most urgent level, then the remedies."""
    level = s.level
    return {
        "causes": [c.slug for c in s.causes],
        "symptoms": [t.slug for t in s.symptoms],
        "red_flags": [f.id for f in s.red_flags],
        "result": level.value if level else "none",
        "warning_signs": [red_flag(f) for f in s.red_flags],
        "remedies": [_match(m) for m in s.matches],
        "withheld": [r.slug for r in s.withheld],
        "read_as": {text: [f.id for f in flags] for text, flags in s.read_as},
    }


def terms(kind: str, items: Sequence[tuple[Term, int]]) -> dict[str, Any]:
    """``causes`` and ``symptoms``."""
    return {
        kind: [
            {"slug": t.slug, "name": t.name, "description": t.description, "remedies": n}
            for t, n in items
        ]
    }


def sources(items: Iterable[Source]) -> dict[str, Any]:
    """``sources``."""
    return {"sources": [source(s) for s in items]}


def red_flags(flags: Iterable[RedFlag]) -> dict[str, Any]:
    """``red-flags``."""
    return {"red_flags": [red_flag(f) for f in flags]}


def check(catalog: Catalog, triage: Triage) -> dict[str, Any]:
    """``check``: the result level (or "none") and the signs answered yes."""
    level = triage.level
    advice = catalog.advice_by_level.get(level) if level else None
    incomplete = level is None and not triage.emergency_ruled_out
    meanwhile = advice is not None and not triage.out_of_scope
    return {
        "result": "incomplete" if incomplete else level.value if level else "none",
        "complete": triage.complete,
        "flags": [f.id for f in triage.flags],
        "unsure": [f.id for f in triage.unsure],
        "out_of_scope": list(triage.out_of_scope),
        "not_asked": [f.id for f in triage.not_asked],
        "action": advice.heading if advice else None,
        "warning_signs": [red_flag(f) for f in (*triage.flags, *triage.unsure)],
        "meanwhile": list(advice.meanwhile) if advice and meanwhile else [],
        "time_course": time_course(catalog) if level is None else None,
    }


def paths(layers: Iterable[Layer]) -> dict[str, Any]:
    """``paths``."""
    return {
        "layers": [
            {
                "order": n,
                "label": layer.label,
                "path": shown(layer.path),
                "exists": layer.exists,
                "problem": layer.problem,
            }
            for n, layer in enumerate(layers, start=1)
        ]
    }


def findings(items: Sequence[Finding]) -> dict[str, Any]:
    """``validate``."""
    return {"ok": not items, "findings": [f.as_dict() for f in items]}
