"""The session queue, the deck counts and next_due read only what they need from the store; they must
come out exactly as when every stored state is read and checked in Python (the reference below is the
earlier code that did so), over random decks, states, scopes, budgets and answers of the day."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from itertools import count

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS

import quiz.core.deckcache as deckcache
import quiz.core.studyqueue
from quiz.core.cardstate import NEW, CardState, effective_state
from quiz.core.clock import FixedClock, day_end, day_start, study_day
from quiz.core.deckfile import LoadResult
from quiz.core.decks import cards_of
from quiz.core.examdates import read_exam_dates
from quiz.core.exampace import paced_exams
from quiz.core.examplan import exam_pace
from quiz.core.kinds import new_note
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.recall import curve_for
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.settings import Settings
from quiz.core.stats import DeckCounts, read_deck_counts, read_deck_counts_by_topic
from quiz.core.store import Store

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PLUS_TWO = timezone(timedelta(hours=2))
KINDS = ("basic", "reverse", "cloze", "typed")


# --- the reference: every state read, every card checked -------------------------------------------------


def reference_counts(
    deck: Deck, states: dict[str, CardState], now: datetime, rollover_hour: int = 4, topic: str | None = None
) -> DeckCounts:
    """The counts, the simple way: every card's state built and looked at."""
    end = day_end(now, rollover_hour)
    new = learning = due = suspended = total = 0
    for card in deck.cards:
        if topic is not None and card.topic != topic:
            continue
        total += 1
        state = effective_state(card, states.get(card.key))
        if state.suspended:
            suspended += 1
        elif state.is_new:
            new += 1
        elif state.buried_until is not None and state.buried_until > now:
            continue  # not shown today (a new one, counted as new above, stays new)
        elif state.is_learning:
            learning += state.due is None or state.due < end  # a step that ends tomorrow is tomorrow's
        elif state.due is not None and state.due < end:
            due += 1
    return DeckCounts(new, learning, due, suspended, total)


def reference_queue(
    cards: list[Card], states: dict, today: dict, settings: Settings, now: datetime, paced: dict | None = None
):
    """(learning [(key, due)], review keys, new keys), as the session built them from all states; `paced`:
    deck id -> its PacedExams, nearest first, whose new cards come first."""
    end = day_end(now, settings.rollover_hour)
    budgets, answered = {}, set()
    decks = list(dict.fromkeys(card.deck_id for card in cards))
    for deck_id in decks:
        introduced, reviews_done, keys = today[deck_id]
        budgets[deck_id] = [settings.new_per_day - len(introduced), settings.reviews_per_day - reviews_done]
        answered |= {(deck_id, key.split("/")[0]) for key in keys}
    queued, learning, reviews = set(), [], []
    for card in cards:
        stored = states.get((card.deck_id, card.key))
        if stored is None or stored.suspended:
            continue
        is_learning = stored.fsrs_state in (1, 3)
        if not (is_learning or (stored.fsrs_state == 2 and stored.due is not None and stored.due < end)):
            continue
        if stored.kind != card.note.kind or (stored.buried_until is not None and stored.buried_until > now):
            continue
        if is_learning:
            learning.append((card.key, stored.due))
            continue
        note = (card.deck_id, card.note.id)
        if note in answered or note in queued:
            continue
        reviews.append((stored.due, card))
        queued.add(note)
    reviews.sort(key=lambda r: r[0])
    review_keys = []
    for _, card in reviews:
        if budgets[card.deck_id][1] > 0:
            review_keys.append(card.key)
            budgets[card.deck_id][1] -= 1
    new = []  # (order, place, card): each exam's first, nearest first, then card order
    for deck_id in decks:
        picked: list[Card] = []
        walks = [(exam.covers, left, exam.day.toordinal()) for exam, _, left in (paced or {}).get(deck_id, ())]
        for covers, left, order in [*walks, (lambda card: True, budgets[deck_id][0], 10**9)]:
            left -= sum(1 for card in picked if covers(card)) if order < 10**9 else len(picked)
            for place, card in enumerate(cards):
                if left <= 0 or len(picked) >= budgets[deck_id][0]:
                    break
                if card.deck_id != deck_id or not covers(card):
                    continue
                stored = states.get((card.deck_id, card.key))
                if stored is not None and stored.kind == card.note.kind:
                    if stored.fsrs_state != NEW or stored.suspended:
                        continue
                    if stored.buried_until is not None and stored.buried_until > now:
                        continue
                note = (card.deck_id, card.note.id)
                if note in answered or note in queued:
                    continue
                new.append((order, place, card))
                picked.append(card)
                queued.add(note)
                left -= 1
    return learning, review_keys, [card.key for _, _, card in sorted(new, key=lambda entry: entry[:2])]


