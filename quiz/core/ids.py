"""What an id (of a deck, topic, note or source) may be: one pattern for the deck loader, `rename-card`,
the importers and the guids `quiz export` writes."""

from __future__ import annotations

import re

# At most 100 characters, never '/' (a card key joins a note id to its part with it: `x/reverse`, `x/2`).
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}"
_ID = re.compile(ID_PATTERN)


def is_id(text: str) -> bool:
    return _ID.fullmatch(text) is not None
