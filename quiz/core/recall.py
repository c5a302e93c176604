"""Predicted recall from a card's memory state: FSRS's forgetting curve as the engine (fsrs-rs) computes it,
with the parameters a card is scheduled with, so predictions and intervals have one source of truth."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from fsrs_rs_python import FSRS, Card, MemoryState, NextStates

GOOD = 3  # the engine's rating number for Good
# FSRS-6's decay (w20) and the range fsrs-rs keeps it in when it schedules (clip_parameters); its simulator card,
# which gives the curve, takes the value as it is: a preset's out of range (typed, an Anki package's) is kept
# in it here too, or the predictions would follow another curve than the intervals (0: 100 % forever)
_DECAY, _DECAY_RANGE = 20, (0.1, 0.8)


class ForgettingCurve:
    """One set of FSRS parameters' forgetting curve and next states."""

    def __init__(self, parameters: Sequence[float]) -> None:
        self._fsrs = FSRS(list(parameters))
        self._card = Card()  # the engine's simulator card: its retention_on is the curve itself
        self._card.parameters = _decay_in_range(parameters)
        self._card.last_date = 0.0

    def recall(self, stability: float, days: float) -> float:
        """The probability of recalling a card of this stability `days` after its last answer."""
        if days <= 0:
            return 1.0
        self._card.stability = stability
        return self._card.retention_on(days)

    def days_until(self, stability: float, target: float) -> float:
        """Days after the last answer until predicted recall falls to `target` (the engine's interval for
        that retention, unrounded)."""
        return self._fsrs.next_interval(stability, target, GOOD)

    def next_states(self, memory: MemoryState | None, retention: float, days: int) -> NextStates:
        """The states each grade gives `days` after the last answer. A last answer later than the day asked
        about (another machine's clock ahead, an import, a clock set back) counts as that day's, as in
        `recall`: the engine takes no negative days."""
        return self._fsrs.next_states(memory, retention, max(days, 0))


def _decay_in_range(parameters: Sequence[float]) -> list[float]:
    kept = list(parameters)
    if len(kept) > _DECAY:
        low, high = _DECAY_RANGE
        kept[_DECAY] = min(max(kept[_DECAY], low), high)
    return kept


@lru_cache(maxsize=8)
def curve_for(parameters: tuple[float, ...]) -> ForgettingCurve:
    """The curve of these parameters, made once (a session asks for it at every answer)."""
    return ForgettingCurve(parameters)
