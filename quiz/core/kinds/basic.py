"""Basic and reverse cards: a front and a back, revealed and graded by the user."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.core.kinds.base import Response, SingleCard, text_field
from quiz.core.model import Card, Note


@dataclass(frozen=True, slots=True)
class FrontBack:
    front: str
    back: str


class Basic(SingleCard[FrontBack]):
    name = "basic"
    example = """\
  # basic: reveal the back, then grade yourself.
  - id: example-basic
    kind: basic
    topic: basics
    tags: [example]
    front: What is the question?
    back: This is the answer.
    explain: An explanation shown after answering.
    sources: [my-book]
"""  # its card in the template `quiz new` writes
    body_type = FrontBack
    title = "basic"
    fields = (text_field("front"), text_field("back"))
    objective = False

    def expected_answer(self, card: Card) -> str:
        return self.body_of(card.note).back

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        raise ValueError("a self-graded card has no answer to check")

    def anki_faces(self, note: Note) -> tuple[str, str]:
        body = self.body_of(note)
        return body.front, body.back

    def from_faces(self, front: str, back: str) -> FrontBack:
        return FrontBack(front, back)


class Reverse(Basic):
    """Two cards: front -> back, and back -> front (ordinal 1)."""

    name = "reverse"
    example = """\
  # reverse: two cards, front -> back and back -> front.
  - id: example-reverse
    kind: reverse
    topic: basics
    front: chien
    back: dog
"""  # its card in the template `quiz new` writes
    title = "reverse"
    anki_note_type = "reverse"

    def cards_of(self, deck_id: str, note: Note) -> list[Card]:
        return [Card(deck_id, note, note.id, 0), Card(deck_id, note, f"{note.id}/reverse", 1)]

    def label(self, card: Card) -> str:
        return f"{self.title} (back → front)" if card.ordinal == 1 else self.title

    def question(self, card: Card) -> str:
        body = self.body_of(card.note)
        return body.back if card.ordinal == 1 else body.front

    def expected_answer(self, card: Card) -> str:
        body = self.body_of(card.note)
        return body.front if card.ordinal == 1 else body.back
