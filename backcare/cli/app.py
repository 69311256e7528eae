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

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from backcare import __version__
from backcare.cli import helptext
from backcare.cli.argv import arrange
from backcare.cli.common import complete, examples, state_of
from backcare.cli.exits import OutputFailed, conclude, report
from backcare.cli.state import State
from backcare.errors import ExitStatus, UsageError
from backcare.output import ColorChoice, Environment, Output

COMPLETE_VAR = "_BACKCARE_COMPLETE"
#: The commands as help lists them, by what a person wants to do: warning signs first.
SECTIONS = (
    ("Warning signs", ("red-flags", "check", "recovery")),
    ("Remedies", ("list", "show", "suggest", "search", "causes", "symptoms", "sources")),
    ("Through an episode", ("log", "diary", "progress", "exercises", "routine", "plan", "report")),
    ("Settings and content", ("config", "paths", "validate", "help")),
)
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


class BackcareGroup(TyperGroup):
    """Runs a command and maps every outcome to an exit code, in one place."""

    context_class = helptext.Context

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """A command, whose help is laid out and written like the group's."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _like_the_group(command, ctx)
        return command

    def get_help_option(self, ctx: Any) -> Any:
        """``--help``, written through this run's output (and so its pager)."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = _show_help
        return option

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in help's order: section by section, then any other, ``help`` last."""
        names = super().list_commands(ctx)
        ordered = [name for _, members in SECTIONS for name in members if name in names]
        others = [name for name in names if name not in ordered and name != "help"]
        return [name for name in ordered if name != "help"] + others + ["help"] * ("help" in names)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Every command with its whole short help, in sections, however narrow the terminal."""
        listed = self.list_commands(ctx)
        placed = {name for _, members in SECTIONS for name in members}
        sections = [*SECTIONS, ("Commands", tuple(n for n in listed if n not in placed))]
        width = max(map(len, listed), default=0)  # one column for every section
        for title, members in sections:
            rows = []
            for name in (n for n in listed if n in members):
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit=1_000)))
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows, term_width=width)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """The examples, then the environment variables and exit codes."""
        super().format_epilog(ctx, formatter)
        helptext.reference_sections(formatter)

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

            from typer._completion_classes import completion_init

            completion_init()  # the shells Typer completes for (add_completion is off)
            _join_bash_equals(os.environ)
            super().main(args, prog_name or "backcare", complete_var, standalone_mode, **extra)
            sys.exit(0)
        env = Environment.from_process()
        state = State(env, Output(env))
        code = run(self, state, args, prog_name or "backcare", **extra)
        sys.exit(code)


def _like_the_group(command: Any, ctx: Any) -> None:
    """Give a command, and those of a command group, the group's help layout and writing."""
    command.context_class = helptext.Context
    option = command.get_help_option(ctx)
    if option is not None:
        option.callback = _show_help
    for sub in getattr(command, "commands", {}).values():
        _like_the_group(sub, ctx)


def _show_help(ctx: Any, param: Any, value: bool) -> None:
    """``--help``: the help on stdout through Output, like every other text."""
    if not value or ctx.resilient_parsing:
        return
    state_of(ctx).out.write(ctx.get_help() + "\n")
    raise typer.Exit()


def run(
    group: TyperGroup, state: State, args: Sequence[str] | None, prog_name: str, **extra: Any
) -> int:
    """Run the command line once and return the exit code; never raises for user errors."""
    argv, wants_json = arrange(list(sys.argv[1:] if args is None else args), group)
    ends = argv.index("--") if "--" in argv else len(argv)
    # A run asked for JSON fails with a JSON document, whatever fails and wherever.
    state.out.json_requested = wants_json
    if "--no-pager" in argv[:ends]:  # before eager options such as --help print anything
        state.out = Output(state.env, pager=False)
        state.out.json_requested = wants_json

    def parse_and_run() -> int:
        """Typer's part: parse, run the command, and turn the parser's outcomes into codes."""
        try:
            completion = _completion_request(argv[:ends])
            if completion is not None:
                _completion(state, *completion)
                return ExitStatus.OK
            result = TyperGroup.main(
                group, argv, prog_name, standalone_mode=False, obj=state, **extra
            )
        except typer.Exit as done:
            return done.exit_code
        except typer.TyperException as error:  # a usage error found while parsing
            return _usage_error(state, error, argv)
        except typer.Abort:
            raise KeyboardInterrupt from None
        code = int(result) if isinstance(result, int) else ExitStatus.OK
        # Typer turns Ctrl-C into exit 130; a command that settled on 130 itself
        # (a screening stopped early) has already said what happened.
        if code == ExitStatus.INTERRUPTED and not state.pending_exit:
            state.out.note("")
            report(state, code, "interrupted", None)
        return code

    return conclude(state, parse_and_run)


def _completion_request(argv: list[str]) -> tuple[str, str | None] | None:
    """``("--show-completion", shell)`` (or ``--install-completion``) if asked, else None.

    The shell is optional: without it, the one running backcare is detected.
    """
    for n, word in enumerate(argv):
        name, equals, value = word.partition("=")
        if name in ("--show-completion", "--install-completion"):
            if equals:
                return name, value
            following = argv[n + 1] if n + 1 < len(argv) else ""
            return name, following if following and not following.startswith("-") else None
        if not word.startswith("-"):
            return None  # a command: its own options follow
    return None


