"""A card's explanation and sources through quiz's .apkg and back: a basic card's explanation came back merged
into its back (its note type is rendered card by card), every kind's sources were lost (the Sources field, their
titles, came back as the explanation's last paragraph), and so her own unchanged export imported onto its deck
was a conflict. Anki itself shows both on the back."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.importers import import_file
from quiz.core.model import Deck
from quiz.core.notedefinition import FIELD
from tests.conftest import imported_into_anki
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
    again = tmp_path / "again.apkg"
    with imported_into_anki(package, tmp_path / "anki") as col:
        (card,) = col.get_note(col.db.scalar("select id from notes where guid = 'quiz:expl:b1'")).cards()
        assert "Because E1" in card.answer() and "The Book; A Talk" in card.answer()
        assert "Because E1" not in card.question()
        assert "https://example.org" not in card.answer()  # the definition, declarations and all, is unseen
        out = collection.ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False)
        col.export_anki_package(out_path=str(again), options=out, limit=None)
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


def _edited_in_anki(tmp_path: Path, package: Path, sources: dict[str, list[dict[str, str]]]) -> Path:
    """The package as Anki exports it after her edits to notes' hidden quiz fields: `sources` (by note id)
    replaces what each definition declares."""
    collection = pytest.importorskip("anki.collection")
    edited = tmp_path / "edited.apkg"
    with imported_into_anki(package, tmp_path / "anki") as col:
        for note_id, declared in sources.items():
            note = col.get_note(col.db.scalar(f"select id from notes where guid = 'quiz:expl:{note_id}'"))
            definition = json.loads(html.unescape(note[FIELD]))
            note[FIELD] = html.escape(json.dumps({**definition, "sources": declared}))
            col.update_note(note)
        out = collection.ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False)
        col.export_anki_package(out_path=str(edited), options=out, limit=None)
    return edited


def test_a_source_the_deck_could_not_declare_is_left_out_and_the_rest_comes_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bad declaration, edited in Anki, made the written deck fail to load: no note was imported."""
    data, _, package = _exported(tmp_path, capsys)
    talk = {"id": "talk", "title": "A Talk"}
    edited = _edited_in_anki(
        tmp_path,
        package,
        {
            "b1": [{"id": "bad id", "title": "x"}, talk],
            "r1": [{"id": "book", "title": ""}],
            "t1": [{"id": "talk", "title": "y" * 600}],
            "c1": [{"id": "book", "title": "The \u202eBook"}],
        },
    )
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(edited), "--deck-id", "expl2")
    assert code == 0, err
    said = out + err
    assert "Basic (quiz expl) note 'Q1': source 'bad id' is left out: 'id' 'bad id' is not a valid id" in said
    assert "note 'a {{c1::b}} c': source 'book': control or bidi characters were replaced" in said
    assert "source 'book' is left out: a source needs 'id' and 'title'" in said
    assert "source 'talk' is left out: 'title' is 600 characters long; at most 500" in said
    loaded = load_deck_file(data / "decks" / "expl2.yaml")
    assert loaded.deck is not None and not loaded.problems, [str(p) for p in loaded.problems]  # cleaned: no warning
    cited = {n.id: n.sources for n in loaded.deck.notes}
    assert cited["b1"] == ("talk",) and cited["r1"] == () and cited["t1"] == () and cited["c1"] == ("book",)
    assert {s.id: s.title for s in loaded.deck.sources} == {"talk": "A Talk", "book": "The \ufffdBook"}


def test_two_notes_declaring_one_source_otherwise_keep_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, _, package = _exported(tmp_path, capsys)
    edited = _edited_in_anki(tmp_path, package, {"p1": [{"id": "talk", "title": "Another Talk"}]})
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(edited), "--deck-id", "expl2")
    assert code == 0, err
    assert "source 'talk' is declared otherwise by an earlier note ('A Talk'); the earlier declaration is kept" in (
        out + err
    )
    deck = _load(data / "decks" / "expl2.yaml")
    assert [s.title for s in deck.sources if s.id == "talk"] == ["A Talk"]
    assert next(n.sources for n in deck.notes if n.id == "p1") == ("talk",)


def test_an_update_from_a_package_adds_the_sources_it_declares_that_the_deck_does_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A friend's deck whose next version cites a new source was refused whole: the deck did not declare it."""
    data, deck, v1 = _exported(tmp_path, capsys)
    friend = tmp_path / "friend"
    code, _, err = run(capsys, "--data-dir", str(friend), "import", str(v1))
    assert code == 0, err
    v2_text = (
        DECK.replace("title: The Book,", "title: The Big Book,")
        .replace(
            "  - {id: talk, title: A Talk}\n",
            "  - {id: talk, title: A Talk}\n  - {id: paper, title: A Paper, url: 'https://example.org/p'}\n",
        )
        .replace("front: Q2, back: A2}", "front: Q2, back: A2, sources: [paper]}")
    )
    deck.write_text(v2_text, encoding="utf-8")
    v2 = tmp_path / "v2.apkg"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "expl", "-o", str(v2))
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", str(friend), "import", str(v2))
    assert code == 0, err
    assert "sources added: paper" in out
    hers = _load(friend / "decks" / "expl.yaml")
    assert {s.id: (s.title, s.url) for s in hers.sources} == {
        "book": ("The Book", "https://example.org/book"),  # her own declaration, as it was
        "talk": ("A Talk", ""),
        "paper": ("A Paper", "https://example.org/p"),
    }
    assert next(n.sources for n in hers.notes if n.id == "plain") == ("paper",)
