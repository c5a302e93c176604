"""QUIZ_NOW outside the times quiz can work with is one clear line (exit 2), never a traceback.

Each value once crashed somewhere else: 9999-12-31 on the first day boundary (OverflowError), year 1 on
converting to local time (ValueError), 0001-01-02 on naming a backup. The edges of the range still work.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core.clock import EARLIEST_NOW, LATEST_NOW, FixedClock, clock_from_env
from quiz.core.model import Grade
from quiz.core.store import Store
from tests.conftest import basic_deck_yaml, run_main_process, study_session

OUT_OF_RANGE = ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "0001-01-02T09:00:00Z", "9999-12-31T23:00:00-05:00")


def _quiz(data: Path, now: str, *args: str) -> subprocess.CompletedProcess:
    return run_main_process(data, *args, env={"QUIZ_NOW": now, "TZ": "America/New_York"})


@pytest.mark.parametrize("now", OUT_OF_RANGE)
@pytest.mark.parametrize("command", [(), ("list",), ("stats",)], ids=["app", "list", "stats"])
def test_an_out_of_range_quiz_now_is_one_line(tmp_path: Path, now: str, command: tuple[str, ...]) -> None:
    result = _quiz(tmp_path / "data", now, *command)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"quiz: QUIZ_NOW {now} must be between 1970-01-01T00:00:00Z and 2999-12-31T23:59:59Z"
    )
    assert not (tmp_path / "data").exists()  # refused before anything was created


def test_junk_quiz_now_names_the_variable() -> None:
    with pytest.raises(ValueError, match="QUIZ_NOW 'soon' is not an ISO-8601 time"):
        clock_from_env({"QUIZ_NOW": "soon"})


@pytest.mark.parametrize("now", ["1970-01-01T00:00:00Z", "2999-12-31T23:59:59Z"])
def test_the_edges_of_the_range_work(tmp_path: Path, now: str) -> None:
    (tmp_path / "data").mkdir()  # `list` and `stats` read a data folder; they make none
    for command in ("list", "stats"):
        result = _quiz(tmp_path / "data", now, command)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("start", [EARLIEST_NOW, LATEST_NOW])
def test_sessions_at_the_edges_schedule_up_to_a_century_ahead(tmp_path: Path, write_deck, start) -> None:
    store = Store.in_folder(tmp_path / "data")
    deck = write_deck(basic_deck_yaml(3))
    clock = FixedClock(start)
    for _ in range(8):  # each round every card is due again; Easy grows its interval towards 100 years
        session = study_session(store, clock, [deck])
        while session.current is not None:
            session.grade(Grade.EASY)
        clock.advance(timedelta(days=36500))
    assert store.review_count() == 3 * 8
    store.close()
