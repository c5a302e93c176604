"""The retention advisor: the simulator's workload at several retentions with the optimal one, and
predicted against actual recall in bins, for learners whose memory is known."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS

from quiz.core.advisor import calibration, optimal, workloads
from quiz.core.cardstate import REVIEW, CardState
from quiz.core.model import Grade, Mode
from quiz.core.recall import curve_for
from quiz.core.settings import Settings
from quiz.core.store import ReviewRecord
from tests.conftest import START

CURVE = curve_for(tuple(DEFAULT_PARAMETERS))


def test_a_higher_retention_costs_more_reviews_and_remembers_more_and_the_optimal_costs_least() -> None:
    settings = Settings()
    found = {w.retention: w for w in workloads(DEFAULT_PARAMETERS, settings, 500, (0.75, 0.85, 0.95))}
    assert all(len(w.reviews) == len(w.minutes) == 365 for w in found.values())
    assert sum(found[0.75].reviews) < sum(found[0.85].reviews) < sum(found[0.95].reviews)
    assert found[0.75].remembered < found[0.85].remembered < found[0.95].remembered
    best = optimal(DEFAULT_PARAMETERS, settings, 500)
    assert 0.7 - 1e-6 <= best <= 0.95 + 1e-6  # the engine searches 0.70 to 0.95 (32-bit floats)
    (at_best, at_high) = workloads(DEFAULT_PARAMETERS, settings, 500, (best, 0.95))
    assert at_best.seconds_per_remembered <= at_high.seconds_per_remembered


def test_the_daily_new_card_limit_bounds_the_simulated_year() -> None:
    (few,) = workloads(DEFAULT_PARAMETERS, Settings(new_per_day=2), 500, (0.9,))
    (many,) = workloads(DEFAULT_PARAMETERS, Settings(new_per_day=20), 500, (0.9,))
    assert few.remembered < many.remembered and sum(few.reviews) < sum(many.reviews)


def _answers(true_stability_factor: float, count: int = 6000) -> list[ReviewRecord]:
    """Answers of a learner whose memory holds `true_stability_factor` times what the card's state says."""
    rng = random.Random(5)
    records = []
    for i in range(count):
        stability, elapsed = rng.uniform(1, 60), rng.randint(1, 90)
        last = START - timedelta(days=elapsed)
        before = CardState("basic", REVIEW, None, stability, 5.0, START, last, 3)
        recalled = rng.random() < CURVE.recall(stability * true_stability_factor, elapsed)
        grade = Grade.GOOD if recalled else Grade.AGAIN
        records.append(ReviewRecord(i, "d", f"c{i}", grade, START, 1000, Mode.REVIEW, before, before))
    return records


def test_a_learner_who_forgets_as_predicted_is_calibrated_and_one_who_forgets_faster_is_not() -> None:
    curves = {"d": CURVE}
    fits = calibration(_answers(1.0), curves, 4)
    assert fits.answers == 6000 and fits.rmse is not None and fits.rmse < 0.03
    for each in fits.bins:
        assert each.low <= each.predicted <= each.high
        if each.answers >= 300:
            assert each.recalled == pytest.approx(each.predicted, abs=0.06)
    faster = calibration(_answers(0.3), curves, 4)
    assert faster.rmse is not None and faster.rmse > 2 * fits.rmse + 0.03
    assert all(each.recalled < each.predicted for each in faster.bins if each.answers >= 300)


def test_answers_to_cards_not_in_review_or_other_decks_are_left_out() -> None:
    (record,) = _answers(1.0, 1)
    learning = ReviewRecord(
        2,
        "d",
        "x",
        Grade.GOOD,
        START,
        1,
        Mode.REVIEW,
        CardState("basic", 1, 0, 2.0, 5.0, START, START, 1),
        record.state_after,
    )
    other = ReviewRecord(3, "e", "x", Grade.GOOD, START, 1, Mode.REVIEW, record.state_before, record.state_after)
    found = calibration([record, learning, other], {"d": CURVE}, 4)
    assert found.answers == 1
