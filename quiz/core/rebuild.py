"""Writing what the events replay to (quiz.core.replay) into the store: every card (`quiz rebuild`), or the
cards a merge touched (`quiz sync`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from quiz.core import events
from quiz.core.cardstate import CardState
from quiz.core.events import Event, card_number
from quiz.core.identity import note_id_of, renamed_key
from quiz.core.model import Grade
from quiz.core.optionreplay import SCHEDULING_KINDS, OptionsTimeline
from quiz.core.replay import Answers, CardId, Progress, Recompute, replay
from quiz.core.settings import Settings
from quiz.core.store import ReviewRecord, Store, state_from_columns


def recompute_for(store: Store) -> Recompute:
    """A review's schedule computed afresh with the options its deck had at that point of the history (as the
    events give them, not as this store has them now: a device that has not yet read a settings change
    computes alike once it has), fuzz drawn from the card and its answers: the same on every device. Its days
    are counted in UTC, not in this computer's time zone: two machines in different zones (or one after a
    flight) compute it alike too."""
    from quiz.core.scheduler import Scheduler  # fsrs loads only when a merge needs it

    timeline: OptionsTimeline | None = None  # read when a review is first recomputed (rarely)
    schedulers: dict[Settings, Scheduler] = {}

    def recompute(event: Event, state: CardState) -> CardState:
        nonlocal timeline
        assert event.deck_id is not None and event.card_key is not None
        if timeline is None:
            timeline = OptionsTimeline(store.read_events(kinds=SCHEDULING_KINDS))
        settings = timeline.settings(event.deck_id, event.order)
        scheduler = schedulers.get(settings) or schedulers.setdefault(settings, Scheduler(settings, UTC))
        # the card's fuzz is drawn from its number and its answers so far (as Anki's), so every device draws the
        # same; no load balancer here (it counts this device's cards due)
        number = card_number(event.deck_id, event.card_key)
        answered = datetime.fromisoformat(event.answered_at)
        return scheduler.review(number, state, Grade(event.body["grade"]), answered)

    return recompute


def replayed_reviews(store: Store, deck_id: str) -> list[ReviewRecord]:
    """The deck's answers (`Store.reviews`), each with the states before and after it that replaying the deck's
    events gives, the states `rebuild` writes: an answer merged from another device that answered the card
    offline keeps in the log the states it was recorded with, not those its merge computed. An answer that
    leaves the state as it is (practice, exam, imported) keeps its own."""
    replayed = _replayed_by_log_id(store, deck_id)
    reviews = store.reviews(deck_id=deck_id)
    for index, record in enumerate(reviews):
        if (states := replayed.get(record.id)) is not None:
            reviews[index] = replace(record, state_before=states[0], state_after=states[1])
    return reviews


def _replayed_by_log_id(store: Store, deck_id: str) -> dict[int, tuple[CardState | None, CardState]]:
    """`_replayed_answers`, each by its row's id in the log: a ReviewRecord holds no event id (those of 300,000
    answers took 26 MB more), and most decks' answers are replayed none (an imported deck's)."""
    answers = _replayed_answers(store, deck_id)
    if not answers:
        return {}
    with store.reading() as db:
        logged = db.execute("SELECT id, event_id FROM review_log WHERE deck_id = ?", (deck_id,))
        return {log_id: answers[event_id] for log_id, event_id in logged if event_id in answers}


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
    is the one it was recorded from). That chain is checked in one pass over an index of the answers by card
    in replay order, each answer's state before compared with the one the answer before it left by their
    digests (schema 12), and the stored state with the last answer's by its digest, made alike from its row;
    only a stored state whose digest differs is compared column by column, so those cards never leave SQLite
    unless they differ. Every other card's events are replayed in Python."""
    # a row that does not read back (damage) is a StoreCorruptError, as any read of the store makes it
    with store.transaction() as db, store.reading(), _mapped(db):
        held, broken = _chains(db)
        found = _flags_marks_renames(db)
        broken |= _renamed_cards(db, found)
        stored = _differing_stored(db, held)
        left, suspect = _left_states(db, held, broken, stored)
        broken |= suspect
        held = {number: digest for number, digest in held.items() if number not in broken}
        found += _events_of(db, broken)
        progress = replay(found, recompute_for(store))
        stored_flags, stored_marks = store.all_flags(), store.all_marks()
        changed_states = _changed_states(db, held, left, stored, found, broken, progress)
        flagged = set(stored_flags) | set(progress.flags)
        notes = stored_marks | progress.marks
        flags = {card: progress.flags.get(card, 0) for card in flagged}
        marks = {note: note in progress.marks for note in notes}
        changed_flags = {card: flag for card, flag in flags.items() if stored_flags.get(card, 0) != flag}
        changed_marks = {note: marked for note, marked in marks.items() if (note in stored_marks) != marked}
        store.put_progress(db, changed_states, changed_flags, changed_marks)
    return Rebuilt(
        len(held) + len(progress.states),
        len(progress.flags),
        len(progress.marks),
        len(changed_states),
        len(changed_flags),
        len(changed_marks),
    )


