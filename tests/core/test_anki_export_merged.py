"""`quiz export --with-scheduling` after a sync merged answers two devices gave offline: each Anki review-log row
carries the interval before and after the answer as the merge replayed it, so its last row's interval is the
card's. Before, a merged answer kept the interval its device computed offline (Anki's card said 4 days, its last
row 7) and the state it was recorded from (every row's lastIvl 0, even a second answer's)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core import events
from quiz.core import rebuild as rebuilding
from quiz.core.cardstate import REVIEW, CardState
from quiz.core.clock import FixedClock
from quiz.core.identity import rename_card
from quiz.core.model import Grade, Mode
from quiz.core.rebuild import recompute_for, replayed_reviews
from quiz.core.replay import Answers, replay
from quiz.core.store import Store
from tests.conftest import START, imported_into_anki, record_good, run_cli
from tests.core.progress_ops import progress_deck, study
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


def test_the_export_reads_only_the_events_of_cards_whose_answers_set_their_state(store: Store, monkeypatch) -> None:
    """Answers that leave the state as they find it (practice here; every answer of an imported deck) have nothing
    to replay: the export read the whole deck's events into memory all the same (300,000 imported answers: 850 MB
    more). It reads the events of the cards answered in review mode only, a batch of cards at a time (one here),
    and their rows keep the states they were recorded with."""
    practiced = CardState(kind="basic", fsrs_state=REVIEW, stability=2.0, difficulty=5.0, due=START, last_review=START)
    for minutes, key in enumerate(["p1", "p2", "p3"]):
        at = START + timedelta(minutes=minutes)
        store.record_review("d", key, Grade.GOOD, at, 1000, Mode.PRACTICE, practiced, practiced)
    record_good(store, "r1", START + timedelta(hours=1))
    record_good(store, "r2", START + timedelta(hours=2))
    answered = {key: event for key, event in store.db.execute("SELECT card_key, event_id FROM review_log")}
    parsed: list[str] = []
    parse = events.event_from_row
    monkeypatch.setattr(events, "event_from_row", lambda row: parsed.append(row[0]) or parse(row))
    monkeypatch.setattr(rebuilding, "_CARDS_AT_ONCE", 1)

    exported = replayed_reviews(store, "d")

    assert sorted(parsed) == sorted([answered["r1"], answered["r2"]])
    assert exported == store.reviews("d") and len(exported) == 5


@pytest.mark.parametrize("seed", range(4))
def test_the_cards_replayed_a_few_at_a_time_give_the_rows_the_whole_deck_replayed_gives(
    clocked_store: Store, clock: FixedClock, tmp_path: Path, monkeypatch, seed: int
) -> None:
    """Sessions with undos, suspensions, burials, resets and flags; on odd seeds a note renamed between them (its
    cards' answers under two names, replayed together): each row takes the states the deck's whole history
    replayed at once gives it."""
    store, deck, rng = clocked_store, progress_deck(tmp_path), random.Random(seed)
    study(store, clock, deck, rng, 40)
    if seed % 2:
        rename_card(store, deck.id, "r", "r9")
    study(store, clock, deck, rng, 40)
    answers: Answers = {}
    replay(store.read_events(kinds=events.CARD_KINDS | {events.RENAME}), recompute_for(store), answers)
    event_of = dict(store.db.execute("SELECT id, event_id FROM review_log").fetchall())
    expected = [
        record
        if (states := answers.get(event_of[record.id])) is None
        else replace(record, state_before=states[0], state_after=states[1])
        for record in store.reviews(deck.id)
    ]
    monkeypatch.setattr(rebuilding, "_CARDS_AT_ONCE", 2)

    assert replayed_reviews(store, deck.id) == expected and len(expected) > 10
