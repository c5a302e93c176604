"""A few SVG snapshots at fixed sizes, frozen clock, fixed seed and fuzz off (regenerate: --snapshot-update).

The data directory is a relative path inside tmp_path, so the folder line on the home screen is the
same on every machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_app, right_keys

from quiz.ui.app import QuizApp


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QuizApp:
    monkeypatch.chdir(tmp_path)
    built = make_app(Path("data"))
    yield built
    built.context.close()


def test_home_80x24(snap_compare, app: QuizApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24))


def test_study_question_80x24(snap_compare, app: QuizApp) -> None:
    # The safety topic starts with a typed card whose question holds `[@click=app.quit]`.
    assert snap_compare(app, press=["down", "down", "enter"], terminal_size=(80, 24))


def test_study_answer_120x36(snap_compare, app: QuizApp) -> None:
    async def answer(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*right_keys(pilot.app.screen))  # the basic card, revealed: back, explanation, source
        await pilot.pause()

    assert snap_compare(app, run_before=answer, terminal_size=(120, 36))


def test_study_choice_marked_80x24(snap_compare, app: QuizApp) -> None:
    async def wrong_choice(pilot) -> None:
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await pilot.press(*right_keys(pilot.app.screen), "3")  # the typed card, graded Good
        await pilot.pause()
        widget_keys = right_keys(pilot.app.screen)
        wrong = "1" if widget_keys[0] != "1" else "2"
        await pilot.press(wrong, "enter")
        await pilot.pause()

    assert snap_compare(app, run_before=wrong_choice, terminal_size=(80, 24))


def test_settings_80x24(snap_compare, app: QuizApp) -> None:
    # The top of the form: the preset chooser, its name field and buttons, the first option focused.
    assert snap_compare(app, press=["comma"], terminal_size=(80, 24))


def test_exam_setup_80x24(snap_compare, app: QuizApp) -> None:
    assert snap_compare(app, press=["e"], terminal_size=(80, 24))
