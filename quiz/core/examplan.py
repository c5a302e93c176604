"""An exam's plan: how many cards to study each day until the exam, the share of its cards predicted to be
recalled on the day, and, when the daily limits keep the target out of reach, by how much and which limit
to raise.

The plan follows the cards forward a day at a time from their memory states, as the study sessions would
schedule them: each day's due cards (up to *reviews per day*) and new cards (up to *new cards per day*, in
card order) are studied and answered Good, each review placed as `examplacement` places it. On the exam day
the prediction is the mean recall of the exam's cards from their memory states (a card never studied counts
as not recalled). Only the exam's own cards count against the limits."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from fsrs_rs_python import MemoryState

from quiz.core.cardstate import CardState, effective_state
from quiz.core.clock import day_end, day_start, study_day
from quiz.core.examdates import ExamDate, target_text
from quiz.core.examplacement import exam_days
from quiz.core.model import Deck
from quiz.core.presets import deck_settings
from quiz.core.recall import ForgettingCurve, curve_for
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import Store

_UNLIMITED = 1 << 30


@dataclass(slots=True)
class _Memory:
    """What the plan follows of a card: its memory, the study day of its last answer, the day it is due."""

    stability: float
    difficulty: float
    last: date
    due: date


@dataclass(frozen=True, slots=True)
class PlanDay:
    day: date
    reviews: int  # cards studied again that day
    new: int  # cards seen for the first time


@dataclass(frozen=True, slots=True)
class Outlook:
    """One run of the plan: the days, and the predicted share recalled on the exam day."""

    days: tuple[PlanDay, ...]
    recalled: float

    @property
    def busiest(self) -> int:
        return max((day.reviews for day in self.days), default=0)


def share_of(share: float, target: float) -> str:
    """A predicted share as a percentage, with the decimals that keep one short of the target below it: 94.7 %
    shown as "95%" beside a target of 95 % read as reached, above "out of reach" (94.96 %: "94.96%", not
    "95.0%")."""
    if share >= target:
        return f"{share:.0%}"
    for decimals in (0, 1, 2):
        shown = f"{share:.{decimals}%}"
        if float(shown[:-1]) < round(target * 100, 9):
            return shown
    return f"{math.floor(share * 10_000) / 100:.2f}%"  # rounded, even two decimals reach the target


def points_short(share: float, target: float) -> str:
    """How far a share falls short of the target, in points: "0.3", not "0", below one point ("0.04", not
    "0.0", below a tenth)."""
    points = (target - share) * 100
    if points >= 1:
        return f"{points:.0f}"
    return next((shown for decimals in (1, 2) if float(shown := f"{points:.{decimals}f}") > 0), "under 0.01")


@dataclass(frozen=True, slots=True)
class ExamPlan:
    exam: ExamDate
    cards: int  # the exam's cards, suspended ones left out
    new_left: int  # of them, never studied
    days_left: int  # study days before the exam day
    recalled_now: float  # the predicted share recalled today
    new_per_day_needed: int  # to have seen every card in time (exam_pace)
    # the last day a new card can be introduced and still reach the target by the exam (None: no day, or the
    # exam day has come)
    introduce_by: date | None
    new_today_recall: float  # a new card introduced today: its predicted recall on the exam day
    new_per_day: int  # the preset's limit
    reviews_per_day: int  # the preset's limit
    outlook: Outlook  # within the limits
    unlimited: Outlook | None  # without them, when the limits keep the target out of reach

    @property
    def reachable(self) -> bool:
        return self.outlook.recalled >= self.exam.target

    def advice(self) -> list[str]:
        """What to change when the target is out of reach: the limits to raise (and to what), or that no
        limit would do."""
        if self.reachable:
            return []
        target = self.exam.target
        short = f"{points_short(self.outlook.recalled, target)} points short of {target_text(target)}"
        unlimited = self.unlimited
        if unlimited is None or unlimited.recalled < target:
            best = "" if unlimited is None else f" (at most {share_of(unlimited.recalled, target)} without limits)"
            return [
                f"out of reach, {short}{best}: too few days are left to learn every card to the target; "
                "a later exam date or a lower target would reach it"
            ]
        found = [f"out of reach within the limits, {short}:"]
        if self.new_per_day_needed > self.new_per_day:
            found.append(f"raise new cards per day from {self.new_per_day} to {self.new_per_day_needed}")
        if unlimited.busiest > self.reviews_per_day:
            found.append(f"raise reviews per day from {self.reviews_per_day} to {unlimited.busiest}")
        return found


def plan_exams(store: Store, decks: Sequence[Deck], exams: Iterable[ExamDate], now: datetime) -> list[ExamPlan]:
    """The plan of each exam whose deck is loaded, each with its deck's preset and parameters."""
    by_id = {deck.id: deck for deck in decks}
    settings = deck_settings(store)
    rollover = settings.base.rollover_hour
    today = study_day(now, rollover)
    plans = []
    for exam in exams:
        deck = by_id.get(exam.deck_id)
        if deck is None:
            continue
        stored = store.states(deck.id)
        states = [effective_state(card, stored.get(card.key)) for card in deck.cards if exam.covers(card)]
        own = settings.of(deck.id)
        curve = curve_for(Scheduler(own).parameters)
        introduced = introduced_by_topic(store, deck, now, rollover)[exam.topic]
        plans.append(plan_exam(exam, states, own, curve, today, rollover, introduced))
    return plans


