"""Half of a large content layer is read in a forked copy: the same answer, whatever happens."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from backcare import content, forked
from backcare.cache import _catalog_to
from backcare.models import Layer
from backcare.paths import builtin_content_dir
from tests.conftest import write_layer

pytestmark = pytest.mark.skipif(not forked._can_fork(), reason="no fork, or one processor")


def test_the_results_are_those_of_doing_it_all_here_in_order() -> None:
    items = list(range(40))
    sizes = [1 + (n % 7) for n in items]
    assert forked.map_in_two(lambda n: (n, n * n), items, sizes, threshold=0) == [
        (n, n * n) for n in items
    ]


def test_the_copy_really_does_part_of_the_work() -> None:
    here = os.getpid()
    done_by = forked.map_in_two(lambda _: os.getpid(), list(range(10)), [1] * 10, threshold=0)
    assert done_by[0] == here
    assert done_by[-1] != here


def test_a_failing_copy_leaves_the_work_to_this_process() -> None:
    here = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != here:
            raise RuntimeError("the copy fails")
        return n + 1

    assert forked.map_in_two(work, list(range(10)), [1] * 10, threshold=0) == list(range(1, 11))


def test_an_error_here_stops_the_copy_and_is_raised() -> None:
    here = os.getpid()

    def work(n: int) -> int:
        if os.getpid() == here and n == 0:
            raise KeyboardInterrupt
        return n

    with pytest.raises(KeyboardInterrupt):
        forked.map_in_two(work, list(range(10)), [1] * 10, threshold=0)
    with pytest.raises(ChildProcessError):  # the copy was reaped: no child is left
        os.waitpid(-1, os.WNOHANG)


def test_small_work_is_never_forked() -> None:
    here = os.getpid()
    assert set(forked.map_in_two(lambda _: os.getpid(), [1, 2, 3], [10, 10, 10])) == {here}


BROKEN = """\
remedies:
  - slug: bad slug
    name: Broken
"""


def test_a_layer_read_in_two_gives_the_same_catalog_and_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"part-{n:02}.yaml": (
            f"causes:\n  - slug: cause-{n}\n    name: Cause {n}\n    description: Number {n}.\n"
        )
        for n in range(12)
    }
    files["part-05.yaml"] = BROKEN
    files["part-09.yaml"] = "causes: [\n"
    extra = write_layer(tmp_path / "extra", files)
    layers = [
        Layer(label="built-in", path=str(builtin_content_dir()), exists=True),
        Layer(label="extra", path=str(extra), exists=True),
    ]
    alone = content.load(layers)
    monkeypatch.setattr(forked, "THRESHOLD", 0)
    started = []
    start = forked._Copy.start

    def counted(*args: object) -> object:
        started.append(args)
        return start(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(forked._Copy, "start", counted)
    in_two = content.load(layers)
    assert started, "the extra layer was read in two"
    assert in_two.findings == alone.findings
    assert {f.path.rsplit("/", 1)[-1] for f in alone.findings} == {"part-05.yaml", "part-09.yaml"}
    assert json.dumps(_catalog_to(in_two.catalog)) == json.dumps(_catalog_to(alone.catalog))
    assert "cause-11" in {c.slug for c in in_two.catalog.causes}
