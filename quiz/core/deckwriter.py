"""Notes -> deck YAML text that the loader reads back exactly: quoting by PyYAML's safe emitter, no tags or anchors.

Used by `quiz import` (untrusted text from CSV or Anki) and `quiz export FILE.yaml`. Text is never
pasted into YAML by hand: every scalar goes through the emitter, which quotes whatever needs it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypedDict, Unpack

import yaml

try:
    from yaml import CSafeDumper as _CDumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _CDumper

from quiz.core.gcpause import gc_paused
from quiz.core.images import IMAGE_FIELDS
from quiz.core.kinds import KINDS
from quiz.core.kinds.base import FlowMapping, yaml_values
from quiz.core.model import Deck, Note, Source, Topic
from quiz.core.text import decodable
from quiz.core.yamlsafe import SEQ, STR, MappingNode, Node, ScalarNode, SequenceNode, check_size, tree_of

# Characters YAML 1.1 reads as line breaks but that a block scalar would not give back as written.
_ODD_BREAK = re.compile("[\r\x85\u2028\u2029]")


class _Flow(list[str]):
    """A list written on one line: `tags: [a, b]`."""


# PyYAML ships no types (its stubs are the separate types-PyYAML): its classes are Any, hence the ignores.
class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML is untyped
    def ignore_aliases(self, data: Any) -> bool:  # never write &anchors or *aliases
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent lists under their key


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _node(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    """The representation of a deck's value: the dumpers' representer for text, lists and mappings. A card's
    is made by calling it directly (`_card`): the nodes `represent_data` gives, without its alias bookkeeping
    (the dumpers make no aliases) and its lookup by type, for each of an import's hundreds of thousands of
    values. Other values (booleans, numbers) get PyYAML's own representers."""
    kind = type(value)
    if kind is str:
        if not value.isascii():  # a name's undecodable bytes: the emitter's escape for one is refused by the loader
            value = decodable(value)
        # Multi-line text as a literal block (the emitter falls back to quotes when a block cannot hold
        # it); text with line breaks a block would normalise, or trailing ones, is written double-quoted
        # (escaped): a block keeping trailing breaks (`|+`) makes the emitter end the document with `...`
        style = None
        if value.endswith("\n") or _ODD_BREAK.search(value):
            style = '"'
        elif "\n" in value:
            style = "|"
        return yaml.ScalarNode(_STR, value, style=style)
    if kind is _Flow or kind is list or kind is tuple:  # a _Flow on one line: `tags: [a, b]`
        return yaml.SequenceNode(_SEQ, [_node(dumper, item) for item in value], flow_style=kind is _Flow)
    if kind is FlowMapping or kind is dict:  # a FlowMapping on one line: `{x: 0.1, y: 0.2}`
        items = [(_node(dumper, key), _node(dumper, item)) for key, item in value.items()]
        return yaml.MappingNode(_MAP, items, flow_style=kind is FlowMapping)
    return dumper.represent_data(value)


# libyaml's emitter: about five times faster, for the (many) cards
class _FastDumper(_CDumper):  # type: ignore[misc]  # PyYAML is untyped, as above
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The tag the loader would give a node written without one: the emitter asks twice for each text
        (as plain, then as quoted) to know whether a tag must be written. Only plain text starting as some
        implicit tag's text does (`true`, `12`, `~`...) needs the resolver's patterns; the rest is its default."""
        if kind is yaml.ScalarNode and implicit[0] and value[:1] in _IMPLICIT_STARTS:
            return str(super().resolve(kind, value, implicit))
        return _DEFAULT_TAGS[kind]


_IMPLICIT_STARTS = frozenset(_FastDumper.yaml_implicit_resolvers)  # first characters ('' for empty text)
_DEFAULT_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}
assert None not in _IMPLICIT_STARTS, "a resolver for any first character would make every text need the patterns"
assert not _FastDumper.yaml_path_resolvers, "a path resolver would make a node's default tag depend on its place"


for _dumper in (_Dumper, _FastDumper):
    for _type in (str, _Flow, list, tuple, FlowMapping, dict):
        _dumper.add_representer(_type, _node)


def dump(data: Any, fast: bool = False) -> str:
    return _written(data, fast)[0]


def _written(data: Any, fast: bool) -> tuple[str, Any]:
    """`data` as YAML text (as yaml.dump writes it), and the representation it was written from: PyYAML's
    node tree, whose tags and text are what the loader reads back from that text."""
    stream = io.StringIO()
    dumper = (_FastDumper if fast else _Dumper)(
        stream, default_flow_style=False, width=100, allow_unicode=True, sort_keys=False
    )
    try:
        dumper.open()
        represented = dumper.represent_data(data)
        dumper.serialize(represented)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue(), represented


_BATCH = 64  # cards written by one dumper
_ENTRY = re.compile("^(?=- )", re.MULTILINE)  # where each entry of a list written at the top level starts


def card_blocks(notes: Iterable[Note]) -> Iterator[tuple[str, Any]]:
    """Each card's `  - id: ...` entry of the `cards:` list, and its representation (a mapping node). The
    cards are written `_BATCH` at a time, as one list by one dumper: a dumper made per card took a third
    of the cards' writing. A list's text is its entries one after another, each the text the card alone
    gives: an entry starts with `- ` at the start of a line, and every other line of it is indented."""
    batch: list[Note] = []
    for note in notes:
        batch.append(note)
        if len(batch) == _BATCH:
            yield from _batch_blocks(batch)
            batch = []
    if batch:
        yield from _batch_blocks(batch)


def _batch_blocks(notes: list[Note]) -> Iterator[tuple[str, Any]]:
    text, represented = _written([note_fields(note) for note in notes], fast=True)
    entries = _ENTRY.split(text)[1:]  # the text starts with the first entry
    for entry, node in zip(entries, represented.value, strict=True):
        lines = entry.splitlines(keepends=True)
        yield "".join(line if line == "\n" else "  " + line for line in lines), node  # indentation is relative


def comment(text: str) -> str:
    """`# text` lines; anything that could end a comment early (line breaks, controls) becomes '?'."""
    lines = []
    for line in text.split("\n"):
        safe = "".join(ch if ch.isprintable() else "?" for ch in line)
        lines.append(f"# {safe}".rstrip())
    return "\n".join(lines) + "\n"


def note_fields(note: Note) -> dict[str, Any]:
    """The note as the ordered mapping a deck file holds; empty optional fields left out."""
    fields: dict[str, Any] = {"id": note.id, "kind": note.kind}
    if note.siblings:
        fields["siblings"] = note.siblings
    if note.topic:
        fields["topic"] = note.topic
    if note.tags:
        fields["tags"] = _Flow(note.tags)
    fields |= yaml_values(KINDS[note.kind], note)
    if note.explain:
        fields["explain"] = note.explain
    if note.outside:
        fields["outside"] = note.outside
    for name, attribute in IMAGE_FIELDS.items():
        if images := getattr(note, attribute):  # one picture as a path, as most decks write it; several as a list
            fields[name] = images[0] if len(images) == 1 else _Flow(images)
    if note.sources:
        fields["sources"] = _Flow(note.sources)
    return fields


class DeckHead(TypedDict, total=False):
    """A deck's own fields besides its id and title, each left out when empty, and the comment header above them."""

    description: str
    sources: Iterable[Source]
    topics: Iterable[Topic]
    header: str


