"""Every text quiz draws stays readable: a line filter that moves a colour too close to its background towards
white or black until their WCAG contrast is 4.5:1. Lines, bars and blocks are left as drawn: they are shapes,
not text (a button's shaded edge, a progress bar's track and the calendar's empty days are meant to be faint).

Textual's themes (and its NO_COLOR greys, which keep only each colour's brightness) put some text within 2:1
of its background: the deck list's counts, the key bar's keys, the cursor row. The app runs this filter last,
after Textual's own, so what is checked is what the terminal gets.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

TEXT = 4.5  # WCAG AA for text
WHITE, BLACK = Color(255, 255, 255), Color(0, 0, 0)
NO_DIM = Style(dim=False)


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def contrast(foreground: Color, background: Color) -> float:
    """The WCAG contrast ratio, 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_SHAPES = re.compile(r"[\u2500-\u25ff\s]*")  # \s: what str.isspace() calls space


def is_shape(text: str) -> bool:
    """Only box drawing, blocks and geometric shapes (U+2500-U+25FF): borders, bars and cells, no letters.
    A regular expression: a character loop in Python took ~40 us for a 120-cell border, on every line drawn."""
    return _SHAPES.fullmatch(text) is not None


@lru_cache(1024)
def legible_colour(foreground: Color, background: Color, minimum: float) -> Color:
    """`foreground`, or the smallest step from it towards white or black that has `minimum` contrast against
    `background` (black or white itself when no step does)."""
    if contrast(foreground, background) >= minimum:
        return foreground
    for step in range(1, 21):
        for target in (WHITE, BLACK):
            moved = foreground.blend(target, step / 20)
            if contrast(moved, background) >= minimum:
                return moved
    return max((WHITE, BLACK), key=lambda target: contrast(target, background))


@lru_cache(4096)
def legible_style(style: Style, background: Color, minimum: float) -> Style:
    """`style` with its colour moved just far enough from its background; a dim style dimmed here first, so
    the terminal does not dim it again."""
    if style.color is None or style.color.is_default or not style.color.triplet:
        return style  # the terminal's own colour: nothing to measure
    back = Color.from_rich_color(style.bgcolor) if style.bgcolor and style.bgcolor.triplet else background
    fore = Color.from_rich_color(style.color)
    dimmed = bool(style.dim)
    if dimmed:
        fore, style = back.blend(fore, 0.5), style + NO_DIM
    better = legible_colour(fore, back, minimum)
    return style if better == fore and not dimmed else style + Style(color=better.rich_color)


class Legible(LineFilter):
    """Raises the contrast of each piece of text with its background to TEXT."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, legible_style(style, background, TEXT), control)
            if style is not None and text.strip() and not is_shape(text)
            else Segment(text, style, control)
            for text, style, control in segments
        ]
