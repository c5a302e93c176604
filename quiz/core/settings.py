"""User settings, kept in the store. Defaults follow Anki's."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


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
    theme: str = "textual-dark"

    def validated(self) -> Settings:
        """Raise ValueError naming the first setting out of range."""
        checks = {
            "desired_retention": 0.7 <= self.desired_retention <= 0.99,
            "new_per_day": 0 <= self.new_per_day <= 9999,
            "reviews_per_day": 0 <= self.reviews_per_day <= 99999,
            "maximum_interval_days": 1 <= self.maximum_interval_days <= 36500,
            "leech_threshold": 1 <= self.leech_threshold <= 99,
            "typed_tolerance": 50 <= self.typed_tolerance <= 100,
            "rollover_hour": 0 <= self.rollover_hour <= 23,
            "learning_steps_minutes": all(0 < s <= 1440 * 7 for s in self.learning_steps_minutes),
            "relearning_steps_minutes": all(0 < s <= 1440 * 7 for s in self.relearning_steps_minutes),
        }
        for name, ok in checks.items():
            if not ok:
                raise ValueError(f"setting {name} = {getattr(self, name)!r} is out of range")
        return self

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> Settings:
        """Known keys are taken (with their types), unknown ones ignored, bad values fall back to defaults."""
        result = cls()
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
