"""Small stats helpers on their own."""

import pytest

from quiz.core.stats import streaks


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([], (0, 0)),
        ([0, 0, 0], (0, 0)),
        ([3, 1, 0, 2, 5, 1], (3, 3)),  # studied today: the run ends today
        ([3, 1, 0, 2, 5, 0], (2, 2)),  # not yet today: the run up to yesterday still counts
        ([1, 1, 1, 1, 0, 0], (0, 4)),  # a whole day missed: the run is over
        ([4], (1, 1)),
    ],
)
def test_streaks_are_current_and_longest_runs_of_days_with_answers(counts, expected) -> None:
    assert streaks(counts) == expected
