"""What a big import holds at its peak (a shared deck's 300,000 answers): values it keeps once, not once an
answer, and the ids it must skip held compactly. docs/benchmarks.md measures the whole import."""

from __future__ import annotations

import sqlite3
import tracemalloc

from quiz.core.anki.model import ReviewLog
from quiz.core.answerlog import FreeIds
from quiz.core.decks import cards_of
from quiz.core.importers import import_file
from quiz.core.importers.history import anki_history
from quiz.core.settings import Settings
from tests.core.test_anki_history import DATA, TODAY, collection_of


def test_the_ids_an_import_skips_are_held_in_a_few_bytes_each_and_skipped_in_order() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE review_log (id INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO review_log (id) VALUES (?)", ((n * 2,) for n in range(100_000)))
    tracemalloc.start()
    try:
        ids = FreeIds(db, 0)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 100_000 * 12  # 8 bytes an id; a set of Python ints takes some 57
    assert [ids(0), ids(0), ids(5), ids(7), ids(8), ids(199_998), ids(0)] == [1, 3, 5, 7, 9, 199_999, 200_000]


def test_answers_of_the_same_duration_share_one_value() -> None:
    collection = collection_of("current.apkg")
    rows = [row._replace(time_ms=12_345 if n % 2 else -5) for n, row in enumerate(collection.reviews)]
    collection.reviews = ReviewLog(rows)
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    durations = [answer.duration_ms for card in history.cards for answer in card.answers]
    assert set(durations) == {12_345, 0}  # a negative time (a damaged row) is none
    assert len({id(duration) for duration in durations}) == 2


def test_the_history_lets_go_of_the_anki_cards_it_has_replayed() -> None:
    """The collection's cards (14 MB for a shared deck) are taken by the history, each let go once replayed, so
    the answers reuse their memory; each quiz card still has its Anki card's flag, a gap sharing one too."""
    collection = collection_of("current.apkg")
    flags = {card.id: card.flag for card in collection.cards}
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    assert collection.cards == []
    anki_of = {
        card.key: anki_id
        for note in result.notes
        for card, anki_id in zip(cards_of(result.deck_id, note), result.anki_cards[note.id], strict=False)
    }
    assert len(set(anki_of.values())) < len(anki_of)  # gaps sharing an Anki card
    assert any(flags.values())
    assert {card.card_key: card.flag for card in history.cards} == {key: flags[i] for key, i in anki_of.items()}
