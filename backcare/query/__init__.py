"""Questions asked of the catalog: pure functions that never print.

Lookup, filtering, ranking, search and triage all live here, so each can be
tested without a terminal. Errors are raised as domain exceptions; the CLI
decides how to show them.
"""

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, repeat
from operator import or_
from typing import NamedTuple, TypeVar

from backcare.errors import NotFoundError, UsageError
from backcare.models import (
    Catalog,
    Category,
    Duration,
    Evidence,
    Level,
    Rating,
    RedFlag,
    Remedy,
    Source,
    SourceKind,
    Stance,
    Term,
)
from backcare.query.fuzzy import Vocabulary

MAX_QUERY = 200

# Better-supported remedies first when matches tie (see ``rate``).
RATING_ORDER: dict[Rating, int] = {
    Rating.SUPPORTED: 0,
    Rating.CONDITIONAL: 1,
    Rating.MIXED: 2,
    Rating.UNASSESSED: 3,
    Rating.AGAINST: 4,
}
LEVEL_ORDER: dict[Level, int] = {Level.EMERGENCY: 0, Level.URGENT: 1, Level.SOON: 2}

_FOR = frozenset({Stance.RECOMMENDED})
_CONDITIONAL = frozenset({Stance.CONSIDER, Stance.ONLY_WITH_EXERCISE})


class Rated(NamedTuple):
    """A remedy with its overall rating."""

    remedy: Remedy
    rating: Rating


class Match(NamedTuple):
    """A remedy that fits a ``suggest`` query, why, and what guidelines advise against."""

    remedy: Remedy
    rating: Rating
    causes: tuple[Term, ...]
    symptoms: tuple[Term, ...]
    advised_against: tuple[Evidence, ...] = ()

    @property
    def score(self) -> int:
        """How many of the asked-for causes and symptoms it addresses."""
        return len(self.causes) + len(self.symptoms)


class Suggestion(NamedTuple):
    """The answer to ``suggest``: warning signs first, then matching remedies.

    With an emergency sign among the symptoms, ``matches`` is always empty:
    no remedy is an answer to an emergency. ``withheld`` are remedies that
    matched but whose own content says to see a doctor instead with one of the
    urgent warning signs given (hot packs with a fever, for example).
    ``read_as`` pairs each ``--symptom`` written in words with the warning
    signs those words name (``"chset pain"`` with chest pain).
    """

    causes: tuple[Term, ...]
    symptoms: tuple[Term, ...]
    red_flags: tuple[RedFlag, ...]
    matches: tuple[Match, ...]
    withheld: tuple[Remedy, ...] = ()
    read_as: tuple[tuple[str, tuple[RedFlag, ...]], ...] = ()

    @property
    def level(self) -> Level | None:
        """The most urgent level among the red flags given, if any."""
        return most_urgent(self.red_flags)


class Hit(NamedTuple):
    """A search result: the remedy, its rating, and how well it matched."""

    remedy: Remedy
    rating: Rating
    score: float
    matched: tuple[str, ...]


