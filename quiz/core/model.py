"""The deck model: frozen values built by the loader and read by everything else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import IntEnum, StrEnum
from typing import Any


class Grade(IntEnum):
    """The four answer buttons, numbered as fsrs.Rating numbers them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Mode(StrEnum):
    REVIEW = "review"
    PRACTICE = "practice"
    EXAM = "exam"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Note:
    """One entry of a deck's `cards:` list, as written. Reverse and cloze notes make several cards.

    What every note has is here; what its kind adds (a front and a back, a cloze text, options...) is
    `body`, a frozen value defined by the kind's own module in quiz.core.kinds.
    """

    id: str
    kind: str  # the name of a registered kind (quiz.core.kinds.KINDS)
    body: Any
    topic: str = ""
    tags: tuple[str, ...] = ()
    explain: str = ""
    sources: tuple[str, ...] = ()
    line: int = 0  # where the note starts in its file, for messages
    images: tuple[str, ...] = ()  # pictures shown with the card: paths relative to the deck file (quiz.core.images)
    outside: str = ""  # a short statement that is not from the cited sources, shown apart after answering
    answer_images: tuple[str, ...] = ()  # pictures shown only once the answer is (`answer_image:`), as `images`
    # `siblings:`, an id the note shares with other notes of its deck whose cards are its cards' siblings (an Anki
    # note the import read card by card, one quiz note each); "": its own cards only
    siblings: str = ""

    @property
    def all_images(self) -> tuple[str, ...]:
        """Every picture file the note names: the question's, then those shown only with the answer."""
        return self.images + self.answer_images

    def with_all_images(self, paths: Sequence[str]) -> Note:
        """The note showing `paths` in place of `all_images` (as many, in that order), the question's first."""
        split = len(self.images)
        return replace(self, images=tuple(paths[:split]), answer_images=tuple(paths[split:]))


@dataclass(frozen=True, slots=True)
class ClozeGap:
    answer: str
    hint: str
    start: int  # span of the whole {{...}} in the note text
    end: int


@dataclass(frozen=True, slots=True)
class Card:
    """One scheduled unit: a note seen from one side (reverse) or with one gap hidden (cloze)."""

    deck_id: str
    note: Note
    key: str  # unique within the deck; history is keyed by (deck_id, key)
    ordinal: int = 0  # 0 for single cards; 1 for a reverse card's back side; gap number for cloze

    @property
    def kind(self) -> str:
        return self.note.kind

    @property
    def topic(self) -> str:
        return self.note.topic

    @property
    def sibling_group(self) -> str:
        """What its siblings share, within its deck: its note's `siblings:` id, else its note's id."""
        return self.note.siblings or self.note.id


@dataclass(frozen=True, slots=True)
class Deck:
    id: str
    title: str
    path: str
    description: str = ""
    sources: tuple[Source, ...] = ()
    topics: tuple[Topic, ...] = ()
    notes: tuple[Note, ...] = ()
    cards: tuple[Card, ...] = field(default=(), compare=False)
    # Lookups made on first use and kept with the deck (so a queue finds cards without a pass over them).
    _card_index: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)
    _topic_places: dict[str, list[int]] | None = field(default=None, init=False, repr=False, compare=False)

    def card_index(self) -> dict[str, int]:
        """Card key -> its place in `cards`."""
        index: dict[str, int] | None = self._cached("_card_index")
        if index is None:
            keys = self._card_keys()
            index = dict(zip(keys, range(len(keys)), strict=True))
            object.__setattr__(self, "_card_index", index)
        return index

    def topic_places(self) -> dict[str, list[int]]:
        """Topic -> the places in `cards` of its cards, ascending."""
        places: dict[str, list[int]] | None = self._cached("_topic_places")
        if places is None:
            places = {}
            for at, topic in enumerate(self._card_topics()):
                places.setdefault(topic, []).append(at)
            object.__setattr__(self, "_topic_places", places)
        return places

    def _cached(self, name: str) -> Any:
        """The lookup made on first use under `name`, or None before it is made."""
        try:
            return getattr(self, name)
        except AttributeError:  # a deck made without __init__ (the deck cache's lazy one)
            return None

    def _card_keys(self) -> Sequence[str]:
        return [card.key for card in self.cards]

    def _card_topics(self) -> Sequence[str]:
        return [card.topic for card in self.cards]

    def card_topic(self, key: str) -> str | None:
        """The topic of the card with this key (None: no such card)."""
        at = self.card_index().get(key)
        return None if at is None else self._card_topic_at(at)

    def _card_topic_at(self, at: int) -> str:
        return self.cards[at].topic

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def topic_ids(self) -> list[str]:
        """Declared topics first, then any other topic the cards use, in order of appearance."""
        seen = [t.id for t in self.topics]
        for note in self.notes:
            if note.topic and note.topic not in seen:
                seen.append(note.topic)
        return seen

    def topic_title(self, topic_id: str) -> str:
        declared = next((t.title for t in self.topics if t.id == topic_id), None)
        return declared or topic_id.replace("-", " ").capitalize()
