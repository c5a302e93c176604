"""How far through the session: a thin bar drawn as Textual's ProgressBar draws it, by one widget.

Textual's ProgressBar is two widgets, and its bar is a Rich renderable Textual turns into a line each time
the bar moves: ~0.7 ms of every grade key, the dearest thing it painted. This draws the same cells (`━`, the
half cells `╸` and `╺`, the rest in the track's colour) as Textual's own Content.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widget import Widget

BAR, HALF_RIGHT, HALF_LEFT = "━", "╸", "╺"


class ProgressLine(Widget):
    """`done` of `total`, to the half cell."""

    COMPONENT_CLASSES = {"progress-line--bar", "progress-line--complete"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.done, self.total = 0, 1

    def show(self, done: int, total: int) -> None:
        width = self.size.width  # as render draws it
        drawn = self._end(width)
        self.done, self.total = done, total
        if not width or self._end(width) != drawn:  # the end's cell also tells a complete bar (its colour)
            self.refresh()

    def _fraction(self) -> float:
        return min(max(self.done / self.total, 0.0), 1.0) if self.total else 1.0

    def _end(self, width: int) -> float:
        """Where the bar ends, in whole and half cells, as Textual's Bar rounds."""
        return int(self._fraction() * width * 2) / 2

    def render(self) -> Content:
        width = self.size.width
        end = self._end(width)
        colours = self.get_visual_style("progress-line--bar" if self._fraction() < 1 else "progress-line--complete")
        done_style, track_style = Style(foreground=colours.foreground), Style(foreground=colours.background)
        if end == 0:
            return Content.styled(BAR * width, track_style)
        half = end > int(end)
        bar = Content.styled(BAR * int(end) + (HALF_RIGHT if half else ""), done_style)
        track = ("" if half or end == width else HALF_LEFT) + BAR * (width - int(end) - 1)
        return bar + Content.styled(track, track_style)
