"""Keys pressed with a Japanese or Chinese input method left on arrive full-width (３, ｂ, and an ideographic space
for Space): where no text is typed they are the keys they stand for; a text box keeps them as typed."""

from __future__ import annotations

from conftest import open_study, screen_text
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from quiz.core.model import Grade
from quiz.ui.screens.browse import BrowseScreen
from quiz.ui.screens.home import HomeScreen


async def press(pilot, *characters: str) -> None:
    """Each character as a terminal sends it (Pilot's press gives some full-width keys no character)."""
    for character in characters:
        pilot.app.post_message(events.Key(_character_to_key(character), character))
        await pilot.pause()


async def test_full_width_keys_show_the_answer_and_grade(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        assert study.session.current.key == "basic"
        await press(pilot, "\u3000")  # an ideographic space: Space
        await pilot.pause()
        assert study.answering
        await press(pilot, "２")
        await pilot.pause()
        assert app.context.store.reviews()[-1].grade is Grade.HARD


async def test_full_width_keys_open_screens_and_a_text_box_keeps_them(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "ｂ")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        search = app.screen.query_one(Input)
        await press(pilot, "／")  # focuses the search box, as / does
        await pilot.pause()
        assert app.focused is search
        await press(pilot, *"ＮＭＤＡ")
        await pilot.pause()
        assert search.value == "ＮＭＤＡ"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_an_ideographic_space_on_an_empty_typed_answer_shows_the_answer(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")  # the safety topic: its typed card first
        study = await open_study(pilot)
        assert study.session.current.key == "typed"
        await press(pilot, "\u3000")
        assert study.answering and "Answer: 2019" in screen_text(app)
