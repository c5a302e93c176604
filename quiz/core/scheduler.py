"""FSRS scheduling through the `fsrs` package, with card state kept in our own plain values."""

from __future__ import annotations

try:  # BLAKE2 without hashlib, whose OpenSSL import costs 2-3 ms at every start
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b
from dataclasses import fields, replace
from datetime import datetime, timedelta

import fsrs

from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW, CardState
from quiz.core.model import Grade
from quiz.core.settings import Settings

_RATINGS = {grade: fsrs.Rating(int(grade)) for grade in Grade}
_PASSING = (Grade.HARD, Grade.GOOD, Grade.EASY)
_DAY = timedelta(days=1)
assert (LEARNING, REVIEW, RELEARNING) == tuple(fsrs.State), "fsrs renumbered its states: update quiz.core.cardstate"
# Scheduler.review builds CardState field by field: a new field must be carried over there too.
assert [f.name for f in fields(CardState)] == [
    "kind",
    "fsrs_state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "suspended",
    "leech",
    "buried_until",
], "CardState changed: update Scheduler.review"


def stable_card_number(deck_id: str, card_key: str) -> int:
    """fsrs wants an integer id: derived from the identity, so it never changes (and never from the clock)."""
    digest = blake2b(f"{deck_id}\0{card_key}".encode(), digest_size=7).digest()
    return int.from_bytes(digest, "big")


class Scheduler:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._fsrs = fsrs.Scheduler(
            desired_retention=settings.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
            relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
            maximum_interval=settings.maximum_interval_days,
            enable_fuzzing=settings.fuzz,
        )

    def _to_fsrs(self, number: int, state: CardState, now: datetime) -> fsrs.Card:
        if state.is_new:
            return fsrs.Card(card_id=number, due=now)
        return fsrs.Card(
            card_id=number,
            state=fsrs.State(state.fsrs_state),
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due,
            last_review=state.last_review,
        )

    def review(self, number: int, state: CardState, grade: Grade, now: datetime) -> CardState:
        """The card's state after answering it with `grade` at `now`."""
        if state.is_review and grade in _PASSING:  # its interval depends on the other passing grades'
            return self.outcomes(number, state, now)[grade]
        return self._review(number, state, grade, now)

    def replay(self, number: int, state: CardState, grade: Grade, now: datetime, due: datetime | None) -> CardState:
        """The state after an answer given in another program (its review log replayed): FSRS's memory state,
        with the due date that program gave (`due`), else FSRS's own. One FSRS step: the passing intervals
        are not spread, as `review` does, since the due date is not quiz's to choose."""
        after = self._review(number, state, grade, now)
        return after if due is None else replace(after, due=due)

    def _review(self, number: int, state: CardState, grade: Grade, now: datetime) -> CardState:
        """What fsrs makes of the answer, before the passing intervals of a review card are spread apart."""
        card, _ = self._fsrs.review_card(self._to_fsrs(number, state, now), _RATINGS[grade], now)
        lapsed = state.fsrs_state == REVIEW and grade is Grade.AGAIN
        # CardState(...) rather than dataclasses.replace: this runs four times per answer (the previews).
        return CardState(
            kind=state.kind,
            fsrs_state=int(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
            reps=state.reps + 1,
            lapses=state.lapses + lapsed,
            suspended=state.suspended,
            leech=state.leech,
            buried_until=state.buried_until,
        )

    def outcomes(self, number: int, state: CardState, now: datetime) -> dict[Grade, CardState]:
        """The card's state after each grade at `now`: what the grade bar shows and what a grade applies."""
        found = {grade: self._review(number, state, grade, now) for grade in Grade}
        if state.is_review:
            _spread_passing(found, now, self.settings.maximum_interval_days)
        return found

    def preview(self, number: int, state: CardState, now: datetime) -> dict[Grade, timedelta]:
        """How long until the card is due again for each grade (with fuzz, one draw of it)."""
        return intervals(self.outcomes(number, state, now), now)


def _spread_passing(outcomes: dict[Grade, CardState], now: datetime, maximum_days: int) -> None:
    """Anki's rule for a review card answered Hard, Good or Easy (constrain_passing_interval in its
    rslib/src/scheduler/states/review.rs): Hard at least a day, Good at least a day longer than Hard, Easy at
    least a day longer than Good, none longer than the maximum interval, which wins. FSRS alone can give
    all three the same day when stability is low. Only the due date moves; stability and difficulty are
    FSRS's, as in Anki."""
    shortest = 1
    for grade in _PASSING:
        after = outcomes[grade]
        assert after.due is not None
        days = min(max(round((after.due - now) / _DAY), shortest), maximum_days)
        outcomes[grade] = replace(after, due=now + days * _DAY)
        shortest = days + 1


def intervals(outcomes: dict[Grade, CardState], now: datetime) -> dict[Grade, timedelta]:
    """How long from `now` until each outcome (of Scheduler.review, which always sets a due time) is due."""
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
