"""Editing a card in its deck file: the command that opens the file at the card's line in the user's editor
($VISUAL, else $EDITOR, as git and crontab choose), and the deck files not to be edited in place."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePath

from quiz.core.deckfile import LoadResult
from quiz.core.library import SHIPPED_DECKS
from quiz.core.text import as_written, shell_word

# Editors that take `+LINE` before the file to open it at that line; any other gets the file alone.
LINE_EDITORS = frozenset("vi vim nvim gvim nano pico emacs emacsclient micro hx helix kak joe jed mg ne".split())


class EditorError(ValueError):
    """The editor setting cannot be run; the message says why and how to fix it."""


def editor_command(environ: Mapping[str, str], path: str | Path, line: int) -> list[str] | None:
    """The command that opens `path` at `line` in the editor $VISUAL or $EDITOR names (either may hold
    options: `code --wait`, `emacsclient -t`); None when neither is set. The path is given absolute: a deck
    file's name is untrusted, and a relative one (`quiz --deck .`) starting with `+` or `-` would be read as
    a command or an option (vim runs `+!cmd` in a shell)."""
    for name in ("VISUAL", "EDITOR"):
        setting = environ.get(name, "").strip()
        if setting:
            break
    else:
        return None
    try:
        command = shlex.split(setting)
    except ValueError as exc:
        raise EditorError(f"${name} ({setting!r}) cannot be read as a command: {exc}; fix its quotes") from None
    command = _program_path_joined(command)
    program = PurePath(command[0]).name.lower().removesuffix(".exe")
    at_line = [f"+{line}"] if program in LINE_EDITORS and line > 0 else []
    return [*command, *at_line, str(Path(path).absolute())]


def _program_path_joined(command: list[str]) -> list[str]:
    """`command` with its first words joined back into one when they are a program's path with a space left
    unquoted (`EDITOR=/mnt/c/Program Files/Notepad++/notepad++.exe`, as Windows writes a path) and the first
    word alone is no program: else `/mnt/c/Program` is run, and is not found. Only a path: a bare name is looked
    for on PATH, so `nedit --x` joined would be a file in the current folder, not the program she named."""
    if shutil.which(command[0]) is not None or "/" not in command[0]:
        return command
    for end in range(2, len(command) + 1):
        joined = " ".join(command[:end])
        if os.path.isfile(joined) and os.access(joined, os.X_OK):
            return [joined, *command[end:]]
    return command


def first_problem_line(result: LoadResult, otherwise: int = 1) -> int:
    """Where to open a deck file that did not load: the line of its first problem that has one."""
    return next((problem.line for problem in result.problems if problem.line), otherwise)


def no_editor_advice(path: str | Path, line: int) -> str:
    return (
        f"No editor is set: set $VISUAL or $EDITOR (for example `export EDITOR=nano` in your shell's profile), "
        "then quit and start quiz again from a new shell (quiz reads them as it starts); or edit "
        f"{edit_yourself(path, line)}: Home reloads a changed deck by itself"
    )


def edit_yourself(path: str | Path, line: int) -> str:
    """The deck file to edit by hand, its path one shell word (a folder with a space pastes as one)."""
    return f"{shell_word(path)} (line {line}) yourself"


def is_shipped(path: str | Path) -> bool:
    """True for a deck that comes with quiz: an update of quiz replaces it, edits and all."""
    return Path(path).resolve().is_relative_to(SHIPPED_DECKS.resolve())


def shipped_advice(path: str | Path, user_deck_dir: Path) -> str:
    """How to edit a deck that comes with quiz: a copy of one's own, under another deck id (two decks with
    one id cannot both load, and the shipped one is read first)."""
    return (
        f"This deck comes with quiz ({as_written(path)}), and an update of quiz would replace your edits, so it is"
        f" not opened for editing. {how_to_copy_shipped(path, user_deck_dir)}"
    )


def how_to_copy_shipped(path: str | Path, user_deck_dir: Path) -> str:
    """How to have a deck that comes with quiz as one's own, to edit: a copy under another deck id."""
    folder, shipped, copy = (
        as_written(shell_word(word)) for word in (user_deck_dir, path, user_deck_dir / Path(path).name)
    )
    # the deck folder is not made until a deck is added: a new user's has none yet, where a lone cp would fail
    command = f"mkdir -p {folder} && cp {shipped} {copy}"
    return (
        f"To edit your own copy, copy it into your deck folder ({command}) and give the copy another `deck:` id on"
        " its first lines; the copy's cards start with no history"
    )
