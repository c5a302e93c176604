"""Anki's "Notes in Plain Text" export: delimited text under `#key:value` file headers
(https://docs.ankiweb.net/importing/text-files.html#file-headers)."""

from __future__ import annotations

from quiz.core.deckfile import MAX_BYTES  # no bigger than the deck it makes
from quiz.core.importers.model import ImportedDeck, ImportFailure, ImportOptions, ImportSource, Report
from quiz.core.importers.readers.delimited import read_lines, read_meta
from quiz.core.importers.readers.rows import read_rows


class AnkiTextReader:
    name = "anki"
    suffixes = ()  # known by its headers only: Anki names it .txt, and a .txt without them is a table
    max_bytes = MAX_BYTES

    def sniff(self, source: ImportSource, options: ImportOptions) -> bool:
        try:
            lines = read_lines(source, options.encoding)
        except ImportFailure:  # not text, or empty: the reader chosen instead says why
            return False
        return read_meta(lines).is_anki

    def read(self, source: ImportSource, options: ImportOptions, report: Report) -> ImportedDeck:
        lines = read_lines(source, options.encoding)
        meta = read_meta(lines)
        meta.is_anki = True  # also when --format anki names a file without headers
        return read_rows(source, options, report, lines, meta)
