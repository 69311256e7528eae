"""The ``check`` questionnaire as pure functions: which question comes next, and what it means.

The scope questions come first (is this guide for you at all?), then every
warning sign, emergency first. The answers so far decide everything: the next
question, the progress ("question 3 of 20"), and the result, even when the
person stops early. Nothing here reads or prints; the CLI asks, render words.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

from backcare.models import Catalog, Level, RedFlag, ScopeQuestion
from backcare.query import LEVEL_ORDER, Triage, red_flags_in_order


class Answer(str, Enum):
    """An answer to one question; "not sure" counts as yes."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class Question(NamedTuple):
    """One question: a scope question (``scope``) or a warning sign (``flag``)."""

    id: str
    flag: RedFlag | None = None
    scope: ScopeQuestion | None = None

    @property
    def text(self) -> str:
        """The question as asked."""
        if self.flag:
            return self.flag.question
        return self.scope.question if self.scope else self.id

    @property
    def level(self) -> Level | None:
        """The warning sign's level; None for a scope question."""
        return self.flag.level if self.flag else None


Answers = Sequence[tuple[str, Answer]]


def questions(catalog: Catalog, answers: Answers = (), *, scope: bool = True) -> list[Question]:
    """Every question the answers so far lead to, in order.

    After a scope question answered yes (or not sure), only the emergency signs
    follow: they need an emergency department whoever has them. Without
    ``scope``, the scope questions are left out.
    """
    outside = bool(_outside(catalog, answers))
    signs = [
        Question(f.id, f)
        for f in red_flags_in_order(catalog)
        if not outside or f.level is Level.EMERGENCY
    ]
    return [Question(q.id, scope=q) for q in catalog.scope if scope] + signs


def next_question(catalog: Catalog, answers: Answers, *, scope: bool = True) -> Question | None:
    """The question to ask next, or None when the screening is over.

    It is over when every question is answered, or at the first emergency sign
    answered yes or not sure: nothing else matters then.
    """
    if any(_counts(a) and _is_emergency(catalog, i) for i, a in answers):
        return None
    plan = questions(catalog, answers, scope=scope)
    return plan[len(answers)] if len(answers) < len(plan) else None


def progress(catalog: Catalog, answers: Answers, *, scope: bool = True) -> tuple[int, int]:
    """(the number of the next question, how many there are) within its part.

    The scope questions ("about you") are one part and the warning signs the
    other, each counted from 1, so a total never changes while it is shown: a
    scope answer that leaves only the emergency signs is known before the first
    of them is numbered.
    """
    plan = questions(catalog, answers, scope=scope)
    asked = len(answers)
    if asked < len(plan) and plan[asked].scope is not None:
        part = [q for q in plan if q.scope is not None]
        return asked + 1, len(part)
    before = sum(q.scope is not None for q in plan)
    return asked - before + 1, len(plan) - before


def outcome(
    catalog: Catalog, answers: Answers, *, complete: bool = True, scope: bool = True
) -> Triage:
    """What the answers so far mean; ``complete`` is False when the person stopped early."""
    by_id = catalog.red_flag_by_id
    given = dict(answers)
    order = {f.id: n for n, f in enumerate(red_flags_in_order(catalog))}

    def signs(answer: Answer) -> tuple[RedFlag, ...]:
        found = [by_id[i] for i, a in given.items() if a is answer and i in by_id]
        return tuple(sorted(found, key=lambda f: (LEVEL_ORDER[f.level], order[f.id])))

    outside = _outside(catalog, answers)
    complete = complete or next_question(catalog, answers, scope=scope) is None
    rest = [] if complete else questions(catalog, answers, scope=scope)[len(answers) :]
    not_asked = tuple(q.flag for q in rest if q.flag)
    return Triage(signs(Answer.YES), signs(Answer.UNSURE), outside, not_asked, complete)


def _counts(answer: Answer) -> bool:
    return answer is not Answer.NO


def _is_emergency(catalog: Catalog, question_id: str) -> bool:
    flag = catalog.red_flag_by_id.get(question_id)
    return flag is not None and flag.level is Level.EMERGENCY


def _outside(catalog: Catalog, answers: Answers) -> tuple[str, ...]:
    """The scope questions answered yes or not sure: the guide is not for this person."""
    given = dict(answers)
    return tuple(q.id for q in catalog.scope if given.get(q.id, Answer.NO) is not Answer.NO)


def scope_action(catalog: Catalog, question_id: str) -> str:
    """Where to go instead, for a scope question answered yes."""
    found = next((q for q in catalog.scope if q.id == question_id), None)
    return found.action if found else ""
