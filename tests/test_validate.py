"""`backcare validate`: every finding code, where it points, and what it says.

Each test writes one small file, validates it against the built-in content (so
links to built-in causes, symptoms and sources resolve) and pins the code, the
1-based line and column, and a fragment of the message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from backcare import content, paths, yamlsafe
from backcare.errors import ContentError
from backcare.findings import CODE_SUMMARIES, MAX_PER_FILE, Code, Finding
from backcare.models import Layer, Level
from tests.conftest import RELEVELLED, RunFn, write_content_file

# A valid remedy that links to built-in causes and symptoms. Line numbers below
# refer to this text: line 2 is "- slug", whose mapping starts at column 5.
REMEDY = """\
remedies:
  - slug: my-stretch
    name: My stretch
    category: at-home
    summary: A gentle stretch my physiotherapist showed me.
    description: Lie on your back and pull one knee gently towards your chest.
    steps:
      - Lie on your back on the floor.
      - Pull one knee to your chest and hold it for 20 seconds.
    causes: [posture]
    symptoms: [stiffness]
"""


def edit(line: int, new: str | None) -> str:
    """REMEDY with one line (1-based) replaced, or removed when ``new`` is None."""
    lines = REMEDY.splitlines()
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    return "\n".join(lines) + "\n"


def layers() -> list[Layer]:
    return paths.content_layers(os.environ)


def check(tmp_path: Path, text: str | bytes, name: str = "mine.yaml") -> list[Finding]:
    """Validate one file in a folder of its own and return its findings."""
    target = write_content_file(tmp_path, text, name)
    return content.validate(layers(), [target.parent])


def only(found: list[Finding], code: Code) -> Finding:
    """The one finding, which must have ``code``."""
    assert [f.code for f in found] == [code], [f.format() for f in found]
    return found[0]


def test_the_remedy_template_is_valid(tmp_path: Path) -> None:
    assert check(tmp_path, REMEDY) == []


def test_builtin_content_validates_clean() -> None:
    builtin = Layer("built-in", str(paths.builtin_content_dir()), True)
    assert content.validate([builtin]) == []
    assert content.validate(layers(), [paths.builtin_content_dir()]) == []


def test_every_code_has_a_summary_and_a_unique_value() -> None:
    assert set(CODE_SUMMARIES) == set(Code)
    assert len({c.value for c in Code}) == len(Code)
    assert [c.value for c in Code] == [f"BC{n:03}" for n in range(1, len(Code) + 1)]


# --- one test per code ---------------------------------------------------------------


def test_bc001_yaml_syntax(tmp_path: Path) -> None:
    text = edit(4, "    category: at-home\n     oops: 1")
    found = only(check(tmp_path, text), Code.YAML_SYNTAX)
    assert (found.line, found.column) == (5, 10)
    assert "mapping values are not allowed" in found.message


def test_bc001_names_where_an_unclosed_quote_starts(tmp_path: Path) -> None:
    found = only(check(tmp_path, 'sources: "oops\n'), Code.YAML_SYNTAX)
    assert (found.line, found.column) == (2, 1)
    assert "while scanning a quoted scalar at line 1, column 10" in found.message


def test_bc001_a_second_document(tmp_path: Path) -> None:
    found = only(check(tmp_path, REMEDY + "---\n" + REMEDY), Code.YAML_SYNTAX)
    assert (found.line, found.column) == (12, 1)
    assert "a second YAML document" in found.message


def test_bc002_a_file_that_is_a_list(tmp_path: Path) -> None:
    found = only(check(tmp_path, "- slug: a\n"), Code.SHAPE)
    assert (found.line, found.column) == (1, 1)
    assert "must be a mapping with sections" in found.message


def test_bc002_a_section_that_is_not_a_list(tmp_path: Path) -> None:
    found = only(check(tmp_path, "causes: posture\n"), Code.SHAPE)
    assert (found.line, found.column) == (1, 9)
    assert "section 'causes' must be a list of causes" in found.message


def test_bc002_an_entry_that_is_not_a_mapping(tmp_path: Path) -> None:
    found = only(check(tmp_path, "causes:\n  - posture\n"), Code.SHAPE)
    assert (found.line, found.column) == (2, 5)
    assert "each cause must be a mapping of fields" in found.message


def test_bc002_a_key_that_is_not_a_word(tmp_path: Path) -> None:
    found = check(tmp_path, edit(3, "    42: My stretch"))
    assert [(f.code, f.line, f.column) for f in found] == [
        (Code.MISSING_FIELD, 2, 5),
        (Code.SHAPE, 3, 5),
    ]
    assert "mapping keys must be plain words" in found[1].message


def test_bc002_nesting_deeper_than_the_limit(tmp_path: Path) -> None:
    depth = yamlsafe.MAX_DEPTH + 5
    text = "".join(" " * n + f"k{n}:\n" for n in range(depth)) + " " * depth + "end\n"
    found = only(check(tmp_path, text), Code.SHAPE)
    assert found.line == yamlsafe.MAX_DEPTH + 1
    assert f"nests deeper than {yamlsafe.MAX_DEPTH} levels" in found.message


def test_bc003_missing_field(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(5, None)), Code.MISSING_FIELD)
    assert (found.line, found.column) == (2, 5)
    assert "remedy is missing 'summary'" in found.message


def test_bc004_wrong_type(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(3, "    name: 42")), Code.WRONG_TYPE)
    assert (found.line, found.column) == (3, 11)
    assert "expected text, found a number (42)" in found.message


def test_bc004_each_plain_word_is_typed_by_its_own_text(tmp_path: Path) -> None:
    # 'no' is YAML's false and 'note' is text; both start with n, and each
    # appears twice, so a type remembered for the wrong word would show here.
    found = check(tmp_path, REMEDY + "    keywords: [note, no, note, no]\n")
    assert [(f.code, f.line, f.column) for f in found] == [
        (Code.WRONG_TYPE, 12, 22),
        (Code.WRONG_TYPE, 12, 32),
    ]
    assert "expected text, found true/false (false)" in found[0].message


def test_bc008_a_bad_slug_is_reported_each_time_a_good_one_is_not(tmp_path: Path) -> None:
    found = check(tmp_path, edit(10, "    causes: [Posture, posture, Posture]"))
    assert [(f.code, f.line, f.column) for f in found] == [
        (Code.BAD_SLUG, 10, 14),
        (Code.BAD_SLUG, 10, 32),
    ]


def test_bc004_a_list_where_text_belongs(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(10, "    causes: posture")), Code.WRONG_TYPE)
    assert (found.line, found.column) == (10, 13)
    assert "expected a list, found 'posture'" in found.message


def test_bc004_an_explicit_tag_that_does_not_fit_its_value(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(3, "    name: !!bool maybe")), Code.WRONG_TYPE)
    assert (found.line, found.column) == (3, 11)
    assert "'maybe' is not a valid bool" in found.message


def test_bc004_a_source_url_that_is_not_a_web_address(tmp_path: Path) -> None:
    text = (
        "sources:\n  - id: my-book\n    title: My book\n    publisher: Me\n"
        "    kind: article\n    url: javascript:alert(1)\n"
    )
    found = only(check(tmp_path, text), Code.WRONG_TYPE)
    assert (found.line, found.column) == (6, 10)
    assert "is not a web address" in found.message


def test_bc004_everyday_words_of_a_warning_sign_must_be_a_list_of_phrases(
    tmp_path: Path,
) -> None:
    text = (
        "red_flags:\n  - id: my-sign\n    level: soon\n    name: My sign\n"
        "    question: Do you have my sign?\n    action: Book a doctor.\n"
        "    sources: [nhs-back-pain]\n    also_called: my sign words\n"
    )
    found = only(check(tmp_path, text), Code.WRONG_TYPE)
    assert (found.line, found.column) == (8, 18)
    assert "expected a list" in found.message
    assert check(tmp_path, text.replace("my sign words", "[my sign words]")) == []


def test_bc005_unknown_field_suggests_the_closest(tmp_path: Path) -> None:
    text = edit(5, "    sumary: A gentle stretch.")
    found = check(tmp_path, text)
    assert [(f.code, f.line, f.column) for f in found] == [
        (Code.MISSING_FIELD, 2, 5),
        (Code.UNKNOWN_FIELD, 5, 5),
    ]
    assert "unknown field 'sumary' in a remedy (did you mean 'summary'?)" in found[1].message


def test_bc005_unknown_section_suggests_the_closest(tmp_path: Path) -> None:
    found = only(check(tmp_path, REMEDY.replace("remedies:", "remedy:")), Code.UNKNOWN_FIELD)
    assert (found.line, found.column) == (1, 1)
    assert "unknown section 'remedy'" in found.message
    assert "(did you mean 'remedies'?)" in found.message


def test_bc006_duplicate_key_is_caught(tmp_path: Path) -> None:
    # PyYAML would silently keep the second name.
    text = REMEDY.replace("    category:", "    name: Another name\n    category:")
    found = only(check(tmp_path, text), Code.DUPLICATE_KEY)
    assert (found.line, found.column) == (4, 5)
    assert "duplicate key 'name' (first on line 3)" in found.message


def test_bc007_duplicate_slug_in_one_layer(tmp_path: Path) -> None:
    (tmp_path / "layer").mkdir()
    (tmp_path / "layer" / "a.yaml").write_text(REMEDY, encoding="utf-8")
    found = only(check(tmp_path, REMEDY, name="b.yaml"), Code.DUPLICATE_ID)
    assert found.path.endswith("b.yaml")
    assert (found.line, found.column) == (2, 5)
    assert "'my-stretch' is defined twice in this layer" in found.message
    assert "a.yaml:2" in found.message


def test_bc008_malformed_slug(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(2, "  - slug: My_Stretch")), Code.BAD_SLUG)
    assert (found.line, found.column) == (2, 11)
    assert "'My_Stretch' is not a slug" in found.message


def test_bc008_a_slug_with_a_trailing_newline(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(2, '  - slug: "my-stretch\\n"')), Code.BAD_SLUG)
    assert (found.line, found.column) == (2, 11)


@pytest.mark.parametrize(
    ("line", "text", "column", "message"),
    [
        (10, "    causes: [postur]", 14, "unknown cause 'postur' (did you mean 'posture'?)"),
        (11, "    symptoms: [stiff]", 16, "unknown symptom 'stiff'"),
        (11, "    symptoms: [stiffness]\n    sources: [nhs]", 15, "unknown source 'nhs'"),
        (11, "    symptoms: [stiffness]\n    red_flags: [feverr]", 17, "unknown red flag 'feverr'"),
    ],
)
def test_bc009_unknown_link(
    tmp_path: Path, line: int, text: str, column: int, message: str
) -> None:
    found = only(check(tmp_path, edit(line, text)), Code.UNKNOWN_LINK)
    assert (found.line, found.column) == (line + text.count("\n"), column)
    assert message in found.message


def test_bc010_empty_text(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(6, '    description: "   "')), Code.EMPTY_TEXT)
    assert (found.line, found.column) == (6, 18)
    assert "text is empty" in found.message


def test_bc010_an_empty_list_of_steps(tmp_path: Path) -> None:
    text = edit(7, "    steps: []").replace("      - Lie on your back on the floor.\n", "")
    text = text.replace("      - Pull one knee to your chest and hold it for 20 seconds.\n", "")
    found = only(check(tmp_path, text), Code.EMPTY_TEXT)
    assert (found.line, found.column) == (7, 12)
    assert "needs at least 1 item" in found.message


def test_bc011_text_too_long(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(5, "    summary: " + "x" * 200)), Code.TEXT_TOO_LONG)
    assert (found.line, found.column) == (5, 14)
    assert "text is 200 characters; the limit is 160" in found.message


def test_bc012_value_outside_its_set(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(4, "    category: at-hom")), Code.BAD_CHOICE)
    assert (found.line, found.column) == (4, 15)
    assert "'at-hom' is not one of" in found.message
    assert "(did you mean 'at-home'?)" in found.message


def test_bc013_a_folder_named_like_a_yaml_file(tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    found = only(content.validate(layers(), [folder]), Code.UNREADABLE)
    assert found.path == str(folder)
    assert "is a folder, expected a YAML file" in found.message


def test_bc013_a_folder_named_like_a_yaml_file_inside_a_layer(tmp_path: Path) -> None:
    (tmp_path / "layer" / "x.yaml").mkdir(parents=True)
    found = only(check(tmp_path, REMEDY), Code.UNREADABLE)
    assert found.path.endswith("x.yaml")


def test_bc013_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    target = tmp_path / "locked.yaml"
    target.write_text(REMEDY, encoding="utf-8")
    target.chmod(0)
    try:
        if os.access(target, os.R_OK):
            pytest.skip("this user can read any file (root)")
        found = only(content.validate(layers(), [target]), Code.UNREADABLE)
        assert "cannot be read" in found.message
        assert "ermission" in found.message
    finally:
        target.chmod(0o644)


def test_bc013_permission_denied_even_when_running_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The chmod test above is skipped for root, who can read anything; this
    # one makes the operating system's refusal happen regardless.
    target = tmp_path / "locked.yaml"
    target.write_text(REMEDY, encoding="utf-8")
    sub = tmp_path / "locked-folder"
    sub.mkdir()
    real_open, real_scandir = os.open, os.scandir

    def refuse_open(path: object, *args: object, **kwargs: object) -> int:
        if Path(str(path)) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def refuse_scandir(path: object) -> object:
        if Path(str(path)) == sub:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "open", refuse_open)
    monkeypatch.setattr(os, "scandir", refuse_scandir)
    found = content.validate(layers(), [tmp_path])
    assert sorted((f.path, f.line, f.code, f.message) for f in found) == [
        (str(sub), 0, Code.UNREADABLE, "folder cannot be read: Permission denied"),
        (str(target), 0, Code.UNREADABLE, "cannot be read: Permission denied"),
    ]


def test_bc013_a_named_pipe_is_not_waited_on(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    found = only(content.validate(layers(), [pipe]), Code.UNREADABLE)
    assert "is not a regular file" in found.message


def test_bc014_file_over_the_size_limit(tmp_path: Path) -> None:
    padding = "#" * (yamlsafe.MAX_FILE_BYTES + 1) + "\n"
    found = only(check(tmp_path, padding + REMEDY), Code.TOO_LARGE)
    assert found.line == 0
    assert f"at most {yamlsafe.MAX_FILE_BYTES // (1024 * 1024)} MiB" in found.message


def test_bc014_too_many_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_VALUES", 20)
    found = only(check(tmp_path, REMEDY + "causes:\n" + "  - x\n" * 20), Code.TOO_LARGE)
    assert found.line > 1
    assert "more than 20 values" in found.message


def test_bc014_too_many_files_in_a_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin_files = len(paths.scan_layer(paths.builtin_content_dir()).files)
    monkeypatch.setattr(paths, "MAX_FILES", builtin_files)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(builtin_files + 2):
        (folder / f"r{n}.yaml").write_text(REMEDY.replace("my-stretch", f"s{n}"), "utf-8")
    found = only(content.validate(layers(), [folder]), Code.TOO_LARGE)
    assert found.path == str(folder)
    assert f"more than {builtin_files} YAML files" in found.message


def test_bc014_too_many_bytes_in_a_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(3):
        (folder / f"r{n}.yaml").write_text(REMEDY.replace("my-stretch", f"s{n}"), "utf-8")
    monkeypatch.setattr(paths, "MAX_LAYER_BYTES", len(REMEDY) * 2)
    scan = paths.scan_layer(folder)
    assert [p.name for p in scan.files] == ["r0.yaml", "r1.yaml"]
    found = only(scan.findings, Code.TOO_LARGE)
    assert found.path == str(folder)
    assert "MiB of YAML; files from r2.yaml on are not read" in found.message


def test_bc015_not_utf8(tmp_path: Path) -> None:
    text = edit(3, "    name: Caf\udce9").encode("utf-8", "surrogateescape")
    found = only(check(tmp_path, text), Code.NOT_UTF8)
    assert (found.line, found.column) == (3, 14)
    assert "is not UTF-8 text (byte 0xe9)" in found.message


def test_bc016_empty_file(tmp_path: Path) -> None:
    found = only(check(tmp_path, ""), Code.EMPTY_FILE)
    assert "is empty" in found.message


def test_bc016_a_file_of_only_comments(tmp_path: Path) -> None:
    only(check(tmp_path, "# nothing here yet\n\n"), Code.EMPTY_FILE)


def test_bc017_unsafe_tag(tmp_path: Path) -> None:
    text = edit(3, '    name: !!python/object/apply:os.system ["true"]')
    found = check(tmp_path, text)
    assert [(f.code, f.line, f.column) for f in found] == [(Code.UNSAFE_TAG, 3, 11)]
    assert "YAML tag '!!python/object/apply:os.system' is not allowed" in found[0].message


def test_bc017_a_local_tag(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(3, "    name: !shout My stretch")), Code.UNSAFE_TAG)
    assert (found.line, found.column) == (3, 11)
    assert "'!shout'" in found.message


def test_bc018_alias(tmp_path: Path) -> None:
    text = edit(11, "    symptoms: &mine [stiffness]\n    keywords: *mine")
    found = check(tmp_path, text)
    assert [(f.code, f.line, f.column) for f in found] == [
        (Code.ALIAS, 11, 15),
        (Code.ALIAS, 12, 15),
    ]
    assert "anchors" in found[0].message
    assert "aliases" in found[1].message


@pytest.mark.parametrize(
    "value",
    [r'"\e[31mred"', r'"\x1b]0;title\x07"', r'"tab\u009bok"', r'"a\u202Eb"', r'"bell\a"'],
)
def test_bc019_escape_sequence_in_text(tmp_path: Path, value: str) -> None:
    found = only(check(tmp_path, edit(3, f"    name: {value}")), Code.CONTROL_CHARACTER)
    assert (found.line, found.column) == (3, 11)
    assert "control character U+" in found.message


def test_bc019_a_raw_control_character_in_the_file(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(3, "    name: My \x1b[2J stretch")), Code.CONTROL_CHARACTER)
    assert (found.line, found.column) == (3, 14)
    assert "U+001B" in found.message


def test_bc019_in_a_key(tmp_path: Path) -> None:
    found = check(tmp_path, edit(3, '    "name\\e[8m": My stretch'))
    assert [(f.code, f.line, f.column) for f in found] == [
        (Code.MISSING_FIELD, 2, 5),
        (Code.CONTROL_CHARACTER, 3, 5),
    ]


def test_bc020_red_flag_id_that_is_a_symptom(tmp_path: Path) -> None:
    text = (
        "red_flags:\n"
        "  - id: stiffness\n"
        "    level: soon\n"
        "    name: Stiffness\n"
        "    question: Are you stiff?\n"
        "    action: See a doctor.\n"
        "    sources: [nhs-back-pain]\n"
    )
    found = only(check(tmp_path, text), Code.ID_CLASH)
    assert (found.line, found.column) == (2, 5)
    assert "red flag 'stiffness' has the same id as a symptom" in found.message


FEVER_SYMPTOM = """\
symptoms:
  - slug: fever
    name: Feeling hot
    description: A raised temperature with the back pain.
