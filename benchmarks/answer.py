"""Time per answered card, quiz's core against Anki's backend, on the same 10,000 basic cards.

One answer, on both sides, is what a reviewer does between two cards:
  quiz: the session's current card -> its four next intervals (`previews`, the grade bar) -> reveal
        (`answer`) -> `grade`, which schedules with FSRS and commits the review (BEGIN IMMEDIATE ...
        COMMIT, WAL, synchronous=FULL) before it returns -> the next card.
  Anki: `get_queued_cards` (next card with its four FSRS states) -> `describe_next_states` (button
        labels) -> `build_answer` -> `answer_card`, which commits its own transaction (savepoint
        released with no outer transaction; WAL, synchronous=FULL, locking_mode=EXCLUSIVE).
Both start with every card new, a daily new limit above the 2,000 answers, fuzz on, the same grade
sequence, the real clock. The session is built inside the timed region (Anki builds its queue
on the first `get_queued_cards`). Opening the store/collection is not timed on either side.

The floor both stand on: `bare`, a one-row INSERT and COMMIT per answer in a WAL SQLite file with
synchronous=FULL, as quiz's store opens its file, in the same folder (same disk), timed per commit.

    python benchmarks/answer.py quiz|anki|bare WORKDIR ANSWERS   -> one JSON line
    python benchmarks/answer.py statements WORKDIR ANSWERS   -> quiz's store statements alone, replayed
    python benchmarks/answer.py durable-quiz|durable-anki WORKDIR   -> answers 3 cards, dies without closing
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.gendecks import WORK, basic_deck, basic_pairs  # noqa: E402

CARDS = 10_000
ANKI_TEMPLATE = WORK / f"anki-{CARDS}.anki2"


def grades(count: int, seed: int = 7) -> list[int]:
    """Again 15 %, Hard 10 %, Good 65 %, Easy 10 %: the same sequence for both programs."""
    rng = random.Random(seed)
    return rng.choices([1, 2, 3, 4], weights=[15, 10, 65, 10], k=count)


# --- Anki -------------------------------------------------------------------------------------------


def _anki_collection(path: Path):
    from anki.collection import Collection

    return Collection(str(path))


def build_anki_template() -> Path:
    """A collection with the same 10,000 cards, FSRS on, limits above the benchmark's answers."""
    if ANKI_TEMPLATE.exists():
        return ANKI_TEMPLATE
    from anki.collection import AddNoteRequest

    tmp = ANKI_TEMPLATE.with_suffix(".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    col = _anki_collection(tmp / "collection.anki2")
    col.set_config("fsrs", True)
    deck_id = col.decks.id("bench-basic")
    conf = col.decks.config_dict_for_deck_id(deck_id)
    conf["new"]["perDay"] = 9999
    conf["rev"]["perDay"] = 9999
    col.decks.update_config(conf)
    col.decks.select(deck_id)
    model = col.models.by_name("Basic")
    requests = []
    for front, back, _ in basic_pairs(CARDS):
        note = col.new_note(model)
        note["Front"], note["Back"] = front, back
        requests.append(AddNoteRequest(note, deck_id))
    col.add_notes(requests)
    assert col.card_count() == CARDS
    col.close(downgrade=False)
    (tmp / "collection.anki2").replace(ANKI_TEMPLATE)
    shutil.rmtree(tmp, ignore_errors=True)
    return ANKI_TEMPLATE


def anki_pragmas(workdir: Path) -> dict:
    path = workdir / "pragmas.anki2"
    shutil.copy(build_anki_template(), path)
    col = _anki_collection(path)
    try:
        return {p: col.db.scalar(f"pragma {p}") for p in ("journal_mode", "synchronous", "locking_mode")}
    finally:
        col.close(downgrade=False)


def run_anki(workdir: Path, answers: int, die_after: int | None = None) -> dict:
    import anki.collection  # noqa: F401  (before anki.cards, which alone hits an import cycle)
    from anki.cards import Card
    from anki.scheduler_pb2 import CardAnswer

    ratings = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}
    path = workdir / "collection.anki2"
    shutil.copy(build_anki_template(), path)
    col = _anki_collection(path)
    sched = col.sched
    assert col.get_config("fsrs", False), "FSRS is off"
    sequence = grades(answers)
    start = time.perf_counter()
    for index, grade in enumerate(sequence):
        queued = sched.get_queued_cards()
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        sched.describe_next_states(top.states)
        sched.answer_card(sched.build_answer(card=card, states=top.states, rating=ratings[grade]))
        if die_after is not None and index + 1 == die_after:
            os._exit(0)  # no close, no checkpoint: only what was committed survives
    seconds = time.perf_counter() - start
    revlog = col.db.scalar("select count() from revlog")
    with_memory = col.db.scalar("select count() from cards where data like '%\"s\":%'")
    col.close(downgrade=False)
    assert revlog == answers, (revlog, answers)
    return {"seconds": seconds, "answers": answers, "revlog": revlog, "cards_with_fsrs_memory": with_memory}


def anki_survivors(workdir: Path) -> int:
    col = _anki_collection(workdir / "collection.anki2")
    try:
        return col.db.scalar("select count() from revlog")
    finally:
        col.close(downgrade=False)


# --- the floor: one synced one-row commit ----------------------------------------------------------------


