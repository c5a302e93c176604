"""Delimited text -> ImportedNote, for both readers of it (CSV/TSV and Anki's text export): columns are
mapped to roles, cells cleaned, kinds and wanted ids found. `meta` holds Anki's headers (empty for CSV).

A note type's name decides a kind only when quiz knows the name; any other name (a German "Einfach", a
custom note type) is decided by the note's content, and said once per name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from quiz.core import cloze
from quiz.core.anki.clozefilter import gap_numbers, render_cloze
from quiz.core.decktable import RowFields, is_quiz_table, read_fields, split_tags, unquote_cell
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
from quiz.core.importers.readers.hiddenfield import NO_HIDDEN_FIELD, declared_otherwise, read_hidden_field
from quiz.core.kinds import KINDS, TABLE_KINDS
from quiz.core.model import Source
from quiz.core.notedefinition import holds_definition
from quiz.core.text import counted

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
_NOT_HTML = ("id", "guid", "kind")  # roles whose cells are never read as HTML


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
    """Our kind's name, "optional" (Basic (optional reversed card)) or None for a name quiz does not know (the
    note's content decides); a kind quiz has but a table cannot hold is named too (the caller says so)."""
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


def _is_image_occlusion(anki_text: str) -> bool:
    """Anki's Image Occlusion notes are clozes whose gaps are masks on an image: `{{c1::image-occlusion:rect:...}}`."""
    gaps = cleaning.anki_gaps(anki_text)
    return bool(gaps) and all(gap.startswith("image-occlusion:") for gap in gaps)


@dataclass
class _NameUse:
    """How the notes of one note type (or kind) name that quiz could not use as named were imported."""

    first_line: int
    needs_fields: bool  # a kind quiz has, but a table cannot hold; else a name quiz does not know
    kinds: Counter[str] = field(default_factory=Counter)

    def message(self, name: str) -> tuple[str, str]:
        """The warning said once for the name: what its notes became, and why."""
        total = sum(self.kinds.values())
        became = " and ".join(
            kind if len(self.kinds) == 1 else f"{count} {kind}" for kind, count in self.kinds.most_common()
        )
        notes = f"its {total} notes were" if total != 1 else "its note was"
        if self.needs_fields:
            return (
                f"kind {name!r} needs fields this table does not hold: {notes} imported as {became}",
                "keep the deck's YAML file, or export it again with `quiz export`, whose table holds every kind",
            )
        return (
            f"note type {name!r} is not one quiz knows by name: {notes} imported by content, as {became}",
            "a first field with {{c1::...}} makes a cloze card, any other a basic card (or the --kind you give)",
        )


