"""Take decks out: one `Writer` per format (apkg.py, tables.py, yamldeck.py), chosen in registry.py by
suffix; the review log as CSV (reviews.py)."""

from quiz.core.exporters.ankischedule import Progress
from quiz.core.exporters.registry import FORMATS, export_deck, export_reviews
from quiz.core.exporters.writer import ExportError

__all__ = ["FORMATS", "ExportError", "Progress", "export_deck", "export_reviews"]
