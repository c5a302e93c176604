"""`quiz rebuild`: SQLite checks most cards' chains of answers and takes their last states; the other cards are
replayed in Python. Whatever breaks a chain, a rebuild writes exactly what replaying every event one by one
gives, and only the cards whose chain is broken leave SQLite."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest

from quiz.core import events
from quiz.core import rebuild as rebuilding
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.events import Event
from quiz.core.identity import rename_card
from quiz.core.model import Deck, Grade, Mode
from quiz.core.rebuild import rebuild, recompute_for
from quiz.core.replay import replay
from quiz.core.scheduler import Scheduler
from quiz.core.store import Store
from tests.conftest import START, clocked_store
from tests.core.progress_ops import progress_deck, study

OTHER_DEVICE = "ab" * 8


store = clocked_store  # this file's `store`: its events take the test's clock


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return progress_deck(tmp_path)


def _review(store: Store, key: str, at: str, body: dict, event_id: str | None = None, received: bool = False) -> Event:
    """A review event of deck c kept as another device's line would be (its states in its body)."""
    event = Event(
        event_id or events.new_event_id(), OTHER_DEVICE if received else store.device, at, "review", "c", key, body
    )
    with store.transaction() as db:
        events.insert_event(db, event, received=received)
    return event


def test_the_sets_state_column_is_the_replay_s_rule(store: Store, clock: FixedClock) -> None:
    """1 or 0 exactly where the replay's rule says so; NULL (the replay decides) for a body quiz never writes."""
    after = CardState("basic", 2, stability=3.0, due=START, last_review=START, reps=1).to_json()
    spelt = {  # the bodies quiz writes: its own answers in each mode, and an imported one
        "review": {"mode": "review"},
        "practice": {"mode": "practice"},
        "exam": {"mode": "exam"},
        "imported": {"mode": "review", "imported": True},
        "imported practice": {"mode": "practice", "imported": True},
    }
    odd = {  # never written by quiz: left to the replay
        "imported null": {"mode": "review", "imported": None},
        "imported 0": {"mode": "review", "imported": 0},
        "imported text": {"mode": "review", "imported": "yes"},
        "imported false": {"mode": "review", "imported": False},
    }
    kept = {}
    for name, extra in {**spelt, **odd}.items():
        body = {"grade": 3, "duration_ms": 900, "answered_at": START.isoformat(), "before": None, "after": after}
        kept[name] = _review(store, name, START.isoformat(), {**body, **extra})
    column = dict(store.db.execute("SELECT card_key, sets_state FROM event WHERE deck_id = 'c'").fetchall())
    assert {name: column[name] for name in spelt} == {name: int(events.sets_state(kept[name])) for name in spelt}
    assert [column[name] for name in spelt] == [1, 0, 0, 0, 0]
    assert all(column[name] in (None, int(events.sets_state(kept[name]))) for name in odd)
    assert column["imported 0"] is None and events.sets_state(kept["imported 0"])  # SQL cannot say: Python does
    # an answer recorded by a session, in each mode, and the other kinds of event
    state = CardState.from_json(after)
    for mode in Mode:
        store.record_review("d", str(mode), Grade.GOOD, clock.now(), 800, mode, None, state)
    store.set_flag("d", "review", 2)
    judged = store.db.execute("SELECT kind, card_key, sets_state FROM event WHERE deck_id = 'd' ORDER BY id").fetchall()
    assert judged == [
        ("review", "review", 1),
        ("review", "practice", 0),
        ("review", "exam", 0),
        ("flag", "review", None),
    ]


_BREAKS = ("none", "practice", "flagged", "edited", "not new", "other kind", "late", "odd body", "undone", "suspended")
_TAKEN_BY_SQL = {"none", "practice", "flagged"}  # the chains that hold: answers, some only history, and flags


