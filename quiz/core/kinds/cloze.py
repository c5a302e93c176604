"""Cloze cards: a text with `{{gaps}}`, one card per gap, each answer typed."""

from __future__ import annotations

from quiz.core import cloze
from quiz.core.kinds.base import Response
from quiz.core.kinds.typed import check_typed
from quiz.core.model import Card, Kind, Note


class Cloze:
    kind = Kind.CLOZE
    label = "cloze: fill the gap"
    fields = ("text",)
    objective = True
    anki_note_type = "cloze"

    def cards_of(self, deck_id: str, note: Note) -> list[Card]:
        return [Card(deck_id, note, f"{note.id}/{n}", n) for n in range(1, len(cloze.find_gaps(note.text)) + 1)]

    def question(self, card: Card) -> str:
        return cloze.render(card.note.text, hidden=card.ordinal)

    def expected_answer(self, card: Card) -> str:
        return cloze.find_gaps(card.note.text)[card.ordinal - 1].answer

    def full_text(self, card: Card) -> str:
        """The text with every gap filled in."""
        return cloze.render(card.note.text, hidden=None)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return check_typed(str(response), [self.expected_answer(card)], tolerance)

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return note.text, ""  # a spreadsheet row; the .apkg export writes Anki's own cloze note
