"""Rows of a CSV/TSV or Anki text file -> notes -> a deck file the loader accepts, with every skip reported."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quiz.core import cloze
from quiz.core.deckfile import DeckFileError, read_deck_bytes
from quiz.core.decks import parse_deck
from quiz.core.decktable import is_quiz_table, unquote_cell
from quiz.core.deckwriter import deck_text
from quiz.core.ids import is_id
from quiz.core.importers import cleaning, ids
from quiz.core.importers.table import (
    ImportFailure,
    Meta,
    Record,
    decode,
    read_meta,
    read_records,
    separator_from_name,
    sniff_separator,
    split_columns_header,
    split_lines,
)
from quiz.core.model import Kind, Note, Topic
from quiz.core.problems import Problem, errors

#: Header names understood without options (lowercase).
HEADER_NAMES: dict[str, str] = {
    **dict.fromkeys(("front", "question", "q", "term", "word", "prompt", "text", "cloze"), "front"),
    **dict.fromkeys(("back", "answer", "a", "definition", "meaning", "response"), "back"),
    **dict.fromkeys(("tags", "tag"), "tags"),
    **dict.fromkeys(("explain", "explanation", "extra", "back extra", "notes", "note"), "explain"),
    **dict.fromkeys(("id", "card id", "note id"), "id"),
    **dict.fromkeys(("topic", "category"), "topic"),
    **dict.fromkeys(("kind", "type", "notetype", "note type"), "kind"),
    **dict.fromkeys(("deck", "subdeck"), "deck"),
    "guid": "guid",
}
TABLE_KINDS = (Kind.BASIC, Kind.REVERSE, Kind.TYPED, Kind.CLOZE)
ANKI_TYPES = "Basic, Basic (and reversed card), Basic (optional reversed card), Basic (type in the answer) and Cloze"


@dataclass
class ImportOptions:
    deck_id: str | None = None
    title: str | None = None
    topic: str | None = None  # topic for every card that gets none from the file
    format: str | None = None  # "csv" or "anki"; None: detected
    separator: str | None = None  # a name (tab, comma, ...) or one character; None: detected
    header: bool | None = None  # is the first row a header? None: detected
    html: bool | None = None  # are cells HTML? None: #html header, else detected
    kind: Kind = Kind.BASIC  # for rows that say nothing about their kind
    columns: dict[str, str] = field(default_factory=dict)  # role -> column number (1-based) or header name
    encoding: str = "utf-8"


@dataclass
class ImportResult:
    deck_id: str
    title: str
    notes: list[Note]
    topics: list[Topic]
    text: str  # the deck file
    problems: list[Problem]  # warnings and skipped rows, each with file:line
    lines: dict[str, int]  # note id -> line in the imported file


@dataclass
class _Row:
    line: int
    kind: Kind
    front: str
    back: str
    explain: str
    tags: tuple[str, ...]
    topic: str
    deck_path: tuple[str, ...]
    wanted_id: str
    id_source: str  # "column", "guid" or "front"


class _Reporter:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.name, line, 1, message, hint, severity="warning"))

    def skip(self, line: int, message: str, hint: str = "") -> None:
        self.warn(line, f"row skipped: {message}", hint)


def _column_index(spec: str, role: str, header: list[str] | None, width: int) -> int:
    """A 0-based index from a 1-based number or a header name; ImportFailure when it matches nothing."""
    spec = spec.strip()
    if spec.isdigit():
        number = int(spec)
        if not 1 <= number <= max(width, 1):
            raise ImportFailure(f"--{role} {spec}: there is no column {spec} (the file has {width})")
        return number - 1
    if header is None:
        raise ImportFailure(f"--{role} {spec!r}: names need a header row; pass --header or give a column number")
    names = [h.strip().casefold() for h in header]
    if spec.casefold() not in names:
        raise ImportFailure(f"--{role} {spec!r}: no such column; the header has: {', '.join(header)}")
    return names.index(spec.casefold())


def _kind_for(name: str) -> Kind | str | None:
    """Our kind, "optional" (Basic (optional reversed card)) or None for a note type name we cannot import."""
    lowered = name.strip().casefold()
    if lowered in Kind._value2member_map_:
        return Kind(lowered)
    if "cloze" in lowered:
        return Kind.CLOZE
    if "optional reversed" in lowered:
        return "optional"
    if "reversed" in lowered:
        return Kind.REVERSE
    if "type in" in lowered:
        return Kind.TYPED
    if lowered.startswith("basic"):
        return Kind.BASIC
    return None


def _split_tags(text: str) -> list[str]:
    """Anki writes tags space-separated; spreadsheets often use commas or semicolons."""
    if "," in text or ";" in text:
        parts = text.replace(";", ",").split(",")
    else:
        parts = text.split()
    return [p.strip() for p in parts if p.strip()]


class _Importer:
    def __init__(self, path: Path, options: ImportOptions) -> None:
        self.path, self.options = path, options
        self.name = str(path)
        self.report = _Reporter(self.name)
        self.guids: list[str] = []
        self.anki_positional = False  # fields taken by position from an Anki export (no #columns header)
        self.quiz_table = False  # written by `quiz export`: its formula-guarding quotes come off

    # --- reading ----------------------------------------------------------------------------------

    def read(self) -> tuple[Meta, list[Record], list[str] | None, str]:
        try:
            data = read_deck_bytes(self.path, what="files to import").data
        except DeckFileError as exc:
            raise ImportFailure(str(exc)) from None
        text = decode(data, self.name, self.options.encoding)
        if not text.strip():
            raise ImportFailure(f"{self.name} is empty")
        lines = split_lines(text)
        meta = read_meta(lines)
        fmt = self.options.format
        if fmt == "anki":
            meta.is_anki = True
        elif fmt == "csv":
            meta = Meta(warnings=[])
        for line, message in meta.warnings:
            self.report.warn(line, message)
        separator = self._separator(meta, lines[meta.header_lines :])
        records = read_records(lines, meta.header_lines, separator, self.name, skip_comments=meta.is_anki)
        if not records:
            raise ImportFailure(f"{self.name} has no rows to import")
        header: list[str] | None = None
        if meta.columns is not None:
            header = split_columns_header(meta.columns[0], separator)
        elif self._has_header(records, meta):
            header = [c.strip() for c in records[0].cells]
            records = records[1:]
        return meta, records, header, separator

    def _separator(self, meta: Meta, lines: list[str]) -> str:
        if self.options.separator:
            chosen = separator_from_name(self.options.separator)
            if chosen is None or chosen in '\r\n"':
                raise ImportFailure(
                    f"--separator {self.options.separator!r}: use tab, comma, semicolon, pipe, space, colon or one"
                    " character"
                )
            return chosen
        if meta.separator:
            return meta.separator
        if self.path.suffix.lower() == ".tsv":
            return "\t"
        return sniff_separator(lines)

    def _has_header(self, records: list[Record], meta: Meta) -> bool:
        if self.options.header is not None:
            return self.options.header
        if meta.is_anki:
            return False
        if any(not spec.strip().isdigit() for spec in self.options.columns.values()):
            return True
        return any(cell.strip().casefold() in HEADER_NAMES for cell in records[0].cells)

    # --- columns ----------------------------------------------------------------------------------

    def columns(self, meta: Meta, header: list[str] | None, width: int) -> dict[str, int]:
        """role -> 0-based column: Anki's column headers, then the options, then header names or positions."""
        mapping: dict[str, int] = {}
        anki_columns = {"kind": meta.notetype_column, "deck": meta.deck_column, "tags": meta.tags_column}
        anki_columns["guid"] = meta.guid_column
        for role, number in anki_columns.items():
            if number:
                mapping[role] = number - 1
        for role, spec in self.options.columns.items():
            mapping[role] = _column_index(spec, role, header, width)

        def give(role: str, index: int) -> None:
            if role not in mapping and index not in mapping.values():
                mapping[role] = index

        if header is not None:
            for index, name in enumerate(header):
                if named := HEADER_NAMES.get(name.strip().casefold()):
                    give(named, index)
            defaults: tuple[str, ...] = ("front", "back")  # a header without the usual names
        elif meta.is_anki:
            self.anki_positional = "front" not in mapping
            defaults = ("front", "back", "explain")  # the note's fields, after Anki's own columns
        else:
            defaults = ("front", "back", "tags")
        free = [i for i in range(width) if i not in mapping.values()]
        for role in defaults:
            if role not in mapping and free:
                mapping[role] = free.pop(0)
        if "front" not in mapping:
            raise ImportFailure(f"{self.name}: no column is left for the front; pass --front COLUMN")
        return mapping

    # --- rows -------------------------------------------------------------------------------------

    def rows(self, meta: Meta, records: list[Record], mapping: dict[str, int]) -> list[_Row]:
        cells_all = [c for r in records for c in r.cells]
        is_html = self.options.html if self.options.html is not None else meta.html
        if is_html is None:
            is_html = any(cleaning.looks_like_html(c) for c in cells_all)
        rows = []
        for record in records:
            row = self._row(record, mapping, meta, is_html)
            if row is not None:
                rows.append(row)
        return rows

    def _cell(self, record: Record, mapping: dict[str, int], role: str, is_html: bool) -> str:
        index = mapping.get(role)
        if index is None or index >= len(record.cells):
            return ""
        raw = unquote_cell(record.cells[index]) if self.quiz_table else record.cells[index]
        text, notes = cleaning.clean_cell(raw, is_html and role not in ("id", "guid", "kind"))
        for note in notes:
            self.report.warn(record.line, f"{role}: {note}")
        return text

    def _row(self, record: Record, mapping: dict[str, int], meta: Meta, is_html: bool) -> _Row | None:
        line = record.line

        def cell(role: str) -> str:
            return self._cell(record, mapping, role, is_html)

        front, back, explain = cell("front"), cell("back"), cell("explain")
        type_name = cell("kind") or meta.notetype
        kind: Kind | str | None
        if type_name:
            kind = _kind_for(type_name)
            if kind is None:
                self.report.skip(line, f"unknown note type {type_name!r}", f"quiz imports {ANKI_TYPES}")
                return None
            if kind not in TABLE_KINDS and kind != "optional":
                self.report.warn(
                    line, f"kind {type_name!r} needs fields a table does not hold; imported as {self.options.kind}"
                )
                kind = self.options.kind
        elif cleaning.has_anki_cloze(front):
            kind = Kind.CLOZE
        else:
            kind = self.options.kind
        if kind == "optional":  # Front, Back, Add Reverse: reverse when the third field is filled in
            kind, explain = (Kind.REVERSE if explain else Kind.BASIC), ""
        assert isinstance(kind, Kind)
        if kind is Kind.CLOZE:
            front = cleaning.convert_cloze(front)
        if not front:
            self.report.skip(line, "the front is empty" if kind is not Kind.CLOZE else "the cloze text is empty")
            return None
        if kind is Kind.CLOZE:
            problem = _cloze_problem(front)
            if problem:
                self.report.skip(line, problem, "write gaps as {{c1::answer}} or {{c1::answer::hint}}")
                return None
            if self.anki_positional:  # Text, Back Extra, then fields quiz does not use
                explain = ""
            explain = "\n\n".join(t for t in (back, explain) if t)
            back = ""
        elif not back:
            self.report.skip(line, f"the {'answer' if kind is Kind.TYPED else 'back'} is empty")
            return None
        tags = list(dict.fromkeys([*meta.tags, *_split_tags(cell("tags"))]))
        deck_name = cell("deck") or meta.deck
        deck_path = tuple(p.strip() for p in deck_name.split("::") if p.strip()) if deck_name else ()
        wanted, source = "", "front"
        if raw_id := cell("id"):
            wanted, source = ids.id_from_text(raw_id), "column"
            if wanted != raw_id:
                self.report.warn(line, f"id {raw_id!r} is not a valid id; using {wanted!r}")
        elif guid := cell("guid"):
            wanted, source = ids.id_from_guid(guid), "guid"
            self.guids.append(guid)
        else:
            wanted = ids.id_from_front(front)
        return _Row(line, kind, front, back, explain, tuple(tags), cell("topic"), deck_path, wanted, source)

    # --- notes ------------------------------------------------------------------------------------

    def notes(self, rows: list[_Row]) -> tuple[list[Note], list[Topic], dict[str, int], str]:
        topics: dict[str, Topic] = {}
        topic_ids = ids.Unique()
        by_title: dict[str, str] = {}

        def topic_for(name: str) -> str:
            """A topic id for a name: itself when it is a lowercase id (as `quiz export` writes), else a slug."""
            if name not in by_title:
                if is_id(name) and name == name.lower() and name not in topics:
                    topic_id, title = topic_ids.take(name), name.replace("-", " ").replace("_", " ").capitalize()
                else:
                    topic_id, title = topic_ids.take(ids.topic_id(name)), name
                by_title[name] = topic_id
                topics[topic_id] = Topic(topic_id, title)
            return by_title[name]

        paths = {row.deck_path for row in rows if row.deck_path}
        root = _common_prefix(list(paths)) if paths else ()
        if len(paths) == 1:  # a single deck: it names the deck; no topics come from it
            root = next(iter(paths))

        default_topic = topic_for(self.options.topic) if self.options.topic else ""
        unique = ids.Unique()
        notes: list[Note] = []
        lines: dict[str, int] = {}
        first_line: dict[str, int] = {}
        for row in rows:
            note_id = unique.take(row.wanted_id)
            if note_id != row.wanted_id:
                what = "front" if row.id_source == "front" else f"{row.id_source} id"
                self.report.warn(
                    row.line,
                    f"same {what} as line {first_line[row.wanted_id]}; this card gets the id '{note_id}'",
                )
            first_line.setdefault(row.wanted_id, row.line)
            relative = row.deck_path[len(root) :] if row.deck_path[: len(root)] == root else row.deck_path
            if row.topic:
                topic = topic_for(row.topic)
            elif relative:
                topic = topic_for(" / ".join(relative))
            else:
                topic = default_topic
            fields: dict[str, Any] = {"front": row.front, "back": row.back}
            if row.kind is Kind.CLOZE:
                fields = {"text": row.front}
            elif row.kind is Kind.TYPED:
                fields = {"front": row.front, "answer": row.back}
            notes.append(Note(id=note_id, kind=row.kind, topic=topic, tags=row.tags, explain=row.explain, **fields))
            lines[note_id] = row.line
        title = root[-1] if root and root != ("Default",) else ""  # Anki's default deck names nothing
        return notes, list(topics.values()), lines, title


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    prefix = paths[0]
    for path in paths[1:]:
        length = 0
        while length < min(len(prefix), len(path)) and prefix[length] == path[length]:
            length += 1
        prefix = prefix[:length]
    return prefix


