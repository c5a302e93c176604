"""The layout of quiz's own CSV/TSV deck table, shared by the exporter that writes it and the importer.

Its header row is what marks a file quiz wrote. A cell a spreadsheet would run as a formula (OWASP "CSV
injection") is written with a `'` in front; only a file with that header gets the `'` taken off again, so
a hand-made or Anki cell that starts with `'` keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence

DECK_COLUMNS = ("id", "kind", "topic", "tags", "front", "back", "explain")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    """Any run of `'` (none included) then a formula start: quoting the run too keeps unquoting unambiguous."""
    return text.lstrip("'").startswith(_FORMULA_STARTS)


def quote_cell(text: str) -> str:
    """`=1+1` -> `'=1+1`, `'=x` -> `''=x`; any other text is written as it is."""
    return "'" + text if _needs_quote(text) else text


def unquote_cell(text: str) -> str:
    """The inverse of `quote_cell`: a `'` comes off only where `quote_cell` would have put one."""
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def is_quiz_table(header: Sequence[str] | None) -> bool:
    """Whether a header row is the one `quiz export` writes (exactly, in order)."""
    return header is not None and tuple(header) == DECK_COLUMNS
