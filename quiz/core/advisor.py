"""The retention advisor: what a desired retention costs and how well the forgetting curve fits.

- Workload: fsrs-rs's simulator (the one behind Anki's simulator and optimal retention) runs a year of
  study of a collection your size, with your daily limits and steps, at several desired retentions: reviews
  and minutes per day, and the cards remembered at the end. The retention Anki calls optimal (the least
  study time per card remembered) comes from the same engine. The rating odds and answer times are the
  simulator's defaults (fitted on many users), not yours, and the year starts with every card new.
- Calibration: each review answer to a card in review, the recall FSRS predicted for it then (from the
  memory state before the answer, with the parameters in use) against whether it was recalled, in bins.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fsrs_rs_python import SimulatorConfig, default_simulator_config, optimal_retention, simulate

from quiz.core.clock import study_day
from quiz.core.model import Deck
from quiz.core.presets import deck_settings
from quiz.core.recall import ForgettingCurve, curve_for
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.stats import was_passed
from quiz.core.store import RetentionAnswer, Store

RETENTIONS = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)  # the range the engine searches for the optimal one
DAYS = 365
SEED = 42  # the same draws every time, so the chart does not change between openings
# Predicted recall bins (upper edges): the low end coarse, where few answers fall.
BIN_EDGES = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)


@dataclass(frozen=True, slots=True)
class Workload:
    retention: float
    reviews: tuple[int, ...]  # reviews on each day of the year
    minutes: tuple[float, ...]  # study minutes on each day
    remembered: float  # cards expected remembered at the end of the year

    @property
    def seconds_per_remembered(self) -> float:
        return sum(self.minutes) * 60 / self.remembered if self.remembered else math.inf


def simulator_config(settings: Settings, cards: int) -> SimulatorConfig:
    """A year of `cards` cards with these daily limits, steps and maximum interval; the rest the engine's."""
    config = default_simulator_config()
    config.deck_size = max(cards, 1)
    config.learn_span = DAYS
    config.learn_limit = settings.new_per_day
    config.review_limit = settings.reviews_per_day
    config.max_ivl = float(settings.maximum_interval_days)
    config.learning_step_count = len(settings.learning_steps_minutes)
    config.relearning_step_count = len(settings.relearning_steps_minutes)
    return config


def workloads(
    parameters: Sequence[float], settings: Settings, cards: int, retentions: Iterable[float] = RETENTIONS
) -> list[Workload]:
    config = simulator_config(settings, cards)
    found = []
    for retention in retentions:
        result = simulate(list(parameters), retention, config, SEED)
        found.append(
            Workload(
                retention,
                tuple(result.review_cnt_per_day),
                tuple(cost / 60 for cost in result.cost_per_day),
                result.memorized_cnt_per_day[-1] if result.memorized_cnt_per_day else 0.0,
            )
        )
    return found


def optimal(parameters: Sequence[float], settings: Settings, cards: int) -> float:
    """The desired retention with the least study time per card remembered (Anki's optimal retention)."""
    return optimal_retention(simulator_config(settings, cards), list(parameters))


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    low: float
    high: float
    answers: int
    predicted: float  # the mean predicted recall of its answers
    recalled: float  # the share of them recalled (not Again)


@dataclass(frozen=True, slots=True)
class Calibration:
    bins: tuple[CalibrationBin, ...]  # those with answers, lowest first
    answers: int
    rmse: float | None  # root mean square of predicted - recalled over the bins, weighted by answers


def calibration(
    records: Iterable[RetentionAnswer], curves: Mapping[str, ForgettingCurve], rollover_hour: int
) -> Calibration:
    """Predicted against actual recall over these answers to cards in review (those with a memory state);
    `curves`: deck id -> the curve it is scheduled with (decks not in it are left out)."""
    sums = [[0, 0.0, 0] for _ in BIN_EDGES]  # answers, predicted, recalled
    for record in records:
        curve = curves.get(record.deck_id)
        if curve is None or record.stability is None or record.last_review is None:
            continue
        elapsed = (study_day(record.reviewed_at, rollover_hour) - study_day(record.last_review, rollover_hour)).days
        predicted = curve.recall(record.stability, elapsed)
        index = min(bisect_left(BIN_EDGES, predicted), len(BIN_EDGES) - 1)
        sums[index][0] += 1
        sums[index][1] += predicted
        sums[index][2] += was_passed(record)
    bins = tuple(
        CalibrationBin(low, high, int(n), total / n, recalled / n)
        for (n, total, recalled), low, high in zip(sums, (0.0, *BIN_EDGES[:-1]), BIN_EDGES, strict=True)
        if n
    )
    answers = sum(b.answers for b in bins)
    rmse = math.sqrt(sum(b.answers * (b.predicted - b.recalled) ** 2 for b in bins) / answers) if answers else None
    return Calibration(bins, answers, rmse)


def calibration_of(store: Store, decks: Sequence[Deck]) -> Calibration:
    """Calibration over the whole review log of these decks, each with the parameters it is scheduled with."""
    settings = deck_settings(store)
    curves = {deck.id: curve_for(Scheduler(settings.of(deck.id)).parameters) for deck in decks}
    return calibration(store.retention_answers(), curves, settings.base.rollover_hour)
