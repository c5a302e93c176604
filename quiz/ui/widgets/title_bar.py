"""The study and exam screens' title bar: the mode (REVIEW, PRACTICE or EXAM) on its colour, the deck's or the exam's
title cut to fit, and on the right the counts or the clock. One line of one widget.

It was a row of three Statics in a Horizontal: four widgets laid out on every study key, and a layout on every
grade because the counts, sized to their text, changed. Drawn as one line, new counts are a repaint of one row.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widget import Widget

from quiz.ui.widgets.drawn_lines import drawn_as


class TitleBar(Widget):
    """`mode` and `heading` stay as given; `show` puts a text on the right (the session's counts, the exam's clock).

    Its styles: the class `title-bar` (the row's height, background and padding, as every screen's title row), the
    component class `title-bar--mode` for the mode's cell, and a class (`-practice`, `-exam`) for its colour."""

    COMPONENT_CLASSES = {"title-bar--mode"}
    ALLOW_SELECT = False

    def __init__(self, mode: str, heading: Text, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=f"title-bar {classes}".strip())
        self.mode = Content(mode)
        self.heading = Content.from_rich_text(heading)
        self.right = Content("")

    def show(self, right: Text) -> None:
        """The text on the right; the bar is drawn again only when it changes."""
        content = Content.from_rich_text(right)
        if drawn_as(content) != drawn_as(self.right):
            self.right = content
            self.refresh()

    def render(self) -> Content:
        """The mode padded by a cell each side; the heading padded the same and cut with an ellipsis to the width
        left; the right-hand text whole, unless the bar is too narrow for it (then it is cut at the edge)."""
        width = self.size.width
        mode = Content.assemble(" ", self.mode, " ").stylize_before(self.get_visual_style("title-bar--mode"))
        room = max(width - mode.cell_length - self.right.cell_length, 2)
        heading = self.heading.truncate(room - 2, ellipsis=True)
        middle = Content.assemble(" ", heading).pad_right(room - 1 - heading.cell_length)
        return Content.assemble(mode, middle, self.right).truncate(width)
