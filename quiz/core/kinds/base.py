"""What every card kind provides: the `CardKind` protocol; its YAML fields; `SingleCard`, defaults for one card.

A kind's module defines its body (the frozen value a note of the kind carries: its own fields, named as
in the deck file) and the kind itself; `quiz.core.kinds` registers it by name.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from quiz.core.answertext import as_seen
from quiz.core.fieldreader import ANSWER, CARD_TEXT, FieldReader, Limit
from quiz.core.model import Card, Note
from quiz.core.yamlsafe import Node, SequenceNode

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
    setting: bool = False  # a word quiz knows (an occlusion's `hide:`), not the author's text (kinds.texts)


class FlowMapping(dict[str, Any]):
    """A mapping a deck file writes on one line, `{x: 0.1, y: 0.2}` (quiz.core.deckwriter)."""


def text_field(name: str, limit: Limit = CARD_TEXT) -> Field:
    return Field(name, lambda reader, node, name: reader.text(node, name, limit))


def _read_texts(reader: FieldReader, node: Node, name: str, most: int | None) -> tuple[str, ...] | None:
    texts = reader.text_list(node, name, ANSWER, most)
    return None if texts is None else tuple(texts)


def text_list_field(name: str, most: int | None = None, optional: bool = False) -> Field:
    """A list of answers; `most` bounds it when the kind's rules do not."""
    return Field(name, lambda reader, node, name: _read_texts(reader, node, name, most), list, optional)


@dataclass(frozen=True, slots=True)
class StudiedAs:
    """A note studied as another kind (`CardKind.studied_as`): that kind, its values, why (what the note's own
    kind refuses) and how to fix it."""

    kind: str
    values: dict[str, Any]
    why: str
    fix: str


class CardKind(Protocol):
    """One kind of card: its fields, the cards a note makes, what they show, how answers are checked, Anki faces."""

    @property
    def name(self) -> str:
        """What a deck file's `kind:` says, and what the store keeps."""
        ...

    @property
    def needs_picture(self) -> bool:
        """Whether a card of the kind is nothing without its picture (an import skips it when it is missing)."""
        ...

    @property
    def example(self) -> str:
        """Its card in the template deck `quiz new` writes, commented, indented as an entry of `cards:`; it may
        use the template's topics (`basics`, `details`) and source (`my-book`)."""
        ...

    def body(self, values: dict[str, Any]) -> Any:
        """A note's body from the kind's own field values, each read and checked."""
        ...

    def field_values(self, note: Note) -> dict[str, Any]:
        """The kind's own field values of a note (what `body` was made from)."""
        ...

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

    def studied_as(self, values: dict[str, Any]) -> StudiedAs | None:
        """The kind a note of these (checked) values is studied as when not its own, for a note a rule newer than
        quiz once was refuses (an older quiz loaded it, and its importer wrote it): the deck still loads, the note
        is kept as another kind and `check` warns. None: as itself (nearly always)."""
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
        """The .apkg note type: "basic", "reverse", "typed", "cloze" or "occlusion"; kinds Anki lacks become
        "basic"."""
        ...

    def anki_faces(self, note: Note) -> tuple[str, str]:
        """(front, back) as plain text, for an Anki note or a spreadsheet row."""
        ...

    def from_faces(self, front: str, back: str) -> Any | None:
        """A body from a spreadsheet row's front and back (a cloze's text in the front), or None when the
        kind cannot be written as two faces."""
        ...

    def answer_in_context(self, card: Card) -> list[tuple[str, bool]] | None:
        """The answer shown inside the card's text, as pieces (True for the asked one); None: on its own."""
        ...

    def details(self, note: Note) -> list[tuple[str, list[str]]]:
        """What a card page shows besides question and answer (a choice's options), as (label, entries) rows."""
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
    own = kind.field_values(note)
    return {field.name: field.write(own[field.name]) for field in kind.fields if own[field.name] or not field.optional}


def distinct(reader: FieldReader, node: Node, name: str, values: list[str]) -> bool:
    """Whether no two entries look the same (`as_seen`); else a problem at the second one's own position."""
    entries = node.value if isinstance(node, SequenceNode) and len(node.value) == len(values) else [node] * len(values)
    first_of: dict[str, str] = {}
    for value, entry in zip(values, entries, strict=True):
        seen = as_seen(value)
        if seen not in first_of:
            first_of[seen] = value
            continue
        first = first_of[seen]
        if first == value:
            reader.problem(entry, f"'{name}' lists {value!r} twice", "make every entry different")
        else:
            reader.problem(
                entry,
                f"'{name}' lists {first!r} and {value!r}, which look the same: they differ only in invisible"
                " characters or in how an accent is written",
                "make every entry different, and remove the invisible characters",
            )
        return False
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


BodyT = TypeVar("BodyT")


def body_as(note: Note, body_type: type[BodyT]) -> BodyT:
    """A note's body, typed; a note of another kind is a programming error."""
    body = note.body
    if not isinstance(body, body_type):
        raise TypeError(f"note {note.id!r} of kind {note.kind!r} has no {body_type.__name__}")
    return body


class HasFront(Protocol):
    @property
    def front(self) -> str: ...


FrontBodyT = TypeVar("FrontBodyT", bound=HasFront)


class KindBase(ABC, Generic[BodyT]):
    """What every kind does the same way: its body is a frozen dataclass named `body_type`, whose fields are the
    kind's YAML fields, and nothing is added to a card page or shown in the card's text."""

    name: str
    body_type: type[BodyT]
    fields: tuple[Field, ...]  # named as the body's own fields
    needs_picture = False

    def body(self, values: dict[str, Any]) -> BodyT:
        return self.body_type(**values)

    def body_of(self, note: Note) -> BodyT:
        return body_as(note, self.body_type)

    def field_values(self, note: Note) -> dict[str, Any]:
        body = self.body_of(note)
        return {field.name: getattr(body, field.name) for field in self.fields}

    def from_faces(self, front: str, back: str) -> BodyT | None:
        return None

    def studied_as(self, values: dict[str, Any]) -> StudiedAs | None:
        return None

    def answer_in_context(self, card: Card) -> list[tuple[str, bool]] | None:
        return None

    def details(self, note: Note) -> list[tuple[str, list[str]]]:
        return []


class SingleCard(KindBase[FrontBodyT]):
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
        return self.body_of(card.note).front

    @abstractmethod
    def expected_answer(self, card: Card) -> str: ...

    def full_text(self, card: Card) -> str:
        return self.expected_answer(card)


def shown_order(items: list[str]) -> list[str]:
    """The items (given in their right order) in a fixed order that is not the answer: alphabetical, or
    reversed when alphabetical gives it away."""
    shown = sorted(items, key=str.casefold)
    return shown[::-1] if shown == items else shown
