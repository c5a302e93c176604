"""A deck folder holding names with a deck's suffix that are no deck files (a named pipe, a link to a device):
the app starts, loads the real decks, and Home names each of the others with what it is; none is opened. An
editor's lock beside a deck being edited is no deck, and no problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_app, screen_text
from textual.widgets import Static

from quiz.ui.screens.home import HomeScreen
from tests.conftest import basic_deck_yaml


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deck folder holding one good deck (`d`, three cards), the app drawn without colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    made = tmp_path / "decks"
    made.mkdir()
    (made / "good.yaml").write_text(basic_deck_yaml(3), encoding="utf-8")
    return made


async def test_home_names_a_pipe_and_a_device_in_the_deck_folder_and_loads_the_rest(
    tmp_path: Path, clock, folder: Path
) -> None:
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / ".#good.yaml").symlink_to("ana@laptop.4242:1767600000")  # Emacs' lock while good.yaml is edited
    app = make_app(tmp_path / "data", clock, [folder])
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert "Deck d" in screen_text(app)
            notes = str(app.screen.query_one("#home-notes", Static).render())
            assert f"{folder / 'pipe.yaml'}: not a regular file but a named pipe (FIFO)" in notes
            assert f"{folder / 'zero.yaml'}: not a regular file but a character device" in notes
            assert ".#good.yaml" not in notes and len(app.context.library.broken) == 2  # a lock is no deck
    finally:
        app.context.close()


async def test_a_deck_named_again_inside_the_deck_folder_is_listed_once(tmp_path: Path, clock, folder: Path) -> None:
    """`quiz --deck decks/good.yaml` with that file in the deck folder: Home listed the deck twice."""
    app = make_app(tmp_path / "data", clock, [folder, folder / "good.yaml"])
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert [row[2:].split() for row in text.splitlines() if row[2:].startswith("Deck d ")] == [
                ["Deck", "d", "3", "0", "0"]
            ]
            assert "Today: 0 reviewed · 3 left" in text  # not its cards twice
            assert [deck.id for deck in app.context.library.decks] == ["d"] and app.context.library.broken == []
    finally:
        app.context.close()


async def test_a_sync_tools_old_version_in_a_hidden_folder_is_no_deck(tmp_path: Path, clock, folder: Path) -> None:
    """Syncthing keeps replaced files in `.stversions` inside the shared folder: an older copy of the deck there
    sorted first, loaded, and the deck itself was refused as using its deck id (her edits not shown)."""
    versions = folder / ".stversions"
    versions.mkdir()
    (versions / "good~20261130-101010.yaml").write_text(basic_deck_yaml(2).replace("Deck d", "Old"), encoding="utf-8")
    (folder / "topic").mkdir()  # a folder of her own is still read
    (folder / "topic" / "more.yaml").write_text(basic_deck_yaml(1, deck_id="m"), encoding="utf-8")
    app = make_app(tmp_path / "data", clock, [folder])
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert [row[2:].split() for row in text.splitlines() if row[2:].startswith(("Deck d ", "Deck m "))] == [
                ["Deck", "d", "3", "0", "0"],
                ["Deck", "m", "1", "0", "0"],
            ]
            assert "Old" not in text and app.context.library.broken == []
    finally:
        app.context.close()
