"""Deck text, file names and problems are shown literally, everywhere: `[b]x[/b]` is those characters, never
markup, and no control character reaches the terminal (rich passes ESC through to it).

Every string that comes from a deck (or a file path, or a problem message quoting a deck or a path) reaches
a widget through `lit` or `lit_line` (a rich Text, which Textual never parses for markup) or `say` (a
notification with markup off); each passes it through `printable`, the sanitiser the command line uses too,
and on the Linux console through `console_spelling` (a sign the font lacks spelt out, not drawn as another).
quiz's own messages (a problem, an error, what a sync did: text that may quote a deck) are shown by `lit_message` or
`say`, which also make each command they suggest name the data folder --data-dir gave, as the command line does
(quiz.output.suggested_commands). Deck text shown by `lit` or `lit_line` is never rewritten so; a message that
quotes a deck's text holding such a command is (docs/command-line.md says so).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel

from quiz.core.text import printable
from quiz.output import suggested_commands
from quiz.ui.console_glyphs import console_spelling


def lit(text: object, style: str = "") -> Text:
    """A literal, printable Text of `text` keeping its lines (a card's text), optionally styled."""
    return Text(console_spelling(printable(text, keep_lines=True)), style=style)


def lit_line(text: object, style: str = "") -> Text:
    """`lit` on one line, for a file name, a title or a problem: a newline or tab in it shows as the
    placeholder (a title's line break would otherwise break a row of the deck list)."""
    return Text(console_spelling(printable(text)), style=style)


def lit_message(text: object, style: str = "", *, keep_lines: bool = False) -> Text:
    """`lit_line` (`lit` with `keep_lines`) of one of quiz's messages, its suggested commands naming the data
    folder --data-dir gave."""
    return (lit if keep_lines else lit_line)(suggested_commands(str(text)), style)


# A notification's severity in words at the head of its title: otherwise only its colour tells an error from a
# warning or a plain message, which a screen reader, a colour-blind user and NO_COLOR's greys miss.
SEVERITY_WORDS: dict[str, str] = {"error": "Error", "warning": "Warning"}


def say(app: App, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout=None) -> None:
    """A notification whose text is shown literally and printable (its title on one line, after its severity's
    word), its suggested commands naming the data folder --data-dir gave."""
    word, title = SEVERITY_WORDS.get(severity, ""), printable(title)
    app.notify(
        console_spelling(printable(suggested_commands(message), keep_lines=True)),
        title=console_spelling(f"{word}: {title}" if word and title else word or title),
        severity=severity,
        timeout=timeout,
        markup=False,
    )
