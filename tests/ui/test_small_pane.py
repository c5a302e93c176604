"""A split terminal pane of 60x20, without colour: every screen's text, buttons and keys can be read and reached
(the 80x24 checks live beside each screen's tests)."""

from __future__ import annotations

import pytest
from conftest import SEED, clipped, open_screen, screen_text
from textual.geometry import Region

from quiz.context import Context
from quiz.ui.app import QuizApp
from quiz.ui.screens.settings import SettingsScreen

PANE = (60, 20)


@pytest.fixture(autouse=True)
def _no_colour(no_color: None) -> None:
    """Every test here draws without colour."""


async def test_settings_preset_buttons_fit_a_narrow_pane(context: Context) -> None:
    """Beside the labels' column the four preset buttons needed 68 columns: Optimize was past the right edge."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PANE) as pilot:
        settings = await open_screen(pilot, ",", SettingsScreen)
        assert clipped(settings) == []
        optimize = settings.query_one("#preset-optimize")
        assert Region(0, 0, *PANE).contains_region(optimize.region)
        assert "Optimize" in screen_text(app)