def deck_text(deck_id: str, title: str, notes: Iterable[Note], **head_fields: Unpack[DeckHead]) -> str:
    """A whole deck file: an optional comment header, the deck fields, then one block per card."""
    head, parts = _head(deck_id, title, **head_fields)
    parts.append(dump(head))
    return _whole(parts, [block for block, _node in card_blocks(notes)])


def deck_document(deck_id: str, title: str, notes: Iterable[Note], **head_fields: Unpack[DeckHead]) -> tuple[str, Node]:
    """deck_text, and the node tree the loader reads from it (made from the same representation as the
    text, so a deck quiz writes is checked by quiz.core.decks.check_tree without parsing it again).
    YamlProblem when the text would be too large for a deck, or hold too many values."""
    head, parts = _head(deck_id, title, **head_fields)
    head_text, head_represented = _written(head, fast=False)
    parts.append(head_text)
    root, counted = tree_of(head_represented)
    counted += 2  # the `cards` key and its list
    blocks, trees = [], []
    with gc_paused():  # the card trees are kept: the collector would only rescan them
        for block, represented in card_blocks(notes):
            tree, counted = tree_of(represented, counted)
            blocks.append(block)
            trees.append(tree)
    text = _whole(parts, blocks)
    check_size(len(text.encode("utf-8")))
    assert isinstance(root, MappingNode)
    root.value.append((ScalarNode(STR, "cards", 0, 0), SequenceNode(SEQ, trees, 0, 0)))
    return text, root


def _whole(parts: list[str], blocks: list[str]) -> str:
    """The deck's text: `parts` (its head), then its cards' blocks, a blank line between them. Joined once: a
    shared deck's 10 MB of cards, joined and then added to the head, were held three times over at an update's
    peak."""
    if not blocks:
        return "".join([*parts, "cards: []\n"])
    separated = ["\n"] * (2 * len(blocks) - 1)
    separated[::2] = blocks
    return "".join([*parts, "cards:\n", *separated])


def _head(
    deck_id: str,
    title: str,
    *,
    description: str = "",
    sources: Iterable[Source] = (),
    topics: Iterable[Topic] = (),
    header: str = "",
) -> tuple[dict[str, Any], list[str]]:
    """The deck's own fields, and the text before them (the comment header)."""
    head: dict[str, Any] = {"deck": deck_id, "title": title}
    if description:
        head["description"] = description
    source_list = [{k: v for k, v in vars_of(s).items() if v} for s in sources]
    if source_list:
        head["sources"] = source_list
    topic_list = [{"id": t.id, "title": t.title} for t in topics]
    if topic_list:
        head["topics"] = topic_list
    return head, [comment(header)] if header else []


def vars_of(source: Source) -> dict[str, str]:
    return {"id": source.id, "title": source.title, "publisher": source.publisher, "url": source.url}


_BOM = b"\xef\xbb\xbf"
_SNIFFED = 1 << 16  # bytes read to find the first line's end: a deck's first line is short


def file_style(path: str | Path) -> tuple[str, str]:
    """How the deck file at `path` is written, as `open` takes it (newline, encoding), so a deck quiz writes
    again keeps it: Windows line ends and a byte-order mark, as her editor saved them, stay (else a diff of
    the deck shows every line changed). The first line's end decides (one mixing both is written with it
    throughout). A file not there, or with Unix line ends: ("\n", "utf-8")."""
    try:
        with open(path, "rb") as file:
            start = file.read(_SNIFFED)
    except OSError:
        start = b""
    end = start.find(b"\n")
    newline = "\r\n" if end > 0 and start[end - 1 : end] == b"\r" else "\n"
    return newline, "utf-8-sig" if start.startswith(_BOM) else "utf-8"


def deck_to_text(deck: Deck, header: str = "") -> str:
    return deck_text(
        deck.id,
        deck.title,
        deck.notes,
        description=deck.description,
        sources=deck.sources,
        topics=deck.topics,
        header=header,
    )