def _cloze_problem(text: str) -> str:
    if cleaning.has_anki_cloze(text):
        return "a cloze gap is nested or not closed"
    if cloze.unclosed_gap_at(text) >= 0:
        return "a cloze gap '{{' is never closed"
    gaps = cloze.find_gaps(text)
    if not gaps:
        return "the cloze text has no gap"
    if any(not g.answer for g in gaps):
        return "a cloze gap is empty"
    if any("{" in g.answer + g.hint or "}" in g.answer + g.hint for g in gaps):
        return "a cloze gap is nested"
    return ""


HEADER_COMMENT = (
    "Imported from {name} by `quiz import`.\n"
    "Card ids keep your study history: edit any text freely, but keep each `id:` as it is."
)


def import_file(path: str | Path, options: ImportOptions | None = None) -> ImportResult:
    """Read a CSV/TSV or Anki text export and build a deck; ImportFailure when nothing can be imported."""
    importer = _Importer(Path(path), options or ImportOptions())
    try:
        return _import(importer)
    except ImportFailure as exc:
        exc.problems = sorted(importer.report.problems, key=lambda p: p.line)
        raise


def _import(importer: _Importer) -> ImportResult:
    path, options = importer.path, importer.options
    meta, records, header, _ = importer.read()
    importer.quiz_table = is_quiz_table(header)
    width = max(len(r.cells) for r in records)
    mapping = importer.columns(meta, header, width)
    rows = importer.rows(meta, records, mapping)
    notes, topics, lines, root_title = importer.notes(rows)
    deck_id = options.deck_id or _deck_id_from_guids(importer.guids) or ids.slugify(path.stem, 60) or "imported"
    if not is_id(deck_id):
        raise ImportFailure(
            f"--deck-id {deck_id!r} is not a valid id: use letters, digits, '-', '_' or '.', starting with a"
            " letter or digit"
        )
    title = (options.title or root_title or path.stem.replace("_", " ").replace("-", " ").strip() or deck_id).strip()
    if not title:
        raise ImportFailure("--title is empty")
    header_text = HEADER_COMMENT.format(name=path.name)
    report = importer.report
    for _attempt in range(2):  # a note the loader refuses is reported and dropped, then the deck is written again
        if not notes:
            raise ImportFailure(f"{path}: no usable rows; nothing was imported")
        text = deck_text(deck_id, title, notes, topics=_used(topics, notes), header=header_text)
        loaded = parse_deck(text.encode("utf-8"), f"{deck_id}.yaml")
        bad = {p.card_id: p for p in errors(loaded.problems) if p.card_id}
        if loaded.deck is not None and not bad:
            _check_round_trip(notes, loaded.deck.notes)
            break
        if not bad:
            raise ImportFailure(f"{path}: the deck could not be written: {errors(loaded.problems)[0]}")
        for note_id, problem in bad.items():
            report.skip(lines.get(note_id, 0), problem.message, problem.hint)
        notes = [n for n in notes if n.id not in bad]
    else:  # pragma: no cover - the second attempt drops every note the loader named
        raise ImportFailure(f"{path}: the deck could not be written")
    topics = _used(topics, notes)
    problems = sorted(report.problems, key=lambda p: p.line)
    return ImportResult(deck_id, title, notes, topics, text, problems, lines)


def _used(topics: list[Topic], notes: list[Note]) -> list[Topic]:
    used = {n.topic for n in notes}
    return [t for t in topics if t.id in used]


def _deck_id_from_guids(guids: list[str]) -> str | None:
    decks = {ids.deck_of_guid(g) for g in guids}
    return decks.pop() if len(decks) == 1 and None not in decks else None


def _check_round_trip(written: list[Note], loaded: tuple[Note, ...]) -> None:
    for want, got in zip(written, loaded, strict=True):
        if replace(got, line=0) != replace(want, line=0):
            raise ImportFailure(f"card {want.id}: the deck file would not read back as written; please report this")
