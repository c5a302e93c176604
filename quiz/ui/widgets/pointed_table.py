"""A table that marks its cursor row with POINTER, in the text. A module of its own: Home, which loads
quiz.ui.widgets.pointer, starts without DataTable."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import DataTable

from quiz.ui.widgets.pointer import POINTER


class PointedTable(DataTable[Text]):
    """A DataTable whose cursor row starts with POINTER (in its first cell's padding), drawn with the row itself, so
    in the frame that moves the cursor."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        if not (self.show_cursor and self.row_count and self.cursor_type == "row"):
            return line
        segments = list(line)
        first = segments[0] if segments else None
        # each cell's style carries its row's index (for the mouse): the header's is -1
        if first is None or first.style is None or first.style.meta.get("row") != self.cursor_row:
            return line
        text, style, control = first
        if not text.startswith(" "):  # scrolled sideways: the first cell's padding is off the screen
            return line
        return Strip([Segment(POINTER + text[1:], style, control), *segments[1:]], line.cell_length)
