"""An exam date from the exam setup screen (Ctrl+t), at 80x24 without colour: saved to the store, its plan
shown with a line saying what each figure is, bad input refused with the reason and nothing saved, removed;
Home shows the days left."""

from __future__ import annotations

import shlex
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import UI_DECK, make_app, screen_text
from textual.widgets import Input, Static

from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock, day_end
from quiz.core.examdates import ExamDate, read_exam_dates, set_exam_date
from quiz.core.examplantext import HELP
from quiz.core.model import Grade, Mode
from quiz.output import commands_naming
from quiz.ui.screens.exam import ExamSetupScreen
from quiz.ui.screens.examdate import ExamDateScreen
from quiz.ui.screens.home import HomeScreen
from tests.conftest import START, pasted, suggested

SIZE = (80, 24)


pytestmark = pytest.mark.usefixtures("no_color")


async def open_exam_date(pilot, *moves: str) -> ExamDateScreen:
    await pilot.press(*moves, "e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExamSetupScreen)
    await pilot.press("ctrl+t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExamDateScreen)
    return pilot.app.screen


async def test_a_topic_exam_date_is_saved_planned_shown_on_home_and_removed(app_factory) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_exam_date(pilot, "down")  # the deck's first topic: mechanism
        assert "No exam date yet" in screen_text(app)
        assert "press Ctrl+S:" in " ".join(screen_text(app).split())  # as Help and Settings name the key
        screen.query_one("#exam-day", Input).value = "2026-02-01"
        screen.query_one("#exam-target", Input).value = "0.95"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert read_exam_dates(store) == [ExamDate("uitest", "mechanism", date(2026, 2, 1), 0.95)]
        text = screen_text(app)
        assert "uitest/mechanism: exam on 2026-02-01 (in 27 days), target 95%" in text
        for label, meaning in HELP.items():  # every figure, and what it is (the plan scrolls)
            assert f"{label}: " in text and meaning.split()[0] in text
        assert "on track" in text
        # the days past the first 14: the command that prints them (`quiz plan` alone lists only the exams)
        plan = str(screen.query_one("#exam-plan-text", Static).render())
        assert "more days: `quiz plan uitest/mechanism` lists them all" in plan
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert "Mechanism · exam in 27d" in screen_text(app)

        screen = await open_exam_date(pilot)  # Home kept the topic selected
        assert screen.query_one("#exam-day", Input).value == "2026-02-01"  # the stored date, to move or remove
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert read_exam_dates(store) == []
        assert "No exam date yet" in screen_text(app)


async def test_a_topic_without_an_exam_date_names_the_deck_s(app_factory) -> None:
    """The deck has an exam; the screen opened on one of its topics said only "No exam date yet", as if the
    deck's had been lost."""
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_exam_date(pilot)  # the deck
        screen.query_one("#exam-day", Input).value = "2026-02-01"
        await pilot.press("ctrl+s", "escape", "escape")
        await pilot.pause()
        screen = await open_exam_date(pilot, "down")  # its first topic
        plan = " ".join(str(screen.query_one("#exam-plan-text", Static).render()).split())
        assert "No exam date on this topic yet; the deck's exam, on 2026-02-01 (target 90%), covers its cards" in plan
        assert [exam.topic for exam in read_exam_dates(store)] == [None]


@pytest.mark.parametrize(
    ("day", "target", "says"),
    [
        ("next week", "0.9", "is not a date: write it as YYYY-MM-DD"),
        ("2026-01-01", "0.9", "is not after today"),
        ("2026-02-01", "95", "the target is a predicted recall from 0.7 to 0.99"),
        ("2026-02-01", "", "the target '' is not a number"),
    ],
)
async def test_bad_input_is_refused_with_the_reason_and_nothing_is_saved(app_factory, day, target, says) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_exam_date(pilot)
        screen.query_one("#exam-day", Input).value = day
        screen.query_one("#exam-target", Input).value = target
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(says in str(n.message) for n in app._notifications)
        assert read_exam_dates(app.context.store) == []


async def test_the_plan_of_a_card_answered_later_than_now_is_shown_not_a_crash(app_factory) -> None:
    """A card last answered after this machine's now (another machine's clock ahead, synced in) and still in
    its steps: the plan answers it today, before its last answer; the engine once crashed the app on it."""
    later = START + timedelta(days=2)
    learning = CardState("basic", 1, step=1, stability=3.0, difficulty=5.0, due=later, last_review=later, reps=1)
    app = app_factory()
    app.context.store.record_review("uitest", "basic", Grade.GOOD, later, 3000, Mode.REVIEW, None, learning)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_exam_date(pilot)
        screen.query_one("#exam-day", Input).value = "2026-02-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "uitest: exam on 2026-02-01 (in 27 days), target 90%" in screen_text(app)


async def test_the_plan_command_shown_for_a_data_folder_given_with_data_dir_plans_that_folder(
    tmp_path: Path, clock: FixedClock
) -> None:
    """The app started with --data-dir showed `quiz plan DECK`, which pasted looked in the default data folder,
    where the deck and its exam are not: it names the folder, and prints the plan."""
    data = tmp_path / "walk dir" / "data"
    (data / "decks").mkdir(parents=True)
    shutil.copy(UI_DECK, data / "decks" / UI_DECK.name)
    app = make_app(data, clock, decks=[])
    with commands_naming(data):  # as `quiz --data-dir DATA` runs the app
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = await open_exam_date(pilot, "down")
            screen.query_one("#exam-day", Input).value = "2026-02-01"
            await pilot.press("ctrl+s")
            await pilot.pause()
            plan = str(screen.query_one("#exam-plan-text", Static).render())
    app.context.close()
    command = suggested(plan[plan.index("more days: ") :])
    assert shlex.split(command) == ["quiz", "--data-dir", str(data), "plan", "uitest/mechanism"]
    printed = pasted(command, env={"QUIZ_NOW": START.isoformat()})
    assert printed.returncode == 0, printed.stderr
    assert "uitest/mechanism: exam on 2026-02-01" in printed.stdout


async def test_home_names_the_exam_on_its_morning_and_nothing_once_it_has_passed(app_factory, clock) -> None:
    """On the exam morning Home showed nothing beside the topic, while `quiz plan` said "(today)": the row lost
    its exam the day it mattered. It says `exam today` then, and nothing the day after (the plan still lists it)."""
    app = app_factory()
    set_exam_date(app.context.store, ExamDate("uitest", "mechanism", date(2026, 1, 6), 0.9), START.date())
    clock.advance(timedelta(days=1))  # 09:00 on the exam day
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Mechanism · exam today" in screen_text(app)
    clock.advance(timedelta(days=1))
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "· exam" not in screen_text(app)


async def test_home_left_open_past_the_rollover_shows_the_new_day(app_factory, clock) -> None:
    """Left open from the eve past the rollover hour, Home kept the eve's day (`exam in 1d`, and the eve's
    limits used up) until you left it and came back: the morning of the exam it said the exam was tomorrow."""
    app = app_factory()
    set_exam_date(app.context.store, ExamDate("uitest", "mechanism", date(2026, 1, 6), 0.9), START.date())
    rollover = app.context.store.settings().rollover_hour
    clock.advance(day_end(clock.now(), rollover) - clock.now() - timedelta(minutes=1))  # a minute before it
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and "Mechanism · exam in 1d" in screen_text(app)
        home._poll()  # the same day: nothing to redraw
        assert "Mechanism · exam in 1d" in screen_text(app)
        clock.advance(timedelta(minutes=2))
        home._poll()  # what its timer calls every few seconds
        await pilot.pause()
        assert "Mechanism · exam today" in screen_text(app)


async def test_a_target_is_shown_as_typed_not_rounded(app_factory, clock) -> None:
    """A target of 0.9469 was shown as 95% on Home and in the plan, beside the field that said 0.9469."""
    app = app_factory()
    set_exam_date(app.context.store, ExamDate("uitest", "mechanism", date(2026, 1, 6), 0.9469), START.date())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Mechanism · exam in 1d, new cards can't reach 94.69%" in screen_text(app)
        screen = await open_exam_date(pilot, "down")
        assert screen.query_one("#exam-target", Input).value == "0.9469"
        plan = str(screen.query_one("#exam-plan-text", Static).render())
        assert "uitest/mechanism: exam on 2026-01-06 (tomorrow), target 94.69%" in plan and "95%" not in plan


async def test_a_passed_exams_plan_gives_the_command_that_removes_it(app_factory, clock) -> None:
    app = app_factory()
    set_exam_date(app.context.store, ExamDate("uitest", None, date(2026, 1, 6), 0.9), START.date())
    detail = {"deck": "uitest", "unanswered": 0, "per_topic": {"mechanism": [4, 5]}, "mistakes": []}
    app.context.store.save_exam(START + timedelta(days=1), "uitest", 4, 5, 60.0, detail)  # on the exam day
    clock.advance(timedelta(days=2))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_exam_date(pilot)
        plan = str(screen.query_one("#exam-plan-text", Static).render())
        assert "uitest: exam on 2026-01-06 (passed)" in plan
        assert "to stop listing it: `quiz plan uitest --remove`" in plan
        # no figure: a prediction for a day gone, worked back from today's memory states, was shown
        assert not any(f"{label}: " in plan for label in HELP)
        assert "last exam-mode result: 4 of 5 right (80%), taken on the exam day" in plan  # what happened


async def test_an_exam_date_too_far_to_plan_is_shown_and_can_be_moved_or_removed(app_factory) -> None:
    """An exam on 9999-12-31 (kept by an older quiz, or synced from one) looked like "No exam date yet" on its
    screen, with an empty day: it is shown with why it has no plan, to move with Ctrl+S or remove with Ctrl+R."""
    app = app_factory()
    store = app.context.store
    store.save_exam_date("uitest", "mechanism", "9999-12-31", 0.9)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_exam_date(pilot, "down")
        plan = " ".join(str(screen.query_one("#exam-plan-text", Static).render()).split())
        assert "No exam date" not in plan
        assert "Exam on 9999-12-31, too far ahead to plan" in plan and "Ctrl+R removes it" in plan
        assert screen.query_one("#exam-day", Input).value == "9999-12-31"
        assert screen.query_one("#exam-target", Input).value == "0.9"
        screen.query_one("#exam-day", Input).value = "2026-02-01"  # moved
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert read_exam_dates(store) == [ExamDate("uitest", "mechanism", date(2026, 2, 1), 0.9)]
        store.save_exam_date("uitest", "mechanism", "9999-12-31", 0.9)
        screen.show_plan()
        await pilot.press("ctrl+r")  # removed
        await pilot.pause()
        assert store.exam_dates() == []
        assert "No exam date yet" in screen_text(app)
