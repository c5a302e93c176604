"""The import benchmark's package (benchmarks/ankipackage.py), built small by Anki's backend, imports whole, and
the benchmark's pair (benchmarks/importscale.py) runs on it: so `make bench` cannot rot unseen. Untimed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.slow  # Anki's backend builds a package: a few seconds
pytest.importorskip("anki.collection")
pytest.importorskip("PIL")

from benchmarks import importscale  # noqa: E402
from benchmarks.ankipackage import STATES, build_package  # noqa: E402


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("package") / "big.apkg"
    counts = build_package(path, notes=200, images=20, reviews=2000)
    return path, vars(counts)


def test_the_package_holds_what_was_asked_in_every_shape(small: tuple[Path, dict]) -> None:
    _, counts = small
    assert (counts["notes"], counts["reviews"], counts["images"], counts["notes_with_image"]) == (200, 2000, 20, 20)
    assert len(counts["by_notetype"]) == 4 and counts["cards"] > counts["notes"]  # reverse and cloze make more
    assert sum(counts["by_state"].values()) == counts["cards"]
    assert {"new", "review", "suspended"} <= set(counts["by_state"]) <= {"new", *STATES}


def test_quiz_imports_every_note_review_and_picture(
    small: tuple[Path, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, counts = small
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path), "import", str(path))
    assert code == 0, err
    assert f"imported 200 notes ({counts['cards']} cards)" in out and "skipped" not in out + err
    assert f"20 pictures in {tmp_path / 'decks'}" in out
    by_state = counts["by_state"]
    buried = by_state.get("buried", 0) + by_state.get("sched-buried", 0)
    assert "history: 2000 reviews from Anki's review log" in out
    assert f"{by_state['suspended']} suspended, {buried} buried, {counts['flagged']} flagged" in out
    store = sqlite3.connect(tmp_path / "quiz.sqlite3")
    assert store.execute("SELECT count(*) FROM review_log").fetchone() == (2000,)
    store.close()


def test_the_benchmark_pair_runs_both_importers(
    small: tuple[Path, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, counts = small
    assert importscale.main(["pair", str(tmp_path), str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    for side in ("quiz", "anki"):
        assert (result[side]["notes"], result[side]["reviews"], result[side]["media"]) == (200, 2000, 20)
        assert result[side]["seconds"] > 0 and result[side]["rss_mb"] > 0