def _answered(store: Store, clock: FixedClock, rng: random.Random, key: str, how: str) -> None:
    """Four answers of card `key` of deck c, their chain broken as `how` says."""
    scheduler = Scheduler(store.settings())
    state: CardState | None = None
    for answer in range(4):
        clock.advance(timedelta(days=rng.randint(1, 4), minutes=rng.randint(0, 600)))
        grade = rng.choice(list(Grade))
        after = scheduler.review(answer, state or CardState("basic"), grade, clock.now())
        before = state
        if how == "edited" and answer == 2:  # recorded from a state edited outside quiz
            assert state is not None
            before = replace(state, reps=state.reps + 5)
        if how == "other kind" and answer == 2:  # from the state the one before left, to a card of another kind
            after = replace(after, kind="reverse")
        if how == "not new" and answer == 0:  # the first one recorded from a new card's whole state, not none
            before = CardState("basic")
        answer_id = store.record_review("c", key, grade, clock.now(), 1000, Mode.REVIEW, before, after)
        if how == "practice" and answer == 1:  # history only: the chain holds
            store.record_review("c", key, Grade.AGAIN, clock.now(), 500, Mode.PRACTICE, after, CardState("basic"))
            store.record_review("c", key, Grade.HARD, clock.now(), 500, Mode.EXAM, after, CardState("basic"))
        if how == "flagged" and answer in (1, 2):  # a flag never changes the state
            store.set_flag("c", key, answer + 2)
        if how == "undone" and answer == 3:
            store.undo_review(answer_id)
        state = after
    if how == "late":  # another device's answer, read after this one's though given before the last of them
        assert state is not None  # (and, in id order, from the state the last one left)
        clock.advance(timedelta(minutes=1))
        at = clock.now() - timedelta(days=1)
        body = {"grade": 3, "duration_ms": 700, "mode": "review", "answered_at": at.isoformat()}
        after = scheduler.review(7, state, Grade.GOOD, at)
        _review(
            store, key, at.isoformat(), {**body, "before": state.to_json(), "after": after.to_json()}, received=True
        )
    if how == "odd body":  # an answer whose body SQL cannot judge: imported 0 sets the state, as the replay says
        assert state is not None
        clock.advance(timedelta(days=1))
        at = clock.now().isoformat()
        after = scheduler.review(9, state, Grade.GOOD, clock.now())
        body = {"grade": 3, "duration_ms": 700, "mode": "review", "answered_at": at, "imported": 0}
        _review(store, key, at, {**body, "before": state.to_json(), "after": after.to_json()})
    if how == "suspended":
        assert state is not None
        store.set_state("c", key, replace(state, suspended=True), change=events.SUSPEND)


@pytest.mark.parametrize("seed", range(6))
def test_a_rebuild_writes_what_replaying_every_event_gives_whatever_broke_a_chain(
    store: Store, deck: Deck, clock: FixedClock, seed: int
) -> None:
    rng = random.Random(seed)
    study(store, clock, deck, rng, 80)  # deck d: sessions with undos, suspends, buries, resets, flags, marks
    breaks = {f"c{n}": _BREAKS[n % len(_BREAKS)] for n in range(2 * len(_BREAKS))}
    for key, how in breaks.items():
        _answered(store, clock, rng, key, how)
    renamed = seed % 2 == 1
    if renamed:  # a note renamed in deck c: its answers are under two keys, so every card of c is replayed
        rename_card(store, "c", "c1", "c99")
    expected = replay(store.read_events(), recompute_for(store))
    # the stored progress spoiled as an edit outside quiz would
    keys = sorted(key for _, key, _ in store.all_states())
    store.db.execute("DELETE FROM card_state WHERE card_key IN (?, ?)", (keys[0], keys[3]))
    store.db.execute("UPDATE card_state SET reps = reps + 1 WHERE card_key IN (?, ?)", (keys[1], keys[4]))
    store.db.execute("UPDATE card_state SET due = replace(due, '+00:00', 'Z') WHERE card_key = ?", (keys[2],))
    store.db.execute(
        "INSERT INTO card_state (deck_id, card_key, kind, fsrs_state) VALUES ('e', 'never answered', 'basic', 0)"
    )
    store.db.execute("DELETE FROM card_flag")
    spoiled = {(d, key): state for d, key, state in store.all_states()}
    differing = {card for card in set(spoiled) | set(expected.states) if spoiled.get(card) != expected.states.get(card)}

    done, replayed = _replayed_by(store)
    assert {(d, key): state for d, key, state in store.all_states()} == expected.states
    assert store.all_flags() == expected.flags and store.all_marks() == expected.marks
    assert (done.states, done.flags, done.marks) == (len(expected.states), len(expected.flags), len(expected.marks))
    assert done.changed_states == len(differing) >= 5  # a due time spelt otherwise is the same state
    chained = {("c", key) for key, how in breaks.items() if how in _TAKEN_BY_SQL}
    assert ({("c", key) for key in breaks} - chained) <= replayed  # every broken chain is replayed ...
    assert bool(chained & replayed) == renamed  # ... and a chain that holds is not, unless its deck had a rename
    assert rebuild(store)[3:] == (0, 0, 0)


