"""The contract every export format keeps, and how a text format opens its file."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, TextIO

from quiz.core.atomicfile import atomic_write
from quiz.core.model import Deck


class ExportError(Exception):
    """The export cannot be written; the message says why."""


class Writer(Protocol):
    """One deck export format, chosen (in registry.py) by the output's suffix."""

    @property
    def name(self) -> str: ...

    @property
    def suffixes(self) -> tuple[str, ...]: ...

    def write(self, deck: Deck, path: Path, timestamp: float, flags: Mapping[str, int]) -> int:
        """Write the whole file through atomic_write; `timestamp` is the injected clock's now, `flags` the
        flagged cards' flags by card key (a format without flags leaves them out). Returns how many pictures it
        wrote beside the file (0 for a format that carries them inside, or none)."""
        ...


def text_file(path: Path) -> AbstractContextManager[TextIO]:
    return atomic_write(path, "w", encoding="utf-8", newline="")  # newline="": the text's line ends as written


def table_file(path: Path) -> AbstractContextManager[TextIO]:
    """A table for a spreadsheet (CSV, TSV): UTF-8 with a byte-order mark, without which Excel opens the file as
    the system's code page (cp1252: `µg` shows as `Âµg`, Greek and Japanese as mojibake). LibreOffice and
    Google Sheets take the mark as UTF-8 too, and `quiz import` reads it as one."""
    return atomic_write(path, "w", encoding="utf-8-sig", newline="")  # newline="": the csv module ends its rows
