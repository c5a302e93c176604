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
        if (done, total) != (self.done, self.total):
            self.done, self.total = done, total
            self.refresh()

    def render(self) -> Content:
        width = self.size.width
        fraction = min(max(self.done / self.total, 0.0), 1.0) if self.total else 1.0
        end = int(fraction * width * 2) / 2  # whole and half cells, as Textual's Bar rounds
        colours = self.get_visual_style("progress-line--bar" if fraction < 1 else "progress-line--complete")
        done_style, track_style = Style(foreground=colours.foreground), Style(foreground=colours.background)
        if end == 0:
            return Content.styled(BAR * width, track_style)
        half = end > int(end)
        bar = Content.styled(BAR * int(end) + (HALF_RIGHT if half else ""), done_style)
        track = ("" if half or end == width else HALF_LEFT) + BAR * (width - int(end) - 1)
        return bar + Content.styled(track, track_style)
