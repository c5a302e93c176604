"""Parse untrusted YAML into a small node tree, never constructing anything and never recursing.

libyaml's *composer* (what `yaml.compose` and `yaml.load` use) recurses in C and kills the interpreter
with a segmentation fault on deeply nested input (about 50,000 levels). Its *parser* keeps explicit
stacks and does not, so this module reads libyaml's events and builds the tree itself, in a loop:

- nesting deeper than MAX_NESTING, or more than MAX_NODES values, stops the parse with a positioned error;
- anchors (&name) and aliases (*name) are reported where they stand, and an alias never becomes a copy
  of anything, so "billion laughs" documents cannot expand;
- tags are kept as names (`!!python/object/apply` is a string); nothing is constructed, so no scalar
  (dates, odd numbers) can raise while loading;
- every exception the parser can raise becomes a YamlProblem with a 1-based line and column.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Callable
from typing import Any

from quiz.core.deckfile import MAX_BYTES
from quiz.core.filekind import known_kind, marked_encoding, unmarked_utf16
from quiz.core.gcpause import gc_paused
from quiz.core.images import IMAGE_FIELDS
from quiz.core.text import guide

MAX_NESTING = 100
MAX_NODES = 2_000_000  # a 50,000-card deck has about 1,000,000

TAG = "tag:yaml.org,2002:"
STR, SEQ, MAP = TAG + "str", TAG + "seq", TAG + "map"
#: The tag of the stand-in left where an alias was (the alias itself has been reported).
ALIAS_TAG = "tag:quiz,2026:alias"


@functools.cache
def _pyyaml() -> tuple[Any, Any, dict[str | None, list[tuple[str, re.Pattern[str]]]]]:
    """PyYAML, its parser (libyaml's C one when present) and YAML 1.1's implicit tags.

    Imported on the first parse, not at start: ~20 ms that a start with every deck cached never needs.
    """
    import yaml
    from yaml.resolver import Resolver

    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml, parser, Resolver.yaml_implicit_resolvers


class YamlProblem(Exception):
    """A reason the file could not be read, with a 1-based position (0 when the whole file is concerned)."""

    def __init__(self, message: str, hint: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.column = message, hint, line, column


class Node:
    __slots__ = ("tag", "value", "line", "column")

    def __init__(self, tag: str, value: Any, line: int, column: int) -> None:
        self.tag, self.value, self.line, self.column = tag, value, line, column

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.tag!r}, {self.value!r}, {self.line}:{self.column})"


class ScalarNode(Node):
    """`value` is the text as written (never converted); `plain` is False for quoted and block scalars."""

    __slots__ = ("plain",)
    value: str

    def __init__(self, tag: str, value: str, line: int, column: int, plain: bool = True) -> None:
        self.tag, self.value, self.line, self.column, self.plain = tag, value, line, column, plain


class SequenceNode(Node):
    __slots__ = ()
    value: list[Node]


class MappingNode(Node):
    __slots__ = ()
    value: list[tuple[Node, Node]]


def tree_of(represented: Any, counted: int = 0) -> tuple[Node, int]:
    """quiz's node tree for one PyYAML's representer made, which is what this module reads back from the
    text PyYAML's emitter writes from it (tags and text alike; positions 0), and `counted` plus its number
    of values. For checking a deck quiz writes without parsing its text again; YamlProblem beyond
    MAX_NODES values in all, as a parse would say."""
    yaml = _pyyaml()[0]
    trees = _Trees(yaml.ScalarNode, yaml.SequenceNode, counted)
    return trees.tree(represented), trees.count


class _Trees:
    """tree_of's walk, counting the values. An object rather than a recursive closure, which holds itself (its
    cell): a cycle per card, left for the collector, which an import pauses (quiz.commands.importing)."""

    __slots__ = ("scalar", "sequence", "count")

    def __init__(self, scalar: Any, sequence: Any, counted: int) -> None:  # PyYAML's node classes (untyped)
        self.scalar, self.sequence, self.count = scalar, sequence, counted

    def tree(self, node: Any) -> Node:  # quiz's own values nest a few levels: recursion is safe
        self.count += 1
        if self.count > MAX_NODES:
            raise _too_many(0, 0)
        if isinstance(node, self.scalar):
            return ScalarNode(node.tag, node.value, 0, 0, node.style is None)
        if isinstance(node, self.sequence):
            return SequenceNode(node.tag, [self.tree(item) for item in node.value], 0, 0)
        return MappingNode(node.tag, [(self.tree(key), self.tree(value)) for key, value in node.value], 0, 0)


def check_size(size: int) -> None:
    """YamlProblem when a file of `size` bytes is larger than a deck may be."""
    if size > MAX_BYTES:
        raise YamlProblem(
            f"the file is larger than {MAX_BYTES // 1_048_576} MiB; decks are limited to {MAX_BYTES // 1_048_576} MiB",
            "split it into several decks",
            0,
            0,
        )


def _too_many(line: int, column: int) -> YamlProblem:
    return YamlProblem(f"the file holds more than {MAX_NODES:,} values", "split it into several decks", line, column)


def _resolve_plain(value: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar (what PyYAML's SafeLoader would pick)."""
    implicit = _pyyaml()[2]
    for tag, pattern in [*implicit.get(value[:1], []), *implicit.get(None, [])]:
        if pattern.match(value):
            return tag
    return STR


