"""CSV and TSV from a spreadsheet (or `quiz export`): any separator, a header row or none."""

from __future__ import annotations

from quiz.core.deckfile import MAX_BYTES  # no bigger than the deck it makes
from quiz.core.importers.model import ImportedDeck, ImportOptions, ImportSource, Report
from quiz.core.importers.readers.delimited import Meta, read_lines
from quiz.core.importers.readers.rows import read_rows


class TableReader:
    name = "csv"
    suffixes = (".csv", ".tsv")
    max_bytes = MAX_BYTES

    def sniff(self, source: ImportSource, options: ImportOptions) -> bool:
        return False  # any text could be a table: it is chosen by suffix, or when no other reader claims the file

    def read(self, source: ImportSource, options: ImportOptions, report: Report) -> ImportedDeck:
        return read_rows(source, options, report, read_lines(source, options.encoding), Meta())