@contextmanager
def _mapped(db: sqlite3.Connection) -> Iterator[None]:
    """The store file read through memory mapping for the caller's transaction: the pass over the index reads
    every page of it, and the stored states' lookups read them again (~0.1 s less of a million answers' ~1 s,
    SQLite copying no page). SQLite caps the size it maps (2 GB by default). A read error of the disk while
    mapped ends the process (SIGBUS) rather than raising StoreError: the rebuild's one transaction then writes
    nothing."""
    (size,) = db.execute("PRAGMA mmap_size").fetchone()
    db.execute(f"PRAGMA mmap_size = {_MAPPED_BYTES}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA mmap_size = {size}")


_MAPPED_BYTES = 1 << 34
# The answers that set their card's state, by card number in replay order (time, then id), from the index made
# for it (events.CHAIN_SCRIPT): no sort, no temporary table, never the event rows themselves.
_CHAIN = (
    "SELECT card_no, CASE WHEN before_kind NOTNULL AND before_kind IS NOT after_kind THEN '' ELSE before_digest END, "
    "after_digest FROM event INDEXED BY event_chain WHERE sets_state = 1{} ORDER BY card_no, at, id"
)  # an answer that made the card of another kind breaks its chain (its state before read as matching none)
_NUMBERED = " AND card_no IN (SELECT value FROM json_each(?))"
_OTHER = f"event INDEXED BY event_other WHERE ({events.OTHER_EVENTS})"
_STORED = ", ".join(f"s.{name}" for name in events.STATE_FIELDS)
_LAST_ID = (
    "SELECT id FROM event INDEXED BY event_chain WHERE card_no = ? AND sets_state = 1 ORDER BY at DESC, id DESC LIMIT 1"
)


def _chains(db: sqlite3.Connection, numbers: Iterable[int] | None = None) -> tuple[dict[int, int], set[int]]:
    """The card numbers whose chain of answers holds, each with its last answer's state's digest, and those whose
    chain is broken: its first answer was recorded from a state (not a new card), or an answer from another state
    than the one before it left (a merge put another device's answer in between, or the store was edited), or the
    last one left none (a damaged row), or one made the card of another kind (the replay then schedules it as a new
    card of that kind); or the card has any other event than such an answer (events.OTHER_EVENTS: an undo, a
    suspension, a state set, an answer whose body SQL cannot judge). Answers that leave the state as it is
    (sets_state 0) and flags are passed over, as the replay passes them over (every flag is replayed in Python, on
    its own). Of every card, or of the cards numbered `numbers`."""
    held: dict[int, int] = {}
    broken: set[int] = set()
    card, left, holds = None, None, True
    some, wanted = ("", ()) if numbers is None else (_NUMBERED, (json.dumps(sorted(numbers)),))
    for number, before, after in db.execute(_CHAIN.format(some), wanted):
        if number != card:
            if card is not None:
                if holds and left is not None:
                    held[card] = left
                else:
                    broken.add(card)
            card, left, holds = number, None, True
        if before != left:
            holds = False
        left = after
    if card is not None:
        if holds and left is not None:
            held[card] = left
        else:
            broken.add(card)
    others = db.execute(
        f"SELECT DISTINCT card_no FROM {_OTHER} AND card_no IS NOT NULL AND kind != 'flag'{some}", wanted
    )
    broken.update(number for (number,) in others)
    return {number: digest for number, digest in held.items() if number not in broken}, broken


def _flags_marks_renames(db: sqlite3.Connection) -> list[Event]:
    rows = db.execute(f"SELECT {events.EVENT_COLUMNS} FROM {_OTHER} AND kind IN ('flag', 'mark', 'rename')")
    return [events.event_from_row(row) for row in rows]


