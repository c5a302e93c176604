"""Builds what every command and the app share: paths, the clock, the store, the decks, the scheduler."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from quiz.core.clock import Clock, clock_from_env
from quiz.core.library import SHIPPED_DECKS, Library
from quiz.core.scheduler import Scheduler
from quiz.core.store import Store


def default_data_dir() -> Path:
    """QUIZ_HOME if set, else the platform's per-user data directory."""
    home = os.environ.get("QUIZ_HOME")
    return Path(home) if home else Path(platformdirs.user_data_dir("quiz", appauthor=False))


@dataclass
class Context:
    data_dir: Path
    clock: Clock
    extra_decks: list[Path] = field(default_factory=list)
    include_shipped: bool = True
    _store: Store | None = None
    _library: Library | None = None

    @classmethod
    def from_options(cls, data_dir: str | None, decks: list[str] | None = None, clock: Clock | None = None) -> Context:
        return cls(
            Path(data_dir) if data_dir else default_data_dir(),
            clock or clock_from_env(),
            [Path(p) for p in decks or []],
        )

    @property
    def user_deck_dir(self) -> Path:
        return self.data_dir / "decks"

    @property
    def deck_folders(self) -> list[Path]:
        shipped = [SHIPPED_DECKS] if self.include_shipped else []
        return shipped + [self.user_deck_dir] + self.extra_decks

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.in_folder(self.data_dir)
        return self._store

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = Library.load(self.deck_folders)
        return self._library

    def scheduler(self) -> Scheduler:
        return Scheduler(self.store.settings())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
