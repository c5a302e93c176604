"""Exam dates: kept in the store, reviews placed so predicted recall on the exam day reaches the target, and
plans that say honestly when the limits keep it out of reach. A simulated learner whose memory follows
FSRS with the parameters in use (so the engine's predicted recall is its true recall) studies every day."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS

from quiz.core.cardstate import REVIEW, CardState
from quiz.core.clock import FixedClock, day_start, study_day
from quiz.core.examdates import ExamDate, ExamDateError, read_exam_dates, remove_exam_date, set_exam_date
from quiz.core.examplacement import ExamPlacer
from quiz.core.examplan import plan_exams
from quiz.core.model import Deck, Grade
from quiz.core.recall import curve_for
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import MIGRATIONS, Store
from tests.conftest import START, basic_deck_yaml

CURVE = curve_for(tuple(DEFAULT_PARAMETERS))
TODAY = study_day(START, 4)


def _study(store: Store, deck: Deck, clock: FixedClock, days: int, seed: int = 3) -> None:
    """Study every card the sessions show for `days` days; a review is recalled (Good) with the probability
    FSRS predicts, else forgotten (Again)."""
    rng = random.Random(seed)
    for _ in range(days):
        session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope((deck.id,)))
        while session.current is not None:
            state = session.state_of(session.current)
            grade = Grade.GOOD
            if state.is_review and state.stability is not None and state.last_review is not None:
                elapsed = (study_day(clock.now(), 4) - study_day(state.last_review, 4)).days
                grade = Grade.GOOD if rng.random() < CURVE.recall(state.stability, elapsed) else Grade.AGAIN
            session.grade(grade)
            clock.advance(timedelta(seconds=20))
        clock.current = day_start(clock.now()) + timedelta(days=1, hours=5)


def _recalled_on(store: Store, deck: Deck, day: date) -> float:
    """The learner's expected share of the deck recalled on `day` (a card never studied: not recalled)."""
    total = 0.0
    for card in deck.cards:
        state = store.state(deck.id, card.key)
        if state is not None and state.stability is not None and state.last_review is not None:
            total += CURVE.recall(state.stability, (day - study_day(state.last_review, 4)).days)
    return total / len(deck.cards)


@pytest.fixture
def deck_of(tmp_path: Path, write_deck):
    return lambda count: write_deck(basic_deck_yaml(count))


def test_exam_dates_are_kept_moved_and_removed(store: Store) -> None:
    assert store.schema_version == len(MIGRATIONS)
    set_exam_date(store, ExamDate("d", "t0", date(2026, 3, 1), 0.95), TODAY)
    set_exam_date(store, ExamDate("d", None, date(2026, 2, 1), 0.9), TODAY)
    set_exam_date(store, ExamDate("d", "t0", date(2026, 3, 2), 0.97), TODAY)  # moved, not doubled
    assert read_exam_dates(store) == [
        ExamDate("d", None, date(2026, 2, 1), 0.9),
        ExamDate("d", "t0", date(2026, 3, 2), 0.97),
    ]
    assert remove_exam_date(store, "d", None) and not remove_exam_date(store, "d", None)
    assert [exam.scope for exam in read_exam_dates(store)] == ["d/t0"]


@pytest.mark.parametrize(
    ("exam", "says"),
    [
        (ExamDate("d", None, TODAY, 0.9), "is not after today"),
        (ExamDate("d", None, TODAY + timedelta(days=9), 1.2), "from 0.7 to 0.99"),
        (ExamDate("d", None, TODAY + timedelta(days=9), 0.5), "from 0.7 to 0.99"),
    ],
)
def test_a_past_day_or_a_bad_target_is_refused_and_nothing_is_kept(store: Store, exam: ExamDate, says: str) -> None:
    with pytest.raises(ExamDateError, match=says):
        set_exam_date(store, exam, TODAY)
    assert read_exam_dates(store) == []


def test_a_review_crossing_the_exam_comes_back_before_it_and_no_other_does(write_deck) -> None:
    deck = write_deck(basic_deck_yaml(2))  # c0 in topic t0, c1 in t1
    exam = ExamDate("d", "t0", TODAY + timedelta(days=20), 0.95)
    placer = ExamPlacer([exam], 4)
    state = CardState(kind="basic", fsrs_state=REVIEW, stability=30.0, difficulty=5.0, last_review=START, reps=3)
    outcomes = {grade: replace(state, due=START + timedelta(days=40 + grade)) for grade in Grade}
    placed = placer.place(deck.cards[0], outcomes, START, DEFAULT_PARAMETERS)
    expected = int(CURVE.days_until(30.0, 0.95))  # the last day before recall falls to 95 %
    assert 1 <= expected < 20
    assert {grade: after.due for grade, after in placed.items()} == dict.fromkeys(
        Grade, START + timedelta(days=expected)
    )
    assert CURVE.recall(30.0, expected) >= 0.95 > CURVE.recall(30.0, 20)
    assert placer.place(deck.cards[1], outcomes, START, DEFAULT_PARAMETERS) == outcomes  # another topic
    strong = {grade: replace(after, stability=3000.0) for grade, after in outcomes.items()}
    assert placer.place(deck.cards[0], strong, START, DEFAULT_PARAMETERS) == strong  # recalled on the day anyway
    after_exam = START + timedelta(days=21)
    assert placer.place(deck.cards[0], outcomes, after_exam, DEFAULT_PARAMETERS) == outcomes  # normal again


