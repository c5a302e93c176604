"""A phone's terminal, 40 columns (40x20 and 40x24), without colour: what each screen shows is whole and in sight
(the 60-column split pane is tests/ui/test_small_pane.py); 80x24 stays as it was."""

from __future__ import annotations

import pytest
from conftest import SEED, clipped, open_settings, screen_rows

from quiz.context import Context
from quiz.core.presets import assign_preset, new_preset
from quiz.ui.app import QuizApp
from quiz.ui.widgets.chooser import Chooser
from tests.ui.test_small_pane import shown_in

PHONE = (40, 20)
DECK = "uitest"  # tests/data/ui_deck.yaml


@pytest.fixture(autouse=True)
def _no_colour(no_color: None) -> None:
    """Every test here draws without colour."""


async def test_the_preset_chooser_shows_a_long_preset_name_on_one_line(context: Context) -> None:
    """Beside "used by 1 deck" the chooser had 12 columns for its text: "Nursing school" wrapped, its second line
    under the first as if it were another preset, and the chooser reached a row past its own box."""
    store = context.store
    assign_preset(store, DECK, new_preset(store, "Nursing school", store.settings()))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PHONE) as pilot:
        settings = await open_settings(pilot)
        chooser = settings.query_one("#preset", Chooser)
        chooser.scroll_visible(animate=False, top=True)
        await pilot.pause()
        top, middle, bottom = screen_rows(app)[chooser.region.y : chooser.region.bottom]
        assert "Nursing school" in middle, (top, middle, bottom)
        assert "used by 1 deck" in shown_in(app, settings.query_one("#preset-used").region)
        assert clipped(settings) == []
