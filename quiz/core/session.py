"""A study session as a plain state machine: queue -> answer -> grade -> record, with undo.

Review mode follows Anki: learning cards due now, then reviews due today, then new cards up to the
daily limit. Practice mode shuffles the chosen cards and logs answers without touching the schedule.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from operator import itemgetter

from quiz.core.clock import Clock, day_end, day_start
from quiz.core.grading import Response, Verdict, grade_response
from quiz.core.model import Card, Deck, Grade, Kind, Mode
from quiz.core.scheduler import NEW, CardState, Scheduler, stable_card_number
from quiz.core.store import Store

LEARN_AHEAD = timedelta(minutes=20)  # like Anki: with nothing else left, show learning cards this early
MAX_DURATION_MS = 3_600_000
_EARLIEST = datetime.min.replace(tzinfo=UTC)  # where a learning card without a due time sorts (never written)
_LEARNING, _REVIEW, _RELEARNING = 1, 2, 3  # fsrs.State values


@dataclass(frozen=True, slots=True)
class Scope:
    """Which cards a session draws from: some decks, optionally narrowed to a topic or a tag."""

    deck_ids: tuple[str, ...]
    topic: str | None = None
    tag: str | None = None

    def includes(self, card: Card) -> bool:
        return (
            card.deck_id in self.deck_ids
            and (self.topic is None or card.topic == self.topic)
            and (self.tag is None or self.tag in card.note.tags)
        )


@dataclass(frozen=True, slots=True)
class Counts:
    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True, slots=True)
class Answered:
    card: Card
    grade: Grade
    correct: bool
    duration_ms: int
    review_id: int
    leech: bool = False


@dataclass
class Summary:
    answered: list[Answered] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.answered)

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answered)

    @property
    def accuracy(self) -> float:
        return self.correct / self.count if self.count else 0.0

    @property
    def seconds(self) -> float:
        return sum(a.duration_ms for a in self.answered) / 1000

    def per_topic(self) -> dict[str, tuple[int, int]]:
        """topic -> (correct, answered)."""
        totals: Counter[str] = Counter(a.card.topic for a in self.answered)
        right: Counter[str] = Counter(a.card.topic for a in self.answered if a.correct)
        return {topic: (right[topic], totals[topic]) for topic in totals}


_NEW_STATES: dict[Kind, CardState] = {}


def effective_state(card: Card, stored: CardState | None) -> CardState:
    """A card whose kind changed since its history was written starts again as new."""
    kind = card.note.kind
    if stored is None or stored.kind != kind:
        new = _NEW_STATES.get(kind)
        if new is None:  # one shared (frozen) value per kind: counting 50,000 cards builds none
            new = _NEW_STATES[kind] = CardState(kind=str(kind))
        return new
    return stored


class StudySession:
    def __init__(
        self,
        store: Store,
        scheduler: Scheduler,
        clock: Clock,
        decks: list[Deck],
        scope: Scope,
        mode: Mode = Mode.REVIEW,
        seed: int | None = None,
    ) -> None:
        if mode is Mode.EXAM:
            raise ValueError("exams use ExamSession")
        self.store, self.scheduler, self.clock, self.mode = store, scheduler, clock, mode
        self.settings = scheduler.settings
        wanted = set(scope.deck_ids)
        includes = None if scope.topic is None and scope.tag is None else scope.includes
        self.cards: list[Card] = []
        self._card_decks: list[str] = []  # decks in scope with at least one card in scope
        for deck in decks:
            if deck.id in wanted:
                before = len(self.cards)
                self.cards.extend(deck.cards if includes is None else filter(includes, deck.cards))
                if len(self.cards) > before and deck.id not in self._card_decks:
                    self._card_decks.append(deck.id)
        # deck id -> card key -> stored state (one dict per deck: no tuple key built per lookup)
        self._states: dict[str, dict[str, CardState]] = {deck_id: {} for deck_id in scope.deck_ids}
        for deck_id in scope.deck_ids:
            self._states[deck_id] = store.states(deck_id)
        self.summary = Summary()
        self.current: Card | None = None
        self.verdict: Verdict | None = None
        self._shown_at: datetime = clock.now()
        # Learning cards: a heap of (due, seq, due-as-stored) over the live ones in `_learning` (seq -> card).
        # seq grows with every insertion, so equal due times keep insertion order, as a list would.
        self._learning: dict[int, Card] = {}
        self._learning_heap: list[tuple[datetime, int, datetime | None]] = []
        self._seq = 0
        self._reviews: deque[Card] = deque()
        self._new: deque[Card] = deque()
        self._numbers: dict[tuple[str, str], int] = {}
        # Undo entries: the answer, the card's stored state before it, the learning seq it was given (or
        # None), and how the card shown next was taken (from "learning" with its seq, "reviews" or "new").
        self._undo: list[tuple[Answered, CardState | None, int | None, tuple | None]] = []
        self._picked: tuple | None = None
        if mode is Mode.REVIEW:
            self._build_review_queue()
        else:
            shuffled = list(self.cards)
            random.Random(seed).shuffle(shuffled)
            self._new = deque(c for c in shuffled if not self.state_of(c).suspended)
        self._advance()

    @property
    def states(self) -> dict[tuple[str, str], CardState]:
        """(deck id, card key) -> stored state, for the decks in scope (a copy)."""
        return {(deck_id, key): state for deck_id, states in self._states.items() for key, state in states.items()}

    # --- queue ------------------------------------------------------------------------------------

    def state_of(self, card: Card) -> CardState:
        states = self._states.get(card.deck_id)
        return effective_state(card, states.get(card.key) if states is not None else None)

    def _stored(self, card: Card) -> CardState | None:
        states = self._states.get(card.deck_id)
        return states.get(card.key) if states is not None else None

    def _set_stored(self, card: Card, state: CardState | None) -> None:
        states = self._states.setdefault(card.deck_id, {})
        if state is None:
            states.pop(card.key, None)
        else:
            states[card.key] = state

    def _build_review_queue(self) -> None:
        now = self.clock.now()
        end = day_end(now, self.settings.rollover_hour)
        start = day_start(now, self.settings.rollover_hour)
        budgets: dict[str, list[int]] = {}
        answered_notes: set[tuple[str, str]] = set()
        for deck_id in self._card_decks:
            new_done, reviews_done, keys = self.store.today_counts(deck_id, start)
            budgets[deck_id] = [self.settings.new_per_day - new_done, self.settings.reviews_per_day - reviews_done]
            answered_notes |= {(deck_id, key.split("/")[0]) for key in keys}
        queued_notes: set[tuple[str, str]] = set()
        learning: list[tuple[CardState, Card]] = []
        reviews: list[tuple[datetime, Card]] = []
        all_states = self._states
        # Pass 1: learning cards and reviews due today. Most stored states are neither, so those are
        # found among the states first (one comprehension each), then taken in card order.
        hot = {
            deck_id: {
                key
                for key, st in states.items()
                if not st.suspended
                and (
                    (fsrs_state := st.fsrs_state) == _LEARNING
                    or fsrs_state == _RELEARNING
                    or (fsrs_state == _REVIEW and st.due is not None and st.due < end)
                )
            }
            for deck_id, states in all_states.items()
        }
        if len(hot) == 1:
            only = next(iter(hot.values()))
            hot_cards = [card for card in self.cards if card.key in only]
        else:
            hot_cards = [card for card in self.cards if card.key in hot.get(card.deck_id, ())]
        for card in hot_cards:
            stored = all_states[card.deck_id][card.key]
            if stored.kind != card.note.kind:
                continue  # its kind changed: new again
            buried = stored.buried_until
            if buried is not None and buried > now:
                continue
            fsrs_state = stored.fsrs_state
            if fsrs_state == _LEARNING or fsrs_state == _RELEARNING:
                learning.append((stored, card))
                continue
            note = (card.deck_id, card.note.id)
            if note in answered_notes or note in queued_notes:
                continue  # siblings wait until the next day
            reviews.append((stored.due, card))  # type: ignore[arg-type]
            queued_notes.add(note)
        reviews.sort(key=itemgetter(0))  # stable: equal due times keep card order
        for _, card in reviews:
            budget = budgets[card.deck_id]
            if budget[1] > 0:
                self._reviews.append(card)
                budget[1] -= 1
        # Pass 2: new cards, up to each deck's daily limit.
        open_budgets = sum(1 for budget in budgets.values() if budget[0] > 0)
        for card in self.cards if open_budgets else ():
            stored = all_states[card.deck_id].get(card.key)
            if stored is not None and stored.kind == card.note.kind:
                if stored.fsrs_state != NEW or stored.suspended:
                    continue
                if stored.buried_until is not None and stored.buried_until > now:
                    continue
            note = (card.deck_id, card.note.id)
            if note in answered_notes or note in queued_notes:
                continue
            budget = budgets[card.deck_id]
            if budget[0] > 0:
                self._new.append(card)
                queued_notes.add(note)
                budget[0] -= 1
                if budget[0] == 0:
                    open_budgets -= 1
                    if not open_budgets:
                        break  # every limit reached: nothing more can be queued
        for state, card in learning:
            self._add_learning(card, state)

    def _add_learning(self, card: Card, state: CardState, seq: int | None = None) -> int:
        if seq is None:
            seq = self._seq
            self._seq += 1
        self._learning[seq] = card
        heapq.heappush(self._learning_heap, (state.due or _EARLIEST, seq, state.due))
        return seq

    def _learning_top(self) -> tuple[datetime, int, datetime | None] | None:
        heap = self._learning_heap
        while heap and heap[0][1] not in self._learning:
            heapq.heappop(heap)  # left behind by a card that was taken or undone
        return heap[0] if heap else None

    def _next_learning(self, horizon: datetime) -> int | None:
        """The seq of the learning card due first, if it is due by `horizon`."""
        top = self._learning_top()
        return top[1] if top is not None and top[0] <= horizon else None

    def _advance(self) -> None:
        now = self.clock.now()
        seq = self._next_learning(now)
        card: Card | None = None
        picked: tuple | None = None
        if seq is None and self._reviews:
            card, picked = self._reviews.popleft(), ("reviews",)
        elif seq is None and self._new:
            card, picked = self._new.popleft(), ("new",)
        elif seq is None:
            seq = self._next_learning(now + LEARN_AHEAD)
        if seq is not None:
            card = self._learning.pop(seq)
            picked = ("learning", seq, self.state_of(card))
        self.current, self.verdict, self._shown_at, self._picked = card, None, now, picked

    def _unpick(self, picked: tuple | None) -> None:
        """Put the card `_advance` took back where it came from."""
        if picked is None or self.current is None:
            return
        if picked[0] == "reviews":
            self._reviews.appendleft(self.current)
        elif picked[0] == "new":
            self._new.appendleft(self.current)
        else:
            self._add_learning(self.current, picked[2], picked[1])

    def counts(self) -> Counts:
        """Cards left, the one on screen included."""
        learning = len(self._learning)
        new, review = len(self._new), len(self._reviews)
        if self.current is not None:
            state = self.state_of(self.current)
            if self.mode is not Mode.REVIEW or state.is_new:
                new += 1
            elif state.is_learning:
                learning += 1
            else:
                review += 1
        return Counts(new, learning, review)

    def learning_due_later(self) -> datetime | None:
        """When the next learning card comes back, if the queue is empty only because it is waiting."""
        top = self._learning_top()
        if top is None:
            return None
        if top[2] is not None:
            return top[2]
        dues = [due for _, seq, due in self._learning_heap if due is not None and seq in self._learning]
        return min(dues, default=None)

    # --- answering --------------------------------------------------------------------------------

    def answer(self, response: Response) -> Verdict:
        """Check what the user gave (None: revealed without answering)."""
        if self.current is None:
            raise RuntimeError("no card to answer")
        self.verdict = grade_response(self.current, response, self.settings.typed_tolerance)
        return self.verdict

    def previews(self) -> dict[Grade, timedelta]:
        if self.current is None:
            return {}
        card = self.current
        return self.scheduler.preview(self._number(card), self.state_of(card), self.clock.now())

    def _number(self, card: Card) -> int:
        key = (card.deck_id, card.key)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = stable_card_number(card.deck_id, card.key)
        return number

    def grade(self, grade: Grade) -> Answered:
        """Record the grade for the current card (committed before returning) and move on."""
        card = self.current
        if card is None:
            raise RuntimeError("no card to grade")
        now = self.clock.now()
        duration = min(max(int((now - self._shown_at).total_seconds() * 1000), 0), MAX_DURATION_MS)
        before_stored = self._stored(card)
        before = effective_state(card, before_stored)
        leech = False
        if self.mode is Mode.REVIEW:
            after = self.scheduler.review(self._number(card), before, grade, now)
            if after.lapses > before.lapses and after.lapses >= self.settings.leech_threshold:
                after, leech = replace(after, leech=True, suspended=True), True
        else:
            after = before
        logged_before = None if before.is_new else before
        review_id = self.store.record_review(
            card.deck_id, card.key, grade, now, duration, self.mode, logged_before, after
        )
        correct = self.verdict.correct if self.verdict and self.verdict.correct is not None else grade > Grade.AGAIN
        answered = Answered(card, grade, correct, duration, review_id, leech)
        self.summary.answered.append(answered)
        added: int | None = None
        if self.mode is Mode.REVIEW:
            self._set_stored(card, after)
            if after.is_learning and not after.suspended:
                added = self._add_learning(card, after)
        elif grade is Grade.AGAIN:
            self._new.append(card)  # practice: missed cards come round again
        self._advance()
        self._undo.append((answered, before_stored, added, self._picked))
        return answered

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> Card | None:
        """Take back the last answer: its log entry and the card's state; the card is shown again."""
        if not self._undo:
            return None
        answered, before_stored, added, picked = self._undo.pop()
        self.store.undo_review(answered.review_id)
        self._unpick(picked)  # the card shown after the answer goes back to its queue
        if added is not None:
            self._learning.pop(added, None)
        elif self.mode is not Mode.REVIEW and answered.grade is Grade.AGAIN:
            self._new.pop()  # practice: the copy queued again
        self._set_stored(answered.card, before_stored)
        if self.summary.answered and self.summary.answered[-1] is answered:
            self.summary.answered.pop()
        else:
            self.summary.answered.remove(answered)
        self.current, self.verdict, self._shown_at = answered.card, None, self.clock.now()
        self._picked = None
        return answered.card

    # --- suspend and bury -------------------------------------------------------------------------

    def _set_current_state(self, state: CardState) -> None:
        card = self.current
        assert card is not None
        self.store.set_state(card.deck_id, card.key, state)
        self._set_stored(card, state)
        self._undo.clear()  # undo covers answers only; a suspend is undone from Browse
        self._advance()

    def suspend(self) -> Card | None:
        card = self.current
        if card is not None:
            self._set_current_state(replace(self.state_of(card), suspended=True))
        return card

    def bury(self) -> Card | None:
        """Hide the card until the next study day."""
        card = self.current
        if card is not None:
            end = day_end(self.clock.now(), self.settings.rollover_hour)
            self._set_current_state(replace(self.state_of(card), buried_until=end))
        return card

    def next_due(self) -> datetime | None:
        """When the next card in this session's scope falls due (for the summary)."""
        now = self.clock.now()
        dues = [s.due for c in self.cards if (s := self.state_of(c)).due and not s.suspended and s.due > now]
        return min(dues, default=None)
