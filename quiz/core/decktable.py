"""The layout of quiz's own CSV/TSV deck table, shared by the exporter that writes it and the importer.

Its header row is what marks a file quiz wrote. A cell a spreadsheet would run as a formula (OWASP "CSV
injection") is written with a `'` in front; only a file with that header gets the `'` taken off again, so
a hand-made or Anki cell that starts with `'` keeps it.

The `front` and `back` columns hold what a spreadsheet reader wants to see; whatever of a card they cannot
give back (a typed card's `accept`, a choice's options, tags holding commas, an `outside:` statement, a
`siblings:` id) is in the `fields` column, as the YAML a deck file holds, so that the table reads back exactly.
Only pictures and `sources:` are not: an occlusion row is read without its picture, which the deck's note gives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from quiz.core.deckwriter import dump
from quiz.core.fieldreader import MAX_LIST, OUTSIDE, TAG, FieldReader
from quiz.core.kinds import KINDS
from quiz.core.kinds.base import read_values, yaml_values
from quiz.core.model import Note
from quiz.core.problems import Problem, errors
from quiz.core.yamlsafe import STR, Node, ScalarNode, YamlProblem, compose_document

DECK_COLUMNS = ("id", "kind", "topic", "tags", "front", "back", "explain", "fields")
_OLD_COLUMNS = DECK_COLUMNS[:-1]  # what quiz wrote before the `fields` column: still its own table

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    """Any run of `'` (none included) then a formula start: quoting the run too keeps unquoting unambiguous."""
    return text.lstrip("'").startswith(_FORMULA_STARTS)


def quote_cell(text: str) -> str:
    """`=1+1` -> `'=1+1`, `'=x` -> `''=x`; any other text is written as it is."""
    return "'" + text if _needs_quote(text) else text


def unquote_cell(text: str) -> str:
    """The inverse of `quote_cell`: a `'` comes off only where `quote_cell` would have put one."""
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def is_quiz_table(header: Sequence[str] | None) -> bool:
    """Whether a header row is the one `quiz export` writes (exactly, in order), now or before `fields`."""
    return header is not None and tuple(header) in (DECK_COLUMNS, _OLD_COLUMNS)


def split_tags(text: str) -> list[str]:
    """A tags cell's tags: Anki writes them space-separated; spreadsheets often use commas or semicolons."""
    if "," in text or ";" in text:
        parts = text.replace(";", ",").split(",")
    else:
        parts = text.split()
    return [p.strip() for p in parts if p.strip()]


def tags_cell(tags: Sequence[str]) -> str:
    return ", ".join(tags)


# --- the fields column -----------------------------------------------------------------------------------


def fields_cell(note: Note) -> str:
    """The YAML of what the other columns cannot give back of `note` ("" when they give it all back)."""
    kind = KINDS[note.kind]
    faces = kind.from_faces(*kind.anki_faces(note))
    given = yaml_values(kind, replace(note, body=faces)) if faces is not None else {}
    extra = {name: value for name, value in yaml_values(kind, note).items() if given.get(name) != value}
    if tuple(dict.fromkeys(split_tags(tags_cell(note.tags)))) != note.tags:
        extra["tags"] = list(note.tags)
    if note.outside:
        extra["outside"] = note.outside
    if note.siblings:
        extra["siblings"] = note.siblings
    return dump(extra) if extra else ""


@dataclass(frozen=True)
class RowFields:
    """A row's card as the fields column completes it."""

    body: Any
    tags: tuple[str, ...] | None  # from the fields column; None: the tags column holds them
    outside: str = ""
    siblings: str = ""


def read_fields(kind_name: str, front: str, back: str, cell: str) -> tuple[RowFields | None, list[Problem]]:
    """The body of a row of kind `kind_name` from its `front`, `back` and fields cell, checked as the deck
    loader checks a card; None (with the reasons) when they do not make one. With an empty cell the body is
    the faces' (the importer checks it with the whole deck, as it checks any table's)."""
    kind = KINDS[kind_name]
    faces = kind.from_faces(front, back)
    if faces is not None and not cell.strip():  # most rows: no YAML to read
        return RowFields(faces, None), []
    reader = FieldReader("fields")
    cell_nodes = _mapping(reader, cell, (*(f.name for f in kind.fields), "tags", "outside", "siblings"))
    if cell_nodes is None:
        return None, reader.problems
    face_nodes: dict[str, Node] = {}
    if faces is not None:
        face_values = yaml_values(kind, Note("", kind_name, faces))
        face_nodes = _mapping(reader, dump(face_values), tuple(face_values)) or {}
    tags_node = cell_nodes.pop("tags", None)
    tags = reader.text_list(tags_node, "tags", TAG, MAX_LIST) if tags_node is not None else None
    outside_node = cell_nodes.pop("outside", None)
    outside = reader.text(outside_node, "outside", OUTSIDE) if outside_node is not None else ""
    siblings_node = cell_nodes.pop("siblings", None)
    siblings = reader.ident(siblings_node, "siblings") if siblings_node is not None else ""
    nodes = face_nodes | cell_nodes  # the fields cell wins
    if kind.needs_picture:  # a table holds no picture: an update gives the note the deck's (importers.target)
        nodes["image"] = ScalarNode(STR, "", 1, 1)
    for field in kind.fields:
        if field.name not in nodes and not field.optional:
            reader.at(1, 1, f"missing field '{field.name}'", f"add `{field.name}:` to the fields column")
    if not errors(reader.problems):
        values = read_values(kind, reader, nodes)
        if values is not None and not errors(reader.problems):
            read = RowFields(kind.body(values), None if tags is None else tuple(tags), outside or "", siblings or "")
            return read, reader.problems
    return None, reader.problems


def _mapping(reader: FieldReader, text: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
    try:
        root, yaml_problems = compose_document(text.encode("utf-8", "surrogatepass"))
    except YamlProblem as broken:
        reader.at(broken.line, broken.column, f"not readable as YAML: {broken.message}", broken.hint)
        return None
    for problem in yaml_problems:
        reader.at(problem.line, problem.column, problem.message, problem.hint)
    if root is None:
        return {}
    return reader.mapping(root, "the fields column", allowed)
