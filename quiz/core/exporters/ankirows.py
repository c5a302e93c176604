"""What genanki cannot write, set in the collection it writes: a card's flag (genanki writes every
`cards.flags` as 0), its scheduling columns and review-log rows, the collection's creation day and timing
settings that Anki counts the cards' day numbers from, a note type's stock kind (Image Occlusion), and the
pictures under the names the fields use. Imported only by an .apkg export (it loads genanki)."""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import genanki

from quiz.core.exporters.ankischedule import CardRow, RevlogRow


class QuizCard(genanki.Card):  # type: ignore[misc]  # genanki has no type information
    def __init__(self, card_ord: int, flag: int, row: CardRow | None, revlog: list[RevlogRow]) -> None:
        super().__init__(card_ord)
        self.flag, self.row, self.revlog = flag, row, revlog

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, note_id: int, id_gen: Any, due: int = 0) -> None:
        super().write_to_db(cursor, timestamp, deck_id, note_id, id_gen, due)
        card_id = cursor.lastrowid
        # Anki keeps the flag in the low 3 bits of cards.flags (the other bits are its own, 0 here)
        cursor.execute("UPDATE cards SET flags = ? WHERE id = ?", (self.flag & 0b111, card_id))
        if self.row is not None:
            row = self.row
            cursor.execute(
                "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?,"
                " data = ? WHERE id = ?",
                (row.type, row.queue, row.due, row.ivl, row.factor, row.reps, row.lapses, row.left, row.data, card_id),
            )
        cursor.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            [(r.id, card_id, r.ease, r.ivl, r.last_ivl, r.factor, r.time, r.type) for r in self.revlog],
        )


class QuizModel(genanki.Model):  # type: ignore[misc]
    """A note type, marked as made from one of Anki's stock kinds when `stock_kind` is given."""

    def __init__(self, *args: Any, stock_kind: int | None = None) -> None:
        super().__init__(*args)
        self.stock_kind = stock_kind

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        written: dict[str, Any] = super().to_json(timestamp, deck_id)
        if self.stock_kind is not None:  # Anki's editor then edits an occlusion's masks as its own
            written["originalStockKind"] = self.stock_kind
        return written


class QuizPackage(genanki.Package):  # type: ignore[misc]
    """A package whose collection counts days from `crt` with the timing settings in `conf` (both optional),
    and whose media are `media` (a name in the package -> the file read)."""

    def __init__(self, decks: list[genanki.Deck], collection: dict[str, Any] | None, media: dict[str, Path]) -> None:
        super().__init__(decks)
        self.collection, self.media = collection, media

    def write_to_file(self, file: Any, timestamp: float) -> None:
        """As genanki writes a package (a legacy collection.anki2, the media map as JSON, each file as its
        number), but with each picture under the name its notes use, not its path's last part."""
        with tempfile.TemporaryDirectory() as folder:
            collection = Path(folder) / "collection.anki2"
            with closing(sqlite3.connect(collection)) as db:
                self.write_to_db(db.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
                db.commit()
            # Compressed as Anki's own legacy export is (a 45,000-card collection: 40 MB to 15 MB); the pictures,
            # compressed already, are stored as they are.
            with zipfile.ZipFile(file, "w") as archive:
                archive.write(collection, "collection.anki2", zipfile.ZIP_DEFLATED)
                media_map = json.dumps({str(n): name for n, name in enumerate(self.media)})
                archive.writestr("media", media_map, zipfile.ZIP_DEFLATED)
                for number, path in enumerate(self.media.values()):
                    archive.write(path, str(number))

    def write_to_db(self, cursor: Any, timestamp: float, id_gen: Any) -> None:
        super().write_to_db(cursor, timestamp, id_gen)
        if self.collection is not None:
            conf = json.loads(cursor.execute("SELECT conf FROM col").fetchone()[0])
            conf.update(self.collection["conf"])
            cursor.execute("UPDATE col SET crt = ?, conf = ?", (self.collection["crt"], json.dumps(conf)))
