"""What every card kind provides: the `CardKind` protocol; `SingleCard`, defaults for a note making one card."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from quiz.core.model import Card, Kind, Note

#: What a user can give: typed text (typed, cloze, choice option), a set of options (multi), True/False,
#: the items in an order, left -> right pairs (match); None means "revealed without answering".
Response = str | frozenset[str] | bool | tuple[str, ...] | dict[str, str] | None


class CardKind(Protocol):
    """One kind of card: the cards a note makes, what they show, how an answer is checked, its Anki faces."""

    @property
    def kind(self) -> Kind: ...

    @property
    def label(self) -> str:
        """What the study screen calls a card of this kind."""
        ...

    @property
    def fields(self) -> tuple[str, ...]:
        """The kind's own YAML fields, in the order a deck file writes them."""
        ...

    @property
    def objective(self) -> bool:
        """Whether the app checks the answer itself (only such kinds are asked in exams)."""
        ...

    def cards_of(self, deck_id: str, note: Note) -> list[Card]: ...

    def question(self, card: Card) -> str: ...

    def expected_answer(self, card: Card) -> str:
        """The right answer, written out for display after answering."""
        ...

    def full_text(self, card: Card) -> str:
        """The complete back of the card."""
        ...

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        """(correct, near_miss) for a given, non-empty response; only asked of objective kinds."""
        ...

    @property
    def anki_note_type(self) -> str:
        """The .apkg note type: "basic", "reverse", "typed" or "cloze"; kinds Anki lacks become "basic"."""
        ...

    def anki_faces(self, note: Note) -> tuple[str, str]:
        """(front, back) as plain text, for an Anki note or a spreadsheet row."""
        ...


class SingleCard(ABC):
    """Defaults for a kind whose note makes one card showing its front."""

    def cards_of(self, deck_id: str, note: Note) -> list[Card]:
        return [Card(deck_id, note, note.id, 0)]

    def question(self, card: Card) -> str:
        return card.note.front

    @abstractmethod
    def expected_answer(self, card: Card) -> str: ...

    def full_text(self, card: Card) -> str:
        return self.expected_answer(card)


def shown_order(items: list[str], correct: list[str]) -> list[str]:
    """Items in a fixed order that is not the answer (alphabetical, or reversed when that gives it away)."""
    shown = sorted(items, key=str.casefold)
    return shown[::-1] if shown == correct else shown
