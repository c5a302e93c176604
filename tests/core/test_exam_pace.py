"""An exam's new cards paced first: with an exam ahead on a topic, each day's new cards start with that
topic's, at the pace that introduces all of them before the exam day (the plan's "new cards per day
needed"), nearest exam first, then the deck's others in card order within its daily limit. Days are
simulated with a fixed clock, every card shown answered Good."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS

import quiz.core.deckcache as deckcache
import quiz.core.exampace as exampace
import quiz.core.studyqueue
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock, day_start, study_day
from quiz.core.examdates import ExamDate, read_exam_dates, remove_exam_date, set_exam_date
from quiz.core.exampace import paced_exams
from quiz.core.examplan import exam_pace, lead_days, plan_exams
from quiz.core.model import Deck, Grade, Mode
from quiz.core.recall import curve_for
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.settings import Settings
from quiz.core.stats import read_deck_counts_by_topic
from quiz.core.store import Store
from tests.conftest import START
from tests.core.test_queue_reads import via_cache

TODAY = study_day(START, 4)


def topics_deck(write_deck, counts: dict[str, int]) -> Deck:
    """The topics' cards in the order given (so card order takes the first topic's first)."""
    lines = [
        f"  - {{id: {topic}{i}, kind: basic, topic: {topic}, front: '{topic} question {i}', back: 'answer {i}'}}"
        for topic, count in counts.items()
        for i in range(count)
    ]
    return write_deck("deck: d\ntitle: Deck d\ncards:\n" + "\n".join(lines) + "\n")


def fresh_store(folder: Path, new_per_day: int) -> Store:
    store = Store.in_folder(folder)
    store.save_settings(replace(store.settings(), fuzz=False, new_per_day=new_per_day))
    return store


def study_day_of(store: Store, deck: Deck, clock: FixedClock, stop_after_new: int | None = None) -> list[str]:
    """Study what the session shows (Good to everything) and move the clock to the next day's morning, or
    stop after `stop_after_new` new cards. Returns the topics of the new cards, in the order shown."""
    session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope((deck.id,)))
    introduced: list[str] = []
    while session.current is not None:
        if session.state_of(session.current).is_new:
            if len(introduced) == stop_after_new:
                return introduced
            introduced.append(session.current.topic)
        session.grade(Grade.GOOD)
        clock.advance(timedelta(seconds=20))
    clock.current = day_start(clock.now()) + timedelta(days=1, hours=5)
    return introduced


def test_the_pace_spreads_the_cards_over_the_days_until_the_last_day_a_new_card_reaches_the_target() -> None:
    settings = Settings()
    curve = curve_for(tuple(DEFAULT_PARAMETERS))
    first = curve.next_states(None, settings.desired_retention, 0).good.memory.stability  # a new card's, after Good
    assert 0.9 <= curve.recall(first, 1) < 0.95  # introduced on the eve, it reaches 90 % on the day, not 95 %
    assert lead_days(0.9, settings, curve, 30) == 1 and lead_days(0.95, settings, curve, 30) == 2
    assert lead_days(0.99, settings, curve, 3) is None  # even a card introduced today falls short

    def pace(cards: int, days: int, target: float) -> int:
        return exam_pace(cards, ExamDate("d", "a", TODAY + timedelta(days=days), target), TODAY, settings, curve)

    assert [pace(25, 6, 0.9), pace(24, 6, 0.9), pace(0, 6, 0.9), pace(5, 0, 0.9)] == [5, 4, 0, 0]
    assert [pace(25, 6, 0.95), pace(24, 6, 0.95), pace(7, 1, 0.95)] == [5, 5, 7]  # 5 days; the eve: all now


def test_the_exam_topics_new_cards_come_first_at_its_pace_and_are_all_introduced_before_the_exam(
    tmp_path: Path, write_deck
) -> None:
    deck = topics_deck(write_deck, {"b": 80, "a": 25})
    store = fresh_store(tmp_path / "exam", new_per_day=10)
    exam_day = TODAY + timedelta(days=6)
    set_exam_date(store, ExamDate("d", "a", exam_day, 0.9), TODAY)
    (plan,) = plan_exams(store, [deck], read_exam_dates(store), START)
    assert plan.new_per_day_needed == 5  # 25 cards, 6 study days
    clock = FixedClock(START)
    days = []
    while study_day(clock.now(), 4) < exam_day:
        days.append(study_day_of(store, deck, clock))
    # the day's pace from the cards left: 25/6 -> 5, then 20/5, 16/4, 12/3, 8/2, 4/1 -> 4
    assert days == [["a"] * 5 + ["b"] * 5] + [["a"] * 4 + ["b"] * 6] * 5
    assert all(store.state("d", f"a{i}") is not None for i in range(25))  # all in time, the last on the eve
    assert [study_day(store.state("d", "a24").last_review, 4)] == [exam_day - timedelta(days=1)]  # type: ignore[union-attr]
    assert study_day_of(store, deck, clock) == ["b"] * 10  # on the exam day nothing is paced any more
    store.close()


def test_without_an_exam_or_once_it_is_removed_new_cards_come_in_card_order(tmp_path: Path, write_deck) -> None:
    deck = topics_deck(write_deck, {"b": 30, "a": 25})
    store = fresh_store(tmp_path / "plain", new_per_day=10)
    clock = FixedClock(START)
    assert study_day_of(store, deck, clock) == ["b"] * 10
    set_exam_date(store, ExamDate("d", "a", TODAY + timedelta(days=6), 0.9), TODAY)
    assert study_day_of(store, deck, clock)[:5] == ["a"] * 5
    assert remove_exam_date(store, "d", "a")
    assert study_day_of(store, deck, clock) == ["b"] * 10
    store.close()


def test_the_nearest_exam_goes_first_and_the_daily_limit_holds(tmp_path: Path, write_deck) -> None:
    deck = topics_deck(write_deck, {"b": 30, "far": 20, "near": 12})
    store = fresh_store(tmp_path / "two", new_per_day=8)
    set_exam_date(store, ExamDate("d", "far", TODAY + timedelta(days=10), 0.9), TODAY)  # pace 2
    set_exam_date(store, ExamDate("d", "near", TODAY + timedelta(days=3), 0.9), TODAY)  # pace 4
    assert study_day_of(store, deck, FixedClock(START)) == ["near"] * 4 + ["far"] * 2 + ["b"] * 2
    store.close()


def test_a_pace_above_the_limit_takes_the_whole_limit_and_the_plan_names_the_limit(tmp_path: Path, write_deck) -> None:
    deck = topics_deck(write_deck, {"b": 20, "a": 50})
    store = fresh_store(tmp_path / "short", new_per_day=6)
    exam = ExamDate("d", "a", TODAY + timedelta(days=5), 0.9)
    set_exam_date(store, exam, TODAY)
    assert paced_exams(store, deck, [exam], START, 4, store.settings()) == [exampace.PacedExam(exam, 10, 10)]
    assert study_day_of(store, deck, FixedClock(START)) == ["a"] * 6
    (plan,) = plan_exams(store, [deck], read_exam_dates(store), START)
    assert "raise new cards per day from 6 to 10" in plan.advice()
    store.close()


def test_the_days_pace_is_kept_as_its_cards_are_studied(tmp_path: Path, write_deck) -> None:
    """Counted at the day's start: after 2 of the day's 5, 3 are left (not ceil(23/6) - 2), in this process or
    in a new one (the count kept for the day dropped)."""
    deck = topics_deck(write_deck, {"b": 30, "a": 25})
    store = fresh_store(tmp_path / "midday", new_per_day=10)
    exam = ExamDate("d", "a", TODAY + timedelta(days=6), 0.9)
    set_exam_date(store, exam, TODAY)
    clock = FixedClock(START)
    assert study_day_of(store, deck, clock, stop_after_new=2) == ["a", "a"]
    assert paced_exams(store, deck, [exam], clock.now(), 4, store.settings()) == [exampace.PacedExam(exam, 5, 3)]
    exampace._UNSEEN_AT_START.clear()  # as a new process finds it
    assert paced_exams(store, deck, [exam], clock.now(), 4, store.settings()) == [exampace.PacedExam(exam, 5, 3)]
    assert study_day_of(store, deck, clock)[:4] == ["a"] * 3 + ["b"]
    store.close()


@pytest.mark.parametrize("days_after", [0, 1])
def test_an_exam_whose_day_has_come_paces_nothing(tmp_path: Path, write_deck, days_after: int) -> None:
    deck = topics_deck(write_deck, {"b": 30, "a": 25})
    store = fresh_store(tmp_path / "past", new_per_day=10)
    exam = ExamDate("d", "a", TODAY + timedelta(days=2), 0.9)
    set_exam_date(store, exam, TODAY)
    clock = FixedClock(START + timedelta(days=2 + days_after))
    assert paced_exams(store, deck, read_exam_dates(store), clock.now(), 4, store.settings()) == []
    assert study_day_of(store, deck, clock) == ["b"] * 10
    store.close()


def test_an_exam_on_the_whole_deck_keeps_card_order(tmp_path: Path, write_deck) -> None:
    deck = topics_deck(write_deck, {"b": 30, "a": 25})
    store = fresh_store(tmp_path / "deck-exam", new_per_day=10)
    set_exam_date(store, ExamDate("d", None, TODAY + timedelta(days=20), 0.9), TODAY)  # pace 3 of 55
    assert study_day_of(store, deck, FixedClock(START)) == ["b"] * 10
    store.close()


def test_the_count_kept_for_the_day_is_dropped_when_the_deck_changes(tmp_path: Path, write_deck) -> None:
    store = fresh_store(tmp_path / "edited", new_per_day=10)
    exam = ExamDate("d", "a", TODAY + timedelta(days=5), 0.9)
    set_exam_date(store, exam, TODAY)
    before = topics_deck(write_deck, {"b": 3, "a": 10})
    assert paced_exams(store, before, [exam], START, 4, store.settings())[0].pace == 2
    after = topics_deck(write_deck, {"b": 3, "a": 30})  # the deck file edited, loaded again
    assert paced_exams(store, after, [exam], START, 4, store.settings())[0].pace == 6
    store.close()


def test_counts_given_by_home_spare_the_sessions_count_and_a_cached_deck_builds_no_card(
    tmp_path: Path, write_deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = topics_deck(write_deck, {"b": 30, "a": 25})
    deck = via_cache(plain)
    store = fresh_store(tmp_path / "home", new_per_day=10)
    exam = ExamDate("d", "a", TODAY + timedelta(days=6), 0.9)
    set_exam_date(store, exam, TODAY)
    after = CardState("basic", 2, None, 3.0, 5.0, START + timedelta(days=2), START, 1)
    store.record_review("d", "a3", Grade.GOOD, START, 1000, Mode.REVIEW, None, after)  # introduced today
    counts = read_deck_counts_by_topic(store, deck, START, 4)  # what Home has read
    assert paced_exams(store, deck, [exam], START, 4, store.settings(), counts) == [exampace.PacedExam(exam, 5, 4)]
    assert deck.card_topic("a3") == plain.card_topic("a3") == "a" and deck.card_topic("gone") is None
    assert deck.topic_places() == plain.topic_places() == {"b": list(range(30)), "a": list(range(30, 55))}
    with pytest.raises(AttributeError):  # neither Home's pace nor the deck's lookups built a card
        deckcache._deck_slot["cards"].__get__(deck, Deck)
    monkeypatch.setattr(exampace, "read_deck_counts_by_topic", None)  # the session must not count again
    session = StudySession(store, Scheduler(store.settings()), FixedClock(START), [deck], Scope(("d",)))
    assert session.current is not None and session.current.key == "a0"
    store.close()


def test_a_topic_deep_in_the_deck_is_walked_by_its_own_cards_not_every_card(
    tmp_path: Path, write_deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """6,000 cards of another topic first: the exam's cards are found by the deck's topic places, so the
    queue never falls back to reading every state and looking at every card."""
    deck = topics_deck(write_deck, {"b": 6000, "a": 30})
    store = fresh_store(tmp_path / "deep", new_per_day=10)
    exam = ExamDate("d", "a", TODAY + timedelta(days=6), 0.9)
    set_exam_date(store, exam, TODAY)
    assert (
        paced_exams(store, deck, [exam], START, 4, store.settings())[0].pace == 5
    )  # counted (as Home would) before the check

    def every_card(*_: object) -> None:
        raise AssertionError("looked at every card")

    monkeypatch.setattr(quiz.core.studyqueue._DeckQueue, "_candidate_runs", every_card)
    assert study_day_of(store, deck, FixedClock(START)) == ["a"] * 5 + ["b"] * 5
    store.close()


def test_a_high_target_paces_the_cards_to_the_last_day_they_can_still_reach_it_and_they_do(
    tmp_path: Path, write_deck
) -> None:
    """At 95 % a card introduced on the eve falls short, so the 24 cards go in over the 4 days before it
    (5, 5, 5, 5, 4), and on the exam day each is predicted recalled at 95 % or more."""
    deck = topics_deck(write_deck, {"b": 80, "a": 24})
    store = fresh_store(tmp_path / "high", new_per_day=10)
    exam_day = TODAY + timedelta(days=6)
    set_exam_date(store, ExamDate("d", "a", exam_day, 0.95), TODAY)
    (plan,) = plan_exams(store, [deck], read_exam_dates(store), START)
    assert (plan.new_per_day_needed, plan.introduce_by) == (5, exam_day - timedelta(days=2))
    assert [day.new for day in plan.outlook.days] == [5, 5, 5, 5, 4, 0] and plan.reachable
    clock = FixedClock(START)
    days = [study_day_of(store, deck, clock).count("a") for _ in range(6)]
    assert days == [5, 5, 5, 5, 4, 0]
    curve = curve_for(tuple(DEFAULT_PARAMETERS))
    for i in range(24):
        state = store.state("d", f"a{i}")
        assert state is not None and state.stability is not None and state.last_review is not None
        assert curve.recall(state.stability, (exam_day - study_day(state.last_review, 4)).days) >= 0.95
    store.close()


def test_a_session_on_another_topic_keeps_its_order_and_one_on_the_exams_topic_paces_it(
    tmp_path: Path, write_deck
) -> None:
    deck = topics_deck(write_deck, {"b": 30, "c": 10, "a": 25})
    store = fresh_store(tmp_path / "scoped", new_per_day=10)
    set_exam_date(store, ExamDate("d", "a", TODAY + timedelta(days=6), 0.9), TODAY)
    set_exam_date(store, ExamDate("d", "c", TODAY + timedelta(days=5), 0.9), TODAY)  # 2 a day
    scheduler = Scheduler(store.settings())
    on_b = StudySession(store, scheduler, FixedClock(START), [deck], Scope(("d",), topic="b"))
    assert [card.key for card in on_b._new] == [f"b{i}" for i in range(1, 10)]  # b0 on screen
    on_a = StudySession(store, scheduler, FixedClock(START), [deck], Scope(("d",), topic="a"))
    assert on_a.current is not None and on_a.current.key == "a0" and len(on_a._new) == 9  # all the limit, a's
    store.close()


def test_the_plans_today_is_what_the_queue_still_gives_after_part_and_all_of_the_days_pace(
    tmp_path: Path, write_deck
) -> None:
    """40 cards, 6 days, pace 7: after 3 of them the plan and the queue both give 4 more today; after all 7,
    none (the queue moves to the deck's other cards), while the day's pace stays 7."""
    deck = topics_deck(write_deck, {"b": 30, "genes": 40})
    store = fresh_store(tmp_path / "agree", new_per_day=20)
    exam = ExamDate("d", "genes", TODAY + timedelta(days=6), 0.9)
    set_exam_date(store, exam, TODAY)
    clock = FixedClock(START)
    studied = 0
    for more, left in ((3, 4), (4, 0)):
        assert study_day_of(store, deck, clock, stop_after_new=more) == ["genes"] * more
        studied += more
        (paced,) = paced_exams(store, deck, [exam], clock.now(), 4, store.settings())
        (plan,) = plan_exams(store, [deck], read_exam_dates(store), clock.now())
        assert (paced.pace, paced.left) == (plan.new_per_day_needed, plan.outlook.days[0].new) == (7, left)
        assert plan.new_left == 40 - studied
    assert study_day_of(store, deck, clock)[:1] == ["b"]  # the queue: no more of the exam's cards today
    store.close()
