"""A note's `outside:` statement (knowledge not from its cited sources): read and checked on every kind, kept
by the deck cache, written back and exported so that it comes back, and searched (issue 17, point 2)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from quiz.core.browse_data import browse_rows
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.exporters import export_deck
from quiz.core.importers import import_file
from quiz.core.model import Deck
from quiz.core.search import SearchContext, search_rows
from quiz.core.store import Store
from tests.conftest import imported_into_anki

OUTSIDE = 'General knowledge: [b]not[/b] from the <i>sources</i> & "quoted"'
DECK = f"""\
deck: out
title: Outside
cards:
  - {{id: basic, kind: basic, front: F, back: B, explain: From the source., outside: '{OUTSIDE}'}}
  - {{id: reverse, kind: reverse, front: F2, back: B2, outside: Reverse aside}}
  - {{id: cloze, kind: cloze, text: "A {{{{gap}}}} and {{{{another}}}}", outside: Cloze aside}}
  - {{id: typed, kind: typed, front: T, answer: a, accept: [b], outside: Typed aside}}
  - {{id: choice, kind: choice, front: C, options: [x, y], answer: x, outside: Choice aside}}
  - {{id: multi, kind: multi, front: M, options: [x, y, z], answers: [x, z], outside: Multi aside}}
  - {{id: truefalse, kind: truefalse, front: TF, answer: false, outside: True or false aside}}
  - {{id: order, kind: order, front: O, items: [one, two], outside: Order aside}}
  - {{id: match, kind: match, front: Ma, pairs: {{a: '1', b: '2'}}, outside: Match aside}}
  - {{id: plain, kind: basic, front: P, back: Q}}
"""


def loaded(text: str = DECK) -> Deck:
    result = parse_deck(text.encode(), "out.yaml")
    assert result.ok, [str(p) for p in result.problems]
    assert result.deck is not None
    return result.deck


def without_lines(deck_or_notes) -> list:
    notes = deck_or_notes.notes if isinstance(deck_or_notes, Deck) else deck_or_notes
    return [replace(n, line=0) for n in notes]


def test_every_kind_reads_its_outside_statement_apart_from_its_explanation() -> None:
    deck = loaded()
    outside = {n.id: n.outside for n in deck.notes}
    assert outside["basic"] == OUTSIDE and deck.notes[0].explain == "From the source."
    assert outside["match"] == "Match aside" and outside["plain"] == ""
    assert {n.kind for n in deck.notes} >= {"basic", "reverse", "cloze", "typed", "choice", "multi", "match"}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("''", "'outside' is empty"),
        ("[a, b]", "'outside' is not plain text"),
        (repr("x" * 501), "'outside' is 501 characters long; at most 500"),
        ('"one\\ntwo\\nthree\\nfour\\nfive\\nsix"', "'outside' has 6 lines"),
    ],
)
def test_a_bad_outside_is_reported_at_its_line_and_column(value: str, words: str) -> None:
    text = f"deck: d\ntitle: D\ncards:\n  - {{id: c, kind: basic, front: F, back: B, outside: {value}}}\n"
    result = parse_deck(text.encode(), "d.yaml")
    assert not result.ok
    [problem] = result.problems
    assert words in problem.message, problem.message
    assert (problem.line, problem.column) == (4, 54)  # where the value starts
    assert str(problem).startswith("d.yaml:4:54: card c: ")


def test_the_deck_cache_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "out.yaml"
    path.write_text(DECK, encoding="utf-8")
    first = load_deck_file(path)
    again = load_deck_file(path)  # from the cache this time
    assert again.deck is not None and first.deck is not None
    assert [n.outside for n in again.deck.notes] == [n.outside for n in first.deck.notes]
    assert again.deck.notes[0].outside == OUTSIDE


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".tsv", ".apkg"])
def test_every_export_gives_it_back_through_import(tmp_path: Path, suffix: str) -> None:
    deck = loaded()
    path = tmp_path / f"deck{suffix}"
    export_deck(deck, path, 0)
    result = import_file(path)
    assert [(n.id, n.outside) for n in result.notes] == [(n.id, n.outside) for n in deck.notes]
    if suffix in (".yaml", ".csv", ".tsv"):  # the whole note comes back exactly
        assert without_lines(result.notes) == without_lines(deck)


def test_the_yaml_export_writes_it_as_a_field_of_its_own(tmp_path: Path) -> None:
    export_deck(loaded(), tmp_path / "deck.yaml", 0)
    text = (tmp_path / "deck.yaml").read_text(encoding="utf-8")
    assert "  outside: Match aside\n" in text
    assert without_lines(loaded(text)) == without_lines(loaded())


def test_a_table_holds_it_in_the_fields_column(tmp_path: Path) -> None:
    import csv

    export_deck(loaded(), tmp_path / "deck.csv", 0)
    with (tmp_path / "deck.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = csv.reader(handle)
    fields = {row[0]: row[header.index("fields")] for row in rows}
    assert fields["reverse"] == "outside: Reverse aside\n"
    assert fields["plain"] == ""


def test_an_anki_package_carries_it_in_the_hidden_field_only(tmp_path: Path) -> None:
    from quiz.core.notedefinition import definition_of, outside_in

    deck = loaded()
    basic, plain = deck.notes[0], deck.notes[-1]
    assert outside_in(definition_of(basic)) == OUTSIDE  # a basic note's faces give the rest back
    assert "kind" not in definition_of(basic) and definition_of(plain) == ""


def test_browse_search_finds_its_words(store: Store, clock: FixedClock) -> None:
    rows = browse_rows([loaded()], store, clock.now())
    found = search_rows(rows, "aside", SearchContext(clock.now(), 4, lambda since: set()))
    assert [row.card_key for row in found] == [
        "reverse",
        "reverse/reverse",
        "cloze/1",
        "cloze/2",
        "typed",
        "choice",
        "multi",
        "truefalse",
        "order",
        "match",
    ]
    assert [row.card_key for row in search_rows(rows, "sources", SearchContext(clock.now(), 4, set))] == ["basic"]


def test_it_survives_a_trip_through_anki_itself_unseen_on_the_cards(tmp_path: Path) -> None:
    collection = pytest.importorskip("anki.collection")
    deck = loaded()
    export_deck(deck, tmp_path / "out.apkg", 1_767_225_600)  # note ids come from the time: Anki refuses id 0
    back = tmp_path / "back.apkg"
    with imported_into_anki(tmp_path / "out.apkg", tmp_path / "anki") as col:
        basic = col.get_note(col.db.scalar("select id from notes where guid = ?", "quiz:out:basic"))
        shown = "".join(card.question() + card.answer() for card in basic.cards())
        assert "General knowledge" not in shown and "From the source." in shown  # Anki shows the explanation only
        export = collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        )
        col.export_anki_package(out_path=str(back), options=export, limit=None)
    result = import_file(back)
    assert {n.id: n.outside for n in result.notes} == {n.id: n.outside for n in deck.notes}


def test_a_broken_outside_in_a_table_s_fields_column_skips_its_row_saying_why(tmp_path: Path) -> None:
    from quiz.core.decktable import DECK_COLUMNS

    path = tmp_path / "deck.csv"
    path.write_text(
        f"{','.join(DECK_COLUMNS)}\nc,basic,,,front,back,,\"outside: ''\"\nb,basic,,,f2,b2,,outside: fine\n",
        encoding="utf-8",
    )
    result = import_file(path)
    assert [(n.id, n.outside) for n in result.notes] == [("b", "fine")]
    assert any(p.line == 2 and "'outside' is empty" in p.message for p in result.problems), result.problems
