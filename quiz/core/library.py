"""Where decks come from: the shipped folder, the user's deck folder and any extra paths, loaded together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quiz.core.decks import LoadResult, load_decks
from quiz.core.model import Card, Deck

SHIPPED_DECKS = Path(__file__).resolve().parents[2] / "decks"


@dataclass
class Library:
    folders: list[Path]
    results: list[LoadResult] = field(default_factory=list)

    @classmethod
    def load(cls, folders: list[Path]) -> Library:
        library = cls(folders)
        library.reload()
        return library

    def reload(self) -> None:
        existing = [f for f in self.folders if f.exists()]
        self.results = load_decks(existing)

    @property
    def decks(self) -> list[Deck]:
        return [r.deck for r in self.results if r.deck is not None]

    @property
    def broken(self) -> list[LoadResult]:
        return [r for r in self.results if r.deck is None]

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def card(self, deck_id: str, key: str) -> Card | None:
        deck = self.deck(deck_id)
        return next((c for c in deck.cards if c.key == key), None) if deck else None
