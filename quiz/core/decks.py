"""YAML deck files -> validated Decks. Every problem in a file is reported at once, with its position."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from quiz.core.deckfile import DeckFileError, LoadResult, read_deck_bytes
from quiz.core.fieldreader import (
    CARD_TEXT,
    DESCRIPTION,
    ID,
    IMAGE_PATH,
    MAX_LIST,
    MAX_PROBLEMS,
    OUTSIDE,
    PUBLISHER,
    SOURCE_TITLE,
    TAG,
    TITLE,
    URL,
    FieldReader,
    suggest,
)
from quiz.core.gcpause import gc_paused
from quiz.core.images import IMAGE_FIELDS, image_problem
from quiz.core.kinds import KINDS, new_note
from quiz.core.kinds.base import read_values
from quiz.core.model import Card, Deck, Note, Source, Topic
from quiz.core.problems import Problem, errors
from quiz.core.text import printable
from quiz.core.yamlsafe import (
    ALIAS_TAG,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    YamlProblem,
    compose_document,
    lines_with_a_hash_after_text,
)

DECK_FIELDS = ("deck", "title", "description", "sources", "topics", "cards")
SOURCE_FIELDS = ("id", "title", "publisher", "url")
TOPIC_FIELDS = ("id", "title")
COMMON_FIELDS = ("id", "kind", "siblings", "topic", "tags", "explain", "outside", *IMAGE_FIELDS, "sources")
KIND_FIELDS = {name: tuple(field.name for field in kind.fields) for name, kind in KINDS.items()}
SOURCE_LIMITS = {"id": ID, "title": SOURCE_TITLE, "publisher": PUBLISHER, "url": URL}


def _read_note(
    reader: FieldReader, node: Node, index: int, source_ids: set[str], topic_ids: set[str], note_lines: dict[str, int]
) -> Note | None:
    reader.card_id = f"#{index + 1}"
    if isinstance(node, MappingNode):
        # Read id and kind first, so every later message names the card and knows its fields.
        for key_node, value_node in node.value:
            if key_node.value == "id" and isinstance(value_node, ScalarNode) and value_node.tag != ALIAS_TAG:
                reader.card_id = value_node.value
    kind_node = next(
        (
            v
            for k, v in getattr(node, "value", [])
            if isinstance(node, MappingNode) and isinstance(k, ScalarNode) and k.value == "kind"
        ),
        None,
    )
    kind_name = kind_node.value if isinstance(kind_node, ScalarNode) else ""
    reported = kind_node is not None and kind_node.tag == ALIAS_TAG  # an alias, reported already
    kind = KINDS[kind_name].name if kind_name in KINDS else None  # the registry's string, shared by every note
    allowed = COMMON_FIELDS + (KIND_FIELDS[kind] if kind else tuple(f for fs in KIND_FIELDS.values() for f in fs))
    fields = reader.mapping(node, "a card", tuple(dict.fromkeys(allowed)))
    if fields is None:
        return None
    ok = True
    required = tuple(field.name for field in KINDS[kind].fields if not field.optional) if kind else ()
    for name in ("id", "kind") + required:
        if name not in fields:
            reader.problem(node, f"missing field '{name}'", f"add `{name}:` to the card")
            ok = False
    if "kind" in fields and kind is None and not reported:
        reader.problem(
            fields["kind"],
            f"unknown kind {kind_name!r}",
            suggest(kind_name, list(KINDS)) or f"use one of: {', '.join(KINDS)}",
        )
        ok = False
    card_id = reader.ident(fields["id"], "id") if "id" in fields else None
    if card_id is not None:
        if card_id in note_lines:
            reader.problem(
                fields["id"],
                f"duplicate card id '{card_id}' (first at line {note_lines[card_id]})",
                "give every card its own id",
            )
            ok = False
        else:
            note_lines[card_id] = fields["id"].line
    common: dict[str, Any] = {}
    if "siblings" in fields:
        common["siblings"] = reader.ident(fields["siblings"], "siblings")
    if "topic" in fields:
        topic = reader.ident(fields["topic"], "topic")
        if topic is not None and topic_ids and topic not in topic_ids:
            reader.problem(
                fields["topic"],
                f"topic '{topic}' is not declared in the deck's topics",
                suggest(topic, topic_ids) or "declare it under `topics:`",
            )
            topic = None
        common["topic"] = topic
    for name, limit in (("tags", TAG), ("sources", ID)):
        if name in fields:
            common[name] = reader.text_list(fields[name], name, limit, MAX_LIST)
    if "explain" in fields:
        common["explain"] = reader.text(fields["explain"], "explain", CARD_TEXT)
    if "outside" in fields:
        common["outside"] = reader.text(fields["outside"], "outside", OUTSIDE)
    for name, images in IMAGE_FIELDS.items():
        if name in fields:
            common[images] = _read_images(reader, fields[name], name)
    for cited in common.get("sources") or []:
        if cited not in source_ids:
            reader.problem(
                fields["sources"],
                f"cites source '{cited}', which the deck does not declare",
                suggest(cited, source_ids) or "add it to the deck's `sources:` list",
            )
            ok = False
    values = read_values(KINDS[kind], reader, fields) if kind is not None else None
    if kind is None or values is None or any(v is None for v in common.values()) or not ok or card_id is None:
        return None
    for name in ("tags", "sources"):
        if name in common:
            common[name] = tuple(common[name])
    if studied := KINDS[kind].studied_as(values):  # warned of by the kind's check
        kind, values = studied.kind, studied.values
    return new_note(card_id, kind, line=node.line, **common, **values)


def _read_images(reader: FieldReader, node: Node, name: str) -> tuple[str, ...] | None:
    """A note's picture field `name` (`image:`, `answer_image:`): one picture, or a list of them, each reported at
    its own path when it is wrong."""
    nodes = reader.sequence(node, name) if isinstance(node, SequenceNode) else [node]
    if nodes is None:
        return None
    if not 1 <= len(nodes) <= MAX_LIST:
        reader.problem(node, f"'{name}' lists {len(nodes)} pictures", f"list 1 to {MAX_LIST}, or remove `{name}:`")
        return None
    paths = [_read_image(reader, item, name) for item in nodes]
    return tuple(p for p in paths if p is not None) if None not in paths else None


def _read_image(reader: FieldReader, node: Node, name: str) -> str | None:
    """One picture file inside the deck's folder (quiz.core.images says what is checked)."""
    image = reader.text(node, name, IMAGE_PATH)
    if image is None:
        return None
    path_problem = image_problem(reader.path, image, False)
    if path_problem is not None:
        reader.problem(node, *path_problem, quoted=(repr(image),))  # as quoted there
        return None
    if not reader.check_files:
        return image
    problem = _picture_problem(reader, image)
    if problem is not None:
        reader.problem(node, *problem, elsewhere=True, quoted=(repr(image),), picture=image)
        return None
    return image


