"""What a widget draws, measured: each piece of text's colour against its background as the terminal gets it
(every line filter of the app applied, so NO_COLOR's greys are what is measured)."""

from __future__ import annotations

from textual.color import Color
from textual.geometry import Region
from textual.widget import Widget

from quiz.ui.legible import TEXT, contrast, is_shape


def low_contrast(widget: Widget) -> list[str]:
    """Every piece of text below 4.5:1, as `'text' #fg on #bg: 2.5`. Not measured: shapes (borders, bars),
    and a colour of the terminal's own palette (the ANSI themes), which is the terminal's to choose."""
    width, height = widget.size
    problems = []
    for strip in widget.render_lines(Region(0, 0, width, height)):
        for segment in strip:
            style = segment.style
            if not segment.text.strip() or is_shape(segment.text) or style is None or style.color is None:
                continue
            if not (style.color.triplet and style.bgcolor and style.bgcolor.triplet):
                continue  # the terminal's palette
            assert not style.dim and not style.reverse, "drawn by the terminal: not measurable here"
            foreground, background = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
            ratio = contrast(foreground, background)
            if ratio < TEXT:
                problems.append(f"{segment.text.strip()!r} {foreground.hex} on {background.hex}: {ratio:.1f}")
    return problems
