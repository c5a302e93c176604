"""Checks an answer for each card kind and proposes a grade: wrong -> Again, right -> Good."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.core import cloze
from quiz.core.model import OBJECTIVE_KINDS, Card, Grade, Kind
from quiz.core.text import normalize_answer

#: What a user can give: typed text (typed, cloze, choice option), a set of options (multi), True/False,
#: the items in an order, left -> right pairs (match); None means "revealed without answering".
Response = str | frozenset[str] | bool | tuple[str, ...] | dict[str, str] | None


@dataclass(frozen=True, slots=True)
class Verdict:
    correct: bool | None  # None: self-graded kind (basic, reverse), the user judges
    proposed: Grade
    near_miss: bool = False  # a typed answer accepted despite a small slip


def _accepted_texts(card: Card) -> list[str]:
    note = card.note
    if card.kind is Kind.CLOZE:
        return [cloze.find_gaps(note.text)[card.ordinal - 1].answer]
    return [str(note.answer), *note.accept]


def check_typed(given: str, accepted: list[str], tolerance: int) -> tuple[bool, bool]:
    """(correct, near_miss). Case, spacing and punctuation never matter; digits must match exactly."""
    typed = normalize_answer(given)
    if not typed:
        return False, False
    from rapidfuzz import fuzz  # imported on first use: it adds ~7 ms to every start otherwise

    targets = [normalize_answer(a) for a in accepted]
    if typed in targets:
        return True, False
    for target in targets:
        if any(ch.isdigit() for ch in target):
            continue  # a near miss on a number is a different number
        if fuzz.ratio(typed, target) >= tolerance:
            return True, True
    return False, False


def grade_response(card: Card, response: Response, tolerance: int = 90) -> Verdict:
    note = card.note
    if card.kind not in OBJECTIVE_KINDS:
        return Verdict(None, Grade.AGAIN if response is None else Grade.GOOD)
    if response is None or response == "":
        return Verdict(False, Grade.AGAIN)
    near = False
    match card.kind:
        case Kind.TYPED | Kind.CLOZE:
            correct, near = check_typed(str(response), _accepted_texts(card), tolerance)
        case Kind.CHOICE:
            correct = response == note.answer
        case Kind.MULTI:
            correct = isinstance(response, frozenset) and response == frozenset(note.answers)
        case Kind.TRUEFALSE:
            correct = response is note.answer
        case Kind.ORDER:
            correct = tuple(response) == note.items if isinstance(response, tuple) else False
        case Kind.MATCH:
            correct = response == dict(note.pairs)
        case _:
            raise ValueError(f"unknown kind {card.kind}")
    return Verdict(correct, Grade.GOOD if correct else Grade.AGAIN, near)
