"""Problems found in a deck file, each pointing at a file, line and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from quiz.core.text import as_written

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the whole file is concerned
    column: int  # 1-based
    message: str  # what is wrong
    hint: str = ""  # how to fix it
    card_id: str = ""
    severity: Severity = "error"
    # found in another file than the deck's (a picture it names): fixed there, so a deck cache keeps it only when
    # it is a picture's (`picture`), which the cache checks again at each hit
    elsewhere: bool = False
    # the file names `message` quotes (a picture's, as quoted there): shown as they are wherever the problem is
    # shown (`shown`), never taken for a command quiz suggests
    quoted: tuple[str, ...] = ()
    # the picture, as the deck names it, whose file the problem is in (`elsewhere`); never shown
    picture: str = ""

    @property
    def shown_message(self) -> str:
        """`message` with each file name it quotes marked `as_written` (marked here, as it is shown, never when
        made: the marks hold a token of this run's own, and a deck cache keeps problems across runs)."""
        shown = self.message
        for name in self.quoted:
            shown = shown.replace(name, as_written(name))
        return shown

    def __str__(self) -> str:
        """`path:line:column: what` as compilers give it, for editors to jump to; the whole file concerned (one
        not there), `path: what`: `docs:0:0:` reads as a place in it."""
        return self._where_and_what(self.message)

    def shown(self) -> str:
        """As `str` gives it, each file name it quotes marked `as_written`: what is shown to her (quiz.output.echo,
        the app), where quiz's own suggested commands name the data folder and those names are never rewritten."""
        return self._where_and_what(self.shown_message)

    def in_words(self) -> str:
        """As `shown` gives it, with the line and column each named (none when the whole file is concerned): a
        screen line wrapped inside `deck.yaml:6:12` read as `deck.yaml:6:1` and `2:`, while `line 6, column` and
        `12` cannot be misread."""
        where = f", line {self.line}, column {self.column}" if self.line else ""
        return f"{self.path}{where}:{self._what(self.shown_message)}"

    def _where_and_what(self, message: str) -> str:
        where = f":{self.line}:{self.column}" if self.line else ""
        return f"{self.path}{where}:{self._what(message)}"

    def _what(self, message: str) -> str:
        who = f" card {self.card_id}:" if self.card_id else ""
        label = "" if self.severity == "error" else " warning:"
        fix = f" — {self.hint}" if self.hint else ""
        return f"{label}{who} {message}{fix}"


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """By file, then line and column: a picture's problem is found after its card's text, a file's name after
    its cards, but a reader goes down the file."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.column))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
