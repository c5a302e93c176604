"""Numbers for the stats screen, `list` and `stats --json`: counts, forecast, history, retention, mastery,
and the study days their charts run over."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import NamedTuple

from quiz.core.cardstate import effective_state
from quiz.core.clock import day_end, day_start, study_day, study_days_after, window_start
from quiz.core.kindnames import KIND_NAMES
from quiz.core.library import card_groups
from quiz.core.model import Deck, Grade, Mode
from quiz.core.presets import DeckSettings, deck_settings
from quiz.core.store import BURIED_NEW, DUE, LEARNING, SEEN, SUSPENDED, RetentionAnswer, Store, state_code

RETENTION_SLACK = 0.02  # true retention this far below the target still counts as on target


@dataclass(frozen=True, slots=True)
class DeckCounts:
    new: int
    learning: int
    due: int
    suspended: int
    total: int


# A card of this kind whose state has this code counts in: 0 new, 1 learning, 2 due, 3 suspended (-1: none).
# A code of another kind (the card's kind changed), or no code (no state, or a plain new one), is new.
_COLUMNS: dict[str, dict[str, int]] = {
    kind: {
        state_code(SUSPENDED, kind): 3,
        state_code(LEARNING, kind): 1,
        state_code(DUE, kind): 2,
        state_code(SEEN, kind): -1,
        state_code(BURIED_NEW, kind): 0,
    }
    for kind in KIND_NAMES
}


def read_deck_counts_by_topic(
    store: Store, deck: Deck, now: datetime, rollover_hour: int = 4
) -> dict[str | None, DeckCounts]:
    """New / learning / due-today / suspended counts before daily limits (like Anki's deck list), for the whole
    deck (key None) and each topic its cards use. The store gives one short code per stored state and no
    CardState is built (a 100,000-state deck in tens of milliseconds, not a second)."""
    codes = store.state_codes(deck.id, day_end(now, rollover_hour), now)
    rows: dict[str, list[int]] = {}  # topic -> [new, learning, due, suspended, total]
    for topic, kind, keys in card_groups(deck):
        row = rows.get(topic)
        if row is None:
            row = rows[topic] = [0, 0, 0, 0, 0]
        row[0] += len(keys)  # new, until a stored state says otherwise
        row[4] += len(keys)
        if not codes:
            continue
        columns = _COLUMNS[kind]
        for code, cards in Counter(filter(None, map(codes.get, keys))).items():  # codes are one character
            column = columns.get(code, 0)
            if column != 0:
                row[0] -= cards
                if column > 0:
                    row[column] += cards
    counts: dict[str | None, DeckCounts] = {topic: DeckCounts(*row) for topic, row in rows.items()}
    counts[None] = DeckCounts(*(sum(column) for column in zip(*rows.values(), strict=True)) if rows else (0,) * 5)
    return counts


def limits_left(store: Store, deck_id: str, settings: DeckSettings, now: datetime) -> tuple[int, int]:
    """How many new cards and reviews the day's limits (the deck's preset's) still allow in this deck
    (answers since the day began count; a card suspended or buried does not)."""
    rollover = settings.base.rollover_hour
    done = store.deck_answers_since(deck_id, day_start(now, rollover), day_end(now, rollover))
    limits = settings.of(deck_id)
    return max(0, limits.new_per_day - len(done.introduced)), max(0, limits.reviews_per_day - done.reviews)


def within_limits(counts: DeckCounts, new_left: int, reviews_left: int) -> DeckCounts:
    """What today brings of these cards, as Anki's deck list counts them: new cards and reviews only as many
    as the day's limits allow, every learning card."""
    return replace(counts, new=min(counts.new, new_left), due=min(counts.due, reviews_left))


def read_deck_counts(
    store: Store, deck: Deck, now: datetime, rollover_hour: int = 4, topic: str | None = None
) -> DeckCounts:
    """The counts of the deck, or of one topic in it."""
    return read_deck_counts_by_topic(store, deck, now, rollover_hour).get(topic, DeckCounts(0, 0, 0, 0, 0))


def due_today(decks: list[Deck], store: Store, now: datetime, rollover_hour: int = 4) -> int:
    """Reviews due today in all the decks, before daily limits."""
    return sum(read_deck_counts(store, deck, now, rollover_hour).due for deck in decks)


def card_state_breakdown(decks: list[Deck], store: Store) -> dict[str, int]:
    """How many cards are new, learning, young (< 21 days), mature, suspended."""
    counts: Counter[str] = Counter()
    for deck in decks:
        states = store.states(deck.id)
        for card in deck.cards:
            state = effective_state(card, states.get(card.key))
            if state.suspended:
                counts["suspended"] += 1
            elif state.is_new:
                counts["new"] += 1
            elif state.is_learning:
                counts["learning"] += 1
            elif (state.stability or 0) >= 21:
                counts["mature"] += 1
            else:
                counts["young"] += 1
    return {k: counts[k] for k in ("new", "learning", "young", "mature", "suspended")}


def due_forecast(decks: list[Deck], store: Store, now: datetime, days: int = 30, rollover_hour: int = 4) -> list[int]:
    """Cards falling due on each of the next `days` study days (overdue ones count today)."""
    today = study_day(now, rollover_hour)
    forecast = [0] * days
    for deck in decks:
        states = store.states(deck.id)
        for card in deck.cards:
            state = effective_state(card, states.get(card.key))
            if state.is_new or state.suspended or state.due is None:
                continue
            index = max(study_days_after(state.due, today, rollover_hour), 0)
            if index < days:
                forecast[index] += 1
    return forecast


def answers_by_mode(store: Store, since: datetime | None = None) -> dict[str, int]:
    """Answers logged per mode (every mode, review first), since `since` or ever. Only review answers move
    the schedule; practice and exam answers are logged beside them."""
    counts = store.answer_counts(since)
    return {mode.value: counts.get(mode.value, 0) for mode in Mode}


def reviews_per_day(store: Store, now: datetime, days: int = 30, rollover_hour: int = 4) -> list[int]:
    """Scheduled answers on each of the last `days` study days, oldest first."""
    start = window_start(now, days, rollover_hour)
    first = study_day(start, rollover_hour)
    counts = [0] * days
    for answered_at in store.answer_times(start, Mode.REVIEW):
        day = study_days_after(answered_at, first, rollover_hour)
        if day < days:  # not one dated ahead (a device whose clock is ahead)
            counts[day] += 1
    return counts


def days_studied(counts: list[int]) -> int:
    """How many of the days in `counts` (reviews_per_day) have answers."""
    return sum(1 for count in counts if count)


def streaks(counts: list[int]) -> tuple[int, int]:
    """(current, longest) run of days with answers in `counts` (oldest first, today last). The current
    run ends today, or yesterday while today has none yet (the day is not over)."""
    longest = run = 0
    for count in counts:
        run = run + 1 if count else 0
        longest = max(longest, run)
    current = 0
    for count in reversed(counts[:-1] if counts and not counts[-1] else counts):
        if not count:
            break
        current += 1
    return current, longest


def was_passed(record: RetentionAnswer) -> bool:
    return record.grade > Grade.AGAIN


@dataclass(frozen=True, slots=True)
class RetentionTarget:
    """The desired retention some answers aimed at: the one of each answer's deck's preset, averaged over the
    answers (decks on other presets aim elsewhere). With no answers, those of the presets of the decks ever
    answered (in any mode: a deck still in learning aims at its preset's too), averaged over those decks; with
    none, Default's."""

    value: float
    mixed: bool  # the presets ask for different retentions: `value` is their average, perhaps no preset's own


def target_words(target: RetentionTarget) -> str:
    """The target as Stats and `quiz stats` say it: "85%", or "90%, your decks' average" when the decks' presets
    ask for different retentions (their average may be no preset's own)."""
    return f"{target.value:.0%}, your decks' average" if target.mixed else f"{target.value:.0%}"


class FallbackTarget:
    """The target of a figure with no answers in its window (see RetentionTarget), read when a figure first asks
    for it and then kept: the figures of one Stats draw read it once. It reads only the ids of the decks answered
    (Store.answered_decks), not the log's rows: a store of 500,000 answers took seconds to read so. Only the decks
    `in_library` count (a deck deleted since, on Default's options now, is no deck of hers); None: every deck."""

    def __init__(self, store: Store, in_library: Collection[str] | None = None) -> None:
        self._store = store
        self._in_library = in_library

    @cached_property
    def target(self) -> RetentionTarget:
        answered = self._store.answered_decks()
        if self._in_library is not None:
            answered = [deck for deck in answered if deck in self._in_library]
        return _average_aim(deck_settings(self._store), answered)


class TrueRetention(NamedTuple):
    retention: float | None  # passed / answered; None: no answers
    counted: int
    target: RetentionTarget  # what these answers aimed at


def true_retention(
    store: Store, now: datetime, days: int = 30, fallback: FallbackTarget | None = None
) -> TrueRetention:
    """Share of review-state cards passed (grade above Again) in the last `days`, how many counted, and the
    retention they aimed at (with none counted, `fallback`'s: pass the one the other figures drawn use)."""
    records = store.retention_answers(now - timedelta(days=days))
    target = _target_of(store, records, fallback)
    if not records:
        return TrueRetention(None, 0, target)
    return TrueRetention(sum(map(was_passed, records)) / len(records), len(records), target)


def _target_of(store: Store, records: list[RetentionAnswer], fallback: FallbackTarget | None) -> RetentionTarget:
    """What these answers aimed at (RetentionTarget); with none, `fallback`'s (a new one's if None)."""
    if not records:
        return (fallback or FallbackTarget(store)).target
    return _average_aim(deck_settings(store), [record.deck_id for record in records])


def _average_aim(settings: DeckSettings, deck_ids: list[str]) -> RetentionTarget:
    """The desired retentions of these decks' presets (a deck once per answer counted), averaged; Default's
    with none."""
    aims = [settings.of(deck).desired_retention for deck in deck_ids] or [settings.base.desired_retention]
    return RetentionTarget(sum(aims) / len(aims), len(set(aims)) > 1)


def on_target(retention: float, desired: float) -> bool:
    return retention >= desired - RETENTION_SLACK


@dataclass(frozen=True, slots=True)
class WeekRetention:
    start: date
    retention: float | None  # None: no review-state answers that week
    count: int


def retention_by_week(
    store: Store, now: datetime, weeks: int = 8, rollover_hour: int = 4, fallback: FallbackTarget | None = None
) -> tuple[list[WeekRetention], RetentionTarget]:
    """True retention (passed / answered, review-state cards only) per week, oldest first, and the retention
    the answers of those weeks aimed at (with none, `fallback`'s, as true_retention)."""
    first = window_start(now, 7 * weeks, rollover_hour)
    start = study_day(first, rollover_hour)
    passed = [0] * weeks
    counted = [0] * weeks
    records = store.retention_answers(first)
    for record in records:
        index = min(study_days_after(record.reviewed_at, start, rollover_hour) // 7, weeks - 1)
        counted[index] += 1
        passed[index] += was_passed(record)
    by_week = [
        WeekRetention(start + timedelta(days=7 * i), passed[i] / counted[i] if counted[i] else None, counted[i])
        for i in range(weeks)
    ]
    return by_week, _target_of(store, records, fallback)


def topic_mastery(deck: Deck, store: Store) -> dict[str, float]:
    """Per topic: the share of its cards that are in review (learnt at least once) and not lapsed since."""
    states = store.states(deck.id)
    totals: Counter[str] = Counter()
    known: Counter[str] = Counter()
    for card in deck.cards:
        totals[card.topic] += 1
        state = effective_state(card, states.get(card.key))
        known[card.topic] += state.is_review
    return {topic: known[topic] / totals[topic] for topic in deck.topic_ids() if totals[topic]}


def mastery_by_deck(decks: list[Deck], store: Store) -> list[tuple[str, list[tuple[str, float]]]]:
    """(deck title, [(topic title, share mastered)]) per deck: the Stats screen groups the topics under it."""
    return [
        (deck.title, [(deck.topic_title(topic) if topic else "(no topic)", share) for topic, share in mastery.items()])
        for deck in decks
        if (mastery := topic_mastery(deck, store))
    ]


def study_days(now: datetime, days: int, rollover_hour: int = 4, past: bool = False) -> list[date]:
    """The local dates of `days` study days: the coming ones from today, or (past) the last ones up to today."""
    today = study_day(now, rollover_hour)
    if past:
        return [today - timedelta(days=days - 1 - i) for i in range(days)]
    return [today + timedelta(days=i) for i in range(days)]
