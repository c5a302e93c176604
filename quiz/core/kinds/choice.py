"""Choice, multi and true/false cards: the user picks among given options."""

from __future__ import annotations

from typing import Any

from quiz.core.fieldreader import ANSWER, FieldReader, suggest
from quiz.core.kinds.base import Field, Response, SingleCard, bullets, several_distinct, text_field, text_list_field
from quiz.core.model import Card, Kind, Note
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


class Choice(SingleCard):
    kind = Kind.CHOICE
    title = "pick one"
    fields = (text_field("front"), text_list_field("options"), text_field("answer", ANSWER))

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        options = values["options"]
        return _check_options(reader, nodes, options) and _answers_among(
            reader, nodes["answer"], [values["answer"]], options
        )

    def expected_answer(self, card: Card) -> str:
        return str(card.note.answer)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response == card.note.answer, False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return f"{note.front}\n\n" + bullets(note.options), str(note.answer)


class Multi(SingleCard):
    kind = Kind.MULTI
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
        return "; ".join(card.note.answers)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return isinstance(response, frozenset) and response == frozenset(card.note.answers), False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return f"{note.front}\n\n(pick every right option)\n" + bullets(note.options), "\n".join(note.answers)


class TrueFalse(SingleCard):
    kind = Kind.TRUEFALSE
    title = "true or false?"
    fields = (text_field("front"), Field("answer", lambda reader, node, name: reader.boolean(node, name), bool))

    def expected_answer(self, card: Card) -> str:
        return "True" if card.note.answer else "False"

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response is card.note.answer, False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return f"{note.front}\n\n(true or false?)", "True" if note.answer else "False"
