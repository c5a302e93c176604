"""What a merge reads: the history of the cards the other device's events touch, not the whole store's. The app
merges on its own thread while Home is up (quiz/ui/autosync.py), so a merge that went through every event of a
year's history held Home's keys for as long (150 answers into 150,000 events: ~0.13 s of CPU, now ~0.05 s).
Counted in SQLite's virtual machine steps, which are the same on every run, not in time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

from benchmarks.eventhistory import DECK, card_key, write_history
from quiz.core import rebuild as rebuilding
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.events import Event, card_number
from quiz.core.identity import rename_card
from quiz.core.model import Grade, Mode
from quiz.core.rebuild import rebuild
from quiz.core.replay import Progress, Recompute, replay
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


def _answer(store: Store, clock: FixedClock, key: str, grade: Grade = Grade.GOOD) -> None:
    clock.advance(timedelta(minutes=30))
    before = store.state("d", key)
    after = Scheduler(store.settings()).review(card_number("d", key), before or CardState("basic"), grade, clock.now())
    store.record_review("d", key, grade, clock.now(), 4000, Mode.REVIEW, before, after)


@contextmanager
def _laptop_and_desk(tmp_path: Path) -> Iterator[tuple[Path, Store, FixedClock, Store, FixedClock]]:
    """A synced folder, and the laptop's and the desk's stores with a clock each (the desk's 7 minutes ahead):
    (folder, laptop, its clock, desk, its clock), the stores closed after."""
    folder = tmp_path / "folder"
    folder.mkdir()
    laptop_clock, desk_clock = FixedClock(START), FixedClock(START + timedelta(minutes=7))
    laptop = Store.in_folder(tmp_path / "laptop", clock=laptop_clock)
    desk = Store.in_folder(tmp_path / "desk", clock=desk_clock)
    try:
        yield folder, laptop, laptop_clock, desk, desk_clock
    finally:
        laptop.close()
        desk.close()


def test_answers_merged_into_cards_renamed_on_either_machine_are_replayed_under_every_name(tmp_path: Path) -> None:
    """A merge finds a card's events by its number, one per name: the desk answers `x` and `x/reverse` offline
    while the laptop renames the note x to y, then y to z, and answers `z`; the desk answers `x` again after
    reading the first rename only. Both machines end with the same states, under z, and a rebuild agrees."""
    with _laptop_and_desk(tmp_path) as (folder, laptop, laptop_clock, desk, desk_clock):
        for key in ("x", "x/reverse", "w"):
            _answer(laptop, laptop_clock, key)
        sync(laptop, folder, host="laptop")
        sync(desk, folder, host="desk")
        _answer(desk, desk_clock, "x", Grade.AGAIN)
        _answer(desk, desk_clock, "x/reverse")
        laptop_clock.advance(timedelta(hours=2))  # the renames come after the desk's answers
        rename_card(laptop, "d", "x", "y")
        sync(laptop, folder, host="laptop")
        sync(desk, folder, host="desk")  # sends its answers to x, reads the rename
        _answer(desk, desk_clock, "y", Grade.HARD)
        laptop_clock.advance(timedelta(hours=2))
        rename_card(laptop, "d", "y", "z")
        _answer(laptop, laptop_clock, "z")
        for store, host in ((laptop, "laptop"), (desk, "desk"), (laptop, "laptop")):
            sync(store, folder, host=host)
        assert snapshot(laptop) == snapshot(desk)
        assert {key for _, key, _ in laptop.all_states()} == {"z", "z/reverse", "w"}
        assert rebuild(laptop).changed_states == 0 and rebuild(desk).changed_states == 0


def test_answers_that_follow_the_card_s_last_state_are_taken_without_replaying_its_history(tmp_path: Path) -> None:
    """The desk answers cards after reading the laptop's answers to them: each answer follows the state the one
    before it left, so the laptop's merge takes the last answer's state from the chain's index and replays none of
    those cards' events. A card both answered offline is replayed, and both machines end alike."""
    replayed: list[Event] = []

    def replay_seen(found: list[Event], recompute: Recompute) -> Progress:
        replayed.extend(event for event in found if event.card_key is not None)
        return replay(found, recompute)

    with _laptop_and_desk(tmp_path) as (folder, laptop, laptop_clock, desk, desk_clock):
        for key in ("a", "b", "c"):
            _answer(laptop, laptop_clock, key)
        sync(laptop, folder, host="laptop")
        sync(desk, folder, host="desk")
        for key in ("a", "b"):
            _answer(desk, desk_clock, key, Grade.HARD)
        sync(desk, folder, host="desk")
        with mock.patch.object(rebuilding, "replay", replay_seen):
            report = sync(laptop, folder, host="laptop")
        assert (report.received, report.cards, replayed) == (2, 2, [])
        assert snapshot(laptop) == snapshot(desk)
        _answer(laptop, laptop_clock, "c", Grade.EASY)  # both answer c offline
        _answer(desk, desk_clock, "c", Grade.AGAIN)
        sync(desk, folder, host="desk")
        with mock.patch.object(rebuilding, "replay", replay_seen):
            sync(laptop, folder, host="laptop")
        assert {event.card_key for event in replayed} == {"c"}
        sync(desk, folder, host="desk")
        assert snapshot(laptop) == snapshot(desk)
        assert rebuild(laptop).changed_states == 0 and rebuild(desk).changed_states == 0


def test_a_mark_merged_with_a_note_renamed_on_either_machine_is_kept_under_its_last_name_only(tmp_path: Path) -> None:
    """The desk marks the note x and renames it to y; the laptop reads both and renames y to z. Once the desk reads
    that, the mark is z's on both machines: the desk kept it under y too (the rename moved it there, and no event
    names y's mark), so the two stores disagreed and `quiz rebuild` took 1 mark away."""
    with _laptop_and_desk(tmp_path) as (folder, laptop, laptop_clock, desk, desk_clock):
        _answer(desk, desk_clock, "x")
        desk.set_mark("d", "x", True)
        rename_card(desk, "d", "x", "y")
        sync(desk, folder, host="desk")
        sync(laptop, folder, host="laptop")
        laptop_clock.advance(timedelta(hours=2))
        rename_card(laptop, "d", "y", "z")
        sync(laptop, folder, host="laptop")
        sync(desk, folder, host="desk")
        assert laptop.all_marks() == desk.all_marks() == {("d", "z")}
        assert rebuild(desk).changed_marks == 0
