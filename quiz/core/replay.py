"""Card states, flags and marks replayed from the events (quiz.core.events): what `quiz rebuild` writes and
what `quiz sync` recomputes for the cards a merge touched.

Events replay in time order, ties by id, the same on every device. A review keeps the state it recorded
when the card's state before it is the one it was recorded from (always, on the device that made it);
when a merge put another device's change in between, its schedule is computed again from the state
replayed (`Recompute`: FSRS with the card's deck options, fuzz drawn from the event's id, so every device
draws the same), while a suspension or burial made meanwhile is kept. An undo puts back the state the
review found in the replay (a suspension or burial merged before it included), as the undo did, when nothing
else changed the card since; when a merge put something in between, the review is dropped and the card
replayed without it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from quiz.core import events
from quiz.core.cardstate import CardState
from quiz.core.clock import as_utc, moment_or_none
from quiz.core.events import Event
from quiz.core.identity import note_id_of, renamed_key

CardId = tuple[str, str]  # (deck id, card key); a note's mark: (deck id, note id)
# A review's schedule computed afresh: (the event, the state replayed before it) -> the state after it.
Recompute = Callable[[Event, CardState], CardState]
# Each answer that set its card's state, by event id: the states before (None: a new card) and after it, replayed
Answers = dict[str, tuple[CardState | None, CardState]]
_SCHEDULE = tuple(f.name for f in fields(CardState) if f.name not in ("suspended", "leech", "buried_until"))


@dataclass
class Progress:
    """What the events make of the cards they name."""

    states: dict[CardId, CardState] = field(default_factory=dict)
    flags: dict[CardId, int] = field(default_factory=dict)  # flagged cards only
    marks: set[CardId] = field(default_factory=set)  # (deck id, note id) of the marked notes
    cards: set[CardId] = field(default_factory=set)  # every card an event named (with a state or not)
    notes: set[CardId] = field(default_factory=set)  # every note a mark event named


def replay(found: Iterable[Event], recompute: Recompute, answers: Answers | None = None) -> Progress:
    """What the events make of their cards; `answers`, when given, is filled with each answer's states as replayed
    (an Anki export's review log: an answer merged from another device has other states than it recorded)."""
    ordered = sorted(found, key=lambda event: event.order)
    renames = [(i, e) for i, e in enumerate(ordered) if e.kind == events.RENAME]
    by_card: dict[CardId, list[Event]] = {}
    by_note: dict[CardId, list[Event]] = {}
    for index, event in enumerate(ordered):
        if event.deck_id is None:
            continue
        if event.kind in events.CARD_KINDS and event.card_key is not None:
            by_card.setdefault((event.deck_id, _moved(event.card_key, event.deck_id, index, renames)), []).append(event)
        elif event.kind == events.MARK:
            note_id = _moved(str(event.body.get("note")), event.deck_id, index, renames)
            by_note.setdefault((event.deck_id, note_id), []).append(event)
    progress = Progress(cards=set(by_card), notes=set(by_note))
    for card, history in by_card.items():
        state, flag = _card(history, recompute, answers)
        if state is not None:
            progress.states[card] = state
        if flag:
            progress.flags[card] = flag
    for note, history in by_note.items():
        if history[-1].body.get("on"):
            progress.marks.add(note)
    return progress


def _moved(key: str, deck_id: str, index: int, renames: list[tuple[int, Event]]) -> str:
    """The key a card named at position `index` has after the renames that came later."""
    start = bisect.bisect_right(renames, index, key=lambda pair: pair[0])
    for _, rename in renames[start:]:
        old, new = str(rename.body.get("old")), str(rename.body.get("new"))
        if rename.deck_id == deck_id and note_id_of(key) == old:
            key = renamed_key(key, new)
    return key


def _card(history: list[Event], recompute: Recompute, answers: Answers | None) -> tuple[CardState | None, int]:
    dropped: set[str] = set()
    while True:
        replayed: Answers | None = None if answers is None else {}  # a run cut short leaves none behind
        outcome = _run(history, recompute, dropped, replayed)
        if outcome is not None:
            if answers is not None and replayed is not None:
                answers.update(replayed)
            return outcome


def _run(
    history: list[Event], recompute: Recompute, dropped: set[str], answers: Answers | None = None
) -> tuple[CardState | None, int] | None:
    """The card's state and flag; None when an undo met a review something else followed (that review is
    then added to `dropped`, and the card must be replayed again). Fills `answers` if given."""
    state: CardState | None = None
    # The state, while it is the last answer's `after` exactly as recorded (not read: an answer recorded from it,
    # as most are, keeps its own `after`, so a run of answers reads only the last one's)
    recorded: dict[str, Any] | None = None
    flag = 0
    own_flag = False  # the flag was last set (or taken off) in quiz, not by an import
    last: Event | None = None  # the last event that changed the state
    # (the state `last` found,) when it is a review replayed from another state than the one it was recorded from
    # (a merge put a change before it, or an undo dropped the one before): what its undo puts back, schedule,
    # suspension and burial alike, not the state it was recorded from
    found: tuple[CardState | None] | None = None
    for event in history:
        kind, body = event.kind, event.body
        if kind == events.FLAG:
            imported = body.get(events.IMPORTED) is True
            # an import's flag is kept out as the import keeps it out (Store.import_history): by a flag changed in
            # quiz before it, or a state, that the package holds no newer answer than quiz's to
            if not imported or not _keeps_its_state(
                history, event, own_flag or state is not None or recorded is not None
            ):
                flag, own_flag = int(body.get("flag") or 0), not imported
            continue
        if kind == events.REVIEW and events.sets_state(event) and event.id not in dropped:
            after, before = body["after"], body.get("before")
            from_it = before == recorded if recorded is not None else state is None and before is None
            if from_it and (recorded is None or recorded.get("kind") == after.get("kind")):  # same kind of card
                if answers is not None:
                    answers[event.id] = (
                        None if recorded is None else CardState.from_json(recorded),
                        CardState.from_json(after),
                    )
                recorded, last, found = after, event, None
                continue
        if recorded is not None:
            state, recorded = CardState.from_json(recorded), None
        if kind == events.UNDO:
            target = body.get("of")
            if target in dropped:
                continue
            if last is not None and last.id == target:  # back to the state the review found, here
                if answers is not None:
                    answers.pop(last.id, None)
                before = last.body.get("before")
                if found is not None:
                    (state,) = found
                else:
                    state = None if before is None else CardState.from_json(before)
                last, found = event, None
                continue
            if any(e.id == target and events.sets_state(e) for e in history):
                dropped.add(str(target))
                return None
            continue
        if kind == events.REVIEW:
            if event.id in dropped or not events.sets_state(event):
                continue
            after, moved = _reviewed(state, event, recompute)
            if answers is not None:
                answers[event.id] = (state, after)
            found, state = ((state,) if moved else None), after
            last = event
            continue
        elif kind == events.STATE:
            if events.NEWEST in body and _keeps_its_state(history, event, state is not None):
                continue
            shown = body.get("state")
            state = None if shown is None else CardState.from_json(shown)
        elif kind == events.SUSPEND:
            state = replace(_effective(state, body.get("kind")), suspended=bool(body.get("on")))
        elif kind == events.BURY:
            until = moment_or_none(body.get("until"))
            if state is None and (until is None or body.get("kind") is None):  # an unbury: only a stored state
                continue
            state = replace(_effective(state, body.get("kind")), buried_until=until)
        last = event
    return (state if recorded is None else CardState.from_json(recorded)), flag


def _keeps_its_state(history: list[Event], imported: Event, studied: bool) -> bool:
    """Whether the card keeps its state (or flag) rather than take an import's (an event with events.NEWEST, or an
    imported flag), by the import's rule (events.imported_state_kept: `studied`, it holds a state, or a flag set in
    quiz) with the card's latest answer given in quiz before it (one that
    sets the state, not undone): an import counts imported answers too, so it takes a state only where this
    takes it as well (a rebuild reads no imported answer). Looked for only at such an event."""
    answered: dict[str, str] = {}
    for event in history:
        if event is imported:
            break
        if event.kind == events.REVIEW and events.sets_state(event):
            answered[event.id] = event.answered_at
        elif event.kind == events.UNDO:
            answered.pop(str(event.body.get("of")), None)
    # as instants, a time another device wrote without its offset read as UTC (as quiz reads any such time)
    ours = max((as_utc(datetime.fromisoformat(at)) for at in answered.values()), default=None)
    newest = moment_or_none(imported.body.get(events.NEWEST))
    return events.imported_state_kept(studied, ours, None if newest is None else as_utc(newest))


def _effective(state: CardState | None, kind: Any) -> CardState:
    """The state a change applies to, as the session's effective_state: a card whose kind changed is new
    (`kind` None: an unbury, which changes only a stored state)."""
    if state is not None and (kind is None or state.kind == kind):
        return state
    return CardState(kind=str(kind))


def _reviewed(state: CardState | None, event: Event, recompute: Recompute) -> tuple[CardState, bool]:
    """The state after a review replayed from `state`, and whether `state` differs from the one the review was
    recorded from (its schedule, or only its suspension, leech or burial)."""
    after = CardState.from_json(event.body["after"])
    current = _effective(state, after.kind)
    before = _recorded_before(event, after)
    if current == before:
        return after, False
    computed = _schedule(current) != _schedule(before)
    schedule = recompute(event, current) if computed else after
    result = replace(schedule, suspended=current.suspended, leech=current.leech, buried_until=current.buried_until)
    if after.leech and not before.leech:  # the answer made it a leech: suspended, as it was then
        result = replace(result, leech=True, suspended=True)
    return result, True


def _recorded_before(event: Event, after: CardState) -> CardState:
    """The state a review was recorded from. A session records a new card's as None, its suspension, leech and
    burial with it; the state after keeps them (the scheduler carries them over), so they are read from there:
    the undo on its device dropped them, and the replay of that device's own history must do the same."""
    recorded = event.body.get("before")
    if recorded is not None:
        return CardState.from_json(recorded)
    return CardState(kind=after.kind, suspended=after.suspended, leech=after.leech, buried_until=after.buried_until)


def _schedule(state: CardState) -> tuple[Any, ...]:
    return tuple(getattr(state, name) for name in _SCHEDULE)
