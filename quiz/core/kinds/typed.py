"""Typed cards: the user types the answer; small slips are forgiven, digits never."""

from __future__ import annotations

from quiz.core.fieldreader import ANSWER, MAX_LIST
from quiz.core.kinds.base import Response, SingleCard, text_field, text_list_field
from quiz.core.model import Card, Kind, Note
from quiz.core.text import normalize_answer


def check_typed(given: str, accepted: list[str], tolerance: int) -> tuple[bool, bool]:
    """(correct, near_miss). Case, spacing and punctuation never matter; digits must match exactly."""
    typed = normalize_answer(given)
    if not typed:
        return False, False
    from rapidfuzz import fuzz  # imported on first use: it adds ~7 ms to every start otherwise

    targets = [normalize_answer(a) for a in accepted]
    if typed in targets:
        return True, False
    for target in targets:
        if any(ch.isdigit() for ch in target):
            continue  # a near miss on a number is a different number
        if fuzz.ratio(typed, target) >= tolerance:
            return True, True
    return False, False


class Typed(SingleCard):
    kind = Kind.TYPED
    title = "type the answer"
    fields = (text_field("front"), text_field("answer", ANSWER), text_list_field("accept", MAX_LIST, optional=True))
    anki_note_type = "typed"

    def expected_answer(self, card: Card) -> str:
        return str(card.note.answer)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return check_typed(str(response), [str(card.note.answer), *card.note.accept], tolerance)

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return note.front, str(note.answer)
