"""Content tools: where content comes from, and checking it."""

from pathlib import Path
from typing import Annotated

import typer

from backcare.cli.app import app
from backcare.cli.common import JsonOption, examples, state_of
from backcare.errors import ExitStatus


@app.command(
    short_help="Where content is read from, in order.",
    epilog=examples("backcare paths", "backcare --content ./my-content paths"),
)
def paths(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the content layers in the order they apply, and whether each exists."""
    from backcare import render

    state = state_of(ctx, as_json)
    render.paths(state.out, state.layers(), as_json=as_json)


@app.command(
    short_help="Check content files for mistakes.",
    epilog=examples(
        "backcare validate",
        "backcare validate my-remedy.yaml",
        "backcare validate my-folder --json",
    ),
)
def validate(
    ctx: typer.Context,
    targets: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help="Files or folders to check; default: every configured layer."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check content files and report every problem as FILE:LINE:COL: CODE message."""
    from backcare import render
    from backcare.cache import validate_cached

    state = state_of(ctx, as_json)
    layers = state.layers()
    findings = validate_cached(layers, targets or [], state.env.environ, state.warn)
    from backcare.escape import shown

    named = ", ".join(shown(str(t)) for t in targets) if targets else ""
    checked = named or f"{len(layers)} content layers"
    render.findings(state.out, findings, checked, as_json=as_json)
    if findings:
        raise typer.Exit(ExitStatus.CONTENT)
