"""A routine's timing as data: the steps of a session and how long each lasts.

``schedule`` turns exercises into a flat list of steps (get ready, hold,
relax, rest between sets), so that the live display, the printed checklist and
the tests all follow one plan; nothing here waits or prints.
"""

from collections.abc import Collection, Sequence
from enum import Enum
from typing import NamedTuple

from backcare.models import Exercise


class Kind(str, Enum):
    """What a step asks of the person."""

    READY = "ready"  # read the instructions and get into position
    HOLD = "hold"  # one repetition, held
    RELAX = "relax"  # back to the starting position between repetitions
    REST = "rest"  # a pause between sets
    OWN_PACE = "own-pace"  # not timed: done at one's own pace, such as a walk


class Dose(NamedTuple):
    """How much of an exercise a session does."""

    hold_seconds: int
    reps: int
    sets: int


class Timing(NamedTuple):
    """The seconds the routine gives between holds (not part of the exercises' doses)."""

    ready: int = 10
    relax: int = 3
    rest: int = 15


DEFAULT_TIMING = Timing()


class Step(NamedTuple):
    """One step of a session. ``seconds`` is 0 for a step that is not timed."""

    kind: Kind
    exercise: Exercise
    seconds: int
    number: int  # which exercise of the session, from 1
    total: int  # how many exercises the session has
    rep: int = 0  # for holds and relaxes: which repetition, from 1
    reps: int = 0
    set: int = 0  # which set, from 1
    sets: int = 0


class Done(NamedTuple):
    """How much of one exercise a session got through."""

    exercise: Exercise
    holds_done: int
    holds_total: int

    @property
    def complete(self) -> bool:
        """Whether every hold of it was done (an exercise at one's own pace: its step)."""
        return self.holds_done >= self.holds_total


def dose(exercise: Exercise, easy: bool = False) -> Dose:
    """The exercise's dose, or its easier variant's (each number falling back to the full one)."""
    if not easy:
        return Dose(exercise.hold_seconds, exercise.reps, exercise.sets)
    return Dose(
        exercise.hold_seconds
        if exercise.easier_hold_seconds is None
        else exercise.easier_hold_seconds,
        exercise.easier_reps or exercise.reps,
        exercise.easier_sets or exercise.sets,
    )


def schedule(
    exercises: Sequence[Exercise], *, easy: bool = False, timing: Timing = DEFAULT_TIMING
) -> tuple[Step, ...]:
    """Every step of a session, in order.

    For each exercise: a get-ready step, then each set's repetitions (a hold,
    and a relax between holds), with a rest between sets. An exercise without
    a hold (a walk) is one step done at one's own pace.
    """
    steps: list[Step] = []
    total = len(exercises)
    for number, exercise in enumerate(exercises, 1):
        hold, reps, sets = dose(exercise, easy)
        if hold == 0:
            steps.append(Step(Kind.OWN_PACE, exercise, 0, number, total))
            continue
        steps.append(Step(Kind.READY, exercise, timing.ready, number, total))
        for set_number in range(1, sets + 1):
            for rep in range(1, reps + 1):
                where = (rep, reps, set_number, sets)
                steps.append(Step(Kind.HOLD, exercise, hold, number, total, *where))
                if rep < reps:
                    steps.append(Step(Kind.RELAX, exercise, timing.relax, number, total, *where))
            if set_number < sets:
                where = (reps, reps, set_number, sets)
                steps.append(Step(Kind.REST, exercise, timing.rest, number, total, *where))
    return tuple(steps)


def total_seconds(steps: Sequence[Step]) -> int:
    """How long the timed steps take, in seconds."""
    return sum(step.seconds for step in steps)


def summary(steps: Sequence[Step], finished: Collection[int]) -> list[Done]:
    """Per exercise, how many of its holds the steps at indexes ``finished`` got through.

    An exercise at one's own pace counts as one hold: its step.
    """
    done: dict[Exercise, list[int]] = {}
    for index, step in enumerate(steps):
        if step.kind not in (Kind.HOLD, Kind.OWN_PACE):
            continue
        tally = done.setdefault(step.exercise, [0, 0])
        tally[1] += 1
        if index in finished:
            tally[0] += 1
    return [Done(exercise, n, total) for exercise, (n, total) in done.items()]
