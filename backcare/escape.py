"""Making text from content, arguments and files safe to show on a terminal.

Content text has been checked by the loader; other text has not. A file or
folder name comes from the file system and an argument from the command line:
either may hold a newline (which would forge an output line), an escape
sequence or C1 control (which a terminal obeys), a bidirectional override, or
bytes that are not UTF-8 (which Python keeps as lone surrogates, and which
would make the output, JSON included, invalid UTF-8).
"""

from __future__ import annotations

import re

# Control characters (escape included, tab and newline allowed) and the
# bidirectional overrides that can make a line display in another order.
_UNSAFE = (
    *range(0, 9),
    *range(11, 32),
    *range(127, 160),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
)
_REPLACEMENTS = dict.fromkeys(_UNSAFE, "\ufffd")


def printable(text: str) -> str:
    """Make text safe for a terminal: control characters and overrides become U+FFFD,
    and bytes that were not UTF-8 ``\\xHH``."""
    return undecodable_bytes(text.translate(_REPLACEMENTS))


def undecodable_bytes(text: str, backslash: str = "\\") -> str:
    """Text with each byte that was not UTF-8 written ``\\xHH`` (``backslash`` + ``xHH``).

    Python keeps such a byte of a name or an argument as a lone surrogate, which
    no UTF-8 output can carry; any other lone surrogate becomes U+FFFD.
    """
    try:
        text.encode("utf-8")  # a fast look for the rare case, without a table to build
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", lambda m: _byte(m.group(), backslash), text)
    return text


def _byte(surrogate: str, backslash: str) -> str:
    code = ord(surrogate)
    return f"{backslash}x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


# C0 and C1 controls, DEL, the bidirectional overrides and isolates, line and
# paragraph separators, and lone surrogates (bytes that were not UTF-8).
# (A pattern, compiled on first use: most runs never meet a name that needs it.)
_NEEDS_ESCAPE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\", "'": "\\'"}


def needs_escape(text: str) -> bool:
    """Whether ``text`` holds a character that may not reach an output as it is."""
    # Every such character is unprintable; most names are all printable.
    return not text.isprintable() and re.search(_NEEDS_ESCAPE, text) is not None


def shown(name: str) -> str:
    """A name as it may be shown anywhere, in one line of valid UTF-8.

    ``a\\nb.yaml`` (with a real newline) becomes ``$'a\\nb.yaml'``; a byte that is
    not UTF-8 becomes ``\\xff``; a control character or override ``\\u009b``.
    """
    if not needs_escape(name):
        return name
    return "$'" + "".join(_escape(c) for c in name) + "'"


def _escape(character: str) -> str:
    if character in _SHORT:
        return _SHORT[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if needs_escape(character):
        return f"\\u{code:04x}"
    return character
