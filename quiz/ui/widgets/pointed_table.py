"""A table that marks its cursor row with POINTER, in the text. A module of its own: Home, which loads
quiz.ui.widgets.pointer, starts without DataTable."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import DataTable

from quiz.ui.widgets.pointer import POINTER


class PointedTable(DataTable[Text]):
    """A DataTable whose cursor row starts with POINTER (in its first cell's padding, on its first line), drawn with
    the row itself, so in the frame that moves the cursor."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        if not (self.show_cursor and self.row_count and self.cursor_type == "row"):
            return line
        segments = list(line)
        if not self._on_cursor_row(segments) or (y and self._on_cursor_row(list(super().render_line(y - 1)))):
            return line  # another row's, or a later line of the cursor row's (a wrapped cell): its first is marked
        text, style, control = segments[0]
        if not text.startswith(" "):  # scrolled sideways: the first cell's padding is off the screen
            return line
        return Strip([Segment(POINTER + text[1:], style, control), *segments[1:]], line.cell_length)

    def _on_cursor_row(self, segments: list[Segment]) -> bool:
        """Whether a drawn line is one of the cursor row's: each cell's style carries its row's index (for the
        mouse), the header's -1."""
        first = segments[0] if segments else None
        return first is not None and first.style is not None and first.style.meta.get("row") == self.cursor_row