def _replayed_by(store: Store) -> tuple[rebuilding.Rebuilt, set[tuple[str, str]]]:
    """Rebuild, and the cards whose events were replayed in Python (their flags aside)."""
    replayed: set[tuple[str, str]] = set()

    def spy(found, recompute):
        found = list(found)
        replayed.update((e.deck_id, e.card_key) for e in found if e.card_key is not None and e.kind != "flag")
        return replay(found, recompute)

    with mock.patch.object(rebuilding, "replay", spy):
        return rebuild(store), replayed


def test_a_held_chain_gives_its_last_answer_s_state_to_a_stored_state_lost_or_edited(
    store: Store, clock: FixedClock
) -> None:
    """The chains hold, so no card leaves SQLite; the stored states are put back from the last answers' states,
    column by column, including a card whose stored state is gone (found by counting, then looked up)."""
    rng = random.Random(4)
    for n in range(6):
        _answered(store, clock, rng, f"c{n}", "none")
    expected = replay(store.read_events(), recompute_for(store))
    store.db.execute("DELETE FROM card_state WHERE card_key = 'c0'")
    store.db.execute("UPDATE card_state SET reps = reps + 1 WHERE card_key = 'c1'")
    store.db.execute("UPDATE card_state SET due = replace(due, '+00:00', 'Z') WHERE card_key = 'c2'")  # the same
    done, replayed = _replayed_by(store)
    assert {(d, key): state for d, key, state in store.all_states()} == expected.states
    assert (done.states, done.changed_states) == (6, 2) and not replayed
    assert rebuild(store)[3:] == (0, 0, 0)


def test_cards_that_share_a_number_are_replayed_never_taken_for_one(store: Store, clock: FixedClock) -> None:
    """A card's number is a hash of its deck and key: two cards with the same one mix their answers in the
    index, which breaks the chain, so they are replayed in Python, by their keys."""
    rng = random.Random(5)
    with mock.patch.object(events, "card_number", lambda deck_id, card_key: 7):
        for n in range(3):
            _answered(store, clock, rng, f"c{n}", "none")
        expected = replay(store.read_events(), recompute_for(store))
        store.db.execute("UPDATE card_state SET reps = reps + 1 WHERE card_key = 'c1'")
        done, replayed = _replayed_by(store)
    assert {(d, key): state for d, key, state in store.all_states()} == expected.states
    assert done.changed_states == 1 and replayed == {("c", "c0"), ("c", "c1"), ("c", "c2")}


def test_a_stored_state_sharing_a_held_chain_s_number_sends_that_chain_to_the_replay(
    store: Store, clock: FixedClock
) -> None:
    """A stored state of a card that has no answer, with the number and even the very state of a card whose chain
    holds, digest equal: the number two stored cards share sends that chain to the replay, which removes the state
    that no event gives."""
    number = events.card_number
    shared = mock.patch.object(
        events, "card_number", lambda deck, key: 7 if key in ("c0", "ghost") else number(deck, key)
    )
    with shared:
        _answered(store, clock, random.Random(8), "c0", "none")
        _answered(store, clock, random.Random(9), "c1", "none")
        expected = replay(store.read_events(), recompute_for(store))
        columns = ", ".join(events.STATE_FIELDS)
        store.db.execute(
            f"INSERT INTO card_state (deck_id, card_key, {columns}) "
            f"SELECT deck_id, 'ghost', {columns} FROM card_state WHERE card_key = 'c0'"
        )
        done, replayed = _replayed_by(store)
    assert {(d, key): state for d, key, state in store.all_states()} == expected.states
    assert done.changed_states == 1 and replayed == {("c", "c0")}