class Triage(NamedTuple):
    """The result of red-flag screening: the most urgent level answered yes, if any.

    ``unsure`` are the signs answered "not sure", which count as yes.
    ``out_of_scope`` names the scope questions answered yes (``under-16``,
    ``pregnant``): the guide is not for this person, so the result is at
    least "see a doctor soon". A screening stopped early is not ``complete``;
    ``not_asked`` are the signs it never reached.
    """

    flags: tuple[RedFlag, ...]
    unsure: tuple[RedFlag, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    not_asked: tuple[RedFlag, ...] = ()
    complete: bool = True

    @property
    def level(self) -> Level | None:
        """The most urgent level, or None when nothing calls for a doctor."""
        level = most_urgent((*self.flags, *self.unsure))
        if level is None and self.out_of_scope:
            return Level.SOON
        return level

    @property
    def emergency_ruled_out(self) -> bool:
        """Whether every emergency question was asked: none is left unanswered."""
        return not any(f.level is Level.EMERGENCY for f in self.not_asked)


# --- lookup -----------------------------------------------------------------


def normalize(text: str) -> str:
    """Fold user input into slug form: ``"Ice Packs"`` and ``ICE_PACKS`` become ``ice-packs``."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def echo(text: str, limit: int = 60) -> str:
    """User input as quoted back in a message: shortened, so a huge argument stays one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates that look most like ``word`` (for "did you mean")."""
    return difflib.get_close_matches(word[:MAX_QUERY], list(candidates), n=n, cutoff=0.5)


def find_remedy(catalog: Catalog, query: str) -> Remedy:
    """The remedy a user meant by ``query``.

    Its slug or name in any case or spacing (``"Ice Packs"``, ``ICE_PACKS``), or
    a word or beginning that names exactly one remedy (``acupuncture``, ``mass``).
    When it could name several (``hot``), that is a usage error listing them.
    """
    key = normalize(query[: MAX_QUERY * 5])
    if not query.strip():
        raise UsageError(
            "the remedy name is empty; give one, for example: backcare show ice-packs",
            hint="run 'backcare list' to see every remedy",
        )
    remedy = catalog.remedy_by_slug.get(key)
    if remedy is None:
        remedy = next((r for r in catalog.remedies if normalize(r.name) == key), None)
    if remedy is not None:
        return remedy
    partial = [r for r in catalog.remedies if key and _names_part(key, r)] or [
        r
        for r in catalog.remedies
        if key and (r.slug.startswith(key) or normalize(r.name).startswith(key))
    ]
    if len(partial) == 1:
        return partial[0]
    if partial:
        slugs = [r.slug for r in partial]
        listed = ", ".join(slugs[:-1]) + f" or {slugs[-1]}"
        raise UsageError(
            f"'{echo(query)}' could be more than one remedy: {listed}",
            hint=f"say which, for example: backcare show {slugs[0]}",
        )
    suggestions = closest(key, catalog.remedy_by_slug)
    hint = (
        f"did you mean {' or '.join(suggestions)}?"
        if suggestions
        else "run 'backcare list' or 'backcare search WORDS' to find it"
    )
    raise NotFoundError(f"no remedy called '{echo(query)}'", hint=hint)


def _names_part(key: str, remedy: Remedy) -> bool:
    """Whether ``key`` is a whole hyphen-separated part of the remedy's slug."""
    padded = f"-{remedy.slug}-"
    return f"-{key}-" in padded


# --- rating -----------------------------------------------------------------


def rate(remedy: Remedy, catalog: Catalog) -> Rating:
    """A remedy's overall rating, from the stances of guideline sources only.

    In order, the first rule that applies:

    1. a guideline advises against the whole remedy, and a guideline is for it: mixed
    2. a guideline advises against the whole remedy: against
    3. a guideline advises against one topic of it (an entry with a ``topic``): mixed
    4. a guideline recommends it: supported
    5. a guideline says consider it, or only alongside exercise: conditional
    6. otherwise (insufficient evidence, not addressed, no entry): unassessed

    This is a guide to acute back spasms, so only entries about acute or any-duration
    pain count; entries about chronic pain alone are shown, marked as such, but set
    no rating (see ``sets_rating``).
    """
    return rater(catalog)(remedy)


def rater(catalog: Catalog) -> Callable[[Remedy], Rating]:
    """``rate`` for many remedies of one catalog: the guidelines are looked up once."""
    guidelines = frozenset(
        i for i, s in catalog.source_by_id.items() if s.kind is SourceKind.GUIDELINE
    )
    chronic, against = Duration.CHRONIC, Stance.NOT_RECOMMENDED

    def rating(remedy: Remedy) -> Rating:
        stances: set[Stance] = set()
        against_whole = False
        for e in remedy.evidence:
            if e.source in guidelines and e.duration is not chronic:
                stances.add(e.stance)
                if e.stance is against and not e.topic:
                    against_whole = True
        return _rating(frozenset(stances), against_whole)

    return rating


@functools.cache
def _rating(stances: frozenset[Stance], against_whole: bool) -> Rating:
    favourable = bool(stances & (_FOR | _CONDITIONAL))
    if against_whole:
        return Rating.MIXED if favourable else Rating.AGAINST
    if Stance.NOT_RECOMMENDED in stances:
        return Rating.MIXED
    if stances & _FOR:
        return Rating.SUPPORTED
    if stances & _CONDITIONAL:
        return Rating.CONDITIONAL
    return Rating.UNASSESSED


def sets_rating(catalog: Catalog, entry: Evidence) -> bool:
    """Whether an evidence entry counts towards a rating: a guideline's, not chronic-only."""
    source = catalog.source_by_id.get(entry.source)
    return (
        source is not None
        and source.kind is SourceKind.GUIDELINE
        and entry.duration is not Duration.CHRONIC
    )


def advised_against(catalog: Catalog, remedy: Remedy) -> tuple[Evidence, ...]:
    """The guideline entries that advise against the remedy, or a topic of it."""
    return tuple(
        e
        for e in remedy.evidence
        if e.stance is Stance.NOT_RECOMMENDED
        and (source := catalog.source_by_id.get(e.source))
        and source.kind is SourceKind.GUIDELINE
    )


def rated(catalog: Catalog, remedies: Iterable[Remedy]) -> list[Rated]:
    """Pair each remedy with its rating."""
    rating = rater(catalog)
    return [Rated(r, rating(r)) for r in remedies]


def list_remedies(
    catalog: Catalog, category: Category | None = None, rating: Rating | None = None
) -> list[Rated]:
    """Every remedy, in content order, optionally filtered by category and rating."""
    return [
        item
        for item in rated(catalog, catalog.remedies)
        if (category is None or item.remedy.category is category)
        and (rating is None or item.rating is rating)
    ]


def cited_sources(catalog: Catalog, remedy: Remedy) -> list[Source]:
    """The sources a remedy cites anywhere, in order of first mention."""
    ids = [
        *remedy.sources,
        *(e.source for e in remedy.evidence),
        *(c.source for c in remedy.cautions),
    ]
    return [catalog.source_by_id[i] for i in dict.fromkeys(ids) if i in catalog.source_by_id]


def evidence_groups(catalog: Catalog, remedy: Remedy) -> tuple[list[Evidence], list[Evidence]]:
    """A remedy's evidence: the guidelines' entries, then every other source's."""
    guidelines: list[Evidence] = []
    other: list[Evidence] = []
    for e in remedy.evidence:
        source = catalog.source_by_id.get(e.source)
        (guidelines if source and source.kind is SourceKind.GUIDELINE else other).append(e)
    return guidelines, other


def cites(catalog: Catalog, remedy: Remedy, source_id: str) -> bool:
    """Whether the remedy cites ``source_id`` anywhere."""
    return any(s.id == source_id for s in cited_sources(catalog, remedy))


# --- suggest ----------------------------------------------------------------


def suggest(catalog: Catalog, causes: Sequence[str], symptoms: Sequence[str]) -> Suggestion:
    """Remedies that address the given causes and symptoms, best first.

    Ranked by how many of them a remedy addresses, then by rating (better
    supported first), then by name. Symptoms may name red flags; their cards
    come first, and an emergency sign leaves no remedy list at all.
    """
    if not causes and not symptoms:
        raise UsageError(
            "say what to match: --cause or --symptom (or both)",
            hint="run 'backcare causes' or 'backcare symptoms' to see the values",
        )
    symptom_keys: dict[str, Term | RedFlag] = {**catalog.symptom_by_slug, **catalog.red_flag_by_id}
    wanted_causes = tuple(
        catalog.cause_by_slug[
            _known(c, catalog.cause_by_slug, "--cause", "causes", ("--symptom", symptom_keys))
        ]
        for c in causes
    )
    wanted_symptoms: list[Term] = []
    flags: list[RedFlag] = []
    read_as: list[tuple[str, tuple[RedFlag, ...]]] = []
    named_by: dict[str, list[RedFlag]] = {}  # a value given again is not read again
    for value in symptoms:
        try:
            key = _known(
                value, symptom_keys, "--symptom", "symptoms", ("--cause", catalog.cause_by_slug)
            )
        except UsageError:
            # Words that name a warning sign ("chest pain and stiffness", "fevr")
            # are screened as that sign rather than refused.
            from backcare.query.signs import named_signs

            named = named_by.get(value)
            if named is None:
                named = named_by[value] = named_signs(catalog, value)
            if not named:
                raise
            flags.extend(named)
            read_as.append((value, tuple(named)))
            continue
        if key in catalog.red_flag_by_id:
            flags.append(catalog.red_flag_by_id[key])
        else:
            wanted_symptoms.append(catalog.symptom_by_slug[key])
    flags = _unique(sorted(flags, key=lambda f: LEVEL_ORDER[f.level]))
    result_causes = _unique(wanted_causes)
    result_symptoms = _unique(wanted_symptoms)

    from backcare.query.signs import withheld_by

    matches: list[Match] = []
    withheld: list[Remedy] = []
    if most_urgent(flags) is not Level.EMERGENCY:
        urgent = any(f.level is Level.URGENT for f in flags)  # only they withhold a remedy
        for item in rated(catalog, catalog.remedies):
            hit_causes = tuple(c for c in result_causes if c.slug in item.remedy.causes)
            hit_symptoms = tuple(s for s in result_symptoms if s.slug in item.remedy.symptoms)
            if not (hit_causes or hit_symptoms):
                continue
            if urgent and withheld_by(item.remedy, flags):
                withheld.append(item.remedy)
                continue
            against = advised_against(catalog, item.remedy)
            matches.append(Match(item.remedy, item.rating, hit_causes, hit_symptoms, against))
    matches.sort(key=lambda m: (-m.score, RATING_ORDER[m.rating], m.remedy.name.lower()))
    if not matches and not flags:
        asked = ", ".join(t.name.lower() for t in (*result_causes, *result_symptoms))
        raise NotFoundError(
            f"no remedy addresses {asked}",
            hint="try another --cause or --symptom, or 'backcare search WORDS'",
        )
    return Suggestion(
        tuple(result_causes),
        tuple(result_symptoms),
        tuple(flags),
        tuple(matches),
        tuple(withheld),
        tuple(read_as),
    )


def _known(
    value: str,
    known: Mapping[str, Term | RedFlag],
    option: str,
    command: str,
    other: tuple[str, Mapping[str, Term | RedFlag]] | None = None,
) -> str:
    """The slug or id that ``value`` names, by slug or by displayed name; else a usage error.

    ``other`` is the option and values of the neighbouring vocabulary: a value
    that belongs there (a symptom given to ``--cause``) gets the right command.
    """
    key = _named(value, known)
    if key is not None:
        return key
    elsewhere = _named(value, other[1]) if other else None
    if other and elsewhere is not None:
        kind = (
            "a cause"
            if other[0] == "--cause"
            else "a warning sign"
            if isinstance(other[1][elsewhere], RedFlag)
            else "a symptom"
        )
        raise UsageError(
            f"'{echo(value)}' is {kind}, not a value for {option}",
            hint=f"use {other[0]}, for example: backcare suggest {other[0]} {elsewhere}",
        )
    key = normalize(value[: MAX_QUERY * 5])
    suggestions = closest(key, known, n=1) if key else []
    near = f" (did you mean '{suggestions[0]}'?)" if suggestions else ""
    raise UsageError(
        f"unknown value '{echo(value)}' for {option}{near}",
        hint=f"valid values: {', '.join(sorted(known))} (see 'backcare {command}')",
    )


def _named(value: str, known: Mapping[str, Term | RedFlag]) -> str | None:
    """The slug or id ``value`` names among ``known``, by slug or displayed name, if any."""
    key = normalize(value[: MAX_QUERY * 5])
    if key in known:
        return key
    return next((slug for slug, entry in known.items() if normalize(entry.name) == key), None)


def _unique(items: Iterable[Term] | Iterable[RedFlag]) -> list:  # type: ignore[type-arg]
    seen: dict[object, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# --- search -----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset(
    """a an and are at be by can do for from how i in is it me my of on or so the to what
    with""".split()
)
# How much a word counts by where it is found.
_FIELD_WEIGHTS = (
    ("name", 5),
    ("keywords", 4),
    ("summary", 3),
    ("description", 2),
    ("steps", 1),
    ("evidence", 1),
)


def search(catalog: Catalog, text: str) -> list[Hit]:
    """Remedies whose text matches the words of ``text``, best first.

    Each word matches at the start of a word in a remedy's name, keywords,
    summary, description or steps, weighted in that order. A word with no
    exact match anywhere is replaced by its close spellings in the content,
    so small typos still find something.
    """
    words = search_words(text)
    scored = rank_texts(remedy_items(catalog.remedies), words)
    if not scored:
        raise NotFoundError(
            f"nothing matches '{echo(text.strip())}'",
            hint="try fewer or simpler words, or 'backcare list' to see every remedy",
        )
    rating = rater(catalog)
    return [Hit(r, rating(r), score, matched) for r, score, matched in scored]


def search_words(text: str) -> list[str]:
    """The words of a search that say something; a usage error when there are none."""
    if len(text) > MAX_QUERY:
        raise UsageError(f"search text is too long ({len(text)} characters; at most {MAX_QUERY})")
    found = _WORD.findall(text.lower())
    words = [w for w in found if w not in _STOPWORDS]
    if not words:
        problem = (
            "holds only common words"
            if found
            else "has no words in it"
            if text.strip()
            else "is empty"
        )
        raise UsageError(
            f"the search '{echo(text.strip())}' {problem}; give a word that says what you"
            " look for, for example: backcare search heat"
        )
    return words


T = TypeVar("T")


def rank_texts(
    items: Sequence[tuple[T, list[str]]],
    words: Sequence[str],
    known: Sequence[str] = (),
    vocabulary: Vocabulary | None = None,
) -> list[tuple[T, float, tuple[str, ...]]]:
    """The items whose fields match ``words``: (item, score, words matched), best first.

    Each item comes with its searchable fields in ``_FIELD_WEIGHTS`` order, as
    ``searchable`` makes them; an item must have a name to sort ties by. A
    word found in ``known`` (other content searched alongside) is taken as
    spelt right, so it is not swapped for a look-alike among these items.
    ``vocabulary``, when given, holds the words of the items and ``known``
    already (so that two searches over the same text share it).

    A score is the sum, over the words matched, of the weight of the best
    field the word is found in, times 0.7 for a close spelling: summed in
    tenths, as whole numbers, so that equal scores are equal whatever the
    order of the words, and ties go by name.
    """
    if vocabulary is None:
        pieces = list(chain.from_iterable(texts for _, texts in items))
        vocabulary = Vocabulary("".join(known), pieces)
    needles = {w: _needles(w, vocabulary) for w in dict.fromkeys(words)}
    # A few needles are looked for in each item's text; many, through each item's
    # words, so the cost per item does not grow with every needle's scan.
    fields = [texts for _, texts in items]
    found = (
        [_match_by_scanning(texts, needles) for texts in fields]
        if len(needles) <= _FEW_WORDS
        else _match_by_words(vocabulary, needles, fields)
    )
    scored = [
        (item, score, matched)
        for (item, _), (score, matched) in zip(items, found, strict=True)
        if matched
    ]
    scored.sort(key=lambda s: (-len(s[2]), -s[1], getattr(s[0], "name", "").lower()))
    return scored


# Up to this many distinct query words, each remedy's text is scanned for each.
_FEW_WORDS = 4
_WEIGHTS = tuple(weight for _, weight in _FIELD_WEIGHTS)  # highest first
# How much a find counts, in tenths: a word's own beginning, or a close spelling of it.
_EXACT = 10
_CLOSE = 7
Needles = dict[str, list[tuple[str, int]]]


def _match_by_scanning(texts: list[str], needles: Needles) -> tuple[float, tuple[str, ...]]:
    """A remedy's score and matched words, looking for each needle in its fields."""
    whole = "".join(texts)
    points = 0
    matched: list[str] = []
    for word, options in needles.items():
        best = 0
        for needle, closeness in options:
            if needle not in whole:
                continue
            # The fields go from the highest weight down: the first that has it counts.
            for weight, field in zip(_WEIGHTS, texts, strict=True):
                if needle in field:
                    best = max(best, weight * closeness)
                    break
        if best:
            points += best
            matched.append(word)
    return points / 10, tuple(matched)


def _match_by_words(
    vocabulary: Vocabulary, needles: Needles, fields: Iterable[list[str]]
) -> list[tuple[float, tuple[str, ...]]]:
    """The same answer as ``_match_by_scanning`` for each item, by way of the words found.

    A needle `` word`` finds the content's words that begin with it, and `` word ``
    that word alone. Each content word found stands for a set of query words,
    kept as the bits of a whole number; an item's field then costs one split
    and one set intersection in C, and the query words it matches are the
    bits of the words it holds, however many words the query has.
    """
    owners: dict[str, int] = {}
    close = 0  # the query words matched by close spellings
    for bit, options in ((1 << j, options) for j, options in enumerate(needles.values())):
        for needle, closeness in options:
            if closeness != _EXACT:
                close |= bit
            found = (
                [needle.strip()]
                if needle.endswith(" ")
                else vocabulary.beginning_with(needle.strip())
            )
            for each in found:
                owners[each] = owners.get(each, 0) | bit
    # Each field's mask (the query words its words stand for), a column at a time,
    # every step in C: split, each word's owners looked up (0 for none), ORed
    # together. Each field's list of words is gone before the next is made, so
    # the garbage collector never has thousands of lists to walk.
    owner: Callable[[str, int], int] = owners.get
    lookups = functools.partial(map, owner)
    none = repeat(0)
    columns = [
        list(
            map(
                functools.reduce,
                repeat(or_),
                map(lookups, map(str.split, column), repeat(none)),
                repeat(0),
            )
        )
        for column in zip(*fields, strict=True)
    ]
    words = _Bits(list(needles))
    results: list[tuple[float, tuple[str, ...]]] = []
    for masks in zip(*columns, strict=True):
        seen = points = 0
        for weight, mask in zip(_WEIGHTS, masks, strict=True):
            # The fields go from the highest weight down: a word counts in the first.
            new = mask & ~seen
            if new:
                seen |= new
                closes = (new & close).bit_count()
                points += weight * (_EXACT * (new.bit_count() - closes) + _CLOSE * closes)
        results.append((points / 10, words[seen]))
    return results


class _Bits(dict[int, tuple[str, ...]]):
    """The words whose bits are set in a number, in order, eight bits at a time."""

    def __init__(self, words: list[str]) -> None:
        super().__init__()
        self._bytes = [
            [
                tuple(w for j, w in enumerate(words[start : start + 8]) if byte >> j & 1)
                for byte in range(256)
            ]
            for start in range(0, len(words), 8)
        ]

    def __missing__(self, mask: int) -> tuple[str, ...]:
        found: list[str] = []
        rest = mask
        for table in self._bytes:
            found += table[rest & 0xFF]
            rest >>= 8
        self[mask] = result = tuple(found)
        return result


_NOT_WORD = re.compile(r"[^\w\x00]+")


def remedy_texts(remedy: Remedy) -> list[str]:
    """Each searchable field of a remedy (in ``_FIELD_WEIGHTS`` order), see ``searchable``."""
    return searchable(_remedy_fields(remedy))


def remedy_items(remedies: Sequence[Remedy]) -> list[tuple[Remedy, list[str]]]:
    """Each remedy with its ``remedy_texts``, made in one pass over all of their text."""
    texts = searchable_all([_remedy_fields(r) for r in remedies])
    return list(zip(remedies, texts, strict=True))


def _remedy_fields(remedy: Remedy) -> list[str]:
    return [
        f"{remedy.name} {remedy.slug}",
        " ".join(remedy.keywords),
        remedy.summary,
        remedy.description,
        " ".join(remedy.steps),
        " ".join(
            [
                *(f"{e.topic or ''} {e.note}" for e in remedy.evidence),
                *(c.text for c in remedy.cautions),
            ]
        ),
    ]


def searchable(fields: Sequence[str]) -> list[str]:
    """Each field as `` word word ``, ready for ``rank_texts``.

    Lower-cased, punctuation turned into spaces and a space at each end, so
    that `` stretch`` in it means a word that starts with "stretch".
    """
    return searchable_all([fields])[0]


def searchable_all(items: Sequence[Sequence[str]]) -> list[list[str]]:
    """``searchable`` for many items with as many fields each, in one pass.

    One lower-casing and one translation over all the text, not one per item,
    keeps a 10,000-remedy search fast; the field separator survives both.
    """
    if not items:
        return []
    size = len(items[0])
    joined = " \x00 ".join(chain.from_iterable(items)).lower()
    # For ASCII text a translation does what the regular expression does, ten times
    # faster; runs of punctuation become runs of spaces, which match the same.
    spaced = joined.translate(_ASCII_NOT_WORD) if joined.isascii() else _NOT_WORD.sub(" ", joined)
    parts = f" {spaced} ".split("\x00")
    return [parts[start : start + size] for start in range(0, len(parts), size)]


# Every ASCII character that is not a word character (nor the field separator) to a space.
_ASCII_NOT_WORD = {
    code: " " for code in range(128) if code and not (chr(code).isalnum() or chr(code) == "_")
}


def _needles(word: str, vocabulary: Vocabulary) -> list[tuple[str, int]]:
    """What to look for in a field for one query word, and how much a find counts.

    A word that begins some word of the content (``stretch`` finds ``stretches``)
    counts fully; a word that begins none is replaced by its close spellings
    among the content's words (``matress`` finds ``mattress``), which count less.
    """
    exact = f" {word}"
    if len(word) < 4 or vocabulary.begins_a_word(word):
        return [(exact, _EXACT)]
    return [(f" {c} ", _CLOSE) for c in vocabulary.close(word, n=3, cutoff=0.75)]


# --- vocabularies and red flags -----------------------------------------------


def term_counts(catalog: Catalog, kind: str) -> list[tuple[Term, int]]:
    """Each cause (``kind="causes"``) or symptom, with how many remedies link to it."""
    terms = catalog.causes if kind == "causes" else catalog.symptoms
    counts = {t.slug: 0 for t in terms}
    for remedy in catalog.remedies:
        for slug in remedy.causes if kind == "causes" else remedy.symptoms:
            if slug in counts:
                counts[slug] += 1
    return [(t, counts[t.slug]) for t in terms]


def red_flags_in_order(catalog: Catalog) -> list[RedFlag]:
    """Every red flag, most urgent level first, content order within a level."""
    return sorted(catalog.red_flags, key=lambda f: LEVEL_ORDER[f.level])


def most_urgent(flags: Iterable[RedFlag]) -> Level | None:
    """The most urgent level among ``flags``, or None."""
    levels = [f.level for f in flags]
    return min(levels, key=LEVEL_ORDER.__getitem__) if levels else None


def triage(catalog: Catalog, yes: Iterable[str]) -> Triage:
    """Screen by the red flags answered yes; any id not named counts as no."""
    flags: list[RedFlag] = []
    for value in yes:
        key = _known(value, catalog.red_flag_by_id, "--yes", "red-flags")
        flag = catalog.red_flag_by_id[key]
        if flag not in flags:
            flags.append(flag)
    return Triage(tuple(sorted(flags, key=lambda f: LEVEL_ORDER[f.level])))
