"""What a file that is not text is, told by its first bytes, so a text reader can say what to run instead."""

from __future__ import annotations

import codecs

from quiz.core.text import guide

ZIP_MAGIC = b"PK\x03\x04"
_KNOWN = (  # first bytes -> what the file is
    (ZIP_MAGIC, "a zip archive (an Anki package .apkg/.colpkg is one; a spreadsheet .xlsx/.ods too)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"SQLite format 3\x00", "an SQLite database (an Anki collection file?)"),
    (b"%PDF", "a PDF document"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.xls/.doc)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF8", "a GIF picture"),
)
_MARKS = (  # byte-order mark -> the codec that reads the text after it; UTF-32 LE's mark starts as UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_IMPORTS = (
    "quiz import reads Anki packages (.apkg, .colpkg, known by their content unless --format names another"
    " format), CSV/TSV and Anki's 'Notes in Plain Text' export; save a spreadsheet as CSV"
)
_PICTURE = f"a picture goes in a card's `image:` ({guide('deck-format')}), not through quiz import"


def what_to_run(what: str) -> str:
    """What to do with a file a text importer found to be `what` (binary_kind's words) instead."""
    return _PICTURE if what.endswith(" picture") else _IMPORTS


def marked_encoding(data: bytes) -> str | None:
    """The codec of text that starts with a byte-order mark (Excel's "Unicode Text" is UTF-16 with one), else
    None. The codec drops the mark."""
    for mark, codec in _MARKS:
        if data.startswith(mark):
            return codec
    return None


def unmarked_utf16(data: bytes) -> bool:
    """Whether text with no byte-order mark is UTF-16 all the same (a program that writes none): mostly Latin
    letters, so nearly every other byte is NUL, on one side only. UTF-8 text has no NUL at all."""
    sample = data[:1024]
    for nuls, letters in ((sample[1::2], sample[0::2]), (sample[0::2], sample[1::2])):  # little-, big-endian
        if len(nuls) >= 4 and nuls.count(0) >= 0.75 * len(nuls) and letters.count(0) < 0.25 * len(letters):
            return True
    return False


def binary_kind(data: bytes, encoding: str = "utf-8") -> str | None:
    """What the bytes are when they are plainly not text in `encoding` ("a zip archive ..."), else None."""
    if marked_encoding(data) or encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32", "utf16", "utf32")):
        return None  # NUL bytes are normal there, and the decoder says what is wrong
    return known_kind(data) or ("a binary file" if b"\x00" in data[:8192] else None)  # UTF-16/32 text has NULs


def known_kind(data: bytes) -> str | None:
    """What the bytes are when their first bytes say so ("a PNG picture", "a zip archive ..."), else None."""
    for magic, what in _KNOWN:
        if data.startswith(magic):
            return what
    return None
