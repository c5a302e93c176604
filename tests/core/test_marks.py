"""Marked notes (Anki's `marked` tag): kept per note in the store (a schema step old stores take), toggled and
undone in a session, refused for a note its deck file marks, shown and searched as the tag in Browse's rows,
moved by a rename, and exported as the tag, which Anki reads as its mark and quiz reads back."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from quiz.core.browse_data import browse_rows
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.exporters import export_deck
from quiz.core.identity import rename_card
from quiz.core.marks import MarkedInFile, is_marked, toggle_mark, with_marks
from quiz.core.model import Grade
from quiz.core.search import SearchContext, search_rows
from quiz.core.store import MIGRATIONS, STORE_NAME, Store
from tests.conftest import START, basic_deck_yaml, imported_into_anki, record_good, run_cli, study_session

MARK_DECK = """
deck: m
title: Marks
cards:
  - {id: b, kind: basic, front: "plain front", back: back, tags: [pharm]}
  - {id: r, kind: reverse, front: "word", back: "meaning"}
  - {id: t, kind: basic, front: "tagged in its file", back: back, tags: [Marked]}
"""


def test_a_mark_is_kept_per_note_apart_from_the_schedule(store: Store, write_deck) -> None:
    deck = write_deck(MARK_DECK)
    basic, front, back = deck.cards[0], deck.cards[1], deck.cards[2]
    assert toggle_mark(store, basic) is True
    assert store.marked_notes("m") == {"b"}
    assert toggle_mark(store, back) is True  # either card of a reverse note marks the note
    assert is_marked(store, front) and is_marked(store, back)
    assert toggle_mark(store, front) is False and store.marked_notes("m") == {"b"}
    assert toggle_mark(store, basic) is False and store.marked_notes("m") == frozenset()


def test_a_note_its_deck_file_marks_is_marked_and_only_an_edit_takes_that_off(store: Store, write_deck) -> None:
    tagged = write_deck(MARK_DECK).cards[3]
    assert is_marked(store, tagged)
    with pytest.raises(MarkedInFile, match="edit the file"):
        toggle_mark(store, tagged)
    assert store.marked_notes("m") == frozenset()


def test_a_session_marks_the_note_on_screen_and_undo_takes_the_mark_back(
    store: Store, clock: FixedClock, write_deck
) -> None:
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    first = session.current
    assert first is not None
    assert session.toggle_mark() is True and session.is_marked(first)
    assert session.current is first  # the card stays on screen
    session.grade(Grade.GOOD)
    second = session.current
    assert second is not None and session.toggle_mark() is True
    assert session.next_undo() == "mark"
    assert session.undo() is second and not session.is_marked(second)
    assert session.next_undo() == "answer"
    assert session.undo() is first and store.review_count() == 0 and session.is_marked(first)
    assert session.undo() is first and not session.is_marked(first)
    assert session.next_undo() is None


def test_browse_shows_a_mark_as_the_tag_and_tag_marked_finds_it(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(MARK_DECK)
    store.set_mark("m", "r", True)
    rows = browse_rows([deck], store, clock.now())
    assert {row.card_key: row.tags for row in rows} == {
        "b": ("pharm",),
        "r": ("marked",),
        "r/reverse": ("marked",),
        "t": ("Marked",),  # the file's own tag, as written: not twice
    }
    context = SearchContext(clock.now(), 4, lambda since: set())
    assert [row.card_key for row in search_rows(rows, "tag:marked", context)] == ["r", "r/reverse", "t"]
    assert [row.card_key for row in search_rows(rows, "-tag:marked", context)] == ["b"]


def test_a_store_holding_only_a_mark_is_not_empty(tmp_path: Path) -> None:
    """A store is backed up once it holds something of the user's: a mark is enough."""
    fresh = Store.in_folder(tmp_path / "fresh")
    assert fresh.is_empty()
    fresh.set_mark("d", "c0", True)
    assert not fresh.is_empty()
    fresh.close()


def test_renaming_a_note_moves_its_mark(store: Store) -> None:
    record_good(store, "old")
    store.set_mark("d", "old", True)
    rename_card(store, "d", "old", "new")
    assert store.marked_notes("d") == {"new"}


def test_a_store_of_the_previous_schema_takes_marks_and_keeps_its_history(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    raw = sqlite3.connect(path, isolation_level=None)
    before = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE note_mark" in script)
    for number, script in enumerate(MIGRATIONS[:before], start=1):
        raw.executescript(script)
        raw.execute(f"PRAGMA user_version={number}")
    raw.execute("INSERT INTO card_flag (deck_id, card_key, flag) VALUES ('d', 'c0', 2)")
    assert "note_mark" not in {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.flag("d", "c0") == 2
    store.set_mark("d", "c0", True)
    store.close()
    again = Store(path)
    assert again.marked_notes("d") == {"c0"}
    again.close()


def test_an_export_writes_a_mark_as_the_tag_and_the_yaml_comes_back_marked(
    store: Store, tmp_path: Path, write_deck
) -> None:
    deck = write_deck(MARK_DECK)
    store.set_mark("m", "b", True)
    exported = tmp_path / "out" / "marks.yaml"
    exported.parent.mkdir()
    export_deck(with_marks(deck, store.marked_notes("m")), exported, START.timestamp(), {})
    again = load_deck_file(exported).deck
    assert again is not None
    assert [(note.id, note.tags) for note in again.notes] == [
        ("b", ("pharm", "marked")),
        ("r", ()),
        ("t", ("Marked",)),
    ]
    assert [card.key for card in with_marks(deck, frozenset({"r"})).cards] == [card.key for card in deck.cards]


def test_anki_itself_reads_the_exported_mark(store: Store, tmp_path: Path, write_deck) -> None:
    """Anki's own backend imports the package: the marked notes are the ones `tag:marked` finds there."""
    deck = write_deck(MARK_DECK)
    apkg = tmp_path / "m.apkg"
    export_deck(with_marks(deck, frozenset({"r"})), apkg, START.timestamp(), {})
    with imported_into_anki(apkg, tmp_path / "anki") as col:
        marked = sorted(col.get_note(note_id).guid for note_id in col.find_notes("tag:marked"))
        assert marked == ["quiz:m:r", "quiz:m:t"]


def test_quiz_export_writes_the_mark_of_a_deck_read_from_the_deck_cache(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second run reads the deck from the cache of parsed decks: tagging its marked note copies that deck,
    and the .apkg writer reads the copy's topics (a user exporting her marked Anki deck got a traceback)."""
    decks = tmp_path / "data" / "decks"
    decks.mkdir()
    (decks / "m.yaml").write_text(MARK_DECK, encoding="utf-8")
    store.set_mark("m", "b", True)
    apkg = tmp_path / "m.apkg"
    for _ in range(2):
        code, _, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "export", "m", "-o", str(apkg), "--force")
        assert code == 0, err
        with zipfile.ZipFile(apkg) as package:
            (tmp_path / "collection").write_bytes(package.read("collection.anki2"))
        collection = sqlite3.connect(tmp_path / "collection")
        tags = sorted(row[0].split() for row in collection.execute("SELECT tags FROM notes"))
        collection.close()
        assert tags == [[], ["Marked"], ["pharm", "marked"]]
