"""Every deck export format, picked by the output's suffix; and the review log, always CSV."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from quiz.core.atomicfile import remove_leftovers
from quiz.core.exporters.ankischedule import Progress
from quiz.core.exporters.apkg import ApkgWriter
from quiz.core.exporters.reviews import write_review_table
from quiz.core.exporters.tables import TableWriter
from quiz.core.exporters.writer import ExportError, Writer, table_file
from quiz.core.exporters.yamldeck import YamlWriter
from quiz.core.model import Deck, Mode
from quiz.core.store import ReviewRecord
from quiz.core.text import quoted

WRITERS: tuple[Writer, ...] = (
    ApkgWriter(),
    TableWriter("CSV", ".csv", ","),
    TableWriter("TSV", ".tsv", "\t"),
    YamlWriter(),
)
#: suffix -> the format's name, as the help and the messages list them
FORMATS = {suffix: writer.name for writer in WRITERS for suffix in writer.suffixes}


def writer_for(path: Path) -> Writer:
    suffix = path.suffix.lower()
    for writer in WRITERS:
        if suffix in writer.suffixes:
            return writer
    raise ExportError(f"cannot tell the format of {quoted(path.name)}: end the name with {', '.join(FORMATS)}")


def export_deck(
    deck: Deck,
    path: str | Path,
    timestamp: float,
    flags: Mapping[str, int] | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> tuple[str, int]:
    """Write `deck` in the format its extension names, with `flags` (card key -> flag) where the format
    keeps flags, and with `progress` (schedule and review log) into an .apkg only; returns the format's name
    and how many pictures were written beside the file; with `force`, pictures there that differ are replaced
    (the file itself is checked by the caller)."""
    path = Path(path)
    writer = writer_for(path)
    with _writing(path):
        if progress is None and isinstance(writer, YamlWriter):
            pictures = writer.write(deck, path, timestamp, flags or {}, force)
        elif progress is None:
            pictures = writer.write(deck, path, timestamp, flags or {})
        elif isinstance(writer, ApkgWriter):
            pictures = writer.write(deck, path, timestamp, flags or {}, progress)
        else:
            raise ExportError(f"only an Anki package keeps the schedule: name the file *.apkg, not {quoted(path.name)}")
    return writer.name, pictures


def export_reviews(records: Iterable[ReviewRecord], path: str | Path) -> Counter[Mode]:
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise ExportError(f"the review log is written as CSV: name the file *.csv, not {quoted(path.name)}")
    with _writing(path), table_file(path) as out:
        return write_review_table(records, out)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Refuse a missing folder up front; any error while writing becomes one ExportError line."""
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")
    remove_leftovers(path)  # the hidden temporary file an export of it killed midway left
    try:
        yield
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
