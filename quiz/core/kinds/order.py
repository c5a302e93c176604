"""Order cards: the user puts the items in their right order."""

from __future__ import annotations

from typing import Any

from quiz.core.fieldreader import FieldReader
from quiz.core.kinds.base import (
    Response,
    SingleCard,
    bullets,
    several_distinct,
    shown_order,
    text_field,
    text_list_field,
)
from quiz.core.model import Card, Kind, Note
from quiz.core.yamlsafe import Node


class Order(SingleCard):
    kind = Kind.ORDER
    title = "put in order"
    fields = (text_field("front"), text_list_field("items"))

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        return several_distinct(reader, nodes["items"], "items", list(values["items"]))

    def expected_answer(self, card: Card) -> str:
        return " → ".join(card.note.items)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return (tuple(response) == card.note.items if isinstance(response, tuple) else False), False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        return (
            f"{note.front}\n\n(put in order)\n" + bullets(shown_order(list(note.items))),
            "\n".join(f"{n}. {i}" for n, i in enumerate(note.items, 1)),
        )
