"""Exam mode: N questions across chosen topics, a score per topic, kept in the store.

The app checks the answers of the objective kinds. The self-graded kinds (basic, reverse) are asked only
when the exam includes them: the answer is shown and the user says whether they knew it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quiz.core import faces
from quiz.core.cardstate import CardState, effective_state
from quiz.core.clock import Clock
from quiz.core.grading import grade_response
from quiz.core.kinds import KINDS, OBJECTIVE_KINDS
from quiz.core.kinds.base import Response
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.store import Store
from quiz.core.studyqueue import without_suspended
from quiz.core.text import shortened, with_article

#: Kinds an exam asks only when told to: the user grades them, shown the answer.
SELF_GRADED_KINDS = frozenset(KINDS) - OBJECTIVE_KINDS


@dataclass(frozen=True, slots=True)
class ExamAnswer:
    card: Card
    correct: bool
    given: str  # what the user answered, as text ("" for none)


# The characters of a mistake's answers, given and right, an exam result keeps (an answer field's most; a back
# may hold 10,000): its sync line stays far under what other devices read (syncfiles.MAX_LINE), so they keep
# the result too. An exam of 1,800 cards with 10,000-character backs, timed out, made a line of 17 MiB.
KEPT_ANSWER = 1_000


@dataclass(frozen=True, slots=True)
class Mistake:
    """A question answered wrong or left unanswered, as kept: the card may since have changed or gone."""

    deck_id: str
    key: str
    given: str  # "" for none
    expected: str  # the right answer as the card had it then


@dataclass
class ExamReport:
    """An exam's outcome, just taken or read back from the store: what the results screen shows."""

    title: str
    correct: int
    total: int
    seconds: float
    unanswered: int  # questions not reached (time ran out, or finished early): counted wrong
    per_topic: dict[str, tuple[int, int]]  # topic -> (right, asked), in exam order
    mistakes: list[Mistake]  # the wrong answers, then the questions not reached, in exam order
    deck_id: str | None = None  # None: an exam across decks, or kept by a quiz that did not record it
    exam_id: int = 0
    taken_at: datetime | None = None  # once kept

    def detail(self) -> dict[str, Any]:
        """What the store keeps beside the score."""
        return {
            "deck": self.deck_id,
            "unanswered": self.unanswered,
            "per_topic": self.per_topic,
            "mistakes": [
                {
                    "deck": m.deck_id,
                    "card": m.key,
                    "given": shortened(m.given, KEPT_ANSWER),
                    "expected": shortened(m.expected, KEPT_ANSWER),
                }
                for m in self.mistakes
            ],
        }

    @classmethod
    def from_stored(cls, row: dict[str, Any]) -> ExamReport:
        """A kept exam (a row of `Store.exams`). Older quizzes kept neither the deck nor the unanswered count:
        the deck is then that of its mistakes, if any."""
        detail = row["detail"]
        mistakes = [
            Mistake(str(m["deck"]), str(m["card"]), str(m.get("given", "")), str(m.get("expected", "")))
            for m in detail.get("mistakes", [])
        ]
        deck_id = detail.get("deck") or (mistakes[0].deck_id if mistakes else None)
        return cls(
            title=row["title"],
            correct=row["correct"],
            total=row["total"],
            seconds=row["seconds"],
            unanswered=int(detail.get("unanswered", 0)),
            per_topic={str(t): (int(r), int(n)) for t, (r, n) in detail.get("per_topic", {}).items()},
            mistakes=mistakes,
            deck_id=deck_id,
            exam_id=row["id"],
            taken_at=row["taken_at"],
        )

    def of_deck(self, deck: Deck) -> bool:
        """Whether this exam was on `deck` (an old one that kept no deck: by its title, which starts with it)."""
        if self.deck_id is not None:
            return self.deck_id == deck.id
        return self.title == deck.title or self.title.startswith(f"{deck.title}: ")

    def on_chosen_topics(self, deck: Deck) -> bool:
        """Whether this exam on `deck` asked only the topics ticked on the exam screen, which titles it
        `Deck: Topic, Topic` (the deck's title alone when it asks them all)."""
        return self.title.startswith(f"{deck.title}: ")


def past_exams(store: Store, deck: Deck) -> list[ExamReport]:
    """The exams kept for `deck`, newest first. A row whose detail no quiz wrote (valid JSON of another
    shape) is left out, so one damaged row does not keep the others from being listed."""
    reports = []
    for row in store.exams():
        try:
            report = ExamReport.from_stored(row)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if report.of_deck(deck):
            reports.append(report)
    return reports


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


def exam_cards(decks: list[Deck], topics: set[str] | None, self_graded: bool = False) -> list[Card]:
    """Cards of the kinds an exam asks: the auto-graded kinds (and the self-graded ones if asked), in the chosen
    topics (None: all), suspended or not (`exam_pool` leaves those out)."""
    kinds = OBJECTIVE_KINDS | SELF_GRADED_KINDS if self_graded else OBJECTIVE_KINDS
    return [c for d in decks for c in d.cards if c.kind in kinds and (topics is None or c.topic in topics)]


