"""A study session as a plain state machine: queue -> answer -> grade -> record, with undo.

Review mode follows Anki: learning cards due now, then reviews due today, then new cards up to the
daily limit. Practice mode shuffles the chosen cards and logs answers without touching the schedule.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import chain, islice

from quiz.core.cardstate import LEARNING as _LEARNING
from quiz.core.cardstate import NEW, CardState, effective_state
from quiz.core.cardstate import RELEARNING as _RELEARNING
from quiz.core.cardstate import REVIEW as _REVIEW
from quiz.core.clock import Clock, day_end, day_start
from quiz.core.grading import Response, Verdict, grade_response
from quiz.core.model import Card, Deck, Grade, Kind, Mode
from quiz.core.scheduler import Scheduler, stable_card_number
from quiz.core.store import BURIED_NEW, DUE, LEARNING, SEEN, SUSPENDED, BriefState, Store, state_code

LEARN_AHEAD = timedelta(minutes=20)  # like Anki: with nothing else left, show learning cards this early
MAX_DURATION_MS = 3_600_000
_EARLIEST = datetime.min.replace(tzinfo=UTC)  # where a learning card without a due time sorts (never written)
# Reviews: read the first 2 x budget + this many due states (more when the scope is part of the deck).
_REVIEW_MARGIN = 64
# New cards: look up this many cards' states first (one query), then 4 times as many; past _PROBE_LIMIT,
# read the codes of all the deck's states instead.
_FIRST_PROBE = 256
_PROBE_LIMIT = 1024
_NO_KEYS: frozenset[str] = frozenset()  # suspended keys of a kind no stored state has
_BLOCKING_CODES = {
    kind: frozenset(state_code(c, kind) for c in (SUSPENDED, LEARNING, DUE, SEEN, BURIED_NEW)) for kind in Kind
}


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
        self._segments: dict[str, list[tuple[int, int]]] = {}  # deck id -> where its cards are in self.cards
        self._deck_sizes: Counter[str] = Counter()  # deck id -> cards, in scope or not
        for deck in decks:
            if deck.id in wanted:
                before = len(self.cards)
                self.cards.extend(deck.cards if includes is None else filter(includes, deck.cards))
                if len(self.cards) > before:
                    self._deck_sizes[deck.id] += len(deck.cards)
                    self._segments.setdefault(deck.id, []).append((before, len(self.cards)))
                    if deck.id not in self._card_decks:
                        self._card_decks.append(deck.id)
        self._scope_decks = tuple(dict.fromkeys(scope.deck_ids))
        # deck id -> card key -> stored state (None: none stored), read from the store when first needed:
        # building the queue reads only the few columns it needs, and no CardState.
        self._known: dict[str, dict[str, CardState | None]] = {}
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
        # (card, its state, when, grade -> state after) as the last previews() computed them
        self._shown_outcomes: tuple[Card, CardState, datetime, dict[Grade, CardState]] | None = None
        if mode is Mode.REVIEW:
            self._build_review_queue()
        else:
            shuffled = list(self.cards)
            random.Random(seed).shuffle(shuffled)
            suspended = {deck_id: self.store.suspended_keys(deck_id) for deck_id in self._segments}
            self._new = deque(c for c in shuffled if c.key not in suspended[c.deck_id].get(c.note.kind, _NO_KEYS))
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

    def state_of(self, card: Card) -> CardState:
        return effective_state(card, self._stored(card))

    def _stored(self, card: Card) -> CardState | None:
        known = self._known.get(card.deck_id)
        if known is None:
            known = self._known[card.deck_id] = {}
        try:
            return known[card.key]
        except KeyError:
            state = known[card.key] = self.store.state(card.deck_id, card.key)
            return state

    def _set_stored(self, card: Card, state: CardState | None) -> None:
        self._known.setdefault(card.deck_id, {})[card.key] = state

    def _build_review_queue(self) -> None:
        now = self.clock.now()
        end = day_end(now, self.settings.rollover_hour)
        start = day_start(now, self.settings.rollover_hour)
        learning: list[tuple[int, Card, datetime | None]] = []
        reviews: list[tuple[datetime, int, Card]] = []
        new: list[tuple[int, Card]] = []
        for deck_id in self._card_decks:
            new_done, reviews_done, keys = self.store.today_counts(deck_id, start)
            answered = {key.split("/")[0] for key in keys}
            segments = self._segments[deck_id]
            deck = _DeckQueue(self.store, self.cards, deck_id, segments, self._deck_sizes[deck_id], answered, now, end)
            reviews += deck.reviews(self.settings.reviews_per_day - reviews_done)  # finds the learning cards too
            learning += deck.learning()
            new += deck.new(self.settings.new_per_day - new_done)
        reviews.sort()  # by due time, then card order (positions are unique: cards are never compared)
        self._reviews.extend(card for _, _, card in reviews)
        new.sort()
        self._new.extend(card for _, card in new)
        learning.sort()
        for _, card, due in learning:
            self._add_learning(card, due)

    def _add_learning(self, card: Card, due: datetime | None, seq: int | None = None) -> int:
        if seq is None:
            seq = self._seq
            self._seq += 1
        self._learning[seq] = card
        heapq.heappush(self._learning_heap, (due or _EARLIEST, seq, due))
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
            picked = ("learning", seq, self.state_of(card).due)
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
        """The next interval for each grade. As in Anki, grading the card applies these very outcomes (fuzz
        included): what the grade bar shows is what the card gets."""
        if self.current is None:
            return {}
        card, now = self.current, self.clock.now()
        before = self.state_of(card)
        outcomes = self.scheduler.outcomes(self._number(card), before, now)
        self._shown_outcomes = (card, before, now, outcomes)
        return {grade: after.due - now for grade, after in outcomes.items()}  # type: ignore[operator]

    def _outcome(self, card: Card, before: CardState, grade: Grade, now: datetime) -> CardState:
        """The state `grade` gives the card now: the one previewed, moved to now (unless the card's whole
        days since its last review changed meanwhile, which FSRS counts), or computed afresh."""
        shown = self._shown_outcomes
        if shown is not None and shown[0] is card and shown[1] == before:
            at = shown[2]
            last = before.last_review
            if last is None or (now - last).days == (at - last).days:
                after = shown[3][grade]
                assert after.due is not None
                return replace(after, due=after.due + (now - at), last_review=now)
        return self.scheduler.review(self._number(card), before, grade, now)

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
            after = self._outcome(card, before, grade, now)
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
                added = self._add_learning(card, after.due)
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
        answered, before_stored, added, picked = self._undo[-1]
        self.store.undo_review(answered.review_id)  # if this write fails, the undo stays available
        self._undo.pop()
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
        found: datetime | None = None
        cards = self.cards
        for deck_id, segments in self._segments.items():
            kinds = {cards[i].key: cards[i].note.kind for start, stop in segments for i in range(start, stop)}
            for fsrs_state in (NEW, _LEARNING, _REVIEW, _RELEARNING):
                limit: int | None = 64
                while True:
                    rows, boundary = self.store.due_rows(deck_id, fsrs_state, after=now, limit=limit)
                    due = next((due for key, kind, due, _ in rows if kinds.get(key) == kind), None)
                    if due is not None or boundary is None:
                        break
                    limit = None if limit > 4096 else limit * 8  # type: ignore[operator]
                if due is not None and (found is None or due < found):
                    found = due
        return found


class _DeckQueue:
    """One deck's part of today's review queue, read from the store without reading every card state.

    The store answers in index order: learning states, then reviews due today earliest first (only as
    many as the day's budget needs), then, for new cards, the states of the next few cards in card
    order (or, when those are mostly seen, the keys of every state that keeps a card from being new).
    A note's cards are adjacent and in order in `cards`, as decks lay them out.
    """

    def __init__(
        self,
        store: Store,
        cards: list[Card],
        deck_id: str,
        segments: list[tuple[int, int]],
        deck_size: int,
        answered: set[str],
        now: datetime,
        end: datetime,
    ) -> None:
        self.store, self.cards, self.deck_id, self.segments = store, cards, deck_id, segments
        self.answered, self.now, self.end = answered, now, end
        self._info: dict[str, BriefState] = {}  # key -> what is known of its stored state
        self._absent: set[str] = set()  # keys looked up without a stored state
        self._positions: dict[str, list[int]] = {}  # key -> where its card is in `cards`
        self._searched: set[str] = set()
        self._learning_rows = store.learning_rows(deck_id)
        for key, kind, due, buried in self._learning_rows:
            self._info[key] = (kind, _LEARNING, False, due, buried)
        self.scale = deck_size / sum(stop - start for start, stop in segments)  # deck cards per card in scope
        self._codes: dict[str, str] | None = None  # key -> state code, for every state but a plain new one

    # --- what is known -------------------------------------------------------------------------------

    def _find(self, keys: Iterable[str]) -> None:
        """Note where the cards with these keys are (one pass over the deck's cards)."""
        wanted = set(keys) - self._searched
        if not wanted:
            return
        self._searched |= wanted
        cards, positions = self.cards, self._positions
        for start, stop in self.segments:
            source = cards if start == 0 and stop == len(cards) else islice(cards, start, stop)
            for pos in [pos for pos, card in enumerate(source, start) if card.key in wanted]:
                positions.setdefault(cards[pos].key, []).append(pos)

    def _probe(self, keys: Iterable[str]) -> None:
        """Look up the stored states of these cards, those not known yet (one query)."""
        info, absent = self._info, self._absent
        wanted = [key for key in keys if key not in info and key not in absent]
        if wanted:
            found = self.store.brief_states(self.deck_id, wanted)
            info.update(found)
            absent.update(key for key in wanted if key not in found)

    def _run(self, pos: int) -> range:
        """The positions of the cards of this card's note."""
        cards = self.cards
        card = cards[pos]
        note_id, deck_id = card.note.id, card.deck_id
        first, last = pos, pos + 1
        while first > 0 and (other := cards[first - 1]).deck_id == deck_id and other.note.id == note_id:
            first -= 1
        while last < len(cards) and (other := cards[last]).deck_id == deck_id and other.note.id == note_id:
            last += 1
        return range(first, last)

    def _due_review(self, card: Card, info: BriefState | None) -> bool:
        """A review due today that is shown today: the stored kind is the card's, not suspended or buried."""
        if info is None:
            return False
        kind, fsrs_state, suspended, due, buried = info
        return (
            fsrs_state == _REVIEW
            and not suspended
            and due is not None
            and due < self.end
            and kind == card.note.kind
            and (buried is None or buried <= self.now)
        )

    def _new_card(self, card: Card, info: BriefState | None) -> bool:
        """New today: nothing stored, a kind that changed since, or a new state neither suspended nor buried."""
        if info is None:
            return True
        kind, fsrs_state, suspended, _, buried = info
        if kind != card.note.kind:
            return True
        return fsrs_state == NEW and not suspended and (buried is None or buried <= self.now)

    # --- the three queues ----------------------------------------------------------------------------

    def learning(self) -> list[tuple[int, Card, datetime | None]]:
        """(position, card, due) of the learning cards, whatever their due time."""
        self._find(row[0] for row in self._learning_rows)
        found = []
        for key, kind, due, buried in self._learning_rows:
            for pos in self._positions.get(key, ()):
                card = self.cards[pos]
                if kind == card.note.kind and (buried is None or buried <= self.now):
                    found.append((pos, card, due))
        return found

    def reviews(self, budget: int) -> list[tuple[datetime, int, Card]]:
        """(due, position, card) of the first `budget` reviews due today, one card per note.

        A note's card is its first card (in card order) that is a due review; notes answered today wait.
        Reviews are read earliest first, only as far as the budget needs, then all of them if the first
        reading was not enough.
        """
        if budget <= 0:
            return []
        limit: int | None = max(1, int((2 * budget + _REVIEW_MARGIN) * self.scale))
        while True:
            rows, boundary = self.store.due_rows(self.deck_id, _REVIEW, before=self.end, limit=limit)
            for key, kind, due, buried in rows:
                self._info[key] = (kind, _REVIEW, False, due, buried)
            self._find(chain((row[0] for row in self._learning_rows), (row[0] for row in rows)))
            winners = self._winners(rows)
            if boundary is not None:  # only reviews due before `boundary` are known to be all there
                winners = [winner for winner in winners if winner[0] < boundary]
                if len(winners) < budget:
                    limit = None
                    continue
            winners.sort()
            return winners[:budget]

    def _winners(self, rows: list) -> list[tuple[datetime, int, Card]]:
        cards, positions = self.cards, self._positions
        starts = [pos for row in rows for pos in positions.get(row[0], ())]
        self._probe(cards[q].key for pos in starts for q in self._run(pos) if q < pos)
        done: set[str] = set()
        winners: list[tuple[datetime, int, Card]] = []
        for key, kind, due, buried in rows:
            for pos in positions.get(key, ()):
                card = cards[pos]
                if kind != card.note.kind or (buried is not None and buried > self.now):
                    continue
                note_id = card.note.id
                if note_id in self.answered or note_id in done:
                    continue
                done.add(note_id)
                winner = (due, pos, card)
                for q in self._run(pos):  # an earlier card of the note comes first
                    if q >= pos:
                        break
                    info = self._info.get(cards[q].key)
                    if self._due_review(cards[q], info):
                        winner = (info[3], q, cards[q])  # type: ignore[index]
                        break
                winners.append(winner)
        return winners

    def new(self, budget: int) -> list[tuple[int, Card]]:
        """(position, card) of the first `budget` new cards in card order, one per note, skipping notes
        answered today or with a review due today.

        The states of the next cards are looked up a chunk at a time; past a few chunks (a deck studied
        for a while has its new cards after thousands of seen ones), the keys of the deck's states that
        keep a card from being new are read at once, and only the other cards' notes are looked up.
        """
        if budget <= 0:
            return []
        cards = self.cards
        picked: list[tuple[int, Card]] = []
        chunk: int | None = _FIRST_PROBE
        for start, stop in self.segments:
            pos = start
            while pos < stop and len(picked) < budget:
                if chunk is not None:  # the next cards, looked up together
                    end = min(pos + chunk, stop)
                    while end < stop and cards[end].note.id == cards[end - 1].note.id:
                        end += 1  # whole notes
                    self._take_new(list(self._runs(pos, end)), budget, picked)
                    chunk = chunk * 4 if chunk < _PROBE_LIMIT else None
                    pos = end
                    continue
                batch: list[range] = []  # the notes that may have a new card, a few at a time
                for run in self._candidate_runs(pos, stop):
                    batch.append(run)
                    if len(batch) >= 2 * (budget - len(picked)) + 16:
                        self._take_new(batch, budget, picked)
                        batch = []
                        if len(picked) == budget:
                            break
                if batch:
                    self._take_new(batch, budget, picked)
                pos = stop
        return picked

    def _take_new(self, runs: list[range], budget: int, picked: list[tuple[int, Card]]) -> None:
        """Judge these notes in order (their states looked up in one query): each gives its first new card
        unless it was answered today or has a review due today."""
        cards, info, answered = self.cards, self._info, self.answered
        runs = [run for run in runs if cards[run.start].note.id not in answered]
        self._probe(cards[q].key for run in runs for q in run)
        for run in runs:
            if len(picked) == budget:
                return
            if any(self._due_review(cards[q], info.get(cards[q].key)) for q in run):
                continue
            pick = next((q for q in run if self._new_card(cards[q], info.get(cards[q].key))), None)
            if pick is not None:
                picked.append((pick, cards[pick]))

    def _runs(self, start: int, stop: int) -> Iterable[range]:
        """The positions of each note's cards in cards[start:stop] (which holds whole notes)."""
        cards = self.cards
        first = start
        while first < stop:
            note_id = cards[first].note.id
            last = first + 1
            while last < stop and cards[last].note.id == note_id:
                last += 1
            yield range(first, last)
            first = last

    def _candidate_runs(self, start: int, stop: int) -> Iterable[range]:
        """The notes in cards[start:stop] with a card that no stored state keeps from being new."""
        if self._codes is None:
            self._codes = self.store.state_codes(self.deck_id, self.end, self.now)
        code = self._codes.get
        blocking = _BLOCKING_CODES  # kind -> the codes of states that keep a card of that kind from being new
        cards = self.cards
        source = cards if start == 0 and stop == len(cards) else islice(cards, start, stop)
        candidates = [pos for pos, card in enumerate(source, start) if code(card.key) not in blocking[card.note.kind]]
        last = start
        for pos in candidates:
            if pos >= last:
                run = self._run(pos)
                last = run.stop
                yield run
