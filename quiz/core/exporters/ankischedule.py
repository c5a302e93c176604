"""quiz's schedule and review log as the rows of an Anki collection (schema 11): `cards` scheduling columns,
`revlog` rows and the collection's creation day. Plain values only; the .apkg writer puts them in the file.

Anki counts review days from the collection's creation (`col.crt`); its importer moves a card's day number
by how far the package's "today" is from the target collection's, so only "how many days from today" has to
be right. The package is written with the v2 timing Anki uses today (a `creationOffset`, the rollover
hour): a day number is then the number of quiz study days (local dates, starting at the rollover hour)
since the study day the collection was created on, exactly as `quiz.core.clock.day_start` counts them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW, CardState, effective_state
from quiz.core.clock import day_start, study_day, study_days_after
from quiz.core.model import Card, Mode
from quiz.core.settings import Settings
from quiz.core.store import ReviewRecord

NEW_TYPE, LEARN_TYPE, REVIEW_TYPE, RELEARN_TYPE = 0, 1, 2, 3  # cards.type
SUSPENDED, USER_BURIED, NEW_QUEUE, LEARN_QUEUE, REVIEW_QUEUE, DAY_LEARN_QUEUE = -1, -3, 0, 1, 2, 3  # cards.queue
LEARN_LOG, REVIEW_LOG, RELEARN_LOG = 0, 1, 2  # revlog.type
DEFAULT_FACTOR = 2500  # Anki's starting ease, in permille
LEECH_TAG = "leech"  # the tag Anki gives a leech


@dataclass(frozen=True)
class Progress:
    """What `--with-scheduling` exports: the deck's card states by card key, its answers (only review-mode ones
    go to Anki: practice and exam answers never move a schedule, and Anki has no place for them), the
    settings and now."""

    states: Mapping[str, CardState]
    reviews: Sequence[ReviewRecord]
    settings: Settings
    now: datetime


@dataclass(frozen=True)
class CardRow:
    """The scheduling columns of one row of Anki's `cards` table."""

    type: int = NEW_TYPE
    queue: int = NEW_QUEUE
    due: int = 0
    ivl: int = 0
    factor: int = 0
    reps: int = 0
    lapses: int = 0
    left: int = 0
    data: str = ""


@dataclass(frozen=True)
class RevlogRow:
    id: int  # milliseconds since the epoch, unique in the file
    ease: int
    ivl: int  # days when positive, seconds when negative (a learning step)
    last_ivl: int
    factor: int
    time: int  # milliseconds
    type: int


class AnkiDays:
    """Day numbers of one exported collection: study days since the one it was created on."""

    def __init__(self, progress: Progress) -> None:
        self.rollover = progress.settings.rollover_hour
        moments = [progress.now, *(r.reviewed_at for r in progress.reviews)]
        moments += [s.due for s in progress.states.values() if s.due is not None]
        self.created = day_start(min(moments), self.rollover)  # no day number is negative
        self._created_day = study_day(self.created, self.rollover)

    def day(self, moment: datetime) -> int:
        return study_days_after(moment, self._created_day, self.rollover)

    def collection_config(self) -> dict[str, Any]:
        """What `col.crt` and `col.conf` need so that Anki counts days as `day` does."""
        offset = self.created.astimezone().utcoffset()
        minutes_west = -int(offset.total_seconds()) // 60 if offset is not None else 0
        return {
            "crt": int(self.created.timestamp()),
            "conf": {"schedVer": 2, "sched2021": True, "rollover": self.rollover, "creationOffset": minutes_west},
        }


