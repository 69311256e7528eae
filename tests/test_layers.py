"""Content layers: built-in, the user's data folder, BACKCARE_CONTENT and --content.

Later layers add entries and replace same-slug entries of earlier ones; a
user's entry may link to built-in causes, symptoms and sources, and a layer
may add its own.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from backcare import content, paths
from backcare.findings import Code
from tests.conftest import RunFn

MY_REMEDY = """\
# My physiotherapist's stretch.
remedies:
  - slug: knee-hug
    name: Knee hug stretch
    category: at-home
    summary: Hug one knee to your chest to ease a stiff lower back.
    description: Lying on your back, pull one knee gently towards your chest and hold it.
    steps:
      - Lie on your back with both knees bent.
      - Pull one knee towards your chest and hold it for 20 seconds.
    causes: [posture]
    symptoms: [stiffness]
    sources: [nhs-back-pain]
"""


def remedy(slug: str, name: str, causes: str = "[posture]") -> str:
    return (
        MY_REMEDY.replace("knee-hug", slug)
        .replace("Knee hug stretch", name)
        .replace("[posture]", causes)
    )


def user_folder() -> Path:
    folder = paths.user_data_dir(os.environ)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def json_of(run: RunFn, *args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def names(run: RunFn, *args: str) -> dict[str, tuple[str, str]]:
    """slug -> (name, origin) from ``list --json``."""
    remedies = json_of(run, *args, "list")["remedies"]
    assert isinstance(remedies, list)
    return {r["slug"]: (r["name"], r["origin"]) for r in remedies}


# --- the user's data folder ------------------------------------------------------------


def test_a_remedy_dropped_into_the_data_folder_shows_everywhere(run: RunFn) -> None:
    (user_folder() / "knee-hug.yaml").write_text(MY_REMEDY, encoding="utf-8")

    listed = run("list")
    assert listed.code == 0
    assert any(line.startswith("knee-hug\tKnee hug stretch") for line in listed.stdout.splitlines())

    shown = run("show", "knee-hug")
    assert shown.code == 0
    assert "Knee hug stretch" in shown.stdout
    assert f"Layer: user ({user_folder()})" in shown.stdout
    assert json_of(run, "show", "knee-hug")["remedy"]["origin"] == f"user ({user_folder()})"

    suggested = run("suggest", "--cause", "posture", "--symptom", "stiffness")
    assert suggested.code == 0
    assert "knee-hug" in suggested.stdout

    assert "knee-hug" in run("search", "knee", "hug").stdout


def test_the_data_folder_is_found_without_configuration(
    run: RunFn, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("the XDG fallback is the Linux and BSD convention")
    monkeypatch.delenv("XDG_DATA_HOME")
    folder = isolated / ".local" / "share" / "backcare"
    assert paths.user_data_dir(os.environ) == folder
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(MY_REMEDY, encoding="utf-8")
    assert names(run)["knee-hug"] == ("Knee hug stretch", f"user ({folder})")


def test_a_relative_xdg_data_home_is_ignored(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG applies on Linux and BSD")
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert paths.user_data_dir(os.environ) == isolated / ".local" / "share" / "backcare"


def test_files_in_subfolders_count_and_hidden_ones_do_not(run: RunFn) -> None:
    sub = user_folder() / "stretches"
    sub.mkdir()
    (sub / "knee-hug.yml").write_text(MY_REMEDY, encoding="utf-8")
    (user_folder() / ".draft.yaml").write_text("not: [valid", encoding="utf-8")
    hidden = user_folder() / ".git"
    hidden.mkdir()
    (hidden / "broken.yaml").write_text("not: [valid", encoding="utf-8")
    (user_folder() / "notes.txt").write_text("not YAML at all: [", encoding="utf-8")
    assert "knee-hug" in names(run)


def test_a_missing_data_folder_is_fine(run: RunFn) -> None:
    assert not paths.user_data_dir(os.environ).exists()
    assert run("list").code == 0


def test_a_file_added_after_a_first_run_is_seen(run: RunFn) -> None:
    assert "knee-hug" not in names(run)
    (user_folder() / "knee-hug.yaml").write_text(MY_REMEDY, encoding="utf-8")
    assert "knee-hug" in names(run)
    (user_folder() / "knee-hug.yaml").write_text(remedy("knee-hug", "Renamed"), encoding="utf-8")
    os.utime(user_folder() / "knee-hug.yaml", ns=(1, 1))  # a different mtime, whatever the clock
    assert names(run)["knee-hug"][0] == "Renamed"


# --- replacing and adding ---------------------------------------------------------------


def test_a_user_entry_replaces_the_builtin_one_with_the_same_slug(run: RunFn) -> None:
    before = names(run)
    (user_folder() / "ice.yaml").write_text(remedy("ice-packs", "My ice packs"), encoding="utf-8")
    after = names(run)
    assert after["ice-packs"] == ("My ice packs", f"user ({user_folder()})")
    assert set(after) == set(before)  # replaced, not added
    assert f"Layer: user ({user_folder()})" in run("show", "ice-packs").stdout


def test_later_layers_win_in_order(run: RunFn, tmp_path: Path) -> None:
    folders = {}
    for label in ("env-a", "env-b", "cli-a", "cli-b"):
        folders[label] = tmp_path / label
        folders[label].mkdir()
        (folders[label] / "r.yaml").write_text(remedy("ice-packs", label), encoding="utf-8")
    (user_folder() / "r.yaml").write_text(remedy("ice-packs", "user"), encoding="utf-8")
    env = {"BACKCARE_CONTENT": os.pathsep.join(str(folders[k]) for k in ("env-a", "env-b"))}

    def winner(*args: str) -> tuple[str, str]:
        result = run(*args, "list", "--json", env=env)
        assert result.code == 0, result.stderr
        found = {r["slug"]: r for r in json.loads(result.stdout)["remedies"]}
        return found["ice-packs"]["name"], found["ice-packs"]["origin"]

    assert winner() == ("env-b", f"BACKCARE_CONTENT ({folders['env-b']})")
    assert winner("--content", str(folders["cli-a"])) == (
        "cli-a",
        f"--content ({folders['cli-a']})",
    )
    both = ("--content", str(folders["cli-a"]), "--content", str(folders["cli-b"]))
    assert winner(*both) == ("cli-b", f"--content ({folders['cli-b']})")


def test_a_layer_may_add_its_own_causes_symptoms_and_sources(run: RunFn, tmp_path: Path) -> None:
    layer = tmp_path / "clinic"
    layer.mkdir()
    (layer / "vocabulary.yaml").write_text(
        "causes:\n"
        "  - slug: gardening\n"
        "    name: Long spells of gardening\n"
        "    description: Bending over beds for hours loads the lower back.\n"
        "symptoms:\n"
        "  - slug: morning-stiffness\n"
        "    name: Stiff in the morning\n"
        "    description: The back is stiff for the first hour of the day.\n"
        "sources:\n"
        "  - id: clinic-leaflet\n"
        "    title: Back care leaflet\n"
        "    publisher: Our clinic\n"
        "    kind: website\n"
        "    url: https://example.org/leaflet\n",
        encoding="utf-8",
    )
    (layer / "remedy.yaml").write_text(
        remedy("garden-breaks", "Garden breaks", "[gardening, posture]")
        .replace("[stiffness]", "[morning-stiffness, stiffness]")
        .replace("[nhs-back-pain]", "[clinic-leaflet, nhs-back-pain]"),
        encoding="utf-8",
    )
    result = run("--content", str(layer), "suggest", "--cause", "gardening")
    assert result.code == 0, result.stderr
    assert "garden-breaks" in result.stdout
    causes = json_of(run, "--content", str(layer), "causes")["causes"]
    assert "gardening" in {c["slug"] for c in causes}
    assert run("--content", str(layer), "validate", str(layer)).code == 0


def test_a_link_to_an_entry_of_no_layer_is_an_error(run: RunFn, tmp_path: Path) -> None:
    (user_folder() / "r.yaml").write_text(remedy("x", "X", "[gardening]"), encoding="utf-8")
    result = run("list")
    assert result.code == 3
    assert result.stdout == ""
    assert "BC009 unknown cause 'gardening'" in result.stderr
    assert f"{user_folder() / 'r.yaml'}:11:14:" in result.stderr


def test_a_single_file_can_be_a_layer(run: RunFn, tmp_path: Path) -> None:
    single = tmp_path / "one.yaml"
    single.write_text(MY_REMEDY, encoding="utf-8")
    found = names(run, "--content", str(single))["knee-hug"]
    assert found == ("Knee hug stretch", f"--content ({single})")


# --- paths -------------------------------------------------------------------------------


def test_paths_lists_the_layers_in_order_with_existence(run: RunFn, tmp_path: Path) -> None:
    env_a, missing, cli = tmp_path / "env-a", tmp_path / "missing", tmp_path / "cli"
    env_a.mkdir()
    cli.mkdir()
    env = {"BACKCARE_CONTENT": os.pathsep.join([str(env_a), "", str(missing)])}
    result = run("--content", str(cli), "paths", env=env)
    assert result.code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines() if "\t" in line]
    assert rows == [
        ["1", "built-in", str(paths.builtin_content_dir()), "exists"],
        ["2", "user", str(paths.user_data_dir(os.environ)), "missing"],
        ["3", "BACKCARE_CONTENT", str(env_a), "exists"],
        ["4", "BACKCARE_CONTENT", str(missing), "missing"],
        ["5", "--content", str(cli), "exists"],
    ]
    layers = json.loads(run("--content", str(cli), "paths", "--json", env=env).stdout)["layers"]
    assert [(x["order"], x["label"], x["exists"]) for x in layers] == [
        (1, "built-in", True),
        (2, "user", False),
        (3, "BACKCARE_CONTENT", True),
        (4, "BACKCARE_CONTENT", False),
        (5, "--content", True),
    ]


# --- broken layers -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["--content", "BACKCARE_CONTENT"])
@pytest.mark.parametrize("command", [("list",), ("show", "ice-packs"), ("suggest",)])
def test_a_missing_layer_folder_is_a_one_line_error(
    run: RunFn, tmp_path: Path, how: str, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "not-there"
    if how == "--content":
        result = run("--content", str(missing), *command)
    else:
        result = run(*command, env={"BACKCARE_CONTENT": str(missing)})
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("backcare: error")]
    if how == "--content":  # a folder named on the command line: a usage error naming it
        assert result.code == 2
        assert errors == [f"backcare: error: the --content folder '{missing}' does not exist"]
    else:
        assert result.code == 3
        assert errors == [f"backcare: error: {missing}: BC021 does not exist"]
    assert "Traceback" not in result.stderr


def test_broken_user_content_names_the_file_and_line(run: RunFn) -> None:
    (user_folder() / "r.yaml").write_text(MY_REMEDY.replace("at-home", "at-hom"), "utf-8")
    (user_folder() / "s.yaml").write_text("causes: [", "utf-8")
    result = run("list")
    assert result.code == 3
    assert result.stdout == ""
    assert f"backcare: error: {user_folder() / 'r.yaml'}:5:15: BC012" in result.stderr
    hint = f"1 more problem; run 'backcare validate {user_folder() / 'r.yaml'}"
    assert f"{hint} {user_folder() / 's.yaml'}' to see all" in result.stderr


def test_the_hint_names_the_broken_file(run: RunFn) -> None:
    target = user_folder() / "r.yaml"
    target.write_text(MY_REMEDY.replace("at-home", "at-hom").replace("[posture]", "[x]"), "utf-8")
    result = run("list")
    assert result.code == 3
    assert f"1 more problem; run 'backcare validate {target}' to see all" in result.stderr
    shown = run("validate", str(target))
    assert [line.split(": ")[1][:5] for line in shown.stdout.splitlines()[:2]] == [
        "BC012",
        "BC009",
    ]


def test_a_single_problem_still_gets_a_hint(run: RunFn) -> None:
    target = user_folder() / "r.yaml"
    target.write_text(MY_REMEDY.replace("at-home", "at-hom"), "utf-8")
    result = run("list")
    assert result.code == 3
    assert f"backcare: error: {target}:5:15: BC012" in result.stderr
    assert f"run 'backcare validate {target}' to check it again" in result.stderr
    assert "more problem" not in result.stderr


def test_the_hint_quotes_a_path_with_spaces(run: RunFn, tmp_path: Path) -> None:
    folder = tmp_path / "my content"
    folder.mkdir()
    target = folder / "r.yaml"
    target.write_text(MY_REMEDY.replace("at-home", "at-hom").replace("[posture]", "[x]"), "utf-8")
    result = run("--content", str(folder), "list")
    assert f"run 'backcare validate \"{target}\"' to see all" in result.stderr


def test_the_hint_names_the_shared_folder_of_many_files(run: RunFn) -> None:
    sub = user_folder() / "mine"
    sub.mkdir()
    for n in range(5):
        (sub / f"r{n}.yaml").write_text("causes: [", "utf-8")
    result = run("list")
    assert f"4 more problems; run 'backcare validate {sub}' to see all" in result.stderr


def test_a_protected_warning_sign_in_the_data_folder_is_refused(run: RunFn) -> None:
    (user_folder() / "flags.yaml").write_text(
        "red_flags:\n"
        "  - id: saddle-numbness\n"
        "    level: soon\n"
        "    name: Numbness around the groin\n"
        "    question: Do you have numbness around your genitals, buttocks or back passage?\n"
        "    action: Nothing to worry about; have a cup of tea.\n"
        "    sources: [nhs-back-pain]\n",
        "utf-8",
    )
    listed = run("list")
    assert listed.code == 3
    assert listed.stdout == ""
    assert f"{user_folder() / 'flags.yaml'}:2:5: BC023" in listed.stderr
    checked = run("validate")
    assert checked.code == 3
    assert "BC023 red flag 'saddle-numbness'" in checked.stdout
    found = content.load(paths.content_layers(os.environ))
    flag = found.catalog.red_flag_by_id["saddle-numbness"]
    assert (flag.level.value, flag.origin) == ("emergency", "built-in")


def test_a_symlink_loop_in_a_layer_does_not_trap_the_walk(run: RunFn) -> None:
    folder = user_folder()
    (folder / "r.yaml").write_text(MY_REMEDY, encoding="utf-8")
    try:
        (folder / "loop").symlink_to(folder, target_is_directory=True)
        (folder / "a.yaml").symlink_to(folder / "b.yaml")
        (folder / "b.yaml").symlink_to(folder / "a.yaml")
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    found = content.validate(paths.content_layers(os.environ))
    assert {(Path(f.path).name, f.code) for f in found} == {
        ("a.yaml", Code.UNREADABLE),
        ("b.yaml", Code.UNREADABLE),
    }
    assert all("cannot be read" in f.message for f in found)


def test_folders_nested_too_deep_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "MAX_FOLDER_DEPTH", 3)
    deep = user_folder() / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "r.yaml").write_text(MY_REMEDY, encoding="utf-8")
    found = content.validate(paths.content_layers(os.environ))
    assert [(f.path, f.code) for f in found] == [(str(deep), Code.TOO_LARGE)]
    assert "deeper than 3 levels" in found[0].message


def test_a_deep_folder_tree_is_cut_at_the_default_limit(tmp_path: Path) -> None:
    folder = tmp_path / "deep"
    current = folder
    for _ in range(60):
        current = current / ("d" * 60)
    try:
        current.mkdir(parents=True)
    except OSError:
        pytest.skip("paths this long are not supported here")
    scan = paths.scan_layer(folder)
    assert scan.files == []
    assert [f.code for f in scan.findings] == [Code.TOO_LARGE]


# --- paths the system cannot look at -----------------------------------------------------


def too_long(tmp_path: Path) -> Path:
    """A folder whose name is longer than any file system allows (255 bytes)."""
    return tmp_path / ("x" * 300)


@pytest.mark.parametrize("how", ["--content", "BACKCARE_CONTENT"])
def test_a_layer_name_too_long_for_the_system_is_a_finding(
    run: RunFn, tmp_path: Path, how: str
) -> None:
    folder = too_long(tmp_path)
    if how == "--content":
        result = run("--content", str(folder), "list")
    else:
        result = run("list", env={"BACKCARE_CONTENT": str(folder)})
    assert result.code == 3
    assert result.stdout == ""
    assert f"backcare: error: {folder}: BC013 cannot be read: " in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_and_paths_take_a_name_too_long_for_the_system(run: RunFn, tmp_path: Path) -> None:
    folder = too_long(tmp_path)
    assert not paths.exists(folder)
    assert paths.unreadable_reason(folder)
    assert paths.scan_layer(folder).files == [folder]  # reading it says why
    checked = run("validate", "--json", str(folder))
    assert checked.code == 3
    assert [(f["path"], f["code"]) for f in json.loads(checked.stdout)["findings"]] == [
        (str(folder), "BC013")
    ]
    listed = run("--content", str(folder), "paths")
    assert listed.code == 0
    assert f"--content\t{folder}\tcannot be read: File name too long (BC013)" in listed.stdout


def test_a_user_folder_name_too_long_for_the_system_is_ignored_like_a_missing_one(
    run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(too_long(tmp_path)))
    monkeypatch.setenv("APPDATA", str(too_long(tmp_path)))
    assert run("list").code == 0
    user = paths.user_data_dir(os.environ)
    assert only_codes(content.validate(paths.content_layers(os.environ), [user])) == [
        Code.UNREADABLE
    ]


def test_a_layer_that_cannot_be_looked_at_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    real_stat = os.stat

    def refuse(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", refuse)
    layers = paths.content_layers(os.environ, [folder])
    assert layers[-1].exists is False
    found = content.load(layers).findings
    assert [(f.path, f.code, f.message) for f in found] == [
        (str(folder), Code.UNREADABLE, "cannot be read: Permission denied")
    ]


def test_a_layer_below_a_file_does_not_exist(run: RunFn, tmp_path: Path) -> None:
    single = tmp_path / "one.yaml"
    single.write_text(MY_REMEDY, encoding="utf-8")
    result = run("--content", str(single / "below"), "list")
    assert result.code == 2
    assert f"the --content folder '{single / 'below'}' does not exist" in result.stderr


def only_codes(findings: list[Any]) -> list[Code]:
    return [f.code for f in findings]
