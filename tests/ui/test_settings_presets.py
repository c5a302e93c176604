"""Option presets on the Settings screen, driven by keys through the real app at 80x24 without colour, checked
against the store: add, edit and save a preset, give a deck a preset (Home then counts within its limits),
switch presets with unsaved changes, rename and remove."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import SEED, open_settings, screen_text
from textual.widgets import Button, Input, Label, Select, Static

from quiz.context import Context
from quiz.core.presets import DEFAULT, add_preset, assign_preset, new_preset, read_preset, remove_preset, save_preset
from quiz.ui.app import QuizApp
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.widgets.decklist import DeckList

SIZE = (80, 24)
DECK = "uitest"  # tests/data/ui_deck.yaml, titled "UI test deck [b]x[/b]"


pytestmark = pytest.mark.usefixtures("no_color")


async def press_button(pilot, screen: SettingsScreen, button: str) -> None:
    """Tab from the name field to the button, as a user would, and press it with Enter."""
    screen.query_one("#preset-name", Input).focus()
    steps = {"add": 1, "rename": 2, "remove": 3}[button]
    await pilot.press(*["tab"] * steps)
    await press_focused(pilot)


async def press_focused(pilot) -> None:
    """Enter on the focused button, once it takes presses again: a Button ignores one during the short
    animation of the press before (Textual's guard against a double press)."""
    button = pilot.app.focused
    assert isinstance(button, Button)
    while button.has_class("-active"):
        await pilot.pause(0.05)
    await pilot.press("enter")
    await pilot.pause()


async def type_name(pilot, screen: SettingsScreen, name: str) -> None:
    screen.query_one("#preset-name", Input).focus()
    await pilot.press("ctrl+a", "ctrl+k", *name)


async def choose(pilot, select: Select, steps: int) -> None:
    """Open a Select with Enter, move `steps` down (up when negative), Enter."""
    select.focus()
    await pilot.press("enter", *["down" if steps > 0 else "up"] * abs(steps), "enter")
    await pilot.pause()


def field(screen: SettingsScreen, name: str) -> Input:
    return screen.query_one(f"#set-{name}", Input)


async def test_a_preset_is_added_edited_saved_and_given_to_a_deck(context: Context) -> None:
    store = context.store
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await type_name(pilot, screen, "Few")
        await press_button(pilot, screen, "add")
        assert list(store.presets()) == ["Few"]
        assert screen.preset == "Few"
        assert "Added preset Few, a copy of Default" in screen_text(app)
        assert screen.query_one("#preset", Select).value == "Few"
        field(screen, "new_per_day").focus()
        await pilot.press("ctrl+a", "ctrl+k", "1")
        field(screen, "typed_tolerance").focus()  # a setting for every deck, saved with the preset
        await pilot.press("ctrl+a", "ctrl+k", *"70", "ctrl+s")
        await pilot.pause()
        assert read_preset(store, "Few").new_per_day == 1
        assert store.settings().new_per_day == 20  # Default's is unchanged
        assert store.settings().typed_tolerance == 70
        assert store.deck_presets() == {}
        await choose(pilot, screen.query_one("#deck-preset-0", Select), 1)  # Default -> Few
        assert store.deck_presets() == {DECK: "Few"}
        assert "UI test deck [b]x[/b] now uses Few" in " ".join(screen_text(app).split())  # literally
        assert str(screen.query_one("#preset-used", Label).render()) == "used by 1 deck"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        row = app.screen.query_one(DeckList).rows[0]
        assert row.new == 1  # Home counts the deck within its preset's limit


async def test_settings_opened_from_a_deck_edit_the_preset_that_deck_uses(context: Context) -> None:
    # As Anki's deck options: a deck imported with its Anki preset, highlighted on Home, opens Settings on that
    # preset (at 40 columns the chooser is scrolled away above the first field), not on Default's options.
    store = context.store
    assign_preset(store, DECK, new_preset(store, "Nursing school", replace(store.settings(), desired_retention=0.85)))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.screen.selected.deck_id == DECK
        screen = await open_settings(pilot)
        assert screen.preset == "Nursing school" and screen.query_one("#preset", Select).value == "Nursing school"
        assert app.focused is field(screen, "desired_retention") and app.focused.value == "0.85"
        await pilot.press("ctrl+a", "ctrl+k", *"0.8", "ctrl+s")
        await pilot.pause()
    assert read_preset(store, "Nursing school").desired_retention == 0.8
    assert store.settings().desired_retention == 0.9  # Default's is unchanged


async def test_choosing_a_preset_fills_its_options_and_unsaved_changes_are_not_lost_unasked(context: Context) -> None:
    store = context.store
    add_preset(store, "Fast")
    save_preset(store, "Fast", replace(read_preset(store, "Fast"), new_per_day=50))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        chooser = screen.query_one("#preset", Select)
        await pilot.press("ctrl+o", "down", "enter")  # ctrl+o opens the chooser: Default -> Fast
        await pilot.pause()
        assert screen.preset == "Fast" and field(screen, "new_per_day").value == "50"
        field(screen, "new_per_day").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"33")
        await choose(pilot, chooser, -1)  # back to Default with a change unsaved: refused once
        assert screen.preset == "Fast" and chooser.value == "Fast"
        assert field(screen, "new_per_day").value == "33"
        text = " ".join(screen_text(app).split())
        assert "Unsaved changes to preset Fast: Ctrl+S saves them; choose Default again to drop them." in text
        await choose(pilot, chooser, -1)  # asked again: the change is dropped
        assert screen.preset == DEFAULT and field(screen, "new_per_day").value == "20"
        assert read_preset(store, "Fast").new_per_day == 50


