"""The top-level decks of a collection (a .colpkg holds every deck of hers), and one of its decks taken alone.

A note is in the deck of its first card (its card of the lowest ordinal), as the importer puts it in that deck's
topic. Anki compares deck names without regard to case (and composed or not): `medicine` names `Medicine`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace

from quiz.core.anki.model import Collection, ReviewLog

# Anki's Default deck has this id in every collection: two decks of it are not one deck for that, only by name
ANKI_DEFAULT_DECK = 1


def _key(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", part).casefold() for part in path)


def _note_decks(collection: Collection) -> dict[int, tuple[str, ...]]:
    """Note id -> the deck (its path) of its first card; a note without a card is in none."""
    first: dict[int, tuple[int, int]] = {}  # note id -> (ordinal, home deck) of its first card
    for card in collection.cards:
        if card.note_id not in first or card.ord < first[card.note_id][0]:
            first[card.note_id] = (card.ord, card.home_deck_id)
    return {note_id: collection.decks.get(deck, ()) for note_id, (_, deck) in first.items()}


def decks_of_notes(collection: Collection) -> dict[str, str]:
    """Each note's GUID -> the deck it is in (its full name as Anki writes it, "Medicine::Renal"), in the notes'
    order; a note without a card is in none."""
    decks = _note_decks(collection)
    # one name string per deck, shared by its notes: a big package's notes are many, its decks few
    names = {path: "::".join(path) for path in set(decks.values())}
    return {note.guid: names[path] for note in collection.notes if (path := decks.get(note.id))}


def notes_in_default_deck(decks: Mapping[int, tuple[str, ...]], note_decks: Mapping[str, str]) -> frozenset[str]:
    """The GUIDs of the notes (`note_decks`, decks_of_notes') in Anki's deck of id 1 (ANKI_DEFAULT_DECK, whatever
    she named it) or a deck below it, of the collection's `decks`: the evidence that the deck of that id is hers,
    as a note elsewhere in the package (of a shared deck) is not."""
    default = decks.get(ANKI_DEFAULT_DECK)
    if default is None:
        return frozenset()
    inside = {deck for deck in set(note_decks.values()) if within_deck(deck, "::".join(default))}
    return frozenset(guid for guid, deck in note_decks.items() if deck in inside)


def top_decks(note_decks: Mapping[str, str]) -> dict[str, str]:
    """Each note's GUID -> the top-level deck it is in, of each note's deck (decks_of_notes')."""
    tops = {deck: deck.split("::")[0] for deck in set(note_decks.values())}  # one string per deck, as above
    return {guid: tops[deck] for guid, deck in note_decks.items()}


def top_decks_of_notes(collection: Collection) -> dict[str, str]:
    """Each note's GUID -> the top-level deck it is in (its name as Anki writes it), in the notes' order; a note
    without a card is in none."""
    return top_decks(decks_of_notes(collection))


def top_level_decks(collection: Collection) -> dict[str, int]:
    """Each top-level deck holding notes (its name as Anki writes it) -> how many notes it holds, subdecks included,
    in the order of its first note."""
    return dict(Counter(top_decks_of_notes(collection).values()))


def same_deck(a: str, b: str) -> bool:
    """Whether two deck names name one deck, as Anki compares them."""
    return _key((a,)) == _key((b,))


def within_deck(deck: str, name: str) -> bool:
    """Whether the deck `deck` (`Sprachen::Deutsch`) is the deck `name` (`sprachen`) or one of its subdecks, as Anki
    compares names."""
    wanted = _key(tuple(name.split("::")))
    return _key(tuple(deck.split("::")))[: len(wanted)] == wanted


def distinct_decks(names: Iterable[str]) -> list[str]:
    """`names` with one name of each deck, as Anki compares them (the first written so)."""
    return list({_key((name,)): name for name in reversed(list(names))}.values())


def deck_named(collection: Collection, name: str) -> str | None:
    """The deck `name` names (`Sprachen::日本語`), as the collection writes it, when one holds notes: Anki's deck
    itself or a deck above one (`Sprachen` when only `Sprachen::日本語` holds notes). None when no note is in it."""
    wanted = _key(tuple(name.split("::")))
    for path in _note_decks(collection).values():
        if len(path) >= len(wanted) and _key(path[: len(wanted)]) == wanted:
            return "::".join(path[: len(wanted)])
    return None


def decks_of_notes_outside(collection: Collection, taken: Collection) -> dict[str, str]:
    """Each note of `collection` that `taken` (only_deck's) lacks: its GUID -> the deck it is in ("Sprachen::Misc");
    a note without a card is in none."""
    kept = {note.guid for note in taken.notes}
    decks = _note_decks(collection)
    outside = [note for note in collection.notes if note.guid not in kept]
    return {note.guid: "::".join(path) for note in outside if (path := decks.get(note.id))}


def only_deck(collection: Collection, name: str, guids: frozenset[str] | None = None) -> Collection:
    """The collection holding only the notes of deck `name` (deck_named's) and of its subdecks, with their cards
    and review log: a card of theirs kept in another deck comes with its note. `guids`: the notes taken instead
    (a collection taken apart: a note she moved in Anki stays with the deck holding it)."""
    wanted = _key(tuple(name.split("::")))
    decks = _note_decks(collection)
    notes = [
        note
        for note in collection.notes
        if (note.guid in guids if guids is not None else _key(decks.get(note.id, ())[: len(wanted)]) == wanted)
    ]
    kept = {note.id for note in notes}
    cards = [card for card in collection.cards if card.note_id in kept]
    card_ids = {card.id for card in cards}
    reviews = ReviewLog(review for review in collection.reviews if review.card_id in card_ids)
    return replace(collection, notes=notes, cards=cards, reviews=reviews)
