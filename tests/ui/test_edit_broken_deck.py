"""A deck file of hers that does not load has a row on Home: `e` on it opens the file in $VISUAL/$EDITOR at its
first problem, and Home shows the deck once the file loads. The editor is a small script that records its
arguments and fixes the file, as her edit would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import editor_args, fake_editor, make_context, messages, said_after, screen_text

from quiz.context import Context
from quiz.output import commands_naming
from quiz.ui.app import QuizApp
from quiz.ui.screens.exam import ExamSetupScreen
from quiz.ui.screens.help import binding_rows
from quiz.ui.screens.home import HomeScreen
from tests.conftest import pasted
from tests.core.test_file_names_holding_commands import HOSTILE_FOLDER

SIZE = (100, 30)
BROKEN = """deck: mine
title: My own deck
cards:
  - id: one
    kind: basic
    front: What is two plus two?
    back: four

  - id: two
    kind: basic
    front: Note: a colon
    back: five
"""
ERROR_LINE = 11  # the unquoted ": " in card two's front
GOOD_DECK = """deck: fine
title: A fine deck
cards:
  - {id: a, kind: basic, front: "Front a", back: "Back a"}
"""


@pytest.fixture
def context(tmp_path: Path, no_editor_set: None) -> Context:
    made = make_context(tmp_path / "data", decks=[])
    made.user_deck_dir.mkdir(parents=True, exist_ok=True)
    (made.user_deck_dir / "fine.yaml").write_text(GOOD_DECK)
    (made.user_deck_dir / "mine.yaml").write_text(BROKEN)
    made.library.reload()
    yield made
    made.close()


async def highlight_broken_row(pilot) -> HomeScreen:
    """Down from the fine deck to the row of the file that did not load."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen)
    await pilot.press("down")
    await pilot.pause()
    row = screen.selected
    assert row is not None and row.broken is not None
    return screen


async def test_e_on_a_deck_file_that_did_not_load_opens_it_at_its_error_and_home_then_lists_the_deck(
    context: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck_file = context.user_deck_dir / "mine.yaml"
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "vim", "front: Note: a colon", 'front: "Note: a colon"')))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await highlight_broken_row(pilot)
        shown = screen_text(app)
        assert f"mine.yaml did not load: e opens it at line {ERROR_LINE}" in shown
        assert "My own deck" not in shown
        await pilot.press("e")
        await pilot.pause()
        assert editor_args(tmp_path) == [f"+{ERROR_LINE}", str(deck_file)]
        assert isinstance(app.screen, HomeScreen)  # not the exam setup: this row has no deck to examine
        assert context.library.deck("mine") is not None
        assert f"Reloaded {deck_file}." in messages(app)
        shown = screen_text(app)
        assert "My own deck" in shown and "did not load" not in shown


async def test_an_edit_that_leaves_the_file_broken_says_so_and_keeps_its_row(
    context: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "nano", "back: five", "back: six")))  # not the fix
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await highlight_broken_row(pilot)
        said = await said_after(pilot, "e")
        assert "mine.yaml has errors, so it was not loaded." in said and "press e again" in said
        assert "this session keeps its cards" not in said  # Home had no cards of it to keep
        assert "did not load" in screen_text(app)


async def test_without_an_editor_e_gives_the_advice_and_opens_nothing(context: Context) -> None:
    deck_file = context.user_deck_dir / "mine.yaml"
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await highlight_broken_row(pilot)
        said = await said_after(pilot, "e")
        assert "No editor is set: set $VISUAL or $EDITOR" in said
        assert f"{deck_file} (line {ERROR_LINE})" in said
        assert isinstance(app.screen, HomeScreen) and deck_file.read_text() == BROKEN


async def test_on_a_loaded_deck_e_is_still_the_exam_and_enter_on_a_broken_row_says_what_to_do(
    context: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "vim", "x", "y")))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await highlight_broken_row(pilot)
        assert "Edit file" in screen_text(app)  # the footer names what e does here
        await pilot.press("enter")
        await pilot.pause()
        assert "did not load, so it has no cards yet: press e" in messages(app)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("up")
        await pilot.pause()
        assert screen.selected is not None and screen.selected.deck_id == "fine"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen) and editor_args(tmp_path) is None


async def test_a_shipped_deck_file_that_did_not_load_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decks that come with quiz are replaced by its updates: e says so, and how to copy one, as on a card."""
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "mine.yaml").write_text(BROKEN)
    monkeypatch.setattr("quiz.core.editing.SHIPPED_DECKS", shipped)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "vim", "a", "b")))
    context = make_context(tmp_path / "data", decks=[shipped])
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = await said_after(pilot, "e")
        assert "comes with quiz" in said and str(context.user_deck_dir) in said
        assert editor_args(tmp_path) is None
    context.close()


async def test_the_copy_advised_for_a_shipped_deck_under_a_hostile_data_folder_pastes_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run with --data-dir naming a folder called like a command quiz suggests, e's "Not editable" message gave the
    "`quiz " inside its mkdir/cp's quoted paths the data folder, ending their quotes: pasted, it ran `quiz x`."""
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "mine.yaml").write_text(BROKEN)
    monkeypatch.setattr("quiz.core.editing.SHIPPED_DECKS", shipped)
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "vim", "a", "b")))
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # where `$(touch PWNED)` would make its file
    data = tmp_path / HOSTILE_FOLDER / "data"
    context = make_context(data, decks=[shipped])
    with commands_naming(data):  # as `quiz --data-dir DATA` runs the app
        async with QuizApp(context, seed=1).run_test(size=SIZE) as pilot:
            await pilot.pause()
            said = await said_after(pilot, "e")
    context.close()
    [copy] = re.findall(r"copy it into your deck folder \((.*?)\) and give", said)
    copied = pasted(copy)
    assert (copied.returncode, copied.stdout, copied.stderr) == (0, "", "")
    assert (data / "decks" / "mine.yaml").read_text() == BROKEN and not list(here.iterdir())


async def test_a_named_deck_file_that_is_not_there_is_not_made_by_the_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--deck` naming a file that is gone: its row has nothing to open, and e says its problem instead of handing
    the editor a path it would create an empty file at."""
    missing = tmp_path / "gone.yaml"
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "vim", "a", "b")))
    context = make_context(tmp_path / "data", decks=[missing])
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "gone.yaml did not load" in shown and "e opens it" not in shown
        await pilot.press("e")
        await pilot.pause()
        assert f"Nothing to open: {missing}: cannot read the file" in messages(app)
        assert editor_args(tmp_path) is None and not missing.exists()
    context.close()


def test_the_help_tells_the_two_meanings_of_e_on_home_apart() -> None:
    meanings = [text for key, text in binding_rows(HomeScreen.BINDINGS) if key == "e"]
    assert meanings == [
        "Set up an exam on the selected deck's topics",
        "On a deck file that did not load: open it in your editor at its first problem",
    ]


async def test_the_edit_s_report_names_a_picture_named_like_a_command_as_it_is(
    context: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the edited file's check found was said with each problem as text, and the picture's name was given the
    data folder --data-dir named."""
    fixed = 'front: "Note: a colon"\n    image: "/x `quiz list` y.png"'
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "vim", "front: Note: a colon", fixed)))
    app = QuizApp(context, seed=1)
    with commands_naming(context.data_dir):  # as `quiz --data-dir DATA` runs the app
        async with app.run_test(size=SIZE) as pilot:
            await highlight_broken_row(pilot)
            said = await said_after(pilot, "e")
    assert "image '/x `quiz list` y.png' is not a path inside" in said and "--data-dir" not in said
