"""Hostile and broken input: content and arguments that must never crash, hang,
execute, write, or put escape codes on the terminal.

Every broken-content case must give one error line naming the file (and line,
where it has one), exit code 3, no traceback and nothing on stdout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backcare import paths, yamlsafe
from backcare.findings import Code
from tests.conftest import RELEVELLED, RunFn, write_content_file

GOOD = """\
remedies:
  - slug: knee-hug
    name: Knee hug stretch
    category: at-home
    summary: Hug one knee to your chest to ease a stiff lower back.
    description: Lying on your back, pull one knee gently towards your chest and hold it.
    steps:
      - Lie on your back with both knees bent.
    causes: [posture]
    symptoms: [stiffness]
"""


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each case with libyaml's parser and with PyYAML's own."""
    if request.param == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    return str(request.param)


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, so that anything a payload writes would show up here."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def layer_with(tmp_path: Path, data: str | bytes, name: str = "evil.yaml") -> Path:
    return write_content_file(tmp_path, data, name)


def refused(run: RunFn, target: Path, code: Code, line: int | None = None) -> str:
    """Assert that every content command refuses the layer holding ``target``.

    Each gives exit 3, nothing on stdout and one error line naming the file;
    ``validate`` lists ``code`` at ``line``. Returns validate's line for ``code``.
    """
    folder = str(target.parent)
    for command in (("list",), ("show", "knee-hug"), ("suggest", "--cause", "posture")):
        result = run("--content", folder, *command)
        assert result.code == 3, (command, result.stderr)
        assert result.stdout == "", command
        errors = [x for x in result.stderr.splitlines() if x.startswith("backcare: error:")]
        assert len(errors) == 1, result.stderr
        assert errors[0].startswith(f"backcare: error: {target}:"), errors[0]
        assert "Traceback" not in result.stderr
        assert "\x1b" not in result.stderr
    checked = run("validate", str(target))
    assert checked.code == 3
    assert "\x1b" not in checked.stdout + checked.stderr
    where = f"{target}:{line}:" if line else f"{target}: "
    found = [x for x in checked.stdout.splitlines() if f" {code.value} " in x]
    assert found, checked.stdout
    assert found[0].startswith(where), found[0]
    return found[0]


# --- tags that would build objects or run code ----------------------------------------


PAYLOADS = [
    ('remedies: !!python/object/apply:os.system ["touch PWNED"]\n', 1),
    ('remedies:\n  - !!python/object/apply:os.system ["touch PWNED"]\n', 2),
    ("remedies:\n  - !!python/object/new:os.system [[touch PWNED]]\n", 2),
    ('!!python/object/apply:builtins.open ["PWNED", "w"]\n', 1),
    ("remedies:\n  - !!python/object:builtins.open {file: PWNED, mode: w}\n", 2),
    ("remedies: !!python/name:os.system\n", 1),
    ("remedies: !!python/module:os\n", 1),
    (
        "%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n"
        'remedies: !p!os.system ["touch PWNED"]\n',
        3,
    ),
]


@pytest.mark.parametrize(("payload", "line"), PAYLOADS)
def test_a_code_tag_writes_nothing_and_is_refused(
    run: RunFn, tmp_path: Path, cwd: Path, parser: str, payload: str, line: int
) -> None:
    target = layer_with(tmp_path, payload)
    message = refused(run, target, Code.UNSAFE_TAG, line)
    assert "is not allowed" in message
    assert not (cwd / "PWNED").exists()
    assert list(cwd.iterdir()) == []


def test_the_payload_is_live_under_an_unsafe_loader(cwd: Path) -> None:
    # The control experiment: the same kind of document, loaded unsafely, does
    # write a file. The tests above prove backcare's loader does not.
    yaml.load('!!python/object/apply:builtins.open ["PWNED", "w"]\n', Loader=yaml.UnsafeLoader)
    assert (cwd / "PWNED").exists()


# --- alias bombs and deep nesting --------------------------------------------------------


def _laughs(level: int) -> str:
    name = chr(ord("a") + level)
    items = ['"lol"'] * 9 if level == 0 else ["*" + chr(ord("a") + level - 1)] * 9
    return f"{name}: &{name} [{','.join(items)}]\n"


