"""The command line: parse arguments, call the query layer, hand results to render.

(No ``from __future__ import annotations`` here: Typer reads these annotations
at every start, and real objects spare it compiling each one from a string.)

Nothing here decides what is true about back care. Each command is a few
lines; errors raised anywhere below are mapped to exit codes in one place,
``run``, which also prints the disclaimer on every run.
"""

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from backcare import __version__
from backcare.errors import BackcareError, ContentError, ExitStatus, NotFoundError, UsageError
from backcare.models import Catalog, Category, Layer, Level, Rating
from backcare.output import ColorChoice, Environment, Output, printable

COMPLETE_VAR = "_BACKCARE_COMPLETE"
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
            if code == ExitStatus.INTERRUPTED:  # Typer turns Ctrl-C into exit 130
                state.out.note("")
                state.out.error("interrupted")
        except BackcareError as error:
            code = error.exit_status
            _report(state, code, error.message, error.hint)
        except typer.TyperException as error:  # a usage error found while parsing
            state.out.json_requested = state.out.json_requested or "--json" in argv
            code = _usage_error(state, error)
        except (KeyboardInterrupt, typer.Abort):
            state.out.error("interrupted")
            code = ExitStatus.INTERRUPTED
        if code != ExitStatus.OK and not state.out.failed:
            state.out.failed = code in (
                ExitStatus.USAGE,
                ExitStatus.CONTENT,
                ExitStatus.INTERRUPTED,
            )
        state.out.disclaimer()
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


def _usage_error(state: State, error: typer.TyperException) -> int:
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
            option in error.format_message() for option in ("--color", "--content")
        ):
            hint = "--color and --content go before the command, e.g. 'backcare --color never list'"
    code = int(getattr(error, "exit_code", ExitStatus.USAGE))
    _report(state, code, error.format_message(), hint)
    return code


def _report(state: State, code: int, message: str, hint: str | None) -> None:
    """Report a failure on stderr, and as a JSON document too when JSON was asked for."""
    if state.out.json_requested:
        state.out.json_error(code, message, hint)
    else:
        state.out.error(message, hint)