"""


def test_bc020_a_symptom_that_is_a_builtin_red_flag_is_reported_at_the_symptom(
    tmp_path: Path,
) -> None:
    found = only(check(tmp_path, FEVER_SYMPTOM), Code.ID_CLASH)
    assert found.path == str(tmp_path / "layer" / "mine.yaml")
    assert (found.line, found.column) == (2, 5)
    assert "symptom 'fever' has the same slug as the built-in red flag 'fever'" in found.message


def test_bc020_a_red_flag_and_a_symptom_of_one_layer_are_reported_at_the_red_flag(
    tmp_path: Path,
) -> None:
    flag = (
        "red_flags:\n  - id: tingling\n    level: soon\n    name: Tingling\n"
        "    question: Do your legs tingle?\n    action: See a doctor.\n"
        "    sources: [nhs-back-pain]\n"
    )
    symptom = FEVER_SYMPTOM.replace("fever", "tingling")
    found = only(check(tmp_path, flag + symptom), Code.ID_CLASH)
    assert (found.line, found.column) == (2, 5)
    assert "red flag 'tingling' has the same id as a symptom" in found.message


def test_bc020_from_a_user_folder_is_shown_by_validate(run: RunFn) -> None:
    user = paths.user_data_dir(os.environ)
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(FEVER_SYMPTOM, encoding="utf-8")
    result = run("validate", str(user))
    assert result.code == 3
    assert "No problems found" not in result.stdout
    assert f"{user / 'mine.yaml'}:2:5: BC020 symptom 'fever'" in result.stdout
    listed = run("list")
    assert listed.code == 3
    assert f"{user / 'mine.yaml'}:2:5: BC020" in listed.stderr


def test_bc021_missing_layer(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    found = only(content.validate(layers(), [missing]), Code.MISSING_LAYER)
    assert found.path == str(missing)
    assert "does not exist" in found.message


def test_bc022_is_never_the_error_other_commands_report(tmp_path: Path) -> None:
    target = write_content_file(
        tmp_path, "causes:\n" + "  - nope\n" * (MAX_PER_FILE + 50), "m.yaml"
    )
    with pytest.raises(ContentError) as caught:
        content.load_catalog([*layers(), Layer("--content", str(target.parent), True)])
    assert caught.value.findings[0].code is Code.TOO_MANY_PROBLEMS  # line 0 sorts first
    assert caught.value.message == f"{target}:2:5: BC002 each cause must be a mapping of fields"
    # 100 listed, the first shown, and at least one more left out.
    assert caught.value.hint == (
        f"at least {MAX_PER_FILE} more problems; run 'backcare validate {target}' to see all"
    )


def test_bc022_too_many_problems_in_one_file(tmp_path: Path) -> None:
    text = "causes:\n" + "  - nope\n" * (MAX_PER_FILE + 50)
    found = check(tmp_path, text)
    assert len(found) == MAX_PER_FILE + 1
    assert [f.code for f in found].count(Code.TOO_MANY_PROBLEMS) == 1
    summary = next(f for f in found if f.code is Code.TOO_MANY_PROBLEMS)
    assert f"only the first {MAX_PER_FILE} are listed" in summary.message


CALM_EMERGENCY = """\
levels:
  - level: emergency
    heading: Relax, have a cup of tea
    meanwhile: []
    sources: [nhs-back-pain]