class Schedule:
    """A deck's progress as Anki's rows, card by card, in the order the cards are written."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.days = progress, AnkiDays(progress)
        self.reviews: dict[str, list[ReviewRecord]] = {}
        for record in progress.reviews:
            self.reviews.setdefault(record.card_key, []).append(record)

    def state(self, card: Card) -> CardState:
        return effective_state(card, self.progress.states.get(card.key))

    def rows(self, card: Card, position: int) -> tuple[CardRow, list[RevlogRow]]:
        """The card's row (`position`: its place among the new cards) and its review log's."""
        row = card_row(self.state(card), position, self.days, self.progress)
        return row, revlog_rows(self.reviews.get(card.key, ()), self.days)


def card_row(state: CardState, position: int, days: AnkiDays, progress: Progress) -> CardRow:
    """A card's row; `position` orders the new cards as the deck does."""
    if state.is_new or state.due is None:
        return CardRow(due=position, queue=_hidden(state, progress) or NEW_QUEUE)
    settings = progress.settings
    memory = ""
    if state.stability is not None and state.difficulty is not None:
        memory_state: dict[str, Any] = {
            "s": round(state.stability, 4),
            "d": round(state.difficulty, 3),
            "dr": round(settings.desired_retention, 2),
        }
        if state.last_review is not None:
            memory_state["lrt"] = int(state.last_review.timestamp())
        memory = json.dumps(memory_state, separators=(",", ":"))
    due_day = days.day(state.due)
    if state.fsrs_state == REVIEW:
        row = CardRow(
            REVIEW_TYPE, REVIEW_QUEUE, due_day, _review_days(state, days), DEFAULT_FACTOR, state.reps, state.lapses
        )
    else:
        steps = settings.learning_steps_minutes if state.fsrs_state == LEARNING else settings.relearning_steps_minutes
        left = max(len(steps) - (state.step or 0), 1)
        today = due_day <= days.day(progress.now)  # Anki keeps a step that ends on a later day in days
        queue, due = (LEARN_QUEUE, int(state.due.timestamp())) if today else (DAY_LEARN_QUEUE, due_day)
        relearning = state.fsrs_state == RELEARNING
        row = CardRow(
            RELEARN_TYPE if relearning else LEARN_TYPE,
            queue,
            due,
            1 if relearning else 0,
            DEFAULT_FACTOR if relearning else 0,
            state.reps,
            state.lapses,
            left,
        )
    hidden = _hidden(state, progress)
    return replace(row, data=memory, queue=row.queue if hidden is None else hidden)


def _hidden(state: CardState, progress: Progress) -> int | None:
    """Suspended wins over buried; a bury lasts the study day, as quiz's does."""
    if state.suspended:
        return SUSPENDED
    if state.buried_until is not None and state.buried_until > progress.now:
        return USER_BURIED
    return None


def _review_days(state: CardState, days: AnkiDays) -> int:
    assert state.due is not None
    start = state.last_review or state.due
    return max(days.day(state.due) - days.day(start), 1)


def _interval(state: CardState | None, days: AnkiDays) -> int:
    """Anki's revlog interval of a state: days for a review card, minus the seconds of a learning step."""
    if state is None or state.is_new or state.due is None:
        return 0
    if state.fsrs_state == REVIEW:
        return _review_days(state, days)
    start = state.last_review or state.due
    return -max(int((state.due - start).total_seconds()), 1)


def _log_type(before: CardState | None) -> int:
    if before is not None and before.fsrs_state == REVIEW:
        return REVIEW_LOG
    if before is not None and before.fsrs_state == RELEARNING:
        return RELEARN_LOG
    return LEARN_LOG


def revlog_rows(records: Iterable[ReviewRecord], days: AnkiDays) -> list[RevlogRow]:
    """One card's review-mode answers, oldest first. Each row's id is the answer's log id, as Anki's are: its
    millisecond, or the next one free (quiz.core.answerlog), so unique (Anki drops a row whose id it has)."""
    rows = []
    for record in sorted(records, key=lambda r: r.reviewed_at):
        if record.mode is not Mode.REVIEW:
            continue
        after = record.state_after
        has_ease = after.fsrs_state in (REVIEW, RELEARNING)  # Anki gives a card its ease when it graduates
        rows.append(
            RevlogRow(
                record.id,
                int(record.grade),
                _interval(after, days),
                _interval(record.state_before, days),
                DEFAULT_FACTOR if has_ease else 0,
                record.duration_ms,
                _log_type(record.state_before),
            )
        )
    return rows
