"""Exam mode: N auto-graded questions across chosen topics, a score per topic, kept in the store."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from quiz.core import faces
from quiz.core.cardstate import CardState, effective_state
from quiz.core.clock import Clock
from quiz.core.grading import grade_response
from quiz.core.kinds import OBJECTIVE_KINDS
from quiz.core.kinds.base import Response
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.store import Store


@dataclass(frozen=True, slots=True)
class ExamAnswer:
    card: Card
    correct: bool
    given: str  # what the user answered, as text ("" for none)


@dataclass
class ExamResult:
    title: str
    answers: list[ExamAnswer]
    seconds: float
    left: list[Card]  # the questions not answered (time ran out, or finished early): counted wrong
    exam_id: int = 0

    @property
    def unanswered(self) -> int:
        return len(self.left)

    @property
    def total(self) -> int:
        return len(self.answers) + self.unanswered

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    def per_topic(self) -> dict[str, tuple[int, int]]:
        """topic -> (right, asked), the questions left unanswered counted as asked and wrong."""
        totals = Counter([a.card.topic for a in self.answers] + [card.topic for card in self.left])  # exam order
        right = Counter(a.card.topic for a in self.answers if a.correct)
        return {topic: (right[topic], totals[topic]) for topic in totals}

    def mistakes(self) -> list[ExamAnswer]:
        """The wrong answers, then the questions left unanswered (with nothing given), in exam order."""
        return [a for a in self.answers if not a.correct] + [ExamAnswer(card, False, "") for card in self.left]


def describe(response: Response) -> str:
    match response:
        case None:
            return ""
        case bool():
            return "True" if response else "False"
        case frozenset():
            return "; ".join(sorted(response))
        case tuple():
            return " → ".join(response)
        case dict():
            return "; ".join(f"{k} → {v}" for k, v in response.items())
    return str(response)


def exam_cards(decks: list[Deck], topics: set[str] | None) -> list[Card]:
    """Cards an exam can ask: the auto-graded kinds, in the chosen topics (None: all)."""
    return [c for d in decks for c in d.cards if c.kind in OBJECTIVE_KINDS and (topics is None or c.topic in topics)]


@dataclass
class ExamSession:
    store: Store
    clock: Clock
    questions: list[Card]
    title: str
    time_limit_s: float | None = None
    tolerance: int = 90
    answers: list[ExamAnswer] = field(default_factory=list)
    started: datetime | None = None

    @classmethod
    def create(
        cls,
        store: Store,
        clock: Clock,
        decks: list[Deck],
        topics: set[str] | None,
        count: int,
        title: str,
        time_limit_s: float | None = None,
        seed: int | None = None,
        tolerance: int = 90,
    ) -> ExamSession:
        pool = exam_cards(decks, topics)
        if not pool:
            raise ValueError("no auto-graded cards in the chosen topics")
        questions = random.Random(seed).sample(pool, min(count, len(pool)))
        return cls(store, clock, questions, title, time_limit_s, tolerance, started=clock.now())

    @property
    def current(self) -> Card | None:
        if self.time_up() or len(self.answers) >= len(self.questions):
            return None
        return self.questions[len(self.answers)]

    def seconds_used(self) -> float:
        assert self.started is not None
        return (self.clock.now() - self.started).total_seconds()

    def time_up(self) -> bool:
        return self.time_limit_s is not None and self.seconds_used() >= self.time_limit_s

    def answer(self, response: Response) -> ExamAnswer:
        """Grade and log the answer (mode exam: the schedule is not touched)."""
        card = self.current
        if card is None:
            raise RuntimeError("the exam is over")
        verdict = grade_response(card, response, self.tolerance)
        correct = bool(verdict.correct)
        state = effective_state(card, self.store.state(card.deck_id, card.key))
        before: CardState | None = None if state.is_new else state
        self.store.record_review(
            card.deck_id,
            card.key,
            Grade.GOOD if correct else Grade.AGAIN,
            self.clock.now(),
            0,
            Mode.EXAM,
            before,
            state,
        )
        answer = ExamAnswer(card, correct, describe(response))
        self.answers.append(answer)
        return answer

    def finish(self) -> ExamResult:
        """End the exam (questions left count as wrong) and keep the result."""
        seconds = self.seconds_used()
        if self.time_limit_s is not None:
            seconds = min(seconds, self.time_limit_s)
        result = ExamResult(self.title, list(self.answers), seconds, self.questions[len(self.answers) :])
        detail = {
            "per_topic": result.per_topic(),
            "mistakes": [
                {
                    "deck": a.card.deck_id,
                    "card": a.card.key,
                    "given": a.given,
                    "expected": faces.expected_answer(a.card),
                }
                for a in result.mistakes()
            ],
        }
        result.exam_id = self.store.save_exam(
            self.clock.now(), self.title, result.correct, result.total, seconds, detail
        )
        return result
