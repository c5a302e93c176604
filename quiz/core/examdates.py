"""Exam dates: a deck, or one topic of it, to be known on a day with at least a target predicted recall.
Kept in the store (progress data, not deck content); several exams on different decks or topics coexist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from quiz.core.clock import LATEST_ANSWER
from quiz.core.model import Card, Deck
from quiz.core.settings import RANGES
from quiz.core.store import Store
from quiz.core.text import quoted, shell_word

TARGETS = RANGES["desired_retention"]  # an exam's target is a retention, with the same bounds
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a day written as asked, which the calendar may still lack
# The furthest an exam may be: the longest interval a card can get (a century). The plan follows each day up
# to the exam, and intervals past one set at 9999-12-31 ran off the calendar (a traceback on every plan).
FURTHEST_AHEAD = timedelta(days=RANGES["maximum_interval_days"].high)
# Later than any day quiz takes on any clock it runs with: kept by an older quiz, or synced from one
_NEVER_TAKEN = LATEST_ANSWER.date() + FURTHEST_AHEAD


class ExamDateError(ValueError):
    """An exam date or target that cannot be used; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class ExamDate:
    deck_id: str
    topic: str | None  # None: the whole deck
    day: date  # the local date of the exam: its study day starts at the rollover hour
    target: float  # the share of its cards to be recalled on the day, as predicted recall

    @property
    def scope(self) -> str:
        """DECK or DECK/TOPIC, as `quiz plan` takes it."""
        return self.deck_id if self.topic is None else f"{self.deck_id}/{self.topic}"

    def covers(self, card: Card) -> bool:
        return card.deck_id == self.deck_id and (self.topic is None or card.topic == self.topic)


def parse_scope(text: str) -> tuple[str, str | None]:
    """DECK or DECK/TOPIC as (deck id, topic or None)."""
    deck_id, _, topic = text.strip().partition("/")
    if not deck_id:
        raise ExamDateError(f"{quoted(text)} names no deck: give DECK or DECK/TOPIC (deck ids: `quiz list`)")
    return deck_id, topic.strip() or None


def check_scope(deck: Deck | None, deck_id: str, topic: str | None) -> None:
    """Raise ExamDateError unless the deck is loaded and has the topic (if one is named)."""
    if deck is None:
        raise ExamDateError(f"no loaded deck has the id {quoted(deck_id)}: `quiz list` shows the deck ids")
    topics = deck.topic_ids()
    if topic is not None and topic not in topics:
        known = ", ".join(t for t in topics if t) or "none"
        raise ExamDateError(f"deck {quoted(deck_id)} has no topic {quoted(topic)}; its topics: {known}")


def target_text(target: float) -> str:
    """A target as the percentage it is: "95%", "87.5%" (0.875 shown as "88%" read as another target, and a
    prediction of 87.6% as short of it)."""
    return f"{target * 100:g}%"


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        if _ISO_DAY.fullmatch(text.strip()):  # written right, but no such day (2027-02-29, 2027-04-31)
            raise ExamDateError(
                f"{quoted(text)} is no day of the calendar ({error}): check the month and day"
            ) from None
        raise ExamDateError(f"{quoted(text)} is not a date: write it as YYYY-MM-DD, e.g. 2027-01-15") from None


def checked_target(target: float) -> float:
    if not TARGETS.holds(target):
        raise ExamDateError(f"the target is a predicted recall {TARGETS}, not {target}: e.g. 0.95 for 95 %")
    return target


def _stored_exam_dates(store: Store) -> list[ExamDate]:
    """Every exam date whose day reads as a date, soonest first (another row is left out, not lost)."""
    found = []
    for deck_id, topic, day, target in store.exam_dates():
        try:
            found.append(ExamDate(deck_id, topic or None, date.fromisoformat(day), target))
        except ValueError:
            continue
    return found


def read_exam_dates(store: Store) -> list[ExamDate]:
    """Every exam date, soonest first, but those later than quiz ever takes (`too_far_exam_dates`)."""
    return [exam for exam in _stored_exam_dates(store) if not is_too_far(exam)]


def is_too_far(exam: ExamDate) -> bool:
    """Whether the exam is later than quiz ever takes, kept by an older quiz or synced from one: a plan to it
    runs off the calendar."""
    return exam.day > _NEVER_TAKEN


def too_far_exam_dates(store: Store) -> list[ExamDate]:
    """The exam dates later than quiz ever takes (`is_too_far`): none is planned, but `quiz plan` and the exam
    date screen name them, to be moved or removed."""
    return [exam for exam in _stored_exam_dates(store) if is_too_far(exam)]


def too_far_reason(exam: ExamDate) -> str:
    """Why an exam later than quiz ever takes has no plan."""
    return (
        f"exam on {exam.day.isoformat()}, too far ahead to plan (a day quiz takes is at most"
        f" {FURTHEST_AHEAD.days} days ahead)"
    )


def too_far(exam: ExamDate) -> str:
    """What `quiz plan` says of an exam date later than quiz ever takes."""
    scope = shell_word(exam.scope)
    return (
        f"{exam.scope}: {too_far_reason(exam)}: move it with `quiz plan {scope} --exam YYYY-MM-DD` or remove it"
        f" with `quiz plan {scope} --remove`"
    )


def set_exam_date(store: Store, exam: ExamDate, today: date) -> None:
    """Set (or move) the exam; its day must come after `today` and its target be a retention."""
    if exam.day <= today:
        raise ExamDateError(f"the exam day {exam.day} is not after today ({today}): give a later date")
    if exam.day > today + FURTHEST_AHEAD:
        raise ExamDateError(
            f"the exam day {exam.day} is more than {FURTHEST_AHEAD.days} days ahead: give a date by"
            f" {today + FURTHEST_AHEAD}"
        )
    checked_target(exam.target)
    store.save_exam_date(exam.deck_id, exam.topic or "", exam.day.isoformat(), exam.target)


def remove_exam_date(store: Store, deck_id: str, topic: str | None) -> bool:
    return store.remove_exam_date(deck_id, topic or "")


def on_topics(exams: list[ExamDate], deck_id: str, topics: set[str]) -> list[ExamDate]:
    """The exams on one of these topics of the deck (those an update of an imported deck left with no card)."""
    return [exam for exam in exams if exam.deck_id == deck_id and exam.topic in topics]


def upcoming(exams: list[ExamDate], today: date) -> list[ExamDate]:
    """The exams still ahead (from the exam day on, normal scheduling resumes)."""
    return [exam for exam in exams if exam.day > today]


def has_passed(exam: ExamDate, today: date) -> bool:
    """Whether the exam day is over: nothing of it is predicted any more, only what happened is shown."""
    return exam.day < today


def not_passed(exams: list[ExamDate], today: date) -> list[ExamDate]:
    """The exams still ahead and those on `today`: the ones Home names beside a deck or topic (`exam in 3d`,
    `exam today`) and Stats' Memory tab gives a day; from the next day on they are gone from both."""
    return [exam for exam in exams if not has_passed(exam, today)]
