"""An exam's new cards first, in the app at 80x24 without colour: study shows the exam topic's new cards
before the deck's earlier ones, at the exam's pace, and Home says when the daily limit is below that pace."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import START, screen_text
from textual.widgets import Static

from quiz.core.clock import study_day
from quiz.core.examdates import ExamDate, set_exam_date
from quiz.ui.app import QuizApp
from quiz.ui.screens.examdate import ExamDateScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.study import StudyScreen

SIZE = (80, 24)
EXAM_DAY = date(2026, 1, 10)  # 5 study days after START's
TODAY = study_day(START, 4)
RENAL = ExamDate("ped", "renal", EXAM_DAY, 0.9)  # 25 cards in 5 days: 5 a day
CARDIO = ExamDate("ped", "cardio", date(2026, 1, 15), 0.9)  # 40 cards in 10 days: 4 a day


pytestmark = pytest.mark.usefixtures("no_color")


def exam_deck(folder: Path) -> Path:
    """40 cardio cards first, then 25 renal ones: card order would take cardio's first."""
    lines = [
        f"  - {{id: {topic}{i}, kind: basic, topic: {topic}, front: '{topic} question {i}', back: 'answer {i}'}}"
        for topic, count in (("cardio", 40), ("renal", 25))
        for i in range(count)
    ]
    path = folder / "exam.yaml"
    path.write_text("deck: ped\ntitle: Paediatrics\ncards:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def exam_app(app_factory, folder: Path, *exams: ExamDate, **settings: object) -> QuizApp:
    """The app on exam_deck (written in `folder`) with these `settings` saved and these `exams` set today."""
    app = app_factory([exam_deck(folder)])
    store = app.context.store
    if settings:
        store.save_settings(replace(store.settings(), **settings))
    for exam in exams:
        set_exam_date(store, exam, TODAY)
    return app


async def test_the_exam_topics_new_cards_come_first_and_home_names_a_pace_above_the_limit(
    tmp_path: Path, app_factory
) -> None:
    app = exam_app(app_factory, tmp_path, RENAL, new_per_day=8, fuzz=False)
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Renal · exam in 5d" in text and "new/day" not in text  # 5 a day fit in 8
        await pilot.press("enter")  # the deck
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        shown = []
        for _ in range(6):
            card = screen.session.current
            assert card is not None and f"{card.topic} question" in screen_text(app)
            shown.append(card.key)
            await pilot.press("space", "4")  # Easy: out of the steps, so the next new card comes
            await pilot.pause()
        assert shown == [f"renal{i}" for i in range(5)] + ["cardio0"]
        assert all(store.state("ped", key) is not None for key in shown)  # each answer recorded
        await pilot.press("escape")
        await pilot.pause()
        while not isinstance(app.screen, HomeScreen):  # past the session's summary
            await pilot.press("escape")
            await pilot.pause()
        store.save_settings(replace(store.settings(), new_per_day=4))
        app.screen.refresh_decks()
        await pilot.pause()
        assert "Renal · exam in 5d, needs 5 new/day" in screen_text(app)


async def test_home_says_when_no_day_left_gets_new_cards_to_the_target(tmp_path: Path, app_factory) -> None:
    """At 99 % three days ahead even a card introduced today falls short: Home says so instead of asking for
    all 25 a day (the plan says by how much)."""
    app = exam_app(app_factory, tmp_path, ExamDate("ped", "renal", date(2026, 1, 8), 0.99))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Renal · exam in 3d, new cards can't reach 99%" in text and "new/day" not in text


async def test_home_warns_when_two_exams_paces_fit_the_limit_each_but_not_together(tmp_path: Path, app_factory) -> None:
    """Renal 5 a day and cardio 4 a day each fit a limit of 8, but 9 together do not: the deck's row says so."""
    app = exam_app(app_factory, tmp_path, RENAL, new_per_day=8)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "together" not in screen_text(app)
        set_exam_date(app.context.store, CARDIO, TODAY)
        app.screen.refresh_decks()
        await pilot.pause()
        text = screen_text(app)
        assert "Paediatrics · exams need 9 new/day together" in text and "needs" not in text


async def test_the_exam_date_screens_plan_warns_of_two_exams_over_the_shared_limit(tmp_path: Path, app_factory) -> None:
    app = exam_app(app_factory, tmp_path, RENAL, CARDIO, new_per_day=8)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "e")  # Renal
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ExamDateScreen)
        assert "ped/renal: exam on 2026-01-10" in screen_text(app)
        plan = str(app.screen.query_one("#exam-plan-text", Static).content)  # it scrolls: read all of it
        assert "the exams on this deck's topics need 9 new cards a day together, above its limit of 8" in plan
