"""``backcare help [COMMAND]``: the same help as ``--help``, by name."""

from typing import Annotated

import typer

from backcare.cli import app
from backcare.cli.common import examples, state_of


@app.command(
    "help",
    short_help="Help for backcare or one command.",
    epilog=examples("backcare help", "backcare help suggest"),
)
def help_command(
    ctx: typer.Context,
    command: Annotated[
        list[str] | None,
        typer.Argument(metavar="[COMMAND]", help="The command to explain; default: all."),
    ] = None,
) -> None:
    """Show the help for backcare, or for one of its commands."""
    from backcare.errors import UsageError
    from backcare.query import closest, echo

    state = state_of(ctx)
    root = ctx.find_root()
    group = root.command
    name = " ".join(command or [])
    if not name:
        state.out.write(group.get_help(root) + "\n")
        return
    found = group.get_command(root, name)  # type: ignore[attr-defined]
    if found is None:
        near = closest(name, group.list_commands(root), n=1)  # type: ignore[attr-defined]
        raise UsageError(
            f"no command called '{echo(name)}'" + (f" (did you mean '{near[0]}'?)" if near else ""),
            hint="run 'backcare help' to see every command",
        )
    with found.context_class(found, info_name=name, parent=root) as sub:
        state.out.write(found.get_help(sub) + "\n")
