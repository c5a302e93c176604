"""Help names keys as they are typed and screens by their titles, lists only quiz's own keys, and has study's
grade keys, Enter, Ctrl+Z and `!`. Driven through the real app at 80x24 without colour."""

from __future__ import annotations

import re

import pytest
from conftest import SEED, open_exam_setup, open_study
from textual.widgets import Static

from quiz.context import Context
from quiz.ui.app import QuizApp
from quiz.ui.screens.browse import BrowseScreen
from quiz.ui.screens.exam import ExamSetupScreen
from quiz.ui.screens.help import (
    HelpScreen,
    active_rows,
    app_rows,
    binding_rows,
    key_label,
    screen_bindings,
    screen_title,
    section,
)
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.screens.study import StudyScreen
from quiz.ui.widgets.flags import FlagPicker

INTERNAL = ("Equals_sign", "Minus", "Exclamation", "Comma", "ExamResults", "ExamRun", "ExamSetup")
TEXTUAL_OWN = ("Focus Next", "Focus Previous", "Scroll", "Page Up", "Copy selected text")


def help_lines(help_screen: HelpScreen) -> list[str]:
    text = "\n".join(str(static.render()) for static in help_screen.query(".help-section").results(Static))
    return [" ".join(line.split()) for line in text.splitlines()]


def section_of(lines: list[str], title: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("equals_sign", "="),
        ("minus", "-"),
        ("exclamation_mark", "!"),
        ("comma", ","),
        ("ctrl+z", "Ctrl+Z"),
        ("escape", "Esc"),
        ("O", "Shift+o"),
        ("shift+up", "Shift+↑"),
        ("f1", "F1"),
    ],
)
def test_a_key_is_named_as_it_is_typed(key: str, typed: str) -> None:
    assert key_label(key) == typed


async def test_help_from_study_lists_the_grade_keys_and_names_no_internals(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_study(pilot)
        await pilot.press("enter")  # show the answer without answering
        await pilot.pause()
        assert app.screen.answering  # the grade keys are live (the screen's)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = help_lines(app.screen)
        text = "\n".join(lines)
        for name in INTERNAL + TEXTUAL_OWN:
            assert not re.search(rf"\b{name}\b", text), name
        now = section_of(lines, "Now, on Study")
        study = section_of(lines, "Study:")
        for rows in (now, study):
            assert "1 / 2 / 3 / 4 Again, Hard, Good or Easy" in rows
            assert "Enter / Space Record the proposed (highlighted) grade" in rows
            assert "Ctrl+Z Undo, also while typing an answer" in rows
            assert "- / ! Suspend this card (unsuspend in Browse)" in rows
            assert "= Hide this card until tomorrow" in rows
        for title in ("Exam:", "Exam results:", "Exam setup:", "Settings:", "Stats:", "Browse:"):
            assert any(line.startswith(title) for line in lines), title
        assert ", Daily limits, retention, theme" in section_of(lines, "Home")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
    assert context.store.review_count() == 0  # looking at the help records nothing


def help_section(cls: type) -> list[str]:
    text = str(section(screen_title(cls), binding_rows(screen_bindings(cls))))
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_flag_pickers_digits_flag_and_only_esc_cancels() -> None:
    """The digits share Esc's action (pick); Help gave them its 'Cancel' ('0 / 1 / ... / 7 / Esc / Ctrl+F Cancel')."""
    rows = help_section(FlagPicker)
    assert (
        "1 / 2 / 3 / 4 / 5 / 6 / 7 Flag the card: 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple"
        in rows
    )
    assert "0 Take the flag off" in rows
    assert "Esc / Ctrl+F Leave the flag as it is" in rows


def test_homes_section_has_its_enter_and_a_screens_summary_is_whole() -> None:
    """Home's Enter is its deck list's, and was missing from Home's section; Settings' summary was cut after its
    docstring's first line ('... as soon as it')."""
    home = help_section(HomeScreen)
    assert home[1] == "Enter Study what is due in the selected deck or topic"
    settings = help_section(SettingsScreen)[0]
    assert settings.endswith("as soon as it is picked, a deck's preset as soon as it is chosen."), settings


def test_browses_search_key_says_it_searches_the_answers_too() -> None:
    """The search looks in a card's answer, explanation and options as well; Help said 'question, deck, topic
    and tags', so a word of an answer seemed unsearchable. It takes Anki's grammar, but Anki's plain word
    looks in a note's fields only: 'as Anki does' promised Anki found deck names, tags and ids too."""
    [search] = [row for row in help_section(BrowseScreen) if row.startswith("/ ")]
    assert "answer" in search and "explanation" in search, search
    assert search.endswith("in Anki's grammar") and "as Anki does" not in search, search


async def test_a_screens_section_lists_the_keys_its_lists_take(context: Context) -> None:
    """Home's Enter is its deck list's, Exam setup's Space and a its topic list's: a screen's section in Help
    lists them as "Now, on ..." does there (Exam setup's gave only Ctrl+S, Ctrl+T and Esc)."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for cls in (HomeScreen, ExamSetupScreen):
            if cls is ExamSetupScreen:
                await open_exam_setup(pilot)
            assert isinstance(app.screen, cls)
            listed = binding_rows(screen_bindings(cls))
            everywhere = {what for _, what in app_rows(app)}  # Help's "Everywhere" section has them
            now = [(keys, what) for keys, what in active_rows(app.screen) if what not in everywhere]
            assert [row for row in now if row not in listed] == [], cls
