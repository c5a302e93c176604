"""Card flags: kept in the store (a schema step old stores take), pressed and undone in a session, listed and
searched in Browse's rows, exported to Anki's cards.flags."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quiz.core.browse_data import browse_rows, reset_card
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.exporters import export_deck
from quiz.core.flags import toggle_flag, toggled
from quiz.core.identity import rename_card
from quiz.core.model import Grade
from quiz.core.search import SearchContext, search_rows
from quiz.core.store import MIGRATIONS, STORE_NAME, Store
from tests.conftest import START, basic_deck_yaml, imported_into_anki, record_good, study_session

FLAG_DECK = """
deck: f
title: Flags
cards:
  - {id: b, kind: basic, front: "plain front", back: back}
  - {id: r, kind: reverse, front: "word", back: "meaning"}
  - {id: z, kind: cloze, text: "{{one}} and {{two}} and {{three}}"}
"""


def test_pressing_a_flag_sets_it_and_pressing_it_again_takes_it_off() -> None:
    assert toggled(0, 1) == 1
    assert toggled(1, 4) == 4  # another flag replaces it
    assert toggled(4, 4) == 0  # the same one again: off, as in Anki
    assert toggled(3, 0) == 0 and toggled(0, 0) == 0
    with pytest.raises(ValueError, match="a flag is 1 to 7"):
        toggled(0, 8)


def test_flags_are_kept_per_card_and_apart_from_the_schedule(store: Store, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(2))
    card = deck.cards[0]
    record_good(store, card.key)
    assert toggle_flag(store, card, 2) == 2
    assert store.flag("d", card.key) == 2 and store.flags("d") == {card.key: 2}
    reset_card(store, card)  # the schedule forgotten, as Anki's Forget: the flag stays
    assert store.state("d", card.key) is None and store.flag("d", card.key) == 2
    assert not store.is_empty()
    assert toggle_flag(store, card, 2) == 0
    assert store.flags("d") == {}
    with pytest.raises(ValueError):
        store.set_flag("d", card.key, 9)


def test_a_store_of_the_previous_schema_takes_flags_and_keeps_its_history(tmp_path: Path) -> None:
    """A store written before flags existed (schema 4) is brought up to date when opened: its answers and
    states stay, and its cards can be flagged."""
    path = tmp_path / STORE_NAME
    raw = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:4], start=1):
        raw.executescript(script)
        raw.execute(f"PRAGMA user_version={number}")
    state = CardState(kind="basic", fsrs_state=2, stability=3.0, difficulty=5.0, due=START, last_review=START, reps=1)
    raw.execute(
        "INSERT INTO review_log (deck_id, card_key, grade, reviewed_at, duration_ms, mode, state_before, state_after)"
        " VALUES ('d', 'c0', 3, ?, 1000, 'review', NULL, ?)",
        (START.isoformat(), json.dumps(state.to_json())),
    )
    raw.execute("INSERT INTO card_state (deck_id, card_key, kind, fsrs_state, reps) VALUES ('d', 'c0', 'basic', 2, 1)")
    assert "card_flag" not in {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()

    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)  # every later migration ran too
    assert [(r.card_key, r.state_after) for r in store.reviews()] == [("c0", state)]
    assert store.state("d", "c0") is not None and store.flag("d", "c0") == 0
    store.set_flag("d", "c0", 3)
    store.close()
    again = Store(path)
    assert again.flag("d", "c0") == 3 and again.review_count() == 1
    again.close()


def test_a_flag_in_a_session_stays_on_the_card_and_undo_takes_it_back(
    store: Store, clock: FixedClock, write_deck
) -> None:
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    first = session.current
    assert session.flag(1) == 1
    assert session.current is first and store.flag("d", first.key) == 1  # saved, the card still on screen
    assert session.flag(4) == 4
    session.grade(Grade.GOOD)
    second = session.current
    assert session.flag(1) == 1 and session.flag(1) == 0  # the same flag again takes it off
    assert store.flag("d", second.key) == 0
    assert session.next_undo() == "flag"
    assert session.undo() is second and store.flag("d", second.key) == 1  # back to red ...
    assert session.undo() is second and store.flag("d", second.key) == 0  # ... and to none
    assert session.current is second
    assert session.next_undo() == "answer"
    assert session.undo() is first  # the answer taken back: the first card again, still blue
    assert store.review_count() == 0 and store.flag("d", first.key) == 4
    assert session.undo() is first and store.flag("d", first.key) == 1
    assert session.undo() is first and store.flag("d", first.key) == 0
    assert session.next_undo() is None


def test_a_flag_already_off_records_nothing_to_undo(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(1))
    session = study_session(store, clock, [deck])
    assert session.flag(0) == 0
    assert session.next_undo() is None


def test_browse_rows_carry_the_stored_flags_and_flag_searches_find_them(
    store: Store, clock: FixedClock, write_deck
) -> None:
    deck = write_deck(FLAG_DECK)
    store.set_flag("f", "r/reverse", 1)
    store.set_flag("f", "z/2", 7)
    rows = browse_rows([deck], store, clock.now())
    assert {row.card_key: row.flag for row in rows if row.flag} == {"r/reverse": 1, "z/2": 7}
    context = SearchContext(clock.now(), 4, lambda since: set())
    assert [row.card_key for row in search_rows(rows, "flag:1", context)] == ["r/reverse"]
    assert [row.card_key for row in search_rows(rows, "flag:7", context)] == ["z/2"]
    assert len(search_rows(rows, "flag:0", context)) == len(rows) - 2


def test_renaming_a_card_moves_its_flags(store: Store) -> None:
    record_good(store, "old")
    store.set_flag("d", "old", 5)
    store.set_flag("d", "old/reverse", 6)
    rename_card(store, "d", "old", "new")
    assert store.flags("d") == {"new": 5, "new/reverse": 6}


def _apkg_flags(apkg: Path, tmp_path: Path) -> dict[tuple[str, int], int]:
    """(note guid, card ord) -> cards.flags, read straight from the package's collection."""
    with zipfile.ZipFile(apkg) as package:
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    rows = db.execute("SELECT notes.guid, cards.ord, cards.flags FROM cards JOIN notes ON notes.id = cards.nid")
    found = {(guid, ord_): flags for guid, ord_, flags in rows}
    db.close()
    return found


