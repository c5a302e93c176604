"""Anki's fuzz and step rules, held to the vectors of Anki's own unit tests (rslib/src/scheduler/states/
fuzz.rs and steps.rs, copied here with their expected values)."""

from __future__ import annotations

import pytest

from quiz.core.fuzz import (
    f32,
    fuzz_factor,
    learning_fuzz,
    minimum_review_fuzz_interval,
    round_days,
    with_review_fuzz,
)
from quiz.core.steps import DAY_SECS, Steps

# (interval, minimum, maximum, then the day with fuzz factor 0, 0.5 and 0.99): fuzz.rs's with_review_fuzz test
FUZZ_VECTORS = [
    (1.0, 1, 1000, 1, 1, 1),
    (2.49, 1, 1000, 2, 2, 2),
    (2.5, 1, 1000, 2, 3, 4),
    (7.0, 1, 1000, 5, 7, 9),
    (17.0, 1, 1000, 14, 17, 20),
    (37.0, 1, 1000, 33, 37, 41),
    (2.0, 2, 1000, 2, 2, 2),
    (2.0, 3, 1000, 3, 4, 4),
    (2.0, 3, 3, 3, 3, 3),
    (6.9, 3, 1000, 5, 7, 9),
    (7.0, 3, 1000, 5, 7, 9),
    (7.1, 3, 1000, 5, 7, 9),
    (19.9, 3, 1000, 17, 20, 23),
    (20.0, 3, 1000, 17, 20, 23),
    (20.1, 3, 1000, 17, 20, 23),
    (100.0, 101, 1000, 101, 105, 108),
    (100.0, 1, 99, 92, 96, 99),
    (100.0, 97, 103, 97, 100, 103),
]


@pytest.mark.parametrize(("interval", "minimum", "maximum", "lower", "middle", "upper"), FUZZ_VECTORS)
def test_review_fuzz_gives_ankis_days(
    interval: float, minimum: int, maximum: int, lower: int, middle: int, upper: int
) -> None:
    interval = f32(interval)  # Anki's intervals are 32-bit floats
    assert with_review_fuzz(0.0, interval, minimum, maximum) == lower
    assert with_review_fuzz(0.5, interval, minimum, maximum) == middle
    assert with_review_fuzz(0.99, interval, minimum, maximum) == upper


def test_without_fuzz_the_interval_is_rounded_half_away_from_zero_and_bounded() -> None:
    assert with_review_fuzz(None, 1.5, 1, 100) == 2  # Python's round would give 2 here too...
    assert with_review_fuzz(None, 2.5, 1, 100) == 3  # ...but 2 here: Rust rounds halves up
    assert with_review_fuzz(None, 0.1, 1, 100) == 1
    assert with_review_fuzz(None, 101.0, 1, 100) == 100
    assert round_days(-3.0) == 0


def test_the_least_a_passing_review_gets_follows_the_last_interval() -> None:
    # fuzz.rs: minimum_review_fuzz_interval_preserves_previous_only_within_range
    assert minimum_review_fuzz_interval(f32(2.7269483), 4, 36500) == 4
    assert minimum_review_fuzz_interval(f32(2.7269483), 5, 36500) == 0
    assert minimum_review_fuzz_interval(f32(4.591988), 4, 36500) == 5


def test_fuzz_draws_are_the_same_for_the_same_seed_and_spread_over_seeds() -> None:
    assert fuzz_factor(42) == fuzz_factor(42)
    draws = {fuzz_factor(seed) for seed in range(200)}
    assert len(draws) == 200 and all(0.0 <= draw < 1.0 for draw in draws)


def test_learning_steps_are_fuzzed_by_at_most_a_quarter_and_five_minutes() -> None:
    assert [learning_fuzz(draw, 60) for draw in (0.0, 0.5, 0.999)] == [60, 67, 74]
    assert learning_fuzz(0.999, 3600) == 3600 + 299  # five minutes at most
    assert learning_fuzz(0.999, 3) == 3  # too short to fuzz


# steps.rs's delay_secs test: (steps, steps left, Again, Hard, Good) in seconds; quiz keeps the step index
STEP_VECTORS = [
    ((10.0,), 1, 600, 900, None),
    ((3 * DAY_SECS / 60,), 1, 3 * DAY_SECS, 4 * DAY_SECS, None),
    ((1.0, 10.0), 2, 60, 330, 600),
    ((1.0, 10.0), 1, 60, 600, None),
    ((1.0, 10.0, 100.0), 3, 60, 330, 600),
    ((1.0, 10.0, 100.0), 2, 60, 600, 6000),
    ((1.0, 10.0, 100.0), 1, 60, 6000, None),
]


@pytest.mark.parametrize(("minutes", "left", "again", "hard", "good"), STEP_VECTORS)
def test_step_delays_are_ankis(minutes: tuple[float, ...], left: int, again: int, hard: int, good: int | None) -> None:
    steps = Steps(minutes)
    step = len(minutes) - left
    assert (steps.again_secs(), steps.hard_secs(step), steps.good_secs(step)) == (again, hard, good)


def test_no_steps_give_no_delays_and_a_step_past_the_end_is_the_last() -> None:
    none = Steps(())
    assert (none.again_secs(), none.hard_secs(0), none.good_secs(0)) == (None, None, None)
    assert Steps((1.0, 10.0)).index(5) == 1  # the steps were shortened since the card took its step
