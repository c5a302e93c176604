"""Delimited text -> records with their line numbers, plus the `#key:value` file headers Anki writes."""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from quiz.core.filekind import binary_kind, marked_encoding, what_to_run
from quiz.core.importers.model import ImportFailure, ImportSource

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_SNIFFED = ("\t", ";", ",", "|")  # in order of preference when several fit
_COLUMN_KEYS = {"notetype column", "deck column", "tags column", "guid column"}
_ANKI_KEYS = {"separator", "html", "tags", "columns", "notetype", "deck"} | _COLUMN_KEYS
MAX_FIELD = 1024 * 1024


@dataclass
class Meta:
    """Anki's text file headers (https://docs.ankiweb.net/importing/text-files.html#file-headers)."""

    is_anki: bool = False
    separator: str | None = None
    html: bool | None = None
    tags: list[str] = field(default_factory=list)
    columns: list[str] | None = None
    notetype: str = ""
    deck: str = ""
    notetype_column: int = 0  # 1-based; 0 when absent
    deck_column: int = 0
    tags_column: int = 0
    guid_column: int = 0
    header_lines: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


@dataclass
class Record:
    line: int  # where the record starts, 1-based
    cells: list[str]


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """The file's text; a byte-order mark at its start decides the encoding over `encoding` (it proves it)."""
    if what := binary_kind(data, encoding):
        raise ImportFailure(f"{name} is {what}, not text: {what_to_run(what)}")
    marked = marked_encoding(data)
    named = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    codec = marked or named
    try:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            if not marked or named == "utf-8-sig":
                raise
            # what looked like a mark is her text's first letters ("ÿþ" in cp1252): the encoding she named
            codec, marked = named, None
            return data.decode(codec)
    except LookupError:
        raise ImportFailure(f"unknown text encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, "replace").count("\n") + 1
        if marked:
            raise ImportFailure(
                f"{name}:{line}: the file is not valid {marked.removesuffix('-sig')} text, as its first bytes (a"
                " byte-order mark) say it is; save it again as UTF-8"
            ) from None
        raise ImportFailure(
            f"{name}:{line}: the file is not valid {encoding} text; save it as UTF-8 or pass --encoding (e.g. cp1252)"
        ) from None


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings; only \\n, \\r\\n and \\r end a line (as for csv)."""
    return list(io.StringIO(text, newline=""))


@functools.lru_cache(maxsize=1)  # the reader that sniffs the file and the one that reads it share one decode
def read_lines(source: ImportSource, encoding: str) -> list[str]:
    """The file's text in physical lines; ImportFailure when it is not text in `encoding` or is empty.
    Callers must not change the list (it is shared)."""
    text = decode(source.data, source.name, encoding)
    if not text.strip():
        raise ImportFailure(f"{source.name} is empty")
    return split_lines(text)


def separator_from_name(value: str) -> str | None:
    value = value.strip("\r\n")
    named = SEPARATORS.get(value.strip().lower())
    if named:
        return named
    return value if len(value) == 1 else None


def _int(value: str) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if number > 0 else None


def read_meta(lines: list[str]) -> Meta:
    """Read the leading `#key:value` lines (and an old-style first line `tags:a b`)."""
    meta = Meta()
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1 and line.startswith("tags:"):
            meta.tags, meta.is_anki = line[5:].split(), True
        elif line.startswith("#"):
            key, colon, value = line[1:].partition(":")
            key = key.strip().lower()
            if colon and key in _ANKI_KEYS:
                meta.is_anki = True
                _apply(meta, number, key, value)
        else:
            break
        meta.header_lines = number
    if not meta.is_anki:  # not Anki's headers: a leading '#' is the text of a row
        meta.header_lines = 0
    return meta


def _apply(meta: Meta, line: int, key: str, value: str) -> None:
    if key == "separator":
        meta.separator = separator_from_name(value)
        if meta.separator is None:
            meta.warnings.append((line, f"unknown separator {value.strip()!r}; it will be detected instead"))
    elif key == "html":
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            meta.html = lowered == "true"
        else:
            meta.warnings.append((line, f"#html must be true or false, not {value.strip()!r}; ignored"))
    elif key == "tags":
        meta.tags = value.split()
    elif key == "columns":
        meta.columns = [value]  # split once the separator is known
    elif key in ("notetype", "deck"):
        setattr(meta, key, value.strip())
    else:
        number = _int(value)
        if number is None:
            meta.warnings.append((line, f"#{key} needs a column number (1, 2, ...), not {value.strip()!r}; ignored"))
        else:
            setattr(meta, key.replace(" ", "_"), number)


def _reader(lines: Iterable[str], separator: str, strict: bool, exact: bool = False) -> Iterator[list[str]]:
    """Cells of delimited text; spaces after a separator are dropped unless `exact` (quiz's own table)."""
    skip_spaces = separator != " " and not exact
    return csv.reader(
        lines, delimiter=separator, quotechar='"', doublequote=True, skipinitialspace=skip_spaces, strict=strict
    )


def sniff_separator(lines: list[str]) -> str:
    """The separator that splits the first rows into the same number (more than one) of columns."""
    sample = lines[:200]
    best, best_score = ",", (0.0, 0)
    for candidate in _SNIFFED:
        counts: Counter[int] = Counter()
        try:
            for cells in _reader(sample, candidate, strict=False):
                if cells:
                    counts[len(cells)] += 1
        except csv.Error:
            continue
        if not counts:
            continue
        modal, hits = counts.most_common(1)[0]
        if modal < 2:
            continue
        score = (hits / sum(counts.values()), 1)
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_records(
    lines: list[str], start: int, separator: str, name: str, skip_comments: bool, exact: bool = False
) -> list[Record]:
    """Every non-blank record from line index `start` on; a broken quote is refused with its line. `exact`
    keeps every cell as written (quiz's own table), leading spaces included."""
    position = start

    def feed() -> Iterator[str]:
        nonlocal position
        while position < len(lines):
            position += 1
            yield lines[position - 1]

    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, MAX_FIELD))
    records: list[Record] = []
    try:
        reader = _reader(feed(), separator, strict=True, exact=exact)
        while True:
            first = position
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise ImportFailure(
                    f"{name}:{first + 1}: cannot read this row ({exc}); check its quotes: a quoted field must"
                    ' end with " and a " inside it is written ""'
                ) from None
            if not cells or all(not c.strip() for c in cells):
                continue
            if skip_comments and lines[first].startswith("#"):
                continue
            records.append(Record(first + 1, cells))
    finally:
        csv.field_size_limit(old_limit)
    return records


def split_columns_header(value: str, separator: str) -> list[str]:
    rows = list(_reader([value], separator, strict=False))
    return [cell.strip() for cell in rows[0]] if rows else []
