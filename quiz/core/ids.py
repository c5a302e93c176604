"""What an id (of a deck, topic, note or source) may be: one pattern for the deck loader, `rename-card`,
the importers and the guids `quiz export` writes."""

from __future__ import annotations

import re
from collections.abc import Callable

ID_LENGTH = 100  # the most characters an id has
# Never '/' (a card key joins a note id to its part with it: `x/reverse`, `x/2`).
ID_PATTERN = rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{ID_LENGTH - 1}}}"
_ID = re.compile(ID_PATTERN)


def is_id(text: str) -> bool:
    return _ID.fullmatch(text) is not None


# The room a number's `-N` is given at least when a long id is cut for it: ids were always cut at 95 characters
# for `-2` to `-9999`, and a re-import numbers its notes' ids again, which must come out as they did
_NUMBER_ROOM = len("-9999")


def numbered(wanted: str, taken: Callable[[str], bool], after: str = "", longest: int | None = None) -> str:
    """`wanted + after`, or when `taken` says another has it, the first of `wanted-2 + after`, `wanted-3 + after`
    ... free; with `longest`, `wanted` is cut so the whole is at most that long, whatever the number."""
    candidate, number = wanted + after, 1
    while taken(candidate):
        number += 1
        tail = f"-{number}{after}"
        kept = wanted if longest is None else wanted[: longest - max(len(tail), _NUMBER_ROOM + len(after))]
        candidate = f"{kept}{tail}"
    return candidate


def numbered_id(wanted: str, taken: Callable[[str], bool]) -> str:
    """`wanted`, or when `taken` says another has it, the first of `wanted-2`, `wanted-3` ... free: cut so the
    numbered id is still an id (100 characters at most)."""
    return numbered(wanted, taken, longest=ID_LENGTH)
