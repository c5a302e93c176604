"""Browse and a card's page on a store that cannot be written (a full disk: the log cannot grow): each change
(suspend, bury, flag, mark, reset) says it was not saved and changes nothing, and the app goes on. Each one
ended the app with a traceback."""

from __future__ import annotations

import pytest
from conftest import messages, open_browse_on_a_card

from quiz.ui.screens.browse import BrowseScreen, CardScreen
from tests.conftest import failing_commit

SIZE = (100, 30)
CHANGES = [("s",), ("b",), ("ctrl+1",), ("asterisk",), ("r", "y")]


@pytest.mark.parametrize("page", [BrowseScreen, CardScreen], ids=["table", "card page"])
async def test_a_change_on_a_full_disk_says_not_saved_and_changes_nothing(app_factory, page: type) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        _, card = await open_browse_on_a_card(pilot)
        deck_id, key = card.deck_id, card.key
        if page is CardScreen:
            await pilot.press("enter")
            await pilot.pause()
        store = app.context.store
        for keys in CHANGES:
            app.clear_notifications()
            with failing_commit(store):
                await pilot.press(*keys)
                await pilot.pause()
            assert isinstance(app.screen, page), keys
            assert "Not saved" in messages(app) and "could not save" in messages(app), keys
            assert store.state(deck_id, key) is None and store.flag(deck_id, key) == 0, keys
            assert not store.marked_notes(deck_id), keys
        await pilot.press("s")  # with room again, it is saved
        await pilot.pause()
        state = store.state(deck_id, key)
        assert state is not None and state.suspended
