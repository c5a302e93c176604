"""Order cards: the user puts the items in their right order."""

from __future__ import annotations

from dataclasses import dataclass
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
from quiz.core.model import Card, Note
from quiz.core.yamlsafe import Node


@dataclass(frozen=True, slots=True)
class OrderBody:
    front: str
    items: tuple[str, ...]  # in the right order


class Order(SingleCard[OrderBody]):
    name = "order"
    example = """\
  # order: 2-9 items, written in the right order (they are shown shuffled).
  - id: example-order
    kind: order
    topic: details
    front: Put these in order, smallest first.
    items: [Atom, Molecule, Cell, Organ]
"""  # its card in the template `quiz new` writes
    body_type = OrderBody
    title = "put in order"
    fields = (text_field("front"), text_list_field("items"))

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        return several_distinct(reader, nodes["items"], "items", list(values["items"]))

    def expected_answer(self, card: Card) -> str:
        return " → ".join(self.body_of(card.note).items)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return (isinstance(response, tuple) and response == self.body_of(card.note).items), False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        body = self.body_of(note)
        return (
            f"{body.front}\n\n(put in order)\n" + bullets(shown_order(list(body.items))),
            "\n".join(f"{n}. {i}" for n, i in enumerate(body.items, 1)),
        )
