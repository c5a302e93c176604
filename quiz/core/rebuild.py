"""Writing what the events replay to (quiz.core.replay) into the store: every card (`quiz rebuild`), or the
cards a merge touched (`quiz sync`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
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
    is the one it was recorded from), which SQLite finds without the events leaving it. Every other
    card's events are replayed in Python."""
    with store.transaction() as db:
        chained = _chained_states(db)
        progress = replay(_events_besides(db), recompute_for(store))
        progress.states.update(chained)
        db.execute("DROP TABLE temp.quiz_chained")
        stored_states = {(deck, key): state for deck, key, state in store.all_states()}
        stored_flags, stored_marks = store.all_flags(), store.all_marks()
        cards = set(stored_states) | set(progress.states)
        flagged = set(stored_flags) | set(progress.flags)
        notes = stored_marks | progress.marks
        states = {card: progress.states.get(card) for card in cards}
        flags = {card: progress.flags.get(card, 0) for card in flagged}
        marks = {note: note in progress.marks for note in notes}
        changed_states = {card: state for card, state in states.items() if stored_states.get(card) != state}
        changed_flags = {card: flag for card, flag in flags.items() if stored_flags.get(card, 0) != flag}
        changed_marks = {note: marked for note, marked in marks.items() if (note in stored_marks) != marked}
        store.put_progress(db, changed_states, changed_flags, changed_marks)
    return Rebuilt(
        len(progress.states),
        len(progress.flags),
        len(progress.marks),
        len(changed_states),
        len(changed_flags),
        len(changed_marks),
    )


# Cards whose events are all answers (no rename in their deck), and whose answers that set the state (in
# review mode, not imported) each start from the state the one before recorded (the first from none): the
# card's state is its last answer's. Kept in a temporary table, with that state in its columns.
_BREAK = " OR ".join(
    f"{before} IS NOT lag({after}) OVER card"
    for before, after in zip(events.BEFORE_COLUMNS, events.AFTER_COLUMNS, strict=True)
)
_CHAINED = f"""
CREATE TEMP TABLE quiz_chained AS
WITH chain AS (
    SELECT deck_id, card_key, {events.AFTER_SQL}, row_number() OVER card AS n, ({_BREAK}) AS broken
    FROM event
    WHERE kind = 'review' AND card_key IS NOT NULL AND deck_id IS NOT NULL
        AND json_extract(body, '$.mode') = 'review' AND NOT coalesce(json_extract(body, '$.imported'), 0)
    WINDOW card AS (PARTITION BY deck_id, card_key ORDER BY at, id)
), last AS (
    SELECT deck_id, card_key, max(n) AS answers, {events.AFTER_SQL}, sum(broken) AS breaks
    FROM chain GROUP BY deck_id, card_key
)
SELECT last.deck_id, last.card_key, {events.AFTER_SQL} FROM last
WHERE breaks = 0
    AND last.deck_id NOT IN (SELECT deck_id FROM event WHERE kind = 'rename' AND deck_id IS NOT NULL)
    AND (last.deck_id, last.card_key) NOT IN (
        SELECT deck_id, card_key FROM event WHERE kind != 'review' AND card_key IS NOT NULL AND deck_id IS NOT NULL
    )
"""


def _chained_states(db: sqlite3.Connection) -> dict[CardId, CardState]:
    db.execute("DROP TABLE IF EXISTS temp.quiz_chained")
    db.execute(_CHAINED)
    db.execute("CREATE UNIQUE INDEX temp.quiz_chained_card ON quiz_chained (deck_id, card_key)")
    rows = db.execute(f"SELECT deck_id, card_key, {events.AFTER_SQL} FROM temp.quiz_chained")
    return {(row[0], row[1]): state_from_columns(row[2:]) for row in rows}


def _events_besides(db: sqlite3.Connection) -> list[Event]:
    """Every event but those of the chained cards."""
    rows = db.execute(
        f"SELECT {events.EVENT_COLUMNS} FROM event WHERE NOT EXISTS (SELECT 1 FROM temp.quiz_chained AS c "
        "WHERE c.deck_id = event.deck_id AND c.card_key = event.card_key) ORDER BY id"
    )
    return [events.event_from_row(row) for row in rows]


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
