"""Screening: the warning signs, and the questionnaire that asks about them."""

import contextlib
from typing import IO, TYPE_CHECKING, Annotated

import typer

from backcare.cli import reads
from backcare.cli.app import app
from backcare.cli.common import JsonOption, complete, end_with, examples, state_of
from backcare.cli.state import State
from backcare.errors import UsageError
from backcare.escape import printable
from backcare.models import Catalog, Level

if TYPE_CHECKING:
    from backcare.query import Triage
    from backcare.query.questionnaire import Answer


@app.command(
    "red-flags",
    short_help="Warning signs that need a doctor.",
    epilog=examples("backcare red-flags", "backcare check"),
)
def red_flags(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the warning signs that need a doctor or an emergency department."""
    end_with(reads.red_flags(state_of(ctx, as_json), as_json))


@app.command(
    short_help="Screen yourself for warning signs.",
    epilog=examples("backcare check", "backcare check --yes fever --json", "backcare check --none"),
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
            autocompletion=complete("red-flag"),
        ),
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="Answer no to every warning sign, without prompts.")
    ] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save", help="Keep the answers and the result in your diary, for 'backcare report'."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Screen for warning signs, emergency first; the exit code tells the level."""
    state = state_of(ctx, as_json)
    if yes or none:
        end_with(reads.check_answered(state, yes, none, save, as_json))
        return
    if not state.env.stdin_isatty:
        state.screening_catalog()  # a content problem is reported first, as for any check
        raise UsageError(
            "check needs answers, and stdin is not a terminal",
            hint="pass --yes ID for each sign that applies, or --none (see 'backcare red-flags')",
        )
    catalog = state.screening_catalog()
    state.out.show_as_written()  # questions and answers: nothing held for a pager
    triage, answers = interview(state, catalog)
    end_with(reads.finish_check(state, catalog, triage, answers, save=save, as_json=as_json))


def ask(state: State, catalog: Catalog, *, scope: bool = True) -> "Triage":
    """The questionnaire on the person's terminal, and what the answers mean.

    ``scope`` asks first whether the guide is for them at all (under 16,
    pregnant); a screening started from within another command leaves it out.
    When the card goes to a file or pipe, the terminal is told the result too.
    """
    return interview(state, catalog, scope=scope)[0]


def interview(
    state: State, catalog: Catalog, *, scope: bool = True
) -> "tuple[Triage, list[tuple[str, Answer]]]":
    """``ask``, with the answers given, question id and answer, in the order asked."""
    terminal = state.env.terminal()
    triage, answers = _ask(state, catalog, terminal, scope=scope)
    if not state.env.stdout_isatty:
        with contextlib.suppress(KeyboardInterrupt):  # the answers are in: keep their result
            _say(terminal, _fit(state, terminal, _result_line(catalog, triage)) + "\n")
    return triage, answers


def _say(stream: IO[str], text: str) -> None:
    """Write to the person's terminal; a terminal that went away must not change the result."""
    with contextlib.suppress(OSError, ValueError):
        stream.write(text)
        stream.flush()


def _fit(state: State, terminal: IO[str], text: str, room: int = 0) -> str:
    """Wrap text to the width of the terminal it goes to, so words are not split at its edge.

    ``room`` is kept free after the last line (for the answer prompt); when the
    last line has no room for it, the prompt goes on a line of its own.
    """
    import textwrap

    width = max(min(state.env.width_of(terminal), 100) - 1, 20)
    lines = textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]
    ends_full = room and len(lines[-1]) + room > width
    return "\n".join(lines) + ("\n" if ends_full else "")


def _result_line(catalog: Catalog, triage: "Triage") -> str:
    """One line with the screening's result and what to do."""
    from backcare.render.words import LEVEL_LABELS

    level = triage.level
    if level is None:
        if not triage.emergency_ruled_out:
            return "Result: incomplete; not every emergency question was answered."
        return "Result: no warning signs; self-care is reasonable."
    advice = catalog.advice_by_level.get(level)
    action = f": {advice.heading}" if advice else ""
    return f"Result: {LEVEL_LABELS[level]}{action}."


