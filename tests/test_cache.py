"""The parsed-content cache: used when nothing changed, never trusted over the files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from backcare import cache, content, paths
from backcare.errors import ContentError
from backcare.models import Layer
from tests.conftest import RunFn, builtin_catalog, write_content_file

REMEDY = """\
remedies:
  - slug: knee-hug
    name: Knee hug stretch
    category: at-home
    summary: Hug one knee to your chest.
    description: Pull one knee gently towards your chest and hold it.
    steps: [Lie on your back with both knees bent.]
    causes: [posture]
    symptoms: [stiffness]
"""


def layers(*extra: Path) -> list[Layer]:
    return paths.content_layers(os.environ, [str(p) for p in extra])


def cache_files() -> list[Path]:
    return sorted(paths.user_cache_dir(os.environ).glob("catalog-*.json"))


def test_a_warm_load_equals_a_fresh_parse_and_writes_one_file() -> None:
    first = cache.load_catalog_cached(layers(), os.environ)
    assert len(cache_files()) == 1
    second = cache.load_catalog_cached(layers(), os.environ)
    fresh = content.load_catalog(layers())
    assert second.remedies == fresh.remedies == first.remedies
    assert second.red_flags == fresh.red_flags
    assert second.levels == fresh.levels
    assert second.sources == fresh.sources


def test_a_warm_load_keeps_regions_recovery_and_evidence_grading() -> None:
    cache.load_catalog_cached(layers(), os.environ)
    warm = cache.load_catalog_cached(layers(), os.environ)
    fresh = content.load_catalog(layers())
    assert warm.regions == fresh.regions
    assert warm.region_by_id["au"].emergency_numbers == ("000",)
    assert warm.recovery == fresh.recovery
    assert warm.review_points == fresh.review_points
    assert [p.after_days for p in warm.review_points] == [14, 28]
    assert warm.scope == fresh.scope
    assert warm.scope
    graded = [e for r in warm.remedies for e in r.evidence if e.strength is not None]
    assert graded
    assert graded == [e for r in fresh.remedies for e in r.evidence if e.strength is not None]


def test_a_warm_load_does_not_parse_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.load_catalog_cached(layers(), os.environ)

    def fail(*args: object) -> None:
        raise AssertionError("parsed YAML although nothing changed")

    monkeypatch.setattr(content, "load_catalog", fail)
    assert cache.load_catalog_cached(layers(), os.environ).remedies


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    target = write_content_file(tmp_path, REMEDY, "mine.yaml")
    before = cache.load_catalog_cached(layers(target.parent), os.environ)
    assert before.remedy_by_slug["knee-hug"].name == "Knee hug stretch"
    target.write_text(REMEDY.replace("Knee hug stretch", "Knee hug, edited"), encoding="utf-8")
    os.utime(target, ns=(1, 1))  # a different mtime even on a coarse clock
    after = cache.load_catalog_cached(layers(target.parent), os.environ)
    assert after.remedy_by_slug["knee-hug"].name == "Knee hug, edited"


def test_broken_content_is_never_cached(tmp_path: Path) -> None:
    target = write_content_file(
        tmp_path, REMEDY.replace("category: at-home", "category: x"), "a.yaml"
    )
    with pytest.raises(ContentError):
        cache.load_catalog_cached(layers(target.parent), os.environ)
    assert cache_files() == []


@pytest.mark.parametrize("ascii_only", [True, False])
@pytest.mark.parametrize("poison", ["\x1b[31m", "\u009b31m", "\u202e"])
def test_a_tampered_cache_is_ignored(poison: str, ascii_only: bool) -> None:
    cache.load_catalog_cached(layers(), os.environ)
    [path] = cache_files()
    document = json.loads(path.read_text(encoding="utf-8"))
    document["catalog"]["remedies"][0][1] = poison  # a remedy's name
    path.write_text(json.dumps(document, ensure_ascii=ascii_only), encoding="utf-8")
    loaded = cache.load_catalog_cached(layers(), os.environ)
    assert loaded.remedies[0].name == content.load_catalog(layers()).remedies[0].name


def test_a_corrupt_cache_is_ignored() -> None:
    cache.load_catalog_cached(layers(), os.environ)
    [path] = cache_files()
    path.write_text("{not json", encoding="utf-8")
    assert cache.load_catalog_cached(layers(), os.environ).remedies


def test_an_unwritable_cache_folder_is_ignored(run: RunFn, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = run("list", env={"BACKCARE_CACHE_DIR": str(blocker / "cache")})
    assert result.code == 0
    assert result.stdout.startswith("acupressure-acupuncture\t")


def test_validate_answers_from_the_cache_only_while_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write_content_file(tmp_path, REMEDY, "mine.yaml")
    assert cache.validate_cached(layers(), [target.parent], os.environ) == []
    calls: list[int] = []
    real_load = content.load

    def counting_load(*args: Any) -> Any:
        calls.append(1)
        return real_load(*args)

    monkeypatch.setattr(content, "load", counting_load)
    assert cache.validate_cached(layers(), [target.parent], os.environ) == []
    assert calls == []  # clean and unchanged: nothing parsed

    target.write_text(REMEDY.replace("causes: [posture]", "causes: [postur]"), encoding="utf-8")
    os.utime(target, ns=(2, 2))
    [finding] = cache.validate_cached(layers(), [target.parent], os.environ)
    assert calls == [1]
    assert finding.code.value == "BC009"
    assert "did you mean 'posture'?" in finding.message


def test_a_target_that_is_also_a_layer_is_read_once(tmp_path: Path) -> None:
    target = write_content_file(tmp_path, REMEDY + "    bogus: 1\n", "mine.yaml")
    findings = content.validate(layers(target.parent), [target.parent])
    assert [f.code.value for f in findings] == ["BC005"]


def test_the_cache_writes_records_as_the_lists_it_reads_back() -> None:
    from backcare.cache import _SECTIONS, _catalog_to, _plain

    catalog = builtin_catalog()
    as_lists = {s: [_plain(item) for item in getattr(catalog, s)] for s in _SECTIONS}
    assert json.dumps(_catalog_to(catalog)) == json.dumps(as_lists)