class _Rows:
    def __init__(self, source: ImportSource, options: ImportOptions, report: Report) -> None:
        self.source, self.options, self.report = source, options, report
        self.name = source.name
        self.anki_positional = False  # fields taken by position from an Anki export (no #columns header)
        self.more_fields: list[int] = []  # an Anki export's columns of the note's fields after its third
        self.quiz_table = False  # written by `quiz export`: read exactly, its formula-guarding quotes come off
        self.named: dict[str, _NameUse] = {}  # names not used as named, said once each
        self.width = ""  # the columns a row should have, as a short row's warning says it ("the header has 2")
        self.earlier: list[ImportedNote] = []  # ImportedDeck.earlier
        self.anki_export = False  # a file with Anki's headers: its text is Anki's, HTML or not (#html:false)
        self.declared: dict[str, Source] = {}  # ImportedDeck.sources: those quiz's hidden fields declare

    def read(self, lines: list[str], meta: Meta) -> ImportedDeck:
        for line, message in meta.warnings:
            self.report.warn(line, message)
        self.anki_export = meta.is_anki
        separator = self._separator(meta, lines[meta.header_lines :])
        self.quiz_table = self._starts_as_quiz_table(lines[meta.header_lines :], meta, separator)
        records = read_records(lines, meta.header_lines, separator, self.name, meta.is_anki, self.quiz_table)
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
        width = max(len(r.cells) for r in records)
        self.width = f"the header has {len(header)}" if header is not None else f"the longest row has {width}"
        mapping = self._columns(meta, header, width)
        notes = self._notes(meta, records, mapping)
        return ImportedDeck(notes, carries_pictures=False, sources=tuple(self.declared.values()), earlier=self.earlier)

    def _starts_as_quiz_table(self, lines: list[str], meta: Meta, separator: str) -> bool:
        """Whether the first line is quiz's own header (always one line): then every cell is read as written,
        leading spaces included."""
        if not lines or meta.is_anki or self.options.header is False:
            return False
        return is_quiz_table(split_columns_header(lines[0], separator))

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
            if self.quiz_table and "fields" in header:
                give("fields", header.index("fields"))
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
        if self.anki_positional:
            self.more_fields = free
        if "front" not in mapping:
            raise ImportFailure(f"{self.name}: no column is left for the front; pass --front COLUMN")
        return mapping

    # --- notes ------------------------------------------------------------------------------------

    def _notes(self, meta: Meta, records: list[Record], mapping: dict[str, int]) -> list[ImportedNote]:
        html = self.options.html if self.options.html is not None else meta.html  # None: each cell decides
        notes = []
        as_named: list[tuple[str, ...]] = []  # each note's deck as the file names it
        for record in records:
            made = self._note(record, mapping, meta, html)
            notes += made
            as_named += [_deck_path(self._readable(record, mapping, "deck", html)[0] or meta.deck)] * len(made)
        notes = self._decks_apart(notes, as_named)
        for name, use in self.named.items():
            if use.kinds:  # else every note of the name was skipped, each with its reason
                self.report.warn(use.first_line, *use.message(name))
        return notes

    def _decks_apart(self, notes: list[ImportedNote], as_named: list[tuple[str, ...]]) -> list[ImportedNote]:
        """The notes, two decks whose names differ only in what cleaning replaces kept apart (cleaning.py)."""
        cleaned = {named: note.deck_path for note, named in zip(notes, as_named, strict=True)}
        apart = cleaning.deck_paths_apart({named: path for named, path in cleaned.items() if len(named) == len(path)})
        kept: list[ImportedNote] = []
        for note, named in zip(notes, as_named, strict=True):
            path = apart.get(named, note.deck_path)
            if path != note.deck_path:
                if named in cleaned:  # said once, at its first note
                    del cleaned[named]
                    self.report.warn(
                        note.line, f"deck {'::'.join(path)!r}: numbered apart from a deck of the same name"
                    )
                note = replace(note, deck_path=path)
            kept.append(note)
        return kept

    def _raw(self, record: Record, mapping: dict[str, int], role: str) -> str:
        index = mapping.get(role)
        return record.cells[index] if index is not None and index < len(record.cells) else ""

    def _readable(self, record: Record, mapping: dict[str, int], role: str, html: bool | None) -> tuple[str, list[str]]:
        """A cell's text as it reads, its control and bidi characters not yet replaced, and notes on what changed:
        two deck names that read alike (`R&amp;D` in an HTML cell, `R&D`) are one deck."""
        raw = self._raw(record, mapping, role)
        if not raw:
            return "", []
        if self.quiz_table:  # quiz wrote it: text as written (only line breaks normalised), never HTML
            return cleaning.normalize_breaks(unquote_cell(raw)), []
        if role in _NOT_HTML:
            return cleaning.readable_cell(raw, False, formulas=False)
        is_html = cleaning.looks_like_html(raw) if html is None else html
        # MathJax is how Anki shows `\(...\)`: read in Anki's HTML and in its text export, whose `#html:false` takes
        # the tags off, not the formulas; a cell of plain text of another program's (a regex `\(\d{3}\)`) is kept
        return cleaning.readable_cell(raw, is_html, formulas=is_html or self.anki_export)

    def _cell(self, record: Record, mapping: dict[str, int], role: str, html: bool | None) -> str:
        text, notes = cleaning.safe(*self._readable(record, mapping, role, html))
        for note in notes:
            self.report.warn(record.line, f"{role}: {note}")
        return text

    def _kind(self, line: int, type_name: str, front: str, has_fields: bool) -> tuple[str, str]:
        """The row's kind (or "optional", which the note's third field decides) and, when its note type name
        was not used as named, that name."""
        by_content = "cloze" if cloze.has_anki_cloze(front) else self.options.kind
        if not type_name:
            return by_content, ""
        kind = _kind_for(type_name)
        if kind is None:  # another language's name, or a custom note type
            self.named.setdefault(type_name, _NameUse(line, needs_fields=False))
            return by_content, type_name
        if kind not in TABLE_KINDS and kind != "optional" and not (self.quiz_table and has_fields):
            self.named.setdefault(type_name, _NameUse(line, needs_fields=True))
            return self.options.kind, type_name
        return kind, ""

    def _note(self, record: Record, mapping: dict[str, int], meta: Meta, html: bool | None) -> list[ImportedNote]:
        """The row's note; none (reported) when it makes no card, several for an Anki cloze with nested gaps."""
        line = record.line

        def cell(role: str) -> str:
            return self._cell(record, mapping, role, html)

        front, back, explain, fields_text = cell("front"), cell("back"), cell("explain"), cell("fields")
        kind, named = self._kind(line, cell("kind") or meta.notetype, front, bool(fields_text.strip()))
        if kind == "optional":  # Front, Back, Add Reverse: reverse when the third field is filled in
            kind, explain = ("reverse" if explain else "basic"), ""
        hidden = NO_HIDDEN_FIELD
        if self.anki_positional:  # the note's fields after its third (a shared deck's extras, your own notes)
            more = [self._cell(record, {"explain": column}, "explain", html) for column in self.more_fields]
            hidden_at = [column for column, text in zip(self.more_fields, more, strict=True) if holds_definition(text)]
            if not hidden_at:
                explain = "\n\n".join(text for text in (explain, *more) if text)
            else:  # quiz's own note type: its hidden field, read as it is kept (HTML-escaped), as a package's is
                hidden = read_hidden_field(record.cells[hidden_at[-1]], escaped=html is not False)
                for why in (*hidden.dropped, *declared_otherwise(self.declared, hidden.sources)):
                    self.report.warn(line, why)
                if kind == "cloze":  # its fields past the explanation show what the note holds
                    explain = ""  # Text, Back Extra, then Sources
        tags = list(dict.fromkeys([*meta.tags, *split_tags(cell("tags"))]))
        body: Any = None
        outside = siblings = anki_text = problem = ""
        if hidden.definition is not None:  # the note as quiz wrote it (its body wins over Anki's faces, which give
            kind, explain = hidden.definition.kind, hidden.definition.explain  # an id only without a GUID column)
            named = ""  # its note type's name is quiz's, whatever Anki's faces of the kind are
            body, outside = hidden.definition.body, hidden.definition.outside
        elif self.quiz_table:
            fields = self._quiz_fields(line, kind, front, back, fields_text)
            if fields is None:
                return []
            body, tags = fields.body, list(fields.tags) if fields.tags is not None else tags
            outside, siblings = fields.outside, fields.siblings
        elif kind == "cloze" and (problem := _card_by_card(front)):
            anki_text = front
        else:
            faces = self._faces(record, mapping, kind, front, back, explain)
            if faces is None:
                return []
            kind, front, back, explain = faces
        deck_path = _deck_path(cell("deck") or meta.deck)
        wanted, source, guid = "", "front", ""
        if raw_id := cell("id"):
            wanted, source = ids.id_from_text(raw_id), "column"
            if wanted != raw_id:
                self.report.warn(line, f"id {raw_id!r} is not a valid id; using {wanted!r}")
        elif guid := cell("guid"):
            wanted, source = ids.id_from_guid(guid), "guid"
        else:
            wanted = ids.id_from_front(front)
        if named:
            self.named[named].kinds[kind] += 1
        note = ImportedNote(
            line,
            kind,
            front,
            back,
            explain,
            tuple(tags),
            cell("topic"),
            deck_path,
            wanted,
            source,
            guid,
            body,
            sources=hidden.cited,
            outside=outside or hidden.outside,
            siblings=siblings or hidden.siblings,
        )
        if anki_text:
            self.report.warn(line, f"{problem}: {cleaning.CARD_BY_CARD}")
            extra = "\n\n".join(t for t in (back, explain) if t)
            if guid and cleaning.read_as_one_cloze_before(anki_text, text := cloze.from_anki(anki_text)):
                self.earlier.append(replace(note, front=text, back="", explain=extra))  # as _faces reads a cloze
            return [
                replace(
                    note,
                    kind="basic",
                    front=render_cloze(anki_text, number, question=True),
                    back=render_cloze(anki_text, number, question=False),
                    explain=extra,
                    wanted_id=f"{wanted}-{number}",
                    siblings=wanted,  # its cards stay siblings, as the package reader gives them
                )
                for number in gap_numbers(anki_text)
            ]
        return [note]

    def _quiz_fields(self, line: int, kind: str, front: str, back: str, cell: str) -> RowFields | None:
        """A row of quiz's own table, read as the deck loader reads a card; None (reported) when it is broken."""
        fields, problems = read_fields(kind, front, back, cell)
        skipped = False
        for problem in problems:
            if problem.severity == "error" and not skipped:  # the first reason is the row's; the others follow
                self.report.skip(line, problem.message, problem.hint)
                skipped = True
            else:
                self.report.warn(line, problem.message, problem.hint)
        return fields

    def _skip_empty(self, record: Record, column: int | None, what: str) -> None:
        """Skip a row whose `what` ("front", "back" ...) is empty: when the row ends before that column, say so,
        as a lost separator or an unquoted line break (which cuts a row in two) is the likely cause."""
        if column is None or column < len(record.cells):
            self.report.skip(record.line, f"the {what} is empty")
        else:
            self.report.skip(
                record.line,
                f"the row has {counted(len(record.cells), 'column')} where {self.width}: it has no {what}",
                "add the missing cells (an empty one too needs its separator); a cell that holds a line break goes"
                " in double quotes",
            )

    def _faces(
        self, record: Record, mapping: dict[str, int], kind: str, front: str, back: str, explain: str
    ) -> tuple[str, str, str, str] | None:
        """(kind, front, back, explain) of a row of any other table or an Anki export; None (reported) when the
        row makes no card."""
        line = record.line
        if kind == "cloze":
            if _is_image_occlusion(front):
                self.report.skip(line, "an Image Occlusion note: a text export holds neither its image nor its masks")
                return None
            if not cloze.has_anki_cloze(front) and cloze.has_anki_cloze(back):  # a source or a header first
                front, back, explain = back, "\n\n".join(t for t in (front, explain) if t), ""
            front = cloze.from_anki(front)
        if not front:
            self._skip_empty(record, mapping.get("front"), "front" if kind != "cloze" else "cloze text")
            return None
        if kind == "cloze":
            problem = cleaning.cloze_problem(front, unmatchable=False)  # such a gap is said by the assembler
            if problem:
                self.report.skip(line, problem, "write gaps as {{c1::answer}} or {{c1::answer::hint}}")
                return None
            return kind, front, "", "\n\n".join(t for t in (back, explain) if t)
        if not back:
            self._skip_empty(record, mapping.get("back"), "answer" if kind == "typed" else "back")
            return None
        return kind, front, back, explain


def _card_by_card(front: str) -> str:
    """Why an Anki cloze comes in card by card, each as Anki shows it ("" when quiz's cloze holds it): gaps inside
    gaps, or gaps that are not Anki's cards one to one (an empty gap is skipped, as any cloze row's: a text export
    holds no picture that could have filled it; a text with no Anki gap is read as quiz's cloze)."""
    text = cloze.from_anki(front)
    if cloze.has_anki_cloze(text):
        return cleaning.cloze_problem(text)
    if not cloze.has_anki_cloze(front) or cleaning.cloze_problem(text, unmatchable=False):
        return ""
    return cleaning.gaps_unlike_anki(front, text)


def _deck_path(name: str) -> tuple[str, ...]:
    """An Anki deck name's parts: `Pharm::Cardio` -> ("Pharm", "Cardio")."""
    return tuple(part.strip() for part in name.split("::") if part.strip())
