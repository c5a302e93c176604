"""A study session's queue: which cards it shows, in what order, and when the next one falls due.

Review mode follows Anki: learning cards due now, then reviews due today (earliest first, up to the day's
budget), then new cards in card order up to the daily limit; one card per note, and notes answered today
wait (a note here is its cards' sibling group, Card.sibling_group: a note's cards, or those of the notes one
Anki note became). Practice mode shuffles the chosen cards, suspended ones left out. The store is read per
deck and only as far as the budgets need (see _DeckQueue); no card's full state is built.

The cards a session covers are `cards` (decks in order, cards in deck order) and `segments`: deck id ->
the ranges of `cards` that hold that deck's cards, in the order the decks came, each with the deck's card
index (key -> place in the deck, kept with the deck) to find a card by its key without a pass over them.
"""

from __future__ import annotations

import heapq
import random
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import NamedTuple

from quiz.core.cardstate import LEARNING as _LEARNING
from quiz.core.cardstate import NEW
from quiz.core.cardstate import RELEARNING as _RELEARNING
from quiz.core.cardstate import REVIEW as _REVIEW
from quiz.core.clock import day_end, day_start
from quiz.core.exampace import PacedExam
from quiz.core.identity import note_id_of
from quiz.core.kinds import KINDS
from quiz.core.model import Card, Deck
from quiz.core.presets import DeckSettings
from quiz.core.store import BURIED_NEW, DUE, LEARNING, SEEN, SUSPENDED, BriefState, DueRow, Store, state_code


class Segment(NamedTuple):
    """A range of a session's `cards` holding one deck's cards (all of them, or those in scope)."""

    start: int
    stop: int
    deck: Deck
    places_in_deck: Sequence[int] | None = None  # the places in the deck of the cards held, ascending; None: all

    def _position_of(self, at: int) -> int | None:
        """Where the deck's card at this place is in `cards`, if this range holds it."""
        if self.places_in_deck is None:
            return self.start + at
        i = bisect_left(self.places_in_deck, at)
        return self.start + i if i < len(self.places_in_deck) and self.places_in_deck[i] == at else None

    def position(self, key: str) -> int | None:
        """Where the card with this key is in `cards`, if this range holds it (by the deck's card index)."""
        at = self.deck.card_index().get(key)
        return None if at is None else self._position_of(at)

    def topic_positions(self, topic: str) -> Sequence[int]:
        """Where the topic's cards this range holds are in `cards`, ascending (by the deck's topic places)."""
        places = self.deck.topic_places().get(topic, [])
        if self.places_in_deck is None:
            return places if self.start == 0 else [self.start + at for at in places]  # the first deck: the deck's list
        return [pos for at in places if (pos := self._position_of(at)) is not None]


Segments = dict[str, list[Segment]]

_EARLIEST = datetime.min.replace(tzinfo=UTC)  # where a learning card without a due time sorts (never written)
# Reviews: read the first 2 x budget + this many due states (more when the scope is part of the deck).
_REVIEW_MARGIN = 64
# New cards: look up this many cards' states first (one query), then 4 times as many; past _PROBE_LIMIT,
# read the codes of all the deck's states instead.
_FIRST_PROBE = 256
_PROBE_LIMIT = 1024
_UNPACED = date.max.toordinal() + 1  # the order of new cards no exam paces
_NO_KEYS: frozenset[str] = frozenset()  # suspended keys of a kind no stored state has
_BLOCKING_CODES = {
    kind: frozenset(state_code(c, kind) for c in (SUSPENDED, LEARNING, DUE, SEEN, BURIED_NEW)) for kind in KINDS
}


class LearningCard(NamedTuple):
    position: int  # in `cards`
    card: Card
    due: datetime | None


class DueReview(NamedTuple):
    due: datetime
    position: int  # in `cards`: unique, so cards are never compared
    card: Card


class NewCard(NamedTuple):
    order: int  # an exam's paced cards first, nearest exam first (its day's ordinal); then _UNPACED
    position: int  # in `cards`
    card: Card


