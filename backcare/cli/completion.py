"""The values shell completion offers from the content; free of Typer.

Typer's completion functions (``common.complete``) and the quick path's
(``quick.completion``) both answer from here, so both offer the same values.
"""

from collections.abc import Mapping, Sequence

KINDS = ("remedy", "cause", "symptom", "red-flag", "exercise", "region", "tried")


def values(
    kind: str, incomplete: str, content_dirs: Sequence[str], environ: Mapping[str, str]
) -> list[str]:
    """The ``kind`` of values that start with ``incomplete``; none if the content cannot load."""
    try:
        from backcare import memo
        from backcare.cache import load_catalog_cached
        from backcare.paths import content_layers

        layers = content_layers(environ, content_dirs)
        memo.note_layers([layer.path for layer in layers])
        catalog = load_catalog_cached(layers, environ)
        found = {
            "remedy": [r.slug for r in catalog.remedies],
            "cause": [c.slug for c in catalog.causes],
            "symptom": [s.slug for s in catalog.symptoms] + [f.id for f in catalog.red_flags],
            "red-flag": [f.id for f in catalog.red_flags],
            "exercise": [e.slug for e in catalog.exercises],
            "region": [r.id for r in catalog.regions],
            "tried": [r.slug for r in catalog.remedies] + [e.slug for e in catalog.exercises],
        }[kind]
    except Exception:  # completion must never fail the shell
        return []
    return [v for v in found if v.startswith(incomplete)]