def _renamed_cards(db: sqlite3.Connection, found: list[Event]) -> set[int]:
    """The cards of every deck where a note was renamed: its cards' answers are under two keys (rare: a scan)."""
    renamed = sorted({event.deck_id for event in found if event.kind == events.RENAME and event.deck_id})
    if not renamed:
        return set()
    rows = db.execute(
        "SELECT DISTINCT card_no FROM event WHERE card_no IS NOT NULL AND deck_id IN (SELECT value FROM json_each(?))",
        (json.dumps(renamed),),
    )
    return {number for (number,) in rows}


def _events_of(db: sqlite3.Connection, cards: set[int], flags: bool = False) -> list[Event]:
    """The events of the cards numbered `cards` that the replay needs (no answer that leaves the state as it is),
    found by number in the indexes of the chain and of the other events; their flags only if `flags` (a rebuild
    reads every flag already)."""
    if not cards:
        return []
    rows = db.execute(
        f"SELECT {events.EVENT_COLUMNS} FROM event INDEXED BY event_chain "
        "WHERE sets_state = 1 AND card_no IN (SELECT value FROM json_each(?1)) UNION ALL "
        f"SELECT {events.EVENT_COLUMNS} FROM {_OTHER} AND card_no IN (SELECT value FROM json_each(?1))"
        + ("" if flags else " AND kind != 'flag'"),
        (json.dumps(sorted(cards)),),
    )
    return [events.event_from_row(row) for row in rows]


_CARDS_AT_ONCE = 1000  # cards replayed together: only their events are in memory at a time
# The deck's cards that have an answer that sets the state, or may (its body judged in Python): only those have
# states replayed for an answer; an imported deck's answers set none (sets_state 0), so it has no such card.
_ANSWERING_CARDS = (
    "SELECT card_no, card_key FROM event INDEXED BY event_chain WHERE sets_state = 1 AND deck_id = ?1 UNION "
    f"SELECT card_no, card_key FROM {_OTHER} AND kind = 'review' AND deck_id = ?1"
)


def _replayed_answers(store: Store, deck_id: str) -> Answers:
    """Each answer of the deck that sets its card's state, with its states as replayed. Only the cards with such
    an answer are replayed, a batch at a time (the whole history of a deck of 300,000 imported answers, none
    of them replayed, held 850 MB); the cards of a renamed note together, with every name the renames gave it."""
    recompute = recompute_for(store)
    renamed = _renamed_together([rename for rename in store.read_renames() if rename.deck_id == deck_id])
    with store.reading() as db:
        answering = db.execute(_ANSWERING_CARDS, (deck_id,)).fetchall()
    numbers = sorted({number for number, key in answering if (deck_id, note_id_of(key)) not in renamed})
    answers: Answers = {}
    for start in range(0, len(numbers), _CARDS_AT_ONCE):
        with store.reading() as db:
            replay(_events_of(db, set(numbers[start : start + _CARDS_AT_ONCE])), recompute, answers)
    if renamed:
        replay(store.read_events(notes=renamed, kinds=events.CARD_KINDS | {events.RENAME}), recompute, answers)
    return answers


class _Stored(NamedTuple):
    """The stored states not known equal to their held chain's last answer's state (deck id, card key, number):
    the card's chain does not hold, or the digests differ, or two stored cards share the number; every stored
    card's number, and those shared."""

    differing: list[tuple[str, str, int]]
    numbers: set[int]
    shared: set[int]


def _differing_stored(db: sqlite3.Connection, held: dict[int, int]) -> _Stored:
    """Each stored state's digest made as an answer's state after's (events.INSERT_EVENT: the same function of the
    same values in the same order, so an untouched store's equal its cards' last answers'), compared in one call
    per row: only the rows that differ leave SQLite (a row spelt otherwise, 3 for 3.0, is then compared column
    by column)."""
    numbers: set[int] = set()
    shared: set[int] = set()

    def differs(deck_id: str, card_key: str, *state: Any) -> bool:
        number = events.card_number(deck_id, card_key)
        if number in numbers:
            shared.add(number)
        numbers.add(number)
        return held.get(number) != events.state_digest_of(state)

    arguments = 2 + len(events.STATE_FIELDS)
    db.create_function("quiz_state_differs", arguments, differs)
    try:
        rows = db.execute(
            f"SELECT s.deck_id, s.card_key FROM card_state AS s "
            f"WHERE quiz_state_differs(s.deck_id, s.card_key, {_STORED})"
        ).fetchall()
    finally:
        db.create_function("quiz_state_differs", arguments, None)  # holds `held` no longer
    differing = {(deck, key, events.card_number(deck, key)) for deck, key in rows}
    if shared:  # (rare) every stored state of a shared number, whatever its digest
        cards = db.execute("SELECT deck_id, card_key FROM card_state")
        differing |= {(deck, key, number) for deck, key in cards if (number := events.card_number(deck, key)) in shared}
    return _Stored(sorted(differing), numbers, shared)


