"""A deck imported, added or edited in a deck folder kept in the git clone that sync goes through (docs/sync.md,
"Decks in the repository") reaches the other machines only once committed: `quiz sync` commits its own files only,
and said nothing of a deck left uncommitted, so a new version imported on one machine never came to the other. The
import, `quiz add` and each sync say so, with the commands that commit it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import bare_repository, quiz_succeeds
from tests.core.test_anki_history import DATA, TODAY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _syncing_through_a_clone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, clone_name: str = "progress"
) -> tuple[Path, Path]:
    """quiz's data folder `laptop`, on TODAY, set to sync through a new git clone (`clone_name`) of an empty remote:
    (the data folder, the clone)."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    remote, home, clone = bare_repository(tmp_path / "progress.git"), tmp_path / "laptop", tmp_path / clone_name
    quiz_succeeds(capsys, home, "sync", "--git", str(remote), "--folder", str(clone))
    return home, clone


def _deck_folder_in(home: Path, folder: Path) -> None:
    """`folder` made, and linked as the deck folder of the data folder `home`."""
    folder.mkdir(parents=True)
    (home / "decks").symlink_to(folder)


def _notes(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("note:")]


def test_a_deck_imported_into_the_sync_clone_and_not_committed_is_named_with_how_to_commit_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, clone = _syncing_through_a_clone(tmp_path, capsys, monkeypatch)
    _deck_folder_in(home, clone / "decks")

    out = quiz_succeeds(capsys, home, "import", str(DATA / "current.apkg"))

    assert _notes(out) == [
        f"note: not committed in the git clone {clone}, which sync goes through: decks/; your other machines get it"
        f" once you commit (`git -C {clone} add -- decks && git -C {clone} commit -m 'quiz decks'`; the next sync"
        " pushes it)"
    ]
    assert _notes(quiz_succeeds(capsys, home, "sync")) == _notes(out)  # each sync says it again, till committed
    subprocess.run(["git", "-C", str(clone), "add", "--", "decks"], check=True)
    subprocess.run(["git", "-C", str(clone), "commit", "-qm", "quiz decks"], check=True)
    assert _notes(quiz_succeeds(capsys, home, "import", str(DATA / "current.apkg"))) == []  # nothing new to commit
    assert _notes(quiz_succeeds(capsys, home, "sync")) == []

    deck = clone / "decks" / "current.yaml"  # an edit, in the app or by hand
    deck.write_text(deck.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _notes(quiz_succeeds(capsys, home, "sync")) == [
        f"note: not committed in the git clone {clone}, which sync goes through: decks/current.yaml; your other"
        f" machines get it once you commit (`git -C {clone} add -- decks && git -C {clone} commit -m 'quiz decks'`;"
        " the next sync pushes it)"
    ]


def test_a_deck_folder_outside_the_sync_clone_gets_no_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = _syncing_through_a_clone(tmp_path, capsys, monkeypatch)
    assert _notes(quiz_succeeds(capsys, home, "import", str(DATA / "current.apkg"))) == []


def test_a_deck_added_into_the_sync_clone_is_named_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, clone = _syncing_through_a_clone(tmp_path, capsys, monkeypatch, "dotfiles")
    _deck_folder_in(home, clone / "quiz" / "my decks")
    deck = tmp_path / "words.yaml"
    deck.write_text("deck: words\ntitle: Words\ncards:\n  - id: one\n    kind: basic\n    front: a\n    back: b\n")

    out = quiz_succeeds(capsys, home, "add", str(deck))

    assert _notes(out) == [
        f"note: not committed in the git clone {clone}, which sync goes through: quiz/my decks/; your other machines"
        f" get it once you commit (`git -C {clone} add -- 'quiz/my decks' && git -C {clone} commit -m 'quiz decks'`;"
        " the next sync pushes it)"
    ]


def test_a_clone_that_hides_untracked_files_from_git_status_still_names_a_new_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dotfiles repository is often set to list no untracked file (`status.showUntrackedFiles no`, since the
    home holds so many): a deck new to it was then never named, though it is what most needs committing."""
    home, clone = _syncing_through_a_clone(tmp_path, capsys, monkeypatch, "dotfiles")
    subprocess.run(["git", "-C", str(clone), "config", "status.showUntrackedFiles", "no"], check=True)
    _deck_folder_in(home, clone / "decks")

    out = quiz_succeeds(capsys, home, "import", str(DATA / "current.apkg"))

    assert [note.split(": decks/;")[0] for note in _notes(out)] == [
        f"note: not committed in the git clone {clone}, which sync goes through"
    ]


def test_a_git_status_that_never_ends_leaves_the_import_done_with_no_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git status` asked what is not committed and never answered (a file-system monitor hook that waits, a
    network disk): its time limit ended a finished import in a traceback. The import is done; git could not tell,
    so no note."""
    from quiz.core import syncgit

    home, clone = _syncing_through_a_clone(tmp_path, capsys, monkeypatch)
    _deck_folder_in(home, clone / "decks")
    hook = tmp_path / "monitor"
    hook.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    hook.chmod(0o755)
    subprocess.run(["git", "-C", str(clone), "config", "core.fsmonitor", str(hook)], check=True)
    monkeypatch.setattr(syncgit, "_TIMEOUT", 1)

    out = quiz_succeeds(capsys, home, "import", str(DATA / "current.apkg"))

    assert _notes(out) == []
    assert (clone / "decks" / "current.yaml").exists()
