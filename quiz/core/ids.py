"""What an id (of a deck, topic, note or source) may be: one pattern for the deck loader, `rename-card`,
the importers and the guids `quiz export` writes."""

from __future__ import annotations

import re
from collections.abc import Callable

# At most 100 characters, never '/' (a card key joins a note id to its part with it: `x/reverse`, `x/2`).
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}"
_ID = re.compile(ID_PATTERN)


def is_id(text: str) -> bool:
    return _ID.fullmatch(text) is not None


def numbered_id(wanted: str, taken: Callable[[str], bool]) -> str:
    """`wanted`, or when `taken` says another has it, the first of `wanted-2`, `wanted-3` ... free: cut so the
    numbered id is still an id (100 characters at most)."""
    candidate, number = wanted, 1
    while taken(candidate):
        number += 1
        candidate = f"{wanted[:95]}-{number}"
    return candidate
