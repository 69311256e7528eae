"""Where the reader lives: which region's numbers to show, and filling them in.

Content text may hold ``{emergency}`` and ``{urgent}``; ``localize`` fills them in
from a region of ``regions.yaml``, so that every card names the reader's own
emergency number and urgent advice service. Pure functions: nothing here reads
files or prints.
"""

import re
from collections.abc import Mapping
from typing import NamedTuple

from backcare.errors import UsageError
from backcare.models import (
    Catalog,
    Caution,
    Exercise,
    LevelAdvice,
    RecoveryItem,
    RedFlag,
    Region,
    Remedy,
)

GENERIC = "generic"
# Used only when the content holds no generic region, so that a card never shows a
# bare placeholder.
FALLBACK = Region(
    GENERIC,
    "No region set",
    "999 (UK), 911 (US) or 112 (EU)",
    ("999", "911", "112"),
    "NHS 111 in the UK, or your local urgent advice line",
    (),
    (),
)
# The locale variables that may name a country, in the order the C library reads them.
LOCALE_VARIABLES = ("LC_ALL", "LANG")
_PLACEHOLDER = re.compile(r"\{(emergency|urgent)\}")
_TERRITORY = re.compile(r"^[A-Za-z]{2,3}_([A-Za-z]{2})(?:[.@]|$)")


class Chosen(NamedTuple):
    """The region in effect and where that choice came from (``--region``, a variable...)."""

    region: Region
    origin: str


def generic(catalog: Catalog) -> Region:
    """The region used when none is known: every common emergency number."""
    return catalog.region_by_id.get(GENERIC, FALLBACK)


def find_region(catalog: Catalog, value: str, where: str) -> Region:
    """The region ``value`` names (its id or its name, any case); a usage error if none."""
    key = value.strip().lower()
    for region in catalog.regions:
        if key in (region.id, region.name.lower()):
            return region
    known = ", ".join(r.id for r in catalog.regions)
    raise UsageError(
        f"unknown region '{value[:40]}' in {where}",
        hint=f"valid regions: {known} (see 'backcare config')",
    )


def from_locale(catalog: Catalog, environ: Mapping[str, str]) -> Chosen | None:
    """The region a locale variable's country names (``en_AU.UTF-8`` gives AU), if any.

    The first variable that is set decides, as for the C library: ``LC_ALL=C``
    names no country, so no region is inferred even when ``LANG`` names one.
    """
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if not value:
            continue
        found = _TERRITORY.match(value)
        if found is None:
            return None
        territory = found.group(1).upper()
        for region in catalog.regions:
            if territory in region.territories:
                return Chosen(region, f"{name}={value[:40]}")
        return None
    return None


def fill(text: str, region: Region) -> str:
    """``text`` with ``{emergency}`` and ``{urgent}`` filled in from ``region``."""
    if "{" not in text:
        return text
    values = {"emergency": region.emergency, "urgent": region.urgent}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def localize(catalog: Catalog, region: Region) -> Catalog:
    """The catalog with every placeholder filled in for ``region``."""

    def texts(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(fill(t, region) for t in items)

    def cautions(items: tuple[Caution, ...]) -> tuple[Caution, ...]:
        return tuple(Caution(fill(c.text, region), c.source) for c in items)

    def unfilled(words: tuple[str, ...], items: tuple[Caution, ...]) -> bool:
        """Whether any of the texts holds a placeholder (most hold none: keep them as they are)."""
        return any("{" in t for t in words) or any("{" in c.text for c in items)

    def remedy(r: Remedy) -> Remedy:
        if not unfilled((r.summary, r.description, *r.steps, *r.see_a_doctor), r.cautions):
            return r
        return r._replace(
            summary=fill(r.summary, region),
            description=fill(r.description, region),
            steps=texts(r.steps),
            see_a_doctor=texts(r.see_a_doctor),
            cautions=cautions(r.cautions),
        )

    def exercise(e: Exercise) -> Exercise:
        if not unfilled((e.purpose, e.position, e.easier, *e.steps, *e.stop_if), e.cautions):
            return e
        return e._replace(
            purpose=fill(e.purpose, region),
            position=fill(e.position, region),
            easier=fill(e.easier, region),
            steps=texts(e.steps),
            stop_if=texts(e.stop_if),
            cautions=cautions(e.cautions),
        )

    def flag(f: RedFlag) -> RedFlag:
        return f._replace(
            name=fill(f.name, region),
            question=fill(f.question, region),
            action=fill(f.action, region),
        )

    def level(a: LevelAdvice) -> LevelAdvice:
        return a._replace(heading=fill(a.heading, region), meanwhile=texts(a.meanwhile))

    def item(i: RecoveryItem) -> RecoveryItem:
        return i._replace(summary=fill(i.summary, region), text=fill(i.text, region))

    return Catalog(
        remedies=tuple(remedy(r) for r in catalog.remedies),
        causes=catalog.causes,
        symptoms=catalog.symptoms,
        sources=catalog.sources,
        red_flags=tuple(flag(f) for f in catalog.red_flags),
        levels=tuple(level(a) for a in catalog.levels),
        layers=catalog.layers,
        regions=catalog.regions,
        recovery=tuple(item(i) for i in catalog.recovery),
        review_points=tuple(p._replace(text=fill(p.text, region)) for p in catalog.review_points),
        scope=tuple(q._replace(action=fill(q.action, region)) for q in catalog.scope),
        exercises=tuple(exercise(e) for e in catalog.exercises),
        diary_rules=tuple(r._replace(advice=fill(r.advice, region)) for r in catalog.diary_rules),
        # The plan fills in its own placeholders, {urgent} among them, as it dates them.
        plan_texts=catalog.plan_texts,
    )


def time_course(catalog: Catalog) -> str | None:
    """One line on how long back pain usually lasts, pointing to ``backcare recovery``."""
    for entry in catalog.recovery:
        if entry.id == "time-course":
            return f"{entry.summary} Run 'backcare recovery' for when to get help."
    return None
