"""quiz's next states against Anki's own: tests/data/anki/golden_intervals.json holds what Anki's backend
computed, with FSRS on and fuzz off, before each answer of 43 card histories (tools/make_anki_golden.py
says how). quiz replays each history and must give, for every grade: the same kind of state, the same
step, the same seconds or days, and the same memory state: the golden one is fsrs-rs's own, which Anki (and
quiz) keep rounded to 4 decimal places (stability) and 3 (difficulty) in 32-bit floats, so it is compared
to one unit of that place (the float rounding can carry a half past it).
The next answer starts from the rounded state on both sides, so every later value would drift if any
rounding differed."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW, CardState
from quiz.core.clock import day_end
from quiz.core.model import Grade
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_PATH = ROOT / "tests" / "data" / "anki" / "golden_intervals.json"
GOLDEN = json.loads(GOLDEN_PATH.read_text(encoding="utf-8"))
KINDS = {"learning": LEARNING, "review": REVIEW, "relearning": RELEARNING}
START = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # six hours into a study day (rollover 4 am, TZ=UTC in tests)
ROLLOVER = 4


def _settings(case: dict[str, Any]) -> Settings:
    return Settings(
        desired_retention=case["desired_retention"],
        learning_steps_minutes=tuple(case["learning_steps"]),
        relearning_steps_minutes=tuple(case["relearning_steps"]),
        maximum_interval_days=case["maximum_interval"],
        rollover_hour=ROLLOVER,
        fuzz=False,
        fsrs_parameters=tuple(case["parameters"] or ()),
    )


def _anki_due(at: datetime, expected: dict[str, Any]) -> datetime:
    """When Anki makes a card with this next state due: days from now, or seconds, unless the seconds reach
    past the end of the study day (then the start of a later day: its IntervalKind::maybe_as_days)."""
    if "days" in expected:
        return at + timedelta(days=expected["days"])
    end = day_end(at, ROLLOVER)
    until_end = int((end - at).total_seconds())
    if expected["secs"] < until_end:
        return at + timedelta(seconds=expected["secs"])
    return end + timedelta(days=(expected["secs"] - until_end) // 86_400)


def _check(case: dict[str, Any], index: int, outcomes: dict[Grade, CardState], at: datetime, nexts: dict) -> None:
    steps = case["learning_steps"]
    for grade_text, expected in nexts.items():
        grade = Grade(int(grade_text))
        got = outcomes[grade]
        where = f"{case['name']}: answer {index + 1}, {grade.name}"
        assert got.fsrs_state == KINDS[expected["kind"]], where
        assert got.due == _anki_due(at, expected), where
        if expected["kind"] != "review":
            count = len(steps if expected["kind"] == "learning" else case["relearning_steps"])
            assert got.step is not None and count - got.step == expected["steps_left"], where
        memory = expected["memory"]  # as fsrs-rs gives it; Anki (and quiz) keep it rounded
        assert got.stability == pytest.approx(memory["stability"], abs=1e-4, rel=1e-6), where
        assert got.difficulty == pytest.approx(memory["difficulty"], abs=1e-3), where


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[case["name"] for case in GOLDEN["cases"]])
def test_next_states_equal_ankis(case: dict[str, Any]) -> None:
    scheduler = Scheduler(_settings(case))
    state, at, last = CardState(kind="basic"), START, START
    for index, (answer, step) in enumerate(zip(case["answers"], case["steps"], strict=True)):
        grade = Grade(answer["grade"])
        if index < case["sm2_answers"]:  # answered under SM-2: replayed for the memory state, as an import does
            state = scheduler.replay(1, state, grade, at, None)
        else:
            if "converted" in step:  # FSRS turned on: Anki's memory state from the review log, its SM-2 interval
                converted = step["converted"]
                memory = converted["memory"]
                assert (state.stability, state.difficulty) == pytest.approx(
                    (memory["stability"], memory["difficulty"]), rel=1e-6
                ), case["name"]
                state = CardState(
                    kind="basic",
                    fsrs_state=converted["type"],
                    step=None,
                    stability=state.stability,
                    difficulty=state.difficulty,
                    due=last + timedelta(days=converted["interval_days"]),
                    last_review=last,
                    reps=state.reps,
                )
            outcomes = scheduler.outcomes(1, state, at)
            _check(case, index, outcomes, at, step["next"])
            state = outcomes[grade]
        last = at
        at += timedelta(days=answer["wait_days"], minutes=1)


def test_the_golden_file_covers_what_the_issue_names() -> None:
    """Learning and relearning steps, each grade, reviews early and late, the maximum interval reached, own
    parameters and retention, and SM-2 cards turned to FSRS."""
    cases = GOLDEN["cases"]
    kinds = {expected["kind"] for case in cases for step in case["steps"] for expected in step.get("next", {}).values()}
    assert kinds == {"learning", "relearning", "review"}
    assert any(case["parameters"] for case in cases) and len({case["desired_retention"] for case in cases}) >= 3
    capped = [
        case["name"]
        for case in cases
        for step in case["steps"]
        for expected in step.get("next", {}).values()
        if expected.get("days") == case["maximum_interval"] < 36500
    ]
    assert capped
    assert sum("converted" in step for case in cases for step in case["steps"]) == 2
    assert sum(len(case["steps"]) for case in cases) > 300


@pytest.mark.skipif(importlib.util.find_spec("anki") is None, reason="needs the anki package (test-only oracle)")
def test_anki_still_gives_the_golden_values(tmp_path: Path) -> None:
    """Anki's backend, run now, gives what the committed file holds (so the file is what its tool makes)."""
    out = tmp_path / "golden.json"
    environment = {**os.environ, "ANKI_TEST_MODE": "1"}
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_anki_golden.py"), str(out)], check=True, env=environment)
    fresh = json.loads(out.read_text(encoding="utf-8"))
    assert fresh["cases"] == GOLDEN["cases"]
