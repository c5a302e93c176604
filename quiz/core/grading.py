"""Checks an answer through its card's kind and proposes a grade: wrong -> Again, right -> Good."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.core.kinds import KINDS
from quiz.core.kinds.base import Response
from quiz.core.model import Card, Grade


@dataclass(frozen=True, slots=True)
class Verdict:
    correct: bool | None  # None: self-graded kind (basic, reverse), the user judges
    proposed: Grade
    near_miss: bool = False  # a typed answer accepted despite a small slip
    given: bool = True  # False: the answer was shown with nothing given, so the grade chosen says if it was known


def grade_response(card: Card, response: Response, tolerance: int = 90) -> Verdict:
    kind = KINDS[card.kind]
    if not kind.objective:
        return Verdict(None, Grade.AGAIN if response is None else Grade.GOOD)
    if response is None or response == "":
        return Verdict(False, Grade.AGAIN, given=False)
    correct, near = kind.grade(card, response, tolerance)
    return Verdict(correct, Grade.GOOD if correct else Grade.AGAIN, near)
