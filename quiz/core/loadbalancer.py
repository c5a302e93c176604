"""Anki's load balancer and easy days (rslib/src/scheduler/states/load_balancer.rs): when fuzz picks a
review's day, it weighs each day of the fuzz range by how many cards of the same preset are already due
then (fewer is likelier), keeps a card away from its siblings (Card.sibling_group), and lightens the weekdays the
preset's easy days name. Only intervals up to 90 days are balanced, as in Anki; the draw is the card's fuzz
draw for this answer, so a preview and the grade agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW
from quiz.core.clock import day_end, day_start, study_day, study_days_after
from quiz.core.identity import note_id_of
from quiz.core.store import Store

MAX_BALANCED_INTERVAL = 90
BALANCED_DAYS = 99  # int(90 * 1.1): the days ahead (today first) whose due cards are counted
_SIBLING_MODIFIERS = {-5: 1.0, -4: 0.8, -3: 0.6, -2: 0.4, -1: 0.2, 0: 0.000001, 1: 0.2, 2: 0.4, 3: 0.6, 4: 0.8, 5: 1.0}
_MINIMUM, _REDUCED, _NORMAL = 0.0001, 0.5, 1.0  # how much of its load a day takes, by its easy-day share


def easy_day_load(share: float) -> float:
    """A weekday's easy-days share (1: a normal day, 0: as few reviews as can be, else: fewer) as Anki
    reads it."""
    return _NORMAL if share == 1.0 else _MINIMUM if share == 0.0 else _REDUCED


@dataclass
class LoadBalancer:
    """The cards due on each of the next BALANCED_DAYS days (index 0: today): how many per preset, and on
    which days each note has cards."""

    first_weekday: int  # today's weekday, 0 = Monday
    easy_days: dict[str, tuple[float, ...]]  # preset -> its share of each weekday's load, Monday first
    days: dict[str, list[int]] = field(default_factory=dict)  # preset -> cards due on each day
    notes: dict[str, Counter[int]] = field(default_factory=dict)  # note -> day -> its cards due then

    def _preset_days(self, preset: str) -> list[int]:
        found = self.days.get(preset)
        if found is None:
            found = self.days[preset] = [0] * BALANCED_DAYS
        return found

    def add(self, preset: str, note: str, day: int) -> None:
        if 0 <= day < BALANCED_DAYS:
            self._preset_days(preset)[day] += 1
            self.notes.setdefault(note, Counter())[day] += 1

    def find_day(self, preset: str, note: str, lower: int, upper: int, draw: float) -> int | None:
        """The day in the fuzz range [lower, upper] that `draw` picks by the days' weights (None: every day
        weighs the same, so fuzz alone picks it)."""
        days = self._preset_days(preset)
        candidates = range(lower, upper + 1)
        counts = days[lower : upper + 1] + [0] * max(upper + 1 - BALANCED_DAYS, 0)
        if not any(counts):  # every day weighs 1: the same day fuzz alone gives
            return None
        easy = self._easy_day_modifiers(preset, candidates, counts)
        siblings = self._sibling_modifiers(note, lower, upper)
        weights = [
            1.0 if count == 0 else count**-2.15 * day**-3 * sibling * easy_day
            for day, count, easy_day, sibling in zip(candidates, counts, easy, siblings, strict=True)
        ]
        total = sum(weights)
        if not total > 0:
            return None
        point, reached = draw * total, 0.0
        for day, weight in zip(candidates, weights, strict=True):
            reached += weight
            if point < reached:
                return day
        return candidates[-1]  # float rounding left the point at the very end

    def _easy_day_modifiers(self, preset: str, candidates: range, counts: list[int]) -> list[float]:
        """A reduced day stays normal while it holds no more than its half share of the range's cards."""
        shares = self.easy_days.get(preset, ())
        if all(share == 1.0 for share in shares):
            return [_NORMAL] * len(candidates)
        loads = [easy_day_load(shares[(self.first_weekday + day) % 7]) for day in candidates]
        total_count, total_load = sum(counts), sum(loads)
        modifiers = []
        for load, count in zip(loads, counts, strict=True):
            if load == _REDUCED:
                others = total_load - _REDUCED
                busier = others > 0 and count / _REDUCED > (total_count - count) / others
                load = _MINIMUM if busier else _NORMAL
            modifiers.append(load)
        return modifiers

    def _sibling_modifiers(self, note: str, lower: int, upper: int) -> list[float]:
        """Days near one where a card of the same note is due (in any preset) weigh less."""
        modifiers = [1.0] * (upper - lower + 1)
        for sibling_day in self.notes.get(note, ()):
            for step, modifier in _SIBLING_MODIFIERS.items():
                index = sibling_day + step - lower
                if 0 <= index < len(modifiers):
                    modifiers[index] *= modifier
        return modifiers


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the load balancer may place one card: the balancer, the card's preset and its note."""

    balancer: LoadBalancer
    preset: str
    note: str

    def find_day(self, lower: int, upper: int, draw: float) -> int | None:
        return self.balancer.find_day(self.preset, self.note, lower, upper, draw)


def balances(interval: float, minimum: int) -> bool:
    """Whether the load balancer places a review of `interval` days, at least `minimum`: up to 90 days."""
    return interval <= MAX_BALANCED_INTERVAL and minimum <= MAX_BALANCED_INTERVAL


def note_of(deck_id: str, group: str) -> str:
    """The balancer's note of a card: its deck and its sibling group (Card.sibling_group), whose cards it keeps
    apart."""
    return f"{deck_id}\0{group}"


def day_index(due: datetime, now: datetime, rollover_hour: int) -> int:
    """How many study days after today's `due` falls (0: today)."""
    return study_days_after(due, study_day(now, rollover_hour), rollover_hour)


def read_load_balancer(
    store: Store,
    presets: Mapping[str, str],
    easy_days: Mapping[str, tuple[float, ...]],
    now: datetime,
    rollover: int,
    groups: Mapping[tuple[str, str], str],
) -> LoadBalancer:
    """The cards due over the next BALANCED_DAYS days in each of `presets`' decks (deck id -> its preset),
    read once (a session keeps it up to date as it answers). `groups`: (deck id, card key) -> sibling group of
    each card whose note has a `siblings:` id; any other card's is its note's id, which its key starts with."""
    start = day_start(now, rollover)
    first_weekday = (day_end(now, rollover).astimezone().date() - timedelta(days=1)).weekday()
    balancer = LoadBalancer(first_weekday, dict(easy_days))
    after, before = start - timedelta(microseconds=1), start + timedelta(days=BALANCED_DAYS)
    for deck_id, preset in presets.items():
        for fsrs_state in (LEARNING, REVIEW, RELEARNING):
            rows, _ = store.due_rows(deck_id, fsrs_state, after=after, before=before)
            for row in rows:
                group = groups.get((deck_id, row.key)) or note_id_of(row.key)
                balancer.add(preset, note_of(deck_id, group), day_index(row.due, now, rollover))
    return balancer