def test_the_chains_are_read_from_their_index_alone_in_its_order(store: Store, clock: FixedClock) -> None:
    _answered(store, clock, random.Random(6), "c0", "none")
    for query, arguments in (
        (rebuilding._CHAIN.format(""), ()),
        (rebuilding._CHAIN.format(rebuilding._NUMBERED), ("[1]",)),
    ):
        plan = " / ".join(row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {query}", arguments))
        assert "COVERING INDEX event_chain" in plan and "TEMP B-TREE" not in plan, plan
    rebuild(store)
    assert store.db.execute("PRAGMA mmap_size").fetchone() == (0,)  # mapped for the rebuild only


def test_an_event_read_from_another_device_gets_its_card_number_and_digests_on_arrival(store: Store) -> None:
    """A line carries neither (the line format stays 1): the store makes them from the event's own columns."""
    before = CardState("basic", 2, stability=3.0, due=START, last_review=START, reps=1)
    after = replace(before, stability=9.5, reps=2)
    body = {"grade": 3, "duration_ms": 700, "mode": "review", "answered_at": START.isoformat()}
    line = _review(
        store, "c7", START.isoformat(), {**body, "before": before.to_json(), "after": after.to_json()}, received=True
    ).line()
    assert "digest" not in line and "card_no" not in line
    row = store.db.execute("SELECT card_no, before_digest, after_digest FROM event WHERE card_key = 'c7'").fetchone()
    states = events.review_row(events.event_from_line(line))[7:-1]
    half = len(events.STATE_FIELDS)
    assert row == (
        events.card_number("c", "c7"),
        events.state_digest(*states[:half]),
        events.state_digest(*states[half:]),
    )
    assert None not in row and row[1] != row[2]


def test_a_stored_state_s_digest_is_its_last_answer_s_until_one_of_its_values_is_edited(
    store: Store, clock: FixedClock
) -> None:
    """The stored state's digest is made by the same function from the same values in the same order as its last
    answer's state after, so an untouched store's are all equal; an edited value makes it differ, and only that
    card's state is then compared column by column (and put back), none replayed."""
    rng = random.Random(7)
    for n in range(6):
        _answered(store, clock, rng, f"c{n}", "none")

    def differing() -> set[str]:
        held, broken = rebuilding._chains(store.db)
        stored = rebuilding._differing_stored(store.db, held)
        assert not broken and held.keys() == stored.numbers and len(held) == 6
        return {row[1] for row in stored.differing}

    assert differing() == set()
    store.db.execute("UPDATE card_state SET stability = stability + 0.5 WHERE card_key = 'c3'")
    assert differing() == {"c3"}
    done, replayed = _replayed_by(store)
    assert done.changed_states == 1 and not replayed
    assert differing() == set()


def test_two_answers_undone_then_an_answer_replay_as_the_session_left_them(store: Store) -> None:
    """The second undo drops its answer and replays the card without it, so the first undo's answer is computed
    again: its undo puts back the state it found in that replay, not the one it was recorded from (before, the
    last answer was computed again from that state, and `quiz rebuild` changed the card)."""

    def state(reps: int) -> CardState:
        at = START + timedelta(minutes=reps)
        return CardState(kind="basic", fsrs_state=2, stability=reps, difficulty=5.0, due=at, last_review=at, reps=reps)

    def answer(reps: int) -> int:
        before = None if reps == 1 else state(reps - 1)
        return store.record_review(
            "d", "a", Grade.GOOD, START + timedelta(minutes=reps), 1000, Mode.REVIEW, before, state(reps)
        )

    answer(1)
    second, third = answer(2), answer(3)
    store.undo_review(third)
    store.undo_review(second)
    answer(2)
    done = rebuild(store)
    assert done.changed_states == 0
    assert store.state("d", "a") == state(2)


def test_a_buried_new_card_answered_and_undone_replays_as_the_session_left_it(store: Store) -> None:
    """The session records a new card's state before an answer as None, its burial with it, and the undo puts
    that back: no state. The burial is in the answer's state after (the scheduler carries it over), so the
    replay knows the answer found the state it was recorded from, and its undo puts back None too, not the
    burial (which it puts back when another device's burial was merged before the answer)."""
    buried = CardState(kind="basic", buried_until=START + timedelta(hours=20))
    store.set_state("d", "a", buried, events.BURY)
    after = Scheduler(store.settings()).review(1, buried, Grade.GOOD, START + timedelta(days=2))
    answer = store.record_review("d", "a", Grade.GOOD, START + timedelta(days=2), 1000, Mode.REVIEW, None, after)
    store.undo_review(answer)
    assert store.state("d", "a") is None
    assert rebuild(store).changed_states == 0
