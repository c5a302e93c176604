"""`quiz export --with-scheduling` after a sync merged answers two devices gave offline: each Anki review-log row
carries the interval before and after the answer as the merge replayed it, so its last row's interval is the
card's. Before, a merged answer kept the interval its device computed offline (Anki's card said 4 days, its last
row 7) and the state it was recorded from (every row's lastIvl 0, even a second answer's)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core.cardstate import REVIEW
from quiz.core.model import Grade
from tests.conftest import imported_into_anki, run_cli
from tests.core.progress_ops import progress_deck
from tests.core.test_sync import Device, _answer


@pytest.mark.parametrize("second", [Grade.EASY, Grade.GOOD])
def test_anki_s_review_log_of_answers_merged_from_two_devices_follows_the_merged_card(
    tmp_path: Path, folder: Path, capsys, monkeypatch, second: Grade
) -> None:
    laptop, desk = Device(tmp_path, "laptop", folder), Device(tmp_path, "desk", folder, timedelta(minutes=7))
    (tmp_path / "laptop" / "decks").mkdir()
    deck = progress_deck(tmp_path / "laptop" / "decks")
    _answer(laptop, deck, Grade.GOOD)  # the same new card answered on both, offline: the desk's later
    _answer(desk, deck, second)
    laptop.sync(), desk.sync(), laptop.sync()
    card = deck.cards[0]
    merged = laptop.store.state(deck.id, card.key)
    first, last = laptop.store.reviews(deck.id, card.key)
    assert merged is not None and merged.fsrs_state == REVIEW
    assert last.state_after != merged  # the desk's answer was computed again from the laptop's
    laptop.store.close(), desk.store.close()

    monkeypatch.setenv("QUIZ_NOW", laptop.clock.now().isoformat())
    apkg = tmp_path / "merged.apkg"
    code, _, err = run_cli(
        capsys, "--data-dir", str(tmp_path / "laptop"), "export", deck.id, "-o", str(apkg), "--with-scheduling"
    )
    assert code == 0, err
    with imported_into_anki(apkg, tmp_path / "anki") as col:
        answered = col.db.all("SELECT cid FROM revlog GROUP BY cid")
        assert len(answered) == 1
        ((cid,),) = answered
        anki_card = col.get_card(cid)
        rows = col.db.all("SELECT ease, ivl, lastIvl FROM revlog WHERE cid = ? ORDER BY id", cid)
    assert [ease for ease, _, _ in rows] == [Grade.GOOD, second]
    (_, first_ivl, first_last), (_, last_ivl, last_last) = rows
    assert first_last == 0 and first_ivl < 0  # from new to a learning step (seconds)
    assert last_last == first_ivl  # the second answer found the card as the first left it
    assert last_ivl == anki_card.ivl > 0