def _left_states(
    db: sqlite3.Connection, held: dict[int, int], broken: set[int], stored: _Stored
) -> tuple[dict[CardId, CardState], set[int]]:
    """The state each held chain's last answer left, for the stored states whose digest is not that state's, to be
    compared column by column; and the chains not to be trusted after all, to be replayed: a number two stored
    cards share, or one whose last answer is another card's than the stored state's."""
    left: dict[CardId, CardState] = {}
    suspect = set(stored.shared)
    for deck, key, number in stored.differing:
        if number in broken or number not in held:
            continue
        last_deck, last_key, state = _last_state(db, number)
        if (last_deck, last_key) == (deck, key):
            left[deck, key] = state
        else:
            suspect.add(number)
    return left, suspect


def _changed_states(
    db: sqlite3.Connection,
    held: dict[int, int],
    left: dict[CardId, CardState],
    stored: _Stored,
    found: list[Event],
    broken: set[int],
    progress: Progress,
) -> dict[CardId, CardState | None]:
    """Every card whose stored state is not what its events give (compared as states: the same state may be
    spelt otherwise in a row edited outside quiz): a held chain's last answer's state, the other cards' as the
    replay gives them (none: a stored state without answers is removed)."""
    expected: dict[CardId, CardState | None] = {}
    for deck, key, number in stored.differing:
        if number in held:
            expected[deck, key] = left[deck, key]
        else:
            expected[deck, key] = progress.states.get((deck, key))
    # the replayed cards (but a held chain's, replayed for its flags), whose stored states may equal a digest they
    # were not compared with (a shared number)
    replayed = progress.cards | {(e.deck_id, e.card_key) for e in found if e.deck_id and e.card_key}
    for card in replayed:
        if events.card_number(*card) not in held:
            expected.setdefault(card, progress.states.get(card))
    changed: dict[CardId, CardState | None] = {}
    kept: set[CardId] = set()
    for row in _stored_states(db, expected):
        card = row[0], row[1]
        kept.add(card)
        if state_from_columns(row[2:]) != expected[card]:
            changed[card] = expected[card]
    changed.update({card: state for card, state in progress.states.items() if card not in kept})
    for number in held.keys() - stored.numbers:  # a held chain whose card has no stored state
        deck, key, state = _last_state(db, number)
        changed[deck, key] = state
    return changed


def _last_state(db: sqlite3.Connection, number: int) -> tuple[str, str, CardState]:
    """The card that the held chain numbered `number` is of, and the state its last answer left."""
    row = db.execute(
        f"SELECT deck_id, card_key, {events.AFTER_SQL} FROM event WHERE id = ({_LAST_ID})", (number,)
    ).fetchone()
    return row[0], row[1], state_from_columns(row[2:])


def _stored_states(db: sqlite3.Connection, cards: Iterable[CardId]) -> list[tuple[Any, ...]]:
    """The stored states of `cards` that have one: (deck id, card key, its columns...)."""
    wanted = json.dumps([list(card) for card in cards])
    return db.execute(
        f"SELECT s.deck_id, s.card_key, {_STORED} FROM json_each(?) AS j JOIN card_state AS s "
        "ON s.deck_id = json_extract(j.value, '$[0]') AND s.card_key = json_extract(j.value, '$[1]')",
        (wanted,),
    ).fetchall()


