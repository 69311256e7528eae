"""The words of the searchable text: which ones a query word begins, and close spellings.

Built once per search, so that a query of many words costs one pass over the
content rather than one per word. ``difflib.get_close_matches`` compares a
word with every candidate in Python, a few microseconds each; with 10,000
remedies (tens of thousands of distinct words) and 30 misspelled words that
is seconds. ``Vocabulary.close`` first drops whole groups of candidates that
cannot reach the cutoff, so its answer is exactly difflib's, only sooner.
"""

import bisect
import difflib
from collections import Counter
from collections.abc import Sequence
from itertools import chain

# Up to this many words are looked up by scanning the text; after that, splitting
# it into words once and searching them is cheaper.
_SCANS = 4


class Vocabulary:
    """The distinct words of ``text`` and ``fields``: words separated by spaces."""

    def __init__(self, text: str = "", fields: Sequence[str] = ()) -> None:
        self._given = text
        # The text as pieces (each item's fields), split one by one when the words
        # are needed; joined only for a scan.
        self._fields = fields
        self._joined: str | None = None
        self._scans = 0
        self._words: list[str] | None = None
        # Per set of letters: those letters, the shortest word's length, and the words.
        self._groups: list[tuple[frozenset[str], int, list[str]]] | None = None
        self._by_letter: dict[str, list[int]] = {}
        self._close: dict[tuple[str, int, float], list[str]] = {}

    @property
    def _text(self) -> str:
        if self._joined is None:
            self._joined = self._given + "".join(self._fields)
        return self._joined

    def words(self) -> list[str]:
        """The distinct words, sorted."""
        if self._words is None:
            # A piece at a time: each piece's list of words is gone before the next
            # is made, so the garbage collector never has thousands of lists to walk.
            distinct = set(self._given.split())
            distinct.update(chain.from_iterable(map(str.split, self._fields)))
            self._words = sorted(distinct)
        return self._words

    def begins_a_word(self, prefix: str) -> bool:
        """Whether some word of the text starts with ``prefix``."""
        if self._words is None and self._scans < _SCANS:
            self._scans += 1
            return f" {prefix}" in self._text
        words = self.words()
        index = bisect.bisect_left(words, prefix)
        return index < len(words) and words[index].startswith(prefix)

    def beginning_with(self, prefix: str) -> list[str]:
        """The words that start with ``prefix``."""
        words = self.words()
        found: list[str] = []
        for word in words[bisect.bisect_left(words, prefix) :]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def close(self, word: str, n: int, cutoff: float) -> list[str]:
        """The same answer as ``difflib.get_close_matches(word, self.words(), n, cutoff)``.

        difflib keeps a candidate only if ``2 * M / (len(word) + len(candidate))``
        reaches the cutoff, where M, the characters the two share, is at most
        the number of the word's characters that are among the candidate's
        letters. A group of words whose bound misses the cutoff even for its
        shortest word is left out, which changes nothing in difflib's answer.
        """
        remembered = self._close.get((word, n, cutoff))
        if remembered is not None:
            return remembered
        if self._groups is None:
            grouped: dict[frozenset[str], list[str]] = {}
            words = self.words()
            for letters, candidate in zip(map(frozenset, words), words, strict=True):
                grouped.setdefault(letters, []).append(candidate)
            self._groups = [
                (letters, min(map(len, members)), members) for letters, members in grouped.items()
            ]
            # Which groups have each letter: a group without any of the word's
            # letters (the numbers of slugs, say, for a word) is never looked at.
            for index, (letters, _, _) in enumerate(self._groups):
                for letter in letters:
                    self._by_letter.setdefault(letter, []).append(index)
        counts = Counter(word)
        letters = frozenset(counts)
        size = len(word)
        candidates: list[str] = []
        groups = self._groups
        for index in set().union(*(self._by_letter.get(letter, ()) for letter in letters)):
            group_letters, shortest, members = groups[index]
            shared = letters & group_letters
            if 2.0 * sum(counts[c] for c in shared) / (size + shortest) >= cutoff:
                candidates.extend(members)
        found = difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)
        self._close[(word, n, cutoff)] = found
        return found
