"""What every Typer command module shares: options, completion, and the run's state."""

import os
from typing import Annotated, Any

import typer
from typer._types import TyperChoice

from backcare.cli.state import State

JsonOption = Annotated[
    bool, typer.Option("--json", help="Write JSON to stdout (shape in the README).")
]


def end_with(code: int) -> None:
    """End a Typer command with the exit code its body returned (Typer returns 0 otherwise)."""
    if code:
        raise typer.Exit(code)


def state_of(ctx: typer.Context, as_json: bool = False) -> State:
    """This run's state; ``as_json`` records that errors too must be JSON on stdout."""
    state = ctx.find_root().obj
    assert isinstance(state, State)
    state.out.json_requested = state.out.json_requested or as_json
    from backcare import memo

    memo.note_command(ctx.command_path)
    return state


class Choice(TyperChoice[str]):
    """A fixed set of values whose error says which one was probably meant."""

    def get_invalid_choice_message(self, value: Any, ctx: Any) -> str:
        """The usual message, with "did you mean" when a value is close."""
        from backcare.query import closest, normalize

        message = super().get_invalid_choice_message(value, ctx).rstrip(".")
        near = closest(normalize(str(value)), [str(c) for c in self.choices], n=1)
        return message + (f"; did you mean '{near[0]}'?" if near else ".")


def choice_option(name: str, short: str, what: str, values: Any) -> Any:
    """An option taking one of an Enum's values, case-insensitive, with "did you mean"."""
    words = [member.value for member in values]
    return typer.Option(
        name,
        short,
        metavar=name.lstrip("-").upper(),
        help=f"{what}: {', '.join(words)}.",
        click_type=Choice(words, case_sensitive=False),
    )


def examples(*lines: str) -> str:
    """An epilog of example commands, one per line (Click keeps a \\b paragraph as it is)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def complete(kind: str) -> Any:
    """A completion function that answers with nothing if content cannot load."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from backcare.cli.completion import values

        dirs = (ctx.find_root().params.get("content") or []) if ctx else []
        return values(kind, incomplete, dirs, os.environ)

    return complete


CauseOption = Annotated[
    list[str] | None,
    typer.Option(
        "--cause",
        metavar="CAUSE",
        help="A cause (see 'backcare causes'). Repeatable.",
        autocompletion=complete("cause"),
    ),
]
SymptomOption = Annotated[
    list[str] | None,
    typer.Option(
        "--symptom",
        metavar="SYMPTOM",
        help=(
            "A symptom (see 'backcare symptoms') or a warning-sign id"
            " (see 'backcare red-flags'). Repeatable."
        ),
        autocompletion=complete("symptom"),
    ),
]
