"""A study session as a plain state machine: show a card -> answer -> grade -> record, with undo.

Its queue (quiz.core.studyqueue) is built at the start: review mode follows Anki (learning cards due now,
then reviews due today, then new cards up to the daily limit; answering a card buries its new and review
siblings until the next day; a card suspended or buried makes room for another, as the queue is read again
from the store, like Anki's rebuilt queue); practice mode shuffles the chosen cards and logs answers
without touching the schedule. Undo takes back answers, suspends, buries, flags and marks, as far back
as the session goes.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from itertools import chain
from typing import NamedTuple

from quiz.core.cardstate import CardState, effective_state
from quiz.core.clock import Clock, day_end, study_day
from quiz.core.events import card_number
from quiz.core.examdates import read_exam_dates
from quiz.core.exampace import paced_exams
from quiz.core.examplacement import ExamPlacer
from quiz.core.flags import toggled
from quiz.core.grading import Verdict, grade_response
from quiz.core.kinds.base import Response
from quiz.core.loadbalancer import LoadBalancer, Placement, day_index, note_of, read_load_balancer
from quiz.core.marks import is_marked, toggle_mark
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.presets import DEFAULT, deck_settings
from quiz.core.scheduler import Scheduler, intervals
from quiz.core.settings import Settings
from quiz.core.store import Store, StoreError
from quiz.core.studyqueue import (
    LEARN_AHEAD,
    LearningQueue,
    ReviewQueue,
    Segment,
    Segments,
    next_due,
    practice_queue,
    review_queue,
)

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


class _Picked(NamedTuple):
    """Where the card on screen was taken from, so an undo can put it back."""

    queue: str  # "learning", "reviews" or "new"
    seq: int | None = None  # learning: its place in the learning queue ...
    due: datetime | None = None  # ... and its due time


class _Queued(NamedTuple):
    """A card taken out of the reviews or the new queue, and where it was, so an undo can put it back."""

    queue: str  # "reviews" or "new"
    at: int  # its index in that queue
    card: Card


_Queues = tuple[deque[Card], deque[Card]]  # the reviews and the new cards


class _Undo(NamedTuple):
    card: Card
    action: str  # "answer", "suspend", "bury", "flag" or "mark"
    answered: Answered | None  # the answer taken back (None for a suspend or a bury)
    stored_before: CardState | None  # the card's stored state before the action
    learning_seq: int | None  # the seq the answer queued the card again with, as a learning card
    siblings: tuple[_Queued, ...]  # the note's other cards the answer buried
    queues_before: _Queues | None  # the reviews and new queues a refill replaced
    picked: _Picked | None  # how the card shown next was taken
    flag_before: int = 0  # a flag: the card's flag before it (a mark: 1 if the note was marked)


class _Previewed(NamedTuple):
    """The outcomes previews() computed: what grading the card then applies."""

    card: Card
    before: CardState
    at: datetime
    outcomes: dict[Grade, CardState]


class _Ahead:
    """A piece of work done beside the answer's commit, and what it gave (None: not done, or it failed)."""

    def __init__(self, work: Callable[[], _Previewed | None]) -> None:
        self._work = work
        self.result: _Previewed | None = None

    def __call__(self) -> None:
        self.result = self._work()


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
        self.settings = scheduler.settings  # the global ones (rollover, typed tolerance); per deck: settings_of
        self.deck_settings = deck_settings(store, scheduler.settings)
        self._schedulers: dict[Settings, Scheduler] = {scheduler.settings: scheduler}  # decks sharing options share one
        self._deck_ids = tuple(deck.id for deck in decks)
        self._balancer: LoadBalancer | None = None  # read when a card first needs it; dropped by an undo
        self._balancer_day: date | None = None  # the study day it was read on: its day 0
        # the exams whose cards the session can hold (a session on one topic: that topic's and its deck's)
        self._exam_dates = [
            exam
            for exam in (read_exam_dates(store) if mode is Mode.REVIEW else [])
            if scope.topic is None or exam.topic in (None, scope.topic)
        ]
        self._exams = ExamPlacer(self._exam_dates, self.settings.rollover_hour)
        self._deck_presets: dict[str, str] = {}  # deck id -> its preset's name, read with the balancer
        wanted = set(scope.deck_ids)
        includes = None if scope.topic is None and scope.tag is None else scope.includes
        self.cards: list[Card] = []
        self._segments: Segments = {}  # deck id -> where its cards are in self.cards (decks with cards in scope)
        self._deck_sizes: Counter[str] = Counter()  # deck id -> cards, in scope or not
        for deck in decks:
            if deck.id in wanted:
                before = len(self.cards)
                in_scope = None if includes is None else [i for i, card in enumerate(deck.cards) if includes(card)]
                self.cards.extend(deck.cards if in_scope is None else (deck.cards[i] for i in in_scope))
                if len(self.cards) > before:
                    self._deck_sizes[deck.id] += len(deck.cards)
                    segment = Segment(before, len(self.cards), deck, in_scope)
                    self._segments.setdefault(deck.id, []).append(segment)
        self._scope_decks = tuple(dict.fromkeys(scope.deck_ids))
        self._decks = {deck.id: deck for deck in decks if deck.id in self._segments}  # those with cards in scope
        # deck id -> card key -> stored state (None: none stored), read from the store when first needed:
        # building the queue reads only the few columns it needs, and no CardState.
        self._known: dict[str, dict[str, CardState | None]] = {}
        self.summary = Summary()
        self.current: Card | None = None
        self.verdict: Verdict | None = None
        self._shown_at: datetime = clock.now()
        self._learning = LearningQueue()
        self._reviews: deque[Card] = deque()
        self._new: deque[Card] = deque()
        self._numbers: dict[tuple[str, str], int] = {}
        self._undo: list[_Undo] = []
        self._picked: _Picked | None = None
        self._previewed: _Previewed | None = None
        self._shared_notes: set[tuple[str, str]] = set()  # notes with more than one card in the queues
        if mode is Mode.REVIEW:
            queue = self._review_queue()
            for entry in queue.learning:
                self._learning.add(entry.card, entry.due)
            self._reviews.extend(queue.reviews)
            self._new.extend(queue.new)
            self._note_shared(chain((entry.card for entry in queue.learning), queue.reviews, queue.new))
        else:
            self._new.extend(practice_queue(store, self.cards, seed))
        self._advance()

    @property
    def states(self) -> dict[tuple[str, str], CardState]:
        """(deck id, card key) -> stored state, for the decks in scope (a copy; reads them all)."""
        found = {
            (deck_id, key): state for deck_id in self._scope_decks for key, state in self.store.states(deck_id).items()
        }
        for deck_id, known in self._known.items():
            for key, state in known.items():
                if state is None:
                    found.pop((deck_id, key), None)
                else:
                    found[(deck_id, key)] = state
        return found

    # --- queue ------------------------------------------------------------------------------------

    def settings_of(self, card: Card) -> Settings:
        """What the card studies with: the settings with its deck's preset applied."""
        return self.deck_settings.of(card.deck_id)

    def _scheduler_of(self, card: Card) -> Scheduler:
        """The scheduler of the card's deck's preset (its retention, steps and maximum interval)."""
        settings = self.settings_of(card)
        scheduler = self._schedulers.get(settings)
        if scheduler is None:
            scheduler = self._schedulers[settings] = Scheduler(settings)
        return scheduler

    def _placement(self, card: Card, now: datetime) -> Placement | None:
        """The load balancer's view for the card (None when it is off, or fuzz is)."""
        if not (self.settings.load_balancer and self.settings.fuzz):
            return None
        if self._balancer_is_stale(now):
            presets = self.store.deck_presets()
            self._deck_presets = {deck_id: presets.get(deck_id, DEFAULT) for deck_id in self._deck_ids}
            easy_days = {preset: self.deck_settings.of(deck_id).easy_days for deck_id, preset in presets.items()}
            easy_days[DEFAULT] = self.deck_settings.base.easy_days
            groups = {(card.deck_id, card.key): card.sibling_group for card in self.cards if card.note.siblings}
            self._balancer = read_load_balancer(
                self.store, self._deck_presets, easy_days, now, self.settings.rollover_hour, groups
            )
            self._balancer_day = study_day(now, self.settings.rollover_hour)
        assert self._balancer is not None
        preset = self._deck_presets.get(card.deck_id, DEFAULT)
        return Placement(self._balancer, preset, note_of(card.deck_id, card.sibling_group))

    def _balancer_is_stale(self, now: datetime) -> bool:
        """Whether the load balancer must be read (again): not read yet, or read before the rollover of a session
        that runs past it (its days, and easy days' weekdays, count from the day it was read on)."""
        return self._balancer is None or self._balancer_day != study_day(now, self.settings.rollover_hour)

    def _balance(self, card: Card, after: CardState, now: datetime) -> None:
        """Count the card on its new due day in the load balancer, as Anki's does after an answer."""
        if self._balancer is None or not after.is_review or after.due is None or after.suspended:
            return  # only a review's day is counted (most answers of new and learning cards give none)
        placement = self._placement(card, now)
        if placement is not None:
            day = day_index(after.due, now, self.settings.rollover_hour)
            placement.balancer.add(placement.preset, placement.note, day)

    def state_of(self, card: Card) -> CardState:
        return effective_state(card, self._stored(card))

    def kind_before(self, card: Card) -> str | None:
        """The kind `card` was studied as when its kind changed since (a new version of a shared deck): it starts
        again as new (`effective_state`); None for any other card."""
        stored = self._stored(card)
        return stored.kind if stored is not None and stored.kind != card.note.kind else None

    def _stored(self, card: Card) -> CardState | None:
        known = self._known.get(card.deck_id)
        if known is None:
            known = self._known[card.deck_id] = {}
        try:
            return known[card.key]
        except KeyError:
            state = known[card.key] = self.store.state(card.deck_id, card.key)
            return state

    def _read_ahead(self, card: Card) -> None:
        """The next card's state, read inside the answer's transaction; a damaged row must not cost the answer
        (its grade bar reads it again once the answer is committed, and reports it there)."""
        try:
            self._stored(card)
        except StoreError:
            pass

    def _preview_ahead(self, card: Card, now: datetime) -> _Previewed | None:
        """The next card's outcomes, from what the session already holds (its state read ahead, the load
        balancer), never the store: this runs beside the answer's commit, on another thread."""
        known = self._known.get(card.deck_id, {})
        if card.key not in known or (
            self._balancer_is_stale(now) and self.settings.load_balancer and self.settings.fuzz
        ):
            return None
        before = effective_state(card, known[card.key])
        return _Previewed(card, before, now, self._outcomes(card, before, now))

    def _set_stored(self, card: Card, state: CardState | None) -> None:
        self._known.setdefault(card.deck_id, {})[card.key] = state

    def _note_shared(self, cards: Iterable[Card]) -> None:
        """Remember the notes with more than one of these cards (the queue holds one card per note, but a
        learning card can have a sibling among the reviews or the new cards)."""
        seen: set[tuple[str, str]] = set()
        for card in cards:
            note = _siblings_of(card)
            if note in seen:
                self._shared_notes.add(note)
            seen.add(note)

    def _review_queue(self) -> ReviewQueue:
        """Today's queue, the new cards of exams ahead first (at their pace)."""
        now, rollover = self.clock.now(), self.settings.rollover_hour
        paced = {
            deck_id: paced_exams(self.store, deck, self._exam_dates, now, rollover, self.deck_settings.of(deck_id))
            for deck_id, deck in self._decks.items()
        }
        return review_queue(self.store, self.cards, self._segments, self._deck_sizes, self.deck_settings, now, paced)

    def _refill(self) -> _Queues | None:
        """A card left today's queue without using the day's limits (suspended or buried, it or a sibling):
        read the reviews and new cards again from the store, as Anki rebuilds its queue, so those the limits
        now leave room for come in their place (the learning cards are all queued already). Returns the
        queues replaced, for an undo."""
        if self.mode is not Mode.REVIEW:
            return None
        queue = self._review_queue()
        before = self._reviews, self._new
        self._reviews, self._new = deque(queue.reviews), deque(queue.new)
        self._note_shared(chain(self._learning.cards(), queue.reviews, queue.new))
        return before

    def _first_up(self, now: datetime) -> tuple[str, int | None]:
        """The queue the next card comes from: a learning card due ("learning", its seq), else the reviews,
        else the new cards, else a learning card due within LEARN_AHEAD ("learning", None: none is)."""
        seq = self._learning.due_by(now)
        if seq is not None:
            return "learning", seq
        if self._reviews:
            return "reviews", None
        if self._new:
            return "new", None
        return "learning", self._learning.due_by(now + LEARN_AHEAD)

    def _advance(self) -> None:
        now = self.clock.now()
        queue, seq = self._first_up(now)
        card: Card | None = None
        picked: _Picked | None = None
        if queue == "reviews":
            card, picked = self._reviews.popleft(), _Picked("reviews")
        elif queue == "new":
            card, picked = self._new.popleft(), _Picked("new")
        elif seq is not None:
            card = self._learning.take(seq)
            picked = _Picked("learning", seq, self.state_of(card).due)
        self.current, self.verdict, self._shown_at, self._picked = card, None, now, picked

    def _unpick(self, picked: _Picked | None) -> None:
        """Put the card `_advance` took back where it came from."""
        if picked is None or self.current is None:
            return
        if picked.queue == "reviews":
            self._reviews.appendleft(self.current)
        elif picked.queue == "new":
            self._new.appendleft(self.current)
        else:
            self._learning.add(self.current, picked.due, picked.seq)

    def _bury_siblings(self, card: Card) -> tuple[_Queued, ...]:
        """Anki's "bury new siblings" and "bury review siblings": the note's other cards waiting among the
        reviews or the new cards wait until the next day (a later session skips notes answered today)."""
        note = _siblings_of(card)
        if note not in self._shared_notes:
            return ()
        taken: list[_Queued] = []
        for name, queue in (("reviews", self._reviews), ("new", self._new)):
            spots = [i for i, other in enumerate(queue) if _siblings_of(other) == note]
            taken += [_Queued(name, i, queue[i]) for i in spots]
            for i in reversed(spots):
                del queue[i]
        return tuple(taken)

    def _unbury_siblings(self, siblings: tuple[_Queued, ...]) -> None:
        for name, at, card in siblings:  # in the order taken: each goes back to its old index
            (self._reviews if name == "reviews" else self._new).insert(at, card)

    def counts(self) -> Counts:
        """Cards left today, the one on screen included."""
        learning = self._learning.count_due_before(day_end(self.clock.now(), self.settings.rollover_hour))
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
        """When the next learning card comes back, if the queue is empty only because it is waiting; the card
        on screen counts, not graded yet (a session ended on one shown early, before its time, leaves it first)."""
        later = self._learning.comes_back_at()
        if self.current is not None and self.mode is Mode.REVIEW:
            state = self.state_of(self.current)
            if state.is_learning and state.due is not None and (later is None or state.due < later):
                return state.due
        return later

    # --- answering --------------------------------------------------------------------------------

    def answer(self, response: Response) -> Verdict:
        """Check what the user gave (None: revealed without answering)."""
        if self.current is None:
            raise RuntimeError("no card to answer")
        self.verdict = grade_response(self.current, response, self.settings.typed_tolerance)
        return self.verdict

    def previews(self) -> dict[Grade, timedelta]:
        """The next interval for each grade. As in Anki, grading the card applies these very outcomes (fuzz
        included): what the grade bar shows is what the card gets."""
        if self.current is None:
            return {}
        card, now = self.current, self.clock.now()
        before = self.state_of(card)
        shown = self._previewed
        if shown is not None and shown.card is card and shown.before == before and self._fresh(shown, now):
            return intervals(shown.outcomes, shown.at)  # each moved to now by now - shown.at: the same intervals
        outcomes = self._outcomes(card, before, now)
        self._previewed = _Previewed(card, before, now, outcomes)
        return intervals(outcomes, now)

    def _fresh(self, shown: _Previewed, now: datetime) -> bool:
        """Whether the previewed outcomes, each moved to `now` by the time since, are what a fresh computation
        would give: not when the study day changed meanwhile, or a learning step would then reach past its end
        (only a fresh computation places it as now's would)."""
        scheduler = self._scheduler_of(shown.card)
        end = scheduler.day_end(shown.at)
        if scheduler.day_end(now) != end:
            return False
        since = now - shown.at
        if since < timedelta(0):  # the clock set back: a step placed at a later day's start stays, not moved back
            return False
        for after in shown.outcomes.values():
            assert after.due is not None
            if not after.is_review and after.due + since >= end:
                return False
        return True

    def _moved(
        self, shown: _Previewed, now: datetime, grades: Iterable[Grade] = Grade
    ) -> dict[Grade, CardState] | None:
        """The previewed outcomes moved to `now` (None: the study day changed meanwhile, which FSRS counts days by).
        A learning step that ends on a later study day starts that day, as in Anki: it stays where it is."""
        scheduler = self._scheduler_of(shown.card)
        end = scheduler.day_end(shown.at)
        if scheduler.day_end(now) != end:
            return None
        moved = {}
        for grade in grades:
            after = shown.outcomes[grade]
            assert after.due is not None
            on_a_later_day = not after.is_review and after.due >= end
            moved[grade] = after.retimed(after.due if on_a_later_day else after.due + (now - shown.at), now)
        return moved

    def _outcome(self, card: Card, before: CardState, grade: Grade, now: datetime) -> CardState:
        """The state `grade` gives the card now: the one previewed, moved to now, or computed afresh."""
        shown = self._previewed
        if shown is not None and shown.card is card and shown.before == before:
            moved = self._moved(shown, now, (grade,))
            if moved is not None:
                return moved[grade]
        scheduler = self._scheduler_of(card)
        after = scheduler.review(self._number(card), before, grade, now, self._placement(card, now))
        return self._exams.place(card, {grade: after}, now, scheduler.parameters)[grade]

    def _outcomes(self, card: Card, before: CardState, now: datetime) -> dict[Grade, CardState]:
        """The scheduler's outcome for each grade, each review brought before an exam the card has ahead."""
        scheduler = self._scheduler_of(card)
        outcomes = scheduler.outcomes(self._number(card), before, now, self._placement(card, now))
        return self._exams.place(card, outcomes, now, scheduler.parameters)

    def _next_up(self, card: Card, now: datetime) -> Card | None:
        """The card `_advance` will show after `card` unless something changes first (None: not known; a
        sibling `card` buries is not shown)."""
        queue, seq = self._first_up(now)
        if queue == "learning":
            return None if seq is None else self._learning.card(seq)
        upcoming = (self._reviews if queue == "reviews" else self._new)[0]
        return None if _siblings_of(upcoming) == _siblings_of(card) else upcoming

    def _number(self, card: Card) -> int:
        key = (card.deck_id, card.key)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = card_number(card.deck_id, card.key)
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
            after = self._outcome(card, before, grade, now)
            if after.lapses > before.lapses and after.lapses >= self.settings_of(card).leech_threshold:
                after, leech = replace(after, leech=True, suspended=True), True
        else:
            after = before
        # A new card's answer follows no state, unless the card carries a burial or suspension: its undo puts
        # that back, as the replay of the answer on every device does
        logged_before = None if before.is_new and before == CardState(kind=before.kind) else before
        # The next card's state is read in the answer's transaction: its grade bar then needs no read
        # transaction of its own (whose locks cost more than the read). Its outcomes are worked out while the
        # commit waits for the disk, from the load balancer as it is once this answer is counted.
        upcoming = self._next_up(card, now) if self.mode is Mode.REVIEW else None
        read_ahead = ahead = None
        if upcoming is not None:
            read_ahead, ahead = partial(self._read_ahead, upcoming), _Ahead(partial(self._preview_ahead, upcoming, now))
            self._balance(card, after, now)
        try:
            review_id = self.store.record_review(
                card.deck_id, card.key, grade, now, duration, self.mode, logged_before, after, read_ahead, ahead
            )
        except BaseException:
            if upcoming is not None:
                self._balancer = None  # it counted the answer not saved: read again when next needed
            raise
        verdict = self.verdict  # what the app checked; with nothing given or nothing to check, the grade says
        correct = verdict.correct if verdict and verdict.given and verdict.correct is not None else grade > Grade.AGAIN
        answered = Answered(card, grade, correct, duration, review_id, leech)
        self.summary.answered.append(answered)
        added: int | None = None
        siblings: tuple[_Queued, ...] = ()
        if self.mode is Mode.REVIEW:
            self._set_stored(card, after)
            if upcoming is None:
                self._balance(card, after, now)
            if after.is_learning and not after.suspended:
                added = self._learning.add(card, after.due)
            siblings = self._bury_siblings(card)
        elif grade is Grade.AGAIN:
            self._new.append(card)  # practice: missed cards come round again
        queues_before = self._refill() if siblings else None
        self._advance()
        if ahead is not None and ahead.result is not None and ahead.result.card is self.current:
            self._previewed = ahead.result
        self._undo.append(_Undo(card, "answer", answered, before_stored, added, siblings, queues_before, self._picked))
        return answered

    def next_undo(self) -> str | None:
        """What an undo would take back: "answer", "suspend", "bury", "flag" or "mark" (None: nothing)."""
        return self._undo[-1].action if self._undo else None

    def undo(self) -> Card | None:
        """Take back the last answer, suspend or bury: the log entry and the card's stored state, in the store
        first (committed), then the queues; the card is shown again. Undo goes back as far as the session."""
        if not self._undo:
            return None
        card, action, answered, before_stored, added, siblings, queues_before, picked, flag_before = self._undo[-1]
        if action in ("flag", "mark"):  # the card is still on screen, answered or not: only its mark goes back
            if action == "flag":
                self.store.set_flag(card.deck_id, card.key, flag_before)
            else:
                self.store.set_mark(card.deck_id, card.note.id, bool(flag_before))
            self._undo.pop()
            return card
        # if this write fails, the undo stays available
        if answered is not None:
            self.store.undo_review(answered.review_id, before_stored)
            self._balancer = None  # read again when next needed, without the answer taken back
            self._previewed = None  # worked out with the balancer counting the answer taken back
        else:
            self.store.set_state(card.deck_id, card.key, before_stored)
        self._undo.pop()
        self._unpick(picked)  # the card shown after the action goes back to its queue
        if queues_before is not None:  # they held that card too: it was taken after the refill
            self._reviews, self._new = queues_before
        self._unbury_siblings(siblings)
        if added is not None:
            self._learning.discard(added)
        elif answered is not None and self.mode is not Mode.REVIEW and answered.grade is Grade.AGAIN:
            self._new.pop()  # practice: the copy queued again
        self._set_stored(card, before_stored)
        if answered is not None:
            if self.summary.answered and self.summary.answered[-1] is answered:
                self.summary.answered.pop()
            else:
                self.summary.answered.remove(answered)
        self.current, self.verdict, self._shown_at = card, None, self.clock.now()
        self._picked = None
        return card

    # --- suspend and bury -------------------------------------------------------------------------

    def _set_current_state(self, state: CardState, action: str) -> None:
        card = self.current
        assert card is not None
        before = self._stored(card)
        self.store.set_state(card.deck_id, card.key, state, action)  # its event: a "suspend" or a "bury"
        self._set_stored(card, state)
        queues_before = self._refill()
        self._advance()
        self._undo.append(_Undo(card, action, None, before, None, (), queues_before, self._picked))

    def suspend(self) -> Card | None:
        card = self.current
        if card is not None:
            self._set_current_state(replace(self.state_of(card), suspended=True), "suspend")
        return card

    def bury(self) -> Card | None:
        """Hide the card until the next study day."""
        card = self.current
        if card is not None:
            end = day_end(self.clock.now(), self.settings.rollover_hour)
            self._set_current_state(replace(self.state_of(card), buried_until=end), "bury")
        return card

    # --- edited decks -----------------------------------------------------------------------------

    def take_new_text(self, decks: Iterable[Deck]) -> None:
        """The deck files were edited and loaded again as `decks`: every card of the session takes its new
        text (the card with the same deck id and key: the history is keyed by them, so it is kept), in the
        queues, on screen and in the undo steps. A card the edit removed goes on as it was. The card on
        screen is shown afresh: an answer checked against its old text is dropped."""
        fresh = {(c.deck_id, c.key): c for deck in decks if deck.id in self._segments for c in deck.cards}

        def swap(card: Card) -> Card:
            return fresh.get((card.deck_id, card.key), card)

        def swap_queues(queues: _Queues | None) -> _Queues | None:
            return None if queues is None else (deque(map(swap, queues[0])), deque(map(swap, queues[1])))

        self.cards = [swap(card) for card in self.cards]  # same places: the segments still hold
        self._reviews, self._new = deque(map(swap, self._reviews)), deque(map(swap, self._new))
        self._learning.swap_cards(swap)
        self._undo = [
            step._replace(
                card=swap(step.card),
                siblings=tuple(queued._replace(card=swap(queued.card)) for queued in step.siblings),
                queues_before=swap_queues(step.queues_before),
            )
            for step in self._undo
        ]
        if self.current is not None:
            self.current = swap(self.current)
        self.verdict, self._previewed, self._shown_at = None, None, self.clock.now()

    # --- flags ------------------------------------------------------------------------------------

    def flag_of(self, card: Card) -> int:
        return self.store.flag(card.deck_id, card.key)

    def flag(self, pressed: int) -> int:
        """Press flag `pressed` on the card on screen, as Anki's Ctrl+1..7: the same flag again (or 0)
        takes it off. The card stays on screen; returns its new flag."""
        card = self.current
        if card is None:
            raise RuntimeError("no card to flag")
        before = self.flag_of(card)
        after = toggled(before, pressed)
        if after != before:
            self.store.set_flag(card.deck_id, card.key, after)
            self._undo.append(_Undo(card, "flag", None, None, None, (), None, None, before))
        return after

    # --- marks ------------------------------------------------------------------------------------

    def is_marked(self, card: Card) -> bool:
        return is_marked(self.store, card)

    def toggle_mark(self) -> bool:
        """Mark the note on screen, or take its mark off, as Anki's `*`; returns whether it is marked now.
        Raises MarkedInFile when its deck file marks it."""
        card = self.current
        if card is None:
            raise RuntimeError("no card to mark")
        marked = toggle_mark(self.store, card)
        self._undo.append(_Undo(card, "mark", None, None, None, (), None, None, int(not marked)))
        return marked

    def next_due(self) -> datetime | None:
        """When the next card in this session's scope falls due (for the summary)."""
        return next_due(self.store, self.cards, self._segments, self.clock.now())


def _siblings_of(card: Card) -> tuple[str, str]:
    """What the card's siblings share: its deck and sibling group (a note's cards, or those of the notes one Anki
    note became)."""
    return card.deck_id, card.sibling_group
