"""Exam mode through the UI: setup, answering, the countdown, results, and the kept history."""

from __future__ import annotations

from datetime import timedelta

from conftest import right_keys, screen_text
from textual.widgets import Input

from quiz.core.kinds import OBJECTIVE_KINDS
from quiz.core.model import Mode
from quiz.core.store import StoreWriteError
from quiz.ui.screens.exam import ExamResultsScreen, ExamRunScreen, ExamSetupScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.widgets.ticklist import TickList

SIZE = (80, 24)


async def open_setup(pilot, *moves: str) -> ExamSetupScreen:
    await pilot.press(*moves, "e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExamSetupScreen)
    return pilot.app.screen


async def start(pilot, setup: ExamSetupScreen, count: str, minutes: str = "") -> ExamRunScreen:
    setup.query_one("#count", Input).value = count
    setup.query_one("#minutes", Input).value = minutes
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExamRunScreen)
    return pilot.app.screen


async def test_setup_defaults_to_the_selected_topic_or_all(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_setup(pilot)
        assert set(setup.query_one(TickList).selected) == {"mechanism", "safety"}
        assert "No exams taken on this deck yet." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        setup = await open_setup(pilot, "down", "down")
        assert setup.query_one(TickList).selected == ["safety"]


async def test_an_exam_is_graded_per_topic_saved_and_listed(app_factory, clock) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_setup(pilot)
        run = await start(pilot, setup, "4")
        exam = run.exam
        assert len(exam.questions) == 4 and all(c.kind in OBJECTIVE_KINDS for c in exam.questions)
        assert "Question 1 of 4" in screen_text(app)
        for number in range(4):
            clock.advance(timedelta(seconds=10))
            if number == 1:
                await pilot.press("enter")  # nothing given: counts as wrong
            else:
                await pilot.press(*right_keys(run))
            await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.report.correct == 3 and results.report.total == 4
        text = screen_text(app)
        assert "3/4  75%" in text and "40s" in text
        assert "Mistake 1 of 1" in text and "No answer given" in text
        assert [r.mode for r in store.reviews()] == [Mode.EXAM] * 4
        assert all(store.state(c.deck_id, c.key) is None for c in exam.questions)  # schedule untouched
        saved = store.exams()
        assert len(saved) == 1 and (saved[0]["correct"], saved[0]["total"]) == (3, 4)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        assert "3/4  75%" in screen_text(app)  # past results, listed on the setup screen


async def test_countdown_ends_the_exam_when_time_is_up(app_factory, clock) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_setup(pilot)
        run = await start(pilot, setup, "5", "1")
        assert "Time left 01:00" in screen_text(app)
        await pilot.press(*right_keys(run))
        await pilot.pause()
        clock.advance(timedelta(seconds=45))
        run.tick()
        await pilot.pause()
        assert "Time left 00:15" in screen_text(app)
        clock.advance(timedelta(seconds=20))
        await pilot.pause(1.2)  # the 1-second timer notices
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.report.total == 5 and results.report.unanswered == 4
        assert results.report.correct == 1
        assert app.context.store.exams()[0]["seconds"] == 60
        # the four questions time took away are walked through too, and count in the per-topic score
        assert len(results.mistakes) == 4 and all(m.given == "" for m in results.mistakes)
        assert sum(total for _, total in results.report.per_topic.values()) == 5
        assert "Mistake 1 of 4" in screen_text(app) and "No answer given" in screen_text(app)
        assert len(app.context.store.exams()[0]["detail"]["mistakes"]) == 4


# What a user reads as the question of each objective card of tests/data/ui_deck.yaml, written out by hand:
# a cloze card is its text with its own gap blanked (or its hint shown) and the other gap filled in.
QUESTIONS = {
    "cz/1": "Ketamine is an [...] receptor antagonist.",
    "cz/2": "Ketamine is an NMDA receptor [what it does].",
    "typed": "Year of approval? [@click=app.quit]click[/]",
    "choice": "Which is a common side effect?",
    "multi": "Which are short-term effects?",
    "tf": "Ketamine is a first-line antidepressant.",
    "order": "Put the cascade in order.",
    "match": "Match each route to its note.",
}


async def test_mistakes_walk_through_with_explanations(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        setup = await open_setup(pilot)
        run = await start(pilot, setup, str(len(QUESTIONS)))
        assert sorted(c.key for c in run.exam.questions) == sorted(QUESTIONS)  # both cloze gaps among them
        for _ in QUESTIONS:
            await pilot.press("enter")
            await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        total = len(QUESTIONS)
        assert len(results.mistakes) == total
        for number, mistake in enumerate(results.mistakes, start=1):
            text = screen_text(app)
            assert f"Mistake {number} of {total}" in text
            # this mistake's question and no other (a cloze card shows its own gap, not its sibling's)
            assert [q for q in QUESTIONS.values() if q in text] == [QUESTIONS[mistake.key]], text
            await pilot.press("n")
            await pilot.pause()
        assert f"Mistake 1 of {total}" in screen_text(app)  # n wraps round
        await pilot.press("p", "p")
        await pilot.pause()
        assert f"Mistake {total - 1} of {total}" in screen_text(app)


async def test_bad_setup_values_are_refused(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_setup(pilot)
        setup.query_one("#count", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup
        setup.query_one("#count", Input).value = "3"
        setup.query_one(TickList).set_ticked(set())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup
        assert any("topic" in n.message for n in app._notifications)


async def test_a_failed_exam_save_keeps_the_question(app_factory, monkeypatch) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_setup(pilot)
        run = await start(pilot, setup, "2")
        real = store.record_review

        def locked(*args, **kwargs):
            raise StoreWriteError("could not save: database is locked")

        monkeypatch.setattr(store, "record_review", locked)
        first = run.exam.current
        await pilot.press(*right_keys(run))
        await pilot.pause()
        assert run.exam.current is first and not run.exam.answers
        assert "Not saved" in screen_text(app)
        monkeypatch.setattr(store, "record_review", real)
        await pilot.press("enter")
        await pilot.pause()
        assert len(run.exam.answers) == 1 and run.exam.answers[0].correct
        await pilot.press("escape", "f")  # finish early (Esc asks first)
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert app.screen.report.unanswered == 1
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