def test_a_review_due_on_the_exam_day_comes_the_last_day_before_recall_falls_to_the_target(write_deck) -> None:
    deck = write_deck(basic_deck_yaml(1))
    exam = ExamDate("d", None, TODAY + timedelta(days=3), 0.9)
    state = CardState(kind="basic", fsrs_state=REVIEW, stability=2.5, difficulty=5.0, last_review=START, reps=3)
    outcomes = {grade: replace(state, due=START + timedelta(days=3)) for grade in Grade}  # due on the exam day
    placed = ExamPlacer([exam], 4).place(deck.cards[0], outcomes, START, DEFAULT_PARAMETERS)
    assert CURVE.recall(2.5, 2) >= 0.9 > CURVE.recall(2.5, 3)
    assert all(after.due == START + timedelta(days=2) for after in placed.values())


def test_a_feasible_exam_reaches_its_target_and_would_not_without_its_date(tmp_path: Path, deck_of) -> None:
    exam_day = TODAY + timedelta(days=30)
    deck = deck_of(40)
    reached = {}
    for with_exam in (False, True):
        store = Store.in_folder(tmp_path / f"exam-{with_exam}")
        store.save_settings(replace(store.settings(), fuzz=False, new_per_day=10))
        clock = FixedClock(START)
        if with_exam:
            set_exam_date(store, ExamDate("d", None, exam_day, 0.97), TODAY)
            (plan,) = plan_exams(store, [deck], read_exam_dates(store), clock.now())
            assert plan.reachable and plan.outlook.recalled >= 0.97 and plan.advice() == []
            assert sum(day.new for day in plan.outlook.days) == 40 and len(plan.outlook.days) == 30
        _study(store, deck, clock, 30)
        assert study_day(clock.now(), 4) == exam_day
        reached[with_exam] = _recalled_on(store, deck, exam_day)
        store.close()
    assert reached[True] >= 0.97 > reached[False]


def test_limits_that_keep_the_target_out_of_reach_are_named_and_raising_them_reaches_it(
    tmp_path: Path, deck_of
) -> None:
    exam_day = TODAY + timedelta(days=6)
    deck = deck_of(120)
    for new_per_day in (10, 20):  # the second time, as the first plan advises
        store = Store.in_folder(tmp_path / f"limit-{new_per_day}")
        store.save_settings(replace(store.settings(), fuzz=False, new_per_day=new_per_day))
        set_exam_date(store, ExamDate("d", None, exam_day, 0.9), TODAY)
        (plan,) = plan_exams(store, [deck], read_exam_dates(store), START)
        _study(store, deck, FixedClock(START), 6)
        reached = _recalled_on(store, deck, exam_day)
        store.close()
        if new_per_day == 10:
            assert not plan.reachable and plan.new_per_day_needed == 20
            assert plan.advice() == [
                "out of reach within the limits, 42 points short of 90%:",
                "raise new cards per day from 10 to 20",
            ]
            assert reached < 0.9  # as the plan said, and by about as much
            assert reached == pytest.approx(plan.outlook.recalled, abs=0.05)
        else:
            assert plan.reachable and plan.advice() == []
            assert reached >= 0.9


def test_no_limit_reaches_a_target_too_close_and_the_plan_says_so(store: Store, deck_of) -> None:
    deck = deck_of(30)
    set_exam_date(store, ExamDate("d", None, TODAY + timedelta(days=1), 0.99), TODAY)
    (plan,) = plan_exams(store, [deck], read_exam_dates(store), START)
    assert not plan.reachable and plan.unlimited is not None and plan.unlimited.recalled < 0.99
    (advice,) = plan.advice()
    assert advice.startswith("out of reach, ") and "a later exam date or a lower target" in advice


def test_exams_on_two_topics_each_hold_their_own_cards_to_their_own_day(store: Store, deck_of) -> None:
    deck = deck_of(6)  # c0, c2, c4 in topic t0; c1, c3, c5 in t1
    early, late = TODAY + timedelta(days=8), TODAY + timedelta(days=20)
    set_exam_date(store, ExamDate("d", "t0", early, 0.97), TODAY)
    set_exam_date(store, ExamDate("d", "t1", late, 0.97), TODAY)
    clock = FixedClock(START)
    _study(store, deck, clock, 8)
    assert _topic_recall(store, deck, "t0", early) >= 0.97 > _topic_recall(store, deck, "t1", early)
    _study(store, deck, clock, 12)
    assert _topic_recall(store, deck, "t1", late) >= 0.97
    plans = {plan.exam.topic: plan for plan in plan_exams(store, [deck], read_exam_dates(store), START)}
    assert set(plans) == {"t0", "t1"} and plans["t0"].cards == plans["t1"].cards == 3


def _topic_recall(store: Store, deck: Deck, topic: str, day: date) -> float:
    """The least predicted recall on `day` among the topic's cards."""
    return min(
        CURVE.recall(state.stability, (day - study_day(state.last_review, 4)).days)
        for card in deck.cards
        if card.topic == topic and (state := store.state(deck.id, card.key)) is not None
    )


def test_a_store_holding_only_an_exam_date_is_not_empty(tmp_path: Path) -> None:
    """A store is backed up once it holds something of the user's: an exam date is enough."""
    fresh = Store.in_folder(tmp_path / "fresh")
    assert fresh.is_empty()
    fresh.save_exam_date("d", "", "2027-01-15", 0.9)
    assert not fresh.is_empty()
    fresh.close()