"""


def test_bc023_a_layer_may_not_replace_a_builtin_red_flag(tmp_path: Path) -> None:
    found = only(check(tmp_path, RELEVELLED), Code.PROTECTED)
    assert (found.line, found.column) == (2, 5)
    assert "red flag 'saddle-numbness' would replace a built-in warning sign" in found.message
    assert "safety content" in found.message


def test_bc023_the_builtin_red_flag_stays(tmp_path: Path) -> None:
    target = write_content_file(tmp_path, RELEVELLED, "mine.yaml")
    result = content.load(content.validation_layers(layers(), [target]))
    flag = result.catalog.red_flag_by_id["saddle-numbness"]
    assert flag.level is Level.EMERGENCY
    assert flag.origin == "built-in"
    assert "{emergency}" in flag.action


MY_NHS = """\
sources:
  - id: nhs-back-pain
    title: Back pain is nothing to worry about
    publisher: Someone else
    kind: website
    url: https://example.org/not-the-nhs
"""


def test_bc023_a_layer_may_not_replace_a_builtin_source(tmp_path: Path) -> None:
    found = only(check(tmp_path, MY_NHS), Code.PROTECTED)
    assert (found.line, found.column) == (2, 5)
    assert "source 'nhs-back-pain' would replace a built-in source" in found.message
    target = tmp_path / "layer" / "mine.yaml"
    catalog = content.load(content.validation_layers(layers(), [target])).catalog
    source = catalog.source_by_id["nhs-back-pain"]
    assert (source.title, source.origin) == ("Back pain", "built-in")
    assert source.url is not None
    assert "nhs.uk" in source.url


def test_bc023_a_layer_may_still_add_a_source(tmp_path: Path) -> None:
    assert check(tmp_path, MY_NHS.replace("nhs-back-pain", "my-leaflet")) == []


def test_bc023_names_sources_in_its_summary() -> None:
    assert "a built-in warning sign, level or source" in CODE_SUMMARIES[Code.PROTECTED]


def test_bc023_a_layer_may_not_replace_a_builtin_level(tmp_path: Path) -> None:
    found = only(check(tmp_path, CALM_EMERGENCY), Code.PROTECTED)
    assert (found.line, found.column) == (2, 5)
    assert "level 'emergency' would replace the built-in one" in found.message
    target = tmp_path / "layer" / "mine.yaml"
    catalog = content.load(content.validation_layers(layers(), [target])).catalog
    heading = catalog.advice_by_level[Level.EMERGENCY].heading
    assert "tea" not in heading
    assert "{emergency}" in heading


@pytest.mark.parametrize("label", ["user", "BACKCARE_CONTENT", "--content", "validate"])
def test_bc023_applies_to_every_layer_after_the_builtin_one(tmp_path: Path, label: str) -> None:
    folder = tmp_path / "layer"
    write_content_file(tmp_path, RELEVELLED, "flags.yaml")
    write_content_file(tmp_path, CALM_EMERGENCY, "levels.yaml")
    result = content.load([*layers(), Layer(label, str(folder), True)])
    assert sorted(f.code for f in result.findings) == [Code.PROTECTED, Code.PROTECTED]
    assert result.catalog.red_flag_by_id["saddle-numbness"].level is Level.EMERGENCY
    assert "tea" not in result.catalog.advice_by_level[Level.EMERGENCY].heading


def test_bc023_also_for_a_replacement_with_problems_of_its_own(tmp_path: Path) -> None:
    found = check(tmp_path, RELEVELLED.replace("    name:", "    nam:"))
    assert [(f.line, f.code) for f in found] == [
        (2, Code.MISSING_FIELD),
        (2, Code.PROTECTED),
        (4, Code.UNKNOWN_FIELD),
    ]


def test_bc023_the_refused_entry_links_are_checked_too(tmp_path: Path) -> None:
    found = check(tmp_path, RELEVELLED.replace("[nhs-back-pain]", "[nhs-bak-pain]"))
    assert [(f.line, f.code) for f in found] == [(2, Code.PROTECTED), (7, Code.UNKNOWN_LINK)]


def test_a_copy_of_a_builtin_red_flag_is_still_a_replacement(tmp_path: Path) -> None:
    builtin = (paths.builtin_content_dir() / "red-flags.yaml").read_text(encoding="utf-8")
    found = check(tmp_path, builtin)
    assert found
    assert {f.code for f in found} == {Code.PROTECTED}


def test_validating_a_builtin_file_is_not_a_replacement() -> None:
    for name in ("red-flags.yaml", "levels.yaml", "sources.yaml"):
        assert content.validate(layers(), [paths.builtin_content_dir() / name]) == []


def test_a_layer_may_still_add_a_red_flag(tmp_path: Path) -> None:
    text = RELEVELLED.replace("saddle-numbness", "my-new-sign").replace("soon", "urgent")
    assert check(tmp_path, text) == []
    target = tmp_path / "layer" / "mine.yaml"
    catalog = content.load(content.validation_layers(layers(), [target])).catalog
    assert catalog.red_flag_by_id["my-new-sign"].level is Level.URGENT


def test_bc024_the_emergency_level_holds_no_self_care(tmp_path: Path) -> None:
    # A stand-in for the built-in layer: nothing to replace, so only BC024 is due.
    folder = tmp_path / "stand-in"
    folder.mkdir()
    sources = "sources:\n  - id: nhs-back-pain\n    title: Back pain\n    publisher: NHS\n"
    (folder / "levels.yaml").write_text(
        sources
        + "    kind: website\n"
        + CALM_EMERGENCY.replace("meanwhile: []", "meanwhile:\n      - Try a hot bath."),
        encoding="utf-8",
    )
    result = content.load([Layer("built-in", str(folder), True)])
    found = only(result.findings, Code.EMERGENCY_SELF_CARE)
    assert (found.line, found.column) == (10, 7)
    assert "the emergency level may hold no self-care advice" in found.message
    assert Level.EMERGENCY not in result.catalog.advice_by_level


def test_bc024_other_levels_may_offer_self_care(tmp_path: Path) -> None:
    text = CALM_EMERGENCY.replace("emergency", "urgent").replace(
        "meanwhile: []", "meanwhile: [Keep moving.]"
    )
    found = only(check(tmp_path, text), Code.PROTECTED)  # replaces, but is no BC024
    assert "level 'urgent'" in found.message


def test_bc025_a_folder_with_no_content_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    found = only(content.validate(layers(), [empty]), Code.NO_CONTENT_FILES)
    assert found.path == str(empty)
    assert "no content files found" in found.message
    assert ".yaml or .yml" in found.message


def test_bc025_a_folder_of_only_other_files(tmp_path: Path) -> None:
    folder = write_content_file(tmp_path, REMEDY, "notes.txt").parent
    (folder / ".hidden.yaml").write_text(REMEDY, encoding="utf-8")
    found = only(content.validate(layers(), [folder]), Code.NO_CONTENT_FILES)
    assert found.path == str(folder)


def test_bc025_the_user_folder_named_as_a_target(tmp_path: Path) -> None:
    user = paths.user_data_dir(os.environ)
    assert content.validate(layers()) == []  # missing: optional, so fine
    assert only(content.validate(layers(), [user]), Code.MISSING_LAYER).path == str(user)
    user.mkdir(parents=True)
    assert content.validate(layers()) == []  # empty: still fine when not named
    assert only(content.validate(layers(), [user]), Code.NO_CONTENT_FILES).path == str(user)
    (user / "mine.yaml").write_text(REMEDY, encoding="utf-8")
    assert content.validate(layers(), [user]) == []


@pytest.mark.parametrize("how", ["--content", "BACKCARE_CONTENT"])
def test_bc025_an_empty_extra_layer(run: RunFn, tmp_path: Path, how: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    if how == "--content":
        result = run("--content", str(empty), "list")
    else:
        result = run("list", env={"BACKCARE_CONTENT": str(empty)})
    assert result.code == 3
    assert result.stdout == ""
    assert f"backcare: error: {empty}: BC025 no content files found" in result.stderr


def test_cli_validate_of_an_empty_folder_is_not_clean(run: RunFn, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("validate", str(empty))
    assert result.code == 3
    assert "No problems found" not in result.stdout
    assert f"{empty}: BC025" in result.stdout


@pytest.mark.parametrize("name", ["Mine.YAML", "mine.YML", "mine.Yaml", "MINE.yml"])
def test_upper_case_extensions_are_yaml_files(tmp_path: Path, name: str) -> None:
    target = write_content_file(tmp_path, BROKEN, name)
    assert paths.scan_layer(target.parent).files == [target]
    assert Code.BAD_SLUG in {f.code for f in content.validate(layers(), [target.parent])}


def test_a_warning_sign_linked_as_a_symptom_says_so(tmp_path: Path) -> None:
    found = only(check(tmp_path, edit(11, "    symptoms: [stiffness, fever]")), Code.UNKNOWN_LINK)
    assert (found.line, found.column) == (11, 27)
    assert found.message == "'fever' is a warning sign, not a symptom; link it under red_flags"


def test_a_symptom_linked_as_a_warning_sign_says_so(tmp_path: Path) -> None:
    text = edit(11, "    symptoms: [stiffness]\n    red_flags: [stiffness]")
    found = only(check(tmp_path, text), Code.UNKNOWN_LINK)
    assert found.message == "'stiffness' is a symptom, not a warning sign; link it under symptoms"


SUMMARY = "summary: A gentle stretch my physiotherapist showed me."
MY_REGION = """\
regions:
  - id: home
    name: My home
    emergency: "555"
    emergency_numbers: ["555"]
    urgent: my neighbour
    territories: []
    sources: [nhs-back-pain]