def introduced_by_topic(store: Store, deck: Deck, now: datetime, rollover_hour: int) -> Counter[str | None]:
    """topic -> the deck's cards introduced today (None: all of them)."""
    keys = store.deck_answers_since(deck.id, day_start(now, rollover_hour), day_end(now, rollover_hour)).introduced
    topics: Counter[str | None] = Counter(topic for key in keys if (topic := deck.card_topic(key)) is not None)
    topics[None] = sum(topics.values())
    return topics


def exam_pace(new_left: int, exam: ExamDate, today: date, settings: Settings, curve: ForgettingCurve) -> int:
    """New cards a day that introduce `new_left` of the exam's cards by the last day they can still reach the
    target by the exam (`lead_days`): the plan's "new cards per day needed" and the pace today's queue takes
    them at. All of them today once that day has passed, or when no day reaches the target (today comes
    nearest); none once the exam day has come."""
    days_left = (exam.day - today).days
    if days_left <= 0:
        return 0
    lead = lead_days(exam.target, settings, curve, days_left)
    days = 1 if lead is None else days_left - lead + 1  # today to the last day
    return math.ceil(new_left / days) if days > 1 else new_left


@lru_cache(maxsize=64)
def lead_days(target: float, settings: Settings, curve: ForgettingCurve, days_left: int) -> int | None:
    """The fewest days before the exam a new card must be introduced for its predicted recall on the exam day
    to reach `target` (`new_card_recall`), at most `days_left`; None when even today falls short."""
    for lead in range(1, days_left + 1):
        if new_card_recall(target, settings, curve, lead) >= target:
            return lead
    return None


@lru_cache(maxsize=256)
def new_card_recall(target: float, settings: Settings, curve: ForgettingCurve, lead: int) -> float:
    """The predicted recall on the exam day of a new card introduced `lead` days before it, answered Good each
    day it is due as the sessions place it for an exam at `target`."""
    day = date(2000, 1, 1)  # the rule depends only on the days between
    exam_day = day + timedelta(days=lead)
    exam = ExamDate("", None, exam_day, target)
    memory = _Memory(0.0, 0.0, day, day)
    _answer(memory, day, exam, settings, curve, new=True)
    while memory.due < exam_day:
        _answer(memory, memory.due, exam, settings, curve)
    return curve.recall(memory.stability, (exam_day - memory.last).days)


