"""Keys and clicks that arrive in Browse before the screen they lead to has appeared.

A terminal delivers input as it comes: keys typed (or clicks made) quickly are all queued before the first
is handled. These tests queue them the same way, with `post_message`, instead of pressing one at a time.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import DataTable

from quiz.ui.screens.browse import BrowseScreen, CardScreen, ConfirmScreen

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


async def open_browse(pilot) -> BrowseScreen:
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BrowseScreen)
    return pilot.app.screen


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
        assert isinstance(app.screen, ConfirmScreen)
        type_ahead(app, "n", "escape", "enter")  # no; close the card; open it again
        await pilot.pause()
        assert stack(app) == ["HomeScreen", "BrowseScreen", "CardScreen"]
        assert isinstance(app.screen, CardScreen) and (app.screen.deck, app.screen.card) == first


async def test_a_double_click_on_a_row_opens_the_card_once(app_factory) -> None:
    app = app_factory([DECK])
    async with app.run_test() as pilot:
        browse = await open_browse(pilot)
        table = browse.query_one(DataTable)
        click_ahead(app, table.region.x + 2, table.region.y + 1, times=2)  # the first row, under the header
        await pilot.pause()
        assert stack(app) == ["HomeScreen", "BrowseScreen", "CardScreen"]
        assert app.screen.card == browse.current_card()[1]
