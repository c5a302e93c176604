"""A note's `outside:` statement is shown after the answer, labelled apart from the explanation and taken
literally, in study, practice, an exam's review of mistakes and the card page (issue 17, point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED, make_context, open_browse, open_exam_setup, open_study, right_keys, screen_text, start_exam

from quiz.core.model import Grade, Mode
from quiz.ui.app import QuizApp
from quiz.ui.screens.browse import CardScreen
from quiz.ui.screens.exam import ExamResultsScreen

SIZE = (80, 24)
OUTSIDE = "General pharmacology [b]not[/b] the articles"
DECK = f"""\
deck: out
title: Outside
cards:
  - id: nmda
    kind: choice
    front: Which receptor do the articles say ketamine blocks?
    options: [NMDA, AMPA]
    answer: NMDA
    explain: Four articles name it.
    outside: "{OUTSIDE}"
"""


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NO_COLOR", "1")
    deck = tmp_path / "out.yaml"
    deck.write_text(DECK, encoding="utf-8")
    context = make_context(tmp_path / "data", decks=[deck])
    yield QuizApp(context, seed=SEED)
    context.close()


def after_the_explanation(text: str) -> bool:
    """The statement is on screen, labelled, literally, below the explanation."""
    label = text.find("Not from the cited sources: General pharmacology [b]not[/b]")
    return label > text.find("Four articles name it.") >= 0


async def test_study_shows_it_after_the_answer_labelled_and_literal(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        assert "Not from the cited sources" not in screen_text(app)  # not before answering
        await pilot.press(*right_keys(app.screen))
        await pilot.pause()
        assert after_the_explanation(screen_text(app)), screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.card_key, r.grade) for r in app.context.store.reviews()] == [("nmda", Grade.GOOD)]


async def test_practice_shows_it_too(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert (await open_study(pilot, "p")).session.mode is Mode.PRACTICE
        await pilot.press("enter")  # nothing given: counted as not known
        await pilot.pause()
        assert after_the_explanation(screen_text(app)), screen_text(app)


async def test_an_exam_review_of_mistakes_shows_it(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await start_exam(pilot, await open_exam_setup(pilot), "1")
        await pilot.press("enter")  # nothing given: a mistake
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert after_the_explanation(screen_text(app)), screen_text(app)


async def test_the_card_page_shows_it_in_a_row_of_its_own(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        rows = screen_text(app).splitlines()
        [row] = [r for r in rows if "Not from sources" in r]
        assert row.strip(" █│").endswith("Not from sources  General pharmacology [b]not[/b] the articles"), row
