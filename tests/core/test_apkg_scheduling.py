"""`quiz export --with-scheduling`: an .apkg that Anki's own importer ("Import any scheduling information")
reads with the same due dates, review counts, suspension, burying, flags and FSRS memory state as quiz's."""

from __future__ import annotations

import sqlite3
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.clock import day_start
from quiz.core.exporters import ExportError, Progress, export_deck
from quiz.core.exporters.apkg import guid
from quiz.core.model import Deck, Grade, Mode
from quiz.core.scheduler import Scheduler, stable_card_number
from quiz.core.store import Store
from tests.conftest import run_cli as run

DECK = """\
deck: sched
title: Scheduled
cards:
  - {id: paris, kind: basic, front: Capital of France?, back: Paris}
  - {id: rome, kind: basic, front: Capital of Italy?, back: Rome}
  - {id: dog, kind: reverse, front: der Hund, back: the dog}
  - {id: moon, kind: typed, front: First Moon landing?, answer: '1969', accept: [nineteen sixty-nine]}
  - {id: gap, kind: cloze, text: 'Water boils at {{100}} °C at {{sea level}}.'}
  - {id: fresh, kind: basic, front: never seen, back: new}
"""


def _study(store: Store, deck: Deck, start: datetime) -> datetime:
    """Answer cards over three weeks with quiz's own scheduler; returns the moment the export is made."""
    scheduler = Scheduler(store.settings())
    keys = [c.key for c in deck.cards if c.note.id != "fresh"]
    grades = [Grade.GOOD, Grade.GOOD, Grade.AGAIN, Grade.GOOD, Grade.EASY, Grade.HARD]
    now = start
    for day in range(21):
        now = start + timedelta(days=day)
        for index, key in enumerate(keys):
            state = store.state(deck.id, key) or CardState(kind=next(c.kind for c in deck.cards if c.key == key))
            if not state.is_new and state.due is not None and state.due > now:
                continue
            grade = grades[(day + index) % len(grades)]
            after = scheduler.review(stable_card_number(deck.id, key), state, grade, now)
            store.record_review(deck.id, key, grade, now, 4000 + index, Mode.REVIEW, state, after)
            now += timedelta(minutes=1)
    store.record_review(deck.id, keys[0], Grade.AGAIN, now, 10, Mode.PRACTICE, None, CardState("basic"))
    return now


def _import_into_anki(apkg: Path, tmp_path: Path):  # noqa: ANN202 - anki's types are optional here
    collection = pytest.importorskip("anki.collection")
    (tmp_path / "anki").mkdir()
    col = collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    options = collection.ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
    col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(apkg), options=options))
    return col


def _anki_cards(col, note_guid: str) -> list:  # noqa: ANN001
    return col.get_note(col.db.scalar("select id from notes where guid = ?", note_guid)).cards()


def _exported(tmp_path: Path, store: Store, write_deck) -> tuple[Deck, Path, datetime]:  # noqa: ANN001
    deck = write_deck(DECK)
    now = _study(store, deck, datetime.now(UTC) - timedelta(days=25))
    rome = next(c for c in deck.cards if c.note.id == "rome")
    store.set_state(deck.id, rome.key, replace(store.state(deck.id, rome.key), suspended=True))
    dog = next(c for c in deck.cards if c.note.id == "dog")
    until = day_start(now) + timedelta(days=1)
    store.set_state(deck.id, dog.key, replace(store.state(deck.id, dog.key), buried_until=until))
    store.set_flag(deck.id, rome.key, 3)
    apkg = tmp_path / "sched.apkg"
    progress = Progress(store.states(deck.id), store.reviews(deck_id=deck.id), store.settings(), now)
    export_deck(deck, apkg, now.timestamp(), store.flags(deck.id), progress)
    return deck, apkg, now


def test_anki_imports_the_same_due_dates_review_counts_and_states(tmp_path: Path, store: Store, write_deck) -> None:  # noqa: ANN001
    deck, apkg, now = _exported(tmp_path, store, write_deck)
    col = _import_into_anki(apkg, tmp_path)
    anki_today = day_start(datetime.now(UTC)).date()
    states = store.states(deck.id)
    reviews = store.reviews(deck_id=deck.id)
    assert col.db.scalar("select count() from revlog") == sum(r.mode is Mode.REVIEW for r in reviews) > 20
    checked = 0
    for card in deck.cards:
        ordinal = card.ordinal - 1 if card.kind == "cloze" else card.ordinal
        anki_card = next(c for c in _anki_cards(col, guid(deck.id, card.note.id)) if c.ord == ordinal)
        state = states.get(card.key)
        count = sum(r.card_key == card.key and r.mode is Mode.REVIEW for r in reviews)
        assert col.db.scalar("select count() from revlog where cid = ?", anki_card.id) == count, card.key
        if state is None:
            assert (anki_card.type, anki_card.queue) == (0, 0)
            continue
        assert (anki_card.reps, anki_card.lapses) == (state.reps, state.lapses), card.key
        if state.is_review:
            anki_due = anki_today + timedelta(days=anki_card.due - col.sched.today)
            assert anki_due == day_start(state.due).date(), card.key
        elif anki_card.queue == 1:
            assert anki_card.due == int(state.due.timestamp()), card.key
        assert anki_card.memory_state is not None
        assert anki_card.memory_state.stability == pytest.approx(state.stability, abs=1e-3)
        assert anki_card.memory_state.difficulty == pytest.approx(state.difficulty, abs=1e-2)
        checked += 1
    assert checked == 7  # every studied card: a reverse pair and a two-gap cloze make two each
    (rome,) = _anki_cards(col, "quiz:sched:rome")
    dog = _anki_cards(col, "quiz:sched:dog")
    assert rome.queue == -1 and rome.user_flag() == 3
    assert sorted(c.queue for c in dog)[0] == -3  # the buried side; Anki unburies it at its next day, as quiz
    col.close()


def test_without_the_flag_every_card_is_new(tmp_path: Path, store: Store, write_deck) -> None:  # noqa: ANN001
    deck = write_deck(DECK)
    _study(store, deck, datetime(2026, 1, 5, 9, tzinfo=UTC))
    export_deck(deck, tmp_path / "plain.apkg", 0, store.flags(deck.id))
    with zipfile.ZipFile(tmp_path / "plain.apkg") as package:
        (tmp_path / "plain.db").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "plain.db")
    assert db.execute("select count() from revlog").fetchone()[0] == 0
    assert {row[0] for row in db.execute("select distinct type from cards")} == {0}


def test_scheduling_goes_only_into_an_apkg(tmp_path: Path, store: Store, write_deck) -> None:  # noqa: ANN001
    deck = write_deck(DECK)
    progress = Progress({}, [], store.settings(), datetime(2026, 1, 5, tzinfo=UTC))
    with pytest.raises(ExportError, match=r"name the file \*\.apkg"):
        export_deck(deck, tmp_path / "x.csv", 0, {}, progress)
    assert not (tmp_path / "x.csv").exists()


def test_the_review_log_csv_is_refused_as_an_apkg(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "--reviews", "-o", str(tmp_path / "r.apkg"))
    assert code != 0 and "--with-scheduling" in err
    assert not (tmp_path / "r.apkg").exists()
