"""The stats screen's numbers on a small real store, against values worked out by hand (not by the code under test).

The deck below has eleven cards; each has the state written next to it, stored at START (Monday 5 January 2026,
09:00 UTC; local time is UTC in the tests, the study day ends at 4 am). What each card counts as:

    card     topic  stored state                             breakdown  forecast day  mastered
    new      a      none                                     new        -             no
    changed  a      review, but of kind typed (now basic)    new        -             no
    learn    a      learning, due START + 10 min             learning   0             no
    young    a      review, stability 5, due 6 Jan 04:00     young      1             yes
    cz/1     a      review, stability 20.9, due 6 Jan 03:59  young      0             yes
    cz/2     a      none                                     new        -             no
    overdue  b      review, stability 21, due 3 Jan          mature     0             yes
    mature   b      review, stability 30, due 8 Jan 09:00    mature     3             yes
    far      b      review, stability 100, due START + 40 d  mature     beyond 30     yes
    relearn  b      relearning, due START + 10 min           learning   0             no
    held     b      review, stability 40, suspended          suspended  -             yes
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.eventhistory import DECK as HISTORY_DECK
from benchmarks.eventhistory import write_history
from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW, CardState
from quiz.core.model import Deck, Grade, Mode
from quiz.core.presets import assign_preset, new_preset
from quiz.core.stats import (
    FallbackTarget,
    RetentionTarget,
    WeekRetention,
    card_state_breakdown,
    due_forecast,
    mastery_by_deck,
    retention_by_week,
    reviews_per_day,
    study_days,
    topic_mastery,
    true_retention,
)
from quiz.core.store import RetentionAnswer, Store
from tests.conftest import START, run_cli

DECK = """\
deck: s
title: Stats
topics:
  - {id: a, title: A}
  - {id: b, title: B}
  - {id: c, title: No cards}
cards:
  - {id: new, kind: basic, topic: a, front: q new, back: a}
  - {id: changed, kind: basic, topic: a, front: q changed, back: a}
  - {id: learn, kind: basic, topic: a, front: q learn, back: a}
  - {id: young, kind: basic, topic: a, front: q young, back: a}
  - {id: cz, kind: cloze, topic: a, text: "one {{gap}} and {{another}}"}
  - {id: overdue, kind: basic, topic: b, front: q overdue, back: a}
  - {id: mature, kind: basic, topic: b, front: q mature, back: a}
  - {id: far, kind: basic, topic: b, front: q far, back: a}
  - {id: relearn, kind: basic, topic: b, front: q relearn, back: a}
  - {id: held, kind: basic, topic: b, front: q held, back: a}
