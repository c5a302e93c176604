"""A file name is untrusted: one holding `quiz ...` in backquotes is shown as it is, never given the data folder
--data-dir named as quiz's own suggested commands are (then it would name a file that is not there)."""

from __future__ import annotations

import re
from pathlib import Path

from quiz.core.text import shell_word
from tests.conftest import basic_deck_yaml, pasted
from tests.conftest import run_cli as run

NAMED = "see `quiz list`.yaml"
BROKEN = "bad `quiz list`.yaml"


def _data_and_files(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder with deck `d`, and a folder holding a deck file with its id and a broken one, named NAMED and
    BROKEN."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "d.yaml").write_text(basic_deck_yaml(1), encoding="utf-8")
    given = tmp_path / "out2"
    given.mkdir()
    (given / NAMED).write_text(basic_deck_yaml(2), encoding="utf-8")
    (given / BROKEN).write_text("deck: bad\ntitle: [unclosed\n", encoding="utf-8")
    return data, given


def test_validate_shows_the_file_names_as_they_are_and_its_import_command_names_the_file(
    capsys, tmp_path: Path
) -> None:
    data, given = _data_and_files(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(given))
    assert code == 1
    assert f"ok {given / NAMED}: deck d 'Deck d'" in out
    assert f"{given / BROKEN}:2:8: YAML syntax error" in out
    [command] = re.findall(r"`(quiz [^\n]*?)` takes it", out)
    assert command == f"quiz --data-dir {shell_word(data)} import {shell_word(given / NAMED)}"
    imported = pasted(command)
    assert imported.returncode == 0, imported.stderr


def test_list_names_a_file_not_loaded_as_it_is_in_the_validate_it_suggests(capsys, tmp_path: Path) -> None:
    data, given = _data_and_files(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(data), "--deck", str(given), "list")
    [line] = [line for line in out.splitlines() if line.startswith(f"{given / BROKEN}: not loaded")]
    validate = f"`quiz --data-dir {shell_word(data)} --deck {shell_word(given)} validate {shell_word(given / BROKEN)}`"
    assert code == 0 and line.endswith(f"{validate} says more")
