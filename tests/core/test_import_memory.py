"""What a big import holds at its peak (a shared deck's 300,000 answers): values it keeps once, not once an
answer, and the ids it must skip held compactly. docs/benchmarks.md measures the whole import."""

from __future__ import annotations

import gc
import json
import sqlite3
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core.anki.model import ReviewLog
from quiz.core.answerlog import FreeIds
from quiz.core.decks import cards_of, parse_deck
from quiz.core.deckwriter import deck_text
from quiz.core.importers import import_file, update
from quiz.core.importers.history import anki_history
from quiz.core.importers.model import Picture
from quiz.core.importers.update import base_text, read_record, record_path, record_text
from quiz.core.model import Deck
from quiz.core.settings import Settings
from tests.conftest import quiz_succeeds
from tests.core.test_anki_history import DATA, TODAY, collection_of


def test_the_ids_an_import_skips_are_held_in_a_few_bytes_each_and_skipped_in_order() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE review_log (id INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO review_log (id) VALUES (?)", ((n * 2,) for n in range(100_000)))
    tracemalloc.start()
    try:
        ids = FreeIds(db, 0)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 100_000 * 12  # 8 bytes an id; a set of Python ints takes some 57
    assert [ids(0), ids(0), ids(5), ids(7), ids(8), ids(199_998), ids(0)] == [1, 3, 5, 7, 9, 199_999, 200_000]


def test_answers_of_the_same_duration_share_one_value() -> None:
    collection = collection_of("current.apkg")
    rows = [row._replace(time_ms=12_345 if n % 2 else -5) for n, row in enumerate(collection.reviews)]
    collection.reviews = ReviewLog(rows)
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    durations = [answer.duration_ms for card in history.cards for answer in card.answers]
    assert set(durations) == {12_345, 0}  # a negative time (a damaged row) is none
    assert len({id(duration) for duration in durations}) == 2


def test_the_history_lets_go_of_the_anki_cards_it_has_replayed() -> None:
    """The collection's cards (14 MB for a shared deck) are taken by the history, each let go once replayed, so
    the answers reuse their memory; each quiz card still has its Anki card's flag."""
    collection = collection_of("current.apkg")
    flags = {card.id: card.flag for card in collection.cards}
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    assert collection.cards == []
    anki_of = {
        card.key: anki_id
        for note in result.notes
        for card, anki_id in zip(cards_of(result.deck_id, note), result.anki_cards[note.id], strict=False)
    }
    assert len(set(anki_of.values())) == len(anki_of)  # one Anki card each (gaps sharing a number: card by card)
    assert any(flags.values())
    assert {card.card_key: card.flag for card in history.cards} == {key: flags[i] for key, i in anki_of.items()}


TRICKY = """\
deck: tricky
title: Tricky
cards:
  - {id: a, kind: basic, front: "Grüße \\"quoted\\" back\\\\slash, 日本語 😀", back: "tab\\there, bell \\u0007"}
  - {id: b, kind: basic, front: "second", back: "a line\\nand another"}
  - {id: deck, kind: basic, front: "a note named deck", back: "b"}
"""


def _her_deck(folder: Path) -> tuple[Path, bytes, Deck]:
    """A deck file as an import wrote it, and its record beside it (written as an import writes it)."""
    deck = parse_deck(TRICKY.encode(), "tricky.yaml").deck
    assert deck is not None
    text = base_text(deck.id, list(deck.notes))
    path = folder / "tricky.yaml"
    path.write_bytes(text.encode("utf-8"))
    record = record_text("tricky.apkg", text, {"deck": "g1", "a": "g2"}, {}, {}, {1: "deck~1"}, {"deck": "T::deck"}, {})
    with record_path(path).open("w", encoding="utf-8", newline="\n") as out:
        for piece in record.pieces():
            out.write(piece)
    data = path.read_bytes()
    yours = parse_deck(data, str(path)).deck
    assert yours is not None
    return path, data, yours


@pytest.mark.parametrize("piece", [1, 3, 7, 1 << 20])
def test_an_update_reads_her_record_s_deck_text_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """While she has not edited her deck, the record's copy of its text (a shared deck's is tens of MB of JSON,
    read at an update's peak) is compared with the file a piece at a time, never read nor parsed whole: the
    record read is the one read whole."""
    monkeypatch.setattr(update, "_PIECE", piece)  # pieces cut in an escape's or a character's middle too
    path, data, yours = _her_deck(tmp_path)
    whole = read_record(path)
    assert whole is not None and list(whole.notes) == ["a", "b", "deck"]

    def not_whole(_: Path) -> None:
        raise AssertionError("the record's JSON was read whole")

    monkeypatch.setattr(update, "_record_json", not_whole)
    assert read_record(path, (data, yours)) == whole


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace(b"second", b"second, edited"),  # she edited her deck
        lambda text: text.replace(b"Gr\xc3\xbc", b"Gr\xfc"),  # a file that is not UTF-8
    ],
)
def test_a_record_whose_deck_text_is_not_her_file_s_is_read_whole(
    tmp_path: Path, edit: Callable[[bytes], bytes]
) -> None:
    path, data, yours = _her_deck(tmp_path)
    whole = read_record(path)
    edited = edit(data)
    assert edited != data
    path.write_bytes(edited)
    assert read_record(path, (edited, yours)) == whole  # the record's notes, read from its own text


def test_a_record_written_in_another_order_is_read_whole(tmp_path: Path) -> None:
    """A record whose deck text is not its last key (an older quiz's, or one she rewrote) is read as it is."""
    path, data, yours = _her_deck(tmp_path)
    whole = read_record(path)
    record = json.loads(record_path(path).read_text(encoding="utf-8"))
    record_path(path).write_text(json.dumps({"deck": record.pop("deck"), **record}), encoding="utf-8")
    assert read_record(path, (data, yours)) == whole


def test_a_deck_text_is_made_with_its_cards_copied_once() -> None:
    """An update's new deck text (a shared deck's is 10 MB, made at the update's peak) holds, while it is made, its
    cards' blocks and the text: the cards were joined, then added to the head, then joined with it (3.3 times the
    text at the peak)."""
    cards = "".join(
        f'  - {{id: n{n}, kind: basic, front: "question {n}", back: "{"answer " * 20}{n}"}}\n' for n in range(3000)
    )
    deck = parse_deck(f"deck: big\ntitle: Big\ncards:\n{cards}".encode(), "big.yaml").deck
    assert deck is not None
    notes = list(deck.notes)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        text = deck_text("big", "Big", notes)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    written = parse_deck(text.encode(), "big.yaml").deck
    assert written is not None and [(n.id, n.body) for n in written.notes] == [(n.id, n.body) for n in notes]
    assert peak - before < 2.8 * len(text)


def test_the_package_s_pictures_are_let_go_before_the_deck_and_its_history_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each picture reads its bytes from the whole package held in memory: kept past their writing, the package
    stays held at the import's peak (the history's write)."""
    alive: list[int] = []
    write = importing._write

    def counting(*args: object) -> None:
        gc.collect()
        alive.append(sum(isinstance(thing, Picture) for thing in gc.get_objects()))
        write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "_write", counting)
    quiz_succeeds(capsys, tmp_path / "home", "import", str(DATA / "current.apkg"))
    assert alive == [0]
