"""A second machine set up from the synced folder gets the progress of the decks studied on the first, not the deck
files (`quiz sync` shares progress only): its first sync says which decks it lacks, rather than leave Home
without them and Stats counting their answers as if nothing were wrong."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.core.clock import FixedClock
from quiz.core.library import declared_deck_id
from quiz.core.store import Store
from quiz.core.sync import INTERRUPTED, STOPPED_AFTER
from tests.conftest import bare_repository, basic_deck_yaml, quiz_succeeds, record_good, run_cli
from tests.core.test_anki_history import DATA, TODAY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _laptop_synced_through_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, Path, str]:
    """Today's date; the laptop imported current.apkg and synced through a new git remote: the remote, the laptop's
    data folder and what its sync printed."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    remote = str(bare_repository(tmp_path / "progress.git"))
    laptop = tmp_path / "laptop"
    quiz_succeeds(capsys, laptop, "import", str(DATA / "current.apkg"))
    return (
        remote,
        laptop,
        quiz_succeeds(capsys, laptop, "sync", "--git", remote, "--folder", str(tmp_path / "laptop-progress")),
    )


def _laptop_synced_through_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """Today's date; the laptop imported current.apkg and synced through a new synced folder (Sync): that folder
    and the laptop's data folder."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    shared = tmp_path / "Sync"
    shared.mkdir()
    laptop = tmp_path / "laptop"
    quiz_succeeds(capsys, laptop, "import", str(DATA / "current.apkg"))
    quiz_succeeds(capsys, laptop, "sync", "--folder", str(shared))
    return shared, laptop


def test_a_machine_whose_first_sync_brings_progress_of_a_deck_it_lacks_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    remote, laptop, first = _laptop_synced_through_git(tmp_path, capsys, monkeypatch)
    desk = tmp_path / "desk"
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
    shared, laptop = _laptop_synced_through_folder(tmp_path, capsys, monkeypatch)
    desk = tmp_path / "desk"

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
    remote, laptop, _ = _laptop_synced_through_git(tmp_path, capsys, monkeypatch)
    desk = tmp_path / "my desk"
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
    shared, laptop = _laptop_synced_through_folder(tmp_path, capsys, monkeypatch)
    desk = tmp_path / "desk"
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


def _walked(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders os.walk is asked to walk from now on, by real path: the search for a deck's file walks one."""
    tops: list[Path] = []
    walk = os.walk

    def counted(top, *args, **kwargs):
        tops.append(Path(os.path.realpath(top)))
        return walk(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", counted)
    return tops


def _committed(clone: Path, *paths: str) -> None:
    git = ["git", "-C", str(clone), "-c", "user.name=me", "-c", "user.email=me@example.org"]
    subprocess.run([*git, "add", *paths], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "quiz decks"], check=True)


def _studied_in_a_clone(tmp_path: Path, capsys: pytest.CaptureFixture[str], deck_file: str, deck_id: str) -> Path:
    """A laptop whose deck `deck_id`, in its deck folder as `deck_file`, is studied, moved into the clone of
    `dotfiles.git` it syncs through, its deck folder linked there, all committed and pushed: the remote."""
    remote = bare_repository(tmp_path / "dotfiles.git")
    laptop, clone = tmp_path / "laptop", tmp_path / "laptop-dotfiles"
    given = tmp_path / deck_file
    given.write_text(basic_deck_yaml(2, deck_id), encoding="utf-8")
    quiz_succeeds(capsys, laptop, "add", str(given))
    store = Store.in_folder(laptop)
    record_good(store, "c0", deck_id=deck_id)
    store.close()
    quiz_succeeds(capsys, laptop, "sync", "--git", str(remote), "--folder", str(clone))
    (laptop / "decks").rename(clone / "decks")
    (laptop / "decks").symlink_to(clone / "decks")
    _committed(clone, "decks")
    quiz_succeeds(capsys, laptop, "sync")
    return remote


def test_a_sync_that_lacks_no_deck_walks_no_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every git sync (each `quiz sync`, each quit) walked the whole clone for decks, none missing: 0.9 s of a 2 s
    sync in a clone of 210,000 files; a dotfiles repository that is the home walked the home."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    remote = _studied_in_a_clone(tmp_path, capsys, "pharm.yaml", "pharm")
    desk, clone = tmp_path / "desk", tmp_path / "desk-dotfiles"
    quiz_succeeds(capsys, desk, "sync", "--git", str(remote), "--folder", str(clone))
    (desk / "decks").symlink_to(clone / "decks")
    assert "note:" not in quiz_succeeds(capsys, desk, "sync")
    walked = _walked(monkeypatch)
    assert "note:" not in quiz_succeeds(capsys, desk, "sync")
    assert not [top for top in walked if top.is_relative_to(clone.resolve())]


