"""Which warning signs a piece of free text names, or only touches.

One matching function, ``match_signs``, serves every place where people type
words rather than pick ids: ``search``, ``suggest`` values that are not a
known symptom, and any other free text. It is pure: text and catalog in,
matches out.

A sign is **named** when the text says what the sign is, whatever words
surround it: every telling word of the sign's name or of its id (``chest``
for "Chest pain", ``fever`` for the id ``fever``), or at least two words of the
sign with at least one of them telling (``numb legs``, ``after a fall``); a
word of the sign's question counts only beside one of the sign's own words
(``bad fall``). Words
are matched at the start of the sign's words, or the sign's word at the start
of the text's (``feverish`` names ``fever``), and a word that matches no sign's
word at all is replaced by its close spellings among them (``chset`` for
``chest``), as remedy search forgives typos.

A sign is named too when the text has every word of one of its everyday
phrases (``also_called`` in the content: "numbness in the groin" for the sign
worded "around the genitals"), in any order and with any words between.

A sign is only **touched** when some of its words appear without naming it
(a lone ``leg``), or when the words matched are exactly the name of a remedy
(``weight loss``, a remedy, touches "Weight loss without trying"). A touched
sign is something to check, never a reason to raise an exit code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from backcare.models import Catalog, Level, RedFlag, Remedy
from backcare.query.fuzzy import Vocabulary

if TYPE_CHECKING:
    from backcare.query import Hit
    from backcare.query.exercises import ExerciseHit

# The longest text matched: far beyond any note, so that a sign at its end still counts.
MAX_TEXT = 100_000
# Text words shorter than this match nothing (``a``, ``of``, ``or``).
MIN_WORD = 3
# A text word this long or longer may be a typo of a sign's word.
MIN_TYPO = 4
TYPO_CUTOFF = 0.75
# A sign's word this long or longer also matches longer forms of it (``fall``, ``falls``).
MIN_STEM = 4
MAX_SUFFIX = 3

_WORD = re.compile(r"[^\W_]+")

# Words that say nothing about which sign is meant.
_NEUTRAL = frozenset(
    """a an and are as at be been by can do does for from had has have how i in into is it
    its me my of on or so that the their then there this to was what when with you your
    ever very feel feels felt ache aches aching back lower hurt hurts hurting pain painful
    pains sore""".split()
)
# Words that belong to a sign but never name or touch one on their own.
_WEAK = frozenset(
    """after before both high new newly problem problems change changed changes sign signs
    symptom symptoms better stop stops stopped daily getting worse minor severe bad start
    started without trying between around loss one down over under first""".split()
)
# The guide's own symptoms (stiffness, spasm, cramp) are weak words too: everyday
# searches, never a warning sign on their own; see ``_weak_words``.


class SignMatch(NamedTuple):
    """A warning sign that a text names or touches, and the text's words that matched."""

    flag: RedFlag
    words: tuple[str, ...]
    named: bool


def match_signs(catalog: Catalog, text: str) -> tuple[SignMatch, ...]:
    """The warning signs ``text`` names or touches, most urgent first, named before touched.

    ``words`` are the text's own words (lower-cased) that matched the sign,
    in the order they appear in the text.
    """
    plain = text[:MAX_TEXT].lower().replace("'", "").replace("\u2019", "")  # can't: cant
    words = [w for w in _WORD.findall(plain) if _counts(w)]
    if not words:
        return ()
    flags = sorted(catalog.red_flags, key=lambda f: _LEVEL_ORDER[f.level])
    own = {flag.id: _sign_words(flag) for flag in flags}
    asked = {flag.id: set(_telling(flag.question)) - own[flag.id] for flag in flags}
    phrases = {flag.id: [set(_telling(p)) for p in flag.also_called] for flag in flags}
    everything = set().union(
        *own.values(), *asked.values(), *(p for f in flags for p in phrases[f.id])
    )
    known = _known_words(catalog)
    weak = _weak_words(catalog)
    remedy_names = _RemedyNames(catalog)
    spelling = Vocabulary(" ".join(sorted(everything)))
    forms = {w: _forms(w, everything, known, spelling) for w in dict.fromkeys(words)}

    found: list[SignMatch] = []
    for flag in flags:
        # An everyday phrase for the sign names it when the text has every word of it.
        said = _everyday(phrases[flag.id], forms)
        if said:
            found.append(SignMatch(flag, said, True))
            continue
        anchors = [w for w in forms if forms[w] & own[flag.id]]
        # A word is weak when it, or every word of the sign it stands for, is.
        strong = [w for w in anchors if w not in weak and (forms[w] & own[flag.id]) - weak]
        if not strong:  # none, or only words like "after" or "stiff"
            continue
        # The question's words add to what the sign's own words matched ("bad fall").
        matched = [w for w in forms if w in anchors or forms[w] & asked[flag.id]]
        covered = set().union(*(forms[w] & own[flag.id] for w in anchors))
        beside = _beside(words, set(anchors), {w for w in matched if w not in anchors})
        named = _names(flag, matched, strong, covered, len(anchors) + len(beside), remedy_names)
        found.append(SignMatch(flag, tuple(matched), named))
    found.sort(key=lambda m: (not m.named, _LEVEL_ORDER[m.flag.level]))
    return tuple(found)


