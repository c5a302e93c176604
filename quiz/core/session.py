"""A study session as a plain state machine: queue -> answer -> grade -> record, with undo.

Review mode follows Anki: learning cards due now, then reviews due today, then new cards up to the
daily limit. Practice mode shuffles the chosen cards and logs answers without touching the schedule.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from quiz.core.clock import Clock, day_end, day_start
from quiz.core.grading import Response, Verdict, grade_response
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.scheduler import CardState, Scheduler, stable_card_number
from quiz.core.store import Store

LEARN_AHEAD = timedelta(minutes=20)  # like Anki: with nothing else left, show learning cards this early
MAX_DURATION_MS = 3_600_000


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


def effective_state(card: Card, stored: CardState | None) -> CardState:
    """A card whose kind changed since its history was written starts again as new."""
    if stored is None or stored.kind != card.kind:
        return CardState(kind=str(card.kind))
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
        self.cards = [
            card for deck in decks if deck.id in scope.deck_ids for card in deck.cards if scope.includes(card)
        ]
        self.states: dict[tuple[str, str], CardState] = {}
        for deck_id in scope.deck_ids:
            for key, state in store.states(deck_id).items():
                self.states[(deck_id, key)] = state
        self.summary = Summary()
        self.current: Card | None = None
        self.verdict: Verdict | None = None
        self._shown_at: datetime = clock.now()
        self._learning: list[Card] = []
        self._reviews: deque[Card] = deque()
        self._new: deque[Card] = deque()
        self._undo: list[tuple[Answered, tuple]] = []
        if mode is Mode.REVIEW:
            self._build_review_queue()
        else:
            shuffled = list(self.cards)
            random.Random(seed).shuffle(shuffled)
            self._new = deque(c for c in shuffled if not self.state_of(c).suspended)
        self._advance()

    # --- queue ------------------------------------------------------------------------------------

    def state_of(self, card: Card) -> CardState:
        return effective_state(card, self.states.get((card.deck_id, card.key)))

    def _build_review_queue(self) -> None:
        now = self.clock.now()
        end = day_end(now, self.settings.rollover_hour)
        start = day_start(now, self.settings.rollover_hour)
        budgets: dict[str, list[int]] = {}
        answered_notes: set[tuple[str, str]] = set()
        for deck_id in {c.deck_id for c in self.cards}:
            new_done, reviews_done, keys = self.store.today_counts(deck_id, start)
            budgets[deck_id] = [self.settings.new_per_day - new_done, self.settings.reviews_per_day - reviews_done]
            answered_notes |= {(deck_id, key.split("/")[0]) for key in keys}
        queued_notes: set[tuple[str, str]] = set()
        learning, reviews = [], []
        for card in self.cards:
            state = self.state_of(card)
            if state.suspended or (state.buried_until and state.buried_until > now):
                continue
            if state.is_learning:
                learning.append(card)
                continue
            note = (card.deck_id, card.note.id)
            if note in answered_notes or note in queued_notes:
                continue  # siblings wait until the next day
            if state.is_review and state.due is not None and state.due < end:
                reviews.append(card)
                queued_notes.add(note)
        reviews.sort(key=lambda c: self.state_of(c).due or now)
        for card in reviews:
            budget = budgets[card.deck_id]
            if budget[1] > 0:
                self._reviews.append(card)
                budget[1] -= 1
        for card in self.cards:
            state = self.state_of(card)
            note = (card.deck_id, card.note.id)
            if not state.is_new or state.suspended or note in answered_notes or note in queued_notes:
                continue
            if state.buried_until and state.buried_until > now:
                continue
            budget = budgets[card.deck_id]
            if budget[0] > 0:
                self._new.append(card)
                queued_notes.add(note)
                budget[0] -= 1
        self._learning = learning

    def _next_learning(self, horizon: datetime) -> Card | None:
        due = [c for c in self._learning if (self.state_of(c).due or horizon) <= horizon]
        return min(due, key=lambda c: self.state_of(c).due or horizon) if due else None

    def _advance(self) -> None:
        now = self.clock.now()
        card = self._next_learning(now)
        if card is None and self._reviews:
            card = self._reviews.popleft()
        elif card is None and self._new:
            card = self._new.popleft()
        elif card is None:
            card = self._next_learning(now + LEARN_AHEAD)
        if card is not None and card in self._learning:
            self._learning.remove(card)
        self.current, self.verdict, self._shown_at = card, None, now

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
        dues = [self.state_of(c).due for c in self._learning]
        return min((d for d in dues if d), default=None)

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
        return self.scheduler.preview(stable_card_number(card.deck_id, card.key), self.state_of(card), self.clock.now())

    def grade(self, grade: Grade) -> Answered:
        """Record the grade for the current card (committed before returning) and move on."""
        card = self.current
        if card is None:
            raise RuntimeError("no card to grade")
        now = self.clock.now()
        duration = min(max(int((now - self._shown_at).total_seconds() * 1000), 0), MAX_DURATION_MS)
        before_stored = self.states.get((card.deck_id, card.key))
        before = self.state_of(card)
        leech = False
        if self.mode is Mode.REVIEW:
            after = self.scheduler.review(stable_card_number(card.deck_id, card.key), before, grade, now)
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
        snapshot = (before_stored, list(self._learning), deque(self._reviews), deque(self._new))
        self._undo.append((answered, snapshot))
        self.summary.answered.append(answered)
        if self.mode is Mode.REVIEW:
            self.states[(card.deck_id, card.key)] = after
            if after.is_learning and not after.suspended:
                self._learning.append(card)
        elif grade is Grade.AGAIN:
            self._new.append(card)  # practice: missed cards come round again
        self._advance()
        return answered

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> Card | None:
        """Take back the last answer: its log entry and the card's state; the card is shown again."""
        if not self._undo:
            return None
        answered, (before_stored, learning, reviews, new) = self._undo.pop()
        self.store.undo_review(answered.review_id)
        key = (answered.card.deck_id, answered.card.key)
        if before_stored is None:
            self.states.pop(key, None)
        else:
            self.states[key] = before_stored
        self.summary.answered.remove(answered)
        self._learning, self._reviews, self._new = learning, reviews, new  # as they were before the answer
        self.current, self.verdict, self._shown_at = answered.card, None, self.clock.now()
        return answered.card

    # --- suspend and bury -------------------------------------------------------------------------

    def _set_current_state(self, state: CardState) -> None:
        card = self.current
        assert card is not None
        self.store.set_state(card.deck_id, card.key, state)
        self.states[(card.deck_id, card.key)] = state
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
