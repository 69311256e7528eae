"""Exercises and the guided routine: exercises, exercises show, routine.

The live display (``backcare.render.live``, with ``rich.live`` and ``termios``)
is imported only when ``routine`` runs with a timer, so no other command pays
for it at start-up.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from backcare.cli import reads
from backcare.cli.app import app
from backcare.cli.common import JsonOption, complete, end_with, examples, state_of
from backcare.cli.state import State, moment
from backcare.errors import BackcareError, ExitStatus, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from backcare.models import Catalog
    from backcare.query.schedule import Done, Step

TIME_SCALE_VAR = "BACKCARE_TIME_SCALE"


exercises_app = typer.Typer(
    name="exercises",
    help="The gentle exercises, with their doses and sources.",
    short_help="Gentle exercises with doses; 'exercises show SLUG' for one.",
    epilog=examples(
        "backcare exercises",
        "backcare exercises show knee-rolls",
        "backcare exercises --json",
        "backcare routine",
    ),
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(exercises_app)


@exercises_app.callback()
def exercises(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the gentle exercises, with their doses ('exercises show SLUG' for one in full)."""
    if ctx.invoked_subcommand is not None:
        return
    end_with(reads.exercises(state_of(ctx, as_json), as_json))


@exercises_app.command(
    "show",
    short_help="One exercise in full, with its sources.",
    epilog=examples(
        "backcare exercises show knee-rolls",
        'backcare exercises show "Cat and camel"',
        "backcare exercises show bridging --json",
    ),
)
def show_exercise(
    ctx: typer.Context,
    exercise: Annotated[
        str,
        typer.Argument(
            metavar="EXERCISE",
            help="The exercise's slug or name.",
            autocompletion=complete("exercise"),
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Show one exercise in full: position, steps, dose, easier variant, when to stop, sources."""
    from backcare.query.exercises import find_exercise
    from backcare.render import exercises as render

    state = state_of(ctx, as_json)
    catalog = state.catalog()
    render.exercise(state.out, catalog, find_exercise(catalog, exercise), as_json=as_json)


@app.command(
    short_help="A guided session of the exercises, with a timer.",
    epilog=examples(
        "backcare routine",
        "backcare routine --easy",
        "backcare routine --exercise knee-rolls --exercise pelvic-tilt",
        "backcare routine --no-timer",
    ),
)
def routine(
    ctx: typer.Context,
    exercise: Annotated[
        list[str] | None,
        typer.Option(
            "--exercise",
            "-e",
            metavar="SLUG",
            help="An exercise to do (see 'backcare exercises'); repeatable. Default: the routine.",
            autocompletion=complete("exercise"),
        ),
    ] = None,
    easy: Annotated[
        bool, typer.Option("--easy", help="The easier variant: shorter holds, fewer sets.")
    ] = False,
    no_bell: Annotated[
        bool, typer.Option("--no-bell", help="No bell at the end of each hold.")
    ] = False,
    no_timer: Annotated[
        bool,
        typer.Option("--no-timer", help="Print the routine as a checklist instead of timing it."),
    ] = False,
    no_log: Annotated[
        bool, typer.Option("--no-log", help="Do not record the session in the diary.")
    ] = False,
) -> None:
    """Follow a session of gentle exercises, timed on screen, then record it in the diary.

    Space pauses and goes on, s skips an exercise, q or Ctrl-C ends the session.
    Without a terminal, with --no-timer or TERM=dumb, it prints a checklist.
    """
    from backcare.query import exercises as qe
    from backcare.query.schedule import schedule

    state = state_of(ctx)
    state.out.show_as_written()  # a timer and questions: never held back for a pager
    catalog = state.catalog()
    chosen = qe.routine_exercises(catalog, exercise or [])
    steps = schedule(chosen, easy=easy)
    afterwards = [] if exercise else qe.own_pace(catalog, chosen)
    env = state.env
    timed = (
        not no_timer
        and _has_termios()
        and env.stdin_isatty
        and env.stdout_isatty
        and env.environ.get("TERM", "").strip().lower() not in ("dumb", "unknown")
    )
    if timed:
        finished = _live(state, steps, bell=not no_bell, easy=easy)
        from backcare.render.exercises import dose_text

        for extra in afterwards:
            _say(
                state,
                f"Afterwards: {extra.name} ({extra.slug}), {dose_text(extra).lower()};"
                f" see 'backcare exercises show {extra.slug}'.\n",
            )
    else:
        from backcare.render import exercises as render

        render.routine_checklist(state.out, steps, easy, afterwards)
        if not env.stdin_isatty:
            if not no_log:
                state.out.note(
                    "Not recorded in the diary: without a terminal there is no one to ask how"
                    " it went. Record it with: backcare log PAIN --tried exercise"
                )
            return
        if not _ask_line(state, "Press Enter when you have done them (q and Enter to stop).", "q"):
            return
        finished = frozenset(range(len(steps)))
    code = finish(state, catalog, steps, finished, easy=easy, log=not no_log)
    raise typer.Exit(code)


def _has_termios() -> bool:
    """Whether single key presses can be read (a POSIX terminal); else the checklist."""
    import importlib.util

    return importlib.util.find_spec("termios") is not None


def time_scale(environ: "Mapping[str, str]") -> float:
    """The timer's speed from ``BACKCARE_TIME_SCALE`` (a testing aid): 1 unless set."""
    value = environ.get(TIME_SCALE_VAR, "").strip()
    if not value:
        return 1.0
    try:
        scale = float(value)
    except ValueError:
        scale = 0.0
    if not 0.0 < scale <= 10.0:
        raise UsageError(
            f"{TIME_SCALE_VAR} must be a number above 0 and at most 10, not '{value[:20]}'",
            hint="it is a testing aid: 0.01 runs the timer a hundred times faster; unset it",
        )
    return scale


def _live(state: State, steps: Sequence["Step"], *, bell: bool, easy: bool) -> frozenset[int]:
    """Run the live display; print what was done; return the steps finished."""
    from backcare.query.schedule import summary
    from backcare.render import live
    from backcare.render.exercises import summary_lines

    clock = live.ScaledClock(time_scale(state.env.environ))
    console = state.out.console()
    keys = live.Keys(state.env.stdin.fileno())
    outcome = live.run(console, steps, keys, clock, bell=bell, easy=easy)
    ended = {"done": "Session complete.", "quit": "Session ended.", "interrupted": "Session ended."}
    _say(state, "\n" + ended[outcome.ended] + "\n")
    for line in summary_lines(summary(steps, outcome.finished)):
        _say(state, f"  {line}\n")
    return outcome.finished


def finish(
    state: State,
    catalog: "Catalog",
    steps: Sequence["Step"],
    finished: frozenset[int],
    *,
    easy: bool,
    log: bool,
) -> int:
    """After a session: ask about pain and the stop signs, record it, screen if need be.

    Returns the exit code: the screening's level after a "yes" to the stop
    question (even when the diary could not be written), else 0, or the
    diary's error code when it could not be written.
    """
    from backcare.query.schedule import summary
    from backcare.render.exercises import STOP_QUESTION

    done = [d for d in summary(steps, finished) if d.holds_done]
    pain = _ask_pain(state)
    stop = _ask_yes_no(state, STOP_QUESTION)
    code = ExitStatus.OK
    if log and done:
        if pain is None:
            _say(
                state,
                "Not recorded in the diary: no pain score was given. Record it with:"
                f" backcare log PAIN {' '.join('--tried ' + s for s in _tried(done))}\n",
            )
        else:
            try:
                _say(state, _save(state, pain, _tried(done), _note(done, easy, stop)) + "\n")
            except BackcareError as error:  # a broken diary must not stop the screening
                state.out.error(error.message, error.hint)
                code = error.exit_status
    if stop:
        return _screen(state, catalog)
    if stop is None:
        from backcare.render.exercises import STOP_LINE

        _say(state, STOP_LINE + "\n")
    return int(code)


def _tried(done: Sequence["Done"]) -> tuple[str, ...]:
    """What the diary records as tried: the routine, and each exercise done."""
    return ("exercise", *(d.exercise.slug for d in done))


def _note(done: Sequence["Done"], easy: bool, stop: bool | None) -> str:
    parts = [
        d.exercise.slug + ("" if d.complete else f" {d.holds_done} of {d.holds_total}")
        for d in done
    ]
    note = "Routine" + (", easier variant" if easy else "") + ": " + ", ".join(parts) + "."
    if stop:
        note += " Stopped: pain spread down a leg, or numbness or tingling."
    return note


def _save(state: State, pain: int, tried: tuple[str, ...], note: str) -> str:
    """Add the session to the diary; the line that says so."""
    from backcare import store
    from backcare.models import DiaryEntry

    now, offset = moment()
    entry = DiaryEntry(
        id=store.new_id(),
        at=now,
        utc_offset_minutes=offset,
        pain=pain,
        limits=None,
        tried=tried,
        note=note,
    )
    with store.Diary(store.diary_path(state.env.environ)) as diary:
        diary.add(entry)
    return f"Recorded in your diary: pain {pain}, tried {', '.join(tried)} (see 'backcare diary')."


def _screen(state: State, catalog: "Catalog") -> int:
    """After a "yes" to the stop question: the warning-sign questions and their card."""
    from backcare import render
    from backcare.cli.reads import exit_status
    from backcare.cli.screening import ask

    _say(
        state,
        "Stop the exercises for now. Please answer the warning-sign questions;"
        " the card at the end says what to do.\n",
    )
    state.env.stdout.flush()
    triage = ask(state, catalog, scope=False)
    state.pending_exit = exit_status(triage)
    render.check(state.out, catalog, triage, as_json=False)
    return int(state.pending_exit)


def _say(state: State, text: str) -> None:
    """Text for the person on stdout: wrapped at word breaks by Rich at a terminal."""
    if not state.out.rich:
        state.out.write(text)
        return
    from rich.text import Text

    from backcare.escape import printable

    state.out.console().print(Text(printable(text.removesuffix("\n"))))


def _prompt(state: State, text: str) -> str | None:
    """Ask on the terminal; the line typed, or None at the end of input."""
    import textwrap

    stream = state.env.stderr
    state.env.stdout.flush()
    width = max(min(state.env.stderr_width(), 100) - 1, 30)
    stream.write(textwrap.fill(text, width=width) + " ")
    stream.flush()
    line = state.env.stdin.readline()
    if not line:
        stream.write("\n")
        return None
    return line.strip()


def _ask_line(state: State, text: str, stop: str) -> bool:
    """Wait for Enter; False when the person typed ``stop`` or input ended."""
    answer = _prompt(state, text)
    return answer is not None and answer.lower() != stop


def _ask_pain(state: State) -> int | None:
    """The pain now on the 0 to 10 scale, or None when skipped."""
    from backcare.render.exercises import PAIN_QUESTION

    while True:
        answer = _prompt(state, PAIN_QUESTION)
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        state.env.stderr.write("Please give a whole number from 0 to 10, or press Enter to skip.\n")


def _ask_yes_no(state: State, question: str) -> bool | None:
    """A yes or no answer; None when input ended without one."""
    while True:
        answer = _prompt(state, f"{question} [y/n]")
        if answer is None:
            return None
        if answer.lower() in ("y", "yes"):
            return True
        if answer.lower() in ("n", "no"):
            return False
        state.env.stderr.write("Please answer y or n.\n")