def replay_touched(store: Store, cards: Iterable[CardId], notes: Iterable[CardId] = ()) -> int:
    """Replay the cards `cards` (deck id, card key) and every card of the notes `notes` (deck id, note id: what a
    mark or a rename names), each with every name a rename gave it, and write what they give, in the caller's
    transaction. A card whose history is a chain of answers takes its last answer's state from the chain's index
    (`_chained`); another card's events are found by its number (a merge of 150 answers into a year's history
    reads those cards' events, not the year's); a note's cards by a pass over the events. Returns the cards
    replayed."""
    cards, notes = set(cards), set(notes)
    if not cards and not notes:
        return 0
    renames = store.read_renames()
    joined = _renamed_together(renames)

    def every_note(notes: Iterable[CardId]) -> set[CardId]:
        """The notes (deck id, note id) with every id the renames joined to theirs (x: y, z)."""
        return {named for note in notes for named in joined.get(note, {note})}

    notes = every_note(notes)

    def every_name(cards: Iterable[CardId]) -> set[CardId]:
        """The cards under every name the renames joined to theirs (x/reverse: y/reverse, z/reverse)."""
        return {
            (deck, renamed_key(key, note))
            for deck, key in cards
            for _, note in joined.get((deck, note_id_of(key)), {(deck, note_id_of(key))})
        }

    chained = (
        {} if notes else _chained(store.db, {card for card in cards if (card[0], note_id_of(card[1])) not in joined})
    )
    names = every_name(cards - chained.keys())
    with store.reading():  # a merge reads the history of the cards it replays, not the whole store's
        numbered = _events_of(store.db, {card_number(*card) for card in names}, flags=True)
    # two cards' numbers may be equal: only the named cards' events
    found = {event.id: event for event in numbered if (event.deck_id, event.card_key) in names}
    found.update((event.id, event) for event in renames)
    if notes:
        kinds = events.CARD_KINDS | {events.MARK, events.RENAME}
        found.update((event.id, event) for event in store.read_events(notes=notes, kinds=kinds))
    read = [found[event_id] for event_id in sorted(found)]
    progress: Progress = replay(read, recompute_for(store))
    # every name the cards had: a rename moved the state away from the old ones, those no event names too (a
    # state received as y/reverse, renamed from x/reverse here, is z/reverse once y -> z is read)
    replayed = every_name(progress.cards | {(e.deck_id, e.card_key) for e in read if e.deck_id and e.card_key})
    # a mark too: one received as y's, moved from x here, is z's once y -> z is read
    named = every_note(
        progress.notes | {(e.deck_id, str(e.body.get("note"))) for e in read if e.kind == events.MARK and e.deck_id}
    )
    states = {card: progress.states.get(card) for card in replayed} | chained
    flags = {card: progress.flags.get(card, 0) for card in replayed | chained.keys()}
    marks = {note: note in progress.marks for note in named}
    store.put_progress(store.db, states, flags, marks)
    return len(progress.cards) + len(chained)


def _chained(db: sqlite3.Connection, cards: set[CardId]) -> dict[CardId, CardState]:
    """The cards among `cards` (none of them renamed) whose history is a chain of answers, each recorded from the
    state the one before left, and nothing else (no flag, undo, suspension...), each with the state its last
    answer left: what replaying its events gives (quiz.core.replay keeps a recorded state), read from the chain's
    index as `rebuild` reads it, without its events. Most of a merge's: another device's answers to cards this one
    has not answered since."""
    numbered = {card_number(*card): card for card in cards}
    if not numbered:
        return {}
    held, _ = _chains(db, numbered)
    flagged = db.execute(
        f"SELECT DISTINCT card_no FROM {_OTHER} AND kind = 'flag'{_NUMBERED}", (json.dumps(sorted(held)),)
    )
    found: dict[CardId, CardState] = {}
    for number in held.keys() - {number for (number,) in flagged}:
        deck, key, state = _last_state(db, number)
        if (deck, key) == numbered[number]:  # else two cards' numbers are equal: replayed
            found[deck, key] = state
    return found


def _renamed_together(renames: list[Event]) -> dict[CardId, set[CardId]]:
    """Each renamed note (deck id, note id) with every note a chain of renames joins it to: replaying one needs
    the others' events. A note never renamed is not listed."""
    joined: dict[CardId, set[CardId]] = {}
    for rename in renames:
        assert rename.deck_id is not None
        pair = {(rename.deck_id, str(rename.body.get("old"))), (rename.deck_id, str(rename.body.get("new")))}
        group = set().union(pair, *(joined.get(note, set()) for note in pair))
        for note in group:
            joined[note] = group
    return joined
