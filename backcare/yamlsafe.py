"""Read YAML as plain, located data, and nothing more.

Content comes from people's own folders, so this is a trust boundary. The
text goes through PyYAML's safe parser (libyaml's when available) as a stream
of events, and the tree is built here from those events, iteratively: no
constructor runs, so no tag can build an object or call code, and no YAML
node tree is ever built. Tags other than the plain types, anchors and aliases,
duplicate keys, control characters, oversized files, too many values and deep
nesting are all reported as findings with a line and column; reading stops
early when a file is too large, too deep or has too many problems, so time
and memory stay bounded whatever the input.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from backcare.findings import MAX_PER_FILE, Code, Finding

if TYPE_CHECKING:
    import yaml
    import yaml.resolver

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 100_000

# C0 and C1 control characters (DEL and escape included), lone surrogates, and the
# Unicode bidirectional overrides and isolates that can make text display as
# something other than what it is. Tab and newline are ordinary text.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# In the raw file a carriage return is an ordinary line break (CRLF files).
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")

_YAML_TAGS = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    _YAML_TAGS + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_STR_TAGS = frozenset({_YAML_TAGS + "str", _YAML_TAGS + "timestamp"})
_MAP_TAG = _YAML_TAGS + "map"
_SEQ_TAG = _YAML_TAGS + "seq"


# The nodes are not frozen: a frozen dataclass sets each field through
# object.__setattr__, three times slower to create, and a large file has hundreds
# of thousands of nodes. Nothing changes them once built.
@dataclass(slots=True)
class Scalar:
    """A scalar value (str, int, float, bool or None) and where it stands."""

    value: str | int | float | bool | None
    line: int
    column: int


@dataclass(slots=True)
class Mapping:
    """A mapping with string keys; ``keys`` holds where each key stands."""

    items: dict[str, Node]
    keys: dict[str, tuple[int, int]]
    line: int
    column: int


@dataclass(slots=True)
class Sequence:
    """A list of nodes; ``refused`` counts items left out because of a finding."""

    items: tuple[Node, ...]
    line: int
    column: int
    refused: int = 0


Node = Union[Scalar, Mapping, Sequence]  # noqa: UP007 - a runtime alias; X | Y needs 3.10 objects


def read_file(path: Path, label: str | None = None) -> tuple[Node | None, list[Finding]]:
    """Read one YAML file. Returns the document (None if unusable) and the problems found.

    Only a regular file is read (never a folder, pipe or device, which could
    block or never end), and never more than ``MAX_FILE_BYTES``, even if the
    file grows while it is read.
    """
    name = label or str(path)
    try:
        if path.is_dir():
            return None, [_finding(name, Code.UNREADABLE, "is a folder, expected a YAML file")]
        data = _read_regular_file(path, name)
    except _Refused as refused:
        return None, [refused.finding]
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return None, [_finding(name, Code.UNREADABLE, f"cannot be read: {reason}")]
    return read_bytes(data, name)


class _Refused(Exception):
    """A file that is not read at all, for the reason its finding gives."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _read_regular_file(path: Path, name: str) -> bytes:
    # O_NONBLOCK: opening a named pipe must not wait for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise _Refused(_finding(name, Code.UNREADABLE, "is a folder, expected a YAML file"))
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(_finding(name, Code.UNREADABLE, "is not a regular file"))
        if info.st_size > MAX_FILE_BYTES:
            raise _Refused(_too_large(name, info.st_size))
        # Read one byte past the limit, so a file that grew meanwhile is still refused.
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise _Refused(_too_large(name, None))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _too_large(name: str, size: int | None) -> Finding:
    """The finding for a file over the limit; ``size`` is None when it is not known."""
    limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MiB"
    if size is None:
        return _finding(name, Code.TOO_LARGE, f"file is larger than {limit}, the limit")
    message = f"file is {size:,} bytes; content files may be at most {limit}"
    return _finding(name, Code.TOO_LARGE, message)


def read_bytes(data: bytes, name: str) -> tuple[Node | None, list[Finding]]:
    """Parse UTF-8 YAML bytes; ``name`` labels the findings."""
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(name, len(data))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"is not UTF-8 text (byte 0x{data[error.start]:02x})"
        return None, [Finding(name, line, column, Code.NOT_UTF8, message)]
    return read_text(text, name)


