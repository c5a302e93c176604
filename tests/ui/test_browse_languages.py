"""Browse with decks not written in English: what the Topic column shows, and the order of non-ASCII titles."""

from __future__ import annotations

from pathlib import Path

from conftest import make_app, open_browse
from rich.text import Text
from textual.widgets import DataTable

TOPICS_DECK = """\
deck: uebelkeit
title: Übelkeit
topics:
  - {id: zunge, title: Zunge}
  - {id: aeussere, title: Äußere Sicherheit}
  - {id: arznei, title: Arzneimittel}
  - {id: sayou, title: 作用機序}
cards:
  - {id: z, kind: basic, topic: zunge, front: Zunge?, back: z}
  - {id: ae, kind: basic, topic: aeussere, front: Äußere?, back: ä}
  - {id: ar, kind: basic, topic: arznei, front: Arznei?, back: a}
  - {id: ja, kind: basic, topic: sayou, front: 作用?, back: j}
"""


def _deck(folder: Path, deck_id: str, title: str) -> Path:
    path = folder / f"{deck_id}.yaml"
    path.write_text(f"deck: {deck_id}\ntitle: {title}\ncards:\n  - {{id: c, kind: basic, front: f, back: b}}\n")
    return path


def _column(table: DataTable, column: str) -> list[str]:
    index = list(table.columns).index(column)
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_column_at(index)]


async def test_browse_shows_topic_titles_and_sorts_accented_titles_with_their_letter(tmp_path: Path) -> None:
    """Topic ids are ASCII, so a German or Japanese deck's are romanised: the column shows the titles Home shows.
    Sorted, Äußere comes among the a's (as a German dictionary has it), not after Zunge."""
    (tmp_path / "decks").mkdir()
    topics = tmp_path / "decks" / "uebelkeit.yaml"
    topics.write_text(TOPICS_DECK, encoding="utf-8")
    decks = [topics, _deck(tmp_path / "decks", "zahn", "Zahnmedizin"), _deck(tmp_path / "decks", "ana", "Anatomie")]
    app = make_app(tmp_path / "data", decks=decks)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browse(pilot)
        table = app.screen.query_one("#browse-table", DataTable)
        assert _column(table, "topic")[:4] == ["Zunge", "Äußere Sicherheit", "Arzneimittel", "作用機序"]
        await pilot.press("o", "o")  # by question, then by deck
        await pilot.pause()
        assert _column(table, "deck") == ["Anatomie", *["Übelkeit"] * 4, "Zahnmedizin"]
        await pilot.press("o")  # by topic
        await pilot.pause()
        titled = [title for title in _column(table, "topic") if title]  # the cards with no topic come first
        assert titled == ["Arzneimittel", "Äußere Sicherheit", "Zunge", "作用機序"]
