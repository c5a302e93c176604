"""YAML deck files -> validated Decks. Every problem in a file is reported at once, with its position."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz.core import cloze
from quiz.core.deckfile import DeckFileError, read_deck_bytes
from quiz.core.ids import is_id
from quiz.core.kinds import KINDS
from quiz.core.model import Card, Deck, Kind, Note, Source, Topic
from quiz.core.problems import Problem, Severity, errors
from quiz.core.text import printable, sanitize
from quiz.core.yamlsafe import (
    ALIAS_TAG,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    YamlProblem,
    compose_document,
    gc_paused,
)
from quiz.core.yamlsafe import TAG as _TAG  # the YAML tag prefix: TAG below is a tag's Limit

DECK_SUFFIXES = (".yaml", ".yml")
MAX_OPTIONS = 9  # number keys 1-9 pick an option
MAX_GAPS = 50  # cloze gaps in one note: each is a card, and every card of the note draws the whole text
MAX_LIST = 50  # tags, accepted answers or sources of one card
MAX_PROBLEMS = 100  # per file; the rest are counted in one last line

_TEXT_TAGS = {_TAG + t for t in ("str", "int", "float", "timestamp", "bool")}
_PLAIN_TAGS = _TEXT_TAGS | {_TAG + t for t in ("null", "seq", "map", "merge")}
_BOOL_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}

DECK_FIELDS = ("deck", "title", "description", "sources", "topics", "cards")
SOURCE_FIELDS = ("id", "title", "publisher", "url")
TOPIC_FIELDS = ("id", "title")
COMMON_FIELDS = ("id", "kind", "topic", "tags", "explain", "sources")
KIND_FIELDS = {name: kind.fields for name, kind in KINDS.items()}
OPTIONAL_FIELDS = {"topic", "tags", "explain", "sources", "accept"}


@dataclass(frozen=True, slots=True)
class Limit:
    """The most one text field may hold: generous for real decks (the shipped deck's longest card text has
    230 characters, on one line), and small enough that the screens drawing a field on every key stay
    instant (a 5 MB front took seconds per key; a 200 KB title filled the home screen)."""

    chars: int
    lines: int | None = 1  # None: not counted


ID = Limit(100)  # ids also match quiz.core.ids.ID_PATTERN, which says the same
TITLE = Limit(200, lines=None)  # a deck's or a topic's: the screens draw it on one line, line breaks shown
TAG = Limit(100, lines=None)  # a line break in a tag is harmless: only its length is bounded
SOURCE_TITLE = Limit(500)  # a book's or a paper's title
PUBLISHER = Limit(200)
URL = Limit(2_000)
DESCRIPTION = Limit(5_000, 100)
CARD_TEXT = Limit(10_000, 200)  # a front, back, cloze text or explanation: a page or two
ANSWER = Limit(1_000, 20)  # an answer, an option, an item to order, a side of a pair
KIND_LIMITS = {"front": CARD_TEXT, "back": CARD_TEXT, "text": CARD_TEXT} | dict.fromkeys(
    ("answer", "accept", "options", "answers", "items", "pairs"), ANSWER
)
SOURCE_LIMITS = {"id": ID, "title": SOURCE_TITLE, "publisher": PUBLISHER, "url": URL}


@dataclass
class LoadResult:
    path: str
    deck: Deck | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.deck is not None and not errors(self.problems)


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class _Reader:
    """Reads values out of the node tree, recording a positioned problem for each mistake."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.shown_path = printable(path)
        self.problems: list[Problem] = []
        self.hidden = [0, 0]  # warnings, errors not recorded beyond MAX_PROBLEMS
        self.card_id = ""

    def problem(self, node: Node | None, message: str, hint: str = "", severity: Severity = "error") -> None:
        line, column = (node.line, node.column) if node else (1, 1)
        self.at(line, column, message, hint, severity)

    def at(self, line: int, column: int, message: str, hint: str = "", severity: Severity = "error") -> None:
        """Record a problem. Messages quote deck text, so they are made printable like the text itself."""
        if len(self.problems) >= MAX_PROBLEMS:  # a hostile file could otherwise make millions
            self.hidden[severity == "error"] += 1
            return
        self.problems.append(
            Problem(
                self.shown_path,
                line,
                column,
                printable(message),
                printable(hint),
                printable(self.card_id),
                severity,
            )
        )

    def finish(self) -> list[Problem]:
        """The problems, with one line standing for those beyond MAX_PROBLEMS."""
        warnings, errors_ = self.hidden
        if warnings or errors_:
            self.hidden = [0, 0]
            self.card_id = ""
            self.problems.append(
                Problem(
                    self.shown_path,
                    0,
                    0,
                    f"{warnings + errors_} more problems are not shown",
                    "fix the ones above and validate again",
                    severity="error" if errors_ else "warning",
                )
            )
        return self.problems

    def _fresh(self, node: Node) -> bool:
        """False for what decks may not hold: an alias (already reported when parsed) or an explicit tag."""
        if node.tag in _PLAIN_TAGS:
            return True
        if node.tag != ALIAS_TAG:
            self.problem(node, f"the YAML tag {node.tag!r} is not allowed", "remove the tag")
        return False

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
        if not self._fresh(node):
            return None
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what} must be a mapping of fields", "write it as `field: value` lines")
            return None
        fields: dict[str, Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == ALIAS_TAG:
                continue
            if key_node.tag == _TAG + "merge":
                self.problem(key_node, "merge keys (<<) are not allowed", "write the fields out in full")
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _TEXT_TAGS:
                self.problem(key_node, "a field name must be plain text", "write `name: value`")
                continue
            key = key_node.value
            if key in first_line:
                self.problem(
                    key_node,
                    f"duplicate field '{key}' at line {key_node.line} (first at line {first_line[key]})",
                    "keep only one of them",
                )
                continue
            first_line[key] = key_node.line
            if key not in allowed:
                self.problem(
                    key_node,
                    f"unknown field '{key}' in {what}",
                    suggest(key, allowed) or f"allowed fields: {', '.join(allowed)}",
                )
                continue
            fields[key] = value_node
        return fields

    def text(self, node: Node, name: str, limit: Limit) -> str | None:
        if not self._fresh(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag not in _TEXT_TAGS:
            kind = "empty" if node.tag == _TAG + "null" else "not plain text"
            self.problem(node, f"'{name}' is {kind}", f"write '{name}' as text")
            return None
        if not self._within(node, name, limit):
            return None
        clean, changed = sanitize(node.value)
        if changed:
            self.problem(
                node,
                f"'{name}' held control or bidi characters; they are shown as \ufffd",
                "remove them from the file",
                "warning",
            )
        if not clean.strip():
            self.problem(node, f"'{name}' is empty", f"write some text for '{name}'")
            return None
        return clean

    def _within(self, node: ScalarNode, name: str, limit: Limit) -> bool:
        shorten = "shorten it" + (", or split the card in two" if self.card_id else "")
        if len(node.value) > limit.chars:
            self.problem(node, f"'{name}' is {len(node.value):,} characters long; at most {limit.chars:,}", shorten)
            return False
        lines = node.value.rstrip("\n").count("\n") + 1  # a block scalar's last line break is no line
        if limit.lines is not None and lines > limit.lines:
            if limit.lines == 1:
                self.problem(node, f"'{name}' must be one line; it has {lines:,} lines", "write it on one line")
            else:
                self.problem(node, f"'{name}' has {lines:,} lines; at most {limit.lines:,}", shorten)
            return False
        return True

    def boolean(self, node: Node, name: str) -> bool | None:
        if not self._fresh(node):
            return None
        if isinstance(node, ScalarNode) and node.tag == _TAG + "bool" and node.value.lower() in _BOOL_WORDS:
            return _BOOL_WORDS[node.value.lower()]
        self.problem(node, f"'{name}' must be true or false", f"write `{name}: true` or `{name}: false`")
        return None

    def sequence(self, node: Node, name: str) -> list[Node] | None:
        if not self._fresh(node):
            return None
        if not isinstance(node, SequenceNode):
            self.problem(node, f"'{name}' must be a list", f"write `{name}: [a, b]` or one `- item` per line")
            return None
        return list(node.value)

    def text_list(self, node: Node, name: str, limit: Limit, most: int | None = None) -> list[str] | None:
        """A list of texts; with `most`, of at most that many (others are bounded by the kind's rules)."""
        items = self.sequence(node, name)
        if items is None:
            return None
        if most is not None and len(items) > most:
            self.problem(node, f"'{name}' has {len(items):,} entries; at most {most}", "keep the ones that matter")
            return None
        values = [self.text(item, f"{name} item", limit) for item in items]
        texts = [v for v in values if v is not None]
        return texts if len(texts) == len(values) else None

    def ident(self, node: Node, name: str) -> str | None:
        value = self.text(node, name, ID)
        if value is not None and not is_id(value):
            self.problem(
                node,
                f"'{name}' {value!r} is not a valid id",
                "use letters, digits, '-', '_' or '.', starting with a letter or digit (at most 100)",
            )
            return None
        return value


def _distinct(reader: _Reader, node: Node, name: str, values: list[str]) -> bool:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            reader.problem(node, f"'{name}' lists {value!r} twice", "make every entry different")
            return False
        seen.add(value)
    return True


def _count_between(reader: _Reader, node: Node, name: str, count: int, low: int) -> bool:
    if count < low:
        reader.problem(node, f"'{name}' needs at least {low} entries, has {count}", f"add entries to '{name}'")
        return False
    if count > MAX_OPTIONS:
        reader.problem(node, f"'{name}' has {count} entries; at most {MAX_OPTIONS}", "split the card in two")
        return False
    return True


def _read_kind_fields(reader: _Reader, kind: Kind, fields: dict[str, Node]) -> dict[str, Any] | None:
    """The kind's own values, checked; None when any is wrong."""
    values: dict[str, Any] = {}
    ok = True
    for name in KIND_FIELDS[kind]:
        node = fields.get(name)
        if node is None:
            continue
        value: bool | str | tuple[str, ...] | tuple[tuple[str, str], ...] | None
        if kind is Kind.TRUEFALSE and name == "answer":
            value = reader.boolean(node, name)
        elif name in ("options", "answers", "items", "accept"):
            texts = reader.text_list(node, name, KIND_LIMITS[name], MAX_LIST if name == "accept" else None)
            value = None if texts is None else tuple(texts)
        elif name == "pairs":
            value = _read_pairs(reader, node)
        else:
            value = reader.text(node, name, KIND_LIMITS[name])
        if value is None:
            ok = False
        values[name] = value
    if not ok or any(name not in values for name in KIND_FIELDS[kind] if name not in OPTIONAL_FIELDS):
        return None
    return values if _check_kind_rules(reader, kind, fields, values) else None


def _read_pairs(reader: _Reader, node: Node) -> tuple[tuple[str, str], ...] | None:
    if not reader._fresh(node):
        return None
    entries: list[tuple[Node, Node]]
    if isinstance(node, SequenceNode) and node.value and all(isinstance(i, MappingNode) for i in node.value):
        if not all(reader._fresh(item) for item in node.value):  # also accept a list of one-entry mappings
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
        left = reader.text(key_node, "pairs left side", KIND_LIMITS["pairs"])
        right = reader.text(value_node, "pairs right side", KIND_LIMITS["pairs"])
        if left is None or right is None:
            return None
        for side, value, where in (("left", left, key_node), ("right", right, value_node)):
            seen = lines[side == "right"]
            if value in seen:
                reader.problem(
                    where,
                    f"the {side} side {value!r} appears twice in 'pairs' (lines {seen[value]} and {where.line})",
                    "make every entry different",
                )
                return None
            seen[value] = where.line
        pairs.append((left, right))
    return tuple(pairs)


def _check_kind_rules(reader: _Reader, kind: Kind, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
    if kind is Kind.CLOZE:
        text = values["text"]
        offset = cloze.unclosed_gap_at(text)
        if offset >= 0:
            reader.problem(nodes["text"], "a cloze gap '{{' is never closed", "close it with '}}'")
            return False
        gaps = cloze.find_gaps(text)
        if not gaps:
            reader.problem(nodes["text"], "the cloze has no gap", "mark each gap as {{answer}} or {{answer::hint}}")
            return False
        if any(not g.answer for g in gaps):
            reader.problem(nodes["text"], "a cloze gap is empty", "write the hidden answer inside {{...}}")
            return False
        if len(gaps) > MAX_GAPS:
            reader.problem(
                nodes["text"], f"the cloze has {len(gaps):,} gaps; at most {MAX_GAPS}", "split it into several cards"
            )
            return False
    if kind in (Kind.CHOICE, Kind.MULTI):
        options = values["options"]
        if not _count_between(reader, nodes["options"], "options", len(options), 2):
            return False
        if not _distinct(reader, nodes["options"], "options", list(options)):
            return False
        answers = [values["answer"]] if kind is Kind.CHOICE else list(values["answers"])
        where = nodes["answer" if kind is Kind.CHOICE else "answers"]
        if kind is Kind.MULTI and not answers:
            reader.problem(where, "'answers' is empty", "list at least one right option")
            return False
        for answer in answers:
            if answer not in options:
                reader.problem(
                    where,
                    f"the answer {answer!r} is not one of the options",
                    suggest(answer, options) or "copy it exactly from 'options'",
                )
                return False
    if kind is Kind.ORDER:
        items = values["items"]
        if not _count_between(reader, nodes["items"], "items", len(items), 2):
            return False
        if not _distinct(reader, nodes["items"], "items", list(items)):
            return False
    if kind is Kind.MATCH:
        pairs = values["pairs"]
        if not _count_between(reader, nodes["pairs"], "pairs", len(pairs), 2):
            return False
        if not (
            _distinct(reader, nodes["pairs"], "pairs left sides", [p[0] for p in pairs])
            and _distinct(reader, nodes["pairs"], "pairs right sides", [p[1] for p in pairs])
        ):
            return False
    return True


def _read_note(
    reader: _Reader, node: Node, index: int, source_ids: set[str], topic_ids: set[str], note_lines: dict[str, int]
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
    kind = Kind(kind_name) if kind_name in Kind._value2member_map_ else None
    allowed = COMMON_FIELDS + (KIND_FIELDS[kind] if kind else tuple(f for fs in KIND_FIELDS.values() for f in fs))
    fields = reader.mapping(node, "a card", tuple(dict.fromkeys(allowed)))
    if fields is None:
        return None
    ok = True
    for name in ("id", "kind") + (KIND_FIELDS[kind] if kind else ()):
        if name not in fields and name not in OPTIONAL_FIELDS:
            reader.problem(node, f"missing field '{name}'", f"add `{name}:` to the card")
            ok = False
    if "kind" in fields and kind is None and not reported:
        reader.problem(
            fields["kind"],
            f"unknown kind {kind_name!r}",
            suggest(kind_name, [k.value for k in Kind]) or f"use one of: {', '.join(Kind)}",
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
    for cited in common.get("sources") or []:
        if cited not in source_ids:
            reader.problem(
                fields["sources"],
                f"cites source '{cited}', which the deck does not declare",
                suggest(cited, source_ids) or "add it to the deck's `sources:` list",
            )
            ok = False
    values = _read_kind_fields(reader, kind, fields) if kind is not None else None
    if kind is None or values is None or any(v is None for v in common.values()) or not ok or card_id is None:
        return None
    for name in ("tags", "sources"):
        if name in common:
            common[name] = tuple(common[name])
    return Note(id=card_id, kind=kind, line=node.line, **common, **values)


def cards_of(deck_id: str, note: Note) -> list[Card]:
    """The scheduled cards a note makes."""
    return KINDS[note.kind].cards_of(deck_id, note)


def _read_sources(reader: _Reader, node: Node) -> list[Source] | None:
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


def _read_topics(reader: _Reader, node: Node) -> list[Topic] | None:
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


def parse_deck(data: bytes, path: str) -> LoadResult:
    """Validate one deck file's bytes. Whatever the bytes, this returns: a deck, or positioned problems."""
    reader = _Reader(path)
    try:
        with gc_paused():
            result = _parse_deck(reader, data, path)
    except Exception as exc:  # a bug must not let a stranger's file crash the program; say where it happened
        reader.card_id = ""
        reader.problems = reader.problems[: MAX_PROBLEMS - 1]
        reader.problem(None, f"the deck could not be read ({type(exc).__name__}: {exc})", "please report this")
        result = LoadResult(path, None, reader.problems)
    reader.finish()  # the result holds reader.problems: one line now stands for those beyond MAX_PROBLEMS
    return result


def _parse_deck(reader: _Reader, data: bytes, path: str) -> LoadResult:
    try:
        root, yaml_problems = compose_document(data)
    except YamlProblem as exc:
        reader.at(exc.line, exc.column, exc.message, exc.hint)
        return LoadResult(path, None, reader.problems)
    for found in yaml_problems:
        reader.at(found.line, found.column, found.message, found.hint)
    if root is None:
        reader.problem(None, "the file is empty", "start it with `deck: an-id`")
        return LoadResult(path, None, reader.problems)
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


def deck_files(paths: Iterable[str | Path]) -> list[Path]:
    """Deck files named directly, or found (sorted, recursively) in the folders given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in DECK_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def load_decks(paths: Iterable[str | Path], loader: Callable[[Path], LoadResult] | None = None) -> list[LoadResult]:
    """Load every deck under `paths`; a deck id used twice is an error on the later file."""
    results: list[LoadResult] = []
    owners: dict[str, str] = {}
    for file in deck_files(paths):
        result = (loader or load_deck_file)(file)
        if result.deck is not None:
            owner = owners.setdefault(result.deck.id, result.path)
            if owner != result.path:
                result = LoadResult(
                    result.path,
                    None,
                    result.problems
                    + [
                        Problem(
                            result.path,
                            1,
                            1,
                            f"deck id '{result.deck.id}' is already used by {owner}",
                            "give this deck another `deck:` id",
                        )
                    ],
                )
        results.append(result)
    return results
