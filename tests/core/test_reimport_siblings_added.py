"""A deck imported before quiz wrote `siblings:`, imported again from the same package: the notes quiz makes card by
card from one Anki note gain the field, as quiz's reading of the package now gives it. That is neither the
package's change (no note "updated") nor, on a note she edited, a conflict: her edit stays, the field is added.

tests/data/anki/siblings: current.yaml, current.import.json and current-media are what `quiz import
tests/data/anki/current.apkg` wrote at commit 8cc1345f (the last before `siblings:`), run from a copy of that
commit, copied as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.model import Deck
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki"
EARLIER = DATA / "siblings"
EDITED = "anki-8b0256af9b-1"  # the Recall card of the Vocab note 'ephemeral', a note of its own
# the notes made card by card, by the Anki note they came from
SIBLINGS = {
    "anki-35658664a0": ("anki-35658664a0-1",),  # Basic (optional reversed card), its reverse off
    "anki-411daa5017": ("anki-411daa5017-1", "anki-411daa5017-2"),  # a cloze whose gaps share a number
    "anki-8b0256af9b": (EDITED, "anki-8b0256af9b-2"),
    "anki-c74c11e06f": ("anki-c74c11e06f-1", "anki-c74c11e06f-2"),
}


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """The data folder of a student who imported current.apkg with that quiz, then edited the back of one note
    made card by card."""
    decks = tmp_path / "decks"
    shutil.copytree(EARLIER, decks)
    path = decks / "current.yaml"
    text = path.read_text(encoding="utf-8")
    before = "    back: |-\n      short-lived\n      (no example)\n"
    assert before in text
    path.write_text(text.replace(before, "    back: short-lived, fleeting\n"), encoding="utf-8")
    return tmp_path


def _import(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(capsys, "--data-dir", str(folder), "import", str(DATA / "current.apkg"))
    assert code == 0, err
    return out


def _deck(folder: Path) -> Deck:
    loaded = load_deck_file(folder / "decks" / "current.yaml").deck
    assert loaded is not None
    return loaded


def test_the_same_package_again_adds_siblings_with_no_update_and_no_conflict(earlier: Path, capsys) -> None:
    out = _import(earlier, capsys)
    assert "0 updated, 0 new, 19 unchanged, 0 gone from current.apkg, 0 changed by both" in out, out
    assert "kept as you have them: 1 note you edited" in out
    assert "--replace" not in out and "siblings" not in out
    notes = {note.id: note for note in _deck(earlier).notes}
    assert notes[EDITED].body.back == "short-lived, fleeting"
    assert {key: tuple(n.id for n in notes.values() if n.siblings == key) for key in SIBLINGS} == SIBLINGS
    assert not [n for n in notes.values() if n.siblings and n.siblings not in SIBLINGS]
    out = _import(earlier, capsys)  # again: the record has them too
    assert "0 updated, 0 new, 19 unchanged, 0 gone from current.apkg, 0 changed by both" in out
    assert {n.id: (n.siblings, n.body) for n in _deck(earlier).notes} == {
        n.id: (n.siblings, n.body) for n in notes.values()
    }


def test_anki_s_text_export_gives_the_notes_read_card_by_card_their_siblings_as_the_package(
    tmp_path: Path, capsys
) -> None:
    """Notes in Plain Text (with its GUID column) of the package: its clozes read card by card share the id the
    package's do, so importing one after the other changes nothing."""
    earlier = DATA / "earlier"
    for name in ("v1.apkg", "v1.txt"):
        code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(earlier / name), "--deck-id", "v")
        assert code == 0, err
    assert "0 updated, 0 new, 5 unchanged, 0 gone from v1.txt" in out, out
    loaded = load_deck_file(tmp_path / "decks" / "v.yaml").deck
    assert loaded is not None
    card_by_card = [note for note in loaded.notes if note.id[-2:] in ("-1", "-2")]
    assert len(card_by_card) == 4 and all(note.siblings == note.id[:-2] for note in card_by_card)
