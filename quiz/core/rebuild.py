"""Writing what the events replay to (quiz.core.replay) into the store: every card (`quiz rebuild`), or the
cards a merge touched (`quiz sync`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple

from quiz.core import events
from quiz.core.cardstate import CardState
from quiz.core.events import Event
from quiz.core.identity import note_id_of
from quiz.core.model import Grade
from quiz.core.optionreplay import SCHEDULING_KINDS, OptionsTimeline
from quiz.core.replay import CardId, Progress, Recompute, replay
from quiz.core.settings import Settings
from quiz.core.store import Store, state_from_columns


def recompute_for(store: Store) -> Recompute:
    """A review's schedule computed afresh with the options its deck had at that point of the history (as the
    events give them, not as this store has them now: a device that has not yet read a settings change
    computes alike once it has), fuzz drawn from the card and its answers: the same on every device."""
    from quiz.core.scheduler import Scheduler, stable_card_number  # fsrs loads only when a merge needs it

    timeline: OptionsTimeline | None = None  # read when a review is first recomputed (rarely)
    schedulers: dict[Settings, Scheduler] = {}

    def recompute(event: Event, state: CardState) -> CardState:
        nonlocal timeline
        assert event.deck_id is not None and event.card_key is not None
        if timeline is None:
            timeline = OptionsTimeline(store.read_events(kinds=SCHEDULING_KINDS))
        settings = timeline.settings(event.deck_id, event.order)
        scheduler = schedulers.get(settings) or schedulers.setdefault(settings, Scheduler(settings))
        # the card's fuzz is drawn from its number and its answers so far (as Anki's), so every device draws the
        # same; no load balancer here (it counts this device's cards due)
        number = stable_card_number(event.deck_id, event.card_key)
        answered = datetime.fromisoformat(event.answered_at)
        return scheduler.review(number, state, Grade(event.body["grade"]), answered)

    return recompute


class Rebuilt(NamedTuple):
    """What `rebuild` found: cards, flags and marks replayed, and how many of each differed from the store."""

    states: int
    flags: int
    marks: int
    changed_states: int
    changed_flags: int
    changed_marks: int


def rebuild(store: Store) -> Rebuilt:
    """Replay every event and write what it gives in place of the stored states, flags and marks, in one
    transaction; returns how many differed (none, unless the store was edited outside quiz).

    Most cards' histories are answers only, each recorded from the state the one before left: such a card
    replays to its last answer's state (quiz.core.replay keeps a recorded state when the state before it
    is the one it was recorded from). SQLite checks that chain in one pass over the events and compares the
    last state with the stored one, so those cards never leave it unless they differ. Every other card's
    events are replayed in Python."""
    # a row that does not read back (damage) is a StoreCorruptError, as any read of the store makes it
    with store.transaction() as db, store._reading(), _chains(db):
        progress = replay(_events_besides(db), recompute_for(store))
        stored_flags, stored_marks = store.all_flags(), store.all_marks()
        changed_states = _changed_chains(db)
        for deck, key, stored in _states_besides(db):
            if progress.states.get((deck, key)) != stored:
                changed_states[deck, key] = progress.states.get((deck, key))
        unstored = set(progress.states) - _stored_cards(db, progress.states)
        changed_states.update({card: progress.states[card] for card in unstored})
        flagged = set(stored_flags) | set(progress.flags)
        notes = stored_marks | progress.marks
        flags = {card: progress.flags.get(card, 0) for card in flagged}
        marks = {note: note in progress.marks for note in notes}
        changed_flags = {card: flag for card, flag in flags.items() if stored_flags.get(card, 0) != flag}
        changed_marks = {note: marked for note, marked in marks.items() if (note in stored_marks) != marked}
        (chained,) = db.execute("SELECT count(*) FROM temp.quiz_chain WHERE NOT broken").fetchone()
        store.put_progress(db, changed_states, changed_flags, changed_marks)
    return Rebuilt(
        chained + len(progress.states),
        len(progress.flags),
        len(progress.marks),
        len(changed_states),
        len(changed_flags),
        len(changed_marks),
    )


# Each card's chain of answers, in one pass over the events in id order (no sort): per card, the time and
# state after its latest answer that sets the state, and whether the chain is broken, i.e. the card's events
# are not all such answers (any other event of the card, or an answer whose body SQL cannot judge), or an
# answer was not recorded from the state the one before it left (the first from none), or left a card of
# another kind (the replay then schedules it as a new card of that kind), or came earlier than the one before
# it (another device's). Answers that leave the state as it is (sets_state 0) and flags are
# passed over, as the replay passes them over (every flag is replayed in Python, on its own). A card whose
# chain holds replays to its last answer's state.
_TEMP_CACHE_KIB = 64 * 1024  # the chains of 100,000 cards are ~25 MB: kept in memory, not spilled to a file
_CHAIN_COLUMNS = ", ".join(events.AFTER_COLUMNS + events.BEFORE_COLUMNS)
_CHAIN = f"""
INSERT INTO temp.quiz_chain
SELECT deck_id, card_key, at, sets_state IS NOT 1, sets_state IS NOT 1 OR before_kind IS NOT NULL, {_CHAIN_COLUMNS}
FROM event WHERE card_key IS NOT NULL AND deck_id IS NOT NULL AND sets_state IS NOT 0 AND kind != 'flag' ORDER BY id
ON CONFLICT (deck_id, card_key) DO UPDATE SET
    broken = broken OR excluded.other OR excluded.at < quiz_chain.at OR excluded.after_kind IS NOT excluded.before_kind
        OR ({", ".join("excluded." + column for column in events.BEFORE_COLUMNS)})
        IS NOT ({", ".join("quiz_chain." + column for column in events.AFTER_COLUMNS)}),
    at = excluded.at,
    {", ".join(f"{column} = excluded.{column}" for column in events.AFTER_COLUMNS)}
