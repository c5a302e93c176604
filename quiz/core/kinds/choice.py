"""Choice, multi and true/false cards: the user picks among given options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quiz.core.fieldreader import ANSWER, FieldReader, suggest
from quiz.core.kinds.base import Field, Response, SingleCard, bullets, several_distinct, text_field, text_list_field
from quiz.core.model import Card, Note
from quiz.core.yamlsafe import Node


def _check_options(reader: FieldReader, nodes: dict[str, Node], options: tuple[str, ...]) -> bool:
    return several_distinct(reader, nodes["options"], "options", list(options))


def _answers_among(reader: FieldReader, where: Node, answers: list[str], options: tuple[str, ...]) -> bool:
    for answer in answers:
        if answer not in options:
            reader.problem(
                where,
                f"the answer {answer!r} is not one of the options",
                suggest(answer, options) or "copy it exactly from 'options'",
            )
            return False
    return True


@dataclass(frozen=True, slots=True)
class ChoiceBody:
    front: str
    options: tuple[str, ...]
    answer: str  # one of the options


@dataclass(frozen=True, slots=True)
class MultiBody:
    front: str
    options: tuple[str, ...]
    answers: tuple[str, ...]  # the right options


@dataclass(frozen=True, slots=True)
class TrueFalseBody:
    front: str
    answer: bool


def _options_row(options: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    return [("Options", list(options))]


class Choice(SingleCard[ChoiceBody]):
    name = "choice"
    example = """\
  # choice: pick one of 2-9 options; `answer` must be one of them, written exactly the same.
  - id: example-choice
    kind: choice
    topic: details
    front: Which planet is largest?
    options: [Mars, Jupiter, Venus]
    answer: Jupiter
"""  # its card in the template `quiz new` writes
    body_type = ChoiceBody
    title = "pick one"
    fields = (text_field("front"), text_list_field("options"), text_field("answer", ANSWER))

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        options = values["options"]
        return _check_options(reader, nodes, options) and _answers_among(
            reader, nodes["answer"], [values["answer"]], options
        )

    def expected_answer(self, card: Card) -> str:
        return self.body_of(card.note).answer

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response == self.body_of(card.note).answer, False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        body = self.body_of(note)
        return f"{body.front}\n\n" + bullets(body.options), body.answer

    def details(self, note: Note) -> list[tuple[str, list[str]]]:
        return _options_row(self.body_of(note).options)


class Multi(SingleCard[MultiBody]):
    name = "multi"
    example = """\
  # multi: pick every right option; each of `answers` must be one of `options`.
  - id: example-multi
    kind: multi
    topic: details
    front: Which of these are primary colours of light?
    options: [Red, Green, Yellow, Blue]
    answers: [Red, Green, Blue]
"""  # its card in the template `quiz new` writes
    body_type = MultiBody
    title = "pick all that apply"
    fields = (text_field("front"), text_list_field("options"), text_list_field("answers"))

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        options = values["options"]
        if not _check_options(reader, nodes, options):
            return False
        if not values["answers"]:
            reader.problem(nodes["answers"], "'answers' is empty", "list at least one right option")
            return False
        return _answers_among(reader, nodes["answers"], list(values["answers"]), options)

    def expected_answer(self, card: Card) -> str:
        return "; ".join(self.body_of(card.note).answers)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return isinstance(response, frozenset) and response == frozenset(self.body_of(card.note).answers), False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        body = self.body_of(note)
        return f"{body.front}\n\n(pick every right option)\n" + bullets(body.options), "\n".join(body.answers)

    def details(self, note: Note) -> list[tuple[str, list[str]]]:
        return _options_row(self.body_of(note).options)


class TrueFalse(SingleCard[TrueFalseBody]):
    name = "truefalse"
    example = """\
  # truefalse: a statement and whether it is true.
  - id: example-truefalse
    kind: truefalse
    topic: details
    front: Water boils at 100 °C at sea level.
    answer: true
"""  # its card in the template `quiz new` writes
    body_type = TrueFalseBody
    title = "true or false?"
    fields = (text_field("front"), Field("answer", lambda reader, node, name: reader.boolean(node, name), bool))

    def expected_answer(self, card: Card) -> str:
        return "True" if self.body_of(card.note).answer else "False"

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response is self.body_of(card.note).answer, False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return f"{self.body_of(note).front}\n\n(true or false?)", "True" if self.body_of(note).answer else "False"
