"""`e` on a card (or on Home, on a deck file that did not load): its deck file opened in the user's editor at the
card's line (the file's first problem), the terminal handed over with Textual's App.suspend(); on return the
decks reload, and what the file's check found is said."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from textual.app import SuspendNotSupported
from textual.screen import Screen

from quiz.core.deckfile import LoadResult
from quiz.core.editing import (
    EditorError,
    edit_yourself,
    editor_command,
    first_problem_line,
    is_shipped,
    no_editor_advice,
    shipped_advice,
)
from quiz.core.model import Card
from quiz.core.problems import errors
from quiz.core.text import shell_word
from quiz.ui.base import QuizAppBase, quiz_app
from quiz.ui.widgets.literal import say

SHOWN_PROBLEMS = 5  # a notification lists this many; `quiz validate` lists them all
LONG = 20  # seconds a message with something to do stays up


def edit_card(screen: Screen, card: Card) -> bool:
    """Open the card's deck file in the editor, then reload the decks. True once they were reloaded: the
    caller then shows the cards' new text (their ids, and so their history, are the file's)."""
    app = quiz_app(screen)
    library = app.context.library
    deck = library.deck(card.deck_id)
    broken = library.not_loaded(card.deck_id) if deck is None else None
    path = deck.path if deck else broken.path if broken else library.last_path(card.deck_id)
    if path is not None and not os.path.exists(path):  # deleted, moved or renamed: an editor would make it empty
        say(
            app,
            f"Nothing to open: the deck file {path} is gone (deleted, moved or renamed since it was loaded)."
            " Your answers to its cards are kept; put the file back, or press r on Home to load the decks as"
            " they are now.",
            timeout=LONG,
        )
        return False
    if deck is not None:
        return edit_file(screen, deck.path, card.note.line, cards_kept=True)
    if broken is not None:  # an edit broke the file: open it again, at its first problem
        return edit_file(screen, broken.path, first_problem_line(broken, card.note.line), cards_kept=True)
    say(app, f"The deck '{card.deck_id}' is no longer loaded; press r on Home to reload the decks.")
    return False


def edit_file(screen: Screen, path: str, line: int, *, cards_kept: bool = False) -> bool:
    """Open a deck file in the editor at `line`, then reload the decks and say how the file reads now. True
    once they were reloaded. `cards_kept`: the screen keeps showing the file's cards as they were when the
    edit leaves the file broken (a session, Browse)."""
    app = quiz_app(screen)
    context = app.context
    if is_shipped(path):
        say(app, shipped_advice(path, context.user_deck_dir), title="Not editable", timeout=LONG)
        return False
    try:
        command = editor_command(os.environ, path, line)
    except EditorError as exc:
        say(app, str(exc), title="Editor", severity="error", timeout=LONG)
        return False
    if command is None:
        say(app, no_editor_advice(path, line), title="No editor", severity="warning", timeout=LONG)
        return False
    try:
        code = _run(app, command)
    except OSError as exc:
        say(
            app,
            f"Could not start the editor {command[0]}: {exc.strerror or exc}. Check $VISUAL and $EDITOR.",
            title="Editor",
            severity="error",
            timeout=LONG,
        )
        return False
    if code is None:
        say(app, f"This terminal cannot be handed to an editor: edit {edit_yourself(path, line)}.")
        return False
    context.library.reload()
    result = next((r for r in context.library.results if _same(r.path, path)), None)
    _report(app, path, code, result, cards_kept=cards_kept)
    return True


def _run(app: QuizAppBase, command: list[str]) -> int | None:
    """Run the editor with the terminal; its exit code, or None when the terminal cannot be handed over."""
    try:
        with app.suspend():
            return subprocess.call(command)
    except SuspendNotSupported:
        if not app.is_headless:  # e.g. served to a browser: no terminal to give
            return None
        # Headless (tests, scripted runs): no terminal to hand over, and no keys for the editor either.
        return subprocess.call(command, stdin=subprocess.DEVNULL)


def _same(one: str, other: str) -> bool:
    return Path(one).resolve() == Path(other).resolve()


def _report(app: QuizAppBase, path: str, code: int, result: LoadResult | None, *, cards_kept: bool = True) -> None:
    """Say how the edited file reads now: fine, with warnings, or with errors."""
    exited = f"The editor exited with code {code}. " if code else ""
    if result is None:
        kept = ": its cards stay as they were in this session" if cards_kept else ""
        say(app, f"{exited}{path} is gone{kept}.", severity="warning")
        return
    found = [problem.shown() for problem in result.problems[:SHOWN_PROBLEMS]]
    if len(result.problems) > SHOWN_PROBLEMS:
        found.append(f"... and {len(result.problems) - SHOWN_PROBLEMS} more: run `quiz validate {shell_word(path)}`")
    listed = "\n".join(found)
    if result.deck is None or errors(result.problems):
        left = "it was not loaded" if result.deck is None else "the cards they concern are left out of it"
        kept = "; this session keeps its cards as they were" if cards_kept else ""
        say(
            app,
            f"{exited}{path} has errors, so {left}{kept}. Fix them (press e again):\n{listed}",
            title="Deck has errors",
            severity="error",
            timeout=LONG,
        )
    elif result.problems:
        say(app, f"{exited}Reloaded {path}, with warnings:\n{listed}", severity="warning", timeout=LONG)
    else:
        say(app, f"{exited}Reloaded {path}.", timeout=3)