def _decode(data: bytes) -> str:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # a BOM is allowed, and is no column
    if marked_encoding(data) is None and unmarked_utf16(data):  # its NULs are valid UTF-8: YAML would name one
        raise YamlProblem("the file is saved as UTF-16 (without a byte-order mark), not UTF-8", SAVE_AS_UTF8, 1, 1)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if what := known_kind(data):  # a UTF-16 deck is text: it is told to be saved as UTF-8
            raise YamlProblem(f"the file is {what}, not a deck (YAML text)", DECK_NOT_BINARY, 1, 1) from None
        if (codec := marked_encoding(data)) in ("utf-16", "utf-32"):  # its mark says so: Notepad's "Unicode"
            raise YamlProblem(f"the file is saved as {_SAVED_AS[codec]}, not UTF-8", SAVE_AS_UTF8, 1, 1) from None
        head = body[: exc.start].decode("utf-8", "replace")
        line, column = head.count("\n") + 1, len(head) - (head.rfind("\n") + 1) + 1
        byte = body[exc.start]
        ansi = bytes([byte]).decode("cp1252", "replace")  # what an editor's "ANSI" (Windows-1252) meant by it
        seen = f" is '{ansi}' in Windows-1252 (an editor's \"ANSI\")" if ansi.isprintable() and ansi != "\ufffd" else ""
        raise YamlProblem(
            f"the file is not valid UTF-8 text: byte 0x{byte:02X} here{seen}", SAVE_AS_UTF8, line, column
        ) from None


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset into the UTF-8 encoding of `text`."""
    head = text.encode("utf-8")[: max(offset, 0)].decode("utf-8", "replace")
    return head.count("\n") + 1, len(head) - (head.rfind("\n") + 1) + 1


def _too_deep(line: int, column: int) -> YamlProblem:
    return YamlProblem(
        f"nesting is deeper than {MAX_NESTING} levels",
        "a deck needs only a few levels; check the indentation and brackets",
        line,
        column,
    )


def _problem_from(exc: BaseException, text: str) -> YamlProblem:
    yaml = _pyyaml()[0]
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "nesting" in (exc.problem or ""):
            # libyaml 0.2.6+ stops runaway nesting itself at 1,000 levels; its scanner reads a line of brackets
            # ahead of the events counted against MAX_NESTING, so it can stop first, where its 1,000th one is
            return _too_deep(line, column)
        if mark is not None and _character_at(text, mark) == "\t":  # YAML's own words do not say it is a tab
            return YamlProblem("YAML syntax error: a tab: YAML indents with spaces", _TAB_FIX, line, column)
        what = " ".join(filter(None, [exc.context, exc.problem])) or "the YAML is malformed"
        problem, fix, out_of_line = exc.problem or "", _FIX_HERE, None
        if problem.startswith("mapping values are not allowed") and _text_colon(text, mark):
            fix = (
                _SMART_QUOTE_FIX
                if _in_smart_quotes(text, mark)
                else _BRACES_FIX
                if _fields_after_commas(text, mark)
                else _QUOTE_FIX
            )
        elif problem.startswith(("mapping values are not allowed", _NOT_PLACED)):
            fix = _INDENT_FIX if problem.startswith("mapping") else _FIX_HERE
            out_of_line = _out_of_line(text, mark, what)
        elif problem.startswith("could not find expected ':'") and exc.context_mark is not None:
            # `- a` then `-b` in a list: YAML took '-b' for a key, its ':' never found (it stops lines later)
            lines = text.split("\n")
            out_of_line = _dash_without_space(lines, exc.context_mark.line, what) or _no_colon(
                lines, exc.context_mark, what
            )
        said = YamlProblem(f"YAML syntax error: {what}", fix, line, column)
        starting = _text_starting_with_syntax(text, mark, what) if fix == _FIX_HERE and not out_of_line else None
        return _left_open(exc, text, what) or out_of_line or starting or said
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, e.g. a raw control code
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return YamlProblem(
            f"the file contains the character U+{code:04X}, which YAML does not allow",
            "remove it (control characters have no place in a deck)",
            line,
            column,
        )
    if isinstance(exc, MemoryError):
        return YamlProblem("the file is too large to read", "split it into several decks", 1, 1)
    if isinstance(exc, RecursionError):
        return YamlProblem("the file is nested too deeply", "a deck needs only a few levels", 1, 1)
    name = type(exc).__name__
    return YamlProblem(f"YAML could not be read ({name}: {exc})", "fix the YAML syntax", 1, 1)


_FIX_HERE = "fix the YAML at this position"
_TAB_FIX = "replace the tab with spaces"


def _character_at(text: str, mark: Any) -> str:
    """The character where YAML failed ('' past a line's end)."""
    lines = text.split("\n")
    return lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""


SAVE_AS_UTF8 = "save it as UTF-8 (Notepad: Save as, Encoding: UTF-8; VS Code: Save with Encoding, UTF-8)"
_SAVED_AS = {"utf-16": 'UTF-16 (Notepad\'s "Unicode" or "UTF-16 LE")', "utf-32": "UTF-32"}
DECK_NOT_BINARY = (
    f"a deck is a text file of YAML ({guide('deck-format')}); a picture goes in a card's `image:`, and an Anki package"
    " or a spreadsheet comes in with `quiz import FILE`"
)


_QUOTE_FIX = 'a text holding ": " must be quoted: put the whole text in double quotes ("...")'
_BRACES_FIX = (
    "to write a card's fields on one line, put them in braces (`- {id: a, kind: basic, front: ..., back: ...}`);"
    ' if it is one text, put the whole text in double quotes ("...")'
)
_SMART_QUOTE_FIX = (
    "the text is in typographic quotes (“...”), which YAML reads as part of the text: put it in straight double"
    ' quotes ("...") instead'
)
#: What a word processor or a phone types for a quote mark: YAML quotes only with " and '.
SMART_QUOTES = "“”„‟‘’‚‛«»"
_INDENT_FIX = "indent this line as the one above (the fields of one card start in the same column)"
# What YAML says when a line's indent fits nothing open above it ("did not find expected '-' indicator").
_NOT_PLACED = "did not find expected"
_FIELD_LINE = re.compile(r"( *)(- +)?[^\s#:-][^:]*:(\s|$)")  # `key:` or `- key:`, as a card's lines are
#: An entry's '-' with no space after it (`-id: a`, `-Absorption`), which YAML reads as a word's first letter; not a
#: number's minus (`-5`).
DASH_WITHOUT_SPACE = re.compile(r"-[^\s\d#:-]")
_DASHED_KEY = re.compile(rf" *{DASH_WITHOUT_SPACE.pattern}[^:]*:(\s|$)")  # `-id:`, a card's first line so written


def _text_colon(text: str, colon: Any) -> bool:
    """Whether the ': ' YAML takes for a new key where none may be is inside a text after a key on the same line
    (`front: Note: ...`); else the line is indented more than the one above, which YAML reads as its continuation."""
    lines = text.split("\n")
    return colon is not None and colon.line < len(lines) and ": " in lines[colon.line][: colon.column]


def _fields_after_commas(text: str, colon: Any) -> bool:
    """Whether the ': ' YAML stopped at follows a comma and a field's name (`- id: b, kind: basic`): fields written
    on one line as a flow mapping's are, without its braces."""
    return re.search(r",\s*[A-Za-z_][\w-]*$", text.split("\n")[colon.line][: colon.column]) is not None


def _no_colon(lines: list[str], key: Any, what: str) -> YamlProblem | None:
    """The line YAML began to read as a field and found no ': ' on (`front What ...`, `front:What ...`), said
    there, where YAML's words name the line after it."""
    if key.line >= len(lines):
        return None
    written = lines[key.line][key.column :]
    if found := re.match(r"([A-Za-z_][\w-]*):\S", written):
        problem, fix = "this field's ':' has no space after it", f"put a space after it (`{found[1]}: ...`)"
    elif found := re.match(r"([A-Za-z_][\w-]*)[ \t]", written):
        problem = f"this line has no ':' after its field name '{found[1]}'"
        fix = f"write `{found[1]}: ...`; if the line goes on the text above, indent it under that text"
    else:
        return None
    return YamlProblem(f"YAML syntax error: {problem} ({what})", fix, key.line + 1, key.column + 1)


def _in_smart_quotes(text: str, colon: Any) -> bool:
    """Whether a typographic quote opens before the ': ' YAML stopped at: she quoted the text, with the wrong marks."""
    return any(mark in text.split("\n")[colon.line][: colon.column] for mark in SMART_QUOTES)


def _out_of_line(text: str, mark: Any, what: str) -> YamlProblem | None:
    """The line YAML could not place, said in its terms, when it is indented out of line: a list entry (a card's
    `- `) whose '-' is not under the '-' of the entry above, or a field not under the field above. YAML's own
    words ("did not find expected key") name neither the line's column nor the one it should have."""
    lines = text.split("\n")
    if mark is None or not 0 < mark.line < len(lines):
        return None
    here = lines[mark.line]
    indent = len(here) - len(here.lstrip(" "))
    if no_space := _dash_without_space(lines, mark.line, what):
        return no_space
    if here[indent:].startswith("- ") or here[indent:] == "-":
        found = _entry_above(lines, mark.line, indent)
        if found is None and (undashed := _undashed_entry_above(lines, mark.line, indent)) is not None:
            return YamlProblem(
                f"YAML syntax error: the entry above this one (line {undashed + 1}) has no '-', so YAML cannot read"
                f" this one as the next entry ({what})",
                f"start line {undashed + 1} with '- ' in column {indent + 1}, as this one (`- id: ...`), and its other"
                " lines under its first field",
                mark.line + 1,
                indent + 1,
            )
        if found is None or found[1] == indent:
            return None
        row, column = found[0] + 1, found[1] + 1
        return YamlProblem(
            f"YAML syntax error: this entry's '-' is in column {indent + 1}, out of line with the '-' of the entry"
            f" above it (line {row}, column {column}) ({what})",
            f"move this '-' to column {column}, under the one on line {row}, and the entry's other lines with it"
            " (the cards of a deck start in the same column, each field under the one above)",
            mark.line + 1,
            indent + 1,
        )
    above = next((n for n in range(mark.line - 1, -1, -1) if lines[n].strip() and not _comment(lines[n])), None)
    if above is not None and _DASHED_KEY.match(lines[above]) and (no_space := _dash_without_space(lines, above, what)):
        return no_space  # `-id: a` read as a key '-id', so the card's next field is indented too far for it
    field = _FIELD_LINE.match(lines[above]) if above is not None else None
    if above is None or field is None or not _FIELD_LINE.match(here):
        return None  # the line above is a text's continuation, not a field: its column says nothing
    expected = field.end(2) if field.group(2) else len(field.group(1))
    if expected == indent:
        return None
    sibling = _entry_above(lines, mark.line, indent)
    if sibling is not None and sibling[1] == indent:  # in the entries' '-' column: a new card without its '-'
        return YamlProblem(
            f"YAML syntax error: this line starts in column {indent + 1}, where the '-' of each entry is (line"
            f" {sibling[0] + 1}), but has no '-' ({what})",
            f"if it starts a new card, write '- ' before it (`- id: ...`) and its other lines under it; if it belongs"
            f" to the card above, indent it to column {expected + 1}",
            mark.line + 1,
            indent + 1,
        )
    return YamlProblem(
        f"YAML syntax error: this field starts in column {indent + 1}, out of line with the field above it"
        f" (line {above + 1}, column {expected + 1}) ({what})",
        f"indent this line to column {expected + 1}, as the one above (the fields of one card start in one column)",
        mark.line + 1,
        indent + 1,
    )


# A text's first character that YAML reads as its own syntax, and what it reads it as.
_SYNTAX_STARTS = {
    "[": "'[', which starts a list in YAML",
    "{": "'{', which starts a mapping in YAML",
    "*": "'*', which starts an alias in YAML",
    "&": "'&', which starts an anchor in YAML",
    "|": "'|', which starts a block of text on the lines below in YAML",
    ">": "'>', which starts a block of text on the lines below in YAML",
    "%": "'%', which starts a directive in YAML",
    "@": "'@', which YAML keeps for its own use",
    "`": "'`', which YAML keeps for its own use",
    '"': "a quote, so YAML reads only what is inside it as the text",
    "'": "a quote, so YAML reads only what is inside it as the text",
    "-": "'- ', which starts a list entry in YAML",
    "?": "'? ', which starts a key in YAML",
}
# Where a line's value starts: after its `- ` entry marks and its `key: `, if any.
_VALUE_AT = re.compile(r" *(?:- +)*(?:[^\s#'\"\[{][^:#]*?:[ \t]+)?")


def _text_starting_with_syntax(text: str, mark: Any, what: str) -> YamlProblem | None:
    """The error said at the start of a text YAML could not read because its first character is YAML's syntax
    (`answer: >5 mg`, `back: [1] Smith`, `front: *Bold* question`): its fix is quotes, where YAML's words say
    only what it expected."""
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    start = _VALUE_AT.match(line)
    at = start.end() if start else 0
    first, after = line[at : at + 1], line[at + 1 : at + 2]
    if first not in _SYNTAX_STARTS or mark.column < at or (first in "-?" and after not in ("", " ")):
        return None
    quotes = (
        "put all of it in single quotes ('...'), which may hold double quotes (a ' inside is written '')"
        if first == '"'
        else 'put all of it in double quotes ("...")'
    )
    return YamlProblem(
        f"YAML syntax error: this text starts with {_SYNTAX_STARTS[first]} ({what})",
        f"if it is one text, {quotes}",
        mark.line + 1,
        at + 1,
    )


def _dash_without_space(lines: list[str], row: int, what: str) -> YamlProblem | None:
    """Line `row` said as an entry whose '-' has no space after it (`-id: b`), which YAML reads as a word
    ('-id'), not a new entry; None when it is not one."""
    line = lines[row]
    indent = len(line) - len(line.lstrip(" "))
    if not DASH_WITHOUT_SPACE.match(line[indent:]):
        return None
    return YamlProblem(
        f"YAML syntax error: this '-' has no space after it, so YAML does not read a new entry here ({what})",
        "put a space after the '-' (`- id: ...`)",
        row + 1,
        indent + 1,
    )


def _entry_above(lines: list[str], row: int, here: int) -> tuple[int, int] | None:
    """The line and indent of the list entry before line `row` (indented `here`) that this one sits beside: the
    nearest '-' not inside that entry's own fields (a card's `options:` list), i.e. indented no deeper than every
    line after it."""
    shallowest = None
    for number in range(row - 1, -1, -1):
        line = lines[number]
        if not line.strip() or _comment(line):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if shallowest is not None and indent > shallowest:
            continue  # inside an entry: a card's field's own list
        if line[indent:].startswith("- ") or line[indent:] == "-":
            return number, indent
        if indent < (here if shallowest is None else min(shallowest, here)):
            return None  # the key the list belongs to (`cards:`, `options:`): no entry before this one
        shallowest = indent if shallowest is None else min(shallowest, indent)
    return None


def _undashed_entry_above(lines: list[str], row: int, here: int) -> int | None:
    """The first line of an entry with no '-' between the key of the list (`cards:`) and line `row`, a list entry
    indented `here`: the first card written without its '-', which YAML reads as fields of `cards:` itself."""
    first = None
    for number in range(row - 1, -1, -1):
        line = lines[number]
        if not line.strip() or _comment(line):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent < here:
            return (
                first if line.rstrip().endswith(":") and first is not None and _FIELD_LINE.match(lines[first]) else None
            )
        first = number
    return None


def _comment(line: str) -> bool:
    return line.lstrip().startswith("#")


_BRACKETS = {"while parsing a flow sequence": ("[", "]"), "while parsing a flow mapping": ("{", "}")}


def _left_open(exc: Any, text: str, what: str) -> YamlProblem | None:
    """The quote or bracket to fix, when one left open is the cause: YAML reads on past the line, often many
    lines down (to an apostrophe, another card's quoted text), and fails there or at the end of the file."""
    failed, opened = exc.problem_mark, exc.context_mark
    if exc.context == "while scanning a quoted scalar" and opened is not None:
        return _open_here(
            "this quote is never closed", "close it on this line with the same quote mark, or remove it", opened
        )
    if exc.context in _BRACKETS and opened is not None and failed is not None and opened.line < failed.line:
        start, end = _BRACKETS[exc.context]
        return _open_here(
            f"this '{start}' is not closed where YAML expected (line {failed.line + 1}, column {failed.column + 1}:"
            f" {exc.problem})",
            f"close it with '{end}' (a list or mapping written on several lines needs a ',' after each entry)",
            opened,
        )
    quoted = _quoted_before(text, failed) if failed is not None else None
    if quoted is None or quoted.end_mark.line != failed.line or quoted.start_mark.line == failed.line:
        return None
    closed = quoted.end_mark
    return _open_here(
        f"this quote is closed only at line {closed.line + 1}, column {closed.column}, where YAML then fails ({what})",
        "close it on this line with the same quote mark, or remove it",
        quoted.start_mark,
    )


def _open_here(what: str, fix: str, mark: Any) -> YamlProblem:
    return YamlProblem(f"YAML syntax error: {what}", fix, mark.line + 1, mark.column + 1)


def _quoted_before(text: str, failed: Any) -> Any:
    """The last quoted text YAML read up to the line where it failed (a token), if any."""
    quoted = None
    scanner = _pyyaml()[1](text)
    try:
        while (token := scanner.get_token()) is not None and token.start_mark.line <= failed.line:
            if getattr(token, "style", None) in ('"', "'"):
                quoted = token
    except Exception:  # noqa: BLE001 - the scanner stops where the text breaks: the tokens before it are read
        pass
    finally:
        scanner.dispose()
    return quoted


def compose_document(data: bytes) -> tuple[Node | None, list[YamlProblem]]:
    """The document's tree (None for an empty file) and the non-fatal problems found on the way.

    Anchors and aliases are non-fatal: each is reported, and an alias is left as an empty scalar
    tagged ALIAS_TAG so the caller can skip it quietly. Anything else wrong raises YamlProblem.
    """
    check_size(len(data))
    text = _decode(data)
    with gc_paused():
        try:
            return _compose(text)
        except YamlProblem:
            raise
        except Exception as exc:  # the parser of untrusted input may raise anything: MemoryError, ValueError...
            raise _problem_from(exc, text) from None


def compose(data: bytes) -> Node | None:
    """The document's node tree (None for an empty file), or YamlProblem (the first one, if several)."""
    root, problems = compose_document(data)
    if problems:
        raise problems[0]
    return root


MAX_REPORTED = 20  # anchors and aliases reported one by one; the rest are counted


def _note(problems: list[YamlProblem], problem: YamlProblem) -> None:
    if len(problems) < MAX_REPORTED:
        problems.append(problem)
    elif len(problems) == MAX_REPORTED:
        problems.append(YamlProblem("more anchors and aliases follow", problem.hint, problem.line, problem.column))


def _compose(text: str) -> tuple[Node | None, list[YamlProblem]]:
    yaml, parser_class, implicit = _pyyaml()
    parser = parser_class(text)
    problems: list[YamlProblem] = []
    # Open collections: [node, pending key (mappings only), is_mapping]
    stack: list[list[Any]] = []
    root: Node | None = None
    documents = 0
    count = 0
    get_event = parser.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    seq_start, map_start = yaml.SequenceStartEvent, yaml.MappingStartEvent
    seq_end, map_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
    try:
        while True:
            event = get_event()
            cls = type(event)
            if cls is scalar_event or cls is alias_event or cls is seq_start or cls is map_start:
                count += 1
                mark = event.start_mark
                if count > MAX_NODES:
                    raise _too_many(mark.line + 1, mark.column + 1)
                if cls is alias_event:
                    _note(
                        problems,
                        YamlProblem(
                            f"aliases (*{event.anchor}) are not allowed",
                            "write the value out in full",
                            mark.line + 1,
                            mark.column + 1,
                        ),
                    )
                    node: Node = ScalarNode(ALIAS_TAG, "", mark.line + 1, mark.column + 1)
                else:
                    if event.anchor is not None:
                        _note(
                            problems,
                            YamlProblem(
                                f"anchors (&{event.anchor}) are not allowed",
                                "write every value out in full",
                                mark.line + 1,
                                mark.column + 1,
                            ),
                        )
                    tag = event.tag
                    if cls is scalar_event:
                        value = event.value
                        if tag is None or tag == "!":
                            tag = _resolve_plain(value) if event.implicit[0] and value[:1] in implicit else STR
                        node = ScalarNode(tag, value, mark.line + 1, mark.column + 1, not event.style)
                    else:
                        is_map = cls is map_start
                        if tag is None or tag == "!":
                            tag = MAP if is_map else SEQ
                        node = (MappingNode if is_map else SequenceNode)(tag, [], mark.line + 1, mark.column + 1)
                if stack:
                    top = stack[-1]
                    if top[2]:  # a mapping: keys and values alternate
                        if top[1] is None:
                            top[1] = node
                        else:
                            top[0].value.append((top[1], node))
                            top[1] = None
                    else:
                        top[0].value.append(node)
                else:
                    root = node
                if cls is seq_start or cls is map_start:
                    if len(stack) >= MAX_NESTING:
                        raise _too_deep(mark.line + 1, mark.column + 1)
                    stack.append([node, None, cls is map_start])
            elif cls is seq_end or cls is map_end:
                stack.pop()
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise YamlProblem(
                        "the file holds more than one YAML document",
                        "a deck is one document: remove the second `---`",
                        mark.line + 1,
                        mark.column + 1,
                    )
            elif cls is yaml.StreamEndEvent or event is None:
                return root, problems
    finally:
        parser.dispose()


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks
_COMMENT = re.compile("#[^\r\n\x85\u2028\u2029]*")
_BLOCK_SCALAR = ("|", ">")


_HASH_AFTER_TEXT = re.compile(r"[ \t]#[^\s#]", re.ASCII)  # `front: drug #1`: YAML ends the text there, `#1` a comment
_HASH_AFTER_BYTES = re.compile(_HASH_AFTER_TEXT.pattern.encode())  # the same, looked for before decoding


def lines_with_a_hash_after_text(data: bytes) -> dict[int, str]:
    """The lines (by 1-based number) where ' #' comes right before a word, as `#1` or `#tag` does: where a plain
    text may have been cut short by YAML, which reads the rest as a comment. A comment written as one (`# ...`,
    a space after the '#') is not such a line, so most decks are not decoded a second time."""
    if _HASH_AFTER_BYTES.search(data) is None:
        return {}
    text = _decode(data)
    return {number: line for number, line in enumerate(text.split("\n"), 1) if _HASH_AFTER_TEXT.search(line)}


def comments(data: bytes) -> list[tuple[int, int, str]]:
    """The comments of a YAML file that parses, each with its 1-based line and column, found as the parser finds
    them: what starts with `#` between two of the scanner's tokens (a `#` inside a scalar is text, whatever is
    around it, and one after the last token comes before the stream's end, a token too), and after a block
    scalar's indicator (`|- # ...`), which the scalar's token covers."""
    text = _decode(data)
    if "#" not in text:
        return []
    found: list[re.Match[str]] = []
    covered = 0  # the text up to here is a token's, or between tokens and searched
    scanner = _pyyaml()[1](text)
    try:
        while (token := scanner.get_token()) is not None:
            start, end = token.start_mark.index, token.end_mark.index
            if start > covered and text.find("#", covered, start) >= 0:
                found.extend(_COMMENT.finditer(text, covered, start))
            if getattr(token, "style", None) in _BLOCK_SCALAR:
                header = _BREAK.search(text, start, end)
                at = text.find("#", start, header.start() if header else end)
                if at >= 0 and (match := _COMMENT.match(text, at)):
                    found.append(match)
            covered = max(covered, end)
    finally:
        scanner.dispose()
    lines = [0, *(match.end() for match in _BREAK.finditer(text))]
    result = []
    for match in found:
        line = bisect.bisect_right(lines, match.start())
        result.append((line, match.start() - lines[line - 1] + 1, match[0].rstrip()))
    return result


def images_replaced(data: bytes, new_path: Callable[[str], str | None]) -> bytes:
    """The text of a deck that parses with each of its cards' `image:` and `answer_image:` paths that `new_path`
    renames written anew, double-quoted (escaped as JSON, which YAML reads as written), and the rest, comments and
    all, as it was. A path in a block scalar (`image: |`) is left: the caller compares the deck read back."""
    bom = data[:3] if data.startswith(b"\xef\xbb\xbf") else b""
    text = _decode(data)
    yaml, parser, _ = _pyyaml()
    loader = parser(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    spans: list[tuple[int, int, str]] = []  # where a path is in the text, and what it becomes
    cards = _value(root, "cards", yaml.SequenceNode)
    for card in cards.value if cards is not None else []:
        for field in IMAGE_FIELDS:
            image = _value(card, field, yaml.Node)
            for path in image.value if isinstance(image, yaml.SequenceNode) else [image]:
                if isinstance(path, yaml.ScalarNode) and path.style not in _BLOCK_SCALAR:
                    if (renamed := new_path(path.value)) is not None:
                        spans.append((path.start_mark.index, path.end_mark.index, _double_quoted(renamed)))
    for start, end, written in sorted(spans, reverse=True):
        text = text[:start] + written + text[end:]
    return bom + text.encode("utf-8")


def _double_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: JSON's escapes are YAML's, and YAML's own line breaks, which JSON
    leaves as they are, escaped too (else they would fold into a space)."""
    return json.dumps(text, ensure_ascii=False).translate({0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def _value(node: Any, key: str, kind: Any) -> Any:
    """The value of `key` in PyYAML's mapping `node` when it is a `kind`, else None."""
    if not isinstance(node, _pyyaml()[0].MappingNode):
        return None
    found = next((value for name, value in node.value if name.value == key), None)
    return found if isinstance(found, kind) else None
