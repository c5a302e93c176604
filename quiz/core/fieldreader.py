"""Reads a deck's YAML nodes into values, recording a positioned problem for each mistake; the limits on fields."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quiz.core.ids import is_id
from quiz.core.problems import Problem, Severity
from quiz.core.text import printable, sanitize
from quiz.core.yamlsafe import ALIAS_TAG, DASH_WITHOUT_SPACE, SMART_QUOTES, MappingNode, Node, ScalarNode, SequenceNode
from quiz.core.yamlsafe import TAG as _TAG  # the YAML tag prefix: TAG below is a tag's Limit

MAX_PROBLEMS = 100  # per file; the rest are counted in one last line
MAX_LIST = 50  # tags, accepted answers or sources of one card

_TEXT_TAGS = {_TAG + t for t in ("str", "int", "float", "timestamp", "bool")}
_PLAIN_TAGS = _TEXT_TAGS | {_TAG + t for t in ("null", "seq", "map", "merge")}
_BOOL_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


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
IMAGE_PATH = Limit(500)  # a picture's path relative to the deck file
DESCRIPTION = Limit(5_000, 100)
OUTSIDE = Limit(500, 5)  # a note's statement from outside its sources: a sentence or two, kept short
CARD_TEXT = Limit(10_000, 200)  # a front, back, cloze text or explanation: a page or two
ANSWER = Limit(1_000, 20)  # an answer, an option, an item to order, a side of a pair


_DASH_FIX = "put a space after the '-' of each entry (`- id: ...`, `- item`)"


def _undashed(node: Node) -> bool:
    """Whether a value that should be a list starts with a '-' and no space: a plain text (`-a` and lines below
    folded into it) or a mapping whose first key is one (`-id: a`)."""
    first = node.value[0][0] if isinstance(node, MappingNode) and node.value else node
    return isinstance(first, ScalarNode) and first.plain and DASH_WITHOUT_SPACE.match(first.value) is not None


def suggest(word: str, choices: Iterable[str]) -> str:
    """The choice `word` is most likely a slip for: one that differs only in case (`cyp3a4` for `CYP3A4`, `PK`
    for `pk`, which spelling similarity alone misses), else the nearest in spelling."""
    every = list(choices)
    same = [choice for choice in every if choice.casefold() == word.casefold()]
    close = same or difflib.get_close_matches(word, every, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class FieldReader:
    """Reads values out of the node tree, recording a positioned problem for each mistake."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.shown_path = printable(path)
        self.problems: list[Problem] = []
        self.hidden = [0, 0]  # warnings, errors not recorded beyond MAX_PROBLEMS
        self.card_id = ""
        self.check_files = True  # whether a field naming a file (a picture) is checked on disk
        self.pictures: dict[str, tuple[str, str] | None] = {}  # LoadResult.pictures: each looked at once
        self.look_at_picture: Callable[[str], tuple[str, str] | None] | None = None  # the deck cache's, once per load
        self.hash_lines: dict[int, str] = {}  # lines where a ' #' may have cut a text short (yamlsafe says which)

    def problem(
        self,
        node: Node | None,
        message: str,
        hint: str = "",
        severity: Severity = "error",
        elsewhere: bool = False,
        quoted: tuple[str, ...] = (),
        picture: str = "",
    ) -> None:
        line, column = (node.line, node.column) if node else (1, 1)
        self.at(line, column, message, hint, severity, elsewhere, quoted, picture)

    def at(
        self,
        line: int,
        column: int,
        message: str,
        hint: str = "",
        severity: Severity = "error",
        elsewhere: bool = False,
        quoted: tuple[str, ...] = (),
        picture: str = "",
    ) -> None:
        """Record a problem. Messages quote deck text, so they are made printable like the text itself; `quoted`:
        the file names it quotes, as it quotes them (`Problem.quoted`)."""
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
                elsewhere,
                tuple(printable(name) for name in quoted),
                picture,
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

    def fresh(self, node: Node) -> bool:
        """False for what decks may not hold: an alias (already reported when parsed) or an explicit tag."""
        if node.tag in _PLAIN_TAGS:
            return True
        if node.tag != ALIAS_TAG:
            self.problem(node, f"the YAML tag {node.tag!r} is not allowed", "remove the tag")
        return False

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
        if not self.fresh(node):
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
                # a second `id:` is most often a card written without its '-', read as the card above's fields
                new_entry = f"; if line {key_node.line} starts a new card, write '- ' before it (`- id: ...`)"
                self.problem(
                    key_node,
                    f"duplicate field '{key}' at line {key_node.line} (first at line {first_line[key]})",
                    "keep only one of them" + (new_entry if key == "id" else ""),
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
        if not self.fresh(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag not in _TEXT_TAGS:
            if node.tag == _TAG + "null" and node.value:  # `answer: null` or `~`: a word YAML reads as no value
                self.problem(
                    node,
                    f"'{name}' is empty: YAML reads `{node.value}` as no value",
                    f'to mean the text {node.value}, put it in quotes ("{node.value}")',
                )
                return None
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
        self._cut_by_a_comment(node, name)
        return clean

    def _cut_by_a_comment(self, node: ScalarNode, name: str) -> None:
        """Warn of a plain text YAML ended at ' #' (`front: Drug #1?` reads 'Drug'): the rest is taken for a
        comment, and would be lost without a word."""
        line = self.hash_lines.get(node.line)
        if line is None or not node.plain:
            return
        start = node.column - 1
        if line[start : start + len(node.value)] != node.value:  # a text of several lines: not cut on its first
            return
        cut = re.match(r"[ \t]+(#[^\s#].*?)\s*$", line[start + len(node.value) :])
        if cut is not None:
            self.at(
                node.line,
                start + len(node.value) + cut.start(1) + 1,
                f"'{name}' stops before '{cut[1]}': YAML reads ' #' and what follows as a comment",
                'to keep it in the text, put the whole text in double quotes ("...")',
                "warning",
            )

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
        if not self.fresh(node):
            return None
        if isinstance(node, ScalarNode) and node.tag == _TAG + "bool" and node.value.lower() in _BOOL_WORDS:
            return _BOOL_WORDS[node.value.lower()]
        self.problem(node, f"'{name}' must be true or false", f"write `{name}: true` or `{name}: false`")
        return None

    def sequence(self, node: Node, name: str) -> list[Node] | None:
        if not self.fresh(node):
            return None
        if not isinstance(node, SequenceNode):
            if _undashed(node):  # `-id: a` or `-Absorption`: YAML reads '-id' as a word, not as an entry
                self.problem(node, f"'{name}' must be a list: this '-' has no space after it", _DASH_FIX)
            elif isinstance(node, ScalarNode) and node.plain and "," in node.value and "\n" not in node.value:
                self.problem(node, f"'{name}' must be a list", f"put it in brackets: `{name}: [{node.value}]`")
            else:
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
        if len(texts) != len(values):
            return None
        self._split_in_smart_quotes(items, texts, name)
        return texts

    def _split_in_smart_quotes(self, items: list[Node], texts: list[str], name: str) -> None:
        """A list written `[“a, b”, c]`: YAML reads “ as a letter, not a quote, so the ',' inside splits the entry."""
        quotes = tuple(SMART_QUOTES)
        for first, text in enumerate(texts):
            if not text.startswith(quotes) or text.endswith(quotes):
                continue
            last = next((n for n in range(first + 1, len(texts)) if texts[n].endswith(quotes)), None)
            if last is not None:
                self.problem(
                    items[first],
                    f"'{name}' entries {first + 1} to {last + 1} are one text in typographic quotes (“...”), which"
                    " YAML reads as part of the text: the ',' inside them split it",
                    'put it in straight double quotes ("...") to keep it one entry',
                    severity="warning",
                )
                return

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
