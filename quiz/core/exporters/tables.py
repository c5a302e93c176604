"""Deck -> CSV/TSV a spreadsheet (or `quiz import`) reads; the review log -> CSV.

Deck cells that would start a formula get a `'` in front (see quiz.core.decktable). The review log needs
none: its cells are ids (a letter or digit first), numbers and times.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC
from typing import TextIO

from quiz.core.decktable import DECK_COLUMNS, quote_cell
from quiz.core.exporters.apkg import faces
from quiz.core.model import Deck, Kind
from quiz.core.store import ReviewRecord

REVIEW_COLUMNS = ("deck", "card", "grade", "time_utc", "duration_ms", "mode")


def write_deck_table(deck: Deck, out: TextIO, delimiter: str = ",") -> int:
    """One row per note. basic, reverse, typed and cloze come back exactly through `quiz import`;
    for the other kinds `back` holds the answer written out (the options are on the front)."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(DECK_COLUMNS)
    for note in deck.notes:
        if note.kind is Kind.CLOZE:
            front, back = note.text, ""
        else:
            front, back = faces(note)
        cells = (note.id, note.kind.value, note.topic, ", ".join(note.tags), front, back, note.explain)
        writer.writerow(quote_cell(cell) for cell in cells)
    return len(deck.notes)


def write_review_table(records: Iterable[ReviewRecord], out: TextIO) -> int:
    """deck, card key, grade (1 again, 2 hard, 3 good, 4 easy), ISO time in UTC, milliseconds, mode."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REVIEW_COLUMNS)
    count = 0
    for record in records:
        at = record.reviewed_at
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        writer.writerow(
            (
                record.deck_id,
                record.card_key,
                int(record.grade),
                at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                record.duration_ms,
                record.mode.value,
            )
        )
        count += 1
    return count
