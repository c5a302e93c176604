"""What the store keeps per card, in plain values: no fsrs import, so reading states stays cheap to load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quiz.core.clock import iso_or_none, moment_or_none
from quiz.core.model import Card

NEW = 0  # a card never reviewed
LEARNING, REVIEW, RELEARNING = 1, 2, 3  # as Anki's card types (and py-fsrs's states, which older stores hold)


@dataclass(frozen=True, slots=True)
class CardState:
    """What the store keeps per card. `fsrs_state`: 0 new, 1 learning, 2 review, 3 relearning; `step`: the
    learning or relearning step the card is on (counted from 0)."""

    kind: str
    fsrs_state: int = NEW
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False
    buried_until: datetime | None = None

    def checked(self) -> CardState:
        """This state, or ValueError when it holds values no quiz writes (a damaged file, another device's
        file edited by hand)."""
        if not (
            isinstance(self.kind, str)
            and self.fsrs_state in (0, 1, 2, 3)
            and (self.step is None or isinstance(self.step, int))
            and all(v is None or isinstance(v, int | float) for v in (self.stability, self.difficulty))
            and isinstance(self.reps, int)
            and isinstance(self.lapses, int)
            and self.reps >= 0
            and self.lapses >= 0
        ):
            raise ValueError(
                f"card state values out of range: {(self.kind, self.fsrs_state, self.step, self.stability)!r}"
            )
        return self

    @property
    def is_new(self) -> bool:
        return self.fsrs_state == NEW

    @property
    def is_learning(self) -> bool:
        return self.fsrs_state in (LEARNING, RELEARNING)

    @property
    def is_review(self) -> bool:
        return self.fsrs_state == REVIEW

    def retimed(self, due: datetime | None, last_review: datetime | None) -> CardState:
        """This state due at `due`, last answered at `last_review` (dataclasses.replace's result, without its
        walk over the fields: a previewed outcome is moved to the moment of its grade at every answer)."""
        return CardState(
            self.kind,
            self.fsrs_state,
            self.step,
            self.stability,
            self.difficulty,
            due,
            last_review,
            self.reps,
            self.lapses,
            self.suspended,
            self.leech,
            self.buried_until,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fsrs_state": self.fsrs_state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": iso_or_none(self.due),
            "last_review": iso_or_none(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
            "buried_until": iso_or_none(self.buried_until),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardState:
        return cls(
            kind=data["kind"],
            fsrs_state=data["fsrs_state"],
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=moment_or_none(data.get("due")),
            last_review=moment_or_none(data.get("last_review")),
            reps=data["reps"],
            lapses=data["lapses"],
            suspended=data["suspended"],
            leech=data["leech"],
            buried_until=moment_or_none(data.get("buried_until")),
        )


_NEW_STATES: dict[str, CardState] = {}


def effective_state(card: Card, stored: CardState | None) -> CardState:
    """A card whose kind changed since its history was written starts again as new."""
    kind = card.note.kind
    if stored is None or stored.kind != kind:
        new = _NEW_STATES.get(kind)
        if new is None:  # one shared (frozen) value per kind: counting 50,000 cards builds none
            new = _NEW_STATES[kind] = CardState(kind=kind)
        return new
    return stored
