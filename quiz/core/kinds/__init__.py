"""The card kinds, one module each, registered here by name: a new kind is its module, one line below and its
name in quiz.core.kindnames (which a start reads without loading the kinds)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from quiz.core.kindnames import KIND_NAMES
from quiz.core.kinds.base import CardKind
from quiz.core.kinds.basic import Basic, Reverse
from quiz.core.kinds.choice import Choice, Multi, TrueFalse
from quiz.core.kinds.cloze import Cloze
from quiz.core.kinds.match import Match
from quiz.core.kinds.occlusion import Occlusion
from quiz.core.kinds.order import Order
from quiz.core.kinds.typed import Typed
from quiz.core.model import Note

_REGISTERED: tuple[CardKind, ...] = (  # one line per kind, in the order `quiz new` and the docs list them
    Basic(),
    Reverse(),
    Cloze(),
    Typed(),
    Choice(),
    Multi(),
    TrueFalse(),
    Order(),
    Match(),
    Occlusion(),
)
KINDS: dict[str, CardKind] = {kind.name: kind for kind in _REGISTERED}
if tuple(KINDS) != KIND_NAMES:  # the store numbers kinds by this order: a mismatch would misread saved states
    raise ImportError(f"quiz.core.kindnames.KIND_NAMES must list the registered kinds in order: {tuple(KINDS)}")

#: Kinds the app checks by itself; the others are revealed and self-graded.
OBJECTIVE_KINDS = frozenset(name for name, kind in KINDS.items() if kind.objective)

#: Kinds a spreadsheet row (a front and a back) can hold.
TABLE_KINDS = tuple(name for name, kind in KINDS.items() if kind.from_faces("", "") is not None)


def new_note(
    id: str,
    kind: str,
    *,
    topic: str = "",
    tags: tuple[str, ...] = (),
    explain: str = "",
    sources: tuple[str, ...] = (),
    line: int = 0,
    images: tuple[str, ...] = (),
    outside: str = "",
    answer_images: tuple[str, ...] = (),
    siblings: str = "",
    **own: object,
) -> Note:
    """A note from the fields every note has and its kind's own field values (front, options, ...)."""
    body = KINDS[kind].body(own)
    return Note(id, kind, body, topic, tags, explain, sources, line, images, outside, answer_images, siblings)


def with_texts(note: Note, change: Callable[[str], str]) -> Note:
    """`note` with `change` made to each of its texts, in order: its kind's own fields' (a front, a back, a cloze's
    text, options, pairs, an occlusion's labels), its explanation and its `outside:` statement; the rest (its id,
    topic, tags, pictures, a setting such as an occlusion's `hide:`) as it is."""
    values, explain, outside = _changed(_holding_texts(note), change)
    body = KINDS[note.kind].body(KINDS[note.kind].field_values(note) | values)
    return replace(note, body=body, explain=explain, outside=outside)


def texts(note: Note) -> tuple[str, ...]:
    """The note's texts, in the order `with_texts` changes them."""
    found: list[str] = []

    def kept(text: str) -> str:
        found.append(text)
        return text

    _changed(_holding_texts(note), kept)
    return tuple(found)


def _holding_texts(note: Note) -> tuple[dict[str, Any], str, str]:
    """What of a note holds its texts: its kind's own field values but its settings, its explanation, its `outside:`
    statement."""
    kind = KINDS[note.kind]
    settings = {field.name for field in kind.fields if field.setting}
    own = {name: value for name, value in kind.field_values(note).items() if name not in settings}
    return own, note.explain, note.outside


def _changed(value: Any, change: Callable[[str], str]) -> Any:
    """A value with `change` made to each text in it (in a mapping's values, a list, a pair, a region), in order, the
    rest as it is."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_changed(item, change) for item in value)
    if isinstance(value, dict):
        return {key: _changed(item, change) for key, item in value.items()}
    return value