def test_apkg_export_writes_each_cards_flag_where_anki_keeps_it(tmp_path: Path, write_deck) -> None:
    deck = write_deck(FLAG_DECK)
    apkg = tmp_path / "f.apkg"
    export_deck(deck, apkg, 0, {"b": 1, "r/reverse": 4, "z/3": 7})
    assert _apkg_flags(apkg, tmp_path) == {
        ("quiz:f:b", 0): 1,
        ("quiz:f:r", 0): 0,
        ("quiz:f:r", 1): 4,  # the reversed card: Anki's second template
        ("quiz:f:z", 0): 0,
        ("quiz:f:z", 1): 0,
        ("quiz:f:z", 2): 7,  # the third gap: Anki's c3
    }


def test_apkg_export_of_a_cloze_gap_that_makes_no_card_writes_it_new(tmp_path: Path, write_deck) -> None:
    """A gap nothing typed can match ({{?}}, which an older quiz accepted) makes no card in quiz; Anki makes one:
    it has no flag, nor its sibling's. A note whose every gap is so is written too (the export stopped)."""
    deck = write_deck(
        "deck: f\ntitle: Flags\ncards:\n"
        "  - {id: z, kind: cloze, text: 'A question ends with {{?}}, a statement with {{a dot}}.'}\n"
        "  - {id: q, kind: cloze, text: 'A question ends with {{?}}.'}\n"
    )
    apkg = tmp_path / "f.apkg"
    export_deck(deck, apkg, 0, {"z/2": 3})
    assert _apkg_flags(apkg, tmp_path) == {("quiz:f:z", 0): 0, ("quiz:f:z", 1): 3, ("quiz:f:q", 0): 0}


def test_anki_itself_imports_the_flags(tmp_path: Path, write_deck) -> None:
    """Anki's own backend reads the package back, flags included (when the anki package is installed)."""
    deck = write_deck(FLAG_DECK)
    apkg = tmp_path / "f.apkg"
    export_deck(deck, apkg, START.timestamp(), {"b": 1, "r/reverse": 4, "z/3": 7})
    with imported_into_anki(apkg, tmp_path / "anki") as col:
        flagged = {}
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            flagged[(card.note().guid, card.ord)] = card.user_flag()
        assert {key: flag for key, flag in flagged.items() if flag} == {
            ("quiz:f:b", 0): 1,
            ("quiz:f:r", 1): 4,
            ("quiz:f:z", 2): 7,
        }
        assert [col.get_card(c).note().guid for c in col.find_cards("flag:4")] == ["quiz:f:r"]
