"""Scheduling as Anki does it with FSRS on: fsrs-rs (the engine inside Anki, through `fsrs_rs_python`)
gives each grade's memory state and interval; Anki's rules on top (rslib/src/scheduler/states/: learning,
relearning, review) decide steps, days, the maximum interval, fuzz and the load balancer. Card state is
kept in quiz's own plain values (`CardState`)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, ItemState, MemoryState, NextStates

from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW, CardState
from quiz.core.clock import Zone, day_end, day_start, days_later, rollover_on, study_day
from quiz.core.events import STATE_FIELDS
from quiz.core.fuzz import (
    constrained_fuzz_bounds,
    f32,
    f32_pair,
    fuzz_bounded,
    fuzz_factor,
    learning_fuzz,
    minimum_review_fuzz_interval,
    round_days,
    with_review_fuzz,
)
from quiz.core.loadbalancer import Placement, balances
from quiz.core.model import Grade
from quiz.core.settings import Settings
from quiz.core.steps import DAY_SECS, Steps

_DAY = timedelta(days=1)
# Scheduler._state, replay_history and CardState.retimed build CardState field by field, and an answer's event
# keeps a state in one column per field (events.STATE_FIELDS; replay_history's rows): a new field must be carried
# over in all (the last a schema step).
assert tuple(f.name for f in fields(CardState)) == STATE_FIELDS, "CardState changed: update the scheduler's states"


class _Next(NamedTuple):
    """Where a grade sends a card: a state and step, and either seconds (in steps) or days (a review). A
    NamedTuple: four are made per answer, and a frozen dataclass takes twice as long to build."""

    fsrs_state: int
    step: int | None
    secs: int | None
    days: int | None
    memory: MemoryState


class Scheduler:
    def __init__(self, settings: Settings, zone: Zone = None) -> None:
        """`zone`: where study days are counted (None: this computer's time zone now)."""
        self.settings = settings
        self.zone = zone
        self.parameters = settings.fsrs_parameters or tuple(DEFAULT_PARAMETERS)  # the preset's fitted ones, if any
        self._fsrs = FSRS(list(self.parameters))
        self._steps = Steps(settings.learning_steps_minutes)
        self._relearning_steps = Steps(settings.relearning_steps_minutes)
        # Anki lets FSRS keep a card in the day (a "short-term" interval) only when its parameters model
        # same-day reviews, and, with its default of short-term-with-steps off, only where there are no steps.
        self._short_term = len(self.parameters) >= 19 and self.parameters[17] > 0 and self.parameters[18] > 0
        # the study days asked about, by start (a replayed history asks about each day of years, many times)
        self._day_starts: list[datetime] = []
        self._day_ends: list[datetime] = []
        # replay_history's _Rules.place for each (grade, FSRS state, step) met (a history meets a handful)
        self._replay_places: dict[tuple[Grade, int, int | None], tuple[int, int | None] | None] = {}

    def day_end(self, now: datetime) -> datetime:
        """When the study day `now` falls in ends (day_end, kept for the days asked about)."""
        index = bisect_right(self._day_starts, now)
        if index and now < self._day_ends[index - 1]:
            return self._day_ends[index - 1]
        rollover = self.settings.rollover_hour
        end = day_end(now, rollover, self.zone)
        self._day_starts.insert(index, day_start(now, rollover, self.zone))
        self._day_ends.insert(index, end)
        return end

    def review(
        self, number: int, state: CardState, grade: Grade, now: datetime, placement: Placement | None = None
    ) -> CardState:
        """The card's state after answering it with `grade` at `now`."""
        return self.outcomes(number, state, now, placement)[grade]

    def replay(self, number: int, state: CardState, grade: Grade, now: datetime, due: datetime | None) -> CardState:
        """The state after an answer given in another program (its review log replayed): FSRS's memory state,
        with the due date that program gave (`due`), else the one quiz would give without fuzz. The memory
        state is carried unrounded from answer to answer, as Anki computes one from a review log."""
        after = self._outcomes(number, state, now, None, fuzz=False, as_stored=False)[grade]
        return after if due is None else replace(after, due=due)

    def replay_history(
        self, number: int, start: CardState, answers: Sequence[tuple[Grade, datetime, datetime | None]]
    ) -> tuple[list[tuple[Any, ...]], CardState]:
        """The states after each of a new card's answers given in another program, (grade, when, the due date
        it gave), in time order, each as its values in the order of events.STATE_FIELDS (a CardState's fields),
        and the state after the last: what `replay` gives answer by
        answer, with the memory states of the whole history from one fsrs-rs call (historical_memory_states:
        the same steps next_states takes). Where the grade alone does not say where the card goes (no due date
        given, or FSRS may keep a card with no steps in the day), that answer is replayed in full. Only those
        answers and the last need a CardState: the others are a few values carried from answer to answer."""
        assert start.is_new, "a history is replayed from a new card"
        day_end, reviews, previous = self.day_end, [], None
        for grade, at, _due in answers:  # days from the answer before, as memory_states counts them
            days = 0 if previous is None else max((day_end(at) - previous) // _DAY, 0)
            reviews.append(FSRSReview(grade, days))
            previous = at
        memories = self._fsrs.historical_memory_states(FSRSItem(reviews)) if answers else []
        rules = _Rules(None, None, max(self.settings.maximum_interval_days, 1), self._short_term)
        places = self._replay_places  # where a grade sends a card depends only on where the card is
        kind, suspended, leech, buried = start.kind, start.suspended, start.leech, start.buried_until
        fsrs_state, step, stability, difficulty = start.fsrs_state, start.step, start.stability, start.difficulty
        due, last, reps, lapses = start.due, start.last_review, start.reps, start.lapses

        def current() -> CardState:
            return CardState(
                kind, fsrs_state, step, stability, difficulty, due, last, reps, lapses, suspended, leech, buried
            )

        rows = []
        for (grade, at, given), memory in zip(answers, memories, strict=True):
            place = None
            if given is not None:
                where = (grade, fsrs_state, step)
                if where not in places:
                    places[where] = rules.place(grade, *self._where(current()))
                place = places[where]
            if place is None:
                after = self.replay(number, current(), grade, at, given)
                fsrs_state, step, reps, lapses = after.fsrs_state, after.step, after.reps, after.lapses
                stability, difficulty, due, last = after.stability, after.difficulty, after.due, after.last_review
            else:  # what _state gives, unrounded (as replay's)
                lapses += fsrs_state == REVIEW and grade is Grade.AGAIN
                fsrs_state, step = place
                stability, difficulty, due, last, reps = memory.stability, memory.difficulty, given, at, reps + 1
            rows.append(
                (kind, fsrs_state, step, stability, difficulty, due, last, reps, lapses, suspended, leech, buried)
            )
        return rows, current()

    def outcomes(
        self, number: int, state: CardState, now: datetime, placement: Placement | None = None
    ) -> dict[Grade, CardState]:
        """The card's state after each grade at `now`: what the grade bar shows and what a grade applies.
        `placement`: the load balancer's view for this card (None: fuzz alone picks the day)."""
        return self._outcomes(number, state, now, placement, fuzz=self.settings.fuzz, as_stored=True)

    def preview(self, number: int, state: CardState, now: datetime) -> dict[Grade, timedelta]:
        """How long until the card is due again for each grade (with fuzz, its draw for this answer)."""
        return intervals(self.outcomes(number, state, now), now)

    def memory_states(self, state: CardState, end: datetime) -> NextStates:
        """fsrs-rs's next memory states and intervals for the card answered in the study day ending at `end`."""
        memory = None
        if not state.is_new and state.stability is not None and state.difficulty is not None:
            memory = MemoryState(state.stability, state.difficulty)
        return self._fsrs.next_states(memory, self.settings.desired_retention, _days_elapsed(state, end))

    def scheduled_days(self, state: CardState) -> int:
        """A review card's current interval in days (Anki's card.interval): study days from its last answer
        to its due date."""
        if state.last_review is None or state.due is None:
            return 0
        return max(self._study_day(state.due) - self._study_day(state.last_review), 0)

    def _study_day(self, moment: datetime) -> int:
        return study_day(moment, self.settings.rollover_hour, self.zone).toordinal()

    def _outcomes(
        self, number: int, state: CardState, now: datetime, placement: Placement | None, fuzz: bool, as_stored: bool
    ) -> dict[Grade, CardState]:
        # Anki seeds a card's fuzz with its id plus its answers so far
        factor = fuzz_factor(number + state.reps) if fuzz else None
        rules = _Rules(
            factor, placement if fuzz else None, max(self.settings.maximum_interval_days, 1), self._short_term
        )
        end = self.day_end(now)
        states = self.memory_states(state, end)
        fsrs_state, step, steps = self._where(state)
        if fsrs_state == REVIEW:
            found = rules.review(states, self.scheduled_days(state), steps)
        else:
            found = rules.in_steps(states, fsrs_state, step, steps)
        return {
            grade: self._state(state, grade, after, now, self._due(after, now, end, factor), as_stored)
            for grade, after in found.items()
        }

    def _where(self, state: CardState) -> tuple[int, int, Steps]:
        """Where the card is: its FSRS state, its step, and the steps that apply (a review card's: the
        relearning steps an Again sends it to)."""
        if state.fsrs_state == REVIEW:
            return REVIEW, 0, self._relearning_steps
        if state.fsrs_state == RELEARNING:
            return RELEARNING, self._relearning_steps.index(state.step), self._relearning_steps
        return LEARNING, 0 if state.is_new else self._steps.index(state.step), self._steps

    def _state(
        self, state: CardState, grade: Grade, after: _Next, now: datetime, due: datetime | None, as_stored: bool
    ) -> CardState:
        lapsed = state.fsrs_state == REVIEW and grade is Grade.AGAIN
        memory = after.memory
        if as_stored:
            stability, difficulty = _as_anki_stores(memory.stability, memory.difficulty)
        else:
            stability, difficulty = memory.stability, memory.difficulty
        # CardState(...) by position rather than dataclasses.replace: this runs four times per answer (the previews).
        return CardState(
            state.kind,
            after.fsrs_state,
            after.step,
            stability,
            difficulty,
            due,
            now,
            state.reps + 1,
            state.lapses + lapsed,
            state.suspended,
            state.leech,
            state.buried_until,
        )

    def _due(self, after: _Next, now: datetime, end: datetime, factor: float | None) -> datetime:
        """A review is due `days` from now; a step `secs` from now (fuzzed), unless that is past the end of
        the study day (`end`): then, as in Anki, at the start of a later study day."""
        if after.days is not None:
            return days_later(now, after.days, self.settings.rollover_hour, self.zone)
        assert after.secs is not None
        until_end = int((end - now).total_seconds())
        if after.secs >= until_end:
            days = (after.secs - until_end) // DAY_SECS + 1
            return rollover_on(
                end.astimezone(self.zone).date() + (days - 1) * _DAY, self.settings.rollover_hour, self.zone
            )
        return now + timedelta(seconds=after.secs if factor is None else learning_fuzz(factor, after.secs))


def _days_elapsed(state: CardState, end: datetime) -> int:
    """Whole days from the last answer to the end of today's study day (Anki's days_elapsed)."""
    if state.last_review is None:
        return 0
    return max(int((end - state.last_review).total_seconds()), 0) // DAY_SECS


def _as_anki_stores(stability: float, difficulty: float) -> tuple[float, float]:
    """A memory state as Anki keeps it in the card (its CardData: stability to 4 decimal places, difficulty
    to 3, in 32-bit floats); the next answer starts from it, so quiz keeps the same. Both values go through
    one struct call each way: this runs for every outcome of every answer."""
    scaled_stability, scaled_difficulty = f32_pair(stability * 1e4, difficulty * 1e3)
    return f32_pair(math.floor(scaled_stability + 0.5) / 1e4, math.floor(scaled_difficulty + 0.5) / 1e3)


@dataclass(frozen=True, slots=True)
class _Rules:
    """Anki's answer rules for one answer (its StateContext with FSRS on): fuzz, the maximum interval, the
    load balancer, and whether FSRS may keep a card within the day."""

    factor: float | None  # the fuzz draw; None: no fuzz
    placement: Placement | None
    maximum: int
    short_term: bool

    def fuzzed(self, interval: float, minimum: int, maximum: int) -> int:
        """The interval in days fuzz (or the load balancer, where it applies) gives, within the bounds. The
        fuzz range is worked out once, for both."""
        factor = self.factor
        if factor is None:
            return with_review_fuzz(None, interval, minimum, maximum)
        lower, upper = constrained_fuzz_bounds(interval, minimum, maximum)
        if self.placement is not None and balances(interval, minimum):
            found = self.placement.find_day(lower, upper, factor)
            if found is not None:
                return found
        return fuzz_bounded(factor, lower, upper)

    def may_keep_in_day(self, steps: Steps) -> bool:
        """Whether a card leaving `steps` may stay in the day (FSRS's short-term interval): only without steps."""
        return self.short_term and not steps.minutes

    def graduate(self, item: ItemState, fsrs_state: int, step: int, steps: Steps) -> _Next:
        """Out of the steps: a review of FSRS's interval, or with no steps, a short-term one in seconds."""
        if self.may_keep_in_day(steps) and item.interval < 0.5:
            return _Next(fsrs_state, step, int(f32(item.interval * 86_400.0)), None, item.memory)
        days = self.fuzzed(max(round_days(item.interval), 1), 1, self.maximum)
        return _Next(REVIEW, None, None, days, item.memory)

    def easy(self, states: NextStates) -> _Next:
        """Easy leaves the steps at least a day later than Good would."""
        good = self.fuzzed(states.good.interval, 1, self.maximum)
        days = self.fuzzed(max(round_days(states.easy.interval), 1), good + 1, self.maximum)
        return _Next(REVIEW, None, None, days, states.easy.memory)

    def in_steps(self, states: NextStates, fsrs_state: int, step: int, steps: Steps) -> dict[Grade, _Next]:
        """A new, learning or relearning card (Anki's learning.rs and relearning.rs)."""
        found = {}
        for grade, item in ((Grade.AGAIN, states.again), (Grade.HARD, states.hard), (Grade.GOOD, states.good)):
            stay = _in_steps(grade, step, steps)
            found[grade] = (
                _Next(fsrs_state, *stay, None, item.memory)
                if stay is not None
                else self.graduate(item, fsrs_state, 0 if grade is Grade.AGAIN else step, steps)
            )
        found[Grade.EASY] = self.easy(states)
        return found

    def place(self, grade: Grade, fsrs_state: int, step: int, steps: Steps) -> tuple[int, int | None] | None:
        """Where `grade` sends a card (`Scheduler._where`) as `in_steps` and `review` decide it: its FSRS state
        and step; None where FSRS's interval decides (a card leaving steps that may keep it in the day)."""
        if grade is Grade.EASY or (fsrs_state == REVIEW and grade is not Grade.AGAIN):
            return REVIEW, None
        if fsrs_state == REVIEW:  # a lapse, into the relearning steps
            fsrs_state, step = RELEARNING, 0
        stay = _in_steps(grade, step, steps)
        if stay is not None:
            return fsrs_state, stay[0]
        return None if self.may_keep_in_day(steps) else (REVIEW, None)

    def review(self, states: NextStates, previous: int, relearning: Steps) -> dict[Grade, _Next]:
        """A review card (Anki's review.rs): Again lapses into the relearning steps; Hard, Good and Easy each
        at least a day longer than the one before, and than last time's interval where FSRS asks for more."""
        stay = _in_steps(Grade.AGAIN, 0, relearning)
        if stay is not None:
            lapse = _Next(RELEARNING, *stay, None, states.again.memory)
        else:
            lapse = self.graduate(states.again, RELEARNING, 0, relearning)
            if lapse.days is not None:  # Anki neither fuzzes nor caps a lapse's interval
                lapse = lapse._replace(days=max(round_days(states.again.interval), 1))
        found = {Grade.AGAIN: lapse}
        shortest = 1
        for grade, item in ((Grade.HARD, states.hard), (Grade.GOOD, states.good), (Grade.EASY, states.easy)):
            minimum = max(minimum_review_fuzz_interval(item.interval, previous, self.maximum), shortest)
            days = self.fuzzed(item.interval, min(max(minimum, 1), self.maximum), self.maximum)
            found[grade] = _Next(REVIEW, None, None, days, item.memory)
            shortest = days + 1
        return found


def _in_steps(grade: Grade, step: int, steps: Steps) -> tuple[int, int] | None:
    """Again, Hard or Good keeping a card in its steps: (the step it goes to, seconds until it is due);
    None when the grade takes it out of them (there is no step for it; Easy never keeps it)."""
    if grade is Grade.AGAIN:
        return (0, secs) if (secs := steps.again_secs()) is not None else None
    if grade is Grade.HARD:
        return (step, secs) if (secs := steps.hard_secs(step)) is not None else None
    if grade is Grade.GOOD:
        return (step + 1, secs) if (secs := steps.good_secs(step)) is not None else None
    return None


def intervals(outcomes: dict[Grade, CardState], now: datetime) -> dict[Grade, timedelta]:
    """How long from `now` until each outcome (of Scheduler.outcomes, which always sets a due time) is due."""
    found: dict[Grade, timedelta] = {}
    for grade, after in outcomes.items():
        assert after.due is not None
        found[grade] = after.due - now
    return found


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: 1m, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(delta.total_seconds(), 0)
    if seconds < 3600:
        return f"{max(round(seconds / 60), 1)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