"""
_STORED = ", ".join(f"s.{name}" for name in events.STATE_FIELDS)
_LAST = ", ".join(f"c.{column}" for column in events.AFTER_COLUMNS)
_SAME_CARD = "c.deck_id = s.deck_id AND c.card_key = s.card_key"


@contextmanager
def _chains(db: sqlite3.Connection) -> Iterator[None]:
    """The chains in temp.quiz_chain for the caller's transaction."""
    (cache,) = db.execute("PRAGMA temp.cache_size").fetchone()
    db.execute(f"PRAGMA temp.cache_size = -{_TEMP_CACHE_KIB}")
    db.execute("DROP TABLE IF EXISTS temp.quiz_chain")
    db.execute(
        f"CREATE TABLE temp.quiz_chain (deck_id, card_key, at, other, broken, {_CHAIN_COLUMNS}, "
        "PRIMARY KEY (deck_id, card_key))"
    )
    try:
        db.execute(_CHAIN)
        db.execute("UPDATE temp.quiz_chain SET broken = 1 WHERE after_kind IS NULL")  # damaged: the replay says how
        yield
    finally:
        db.execute("DROP TABLE temp.quiz_chain")
        db.execute(f"PRAGMA temp.cache_size = {cache}")


def _events_besides(db: sqlite3.Connection) -> list[Event]:
    """What the replay in Python needs: every event of the cards whose chain is broken (or of a deck where a note
    was renamed: its cards' answers are under two keys), and the flags, marks and renames."""
    query = f"SELECT {events.EVENT_COLUMNS} FROM event WHERE kind IN ('flag', 'mark', 'rename')"
    if db.execute("SELECT 1 FROM temp.quiz_chain WHERE broken LIMIT 1").fetchone():  # else no lookup per event
        query += (
            " OR (sets_state IS NOT 0 AND (deck_id, card_key) IN "
            "(SELECT deck_id, card_key FROM temp.quiz_chain WHERE broken))"
        )
    found = [events.event_from_row(row) for row in db.execute(query)]
    renamed = sorted({event.deck_id for event in found if event.kind == events.RENAME and event.deck_id})
    if not renamed:
        return found
    decks = json.dumps(renamed)
    rows = db.execute(
        f"SELECT {events.EVENT_COLUMNS} FROM event WHERE sets_state IS NOT 0 AND kind != 'flag' "
        "AND (deck_id, card_key) IN (SELECT deck_id, card_key FROM temp.quiz_chain "
        "WHERE NOT broken AND deck_id IN (SELECT value FROM json_each(?)))",
        (decks,),
    )
    found += [events.event_from_row(row) for row in rows]
    db.execute("UPDATE temp.quiz_chain SET broken = 1 WHERE deck_id IN (SELECT value FROM json_each(?))", (decks,))
    return found


