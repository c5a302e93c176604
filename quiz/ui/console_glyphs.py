"""The Linux console (TERM=linux): every character drawn is one its font has.

The console's font holds the 256 glyphs of code page 437 (box lines, shade and half blocks, arrows, `√`, `·`, `•`,
`►`); anything else shows as the same blank diamond. quiz's marks (`✓` right, `✗` wrong: both a diamond there, so
right and wrong were told apart by colour alone), its triangles, dashes and flags, and Textual's borders and
scrollbars (eighth blocks), are drawn there as the nearest glyph the font has, one cell for one cell so that nothing
moves. Elsewhere nothing changes.
"""

from __future__ import annotations

import os

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

# What the console's font draws: code page 437's printable half, and the symbols it puts on the control codes.
CONSOLE_FONT = frozenset(bytes(range(0x20, 0x100)).decode("cp437") + "☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼⌂")

NEAREST = str.maketrans(
    {
        "✓": "√",
        "✔": "√",
        "✗": "x",
        "✘": "x",
        "▸": "►",
        "▶": "►",
        "◂": "◄",
        "◀": "◄",
        "★": "*",
        "⚑": "F",
        "⚠": "!",
        "μ": "µ",  # Greek mu as the micro sign the font has: the same letter, so a deck's 'μg' is read as written
        "−": "-",  # the minus sign
        "–": "-",
        "—": "-",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "…": "»",  # Textual's own ellipsis, where it cuts a line short: one cell (deck text spells it out)
        "›": ">",
        "‹": "<",
        "⏎": "◄",
        "🔎": "> ",  # the command palette's prompt: two cells, as wide as the emoji
        "━": "─",
        "╸": "─",
        "╺": "─",
        "╴": "─",
        "╶": "─",
        "┃": "│",
        "╷": "│",
        "╵": "│",
        "╭": "┌",
        "╮": "┐",
        "╰": "└",
        "╯": "┘",
        "┏": "┌",
        "┓": "┐",
        "┗": "└",
        "┛": "┘",
        "▔": "▀",
        "▁": "▄",
        "▂": "▄",
        "▃": "▄",
        "▅": "█",
        "▆": "█",
        "▇": "█",
        "▉": "█",
        "▊": "█",
        "▋": "▌",
        "▍": "▌",
        "▎": "▌",
        "▏": "│",
        "▕": "▐",
        "▖": "▄",
        "▗": "▄",
        "▘": "▀",
        "▝": "▀",
        "▙": "█",
        "▛": "█",
        "▜": "█",
        "▟": "█",
        "▚": "▒",
        "▞": "▒",
    }
)


# Deck text's characters the font lacks whose one-cell stand-in above would read as another sign: spelt out
# instead, where the text is made (quiz.ui.widgets.literal), before its width is measured ('Wait…' read 'Wait»').
SPELT_OUT = str.maketrans({"…": "..."})


def on_linux_console() -> bool:
    return os.environ.get("TERM") == "linux"


def console_spelling(text: str) -> str:
    """`text` with SPELT_OUT's characters spelt out on the Linux console; elsewhere `text` itself."""
    return text.translate(SPELT_OUT) if on_linux_console() else text


class ConsoleGlyphs(LineFilter):
    """Draws each character the console's font lacks as its nearest glyph there (`NEAREST`)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text.translate(NEAREST), style, control) if not text.isascii() else Segment(text, style, control)
            for text, style, control in segments
        ]
