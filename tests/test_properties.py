"""Property-based tests: no document and no argument gets past the loader or the
commands as a crash.

(a) Arbitrary YAML-ish documents through ``yamlsafe`` and ``schema`` give
either models or findings, never an exception. (b) Arbitrary argument strings
through the commands give no traceback and a documented exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcare import schema, yamlsafe
from backcare.findings import Code, Finding
from backcare.paths import builtin_content_dir, scan_layer
from tests.conftest import RunFn

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = sorted(
    {
        "slug", "id", "name", "title", "publisher", "kind", "year", "url", "note",
        "description", "level", "question", "action", "sources", "heading", "meanwhile",
        "category", "summary", "steps", "causes", "symptoms", "cautions", "see_a_doctor",
        "evidence", "keywords", "red_flags", "text", "source", "stance", "topic",
    }
)  # fmt: skip
WORDS = [
    "posture", "stiffness", "nhs-back-pain", "at-home", "guideline", "recommended",
    "emergency", "soon", "fever", "ice-packs", "", " ", "x" * 300, "Bad Slug", "2020",
]  # fmt: skip
BUILTIN_TEXTS = [
    path.read_text(encoding="utf-8") for path in scan_layer(builtin_content_dir()).files
]
BUILTIN_ENTRIES = [
    (section, entry)
    for text in BUILTIN_TEXTS
    for section, entries in yaml.safe_load(text).items()
    for entry in entries
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(WORDS),
)
plain_data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), children),
    ),
    max_leaves=30,
)
entry = st.dictionaries(st.sampled_from(FIELDS), plain_data, max_size=12)
content_shaped = st.dictionaries(
    st.sampled_from([*schema.SECTIONS, "remedy", "extra"]),
    st.one_of(st.lists(entry, max_size=4), plain_data),
    max_size=4,
)


def dump(data: Any, unicode: bool) -> str:
    return yaml.safe_dump(data, allow_unicode=unicode, sort_keys=False)


def check_result(node: yamlsafe.Node | None, found: list[Finding]) -> None:
    """The loader's contract: a tree, or at least one finding saying why not."""
    for finding in found:
        assert isinstance(finding.code, Code)
        assert finding.line >= 0
        assert finding.column >= 0
        assert finding.message
    if node is None:
        assert found, "no document and no finding"
        return
    document, problems = schema.parse_document(node, "doc.yaml", "test")
    for problem in problems:
        assert isinstance(problem.code, Code)
        assert problem.line >= 1
    for section in schema.SECTIONS:
        for parsed in getattr(document, section):
            assert parsed.key


@SETTINGS
@given(data=plain_data, unicode=st.booleans())
def test_dumped_data_gives_models_or_findings(data: Any, unicode: bool) -> None:
    check_result(*yamlsafe.read_text(dump(data, unicode), "doc.yaml"))


@SETTINGS
@given(data=content_shaped, unicode=st.booleans())
def test_content_shaped_data_gives_models_or_findings(data: Any, unicode: bool) -> None:
    check_result(*yamlsafe.read_text(dump(data, unicode), "doc.yaml"))


@SETTINGS
@given(text=st.text())
def test_arbitrary_text_gives_models_or_findings(text: str) -> None:
    check_result(*yamlsafe.read_text(text, "doc.yaml"))


@SETTINGS
@given(text=st.text())
def test_arbitrary_text_with_pyyamls_own_parser(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    check_result(*yamlsafe.read_text(text, "doc.yaml"))


@SETTINGS
@given(data=st.binary())
def test_arbitrary_bytes_give_models_or_findings(data: bytes) -> None:
    check_result(*yamlsafe.read_bytes(data, "doc.yaml"))


@SETTINGS
@given(
    source=st.sampled_from(BUILTIN_TEXTS),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 20), st.text(max_size=8))),
)
def test_damaged_builtin_files_give_models_or_findings(
    source: str, cuts: list[tuple[float, int, str]]
) -> None:
    text = source
    for where, length, insert in cuts:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + length :]
    check_result(*yamlsafe.read_text(text, "doc.yaml"))


@st.composite
def altered_entries(draw: st.DrawFn) -> dict[str, Any]:
    """A built-in entry with a few fields dropped, or a few values replaced."""
    section, entry = draw(st.sampled_from(BUILTIN_ENTRIES))
    keys = sorted(entry)
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, min_size=1, max_size=3))
    if draw(st.booleans()):
        return {section: [{k: v for k, v in entry.items() if k not in chosen}]}
    return {section: [{**entry, **{k: draw(plain_data) for k in chosen}}]}


@SETTINGS
@given(data=altered_entries(), unicode=st.booleans())
def test_altered_builtin_entries_give_models_or_findings(data: Any, unicode: bool) -> None:
    check_result(*yamlsafe.read_text(dump(data, unicode), "doc.yaml"))


@settings(SETTINGS, max_examples=40)
@given(data=st.one_of(content_shaped, altered_entries()))
def test_content_shaped_files_load_as_a_layer(tmp_path_factory: Any, run: RunFn, data: Any) -> None:
    folder: Path = tmp_path_factory.mktemp("layer")
    (folder / "x.yaml").write_text(dump(data, True), encoding="utf-8")
    result = run("--content", str(folder), "validate", "--json")
    assert result.code in (0, 3)
    listed = run("--content", str(folder), "list")
    assert listed.code in (0, 1, 3)
    if listed.code == 3:
        assert listed.stdout == ""


# --- arguments ------------------------------------------------------------------------


arguments = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=300,
)
RED_FLAG_EXITS = {10, 11, 12}


def check_run(run: RunFn, *args: str) -> None:
    result = run(*args)  # the fixture fails the test on any exception but SystemExit
    allowed = {0, 1, 2}
    if args[0] in ("suggest", "search"):
        allowed |= RED_FLAG_EXITS  # a warning sign given as a symptom, or named by the words
    assert result.code in allowed, (args, result.code, result.stderr[:300])
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    if result.code in (1, 2):
        assert result.stdout == ""
        assert result.stderr.startswith("backcare: error: ")


@SETTINGS
@given(argument=arguments)
def test_show_answers_any_argument(run: RunFn, argument: str) -> None:
    check_run(run, "show", argument)


@SETTINGS
@given(words=st.lists(arguments, min_size=1, max_size=4))
def test_search_answers_any_words(run: RunFn, words: list[str]) -> None:
    check_run(run, "search", *words)


@SETTINGS
@given(argument=arguments)
def test_suggest_answers_any_cause(run: RunFn, argument: str) -> None:
    check_run(run, "suggest", "--cause", argument)


@SETTINGS
@given(argument=arguments, other=st.sampled_from(["", "stiffness", "fever"]))
def test_suggest_answers_any_symptom(run: RunFn, argument: str, other: str) -> None:
    check_run(run, "suggest", "--symptom", argument, *(["--symptom", other] if other else []))
