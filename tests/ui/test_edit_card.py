"""`e` on a card (study, Browse, the card page): the deck file opens in $VISUAL/$EDITOR at the card's line,
the decks reload, the card shows its new text and keeps its history. The editor here is a small script that
records its arguments and rewrites the file, as a user's edit would."""

from __future__ import annotations

import os
import shlex
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    START,
    due_review_state,
    editor_args,
    fake_editor,
    make_context,
    messages,
    open_browse,
    open_study,
    said_after,
    screen_text,
)
from textual.widgets import DataTable

from quiz.context import Context
from quiz.core.browse_data import row_ident
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.library import SHIPPED_DECKS
from quiz.core.model import Grade, Mode
from quiz.ui.app import QuizApp
from quiz.ui.editor import SHOWN_PROBLEMS, _report
from quiz.ui.screens.browse import CardScreen

SIZE = (80, 24)
DECK = """deck: ed
title: Editing
cards:
  - {id: one, kind: basic, front: "Old front of one", back: "first back"}

  - id: two
    kind: basic
    front: "Old front of two"
    back: "second back"
"""
TWO_LINE = 6  # where the note `two` starts in DECK


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "decks" / "ed.yaml"
    path.parent.mkdir()
    path.write_text(DECK)
    return path


@pytest.fixture
def context(tmp_path: Path, deck_file: Path, no_editor_set: None) -> Context:
    made = make_context(tmp_path / "data", decks=[deck_file])
    yield made
    made.close()


async def test_e_in_study_edits_the_card_at_its_line_and_the_session_goes_on_with_its_new_text(
    context: Context, deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = context.store
    answered = START - timedelta(days=6)
    store.record_review("ed", "two", Grade.GOOD, answered, 1000, Mode.REVIEW, None, due_review_state())  # due now
    editor = fake_editor(tmp_path, "nvim", "Old front of two", "New front of two")
    monkeypatch.setenv("VISUAL", str(editor))
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")  # VISUAL comes first
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_study(pilot)
        assert screen.session.current is not None and screen.session.current.key == "two"  # the due review first
        assert "Old front of two" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert editor_args(tmp_path) == [f"+{TWO_LINE}", str(deck_file)]  # at the card's line
        assert "New front of two" in screen_text(app) and "Old front" not in screen_text(app)
        assert f"Reloaded {deck_file}." in messages(app)
        current = screen.session.current
        assert current is not None and current.key == "two" and "New front" in current.note.body.front
        assert len(store.reviews(card_key="two")) == 1  # the history is the card's still
        await pilot.press("space")  # show the answer, then grade it
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert [r.grade for r in store.reviews(card_key="two")] == [Grade.GOOD, Grade.GOOD]
        assert store.state("ed", "two").reps == 4  # on from the stored state, not started again
        assert screen.session.current is not None and screen.session.current.key == "one"
        fake_editor(tmp_path, "nvim", "New front of two", "Newer front of two")
        await pilot.press("e")  # on card one; the edit reaches card two too, in the undo step that answered it
        await pilot.pause()
        assert editor_args(tmp_path) == ["+4", str(deck_file)]
        await pilot.press("u")
        await pilot.pause()
        assert screen.session.current is not None and screen.session.current.key == "two"
        assert "Newer front of two" in screen_text(app)
        assert [r.grade for r in store.reviews(card_key="two")] == [Grade.GOOD]


async def test_an_edit_that_breaks_the_deck_says_where_and_the_session_keeps_the_card(
    context: Context, deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "code", "kind: basic\n", "kind: nonsense\n")))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_study(pilot)
        card = screen.session.current
        await pilot.press("e")
        await pilot.pause()
        assert editor_args(tmp_path) == [str(deck_file)]  # an editor not known to take +LINE: the file alone
        said = messages(app)
        assert f"{deck_file} has errors" in said and f"{deck_file}:{TWO_LINE + 1}:" in said
        assert screen.session.current is card and "Old front of one" in screen_text(app)


# card two's back, and the same line one space to the right: there YAML stops reading DECK (line TWO_LINE + 3)
ALIGNED, MISALIGNED = '    back: "second', '     back: "second'


async def e_breaks_the_deck(pilot, context: Context) -> None:
    """`e`, the editor moving card two's back out of line: the deck no longer loads, and the app says to press
    e again."""
    await pilot.press("e")
    await pilot.pause()
    assert context.library.deck("ed") is None and "press e again" in messages(pilot.app)


async def e_again_opens_it_at_its_error(pilot, tmp_path: Path, editor: str, deck_file: Path) -> None:
    """`e` again, the editor called `editor` putting card two's back in line: it was given the file at the line
    YAML stopped at."""
    fake_editor(tmp_path, editor, MISALIGNED, ALIGNED)
    await pilot.press("e")
    await pilot.pause()
    assert editor_args(tmp_path) == [f"+{TWO_LINE + 3}", str(deck_file)]


