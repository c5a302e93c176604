"""A note's quiz definition as one line of JSON, for the hidden `quiz` field of quiz's .apkg note types.

Anki has no choice, multi, truefalse, order or match card, no typed card with other accepted answers and
no label on an Image Occlusion mask: such a note goes to Anki as what Anki can show, and its definition (its
kind and its own fields, as a deck file holds them, and its explanation) rides along unseen, so `quiz
import` gives the note back as itself; an edit made to such a note in Anki does not come back. Its pictures
travel as any note's, in the package's media. A note whose Anki faces already say everything (basic,
reverse, cloze, typed with one answer) carries none, so an edit made in Anki is what comes back; when it
has an `outside:` statement, a `siblings:` id or cites sources, which no Anki field holds (its Sources field
shows only their titles), it carries only those: each source it cites as its deck declares it, so a new deck
made from the package declares them too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from quiz.core.fieldreader import FieldReader
from quiz.core.ids import is_id
from quiz.core.kinds import KINDS
from quiz.core.kinds.base import Field, yaml_values
from quiz.core.model import Note, Source
from quiz.core.problems import errors
from quiz.core.yamlsafe import YamlProblem, compose_document

FIELD = "quiz"  # the field's name in the note type; no template shows it
EXPLAIN = "explain"  # the note's explanation, beside its kind's own fields (none of which has this name)
OUTSIDE = "outside"  # its statement from outside its sources, likewise
SIBLINGS = "siblings"  # the id it shares with its siblings' notes (Note.siblings), likewise
SOURCES = "sources"  # the sources it cites, each as the deck declares it (id, title, publisher, url)
SOURCES_FIELD = "Sources"  # the Anki field that shows their titles on the back of quiz's note types


def definition_of(note: Note, cited: tuple[Source, ...] = ()) -> str:
    """The note's definition; only its `outside:`, `siblings:` and `cited` (the declarations of the sources it
    cites) when its Anki faces give the rest back; "" when they give it all back."""
    kind = KINDS[note.kind]
    definition: dict[str, Any] = {}
    if kind.from_faces(*kind.anki_faces(note)) != note.body:
        definition = {"kind": note.kind, **yaml_values(kind, note)}
        if note.explain:
            definition[EXPLAIN] = note.explain
    if note.outside:
        definition[OUTSIDE] = note.outside
    if note.siblings:
        definition[SIBLINGS] = note.siblings
    if cited:
        definition[SOURCES] = [{k: v for k, v in asdict(s).items() if v} for s in cited]
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
            continue  # left out when empty: the body's default, as when a deck file leaves it out
        value = _read(data[field.name], field)
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


def siblings_in(text: str) -> str:
    """The `siblings:` id a definition holds; "" when none is readable (not text, or not an id a deck file could
    hold: the note comes without it rather than make a deck that does not load)."""
    data = _json_object(text)
    siblings = data.get(SIBLINGS, "") if data is not None else ""
    return siblings if isinstance(siblings, str) and is_id(siblings) else ""


def sources_in(text: str) -> tuple[Source, ...]:
    """The declarations of the sources a definition says its note cites; () when none is readable."""
    data = _json_object(text)
    found = data.get(SOURCES) if data is not None else None
    names = {f.name for f in fields(Source)}
    return tuple(
        Source(**item)
        for item in (found if isinstance(found, list) else ())
        if isinstance(item, dict)
        and {"id", "title"} <= item.keys() <= names
        and all(isinstance(v, str) for v in item.values())
    )


def holds_definition(text: str) -> bool:
    """Whether `text` is what quiz writes in its hidden field, a JSON object (readable by this quiz or not)."""
    return text.startswith("{") and _json_object(text) is not None


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _read(value: Any, field: Field) -> Any:
    """A JSON value as a body holds it, when it has the type the field is written as (`Field.write`): a list
    of texts as a tuple, a mapping of texts as (key, value) pairs, a yes/no, else a text; a list or a mapping
    for a field written its own way (an occlusion's regions) is read by the field's reader, as a deck file's
    is (JSON is YAML)."""
    written_as = field.write
    if written_as is list:
        return tuple(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
    if written_as is dict:
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return tuple(value.items()) if ok else None
    if written_as is bool:
        return value if isinstance(value, bool) else None
    if isinstance(value, str):
        return value
    return _read_as_yaml(value, field) if isinstance(value, (list, dict)) else None


def _read_as_yaml(value: Any, field: Field) -> Any:
    try:
        node, problems = compose_document(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    except YamlProblem:
        return None
    if node is None or problems:
        return None
    reader = FieldReader(FIELD)
    read = field.read(reader, node, field.name)
    return None if errors(reader.problems) else read
