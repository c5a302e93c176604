"""An import that updates a deck already in the deck folder writes the user's own file: it never writes over
an edit she saved meanwhile, and a deck she keeps elsewhere (linked into the deck folder) or private stays so."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core.decks import load_deck_file
from quiz.core.store import Store
from tests.conftest import run_cli as run

UPDATE = Path(__file__).parents[1] / "data" / "anki" / "update"
EXPECTED = json.loads((UPDATE / "expected.json").read_text(encoding="utf-8"))


def _import(data: Path, capsys, file: Path) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(data), "import", str(file))


def _save_as_an_editor_does(path: Path, text: str) -> None:
    """vim's and most editors' save: a new file renamed over the old."""
    saved = path.with_name(f"{path.name}~")
    saved.write_text(text, encoding="utf-8")
    os.replace(saved, path)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and permission bits")
def test_an_update_writes_through_a_linked_deck_and_keeps_it_private(tmp_path: Path, capsys) -> None:
    data, notes = tmp_path / "data", tmp_path / "notes"
    words = tmp_path / "words.csv"
    words.write_text("front,back\nq1,a1\nq2,a2\n", encoding="utf-8")
    assert _import(data, capsys, words)[0] == 0
    notes.mkdir()
    deck = data / "decks" / "words.yaml"
    kept = notes / "words.yaml"  # her deck moved into her notes, linked back into the deck folder
    os.replace(deck, kept)
    deck.symlink_to(kept)
    kept.chmod(0o600)
    words.write_text("front,back\nq1,a1\nq2,a2 corrected\n", encoding="utf-8")
    code, out, err = _import(data, capsys, words)
    assert code == 0, err
    assert "1 updated" in out
    assert deck.is_symlink() and deck.resolve() == kept  # the link stays hers
    assert "back: a2 corrected" in kept.read_text(encoding="utf-8")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert sorted(p.name for p in notes.iterdir()) == ["words.yaml"]


def test_an_edit_saved_while_an_import_runs_is_never_written_over(tmp_path: Path, capsys, monkeypatch) -> None:
    """The history of a shared deck takes seconds to make, after the deck was read: an edit she saved then was
    silently undone by the import's text."""
    monkeypatch.setenv("QUIZ_NOW", "2030-01-01T00:00:00Z")
    data = tmp_path / "data"
    assert _import(data, capsys, UPDATE / "v1.apkg")[0] == 0
    deck = data / "decks" / "v1.yaml"
    hers = deck.read_text(encoding="utf-8").replace("back: Protamine\n", "back: Protamine sulfate\n")
    real = importing.anki_history

    def history_while_she_saves(*args: object, **kwargs: object) -> object:
        _save_as_an_editor_does(deck, hers)
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "anki_history", history_while_she_saves)
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
