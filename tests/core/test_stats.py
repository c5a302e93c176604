"""Small stats helpers on their own."""

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from quiz.core.cardstate import LEARNING, NEW, RELEARNING, REVIEW, CardState
from quiz.core.model import Grade, Mode
from quiz.core.presets import deck_settings
from quiz.core.stats import DeckCounts, limits_left, reviews_per_day, streaks, within_limits
from quiz.core.store import Store
from quiz.core.studyqueue import Segment, review_queue
from tests.conftest import START, basic_deck_yaml


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([], (0, 0)),
        ([0, 0, 0], (0, 0)),
        ([3, 1, 0, 2, 5, 1], (3, 3)),  # studied today: the run ends today
        ([3, 1, 0, 2, 5, 0], (2, 2)),  # not yet today: the run up to yesterday still counts
        ([1, 1, 1, 1, 0, 0], (0, 4)),  # a whole day missed: the run is over
        ([4], (1, 1)),
    ],
)
def test_streaks_are_current_and_longest_runs_of_days_with_answers(counts, expected) -> None:
    assert streaks(counts) == expected


def test_today_brings_new_cards_and_reviews_within_the_days_limits_and_every_learning_card() -> None:
    counts = DeckCounts(new=50, learning=7, due=300, suspended=2, total=400)
    assert within_limits(counts, 20, 200) == DeckCounts(20, 7, 200, 2, 400)
    assert within_limits(counts, 0, 0) == DeckCounts(0, 7, 0, 2, 400)
    assert within_limits(DeckCounts(3, 0, 1, 0, 4), 20, 200) == DeckCounts(3, 0, 1, 0, 4)


def test_limits_left_count_todays_scheduled_answers_only(store: Store) -> None:
    settings = deck_settings(store, replace(store.settings(), new_per_day=3, reviews_per_day=2))
    seen = CardState("basic", fsrs_state=REVIEW, step=None, stability=3.0, difficulty=5.0, due=START)
    store.record_review("d", "a", Grade.GOOD, START, 1, Mode.REVIEW, None, seen)  # a new card introduced
    store.record_review("d", "b", Grade.GOOD, START, 1, Mode.REVIEW, seen, seen)  # a review
    store.record_review("d", "c", Grade.GOOD, START, 1, Mode.PRACTICE, None, seen)  # practice: not counted
    store.record_review("d", "e", Grade.GOOD, START - timedelta(days=1), 1, Mode.REVIEW, None, seen)  # yesterday
    store.record_review("other", "a", Grade.GOOD, START, 1, Mode.REVIEW, None, seen)  # another deck
    assert limits_left(store, "d", settings, START) == (2, 1)
    store.record_review("d", "f", Grade.GOOD, START, 1, Mode.REVIEW, seen, seen)
    store.record_review("d", "g", Grade.GOOD, START, 1, Mode.REVIEW, seen, seen)
    assert limits_left(store, "d", settings, START) == (2, 0)  # never below zero


def test_an_answer_dated_tomorrow_spends_tomorrows_limits_only(store: Store, write_deck) -> None:
    """Answers synced from a device whose clock is a day ahead are dated tomorrow: they count against tomorrow's
    limits and on tomorrow's day of the stats, not against today's as well (which left a day's new cards unshown)."""
    settings = deck_settings(store, replace(store.settings(), new_per_day=3, reviews_per_day=2))
    seen = CardState("basic", fsrs_state=REVIEW, step=None, stability=3.0, difficulty=5.0, due=START)
    tomorrow = START + timedelta(days=1)
    store.record_review("d", "a", Grade.GOOD, tomorrow, 1, Mode.REVIEW, None, seen)  # introduced "tomorrow"
    store.record_review("d", "b", Grade.GOOD, tomorrow, 1, Mode.REVIEW, seen, seen)
    assert limits_left(store, "d", settings, START) == (3, 2)
    assert limits_left(store, "d", settings, tomorrow) == (2, 1)
    assert reviews_per_day(store, START, 3) == [0, 0, 0]
    assert reviews_per_day(store, tomorrow, 3) == [0, 0, 2]
    deck = write_deck(basic_deck_yaml(6, "q"))
    for card in deck.cards[:2]:  # the same on a real deck: today's queue brings the whole day's new cards
        store.record_review(deck.id, card.key, Grade.GOOD, tomorrow, 1, Mode.REVIEW, None, seen)
        store.set_state(deck.id, card.key, replace(seen, due=tomorrow + timedelta(days=3), last_review=tomorrow))
    cards = list(deck.cards)
    segments = {deck.id: [Segment(0, len(cards), deck)]}
    assert len(review_queue(store, cards, segments, {deck.id: len(cards)}, settings, START).new) == 3
    assert len(review_queue(store, cards, segments, {deck.id: len(cards)}, settings, tomorrow).new) == 1


def test_reviews_per_day_counts_answers_without_reading_their_card_states(store: Store, monkeypatch) -> None:
    """The Stats screen counts half a year of answers per day (its calendar): reading each answer's two card
    states for that took half a second on a year-old store. Only the answers' times are read now."""
    seen = CardState("basic", fsrs_state=REVIEW, step=None, stability=3.0, difficulty=5.0, due=START)
    for days_ago, mode in ((0, Mode.REVIEW), (0, Mode.REVIEW), (2, Mode.REVIEW), (2, Mode.PRACTICE), (9, Mode.REVIEW)):
        store.record_review("d", f"c{days_ago}", Grade.GOOD, START - timedelta(days=days_ago), 1, mode, seen, seen)

    def no_states(*_args: object) -> CardState:
        raise AssertionError("a card state was read to count answers")

    monkeypatch.setattr("quiz.core.store.state_from_columns", no_states)
    assert reviews_per_day(store, START, 4) == [0, 1, 0, 2]  # practice left out, and the answer 9 days ago


def test_the_answers_stats_read_are_those_the_whole_records_give(store: Store) -> None:
    """Retention, calibration and the per-day counts read answers without their card states (two whole states an
    answer took most of their time): they must take the very answers the records give, whatever the mode, the
    card's state before (none, new, learning, review, relearning, no memory), undone answers and answers dated
    ahead of the time asked about."""
    rng = random.Random(3)
    ids = []
    for n in range(300):
        at = START + timedelta(minutes=rng.randrange(-60 * 24 * 40, 60 * 24 * 3))
        fsrs_state = rng.choice([None, NEW, LEARNING, REVIEW, RELEARNING])
        stability = None if rng.random() < 0.1 else rng.uniform(0.1, 50)
        before = None if fsrs_state is None else CardState("basic", fsrs_state, None, stability, 5.0, at, at, 1)
        after = CardState("basic", REVIEW, None, 3.0, 5.0, at, at, 2)
        mode = rng.choice(list(Mode))
        ids.append(store.record_review("d", f"c{n % 40}", rng.choice(list(Grade)), at, 1, mode, before, after))
    for review_id in rng.sample(ids, 30):
        store.undo_review(review_id)
    for since in (START - timedelta(days=50), START - timedelta(days=7, seconds=1), START, START + timedelta(days=1)):
        records = store.reviews(since=since)
        assert store.answer_times(since, Mode.REVIEW) == [r.reviewed_at for r in records if r.mode is Mode.REVIEW]
        assert store.retention_answers(since) == [
            (r.deck_id, r.card_key, r.grade, r.reviewed_at, r.state_before.stability, r.state_before.last_review)
            for r in records
            if r.mode is Mode.REVIEW and r.state_before is not None and r.state_before.is_review
        ]
    assert store.retention_answers() == store.retention_answers(START - timedelta(days=50))
