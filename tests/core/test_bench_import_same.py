"""`importscale.py same` (benchmarks/importscale.py), the check that a change to the import's speed changed
nothing it writes, runs on this schema and compares the answers' states, which live in their events' rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from benchmarks import importscale
from tests.conftest import run_cli

PACKAGE = Path(__file__).resolve().parents[1] / "data" / "anki" / "legacy2.apkg"


def test_this_checkout_writes_what_it_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert importscale.same(tmp_path, importscale.ROOT, [PACKAGE]) == 0
    assert capsys.readouterr().out == "legacy2.apkg: the same\n"


def test_an_answers_state_is_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--data-dir", str(tmp_path), "import", str(PACKAGE))
    assert code == 0, err
    before = importscale.written(tmp_path)
    store = sqlite3.connect(tmp_path / "quiz.sqlite3")
    with store:
        changed = store.execute(
            "UPDATE event SET after_stability = after_stability + 1 WHERE id = "
            "(SELECT event_id FROM review_log ORDER BY id LIMIT 1)"
        ).rowcount
    store.close()
    assert changed == 1
    now = importscale.written(tmp_path)
    assert sorted(key for key in now if now[key] != before[key]) == ["event", "review_log"]


def test_a_store_before_schema_10_differs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--data-dir", str(tmp_path), "import", str(PACKAGE))
    assert code == 0, err
    before = importscale.written(tmp_path)
    store = sqlite3.connect(tmp_path / "quiz.sqlite3")
    store.execute("DROP INDEX event_chain")  # (schema 12's, which holds the column)
    store.execute("ALTER TABLE event DROP COLUMN after_stability")  # where the states were not kept yet
    store.close()
    now = importscale.written(tmp_path)
    assert now["event"].startswith("not read: no such column")
    assert sorted(key for key in now if now[key] != before[key]) == ["event", "review_log"]
