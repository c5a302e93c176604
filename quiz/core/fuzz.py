"""Anki's fuzz (rslib/src/scheduler/states/fuzz.rs and answering/learning.rs), to the bit: Anki computes in
32-bit floats, so every step here is rounded to one (`f32`), and Rust's `round` (half away from zero) is
not Python's (half to even). Which day inside the range a card lands on is a draw, seeded per card and
answer so that a preview and the grade give the same day; the draw itself is quiz's, not Rust's."""

from __future__ import annotations

import math
import struct

_F32 = struct.Struct("f")
_pack, _unpack = _F32.pack, _F32.unpack
_F32_PAIR = struct.Struct("ff")
_pack_pair, _unpack_pair = _F32_PAIR.pack, _F32_PAIR.unpack
_LEARNING_FUZZ_SECS = 300  # a learning step grows by up to 25 %, and by no more than five minutes


def f32(value: float) -> float:
    """`value` rounded to the nearest 32-bit float, as Rust's `as f32`."""
    return _unpack(_pack(value))[0]  # type: ignore[no-any-return]  # struct's "f" always unpacks a float


def f32_pair(first: float, second: float) -> tuple[float, float]:
    """Two values rounded as `f32` rounds one, in one call each way of struct."""
    return _unpack_pair(_pack_pair(first, second))


# (start, end, factor): the fuzz grows by `factor` days per day of interval between start and end.
_RANGES = ((2.5, 7.0, f32(0.15)), (7.0, 20.0, f32(0.1)), (20.0, 3.4028234663852886e38, f32(0.05)))


def round_days(value: float) -> int:
    """Rust's `value.round() as u32`: halves away from zero, negatives to 0."""
    return max(math.floor(value + 0.5), 0)


_MASK = (1 << 64) - 1


def fuzz_factor(seed: int) -> float:
    """A number in [0, 1), evenly spread, for a card at a number of answers (Anki's get_fuzz_factor): the
    seed mixed by SplitMix64, cut to 24 bits so it is a 32-bit float exactly."""
    mixed = (seed + 0x9E3779B97F4A7C15) & _MASK
    mixed = ((mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    mixed = ((mixed ^ (mixed >> 27)) * 0x94D049BB133111EB) & _MASK
    return ((mixed ^ (mixed >> 31)) >> 40) / (1 << 24)


def fuzz_delta(interval: float) -> float:
    if interval < 2.5:
        return 0.0
    delta = 1.0
    for start, end, factor in _RANGES:
        if interval <= start:
            break
        # an f32 interval less a start of 2.5, 7 or 20 is exact in f32 (Sterbenz, or a multiple of its ulp)
        delta = _unpack(_pack(delta + _unpack(_pack(factor * (min(interval, end) - start)))[0]))[0]
    return delta


def fuzz_bounds(interval: float) -> tuple[int, int]:
    delta = fuzz_delta(interval)
    lower, upper = _unpack(_pack(interval - delta))[0], _unpack(_pack(interval + delta))[0]
    return max(math.floor(lower + 0.5), 0), max(math.floor(upper + 0.5), 0)


def constrained_fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The days fuzz may choose from, within [minimum, maximum]; at least two of them past day 2."""
    minimum = min(minimum, maximum)
    lower, upper = fuzz_bounds(min(max(interval, float(minimum)), float(maximum)))
    lower, upper = min(max(lower, minimum), maximum), min(max(upper, minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def with_review_fuzz(factor: float | None, interval: float, minimum: int, maximum: int) -> int:
    """The interval in days: fuzzed by `factor` (None: not fuzzed), never below `minimum` nor above
    `maximum`, which wins where the two cross."""
    if factor is None:
        return min(max(round_days(interval), minimum), maximum)
    return fuzz_bounded(factor, *constrained_fuzz_bounds(interval, minimum, maximum))


def fuzz_bounded(factor: float, lower: int, upper: int) -> int:
    """The day `factor` picks in the fuzz range [lower, upper] (constrained_fuzz_bounds)."""
    return math.floor(f32(lower + f32(f32(factor) * (1 + upper - lower))))


def minimum_review_fuzz_interval(interval: float, previous: int, maximum: int) -> int:
    """The least a passing review may get: a day more than last time when FSRS asks for more than last
    time, else last time's interval while that is within the fuzz range, else no minimum (0)."""
    _, upper = constrained_fuzz_bounds(interval, 1, maximum)
    if round_days(interval) > previous:
        return previous + 1
    return previous if previous <= upper else 0


def learning_fuzz(factor: float, secs: int) -> int:
    """A learning step, lengthened by up to a quarter and at most five minutes (Anki's
    learning_ivl_with_fuzz), `factor` (a fuzz draw) of the way."""
    upper = secs + math.floor(min(f32(secs * 0.25), _LEARNING_FUZZ_SECS))
    return secs if secs >= upper else secs + math.floor(factor * (upper - secs))
