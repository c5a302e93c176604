"""Delimited text -> ImportedNote, for both readers of it (CSV/TSV and Anki's text export): columns are
mapped to roles, cells cleaned, kinds and wanted ids found. `meta` holds Anki's headers (empty for CSV).
"""

from __future__ import annotations

from quiz.core.decktable import is_quiz_table, unquote_cell
from quiz.core.importers import cleaning, ids
from quiz.core.importers.model import ImportedDeck, ImportedNote, ImportFailure, ImportOptions, ImportSource, Report
from quiz.core.importers.readers.delimited import (
    Meta,
    Record,
    read_records,
    separator_from_name,
    sniff_separator,
    split_columns_header,
)
from quiz.core.kinds import KINDS, TABLE_KINDS

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
ANKI_TYPES = "Basic, Basic (and reversed card), Basic (optional reversed card), Basic (type in the answer) and Cloze"


def read_rows(
    source: ImportSource, options: ImportOptions, report: Report, lines: list[str], meta: Meta
) -> ImportedDeck:
    """The notes of a delimited file already split into `lines`, its headers (if any) read into `meta`."""
    return _Rows(source, options, report).read(lines, meta)


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


def _kind_for(name: str) -> str | None:
    """Our kind's name, "optional" (Basic (optional reversed card)) or None for a note type name we cannot
    import; a kind quiz has but a table cannot hold is named too (the caller says so)."""
    lowered = name.strip().casefold()
    if lowered in KINDS:
        return lowered
    if "cloze" in lowered:
        return "cloze"
    if "optional reversed" in lowered:
        return "optional"
    if "reversed" in lowered:
        return "reverse"
    if "type in" in lowered:
        return "typed"
    if lowered.startswith("basic"):
        return "basic"
    return None


def _split_tags(text: str) -> list[str]:
    """Anki writes tags space-separated; spreadsheets often use commas or semicolons."""
    if "," in text or ";" in text:
        parts = text.replace(";", ",").split(",")
    else:
        parts = text.split()
    return [p.strip() for p in parts if p.strip()]


class _Rows:
    def __init__(self, source: ImportSource, options: ImportOptions, report: Report) -> None:
        self.source, self.options, self.report = source, options, report
        self.name = source.name
        self.anki_positional = False  # fields taken by position from an Anki export (no #columns header)
        self.quiz_table = False  # written by `quiz export`: its formula-guarding quotes come off

    def read(self, lines: list[str], meta: Meta) -> ImportedDeck:
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
            if not records:
                raise ImportFailure(f"{self.name} has only a header row; nothing to import")
        self.quiz_table = is_quiz_table(header)
        width = max(len(r.cells) for r in records)
        mapping = self._columns(meta, header, width)
        return ImportedDeck(self._notes(meta, records, mapping))

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
        if self.source.path.suffix.lower() == ".tsv":
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

    def _columns(self, meta: Meta, header: list[str] | None, width: int) -> dict[str, int]:
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

    # --- notes ------------------------------------------------------------------------------------

    def _notes(self, meta: Meta, records: list[Record], mapping: dict[str, int]) -> list[ImportedNote]:
        cells_all = [c for r in records for c in r.cells]
        is_html = self.options.html if self.options.html is not None else meta.html
        if is_html is None:
            is_html = any(cleaning.looks_like_html(c) for c in cells_all)
        notes = []
        for record in records:
            note = self._note(record, mapping, meta, is_html)
            if note is not None:
                notes.append(note)
        return notes

    def _cell(self, record: Record, mapping: dict[str, int], role: str, is_html: bool) -> str:
        index = mapping.get(role)
        if index is None or index >= len(record.cells):
            return ""
        raw = unquote_cell(record.cells[index]) if self.quiz_table else record.cells[index]
        text, notes = cleaning.clean_cell(raw, is_html and role not in ("id", "guid", "kind"))
        for note in notes:
            self.report.warn(record.line, f"{role}: {note}")
        return text

    def _note(self, record: Record, mapping: dict[str, int], meta: Meta, is_html: bool) -> ImportedNote | None:
        line = record.line

        def cell(role: str) -> str:
            return self._cell(record, mapping, role, is_html)

        front, back, explain = cell("front"), cell("back"), cell("explain")
        type_name = cell("kind") or meta.notetype
        kind: str | None
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
            kind = "cloze"
        else:
            kind = self.options.kind
        if kind == "optional":  # Front, Back, Add Reverse: reverse when the third field is filled in
            kind, explain = ("reverse" if explain else "basic"), ""
        if kind == "cloze":
            front = cleaning.convert_cloze(front)
        if not front:
            self.report.skip(line, "the front is empty" if kind != "cloze" else "the cloze text is empty")
            return None
        if kind == "cloze":
            problem = cleaning.cloze_problem(front)
            if problem:
                self.report.skip(line, problem, "write gaps as {{c1::answer}} or {{c1::answer::hint}}")
                return None
            if self.anki_positional:  # Text, Back Extra, then fields quiz does not use
                explain = ""
            explain = "\n\n".join(t for t in (back, explain) if t)
            back = ""
        elif not back:
            self.report.skip(line, f"the {'answer' if kind == 'typed' else 'back'} is empty")
            return None
        tags = list(dict.fromkeys([*meta.tags, *_split_tags(cell("tags"))]))
        deck_name = cell("deck") or meta.deck
        deck_path = tuple(p.strip() for p in deck_name.split("::") if p.strip()) if deck_name else ()
        wanted, source, guid = "", "front", ""
        if raw_id := cell("id"):
            wanted, source = ids.id_from_text(raw_id), "column"
            if wanted != raw_id:
                self.report.warn(line, f"id {raw_id!r} is not a valid id; using {wanted!r}")
        elif guid := cell("guid"):
            wanted, source = ids.id_from_guid(guid), "guid"
        else:
            wanted = ids.id_from_front(front)
        return ImportedNote(
            line, kind, front, back, explain, tuple(tags), cell("topic"), deck_path, wanted, source, guid
        )