class ReviewQueue(NamedTuple):
    learning: list[LearningCard]  # in card order
    reviews: list[Card]  # earliest due first
    new: list[Card]  # in card order


def review_queue(
    store: Store,
    cards: list[Card],
    segments: Segments,
    deck_sizes: dict[str, int],
    settings: DeckSettings,
    now: datetime,
    paced: dict[str, list[PacedExam]] | None = None,
) -> ReviewQueue:
    """Today's queue, each deck within its own preset's daily limits. `deck_sizes`: deck id -> its cards, in
    the session or not (scales how far to read). `paced`: deck id -> its exams ahead, nearest first, whose
    new cards come first (`exampace`)."""
    end = day_end(now, settings.base.rollover_hour)
    start = day_start(now, settings.base.rollover_hour)
    learning: list[LearningCard] = []
    reviews: list[DueReview] = []
    new: list[NewCard] = []
    for deck_id, deck_segments in segments.items():
        done = store.deck_answers_since(deck_id, start, end)
        answered = _sibling_groups(deck_segments[0].deck, done.answered)
        deck = _DeckQueue(store, cards, deck_id, deck_segments, deck_sizes[deck_id], answered, now, end)
        limits = settings.of(deck_id)
        reviews += deck.reviews(limits.reviews_per_day - done.reviews)  # finds the learning cards too
        learning += deck.learning()
        new += deck.new(limits.new_per_day - len(done.introduced), (paced or {}).get(deck_id, ()))
    reviews.sort()  # by due time, then card order
    new.sort()  # paced ones first, then card order
    learning.sort()
    return ReviewQueue(learning, [entry.card for entry in reviews], [entry.card for entry in new])


def practice_queue(store: Store, cards: list[Card], seed: int | None) -> list[Card]:
    """The cards shuffled (the same order for the same seed), suspended ones left out."""
    shuffled = list(cards)
    random.Random(seed).shuffle(shuffled)
    return without_suspended(store, shuffled)


def without_suspended(store: Store, cards: list[Card]) -> list[Card]:
    """`cards` in their order, those suspended left out (a state stored for another kind is not the card's)."""
    suspended = {deck_id: store.suspended_keys(deck_id) for deck_id in {card.deck_id for card in cards}}
    return [c for c in cards if c.key not in suspended[c.deck_id].get(c.note.kind, _NO_KEYS)]


def next_due(store: Store, cards: list[Card], segments: Segments, now: datetime) -> datetime | None:
    """When the next of these cards falls due after `now` (a stored state of another kind does not count)."""
    found: datetime | None = None
    for deck_id, deck_segments in segments.items():
        kinds = {
            cards[i].key: cards[i].note.kind for segment in deck_segments for i in range(segment.start, segment.stop)
        }
        for fsrs_state in (NEW, _LEARNING, _REVIEW, _RELEARNING):
            limit: int | None = 64
            while True:
                rows, boundary = store.due_rows(deck_id, fsrs_state, after=now, limit=limit)
                due = next((row.due for row in rows if kinds.get(row.key) == row.kind), None)
                if due is not None or boundary is None or limit is None:
                    break
                limit = None if limit > 4096 else limit * 8
            if due is not None and (found is None or due < found):
                found = due
    return found


LEARN_AHEAD = timedelta(minutes=20)  # like Anki: with nothing else left, show learning cards this early


class _LearningEntry(NamedTuple):
    order: datetime  # the due time, or _EARLIEST for a state without one
    seq: int
    due: datetime | None


