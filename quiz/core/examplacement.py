"""Where an answer sends a card that has an exam ahead: if its next review falls on or after the exam day and its
predicted recall on that day would be under the exam's target, it comes back earlier, on the last day before
its recall falls to the target. Each review repeats the check with the
card's new memory state, so a card is reviewed just often enough to be at or above the target on the day;
once its interval reaches past the exam with recall to spare, or the exam day has come, nothing changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from quiz.core.cardstate import CardState
from quiz.core.clock import days_later, study_day
from quiz.core.examdates import ExamDate
from quiz.core.model import Card, Grade
from quiz.core.recall import ForgettingCurve, curve_for


def exam_days(curve: ForgettingCurve, stability: float, today: date, due_days: int, exam: ExamDate) -> int | None:
    """The days from `today` a card just answered (its memory's `stability`), due in `due_days`, should be due
    in instead for `exam`; None to leave it as it is."""
    left = (exam.day - today).days
    if left <= 0 or due_days < left or curve.recall(stability, left) >= exam.target:
        return None
    # Recall under the target on the exam day means it falls to the target sooner, so this is before the
    # exam (with the exam tomorrow and recall already near the target: its morning).
    days = max(1, int(curve.days_until(stability, exam.target)))
    return days if days < due_days else None


class ExamPlacer:
    """Moves a study session's answers forward for the exams their cards have ahead."""

    def __init__(self, exams: Sequence[ExamDate], rollover_hour: int) -> None:
        self._by_deck: dict[str, list[ExamDate]] = {}
        for exam in exams:
            self._by_deck.setdefault(exam.deck_id, []).append(exam)
        self._rollover = rollover_hour

    def place(
        self, card: Card, outcomes: dict[Grade, CardState], now: datetime, parameters: Sequence[float]
    ) -> dict[Grade, CardState]:
        """`outcomes` (the scheduler's, one per grade) with each review that crosses an exam brought forward."""
        exams = [exam for exam in self._by_deck.get(card.deck_id, ()) if exam.covers(card)]
        if not exams:
            return outcomes
        today = study_day(now, self._rollover)
        curve = curve_for(tuple(parameters))
        placed = {}
        for grade, after in outcomes.items():
            if after.is_review and after.due is not None and after.stability is not None:
                due_days = (study_day(after.due, self._rollover) - today).days
                earlier = [
                    days
                    for exam in exams
                    if (days := exam_days(curve, after.stability, today, due_days, exam)) is not None
                ]
                if earlier:
                    after = replace(after, due=days_later(now, min(earlier), self._rollover))
            placed[grade] = after
        return placed
