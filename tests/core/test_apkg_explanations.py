"""A card's explanation and sources through quiz's .apkg and back: a basic card's explanation came back merged
into its back (its note type is rendered card by card), every kind's sources were lost (the Sources field, their
titles, came back as the explanation's last paragraph), and so her own unchanged export imported onto its deck
was a conflict. Anki itself shows both on the back."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.importers import import_file
from quiz.core.model import Deck
from tests.conftest import run_cli as run

DECK = """\
deck: expl
title: Expl
sources:
  - {id: book, title: The Book, publisher: Pub, url: 'https://example.org/book'}
  - {id: talk, title: A Talk}
cards:
  - {id: b1, kind: basic, front: Q1, back: A1, explain: Because E1, sources: [book, talk]}
  - {id: plain, kind: basic, front: Q2, back: A2}
  - {id: r1, kind: reverse, front: Q3, back: A3, explain: Because E3, sources: [book]}
  - {id: t1, kind: typed, front: Q4, answer: A4, explain: Because E4, sources: [talk]}
  - {id: c1, kind: cloze, text: 'a {{b}} c', explain: Because E5, sources: [book]}
  - {id: p1, kind: choice, front: Q6, options: [x, y], answer: y, explain: Because E6, sources: [talk]}
"""


def _exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, Path]:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    deck = data / "decks" / "expl.yaml"
    deck.write_text(DECK, encoding="utf-8")
    package = tmp_path / "ex.apkg"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "expl", "-o", str(package))
    assert code == 0, err
    return data, deck, package


def _load(path: Path) -> Deck:
    loaded = load_deck_file(path)
    assert loaded.deck is not None, [str(p) for p in loaded.problems]
    return loaded.deck


def _as_written(deck: Deck) -> list[tuple[object, ...]]:
    return [(n.id, n.kind, n.body, n.explain, n.sources) for n in deck.notes]


def test_a_new_deck_from_the_package_has_every_explanation_and_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, deck, package = _exported(tmp_path, capsys)
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(package), "--deck-id", "expl2")
    assert code == 0, err
    original, back = _load(deck), _load(data / "decks" / "expl2.yaml")
    assert sorted(_as_written(back)) == sorted(_as_written(original))
    assert back.sources == original.sources  # declared as the deck declared them, publisher and address too


def test_her_unchanged_export_imported_onto_its_deck_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, deck, package = _exported(tmp_path, capsys)
    before = deck.read_bytes()
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(package))
    assert code == 0, err
    assert "0 updated, 0 new, 6 unchanged, 0 gone from ex.apkg, 0 changed by both" in out
    assert "kept as you have it" not in out + err
    assert deck.read_bytes() == before


def test_anki_shows_the_explanation_and_sources_and_gives_them_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = pytest.importorskip("anki.collection")
    _, deck, package = _exported(tmp_path, capsys)
    (tmp_path / "anki").mkdir()
    col = collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    options = collection.ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
    col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(package), options=options))
    (card,) = col.get_note(col.db.scalar("select id from notes where guid = 'quiz:expl:b1'")).cards()
    assert "Because E1" in card.answer() and "The Book; A Talk" in card.answer()
    assert "Because E1" not in card.question()
    assert "https://example.org" not in card.answer()  # the definition, declarations and all, is unseen
    again = tmp_path / "again.apkg"
    out = collection.ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False)
    col.export_anki_package(out_path=str(again), options=out, limit=None)
    col.close()
    result = import_file(again)
    original = _load(deck)
    assert sorted((n.id, n.kind, n.body, n.explain, n.sources) for n in result.notes) == sorted(_as_written(original))
    assert not result.problems and "publisher: Pub" in result.text  # the new deck declares what its cards cite


def test_another_note_type_of_that_shape_keeps_its_rendered_back(tmp_path: Path) -> None:
    """Only quiz's own Basic is read field by field: someone else's one-template type whose back shows several
    fields (here with a label) comes in as Anki shows the card, its label kept."""
    collection = pytest.importorskip("anki.collection")
    col = collection.Collection(str(tmp_path / "collection.anki2"))
    models = col.models
    kind = models.new("Vocab")
    for name in ("Word", "Meaning", "Example"):
        models.add_field(kind, models.new_field(name))
    template = models.new_template("Card 1")
    template["qfmt"] = "{{Word}}"
    template["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}<br>Example: {{Example}}"
    models.add_template(kind, template)
    models.add(kind)
    note = col.new_note(kind)
    note["Word"], note["Meaning"], note["Example"] = "hund", "dog", "der Hund bellt"
    col.add_note(note, col.decks.id("Default"))
    package = tmp_path / "vocab.apkg"
    options = collection.ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=False)
    col.export_anki_package(out_path=str(package), options=options, limit=None)
    col.close()
    (imported,) = import_file(package).notes
    assert imported.kind == "basic" and imported.body.back == "dog\nExample: der Hund bellt"
    assert imported.explain == ""