# What people type for each answer; anything else is asked again.
_REPLIES = {
    **dict.fromkeys(("y", "yes"), "yes"),
    **dict.fromkeys(("n", "no"), "no"),
    **dict.fromkeys(("?", "not sure", "unsure", "dont know", "don't know", "ns"), "unsure"),
    **dict.fromkeys(("b", "back"), "back"),
}


def _ask(
    state: State, catalog: Catalog, terminal: IO[str], *, scope: bool
) -> "tuple[Triage, list[tuple[str, Answer]]]":
    """Ask the questions on the terminal, scope first, then emergency signs first.

    Shows progress, takes "not sure" (which counts as yes) and "back". Stops at
    the first emergency sign answered yes or not sure. Ctrl-D or Ctrl-C after
    some answers ends the screening there, and its result is what they mean.
    """
    from backcare.query.questionnaire import Answer, next_question, outcome, progress
    from backcare.render import words

    answers: list[tuple[str, Answer]] = []
    try:
        _say(terminal, _fit(state, terminal, words.CHECK_INTRO) + "\n")
        while (question := next_question(catalog, answers, scope=scope)) is not None:
            number, total = progress(catalog, answers, scope=scope)
            room = len(words.CHECK_PROMPT) + 2
            asked = _fit(state, terminal, printable(" ".join(question.text.split())), room)
            asked += "" if asked.endswith("\n") else " "
            heading = words.question_number(number, total, about_you=question.scope is not None)
            _say(terminal, f"\n{heading}\n{asked}{words.CHECK_PROMPT} ")
            line = state.env.stdin.readline()
            if not line:  # end of input: Ctrl-D
                raise EOFError
            reply = _REPLIES.get(" ".join(line.strip().lower().replace("\u2019", "'").split()))
            if reply is None:
                _say(terminal, words.CHECK_ANSWER_AGAIN + "\n")
            elif reply == "back":
                if answers:
                    answers.pop()
                else:
                    _say(terminal, words.CHECK_FIRST_QUESTION + "\n")
            else:
                answers.append((question.id, Answer(reply)))
                _explain(state, terminal, question.id, Answer(reply), catalog)
    except (EOFError, KeyboardInterrupt) as stop:
        # Ctrl-C may arrive anywhere in the loop, not only while waiting for a line.
        _say(terminal, "\n")
        if not answers:
            if isinstance(stop, KeyboardInterrupt):
                raise
            raise UsageError("the screening stopped before every question was answered") from None
        return outcome(catalog, answers, complete=False, scope=scope), answers  # the card says so
    _say(terminal, "\n")
    return outcome(catalog, answers, scope=scope), answers


def _explain(
    state: State, terminal: IO[str], question_id: str, answer: "Answer", catalog: Catalog
) -> None:
    """Say what an answer means when it changes the questions: not sure, or not in scope."""
    from backcare.query.questionnaire import Answer, scope_action
    from backcare.render import words

    if answer is Answer.NO:
        return
    flag = catalog.red_flag_by_id.get(question_id)
    if flag is None:  # a scope question: this guide is not for them
        advice = printable(" ".join(scope_action(catalog, question_id).split()))
        _say(terminal, "\n" + _fit(state, terminal, advice) + "\n")
        emergency = sum(f.level is Level.EMERGENCY for f in catalog.red_flags)
        _say(terminal, _fit(state, terminal, words.check_scope_then(emergency)) + "\n")
    elif answer is Answer.UNSURE:
        emergency = flag.level is Level.EMERGENCY
        note = words.CHECK_UNSURE_EMERGENCY if emergency else words.CHECK_UNSURE
        _say(terminal, _fit(state, terminal, note) + "\n")