"""


def review(due: datetime, stability: float, kind: str = "basic", suspended: bool = False) -> CardState:
    return CardState(
        kind=kind,
        fsrs_state=REVIEW,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=due,
        last_review=START - timedelta(days=3),
        reps=3,
        suspended=suspended,
    )


def learning(fsrs_state: int) -> CardState:
    due = START + timedelta(minutes=10)
    return CardState(kind="basic", fsrs_state=fsrs_state, step=0, stability=2.0, difficulty=5.0, due=due, reps=1)


STATES = {
    "changed": review(START + timedelta(days=1), 30, kind="typed"),
    "learn": learning(LEARNING),
    "young": review(datetime(2026, 1, 6, 4, 0, tzinfo=START.tzinfo), 5),
    "cz/1": review(datetime(2026, 1, 6, 3, 59, tzinfo=START.tzinfo), 20.9, kind="cloze"),
    "overdue": review(START - timedelta(days=2), 21),
    "mature": review(START + timedelta(days=3), 30),
    "far": review(START + timedelta(days=40), 100),
    "relearn": learning(RELEARNING),
    "held": review(START + timedelta(days=1), 40, suspended=True),
}


@pytest.fixture
def deck(store: Store, write_deck) -> Deck:
    deck = write_deck(DECK)
    assert sorted(c.key for c in deck.cards) == sorted([*STATES, "new", "cz/2"])
    for key, state in STATES.items():
        store.set_state("s", key, state)
    return deck


def test_state_breakdown_counts_each_card_once(deck: Deck, store: Store) -> None:
    # new: new, changed, cz/2; learning: learn, relearn; young: young, cz/1 (20.9 < 21);
    # mature: overdue (21), mature, far; suspended: held
    assert card_state_breakdown([deck], store) == {"new": 3, "learning": 2, "young": 2, "mature": 3, "suspended": 1}


def test_forecast_puts_overdue_and_today_first_and_drops_new_suspended_and_later(deck: Deck, store: Store) -> None:
    # day 0 (until 6 Jan 04:00): learn, relearn, overdue, cz/1 (03:59); day 1: young (04:00 sharp);
    # day 3 (8-9 Jan): mature; far is 40 days out; new, changed (new again) and held (suspended) are not due
    assert due_forecast([deck], store, START) == [4, 1, 0, 1] + [0] * 26
    assert due_forecast([deck], store, START, days=2) == [4, 1]


def test_forecast_follows_the_rollover_hour(deck: Deck, store: Store) -> None:
    # The day ending at midnight: cz/1 (03:59) and young (04:00) both fall on day 1; mature (8 Jan 09:00)
    # is 2 days 9 hours after 6 Jan 00:00, so day 3
    assert due_forecast([deck], store, START, days=5, rollover_hour=0) == [3, 2, 0, 1, 0]


def test_mastery_is_the_share_of_each_topics_cards_in_review(deck: Deck, store: Store) -> None:
    # a: young and cz/1 of 6 cards; b: overdue, mature, far and held of 5 (relearn lapsed); c has no cards
    assert topic_mastery(deck, store) == {"a": pytest.approx(2 / 6), "b": pytest.approx(4 / 5)}


def test_mastery_and_breakdown_of_a_deck_never_studied(store: Store, write_deck) -> None:
    deck = write_deck(DECK)
    assert topic_mastery(deck, store) == {"a": 0.0, "b": 0.0}
    assert card_state_breakdown([deck], store) == {"new": 11, "learning": 0, "young": 0, "mature": 0, "suspended": 0}
    assert due_forecast([deck], store, START, days=3) == [0, 0, 0]


def answer(store: Store, grade: Grade, at: datetime, before: CardState | None, mode: Mode = Mode.REVIEW) -> None:
    store.record_review("s", f"k{len(store.reviews())}", grade, at, 1000, mode, before, review(START, 10))


def test_true_retention_counts_scheduled_answers_to_review_cards_in_the_window(store: Store) -> None:
    in_review = review(START, 10)
    assert true_retention(store, START)[:2] == (None, 0)
    answer(store, Grade.GOOD, START - timedelta(days=1), in_review)  # counted, passed
    answer(store, Grade.AGAIN, START - timedelta(days=2), in_review)  # counted, failed
    answer(store, Grade.HARD, START - timedelta(days=29), in_review)  # counted, passed: Hard is a pass
    answer(store, Grade.AGAIN, START - timedelta(days=30, minutes=1), in_review)  # before the 30 days
    answer(store, Grade.AGAIN, START - timedelta(hours=1), learning(LEARNING))  # a learning card
    answer(store, Grade.AGAIN, START - timedelta(hours=1), None)  # a new card
    answer(store, Grade.AGAIN, START - timedelta(hours=1), in_review, Mode.EXAM)  # an exam answer
    assert true_retention(store, START)[:2] == (pytest.approx(2 / 3), 3)
    # a week's window keeps the first two only
    assert true_retention(store, START, days=7)[:2] == (pytest.approx(1 / 2), 2)


def test_retention_by_week_splits_at_4_am_on_the_weekday_four_weeks_back(store: Store) -> None:
    # Four weeks ending today (the study day began 5 Jan 04:00): they start 9, 16, 23 and 30 December at 04:00.
    in_review = review(START, 10)
    at = datetime(2025, 12, 23, 3, 59, tzinfo=START.tzinfo)
    answer(store, Grade.AGAIN, at, in_review)  # 16 Dec week: still its last study day
    answer(store, Grade.GOOD, at + timedelta(hours=1), in_review)  # 23 Dec week
    answer(store, Grade.AGAIN, at + timedelta(days=7), in_review)  # 23 Dec week: 30 Dec 03:59
    answer(store, Grade.GOOD, at + timedelta(days=7, minutes=1), in_review)  # 30 Dec week: 04:00 sharp
    answer(store, Grade.EASY, START, in_review)  # 30 Dec week
    answer(store, Grade.AGAIN, START, learning(RELEARNING))  # not a review-state card: not counted
    assert retention_by_week(store, START, weeks=4)[0] == [
        WeekRetention(date(2025, 12, 9), None, 0),
        WeekRetention(date(2025, 12, 16), 0.0, 1),
        WeekRetention(date(2025, 12, 23), 0.5, 2),
        WeekRetention(date(2025, 12, 30), 1.0, 2),
    ]


def on_preset(store: Store, deck_id: str, desired: float) -> None:
    tuned = replace(store.settings(), desired_retention=desired)
    assign_preset(store, deck_id, new_preset(store, f"aims at {desired:.0%}", tuned))


def answer_in(store: Store, deck_id: str, days_ago: float, before: CardState | None = None) -> None:
    """A review answer (Good) to a card of `deck_id`, in review unless `before` says otherwise."""
    at = START - timedelta(days=days_ago)
    before = review(START, 10) if before is None else before
    store.record_review(deck_id, f"k{len(store.reviews())}", Grade.GOOD, at, 1000, Mode.REVIEW, before, before)


def test_each_retention_figure_is_measured_against_what_its_own_answers_aimed_at(store: Store) -> None:
    """Deck "s" (85%) was answered 40 days ago, deck "t" (Default's 90%) yesterday: the 30 days' figure counts
    t's answer alone and aims at 90%; the 8 weeks' chart counts all four and aims at their average."""
    on_preset(store, "s", 0.85)
    for days_ago in (40, 41, 42):
        answer_in(store, "s", days_ago)
    answer_in(store, "t", 1)
    assert true_retention(store, START) == (1.0, 1, RetentionTarget(0.9, False))
    weeks, target = retention_by_week(store, START)
    assert sum(week.count for week in weeks) == 4
    assert target.value == pytest.approx((3 * 0.85 + 0.9) / 4) and target.mixed


def test_with_no_answers_in_its_window_a_figure_aims_at_the_presets_of_the_decks_studied(store: Store) -> None:
    """Nothing answered: Default's. A deck studied but with no card in review yet: its preset's, not Default's;
    two decks on different presets: the average of the two, said to be one."""
    assert true_retention(store, START) == (None, 0, RetentionTarget(0.9, False))
    on_preset(store, "s", 0.85)
    answer_in(store, "s", 0, learning(LEARNING))  # a learning card's: not counted
    assert true_retention(store, START) == (None, 0, RetentionTarget(0.85, False))
    assert retention_by_week(store, START)[1] == RetentionTarget(0.85, False)
    on_preset(store, "t", 0.95)
    answer_in(store, "t", 60)  # before both windows
    assert true_retention(store, START).target == RetentionTarget(pytest.approx(0.9), True)


def counting_retention_answers(monkeypatch: pytest.MonkeyPatch) -> list[datetime | None]:
    """Store.retention_answers, each call's `since` kept in the list returned."""
    calls: list[datetime | None] = []
    real = Store.retention_answers

    def counted(self: Store, since: datetime | None = None) -> list[RetentionAnswer]:
        calls.append(since)
        return real(self, since)

    monkeypatch.setattr(Store, "retention_answers", counted)
    return calls


def test_quiz_stats_reads_the_answers_for_true_retention_and_its_target_once(
    capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figure and the retention it aimed at come from one read of the answers (they were two; the memory
    table's "right 30d" reads its own)."""
    monkeypatch.setenv("QUIZ_NOW", START.isoformat())
    store = Store.in_folder(tmp_path, fresh=True)
    on_preset(store, "s", 0.85)
    answer_in(store, "s", 1)
    store.close()
    calls = counting_retention_answers(monkeypatch)
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path), "stats")
    assert code == 0 and "true retention:    100% of 1 (desired 85%;" in out
    assert len(calls) == 2  # true retention with its target, and the memory table


def test_quiz_stats_says_a_target_of_decks_on_different_presets_is_their_average(
    capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decks on 85% and 95% answered: "desired 90%" named a retention no preset asks for."""
    monkeypatch.setenv("QUIZ_NOW", START.isoformat())
    store = Store.in_folder(tmp_path, fresh=True)
    for deck_id, desired in (("s", 0.85), ("t", 0.95)):
        on_preset(store, deck_id, desired)
        answer_in(store, deck_id, 1)
    store.close()
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path), "stats")
    assert code == 0 and "true retention:    100% of 2 (desired 90%, your decks' average;" in out, out


def test_a_figure_with_no_answers_aims_only_at_the_decks_the_library_has(
    capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deck a (85%) answered 40 days ago, deck `gone` (no longer in the library: Default's 90%) 300 days ago: the
    30 days' figure said "desired 88%, your decks' average" while the weekly chart of the same answers said 85%."""
    monkeypatch.setenv("QUIZ_NOW", START.isoformat())
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "a.yaml").write_text(
        "deck: a\ntitle: A\ncards:\n  - {id: c, kind: basic, front: q, back: b}\n"
    )
    store = Store.in_folder(tmp_path, fresh=True)
    on_preset(store, "a", 0.85)
    answer_in(store, "a", 40)
    answer_in(store, "gone", 300)
    assert retention_by_week(store, START)[1] == RetentionTarget(0.85, False)
    store.close()
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path), "stats")
    assert code == 0 and "true retention:    n/a (desired 85%;" in out, out + err