def read_text(text: str, name: str) -> tuple[Node | None, list[Finding]]:
    """Parse YAML text; ``name`` labels the findings. Never raises for any text."""
    import yaml  # deferred: a warm cache never needs the parser

    if not _plainly_safe(text):
        found = _refuse_characters(text, name)
        if found:
            return None, found
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _Builder(name, escapes="\\" in text)
    loader = None
    try:
        loader = loader_class(text)  # PyYAML's own reader checks the text here
        builder.build(loader)
    except yaml.MarkedYAMLError as error:
        builder.findings.append(_syntax_finding(name, error))
        return None, builder.findings
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        message = f"character 0x{error.character:04x} is not allowed in YAML"
        builder.findings.append(Finding(name, line, column, Code.YAML_SYNTAX, message))
        return None, builder.findings
    except yaml.YAMLError as error:  # anything else the parser rejects outright
        builder.findings.append(_finding(name, Code.YAML_SYNTAX, excerpt(str(error), 200)))
        return None, builder.findings
    except RecursionError:  # pragma: no cover - the builder is iterative; a safety net
        return None, [_finding(name, Code.YAML_SYNTAX, "nests too deeply to parse")]
    finally:
        if loader is not None:
            loader.dispose()
    if builder.stopped:
        return None, builder.findings
    root = builder.root
    if (root is None and not builder.findings) or (isinstance(root, Scalar) and root.value is None):
        return None, [_finding(name, Code.EMPTY_FILE, "is empty")]
    return root, builder.findings


# The ASCII characters _RAW_CONTROL refuses, as bytes for bytes.translate.
_RAW_CONTROL_ASCII = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _plainly_safe(text: str) -> bool:
    """Whether ``text`` is ASCII without a refused control character.

    Most content is; this answers in a few milliseconds for megabytes, where the
    regular expressions of ``_refuse_characters`` take tens.
    """
    if not text.isascii():
        return False
    data = text.encode("ascii")
    return len(data.translate(None, _RAW_CONTROL_ASCII)) == len(data)


def _refuse_characters(text: str, name: str) -> list[Finding]:
    """Findings for lone surrogates or control characters in the raw text; [] if none."""
    surrogate = _SURROGATE.search(text)
    if surrogate:
        line, column = _position(text, surrogate.start())
        return [Finding(name, line, column, Code.NOT_UTF8, "is not valid Unicode text")]
    return [
        Finding(name, *_position(text, m.start()), Code.CONTROL_CHARACTER, _control_message(m[0]))
        for _, m in zip(range(MAX_PER_FILE + 1), _RAW_CONTROL.finditer(text), strict=False)
    ]


def _syntax_finding(name: str, error: yaml.MarkedYAMLError) -> Finding:
    """A parser error as a finding: where the problem is, and what the parser was reading."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = " ".join(str(error.problem or error.context or "invalid YAML").split())
    context, start = error.context, error.context_mark
    if error.problem and context and start is not None:
        where = f"line {start.line + 1}, column {start.column + 1}"
        message += f" ({' '.join(context.split())} at {where})"
    return Finding(name, line, column, Code.YAML_SYNTAX, excerpt(message, 200))


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset into ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _control_message(character: str) -> str:
    return (
        f"control character U+{ord(character):04X} in the file;"
        " content may not contain control characters or terminal escape sequences"
    )


def _where(event: yaml.Event) -> tuple[int, int]:
    """The 1-based line and column where an event starts (0, 0 if unknown)."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


_ANCHOR_MESSAGE = "YAML anchors (&name) are not allowed in content"


def _finding(name: str, code: Code, message: str) -> Finding:
    return Finding(name, 0, 0, code, message)


_EXPECT_KEY = object()


class _Stop(Exception):
    """Reading ends here; the finding that says why is already recorded."""


