"""Which command opens a deck file at a card's line, and which deck files are not edited in place."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from quiz.core.deckfile import deck_files
from quiz.core.editing import EditorError, editor_command, is_shipped, no_editor_advice, shipped_advice
from quiz.core.library import SHIPPED_DECKS

DECK = Path("/home/me/decks/spanish.yaml")
DECK_TEXT = "deck: sent\ntitle: Sent\ncards:\n  - {id: a, kind: basic, front: q, back: a}\n"


@pytest.mark.parametrize(
    "editor", ["vi", "vim", "nvim", "nano", "emacs", "emacsclient -t", "micro", "hx", "/usr/bin/vim"]
)
def test_editors_that_take_a_line_get_plus_line_before_the_file(editor: str) -> None:
    assert editor_command({"EDITOR": editor}, DECK, 12) == [*editor.split(), "+12", str(DECK)]


@pytest.mark.parametrize("editor", ["code --wait", "gedit", "subl -w", "my-editor"])
def test_other_editors_get_the_file_alone(editor: str) -> None:
    assert editor_command({"EDITOR": editor}, DECK, 12) == [*editor.split(), str(DECK)]


def test_visual_comes_before_editor_and_blank_settings_count_as_none() -> None:
    assert editor_command({"VISUAL": "nano", "EDITOR": "vim"}, DECK, 3) == ["nano", "+3", str(DECK)]
    assert editor_command({"VISUAL": "  ", "EDITOR": "vim"}, DECK, 3) == ["vim", "+3", str(DECK)]
    assert editor_command({}, DECK, 3) is None
    assert editor_command({"EDITOR": ""}, DECK, 3) is None


def test_a_quoted_editor_path_with_spaces_is_one_program() -> None:
    assert editor_command({"EDITOR": "'/opt/My Apps/nvim' -u NONE"}, DECK, 2) == [
        "/opt/My Apps/nvim", "-u", "NONE", "+2", str(DECK)
    ]  # fmt: skip


def test_an_editor_setting_that_cannot_be_split_says_so() -> None:
    with pytest.raises(EditorError, match=r"\$VISUAL .* fix its quotes"):
        editor_command({"VISUAL": "vim 'unclosed"}, DECK, 1)


def test_shipped_decks_are_told_apart_and_the_advice_names_the_copy(tmp_path: Path) -> None:
    shipped = SHIPPED_DECKS / "ketamine" / "ketamine.yaml"
    assert is_shipped(shipped) and not is_shipped(tmp_path / "ketamine.yaml")
    advice = shipped_advice(shipped, tmp_path / "decks")
    assert str(tmp_path / "decks" / "ketamine.yaml") in advice and "another `deck:` id" in advice


HOSTILE_NAME = "+!touch PWNED.yaml"  # to vim, `+cmd` before a file is a command: `:!touch PWNED.yaml` in a shell


def test_a_deck_named_like_an_editor_command_is_given_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / HOSTILE_NAME).write_text(DECK_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [found] = deck_files(["."])  # `quiz --deck .` in a folder of decks someone sent
    command = editor_command({"EDITOR": "vim"}, found, 4)
    assert command == ["vim", "+4", str(tmp_path / HOSTILE_NAME)]


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
def test_vim_opens_a_deck_named_like_a_command_without_running_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / HOSTILE_NAME).write_text(DECK_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [found] = deck_files(["."])
    command = editor_command({"EDITOR": "vim -es -u NONE"}, found, 4)  # vim in ex mode: ends at stdin's end
    assert command is not None
    subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False)
    assert not (tmp_path / "PWNED.yaml").exists()


def test_an_unquoted_editor_path_with_a_space_is_one_program_when_it_is_one(tmp_path: Path) -> None:
    """EDITOR=/mnt/c/Program Files/Notepad++/notepad++.exe (a Windows path, unquoted) ran /mnt/c/Program, which
    was not found; split words that are no program but joined are one are that program."""
    program = tmp_path / "Program Files" / "Notepad++" / "notepad++.exe"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    assert editor_command({"EDITOR": f"{program} -multiInst"}, DECK, 4) == [str(program), "-multiInst", str(DECK)]
    unknown = f"{tmp_path}/No Such/editor -x"
    assert editor_command({"EDITOR": unknown}, DECK, 4) == [*unknown.split(), str(DECK)]  # reported as not found


def test_an_editor_named_without_a_path_is_never_joined_to_its_arguments(tmp_path: Path, monkeypatch) -> None:
    """EDITOR='nedit --x' with nedit not installed, in a folder holding an executable file named 'nedit --x' (a
    downloaded folder's name is anyone's), was taken for that file: run where PATH holds the current folder, else
    reported as 'nedit --x' not found. Only a path is joined: a bare name is looked for on PATH alone."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nedit --x").write_text("#!/bin/sh\n")
    (tmp_path / "nedit --x").chmod(0o755)
    assert shutil.which("nedit") is None
    assert editor_command({"EDITOR": "nedit --x"}, DECK, 4) == ["nedit", "--x", str(DECK)]


def test_the_deck_to_edit_by_hand_is_named_as_one_shell_word(tmp_path: Path) -> None:
    """ "edit /home/me/my decks/a.yaml (line 3) yourself", pasted, split at the space: the path is quoted, as
    docs/command-line.md promises for every path quiz shows to use."""
    path = tmp_path / "my decks" / "a.yaml"
    assert f"edit '{path}' (line 3) yourself" in no_editor_advice(path, 3)
