"""Building today's review queue over 100,000 card states.

110,000 cards in one deck (basic, reverse and cloze notes, so siblings are in play): 100,000 have a
stored state (94 % review, due from 30 days ago to 180 days ahead, so about 13,000 are due; 1 %
learning or relearning; 5 % suspended) and 10,000 are new. Timed: `StudySession(...)` in review
mode, from the open store and the loaded deck to the first card ready: today's answers, the
learning cards, the reviews due today (earliest first, siblings kept apart, as many as the daily
limit takes) and the first new cards, each read from SQLite as the queue needs them, with three exam
dates ahead (the deck's and two topics'), which a session reads to place its answers. Reading all
100,000 states into CardState values (`Store.states`, which the queue used to need) is timed
separately, as `states_read_ms_100k`. A full collection runs before each timed build, so one run
does not pay for the garbage collector debt of the previous run's read. The first build also makes
what is kept for later ones (the deck's card index, the exams' count of cards not studied yet, which
Home gives the app's first session): it is reported apart too, as `first_ms`. The CPU time of each
build is reported beside the wall time (`cpu_ms`), steadier on a machine other work shares.

    python benchmarks/queuebuild.py WORKDIR RUNS -> one JSON line
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz.core.cardstate import CardState  # noqa: E402
from quiz.core.clock import FixedClock  # noqa: E402
from quiz.core.decks import cards_of  # noqa: E402
from quiz.core.kinds import new_note
from quiz.core.model import Deck, Note  # noqa: E402
from quiz.core.scheduler import Scheduler  # noqa: E402
from quiz.core.session import Scope, StudySession  # noqa: E402
from quiz.core.store import Store  # noqa: E402

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STATES = 100_000
NEW = 10_000


def build_deck() -> Deck:
    notes: list[Note] = []
    i = 0
    cards = 0
    while cards < STATES + NEW:
        kind = ("basic", "basic", "reverse", "cloze")[i % 4]
        if kind == "cloze":
            note = new_note(id=f"n{i}", kind=kind, topic=f"t{i % 5}", text=f"{{{{gap {i}}}}} and {{{{other {i}}}}}")
        else:
            note = new_note(id=f"n{i}", kind=kind, topic=f"t{i % 5}", tags=("a",), front=f"q {i}", back=f"a {i}")
        made = len(cards_of("big", note))
        if cards + made > STATES + NEW:
            note = new_note(id=f"n{i}", kind="basic", front=f"q {i}", back=f"a {i}")
            made = 1
        notes.append(note)
        cards += made
        i += 1
    all_cards = tuple(card for note in notes for card in cards_of("big", note))
    return Deck("big", "Big", "big.yaml", notes=tuple(notes), cards=all_cards)


def build_states(deck: Deck, count: int = STATES, now: datetime = NOW) -> dict[str, CardState]:
    """A history for `count` of the deck's cards: mostly reviews (some due), a few learning, some suspended."""
    rng = random.Random(3)
    keys = [card.key for card in deck.cards]
    rng.shuffle(keys)
    states: dict[str, CardState] = {}
    kinds = {card.key: str(card.kind) for card in deck.cards}
    for index, key in enumerate(keys[:count]):
        roll = index % 100
        if roll < 94:  # review
            due = now + timedelta(days=rng.uniform(-30, 180))
            state = CardState(
                kinds[key], 2, None, rng.uniform(1, 200), rng.uniform(1, 10), due, due - timedelta(days=5), 5
            )
        elif roll < 95:  # learning / relearning
            due = now + timedelta(minutes=rng.uniform(-60, 60))
            state = CardState(kinds[key], rng.choice((1, 3)), 0, 2.0, 5.0, due, now - timedelta(minutes=10), 1)
        else:  # suspended
            due = now + timedelta(days=rng.uniform(-30, 30))
            state = CardState(kinds[key], 2, None, 10.0, 5.0, due, due - timedelta(days=5), 4, suspended=True)
        states[key] = state
    return states


def write_states(store: Store, deck_id: str, states: dict[str, CardState]) -> None:
    """All in one transaction (one sync), through the store's own row writer."""
    with store.transaction() as db:
        for key, state in states.items():
            store._put_state(db, deck_id, key, state)


def main(workdir: Path, runs: int) -> dict:
    shutil.rmtree(workdir, ignore_errors=True)
    store = Store.in_folder(workdir)
    deck = build_deck()
    states = build_states(deck)
    write_states(store, deck.id, states)
    for topic in ("", "t0", "t1"):
        store.save_exam_date(deck.id, topic, (NOW + timedelta(days=40)).date().isoformat(), 0.95)
    scheduler = Scheduler(store.settings())
    clock = FixedClock(NOW)
    queue_ms, cpu_ms, read_ms = [], [], []
    for _ in range(runs):
        gc.collect()  # start each run without the collector debt of the previous run's 100,000-state read
        start, cpu = time.perf_counter(), time.process_time()
        session = StudySession(store, scheduler, clock, [deck], Scope((deck.id,)))
        queue_ms.append((time.perf_counter() - start) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        counts = session.counts()
        start = time.perf_counter()
        read = store.states(deck.id)
        read_ms.append((time.perf_counter() - start) * 1000)
        assert len(read) == STATES
    store.close()
    return {
        "cards": len(deck.cards),
        "states": len(states),
        "queue_ms": queue_ms,
        "first_queue_ms": queue_ms[0],
        "queue_cpu_ms": cpu_ms,
        "states_read_ms": read_ms,
        "queued": {"new": counts.new, "learning": counts.learning, "review": counts.review},
        "queue_ms_median": statistics.median(queue_ms),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 7)))
