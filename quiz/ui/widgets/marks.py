"""Marked notes on screen: the key that marks one and the sign a marked card shows (Anki's `*`)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from quiz.core.marks import MARKED_TAG

_WHAT = f"Mark the note, or take its mark off (find marked notes with tag:{MARKED_TAG})"
MARK_BINDING = Binding("asterisk", "toggle_mark", show=False, key_display="*", tooltip=_WHAT)
MARK_BINDINGS = [MARK_BINDING, Binding("ctrl+k", "toggle_mark", show=False, tooltip=_WHAT)]  # Browse: Anki's Ctrl+K too


def mark_sign(marked: bool) -> Text:
    """`★ marked` (it reads without colour); empty for a note not marked."""
    return Text(f"★ {MARKED_TAG}", style="bold yellow") if marked else Text()


def mark_done(marked: bool) -> str:
    """What to say after the mark key."""
    return "Marked the note (find it with tag:marked)." if marked else "Mark taken off."
