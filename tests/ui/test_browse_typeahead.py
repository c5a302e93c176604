"""Keys and clicks that arrive in Browse before the screen they lead to has appeared.

A terminal delivers input as it comes: keys typed (or clicks made) quickly are all queued before the first
is handled. These tests queue them the same way, with `post_message`, instead of pressing one at a time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_browse, static_text
from textual import events
from textual.widgets import DataTable, Label, Static

from quiz.core.cloze import MAX_GAPS
from quiz.core.fieldreader import CARD_TEXT
from quiz.ui.screens.browse import BrowseScreen, CardScreen
from quiz.ui.screens.home import HomeScreen

DECK = Path(__file__).parents[1] / "data" / "browse_deck.yaml"
CHARACTERS = {"enter": "\r", "escape": "\x1b"}


def type_ahead(app, *keys: str) -> None:
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key)))


def click_ahead(app, x: int, y: int, times: int) -> None:
    """Press and release the mouse at (x, y) `times` times; the app makes each pair a click."""
    for _ in range(times):
        for kind in (events.MouseDown, events.MouseUp):
            app.post_message(kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y))


def stack(app) -> list[str]:
    return [type(screen).__name__ for screen in app.screen_stack]


async def test_enter_typed_twice_opens_the_card_once(app_factory) -> None:
    app = app_factory([DECK])
    async with app.run_test() as pilot:
        await open_browse(pilot)
        type_ahead(app, "enter", "enter")
        await pilot.pause()
        assert stack(app) == ["HomeScreen", "BrowseScreen", "CardScreen"]
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_keys_typed_after_enter_reach_the_card(app_factory) -> None:
    app = app_factory([DECK])
    async with app.run_test() as pilot:
        browse = await open_browse(pilot)
        first = browse.current_card()
        type_ahead(app, "enter", "r")  # reset from the card screen: the dialog opens over the card
        await pilot.pause()
        assert stack(app) == ["HomeScreen", "BrowseScreen", "CardScreen", "ConfirmScreen"]
        assert (app.screen_stack[2].deck, app.screen_stack[2].card) == first


async def test_a_card_closed_before_it_appeared_is_gone(app_factory) -> None:
    """Escape handled before the card screen's Mount event: nothing may be left to fill then."""
    app = app_factory([DECK])
    async with app.run_test() as pilot:
        await open_browse(pilot)
        type_ahead(app, "enter", "escape", "enter", "escape")
        await pilot.pause()
        assert stack(app) == ["HomeScreen", "BrowseScreen"]


async def test_a_double_click_on_a_row_opens_the_card_once(app_factory) -> None:
    app = app_factory([DECK])
    async with app.run_test() as pilot:
        browse = await open_browse(pilot)
        table = browse.query_one(DataTable)
        click_ahead(app, table.region.x + 2, table.region.y + 1, times=2)  # the first row, under the header
        await pilot.pause()
        assert stack(app) == ["HomeScreen", "BrowseScreen", "CardScreen"]
        assert app.screen.card == browse.current_card()[1]


def deck_at_the_limits(folder: Path) -> Path:
    """A cloze of CARD_TEXT characters with MAX_GAPS gaps, and a basic card whose front is one line that long."""
    gaps = " ".join(f"{{{{g{i}}}}} " + "filler " * 20 for i in range(MAX_GAPS))
    text = (gaps + "x" * CARD_TEXT.chars)[: CARD_TEXT.chars - 4] + " end"
    path = folder / "limits.yaml"
    path.write_text(
        "deck: limits\ntitle: At the limits\ncards:\n"
        f'  - {{id: long, kind: basic, front: "{"y" * (CARD_TEXT.chars - 4)} end", back: b}}\n'
        f'  - {{id: gaps, kind: cloze, text: "{text}"}}\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
async def test_typing_ahead_through_a_deck_at_the_limits(app_factory, tmp_path: Path) -> None:
    """Reported: typing ahead in Browse on a deck with long lines crashed with DuplicateIds 'card-detail'.

    Which screen each key of a burst reaches depends on when Textual handles it; what may not happen is
    a crash or a card screen on top of another. The long text is then shown whole."""
    app = app_factory([deck_at_the_limits(tmp_path)])
    async with app.run_test() as pilot:
        await open_browse(pilot)
        type_ahead(app, "enter", "escape", "down", "enter", "enter", "escape", "end", "enter", "enter")
        await pilot.pause()
        assert [type(s) for s in app.screen_stack].count(CardScreen) <= 1
        while not isinstance(app.screen, HomeScreen):
            await pilot.press("escape")
        browse = await open_browse(pilot)
        assert browse.query_one("#browse-count", Label).content == f"{1 + MAX_GAPS} cards"
        await pilot.press("ctrl+end", "enter")
        assert isinstance(app.screen, CardScreen)
        assert (app.screen.card.key, app.screen.card.ordinal) == (f"gaps/{MAX_GAPS}", MAX_GAPS)
        assert static_text(app.screen.query_one("#card-content", Static)).endswith(" end")
