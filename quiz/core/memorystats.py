"""What memory holds, per deck and topic: predicted recall now and on an exam day, from each card's memory
state (FSRS's forgetting curve through the engine, with the parameters its deck is scheduled with), beside
what the answers say (the share of answers to cards in review that were right in the last 30 days)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quiz.core.cardstate import effective_state
from quiz.core.clock import study_day
from quiz.core.examdates import ExamDate, not_passed, read_exam_dates
from quiz.core.model import Deck
from quiz.core.presets import deck_settings
from quiz.core.recall import ForgettingCurve, curve_for
from quiz.core.scheduler import Scheduler
from quiz.core.stats import was_passed
from quiz.core.store import Store

ANSWER_DAYS = 30

# What each figure is, in one line (the Stats screen shows them under the table, `quiz stats` with it).
HELP = {
    "studied": "cards answered at least once, of the cards (suspended ones left out)",
    "recall now": "the share of the studied cards predicted recalled today, from their memory states",
    "exam": "the day of the next exam on the deck or topic, shown until the exam day is over",
    "on exam day": "the share of the studied cards predicted recalled on the exam day if you studied no more",
    "right 30d": f"answers to cards in review that were right (not Again) in the last {ANSWER_DAYS} days",
}


@dataclass(frozen=True, slots=True)
class MemoryRow:
    deck_id: str
    topic: str | None  # None: the whole deck
    title: str
    cards: int
    studied: int
    recall_now: float | None  # None: nothing studied
    exam: ExamDate | None
    recall_on_exam: float | None
    answers: int
    right: float | None  # None: no answers to count


@dataclass(slots=True)
class _Tally:
    cards: int = 0
    studied: int = 0
    now: float = 0.0
    on_exam: float = 0.0
    answers: int = 0
    right: int = 0


def memory_rows(store: Store, decks: Sequence[Deck], now: datetime) -> list[MemoryRow]:
    """Each deck's row, then its topics' rows."""
    settings = deck_settings(store)
    rollover = settings.base.rollover_hour
    today = study_day(now, rollover)
    exams = not_passed(read_exam_dates(store), today)  # on the exam day too, as Home names it
    answers = store.retention_answers(now - timedelta(days=ANSWER_DAYS))
    rows = []
    for deck in decks:
        curve = curve_for(Scheduler(settings.of(deck.id)).parameters)
        deck_exam = _exam(exams, deck.id, None)
        topics = deck.topic_ids()
        topic_exams = {topic: _exam(exams, deck.id, topic) or deck_exam for topic in topics}
        tallies = {topic: _Tally() for topic in topics}
        whole = _Tally()
        by_key = _tally_cards(store, deck, curve, today, rollover, deck_exam, topic_exams, tallies, whole)
        for record in answers:
            topic = by_key.get(record.card_key) if record.deck_id == deck.id else None
            if topic is not None:
                for tally in (whole, tallies[topic]):
                    tally.answers += 1
                    tally.right += was_passed(record)
        rows.append(_row(deck.id, None, deck.title, whole, deck_exam))
        rows += [
            _row(deck.id, topic, deck.topic_title(topic) if topic else "(no topic)", tallies[topic], topic_exams[topic])
            for topic in topics
            if tallies[topic].cards
        ]
    return rows


def _tally_cards(
    store: Store,
    deck: Deck,
    curve: ForgettingCurve,
    today: date,
    rollover: int,
    deck_exam: ExamDate | None,
    topic_exams: dict[str, ExamDate | None],
    tallies: dict[str, _Tally],
    whole: _Tally,
) -> dict[str, str]:
    """Add each card to its deck's and its topic's tallies; returns card key -> topic."""
    stored = store.states(deck.id)
    by_key: dict[str, str] = {}
    for card in deck.cards:
        state = effective_state(card, stored.get(card.key))
        by_key[card.key] = card.topic
        if state.suspended:
            continue
        topic_tally = tallies.setdefault(card.topic, _Tally())
        for tally in (whole, topic_tally):
            tally.cards += 1
        if state.is_new or state.stability is None or state.last_review is None:
            continue
        last = study_day(state.last_review, rollover)
        recall_now = curve.recall(state.stability, (today - last).days)
        for tally, exam in ((whole, deck_exam), (topic_tally, topic_exams.get(card.topic))):
            tally.studied += 1
            tally.now += recall_now
            if exam is not None:
                tally.on_exam += curve.recall(state.stability, (exam.day - last).days)
    return by_key


def _exam(exams: Sequence[ExamDate], deck_id: str, topic: str | None) -> ExamDate | None:
    """The soonest exam not passed on exactly this deck or topic."""
    return next((exam for exam in exams if exam.deck_id == deck_id and exam.topic == topic), None)


def _row(deck_id: str, topic: str | None, title: str, tally: _Tally, exam: ExamDate | None) -> MemoryRow:
    studied = tally.studied
    return MemoryRow(
        deck_id=deck_id,
        topic=topic,
        title=title,
        cards=tally.cards,
        studied=studied,
        recall_now=tally.now / studied if studied else None,
        exam=exam,
        recall_on_exam=tally.on_exam / studied if studied and exam is not None else None,
        answers=tally.answers,
        right=tally.right / tally.answers if tally.answers else None,
    )


def share(value: float | None) -> str:
    """A share as the table shows it ("–": nothing to measure it on)."""
    return "–" if value is None else f"{value:.0%}"
