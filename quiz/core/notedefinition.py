"""A note's quiz definition as one line of JSON, for the hidden `quiz` field of quiz's .apkg note types.

Anki has no choice, multi, truefalse, order or match card and no typed card with other accepted answers:
such a note goes to Anki as the faces Anki can show, and its definition (its kind and its own fields, as a
deck file holds them, and its explanation) rides along unseen, so `quiz import` gives the note back as
itself; an edit made to such a note in Anki does not come back. A note whose Anki faces already say
everything (basic, reverse, cloze, typed with one answer) carries none, so an edit made in Anki is what
comes back; when it has an `outside:` statement, which no Anki field holds, it carries only that.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quiz.core.kinds import KINDS
from quiz.core.kinds.base import yaml_values
from quiz.core.model import Note

FIELD = "quiz"  # the field's name in the note type; no template shows it
EXPLAIN = "explain"  # the note's explanation, beside its kind's own fields (none of which has this name)
OUTSIDE = "outside"  # its statement from outside its sources, likewise


def definition_of(note: Note) -> str:
    """The note's definition; only its `outside:` when its Anki faces give the rest back; "" when they give
    it all back."""
    kind = KINDS[note.kind]
    definition: dict[str, Any] = {}
    if kind.from_faces(*kind.anki_faces(note)) != note.body:
        definition = {"kind": note.kind, **yaml_values(kind, note)}
        if note.explain:
            definition[EXPLAIN] = note.explain
    if note.outside:
        definition[OUTSIDE] = note.outside
    return json.dumps(definition, ensure_ascii=False, separators=(",", ":")) if definition else ""


@dataclass(frozen=True)
class Definition:
    kind: str
    body: Any  # the kind's body
    explain: str
    outside: str = ""


def read_definition(text: str) -> Definition | None:
    """The definition in `text`; None when it is not one this quiz can read (the note's faces are used then).
    The values' types are checked here; their content is checked when the imported deck is loaded back."""
    data = _json_object(text)
    if data is None or data.get("kind") not in KINDS or not isinstance(data.get(EXPLAIN, ""), str):
        return None
    kind = KINDS[data["kind"]]
    values: dict[str, Any] = {}
    for field in kind.fields:
        if field.name not in data:
            if not field.optional:
                return None
            values[field.name] = ()  # an optional field is a list, left out when empty
            continue
        value = _read(data[field.name], field.write)
        if value is None:
            return None
        values[field.name] = value
    try:
        return Definition(data["kind"], kind.body(values), data.get(EXPLAIN, ""), outside_in(text))
    except TypeError:
        return None


def outside_in(text: str) -> str:
    """The `outside:` statement a definition (or a definition of only that) holds; "" when none is readable."""
    data = _json_object(text)
    outside = data.get(OUTSIDE, "") if data is not None else ""
    return outside if isinstance(outside, str) else ""


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _read(value: Any, written_as: Callable[[Any], Any]) -> Any:
    """A JSON value as a body holds it, when it has the type the field is written as (`Field.write`): a list
    of texts as a tuple, a mapping of texts as (key, value) pairs, a yes/no, else a text."""
    if written_as is list:
        return tuple(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
    if written_as is dict:
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return tuple(value.items()) if ok else None
    if written_as is bool:
        return value if isinstance(value, bool) else None
    return value if isinstance(value, str) else None