def reference_next_due(cards: list[Card], states: dict, now: datetime) -> datetime | None:
    dues = [
        s.due
        for c in cards
        if (s := effective_state(c, states.get((c.deck_id, c.key)))).due and not s.suspended and s.due > now
    ]
    return min(dues, default=None)


def queue_of(session: StudySession):
    """The session's queue as built, the card on screen put back where it was taken from."""
    learning = dict(session._learning._cards)
    reviews, new = list(session._reviews), list(session._new)
    picked, current = session._picked, session.current
    if picked is not None and current is not None:
        if picked.queue == "reviews":
            reviews.insert(0, current)
        elif picked.queue == "new":
            new.insert(0, current)
        else:
            learning[picked.seq] = current
    dues = {entry.seq: entry.due for entry in session._learning._heap}
    return (
        [(learning[seq].key, dues[seq]) for seq in sorted(learning)],
        [card.key for card in reviews],
        [card.key for card in new],
    )


# --- random worlds ---------------------------------------------------------------------------------------


def random_deck(rng: random.Random, deck_id: str, notes: int) -> Deck:
    made = []
    kinds = KINDS if rng.random() < 0.8 else KINDS[:1]
    for i in range(notes):
        kind = rng.choice(kinds)
        topic = rng.choice(("a", "b", "c"))
        if kind == "cloze":
            gaps = " ".join(f"{{{{g{n}}}}}" for n in range(rng.randint(1, 3)))
            made.append(new_note(f"n{i}", kind, topic=topic, text=f"x {gaps}"))
        elif kind == "typed":
            made.append(new_note(f"n{i}", kind, topic=topic, front="q", answer="a"))
        else:
            made.append(new_note(f"n{i}", kind, topic=topic, front="q", back="a"))
    if rng.random() < 0.3:
        rng.shuffle(made)
    cards = tuple(card for note in made for card in cards_of(deck_id, note))
    return Deck(deck_id, deck_id.title(), f"{deck_id}.yaml", notes=tuple(made), cards=cards)


def random_moment(rng: random.Random, end: datetime) -> datetime:
    roll = rng.random()
    if roll < 0.1:
        moment = end  # exactly at the day's end: not due today
    elif roll < 0.2:
        moment = NOW.replace(minute=rng.choice((0, 15, 45)))  # ties
    else:
        moment = NOW + timedelta(hours=rng.uniform(-72, 72), microseconds=rng.choice((0, rng.randrange(10**6))))
    return moment.astimezone(PLUS_TWO) if rng.random() < 0.05 else moment  # now and then another offset


def random_state(rng: random.Random, kind: str, end: datetime) -> CardState:
    fsrs_state = rng.choice((0, 1, 2, 2, 2, 2, 3))
    due = None if fsrs_state == 0 or rng.random() < 0.03 else random_moment(rng, end)
    buried = None if rng.random() < 0.85 else random_moment(rng, end)
    if rng.random() < 0.05:
        kind = rng.choice([k for k in KINDS if k != kind])  # the note's kind changed since
    return CardState(
        str(kind),
        fsrs_state,
        None if fsrs_state in (0, 2) else 0,
        None if fsrs_state == 0 else 3.0,
        None if fsrs_state == 0 else 5.0,
        due,
        None if fsrs_state == 0 else NOW - timedelta(days=3),
        0 if fsrs_state == 0 else 2,
        suspended=rng.random() < 0.08,
        buried_until=buried,
    )


def random_world(rng: random.Random, store: Store, big: bool = False):
    end = day_end(NOW)
    size = rng.randint(600, 900) if big else rng.randint(1, 40)
    decks = [random_deck(rng, "d", size)]
    if rng.random() < 0.3:
        decks.append(random_deck(rng, "e", rng.randint(1, 30)))
    stored_share = rng.choice((0.2, 0.6, 0.95, 1.0))
    states: dict[tuple[str, str], CardState] = {}
    with store.transaction() as db:
        for deck in decks:
            for card in deck.cards:
                if rng.random() < stored_share:
                    states[(deck.id, card.key)] = random_state(rng, str(card.note.kind), end)
            for n in range(rng.randint(0, 3)):  # states of cards no longer in the deck
                states[(deck.id, f"gone{n}")] = random_state(rng, "basic", end)
            if rng.random() < 0.2:  # a key with a line break, a kind no quiz knows (hand-edited files)
                states[(deck.id, "line\nbreak")] = random_state(rng, "basic", end)
                states[(deck.id, deck.cards[0].key)] = random_state(rng, "flashcard", end)
        for (deck_id, key), state in states.items():
            store._put_state(db, deck_id, key, state)
    for deck in decks:  # some answers today, before the session starts
        for card in rng.sample(deck.cards, min(len(deck.cards), rng.randint(0, 3))):
            before = states.get((deck.id, card.key))
            after = before or CardState(str(card.note.kind), 2, None, 3.0, 5.0, NOW + timedelta(days=2), NOW, 1)
            at = day_start(NOW) + timedelta(minutes=rng.randint(1, 200))
            store.record_review(deck.id, card.key, Grade.GOOD, at, 1000, Mode.REVIEW, before, after)
            states[(deck.id, card.key)] = after
    settings = Settings(
        new_per_day=rng.choice((0, 1, 3, 20, 9999)), reviews_per_day=rng.choice((0, 1, 2, 5, 200)), fuzz=False
    )
    return decks, states, settings


