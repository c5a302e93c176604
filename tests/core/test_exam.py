"""Exams without the UI: the answer left at the time's end, self-graded cards, and kept results read back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quiz.core.clock import FixedClock
from quiz.core.exam import ExamReport, ExamSession, exam_cards, past_exams
from quiz.core.model import Grade
from quiz.core.store import Store
from tests.conftest import START

TYPED = """
deck: t
title: Typed
cards:
  - {id: a, kind: typed, front: "One?", answer: "1"}
  - {id: b, kind: typed, front: "Two?", answer: "2"}
"""

BASICS = """
deck: b
title: Basics
cards:
  - {id: f, kind: basic, front: France?, back: Paris}
  - {id: r, kind: reverse, front: Peru?, back: Lima}
"""


def test_what_the_question_holds_when_the_time_ends_is_graded(store: Store, clock: FixedClock, write_deck) -> None:
    exam = ExamSession.create(store, clock, [write_deck(TYPED)], None, 2, "Timed", time_limit_s=60, seed=1)
    shown = exam.current
    assert exam.answer_left_at_time_up("1") is None  # the time is not up yet: nothing is taken
    clock.advance(timedelta(seconds=61))
    assert exam.current is None and exam.shown is shown
    late = exam.answer_left_at_time_up(shown.note.body.answer)
    assert late is not None and late.card is shown and late.correct
    assert exam.answer_left_at_time_up("2") is None  # the next question was never shown
    report = exam.finish()
    assert (report.correct, report.total, report.unanswered) == (1, 2, 1)
    assert [r.grade for r in store.reviews("t", shown.key)] == [Grade.GOOD]


def test_nothing_given_when_the_time_ends_is_unanswered(store: Store, clock: FixedClock, write_deck) -> None:
    exam = ExamSession.create(store, clock, [write_deck(TYPED)], None, 2, "Timed", time_limit_s=60, seed=1)
    clock.advance(timedelta(seconds=61))
    assert exam.answer_left_at_time_up(None) is None
    assert exam.finish().unanswered == 2 and store.reviews() == []


def test_self_graded_cards_are_asked_only_on_request(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(BASICS)
    assert exam_cards([deck], None) == []
    with pytest.raises(ValueError):
        ExamSession.create(store, clock, [deck], None, 5, "Basics")
    exam = ExamSession.create(store, clock, [deck], None, 5, "Basics", self_graded=True, seed=2)
    assert sorted(c.key for c in exam.questions) == ["f", "r", "r/reverse"]
    with pytest.raises(ValueError, match="say whether they knew it"):
        exam.answer(None)  # the user's verdict is needed
    first = exam.current
    exam.answer(None, knew=True)
    exam.answer(None, knew=False)
    exam.answer(None, knew=False)
    report = exam.finish()
    assert (report.correct, report.total) == (1, 3)
    assert first.key not in [m.key for m in report.mistakes]
    assert store.reviews("b", first.key)[0].grade is Grade.GOOD


def test_a_kept_exam_reads_back_whole(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(TYPED)
    exam = ExamSession.create(store, clock, [deck], None, 2, "Typed", seed=1)
    exam.answer("wrong")
    done = exam.finish()
    [kept] = past_exams(store, deck)
    assert kept == done  # score, per topic, mistakes, deck, id and time
    assert kept.mistakes[0].given == "wrong" and kept.mistakes[0].expected == exam.questions[0].note.body.answer


def test_old_results_are_listed_under_their_deck(store: Store, write_deck) -> None:
    typed, basics = write_deck(TYPED), write_deck(BASICS, "basics.yaml")
    mistake = {"deck": "t", "card": "a", "given": "", "expected": "1"}
    # as older quizzes kept them: no deck and no unanswered count in the detail
    store.save_exam(START, "Typed", 1, 2, 30.0, {"per_topic": {"": [1, 2]}, "mistakes": [mistake]})
    store.save_exam(START, "Typed: a topic", 1, 1, 30.0, {"per_topic": {"x": [1, 1]}, "mistakes": []})
    store.save_exam(START, "Basics", 1, 1, 30.0, {"per_topic": {"": [1, 1]}, "mistakes": []})
    assert sorted(r.title for r in past_exams(store, typed)) == ["Typed", "Typed: a topic"]
    assert [r.title for r in past_exams(store, basics)] == ["Basics"]
    store.save_exam(START, "Typed", 0, 1, 1.0, {"mistakes": "not a list of mistakes"})  # no quiz writes this
    [old] = [r for r in past_exams(store, typed) if r.mistakes]
    assert old.per_topic == {"": (1, 2)} and old.unanswered == 0 and old.deck_id == "t"


def test_a_report_keeps_what_the_results_screen_shows() -> None:
    row = {"id": 3, "taken_at": START, "title": "T", "correct": 0, "total": 1, "seconds": 5.0}
    report = ExamReport.from_stored(row | {"detail": {"deck": "t", "unanswered": 1, "per_topic": {}, "mistakes": []}})
    assert ExamReport.from_stored(row | {"detail": report.detail()}) == report
