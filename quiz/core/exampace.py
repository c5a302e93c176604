"""Pacing an exam's new cards: how many of them a day must introduce so every one is seen before the exam,
and how many of them today's queue still takes first.

The pace is the exam's cards not studied yet at the start of the study day / the study days left until the
last day a new card can still reach the target by the exam (`examplan.exam_pace`, the plan's "new cards per
day needed"). It is set once a day: the cards introduced today
are counted back in, so studying them does not lower today's pace, and the count (every card's stored
state, read once; Home gives the counts it has) is kept for the rest of the day in this process; each
queue then reads only today's answers. Exams whose day has come or that were removed pace nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from quiz.core.clock import study_day
from quiz.core.examdates import ExamDate, read_exam_dates, upcoming
from quiz.core.model import Deck
from quiz.core.presets import deck_settings
from quiz.core.settings import Settings
from quiz.core.stats import DeckCounts, read_deck_counts_by_topic
from quiz.core.store import Store

# (store file, deck id, study day) -> (the deck counted, topic or None -> its cards not studied at the day's
# start): counted by the day's first queue or Home, kept while the deck is the same (loaded again: counted).
_UNSEEN_AT_START: dict[tuple[str, str, date], tuple[Deck, dict[str | None, int]]] = {}
_KEPT = 64  # decks counted before the counts are all dropped


class PacedExam(NamedTuple):
    """An exam ahead and its new cards in today's queue: `pace` a day, `left` still to take today."""

    exam: ExamDate
    pace: int
    left: int


def paced_exams(
    store: Store,
    deck: Deck,
    exams: Iterable[ExamDate],
    now: datetime,
    rollover_hour: int,
    settings: Settings,
    counts: dict[str | None, DeckCounts] | None = None,
) -> list[PacedExam]:
    """The exams ahead on this deck or its topics, nearest first, each with its pace for today (`exam_pace`,
    with the deck's `settings`) and how many of its new cards today's queue still takes first (its pace less
    those already introduced today). `counts`: the deck's counts now (`read_deck_counts_by_topic`), when the
    caller has them."""
    today = study_day(now, rollover_hour)
    ahead = sorted(
        (exam for exam in upcoming(list(exams), today) if exam.deck_id == deck.id),
        key=lambda exam: (exam.day, exam.topic is not None, exam.topic or ""),
    )
    if not ahead:
        return []
    # The plan and the engine load only with an exam ahead: Home imports this module at start.
    from quiz.core.examplan import exam_pace, introduced_by_topic
    from quiz.core.recall import curve_for
    from quiz.core.scheduler import Scheduler

    introduced = introduced_by_topic(store, deck, now, rollover_hour)
    unseen = _unseen_at_start(store, deck, now, rollover_hour, introduced, counts)
    curve = curve_for(Scheduler(settings).parameters)
    paced = []
    for exam in ahead:
        pace = exam_pace(unseen.get(exam.topic, 0), exam, today, settings, curve)
        paced.append(PacedExam(exam, pace, max(0, pace - introduced[exam.topic])))
    return paced


def pace_together(paced: Iterable[PacedExam], new_per_day: int) -> int | None:
    """The new cards a day two or more exams on a deck's topics need together, when that is more than the
    deck's `new_per_day` they share (None otherwise): the nearest takes its pace first, so a later one falls
    behind though each pace alone fits. An exam on the whole deck is not counted: its cards come in deck order."""
    paces = [entry.pace for entry in paced if entry.exam.topic is not None]
    return sum(paces) if len(paces) > 1 and sum(paces) > new_per_day else None


def deck_pace_together(store: Store, deck: Deck, now: datetime) -> int | None:
    """`pace_together` of the deck's exams ahead, paced as today's queue paces them, with its preset's limit."""
    settings = deck_settings(store)
    own = settings.of(deck.id)
    paced = paced_exams(store, deck, read_exam_dates(store), now, settings.base.rollover_hour, own)
    return pace_together(paced, own.new_per_day)


def beyond_reach(paced: PacedExam, today: date, settings: Settings) -> bool:
    """Whether even a new card of the exam introduced today is predicted short of its target on the exam day
    (its pace then asks for all of them today, which comes nearest): with the deck's `settings`."""
    from quiz.core.examplan import lead_days
    from quiz.core.recall import curve_for
    from quiz.core.scheduler import Scheduler

    days_left = (paced.exam.day - today).days
    return lead_days(paced.exam.target, settings, curve_for(Scheduler(settings).parameters), days_left) is None


def _unseen_at_start(
    store: Store,
    deck: Deck,
    now: datetime,
    rollover_hour: int,
    introduced: Counter[str | None],
    counts: dict[str | None, DeckCounts] | None,
) -> dict[str | None, int]:
    """topic -> the deck's cards not studied yet when the study day began (None: the whole deck): from
    `counts` if given, else as counted earlier today for this deck, else counted now."""
    key = (store.path, deck.id, study_day(now, rollover_hour))
    kept = _UNSEEN_AT_START.get(key)
    if counts is None and kept is not None and kept[0] is deck:
        return kept[1]
    if counts is None:
        counts = read_deck_counts_by_topic(store, deck, now, rollover_hour)
    unseen = {topic: row.new + introduced[topic] for topic, row in counts.items()}
    for other in [other for other in _UNSEEN_AT_START if other[:2] == key[:2]]:  # another day's, or deck's
        del _UNSEEN_AT_START[other]
    if len(_UNSEEN_AT_START) >= _KEPT:
        _UNSEEN_AT_START.clear()
    _UNSEEN_AT_START[key] = (deck, unseen)
    return unseen