class _Builder:
    """Builds located plain data from parser events, collecting findings.

    Iterative, with an explicit stack, so no input can exhaust the call stack;
    it stops at ``MAX_DEPTH`` levels, ``MAX_VALUES`` values or more than
    ``MAX_PER_FILE`` findings. The loop over events is written out in one
    function, with the common cases (a mapping's key, a text value) first and
    the collection being built held in local variables: at 10,000 remedies it
    runs some 720,000 times, and every call and attribute lookup shows.
    """

    def __init__(self, name: str, *, escapes: bool = True) -> None:
        import yaml
        import yaml.resolver

        self.name = name
        self.findings: list[Finding] = []
        self.root: Node | None = None
        self.stopped = False
        self._yaml = yaml
        # Without a backslash in the file there is no escape sequence, so no value
        # can hold a control character the check of the raw text did not see.
        self._escapes = escapes
        self._resolvers: dict[str, list[tuple[str, Any]]] = (
            yaml.resolver.Resolver.yaml_implicit_resolvers
        )
        self._constructor = yaml.constructor.SafeConstructor()

    def build(self, loader: Any) -> None:
        """Read the parser's events to the end, or until reading must stop."""
        try:
            self._build(loader)
        except _Stop:
            self.stopped = True

    def _build(self, loader: Any) -> None:
        events = self._yaml.events
        scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
        mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
        mapping_end, sequence_end = events.MappingEndEvent, events.SequenceEndEvent
        document_start = events.DocumentStartEvent
        stream_end = events.StreamEndEvent
        get_event = loader.get_event
        report = self._report
        resolvers = self._resolvers
        control = CONTROL_CHARACTERS.search if self._escapes else None
        str_tag = _YAML_TAGS + "str"
        expect_key = _EXPECT_KEY
        # A plain value's type depends on its text alone, and most plain values
        # (keys, choices, slugs) recur: each is resolved once per file.
        plain_tags: dict[str, str] = {}
        # The collection being built, in locals: whether it is a mapping (None at
        # the top level), its entries (a dict) or items (a list), a mapping's key
        # positions and the key waiting for its value (``expect_key`` when none
        # does, None when that key was refused so its value is dropped), how many
        # items a sequence left out, where it starts, and whether its tag was
        # accepted (a collection with a refused tag is read, then dropped). The
        # collections around it wait on ``stack``.
        in_mapping: bool | None = None
        entries: Any = None
        keys: dict[str, tuple[int, int]] = {}
        key: Any = expect_key
        refused = 0
        start = (0, 0)
        valid = True
        stack: list[tuple[Any, ...]] = []
        values = 0
        documents = 0
        node: Node | None
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                values += 1
                mark = event.start_mark
                line = mark.line + 1
                column = mark.column + 1
                if values > MAX_VALUES:
                    self._too_many(line, column)
                if event.anchor is not None:
                    report(line, column, Code.ALIAS, _ANCHOR_MESSAGE)
                tag = event.tag
                value = event.value
                if tag is None or tag == "!":
                    tag = str_tag
                    if event.implicit[0]:  # plain: resolved as PyYAML's Resolver would
                        tag = plain_tags.get(value)
                        if tag is None:
                            tag = str_tag
                            for candidate, pattern in resolvers.get(value[:1], ()):
                                if pattern.match(value):
                                    tag = candidate
                                    break
                            plain_tags[value] = tag
                if tag != str_tag:
                    node = self._typed_scalar(tag, value, line, column)
                elif control is not None and (found := control(value)) is not None:
                    report(line, column, Code.CONTROL_CHARACTER, _control_message(found[0]))
                    node = None
                elif in_mapping and key is expect_key:
                    # A mapping's key, the commonest value of all: taken straight.
                    if value not in keys:
                        keys[value] = (line, column)
                        key = value
                    else:
                        key = self._key(keys, Scalar(value, line, column))
                    continue
                else:
                    node = Scalar(value, line, column)
            elif kind is mapping_start or kind is sequence_start:
                values += 1
                mark = event.start_mark
                line = mark.line + 1
                column = mark.column + 1
                if values > MAX_VALUES:
                    self._too_many(line, column)
                if event.anchor is not None:
                    report(line, column, Code.ALIAS, _ANCHOR_MESSAGE)
                if len(stack) >= MAX_DEPTH:
                    report(line, column, Code.SHAPE, f"nests deeper than {MAX_DEPTH} levels")
                    raise _Stop
                stack.append((in_mapping, entries, keys, key, refused, start, valid))
                in_mapping = kind is mapping_start
                tag = event.tag
                valid = tag is None or tag == "!" or tag == (_MAP_TAG if in_mapping else _SEQ_TAG)
                if not valid:
                    self._bad_tag(line, column, tag or "")
                entries = {} if in_mapping else []
                keys = {}
                key = expect_key
                refused = 0
                start = (line, column)
                continue
            elif kind is mapping_end or kind is sequence_end:
                if not valid:
                    node = None
                elif in_mapping:
                    node = Mapping(entries, keys, *start)
                else:
                    node = Sequence(tuple(entries), *start, refused)
                (in_mapping, entries, keys, key, refused, start, valid) = stack.pop()
            elif kind is alias_event:
                values += 1
                line, column = _where(event)
                if values > MAX_VALUES:
                    self._too_many(line, column)
                report(line, column, Code.ALIAS, "YAML aliases (*name) are not allowed in content")
                node = None
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    report(
                        *_where(event),
                        Code.YAML_SYNTAX,
                        "a second YAML document; a content file holds exactly one",
                    )
                    raise _Stop
                continue
            elif event is None or kind is stream_end:
                return
            else:  # stream start and document end carry nothing
                continue
            # Put the finished value into the collection that holds it (or make it the root).
            if in_mapping is None:
                self.root = node
            elif not in_mapping:
                if node is None:
                    refused += 1
                else:
                    entries.append(node)
            elif key is not expect_key:
                if key is not None and node is not None:
                    entries[key] = node
                key = expect_key
            else:
                key = self._key(keys, node)

    def _too_many(self, line: int, column: int) -> None:
        message = f"has more than {MAX_VALUES:,} values, the limit for a content file"
        self._report(line, column, Code.TOO_LARGE, message)
        raise _Stop

    def _key(self, keys: dict[str, tuple[int, int]], node: Node | None) -> str | None:
        """A mapping's key, taken; or None when it is refused (and its value dropped)."""
        if node is None:
            return None  # refused already (a tag, an alias, a control character)
        if not (isinstance(node, Scalar) and isinstance(node.value, str)):
            self._report(node.line, node.column, Code.SHAPE, "mapping keys must be plain words")
            return None
        key = node.value
        first = keys.get(key)
        if first is not None:
            self._report(
                node.line,
                node.column,
                Code.DUPLICATE_KEY,
                f"duplicate key '{excerpt(key)}' (first on line {first[0]})",
            )
            return None
        keys[key] = (node.line, node.column)
        return key

    def _report(self, line: int, column: int, code: Code, message: str) -> None:
        self.findings.append(Finding(self.name, line, column, code, message))
        if len(self.findings) > MAX_PER_FILE:
            raise _Stop

    def _typed_scalar(self, tag: str, value: str, line: int, column: int) -> Scalar | None:
        """A scalar that is not text: null, a number, true/false; None if refused."""
        if tag not in _PLAIN_TAGS:
            self._bad_tag(line, column, tag)
            return None
        if tag in _STR_TAGS:  # a bare date is text to us
            found = CONTROL_CHARACTERS.search(value) if self._escapes else None
            if found:
                self._report(line, column, Code.CONTROL_CHARACTER, _control_message(found[0]))
                return None
            return Scalar(value, line, column)
        if tag == _YAML_TAGS + "null":
            return Scalar(None, line, column)
        yaml = self._yaml
        kind = tag[len(_YAML_TAGS) :]
        try:
            node = yaml.ScalarNode(tag, value)
            constructed = getattr(self._constructor, f"construct_yaml_{kind}")(node)
        except (ValueError, KeyError, IndexError, OverflowError, yaml.YAMLError):
            message = f"'{excerpt(value)}' is not a valid {kind}"
            self._report(line, column, Code.WRONG_TYPE, message)
            return None
        return Scalar(constructed, line, column)

    def _bad_tag(self, line: int, column: int, tag: str) -> None:
        shown = "!!" + tag[len(_YAML_TAGS) :] if tag.startswith(_YAML_TAGS) else tag
        self._report(line, column, Code.UNSAFE_TAG, f"YAML tag '{excerpt(shown)}' is not allowed")


def excerpt(text: str, limit: int = 60) -> str:
    """Shorten and defang text that goes into a message: control characters become '?'."""
    text = CONTROL_CHARACTERS.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
