"""Which quiz deck an Anki deck taken alone (--anki-deck, or a whole collection taken apart) updates, once she moved
notes between her Anki decks: a note is never made in two quiz decks (its Anki answers logged twice), an import
never updates nor removes from a deck other than the one holding the Anki deck she named, and no line says a note
moved that did not. Collections made by Anki at test time. Skipped without Anki."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection  # noqa: E402
from anki.decks import DeckId  # noqa: E402

from tests.core.test_anki_collection_decks import answered_good, answers_by_deck, deck, faces, moved_kidney  # noqa: E402
from tools.make_anki_fixtures import add  # noqa: E402


def imported(capsys, data: Path, *args: str) -> tuple[str, str]:  # noqa: ANN001
    """`quiz import ARGS` into `data`, which must succeed: (stdout, stderr)."""
    code, out, err = run(capsys, "--data-dir", str(data), "import", *args)
    assert code == 0, err
    return out, err


def two_moved(folder: Path) -> None:
    """c1.colpkg: Kidney (answered in Anki), Heart and Aorta in Medicine, Hund (answered) in Sprachen; then
    c2.colpkg, once she moved Kidney and Heart to Sprachen::Misc."""
    col = Collection(str(folder / "collection.anki2"))
    kidney = add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    heart = add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine::Cardio", {"Front": "Aorta", "Back": "Artery"})
    hund = add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    for note in (kidney, hund):
        answered_good(col, col.get_note(note).cards()[0])
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    col = Collection(str(folder / "collection.anki2"))
    cards = [card.id for note in (kidney, heart) for card in col.get_note(note).cards()]
    col.set_deck(cards, DeckId(col.decks.id("Sprachen::Misc")))
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)


def test_a_note_moved_out_of_the_anki_deck_taken_alone_is_not_gone_and_never_logged_twice(
    capsys, tmp_path: Path
) -> None:
    """Her collection came in whole; she moved Kidney to Sprachen::Misc. `--anki-deck=Medicine --remove-missing`
    keeps Kidney (still in Anki, in a deck the import leaves out), and `--anki-deck=Sprachen` then leaves it in
    `medicine`: its Anki answer is logged once."""
    moved_kidney(tmp_path)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Medicine", "--remove-missing")
    assert "Kidney" in faces(deck(data, "medicine")), out
    assert "'Sprachen::Misc' (1)" in out, out
    imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen")
    assert faces(deck(data, "sprachen")) == {"Hund": "dog"}
    assert answers_by_deck(data) == [("medicine", 1)]
