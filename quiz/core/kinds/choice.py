"""Choice, multi and true/false cards: the user picks among given options."""

from __future__ import annotations

from quiz.core.kinds.base import Response, SingleCard
from quiz.core.model import Card, Kind, Note


def _bullets(options: tuple[str, ...]) -> str:
    return "\n".join(f"• {o}" for o in options)


class Choice(SingleCard):
    kind = Kind.CHOICE
    label = "pick one"
    fields = ("front", "options", "answer")
    objective = True
    anki_note_type = "basic"

    def expected_answer(self, card: Card) -> str:
        return str(card.note.answer)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response == card.note.answer, False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return f"{note.front}\n\n" + _bullets(note.options), str(note.answer)


class Multi(SingleCard):
    kind = Kind.MULTI
    label = "pick all that apply"
    fields = ("front", "options", "answers")
    objective = True
    anki_note_type = "basic"

    def expected_answer(self, card: Card) -> str:
        return "; ".join(card.note.answers)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return isinstance(response, frozenset) and response == frozenset(card.note.answers), False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return f"{note.front}\n\n(pick every right option)\n" + _bullets(note.options), "\n".join(note.answers)


class TrueFalse(SingleCard):
    kind = Kind.TRUEFALSE
    label = "true or false?"
    fields = ("front", "answer")
    objective = True
    anki_note_type = "basic"

    def expected_answer(self, card: Card) -> str:
        return "True" if card.note.answer else "False"

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response is card.note.answer, False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return f"{note.front}\n\n(true or false?)", "True" if note.answer else "False"
