"""What an Anki package holds, as plain values: the same for every generation of the file.

The importer uses the note types, notes, cards and decks for the deck, and the cards' scheduling fields,
the review log and the collection's day numbering (its creation time and rollover hour) for the history.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


def deck_name(title: str) -> str:
    """Anki's name for a deck of this title: one line, single spaces (quiz's exports name a deck and its topics'
    subdecks so, and an import of one knows them again by it)."""
    return " ".join(title.split())


SUBDECK_JOIN = " / "  # how an import titles a topic made of nested Anki subdecks: "Verbs / Irregular"


@dataclass(frozen=True)
class Template:
    ord: int
    name: str
    front: str  # Anki's qfmt
    back: str  # Anki's afmt


@dataclass(frozen=True)
class Notetype:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]  # field names in order
    templates: tuple[Template, ...]
    image_occlusion: bool = False  # Anki's stock Image Occlusion type, or one made from it


@dataclass(frozen=True, slots=True)  # slots: a shared deck has tens of thousands
class Note:
    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]  # raw field HTML, in the note type's field order
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Card:
    """A card and its scheduling fields as Anki stores them (schema 11 and 18 alike)."""

    id: int
    note_id: int
    deck_id: int
    ord: int
    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -3 buried by the user, -2 buried by the scheduler, -1 suspended, 0 new, 1/3 learning, 2 review
    due: int
    interval: int
    factor: int
    reps: int
    lapses: int
    left: int
    original_due: int
    original_deck_id: int  # the home deck of a card in a filtered deck, else 0
    flags: int  # the user's flag is the low 3 bits
    data: str  # JSON: FSRS memory state and more in current files

    @property
    def flag(self) -> int:
        return self.flags & 0b111

    @property
    def home_deck_id(self) -> int:
        return self.original_deck_id or self.deck_id


class Review(NamedTuple):
    """One review-log row."""

    id: int  # milliseconds since the epoch when it was answered
    card_id: int
    ease: int  # 1 Again .. 4 Easy; 0 for a manual reschedule
    interval: int  # days when positive, seconds when negative
    last_interval: int
    factor: int
    time_ms: int
    type: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled


_WIDTH = len(Review._fields)


class ReviewLog:
    """A collection's review log in time order, kept as 64-bit integers in one array: as a tuple of Python
    ints per row, 300,000 rows would hold ~75 MB instead of ~30, and freeing them one by one would leave
    the memory scattered. A row is a Review again when read; `pop` hands a card's rows over."""

    def __init__(self, rows: Iterable[Sequence[int]] = ()) -> None:
        self._values = array("q")
        self._rows_of: dict[int, array[int]] = {}  # card id -> its row numbers, in time order
        for number, row in enumerate(rows):
            self._values.extend(row)
            numbers = self._rows_of.get(row[1])
            if numbers is None:
                numbers = self._rows_of[row[1]] = array("q")
            numbers.append(number)
        self._left = len(self._values) // _WIDTH

    def __len__(self) -> int:
        """The rows not handed over."""
        return self._left

    def __iter__(self) -> Iterator[Review]:
        """The rows not handed over, in time order."""
        return iter(self._rows(sorted(number for numbers in self._rows_of.values() for number in numbers)))

    def pop(self, card_id: int) -> list[Review]:
        """The card's rows in time order (none if it has none), no longer handed over by this log."""
        rows = self._rows(self._rows_of.pop(card_id, ()))
        self._left -= len(rows)
        return rows

    def _rows(self, numbers: Iterable[int]) -> list[Review]:
        # tuple.__new__ as Review._make does, without its two Python calls a row (300,000 in a shared deck's log)
        values, new = self._values, tuple.__new__
        return [new(Review, values[number * _WIDTH : (number + 1) * _WIDTH]) for number in numbers]


@dataclass(frozen=True)
class DeckOptions:
    """One of Anki's deck option presets (a deck config), as the file has it: `values` holds only the options
    quiz has a place for, under quiz's names (Settings' fields) and in its units, each one the file sets;
    their ranges are not checked here. `parameters` are its FSRS parameters for the newest FSRS version it has
    them for (`fsrs_version`: 6, 5 or 4; 0 for none), kept apart: quiz takes only FSRS-6's. `damaged`: the
    file's config could not be decoded, so nothing of it is known."""

    name: str
    values: dict[str, int | float | tuple[float, ...]]
    parameters: tuple[float, ...] = ()
    fsrs_version: int = 0
    damaged: bool = False


@dataclass
class Collection:
    schema: int  # col.ver: 11 for the legacy files, 18 for collection.anki21b today
    notetypes: dict[int, Notetype]
    decks: dict[int, tuple[str, ...]]  # deck id -> its name split at "::"
    notes: list[Note]
    cards: list[Card]
    reviews: ReviewLog
    created: int = 0  # col.crt, seconds since the epoch: review cards' due day numbers count from its day
    creation_offset: int | None = None  # minutes west of UTC where it was made (Anki's creationOffset): crt's date is
    # taken there, as Anki's days are; None (not kept, as by Anki before 2.1.x's new day handling): in local time
    media: dict[str, str] = field(default_factory=dict)  # zip member -> media file name
    deck_options: dict[int, DeckOptions] = field(default_factory=dict)  # Anki's deck config id -> its options
    options_of_deck: dict[int, int | None] = field(default_factory=dict)  # deck id -> its config id (normal decks;
    # None: which one cannot be read)

    def take_notes(self) -> list[Note]:
        """The notes, handed over: the collection keeps none of them, so they are let go once used."""
        taken, self.notes = self.notes, []
        return taken

    def take_cards(self) -> list[Card]:
        """The cards, handed over: the collection keeps none of them, so they are let go once used."""
        taken, self.cards = self.cards, []
        return taken

    def take_reviews(self) -> ReviewLog:
        """The review log, handed over: the collection keeps none of it, so it is let go once used."""
        taken, self.reviews = self.reviews, ReviewLog()
        return taken

    def cards_of(self) -> dict[int, list[Card]]:
        """Note id -> its cards in ordinal order."""
        by_note: dict[int, list[Card]] = {}
        for card in sorted(self.cards, key=lambda c: (c.note_id, c.ord)):
            by_note.setdefault(card.note_id, []).append(card)
        return by_note