def plan_exam(
    exam: ExamDate,
    states: Iterable[CardState],
    settings: Settings,
    curve: ForgettingCurve,
    today: date,
    rollover_hour: int,
    introduced_today: int = 0,
) -> ExamPlan:
    """The plan for `exam` from the states of its cards (in card order; a new card's is a new state), of which
    `introduced_today` were new at the start of the day (the day's pace counts them)."""
    studied: list[_Memory] = []
    new_left = 0
    for state in states:
        if state.suspended:
            continue
        memory = _memory(state, today, rollover_hour)
        if memory is None:
            new_left += 1
        else:
            studied.append(memory)
    days_left = max((exam.day - today).days, 0)
    needed = exam_pace(new_left + introduced_today, exam, today, settings, curve)
    lead = lead_days(exam.target, settings, curve, days_left)
    introduce_by = None if lead is None else exam.day - timedelta(days=lead)
    new_today_recall = new_card_recall(exam.target, settings, curve, days_left) if days_left else 0.0
    limits = (settings.new_per_day, settings.reviews_per_day)
    outlook = _follow(exam, studied, new_left, introduced_today, settings, curve, today, limits)
    unlimited = None
    if outlook.recalled < exam.target:
        unlimited_limits = (max(needed, settings.new_per_day), _UNLIMITED)
        unlimited = _follow(exam, studied, new_left, introduced_today, settings, curve, today, unlimited_limits)
    cards = len(studied) + new_left
    now = sum(curve.recall(m.stability, (today - m.last).days) for m in studied) / cards if cards else 0.0
    return ExamPlan(
        exam,
        cards,
        new_left,
        days_left,
        now,
        needed,
        introduce_by,
        new_today_recall,
        settings.new_per_day,
        settings.reviews_per_day,
        outlook,
        unlimited,
    )


def _memory(state: CardState, today: date, rollover_hour: int) -> _Memory | None:
    """What the plan follows of a studied card (None: a card not studied yet); a card in its steps is due today."""
    if state.is_new or state.stability is None or state.difficulty is None or state.last_review is None:
        return None
    last = study_day(state.last_review, rollover_hour)
    due = today if state.due is None or state.is_learning else max(study_day(state.due, rollover_hour), today)
    return _Memory(state.stability, state.difficulty, last, due)


def _follow(
    exam: ExamDate,
    studied: Sequence[_Memory],
    new_cards: int,
    introduced_today: int,
    settings: Settings,
    curve: ForgettingCurve,
    today: date,
    limits: tuple[int, int],
) -> Outlook:
    """Study the cards day by day until the exam within `limits` (new, reviews per day). A topic's new cards
    come at its pace (the queue takes them first, then the deck's in deck order, which may or may not be
    the topic's); a deck's come as many as the limit allows (all the deck's new cards are the exam's). Today
    brings what the queue still gives: the day's limit and pace less the `introduced_today` of them."""
    new_limit, review_limit = limits
    cards = [_Memory(m.stability, m.difficulty, m.last, m.due) for m in studied]
    due = [(m.due, i) for i, m in enumerate(cards)]
    heapq.heapify(due)
    days: list[PlanDay] = []
    day = today
    while day < exam.day:
        reviewed = 0
        while due and due[0][0] <= day and reviewed < review_limit:
            _, i = heapq.heappop(due)
            _answer(cards[i], day, exam, settings, curve)
            heapq.heappush(due, (cards[i].due, i))
            reviewed += 1
        already = introduced_today if day == today else 0
        introduced = min(new_limit - already, new_cards)
        if exam.topic is not None:  # the day's pace is set at its start (exampace.paced_exams)
            introduced = min(introduced, exam_pace(new_cards + already, exam, day, settings, curve) - already)
        introduced = max(introduced, 0)
        for _ in range(introduced):
            memory = _Memory(0.0, 0.0, day, day)
            _answer(memory, day, exam, settings, curve, new=True)
            cards.append(memory)
            heapq.heappush(due, (memory.due, len(cards) - 1))
        new_cards -= introduced
        days.append(PlanDay(day, reviewed, introduced))
        day += timedelta(days=1)
    total = len(cards) + new_cards
    recalled = sum(curve.recall(m.stability, (exam.day - m.last).days) for m in cards) / total if total else 1.0
    return Outlook(tuple(days), recalled)


def _answer(
    memory: _Memory, day: date, exam: ExamDate, settings: Settings, curve: ForgettingCurve, new: bool = False
) -> None:
    """Answer the card Good on `day`: its next memory from the engine, its next day as a session places it."""
    before = None if new else MemoryState(memory.stability, memory.difficulty)
    good = curve.next_states(before, settings.desired_retention, (day - memory.last).days).good
    memory.stability, memory.difficulty, memory.last = good.memory.stability, good.memory.difficulty, day
    interval = min(max(round(good.interval), 1), settings.maximum_interval_days)
    earlier = exam_days(curve, memory.stability, day, interval, exam)
    memory.due = day + timedelta(days=interval if earlier is None else earlier)
