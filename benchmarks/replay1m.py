"""`quiz rebuild`'s replay of 1,000,000 events against the FSRS engine's own cost for the same reviews.

The store: 100,000 basic cards answered 10 times each (benchmarks/eventhistory.py: real FSRS states, as
answers record them), made once under benchmarks/work/replay1m/ (a store made by an older quiz is converted
when first opened, outside the timed region: 10 s from schema 11). One run, in a fresh process:

  FSRS: for every answer of the history, in order, what quiz's scheduler asks fsrs-rs-python for an answer
        (`FSRS.next_states` from the card's memory state before it and the days since its last answer;
        quiz.core.scheduler.Scheduler.memory_states), the inputs read beforehand and handed over in memory,
        not timed;
  quiz: `rebuild(store)`, what `quiz rebuild` runs: every card's events read from SQLite and replayed, and
        every card's state compared with the stored one, in one transaction (it must find nothing to change).

What the two sides do is not the same work. fsrs-rs computes a million answers. quiz's rebuild verifies
them: a card whose answers each start from the state the one before left (here, every card) replays to its
last answer's state, so the rebuild checks that chain, answer by answer, by the states' digests in one pass
over an index of the answers by card (schema 12), and compares the last state's digest with the stored
one's; it computes FSRS only for an answer a merge put after another device's. Its floor is reading the
million index entries in Python (~0.45 s) and each stored state's digest (~0.35 s), which the FSRS side is
spared.

Both are timed as wall time and as the process's CPU time (the machine may be shared: CPU time moves less).

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


def time_fsrs(inputs: list[tuple[float | None, float | None, int]]) -> tuple[float, float]:
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, MemoryState

    from quiz.core.settings import Settings

    fsrs, retention = FSRS(list(DEFAULT_PARAMETERS)), Settings().desired_retention
    start, cpu = time.perf_counter(), time.process_time()
    for stability, difficulty, elapsed in inputs:
        memory = None if stability is None or difficulty is None else MemoryState(stability, difficulty)
        fsrs.next_states(memory, retention, elapsed)
    return time.perf_counter() - start, time.process_time() - cpu


def time_rebuild(store_folder: Path) -> tuple[float, float, int]:
    from quiz.core.rebuild import rebuild
    from quiz.core.store import Store

    store = Store.in_folder(store_folder)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        done = rebuild(store)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        store.close()
    assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0), done
    return seconds, cpu, done.states


def main(workdir: Path) -> dict:
    folder = history_store(workdir / f"store-{CARDS}x{ANSWERS}", CARDS, ANSWERS)
    inputs = fsrs_inputs(folder)
    fsrs_s, fsrs_cpu_s = time_fsrs(inputs)
    quiz_s, quiz_cpu_s, cards = time_rebuild(folder)
    return {
        "events": len(inputs),
        "cards": cards,
        "fsrs_s": fsrs_s,
        "quiz_s": quiz_s,
        "ratio": quiz_s / fsrs_s,
        "fsrs_cpu_s": fsrs_cpu_s,
        "quiz_cpu_s": quiz_cpu_s,
        "cpu_ratio": quiz_cpu_s / fsrs_cpu_s,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
