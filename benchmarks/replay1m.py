"""`quiz rebuild`'s replay of 1,000,000 events against the FSRS engine's own cost for the same reviews.

The store: 100,000 basic cards answered 10 times each (benchmarks/eventhistory.py: real FSRS states, as
answers record them), made once under benchmarks/work/replay1m/. One run, in a fresh process:

  FSRS: for every answer of the history, in order, what quiz's scheduler asks fsrs-rs-python for an answer
        (`FSRS.next_states` from the card's memory state before it and the days since its last answer;
        quiz.core.scheduler.Scheduler.memory_states), the inputs read beforehand, not timed;
  quiz: `rebuild(store)`, what `quiz rebuild` runs: every event read from SQLite, replayed, and every
        card's state written back in one transaction (it must find nothing to change).

    python benchmarks/replay1m.py WORKDIR   -> one JSON line
"""

from __future__ import annotations

import json
import marshal
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.eventhistory import history_store  # noqa: E402

CARDS, ANSWERS = 100_000, 10


def fsrs_inputs(store_folder: Path) -> list[tuple[float | None, float | None, int]]:
    """(stability, difficulty, days elapsed) before each answer, in the history's order: made once."""
    cached = store_folder / "fsrs-inputs.marshal"
    if cached.exists():
        return marshal.loads(cached.read_bytes())
    from quiz.core.scheduler import Scheduler
    from quiz.core.settings import Settings
    from quiz.core.steps import DAY_SECS
    from quiz.core.store import Store

    scheduler = Scheduler(Settings())
    store = Store.in_folder(store_folder)
    inputs = []
    for record in store.reviews():
        state = record.state_before
        if state is None or state.last_review is None:
            inputs.append((None, None, 0))
            continue
        end = scheduler.day_end(record.reviewed_at)
        elapsed = max(int((end - state.last_review).total_seconds()), 0) // DAY_SECS
        inputs.append((state.stability, state.difficulty, elapsed))
    store.close()
    cached.write_bytes(marshal.dumps(inputs))
    return inputs


def time_fsrs(inputs: list[tuple[float | None, float | None, int]]) -> float:
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, MemoryState

    from quiz.core.settings import Settings

    fsrs, retention = FSRS(list(DEFAULT_PARAMETERS)), Settings().desired_retention
    start = time.perf_counter()
    for stability, difficulty, elapsed in inputs:
        memory = None if stability is None or difficulty is None else MemoryState(stability, difficulty)
        fsrs.next_states(memory, retention, elapsed)
    return time.perf_counter() - start


def time_rebuild(store_folder: Path) -> tuple[float, int]:
    from quiz.core.rebuild import rebuild
    from quiz.core.store import Store

    store = Store.in_folder(store_folder)
    try:
        start = time.perf_counter()
        done = rebuild(store)
        seconds = time.perf_counter() - start
    finally:
        store.close()
    assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0), done
    return seconds, done.states


def main(workdir: Path) -> dict:
    folder = history_store(workdir / f"store-{CARDS}x{ANSWERS}", CARDS, ANSWERS)
    inputs = fsrs_inputs(folder)
    fsrs_s = time_fsrs(inputs)
    quiz_s, cards = time_rebuild(folder)
    return {
        "events": len(inputs),
        "cards": cards,
        "fsrs_s": fsrs_s,
        "quiz_s": quiz_s,
        "ratio": quiz_s / fsrs_s,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
