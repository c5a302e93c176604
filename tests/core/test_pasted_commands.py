"""The commands quiz prints for her to run work when pasted into a shell as they are, in a data folder whose
path holds a space ("walk dir", iCloud's "Mobile Documents"): each path is one word of the command, and the data
folder given with --data-dir is named in it, so that the command acts on that folder, not the default one."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from quiz.core.backup import make_backup
from quiz.core.store import STORE_NAME, Store
from quiz.output import commands_naming, suggested_commands
from tests.conftest import START, pasted, record_good, suggested
from tests.conftest import run_cli as run

BROKEN = "deck: b\ntitle: B\ncards:\n" + "".join(f"  - {{id: c{n}, kind: basic, front: q}}\n" for n in range(9))


def command_in(line: str, start: str) -> list[str]:
    """The words of the command that starts with `start` in `line`, as a shell splits it (up to a backquote)."""
    return shlex.split(line[line.index(start) :].split("`")[0])


def test_new_says_how_to_validate_the_deck_in_a_folder_with_a_space(capsys, tmp_path: Path) -> None:
    data = tmp_path / "walk dir" / "data"
    code, out, _ = run(capsys, "--data-dir", str(data), "new", "Pharmacology")
    assert code == 0
    command = suggested(out.splitlines()[1])
    assert shlex.split(command) == [
        "quiz",
        "--data-dir",
        str(data),
        "validate",
        str(data / "decks" / "pharmacology.yaml"),
    ]
    checked = pasted(command)
    assert checked.returncode == 0 and "pharmacology" in checked.stdout, checked.stderr


def test_list_says_how_to_validate_a_deck_that_did_not_load(capsys, tmp_path: Path) -> None:
    data = tmp_path / "walk dir" / "data"
    (data / "decks").mkdir(parents=True)
    broken = data / "decks" / "my deck.yaml"
    broken.write_text(BROKEN)
    code, out, _ = run(capsys, "--data-dir", str(data), "list")
    [line] = [line for line in out.splitlines() if "not loaded" in line]
    assert code == 0 and shlex.split(suggested(line)) == ["quiz", "--data-dir", str(data), "validate", str(broken)]


def test_add_of_a_folder_or_a_package_says_the_command_to_run(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "my decks"
    folder.mkdir()
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(folder))
    assert code == 1 and command_in(err, "--deck") == ["--deck", str(folder)]
    package = tmp_path / "my decks" / "Nursing 101.apkg"
    package.write_bytes(b"PK")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(package))
    assert code == 1 and command_in(err, "import") == ["import", str(package)]


def test_export_of_a_deck_file_with_errors_says_how_to_validate_it(capsys, tmp_path: Path) -> None:
    broken = tmp_path / "walk dir" / "my deck.yaml"
    broken.parent.mkdir()
    broken.write_text(BROKEN)
    code, _, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "export", str(broken), "-o", str(tmp_path / "x.csv")
    )
    assert code == 1 and command_in(err, "validate") == ["validate", str(broken)]


def _deleted_store_with_a_backup(data: Path) -> None:
    """A data folder whose store, holding one answer, was deleted after a backup of it was made."""
    store = Store.in_folder(data)
    record_good(store, "c0")
    make_backup(store, START)
    store.close()
    (data / STORE_NAME).unlink()


def test_restore_latest_said_for_a_data_folder_given_with_data_dir_restores_that_folder(capsys, tmp_path: Path) -> None:
    """Pasted, `quiz restore latest` looked for a backup in the default data folder, and found none there."""
    data = tmp_path / "walk dir" / "data"
    _deleted_store_with_a_backup(data)
    code, _, err = run(capsys, "--data-dir", str(data), "list")
    assert code == 1
    command = suggested(err[err.index("Run `") :])
    assert shlex.split(command) == ["quiz", "--data-dir", str(data), "restore", "latest"]
    restored = pasted(command)
    assert restored.returncode == 0, restored.stderr
    assert (data / STORE_NAME).is_file() and not (Path(os.environ["QUIZ_HOME"]) / STORE_NAME).exists()
    assert run(capsys, "--data-dir", str(data), "list")[0] == 0


def test_without_data_dir_the_suggested_commands_are_as_written(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QUIZ_HOME (or the default folder) is found by a pasted command as it was by quiz: nothing is added."""
    data = tmp_path / "walk dir" / "data"
    monkeypatch.setenv("QUIZ_HOME", str(data))
    code, out, _ = run(capsys, "new", "Pharmacology")
    assert code == 0 and out.splitlines()[1] == (
        f"edit it, then check it with `quiz validate {shlex.quote(str(data / 'decks' / 'pharmacology.yaml'))}`"
    )
    _deleted_store_with_a_backup(data)
    code, _, err = run(capsys, "list")
    assert code == 1 and "Run `quiz restore latest` to bring it back" in err


def test_a_suggested_command_names_the_data_folder_and_nothing_else_changes() -> None:
    said = "start it (`quiz` alone), then `quiz list`; quiz's decks, `quizzes`, and `other quiz x` stay"
    with commands_naming(Path("/walk dir/data")):
        named = suggested_commands(said)
    assert named == (
        "start it (`quiz --data-dir '/walk dir/data'` alone), then `quiz --data-dir '/walk dir/data' list`; quiz's"
        " decks, `quizzes`, and `other quiz x` stay"
    )
    assert suggested_commands(said) == said  # the block ended: none named
