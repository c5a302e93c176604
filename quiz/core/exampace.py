"""Pacing an exam's new cards: how many of them a day must introduce so every one is seen before the exam,
and how many of them today's queue still takes first.

The pace is the exam's cards not studied yet at the start of the study day / the study days left before
the exam day (the plan's "new cards per day needed"). It is set once a day: the cards introduced today
are counted back in, so studying them does not lower today's pace, and the count (every card's stored
state, read once) is kept for the rest of the day in this process; each queue then reads only today's
answers. Exams whose day has come or that were removed pace nothing."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from quiz.core.clock import day_start, study_day
from quiz.core.examdates import ExamDate, read_exam_dates, upcoming
from quiz.core.model import Card, Deck
from quiz.core.stats import read_deck_counts_by_topic
from quiz.core.store import Store

# (store file, deck id, study day) -> (the deck's cards counted, topic or None -> cards not studied at the
# day's start): counted at the day's first queue, kept while the deck is the same.
_UNSEEN_AT_START: dict[tuple[str, str, date], tuple[tuple[Card, ...], dict[str | None, int]]] = {}
_KEPT_DAYS = 64  # entries kept before the old ones are dropped


class PacedExam(NamedTuple):
    """An exam ahead and its new cards in today's queue: `pace` a day, `left` still to take today."""

    exam: ExamDate
    pace: int
    left: int


def new_pace(new_left: int, days_left: int) -> int:
    """New cards a day that introduce `new_left` cards in `days_left` study days (the exam day not counted)."""
    return math.ceil(new_left / days_left) if days_left > 0 else 0


def paced_exams(
    store: Store, deck: Deck, exams: Iterable[ExamDate], now: datetime, rollover_hour: int
) -> list[PacedExam]:
    """The exams ahead on this deck or its topics, nearest first, each with its pace for today and how many
    of its new cards today's queue still takes first (its pace less those already introduced today)."""
    today = study_day(now, rollover_hour)
    ahead = sorted(
        (exam for exam in upcoming(list(exams), today) if exam.deck_id == deck.id),
        key=lambda exam: (exam.day, exam.topic is not None, exam.topic or ""),
    )
    if not ahead:
        return []
    introduced = introduced_by_topic(store, deck, now, rollover_hour)
    unseen = _unseen_at_start(store, deck, now, rollover_hour, introduced)
    paced = []
    for exam in ahead:
        pace = new_pace(unseen.get(exam.topic, 0), (exam.day - today).days)
        paced.append(PacedExam(exam, pace, max(0, pace - introduced[exam.topic])))
    return paced


class ExamAhead(NamedTuple):
    """What Home shows of an exam ahead: the study days left and the day's pace of its new cards."""

    days: int
    pace: int


def exams_ahead(
    store: Store, decks: Sequence[Deck], now: datetime, rollover_hour: int
) -> dict[tuple[str, str | None], ExamAhead]:
    """(deck id, topic or None) -> its exam, for the exams still ahead on loaded decks."""
    exams, today = read_exam_dates(store), study_day(now, rollover_hour)
    return {
        (paced.exam.deck_id, paced.exam.topic): ExamAhead((paced.exam.day - today).days, paced.pace)
        for deck in decks
        for paced in paced_exams(store, deck, exams, now, rollover_hour)
    }


def introduced_by_topic(store: Store, deck: Deck, now: datetime, rollover_hour: int) -> Counter[str | None]:
    """topic -> the deck's cards introduced today (None: all of them)."""
    index, cards = deck.card_index(), deck.cards
    keys = store.introduced_since(deck.id, day_start(now, rollover_hour))
    topics: Counter[str | None] = Counter(cards[at].topic for key in keys if (at := index.get(key)) is not None)
    topics[None] = sum(topics.values())
    return topics


def _unseen_at_start(
    store: Store, deck: Deck, now: datetime, rollover_hour: int, introduced: Counter[str | None]
) -> dict[str | None, int]:
    """topic -> the deck's cards not studied yet when the study day began (None: the whole deck)."""
    key = (store.path, deck.id, study_day(now, rollover_hour))
    kept = _UNSEEN_AT_START.get(key)
    if kept is not None and kept[0] is deck.cards:
        return kept[1]
    counts = read_deck_counts_by_topic(store, deck, now, rollover_hour)
    unseen = {topic: row.new + introduced[topic] for topic, row in counts.items()}
    if len(_UNSEEN_AT_START) >= _KEPT_DAYS:
        _UNSEEN_AT_START.clear()
    _UNSEEN_AT_START[key] = (deck.cards, unseen)
    return unseen
