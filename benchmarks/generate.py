"""Generate a synthetic content layer of N remedies for the scale benchmarks.

Usage: ``python -m benchmarks.generate OUTDIR --remedies N [--seed S]``

Remedies are written as YAML in backcare's content format, 500 to a file, and
link only to built-in causes, symptoms and sources, so the layer validates on
top of the built-in content. Words vary deterministically (seeded) so that
search has something to rank. YAML is written with plain string formatting:
every free-text value is double-quoted, so no word can change its meaning.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

PER_FILE = 500
SUMMARY_MAX = 110

CATEGORIES = ("at-home", "professional", "lifestyle", "device", "medication")
CAUSES = ("posture", "injury", "stress")
SYMPTOMS = ("stiffness", "sharp-pain", "dull-ache")
SOURCES = ("article", "nice-ng59", "acp-2017")
GUIDELINES = ("nice-ng59", "acp-2017")
STANCES = (
    "recommended",
    "consider",
    "only-with-exercise",
    "not-recommended",
    "insufficient-evidence",
    "not-addressed",
)
KINDS = ("stretch", "exercise", "routine", "hold", "rest", "massage", "walk", "breathing")
WORDS = (
    "stretch", "muscle", "gentle", "lower", "back", "spine", "hip", "knee", "shoulder",
    "slow", "warm", "cold", "towel", "floor", "chair", "pillow", "breath", "core",
    "posture", "walk", "rest", "relax", "tension", "ease", "hold", "roll", "twist",
    "bend", "lift", "calm", "steady", "support", "flex", "release", "loosen", "daily",
    "morning", "evening", "minutes", "side", "mat", "wall", "heat", "pressure", "glute",
)  # fmt: skip


def _quote(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _flow(items: Sequence[str]) -> str:
    """Return a YAML flow sequence of slugs (lowercase words and hyphens only)."""
    return "[" + ", ".join(items) + "]"


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _summary(rng: random.Random) -> str:
    text = _sentence(rng, 6, 18)
    while len(text) > SUMMARY_MAX:
        text = text[:-1].rsplit(" ", 1)[0] + "."
    return text


def _subset(rng: random.Random, choices: Sequence[str]) -> list[str]:
    picked = set(rng.sample(choices, rng.randint(1, 2)))
    return [c for c in choices if c in picked]


def remedy_yaml(number: int, rng: random.Random) -> str:
    """Return one synthetic remedy as an indented ``remedies:`` list item."""
    kind = rng.choice(KINDS)
    lines = [
        f"  - slug: synthetic-{number:05d}",
        f"    name: {_quote(f'Synthetic {kind} {number}')}",
        f"    category: {rng.choice(CATEGORIES)}",
        f"    summary: {_quote(_summary(rng))}",
        f"    description: {_quote(' '.join(_sentence(rng, 8, 16) for _ in range(2)))}",
        "    steps:",
        *(f"      - {_quote(_sentence(rng, 5, 12))}" for _ in range(rng.randint(2, 4))),
        f"    causes: {_flow(_subset(rng, CAUSES))}",
        f"    symptoms: {_flow(_subset(rng, SYMPTOMS))}",
        "    cautions:",
    ]
    for _ in range(rng.randint(1, 2)):
        lines.append(f"      - text: {_quote(_sentence(rng, 5, 10))}")
        lines.append(f"        source: {rng.choice(SOURCES)}")
    lines += ["    see_a_doctor:", f"      - {_quote(_sentence(rng, 5, 10))}", "    evidence:"]
    for source in GUIDELINES:
        lines.append(f"      - source: {source}")
        lines.append(f"        stance: {rng.choice(STANCES)}")
        lines.append(f"        note: {_quote(_sentence(rng, 5, 10))}")
    lines.append(f"    sources: {_flow(['article'])}")
    lines.append(f"    keywords: {_flow(sorted(set(rng.sample(WORDS, rng.randint(2, 4)))))}")
    return "\n".join(lines) + "\n"


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(1, total + 1, size):
        yield range(start, min(start + size, total + 1))


def generate(outdir: Path, remedies: int, seed: int = 0) -> list[Path]:
    """Write ``remedies`` synthetic remedies under ``outdir``; return the files written.

    Files left by an earlier run (``synthetic-*.yaml``) are removed first.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    for stale in outdir.glob("synthetic-*.yaml"):
        stale.unlink()
    rng = random.Random(seed)
    written: list[Path] = []
    for index, numbers in enumerate(_chunks(remedies, PER_FILE), start=1):
        body = "".join(remedy_yaml(n, rng) for n in numbers)
        path = outdir / f"synthetic-{index:03d}.yaml"
        header = f"# Synthetic remedies {numbers[0]} to {numbers[-1]}, for benchmarks.\n"
        path.write_text(header + "remedies:\n" + body, encoding="utf-8")
        written.append(path)
    return written


#: Everyday notes, none naming a warning sign, so that progress exits 0.
DIARY_NOTES = ("", "", "did the stretches", "slept well", "walked to the shop", "stiff at the desk")


def generate_diary(path: Path, entries: int, seed: int = 0) -> Path:
    """A diary of ``entries`` entries, six a day up to now, with remedies and notes.

    Pain eases from about 7 to 0 over the record, so that no rule for seeing
    someone holds and ``progress`` exits 0, as for most people most days.
    """
    from datetime import datetime, timedelta, timezone

    from backcare.models import DiaryEntry
    from backcare.store import Diary, new_id

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    remedies = ("hot-packs", "ice-packs", "exercise", "massage")
    items = []
    for n in range(entries):
        base = 7 * (entries - 1 - n) / max(entries - 1, 1)
        pain = min(max(round(base) + rng.choice((-1, 0, 0, 1)), 0), 7)
        items.append(
            DiaryEntry(
                new_id(),
                now - timedelta(hours=4 * (entries - n)),
                60,
                pain,
                rng.choice((None, min(pain, 10))),
                tuple(rng.sample(remedies, rng.randint(0, 2))),
                rng.choice(DIARY_NOTES),
            )
        )
    with Diary(path) as diary:
        diary.add_many(items)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: ``python -m benchmarks.generate OUTDIR --remedies N``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("outdir", type=Path, help="folder to write the YAML files into")
    parser.add_argument("--remedies", type=int, default=1000, help="how many (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.remedies < 1:
        parser.error("--remedies must be at least 1")
    files = generate(args.outdir, args.remedies, args.seed)
    print(f"wrote {args.remedies} remedies in {len(files)} file(s) to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
