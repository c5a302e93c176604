"""Marked notes, as in Anki: a mark the user sets on a whole note (`*` while studying, Ctrl+K in Browse).
Anki keeps it as the note's tag `marked`; quiz keeps it in the store (the deck file is the user's own text)
and shows, searches (`tag:marked`) and exports it as that tag. A note whose deck file already lists the tag
is marked too; that mark is the file's, taken off by editing the file."""

from __future__ import annotations

from dataclasses import replace

from quiz.core.decks import cards_of
from quiz.core.model import Card, Deck, Note
from quiz.core.store import Store

MARKED_TAG = "marked"


def tagged_marked(note: Note) -> bool:
    """Whether the deck file itself marks the note (Anki's tag, which an import keeps among the tags)."""
    return any(tag.casefold() == MARKED_TAG for tag in note.tags)


def tags_with_mark(tags: tuple[str, ...], marked: bool) -> tuple[str, ...]:
    """The note's tags as Anki sees them: with `marked` added when the store marks it."""
    if not marked or any(tag.casefold() == MARKED_TAG for tag in tags):
        return tags
    return (*tags, MARKED_TAG)


class MarkedInFile(ValueError):
    """The note is marked by its deck file's tags, which only an edit of the file takes off."""

    def __init__(self) -> None:
        super().__init__(f"its deck file tags it '{MARKED_TAG}': edit the file (e) to take the mark off")


def is_marked(store: Store, card: Card) -> bool:
    return tagged_marked(card.note) or store.is_marked(card.deck_id, card.note.id)


def toggle_mark(store: Store, card: Card) -> bool:
    """Mark the card's note, or take its mark off; returns whether it is marked now. Raises MarkedInFile
    for a note its deck file marks."""
    if tagged_marked(card.note):
        raise MarkedInFile()
    marked = not store.is_marked(card.deck_id, card.note.id)
    store.set_mark(card.deck_id, card.note.id, marked)
    return marked


def with_marks(deck: Deck, marked: frozenset[str]) -> Deck:
    """The deck with its marked notes (ids in `marked`) tagged `marked`, as an export writes it: Anki reads
    the tag as its mark, and quiz reads it back as one."""
    if not marked:
        return deck
    notes = tuple(
        replace(note, tags=tags_with_mark(note.tags, True)) if note.id in marked else note for note in deck.notes
    )
    return replace(deck, notes=notes, cards=tuple(card for note in notes for card in cards_of(deck.id, note)))
