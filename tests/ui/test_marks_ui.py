"""Marks through the app: `*` in study (undo included), Ctrl+K and `*` in Browse and on the card page; what
the store keeps and what the screen says, at 80x24 without colour."""

from __future__ import annotations

import pytest
from conftest import open_browse_on_a_card, open_study, screen_text
from textual.widgets import DataTable

from quiz.ui.screens.browse import CardScreen

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # the mark must read without its colour


async def test_study_marks_the_note_on_screen_and_undo_takes_the_mark_back(app_factory) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_study(pilot)
        card = screen.session.current
        assert card is not None and card.kind != "typed"

        await pilot.press("asterisk")
        await pilot.pause()
        assert store.marked_notes(card.deck_id) == {card.note.id}
        assert "★ marked" in screen_text(app) and "Marked the note" in screen_text(app)
        assert screen.session.current is card  # the card stays, as in Anki

        await pilot.press("u")
        await pilot.pause()
        assert store.marked_notes(card.deck_id) == frozenset()
        assert "Took back the mark." in screen_text(app) and "★" not in screen_text(app)
        assert screen.session.current is card


async def test_browse_and_the_card_page_mark_notes_and_tag_marked_finds_them(app_factory) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        browse, card = await open_browse_on_a_card(pilot)
        table = browse.query_one(DataTable)
        await pilot.press("ctrl+k")  # Anki's Browse key
        await pilot.pause()
        assert store.marked_notes(card.deck_id) == {card.note.id}

        await pilot.press("slash", *"tag:marked", "enter")
        await pilot.pause()
        assert table.row_count == len([c for c in app.context.library.decks[0].cards if c.note is card.note])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert "Mark  the note is marked (tag:marked)" in screen_text(app)
        await pilot.press("asterisk")  # the card page takes it off too
        await pilot.pause()
        assert store.marked_notes(card.deck_id) == frozenset()
        assert "Mark  " not in screen_text(app)
