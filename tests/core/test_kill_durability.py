"""No recorded review is ever lost: not to SIGKILL at any moment, not to a failed write.

A child process studies (a real StudySession on a real store) and prints each review id only after
`session.grade` returned; the parent kills it with SIGKILL at random moments, restarts it, and finally
checks that every id it saw is in the store, that each card's state matches its last logged review (the
log entry and the state are written in one transaction) and that PRAGMA integrity_check is ok.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.model import Grade, Mode
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store, StoreWriteError
from tests.conftest import basic_deck_yaml

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import random, sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.model import Grade
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store

data_dir, deck_path, run, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
store = Store.in_folder(data_dir)
settings = replace(store.settings(), new_per_day=9999, reviews_per_day=99999, fuzz=False)
if store.settings() != settings:
    store.save_settings(settings)
deck = load_deck_file(deck_path).deck
clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(days=3 * run))
session = StudySession(store, Scheduler(settings), clock, [deck], Scope((deck.id,)))
rng = random.Random(run)
print("ready", flush=True)
for _ in range(limit):
    if session.current is None:  # the day is done: study the next one
        clock.advance(timedelta(days=1))
        session = StudySession(store, Scheduler(settings), clock, [deck], Scope((deck.id,)))
        continue
    answered = session.grade(Grade(rng.choice([1, 2, 3, 3, 3, 4])))
    print(f"ack {answered.review_id} {answered.card.key} {int(answered.grade)}", flush=True)
    if rng.random() < 0.1:
        print(f"undoing {answered.review_id}", flush=True)
        session.undo()
        print(f"undone {answered.review_id}", flush=True)
    clock.advance(timedelta(minutes=rng.randint(1, 12)))
print("finished", flush=True)
"""


def _run_child(data_dir: Path, deck: Path, run: int, kill_after: float | None) -> list[str]:
    """Start a studying child; SIGKILL it `kill_after` seconds after it is ready. Its complete lines."""
    limit = 10**9 if kill_after is not None else 50
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), str(deck), str(run), str(limit)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first == b"ready\n", (first, child.stderr.read() if child.stderr else b"")
    if kill_after is not None:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    if kill_after is None:
        assert child.returncode == 0, err.decode()[-2000:]
    else:
        assert child.returncode in (0, -signal.SIGKILL), err.decode()[-2000:]
    text = out.decode()
    complete = text if text.endswith("\n") else text[: text.rfind("\n") + 1]  # a torn last line is not an ack
    return complete.splitlines()


@pytest.mark.slow
def test_no_acknowledged_review_is_lost_to_sigkill(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(basic_deck_yaml(200), encoding="utf-8")
    data_dir = tmp_path / "data"
    rng = random.Random(20260105)
    # review id -> (card key, grade) it must hold, or None when unknown. SQLite reuses the id of an
    # undone (deleted) last row, so events are replayed in order: the last one about an id decides.
    expected: dict[int, tuple[str, int] | None] = {}
    acknowledged = kills = 0
    for run in range(12):
        kill_after = None if run == 11 else rng.uniform(0.05, 0.6)
        lines = _run_child(data_dir, deck, run, kill_after)
        for line in lines:
            word, *values = line.split()
            if word == "ack":
                expected[int(values[0])] = (values[1], int(values[2]))
                acknowledged += 1
            elif word in ("undoing", "undone"):  # killed in between: either outcome is right
                expected[int(values[0])] = None
        kills += "finished" not in lines
    assert kills >= 8, "the children finished before they could be killed: the test proves nothing"
    assert acknowledged >= 300, acknowledged
    raw = sqlite3.connect(data_dir / "quiz.sqlite3")
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = {row[0]: (row[1], row[2]) for row in raw.execute("SELECT id, card_key, grade FROM review_log")}
    lost = {i: want for i, want in expected.items() if want is not None and rows.get(i) != want}
    assert not lost, f"acknowledged reviews lost: {sorted(lost.items())[:20]}"
    # The log entry and the card state were written together: each card's state is its last review's.
    store = Store(data_dir / "quiz.sqlite3")
    last = {record.card_key: record.state_after for record in store.reviews() if record.mode is Mode.REVIEW}
    states = store.states("d")
    assert set(states) == set(last)
    for key, state_after in last.items():
        assert states[key] == state_after, key
    store.close()
    raw.close()


# --- a failed write leaves the answer pending -----------------------------------------------------------


@pytest.mark.parametrize("failure", ["read-only", "disk-full"])
def test_failed_write_leaves_the_session_unchanged_and_a_retry_succeeds(
    failure: str, store: Store, clock, write_deck
) -> None:
    deck = write_deck(basic_deck_yaml(5))
    session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope(("d",)))
    session.grade(Grade.GOOD)
    card, counts, summary = session.current, session.counts(), list(session.summary.answered)
    states, reviews = dict(session.states), store.review_count()
    if failure == "read-only":
        store.db.execute("PRAGMA query_only=ON")  # SQLite refuses every write, as for a read-only file
    else:  # the database may not grow: SQLITE_FULL, as when the disk is full
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count={pages}")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with pytest.raises(StoreWriteError, match="could not save"):
        for _ in range(50):  # disk-full strikes when a page is needed; within a few answers at most
            session.grade(Grade.AGAIN)
            card, counts, summary = session.current, session.counts(), list(session.summary.answered)
            states, reviews = dict(session.states), store.review_count()
    # Nothing moved: the same card waits for the same answer, nothing half-written.
    assert session.current == card and session.counts() == counts
    assert session.summary.answered == summary and session.states == states
    assert store.review_count() == reviews
    assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The disk is back: the same answer goes through.
    store.db.execute("PRAGMA query_only=OFF")
    store.db.execute("PRAGMA max_page_count=1073741823")
    answered = session.grade(Grade.GOOD)
    assert answered.card == card
    assert store.review_count() == reviews + 1


def test_a_write_failing_half_way_keeps_neither_the_log_nor_the_state(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from quiz.core.model import Mode

    at, after = datetime(2026, 1, 5, tzinfo=UTC), CardState(kind="basic", fsrs_state=1)

    def failing_put_state(*args: object) -> None:  # the log row is written, then the disk fails
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "_put_state", failing_put_state)
    with pytest.raises(StoreWriteError, match="disk I/O error"):
        store.record_review("d", "a", Grade.GOOD, at, 1, Mode.REVIEW, None, after)
    monkeypatch.undo()
    assert store.review_count() == 0 and store.state("d", "a") is None  # the log insert was rolled back too
    store.record_review("d", "a", Grade.GOOD, at, 1, Mode.REVIEW, None, after)
    assert store.review_count() == 1 and store.state("d", "a") == after
