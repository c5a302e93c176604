"""Deck -> CSV/TSV a spreadsheet (or `quiz import`) reads.

Cells that would start a formula get a `'` in front (see quiz.core.decktable).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from quiz.core.decktable import DECK_COLUMNS, fields_cell, quote_cell, tags_cell
from quiz.core.exporters.writer import table_file
from quiz.core.kinds import KINDS
from quiz.core.model import Deck


def write_deck_table(deck: Deck, out: TextIO, delimiter: str = ",") -> int:
    """One row per note, every kind coming back exactly through `quiz import`: `front` and `back` are what a
    reader sees (a choice's options listed on the front); the `fields` column holds the rest."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(DECK_COLUMNS)
    for note in deck.notes:
        front, back = KINDS[note.kind].anki_faces(note)
        cells = (note.id, note.kind, note.topic, tags_cell(note.tags), front, back, note.explain, fields_cell(note))
        writer.writerow(quote_cell(cell) for cell in cells)
    return len(deck.notes)


class TableWriter:
    def __init__(self, name: str, suffix: str, delimiter: str) -> None:
        self.name, self.suffixes, self.delimiter = name, (suffix,), delimiter

    def write(self, deck: Deck, path: Path, timestamp: float, flags: Mapping[str, int]) -> int:
        with table_file(path) as out:
            write_deck_table(deck, out, self.delimiter)
        return 0
