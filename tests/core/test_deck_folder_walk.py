"""Finding the deck files in a folder: every deck, sorted, subfolders included; hidden names left out, and
hidden folders never read (a .git of tens of thousands of files, looked at by Home every two seconds)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.core.deckfile import deck_files, trees_read

# What macOS writes beside a file on exFAT and network drives: Finder's metadata, binary, never a deck.
APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "decks"
    for name in ("b.yaml", "a.yml", "topic/z.yaml", "topic/deeper/c.yaml", "notes.txt", "dir.yaml/inside.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("deck: x\n", encoding="utf-8")
    (root / "gone.yaml").symlink_to(root / "missing")  # a broken link is reported, so it is listed
    (root / "again").symlink_to(root / "topic")  # a link to a folder read already is not followed
    for hidden in (".git/objects/ab/deck.yaml", ".stversions/b~20261130.yaml", "topic/.trash/z.yaml"):
        (root / hidden).parent.mkdir(parents=True, exist_ok=True)
        (root / hidden).write_text("deck: x\n", encoding="utf-8")
    (root / "._b.yaml").write_bytes(APPLEDOUBLE)
    (root / "topic" / "._z.yaml").write_bytes(APPLEDOUBLE)
    return root


def test_a_folders_decks_are_listed_sorted_without_hidden_names(folder: Path) -> None:
    assert [str(path.relative_to(folder)) for path in deck_files([folder])] == [
        "a.yml",
        "b.yaml",
        "dir.yaml/inside.yaml",
        "gone.yaml",
        "topic/deeper/c.yaml",
        "topic/z.yaml",
    ]


def test_a_folder_named_relatively_lists_the_same_files(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder / "topic")
    assert deck_files(["."]) == [Path("deeper/c.yaml"), Path("z.yaml")]
    assert deck_files([".."])[0] == Path("../a.yml")


def test_hidden_folders_are_not_read(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    scandir = os.scandir

    def listing(path: str) -> Iterator[os.DirEntry[str]]:
        read.append(os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", listing)
    assert deck_files([folder])
    assert read and not [path for path in read if "/." in path]


def test_a_folder_linked_in_from_elsewhere_is_read_once_and_a_loop_in_it_ends(tmp_path: Path, folder: Path) -> None:
    shared = tmp_path / "Dropbox" / "pharm"
    (shared / "week1").mkdir(parents=True)
    (shared / "week1" / "pk.yaml").write_text("deck: pk\n", encoding="utf-8")
    (shared / "week1" / "up").symlink_to(shared)  # a loop inside the linked folder
    (shared / "home").symlink_to(folder)  # a link back into the deck folder
    (folder / "pharm").symlink_to(shared)
    (folder / "pharm-again").symlink_to(shared / "week1")  # inside a linked folder read already
    linked = [str(path.relative_to(folder)) for path in deck_files([folder]) if "pk" in path.name]
    assert linked == ["pharm/week1/pk.yaml"]


def test_a_link_to_a_folder_holding_the_deck_folder_is_not_read(tmp_path: Path) -> None:
    # ln -s ~ (or /, or ..) into the deck folder, or one planted by a shared archive: walking the folder that holds
    # the deck folder read every file of the home or of the disk at each look (Home's, every two seconds) and
    # loaded the stray .yaml files there (an export, another program's) as decks
    home = tmp_path / "home"
    decks = home / ".local" / "quiz" / "decks"
    decks.mkdir(parents=True)
    (decks / "pharm.yaml").write_text("deck: pharm\n", encoding="utf-8")
    (home / "docker-compose.yaml").write_text("services: {}\n", encoding="utf-8")
    (decks / "home").symlink_to(home)
    (decks / "up").symlink_to("..")
    assert [path.relative_to(decks) for path in deck_files([decks])] == [Path("pharm.yaml")]
    assert trees_read(decks) == [Path(os.path.realpath(decks))]