def test_a_deck_whose_file_is_named_otherwise_is_found_in_the_clone_by_the_id_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quiz add nursing.yaml` keeps that name for deck nursing-pharm: the search looked for nursing-pharm.yaml,
    and a new machine was told to commit a deck folder already in its clone."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    remote = _studied_in_a_clone(tmp_path, capsys, "nursing.yaml", "nursing-pharm")
    desk, clone = tmp_path / "desk", tmp_path / "desk-dotfiles"

    out = quiz_succeeds(capsys, desk, "sync", "--git", str(remote), "--folder", str(clone))

    mine, there = desk / "decks", clone / "decks"
    assert out.splitlines()[1] == (
        f"note: the progress of deck 'nursing-pharm' came from your other machines, and its file is in {there}, but"
        f" this machine's deck folder is {mine}: link it there (`ln -s {there} {mine}`; see quiz's Sync guide, 'Set"
        " it up once': docs/sync.md in quiz's source); the progress waits in the store"
    )


def test_a_deck_file_starting_with_a_byte_order_mark_is_found_by_its_deck_line(tmp_path: Path) -> None:
    """An editor on Windows may begin the file with a UTF-8 byte order mark: the file loaded, but its `deck:` line,
    the first, was not found, and a new machine was told to keep its deck folder where it was already."""
    file = tmp_path / "nursing.yaml"
    file.write_text("\ufeff" + basic_deck_yaml(1, "pharm"), encoding="utf-8")
    assert file.read_bytes().startswith(b"\xef\xbb\xbfdeck: pharm")
    assert declared_deck_id(file) == "pharm"


def test_files_named_after_a_missing_deck_that_are_not_it_are_never_a_place_to_move_her_decks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Empty files named after the deck (big/dNNN/sub/note0.yaml) each made a note telling her to move her own decks
    into that folder (`mv -n mine/* big/d000/sub/`) and link there: the file's name was all that was checked."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    shared = tmp_path / "Sync"
    shared.mkdir()
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    given = tmp_path / "note0.yaml"
    given.write_text(basic_deck_yaml(2, "note0"), encoding="utf-8")
    quiz_succeeds(capsys, laptop, "add", str(given))
    store = Store.in_folder(laptop)
    record_good(store, "c0", deck_id="note0")
    store.close()
    quiz_succeeds(capsys, laptop, "sync", "--folder", str(shared))
    for number in range(3):
        (shared / "big" / f"d{number:03}" / "sub").mkdir(parents=True)
        (shared / "big" / f"d{number:03}" / "sub" / "note0.yaml").write_text("", encoding="utf-8")
    (shared / "other.yaml").write_text(basic_deck_yaml(1, "other"), encoding="utf-8")
    (desk / "decks").mkdir(parents=True)
    (desk / "decks" / "own.yaml").write_text(basic_deck_yaml(1, "own"), encoding="utf-8")

    out = quiz_succeeds(capsys, desk, "sync", "--folder", str(shared))

    notes = out.splitlines()[1:]
    assert len(notes) == 1 and "this machine has no such deck" in notes[0]
    assert "mv " not in out and "ln -s" not in out


def test_the_search_follows_no_link_out_of_the_synced_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link in the synced folder to a big folder elsewhere (the home) was walked, at each sync lacking a deck."""
    shared, _ = _laptop_synced_through_folder(tmp_path, capsys, monkeypatch)
    elsewhere, desk = tmp_path / "elsewhere", tmp_path / "desk"
    (elsewhere / "sub").mkdir(parents=True)
    (elsewhere / "sub" / "current.yaml").write_text(basic_deck_yaml(1, "current"), encoding="utf-8")
    (shared / "home").symlink_to(elsewhere)
    walked = _walked(monkeypatch)

    out = quiz_succeeds(capsys, desk, "sync", "--folder", str(shared))

    assert "this machine has no such deck" in out and str(elsewhere) not in out
    assert shared.resolve() in walked
    assert not [top for top in walked if top.is_relative_to(elsewhere)]


def test_the_search_stops_after_so_many_names_and_then_says_the_deck_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A synced folder that is a big tree (a home) was walked whole at each sync lacking a deck: the search looks at
    SEARCHED_AT_MOST names, then gives up, as if the deck were not there."""
    shared, laptop = _laptop_synced_through_folder(tmp_path, capsys, monkeypatch)
    for number in range(20):
        (shared / f"a{number:02}").mkdir()
    (laptop / "decks").rename(shared / "z-decks")  # walked after the 20 folders
    found = "its file is in"
    assert found in quiz_succeeds(capsys, tmp_path / "desk", "sync", "--folder", str(shared))
    monkeypatch.setattr("quiz.context.SEARCHED_AT_MOST", 10)
    out = quiz_succeeds(capsys, tmp_path / "office", "sync", "--folder", str(shared))
    assert found not in out and "this machine has no such deck" in out


def _stopped_in_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+C as the search for a missing deck's file walks the synced folder, after the sync itself ended."""

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("quiz.core.deckfile.deck_files_within", interrupted)


def test_ctrl_c_in_the_search_after_quiz_sync_says_the_sync_ended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quiz sync` said nothing at all when stopped in the search its sync's notes make (only the sync itself
    said "sync stopped")."""
    shared, _ = _laptop_synced_through_folder(tmp_path, capsys, monkeypatch)
    _stopped_in_the_search(monkeypatch)
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "desk"), "sync", "--folder", str(shared))
    assert code == 130 and out.startswith("synced with ")
    assert err == f"quiz: {STOPPED_AFTER}\n"


def test_ctrl_c_in_the_search_after_the_sync_at_quit_says_the_sync_ended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync at quit, stopped in that search, said "sync stopped ... events go with the next sync", of a sync
    that had ended."""
    shared, _ = _laptop_synced_through_folder(tmp_path, capsys, monkeypatch)
    context = Context(tmp_path / "desk", FixedClock(TODAY), include_shipped=False)
    context.store.set_sync_folder(shared)
    _stopped_in_the_search(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        context.sync_at_quit()
    context.close()
    out, err = capsys.readouterr()
    assert out.startswith("quiz: synced with ") and err.endswith(f"quiz: {STOPPED_AFTER}\n")
    assert INTERRUPTED not in err
