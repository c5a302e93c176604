"""User settings, kept in the store. Defaults follow Anki's."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Range:
    """The values a setting allows; `low` itself is refused when `low_excluded` (a step of 0 minutes)."""

    low: float
    high: float
    low_excluded: bool = False

    def holds(self, value: float) -> bool:
        return (self.low < value if self.low_excluded else self.low <= value) and value <= self.high

    def __str__(self) -> str:
        low, high = _number(self.low), _number(self.high)
        return f"more than {low} and at most {high}" if self.low_excluded else f"from {low} to {high}"

    def span(self) -> str:
        """`0.7–0.99`, for a hint beside the field."""
        return f"{_number(self.low)}–{_number(self.high)}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# One place for every range: the check below, its errors, and the hints of the Settings screen.
RANGES = {
    "desired_retention": Range(0.7, 0.99),
    "new_per_day": Range(0, 9999),
    "reviews_per_day": Range(0, 99999),
    "maximum_interval_days": Range(1, 36500),
    "leech_threshold": Range(1, 99),
    "typed_tolerance": Range(50, 100),
    "rollover_hour": Range(0, 23),
    "learning_steps_minutes": Range(0, 1440 * 7, low_excluded=True),
    "relearning_steps_minutes": Range(0, 1440 * 7, low_excluded=True),
    "easy_days": Range(0, 1),
}
# Settings holding one value per weekday, Monday first.
WEEKLY = ("easy_days",)
PARAMETER_COUNT = 21  # FSRS-6's parameters: a preset holds all of them, or none (FSRS's defaults)


class SettingOutOfRange(ValueError):
    """A setting's value (or one of its steps) outside its range."""

    def __init__(self, name: str, value: Any, allowed: Range) -> None:
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(f"{name} must be {allowed}, not {value!r}")


class WeekdaysMissing(SettingOutOfRange):
    """A setting of one value per weekday with more or fewer than seven."""

    def __init__(self, name: str, value: Any) -> None:
        super().__init__(name, value, RANGES[name])
        self.args = (f"{name} needs seven values, Monday to Sunday, not {len(value)}",)


class BadParameters(ValueError):
    """FSRS parameters that are not 21 finite numbers (nor none)."""

    def __init__(self, value: tuple[float, ...]) -> None:
        self.name, self.value = "fsrs_parameters", value
        super().__init__(f"fsrs_parameters must be {PARAMETER_COUNT} numbers or none, not {len(value)}")


@dataclass(frozen=True, slots=True)
class Settings:
    desired_retention: float = 0.90
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps_minutes: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_minutes: tuple[float, ...] = (10.0,)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    leech_threshold: int = 8
    typed_tolerance: int = 90  # rapidfuzz similarity (0-100) at which a typed near miss still counts
    rollover_hour: int = 4  # the study day ends at this local hour
    load_balancer: bool = True  # fuzz picks, within its range, a day with fewer reviews due (Anki's default)
    easy_days: tuple[float, ...] = (1.0,) * 7  # each weekday's share of the review load: 1 normal, 0.5 less, 0 least
    fsrs_parameters: tuple[float, ...] = ()  # fitted by `quiz optimize`; empty: FSRS's defaults
    theme: str = "textual-dark"

    def validated(self) -> Settings:
        """Raise SettingOutOfRange for the first setting out of its range (a list of steps: every step)."""
        for name, allowed in RANGES.items():
            value = getattr(self, name)
            for each in value if isinstance(value, tuple) else (value,):
                if not allowed.holds(each):
                    raise SettingOutOfRange(name, each, allowed)
        for name in WEEKLY:
            if len(getattr(self, name)) != 7:
                raise WeekdaysMissing(name, getattr(self, name))
        parameters = self.fsrs_parameters
        if len(parameters) not in (0, PARAMETER_COUNT) or not all(math.isfinite(p) for p in parameters):
            raise BadParameters(parameters)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, stored: dict[str, Any], base: Settings | None = None) -> Settings:
        """`base` (the defaults if None) with the known keys of `stored` taken (with their types); unknown keys
        are ignored, and a bad value leaves the base's."""
        result = cls() if base is None else base
        for f in fields(cls):
            if f.name not in stored:
                continue
            default = getattr(result, f.name)
            value = stored[f.name]
            try:
                value = tuple(float(v) for v in value) if isinstance(default, tuple) else type(default)(value)
                change: dict[str, Any] = {f.name: value}  # a field named at run time: its type is checked above
                result = replace(result, **change).validated()
            except (TypeError, ValueError):
                continue
        return result


_SWITCH = {"on": True, "yes": True, "true": True, "1": True, "off": False, "no": False, "false": False, "0": False}


def value_from_text(name: str, text: str) -> Any:
    """Typed text as setting `name`'s type (a list of steps: numbers apart by spaces or commas), or ValueError.
    The range is not checked here (`Settings.validated` does)."""
    kind = type(getattr(Settings(), name))
    text = text.strip()
    if kind is bool:
        switch = _SWITCH.get(text.casefold())
        if switch is None:
            raise ValueError(f"{text!r} is neither on nor off")
        return switch
    if kind is tuple:  # none is a value: no steps (as Anki allows, and its packages bring), FSRS's defaults
        steps = tuple(float(part) for part in re.split(r"[\s,]+", text) if part)
        if name in WEEKLY and len(steps) != 7:
            raise ValueError("not one value per weekday")
        return steps
    return kind(text)


def value_text(value: Any) -> str:
    """A setting as it is typed: steps as `1 10`, whole floats without `.0`."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return " ".join(value_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
