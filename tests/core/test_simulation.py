"""Sixty days of study with scripted grades: intervals grow on Good, shrink on Again, limits hold."""

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from quiz.core.clock import FixedClock, day_start
from quiz.core.model import Grade
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store
from tests.conftest import basic_deck_yaml


@pytest.mark.slow
def test_sixty_days_of_study(tmp_path, clock: FixedClock, write_deck) -> None:
    store = Store.in_folder(tmp_path / "sim")
    store.save_settings(replace(store.settings(), fuzz=False, new_per_day=10, reviews_per_day=30))
    deck = write_deck(basic_deck_yaml(200))
    rng = random.Random(7)
    forgotten = {f"c{i}" for i in range(0, 200, 10)}  # these are always failed when reviewed
    intervals: dict[str, list[timedelta]] = {}
    acknowledged = 0
    for _day in range(60):
        session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope(("d",)))
        new_today = reviews_today = 0
        while session.current is not None:
            card = session.current
            state = session.state_of(card)
            new_today += state.is_new
            reviews_today += state.is_review
            if card.key in forgotten and state.is_review:
                grade = Grade.AGAIN
            else:
                grade = Grade.GOOD if rng.random() < 0.9 or state.is_new else Grade.HARD
            session.grade(grade)
            acknowledged += 1
            after = session.state_of(card)
            if after.is_review:
                intervals.setdefault(card.key, []).append(after.due - after.last_review)
            clock.advance(timedelta(seconds=20))
        assert new_today <= 10 and reviews_today <= 30
        start = day_start(clock.now())
        assert sum(1 for r in store.reviews(since=start) if r.state_before is None) <= 10
        clock.current = clock.current + timedelta(days=1) - (clock.current - start - timedelta(hours=5))
    remembered = [k for k, v in intervals.items() if k not in forgotten and len(v) >= 3]
    assert remembered
    for key in remembered:
        assert intervals[key][-1] > intervals[key][0], key  # Good grows intervals
    for key in forgotten & intervals.keys():
        state = store.state("d", key)
        assert state.lapses >= 1
        assert state.stability < max(store.state("d", k).stability for k in remembered)  # Again shrinks them
    store.close()
    reopened = Store.in_folder(tmp_path / "sim")
    assert reopened.review_count() == acknowledged  # nothing lost on reopening
    assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
