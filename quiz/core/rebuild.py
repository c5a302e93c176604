"""Writing what the events replay to (quiz.core.replay) into the store: every card (`quiz rebuild`), or the
cards a merge touched (`quiz sync`)."""

from __future__ import annotations

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
from quiz.core.store import Store


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
    transaction; returns how many differed (none, unless the store was edited outside quiz)."""
    with store.transaction() as db:
        progress = replay(store.read_events(), recompute_for(store))
        stored_states = {(deck, key): state for deck, key, state in store.all_states()}
        stored_flags, stored_marks = store.all_flags(), store.all_marks()
        cards = set(stored_states) | set(progress.states)
        flagged = set(stored_flags) | set(progress.flags)
        notes = stored_marks | progress.marks
        states = {card: progress.states.get(card) for card in cards}
        flags = {card: progress.flags.get(card, 0) for card in flagged}
        marks = {note: note in progress.marks for note in notes}
        store.put_progress(db, states, flags, marks)
    return Rebuilt(
        len(progress.states),
        len(progress.flags),
        len(progress.marks),
        sum(stored_states.get(card) != state for card, state in states.items()),
        sum(stored_flags.get(card, 0) != flag for card, flag in flags.items()),
        len(stored_marks ^ progress.marks),
    )


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