class LearningQueue:
    """Learning cards by due time; equal due times keep the order the cards came in (each gets a seq, which
    grows). A heap of entries over the live cards (seq -> card): a card taken or discarded leaves its entry
    behind, dropped when it comes to the top."""

    def __init__(self) -> None:
        self._cards: dict[int, Card] = {}
        self._heap: list[_LearningEntry] = []
        self._next_seq = 0

    def __len__(self) -> int:
        return len(self._cards)

    def add(self, card: Card, due: datetime | None, seq: int | None = None) -> int:
        """Queue the card; given the seq it had, it goes back to its old place. Returns its seq."""
        if seq is None:
            seq = self._next_seq
            self._next_seq += 1
        self._cards[seq] = card
        heapq.heappush(self._heap, _LearningEntry(due or _EARLIEST, seq, due))
        return seq

    def cards(self) -> Iterable[Card]:
        return self._cards.values()

    def swap_cards(self, swap: Callable[[Card], Card]) -> None:
        """Put `swap(card)` in each card's place (the same card, its text edited)."""
        self._cards = {seq: swap(card) for seq, card in self._cards.items()}

    def card(self, seq: int) -> Card:
        return self._cards[seq]

    def take(self, seq: int) -> Card:
        return self._cards.pop(seq)

    def discard(self, seq: int) -> None:
        self._cards.pop(seq, None)

    def _top(self) -> _LearningEntry | None:
        heap = self._heap
        while heap and heap[0].seq not in self._cards:
            heapq.heappop(heap)
        return heap[0] if heap else None

    def due_by(self, horizon: datetime) -> int | None:
        """The seq of the card due first, if it is due by `horizon`."""
        top = self._top()
        return top.seq if top is not None and top.order <= horizon else None

    def count_due_before(self, end: datetime) -> int:
        """How many cards are due before `end`, the day's end (a card without a due time is due): today's learning
        cards, the count Home and Anki show, not those whose next step falls on a later day (a step past the day's
        end is due at the next day's start, `end` itself)."""
        return len({entry.seq for entry in self._heap if entry.seq in self._cards and entry.order < end})

    def comes_back_at(self) -> datetime | None:
        """When the card due first is due (for one without a due time: the earliest the others have)."""
        top = self._top()
        if top is None:
            return None
        if top.due is not None:
            return top.due
        dues = [entry.due for entry in self._heap if entry.due is not None and entry.seq in self._cards]
        return min(dues, default=None)