def _examples(*lines: str) -> str:
    """An epilog of example commands, one per line (Click keeps a \\b paragraph as it is)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


app = typer.Typer(
    cls=BackcareGroup,
    name="backcare",
    help=(
        "A self-care guide for back spasms: remedies, what clinical guidelines say"
        " about them, and the warning signs that need a doctor instead."
    ),
    epilog=_examples(
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

JsonOption = Annotated[
    bool, typer.Option("--json", help="Write JSON to stdout (shape in the README).")
]


def _state(ctx: typer.Context, as_json: bool = False) -> State:
    """This run's state; ``as_json`` records that errors too must be JSON on stdout."""
    state = ctx.find_root().obj
    assert isinstance(state, State)
    state.out.json_requested = as_json
    return state


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backcare {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    color: Annotated[
        ColorChoice,
        typer.Option(
            "--color",
            help="Colour and layout: auto (a terminal gets tables), always, never.",
            case_sensitive=False,
        ),
    ] = ColorChoice.AUTO,
    content: Annotated[
        list[str] | None,
        typer.Option(
            "--content", metavar="DIR", help="An extra content folder, applied last. Repeatable."
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
    state = _state(ctx)
    state.out = Output(state.env, color)
    if any(not folder.strip() for folder in content or []):
        raise typer.BadParameter("give a folder, not an empty string", param_hint="'--content'")
    state.content_dirs = [Path(folder) for folder in content or []]


# --- completion -------------------------------------------------------------------


def _complete(kind: str) -> Any:
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
            }[kind]
        except Exception:  # completion must never fail the shell
            return []
        return [v for v in values if v.startswith(incomplete)]

    return complete


# --- commands ------------------------------------------------------------------------


@app.command(
    "list",
    short_help="Every remedy at a glance, with its rating.",
    epilog=_examples(
        "backcare list",
        "backcare list --category at-home --rating supported",
        "backcare list --json",
    ),
)
def list_remedies(
    ctx: typer.Context,
    category: Annotated[
        Category | None,
        typer.Option("--category", "-c", help="Only this category.", case_sensitive=False),
    ] = None,
    rating: Annotated[
        Rating | None,
        typer.Option("--rating", "-r", help="Only this guideline rating.", case_sensitive=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List every remedy at a glance, with its guideline rating."""
    from backcare import query, render

    state = _state(ctx, as_json)
    items = query.list_remedies(state.catalog(), category, rating)
    if not items:
        from backcare.errors import NotFoundError

        raise NotFoundError("no remedy fits those filters", hint="run 'backcare list' to see all")
    render.remedy_list(state.out, items, as_json=as_json)


@app.command(
    short_help="One remedy in full, with the evidence.",
    epilog=_examples(
        "backcare show ice-packs", 'backcare show "Ice Packs"', "backcare show ice-packs --json"
    ),
)
def show(
    ctx: typer.Context,
    remedy: Annotated[
        str,
        typer.Argument(
            metavar="REMEDY",
            help="The remedy's slug or name.",
            autocompletion=_complete("remedy"),
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Show one remedy in full: how to, cautions, and what the guidelines say."""
    from backcare import query, render

    state = _state(ctx, as_json)
    catalog = state.catalog()
    found = query.find_remedy(catalog, remedy)
    render.remedy(
        state.out, catalog, query.Rated(found, query.rate(found, catalog)), as_json=as_json
    )


@app.command(
    short_help="Remedies for your causes and symptoms.",
    epilog=_examples(
        "backcare suggest --cause posture",
        "backcare suggest --cause posture --symptom stiffness",
        "backcare suggest --symptom sharp-pain --json",
    ),
)
def suggest(
    ctx: typer.Context,
    cause: Annotated[
        list[str] | None,
        typer.Option(
            "--cause",
            metavar="CAUSE",
            help="A cause (see 'backcare causes'). Repeatable.",
            autocompletion=_complete("cause"),
        ),
    ] = None,
    symptom: Annotated[
        list[str] | None,
        typer.Option(
            "--symptom",
            metavar="SYMPTOM",
            help=(
                "A symptom (see 'backcare symptoms') or a warning-sign id"
                " (see 'backcare red-flags'). Repeatable."
            ),
            autocompletion=_complete("symptom"),
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest remedies for your causes and symptoms, best first, saying why each fits."""
    from backcare import query, render

    state = _state(ctx, as_json)
    # A warning sign given as a symptom is screening: broken extra content may not stop it.
    catalog = state.screening_catalog(
        lambda builtin: any(query.normalize(s) in builtin.red_flag_by_id for s in symptom or [])
    )
    result = query.suggest(catalog, cause or [], symptom or [])
    state.pending_exit = LEVEL_EXIT[result.level]
    render.suggestion(state.out, catalog, result, as_json=as_json)
    raise typer.Exit(state.pending_exit)


@app.command(
    short_help="Full-text search; small typos forgiven.",
    epilog=_examples("backcare search heat stiff", "backcare search stretching --json"),
)
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="WORDS...", help="Words to look for; small typos are forgiven."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Search names, summaries, descriptions and steps, best match first."""
    from backcare import query, render

    state = _state(ctx, as_json)
    text = " ".join(words)
    catalog = state.catalog()
    flags = query.matching_red_flags(catalog, text)  # warning signs come first, always
    level = query.most_urgent(flags)
    try:
        # As with suggest: no remedy is an answer to an emergency sign.
        hits = [] if level is Level.EMERGENCY else query.search(catalog, text)
    except NotFoundError:
        if not flags:
            raise
        hits = []
    state.pending_exit = LEVEL_EXIT[level]
    render.search(state.out, catalog, text, hits, flags, as_json=as_json)
    raise typer.Exit(state.pending_exit)


@app.command(epilog=_examples("backcare causes", "backcare suggest --cause posture"))
def causes(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the causes that 'suggest --cause' understands."""
    _terms(ctx, "causes", as_json)


@app.command(epilog=_examples("backcare symptoms", "backcare suggest --symptom stiffness"))
def symptoms(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the symptoms that 'suggest --symptom' understands."""
    _terms(ctx, "symptoms", as_json)


def _terms(ctx: typer.Context, kind: str, as_json: bool) -> None:
    from backcare import query, render

    state = _state(ctx, as_json)
    render.terms(state.out, kind, query.term_counts(state.catalog(), kind), as_json=as_json)


@app.command(epilog=_examples("backcare sources", "backcare sources --json"))
def sources(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the sources that the content cites."""
    from backcare import render

    state = _state(ctx, as_json)
    render.sources(state.out, list(state.catalog().sources), as_json=as_json)


@app.command(
    "red-flags",
    short_help="Warning signs that need a doctor.",
    epilog=_examples("backcare red-flags", "backcare check"),
)
def red_flags(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the warning signs that need a doctor or an emergency department."""
    from backcare import query, render

    state = _state(ctx, as_json)
    catalog = state.screening_catalog()
    render.red_flags(state.out, catalog, query.red_flags_in_order(catalog), as_json=as_json)


@app.command(
    short_help="Screen yourself for warning signs.",
    epilog=_examples(
        "backcare check", "backcare check --yes fever --json", "backcare check --none"
    ),
)
def check(
    ctx: typer.Context,
    yes: Annotated[
        list[str] | None,
        typer.Option(
            "--yes",
            metavar="ID",
            help=(
                "A warning sign that applies (see 'backcare red-flags');"
                " all others count as no. Repeatable."
            ),
            autocompletion=_complete("red-flag"),
        ),
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="Answer no to every warning sign, without prompts.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Screen for warning signs, emergency first; the exit code tells the level."""
    from backcare import query, render

    state = _state(ctx, as_json)
    catalog = state.screening_catalog()
    if yes or none:
        if yes and none:
            raise UsageError("--none and --yes contradict each other; give one of them")
        triage = query.triage(catalog, yes or [])
    elif state.env.stdin_isatty:
        triage = query.triage(catalog, _ask(state, catalog))
        if not state.env.stdout_isatty:  # the card goes to a file or pipe: say the result here too
            _tell_result(state, catalog, triage.level)
    else:
        raise UsageError(
            "check needs answers, and stdin is not a terminal",
            hint="pass --yes ID for each sign that applies, or --none (see 'backcare red-flags')",
        )
    state.pending_exit = LEVEL_EXIT[triage.level]
    render.check(state.out, catalog, triage, as_json=as_json)
    raise typer.Exit(state.pending_exit)


def _fit(state: State, text: str) -> str:
    """Wrap a question to the terminal's width, so words are not split at its edge."""
    import textwrap

    width = min(state.env.stderr_width(), 100) - 6  # room for " [y/n] "
    return textwrap.fill(text, width=max(width, 30))


def _tell_result(state: State, catalog: Catalog, level: Level | None) -> None:
    """One line on the terminal with the screening's result and what to do."""
    from backcare.render.words import LEVEL_LABELS

    if level is None:
        state.out.note("Result: no warning signs; self-care is reasonable.")
        return
    advice = catalog.advice_by_level.get(level)
    action = f": {advice.heading}" if advice else ""
    state.out.note(f"Result: {LEVEL_LABELS[level]}{action}.")


def _ask(state: State, catalog: Catalog) -> list[str]:
    """Ask each warning-sign question on the terminal, emergency first.

    Stops at the first emergency "yes": nothing else matters then.
    """
    from backcare import query

    stream = state.env.stderr
    stream.write("Answer each question with y or n. Emergency signs come first.\n")
    answered: list[str] = []
    for flag in query.red_flags_in_order(catalog):
        while True:
            stream.write(f"{_fit(state, printable(flag.question))} [y/n] ")
            stream.flush()
            try:
                line = state.env.stdin.readline()
            except KeyboardInterrupt:
                if not answered:
                    raise
                line = ""
            if not line:  # end of input, or Ctrl-C after a "yes": stop, but keep every yes
                stream.write("\n")
                if not answered:
                    raise UsageError("the screening stopped before every question was answered")
                stream.write("The screening stopped early; here is what your yes answers mean.\n")
                return answered
            reply = line.strip().lower()
            if reply in ("y", "yes", "n", "no"):
                break
            stream.write("Please answer y or n.\n")
        if reply.startswith("y"):
            answered.append(flag.id)
            if flag.level is Level.EMERGENCY:
                break
    stream.write("\n")
    return answered


@app.command(
    short_help="Where content is read from, in order.",
    epilog=_examples("backcare paths", "backcare --content ./my-content paths"),
)
def paths(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the content layers in the order they apply, and whether each exists."""
    from backcare import render

    state = _state(ctx, as_json)
    render.paths(state.out, state.layers(), as_json=as_json)


@app.command(
    short_help="Check content files for mistakes.",
    epilog=_examples(
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

    state = _state(ctx, as_json)
    layers = state.layers()
    findings = validate_cached(layers, targets or [], state.env.environ)
    checked = ", ".join(str(t) for t in targets) if targets else f"{len(layers)} content layers"
    render.findings(state.out, findings, checked, as_json=as_json)
    if findings:
        raise typer.Exit(ExitStatus.CONTENT)


def main() -> None:
    """The console script's entry point."""
    app(prog_name="backcare")
