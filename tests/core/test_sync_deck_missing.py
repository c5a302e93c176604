"""A second machine set up from the synced folder gets the progress of the decks studied on the first, not the deck
files (`quiz sync` shares progress only): its first sync says which decks it lacks, rather than leave Home
without them and Stats counting their answers as if nothing were wrong."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import bare_repository, basic_deck_yaml, quiz_succeeds
from tests.core.test_anki_history import DATA, TODAY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def test_a_machine_whose_first_sync_brings_progress_of_a_deck_it_lacks_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    remote = str(bare_repository(tmp_path / "progress.git"))
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    quiz_succeeds(capsys, laptop, "import", str(DATA / "current.apkg"))
    first = quiz_succeeds(capsys, laptop, "sync", "--git", remote, "--folder", str(tmp_path / "laptop-progress"))
    assert "note:" not in first  # the machine that has the deck

    out = quiz_succeeds(capsys, desk, "sync", "--git", remote, "--folder", str(tmp_path / "desk-progress"))

    lines = out.splitlines()
    assert lines[0].startswith("synced with ")
    assert lines[1] == (
        f"note: the progress of deck 'current' came from your other machines, but this machine has no such deck"
        f" (its deck folder: {desk / 'decks'}): sync shares progress, not deck files; commit the deck folder to the"
        " repository on the machine that has it, and link this machine's to the clone's (see quiz's Sync guide,"
        " 'Decks in the repository': docs/sync.md in quiz's source); the progress waits in the store"
    )

    office = tmp_path / "office"  # its deck folder in place before its first sync
    shutil.copytree(laptop / "decks", office / "decks")
    out = quiz_succeeds(capsys, office, "sync", "--git", remote, "--folder", str(tmp_path / "office-progress"))
    assert "received 0 " not in out
    assert "note:" not in out


def test_through_a_synced_folder_the_note_says_to_keep_the_deck_folder_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    shared = tmp_path / "Sync"
    shared.mkdir()
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    quiz_succeeds(capsys, laptop, "import", str(DATA / "current.apkg"))
    quiz_succeeds(capsys, laptop, "sync", "--folder", str(shared))

    out = quiz_succeeds(capsys, desk, "sync", "--folder", str(shared))

    assert out.splitlines()[1].endswith(
        "sync shares progress, not deck files; keep your deck folder in the synced folder (see quiz's Sync guide, 'Set"
        " it up once': docs/sync.md in quiz's source); the progress waits in the store"
    )


def test_a_deck_whose_file_is_here_but_does_not_load_is_said_not_to_load_and_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note said "no such deck", and to move the deck folder, of a deck folder that holds the deck: its file
    is there, and only an edit broke it."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    remote = str(bare_repository(tmp_path / "progress.git"))
    laptop, desk = tmp_path / "laptop", tmp_path / "my desk"
    quiz_succeeds(capsys, laptop, "import", str(DATA / "current.apkg"))
    quiz_succeeds(capsys, laptop, "sync", "--git", remote, "--folder", str(tmp_path / "laptop-progress"))
    broken = desk / "decks" / "current.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text((laptop / "decks" / "current.yaml").read_text(encoding="utf-8") + "  - [\n", encoding="utf-8")

    out = quiz_succeeds(capsys, desk, "sync", "--git", remote, "--folder", str(tmp_path / "desk-progress"))

    assert out.splitlines()[1:] == [
        f"note: the progress of deck 'current' came from your other machines, but its file here does not load:"
        f" {broken} (`quiz --data-dir '{desk}' validate '{broken}'` says why); the progress waits in the store"
    ]


def test_a_deck_in_the_clone_already_is_said_to_want_the_deck_folder_linked_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new machine's clone held the deck the first machine committed, and the note sent her to commit the deck
    folder on the machine that has it: done already. The step left is to link this machine's deck folder there."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    remote = str(bare_repository(tmp_path / "dotfiles.git"))
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    quiz_succeeds(capsys, laptop, "import", str(DATA / "current.apkg"))
    clone = tmp_path / "laptop-dotfiles"
    quiz_succeeds(capsys, laptop, "sync", "--git", remote, "--folder", str(clone))
    (laptop / "decks").rename(clone / "decks")  # as docs/sync.md, "Decks in the repository", says
    (laptop / "decks").symlink_to(clone / "decks")
    git = ["git", "-C", str(clone), "-c", "user.name=me", "-c", "user.email=me@example.org"]
    subprocess.run([*git, "add", "decks"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "quiz decks"], check=True)
    quiz_succeeds(capsys, laptop, "sync")

    desk_clone = tmp_path / "desk-dotfiles"
    out = quiz_succeeds(capsys, desk, "sync", "--git", remote, "--folder", str(desk_clone))

    mine, there = desk / "decks", desk_clone / "decks"
    assert out.splitlines()[1:] == [
        f"note: the progress of deck 'current' came from your other machines, and its file is in {there}, but this"
        f" machine's deck folder is {mine}: link it there (`ln -s {there} {mine}`; see quiz's Sync guide, 'Set it up"
        " once': docs/sync.md in quiz's source); the progress waits in the store"
    ]
    mine.symlink_to(there)
    assert "note:" not in quiz_succeeds(capsys, desk, "sync")
    assert "current" in quiz_succeeds(capsys, desk, "list")


def test_a_deck_in_the_synced_folder_is_said_to_want_the_deck_folder_moved_and_linked_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same through a synced folder, this machine's deck folder holding a deck of its own: moved there first."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    shared = tmp_path / "Sync"
    shared.mkdir()
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    quiz_succeeds(capsys, laptop, "import", str(DATA / "current.apkg"))
    quiz_succeeds(capsys, laptop, "sync", "--folder", str(shared))
    (laptop / "decks").rename(shared / "decks")
    mine, there = desk / "decks", shared / "decks"
    mine.mkdir(parents=True)
    (mine / "own.yaml").write_text(basic_deck_yaml(1, "own"), encoding="utf-8")

    out = quiz_succeeds(capsys, desk, "sync", "--folder", str(shared))

    assert out.splitlines()[1] == (
        f"note: the progress of deck 'current' came from your other machines, and its file is in {there}, but this"
        f" machine's deck folder is {mine}: link it there (its own decks moved there first: `mv -n {mine}/* {there}/`,"
        f" then `rmdir {mine} && ln -s {there} {mine}`; see quiz's Sync guide, 'Set it up once': docs/sync.md in"
        " quiz's source); the progress waits in the store"
    )
    subprocess.run(f"mv -n {mine}/* {there}/ && rmdir {mine} && ln -s {there} {mine}", shell=True, check=True)
    assert "note:" not in quiz_succeeds(capsys, desk, "sync")
    listed = quiz_succeeds(capsys, desk, "list")
    assert "current" in listed and "own" in listed