def _picture_problem(reader: FieldReader, image: str) -> tuple[str, str] | None:
    """The problem of the picture file `image` (None when it passes), looked at once per parse (the deck cache's look
    when given: once per load): a picture copied in or deleted meanwhile must not pass for one card and fail for
    another, nor differ from what LoadResult.pictures records, by which the deck cache keys the result."""
    if image not in reader.pictures:
        look = reader.look_at_picture
        reader.pictures[image] = look(image) if look is not None else image_problem(reader.path, image)
    return reader.pictures[image]


def cards_of(deck_id: str, note: Note) -> list[Card]:
    """The scheduled cards a note makes."""
    return KINDS[note.kind].cards_of(deck_id, note)


def _read_sources(reader: FieldReader, node: Node) -> list[Source] | None:
    items = reader.sequence(node, "sources")
    if items is None:
        return None
    sources: list[Source] = []
    for item in items:
        fields = reader.mapping(item, "a source", SOURCE_FIELDS)
        if fields is None:
            return None
        if "id" not in fields or "title" not in fields:
            reader.problem(item, "a source needs 'id' and 'title'", "add `id:` and `title:`")
            return None
        read = {
            name: reader.text(n, name, SOURCE_LIMITS[name]) if name != "id" else reader.ident(n, name)
            for name, n in fields.items()
        }
        values = {name: value for name, value in read.items() if value is not None}
        if len(values) != len(read):
            return None
        if any(s.id == values["id"] for s in sources):
            reader.problem(fields["id"], f"duplicate source id '{values['id']}'", "give every source its own id")
            return None
        sources.append(Source(**values))
    return sources


def source_problem(source: Source) -> str | None:
    """Why a deck's `sources:` could not hold `source` (None: it can): the loader's own check, run on the
    declaration as a deck file holds it (an empty field left out)."""
    declared = {name: value for name, value in asdict(source).items() if value}
    node, _ = compose_document(json.dumps([declared], ensure_ascii=False).encode("utf-8", "surrogatepass"))
    reader = FieldReader("")
    if node is not None:
        _read_sources(reader, node)
    return next((p.message for p in reader.problems if p.severity == "error"), None)


def _read_topics(reader: FieldReader, node: Node) -> list[Topic] | None:
    items = reader.sequence(node, "topics")
    if items is None:
        return None
    topics: list[Topic] = []
    for item in items:
        fields = reader.mapping(item, "a topic", TOPIC_FIELDS)
        if fields is None or "id" not in fields:
            if fields is not None:
                reader.problem(item, "a topic needs an 'id'", "add `id:`")
            return None
        topic_id = reader.ident(fields["id"], "id")
        title = reader.text(fields["title"], "title", TITLE) if "title" in fields else topic_id
        if topic_id is None or title is None:
            return None
        topics.append(Topic(topic_id, title))
    return topics


