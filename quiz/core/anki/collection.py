"""An Anki collection file (SQLite) -> Collection, for both schemas Anki's packages hold.

Schema 11 (collection.anki2, collection.anki21; rslib/src/storage/schema11.sql) keeps note types, decks and
deck options as JSON in the one `col` row. Schema 18 (collection.anki21b) keeps them in tables of their own,
their settings in protobuf `config` blobs (proto/anki/notetypes.proto) and deck names split by \\x1f. Deck
options are read by quiz.core.anki.deckconfig. Notes, cards and the review log are the same tables in both.
The file is opened read-only; every value is converted to its type here, since the file is untrusted.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from typing import Any

from quiz.core.anki import deckconfig, protobuf
from quiz.core.anki.model import Card, Collection, Note, Notetype, ReviewLog, Template

FIELD_SEPARATOR = "\x1f"
REQUIRED_TABLES = {"col", "notes", "cards", "revlog"}
CLOZE_KIND = 1  # Notetype.Config.Kind KIND_CLOZE; schema 11's "type"
IMAGE_OCCLUSION = 6  # StockNotetype.OriginalStockKind ORIGINAL_STOCK_KIND_IMAGE_OCCLUSION
# Notetype.Config: kind = 1, original_stock_kind = 9. Notetype.Template.Config: q_format = 1, a_format = 2.
_KIND, _STOCK_KIND, _Q_FORMAT, _A_FORMAT = 1, 9, 1, 2


def read_collection(path: Path) -> Collection:
    """sqlite3.DatabaseError when the file is not a collection (not SQLite, tables missing), ProtobufError when
    a config blob is damaged."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        db.text_factory = lambda raw: raw.decode("utf-8", "replace")
        tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
        if missing := sorted(REQUIRED_TABLES - tables):  # a view in a table's place counts as missing too
            raise sqlite3.DatabaseError(f"it has no {', '.join(missing)} table")
        row = db.execute("select ver from col").fetchone()
        if row is None:
            raise sqlite3.DatabaseError("its col table is empty")
        schema, created = _int(row[0]), _int(db.execute("select crt from col").fetchone()[0])
        if "notetypes" in tables:
            notetypes, decks = _notetypes_18(db), _decks_18(db)
            offset = _config_18(db, "creationOffset") if "config" in tables else None
            options = deckconfig.options_18(db) if "deck_config" in tables else {}
            options_of_deck = deckconfig.decks_18(db)
        else:
            row = db.execute("select models, decks, conf, dconf from col").fetchone()
            models, decks_json, conf = (_json(value) for value in row[:3])
            notetypes, decks = _notetypes_11(models), _decks_11(decks_json)
            offset = conf.get("creationOffset")
            options_of_deck = deckconfig.decks_11(decks_json)
            try:
                options = deckconfig.options_11(_json(row[3]))
            except sqlite3.DatabaseError:  # only the deck options are lost: each deck's is named as damaged
                options, options_of_deck = {}, dict.fromkeys(options_of_deck)
        return Collection(
            schema,
            notetypes,
            decks,
            _notes(db),
            _cards(db),
            _reviews(db),
            created,
            _offset(offset),
            deck_options=options,
            options_of_deck=options_of_deck,
        )
    finally:
        db.close()