def named_signs(catalog: Catalog, text: str) -> list[RedFlag]:
    """The warning signs that ``text`` names (not those it only touches)."""
    return [m.flag for m in match_signs(catalog, text) if m.named]


def most_urgent_named(matches: Iterable[SignMatch]) -> Level | None:
    """The most urgent level among the signs named; touched signs never count."""
    levels = [m.flag.level for m in matches if m.named]
    return min(levels, key=_LEVEL_ORDER.__getitem__) if levels else None


def withheld_by(remedy: Remedy, flags: Iterable[RedFlag]) -> bool:
    """Whether a remedy's own advice is a doctor instead with one of these urgent signs.

    Heat with a fever, for example. For a see-soon sign the remedy may still
    help while waiting; an emergency sign leaves no remedy at all anyway.
    """
    urgent = {f.id for f in flags if f.level is Level.URGENT}
    return bool(urgent.intersection(remedy.red_flags))


_LEVEL_ORDER = {Level.EMERGENCY: 0, Level.URGENT: 1, Level.SOON: 2}


def _counts(word: str) -> bool:
    return len(word) >= MIN_WORD and word not in _NEUTRAL


def _telling(text: str) -> list[str]:
    """The words of a sign's name or id that can match text."""
    return [w for w in _WORD.findall(text.lower()) if _counts(w)]


def _sign_words(flag: RedFlag) -> set[str]:
    return set(_telling(flag.name)) | set(_telling(flag.id.replace("-", " ")))


@functools.lru_cache(maxsize=2)  # one catalog per run; each value given to suggest asks again
def _known_words(catalog: Catalog) -> frozenset[str]:
    """The words of remedies' and exercises' names, slugs and keywords.

    They are real words, never typos of a sign's (``bath`` is not ``both``).
    """
    remedies, exercises = catalog.remedies, catalog.exercises
    text = " ".join(
        chain(
            map(attrgetter("name"), remedies),
            map(attrgetter("slug"), remedies),
            chain.from_iterable(map(attrgetter("keywords"), remedies)),
            map(attrgetter("name"), exercises),
            map(attrgetter("slug"), exercises),
        )
    )
    return frozenset(_WORD.findall(text.lower()))


def _weak_words(catalog: Catalog) -> frozenset[str]:
    """Words that count towards naming a sign but never name or touch one alone."""
    symptoms = " ".join(f"{t.name} {t.slug}" for t in catalog.symptoms)
    return _WEAK | set(_WORD.findall(symptoms.lower()))


def _forms(
    word: str, everything: set[str], known: frozenset[str], spelling: Vocabulary
) -> set[str]:
    """The signs' words that a text word stands for: by prefix or stem, else by close spelling.

    A word of the remedies' names and keywords (``bath``) is never taken for a
    typo of a sign's word (``both``). ``spelling`` holds the words of
    ``everything``: its close spellings are difflib's, found sooner.
    """
    exact = {
        v
        for v in everything
        if v.startswith(word)
        or (len(v) >= MIN_STEM and word.startswith(v) and len(word) - len(v) <= MAX_SUFFIX)
    }
    if exact or len(word) < MIN_TYPO or word in known:
        return exact
    return set(spelling.close(word, n=3, cutoff=TYPO_CUTOFF))