async def test_e_again_on_a_card_whose_deck_an_edit_broke_opens_the_file_at_its_error(
    context: Context, deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report says "press e again": e opens the file that no longer loads, where YAML stopped (it said the
    deck was no longer loaded, and to press r on Home)."""
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "vim", ALIGNED, MISALIGNED)))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_study(pilot)
        card = screen.session.current
        await e_breaks_the_deck(pilot, context)
        await e_again_opens_it_at_its_error(pilot, tmp_path, "vim", deck_file)
        assert context.library.deck("ed") is not None and f"Reloaded {deck_file}." in messages(app)
        assert screen.session.current is not None and screen.session.current.key == card.key


@pytest.mark.parametrize("reloaded", [False, True], ids=["decks-as-loaded", "decks-reloaded"])
async def test_e_on_a_card_whose_deck_file_was_deleted_says_so_and_opens_nothing(
    context: Context, deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reloaded: bool
) -> None:
    """Deleted beside the app (a file manager, a sync tool): an editor would make a new, empty file there (the
    decks not reloaded yet, or reloaded with the file named by --deck reported missing)."""
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "vim", "a", "b")))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_study(pilot)
        deck_file.unlink()
        if reloaded:
            context.library.reload()
        await pilot.press("e")
        await pilot.pause()
        assert f"the deck file {deck_file} is gone" in messages(app) and "answers to its cards are kept" in messages(
            app
        )
        assert editor_args(tmp_path) is None and not deck_file.exists()
        await pilot.press("space", "3")  # the card is still studied, and its answer recorded
        await pilot.pause()
        assert screen.session.current is not None and len(context.store.reviews(card_key="one")) == 1


async def test_without_an_editor_e_says_how_to_set_one(context: Context, deck_file: Path) -> None:
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        said = await said_after(pilot, "e")
        assert "No editor is set: set $VISUAL or $EDITOR" in said and str(deck_file) in said
        # a setting made now reaches a quiz started after it, not this one: `e` again would say the same
        assert "start quiz again from a new shell" in said and "press e again" not in said
        assert deck_file.read_text() == DECK


async def test_a_deck_shipped_with_quiz_is_not_edited_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "vim", "a", "b")))
    context = Context(data_dir=tmp_path / "data", clock=FixedClock(START))  # the shipped deck alone
    context.store.save_settings(replace(context.store.settings(), fuzz=False))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        said = await said_after(pilot, "e")
        assert "comes with quiz" in said and str(SHIPPED_DECKS) in said
        assert str(context.user_deck_dir) in said and "another `deck:` id" in said
        assert editor_args(tmp_path) is None  # the editor never ran
    context.close()


async def test_e_in_browse_and_on_the_card_page_shows_the_new_text(
    context: Context, deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context.store.set_flag("ed", "one", 2)
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "nano", "Old front of one", "Browse-edited one")))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        browse = await open_browse(pilot)
        table = browse.query_one(DataTable)
        await pilot.press("e")
        await pilot.pause()
        assert editor_args(tmp_path) == ["+4", str(deck_file)]
        assert table.get_cell(row_ident("ed", "one"), "question").plain == "Browse-edited one"
        assert table.get_cell(row_ident("ed", "one"), "flag").plain == "⚑2"  # kept: the same card
        assert "Browse-edited one" in screen_text(app)

        fake_editor(tmp_path, "nano", "Browse-edited one", "Page-edited one")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        await pilot.press("e")
        await pilot.pause()
        assert "Page-edited one" in screen_text(app) and "Browse-edited" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert table.get_cell(row_ident("ed", "one"), "question").plain == "Page-edited one"
    assert os.access(deck_file, os.W_OK)


async def test_in_browse_a_card_whose_deck_an_edit_broke_stays_listed_and_e_opens_the_file_again(
    context: Context, deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report says "press e again": Browse keeps the deck's rows (it dropped them, leaving no card to press e
    on), and e opens the file at its error."""
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "nano", ALIGNED, MISALIGNED)))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        browse = await open_browse(pilot)
        table = browse.query_one(DataTable)
        await e_breaks_the_deck(pilot, context)
        assert table.get_cell(row_ident("ed", "one"), "question").plain == "Old front of one"
        await e_again_opens_it_at_its_error(pilot, tmp_path, "nano", deck_file)
        assert context.library.deck("ed") is not None and table.row_count == 2


async def test_e_gives_the_editor_an_absolute_path_for_a_deck_named_like_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quiz --deck .` in a folder someone sent: a deck file named `+!cmd.yaml` reached vim as `+!cmd.yaml`,
    which vim runs as a shell command; given absolute, it is a file."""
    monkeypatch.setenv("NO_COLOR", "1")
    sent = tmp_path / "sent"
    sent.mkdir()
    hostile = sent / "+!touch PWNED.yaml"
    hostile.write_text(DECK)
    monkeypatch.chdir(sent)
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "vim", "Old front of one", "New front of one")))
    context = make_context(tmp_path / "data", decks=[Path(".")])
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert editor_args(tmp_path) == ["+4", str(hostile)]
        assert "New front of one" in screen_text(app)
    context.close()


class _Notes:
    """An app's notifications, for `_report`."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def notify(self, message: str, **_: Any) -> None:
        self.said.append(message)


def test_a_deck_edited_in_the_app_with_more_problems_than_shown_says_how_to_list_them(tmp_path: Path) -> None:
    broken = tmp_path / "walk dir" / "my deck.yaml"
    broken.parent.mkdir()
    broken.write_text(
        "deck: b\ntitle: B\ncards:\n" + "".join(f"  - {{id: c{n}, kind: basic, front: q}}\n" for n in range(9))
    )
    result = load_deck_file(broken)
    assert len(result.problems) > SHOWN_PROBLEMS
    app = _Notes()
    _report(app, str(broken), 0, result)  # type: ignore[arg-type]
    [said] = app.said
    # pasted into a shell as it is, in a folder with a space
    assert shlex.split(said[said.index("quiz validate") :].split("`")[0]) == ["quiz", "validate", str(broken)]