class _DeckQueue:
    """One deck's part of today's review queue, read from the store without reading every card state.

    The store answers in index order: learning states, then reviews due today earliest first (only as
    many as the day's budget needs), then, for new cards, the states of the next few cards in card
    order (or, when those are mostly seen, the keys of every state that keeps a card from being new).
    A note's cards are adjacent and in order in `cards`, as decks lay them out (so are the notes of a sibling
    group as the import writes them; moved apart, each is judged apart, but one answered still holds the rest).
    """

    def __init__(
        self,
        store: Store,
        cards: list[Card],
        deck_id: str,
        segments: list[Segment],
        deck_size: int,
        answered: set[str],
        now: datetime,
        end: datetime,
    ) -> None:
        self.store, self.cards, self.deck_id, self.segments = store, cards, deck_id, segments
        self.answered, self.now, self.end = answered, now, end
        self._info: dict[str, BriefState] = {}  # key -> what is known of its stored state
        self._absent: set[str] = set()  # keys looked up without a stored state
        self._learning_rows = store.learning_rows(deck_id)
        for key, kind, due, buried in self._learning_rows:
            self._info[key] = BriefState(kind, _LEARNING, False, due, buried)
        self.scale = deck_size / sum(segment.stop - segment.start for segment in segments)  # per card in scope
        self._codes: dict[str, str] | None = None  # key -> state code, for every state but a plain new one
        self._candidates: dict[int, list[int]] = {}  # a segment's stop -> where its cards that may be new are

    # --- what is known -------------------------------------------------------------------------------

    def _positions(self, key: str) -> list[int]:
        """Where the card with this key is in `cards` (once per range of this deck that holds it)."""
        return [pos for segment in self.segments if (pos := segment.position(key)) is not None]

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
        group, deck_id = card.sibling_group, card.deck_id
        first, last = pos, pos + 1
        while first > 0 and (other := cards[first - 1]).deck_id == deck_id and other.sibling_group == group:
            first -= 1
        while last < len(cards) and (other := cards[last]).deck_id == deck_id and other.sibling_group == group:
            last += 1
        return range(first, last)

    def _due_today(self, card: Card, info: BriefState | None) -> datetime | None:
        """The due time of a review due today that is shown today (the stored kind is the card's, not
        suspended or buried); None for any other card."""
        if info is None:
            return None
        kind, fsrs_state, suspended, due, buried = info
        shown = (
            fsrs_state == _REVIEW
            and not suspended
            and due is not None
            and due < self.end
            and kind == card.note.kind
            and (buried is None or buried <= self.now)
        )
        return due if shown else None

    def _new_card(self, card: Card, info: BriefState | None) -> bool:
        """New today: nothing stored, a kind that changed since, or a new state neither suspended nor buried."""
        if info is None:
            return True
        kind, fsrs_state, suspended, _, buried = info
        if kind != card.note.kind:
            return True
        return fsrs_state == NEW and not suspended and (buried is None or buried <= self.now)

    # --- the three queues ----------------------------------------------------------------------------

    def learning(self) -> list[LearningCard]:
        """The learning cards, whatever their due time."""
        found = []
        for key, kind, due, buried in self._learning_rows:
            for pos in self._positions(key):
                card = self.cards[pos]
                if kind == card.note.kind and (buried is None or buried <= self.now):
                    found.append(LearningCard(pos, card, due))
        return found

    def reviews(self, budget: int) -> list[DueReview]:
        """The first `budget` reviews due today, one card per note.

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
                self._info[key] = BriefState(kind, _REVIEW, False, due, buried)
            winners = self._winners(rows)
            if boundary is not None:  # only reviews due before `boundary` are known to be all there
                winners = [winner for winner in winners if winner.due < boundary]
                if len(winners) < budget:
                    limit = None
                    continue
            winners.sort()
            return winners[:budget]

    def _winners(self, rows: list[DueRow]) -> list[DueReview]:
        cards = self.cards
        positions = {row.key: self._positions(row.key) for row in rows}
        starts = [pos for found in positions.values() for pos in found]
        self._probe(cards[q].key for pos in starts for q in self._run(pos) if q < pos)
        done: set[str] = set()
        winners: list[DueReview] = []
        for key, kind, due, buried in rows:
            for pos in positions[key]:
                card = cards[pos]
                if kind != card.note.kind or (buried is not None and buried > self.now):
                    continue
                group = card.sibling_group
                if group in self.answered or group in done:
                    continue
                done.add(group)
                winner = DueReview(due, pos, card)
                for q in self._run(pos):  # an earlier card of the note comes first
                    if q >= pos:
                        break
                    earlier_due = self._due_today(cards[q], self._info.get(cards[q].key))
                    if earlier_due is not None:
                        winner = DueReview(earlier_due, q, cards[q])
                        break
                winners.append(winner)
        return winners

    def new(self, budget: int, paced: Iterable[PacedExam] = ()) -> list[NewCard]:
        """The first `budget` new cards, one per note, skipping notes answered today or with a review due
        today: first each exam's (nearest first) in card order, as many as it has `left` today (less those
        an earlier exam's took that it covers too), then the others in card order."""
        if budget <= 0:
            return []
        picked: list[NewCard] = []
        for exam, _, left in paced:
            left -= sum(1 for entry in picked if exam.covers(entry.card))
            if left > 0:
                self._walk_new(min(budget, len(picked) + left), picked, exam.day.toordinal(), exam.topic)
        self._walk_new(budget, picked, _UNPACED, None)
        return picked

    def _walk_new(self, budget: int, picked: list[NewCard], order: int, topic: str | None) -> None:
        """Add new cards in card order (only the topic's, if one is given: found by the deck's topic places,
        not by looking at every card) until `picked` holds `budget`.

        The states of the next cards are looked up a chunk at a time; past a few chunks (a deck studied
        for a while has its new cards after thousands of seen ones), the keys of the deck's states that
        keep a card from being new are read at once, and only the other cards' notes are looked up.
        """
        cards = self.cards
        taken = {entry.card.sibling_group for entry in picked}

        def wanted(runs: Iterable[range]) -> Iterable[range]:
            for run in runs:
                if (topic is None or cards[run.start].topic == topic) and cards[run.start].sibling_group not in taken:
                    yield run

        chunk: int | None = _FIRST_PROBE
        for segment in self.segments:
            stop = segment.stop
            positions = range(segment.start, stop) if topic is None else segment.topic_positions(topic)
            i = 0
            while i < len(positions) and len(picked) < budget:
                if chunk is not None:  # the next cards, looked up together
                    j = min(i + chunk, len(positions))
                    while (
                        j < len(positions)
                        and cards[positions[j]].sibling_group == cards[positions[j - 1]].sibling_group
                    ):
                        j += 1  # whole notes
                    self._take_new(list(wanted(self._runs(positions[i:j]))), budget, picked, order, taken)
                    chunk = chunk * 4 if chunk < _PROBE_LIMIT else None
                    i = j
                    continue
                batch: list[range] = []  # the notes that may have a new card, a few at a time
                for run in wanted(self._candidate_runs(positions[i], stop)):
                    batch.append(run)
                    if len(batch) >= 2 * (budget - len(picked)) + 16:
                        self._take_new(batch, budget, picked, order, taken)
                        batch = []
                        if len(picked) == budget:
                            break
                if batch:
                    self._take_new(batch, budget, picked, order, taken)
                i = len(positions)

    def _take_new(self, runs: list[range], budget: int, picked: list[NewCard], order: int, taken: set[str]) -> None:
        """Judge these notes in order (their states looked up in one query): each gives its first new card
        unless it was answered today or has a review due today. `taken`: the sibling groups picked from, each
        added as it is (the notes of one group moved apart give one card)."""
        cards, info, answered = self.cards, self._info, self.answered
        runs = [run for run in runs if cards[run.start].sibling_group not in answered]
        self._probe(cards[q].key for run in runs for q in run)
        for run in runs:
            if len(picked) == budget:
                return
            if cards[run.start].sibling_group in taken:
                continue
            if any(self._due_today(cards[q], info.get(cards[q].key)) is not None for q in run):
                continue
            pick = next((q for q in run if self._new_card(cards[q], info.get(cards[q].key))), None)
            if pick is not None:
                picked.append(NewCard(order, pick, cards[pick]))
                taken.add(cards[pick].sibling_group)

    def _runs(self, positions: Sequence[int]) -> Iterable[range]:
        """The positions of each note's cards among these (ascending, whole notes; a note's are adjacent)."""
        cards = self.cards
        i, count = 0, len(positions)
        while i < count:
            first = positions[i]
            group = cards[first].sibling_group
            j = i + 1
            while j < count and positions[j] == positions[j - 1] + 1 and cards[positions[j]].sibling_group == group:
                j += 1
            yield range(first, positions[j - 1] + 1)
            i = j

    def _candidate_runs(self, start: int, stop: int) -> Iterable[range]:
        """The notes in cards[start:stop], `stop` a segment's end, with a card that no stored state keeps from
        being new. The deck's states are read, and each segment's cards looked at, once per queue (each exam's
        walk and the last one share them)."""
        candidates = self._candidates.get(stop)
        if candidates is None:
            if self._codes is None:
                self._codes = self.store.state_codes(self.deck_id, self.end, self.now)
            code = self._codes.get
            blocking = _BLOCKING_CODES  # kind -> the codes of states that keep a card of that kind from being new
            cards = self.cards
            first = next(segment.start for segment in self.segments if segment.stop == stop)
            source = cards if first == 0 and stop == len(cards) else islice(cards, first, stop)
            candidates = [
                pos for pos, card in enumerate(source, first) if code(card.key) not in blocking[card.note.kind]
            ]
            self._candidates[stop] = candidates
        last = start
        for pos in islice(candidates, bisect_left(candidates, start), None):
            if pos >= last:
                run = self._run(pos)
                last = run.stop
                yield run


def _sibling_groups(deck: Deck, keys: Iterable[str]) -> set[str]:
    """The sibling groups (Card.sibling_group) of the deck's cards with these keys; of a key the deck no longer
    holds, its note's id."""
    index, cards = deck.card_index(), deck.cards
    return {cards[index[key]].sibling_group if key in index else note_id_of(key) for key in keys}
