"""Hostile text for tests: the characters that must never reach a terminal, and deck files whose NAMES hold
them (a terminal obeys a file name printed raw as readily as deck text)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from quiz.core.text import PLACEHOLDER

# C0 controls but tab and newline (ESC, BEL ...), DEL, C1 (CSI \x9b, OSC \x9d ...), bidi overrides and
# isolates, and lone surrogates (a raw byte that is not UTF-8, as Python decodes it).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

OSC52 = "\x1b]52;c;aGk=\x07"  # writes "hi" to the terminal's clipboard
TITLE = "\x1b]0;PWNED\x1b\\"  # sets the window title (ended by ST, which rich would not strip as it does BEL)
CLEAR = "\x1b[2J"  # clears the screen
#: The sequences above as a terminal would act on them, whatever ends them: never in output, not even where
#: ESC is legitimate (the app draws with it).
SEQUENCES = ("\x1b]52;c;aGk=", "\x1b]0;PWNED", CLEAR + "wiped")
#: TITLE as printed: its ESCs replaced.
SHOWN_TITLE = f"{PLACEHOLDER}]0;PWNED{PLACEHOLDER}\\"


def deck_yaml(deck_id: str, title: str = "Plain title") -> str:
    return f"deck: {deck_id}\ntitle: {title}\ncards:\n  - {{id: c1, kind: basic, front: q, back: a}}\n"


@dataclass(frozen=True)
class HostileDecks:
    """A folder of deck files named to attack the terminal (see `write_hostile_decks`)."""

    folder: Path
    clipboard: Path  # valid, deck id `dup`: the owner a duplicate id's message names
    plain_dup: Path  # plain name, deck id `dup`: its problem quotes `clipboard`'s name
    title_dup: Path  # deck id `dup` too: its own name is the problem's path
    broken: Path  # not a valid deck; its name clears the screen
    raw_c1: Path  # valid; its name holds a lone \x9b byte (not UTF-8: Python sees \udc9b)
    utf8_c1: Path  # valid; its name holds U+009B (CSI) and U+009D (OSC) as UTF-8
    bell_newline: Path  # valid; its name holds BEL and a newline; its title a newline and a tab
    broken_newline: Path  # not a valid deck; its name holds a newline

    @property
    def valid(self) -> list[Path]:
        return [self.clipboard, self.raw_c1, self.utf8_c1, self.bell_newline]

    @property
    def all(self) -> list[Path]:
        return [*self.valid, *self.broken_ones]

    @property
    def broken_ones(self) -> list[Path]:
        """The files that do not load, in the order they are loaded."""
        return [self.plain_dup, self.title_dup, self.broken, self.broken_newline]


def write_hostile_decks(folder: Path) -> HostileDecks:
    """Write the hostile-named deck files into `folder` (made if missing). Sorted as the loader sorts them,
    `clipboard` comes first: it owns the deck id `dup`, the two files after it repeat it."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = os.fsdecode(os.fsencode(folder) + b"/e-raw\x9b31m.yaml")  # the byte itself, as a user's file system has it
    decks = HostileDecks(
        folder=folder,
        clipboard=folder / f"a-clip{OSC52}.yaml",
        plain_dup=folder / "b-plain.yaml",
        title_dup=folder / f"c-title{TITLE}.yaml",
        broken=folder / f"d-wipe{CLEAR}wiped.yaml",
        raw_c1=Path(raw),
        utf8_c1=folder / "f-utf8\x9b31m\x9d0;x.yaml",
        bell_newline=folder / "g-bell\x07\nok forged.yaml",
        broken_newline=folder / "h-broken\nline.yaml",
    )
    for path in (decks.clipboard, decks.plain_dup, decks.title_dup):
        path.write_text(deck_yaml("dup"), encoding="utf-8")
    decks.broken.write_text("deck: broken\ntitle: Broken\ncards: [\n", encoding="utf-8")
    decks.raw_c1.write_text(deck_yaml("raw-c1"), encoding="utf-8")
    decks.utf8_c1.write_text(deck_yaml("utf8-c1"), encoding="utf-8")
    decks.bell_newline.write_text(deck_yaml("bell", '"Two\\nlines\\tand a tab"'), encoding="utf-8")
    decks.broken_newline.write_text("deck: broken-newline\ncards: []\n", encoding="utf-8")
    return decks


def unsafe_in(text: str) -> list[str]:
    """The characters in `text` (a command's output, a screen) that must never reach a terminal."""
    return UNSAFE.findall(text)
