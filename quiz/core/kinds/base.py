"""What every card kind provides: the `CardKind` protocol; its YAML fields; `SingleCard`, defaults for one card."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from quiz.core.fieldreader import ANSWER, CARD_TEXT, FieldReader, Limit
from quiz.core.model import Card, Kind, Note
from quiz.core.yamlsafe import Node

#: What a user can give: typed text (typed, cloze, choice option), a set of options (multi), True/False,
#: the items in an order, left -> right pairs (match); None means "revealed without answering".
Response = str | frozenset[str] | bool | tuple[str, ...] | dict[str, str] | None

MAX_OPTIONS = 9  # number keys 1-9 pick an option


def _as_read(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Field:
    """One of a kind's YAML fields: how its node is read (None after reporting a mistake) and written back."""

    name: str
    read: Callable[[FieldReader, Node, str], Any]
    write: Callable[[Any], Any] = _as_read
    optional: bool = False


def text_field(name: str, limit: Limit = CARD_TEXT) -> Field:
    return Field(name, lambda reader, node, name: reader.text(node, name, limit))


def _read_texts(reader: FieldReader, node: Node, name: str, most: int | None) -> tuple[str, ...] | None:
    texts = reader.text_list(node, name, ANSWER, most)
    return None if texts is None else tuple(texts)


def text_list_field(name: str, most: int | None = None, optional: bool = False) -> Field:
    """A list of answers; `most` bounds it when the kind's rules do not."""
    return Field(name, lambda reader, node, name: _read_texts(reader, node, name, most), list, optional)


class CardKind(Protocol):
    """One kind of card: its fields, the cards a note makes, what they show, how answers are checked, Anki faces."""

    @property
    def kind(self) -> Kind: ...

    def label(self, card: Card) -> str:
        """What the study screen calls the card: its kind, and its side for a two-sided note."""
        ...

    @property
    def fields(self) -> tuple[Field, ...]:
        """The kind's own YAML fields, in the order a deck file writes them."""
        ...

    @property
    def objective(self) -> bool:
        """Whether the app checks the answer itself (only such kinds are asked in exams)."""
        ...

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        """The kind's rules across its fields, each already read; False after reporting a broken one."""
        ...

    def cards_of(self, deck_id: str, note: Note) -> list[Card]: ...

    def question(self, card: Card) -> str: ...

    def expected_answer(self, card: Card) -> str:
        """The right answer, written out for display after answering."""
        ...

    def full_text(self, card: Card) -> str:
        """The complete back of the card."""
        ...

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        """(correct, near_miss) for a given, non-empty response; only asked of objective kinds."""
        ...

    @property
    def anki_note_type(self) -> str:
        """The .apkg note type: "basic", "reverse", "typed" or "cloze"; kinds Anki lacks become "basic"."""
        ...

    def anki_faces(self, note: Note) -> tuple[str, str]:
        """(front, back) as plain text, for an Anki note or a spreadsheet row."""
        ...


def read_values(kind: CardKind, reader: FieldReader, nodes: dict[str, Node]) -> dict[str, Any] | None:
    """The kind's own values, checked; None when any is wrong or missing (reported where the card is read)."""
    values: dict[str, Any] = {}
    ok = True
    for field in kind.fields:
        node = nodes.get(field.name)
        if node is None:
            continue
        values[field.name] = field.read(reader, node, field.name)
        ok = ok and values[field.name] is not None
    if not ok or any(field.name not in values for field in kind.fields if not field.optional):
        return None
    return values if kind.check(reader, nodes, values) else None


def yaml_values(kind: CardKind, note: Note) -> dict[str, Any]:
    """The kind's own fields of a note, as a deck file holds them; an empty optional field left out."""
    values: dict[str, Any] = {}
    for field in kind.fields:
        value = getattr(note, field.name)
        if field.optional and not value:
            continue
        values[field.name] = field.write(value)
    return values


def distinct(reader: FieldReader, node: Node, name: str, values: list[str]) -> bool:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            reader.problem(node, f"'{name}' lists {value!r} twice", "make every entry different")
            return False
        seen.add(value)
    return True


def count_between(reader: FieldReader, node: Node, name: str, count: int, low: int) -> bool:
    if count < low:
        reader.problem(node, f"'{name}' needs at least {low} entries, has {count}", f"add entries to '{name}'")
        return False
    if count > MAX_OPTIONS:
        reader.problem(node, f"'{name}' has {count} entries; at most {MAX_OPTIONS}", "split the card in two")
        return False
    return True


def several_distinct(reader: FieldReader, node: Node, name: str, values: list[str]) -> bool:
    """At least two entries, not too many, all different: what options and items need."""
    return count_between(reader, node, name, len(values), 2) and distinct(reader, node, name, values)


def bullets(entries: Iterable[str], mark: str = "•") -> str:
    """Entries one a line, for the plain text of an Anki note or a spreadsheet cell."""
    return "\n".join(f"{mark} {entry}" for entry in entries)


class SingleCard(ABC):
    """Defaults for a kind whose note makes one card showing its front, with no rules across its fields:
    the app checks the answer, and Anki gets it as a Basic note."""

    title: str  # what the study screen calls a card of the kind
    objective = True
    anki_note_type = "basic"

    def label(self, card: Card) -> str:
        return self.title

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        return True

    def cards_of(self, deck_id: str, note: Note) -> list[Card]:
        return [Card(deck_id, note, note.id, 0)]

    def question(self, card: Card) -> str:
        return card.note.front

    @abstractmethod
    def expected_answer(self, card: Card) -> str: ...

    def full_text(self, card: Card) -> str:
        return self.expected_answer(card)


def shown_order(items: list[str]) -> list[str]:
    """The items (given in their right order) in a fixed order that is not the answer: alphabetical, or
    reversed when alphabetical gives it away."""
    shown = sorted(items, key=str.casefold)
    return shown[::-1] if shown == items else shown