def scope_of(rng: random.Random, decks: list[Deck]) -> Scope:
    ids = tuple(deck.id for deck in decks)
    roll = rng.random()
    if roll < 0.2:
        return Scope(ids, topic=rng.choice(("a", "b")))
    if roll < 0.3 and len(ids) > 1:
        return Scope(ids[:1])
    return Scope(ids)


def in_scope(decks: list[Deck], scope: Scope) -> list[Card]:
    return [card for deck in decks if deck.id in scope.deck_ids for card in deck.cards if scope.includes(card)]


def via_cache(deck: Deck) -> Deck:
    """The deck as the deck cache gives it back (lazy, with its stored card groups)."""
    data = deckcache.encode(LoadResult(deck.path, deck, []))
    header = deckcache.EntryHeader(*deckcache._HEADER.unpack_from(data))
    index, notes = data[deckcache._HEADER.size : header.notes_at], data[header.notes_at :]
    cached = deckcache.decode(header, index, LoadResult, lambda: notes).deck
    assert cached is not None and type(cached) is not Deck
    return cached


# --- the checks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tight", [False, True], ids=["as-shipped", "tiny-reads"])
@pytest.mark.parametrize("seed", range(100))
def test_the_queue_is_what_reading_every_state_gives(tmp_path, monkeypatch, seed: int, tight: bool) -> None:
    if tight:  # read a handful of states at a time, so every second reading and fallback runs
        monkeypatch.setattr(quiz.core.studyqueue, "_REVIEW_MARGIN", -(10**9))
        monkeypatch.setattr(quiz.core.studyqueue, "_FIRST_PROBE", 1)
        monkeypatch.setattr(quiz.core.studyqueue, "_PROBE_LIMIT", 2)
    rng = random.Random(seed)
    store = Store.in_folder(tmp_path)
    decks, states, settings = random_world(rng, store, big=seed % 10 == 9)
    scope = scope_of(rng, decks)
    clock = FixedClock(NOW)
    session = StudySession(store, Scheduler(settings), clock, decks, scope)
    cards = in_scope(decks, scope)
    today = {deck.id: store.deck_answers_since(deck.id, day_start(NOW)) for deck in decks}
    assert queue_of(session) == reference_queue(cards, states, today, settings, NOW)
    assert session.next_due() == reference_next_due(cards, states, NOW)
    for deck in decks:
        stored = store.states(deck.id)
        cached = via_cache(deck)  # counted from the card groups the cache stores
        for rollover in (4, 10):
            counted = read_deck_counts_by_topic(store, deck, NOW, rollover)
            assert counted == {topic: reference_counts(deck, stored, NOW, rollover, topic) for topic in counted}
            assert read_deck_counts_by_topic(store, cached, NOW, rollover) == counted
            for topic in (None, "a", "z"):
                assert read_deck_counts(store, deck, NOW, rollover, topic) == reference_counts(
                    deck, stored, NOW, rollover, topic
                )
    assert session.states == {k: v for k, v in states.items() if k[0] in scope.deck_ids}
    practice = StudySession(store, Scheduler(settings), clock, decks, scope, Mode.PRACTICE, seed=seed)
    shuffled = list(cards)
    random.Random(seed).shuffle(shuffled)
    expected = [c.key for c in shuffled if not effective_state(c, states.get((c.deck_id, c.key))).suspended]
    drawn = [] if practice.current is None else [practice.current.key, *(c.key for c in practice._new)]
    assert drawn == expected
    store.close()