def run_bare(workdir: Path, commits: int) -> dict:
    """`commits` one-row commits, each timed: what a durable answer cannot go below on this disk."""
    import sqlite3

    folder = workdir / "bare-data"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")  # as quiz.core.store.Store opens its file
    db.execute("CREATE TABLE answer (id INTEGER PRIMARY KEY, card TEXT NOT NULL, grade INTEGER NOT NULL)")
    times = []
    for index, grade in enumerate(grades(commits)):
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO answer (card, grade) VALUES (?, ?)", (f"card-{index}", grade))
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    pragmas = {p: db.execute(f"pragma {p}").fetchone()[0] for p in ("journal_mode", "synchronous")}
    db.close()
    return {
        "seconds": sum(times),
        "commits": commits,
        "median_ms": sorted(times)[commits // 2] * 1000,
        "pragmas": pragmas,
    }


# --- quiz -------------------------------------------------------------------------------------------


def _quiz_store(workdir: Path):
    from dataclasses import replace

    from quiz.core.store import Store

    store = Store.in_folder(workdir / "quiz-data")
    settings = store.settings()
    store.save_settings(replace(settings, new_per_day=9999, reviews_per_day=99999))
    return store


def run_quiz(workdir: Path, answers: int, die_after: int | None = None) -> dict:
    from quiz.core.clock import SystemClock
    from quiz.core.decks import load_deck_file
    from quiz.core.model import Grade
    from quiz.core.scheduler import Scheduler
    from quiz.core.session import Scope, StudySession

    shutil.rmtree(workdir / "quiz-data", ignore_errors=True)
    deck = load_deck_file(basic_deck(CARDS)).deck
    assert deck is not None and len(deck.cards) == CARDS
    store = _quiz_store(workdir)
    scheduler = Scheduler(store.settings())
    sequence = [Grade(g) for g in grades(answers)]
    start = time.perf_counter()
    session = StudySession(store, scheduler, SystemClock(), [deck], Scope((deck.id,)))
    for index, grade in enumerate(sequence):
        assert session.current is not None
        session.previews()
        session.answer(None)
        session.grade(grade)
        if die_after is not None and index + 1 == die_after:
            os._exit(0)
    seconds = time.perf_counter() - start
    logged = store.review_count()
    pragmas = {
        p: store.db.execute(f"pragma {p}").fetchone()[0] for p in ("journal_mode", "synchronous", "locking_mode")
    }
    store.close()
    assert logged == answers, (logged, answers)
    return {"seconds": seconds, "answers": answers, "revlog": logged, "pragmas": pragmas}


class _Recording:
    """The store's connection, keeping each transaction's statements and values as they run."""

    def __init__(self, db) -> None:
        self.db, self.transactions, self._current = db, [], None

    def execute(self, sql, values=()):
        if sql == "BEGIN IMMEDIATE":
            self._current = []
        if self._current is not None:
            self._current.append((sql, tuple(values)))
        if sql == "COMMIT":
            self.transactions.append(self._current)
            self._current = None
        return self.db.execute(sql, values)

    def __getattr__(self, name):
        return getattr(self.db, name)


def run_statements(workdir: Path, answers: int) -> dict:
    """The floor under quiz's answer: the store's statements of `answers` answers (recorded from the quiz run
    above, untimed), replayed alone into a fresh store with the same settings, with no session and no
    scheduler, each answer's transaction timed, with the disk's sync on (as the store runs) and off (CPU)."""
    from quiz.core.clock import SystemClock
    from quiz.core.decks import load_deck_file
    from quiz.core.model import Grade
    from quiz.core.scheduler import Scheduler
    from quiz.core.session import Scope, StudySession

    shutil.rmtree(workdir / "quiz-data", ignore_errors=True)
    deck = load_deck_file(basic_deck(CARDS)).deck
    assert deck is not None
    store = _quiz_store(workdir)
    session = StudySession(store, Scheduler(store.settings()), SystemClock(), [deck], Scope((deck.id,)))
    store.db = recording = _Recording(store.db)
    for grade in grades(answers):
        session.previews()
        session.answer(None)
        session.grade(Grade(grade))
    store.close()
    found = {"answers": answers}
    for sync in ("FULL", "OFF"):
        shutil.rmtree(workdir / "quiz-data", ignore_errors=True)
        store = _quiz_store(workdir)
        store.db.execute(f"PRAGMA synchronous={sync}")
        times, cpu = [], time.process_time()
        for transaction in recording.transactions:
            start = time.perf_counter()
            for sql, values in transaction:
                store.db.execute(sql, values).fetchall()
            times.append(time.perf_counter() - start)
        cpu = time.process_time() - cpu
        store.close()
        found[sync.lower()] = {
            "median_ms": sorted(times)[len(times) // 2] * 1000,
            "mean_ms": sum(times) / len(times) * 1000,
            "cpu_ms": cpu / len(times) * 1000,
        }
    return found


def quiz_survivors(workdir: Path) -> int:
    from quiz.core.store import Store

    store = Store.in_folder(workdir / "quiz-data")
    try:
        return store.review_count()
    finally:
        store.close()


if __name__ == "__main__":
    what, workdir = sys.argv[1], Path(sys.argv[2])
    workdir.mkdir(parents=True, exist_ok=True)
    if what == "quiz":
        print(json.dumps(run_quiz(workdir, int(sys.argv[3]))))
    elif what == "anki":
        print(json.dumps(run_anki(workdir, int(sys.argv[3]))))
    elif what == "bare":
        print(json.dumps(run_bare(workdir, int(sys.argv[3]))))
    elif what == "statements":
        print(json.dumps(run_statements(workdir, int(sys.argv[3]))))
    elif what == "anki-pragmas":
        print(json.dumps(anki_pragmas(workdir)))
    elif what == "durable-quiz":
        run_quiz(workdir, 10, die_after=3)
    elif what == "durable-anki":
        run_anki(workdir, 10, die_after=3)
    elif what == "survivors-quiz":
        print(quiz_survivors(workdir))
    elif what == "survivors-anki":
        print(anki_survivors(workdir))
    else:
        raise SystemExit(f"unknown mode {what}")
