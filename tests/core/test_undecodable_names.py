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


_DECK = (
    "deck: t2\ntitle: T\ntopics:\n  - {id: a, title: A}\n"
    "cards:\n  - {id: c1, kind: basic, topic: a, front: x, back: y}\n"
)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("plan", f"t2/{LATIN1_CAFE}", "--exam", "2030-01-01"), "deck 't2' has no topic 'caf\ufffd'"),
        (("plan", f"{LATIN1_CAFE}/a", "--exam", "2030-01-01"), "no loaded deck has the id 'caf\ufffd'"),
        (("plan", "t2", "--exam", f"2030-{LATIN1_CAFE}"), "'2030-caf\ufffd' is not a date"),
        (("export", "--reviews", "-o", f"out.{LATIN1_CAFE}"), "name the file *.csv, not 'out.caf\ufffd'"),
        (("preset", "show", LATIN1_CAFE), "no preset is named 'caf\ufffd'"),
        (("rename-card", "t2", "c1", LATIN1_CAFE), "'caf\ufffd' is not a valid card id"),
        (("import", "--deck-id", LATIN1_CAFE, "words.csv"), "--deck-id 'caf\ufffd' is not a valid id"),
    ],
    ids=["topic", "deck", "date", "export", "preset", "rename-card", "deck-id"],
)
def test_a_latin1_name_given_to_a_command_is_shown_with_the_replacement_character(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    """Named through repr, the undecodable byte was shown as an escape (`'t\\udce9'`), unlike everywhere else."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "t2.yaml").write_text(_DECK, encoding="utf-8")
    (tmp_path / "words.csv").write_text("front,back\nq,a\n", encoding="utf-8")
    done = quiz(data, *(str(tmp_path / arg) if arg == "words.csv" else arg for arg in args))
    assert done.returncode != 0 and said in done.stderr, done.stderr
    assert "\\udc" not in done.stderr
