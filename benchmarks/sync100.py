"""An incremental `quiz sync`: device A takes 100 new answers from device B, both holding a long shared
history (100,000 events: 10,000 basic cards answered 10 times, benchmarks/eventhistory.py).

Made once under benchmarks/work/sync100/template/: A's store with the history, the synced folder A sent
it to, and B's store, which took it from there (its first sync). Each run starts from a copy of that, at
the same paths (sync checks that a device's files belong to the store at its path): B answers 100 cards
(through `Store.record_review` with the scheduler's states, one commit each) and syncs (sends them); then
A's `sync` is timed: its own events (none new) appended, B's new lines read, merged by id, the cards they
touch replayed, in one transaction.

    python benchmarks/sync100.py WORKDIR RUNS   -> one JSON line
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.eventhistory import DECK, card_key, history_store  # noqa: E402

CARDS, ANSWERS, NEW = 10_000, 10, 100


def template(workdir: Path) -> Path:
    """A, the folder and B as the runs start from them, made once; built in place under `run/`, then copied."""
    from quiz.core.store import Store
    from quiz.core.sync import sync

    made = workdir / "template"
    if (made / "made").exists():
        return made
    run = workdir / "run"
    shutil.rmtree(run, ignore_errors=True)
    history_store(workdir / "history", CARDS, ANSWERS)
    shutil.copytree(workdir / "history", run / "a")
    (run / "folder").mkdir()
    for name in ("a", "b"):
        store = Store.in_folder(run / name)
        try:
            sync(store, run / "folder", host=f"bench-{name}")
        finally:
            store.close()
    shutil.rmtree(made, ignore_errors=True)
    shutil.copytree(run, made)
    (made / "made").write_text("A with the history sent, B with it received\n")
    return made


def one_run(workdir: Path, made: Path, offset: int) -> dict:
    from quiz.core.cardstate import CardState
    from quiz.core.clock import SystemClock
    from quiz.core.events import card_number
    from quiz.core.model import Grade, Mode
    from quiz.core.scheduler import Scheduler
    from quiz.core.store import Store
    from quiz.core.sync import sync

    run = workdir / "run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(made, run)
    b = Store.in_folder(run / "b")
    try:
        scheduler, now = Scheduler(b.settings()), SystemClock().now()
        for n in range(NEW):  # 100 cards, spread over the deck
            key = card_key((offset + n * (CARDS // NEW)) % CARDS)
            before = b.state(DECK, key)
            answered = now + timedelta(seconds=n)
            after = scheduler.review(card_number(DECK, key), before or CardState("basic"), Grade.GOOD, answered)
            b.record_review(DECK, key, Grade.GOOD, answered, 5000, Mode.REVIEW, before, after)
        sent = sync(b, run / "folder", host="bench-b").sent
    finally:
        b.close()
    a = Store.in_folder(run / "a")
    try:
        start = time.perf_counter()
        report = sync(a, run / "folder", host="bench-a")
        seconds = time.perf_counter() - start
        events = int(a.db.execute("SELECT count(*) FROM event").fetchone()[0])
    finally:
        a.close()
    assert sent == NEW and report.received == NEW and report.cards == NEW, (sent, report.summary())
    return {"seconds": seconds, "received": report.received, "cards": report.cards, "events": events}


def main(workdir: Path, runs: int) -> dict:
    made = template(workdir)
    done = [one_run(workdir, made, offset) for offset in range(runs)]
    return {"seconds": [r["seconds"] for r in done], "events": done[-1]["events"], "received": NEW}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]))))
