"""Cloze cards: a text with `{{gaps}}`, one card per gap, each answer typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quiz.core import cloze
from quiz.core.fieldreader import FieldReader
from quiz.core.kinds.base import KindBase, Response, text_field
from quiz.core.kinds.typed import check_typed
from quiz.core.model import Card, Note
from quiz.core.yamlsafe import Node


@dataclass(frozen=True, slots=True)
class ClozeBody:
    text: str  # with {{gaps}}


class Cloze(KindBase[ClozeBody]):
    name = "cloze"
    example = """\
  # cloze: one card per {{gap}}; {{answer::hint}} shows the hint in the blank. Type the hidden word.
  - id: example-cloze
    kind: cloze
    topic: basics
    text: The {{mitochondria}} is the {{powerhouse::a building}} of the cell.
"""  # its card in the template `quiz new` writes
    body_type = ClozeBody
    fields = (text_field("text"),)
    objective = True
    anki_note_type = "cloze"

    def label(self, card: Card) -> str:
        return "cloze: fill the gap"

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        problem = cloze.gap_problem(values["text"])
        if problem is not None:
            reader.problem(nodes["text"], *problem)
            return False
        if warning := cloze.anki_gap_warning(values["text"]):  # the deck still loads: it may be meant so
            reader.problem(nodes["text"], *warning, severity="warning")
        if warning := cloze.unmatchable_gap_warning(values["text"]):  # nor must a gap an older quiz accepted stop it
            reader.problem(nodes["text"], *warning, severity="warning")
        return True

    def cards_of(self, deck_id: str, note: Note) -> list[Card]:
        gaps = cloze.find_gaps(self.body_of(note).text)
        # a gap nothing typed can match makes no card; the others keep their numbers, so their keys and history
        unmatchable = cloze.unmatchable_gaps(gaps)
        return [Card(deck_id, note, f"{note.id}/{n}", n) for n in range(1, len(gaps) + 1) if n not in unmatchable]

    def question(self, card: Card) -> str:
        return cloze.render(self.body_of(card.note).text, hidden=card.ordinal)

    def expected_answer(self, card: Card) -> str:
        return cloze.find_gaps(self.body_of(card.note).text)[card.ordinal - 1].answer

    def full_text(self, card: Card) -> str:
        """The text with every gap filled in."""
        return cloze.render(self.body_of(card.note).text, hidden=None)

    def answer_in_context(self, card: Card) -> list[tuple[str, bool]]:
        """The text with every gap filled in, the asked one marked."""
        text = self.body_of(card.note).text
        pieces: list[tuple[str, bool]] = []
        last = 0
        for number, gap in enumerate(cloze.find_gaps(text), start=1):
            pieces += [(text[last : gap.start], False), (gap.answer, number == card.ordinal)]
            last = gap.end
        pieces.append((text[last:], False))
        return pieces

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return check_typed(str(response), [self.expected_answer(card)], tolerance)

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return self.body_of(note).text, ""  # a spreadsheet row; the .apkg export writes Anki's own cloze note

    def from_faces(self, front: str, back: str) -> ClozeBody:
        return ClozeBody(front)
