"""Match cards: the user pairs each left side with its right side."""

from __future__ import annotations

from quiz.core.kinds.base import Response, SingleCard, shown_order
from quiz.core.model import Card, Kind, Note


class Match(SingleCard):
    kind = Kind.MATCH
    label = "match the pairs"
    fields = ("front", "pairs")
    objective = True
    anki_note_type = "basic"

    def expected_answer(self, card: Card) -> str:
        return "; ".join(f"{left} → {right}" for left, right in card.note.pairs)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response == dict(card.note.pairs), False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        lefts = [left for left, _ in note.pairs]
        rights = shown_order([right for _, right in note.pairs], [right for _, right in note.pairs])
        bullets = "\n".join
        return (
            f"{note.front}\n\n" + bullets(f"• {left}" for left in lefts) + "\n\n" + bullets(f"◦ {r}" for r in rights),
            bullets(f"{left} → {right}" for left, right in note.pairs),
        )
