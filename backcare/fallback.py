"""Readable stand-ins for characters an output stream cannot carry.

Imported only when a stream's encoding is not UTF-8 (``PYTHONIOENCODING=ascii``,
a Latin-1 locale, ``LC_ALL=C`` on a terminal): an encoding error handler turns
each character the encoding lacks into plain ASCII that reads the same (a bullet
into ``*``, a dash into ``-``, curly quotes into straight ones, an arrow into
``->``, an accented letter into its base letter), so that every command still
ends with its full text and its own exit code instead of a ``UnicodeEncodeError``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# The name of the error handler, for ``TextIOWrapper.reconfigure(errors=...)``.
ERRORS = "backcare-fallback"

_STAND_INS = {
    # Bullets and list markers.
    "\u2022": "*",
    "\u2023": ">",
    "\u2043": "-",
    "\u25cf": "*",
    "\u25e6": "o",
    "\u25aa": "*",
    "\u25b6": ">",
    "\u25ba": ">",
    "\u00b7": ".",
    # Dashes, hyphens and minus.
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "--",
    "\u2015": "--",
    "\u2212": "-",
    # Quotes and primes.
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2032": "'",
    "\u2033": '"',
    "\u00ab": "<<",
    "\u00bb": ">>",
    "\u2039": "<",
    "\u203a": ">",
    # Arrows.
    "\u2190": "<-",
    "\u2192": "->",
    "\u2194": "<->",
    "\u2191": "^",
    "\u2193": "v",
    "\u21d0": "<=",
    "\u21d2": "=>",
    "\u21d4": "<=>",
    # Signs and units.
    "\u00b0": " deg",
    "\u2103": " degC",
    "\u2109": " degF",
    "\u00d7": "x",
    "\u00f7": "/",
    "\u00b1": "+/-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u2248": "~",
    "\u00b5": "u",
    "\u00bd": "1/2",
    "\u00bc": "1/4",
    "\u00be": "3/4",
    "\u2026": "...",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u2122": "(TM)",
    "\u00a3": "GBP ",
    "\u20ac": "EUR ",
    "\u00a7": "S.",
    "\u00b6": "P.",
    "\u2713": "v",
    "\u2714": "v",
    "\u2717": "x",
    "\u2718": "x",
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0142": "l",
    "\u0141": "L",
    # Spaces of every width, and invisible ones.
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    # What ``escape.printable`` puts in place of a control character.
    "\ufffd": "?",
}


def stand_in(char: str, encoding: str) -> str:
    """A readable replacement for ``char`` that ``encoding`` can carry (ASCII at worst)."""
    for candidate in _candidates(char):
        try:
            candidate.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            continue
        return candidate
    return "?"


def _candidates(char: str) -> list[str]:
    """Stand-ins for one character, most faithful first."""
    found = []
    known = _STAND_INS.get(char)
    if known is not None:
        found.append(known)
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing: lines and corners
        name = unicodedata.name(char, "")
        found.append("-" if "HORIZONTAL" in name else "|" if "VERTICAL" in name else "+")
    elif 0x2580 <= code <= 0x259F:  # block elements
        found.append("#")
    elif 0xD800 <= code <= 0xDFFF:  # a byte that was not valid text where it came from
        found.append("?")
    else:
        # Accented letters, ligatures, superscripts: their compatibility form,
        # with the accents taken off (é to e, ﬁ to fi, ² to 2).
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and base != char:
            found.append("".join(_STAND_INS.get(c, c) for c in base))
    return found


def _handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(stand_in(c, error.encoding) for c in text), error.end


codecs.register_error(ERRORS, _handler)

_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def ascii_json(text: str) -> str:
    """A JSON document with every non-ASCII character written as a ``\\uXXXX`` escape.

    Outside strings JSON is ASCII, so this is lossless and still valid JSON; a
    character beyond the Basic Multilingual Plane becomes its surrogate pair.
    """

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if 0xD800 <= code <= 0xDFFF:  # a lone surrogate from undecodable input
            return "\\ufffd"
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _NOT_ASCII.sub(escape, text)
