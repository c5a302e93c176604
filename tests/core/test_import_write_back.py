"""An import that updates a deck already in the deck folder writes the user's own file: it never writes over
an edit she saved meanwhile, and a deck she keeps elsewhere (linked into the deck folder) or private stays so."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli as run


def _import(data: Path, capsys, file: Path) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(data), "import", str(file))


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