# Nine levels of nine: a billion "lol"s if the aliases were expanded.
BILLION_LAUGHS = "".join(_laughs(n) for n in range(9)) + "remedies: *i\n"


def test_a_billion_laughs_alias_bomb_is_refused(run: RunFn, tmp_path: Path, parser: str) -> None:
    target = layer_with(tmp_path, BILLION_LAUGHS)
    message = refused(run, target, Code.ALIAS, 1)
    assert "anchors" in message


def test_a_huge_flat_alias_bomb_stops_early(tmp_path: Path, parser: str) -> None:
    text = "a: &a [x]\nb: [" + "*a, " * 500_000 + "*a]\n"
    node, found = yamlsafe.read_text(text, "bomb.yaml")
    assert node is None
    assert {f.code for f in found} == {Code.ALIAS}
    assert len(found) == 101  # stopped after the per-file limit, not after a million


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "x" + "}" * 10_000,
        "- " * 2_000 + "x\n",
        "".join(" " * n + f"k{n}:\n" for n in range(2_000)) + " " * 2_000 + "end\n",
    ],
    ids=["lists", "flow-mappings", "block-lists", "block-mappings"],
)
def test_very_deep_nesting_is_refused(run: RunFn, tmp_path: Path, parser: str, text: str) -> None:
    target = layer_with(tmp_path, "remedies: " + text if text[0] in "[{" else text)
    node, found = yamlsafe.read_file(target)
    assert node is None
    assert [f.code for f in found] in ([Code.SHAPE], [Code.YAML_SYNTAX])
    assert found[0].line >= 1
    result = run("--content", str(target.parent), "list")
    assert (result.code, result.stdout) == (3, "")


def test_a_file_of_too_many_values_is_refused(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, "causes: [" + "x," * (yamlsafe.MAX_VALUES + 10) + "x]\n")
    message = refused(run, target, Code.TOO_LARGE, 1)
    assert f"more than {yamlsafe.MAX_VALUES:,} values" in message


# --- files that are not what they should be ------------------------------------------------


def test_a_file_over_the_size_limit(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD + "#" * yamlsafe.MAX_FILE_BYTES + "\n")
    message = refused(run, target, Code.TOO_LARGE)
    assert f"at most {yamlsafe.MAX_FILE_BYTES // (1024 * 1024)} MiB" in message
    assert f"{target.stat().st_size:,} bytes" in message


def test_bytes_that_are_not_utf8(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD.encode().replace(b"Knee hug", b"Kn\xff\xfe hug"))
    message = refused(run, target, Code.NOT_UTF8, 3)
    assert "byte 0xff" in message


def test_utf16_is_not_utf8(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD.encode("utf-16"))
    refused(run, target, Code.NOT_UTF8, 1)


def test_an_empty_file(run: RunFn, tmp_path: Path) -> None:
    message = refused(run, layer_with(tmp_path, ""), Code.EMPTY_FILE)
    assert message.endswith("is empty")


def test_a_folder_where_a_file_is_expected(run: RunFn, tmp_path: Path) -> None:
    layer_with(tmp_path, GOOD, name="good.yaml")
    folder = tmp_path / "layer" / "x.yaml"
    folder.mkdir()
    message = refused(run, folder, Code.UNREADABLE)
    assert "is a folder" in message


def test_a_file_that_cannot_be_read(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD)
    target.chmod(0)
    try:
        if os.access(target, os.R_OK):
            pytest.skip("this user can read any file (root)")
        message = refused(run, target, Code.UNREADABLE)
        assert "cannot be read" in message
    finally:
        target.chmod(0o644)


def test_a_layer_folder_that_cannot_be_read(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD)
    sub = target.parent / "sub"
    sub.mkdir()
    sub.chmod(0)
    try:
        if os.access(sub, os.R_OK):
            pytest.skip("this user can read any folder (root)")
        result = run("--content", str(target.parent), "list")
        assert (result.code, result.stdout) == (3, "")
        assert f"{sub}: BC013 folder cannot be read" in result.stderr
    finally:
        sub.chmod(0o755)


