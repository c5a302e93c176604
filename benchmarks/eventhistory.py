"""A store with a long history of answers, as events (benchmarks of sync and replay).

Every card is answered `answers` times with grades drawn as the answer benchmark draws them (Again 15 %,
Hard 10 %, Good 65 %, Easy 10 %), each answer when the card is due (or at most 60 days after the one
before), its state computed by quiz's own scheduler (FSRS through fsrs-rs, fuzz on): real states, as
`Store.record_review` would have written them. Written with SQL in one transaction, in time order (a
device's event ids grow with time), with the review log and each card's last state, so `quiz rebuild`
finds nothing to change.
"""

from __future__ import annotations

import heapq
import random
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quiz.core import answerlog, events
from quiz.core.cardstate import CardState
from quiz.core.events import card_number
from quiz.core.model import Grade
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import Store

DECK = "bench-history"
START = datetime(2023, 1, 1, tzinfo=UTC)
_LONGEST_WAIT = timedelta(days=60)
_BATCH = 20_000


def card_key(index: int) -> str:
    return f"n{index}"


def _answers(cards: int, answers: int, seed: int) -> Iterator[tuple[datetime, str, Grade, CardState | None, CardState]]:
    """Every answer in time order: (time, card key, grade, state before, state after)."""
    rng = random.Random(seed)
    scheduler = Scheduler(Settings())
    pending = [(START + timedelta(seconds=rng.randrange(365 * 86400)), index) for index in range(cards)]
    heapq.heapify(pending)
    states: dict[int, CardState] = {}
    given = dict.fromkeys(range(cards), 0)
    while pending:
        at, index = heapq.heappop(pending)
        key = card_key(index)
        before = states.get(index)
        grade = Grade(rng.choices([1, 2, 3, 4], weights=[15, 10, 65, 10])[0])
        after = scheduler.review(card_number(DECK, key), before or CardState("basic"), grade, at)
        states[index] = after
        given[index] += 1
        yield at, key, grade, before, after
        if given[index] < answers:
            assert after.due is not None
            wait = min(max(after.due - at, timedelta(minutes=1)), _LONGEST_WAIT)
            heapq.heappush(pending, (at + wait + timedelta(seconds=rng.randrange(600)), index))


def write_history(store: Store, cards: int, answers: int, seed: int = 3) -> int:
    """Give `store` (empty) cards x answers answered reviews, as events, log rows and states; returns how
    many events it holds."""
    device, last_id = store.device, None
    states: dict[str, CardState] = {}
    with store.transaction() as db:
        event_rows: list[tuple[object, ...]] = []
        log_rows: list[tuple[Any, ...]] = []
        for at, key, grade, before, after in _answers(cards, answers, seed):
            moment = at.astimezone(UTC).isoformat()
            last_id = events.new_event_id(at, after=last_id)
            before_json, after_json = None if before is None else before.to_json(), after.to_json()
            body = {"grade": int(grade), "duration_ms": 6000, "mode": "review", "answered_at": moment}
            body.update(before=before_json, after=after_json)
            event_rows.append(events.review_row(events.Event(last_id, device, moment, events.REVIEW, DECK, key, body)))
            log_rows.append((answerlog.id_floor(at), DECK, key, int(grade), moment, 6000, "review", last_id))
            states[key] = after
            if len(event_rows) >= _BATCH:
                _flush(db, event_rows, log_rows)
        _flush(db, event_rows, log_rows)
        store.put_progress(db, {(DECK, key): state for key, state in states.items()}, {}, {})
    return int(store.db.execute("SELECT count(*) FROM event").fetchone()[0])


def _flush(db: sqlite3.Connection, event_rows: list[tuple[object, ...]], log_rows: list[tuple[Any, ...]]) -> None:
    """Write the rows kept so far: events with their states, log rows with ids from their times."""
    db.executemany(events.INSERT_EVENT, event_rows)
    ids = map(answerlog.FreeIds(db, log_rows[0][0] if log_rows else 0), [row[0] for row in log_rows])  # time order
    db.executemany(
        "INSERT INTO review_log (id, deck_id, card_key, grade, reviewed_at, duration_ms, mode, event_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(log_id, *row[1:]) for log_id, row in zip(ids, log_rows, strict=True)],
    )
    event_rows.clear()
    log_rows.clear()


def history_store(folder: Path, cards: int, answers: int) -> Path:
    """The store in `folder` with that history, made once (kept under benchmarks/work/)."""
    done = folder / "made"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        store = Store.in_folder(folder)
        try:
            write_history(store, cards, answers)
        finally:
            store.close()
        done.write_text(f"{cards} cards x {answers} answers\n")
    return folder
