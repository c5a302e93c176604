"""What a merge reads: the history of the cards the other device's events touch, not the whole store's. The app
merges on its own thread while Home is up (quiz/ui/autosync.py), so a merge that went through every event of a
year's history held Home's keys for as long (150 answers into 150,000 events: ~0.13 s of CPU, now ~0.05 s).
Counted in SQLite's virtual machine steps, which are the same on every run, not in time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from benchmarks.eventhistory import DECK, card_key, write_history
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.events import card_number
from quiz.core.model import Grade, Mode
from quiz.core.rebuild import rebuild
from quiz.core.scheduler import Scheduler
from quiz.core.store import Store
from quiz.core.sync import exchange, merge, sync
from tests.conftest import START
from tests.core.progress_ops import snapshot

ANSWERED = 10  # cards the desk answers: n0 ... n9, each with the same history however many cards the deck has
STEPS = 100  # SQLite's virtual machine instructions per count


def _merge_steps(home: Path, cards: int) -> int:
    """The laptop holds `cards` cards x 3 answers and the desk all of them; the desk answers ANSWERED of them:
    how many steps the laptop's merge of those answers takes. Checks that both end with the same states."""
    folder = home / "folder"
    folder.mkdir(parents=True)
    clock = FixedClock(START + timedelta(days=1200))  # after the history (2023)
    laptop = Store.in_folder(home / "laptop", clock=clock)
    desk = Store.in_folder(home / "desk", clock=clock)
    try:
        write_history(laptop, cards, 3)
        sync(laptop, folder, host="laptop")
        sync(desk, folder, host="desk")
        scheduler = Scheduler(desk.settings())
        for index in range(ANSWERED):
            key, answered = card_key(index), clock.now() + timedelta(seconds=index)
            before = desk.state(DECK, key)
            after = scheduler.review(card_number(DECK, key), before or CardState("basic"), Grade.GOOD, answered)
            desk.record_review(DECK, key, Grade.GOOD, answered, 4000, Mode.REVIEW, before, after)
        sync(desk, folder, host="desk")
        exchanged = exchange(laptop, folder, host="laptop")
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        laptop.db.set_progress_handler(count, STEPS)
        report = merge(laptop, exchanged)
        laptop.db.set_progress_handler(None, STEPS)
        assert (report.received, report.cards) == (ANSWERED, ANSWERED)
        assert snapshot(laptop) == snapshot(desk)
        assert rebuild(laptop).changed_states == 0
        return steps
    finally:
        laptop.close()
        desk.close()


def test_a_merge_reads_the_cards_it_replays_not_the_whole_history(tmp_path: Path) -> None:
    """Ten answers merged into a store of 60 events and into one of 3,000: the same cards replayed, the same
    rows written; the larger store's other 2,940 events are not read."""
    small = _merge_steps(tmp_path / "small", 20)
    large = _merge_steps(tmp_path / "large", 1000)
    assert large < small * 1.5, (small, large)