def _completion(state: State, option: str, shell: str | None) -> None:
    """Print (or install) the completion script for the shell named, or the one running."""
    from typer._completion_shared import _get_shell_name, get_completion_script, install

    if shell is None:
        shell = _get_shell_name() or Path(state.env.environ.get("SHELL", "")).name or None
        if shell is None:
            raise UsageError(
                "cannot tell which shell this is",
                hint=f"name it, e.g. '{option} bash' (one of: {', '.join(SHELLS[:4])})",
            )
    name = shell.strip().lower()
    if name not in SHELLS:
        from backcare.query import closest, echo

        near = closest(name, SHELLS, n=1)
        raise UsageError(
            f"unknown shell '{echo(shell)}' for {option}"
            + (f" (did you mean '{near[0]}'?)" if near else ""),
            hint=f"give one of: {', '.join(SHELLS[:4])}",
        )
    if option == "--install-completion":
        installed, path = install(shell=name, prog_name="backcare", complete_var=COMPLETE_VAR)
        state.out.note(f"{installed} completion installed in {path}")
        state.out.note("Completion takes effect once you restart the terminal.")
        return
    state.out.write_document(
        get_completion_script(prog_name="backcare", complete_var=COMPLETE_VAR, shell=name)
    )


def _join_bash_equals(environ: Any) -> None:
    """Let bash complete ``--cause=po``.

    Bash splits words at ``=``, so the program is asked about ``--cause = po``;
    joined back, the value after ``=`` completes like one after a space.
    """
    words_text = environ.get("COMP_WORDS", "")
    if "=" not in words_text or not environ.get("COMP_CWORD", "").isdigit():
        return
    words = words_text.split(" ")
    cword = int(environ["COMP_CWORD"])
    if cword < len(words) and words[cword] == "=" and words[cword - 1].startswith("--"):
        words[cword] = ""  # "--cause=" and nothing yet
    elif 2 <= cword <= len(words) and words[cword - 1] == "=" and words[cword - 2].startswith("--"):
        del words[cword - 1]
        cword -= 1
    else:
        return
    environ["COMP_WORDS"] = " ".join(words)
    environ["COMP_CWORD"] = str(cword)


def _usage_error(state: State, error: typer.TyperException, argv: Sequence[str]) -> int:
    ctx = getattr(error, "ctx", None)
    name = type(error).__name__
    if name == "NoArgsIsHelpError" and ctx is not None:
        state.out.write(ctx.get_help() + "\n")
        return ExitStatus.USAGE
    hint = "try 'backcare --help' for help"
    if ctx is not None:
        hint = f"try '{ctx.command_path} --help' for help"
        if "--json" in error.format_message() and ctx.parent is None:
            hint = "--json goes with a command, e.g. 'backcare list --json'"
    code = int(getattr(error, "exit_code", ExitStatus.USAGE))
    report(state, code, _short_echoes(error.format_message(), argv), hint)
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


app = typer.Typer(
    cls=BackcareGroup,
    name="backcare",
    help=(
        "A self-care guide for back spasms: remedies, what clinical guidelines say"
        " about them, and the warning signs that need a doctor instead. Options go before"
        " or after the command."
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
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        state_of(ctx).out.write_document(f"backcare {__version__}\n")
        raise typer.Exit()


def _man(ctx: typer.Context, value: bool) -> None:
    if value:
        from backcare.cli.manpage import manpage

        state_of(ctx).out.write_document(manpage(ctx))
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
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Never page long output (see BACKCARE_PAGER)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    man: Annotated[
        bool,
        typer.Option(
            "--man", callback=_man, is_eager=True, help="Print the man page (man -l - reads it)."
        ),
    ] = False,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            help="Print the completion script for bash, zsh, fish or powershell.",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            help="Install completion for that shell (default: this one).",
        ),
    ] = None,
) -> None:
    """Self-care for back spasms, with guideline evidence and red-flag screening."""
    state = state_of(ctx)
    state.start_output(color, pager=not no_pager)
    if region is not None:
        if not region.strip():
            raise typer.BadParameter("give a region, not an empty string", param_hint="'--region'")
        state.region_option = region
    for folder in content or []:
        if not folder.strip():
            raise typer.BadParameter("give a folder, not an empty string", param_hint="'--content'")
        try:
            os.stat(folder)
        except (FileNotFoundError, NotADirectoryError):
            from backcare.query import echo

            # The whole path, up to any real path's length: it is what to look at.
            raise UsageError(
                f"the --content folder '{echo(folder, 4096)}' does not exist",
                hint="check the path, or create the folder first",
            ) from None
        except (OSError, ValueError):
            pass  # there but unreadable: the loader reports why (BC013)
    state.content_dirs = [Path(folder) for folder in content or []]


# Each module registers its commands on ``app`` when imported.
from backcare.cli import (  # noqa: E402, F401
    content_tools,
    diary,
    guide,
    meta,
    plan,
    routine,
    screening,
    settings,
)