def _changed_chains(db: sqlite3.Connection) -> dict[CardId, CardState | None]:
    """The cards whose chain holds and whose stored state is not its last answer's (compared as states: the same
    state may be spelt otherwise in a row edited outside quiz)."""
    rows = db.execute(
        f"SELECT c.deck_id, c.card_key, {_LAST}, s.deck_id IS NOT NULL, {_STORED} FROM temp.quiz_chain AS c "
        f"LEFT JOIN card_state AS s ON {_SAME_CARD} WHERE NOT c.broken AND ({_LAST}) IS NOT ({_STORED})"
    )
    width = len(events.STATE_FIELDS)
    changed: dict[CardId, CardState | None] = {}
    for row in rows:
        state = state_from_columns(row[2 : 2 + width])
        if not row[2 + width] or state_from_columns(row[3 + width :]) != state:
            changed[row[0], row[1]] = state
    return changed


def _states_besides(db: sqlite3.Connection) -> Iterator[tuple[str, str, CardState]]:
    """The stored states of the cards whose chain does not hold, or that have no events."""
    rows = db.execute(
        f"SELECT s.deck_id, s.card_key, {_STORED} FROM card_state AS s WHERE NOT EXISTS "
        f"(SELECT 1 FROM temp.quiz_chain AS c WHERE {_SAME_CARD} AND NOT c.broken)"
    )
    return ((row[0], row[1], state_from_columns(row[2:])) for row in rows)


def _stored_cards(db: sqlite3.Connection, cards: Iterable[CardId]) -> set[CardId]:
    """Which of `cards` have a stored state."""
    wanted = json.dumps([list(card) for card in cards])
    rows = db.execute(
        "SELECT s.deck_id, s.card_key FROM json_each(?) AS j JOIN card_state AS s "
        "ON s.deck_id = json_extract(j.value, '$[0]') AND s.card_key = json_extract(j.value, '$[1]')",
        (wanted,),
    )
    return set(rows)


def replay_touched(store: Store, touched: Iterable[CardId]) -> int:
    """Replay the notes of the cards `touched` (deck id, card key or note id), with every name their notes had
    (renames), and write what they give, in the caller's transaction. Returns the cards replayed."""
    notes = {(deck, note_id_of(key)) for deck, key in touched}
    if not notes:
        return 0
    renames = store.read_events(kinds=[events.RENAME])
    grown = True
    while grown:  # a rename joins the note's old and new ids: replaying one needs the other's events
        grown = False
        for rename in renames:
            assert rename.deck_id is not None
            pair = {(rename.deck_id, str(rename.body.get("old"))), (rename.deck_id, str(rename.body.get("new")))}
            if pair & notes and not pair <= notes:
                notes |= pair
                grown = True
    found = store.read_events(notes=notes, kinds=events.CARD_KINDS | {events.MARK, events.RENAME})
    progress: Progress = replay(found, recompute_for(store))
    # every name the cards had: a rename moved the state away from the old ones
    cards = progress.cards | {(e.deck_id, e.card_key) for e in found if e.deck_id and e.card_key}
    named = progress.notes | {
        (e.deck_id, str(e.body.get("note"))) for e in found if e.kind == events.MARK and e.deck_id
    }
    states = {card: progress.states.get(card) for card in cards}
    flags = {card: progress.flags.get(card, 0) for card in cards}
    marks = {note: note in progress.marks for note in named}
    store.put_progress(store.db, states, flags, marks)
    return len(progress.cards)
