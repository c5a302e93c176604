"""quiz's training items against Anki's own: the simulated learner's two months (tests/core/test_optimize.py)
written as quiz's review log and as Anki's revlog in a collection the `anki` package made; Anki's backend
(what its deck options' Optimize calls) must find as many training items as quiz, and fsrs-rs fitted on
quiz's items (numbered by Anki's card ids, by which training groups a card's items) must give Anki's
parameters: the same items, in the same order. Skipped without the `anki` package."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs_rs_python import FSRS, TrainingConfig

from quiz.core.cardstate import LEARNING, NEW, REVIEW
from quiz.core.clock import day_end
from quiz.core.events import card_number
from quiz.core.optimizer import EPOCHS, milliseconds, training_items
from quiz.core.store import ImportedAnswer, ImportedCard, Store
from tests.core.test_optimize import simulate

CARDS = [f"c{i}" for i in range(400)]


def _one_answer_per_millisecond(history: list[ImportedCard]) -> list[ImportedCard]:
    """The learner answers many cards in the same second; Anki's revlog keys each answer by its millisecond."""
    moments = sorted((answer.at, card.card_key, index) for card in history for index, answer in enumerate(card.answers))
    moved: dict[tuple[str, int], datetime] = {}
    last = None
    for at, key, index in moments:
        at = at if last is None or at > last else last + timedelta(milliseconds=1)
        moved[key, index] = last = at
    return [
        card._replace(
            answers=tuple(answer._replace(at=moved[card.card_key, i]) for i, answer in enumerate(card.answers))
        )
        for card in history
    ]


def _revlog_type(answer: ImportedAnswer) -> int:
    """Anki's revlog type for the answer: 0 learning (the card was new or learning), 1 review, 2 relearning."""
    before = NEW if answer.before is None else answer.before[1]  # fsrs_state
    return 0 if before in (NEW, LEARNING) else 1 if before == REVIEW else 2


def test_anki_finds_the_same_training_items_and_fits_the_same_parameters(tmp_path: Path) -> None:
    collection = pytest.importorskip("anki.collection")
    history = _one_answer_per_millisecond(simulate(CARDS, "a"))
    store = Store.in_folder(tmp_path / "quiz")
    store.import_history("a", history, lambda: None)
    # Anki's study day ends at its next rollover from the real clock: quiz's, from the same clock
    items = training_items(store.fitting_answers(["a"]), day_end(datetime.now(UTC)))
    store.close()

    col = collection.Collection(str(tmp_path / "anki.anki2"))
    deck_id = col.decks.id("a")
    requests = []
    for key in CARDS:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"] = key
        requests.append(collection.AddNoteRequest(note, deck_id))
    col.add_notes(requests)
    card_of = {col.get_card(card_id).note()["Front"]: card_id for card_id in col.find_cards("")}
    col.db.executemany(
        "insert into revlog values (?,?,?,?,?,?,?,?,?)",
        [
            (
                milliseconds(answer.at),
                card_of[card.card_key],
                -1,
                int(answer.grade),
                1,
                0,
                2500,
                4000,
                _revlog_type(answer),
            )
            for card in history
            for answer in card.answers
        ],
    )
    anki = col._backend.compute_fsrs_params(  # what the deck options' Optimize calls
        search="deck:a", current_params=[], ignore_revlogs_before_ms=0, num_of_relearning_steps=1, health_check=False
    )
    col.close(downgrade=False)

    assert anki.fsrs_items == len(items) > 1000
    anki_card = {card_number("a", key): card_id for key, card_id in card_of.items()}
    ours = FSRS([]).compute_parameters(
        [entry.item for entry in items],
        card_ids=[anki_card[entry.card] for entry in items],  # Anki's card ids: training groups by them
        enable_short_term=True,
        num_relearning_steps=1,
        training_config=TrainingConfig(num_epochs=EPOCHS),
    )
    assert ours == pytest.approx(list(anki.params), rel=1e-6)
