"""Take decks out: .apkg for Anki (genanki), .csv/.tsv for spreadsheets, .yaml, and the review log as CSV."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TextIO

from quiz.core.atomicfile import atomic_write
from quiz.core.deckwriter import deck_to_text
from quiz.core.exporters.apkg import write_apkg
from quiz.core.exporters.tables import write_deck_table, write_review_table
from quiz.core.model import Deck
from quiz.core.store import ReviewRecord

FORMATS = {".apkg": "Anki package", ".csv": "CSV", ".tsv": "TSV", ".yaml": "YAML deck", ".yml": "YAML deck"}


class ExportError(Exception):
    """The export cannot be written; the message says why."""


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"cannot tell the format of {path.name!r}: end the name with {', '.join(FORMATS)}")
    return suffix


def _text(path: Path) -> AbstractContextManager[TextIO]:
    return atomic_write(path, "w", encoding="utf-8", newline="")  # newline="": the csv module ends its own rows


def export_deck(deck: Deck, path: str | Path, timestamp: float) -> str:
    """Write `deck` in the format its extension names; returns that format's name."""
    path = Path(path)
    suffix = format_of(path)
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")
    try:
        if suffix == ".apkg":
            with atomic_write(path) as binary:
                write_apkg(deck, binary, timestamp)
        elif suffix in (".csv", ".tsv"):
            with _text(path) as out:
                write_deck_table(deck, out, "\t" if suffix == ".tsv" else ",")
        else:
            header = f"Exported from quiz: deck {deck.id}. Card ids keep study history: keep them when editing."
            with _text(path) as out:
                out.write(deck_to_text(deck, header))
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return FORMATS[suffix]


def export_reviews(records: Iterable[ReviewRecord], path: str | Path) -> int:
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise ExportError(f"the review log is written as CSV: name the file *.csv, not {path.name!r}")
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")
    try:
        with _text(path) as out:
            return write_review_table(records, out)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
