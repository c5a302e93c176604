"""Flags through the app: Ctrl+1..7 and the Ctrl+F picker in study (undo included), in Browse and on the
card page; what the store keeps and what the screen says, at 80x24 without colour."""

from __future__ import annotations

import pytest
from conftest import open_browse_on_a_card, open_study, screen_text
from textual.widgets import DataTable, Input

from quiz.core.browse_data import row_ident
from quiz.ui.screens.browse import CardScreen
from quiz.ui.widgets.flags import FlagPicker

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # the flag's name must read without its colour


async def test_study_flags_the_card_on_screen_and_undo_takes_the_flag_back(app_factory) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_study(pilot)
        card = screen.session.current
        assert card is not None

        await pilot.press("ctrl+1")
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 1
        assert "⚑ red" in screen_text(app) and "Flagged red." in screen_text(app)
        assert screen.session.current is card  # the card stays, as in Anki

        await pilot.press("ctrl+1")  # the same flag again takes it off
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 0
        assert "⚑" not in screen_text(app) and "Flag taken off." in screen_text(app)

        await pilot.press("ctrl+4")
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 4 and "⚑ blue" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 0
        assert "Took back the flag." in screen_text(app) and "⚑" not in screen_text(app)
        assert screen.session.current is card


async def test_the_flag_picker_works_in_any_terminal_even_while_typing(app_factory) -> None:
    """Ctrl+1..7 reach the app only where the terminal reports them; Ctrl+F opens a picker that always works,
    and in a typed answer too (where letters are the answer's)."""
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_study(pilot)
        while screen.session.current is not None and screen.session.current.kind != "typed":
            screen.session.bury()  # straight to the typed card
            screen.show_card()
            await pilot.pause()
        card = screen.session.current
        assert card is not None and isinstance(app.focused, Input)
        await pilot.press("2", "0")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FlagPicker)
        text = screen_text(app)
        assert "1  ⚑ red" in text and "7  ⚑ purple" in text and "0  no flag" in text
        await pilot.press("6")
        await pilot.pause()
        assert app.screen is screen and store.flag(card.deck_id, card.key) == 6
        assert "⚑ turquoise" in screen_text(app)
        assert isinstance(app.focused, Input) and app.focused.value == "20"  # the answer typed so far stays
        await pilot.press("ctrl+f", "escape")  # Esc leaves the flag as it is
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 6
        await pilot.press("ctrl+f", "0")
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 0


async def test_browse_shows_searches_and_flags_cards_and_so_does_the_card_page(app_factory) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        browse, card = await open_browse_on_a_card(pilot)
        table = browse.query_one(DataTable)
        await pilot.press("ctrl+3")
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 3
        assert table.get_cell(row_ident(card.deck_id, card.key), "flag").plain == "⚑3"
        assert "Flag" in screen_text(app)  # the column's header

        await pilot.press("slash", *"flag:3", "enter")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert "Flag  green (flag:3)" in screen_text(app)
        await pilot.press("ctrl+f", "5")
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 5
        assert "Flag  pink (flag:5)" in screen_text(app)
        await pilot.press("ctrl+5")  # the same flag again: off
        await pilot.pause()
        assert store.flag(card.deck_id, card.key) == 0
        assert "(flag:" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is browse
        assert table.get_cell(row_ident(card.deck_id, card.key), "flag").plain == ""  # the row redrawn
