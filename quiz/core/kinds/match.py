"""Match cards: the user pairs each left side with its right side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quiz.core.answertext import as_seen
from quiz.core.fieldreader import ANSWER, FieldReader
from quiz.core.kinds.base import Field, Response, SingleCard, bullets, count_between, shown_order, text_field
from quiz.core.model import Card, Note
from quiz.core.yamlsafe import MappingNode, Node, SequenceNode


def _read_pairs(reader: FieldReader, node: Node, name: str) -> tuple[tuple[str, str], ...] | None:
    if not reader.fresh(node):
        return None
    entries: list[tuple[Node, Node]]
    if isinstance(node, SequenceNode) and node.value and all(isinstance(i, MappingNode) for i in node.value):
        if not all(reader.fresh(item) for item in node.value):  # also accept a list of one-entry mappings
            return None
        entries = [kv for item in node.value for kv in item.value]
    elif isinstance(node, MappingNode):
        entries = node.value
    else:
        reader.problem(node, "'pairs' must be a mapping of `left: right` entries", "write one `left: right` per line")
        return None
    pairs = []
    lines: tuple[dict[str, int], dict[str, int]] = ({}, {})
    for key_node, value_node in entries:
        left = reader.text(key_node, "pairs left side", ANSWER)
        right = reader.text(value_node, "pairs right side", ANSWER)
        if left is None or right is None:
            return None
        for side, value, where in (("left", left, key_node), ("right", right, value_node)):
            seen, looks = lines[side == "right"], as_seen(value)  # U+200B added makes no other side
            if looks in seen:
                reader.problem(
                    where,
                    f"the {side} side {value!r} appears twice in 'pairs' (lines {seen[looks]} and {where.line};"
                    " invisible characters do not make another)",
                    "make every entry different",
                )
                return None
            seen[looks] = where.line
        pairs.append((left, right))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class MatchBody:
    front: str
    pairs: tuple[tuple[str, str], ...]  # (left, right), in the deck's order


class Match(SingleCard[MatchBody]):
    name = "match"
    example = """\
  # match: 2-9 `left: right` pairs to match up.
  - id: example-match
    kind: match
    topic: details
    front: Match each country to its capital.
    pairs:
      France: Paris
      Japan: Tokyo
      Kenya: Nairobi
"""  # its card in the template `quiz new` writes
    body_type = MatchBody
    title = "match the pairs"
    fields = (text_field("front"), Field("pairs", _read_pairs, dict))

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        # no side twice: _read_pairs reports that at the entry, with both lines
        return count_between(reader, nodes["pairs"], "pairs", len(values["pairs"]), 2)

    def expected_answer(self, card: Card) -> str:
        return "; ".join(f"{left} → {right}" for left, right in self.body_of(card.note).pairs)

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        return response == dict(self.body_of(card.note).pairs), False

    def anki_faces(self, note: Note) -> tuple[str, str]:
        body = self.body_of(note)
        lefts = [left for left, _ in body.pairs]
        rights = shown_order([right for _, right in body.pairs])
        return (
            f"{body.front}\n\n" + bullets(lefts) + "\n\n" + bullets(rights, "◦"),
            "\n".join(f"{left} → {right}" for left, right in body.pairs),
        )
