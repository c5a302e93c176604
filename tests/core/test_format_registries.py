"""Which reader reads a file (--format, then content, then suffix) and which writer writes one (suffix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.exporters import ExportError
from quiz.core.exporters.registry import FORMATS, WRITERS, writer_for
from quiz.core.importers.model import ImportFailure, ImportOptions, ImportSource
from quiz.core.importers.registry import READERS, reader_for

ANKI_HEADERS = b"#separator:tab\n#html:false\nfront\tback\n"


@pytest.mark.parametrize(
    ("name", "data", "options", "expected"),
    [
        ("notes.csv", ANKI_HEADERS, ImportOptions(), "anki"),  # Anki's headers win over the suffix
        ("notes.txt", b"front,back\nHaus,house\n", ImportOptions(), "csv"),  # no headers: a table
        ("notes.tsv", b"Haus\thouse\n", ImportOptions(), "csv"),
        ("notes", b"Haus,house\n", ImportOptions(), "csv"),  # nothing to go by: read as a table
        ("notes.txt", ANKI_HEADERS, ImportOptions(format="csv"), "csv"),  # --format overrides the content
        ("notes.csv", b"Haus,house\n", ImportOptions(format="anki"), "anki"),
        ("notes.txt", b"#separator:tab\n\xff\n", ImportOptions(), "csv"),  # not UTF-8: the table reader says so
    ],
)
def test_reader_is_chosen_by_format_then_content_then_suffix(
    name: str, data: bytes, options: ImportOptions, expected: str
) -> None:
    assert reader_for(ImportSource(Path(name), data), options).name == expected


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ImportFailure, match="unknown format 'pdf'"):
        reader_for(ImportSource(Path("x.csv"), b"a,b\n"), ImportOptions(format="pdf"))


def test_reader_names_are_unique() -> None:
    names = [reader.name for reader in READERS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_every_listed_suffix_has_its_writer(suffix: str) -> None:
    writer = writer_for(Path(f"deck{suffix.upper()}"))
    assert suffix in writer.suffixes and writer.name == FORMATS[suffix]


def test_each_suffix_belongs_to_one_writer() -> None:
    suffixes = [suffix for writer in WRITERS for suffix in writer.suffixes]
    assert len(suffixes) == len(set(suffixes))


def test_an_unknown_suffix_names_the_known_ones() -> None:
    with pytest.raises(ExportError, match=r"end the name with \.apkg, \.csv, \.tsv, \.yaml, \.yml"):
        writer_for(Path("deck.pdf"))
