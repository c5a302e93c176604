"""Basic and reverse cards: a front and a back, revealed and graded by the user."""

from __future__ import annotations

from quiz.core.kinds.base import Response, SingleCard, text_field
from quiz.core.model import Card, Kind, Note


class Basic(SingleCard):
    kind = Kind.BASIC
    title = "basic"
    fields = (text_field("front"), text_field("back"))
    objective = False

    def expected_answer(self, card: Card) -> str:
        return card.note.back

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        raise ValueError("a self-graded card has no answer to check")

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return note.front, note.back


class Reverse(Basic):
    """Two cards: front -> back, and back -> front (ordinal 1)."""

    kind = Kind.REVERSE
    title = "reverse"
    anki_note_type = "reverse"

    def cards_of(self, deck_id: str, note: Note) -> list[Card]:
        return [Card(deck_id, note, note.id, 0), Card(deck_id, note, f"{note.id}/reverse", 1)]

    def label(self, card: Card) -> str:
        return f"{self.title} (back → front)" if card.ordinal == 1 else self.title

    def question(self, card: Card) -> str:
        return card.note.back if card.ordinal == 1 else card.note.front

    def expected_answer(self, card: Card) -> str:
        return card.note.front if card.ordinal == 1 else card.note.back
