"""Bring decks in: CSV and TSV (any separator, header or not) and Anki's "Notes in Plain Text" export."""

from quiz.core.importers.build import ImportOptions, ImportResult, import_file
from quiz.core.importers.table import ImportFailure

__all__ = ["ImportFailure", "ImportOptions", "ImportResult", "import_file"]