"""


def test_bc029_only_the_builtin_content_may_define_regions(tmp_path: Path) -> None:
    found = only(check(tmp_path, MY_REGION), Code.BUILTIN_ONLY)
    assert (found.line, found.column) == (2, 5)
    assert "only the built-in content may define regions" in found.message
    target = tmp_path / "layer" / "mine.yaml"
    catalog = content.load(content.validation_layers(layers(), [target])).catalog
    assert "home" not in catalog.region_by_id


def test_bc029_applies_to_review_points_too(tmp_path: Path) -> None:
    text = """\
review_points:
  - id: never
    after_days: 365
    level: doctor
    text: Wait a year before seeing anyone.
    sources: [nhs-back-pain]
"""
    found = only(check(tmp_path, text), Code.BUILTIN_ONLY)
    assert "review points" in found.message


def test_bc029_a_layer_may_not_widen_who_the_guide_is_for(tmp_path: Path) -> None:
    text = """\
scope:
  - id: under-16
    question: Are you under 12?
    action: Carry on.
    sources: [nhs-back-pain]
"""
    found = [f for f in check(tmp_path, text) if f.code is Code.BUILTIN_ONLY]
    assert len(found) == 1
    assert "only the built-in content may define scope" in found[0].message


def test_bc030_an_emergency_number_must_be_digits_as_dialled(tmp_path: Path) -> None:
    text = MY_REGION.replace('emergency_numbers: ["555"]', 'emergency_numbers: ["55 5"]')
    found = [f for f in check(tmp_path, text) if f.code is Code.BAD_PHONE_NUMBER]
    assert len(found) == 1
    assert (found[0].line, found[0].column) == (5, 25)
    assert "'55 5' is not a telephone number as dialled" in found[0].message


def test_bc031_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    text = REMEDY.replace(
        "summary: A gentle stretch my physiotherapist showed me.",
        "summary: Call {emergncy} if your legs go numb.",
    )
    assert text != REMEDY
    found = only(check(tmp_path, text), Code.UNKNOWN_PLACEHOLDER)
    assert "unknown placeholder '{emergncy}'" in found.message
    assert "(did you mean 'emergency'?)" in found.message


def test_known_placeholders_are_filled_in_for_the_region(tmp_path: Path) -> None:
    from backcare.query.region import localize

    text = REMEDY.replace(
        "summary: A gentle stretch my physiotherapist showed me.", "summary: Call {emergency} now."
    )
    target = write_content_file(tmp_path, text, "mine.yaml")
    raw = content.load_catalog([*layers(), Layer("validate", str(target.parent), True)])
    remedy = localize(raw, raw.region_by_id["au"]).remedy_by_slug["my-stretch"]
    assert remedy.summary == "Call triple zero (000) now."


def test_every_code_is_tested() -> None:
    from tests import test_exercises_content  # the exercise codes, BC026 to BC028

    names = [*globals(), *vars(test_exercises_content)]
    tested = {name[7:10] for name in names if name.startswith("test_bc")}
    assert tested == {c.value[2:] for c in Code}


# --- reporting -----------------------------------------------------------------------


BROKEN = """\
remedies:
  - slug: Bad_Slug
    name: 42
    category: at-hom
    sumary: typo
    description: ""
    steps: [one]
    causes: [postur]
    symptoms: [stiffness]
