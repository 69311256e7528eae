"""Questions about exercises: lookup, search, and which ones make up a routine."""

from collections.abc import Sequence
from typing import NamedTuple

from backcare.errors import NotFoundError, UsageError
from backcare.models import Catalog, Exercise
from backcare.query import (
    MAX_QUERY,
    Hit,
    closest,
    echo,
    normalize,
    rank_texts,
    rater,
    remedy_items,
    search_words,
    searchable,
)
from backcare.query.fuzzy import Vocabulary

# The remedy whose ``exercises`` are the routine's, in order.
ROUTINE_REMEDY = "exercise"


class ExerciseHit(NamedTuple):
    """A search result among the exercises."""

    exercise: Exercise
    score: float
    matched: tuple[str, ...]


def find_exercise(catalog: Catalog, query: str) -> Exercise:
    """The exercise a user meant: its slug or name in any case or spacing, or one slug part."""
    if not query.strip():
        raise UsageError(
            "give the name of an exercise, for example: backcare exercises show knee-rolls"
        )
    key = normalize(query[: MAX_QUERY * 5])
    found = catalog.exercise_by_slug.get(key)
    if found is None:
        found = next((e for e in catalog.exercises if normalize(e.name) == key), None)
    if found is None:
        partial = [e for e in catalog.exercises if f"-{key}-" in f"-{e.slug}-"]
        found = partial[0] if len(partial) == 1 else None
    if found is not None:
        return found
    suggestions = closest(key, catalog.exercise_by_slug)
    hint = (
        f"did you mean {' or '.join(suggestions)}?"
        if suggestions
        else "run 'backcare exercises' to see them all"
    )
    raise NotFoundError(f"no exercise called '{echo(query)}'", hint=hint)


def routine_exercises(catalog: Catalog, wanted: Sequence[str] = ()) -> list[Exercise]:
    """The exercises of a session: those asked for, in the order given, or the default.

    The default is the exercises that the ``exercise`` remedy links to, in its
    order, leaving out those done at one's own pace (a walk): the routine times
    holds, and a walk is not done in front of a terminal. Without such links
    (a layer replaced the remedy), every timed exercise, in content order.
    """
    if wanted:
        return list(dict.fromkeys(find_exercise(catalog, w) for w in wanted))
    chosen = [e for e in _linked(catalog) or catalog.exercises if e.hold_seconds > 0]
    if not chosen:
        raise NotFoundError(
            "there is no exercise to make a routine of",
            hint="run 'backcare validate' to check the content",
        )
    return chosen


def own_pace(catalog: Catalog, chosen: Sequence[Exercise]) -> list[Exercise]:
    """The routine's exercises that are done at one's own pace and were not chosen (a walk)."""
    return [e for e in _linked(catalog) if e.hold_seconds == 0 and e not in chosen]


def _linked(catalog: Catalog) -> list[Exercise]:
    """The exercises the ``exercise`` remedy links to, in its order."""
    remedy = catalog.remedy_by_slug.get(ROUTINE_REMEDY)
    slugs = remedy.exercises if remedy else ()
    return [catalog.exercise_by_slug[s] for s in slugs if s in catalog.exercise_by_slug]


def search_exercises(catalog: Catalog, text: str) -> list[ExerciseHit]:
    """Exercises whose text matches the words of ``text``, best first (maybe none)."""
    return search_all(catalog, text, remedies=False)[1]


def search_all(
    catalog: Catalog, text: str, *, remedies: bool = True
) -> tuple[list[Hit], list[ExerciseHit]]:
    """Remedies and exercises that match the words of ``text``, each best first.

    A word spelt as some remedy or exercise spells it is not swapped for a
    look-alike in the other kind. Nothing found at all is ``NotFoundError``.
    """
    words = search_words(text)
    remedies_found = remedy_items(catalog.remedies)
    exercise_items = [(e, _searchable(e)) for e in catalog.exercises]
    known_remedies = [t for _, texts in remedies_found for t in texts]
    known_exercises = [t for _, texts in exercise_items for t in texts]
    # Both searches look at all of the text: one vocabulary serves them both.
    shared = Vocabulary(fields=known_remedies + known_exercises)
    exercises = [
        ExerciseHit(e, score, matched)
        for e, score, matched in rank_texts(exercise_items, words, known_remedies, shared)
    ]
    if not remedies:
        return [], exercises
    rating = rater(catalog)
    hits = [
        Hit(r, rating(r), score, matched)
        for r, score, matched in rank_texts(remedies_found, words, known_exercises, shared)
    ]
    if not hits and not exercises:
        raise NotFoundError(
            f"nothing matches '{echo(text.strip())}'",
            hint="try fewer or simpler words, or 'backcare list' and 'backcare exercises'",
        )
    return hits, exercises


def _searchable(exercise: Exercise) -> list[str]:
    return searchable(
        [
            f"{exercise.name} {exercise.slug}",
            " ".join(exercise.keywords),
            exercise.purpose,
            exercise.position,
            " ".join([*exercise.steps, exercise.easier]),
            " ".join([*(c.text for c in exercise.cautions), *exercise.stop_if]),
        ]
    )