def parse_deck(
    data: bytes,
    path: str,
    check_files: bool = True,
    *,
    look_at_picture: Callable[[str], tuple[str, str] | None] | None = None,
) -> LoadResult:
    """Validate one deck file's bytes. Whatever the bytes, this returns: a deck, or positioned problems.

    check_files=False checks a picture's path but not its file: for a deck whose pictures are not written yet.
    look_at_picture(image): the problem of a picture file (None when it passes), as the deck cache looks at it once
    per load (one lstat for a picture with the stat it passed with); else image_problem's, for each picture.
    """
    return _validated(lambda reader: _parse_deck(reader, data, path), path, check_files, look_at_picture)


def check_tree(root: Node, path: str, check_files: bool = True) -> LoadResult:
    """Validate a deck given as its node tree (quiz.core.deckwriter's, for a deck quiz writes): the checks
    and messages of parse_deck, without the text (positions are 0)."""
    return _validated(lambda reader: _read_deck(reader, root, path), path, check_files)


def _validated(
    read: Callable[[FieldReader], LoadResult],
    path: str,
    check_files: bool,
    look_at_picture: Callable[[str], tuple[str, str] | None] | None = None,
) -> LoadResult:
    reader = FieldReader(path)
    reader.check_files = check_files
    reader.look_at_picture = look_at_picture
    try:
        with gc_paused():
            result = read(reader)
    except Exception as exc:  # a bug must not let a stranger's file crash the program; say where it happened
        reader.card_id = ""
        reader.problems = reader.problems[: MAX_PROBLEMS - 1]
        reader.problem(None, f"the deck could not be read ({type(exc).__name__}: {exc})", "please report this")
        result = LoadResult(path, None, reader.problems)
    reader.finish()  # the result holds reader.problems: one line now stands for those beyond MAX_PROBLEMS
    result.pictures = reader.pictures
    return result


def _parse_deck(reader: FieldReader, data: bytes, path: str) -> LoadResult:
    try:
        root, yaml_problems = compose_document(data)
    except YamlProblem as exc:
        reader.at(exc.line, exc.column, exc.message, exc.hint)
        return LoadResult(path, None, reader.problems)
    for found in yaml_problems:
        reader.at(found.line, found.column, found.message, found.hint)
    reader.hash_lines = lines_with_a_hash_after_text(data)
    if root is None:
        reader.problem(None, "the file is empty", "start it with `deck: an-id`")
        return LoadResult(path, None, reader.problems)
    return _read_deck(reader, root, path)


def _read_deck(reader: FieldReader, root: Node, path: str) -> LoadResult:
    fields = reader.mapping(root, "the deck", DECK_FIELDS)
    if fields is None:
        return LoadResult(path, None, reader.problems)
    for name in ("deck", "title", "cards"):
        if name not in fields:
            reader.problem(root, f"missing deck field '{name}'", f"add `{name}:` at the top level")
    deck_id = reader.ident(fields["deck"], "deck") if "deck" in fields else None
    title = reader.text(fields["title"], "title", TITLE) if "title" in fields else None
    description = reader.text(fields["description"], "description", DESCRIPTION) if "description" in fields else ""
    sources = _read_sources(reader, fields["sources"]) if "sources" in fields else []
    topics = _read_topics(reader, fields["topics"]) if "topics" in fields else []
    notes: list[Note] = []
    if "cards" in fields and (items := reader.sequence(fields["cards"], "cards")) is not None:
        source_ids = {s.id for s in sources or []}
        topic_ids = {t.id for t in topics or []}
        note_lines: dict[str, int] = {}
        for index, item in enumerate(items):
            note = _read_note(reader, item, index, source_ids, topic_ids, note_lines)
            if note is not None:
                notes.append(note)
        reader.card_id = ""
    if errors(reader.problems) or None in (deck_id, title, description, sources, topics):
        return LoadResult(path, None, reader.problems)
    assert deck_id is not None and title is not None and description is not None
    cards = tuple(card for note in notes for card in cards_of(deck_id, note))
    deck = Deck(deck_id, title, path, description, tuple(sources or ()), tuple(topics or ()), tuple(notes), cards)
    return LoadResult(path, deck, reader.problems)


def load_deck_file(path: str | Path) -> LoadResult:
    """Read (see quiz.core.deckfile) and validate one deck file."""
    try:
        data = read_deck_bytes(path).data
    except DeckFileError as exc:
        return LoadResult(str(path), None, [Problem(printable(str(path)), 0, 0, exc.message, exc.hint)])
    return parse_deck(data, str(path))