"""


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    found = check(tmp_path, BROKEN)
    assert [(f.line, f.column, f.code) for f in found] == [
        (2, 5, Code.MISSING_FIELD),
        (2, 11, Code.BAD_SLUG),
        (3, 11, Code.WRONG_TYPE),
        (4, 15, Code.BAD_CHOICE),
        (5, 5, Code.UNKNOWN_FIELD),
        (6, 18, Code.EMPTY_TEXT),
        (8, 14, Code.UNKNOWN_LINK),  # in an entry that failed, its links are checked too
    ]


def test_links_of_an_entry_that_failed_are_checked(tmp_path: Path) -> None:
    text = (
        edit(10, "    causes: [postur]")
        .replace("    symptoms: [stiffness]", "    symptoms: [stiff]")
        .replace("    steps:", "    colour: blue\n    steps:")
        + "    sources: [nhs]\n"
        + "    red_flags: [feverr]\n"
        + "    cautions:\n      - text: Go gently.\n        source: nhs-bak-pain\n"
    )
    found = check(tmp_path, text)
    assert [(f.line, f.code) for f in found] == [
        (7, Code.UNKNOWN_FIELD),
        (11, Code.UNKNOWN_LINK),
        (12, Code.UNKNOWN_LINK),
        (13, Code.UNKNOWN_LINK),
        (14, Code.UNKNOWN_LINK),
        (17, Code.UNKNOWN_LINK),
    ]
    messages = " | ".join(f.message for f in found)
    for fragment in ("cause 'postur'", "symptom 'stiff'", "source 'nhs'", "red flag 'feverr'"):
        assert f"unknown {fragment}" in messages
    assert "(did you mean 'nhs-back-pain'?)" in found[-1].message


def test_links_of_every_section_are_checked_when_the_entry_failed(tmp_path: Path) -> None:
    text = (
        "red_flags:\n  - id: my-sign\n    level: sooon\n    name: Mine\n"
        "    question: Is it mine?\n    action: See a doctor.\n    sources: [nhss]\n"
        "levels:\n  - level: urgent\n    heading: Soon\n    meanwhile: [1]\n"
        "    sources: [nicee]\n"
    )
    found = check(tmp_path, text)
    assert [(f.line, f.code) for f in found] == [
        (3, Code.BAD_CHOICE),
        (7, Code.UNKNOWN_LINK),
        (9, Code.PROTECTED),
        (11, Code.WRONG_TYPE),
        (12, Code.UNKNOWN_LINK),
    ]


def test_a_duplicate_slug_is_reported_when_an_entry_failed(tmp_path: Path) -> None:
    broken = REMEDY.replace("    name: My stretch\n", "")
    found = check(tmp_path, broken + REMEDY.replace("remedies:\n", ""))
    assert [(f.line, f.code) for f in found] == [(2, Code.MISSING_FIELD), (11, Code.DUPLICATE_ID)]
    assert "'my-stretch' is defined twice in this layer" in found[1].message
    # The first of two may be the broken one, or the second; both ways round are found.
    found = check(tmp_path, REMEDY + broken.replace("remedies:\n", ""))
    assert [(f.line, f.code) for f in found] == [(12, Code.MISSING_FIELD), (12, Code.DUPLICATE_ID)]


def test_links_of_a_duplicate_entry_are_checked(tmp_path: Path) -> None:
    second = REMEDY.replace("remedies:\n", "").replace("[posture]", "[postur]")
    found = check(tmp_path, REMEDY + second)
    assert [(f.line, f.code) for f in found] == [(12, Code.DUPLICATE_ID), (20, Code.UNKNOWN_LINK)]


def test_a_link_to_an_entry_with_problems_is_not_reported_twice(tmp_path: Path) -> None:
    text = "causes:\n  - slug: gardening\n    name: Gardening\n" + REMEDY.replace(
        "[posture]", "[gardening]"
    )
    found = only(check(tmp_path, text), Code.MISSING_FIELD)  # the cause's; not BC009 as well
    assert "cause is missing 'description'" in found.message


def test_unknown_links_are_reported_alongside_other_entries(tmp_path: Path) -> None:
    text = REMEDY + REMEDY.replace("remedies:\n", "").replace("my-stretch", "other").replace(
        "[posture]", "[postur]"
    )
    found = only(check(tmp_path, text), Code.UNKNOWN_LINK)
    assert found.line == 20


def test_cli_prints_file_line_column_code_message(run: RunFn, tmp_path: Path) -> None:
    check(tmp_path, BROKEN)
    target = tmp_path / "layer" / "mine.yaml"
    result = run("validate", str(target))
    assert result.code == 3
    lines = result.stdout.splitlines()
    assert f"{target}:2:11: BC008 'Bad_Slug' is not a slug" in lines[1]
    assert lines[0] == f"{target}:2:5: BC003 remedy is missing 'summary'"
    assert "7 problems in 1 file." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_json_gives_the_same_findings(run: RunFn, tmp_path: Path) -> None:
    found = check(tmp_path, BROKEN)
    target = tmp_path / "layer"
    result = run("validate", "--json", str(target))
    assert result.code == 3
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["findings"] == [f.as_dict() for f in found]
    assert document["findings"][0] == {
        "path": str(target / "mine.yaml"),
        "line": 2,
        "column": 5,
        "code": "BC003",
        "message": "remedy is missing 'summary'",
    }


def test_cli_validate_clean_exits_0(run: RunFn, tmp_path: Path) -> None:
    check(tmp_path, REMEDY)
    result = run("validate", str(tmp_path / "layer"))
    assert result.code == 0
    assert "No problems found" in result.stdout
    clean = run("validate", "--json")
    assert (clean.code, json.loads(clean.stdout)["findings"]) == (0, [])


def test_cli_validate_checks_several_paths_at_once(run: RunFn, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(REMEDY, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    missing = tmp_path / "missing"
    result = run("validate", "--json", str(good), str(bad), str(missing))
    assert result.code == 3
    paths_seen = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert paths_seen == {str(bad), str(missing)}


def test_validate_without_paths_checks_the_configured_layers(
    run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = paths.user_data_dir(os.environ)
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(BROKEN, encoding="utf-8")
    result = run("validate")
    assert result.code == 3
    assert f"{user / 'mine.yaml'}:2:11: BC008" in result.stdout


def test_a_finding_reported_by_two_layers_is_listed_once(run: RunFn, tmp_path: Path) -> None:
    user = paths.user_data_dir(os.environ)
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(edit(3, "    name: 42"), encoding="utf-8")
    result = run("validate", "--json", str(user))
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["BC004"]


def test_links_inside_a_new_layer_may_point_at_its_own_entries(tmp_path: Path) -> None:
    text = (
        "causes:\n  - slug: gardening\n    name: Gardening\n    description: Weeding.\n"
        "sources:\n  - id: my-physio\n    title: Advice from my physio\n"
        "    publisher: Me\n    kind: website\n    url: https://example.org/advice\n"
        + REMEDY.replace("[posture]", "[gardening, posture]").replace(
            "    symptoms: [stiffness]\n",
            "    symptoms: [stiffness]\n    sources: [my-physio, nhs-back-pain]\n",
        )
    )
    assert check(tmp_path, text) == []


def test_crlf_line_endings_are_fine(tmp_path: Path) -> None:
    assert check(tmp_path, REMEDY.replace("\n", "\r\n").encode()) == []


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    assert check(tmp_path, b"\xef\xbb\xbf" + REMEDY.encode()) == []
