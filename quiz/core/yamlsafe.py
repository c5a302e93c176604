"""Parse YAML into a node tree without constructing anything, after cheap checks libyaml needs.

libyaml's composer recurses in C and crashes the interpreter on very deep nesting, so nesting is
bounded on the raw text first; nothing is ever constructed from tags, so `!!python/...` is inert.
"""

from __future__ import annotations

import re

import yaml

try:  # libyaml's C parser when present; the pure-Python one otherwise
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024
MAX_NESTING = 200

_LEADING = re.compile(rb"^[ \t?:-]*", re.M)
_BRACKET = re.compile(rb"[\[\]{}]")


class YamlProblem(Exception):
    """A reason the file could not be parsed, with a 1-based position."""

    def __init__(self, message: str, hint: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.column = message, hint, line, column


def _nesting_bound(data: bytes) -> tuple[int, int]:
    """An upper bound on nesting depth and the line where it is reached (cheap: regexes only)."""
    deepest, where = 0, 1
    for match in _LEADING.finditer(data):
        if len(match.group(0)) > deepest:
            deepest, where = len(match.group(0)), match.start()
    depth = 0
    for match in _BRACKET.finditer(data):
        depth = depth + 1 if match.group(0) in (b"[", b"{") else max(depth - 1, 0)
        if depth > deepest:
            deepest, where = depth, match.start()
    return deepest, data.count(b"\n", 0, where) + 1


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem("the file is not valid UTF-8 text", "save it as UTF-8", line, column) from None


def compose(data: bytes) -> yaml.Node | None:
    """The document's node tree (None for an empty file), or YamlProblem."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            f"the file is {len(data) // 1_048_576} MiB; decks are limited to {MAX_BYTES // 1_048_576} MiB",
            "split it into several decks",
        )
    depth, line = _nesting_bound(data)
    if depth > MAX_NESTING:
        raise YamlProblem(
            f"nesting is deeper than {MAX_NESTING} levels",
            "a deck needs only a few levels; check indentation and brackets",
            line,
            1,
        )
    text = _decode(data)
    try:
        return yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(filter(None, [exc.context, exc.problem]))
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlProblem(f"YAML syntax error: {what}", "fix the YAML at this position", line, column) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise YamlProblem(f"YAML could not be read: {exc}", "fix the YAML syntax") from None
