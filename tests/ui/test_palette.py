"""The command palette (Ctrl+P) holds quiz's own commands: on Home, study, practise or an exam on each deck and
topic, the other screens, reload and a check of the store; help everywhere. Deck titles are shown literally.
Driven through the real app at 80x24 without colour."""

from __future__ import annotations

import pytest
from conftest import SEED, palette_shows, right_keys, screen_text

from quiz.context import Context
from quiz.core.model import Mode
from quiz.ui.app import QuizApp
from quiz.ui.screens.exam import ExamSetupScreen
from quiz.ui.screens.help import HelpScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.stats import StatsScreen
from quiz.ui.screens.study import StudyScreen

SIZE = (80, 24)
DECK = "UI test deck [b]x[/b]"  # markup in a title: shown as these characters
TOPIC = "Side effects [b]x[/b]"


pytestmark = pytest.mark.usefixtures("no_color")


async def run_command(pilot, typed: str, listed: str) -> None:
    await pilot.press("ctrl+p", *typed)
    await palette_shows(pilot, listed)
    await pilot.press("enter")
    await pilot.pause()


async def test_practising_a_topic_from_the_palette_records_a_practice_answer(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"practise side")
        await palette_shows(pilot, f"Practise {DECK} › {TOPIC}")
        assert f"Practise {DECK} › {TOPIC}" in screen_text(app)  # literally, not as bold markup
        await pilot.press("enter")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        assert study.session.mode is Mode.PRACTICE
        card = study.session.current
        assert card is not None and card.topic == "safety"
        await pilot.press(*right_keys(study))
        await pilot.pause()
        await pilot.press("enter")  # the proposed grade
        await pilot.pause()
    [review] = context.store.reviews()
    assert (review.card_key, review.mode) == (card.key, Mode.PRACTICE)


async def test_the_palette_studies_a_deck_and_opens_screens(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    app = QuizApp(context, seed=SEED)
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "notify", lambda message, title="", **_: said.append((title, message)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "study ui", f"Study {DECK}")
        assert isinstance(app.screen, StudyScreen) and app.screen.session.mode is Mode.REVIEW
        await pilot.press("escape")  # the summary
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await run_command(pilot, "exam on ui", f"Exam on {DECK} › {TOPIC}")
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("escape")
        await pilot.pause()
        await run_command(pilot, "stats", "Stats")
        assert isinstance(app.screen, StatsScreen)
        await run_command(pilot, "help", "Help: the keys of every screen")  # help works everywhere
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await run_command(pilot, "check the store", "Check the store")
        [(title, facts)] = said
        assert title == "The store is sound" and "integrity check: ok" in facts
    assert context.store.reviews() == []  # nothing answered, nothing recorded
