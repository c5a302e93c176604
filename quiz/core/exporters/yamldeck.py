"""Deck -> a YAML deck file, the format quiz reads."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from quiz.core.deckwriter import deck_to_text
from quiz.core.exporters.writer import text_file
from quiz.core.model import Deck


class YamlWriter:
    name = "YAML deck"
    suffixes = (".yaml", ".yml")

    def write(self, deck: Deck, path: Path, timestamp: float, flags: Mapping[str, int]) -> None:
        header = f"Exported from quiz: deck {deck.id}. Card ids keep study history: keep them when editing."
        with text_file(path) as out:
            out.write(deck_to_text(deck, header))
