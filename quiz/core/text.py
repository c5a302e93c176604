"""Deck text is untrusted: characters that could steer a terminal or reorder text are replaced at load."""

from __future__ import annotations

import re

#: Shown in place of every removed character, so the user sees that something was there.
PLACEHOLDER = "\ufffd"

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> tuple[str, bool]:
    """Return the text with unsafe characters replaced, and whether any were."""
    clean, count = _UNSAFE.subn(PLACEHOLDER, text)
    return clean, count > 0


def printable(text: str) -> str:
    """`text` with unsafe characters replaced: for file names and messages that quote deck text."""
    return _UNSAFE.sub(PLACEHOLDER, text)


def normalize_answer(text: str) -> str:
    """Lowercase, punctuation dropped, whitespace collapsed: what typed answers are compared on."""
    kept = "".join(ch if ch.isalnum() else " " for ch in text.casefold())
    return " ".join(kept.split())