async def test_rename_keeps_the_decks_and_remove_asks_then_moves_them_to_default(context: Context) -> None:
    store = context.store
    add_preset(store, "Slow")
    assign_preset(store, DECK, "Slow")
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#deck-preset-0", Select).value == "Slow"
        assert screen.preset == "Slow"  # the highlighted deck's preset
        await type_name(pilot, screen, "Gentle")
        await press_button(pilot, screen, "rename")
        assert list(store.presets()) == ["Gentle"] and store.deck_presets() == {DECK: "Gentle"}
        assert screen.query_one("#deck-preset-0", Select).value == "Gentle"
        await press_button(pilot, screen, "remove")
        assert list(store.presets()) == ["Gentle"]  # asked first
        assert "Press Remove again to remove preset Gentle: its 1 deck go back to Default." in " ".join(
            screen_text(app).split()
        )
        await press_focused(pilot)  # the Remove button still has the focus
        assert store.presets() == {} and store.deck_presets() == {}
        assert screen.preset == DEFAULT
        assert screen.query_one("#deck-preset-0", Select).value == DEFAULT
        assert "Removed preset Gentle; 1 deck now use Default." in " ".join(screen_text(app).split())


async def test_a_bad_name_or_default_is_refused_saying_how_to_fix_it(context: Context) -> None:
    store = context.store
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await type_name(pilot, screen, "default")
        await press_button(pilot, screen, "add")
        text = " ".join(screen_text(app).split())
        assert "✗ Not added: a preset is already named 'Default': choose another name" in text
        await press_button(pilot, screen, "remove")
        text = " ".join(screen_text(app).split())
        assert "✗ Not removed: the Default preset cannot be removed" in text
        await type_name(pilot, screen, "[b]x[/b]")  # a name is shown as typed
        await press_button(pilot, screen, "add")
        assert list(store.presets()) == ["[b]x[/b]"]
        assert "Added preset [b]x[/b], a copy of Default" in " ".join(screen_text(app).split())


async def test_a_preset_removed_from_the_command_line_while_shown_is_not_saved_and_says_why(context: Context) -> None:
    store = context.store
    add_preset(store, "Fast")
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await choose(pilot, screen.query_one("#preset", Select), 1)
        assert screen.preset == "Fast"
        remove_preset(store, "Fast")  # as `quiz preset remove Fast` beside the open app
        field(screen, "new_per_day").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"5")
        field(screen, "typed_tolerance").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"70", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        status = str(screen.query_one("#settings-status", Static).render())
        assert status == "✗ Not saved: no preset is named 'Fast'; the presets are Default"
        assert store.presets() == {} and store.settings().new_per_day == 20
        assert store.settings().typed_tolerance == 90  # nothing saved, the settings every deck shares neither


async def test_a_preset_without_steps_as_anki_allows_is_saved_and_a_step_field_cleared_means_none(
    context: Context,
) -> None:
    """An Anki deck's options may have no steps (a package's import brings them so): the form shows the fields
    empty and saves the preset; emptying a field is how the student asks for no steps, as in Anki."""
    store = context.store
    new_preset(store, "Anki", replace(store.settings(), learning_steps_minutes=(), relearning_steps_minutes=()))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await choose(pilot, screen.query_one("#preset", Select), 1)
        assert screen.preset == "Anki" and field(screen, "relearning_steps_minutes").value == ""
        field(screen, "new_per_day").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"33", "ctrl+s")
        await pilot.pause()
        saved = read_preset(store, "Anki")
        assert (saved.new_per_day, saved.learning_steps_minutes, saved.relearning_steps_minutes) == (33, (), ())
        await choose(pilot, screen.query_one("#preset", Select), -1)
        assert screen.preset == DEFAULT
        field(screen, "relearning_steps_minutes").focus()
        await pilot.press("ctrl+a", "ctrl+k", "ctrl+s")
        await pilot.pause()
        assert store.settings().relearning_steps_minutes == ()
