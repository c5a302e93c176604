"""Rescheduling review cards after their preset's parameters changed, as Anki's *Reschedule cards on
change* does (rslib/src/scheduler/fsrs/memory_state.rs): each card's memory state is computed afresh from
its answers with the new parameters, and its next review is put that state's interval after its last
answer (never shorter than Anki's minimum for a passing review, fuzzed as a review is). Learning,
relearning and suspended cards are left as they are; so is a card whose answers do not start with its
learning (its memory state cannot be computed from them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from operator import itemgetter

from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from quiz.core.clock import days_later
from quiz.core.events import card_number
from quiz.core.fuzz import fuzz_factor, minimum_review_fuzz_interval, with_review_fuzz
from quiz.core.optimizer import card_reviews, fitting_answer, milliseconds
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import ReviewRecord, Store

_WHEN = itemgetter(4, 0)  # a fitting answer's time, then its id


def reschedule(store: Store, deck_ids: Iterable[str], settings: Settings, now: datetime) -> int:
    """Reschedule the review cards of these decks (which all use `settings`); returns how many moved."""
    scheduler = Scheduler(settings)
    engine = FSRS(list(scheduler.parameters))
    end_ms = milliseconds(scheduler.day_end(now))
    moved = 0
    for deck_id in deck_ids:
        by_card: dict[str, list[ReviewRecord]] = defaultdict(list)
        for record in store.reviews(deck_id):
            by_card[record.card_key].append(record)
        changed = {}
        for card_key, state in store.states(deck_id).items():
            answers = by_card.get(card_key)
            if not state.is_review or state.suspended or not answers or state.last_review is None:
                continue
            reviews = card_reviews(sorted(map(fitting_answer, answers), key=_WHEN), end_ms)
            if not reviews:
                continue
            memory = engine.memory_state(FSRSItem([FSRSReview(answer.grade, days) for answer, days in reviews]))
            interval = engine.next_interval(memory.stability, settings.desired_retention, 0)
            last = answers[-1].state_before
            previous = scheduler.scheduled_days(last) if last is not None and last.is_review else 0
            maximum = max(settings.maximum_interval_days, 1)
            minimum = max(minimum_review_fuzz_interval(interval, previous, maximum), 1)
            # the fuzz of the answer that set the card's interval, as Anki's reschedule takes (its reps - 1)
            factor = fuzz_factor(card_number(deck_id, card_key) + state.reps - 1) if settings.fuzz else None
            days = with_review_fuzz(factor, interval, minimum, maximum)
            changed[card_key] = replace(
                state,
                stability=memory.stability,
                difficulty=memory.difficulty,
                due=days_later(state.last_review, days, settings.rollover_hour),
            )
        if changed:
            store.set_states(deck_id, changed)
            moved += len(changed)
    return moved
