"""Anki's learning and relearning steps (rslib/src/scheduler/states/steps.rs): how long a card waits
after each grade while it is in its steps. quiz keeps a card's place in its steps as the index of the
step it is on (`CardState.step`); Anki keeps how many remain, which is the same thing counted from the
other end."""

from __future__ import annotations

from dataclasses import dataclass, field

from quiz.core.fuzz import f32, round_days

DAY_SECS = 86_400


def _secs(minutes: float) -> int:
    return int(f32(f32(minutes) * 60.0))


@dataclass(frozen=True, slots=True)
class Steps:
    minutes: tuple[float, ...]
    # each step's delays in seconds, worked out once (a scheduler asks for them at every answer): Hard's
    # and Good's by the step a card is on, Again's (the first step's)
    _hard: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _good: tuple[int | None, ...] = field(init=False, repr=False, compare=False)
    _again: int | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        secs = [_secs(minutes) for minutes in self.minutes]
        hard = list(secs)
        if len(secs) > 1:  # Hard on the first step: halfway to the second
            hard[0] = _round_in_days((secs[0] + secs[1]) // 2)
        elif secs:  # one step only: half as long again, at most a day more
            hard[0] = _round_in_days(min(secs[0] * 3 // 2, secs[0] + DAY_SECS))
        object.__setattr__(self, "_hard", tuple(hard))
        object.__setattr__(self, "_good", (*secs[1:], None))
        object.__setattr__(self, "_again", secs[0] if secs else None)

    def index(self, step: int | None) -> int:
        """The step a card is on, within the steps there are now (they may have changed since)."""
        return max(min(step or 0, len(self.minutes) - 1), 0)

    def again_secs(self) -> int | None:
        """Again goes back to the first step; None when there are no steps."""
        return self._again

    def hard_secs(self, step: int | None) -> int | None:
        """Hard repeats the current step; on the first, halfway to the second (with one step only, half as
        long again, at most a day more). None when there are no steps."""
        return self._hard[self.index(step)] if self.minutes else None

    def good_secs(self, step: int | None) -> int | None:
        """Good moves to the next step; None when the card is on its last (it graduates)."""
        return self._good[self.index(step)] if self.minutes else None


def _round_in_days(secs: int) -> int:
    """A delay longer than a day is rounded to whole days."""
    return round_days(f32(f32(secs) / DAY_SECS)) * DAY_SECS if secs > DAY_SECS else secs
