"""Whether the terminal draws pictures, asked once before the app starts; no Textual import here.

textual-image asks the terminal what it can draw (sixel, Kitty's graphics protocol) when its renderables are
imported, which no longer works once Textual reads the keyboard. `ask_terminal` does it, beside the import
of Textual (it loads Pillow and rich only), and only on a real terminal with colours allowed and pictures
not turned off. Without it (no terminal, NO_COLOR, QUIZ_IMAGES=off, the tests) a card names its picture.
"""

from __future__ import annotations

import logging
import os
import sys

_asked = False


def graphics_wanted() -> bool:
    """A real terminal, colours allowed (NO_COLOR unset), pictures not turned off (QUIZ_IMAGES=off)."""
    stdout = sys.__stdout__
    return (
        stdout is not None
        and stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("QUIZ_IMAGES", "").lower() != "off"
    )


def ask_terminal() -> None:
    """Find out what the terminal draws, when pictures are wanted (the answer is kept by textual-image)."""
    global _asked
    if _asked or not graphics_wanted():
        return
    # textual-image logs a terminal that does not answer, with a traceback, to stderr: that is the screen
    logging.getLogger("textual_image").addHandler(logging.NullHandler())
    try:
        import textual_image.renderable  # noqa: F401  # the import asks the terminal
    except Exception:  # a terminal it cannot make sense of: cards name their pictures instead
        return
    _asked = True


def graphics_ready() -> bool:
    """Whether `ask_terminal` found a terminal to draw pictures on."""
    return _asked
