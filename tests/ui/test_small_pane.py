"""A split terminal pane of 60x20, without colour: every screen's text, buttons and keys can be read and reached
(the 80x24 checks live beside each screen's tests)."""

from __future__ import annotations

import pytest
from conftest import SEED, clipped, open_screen, screen_rows, screen_text
from textual.geometry import Region

from quiz.context import Context
from quiz.ui.app import QuizApp
from quiz.ui.screens.exam import ExamSetupScreen
from quiz.ui.screens.settings import SettingsScreen

PANE = (60, 20)


def shown_in(app: QuizApp, region: Region) -> str:
    """The text the screen shows within `region`, its rows joined by spaces."""
    rows = screen_rows(app)[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right].split()) for row in rows)


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


async def test_exam_setup_says_its_topic_keys_whole_in_a_narrow_pane(context: Context) -> None:
    """The topics' heading was cut to 'Topics (Space ticks, a' beside the options' column."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PANE) as pilot:
        setup = await open_screen(pilot, "e", ExamSetupScreen)
        assert clipped(setup) == []
        assert "Topics (Space ticks, a: all)" in shown_in(app, setup.query_one("#exam-topics Label").region)
