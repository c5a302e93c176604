"""Bring decks in: one reader per format (readers/), one assembler (assembler.py), chosen in registry.py."""

from quiz.core.anki.media import media_folder
from quiz.core.importers.assembler import ImportResult, import_file
from quiz.core.importers.model import ImportFailure, ImportOptions, NoSuchAnkiDeck
from quiz.core.importers.registry import reader_names

__all__ = [
    "ImportFailure",
    "ImportOptions",
    "ImportResult",
    "NoSuchAnkiDeck",
    "import_file",
    "media_folder",
    "reader_names",
]
