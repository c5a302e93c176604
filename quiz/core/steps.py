"""Anki's learning and relearning steps (rslib/src/scheduler/states/steps.rs): how long a card waits
after each grade while it is in its steps. quiz keeps a card's place in its steps as the index of the
step it is on (`CardState.step`); Anki keeps how many remain, which is the same thing counted from the
other end."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.core.fuzz import f32, round_days

DAY_SECS = 86_400


def _secs(minutes: float) -> int:
    return int(f32(f32(minutes) * 60.0))


@dataclass(frozen=True, slots=True)
class Steps:
    minutes: tuple[float, ...]

    def index(self, step: int | None) -> int:
        """The step a card is on, within the steps there are now (they may have changed since)."""
        return max(min(step or 0, len(self.minutes) - 1), 0)

    def again_secs(self) -> int | None:
        """Again goes back to the first step; None when there are no steps."""
        return _secs(self.minutes[0]) if self.minutes else None

    def hard_secs(self, step: int | None) -> int | None:
        """Hard repeats the current step; on the first, halfway to the second (with one step only, half as
        long again, at most a day more)."""
        if not self.minutes:
            return None
        index = self.index(step)
        current = _secs(self.minutes[index])
        if index > 0:
            return current
        if len(self.minutes) > 1:
            return _round_in_days((current + _secs(self.minutes[1])) // 2)
        return _round_in_days(min(current * 3 // 2, current + DAY_SECS))

    def good_secs(self, step: int | None) -> int | None:
        """Good moves to the next step; None when the card is on its last (it graduates)."""
        index = self.index(step) + 1
        return _secs(self.minutes[index]) if index < len(self.minutes) else None


def _round_in_days(secs: int) -> int:
    """A delay longer than a day is rounded to whole days."""
    return round_days(f32(f32(secs) / DAY_SECS)) * DAY_SECS if secs > DAY_SECS else secs
