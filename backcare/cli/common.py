"""What every command module shares: the run's state, common options, completion."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from backcare.errors import ContentError, ExitStatus
from backcare.models import Catalog, Layer, Level
from backcare.output import Environment, Output

LEVEL_EXIT: dict[Level | None, ExitStatus] = {
    None: ExitStatus.OK,
    Level.SOON: ExitStatus.SEE_A_DOCTOR_SOON,
    Level.URGENT: ExitStatus.URGENT,
    Level.EMERGENCY: ExitStatus.EMERGENCY,
}


class State:
    """What one run knows: its environment, its output, and its content layers."""

    def __init__(self, env: Environment, out: Output) -> None:
        self.env = env
        self.out = out
        self.content_dirs: list[Path] = []
        # The exit code a command has settled on before it writes its output, so
        # that a reader closing the pipe early cannot turn an emergency into 0.
        self.pending_exit = ExitStatus.OK
        self._catalog: Catalog | None = None

    def layers(self) -> list[Layer]:
        """The content layers for this run, in order."""
        from backcare.paths import content_layers

        return content_layers(self.env.environ, self.content_dirs)

    def catalog(self) -> Catalog:
        """The merged content, loaded once per run."""
        if self._catalog is None:
            from backcare.cache import load_catalog_cached

            self._catalog = load_catalog_cached(self.layers(), self.env.environ)
        return self._catalog

    def screening_catalog(
        self, needed: Callable[[Catalog], bool] = lambda builtin: True
    ) -> Catalog:
        """The content for warning-sign screening, which a broken extra layer cannot stop.

        Built-in warning signs cannot be replaced by other layers, so when an
        extra layer is broken, screening goes on with the built-in content alone
        and says so, rather than leave someone without the emergency card.
        ``needed(builtin)`` says whether this run screens at all; if not, the
        content error stands.
        """
        try:
            return self.catalog()
        except ContentError as error:
            from backcare.cache import load_catalog_cached

            layers = [layer for layer in self.layers() if layer.label == "built-in"]
            builtin = load_catalog_cached(layers, self.env.environ)
            if not needed(builtin):
                raise
            self.out.note(f"backcare: warning: {error.message}")
            self.out.note(
                "backcare: screening goes on with the built-in warning signs only"
                + (f"; {error.hint}" if error.hint else "")
            )
            self._catalog = builtin
            return builtin


JsonOption = Annotated[
    bool, typer.Option("--json", help="Write JSON to stdout (shape in the README).")
]


def state_of(ctx: typer.Context, as_json: bool = False) -> State:
    """This run's state; ``as_json`` records that errors too must be JSON on stdout."""
    state = ctx.find_root().obj
    assert isinstance(state, State)
    state.out.json_requested = as_json
    return state


def examples(*lines: str) -> str:
    """An epilog of example commands, one per line (Click keeps a \\b paragraph as it is)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def complete(kind: str) -> Any:
    """A completion function that answers with nothing if content cannot load."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            from backcare.cache import load_catalog_cached
            from backcare.paths import content_layers

            dirs = (ctx.find_root().params.get("content") or []) if ctx else []
            catalog = load_catalog_cached(content_layers(os.environ, dirs), os.environ)
            values = {
                "remedy": [r.slug for r in catalog.remedies],
                "cause": [c.slug for c in catalog.causes],
                "symptom": [s.slug for s in catalog.symptoms] + [f.id for f in catalog.red_flags],
                "red-flag": [f.id for f in catalog.red_flags],
                "exercise": [e.slug for e in catalog.exercises],
            }[kind]
        except Exception:  # completion must never fail the shell
            return []
        return [v for v in values if v.startswith(incomplete)]

    return complete
