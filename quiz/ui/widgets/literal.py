"""Deck text is shown literally, everywhere: `[b]x[/b]` is those characters, never markup.

Every string that comes from a deck (or a file path, or a problem message quoting a deck) reaches a
widget through `lit` (a rich Text, which Textual never parses for markup) or `say` (a notification with
markup off).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel


def lit(text: object, style: str = "") -> Text:
    """A literal Text of `text` (never parsed as markup), optionally styled."""
    return Text(str(text), style=style)


def say(app: App, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout=None) -> None:
    """A notification whose text is shown literally."""
    app.notify(message, title=title, severity=severity, timeout=timeout, markup=False)
