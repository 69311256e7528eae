"""Any output encoding: every command ends with its full text and its exit code.

Run as the installed program, with the encoding set the ways people set it:
``PYTHONIOENCODING``, ``LC_ALL=C`` (in a pseudo-terminal, where Python would
otherwise write UTF-8 to an ASCII terminal), and a real ISO-8859-1 locale built
with ``localedef``.
"""

# The point of these tests is characters that look like ASCII ones.
# ruff: noqa: RUF001

from __future__ import annotations

import io
import json
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backcare.fallback import ascii_json, stand_in
from backcare.output import Environment, Output
from tests.conftest import ANSI, BOX, write_layer

BACKCARE = Path(sys.executable).parent / "backcare"
TIMEOUT = 30

# A user remedy whose text holds what an ASCII stream cannot carry.
UNICODE_REMEDY = """\
remedies:
  - slug: warm-compress
    name: Warm compress – “gentle” heat
    category: at-home
    summary: A warm flannel → on the sore spot, at about 40 °C, for a café-style break.
    description: A flannel warmed in water… then wrung out.
    steps: [Warm a flannel • wring it out • lay it on the sore spot.]
    causes: [stress]
    symptoms: [stiffness]
"""

# (arguments, the exit code documented for them, words the output must hold)
COMMANDS = [
    (("check", "--yes", "chest-pain"), 12, ["EMERGENCY", "999", "Chest pain"]),
    (("show", "hot-packs"), 0, ["Hot packs", "999"]),
    (("suggest", "--symptom", "fever"), 11, ["URGENT", "High temperature"]),
    (("search", "chest", "pain"), 12, ["EMERGENCY", "Chest pain", "999"]),
    (("red-flags",), 0, ["EMERGENCY", "URGENT"]),
    (("list",), 0, ["Hot packs"]),
]
ENCODINGS = [
    {"PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "latin-1"},
    {"LC_ALL": "C", "PYTHONUTF8": "0"},
]

pytestmark = pytest.mark.skipif(not BACKCARE.exists(), reason="backcare is not installed")


def backcare(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL")}
    return subprocess.run(
        [str(BACKCARE), *args],
        capture_output=True,
        timeout=TIMEOUT,
        env={**environ, "COLUMNS": "100", **env},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def encoding_of(env: dict[str, str]) -> str:
    return env.get("PYTHONIOENCODING", "ascii")


@pytest.mark.parametrize(
    ("env", "color"),
    [(env, "always") for env in ENCODINGS] + [(ENCODINGS[0], "never")],
    ids=lambda e: " ".join(f"{k}={v}" for k, v in e.items()) if isinstance(e, dict) else e,
)
@pytest.mark.parametrize(("args", "code", "words"), COMMANDS, ids=lambda a: str(a))
def test_every_command_ends_with_its_text_and_exit_code(
    args: tuple[str, ...], code: int, words: list[str], color: str, env: dict[str, str]
) -> None:
    result = backcare("--color", color, *args, env=env)
    stderr = result.stderr.decode("ascii", errors="replace")
    assert "Traceback" not in stderr
    assert "UnicodeEncodeError" not in stderr
    assert result.returncode == code, stderr
    # Strict decoding: every byte is valid in the stream's encoding.
    stdout = " ".join(ANSI.sub("", result.stdout.decode(encoding_of(env))).split())
    # Piped plain text keeps the reminder and the disclaimer for the person, on stderr.
    shown = stdout if color == "always" else f"{stdout} {' '.join(stderr.split())}"
    for word in words:
        assert word in shown
    if color == "always":  # Rich layout: the short disclaimer ends stdout
        assert "not medical advice" in stdout
    else:  # plain, piped: stdout is data; the disclaimer is on stderr
        assert "not a substitute for professional medical advice" in " ".join(stderr.split())
    assert not BOX.search(stdout)  # no box drawing the stream cannot show


@pytest.mark.parametrize("env", ENCODINGS, ids=lambda e: " ".join(f"{k}={v}" for k, v in e.items()))
def test_json_is_written_as_ascii_and_loses_nothing(env: dict[str, str], tmp_path: Path) -> None:
    layer = write_layer(tmp_path / "layer", {"compress.yaml": UNICODE_REMEDY})
    result = backcare("--content", str(layer), "show", "warm-compress", "--json", env=env)
    assert result.returncode == 0, result.stderr.decode("ascii", errors="replace")
    assert result.stdout.isascii()
    document = json.loads(result.stdout)
    assert document["remedy"]["name"] == "Warm compress – “gentle” heat"


@pytest.mark.parametrize("color", ["always", "never"])
def test_characters_an_ascii_stream_lacks_get_readable_stand_ins(
    color: str, tmp_path: Path
) -> None:
    layer = write_layer(tmp_path / "layer", {"compress.yaml": UNICODE_REMEDY})
    env = {"PYTHONIOENCODING": "ascii"}
    result = backcare("--color", color, "--content", str(layer), "show", "warm-compress", env=env)
    assert result.returncode == 0, result.stderr
    text = " ".join(ANSI.sub("", result.stdout.decode("ascii")).split())
    assert 'Warm compress - "gentle" heat' in text
    assert "A warm flannel -> on the sore spot, at about 40 degC, for a cafe-style" in text
    assert "warmed in water... then" in text
    assert "?" not in text.split("Emergency?")[0]


def test_a_latin_1_stream_keeps_the_characters_it_has(tmp_path: Path) -> None:
    layer = write_layer(tmp_path / "layer", {"compress.yaml": UNICODE_REMEDY})
    env = {"PYTHONIOENCODING": "latin-1"}
    result = backcare("--content", str(layer), "show", "warm-compress", env=env)
    text = result.stdout.decode("latin-1")
    assert "café-style" in text
    assert "40 °C" in text
    assert '"gentle"' in text


def test_undecodable_arguments_are_echoed_without_a_crash() -> None:
    result = backcare("search", "caf\udce9", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"nothing matches 'caf" in result.stderr


# --- in a pseudo-terminal ---------------------------------------------------------------------


def in_terminal(*args: str, env: dict[str, str]) -> tuple[int, bytes]:
    """Run backcare with stdout and stderr on a pseudo-terminal; its exit code and output."""
    import pty

    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    try:
        process = subprocess.Popen(
            [str(BACKCARE), *args],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            env={**environ, "COLUMNS": "80", "TERM": "xterm", **env},
        )
        os.close(follower)
        output = b""
        while True:
            ready, _, _ = select.select([leader], [], [], TIMEOUT)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the program has ended
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=TIMEOUT)
    finally:
        os.close(leader)
    return code, output


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("args", "code", "words"), COMMANDS[:4], ids=lambda a: str(a))
def test_a_c_locale_terminal_gets_ascii_not_mojibake(
    args: tuple[str, ...], code: int, words: list[str]
) -> None:
    status, output = in_terminal(*args, env={"LC_ALL": "C"})
    assert status == code, output
    assert output.isascii(), output  # no UTF-8 box drawing on an ASCII terminal
    text = output.decode("ascii")
    assert "Traceback" not in text
    for word in words:
        assert word in text
    assert "+--" in text or "|" in text or args[0] == "red-flags"  # boxes drawn in ASCII


@pytest.fixture(scope="module")
def latin_1_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A real ISO-8859-1 locale, built with localedef into a private folder."""
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("localedef is not installed")
    folder = tmp_path_factory.mktemp("locales")
    built = subprocess.run(
        [localedef, "-i", "en_GB", "-f", "ISO-8859-1", str(folder / "en_GB.ISO-8859-1")],
        capture_output=True,
        check=False,
    )
    if not (folder / "en_GB.ISO-8859-1").exists():
        pytest.skip(f"cannot build an ISO-8859-1 locale: {built.stderr.decode(errors='replace')}")
    return {"LOCPATH": str(folder), "LC_ALL": "en_GB.ISO-8859-1"}


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("args", "code", "words"), COMMANDS, ids=lambda a: str(a))
def test_a_latin_1_terminal_gets_every_command_in_full(
    args: tuple[str, ...], code: int, words: list[str], latin_1_locale: dict[str, str]
) -> None:
    status, output = in_terminal(*args, env=latin_1_locale)
    text = output.decode("latin-1")
    assert status == code, text
    assert "Traceback" not in text
    assert "\xe2\x94" not in text  # no UTF-8 box drawing read as Latin-1
    for word in words:
        assert word in text


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
def test_a_latin_1_terminal_shows_accents_as_latin_1(
    latin_1_locale: dict[str, str], tmp_path: Path
) -> None:
    layer = write_layer(tmp_path / "layer", {"compress.yaml": UNICODE_REMEDY})
    args = ("--content", str(layer), "show", "warm-compress")
    status, output = in_terminal(*args, env=latin_1_locale)
    assert status == 0
    assert "café-style".encode("latin-1") in output
    assert b"->" in output


# --- the fallback itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "ascii"),
    [
        *[("•", "*"), ("–", "-"), ("—", "--"), ("“", '"'), ("’", "'"), ("→", "->")],
        *[("…", "..."), ("°", " deg"), ("é", "e"), ("ﬁ", "fi"), ("─", "-"), ("│", "|")],
        *[("┏", "+"), ("\ufffd", "?")],
    ],
)
def test_stand_ins_read_like_the_character(char: str, ascii: str) -> None:
    assert stand_in(char, "ascii") == ascii


def test_a_stand_in_is_something_the_encoding_carries() -> None:
    assert stand_in("•", "latin-1") == "*"
    assert stand_in("\u4e2d", "ascii") == "?"  # no readable form: one mark, not a crash


def test_ascii_json_is_lossless() -> None:
    text = json.dumps({"a": "é – 😀"}, ensure_ascii=False)
    assert json.loads(ascii_json(text)) == {"a": "é – 😀"}
    assert ascii_json(text).isascii()


def test_an_ascii_stream_in_process_gets_stand_ins_and_ascii_boxes() -> None:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="ascii", write_through=True)
    env = Environment(stdout, io.StringIO(), io.StringIO(), {"COLUMNS": "60"})
    env.fit_encodings()
    out = Output(env)
    from rich.panel import Panel

    out.rich = True
    out.console().print(Panel("• a bullet – and a dash"))
    text = raw.getvalue().decode("ascii")
    assert "* a bullet - and a dash" in text
    assert "+---" in text
