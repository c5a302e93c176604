"""The files `quiz sync` keeps in the synced folder: under `quiz-progress/`, one folder per device, holding
its `device.json` and its events as JSON lines in `events-000001.jsonl`, `events-000002.jsonl`, ... Only
the device a folder is named after writes in it, and only by appending (flushed and synced, folder too),
so a file-sync tool never sees two machines change one file. A part is closed once it passes PART_BYTES.

Each part starts with a header line, `{"quiz_events": FORMAT, "device": ..., "part": N}`; each later line
is one event (quiz.core.events.Event.line).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from quiz.core.atomicfile import sync_folder
from quiz.core.conflicts import is_conflict_copy
from quiz.core.deckfile import DeckFileError, open_regular
from quiz.core.events import FORMAT, BadEvent, Event, NewerFormat, event_from_line, json_record
from quiz.core.text import as_written, quoted, shell_word

FOLDER = "quiz-progress"
DEVICE_FILE = "device.json"
PART_BYTES = 8 << 20  # a part is closed past this size: no file grows without end, and a new part starts small
MAX_LINE = 16 << 20  # far past any event's line (an exam's answers are the longest): a longer one is not kept in memory
LARGEST_PART = 4 * (PART_BYTES + MAX_LINE)  # quiz writes none larger: a sparse file of a terabyte is not scanned
MAX_WARNINGS = 20  # per part and sync: a file of garbage is a few warnings and a count, not one per line
TAIL_MOST = 1 << 16  # a tail covers at most this many bytes: a line longer than that only by its end
_CHUNK = 1 << 20
_BEFORE, _AFTER = "events-", ".jsonl"  # around a part's six-digit number: the one spelling of a part's name
_PART = re.compile(f"{re.escape(_BEFORE)}([0-9]{{6}}){re.escape(_AFTER)}")
PART_GLOB = f"{_BEFORE}{'[0-9]' * 6}{_AFTER}"  # every part's name, as git and a shell match it


def part_name(number: int) -> str:
    return f"{_BEFORE}{number:06d}{_AFTER}"


def part_number(name: str) -> int | None:
    match = _PART.fullmatch(name)
    return int(match.group(1)) if match else None


def header(device: str, part: int) -> str:
    return json.dumps({"quiz_events": FORMAT, "device": device, "part": part}, sort_keys=True)


class SyncError(Exception):
    """Sync cannot go on (two stores share a device id, the folder is not usable); the message says what to do."""


def refuse_own_folder(given: Path) -> None:
    """Refuse `quiz sync --folder SYNC/quiz-progress`: quiz's own folder inside the synced folder, given for the
    synced folder, would put this device under `quiz-progress/quiz-progress/`, apart from every other one. It
    is recognised by its name and a device's folder in it (its `device.json`, or a part). So is a device's
    folder in it, `SYNC/quiz-progress/ID`, known by its `device.json`."""
    try:
        given = given.resolve()  # `--folder .` inside it, or a link to it, names it too
    except (OSError, RuntimeError):  # a link loop: the sync says so itself
        return
    if given.parent.name == FOLDER and (given / DEVICE_FILE).is_file():  # a device's folder in it: writing there
        raise SyncError(  # would put this device apart too, in another device's folder
            f"{as_written(given)} is a device's folder inside quiz's own folder in your sync folder; give the sync"
            f" folder: `quiz sync --folder {as_written(shell_word(given.parent.parent))}`"
        )
    if given.name != FOLDER or not given.is_dir():
        return
    try:
        devices = [child for child in given.iterdir() if child.is_dir()]
        ours = any((d / DEVICE_FILE).is_file() or (d / part_name(1)).is_file() for d in devices)
    except OSError:  # unreadable: the sync says so itself
        return
    if ours:
        raise SyncError(
            f"{as_written(given)} is quiz's own folder inside your sync folder; give its parent: "
            f"`quiz sync --folder {as_written(shell_word(given.parent))}`"
        )


def append_lines(folder: Path, device: str, first: int, lines: list[str]) -> tuple[int, int]:
    """Append `lines` to this device's parts from part `first` on, opening the next part when one passes
    PART_BYTES (as `split` tells); every file written is flushed and synced, and the folder too. Returns (last
    part, its size)."""
    folder.mkdir(parents=True, exist_ok=True)
    pending = iter(lines)
    for part, taken in split(folder, device, first, lines):
        path = folder / part_name(part)
        with open(path, "ab") as out:
            size = out.tell()
            if size == 0:
                out.write((header(device, part) + "\n").encode())
            elif not _ends_with_newline(path, size):  # a line cut short by a crash under an earlier quiz
                out.write(b"\n")
            for _ in range(taken):
                out.write((next(pending) + "\n").encode())
            out.flush()
            os.fsync(out.fileno())
            size = out.tell()
        sync_folder(folder)  # a new part's name survives a power cut as its data does
    return part, size


def split(folder: Path, device: str, part: int, lines: list[str]) -> list[tuple[int, int]]:
    """How `append_lines` shares `lines` among the parts from `part` on: (part, how many lines it takes), in
    order. A part takes lines while it is under PART_BYTES; a new one takes a line however long."""
    shares = []
    start = 0
    while True:
        path = folder / part_name(part)
        size = path.stat().st_size if path.exists() else 0
        if size == 0:
            tell = len(header(device, part).encode()) + 1
        else:
            tell = size + (0 if _ends_with_newline(path, size) else 1)
        taken = 0
        while start + taken < len(lines) and (tell < PART_BYTES or (size == 0 and taken == 0)):
            tell += len(lines[start + taken].encode()) + 1
            taken += 1
        shares.append((part, taken))
        start += taken
        if start == len(lines):
            return shares
        part += 1


def _ends_with_newline(path: Path, size: int) -> bool:
    with open(path, "rb") as existing:
        existing.seek(size - 1)
        return existing.read(1) == b"\n"


def ends_cut(path: Path) -> bool:
    """Whether the part at `path` ends inside a line: one a full disk (or a kill) stopped, never read as an event."""
    try:
        size = path.stat().st_size
        return size > 0 and not _ends_with_newline(path, size)
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class Tail:
    """What a pass over a part read last, by which the next pass knows the part unchanged up to where it
    stopped: the digest of the `length` bytes before that point (the last line read, and the line end before it)."""

    length: int
    digest: str


@dataclass
class Read:
    """What one pass over a part read from its remembered position."""

    events: list[Event] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # event id -> its line in the part (the last, if twice)
    warnings: list[str] = field(default_factory=list)
    offset: int = 0  # how far it read: complete lines only
    line: int = 0  # the number of the last line read
    tail: Tail | None = None  # the bytes before `offset`, to check next time (None: nothing read yet)
    refused: bool = False  # written by a newer quiz: not read (the position stays, for after an upgrade)
    lost: bool = False  # a bad line past the header: its event not taken, and not read again (the position moved on)


def read_part(path: Path, device: str, offset: int, line: int, tail: Tail | None = None) -> Read:
    """The complete lines of a part from byte `offset` (line `line` being the last read before, `tail` what
    that pass read last). A line that is not an event is a warning naming the file and line, and the reading
    goes on; a line not yet ended (still being written or synced) is left for the next pass. A part that is no
    regular file (a pipe, a device, a folder) is one warning and not read."""
    read = Read(offset=offset, line=line, tail=tail)
    bad = 0  # lines warned of: past MAX_WARNINGS, one line counts the rest
    try:
        with open_regular(path) as (source, stat):
            if stat.st_size > LARGEST_PART:
                read.warnings.append(f"{path}: larger than any part quiz writes; not read past {LARGEST_PART:,} bytes")
            if offset and not _unchanged_before(source, offset, stat.st_size, tail):
                # One shorter is an older copy put back: its device heals it, and says so. A position an older quiz
                # noted has no tail to check (a line end there may be another line's): read again once, quietly.
                if tail is not None and offset <= stat.st_size:
                    read.warnings.append(
                        f"{path}: changed before where the last sync read to (a line damaged in place, or an "
                        "older copy put back); read again from its start, the events held passed over: nothing "
                        "to do (a bad line in it is a warning of its own)"
                    )
                read.offset, read.line, read.tail = 0, 0, None  # the events held are passed over by id
            last = 0  # the length of the last line read, with its newline
            for raw, length in _lines(source, read.offset, MAX_LINE):
                read.line += 1
                problem = _line_problem(raw, read, path, device)
                if read.refused:  # the bad lines before it are still counted, below
                    read.line -= 1
                    break
                read.offset += length
                last = length
                if problem is not None:
                    bad += 1
                    read.lost |= read.line > 1
                    if bad <= MAX_WARNINGS:
                        read.warnings.append(f"{path}:{read.line}: {problem}")
            if last:  # with the line end before the line, if any: a shift of the lines is seen
                read.tail = _tail(source, read.offset, min(read.offset, last + 1, TAIL_MOST))
    except DeckFileError as exc:
        read.warnings.append(f"{path}: {exc.message}; not read")
    if bad > MAX_WARNINGS:
        read.warnings.append(f"{path}: {bad - MAX_WARNINGS} more bad line(s) up to line {read.line}; skipped")
    return read


def _unchanged_before(source: BinaryIO, offset: int, size: int, tail: Tail | None) -> bool:
    """Whether a part is as the last pass left it up to byte `offset`, where it stopped (always after a
    newline). A part only grows; one damaged before that byte (a line cut short, doubled, its endings made
    CRLF, an older copy put back) would be read on from inside another line, which would be skipped, its event
    lost. The bytes read last are checked by their digest: a line end alone at that byte may be another line's,
    so a position with no tail (noted by an older quiz) is not known unchanged."""
    if offset > size or tail is None:
        return False
    return tail.length <= offset and _tail(source, offset, tail.length) == tail


def _tail(source: BinaryIO, end: int, length: int) -> Tail:
    source.seek(end - length)
    return Tail(length, hashlib.blake2b(source.read(length), digest_size=16).hexdigest())


def _line_problem(raw: bytes | None, read: Read, path: Path, device: str) -> str | None:
    """What is wrong with a part's line (None: it was an event, now in `read`, or a sound header); a line
    from a newer quiz sets `read.refused` and is a warning of its own."""
    if raw is None:
        return f"longer than any line quiz writes ({MAX_LINE:,} bytes); skipped"
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        return "not UTF-8 text; skipped"
    if read.line == 1:
        problem = _header_problem(text, device)
        if problem is not None and problem.startswith("written by a newer quiz"):
            read.warnings.append(f"{path}: {problem}; not read: upgrade quiz on this machine")
            read.refused = True
        return problem
    try:
        event = event_from_line(text)
        read.events.append(event)
        read.lines[event.id] = read.line
    except NewerFormat as exc:
        read.warnings.append(f"{path}:{read.line}: {exc}; not read: upgrade quiz on this machine")
        read.refused = True
    except BadEvent as exc:
        return f"{exc}; skipped"
    return None


def _lines(source: BinaryIO, offset: int, longest: int) -> Iterator[tuple[bytes | None, int]]:
    """Each ended line of a file from byte `offset` up to byte LARGEST_PART, without its newline, and its
    length with it; a line longer than `longest` bytes is given as None, never held in memory whole. A last
    line not ended is not given."""
    source.seek(offset)
    pending = bytearray()
    overlong = 0  # the bytes so far of a line too long to keep
    while (size := min(_CHUNK, LARGEST_PART - source.tell())) > 0 and (chunk := source.read(size)):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if overlong or len(pending) + end - start > longest:
                yield None, overlong + len(pending) + end - start + 1
                overlong = 0
            else:
                pending += chunk[start:end]
                yield bytes(pending), len(pending) + 1
            pending.clear()
            start = end + 1
        if overlong:
            overlong += len(chunk) - start
        else:
            pending += chunk[start:]
            if len(pending) > longest:
                overlong, pending = len(pending), bytearray()


def _header_problem(text: str, device: str) -> str | None:
    try:
        record: Any = json_record(text)
    except ValueError:
        return "not a quiz events header; the file is read on"
    version = record.get("quiz_events") if isinstance(record, dict) else None
    if not isinstance(version, int):
        return "not a quiz events header; the file is read on"
    if version > FORMAT:
        return f"written by a newer quiz (events format {version}; this quiz reads {FORMAT})"
    if record.get("device") != device:
        return f"its header names device {quoted(record.get('device'))}, not its folder's {device!r}"
    return None


@dataclass(frozen=True, slots=True)
class Part:
    device: str
    number: int
    path: Path

    @property
    def name(self) -> str:
        """How the store remembers it: device/file."""
        return f"{self.device}/{self.path.name}"


def other_parts(root: Path, own: str, conflicts: list[Path]) -> Iterator[Part]:
    """Every other device's parts in order (devices by id, parts by number); conflict copies found on the
    way, in this device's folder too (each machine says so of its own), are added to `conflicts` and never
    read."""
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if is_conflict_copy(folder):
            conflicts.append(folder)
            continue
        if not folder.is_dir():
            continue
        parts = []
        for path in folder.iterdir():
            number = part_number(path.name)
            if number is not None:
                parts.append(Part(folder.name, number, path))
            elif is_conflict_copy(path):
                conflicts.append(path)
        if folder.name != own:
            yield from sorted(parts, key=lambda part: part.number)


def own_parts(folder: Path) -> list[tuple[int, Path]]:
    if not folder.is_dir():
        return []
    found = [(part_number(path.name), path) for path in folder.iterdir()]
    return sorted((number, path) for number, path in found if number is not None)


def event_ids_in(path: Path, offset: int) -> list[str]:
    """The ids of the events written in a part past byte `offset`. A last line not ended is left out: a crash
    cut it short while this device wrote it. A line that is no event is left out too: such a line cut short,
    which the next append ended with its newline. A part that is no regular file is SyncError: this device
    writes only regular files.

    This device's own lines are read as leniently as the quiz that wrote them: every line whole (LARGEST_PART
    bounds them), and any JSON, so a line another device would skip (a value an older quiz wrote, a line
    past MAX_LINE) is still known as this store's own, not taken for another store's."""
    found: list[str] = []
    try:
        with open_regular(path) as (source, _):
            for raw, _length in _lines(source, offset, LARGEST_PART):
                try:
                    record = json.loads(raw) if raw is not None and raw.strip() else None
                except (ValueError, RecursionError):
                    continue
                if isinstance(record, dict) and "id" in record and "quiz_events" not in record:  # not a header
                    found.append(str(record["id"]))
    except DeckFileError as exc:
        raise own_file_error(path, exc) from None
    return found


def own_file_error(path: Path, exc: DeckFileError) -> SyncError:
    """This device's own file (its device.json, a part) not read: one that quiz did not write (a pipe, a
    file too large) is to be moved away; one the system could not read (permissions, a failing disk) to be
    fixed where it is."""
    if exc.refused:
        return SyncError(f"{path}: {exc.message}: quiz did not write it; move it away and sync again")
    return SyncError(f"{path}: {exc.message}: {exc.hint}, then sync again")
