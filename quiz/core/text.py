"""Deck text, file names and messages are untrusted: characters that could steer a terminal or reorder text
are replaced before anything is shown. `printable` is the one function that does it, for every sink."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Sequence
from pathlib import PurePath

#: Shown in place of every removed character, so the user sees that something was there.
PLACEHOLDER = "\ufffd"

# C0 controls except tab and newline (ESC, BEL ...), DEL, C1 controls (CSI \x9b, OSC \x9d ...), the bidi
# embedding/override/isolate marks, and lone surrogates: a file name's undecodable bytes (\udc9b for a raw
# \x9b) would otherwise reach the terminal as those bytes, or make print() raise UnicodeEncodeError.
_SURROGATES = "\ud800-\udfff"
#: The unsafe characters, as a regex character class's content (a file name made plain is rid of them too).
UNSAFE = f"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069{_SURROGATES}"
_IN_TEXT = re.compile(f"[{UNSAFE}]")
# A file name, an id or a one-line message shows its line breaks and tabs too: a name holding a newline
# must not start a line of its own (it could pass for another line of output, "ok other.yaml").
_IN_A_LINE = re.compile(f"[\t\n\u2028\u2029{UNSAFE}]")
_UNDECODABLE = re.compile(f"[{_SURROGATES}]")


def printable(text: object, *, keep_lines: bool = False) -> str:
    """`text` (a str, a path, a problem ...) with every unsafe character replaced by PLACEHOLDER.

    By default the result is one line: tabs and line breaks are replaced as well. With `keep_lines`, newlines
    and tabs stay, for text whose lines are its own (a card's front, a command's whole output). A piece marked
    `as_written` that reached it without passing quiz.output.suggested_commands (printed, or shown in the app as
    deck text is) shows as it is written, without its marks."""
    text = str(text)
    if _AS_WRITTEN[0] in text:
        text = AS_WRITTEN.sub(r"\g<piece>", text)
    return (_IN_TEXT if keep_lines else _IN_A_LINE).sub(PLACEHOLDER, text)


def sanitize(text: str) -> tuple[str, bool]:
    """Deck text at load: `printable` with its lines kept, and whether anything was replaced."""
    clean = printable(text, keep_lines=True)
    return clean, clean != text


def shortened(text: str, most: int) -> str:
    """`text`, cut to `most` characters, the last an ellipsis, when longer."""
    return text if len(text) <= most else text[: most - 1] + "\u2026"


def decodable(text: str) -> str:
    """`text` with what Python makes of bytes that are not UTF-8 (in a Latin-1 file name or argument, `café`)
    replaced by PLACEHOLDER: no UTF-8 file can hold them, and a repr shows them as escapes (`caf\\udce9`)."""
    return _UNDECODABLE.sub(PLACEHOLDER, text)


def quoted(value: object, most: int = 60) -> str:
    """`value`'s repr, `shortened`: an untrusted value named in a message (one of 5 MB made a 5 MB warning), a
    name's undecodable bytes shown as PLACEHOLDER, as everywhere else."""
    return shortened(repr(decodable(value) if isinstance(value, str) else value), most)


GUIDES = {"sync": "Sync", "deck-format": "Deck format"}  # as README.md lists them


def guide(page: str, section: str = "") -> str:
    """Where a message sends her for more: the guide by its name in README.md's list, the section, and its file in
    quiz's source. A quiz installed with pipx has no docs folder: "see docs/sync.md" alone sent her looking."""
    part = f", '{section}'" if section else ""
    return f"quiz's {GUIDES[page]} guide{part}: docs/{page}.md in quiz's source"


def shell_word(value: object) -> str:
    """`value` (a path, a remote, a name) as one word of a command quiz prints for her to paste into a shell:
    quoted when it holds a space or another character a shell reads (a folder like iCloud's 'Mobile Documents').
    A relative path starting with '-' is written `./-deck.yaml`, so the command does not take it for an option."""
    word = str(value)
    if isinstance(value, PurePath) and word.startswith("-"):
        word = f".{os.sep}{word}"
    return shlex.quote(word)


# Around a piece of a message that came from a file name or a path (`as_written`): two control characters, which
# `printable` would show as PLACEHOLDER anyway, so a piece holding one loses nothing by having it replaced. Each
# holds a token of this run's own, which no file name holds: one holding the control characters alone
# ($'o\x0e`quiz list`\x0f.csv', printed as a path not marked) is no mark, and shows them as PLACEHOLDER
_RUN = os.urandom(8).hex()  # not `secrets`: it loads hashlib and OpenSSL at every start
_MARKS = "\x0e\x0f"
_AS_WRITTEN = f"\x0e{_RUN}\x0f", f"\x0f{_RUN}\x0e"
#: A piece `as_written` marked, its text the group `piece`
AS_WRITTEN = re.compile(f"{_AS_WRITTEN[0]}(?P<piece>[^{_MARKS}]*){_AS_WRITTEN[1]}")


def as_written(piece: object) -> str:
    """`piece` (a path, a file's name, a shell word quoting one: untrusted) marked as no text of quiz's, so the
    commands quiz suggests (`quiz ...` in backquotes) are never looked for inside it, whole or in part: a folder
    named `` `quiz x` $(touch PWNED) `` is shown as it is, never given the data folder --data-dir named (which
    would end its shell quotes). The marks go where the line is shown (quiz.output.suggested_commands)."""
    text = str(piece)
    for mark in _MARKS:
        text = text.replace(mark, PLACEHOLDER)
    return f"{_AS_WRITTEN[0]}{text}{_AS_WRITTEN[1]}"


def with_article(word: str) -> str:
    """`word` after "a", or "an" when it starts with a vowel: "an order", "a cloze" (a kind's name, a word of
    quiz's own, none of which starts with a silent or a sounded-as-consonant letter)."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def counted(number: int, what: str, many: str = "") -> str:
    """`number` and the noun for it: "1 note", "2 notes" (`many` for a plural not made with -s)."""
    return f"{number} {what if number == 1 else many or what + 's'}"


def named_list(shown: Sequence[str], most: int, more: str = "more") -> str:
    """Names joined as a message lists them, each as `shown` has it (an untrusted one already `quoted`): "A, B and
    C"; past `most`, the rest counted: "A, B and 5 more" (`more`: "more notes"). Never "and 1 more": that one
    name takes its room."""
    named = list(shown)
    if len(named) > most + 1:
        named[most:] = [f"{len(named) - most} {more}"]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