def _offset(value: Any) -> int | None:
    """Anki's creationOffset (minutes west of UTC, where the collection was made), held to the 23 hours either
    way Anki holds it to; None when the collection keeps none (or a damaged one)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return max(-23 * 60, min(int(value), 23 * 60))


def _config_18(db: sqlite3.Connection, key: str) -> Any:
    """A key of the config table (its value JSON), or None."""
    row = db.execute("select val from config where key = ?", (key,)).fetchone()
    try:
        return json.loads(_text(row[0])) if row else None
    except ValueError:
        return None


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _json(value: Any) -> dict[str, Any]:
    try:
        loaded = json.loads(_text(value) or "{}")
    except ValueError:
        raise sqlite3.DatabaseError("the col table's JSON is damaged") from None
    return loaded if isinstance(loaded, dict) else {}


def _notetypes_11(models: dict[str, Any]) -> dict[int, Notetype]:
    found = {}
    for model in models.values():
        if not isinstance(model, dict):
            continue
        fields = sorted((f for f in model.get("flds", []) if isinstance(f, dict)), key=lambda f: _int(f.get("ord")))
        templates = sorted((t for t in model.get("tmpls", []) if isinstance(t, dict)), key=lambda t: _int(t.get("ord")))
        notetype = Notetype(
            id=_int(model.get("id")),
            name=_text(model.get("name")),
            is_cloze=_int(model.get("type")) == CLOZE_KIND,
            fields=tuple(_text(f.get("name")) for f in fields),
            templates=tuple(
                Template(_int(t.get("ord")), _text(t.get("name")), _text(t.get("qfmt")), _text(t.get("afmt")))
                for t in templates
            ),
            image_occlusion=_int(model.get("originalStockKind")) == IMAGE_OCCLUSION,
        )
        found[notetype.id] = notetype
    return found


def _decks_11(decks: dict[str, Any]) -> dict[int, tuple[str, ...]]:
    return {
        _int(deck.get("id")): tuple(_text(deck.get("name")).split("::"))
        for deck in decks.values()
        if isinstance(deck, dict)
    }


def _notetypes_18(db: sqlite3.Connection) -> dict[int, Notetype]:
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("select ntid, name from fields order by ntid, ord"):
        fields.setdefault(_int(ntid), []).append(_text(name))
    templates: dict[int, list[Template]] = {}
    for ntid, ord_, name, config in db.execute("select ntid, ord, name, config from templates order by ntid, ord"):
        parsed = protobuf.decode(_blob(config))
        template = Template(_int(ord_), _text(name), protobuf.text(parsed, _Q_FORMAT), protobuf.text(parsed, _A_FORMAT))
        templates.setdefault(_int(ntid), []).append(template)
    found = {}
    for ntid, name, config in db.execute("select id, name, config from notetypes"):
        parsed = protobuf.decode(_blob(config))
        notetype_id = _int(ntid)
        found[notetype_id] = Notetype(
            id=notetype_id,
            name=_text(name),
            is_cloze=protobuf.integer(parsed, _KIND) == CLOZE_KIND,
            fields=tuple(fields.get(notetype_id, [])),
            templates=tuple(templates.get(notetype_id, [])),
            image_occlusion=protobuf.integer(parsed, _STOCK_KIND) == IMAGE_OCCLUSION,
        )
    return found


def _blob(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return _text(value).encode("utf-8")


def _decks_18(db: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    return {_int(i): tuple(_text(name).split(FIELD_SEPARATOR)) for i, name in db.execute("select id, name from decks")}


def _notes(db: sqlite3.Connection) -> list[Note]:
    return [
        Note(_int(i), _text(guid), _int(mid), tuple(_text(flds).split(FIELD_SEPARATOR)), tuple(_text(tags).split()))
        for i, guid, mid, tags, flds in db.execute("select id, guid, mid, tags, flds from notes order by id")
    ]


def _integers(*columns: str) -> str:
    """The columns as integers, converted by SQLite (a text's leading digits, 0 for NULL or no number), so a
    long review log is read without a Python call per value."""
    return ", ".join(f"ifnull(cast({column} as integer), 0)" for column in columns)


def _cards(db: sqlite3.Connection) -> list[Card]:
    columns = _integers(
        "id",
        "nid",
        "did",
        "ord",
        "type",
        "queue",
        "due",
        "ivl",
        "factor",
        "reps",
        "lapses",
        "left",
        "odue",
        "odid",
        "flags",
    )
    rows = db.execute(f"select {columns}, data from cards order by nid, ord")
    return [
        Card(i, nid, did, ord_, type_, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, _text(data))
        for i, nid, did, ord_, type_, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data in rows
    ]


def _reviews(db: sqlite3.Connection) -> ReviewLog:
    columns = _integers("id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type")
    return ReviewLog(db.execute(f"select {columns} from revlog order by id"))
