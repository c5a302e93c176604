"""The commands quiz prints for her to run work when pasted into a shell as they are, in a data folder whose
path holds a space ("walk dir", iCloud's "Mobile Documents"): each path is one word of the command."""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.conftest import run_cli as run

BROKEN = "deck: b\ntitle: B\ncards:\n" + "".join(f"  - {{id: c{n}, kind: basic, front: q}}\n" for n in range(9))


def command_in(line: str, start: str) -> list[str]:
    """The words of the command that starts with `start` in `line`, as a shell splits it (up to a backquote)."""
    return shlex.split(line[line.index(start) :].split("`")[0])


def test_new_says_how_to_validate_the_deck_in_a_folder_with_a_space(capsys, tmp_path: Path) -> None:
    data = tmp_path / "walk dir" / "data"
    code, out, _ = run(capsys, "--data-dir", str(data), "new", "Pharmacology")
    assert code == 0
    assert command_in(out.splitlines()[1], "quiz validate") == [
        "quiz",
        "validate",
        str(data / "decks" / "pharmacology.yaml"),
    ]


def test_list_says_how_to_validate_a_deck_that_did_not_load(capsys, tmp_path: Path) -> None:
    data = tmp_path / "walk dir" / "data"
    (data / "decks").mkdir(parents=True)
    broken = data / "decks" / "my deck.yaml"
    broken.write_text(BROKEN)
    code, out, _ = run(capsys, "--data-dir", str(data), "list")
    [line] = [line for line in out.splitlines() if "not loaded" in line]
    assert code == 0 and command_in(line, "quiz validate") == ["quiz", "validate", str(broken)]


def test_add_of_a_folder_or_a_package_says_the_command_to_run(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "my decks"
    folder.mkdir()
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(folder))
    assert code == 1 and command_in(err, "--deck") == ["--deck", str(folder)]
    package = tmp_path / "my decks" / "Nursing 101.apkg"
    package.write_bytes(b"PK")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(package))
    assert code == 1 and command_in(err, "quiz import") == ["quiz", "import", str(package)]


def test_export_of_a_deck_file_with_errors_says_how_to_validate_it(capsys, tmp_path: Path) -> None:
    broken = tmp_path / "walk dir" / "my deck.yaml"
    broken.parent.mkdir()
    broken.write_text(BROKEN)
    code, _, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "export", str(broken), "-o", str(tmp_path / "x.csv")
    )
    assert code == 1 and command_in(err, "quiz validate") == ["quiz", "validate", str(broken)]
