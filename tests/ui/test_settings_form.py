"""Settings as a newcomer meets it: the first field has the focus, a mistake is explained in the screen's own words,
and a theme is kept however it was chosen. Driven through the real app at 80x24 without colour."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, make_context, open_settings, palette_shows, screen_text
from textual.widgets import Button, Input, Label, Static

from quiz.context import Context
from quiz.core.settings import Settings
from quiz.ui.app import QuizApp
from quiz.ui.screens.help import HelpScreen
from tests.conftest import basic_deck_yaml

SIZE = (80, 24)


pytestmark = pytest.mark.usefixtures("no_color")


async def test_settings_opens_with_the_first_field_focused(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert app.focused is screen.query_one("#set-desired_retention", Input)
        await pilot.press("ctrl+a", "ctrl+k", *"0.85", "ctrl+s")  # typing at once edits the first field
        await pilot.pause()
        assert context.store.settings().desired_retention == 0.85
        assert str(screen.query_one("#settings-status", Static).render()) == "✓ Saved."
        assert "F1 Help" in screen_text(app).splitlines()[-1]  # `?` is typed into a focused field: F1 is shown
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        (
            "desired_retention",
            "1.5",
            "Desired retention must be from 0.7 to 0.99, not 1.5: type a number in that range, e.g. 0.9.",
        ),
        (
            "learning_steps_minutes",
            "0",
            "Learning steps must each be more than 0 and at most 10080, not 0: "
            "type minutes separated by spaces in that range, e.g. 1 10.",
        ),
        (
            "learning_steps_minutes",
            "soon",
            "Learning steps: soon is not a list of minutes: "
            "type minutes separated by spaces, each more than 0 and at most 10080, e.g. 1 10.",
        ),
        (
            "new_per_day",
            "",
            "New cards per day is empty: type a whole number from 0 to 9999, e.g. 20.",
        ),
        (
            "rollover_hour",
            "24",
            "Next day starts at must be from 0 to 23, not 24: type a whole number in that range, e.g. 4.",
        ),
    ],
)
async def test_a_bad_setting_is_explained_by_its_label_range_and_fix(
    context: Context, field: str, typed: str, says: str
) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one(f"#set-{field}", Input).value = typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = screen.query_one(f"#err-{field}", Label)
        assert str(error.render()) == f"✗ {says}"
        assert field not in str(error.render())  # the field's label, never its name in the code
        # wrapped under the field, not cut; a scrollbar's thumb (block elements), drawn beside a wrapped line when
        # the form overflows the screen, is not part of the text
        shown = re.sub("[\u2580-\u259f]", " ", screen_text(app))
        assert " ".join(shown.split()).count(says) == 1
        assert "Not saved: 1 setting to fix." in str(screen.query_one("#settings-status", Static).render())
        assert context.store.settings() == Settings(fuzz=False)  # nothing saved


async def test_a_theme_chosen_in_the_command_palette_is_kept_after_a_restart(context: Context) -> None:
    assert context.store.settings().theme == "textual-dark"
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"theme")
        await palette_shows(pilot, "Change the current theme")
        await pilot.press("enter")
        await pilot.press(*"textual-light")
        await palette_shows(pilot, "textual-light")
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert context.store.settings().theme == "textual-light"
    again = QuizApp(context, seed=SEED)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"


async def test_easy_days_and_the_load_balancer_are_set_on_the_form_and_kept(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        easy, balancer = screen.query_one("#set-easy_days", Input), screen.query_one("#set-load_balancer", Input)
        assert (easy.value, balancer.value) == ("1 1 1 1 1 1 1", "on")
        easy.value, balancer.value = "1 1 1 1 1 0.5 0", "off"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(screen.query_one("#settings-status", Static).render()) == "✓ Saved."
    stored = context.store.settings()
    assert (stored.easy_days, stored.load_balancer) == ((1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0), False)


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        (
            "easy_days",
            "1 1 1",
            "Easy days: 1 1 1 is not seven numbers, Monday to Sunday: type seven numbers separated by spaces, "
            "Monday first, each from 0 to 1, e.g. 1 1 1 1 1 1 1.",
        ),
        (
            "easy_days",
            "1 1 1 1 1 1 2",
            "Easy days must each be from 0 to 1, not 2: type seven numbers separated by spaces, "
            "Monday first in that range, e.g. 1 1 1 1 1 1 1.",
        ),
        ("load_balancer", "maybe", "Load balancer: maybe is not on or off: type on or off, e.g. on."),
    ],
)
async def test_a_bad_easy_day_or_switch_is_explained(context: Context, field: str, typed: str, says: str) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one(f"#set-{field}", Input).value = typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(screen.query_one(f"#err-{field}", Label).render()) == f"✗ {says}"
        assert " ".join(screen_text(app).split()).count(says) == 1
    assert context.store.settings() == Settings(fuzz=False)  # nothing saved


async def test_saving_the_form_keeps_the_fitted_parameters(context: Context) -> None:
    fitted = tuple(float(i) / 10 + 0.1 for i in range(21))
    context.store.save_settings(replace(context.store.settings(), fsrs_parameters=fitted))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#set-desired_retention", Input).value = "0.85"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(screen.query_one("#settings-status", Static).render()) == "✓ Saved."
    stored = context.store.settings()
    assert (stored.desired_retention, stored.fsrs_parameters) == (0.85, fitted)  # not on the form, not lost


async def test_optimize_with_too_little_history_says_how_many_more(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.click("#preset-optimize")
        await screen.workers.wait_for_complete()  # the fit runs in a thread
        await pilot.pause()
        status = str(screen.query_one("#preset-status", Static).render())
        assert status.startswith("✗ Default: 0 answers usable for fitting; 10 more needed")
        assert "10 more needed" in " ".join(screen_text(app).split())
    assert context.store.settings().fsrs_parameters == ()


@pytest.fixture
def answered(tmp_path: Path) -> Context:
    """A Context whose deck `a` (400 basic cards) has a simulated history of answers, enough to fit FSRS's
    parameters to; closed after the test."""
    from tests.core.test_optimize import simulate

    deck = tmp_path / "decks" / "a.yaml"
    deck.parent.mkdir()
    deck.write_text(basic_deck_yaml(400, "a"), encoding="utf-8")
    made = make_context(tmp_path / "data", decks=[deck.parent])
    made.store.import_history("a", simulate([f"c{i}" for i in range(400)], "a"), lambda: None)
    yield made
    made.close()


async def test_optimize_keeps_parameters_that_predict_better(answered: Context) -> None:
    app = QuizApp(answered, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.click("#preset-optimize")
        await screen.workers.wait_for_complete()  # the fit runs in a thread
        await pilot.pause()
        status = str(screen.query_one("#preset-status", Static).render())
        assert status.startswith("✓ Default: ") and status.endswith(
            "kept: Default now schedules with the new parameters"
        )
        assert "log loss" in status and "RMSE (bins)" in status
    assert len(answered.store.settings().fsrs_parameters) == 21


async def test_optimize_fits_in_a_thread_while_the_form_stays_usable(
    answered: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fit runs in a worker thread (held here until the test lets it finish): meanwhile the status line
    says so, the form takes keys, Optimize waits, and nothing is written; then the parameters are kept."""
    import quiz.core.optimizer as optimizer

    started, release = threading.Event(), threading.Event()
    fit_preset = optimizer.fit_preset

    def held(*args: Any) -> optimizer.Fit:
        started.set()
        assert release.wait(30), "the test never let the fit finish"
        return fit_preset(*args)

    monkeypatch.setattr(optimizer, "fit_preset", held)
    app = QuizApp(answered, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.click("#preset-optimize")
        await pilot.pause()
        assert started.wait(10)
        status = screen.query_one("#preset-status", Static)
        assert str(status.render()).startswith("… Fitting Default to your answers: 0 s. The form stays usable")
        assert screen.query_one("#preset-optimize", Button).disabled
        screen.query_one("#preset-name", Input).focus()
        await pilot.press("x", "y")
        assert screen.query_one("#preset-name", Input).value == "xy"  # the screen answers keys meanwhile
        assert answered.store.settings().fsrs_parameters == ()  # nothing written before the fit is done
        release.set()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert str(status.render()).endswith("kept: Default now schedules with the new parameters")
        assert not screen.query_one("#preset-optimize", Button).disabled
    assert len(answered.store.settings().fsrs_parameters) == 21


async def test_a_preset_removed_while_its_fit_runs_takes_nothing(
    answered: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quiz.core.optimizer as optimizer
    from quiz.core.presets import add_preset, assign_preset, preset_names

    assign_preset(answered.store, "a", add_preset(answered.store, "Exam", "Default"))
    fitted, release = threading.Event(), threading.Event()
    fit_preset = optimizer.fit_preset

    def held(*args: Any) -> optimizer.Fit:
        result = fit_preset(*args)  # fitted while the preset is there; held before it is kept
        fitted.set()
        assert release.wait(30), "the test never let the fit finish"
        return result

    monkeypatch.setattr(optimizer, "fit_preset", held)
    app = QuizApp(answered, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert screen.preset == "Exam"  # the highlighted deck's preset
        await pilot.click("#preset-optimize")
        assert fitted.wait(30)
        screen.query_one("#preset-name", Input).focus()
        await pilot.press("tab", "tab", "tab")
        remove = screen.query_one("#preset-remove", Button)
        assert app.focused is remove
        for _ in range(2):  # the second press removes it
            while remove.has_class("-active"):  # a Button ignores a press during the last one's animation
                await pilot.pause(0.05)
            await pilot.press("enter")
            await pilot.pause()
        assert "Exam" not in preset_names(answered.store)
        release.set()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen.query_one("#preset-status", Static).render())
        assert status.startswith("✗ Not optimized: ") and "Exam" in status
    assert answered.store.settings().fsrs_parameters == ()  # Default took nothing either
