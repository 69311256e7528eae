"""``backcare help [COMMAND]``: the same help as ``--help``, by name."""

from typing import Annotated

import typer

from backcare.cli.app import app
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
    parent = ctx.find_root()
    found = parent.command
    path: list[str] = []
    for word in command or []:
        sub = found.get_command(parent, word) if hasattr(found, "get_command") else None
        if sub is None:
            where = " ".join(["backcare", *path])
            names = found.list_commands(parent) if hasattr(found, "list_commands") else []
            near = closest(word, names, n=1)
            raise UsageError(
                f"no command called '{echo(' '.join([*path, word]))}'"
                + (f" (did you mean '{' '.join([*path, near[0]])}'?)" if near else ""),
                hint=f"run '{where} --help' to see its commands"
                if path
                else "run 'backcare help' to see every command",
            )
        path.append(word)
        parent = sub.context_class(sub, info_name=word, parent=parent)
        found = sub
    state.out.write(found.get_help(parent) + "\n")
