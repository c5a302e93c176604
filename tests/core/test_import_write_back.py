"""An import that updates a deck already in the deck folder writes the user's own file: it never writes over
an edit she saved meanwhile, and a deck she keeps elsewhere (linked into the deck folder) or private stays so."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core.decks import load_deck_file
from quiz.core.store import Store
from tests.conftest import run_cli as run

ROOT = Path(__file__).resolve().parents[2]
UPDATE = Path(__file__).parents[1] / "data" / "anki" / "update"
EXPECTED = json.loads((UPDATE / "expected.json").read_text(encoding="utf-8"))


def _import(data: Path, capsys, file: Path) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(data), "import", str(file))


def _save_as_an_editor_does(path: Path, text: str) -> None:
    """vim's and most editors' save: a new file renamed over the old."""
    saved = path.with_name(f"{path.name}~")
    saved.write_text(text, encoding="utf-8")
    os.replace(saved, path)


def _saved_while_the_history_is_made(monkeypatch: pytest.MonkeyPatch, deck: Path, hers: str) -> Callable[..., object]:
    """The next import's history (seconds, after the deck was read) made while her editor saves `hers` over `deck`.
    Returns the history as it was, to put back."""
    real = importing.anki_history

    def history_while_she_saves(*args: object, **kwargs: object) -> object:
        _save_as_an_editor_does(deck, hers)
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "anki_history", history_while_she_saves)
    return real


def _moved_to_notes(deck: Path, notes: Path) -> Path:
    """Her deck moved into her notes folder `notes` (made here) and linked back into the deck folder: the file
    the link now names."""
    notes.mkdir()
    kept = notes / deck.name
    os.replace(deck, kept)
    deck.symlink_to(kept)
    return kept


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and permission bits")
def test_an_update_writes_through_a_linked_deck_and_keeps_it_private(tmp_path: Path, capsys) -> None:
    data, notes = tmp_path / "data", tmp_path / "notes"
    words = tmp_path / "words.csv"
    words.write_text("front,back\nq1,a1\nq2,a2\n", encoding="utf-8")
    assert _import(data, capsys, words)[0] == 0
    deck = data / "decks" / "words.yaml"
    kept = _moved_to_notes(deck, notes)
    kept.chmod(0o600)
    words.write_text("front,back\nq1,a1\nq2,a2 corrected\n", encoding="utf-8")
    code, out, err = _import(data, capsys, words)
    assert code == 0, err
    assert "1 updated" in out and out.splitlines()[0] == str(kept.resolve())  # the file written is named
    assert deck.is_symlink() and deck.resolve() == kept  # the link stays hers
    assert "back: a2 corrected" in kept.read_text(encoding="utf-8")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert sorted(p.name for p in notes.iterdir()) == ["words.yaml"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_replace_replaces_a_link_to_another_deck_and_never_writes_through_it(tmp_path: Path, capsys) -> None:
    """A link in the deck folder (synced, or written by a tool) named as the import's deck but leading to another
    deck of hers: `--replace` wrote the import's deck into her other file, her years of notes gone."""
    data, notes = tmp_path / "data", tmp_path / "notes"
    (data / "decks").mkdir(parents=True)
    notes.mkdir()
    biology = notes / "biology.yaml"
    biology.write_text(
        "deck: biology\ntitle: Biology\ncards:\n  - {id: cell, kind: basic, front: cell, back: unit of life}\n",
        encoding="utf-8",
    )
    hers = biology.read_bytes()
    link = data / "decks" / "words.yaml"
    link.symlink_to(biology)
    words = tmp_path / "words.csv"
    words.write_text("front,back\nq1,a1\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(words), "--replace")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == str(link) and lines[2] == "replaced deck 'biology' (not imported from it)"
    assert lines[1].startswith(f"your deck file stays as it was: {biology};") and lines[1].endswith(".import.json")
    assert biology.read_bytes() == hers
    assert not link.is_symlink() and load_deck_file(link).deck.id == "words"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_link_named_as_the_deck_leading_nowhere_is_named_as_such(tmp_path: Path, capsys) -> None:
    """Her deck kept on a drive not mounted, linked into the deck folder: every import said the deck `was changed
    while the import ran`, and running it again, as that said, gave the same."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    link = data / "decks" / "words.yaml"
    link.symlink_to(tmp_path / "usb" / "words.yaml")
    words = tmp_path / "words.csv"
    words.write_text("front,back\nq1,a1\n", encoding="utf-8")
    code, _, err = _import(data, capsys, words)
    assert code == 1 and "was changed while the import ran" not in err
    assert f"{link} is a link to {tmp_path / 'usb' / 'words.yaml'}, which is not there (a drive not connected?)" in err
    assert "connect it and import again, or remove the link" in err
    assert link.is_symlink() and sorted(p.name for p in link.parent.iterdir()) == ["words.yaml"]


_KILLED_IMPORT = """
import sys, time
from quiz.cli import main
from quiz.commands import importing

def hold(*args, **kwargs):  # the deck is staged and the history is being made: hold here, to be killed
    print("staged", flush=True)
    time.sleep(600)

importing.anki_history = hold
main(["--data-dir", sys.argv[1], "import", sys.argv[2]])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and SIGKILL")
def test_what_an_update_killed_while_writing_a_linked_deck_left_goes_at_the_next_import(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """The deck file a link names is written beside it, where the next import looked for nothing: what a killed
    update staged there (the whole deck) stayed in her notes folder for good."""
    monkeypatch.setenv("QUIZ_NOW", "2030-01-01T00:00:00Z")
    data, notes = tmp_path / "data", tmp_path / "notes"
    assert _import(data, capsys, UPDATE / "v1.apkg")[0] == 0
    deck = data / "decks" / "v1.yaml"
    _moved_to_notes(deck, notes)
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_IMPORT, str(data), str(UPDATE / "v2.apkg")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout and child.stdout.readline() == "staged\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert [p.name for p in notes.iterdir() if ".quiz-" in p.name]  # the staged deck, beside the file it replaces
    code, out, err = _import(data, capsys, UPDATE / "v2.apkg")
    assert code == 0, err
    assert sorted(p.name for p in notes.iterdir()) == ["v1.yaml"]
    assert not [p.name for p in deck.parent.iterdir() if ".quiz-" in p.name]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_linked_deck_her_editor_replaced_by_a_file_meanwhile_is_not_updated_elsewhere(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """Her editor saved the deck she opened through its link by renaming a new file over the link, while the
    history was made: the import wrote the update into the file the link had named, no longer loaded, and said
    nothing."""
    monkeypatch.setenv("QUIZ_NOW", "2030-01-01T00:00:00Z")
    data, notes = tmp_path / "data", tmp_path / "notes"
    assert _import(data, capsys, UPDATE / "v1.apkg")[0] == 0
    deck = data / "decks" / "v1.yaml"
    kept = _moved_to_notes(deck, notes)
    before = kept.read_bytes()
    hers = kept.read_text(encoding="utf-8").replace("back: Protamine\n", "back: Protamine sulfate\n")
    _saved_while_the_history_is_made(monkeypatch, deck, hers)
    code, _, err = _import(data, capsys, UPDATE / "v2.apkg")
    assert code == 1 and f"{deck} was changed while the import ran" in err and "run the import again" in err
    assert kept.read_bytes() == before and deck.read_text(encoding="utf-8") == hers
    assert sorted(p.name for p in notes.iterdir()) == ["v1.yaml"]


def test_an_edit_saved_while_an_import_runs_is_never_written_over(tmp_path: Path, capsys, monkeypatch) -> None:
    """The history of a shared deck takes seconds to make, after the deck was read: an edit she saved then was
    silently undone by the import's text."""
    monkeypatch.setenv("QUIZ_NOW", "2030-01-01T00:00:00Z")
    data = tmp_path / "data"
    assert _import(data, capsys, UPDATE / "v1.apkg")[0] == 0
    deck = data / "decks" / "v1.yaml"
    hers = deck.read_text(encoding="utf-8").replace("back: Protamine\n", "back: Protamine sulfate\n")
    real = _saved_while_the_history_is_made(monkeypatch, deck, hers)
    code, _out, err = _import(data, capsys, UPDATE / "v2.apkg")
    assert code == 1
    assert f"{deck} was changed while the import ran" in err and "run the import again" in err
    assert deck.read_text(encoding="utf-8") == hers
    assert not [p.name for p in deck.parent.iterdir() if ".quiz-" in p.name]  # no staged file left
    store = Store.in_folder(data)
    try:
        assert store.review_count() == EXPECTED["v1"]["revlog_count"]  # the history waits for the import
    finally:
        store.close()
    monkeypatch.setattr(importing, "anki_history", real)
    code, out, err = _import(data, capsys, UPDATE / "v2.apkg")  # again, as told
    assert code == 0, err
    assert "1 updated" in out and "1 note you edited" in out
    assert "back: Protamine sulfate\n" in deck.read_text(encoding="utf-8")


def _save_in_place_within_the_same_tick(path: Path, text: str) -> None:
    """nano's, or vim's with backupcopy=yes: the same file written over, here within the file system's time
    granularity (a second on ext3 and HFS+, two on FAT), so its identity and time stamp stay as they were."""
    before = path.stat()
    with open(path, "r+", encoding="utf-8", newline="") as file:
        file.write(text)
        file.truncate()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def _import_while_she_saves(data: Path, capsys, monkeypatch, save: Callable[[], None]) -> tuple[int, str, str]:
    """Import v2 over v1, `save` running while its history is made (seconds, for a shared deck)."""
    real = importing.anki_history

    def history_while_she_saves(*args: object, **kwargs: object) -> object:
        save()
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "anki_history", history_while_she_saves)
    return _import(data, capsys, UPDATE / "v2.apkg")


def test_an_edit_saved_in_place_in_the_same_tick_is_never_written_over(tmp_path: Path, capsys, monkeypatch) -> None:
    """Told only by its identity and time stamp, her edit saved in place within the time stamp's granularity
    was written over."""
    monkeypatch.setenv("QUIZ_NOW", "2030-01-01T00:00:00Z")
    data = tmp_path / "data"
    assert _import(data, capsys, UPDATE / "v1.apkg")[0] == 0
    deck = data / "decks" / "v1.yaml"
    hers = deck.read_text(encoding="utf-8").replace("back: Protamine\n", "back: Protamine sulfate\n")
    code, _out, err = _import_while_she_saves(
        data, capsys, monkeypatch, lambda: _save_in_place_within_the_same_tick(deck, hers)
    )
    assert code == 1 and f"{deck} was changed while the import ran" in err
    assert deck.read_text(encoding="utf-8") == hers


def test_a_save_that_left_the_same_bytes_does_not_stop_the_import(tmp_path: Path, capsys, monkeypatch) -> None:
    """`:w` with nothing changed renames a new file over the deck: the import stopped, though nothing of hers
    would be written over."""
    monkeypatch.setenv("QUIZ_NOW", "2030-01-01T00:00:00Z")
    data = tmp_path / "data"
    assert _import(data, capsys, UPDATE / "v1.apkg")[0] == 0
    deck = data / "decks" / "v1.yaml"
    hers = deck.read_text(encoding="utf-8")
    inode = deck.stat().st_ino
    code, out, err = _import_while_she_saves(data, capsys, monkeypatch, lambda: _save_as_an_editor_does(deck, hers))
    assert code == 0, err
    assert "1 updated" in out and deck.stat().st_ino != inode
    store = Store.in_folder(data)
    try:
        assert store.review_count() > EXPECTED["v1"]["revlog_count"]  # v2's history came along
    finally:
        store.close()


def test_an_immutable_deck_is_named_when_the_update_cannot_replace_it(tmp_path: Path, capsys) -> None:
    """`chattr +i` (or a deck open in a Windows editor): the rename fails, and the import named its temporary
    file, gone by then, instead of her deck."""
    data = tmp_path / "data"
    words = tmp_path / "words.csv"
    words.write_text("front,back\nq1,a1\n", encoding="utf-8")
    assert _import(data, capsys, words)[0] == 0
    deck = data / "decks" / "words.yaml"
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(deck)], capture_output=True).returncode:
        pytest.skip("cannot make a file immutable here (needs root and a file system with the flag)")
    try:
        words.write_text("front,back\nq1,a1 corrected\n", encoding="utf-8")
        code, _out, err = _import(data, capsys, words)
    finally:
        subprocess.run(["chattr", "-i", str(deck)], check=True)
    assert code == 1 and f"cannot write {deck}: Operation not permitted" in err and ".quiz-" not in err


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_an_update_keeps_the_deck_s_windows_line_ends_and_byte_order_mark(tmp_path: Path, capsys, bom: bytes) -> None:
    """Saved by a Windows editor (or checked out by git with autocrlf), the deck came back with Unix line ends and
    no mark: every line of it changed in a diff."""
    data = tmp_path / "data"
    words = tmp_path / "words.csv"
    words.write_text("front,back\nq1,a1\nq2,a2\n", encoding="utf-8")
    assert _import(data, capsys, words)[0] == 0
    deck = data / "decks" / "words.yaml"
    hers = deck.read_text(encoding="utf-8").replace("back: a1\n", "back: a1 (mine)\n")
    deck.write_bytes(bom + hers.replace("\n", "\r\n").encode("utf-8"))
    words.write_text("front,back\nq1,a1\nq2,a2 corrected\nq3,a3\n", encoding="utf-8")
    code, out, err = _import(data, capsys, words)
    assert code == 0, err
    assert "1 updated, 1 new" in out
    written = deck.read_bytes()
    assert written.startswith(bom + b"#") and written.count(b"\n") == written.count(b"\r\n") > 10
    text = written.decode("utf-8-sig")
    assert "back: a1 (mine)\r\n" in text and "back: a2 corrected\r\n" in text and "front: q3\r\n" in text
    assert load_deck_file(deck).ok
