"""quiz -> .apkg -> quiz into the same store: the package brings back quiz's own answers, which must not be
logged twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.core.cardstate import CardState
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from tests.conftest import run_cli as run

DECK = """deck: sched
title: Capitals
cards:
  - {id: paris, kind: basic, front: Capital of France?, back: Paris}
  - {id: rome, kind: basic, front: Capital of Italy?, back: Rome}
"""


def test_a_deck_exported_with_its_history_and_imported_back_logs_no_answer_twice(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "sched.yaml").write_text(DECK, encoding="utf-8")  # named by its id: the import updates it
    store = Store.in_folder(data)
    at = datetime(2026, 1, 5, 9, 0, 0, 123456, tzinfo=UTC)  # an answer's time as the app logs it
    after = CardState("basic", 2, None, 3.0, 5.0, at + timedelta(days=3), at, reps=1)
    store.record_review("sched", "paris", Grade.GOOD, at, 3000, Mode.REVIEW, None, after)
    store.close()
    apkg = tmp_path / "sched.apkg"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "sched", "-o", str(apkg), "--with-scheduling")
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0, err
    store = Store.in_folder(data)
    try:
        assert [(r.card_key, int(r.grade)) for r in store.reviews()] == [("paris", 3)]
    finally:
        store.close()
    assert "not brought again: 1 review already in quiz's review log" in out