def test_a_studied_prefix_reads_the_blocking_keys_once(tmp_path) -> None:
    """Cards are introduced in order, so a long-studied deck has its new cards after thousands of seen ones."""
    store = Store.in_folder(tmp_path)
    deck = random_deck(random.Random(1), "d", 2000)
    states = {}
    moments = count()
    with store.transaction() as db:
        for card in deck.cards[:-30]:
            due = NOW + timedelta(days=1 + next(moments) % 40)
            state = CardState(str(card.note.kind), 2, None, 3.0, 5.0, due, NOW - timedelta(days=1), 1)
            states[(deck.id, card.key)] = state
            store._put_state(db, deck.id, card.key, state)
    settings = Settings(fuzz=False)
    session = StudySession(store, Scheduler(settings), FixedClock(NOW), [deck], Scope(("d",)))
    today = {"d": store.deck_answers_since("d", day_start(NOW))}
    assert queue_of(session) == reference_queue(list(deck.cards), states, today, settings, NOW)
    assert session.counts().new > 0
    store.close()


def test_the_queue_finds_cards_by_the_index_kept_with_the_deck(tmp_path, monkeypatch) -> None:
    """Made once per deck (a cached deck too) and used by every later queue, never rebuilt per session."""
    rng = random.Random(7)
    store = Store.in_folder(tmp_path)
    decks, states, settings = random_world(rng, store, big=True)
    cached = [via_cache(deck) for deck in decks]
    made = []
    real = Deck.card_index

    def counted(deck: Deck) -> dict[str, int]:
        index = real(deck)
        made.append(id(index))
        return index

    monkeypatch.setattr(Deck, "card_index", counted)
    clock = FixedClock(NOW)
    for scope in (Scope(tuple(deck.id for deck in decks)), Scope((decks[0].id,), topic="a")):
        for _ in range(2):
            session = StudySession(store, Scheduler(settings), clock, cached, scope)
            today = {deck.id: store.deck_answers_since(deck.id, day_start(NOW)) for deck in decks}
            assert queue_of(session) == reference_queue(in_scope(decks, scope), states, today, settings, NOW)
    assert len(set(made)) == len(decks)  # one index per deck, whatever the scope and the number of sessions
    assert all(deck.card_index()[card.key] == at for deck in cached for at, card in enumerate(deck.cards))
    store.close()


@pytest.mark.parametrize("tight", [False, True], ids=["as-shipped", "tiny-reads"])
@pytest.mark.parametrize("seed", range(40))
def test_exams_new_cards_come_first_as_reading_every_state_gives(tmp_path, monkeypatch, seed: int, tight: bool) -> None:
    """Random exams on the decks and their topics (some past): each exam's new cards, at its pace, before the
    others, whatever the reads; the pace is its cards new at the day's start over the days left."""
    if tight:
        monkeypatch.setattr(quiz.core.studyqueue, "_FIRST_PROBE", 1)
        monkeypatch.setattr(quiz.core.studyqueue, "_PROBE_LIMIT", 2)
    rng = random.Random(1000 + seed)
    store = Store.in_folder(tmp_path)
    decks, states, settings = random_world(rng, store, big=seed % 4 == 3)
    today = study_day(NOW, settings.rollover_hour)
    for deck in decks:
        for topic in rng.sample((None, "a", "b", "c"), rng.randint(1, 3)):
            day = today + timedelta(days=rng.randint(-1, 12))
            store.save_exam_date(deck.id, topic or "", day.isoformat(), 0.9)
    exams = read_exam_dates(store)
    scope = scope_of(rng, decks)
    session = StudySession(store, Scheduler(settings), FixedClock(NOW), decks, scope)
    paced = {deck.id: paced_exams(store, deck, exams, NOW, settings.rollover_hour, settings) for deck in decks}
    answered = store.reviews(since=day_start(NOW))
    for deck in decks:
        stored = store.states(deck.id)
        for exam, pace, left in paced[deck.id]:
            assert exam.day > today
            introduced = {  # answered new: no state before, or a new one (reset, buried, imported)
                r.card_key
                for r in answered
                if r.deck_id == deck.id and (r.state_before is None or r.state_before.fsrs_state == 0)
            }
            covered = [card for card in deck.cards if exam.covers(card)]
            unseen = reference_counts(deck, stored, NOW, settings.rollover_hour, exam.topic).new
            unseen += sum(1 for card in covered if card.key in introduced)
            assert pace == exam_pace(unseen, exam, today, settings, curve_for(tuple(DEFAULT_PARAMETERS)))
            assert left == max(0, pace - sum(1 for card in covered if card.key in introduced))
    today_answers = {deck.id: store.deck_answers_since(deck.id, day_start(NOW)) for deck in decks}
    expected = reference_queue(in_scope(decks, scope), states, today_answers, settings, NOW, paced)
    assert queue_of(session) == expected
    store.close()
