"""The one mark for "this one" in a list: the highlighted option, item or row, and the grade Enter records."""

from __future__ import annotations

from collections.abc import Callable

from textual.visual import VisualType
from textual.widgets import OptionList

#: Drawn beside a highlight, in the text itself: a screen reader reading the terminal, or a screen without colour,
#: misses a highlight's colour. The Linux console draws it as ► (quiz.ui.console_glyphs).
POINTER = "▸"


def move_pointer(
    options: OptionList, pointed: int | None, prompt: Callable[[int, bool], VisualType], shown: bool = True
) -> int | None:
    """Redraw the option marked POINTER until now (`pointed`) and the one highlighted now (none unless `shown`),
    each as `prompt(index, whether it is to be marked)`; returns the one marked. Call it from a watcher of the
    list's `highlighted`, which runs as the highlight moves: OptionHighlighted, a message, is handled after the
    frame showing the new highlight, so the mark trailed it by a frame (measured: an arrow key's last frame 4 ms
    after the key without the mark, 33 ms with it moved there); nor is one posted when the highlight is taken
    away."""
    now = options.highlighted if shown else None
    for index in {pointed, now}:
        if index is not None and index < options.option_count:
            options.replace_option_prompt_at_index(index, prompt(index, index == now))
    return now
