"""A card of an .apkg that carries an Anki flag: genanki writes every card's `cards.flags` as 0 and has no
way to set it, so this card sets it in the collection right after writing its row. Imported only by an
.apkg export (it loads genanki)."""

from __future__ import annotations

from typing import Any

import genanki


class FlaggedCard(genanki.Card):  # type: ignore[misc]  # genanki has no type information
    def __init__(self, card_ord: int, flag: int) -> None:
        super().__init__(card_ord)
        self.flag = flag

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, note_id: int, id_gen: Any, due: int = 0) -> None:
        super().write_to_db(cursor, timestamp, deck_id, note_id, id_gen, due)
        # Anki keeps the flag in the low 3 bits of cards.flags (the other bits are its own, 0 here)
        cursor.execute("UPDATE cards SET flags = ? WHERE id = ?", (self.flag & 0b111, cursor.lastrowid))