@dataclass(frozen=True, slots=True)
class ExamPool:
    """The cards an exam can ask, and how many of the chosen topics and kinds it leaves out, suspended."""

    cards: list[Card]
    suspended: int


def exam_pool(store: Store, decks: list[Deck], topics: set[str] | None, self_graded: bool = False) -> ExamPool:
    """`exam_cards` but the suspended ones: she suspends a card she never wants asked (a review, practice and
    the exam plan leave it out too)."""
    cards = exam_cards(decks, topics, self_graded)
    asked = without_suspended(store, cards)
    return ExamPool(asked, len(cards) - len(asked))


def siblings_apart(cards: list[Card], rng: random.Random) -> list[Card]:
    """`cards` shuffled, each note's first card before any note's second (and so on): a note's other card
    gives away the answer of the one asked (a cloze's other gap shows it), so an exam asks a note twice only
    when it asks for more questions than there are notes, and then only after every note's first card (not
    necessarily far apart: a note's second card may come right after its first when that came last)."""
    shuffled = rng.sample(cards, len(cards))
    taken: Counter[tuple[str, str]] = Counter()
    turns = []
    for card in shuffled:
        group = card.deck_id, card.sibling_group
        turns.append(taken[group])
        taken[group] += 1
    return [card for _, card in sorted(zip(turns, shuffled, strict=True), key=lambda pair: pair[0])]


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
    late_answer_taken: bool = False

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
        self_graded: bool = False,
    ) -> ExamSession:
        pool = exam_pool(store, decks, topics, self_graded).cards
        if not pool:
            raise ValueError("no cards an exam can ask in the chosen topics")
        questions = siblings_apart(pool, random.Random(seed))[:count]
        return cls(store, clock, questions, title, time_limit_s, tolerance, started=clock.now())

    @property
    def shown(self) -> Card | None:
        """The first question not answered: the one on screen, or the one the time ran out on."""
        return self.questions[len(self.answers)] if len(self.answers) < len(self.questions) else None

    @property
    def current(self) -> Card | None:
        """The question to answer now: none once the time is up."""
        return None if self.time_up() else self.shown

    def seconds_used(self) -> float:
        assert self.started is not None
        return (self.clock.now() - self.started).total_seconds()

    def time_up(self) -> bool:
        return self.time_limit_s is not None and self.seconds_used() >= self.time_limit_s

    def answer(self, response: Response, knew: bool | None = None) -> ExamAnswer:
        """Grade and log the answer (mode exam: the schedule is not touched). A self-graded card is graded
        by `knew`: whether the user, shown the answer, says they knew it."""
        card = self.current
        if card is None:
            raise RuntimeError("the exam is over")
        return self._record(card, response, knew)

    def answer_left_at_time_up(self, response: Response) -> ExamAnswer | None:
        """Once the time is up, what the question on screen holds (typed, ticked, not yet submitted) is graded
        as if submitted, once; None when nothing was given (or it was taken already)."""
        card = self.shown
        if card is None or not self.time_up() or self.late_answer_taken:
            return None
        late = None if response is None or card.kind in SELF_GRADED_KINDS else self._record(card, response, None)
        self.late_answer_taken = True  # the next question was never shown: nothing of it can be taken
        return late

    def _record(self, card: Card, response: Response, knew: bool | None) -> ExamAnswer:
        verdict = grade_response(card, response, self.tolerance)
        if verdict.correct is None and knew is None:
            raise ValueError(f"{with_article(card.kind)} card is graded by the user: say whether they knew it")
        correct = bool(verdict.correct if verdict.correct is not None else knew)
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

    def report(self) -> ExamReport:
        """The outcome so far, the questions not answered counted wrong."""
        seconds = self.seconds_used()
        if self.time_limit_s is not None:
            seconds = min(seconds, self.time_limit_s)
        left = self.questions[len(self.answers) :]
        asked = [a.card.topic for a in self.answers] + [card.topic for card in left]
        right = Counter(a.card.topic for a in self.answers if a.correct)
        missed = [(a.card, a.given) for a in self.answers if not a.correct] + [(card, "") for card in left]
        deck_ids = {card.deck_id for card in self.questions}
        return ExamReport(
            title=self.title,
            correct=sum(a.correct for a in self.answers),
            total=len(self.questions),
            seconds=seconds,
            unanswered=len(left),
            per_topic={topic: (right[topic], total) for topic, total in Counter(asked).items()},
            mistakes=[Mistake(card.deck_id, card.key, given, faces.expected_answer(card)) for card, given in missed],
            deck_id=deck_ids.pop() if len(deck_ids) == 1 else None,
        )

    def finish(self) -> ExamReport:
        """End the exam (questions left count as wrong) and keep the result. An exam left without this
        (abandoned) keeps no result; its answers stay in the review log."""
        report = self.report()
        report.taken_at = self.clock.now()
        report.exam_id = self.store.save_exam(
            report.taken_at, report.title, report.correct, report.total, report.seconds, report.detail()
        )
        return report
