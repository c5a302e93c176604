"""Pairing a note's cards by Anki card id at an update (quiz.core.importers.cardhomes), on notes a real import made."""

from __future__ import annotations

from pathlib import Path

from quiz.core.importers import import_file
from quiz.core.importers.cardhomes import card_keys, homes_after, homes_away, ids_kept
from quiz.core.model import Note


def _notes(tmp_path: Path) -> list[Note]:
    """Two basic notes, as a table import makes them."""
    table = tmp_path / "deck.csv"
    table.write_text("front,back\nHeart chambers,4\nLung lobes,5\n", encoding="utf-8")
    return import_file(table).notes


def test_a_deck_made_again_in_another_collection_updates_its_notes_in_place(tmp_path: Path) -> None:
    """Every card under a new Anki id, at its place: nothing moved, so no note takes an id of its own."""
    first, second = _notes(tmp_path)
    homes = {1: first.id, 2: second.id}
    again = {first.id: (11,), second.id: (12,)}
    assert ids_kept("d", [first, second], again, {}, {first.id: "g1", second.id: "g2"}, homes) == {}
    assert homes_after(homes, card_keys("d", [first, second], again, {})) == {**homes, 11: first.id, 12: second.id}


def test_a_card_moved_onto_another_card_s_key_makes_its_note_a_note_of_its_own(tmp_path: Path) -> None:
    first, second = _notes(tmp_path)
    homes = {1: first.id, 2: second.id}
    moved = {first.id: (2,), second.id: (1,)}  # each note's card is now the other's
    earlier = {first.id: "g1", second.id: "g2"}
    renamed = ids_kept("d", [first, second], moved, {}, earlier, homes)
    assert renamed == {first.id: f"{first.id}-2", second.id: f"{second.id}-1"}
    assert homes_after(homes, card_keys("d", [first, second], moved, {})) == homes  # a card keeps its home


def test_only_the_homes_away_from_the_card_the_notes_now_make_first_are_held_for_the_history(tmp_path: Path) -> None:
    """The history logs an Anki card's answers under the first quiz card made of it unless the record gives it
    another home: a home that is that card's key, or of an Anki card the notes no longer make, changes nothing."""
    first, second = _notes(tmp_path)
    cards = {first.id: (1,), second.id: (2,)}
    homes = {1: first.id, 2: "d-elsewhere", 3: "d-gone"}
    assert homes_away(homes, "d", [first, second], cards) == {2: "d-elsewhere"}
    assert homes_away({1: first.id, 2: second.id}, "d", [first, second], cards) == {}