def test_a_deck_answered_only_in_practice_or_an_exam_is_a_deck_answered(store: Store) -> None:
    """Studying only in practice or exam mode: no figure has answers, and the decks answered so give the target."""
    assert store.answered_decks() == []
    on_preset(store, "t", 0.95)
    on_preset(store, "s", 0.85)
    for deck_id, mode in (("t", Mode.EXAM), ("s", Mode.PRACTICE), ("t", Mode.PRACTICE)):
        before = review(START, 10)
        store.record_review(deck_id, f"k{len(store.reviews())}", Grade.GOOD, START, 1000, mode, before, before)
    assert store.answered_decks() == ["s", "t"]
    assert true_retention(store, START) == (None, 0, RetentionTarget(pytest.approx(0.9), True))


STEPS = 10  # SQLite's virtual machine instructions per count


def _fallback_steps(home: Path, cards: int) -> int:
    """A store whose deck (on an 85% preset) has `cards` cards x 3 answers, all in 2023: how many steps the
    30 days' figure and the 8 weeks' take, both without answers and so aiming at the decks answered, with
    one FallbackTarget, as a Stats draw."""
    store = Store.in_folder(home, fresh=True)
    try:
        write_history(store, cards, 3)
        on_preset(store, HISTORY_DECK, 0.85)
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        store.db.set_progress_handler(count, STEPS)
        fallback = FallbackTarget(store)
        recent = true_retention(store, START, fallback=fallback)
        weeks = retention_by_week(store, START, fallback=fallback)
        store.db.set_progress_handler(None, STEPS)
        assert recent == (None, 0, RetentionTarget(0.85, False)) and weeks[1] == RetentionTarget(0.85, False)
        return steps
    finally:
        store.close()


