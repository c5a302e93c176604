"""A deck file saved in another window, or deleted, while its cards are studied: the session goes on with the
cards it started with, every answer is recorded under the card's id (the text of the file never keys it), and
Home, once back, reads the folder again and shows the deck as the file now is."""

from __future__ import annotations

from pathlib import Path

from conftest import make_context, open_study, screen_text

from quiz.core.model import Grade
from quiz.ui.app import QuizApp
from quiz.ui.screens.home import HomeScreen

DECK = """deck: moving
title: Moving deck
cards:
  - {id: one, kind: basic, front: "First front", back: "first back"}
  - {id: two, kind: basic, front: "Second front", back: "second back"}
"""


async def test_a_deck_file_saved_then_deleted_while_studied_loses_no_answer(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    deck_file = folder / "moving.yaml"
    deck_file.write_text(DECK)
    context = make_context(tmp_path / "data", decks=[folder])
    try:
        app = QuizApp(context, seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_study(pilot)
            first = screen.session.current
            assert first is not None
            # saved in an editor beside the app: the open card's text and the other card's changed
            deck_file.write_text(DECK.replace("First", "1st").replace("Second", "2nd"))
            await pilot.pause()
            assert first.note.body.front in screen_text(app)  # the session goes on with the cards it started with
            await pilot.press("space", "3")
            await pilot.pause()
            assert [r.grade for r in context.store.reviews(card_key=first.key)] == [Grade.GOOD]
            second = screen.session.current
            assert second is not None and second.key != first.key and second.note.body.front in screen_text(app)
            deck_file.unlink()  # then deleted while its last card is on screen
            await pilot.press("space", "3")
            await pilot.pause()
            assert [r.grade for r in context.store.reviews(card_key=second.key)] == [Grade.GOOD]
            assert context.store.state("moving", first.key) is not None
            while not isinstance(app.screen, HomeScreen):  # the summary, then Home
                await pilot.press("escape")
                await pilot.pause()
            assert "Moving deck" not in screen_text(app)  # Home read the folder again on coming back
            assert context.library.deck("moving") is None
            deck_file.write_text(DECK)  # put back: its cards' history with it
            await pilot.press("r")
            await pilot.pause()
            assert "Moving deck" in screen_text(app)
            assert [context.store.state("moving", key).reps for key in ("one", "two")] == [1, 1]
    finally:
        context.close()
