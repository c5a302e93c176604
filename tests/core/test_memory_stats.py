"""Predicted recall per deck and topic, now and on the exam day, from memory states (through the engine),
beside the share of answers that were right."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS

from quiz.core.cardstate import REVIEW, CardState
from quiz.core.clock import study_day
from quiz.core.examdates import ExamDate, set_exam_date
from quiz.core.memorystats import memory_rows
from quiz.core.model import Grade, Mode
from quiz.core.recall import curve_for
from quiz.core.store import Store
from tests.conftest import START, basic_deck_yaml

CURVE = curve_for(tuple(DEFAULT_PARAMETERS))


def _reviewed(store: Store, key: str, stability: float, days_ago: int, grade: Grade = Grade.GOOD) -> None:
    at = START - timedelta(days=days_ago)
    before = CardState(kind="basic", fsrs_state=REVIEW, stability=stability, difficulty=5.0, last_review=at, reps=1)
    after = replace(before, due=at + timedelta(days=30), reps=2)
    store.record_review("d", key, grade, at, 1000, Mode.REVIEW, before, after)


def test_recall_now_and_on_the_exam_day_per_deck_and_topic(store: Store, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(4))  # c0, c2 in t0; c1, c3 in t1
    _reviewed(store, "c0", 10.0, 5)
    _reviewed(store, "c2", 40.0, 2, Grade.AGAIN)
    _reviewed(store, "c1", 3.0, 4)
    store.set_state("d", "c3", replace(store.state("d", "c1"), suspended=True))  # left out
    today = study_day(START, 4)
    set_exam_date(store, ExamDate("d", "t0", today + timedelta(days=20), 0.95), today)
    rows = {row.topic: row for row in memory_rows(store, [deck], START)}
    t0, t1, whole = rows["t0"], rows["t1"], rows[None]
    assert (t0.cards, t0.studied, t1.cards, t1.studied, whole.cards, whole.studied) == (2, 2, 1, 1, 3, 3)
    assert t0.recall_now == pytest.approx((CURVE.recall(10.0, 5) + CURVE.recall(40.0, 2)) / 2)
    assert t1.recall_now == pytest.approx(CURVE.recall(3.0, 4))
    assert t0.recall_on_exam == pytest.approx((CURVE.recall(10.0, 25) + CURVE.recall(40.0, 22)) / 2)
    assert t0.recall_on_exam < t0.recall_now
    assert t1.exam is None and t1.recall_on_exam is None and whole.recall_on_exam is None  # the exam is t0's
    assert (t0.answers, t0.right, t1.answers, t1.right, whole.answers) == (2, 0.5, 1, 1.0, 3)


def test_the_exam_column_names_the_exam_on_its_day_as_home_does(store: Store, write_deck) -> None:
    """On the exam day Home says `exam today` while the Memory tab's Exam column showed "–": both keep an exam
    until its day is over (`not_passed`), and drop it the day after."""
    deck = write_deck(basic_deck_yaml(2))
    _reviewed(store, "c0", 10.0, 5)
    today = study_day(START, 4)
    set_exam_date(store, ExamDate("d", "t0", today + timedelta(days=1), 0.9), today)
    rows = {row.topic: row for row in memory_rows(store, [deck], START + timedelta(days=1))}  # the exam day
    assert rows["t0"].exam is not None and rows["t0"].exam.day == today + timedelta(days=1)
    assert rows["t0"].recall_on_exam == pytest.approx(rows["t0"].recall_now)  # the day is today
    rows = {row.topic: row for row in memory_rows(store, [deck], START + timedelta(days=2))}  # the day after
    assert rows["t0"].exam is None and rows["t0"].recall_on_exam is None


def test_nothing_studied_has_no_prediction(store: Store, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(2))
    (whole, *_) = memory_rows(store, [deck], START)
    assert (whole.cards, whole.studied, whole.recall_now, whole.right) == (2, 0, None, None)


def test_quiz_stats_shows_the_figures_and_what_each_is(capsys, tmp_path, monkeypatch) -> None:
    from quiz.core.memorystats import HELP
    from tests.conftest import run_cli

    monkeypatch.setenv("QUIZ_NOW", START.isoformat())
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.yaml").write_text(basic_deck_yaml(4), encoding="utf-8")
    data = tmp_path / "data"
    store = Store.in_folder(data)
    _reviewed(store, "c0", 10.0, 5)
    store.close()
    args = ("--data-dir", str(data), "--deck", str(decks), "stats")
    code, out, _ = run_cli(capsys, *args)
    assert code == 0
    expected = f"{CURVE.recall(10.0, 5):.0%}"
    (deck_line,) = [line for line in out.splitlines() if line.startswith("  d ")]
    assert deck_line.split() == ["d", "1/4", expected, "–", "–", "100%"]
    for label, meaning in HELP.items():
        assert f"  {label}: {meaning}" in out.splitlines()
    code, out, _ = run_cli(capsys, *args, "--json")
    (row,) = [row for row in json.loads(out)["memory"] if row["deck"] == "d" and row["topic"] is None]
    assert row["studied"] == 1 and row["recall_now"] == pytest.approx(CURVE.recall(10.0, 5))


@pytest.mark.parametrize("decay", [-0.5, 0.0, 0.1, 0.5, 0.8, 5.0, 1e30])
def test_predicted_recall_follows_the_decay_the_engine_schedules_with(decay: float) -> None:
    """A preset's parameters may hold a decay (w20) out of FSRS's range (an Anki package's, typed ones): the engine
    schedules with it kept within its range, and the recall predicted (Stats, exam plans) must follow the same
    curve: at the engine's interval for 80 % recall, 80 % is predicted, not 100 % forever."""
    curve = curve_for((*DEFAULT_PARAMETERS[:20], decay))
    for stability in (0.5, 10.0, 300.0):
        assert curve.recall(stability, curve.days_until(stability, 0.8)) == pytest.approx(0.8, abs=1e-3)
