"""The command line: parse arguments, call the query layer, hand results to render.

One module per group of commands (``guide``, ``screening``, ``content_tools``);
this one holds the application, the root options, and ``run``, the one place
where every outcome becomes an exit code.

(No ``from __future__ import annotations`` here: Typer reads these annotations
at every start, and real objects spare it compiling each one from a string.)

Nothing here decides what is true about back care. Each command is a few
lines; errors raised anywhere below are mapped to exit codes in one place,
``run``, which also prints the disclaimer on every run.
"""

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from backcare import __version__
from backcare.cli.common import State, complete, examples, state_of
from backcare.errors import BackcareError, ExitStatus
from backcare.output import ColorChoice, Environment, Output

COMPLETE_VAR = "_BACKCARE_COMPLETE"


class OutputFailed(Exception):
    """Stdout could not be written: its reader went away (``| head -1``), or the disk is full."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or type(error).__name__)
        self.error = error


class BackcareGroup(TyperGroup):
    """Runs a command and maps every outcome to an exit code, in one place."""

    def invoke(self, ctx: Any) -> Any:  # Typer's own (vendored) click Context
        """Run the command; a failed write to stdout is reported to ``run``, not to Typer.

        Typer would turn it into exit 1 (or a traceback); ``run`` keeps the exit
        code the command settled on instead.
        """
        try:
            return super().invoke(ctx)
        except OSError as error:
            raise OutputFailed(error) from error

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        if os.environ.get(complete_var or COMPLETE_VAR):
            # Shell completion writes for the shell alone: no disclaimer, no mapping.
            from backcare import memo

            memo.note_command(f"{prog_name or 'backcare'} completion")
            super().main(args, prog_name or "backcare", complete_var, standalone_mode, **extra)
            sys.exit(0)
        env = Environment.from_process()
        state = State(env, Output(env))
        code = run(self, state, args, prog_name or "backcare", **extra)
        sys.exit(code)


def run(
    group: TyperGroup, state: State, args: Sequence[str] | None, prog_name: str, **extra: Any
) -> int:
    """Run the command line once and return the exit code; never raises for user errors."""
    argv = list(sys.argv[1:] if args is None else args)
    if "--show-completion" in argv:
        state.out.json = True  # the script goes to stdout for eval: keep it clean
    try:
        try:
            result = TyperGroup.main(
                group, argv, prog_name, standalone_mode=False, obj=state, **extra
            )
            code = int(result) if isinstance(result, int) else ExitStatus.OK
            # Typer turns Ctrl-C into exit 130; a command that settled on 130 itself
            # (a screening stopped early) has already said what happened.
            if code == ExitStatus.INTERRUPTED and not state.pending_exit:
                state.out.note("")
                state.out.error("interrupted")
        except BackcareError as error:
            code = error.exit_status
            _report(state, code, error.message, error.hint)
        except typer.TyperException as error:  # a usage error found while parsing
            state.out.json_requested = state.out.json_requested or "--json" in argv
            code = _usage_error(state, error, argv)
        except (KeyboardInterrupt, typer.Abort):
            state.out.error("interrupted")
            code = ExitStatus.INTERRUPTED
        if code != ExitStatus.OK and not state.out.failed:
            state.out.failed = code in (
                ExitStatus.USAGE,
                ExitStatus.CONTENT,
                ExitStatus.INTERRUPTED,
            )
        from backcare import render

        render.disclaimer(state.out, state.disclaimer())
        state.env.stdout.flush()
    except KeyboardInterrupt:  # Ctrl-C outside the command, e.g. while the disclaimer prints
        with contextlib.suppress(OSError, ValueError):
            state.env.stderr.write("\nbackcare: error: interrupted\n")
        return ExitStatus.INTERRUPTED
    except (OSError, OutputFailed) as failure:
        cause = failure.error if isinstance(failure, OutputFailed) else failure
        # Keep Python's own flush at exit from failing on the same stream again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if isinstance(cause, BrokenPipeError):  # the reader went away (`| head -1`): quietly
            return int(state.pending_exit)
        with contextlib.suppress(OSError, ValueError):
            state.env.stderr.write(f"backcare: error: cannot write the output: {cause.strerror}\n")
        # A warning level still wins: an emergency is never reported as anything less.
        return int(state.pending_exit) if state.pending_exit else ExitStatus.OUTPUT_FAILED
    return int(code)


def _usage_error(state: State, error: typer.TyperException, argv: Sequence[str]) -> int:
    ctx = getattr(error, "ctx", None)
    name = type(error).__name__
    if name == "NoArgsIsHelpError" and ctx is not None:
        state.out.write(ctx.get_help() + "\n")
        return ExitStatus.USAGE
    hint = None
    if ctx is not None:
        hint = f"try '{ctx.command_path} --help' for help"
        if "--json" in error.format_message() and ctx.parent is None:
            hint = "--json goes after the command, e.g. 'backcare list --json'"
        elif name == "NoSuchOption" and any(
            option in error.format_message() for option in ("--color", "--content", "--region")
        ):
            hint = (
                "--color, --content and --region go before the command,"
                " e.g. 'backcare --color never list'"
            )
    code = int(getattr(error, "exit_code", ExitStatus.USAGE))
    _report(state, code, _short_echoes(error.format_message(), argv), hint)
    return code


def _short_echoes(message: str, argv: Sequence[str]) -> str:
    """The parser's message with each long argument it quotes cut to a short prefix.

    A 100 KB value given to ``--category`` would otherwise come back whole.
    """
    from backcare.query import echo

    for arg in sorted(set(argv), key=len, reverse=True):
        # The value as given alone, after --option=, or glued to a short option (-cVALUE).
        for value in (arg, arg.partition("=")[2], arg[2:]):
            if len(value) > 60 and value in message:
                message = message.replace(value, echo(value))
                break
    return message


def _report(state: State, code: int, message: str, hint: str | None) -> None:
    """Report a failure on stderr, and as a JSON document too when JSON was asked for."""
    from backcare import render

    render.failure(state.out, code, message, hint)


app = typer.Typer(
    cls=BackcareGroup,
    name="backcare",
    help=(
        "A self-care guide for back spasms: remedies, what clinical guidelines say"
        " about them, and the warning signs that need a doctor instead."
    ),
    epilog=examples(
        "backcare list",
        "backcare show ice-packs",
        "backcare suggest --cause posture",
        "backcare check",
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backcare {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    color: Annotated[
        ColorChoice | None,
        typer.Option(
            "--color",
            help="Colour and layout: auto (a terminal gets tables), always, never.",
            case_sensitive=False,
        ),
    ] = None,
    content: Annotated[
        list[str] | None,
        typer.Option(
            "--content", metavar="DIR", help="An extra content folder, applied last. Repeatable."
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="REGION",
            help=(
                "Whose emergency and urgent numbers to show: uk, ie, eu, us, ca, au, nz, in"
                " or generic (default: BACKCARE_REGION, the config file, else the locale)."
            ),
            autocompletion=complete("region"),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Self-care for back spasms, with guideline evidence and red-flag screening."""
    state = state_of(ctx)
    state.out = Output(state.env, color or _configured_color(state))
    state.color_option = color.value if color else None
    if region is not None:
        if not region.strip():
            raise typer.BadParameter("give a region, not an empty string", param_hint="'--region'")
        state.region_option = region
    if any(not folder.strip() for folder in content or []):
        raise typer.BadParameter("give a folder, not an empty string", param_hint="'--content'")
    state.content_dirs = [Path(folder) for folder in content or []]


def _configured_color(state: State) -> ColorChoice:
    """The config file's colour, unless NO_COLOR or FORCE_COLOR says otherwise.

    A broken config file leaves the default here; the command that needs the file
    reports the problem (and screening goes on regardless).
    """
    environ = state.env.environ
    if environ.get("NO_COLOR") or environ.get("FORCE_COLOR"):
        return ColorChoice.AUTO
    config = state.config()
    value = config.values.get("color") if config.error is None else None
    return ColorChoice(value) if value else ColorChoice.AUTO


# Each module registers its commands on ``app`` when imported.
from backcare.cli import content_tools, diary, guide, routine, screening, settings  # noqa: E402, F401


def main() -> None:
    """The console script's entry point."""
    app(prog_name="backcare")
