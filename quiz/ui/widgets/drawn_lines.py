"""Widgets whose lines come back key after key: each line turned into a strip once, then reused.

Textual draws a widget again whole whenever it is refreshed: its content is laid out and every line turned into
a strip (0.2-0.8 ms per widget on the study screen). The study screen's widgets mostly alternate between a few
lines: the reveal prompt and its blank row, the hint and the blank rows it keeps for the back, the rule above
the back, a blank grade bar or status line. Remembering each line's strip (by its text, its styles and the width)
leaves only the lines never drawn before to draw.

`DrawnLines.draw_lines` gives what the widget shows as lines that each fit the width, the lines its `render` joins
with newlines; each is drawn as Textual draws that content (`Visual.to_strips`, as `Widget.render_line` does),
its cells marked with their place in it for text selection. A selection is drawn over the lines, so while there
is one the widget is drawn as Textual draws it. A widget whose lines cost more to make than to name (the footer,
from its keys) gives `lines_key`, and a line drawn before is found without making the lines again.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.content import Content, Span
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget  # the type checker sees the overrides and their super() calls against Widget's
else:
    _Mixin = object  # at run time not a Widget: Textual takes CSS from a class's first Widget base

REMEMBERED = 64  # lines per widget; a study screen's widgets cycle through a handful


class DrawnLines(_Mixin):
    """Mixin for a Widget subclass (put it first): `render_line` from the remembered strips of `draw_lines`."""

    _drawn: dict[tuple, Strip]

    def draw_lines(self, width: int) -> Sequence[Content] | None:
        """What the widget shows at `width`, one Content per line, each no wider than `width`; None: what it shows
        is not lines of Content (Textual draws it). By default what `render` gives, if it is one line of Content
        that fits (a wrapped line's cells keep their place in the whole text for a selection: Textual draws those)."""
        visual = self.render()
        if isinstance(visual, Content) and "\n" not in visual.plain and visual.cell_length <= width:
            return [visual]
        return None

    def lines_key(self) -> Hashable | None:
        """What tells apart the lines `draw_lines` gives, when that is cheaper to know than the lines themselves (a
        footer's keys): a line drawn before is then found by it, without making the lines. None: by each line."""
        return None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not (width and self.text_selection is None and self.styles.content_align_vertical == "top"):
            return super().render_line(y)  # text selected, or lines aligned lower: Textual draws those
        style = self.visual_style
        drawn = self.__dict__.setdefault("_drawn", {})
        named = self.lines_key()
        if named is not None and (strip := drawn.get((named, y, width, style))) is not None:
            return strip
        lines = self.draw_lines(width)
        if lines is None:
            return super().render_line(y)
        if y >= len(lines):
            return Strip.blank(width, style.rich_style)
        line = lines[y]
        key = (drawn_as(line) if named is None else named, y, width, style)
        strip = drawn.get(key)
        if strip is None:
            if len(drawn) >= REMEMBERED:
                drawn.clear()
            (strip,) = Visual.to_strips(self, line, width, 1, style)
            drawn[key] = strip = on_row(strip, y) if y else strip
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.__dict__.pop("_drawn", None)  # a new theme or stylesheet: the colours change


def drawn_as(content: Content) -> tuple[str, tuple[Span, ...]]:
    """What tells apart two contents that draw differently, to compare them or to remember a line by: the text and its
    styles. Content's own == compares the text alone; `Content.is_same` compares both but gives no key."""
    return content.plain, tuple(content.spans)


def on_row(strip: Strip, y: int) -> Strip:
    """`strip`, drawn as the first line of a content, as line `y` of one: each cell's place (the `offset` Textual
    keeps in its style, from which a mouse selection knows what text it covers) moved to that line."""
    segments = []
    for text, style, control in strip:
        if style is not None and "offset" in style.meta:
            style += Style.from_meta({"offset": (style.meta["offset"][0], y)})
        segments.append(Segment(text, style, control))
    return Strip(segments, strip.cell_length)
