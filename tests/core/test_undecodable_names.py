"""A file name or an argument in bytes that are not UTF-8 (a Latin-1 `café`, from an old archive or a terminal
set to Latin-1): Python holds each such byte as a lone surrogate, which no UTF-8 deck file can hold. A deck quiz
writes from one shows it as `�`: `import` crashed writing it, and `new` wrote a deck that did not load."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from tests.conftest import run_main_process as quiz

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="file names there are UTF-16, never bytes")

LATIN1_CAFE = os.fsdecode(b"caf\xe9")  # 'caf\udce9'


def _title_of(path: Path) -> str:
    result = load_deck_file(path)
    assert result.deck is not None and result.ok, result.problems
    return result.deck.title


def test_import_of_a_file_named_in_latin1_writes_a_deck_that_loads(tmp_path: Path) -> None:
    source = tmp_path / f"{LATIN1_CAFE}.csv"
    source.write_text("front,back\ncroissant,a pastry\n", encoding="utf-8")
    data = tmp_path / "data"
    done = quiz(data, "import", str(source))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    [deck] = (data / "decks").glob("*.yaml")
    assert _title_of(deck) == "caf\ufffd"
    titled = quiz(data, "import", str(source), "--deck-id", "cafe2", "--title", f"Menu du {LATIN1_CAFE}")
    assert titled.returncode == 0, titled.stderr
    assert _title_of(data / "decks" / "cafe2.yaml") == "Menu du caf\ufffd"


def test_new_with_a_latin1_title_writes_a_deck_that_loads(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = quiz(data, "new", "cafe", "--title", f"Le {LATIN1_CAFE}")
    assert done.returncode == 0, done.stderr
    assert _title_of(data / "decks" / "cafe.yaml") == "Le caf\ufffd"
    assert quiz(data, "validate", str(data / "decks" / "cafe.yaml")).returncode == 0
