"""Every import format, and which one reads a file: --format names it, else the content, else the suffix."""

from __future__ import annotations

from pathlib import Path

from quiz.core.importers.model import ImportFailure, ImportOptions, ImportSource, Reader
from quiz.core.importers.readers.ankitext import AnkiTextReader
from quiz.core.importers.readers.package import PackageReader
from quiz.core.importers.readers.table import TableReader
from quiz.core.importers.readers.yamldeck import YamlDeckReader

#: In the order --format lists them; the first reads what no other claims by content or suffix.
READERS: tuple[Reader, ...] = (TableReader(), AnkiTextReader(), PackageReader(), YamlDeckReader())
FALLBACK = READERS[0]


def reader_names() -> tuple[str, ...]:
    return tuple(reader.name for reader in READERS)


def byte_limit(path: Path, options: ImportOptions) -> int:
    """The largest file to read: that of the reader --format names, else of those its suffix matches."""
    named = [r for r in READERS if r.name == options.format]
    named = named or [r for r in READERS if path.suffix.lower() in r.suffixes]
    return max(r.max_bytes for r in named or [FALLBACK])


def reader_for(source: ImportSource, options: ImportOptions) -> Reader:
    if options.format is not None:
        for reader in READERS:
            if reader.name == options.format:
                return reader
        raise ImportFailure(f"unknown format {options.format!r}: use {', '.join(reader_names())}")
    for reader in READERS:
        if reader.sniff(source, options):
            return reader
    suffix = source.path.suffix.lower()
    return next((reader for reader in READERS if suffix in reader.suffixes), FALLBACK)
