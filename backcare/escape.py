"""Making text from content, arguments and files safe to show on a terminal."""

from __future__ import annotations

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
    """Make text safe for a terminal: control characters and overrides become U+FFFD."""
    return text.translate(_REPLACEMENTS)
