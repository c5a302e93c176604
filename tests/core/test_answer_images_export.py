"""A card's `answer_image:` in quiz's exports: an `.apkg` puts each such picture where Anki shows it only on the
back (checked by Anki itself, at test time; skipped without the `anki` package), and `quiz import` of a YAML
export or of the package (as quiz wrote it, or as Anki exports it again) gives the field back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.exporters import export_deck
from quiz.core.images import image_path
from quiz.core.model import Deck
from tests.conftest import run_cli as run
from tests.core.test_apkg_pictures import NOW, PNGS

DECK = """\
deck: anat
title: Anatomy
cards:
  - {id: heart, kind: basic, front: Name the organ, back: heart, image: pics/q.png, answer_image: pics/labelled.png}
  - {id: word, kind: reverse, front: Herz, back: heart, answer_image: [pics/labelled.png, pics/cell.png]}
  - {id: gap, kind: cloze, text: 'The {{nephron}} filters', explain: the unit, answer_image: pics/cell.png}
  - {id: year, kind: typed, front: Which chamber?, answer: left ventricle, image: pics/q.png,
     answer_image: pics/cell.png}
  - {id: cell, kind: occlusion, image: pics/q.png, answer_image: pics/labelled.png,
     regions: [{x: 0.1, y: 0.1, w: 0.2, h: 0.2, label: nucleus}]}
"""
FILES = {"pics/q.png": PNGS[0], "pics/labelled.png": PNGS[1], "pics/cell.png": PNGS[2]}
#: each picture's name in the package
NAMED = {"pics/q.png": "q.png", "pics/labelled.png": "labelled.png", "pics/cell.png": "cell.png"}


def answer_picture_deck(folder: Path) -> Deck:
    for relative, data in FILES.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    (folder / "anat.yaml").write_text(DECK, encoding="utf-8")
    loaded = load_deck_file(folder / "anat.yaml")
    assert loaded.ok and loaded.deck is not None, [str(p) for p in loaded.problems]
    return loaded.deck


def _given_back(deck: Deck, data: Path, capsys: pytest.CaptureFixture[str], exported: Path) -> None:
    """`quiz import` of `exported` into a fresh data folder: each note's pictures, question's and answer's apart,
    byte for byte."""
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(exported))
    assert code == 0, err
    loaded = load_deck_file(data / "decks" / "anat.yaml")
    assert loaded.ok and loaded.deck is not None, [str(p) for p in loaded.problems]
    back = {note.id: note for note in loaded.deck.notes}
    for note in deck.notes:
        again = back[note.id]
        for mine, theirs in ((note.images, again.images), (note.answer_images, again.answer_images)):
            assert [image_path(loaded.deck.path, i).read_bytes() for i in theirs] == [FILES[i] for i in mine], note.id


def test_a_yaml_export_imported_gives_the_answer_pictures_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = answer_picture_deck(tmp_path / "src")
    (tmp_path / "out").mkdir()
    export_deck(deck, tmp_path / "out" / "anat.yaml", NOW)
    copied = load_deck_file(tmp_path / "out" / "anat.yaml")
    assert copied.deck is not None and [n.answer_images for n in copied.deck.notes] == [
        n.answer_images for n in deck.notes
    ]
    _given_back(deck, tmp_path / "back", capsys, tmp_path / "out" / "anat.yaml")


def test_quiz_s_package_imported_gives_the_answer_pictures_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = answer_picture_deck(tmp_path / "src")
    export_deck(deck, tmp_path / "anat.apkg", NOW)
    _given_back(deck, tmp_path / "back", capsys, tmp_path / "anat.apkg")


def test_anki_shows_an_answer_picture_only_on_the_back_and_gives_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = pytest.importorskip("anki.collection")
    from tests.core.test_apkg_to_anki import _import_into_anki

    deck = answer_picture_deck(tmp_path / "src")
    export_deck(deck, tmp_path / "anat.apkg", NOW)
    col = _import_into_anki(tmp_path / "anat.apkg", tmp_path)
    notes = {note.guid: note for note in map(col.get_note, col.find_notes(""))}
    for note in deck.notes:
        for card in notes[f"quiz:anat:{note.id}"].cards():
            question, answer = card.question(), card.answer()
            for image in note.images:
                assert f'<img src="{NAMED[image]}">' in question, (note.id, card.ord)
            for image in note.answer_images:  # on no card's question, on every card's back
                assert f'<img src="{NAMED[image]}">' not in question, (note.id, card.ord)
                assert f'<img src="{NAMED[image]}">' in answer, (note.id, card.ord)
    check = col.media.check()
    assert not check.missing and not check.unused
    again = tmp_path / "from-anki.apkg"
    options = collection.ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False
    )
    col.export_anki_package(out_path=str(again), options=options, limit=None)
    col.close()
    _given_back(deck, tmp_path / "back", capsys, again)


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_a_table_export_imported_over_the_deck_keeps_its_answer_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    """A CSV or TSV carries no picture: the deck keeps each, the question's and the answer's apart."""
    deck = answer_picture_deck(tmp_path / "src")
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "add", deck.path)
    assert code == 0, err
    table = tmp_path / f"anat{suffix}"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "anat", "-o", str(table))
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(table), "--deck-id", "anat")
    assert code == 0, err
    again = load_deck_file(data / "decks" / "anat.yaml").deck
    assert again is not None
    assert [(n.images, n.answer_images) for n in again.notes] == [(n.images, n.answer_images) for n in deck.notes]