def test_a_layer_folder_that_does_not_exist(run: RunFn, tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    result = run("--content", str(missing), "list")
    assert (result.code, result.stdout) == (2, "")
    assert f"the --content folder '{missing}' does not exist" in result.stderr


def test_a_named_pipe_does_not_block(run: RunFn, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    (tmp_path / "layer").mkdir()
    pipe = tmp_path / "layer" / "pipe.yaml"
    os.mkfifo(pipe)
    message = refused(run, pipe, Code.UNREADABLE)
    assert "not a regular file" in message


# --- escape sequences and markup -------------------------------------------------------------


ESCAPES = [r'"\e[31mred"', r'"\x1b]0;title\x07"', r'"\u009b2J"', r'"x\r\e[2K"', r'"\0"']
FIELDS = [
    ("name", 3),
    ("summary", 5),
    ("description", 6),
]


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize(("field", "line"), FIELDS)
def test_escape_sequences_in_text_never_reach_the_terminal(
    run: RunFn, tmp_path: Path, escape: str, field: str, line: int
) -> None:
    lines = GOOD.splitlines()
    lines[line - 1] = f"    {field}: {escape}"
    target = layer_with(tmp_path, "\n".join(lines) + "\n")
    message = refused(run, target, Code.CONTROL_CHARACTER, line)
    assert "control character" in message
    for color in ("never", "always"):
        result = run("--color", color, "--content", str(target.parent), "show", "knee-hug")
        assert "]0;title" not in result.stdout + result.stderr
        assert "\x07" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "text",
    [
        GOOD.replace("      - Lie on your back with both knees bent.", '      - "\\e[5mLie"'),
        GOOD.replace("[posture]", '["\\e[1mposture"]'),
        GOOD + '    keywords: ["\\x1b]8;;http://evil\\x1b\\\\"]\n',
        GOOD.replace("knee-hug", '"\\e[2J"'),
        'causes:\n  - slug: c\n    name: C\n    description: "\\e[8m"\n',
        'sources:\n  - {id: s, title: "\\e[31m", publisher: P, kind: article}\n',
    ],
    ids=["step", "link", "keyword", "slug", "cause", "source"],
)
def test_escape_sequences_in_any_field_are_refused(run: RunFn, tmp_path: Path, text: str) -> None:
    target = layer_with(tmp_path, text)
    result = run("--content", str(target.parent), "list")
    assert (result.code, result.stdout) == (3, "")
    assert "BC019" in result.stderr
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_characters_yaml_does_not_allow(
    run: RunFn, tmp_path: Path, parser: str, character: str
) -> None:
    target = layer_with(tmp_path, GOOD.replace("Knee hug", f"Knee {character}hug"))
    message = refused(run, target, Code.YAML_SYNTAX, 3)
    assert f"character 0x{ord(character):04x} is not allowed" in message


def test_a_raw_escape_in_the_file(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD.replace("Knee hug", "Knee \x1b[31mhug"))
    refused(run, target, Code.CONTROL_CHARACTER, 3)


def test_a_bidirectional_override_in_the_file(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD.replace("Knee hug", "Knee \u202ehug"))
    refused(run, target, Code.CONTROL_CHARACTER, 3)


def test_a_file_name_with_an_escape_sequence_is_shown_defanged(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, "causes: [", name="\x1b]0;pwned\x07.yaml")
    for command in (("list",), ("show", "ice-packs"), ("validate", str(target.parent))):
        result = run("--content", str(target.parent), *command)
        assert result.code == 3
        assert "\x1b" not in result.stdout + result.stderr
        assert "\x07" not in result.stdout + result.stderr
        assert "0;pwned" in result.stdout + result.stderr


def test_a_key_with_an_escape_sequence_is_refused(run: RunFn, tmp_path: Path) -> None:
    target = layer_with(tmp_path, GOOD.replace("    summary:", '    "\\e[31mx": 1\n    summary:'))
    refused(run, target, Code.CONTROL_CHARACTER, 5)


@pytest.mark.parametrize("color", ["never", "always"])
def test_rich_markup_in_content_is_shown_literally(run: RunFn, tmp_path: Path, color: str) -> None:
    text = GOOD.replace("Knee hug stretch", '"[bold red]Loud[/] hug"').replace(
        "Lie on your back", "Lie [link=http://x]here[/link] on your back"
    )
    target = layer_with(tmp_path, text)
    shown = run("--color", color, "--content", str(target.parent), "show", "knee-hug")
    assert shown.code == 0, shown.stderr
    assert "[bold red]Loud[/] hug" in shown.stdout
    assert "[link=http://x]here[/link]" in shown.stdout
    listed = run("--color", color, "--content", str(target.parent), "list")
    assert "[bold red]Loud[/] hug" in listed.stdout


# --- arguments are input too --------------------------------------------------------------


ARGUMENTS = [
    "",
    " ",
    "a" * 100_000,
    "\x1b[31mred",
    "\x1b]0;title\x07",
    "\x9b2J",
    "ice\rpacks",
    "\u202eskcap-eci",
    "ثلج",
    "קרח",
    "🧊🔥",
    "ice-packs\u200b",
    "\t\n",
    "%s%n{0}",
    "../../etc/passwd",
    "[bold]ice[/]",
    "ICE PACKS",
]


@pytest.mark.parametrize("argument", ARGUMENTS, ids=range(len(ARGUMENTS)))
@pytest.mark.parametrize("option", ["show", "search", "--cause", "--symptom"])
def test_any_argument_gets_an_answer_or_a_clear_error(
    run: RunFn, option: str, argument: str
) -> None:
    args = ["suggest", option, argument] if option.startswith("--") else [option, argument]
    result = run(*args)  # the fixture fails the test on any exception but SystemExit
    assert result.code in (0, 1, 2), (result.code, result.stderr[:300])
    assert "Traceback" not in result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream
        assert "\x9b" not in stream
        assert "\x07" not in stream
    if result.code:
        assert result.stdout == ""
        assert result.stderr.startswith("backcare: error: ")
        assert len(result.stderr.splitlines()[0]) < 2_000


def test_arguments_that_are_not_utf8_in_a_real_process(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("byte arguments are a POSIX matter")
    env = {**os.environ, "BACKCARE_CACHE_DIR": str(tmp_path)}
    for args in ([b"show", b"\xff\xfe"], [b"search", b"caf\xe9"], [b"--content", b"\xff", b"list"]):
        result = subprocess.run(
            [os.fsencode(sys.executable), b"-m", b"backcare", *args],
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert result.returncode in (1, 2, 3), result.stderr
        assert b"Traceback" not in result.stderr
        assert result.stderr.startswith(b"backcare: error: ")


# --- layers that try to weaken the warning signs --------------------------------------------

WEAKENED = (
    RELEVELLED
    + """\
levels:
  - level: emergency
    heading: Relax, have a cup of tea
    meanwhile: [Have a long hot bath.]
    sources: [nhs-back-pain]
"""
)


@pytest.mark.parametrize("how", ["--content", "BACKCARE_CONTENT", "user"])
def test_a_layer_cannot_weaken_a_builtin_warning_sign(run: RunFn, tmp_path: Path, how: str) -> None:
    if how == "user":
        folder = paths.user_data_dir(os.environ)
        folder.mkdir(parents=True)
        (folder / "flags.yaml").write_text(WEAKENED, encoding="utf-8")
    else:
        folder = layer_with(tmp_path, WEAKENED).parent
    args: tuple[str, ...] = ("--content", str(folder)) if how == "--content" else ()
    env = {"BACKCARE_CONTENT": str(folder)} if how == "BACKCARE_CONTENT" else None

    listed = run(*args, "list", env=env)
    assert listed.code == 3
    assert "BC023" in listed.stderr
    checked = run(*args, "validate", str(folder), env=env)
    assert checked.code == 3
    codes = [line.split(": ")[1][:5] for line in checked.stdout.splitlines() if ": BC" in line]
    assert codes == ["BC023", "BC023", "BC024"]
    screened = run(*args, "check", "--yes", "saddle-numbness", env=env)
    assert screened.code == 12
    assert "999" in screened.stdout
    assert "tea" not in screened.stdout
    assert "bath" not in screened.stdout.lower()
