"""What the read commands do once their arguments are parsed; free of Typer.

The Typer commands (``guide``, ``screening``) and the quick path (``quick``)
both call these, so a command does the same whichever parsed it. Each takes
the run's state and the parsed values and returns the exit code; the exit
code a warning level sets is settled (``state.pending_exit``) before anything
is written, so that a reader closing the pipe early cannot turn an emergency
into 0.
"""

from typing import TYPE_CHECKING

from backcare.cli.state import LEVEL_EXIT, State, moment
from backcare.errors import ExitStatus, NotFoundError, UsageError
from backcare.models import Catalog, Category, Rating

if TYPE_CHECKING:
    from backcare.query import Triage
    from backcare.query.questionnaire import Answer


def list_remedies(
    state: State, category: Category | None, rating: Rating | None, as_json: bool
) -> int:
    """``list``: every remedy at a glance, optionally of one category or rating."""
    from backcare import query, render

    items = query.list_remedies(state.catalog(), category, rating)
    if not items:
        raise NotFoundError("no remedy fits those filters", hint="run 'backcare list' to see all")
    render.remedy_list(state.out, items, as_json=as_json)
    return ExitStatus.OK


def show(state: State, remedy: list[str], as_json: bool) -> int:
    """``show``: one remedy in full, found by slug or name (several words are one name)."""
    from backcare import query, render

    catalog = state.catalog()
    found = query.find_remedy(catalog, " ".join(remedy))
    render.remedy(
        state.out, catalog, query.Rated(found, query.rate(found, catalog)), as_json=as_json
    )
    return ExitStatus.OK


def suggest(state: State, cause: list[str] | None, symptom: list[str] | None, as_json: bool) -> int:
    """``suggest``: remedies for the causes and symptoms given; a warning sign sets the code."""
    from backcare import query, render

    # A warning sign given as a symptom is screening: broken extra content may not stop it.
    catalog = state.screening_catalog(
        lambda builtin: any(query.normalize(s) in builtin.red_flag_by_id for s in symptom or [])
    )
    result = query.suggest(catalog, cause or [], symptom or [])
    state.pending_exit = LEVEL_EXIT[result.level]
    render.suggestion(state.out, catalog, result, as_json=as_json)
    return state.pending_exit


def search(state: State, words: list[str], as_json: bool) -> int:
    """``search``: remedies and exercises for the words, after any warning sign they name."""
    from backcare import render
    from backcare.query.signs import search_screened

    text = " ".join(words)
    catalog = state.catalog()
    result = search_screened(catalog, text)
    state.pending_exit = LEVEL_EXIT[result.level]
    render.search(state.out, catalog, text, result, as_json=as_json)
    return state.pending_exit


def terms(state: State, kind: str, as_json: bool) -> int:
    """``causes`` or ``symptoms`` (``kind``): the words ``suggest`` understands."""
    from backcare import query, render

    render.terms(state.out, kind, query.term_counts(state.catalog(), kind), as_json=as_json)
    return ExitStatus.OK


def sources(state: State, as_json: bool) -> int:
    """``sources``: the sources the content cites."""
    from backcare import render

    render.sources(state.out, list(state.catalog().sources), as_json=as_json)
    return ExitStatus.OK


def red_flags(state: State, as_json: bool) -> int:
    """``red-flags``: the warning signs, emergency first."""
    from backcare import query, render

    catalog = state.screening_catalog()
    render.red_flags(state.out, catalog, query.red_flags_in_order(catalog), as_json=as_json)
    return ExitStatus.OK


def recovery(state: State, as_json: bool) -> int:
    """``recovery``: what to expect while back pain gets better, and when to see someone."""
    from backcare.render import recovery as view

    view.recovery(state.out, state.catalog(), as_json=as_json)
    return ExitStatus.OK


def exercises(state: State, as_json: bool) -> int:
    """``exercises``: the gentle exercises, with their doses."""
    from backcare.render import exercises as view

    view.exercise_list(state.out, state.catalog().exercises, as_json=as_json)
    return ExitStatus.OK


def check_answered(
    state: State, yes: list[str] | None, none: bool, save: bool, as_json: bool
) -> int:
    """``check --yes ID ...`` or ``check --none``: a screening answered on the command line."""
    from backcare import query
    from backcare.query.questionnaire import Answer

    catalog = state.screening_catalog()
    if yes and none:
        raise UsageError("--none and --yes contradict each other; give one of them")
    if not save:  # answered and kept nowhere: the same answers always give the same card
        from backcare import memo

        memo.note_command("backcare check answered")
    triage = query.triage(catalog, yes or [])
    chosen = set(yes or [])
    answers = [(f.id, Answer.YES if f.id in chosen else Answer.NO) for f in catalog.red_flags]
    return finish_check(state, catalog, triage, answers, save=save, as_json=as_json)


def finish_check(
    state: State,
    catalog: Catalog,
    triage: "Triage",
    answers: "list[tuple[str, Answer]]",
    *,
    save: bool,
    as_json: bool,
) -> int:
    """Show a screening's card, keep it in the diary if asked, and return its exit code."""
    from backcare import render

    state.pending_exit = exit_status(triage)
    render.check(state.out, catalog, triage, as_json=as_json)
    if save:
        keep(state, catalog, triage, answers)
    return state.pending_exit


def exit_status(triage: "Triage") -> ExitStatus:
    """The exit code of a screening: its level's, and never 0 for an unfinished one.

    Stopped before every emergency question was answered, and with nothing
    answered yes, it is 130 (interrupted), never "all clear".
    """
    if triage.level is None and not triage.emergency_ruled_out:
        return ExitStatus.INTERRUPTED
    return LEVEL_EXIT[triage.level]


def keep(
    state: State, catalog: Catalog, triage: "Triage", answers: "list[tuple[str, Answer]]"
) -> None:
    """Save a finished screening to the diary; a diary that fails only says so on stderr.

    The card is out and its exit code settled before this runs, so nothing
    here can hide or change them.
    """
    from backcare import store
    from backcare.errors import BackcareError
    from backcare.models import CheckRecord

    if not triage.complete:
        state.out.note("Not saved in your diary: the screening was not finished.")
        return
    now, offset = moment()
    record = CheckRecord(
        id=store.new_id(),
        at=now,
        utc_offset_minutes=offset,
        answers=tuple((i, a.value) for i, a in answers if i in catalog.red_flag_by_id),
        level=triage.level,
    )
    try:
        with store.Diary(store.diary_path(state.env.environ)) as diary:
            diary.save_check(record)
    except BackcareError as error:
        state.out.error(error.message, error.hint)
        return
    state.out.note("Saved in your diary; 'backcare report' shows it.")
