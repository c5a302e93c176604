"""Every import format, and which one reads a file: --format names it, else the content, else the suffix."""

from __future__ import annotations

from quiz.core.importers.model import ImportFailure, ImportOptions, ImportSource, Reader
from quiz.core.importers.readers.ankitext import AnkiTextReader
from quiz.core.importers.readers.table import TableReader
from quiz.core.importers.readers.yamldeck import YamlDeckReader

#: In the order --format lists them; the first reads what no other claims by content or suffix.
READERS: tuple[Reader, ...] = (TableReader(), AnkiTextReader(), YamlDeckReader())
FALLBACK = READERS[0]


def reader_names() -> tuple[str, ...]:
    return tuple(reader.name for reader in READERS)


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