def _beside(words: list[str], anchors: set[str], extra: set[str]) -> set[str]:
    """The words of ``extra`` that stand right beside an anchor in the text ("bad fall")."""
    return {
        word
        for i, word in enumerate(words)
        if word in extra and anchors.intersection(words[max(0, i - 1) : i + 2])
    }


def _everyday(phrases: list[set[str]], forms: dict[str, set[str]]) -> tuple[str, ...]:
    """The text's words that say one of a sign's everyday phrases whole, else none."""
    for phrase in phrases:
        saying = [w for w in forms if forms[w] & phrase]
        if phrase and phrase <= set().union(*(forms[w] for w in saying)):
            return tuple(saying)
    return ()


def _names(
    flag: RedFlag,
    matched: list[str],
    strong: list[str],
    covered: set[str],
    support: int,
    remedy_names: _RemedyNames,
) -> bool:
    """Whether the matched words name the sign rather than only touch it.

    ``strong`` are the matched words that may name a sign; there is at least one.
    ``support`` counts the text's words that match the sign's own words, and the
    words of its question that stand beside one of them: a word of the question
    elsewhere in the text does not help to name it ("sore legs after a walk" only
    touches "Walking has changed, with numbness", whose question mentions legs).
    """
    for core in (_telling(flag.name), _telling(flag.id.replace("-", " "))):
        if core and covered.issuperset(core):
            return True
    if support < 2 or not strong:
        return False
    # Words that are exactly a remedy's name are about that remedy ("weight loss").
    return not remedy_names.is_named(matched)


class _RemedyNames:
    """Whether some words are exactly the telling words of a remedy's name.

    Asked rarely, so the names are read only then, and only those of remedies
    whose name holds every one of the words.
    """

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._lowered: list[str] | None = None

    def is_named(self, words: list[str]) -> bool:
        if self._lowered is None:
            self._lowered = [r.name.lower() for r in self._catalog.remedies]
        wanted = frozenset(words)
        return any(
            frozenset(_telling(name)) == wanted
            for name in self._lowered
            if all(word in name for word in wanted)
        )


class ScreenedSearch(NamedTuple):
    """``search``'s answer: the warning signs its words name or touch, then remedies.

    ``hits`` is empty when a sign named is an emergency; remedies whose own
    advice is a doctor instead with a named urgent sign are in ``withheld``,
    not in ``hits``, as ``suggest`` leaves them out.
    """

    hits: tuple[Hit, ...]
    signs: tuple[SignMatch, ...]
    withheld: tuple[Remedy, ...] = ()
    exercises: tuple[ExerciseHit, ...] = ()

    @property
    def named(self) -> tuple[RedFlag, ...]:
        """The warning signs the words name."""
        return tuple(m.flag for m in self.signs if m.named)

    @property
    def touched(self) -> tuple[SignMatch, ...]:
        """The warning signs the words only touch: something to check."""
        return tuple(m for m in self.signs if not m.named)

    @property
    def level(self) -> Level | None:
        """The most urgent level among the signs named (touched ones never count)."""
        return most_urgent_named(self.signs)


def search_screened(catalog: Catalog, text: str) -> ScreenedSearch:
    """Search remedies and exercises, with the warning signs the words name or touch first.

    Raises ``NotFoundError`` only when nothing at all matched: no remedy, no
    exercise and no sign.
    """
    from backcare.errors import NotFoundError
    from backcare.query import MAX_QUERY
    from backcare.query.exercises import search_all

    signs = match_signs(catalog, text[:MAX_QUERY])
    screened = ScreenedSearch((), signs)
    if screened.level is Level.EMERGENCY:  # nothing is an answer to an emergency sign
        return screened
    try:
        hits, exercises = search_all(catalog, text)
    except NotFoundError:
        if not signs:
            raise
        hits, exercises = [], []
    named = screened.named
    if not any(f.level is Level.URGENT for f in named):  # only they withhold a remedy
        return ScreenedSearch(tuple(hits), signs, (), tuple(exercises))
    kept = tuple(h for h in hits if not withheld_by(h.remedy, named))
    withheld = tuple(h.remedy for h in hits if withheld_by(h.remedy, named))
    return ScreenedSearch(kept, signs, withheld, tuple(exercises))
