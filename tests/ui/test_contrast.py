"""Text stays readable in every theme the app offers, with and without NO_COLOR: the deck list's counts and
header, the title bars, the key bars and the study screen's counts and progress, measured as rendered."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import SEED, START, UI_DECK, due_review_state, make_context
from contrast import low_contrast
from textual.color import Color
from textual.widget import Widget

from quiz.context import Context
from quiz.core.cardstate import CardState
from quiz.ui.app import QuizApp
from quiz.ui.legible import contrast, is_shape, legible_colour
from quiz.ui.screens.study import StudyScreen
from quiz.ui.widgets.decklist import DeckList
from quiz.ui.widgets.keybar import KeyBar

BROWSE_DECK = Path(__file__).parents[1] / "data" / "browse_deck.yaml"


def test_the_contrast_ratio_is_wcags() -> None:
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21)
    assert contrast(Color(119, 119, 119), Color(255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast(Color(58, 58, 58), Color(38, 38, 38)) < 1.5  # the grey 237 on 235


def test_a_shape_is_box_drawing_blocks_geometric_shapes_and_spaces_only() -> None:
    """The filter leaves shapes as drawn; which characters are shapes, for every code point (the test is a
    regular expression, read once per line drawn)."""
    for code in range(0x110000):
        character = chr(code)
        assert is_shape(character) == (0x2500 <= code <= 0x25FF or character.isspace()), hex(code)
    assert is_shape("") and is_shape("━━ ┃\u3000▏") and not is_shape("━━ x") and not is_shape("Due ▏")


def test_a_colour_too_close_to_its_background_is_moved_just_far_enough() -> None:
    grey_237, grey_235 = Color(58, 58, 58), Color(38, 38, 38)
    moved = legible_colour(grey_237, grey_235, 4.5)
    assert contrast(moved, grey_235) >= 4.5
    assert moved != Color(255, 255, 255)  # a step towards white, not white itself
    readable = Color(200, 200, 200)
    assert legible_colour(readable, grey_235, 4.5) == readable


@pytest.fixture
def context(tmp_path: Path) -> Context:
    """Two decks with new, learning and due cards, so every count column has numbers and zeros."""
    ctx = make_context(tmp_path, decks=[UI_DECK, BROWSE_DECK])
    learning = CardState(
        kind="basic", fsrs_state=1, step=0, stability=1.0, difficulty=5.0,
        due=START - timedelta(minutes=5), last_review=START - timedelta(minutes=15), reps=1,
    )  # fmt: skip
    ctx.store.set_state("uitest", "basic", due_review_state())
    ctx.store.set_state("uitest", "rev", learning)
    ctx.store.set_state("browse", "nmda", learning)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
async def test_counts_header_and_bars_are_readable_in_every_theme(
    context: Context, no_color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color == no_color
        decks = app.screen.query_one(DeckList)
        counts = [(row.new, row.learning, row.due) for row in decks.rows]
        assert all(any(column) for column in zip(*counts, strict=True))  # numbers in every column
        assert any(0 in row for row in counts)  # and zeros
        problems = await measure(pilot, {"deck list": decks, "title bar": "#today", "key bar": KeyBar})
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        problems += await measure(
            pilot, {"title bar and counts": ".title-bar", "progress": "#progress", "key bar": KeyBar}
        )
        assert problems == []


async def measure(pilot, widgets: dict[str, object]) -> list[str]:
    """The low-contrast text of these widgets (or selectors) of the current screen, in every theme in turn."""
    app, problems = pilot.app, []
    for theme in sorted(app.available_themes):
        app.theme = theme
        await pilot.pause()
        for name, widget in widgets.items():
            found = widget if isinstance(widget, Widget) else app.screen.query_one(widget)
            problems += [f"{type(app.screen).__name__} {theme}, {name}: {p}" for p in low_contrast(found)]
    return problems