def test_figures_without_answers_read_the_decks_answered_not_the_whole_log(tmp_path: Path) -> None:
    """Back from a break longer than 8 weeks, both figures aim at the presets of the decks answered: a log of
    60 answers and one of 3,000 cost them the same reads (each figure read every answer's deck and card, 3 s
    per figure for 500,000 answers)."""
    small = _fallback_steps(tmp_path / "small", 20)
    large = _fallback_steps(tmp_path / "large", 1000)
    assert large < small * 1.5, (small, large)


def test_mastery_is_grouped_by_deck(deck: Deck, store: Store, write_deck) -> None:
    other = write_deck(
        "deck: t\ntitle: Other\ntopics: [{id: x, title: X}]\n"
        "cards: [{id: q, kind: basic, front: q, back: a, topic: x}]\n",
        "t.yaml",
    )
    assert mastery_by_deck([deck, other], store) == [
        ("Stats", [("A", pytest.approx(2 / 6)), ("B", pytest.approx(4 / 5))]),
        ("Other", [("X", 0.0)]),
    ]


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch):
    """Local time in New York, where clocks go back an hour at 2 am on Sunday 1 November 2026."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def local(*fields: int) -> datetime:
    return datetime(*fields).astimezone(UTC)  # naive = local time


def test_answers_count_on_their_study_day_across_a_dst_change(store: Store, new_york) -> None:
    """With the day ending at midnight, answers at 00:30 before the clocks go back count on their own dates:
    the window of the last 7 days starts at midnight on 30 October, not at 1 am (7 x 24 hours back from an EST
    midnight), and 31 October's answer is not counted on the 30th."""
    in_review = review(START, 10)
    for day in (30, 31):
        answer(store, Grade.GOOD, local(2026, 10, day, 0, 30), in_review)
    answer(store, Grade.GOOD, local(2026, 11, 3, 0, 30), in_review)
    now = local(2026, 11, 5, 12)
    assert reviews_per_day(store, now, 7, rollover_hour=0) == [1, 1, 0, 0, 1, 0, 0]
    assert study_days(now, 7, 0, past=True)[0] == date(2026, 10, 30)


def test_the_forecast_counts_a_card_on_its_study_day_across_a_dst_change(store: Store, write_deck, new_york) -> None:
    """A card due at 23:30 on 2 November (EST), seen from 30 October (EDT), is due three study days later."""
    deck = write_deck(DECK)
    store.set_state("s", "young", review(local(2026, 11, 2, 23, 30), 5))
    assert due_forecast([deck], store, local(2026, 10, 30, 12), days=5, rollover_hour=0) == [0, 0, 0, 1, 0]
