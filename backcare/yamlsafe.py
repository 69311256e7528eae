"""Read YAML as plain, located data, and nothing more.

Content comes from people's own folders, so this is a trust boundary. The
text is composed into a node tree by PyYAML's safe composer (libyaml's when
available) and converted here by hand: no constructor runs, so no tag can build
an object or call code. Tags other than the plain scalar types, anchors and
aliases, duplicate keys, control characters, oversized files and deep nesting
are all reported as findings with a line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Union

from backcare.findings import Code, Finding

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32

# C0 and C1 control characters, DEL included; tab and newline are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_SCALAR_TAGS = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    _SCALAR_TAGS + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = _SCALAR_TAGS + "map"
_SEQ_TAG = _SCALAR_TAGS + "seq"


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar value (str, int, float, bool or None) and where it stands."""

    value: str | int | float | bool | None
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Mapping:
    """A mapping with string keys; ``keys`` holds where each key stands."""

    items: dict[str, Node]
    keys: dict[str, tuple[int, int]]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Sequence:
    """A list of nodes."""

    items: tuple[Node, ...]
    line: int
    column: int


Node = Union[Scalar, Mapping, Sequence]  # noqa: UP007 - a runtime alias; X | Y needs 3.10 objects


def read_file(path: Path, label: str | None = None) -> tuple[Node | None, list[Finding]]:
    """Read one YAML file. Returns the document (None if unusable) and the problems found."""
    name = label or str(path)
    try:
        if path.is_dir():
            return None, [_finding(name, Code.UNREADABLE, "is a folder, expected a YAML file")]
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            message = f"file is {size:,} bytes; content files may be at most {limit} MiB"
            return None, [_finding(name, Code.TOO_LARGE, message)]
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return None, [_finding(name, Code.UNREADABLE, f"cannot be read: {reason}")]
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> tuple[Node | None, list[Finding]]:
    """Parse UTF-8 YAML bytes; ``name`` labels the findings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"is not UTF-8 text (byte 0x{data[error.start]:02x})"
        return None, [Finding(name, line, column, Code.NOT_UTF8, message)]
    return read_text(text, name)


def read_text(text: str, name: str) -> tuple[Node | None, list[Finding]]:
    """Parse YAML text; ``name`` labels the findings."""
    import yaml  # deferred: a warm cache never needs the parser

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = " ".join(str(error.problem or error.context or "invalid YAML").split())
        return None, [Finding(name, line, column, Code.YAML_SYNTAX, problem)]
    except yaml.YAMLError as error:  # e.g. a character libyaml rejects outright
        return None, [_finding(name, Code.YAML_SYNTAX, " ".join(str(error).split()))]
    except RecursionError:
        return None, [_finding(name, Code.YAML_SYNTAX, "nests too deeply to parse")]
    if root is None:
        return None, [_finding(name, Code.EMPTY_FILE, "is empty")]
    converter = _Converter(name)
    return converter.convert(root, 0), converter.findings


def _finding(name: str, code: Code, message: str) -> Finding:
    return Finding(name, 0, 0, code, message)


class _Converter:
    """Turns a composed node tree into located plain data, collecting findings."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.findings: list[Finding] = []
        self._seen: set[int] = set()

    def _problem(self, node: yaml.Node, code: Code, message: str) -> None:
        mark = node.start_mark
        self.findings.append(Finding(self.name, mark.line + 1, mark.column + 1, code, message))

    def convert(self, node: yaml.Node, depth: int) -> Node | None:
        import yaml

        # An alias composes to the very node its anchor named; seeing a node twice
        # means an alias, which also rules out "billion laughs" expansion.
        if id(node) in self._seen:
            self._problem(node, Code.ALIAS, "YAML anchors and aliases are not allowed in content")
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self._problem(node, Code.SHAPE, f"nests deeper than {MAX_DEPTH} levels")
            return None
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, line, column)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._bad_tag(node)
                return None
            items = [self.convert(child, depth + 1) for child in node.value]
            return Sequence(tuple(i for i in items if i is not None), line, column)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth, line, column)
        return None  # pragma: no cover - PyYAML composes only the three kinds above

    def _scalar(self, node: yaml.ScalarNode, line: int, column: int) -> Scalar | None:
        import yaml.constructor

        tag = node.tag
        if tag not in _PLAIN_TAGS:
            self._bad_tag(node)
            return None
        value: str | int | float | bool | None
        kind = tag[len(_SCALAR_TAGS) :]
        if kind in ("str", "timestamp"):  # a bare date is text to us
            value = str(node.value)
            if CONTROL_CHARACTERS.search(value):
                self._problem(
                    node,
                    Code.CONTROL_CHARACTER,
                    "text contains a control character or terminal escape sequence",
                )
                return None
        elif kind == "null":
            value = None
        else:
            constructor = yaml.constructor.SafeConstructor()
            try:
                value = getattr(constructor, f"construct_yaml_{kind}")(node)
            except (ValueError, yaml.YAMLError):
                self._problem(node, Code.WRONG_TYPE, f"{node.value!r} is not a valid {kind}")
                return None
        return Scalar(value, line, column)

    def _mapping(self, node: yaml.MappingNode, depth: int, line: int, column: int) -> Node | None:
        import yaml

        if node.tag != _MAP_TAG:
            self._bad_tag(node)
            return None
        items: dict[str, Node] = {}
        keys: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":str")):
                self._problem(key_node, Code.SHAPE, "mapping keys must be plain words")
                continue
            key = key_node.value
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in keys:
                first = keys[key][0]
                self._problem(
                    key_node,
                    Code.DUPLICATE_KEY,
                    f"duplicate key '{_printable(key)}' (first on line {first})",
                )
                continue
            value = self.convert(value_node, depth + 1)
            keys[key] = where
            if value is not None:
                items[key] = value
        return Mapping(items, keys, line, column)

    def _bad_tag(self, node: yaml.Node) -> None:
        self._problem(node, Code.UNSAFE_TAG, f"YAML tag '{_printable(node.tag)}' is not allowed")


def _printable(text: str, limit: int = 60) -> str:
    """Shorten and defang text that goes into a message."""
    text = CONTROL_CHARACTERS.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
