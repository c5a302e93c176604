"""The retention advisor: the simulator's workload at several retentions with the optimal one, and
predicted against actual recall in bins, for learners whose memory is known."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS

from quiz.core.advisor import calibration, calibration_of, optimal, workloads
from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW, CardState
from quiz.core.model import Grade, Mode
from quiz.core.recall import curve_for
from quiz.core.settings import Settings
from quiz.core.stats import true_retention
from quiz.core.store import RetentionAnswer, Store
from tests.conftest import START, basic_deck_yaml

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


def _answers(true_stability_factor: float, count: int = 6000) -> list[RetentionAnswer]:
    """Answers of a learner whose memory holds `true_stability_factor` times what the card's state says."""
    rng = random.Random(5)
    records = []
    for i in range(count):
        stability, elapsed = rng.uniform(1, 60), rng.randint(1, 90)
        last = START - timedelta(days=elapsed)
        recalled = rng.random() < CURVE.recall(stability * true_stability_factor, elapsed)
        grade = Grade.GOOD if recalled else Grade.AGAIN
        records.append(RetentionAnswer("d", f"c{i}", grade, START, stability, last))
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


def test_answers_to_other_decks_are_left_out() -> None:
    (record,) = _answers(1.0, 1)
    found = calibration([record, record._replace(deck_id="e")], {"d": CURVE}, 4)
    assert found.answers == 1


def test_calibration_and_retention_read_the_answers_to_cards_in_review_without_their_card_states(
    store: Store, monkeypatch: pytest.MonkeyPatch, write_deck
) -> None:
    """A year of answers (36,000) took 0.65 s to calibrate, on the screen's thread, when each answer was read with
    its two whole card states: only the answers to cards in review are read now, and only the card's memory
    before each. They are those the whole records give."""
    rng = random.Random(3)
    states = [
        None,  # a new card's first answer
        CardState("basic", LEARNING, 0, 2.0, 5.0, START, START - timedelta(hours=1), 1),
        CardState("basic", RELEARNING, 0, 1.5, 6.0, START, START - timedelta(days=3), 4, 1),
    ]
    for i in range(300):
        stability, last = rng.uniform(1, 60), START - timedelta(days=rng.randint(1, 90))
        before = rng.choice([*states, CardState("basic", REVIEW, None, stability, 5.0, START, last, 3)])
        after = CardState("basic", REVIEW, None, stability * 2, 5.0, START + timedelta(days=9), START, 4)
        mode = rng.choice([Mode.REVIEW, Mode.REVIEW, Mode.PRACTICE, Mode.EXAM])
        at = START - timedelta(days=rng.randint(0, 60), minutes=i)
        store.record_review(rng.choice("de"), f"c{i}", rng.choice(list(Grade)), at, 1000, mode, before, after)
    expected = [
        RetentionAnswer(
            r.deck_id, r.card_key, r.grade, r.reviewed_at, r.state_before.stability, r.state_before.last_review
        )
        for r in store.reviews()
        if r.mode is Mode.REVIEW and r.state_before is not None and r.state_before.is_review
    ]
    since = START - timedelta(days=30)
    assert 20 < len(expected) and store.retention_answers() == expected
    assert store.retention_answers(since) == [answer for answer in expected if answer.reviewed_at >= since]

    def no_states(*_args: object) -> CardState:
        raise AssertionError("a whole card state was read")

    monkeypatch.setattr("quiz.core.store.state_from_columns", no_states)
    decks = [write_deck(basic_deck_yaml(2, "d"), "d.yaml"), write_deck(basic_deck_yaml(2, "e"), "e.yaml")]
    assert calibration_of(store, decks).answers == len(expected)
    assert true_retention(store, START, 30)[1] == sum(answer.reviewed_at >= since for answer in expected)
