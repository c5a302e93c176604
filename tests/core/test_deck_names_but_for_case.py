"""Two deck files whose names differ only in case (`Pharm.yaml`, `pharm.yaml`) both load on Linux, but macOS's and
Windows' disks, and a folder synced with them, keep one file for the two: syncing the deck folder loses one. The
later is warned of, with a name to rename it to, in `quiz validate`, `quiz list` and Home (its warnings)."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from quiz.core.library import case_clashes, load_decks
from quiz.core.store import Store
from tests.conftest import basic_deck_yaml
from tests.conftest import run_cli as run


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "decks"
    (root / "sub").mkdir(parents=True)
    (root / "Pharm.yaml").write_text(basic_deck_yaml(2, "pa"), encoding="utf-8")
    (root / "pharm.yaml").write_text(basic_deck_yaml(2, "pb"), encoding="utf-8")
    (root / "pharm-2.yaml").write_text(basic_deck_yaml(2, "pc"), encoding="utf-8")  # the first free name is taken
    (root / "sub" / "PHARM.yaml").write_text(basic_deck_yaml(2, "pd"), encoding="utf-8")  # another folder: no clash
    return root


def test_the_later_of_two_names_differing_only_in_case_is_warned_of_and_both_load(folder: Path) -> None:
    results = {Path(result.path).relative_to(folder).as_posix(): result for result in load_decks([folder])}
    assert all(result.deck is not None for result in results.values())  # a warning: nothing is lost
    (warning,) = [problem for result in results.values() for problem in result.problems]
    assert warning.path == str(folder / "pharm.yaml") and warning.severity == "warning"
    assert warning.message.startswith("its name differs only in case from Pharm.yaml beside it")
    assert warning.hint.startswith("rename this file, e.g. to pharm-3.yaml")


def test_validate_and_list_say_which_to_rename(capsys, tmp_path: Path, folder: Path) -> None:
    Store.in_folder(tmp_path / "data").close()  # `list` reads an existing data folder
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "validate", str(folder))
    assert code == 0, err  # a warning, not an error
    assert f"{folder / 'pharm.yaml'}: warning: its name differs only in case from Pharm.yaml" in out
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "--deck", str(folder), "list")
    assert code == 0, err
    (said,) = [line for line in out.splitlines() if "differs only in case" in line]
    assert said.startswith(f"{folder / 'pharm.yaml'}: warning: its name differs only in case from Pharm.yaml")
    assert "rename this file, e.g. to pharm-3.yaml" in said


def test_a_folder_of_thousands_of_deck_files_is_checked_at_once(tmp_path: Path) -> None:
    """Home checks every start: each name was compared with every name before it, 3 s for 5,000 deck files."""
    files = [tmp_path / f"{'D' if n % 2 else 'd'}eck{n // 2:05d}.yaml" for n in range(10_000)]
    started = time.perf_counter()
    clashes = case_clashes(files)
    assert time.perf_counter() - started < 1.0  # ~50 ms; it took 10 s
    assert len(clashes) == 5_000
    assert clashes[0].path == str(tmp_path / "deck00000.yaml") and "e.g. to deck00000-2.yaml" in clashes[0].hint


def test_names_macos_takes_for_one_are_warned_of_whatever_their_accents_encoding_or_folders(tmp_path: Path) -> None:
    """`café.yaml` composed and decomposed (as a Mac names it) are two files on Linux, one on macOS's disk; so are
    `Sub/x.yaml` and `sub/X.yaml`, whose folders it takes for one. Neither was warned of."""
    composed, decomposed = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    (tmp_path / "Sub").mkdir()
    (tmp_path / "sub").mkdir()
    for n, name in enumerate([f"{composed}.yaml", f"{decomposed}.yaml", "Sub/x.yaml", "sub/X.yaml", "Ét.yaml"]):
        (tmp_path / name).write_text(basic_deck_yaml(1, f"d{n}"), encoding="utf-8")
    (tmp_path / unicodedata.normalize("NFD", "ét.yaml")).write_text(basic_deck_yaml(1, "d5"), encoding="utf-8")
    warned = {  # composed, to be compared; the later in sort order is warned of
        unicodedata.normalize("NFC", Path(problem.path).relative_to(tmp_path).as_posix()): unicodedata.normalize(
            "NFC", problem.message
        )
        for result in load_decks([tmp_path])
        for problem in result.problems
    }
    assert warned == {
        f"{composed}.yaml": f"its name differs from {composed}.yaml beside it only in how its accents are encoded:"
        " macOS's disk, and a folder synced with it, keeps one file for the two, so syncing the deck folder loses one",
        "Ét.yaml": "its name differs from ét.yaml beside it only in case and in how its accents are encoded:"
        " macOS's disk, and a folder synced with it, keeps one file for the two, so syncing the deck folder loses one",
        "sub/X.yaml": f"its path differs only in case from {tmp_path / 'Sub' / 'x.yaml'}: macOS's and Windows'"
        " disks, and a folder synced with them, keep one file for the two, so syncing the deck folder loses one",
    }
