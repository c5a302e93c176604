"""The backups folder: where a store's backups are, what their names say, and listing them.

A backup is named `quiz-<number>-<UTC time>-w<writes>-r<reviews>-<sha256>.sqlite3` in `<data dir>/backups`:
- `number` counts 1, 2, 3, ... in the order backups are made, and is the only order used: the time
  comes from quiz's clock, which can be wrong (QUIZ_NOW, a bad system clock), so it is only shown;
- `writes` is the store's write counter then (every write but an answer), and with `reviews` says
  "changed since the last backup" in one query (an answer grows the review log instead);
- `reviews` (review-log rows) says how much history it holds without opening it;
- `sha256` (its first 16 hex digits) is of the file's bytes: a backup whose bytes changed since is not good.
Backups named by an older quiz (`quiz-<UTC time>-w<writes>.sqlite3`) still count: they come before
numbered ones, in the order of their files' modification times, and are checked without a checksum.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quiz.core.atomicfile import atomic_write, remove_dead_writers
from quiz.core.links import dangling_target
from quiz.core.text import as_written

FOLDER = "backups"

_STAMP = "%Y%m%dT%H%M%SZ"
STAMP_PATTERN = r"\d{8}T\d{6}Z"  # what `time_stamp` writes, as a regular expression
_NAME = re.compile(
    rf"quiz-(?:(?P<number>\d+)-)?(?P<stamp>{STAMP_PATTERN})-w(?P<writes>\d+)"
    r"(?:-r(?P<reviews>\d+)-(?P<checksum>[0-9a-f]{16}))?(?:-\d+)?\.sqlite3\Z"
)
_CHECKSUM_DIGITS = 16  # of sha256, in hex: 64 bits, against damage (not against someone forging a file)


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC, by quiz's clock: shown, and thinned by, but never the order (it can be wrong)
    writes: int  # the store's write counter when it was taken
    number: int = 0  # 1, 2, 3, ... in the order backups were made; 0 for one named by an older quiz
    reviews: int | None = None  # review-log rows in it (None: an older quiz's name does not say)
    checksum: str | None = None  # the start of its sha256 when it was made (None: an older quiz's)
    made: float = 0.0  # its file's modification time: orders an older quiz's backups among themselves

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def order(self) -> tuple[int, float, datetime, str]:
        """Sorts backups in the order they were made."""
        return self.number, self.made, self.taken_at, self.name

    def describe(self) -> str:
        held = "" if self.reviews is None else f", {self.reviews} reviews"
        return f"{self.name} (taken {self.taken_at:%Y-%m-%d %H:%M} UTC{held})"


def time_stamp(now: datetime) -> str:
    """A UTC time as quiz puts it in file names."""
    return now.astimezone(UTC).strftime(_STAMP)


def time_of_stamp(stamp: str) -> datetime:
    """The UTC time a `time_stamp` names (ValueError when it names none)."""
    return datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)


def backup_name(number: int, stamp: str, writes: int, reviews: int, checksum: str) -> str:
    """A new backup's file name without its suffix (`-<n>` may follow when another process took it)."""
    return f"quiz-{number:06d}-{stamp}-w{writes}-r{reviews}-{checksum}"


def temporary_path(folder: Path, stamp: str) -> Path:
    """Where a backup is made and checked before it is renamed into place: named by its process, so the
    leftovers of a backup killed half way are known (`remove_leftovers`)."""
    return folder / f".quiz-{stamp}-{os.getpid()}.tmp"


_TEMPORARY = re.compile(rf"\.quiz-{STAMP_PATTERN}-(?P<pid>\d+)\.tmp(?:-journal|-wal|-shm)?\Z")  # and SQLite's files


def remove_leftovers(folder: Path) -> None:
    """Remove what backups killed half way left in `folder` (a closed terminal ends quiz as it backs up): a
    copy of the whole store each, never listed, never thinned; not those of a backup still running."""
    remove_dead_writers(folder, _TEMPORARY)


def folder_of(store_path: str | Path) -> Path:
    return Path(store_path).parent / FOLDER


def backups_away(folder: Path) -> str | None:
    """When the backups folder is a link leading nowhere (to a drive not connected): that, said of it."""
    target = dangling_target(folder)
    return None if target is None else f"{folder} is a link to {target}, which is not there (a drive not connected?)"


def missing_link_target(folder: Path) -> str | None:
    """What to say when the backups folder is a link leading nowhere, with how to fix it; None if not."""
    away = backups_away(folder)
    return None if away is None else f"{away}: connect it, or remove the link to keep backups beside the store"


def list_backups(store_path: str | Path) -> list[Backup]:
    """Every backup of the store, newest (last made) first."""
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder_of(store_path)))
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            taken = time_of_stamp(match["stamp"])
            made = entry.stat().st_mtime
        except (ValueError, OSError):  # a name that is no time (renamed by hand), or a file gone meanwhile
            continue
        reviews = match["reviews"]
        found.append(
            Backup(
                Path(entry.path),
                taken,
                int(match["writes"]),
                int(match["number"] or 0),
                None if reviews is None else int(reviews),
                match["checksum"],
                made,
            )
        )
    return sorted(found, key=lambda b: b.order, reverse=True)


def checksum_of(path: str | Path) -> str:
    import hashlib  # here, not at the top: its OpenSSL import costs 2-3 ms at every start, and starts need none

    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:_CHECKSUM_DIGITS]


#: Inside the backups folder: her deck files as they were before an import replaced them
DECK_COPIES = "decks"
#: The copies of one deck file kept there, the newest: each import that overwrites or drops what she has makes one
DECK_COPIES_KEPT = 5
#: Beside a deck file's copy, the folder holding the pictures of hers that import replaced: `<copy's stem>.pictures`
PICTURES_BESIDE = ".pictures"
# The permissions backups/decks is made with: only she lists and reads the copies of her decks
_PRIVATE_FOLDER = 0o700
_BEFORE_IMPORT = ".before-import-"  # between a copy's deck id and its number
# A copy's number has at most the digits the last-number file is read with (300 there, from a damaged file, made
# every later copy's name too long): none is given past the highest, which that file could not keep
_NUMBER_DIGITS = 9
_HIGHEST_NUMBER = 10**_NUMBER_DIGITS - 1
_LAST_NUMBER = re.compile(rb"([0-9]{1,%d})\n?" % _NUMBER_DIGITS)  # the last-number file's text; ASCII digits only
#: Beside a deck file's copy, the copy of its import record as it was: `<copy's stem>.import.json`
RECORD_BESIDE = ".import.json"


def _copies_folder(data_dir: Path) -> Path:
    """Where the copies of data folder `data_dir`'s deck files are, absolute: named in commands she may paste days
    later, in another folder, and the one name of each copy (`prune_deck_copies` knows the one just made by it)."""
    return data_dir.absolute() / FOLDER / DECK_COPIES


class DeckCopyError(Exception):
    """No copy of a deck file could be kept (`keep_deck_file`): the message names the folder and how to fix it."""


@dataclass(frozen=True, slots=True)
class DeckCopy:
    deck: Path  # the copy of the deck file
    pictures: Path | None  # the folder holding the copies of her pictures, by their paths beside the deck; None: none
    record: Path | None  # the copy of the deck's import record; None: it had none
    uncounted: str | None = None  # why its number could not be saved as the last given (`_count`); None: it was


def keep_deck_file(
    data_dir: Path,
    deck: Path,
    deck_id: str,
    now: datetime,
    pictures: Sequence[str] = (),
    beside: Path | None = None,
    record: Path | None = None,
) -> DeckCopy:
    """Copy deck file `deck` of deck `deck_id` into `<data dir>/backups/decks` as `<deck id>.before-import-<number>-
    <UTC time><suffix>` (`_copy_new`; named by the deck, as two decks' files in two folders can share a name),
    and the `pictures` (paths relative to the deck folder `beside`, by default `deck`'s: the one a link
    to it is in has them) into `<that copy's name less suffix>.pictures` by the same paths, and import record
    `record` (when there is one: the import writes it anew) into `<that copy's name less suffix>.import.json`, before an
    import that overwrites or drops what only she has (her cards, her edits, her comments, her pictures) writes
    them anew: the store keeps the history, never a card's text, and this copy is where she gets that back.
    Outside the deck folder, which would load it as a second deck with the same id. Never overwrites; removes
    none: `prune_deck_copies` does, once the import is written. Raises DeckCopyError when it cannot be written."""
    folder = _copies_folder(data_dir)
    for linked in (folder.parent, folder):
        if unreachable := missing_link_target(linked):
            raise DeckCopyError(unreachable)
    copy = None
    try:
        copy, number = _copy_new(folder, deck, deck_id, time_stamp(now))
        into = copy.with_name(copy.stem + PICTURES_BESIDE)
        kept = _copy_pictures(beside or deck.parent, pictures, into) if pictures else None
        record_copy = copy.with_name(copy.stem + RECORD_BESIDE)
        # the record holds the deck's text: at most as readable as the deck (one an older quiz wrote 644)
        private = stat.S_IMODE(copy.stat().st_mode)
        kept_record = record_copy if record is not None and _copied_if_there(record, record_copy, private) else None
    except OSError as exc:
        if copy is not None:  # a copy without its pictures or record: no import says where, yet it would be kept
            _remove_copy(copy)
        raise DeckCopyError(_why_not_kept(exc, folder)) from None
    uncounted = _count(folder, deck_id, number)  # a whole copy's, its name printed: never given again
    return DeckCopy(copy, kept, kept_record, uncounted)


def _why_not_kept(exc: OSError, folder: Path) -> str:
    """What to say when a copy could not be made in `folder`, with how to fix it, by what the error was."""
    said = f"{as_written(exc.filename or folder)}: {exc.strerror or exc}; quiz keeps the copies in {as_written(folder)}"
    if exc.errno == errno.ENOSPC:
        return f"{said}: free some space on its disk"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "move away a file of that name, or give quiz the right to write there"
        return f"{said}: make it a folder quiz can write ({fix})"
    return said


def _copied_if_there(source: Path, copy: Path, at_most: int) -> bool:
    """Whether file `source` is there, copied to `copy` then (its permissions, `at_most` those)."""
    if not source.is_file():
        return False
    _copy_file(source, copy, at_most)
    return True


def copies_name(deck_id: str) -> str:
    """The name the copies of deck `deck_id`'s file start with: its id, each character but a letter, digit, `_`,
    `.` or `-` (one a file name may not hold, or another system reads otherwise) as `_`, never starting with a
    dot (a hidden file)."""
    return re.sub(r"[^\w.-]", "_", deck_id).lstrip(".") or "_"


def _copy_new(folder: Path, deck: Path, deck_id: str, stamp: str) -> tuple[Path, int]:
    """`deck` copied into `folder` as `<deck id>.before-import-<number>-<stamp><suffix>`, its number one past the
    highest of that deck's names there or given before (`_next_copy_number`; the next when another import takes
    it meanwhile): never a name used before, whose printed restore command would then restore this copy. The
    folder is made private (0700): it holds her decks, some of which she keeps so. Returns the copy and its
    number."""
    folder.mkdir(mode=_PRIVATE_FOLDER, parents=True, exist_ok=True)
    _made_private(folder)
    number = _next_copy_number(folder, deck_id)
    while True:
        if number > _HIGHEST_NUMBER:
            raise DeckCopyError(_numbers_used_up(folder, deck_id))
        copy = folder / f"{copies_name(deck_id)}{_BEFORE_IMPORT}{number:06d}-{stamp}{deck.suffix}"
        with suppress(FileExistsError):  # made meanwhile by another import: the next number
            _copy_file(deck, copy)
            return copy, number
        number += 1


def _numbers_used_up(folder: Path, deck_id: str) -> str:
    """What to say when deck `deck_id`'s copies in `folder` have had every number up to the highest (a billion
    imports, or a last-number file set to it): a number past it could not be kept, and a copy's name deleted by
    hand would be given again. Moved out, the copies start again at 1, no name in the folder used before."""
    counter = _counter(folder, deck_id).name
    return (
        f"deck {as_written(deck_id)}'s copies have had every number up to {_HIGHEST_NUMBER}; move them out of"
        f" {as_written(folder)} with {as_written(counter)}, and the next is numbered 1"
    )


def _made_private(folder: Path) -> None:
    """Copies folder `folder`, made readable by all by an older quiz (755), made private (0700) when it is hers:
    it is quiz's own. A folder it cannot change stays as it is: the copy is still worth keeping."""
    with suppress(OSError):
        info = folder.stat()
        if hasattr(os, "getuid") and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != _PRIVATE_FOLDER:
            folder.chmod(_PRIVATE_FOLDER)


def _next_copy_number(folder: Path, deck_id: str) -> int:
    """One past the highest number in the names of deck `deck_id`'s copies in `folder`, their pictures and records
    (left by a copy removed by hand) counted too, and past the last number given (`_count`: the newest copy may
    have been deleted by hand, and the next one made within the same second would take its name)."""
    numbered = re.compile(rf"{re.escape(copies_name(deck_id))}{re.escape(_BEFORE_IMPORT)}(\d+)-{STAMP_PATTERN}")
    highest = 0
    with suppress(OSError):
        highest = max((int(m[1]) for name in os.listdir(folder) if (m := numbered.match(name))), default=0)
    return max(highest, _last_number(folder, deck_id)) + 1


def _last_number(folder: Path, deck_id: str) -> int:
    """The last number given to a copy of deck `deck_id`'s in copies folder `folder`, or 0. Read only from a
    regular file (a FIFO there would hold the import up, a link lead anywhere), and only as 1 to 9 ASCII digits,
    as written: anything else (damaged) is ignored, the names there still counting."""
    opened = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(_counter(folder, deck_id), opened)
    except OSError:
        return 0
    with suppress(OSError), open(descriptor, "rb") as file:
        if stat.S_ISREG(os.fstat(descriptor).st_mode) and (
            found := re.fullmatch(_LAST_NUMBER, file.read(_NUMBER_DIGITS + 2))
        ):
            return int(found[1])
    return 0


def _counter(folder: Path, deck_id: str) -> Path:
    """The small file in copies folder `folder` that holds the last number given to a copy of deck `deck_id`."""
    return folder / f"{copies_name(deck_id)}{_BEFORE_IMPORT}last-number"


def _count(folder: Path, deck_id: str, number: int) -> str | None:
    """Keep `number` as the last given to a copy of deck `deck_id`'s; else why not, with the fix (a folder at the
    file's path, a full disk). Not kept, the names still there count: only a copy deleted by hand within the same
    second could then give its name again, so the copy and the import go on."""
    counter = _counter(folder, deck_id)
    try:
        with atomic_write(counter, "w", encoding="ascii", durable=False) as out:
            out.write(str(number))
    except OSError as exc:
        return (
            f"cannot save the number of this copy in {as_written(counter)}: {exc.strerror or exc} — move it away"
            " (quiz writes that file); until then, only the names of the copies there keep a number from being"
            " given twice"
        )
    return None


def _copy_pictures(folder: Path, pictures: Sequence[str], into: Path) -> Path:
    """The `pictures` of deck folder `folder` (paths relative to it) copied into `into`, by the same paths."""
    for name in pictures:
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        _copy_file(folder / name, into / name)
    return into


def _copy_file(source: Path, copy: Path, at_most: int = 0o777) -> None:
    """`source` streamed into a new file `copy` with its permissions (`at_most` those), whole or not at all (a
    shared deck's file is tens of MB, and the import holds its own text then)."""
    with open(source, "rb") as data:
        mode = stat.S_IMODE(os.fstat(data.fileno()).st_mode)  # her private deck's copy is as private
        with atomic_write(copy, overwrite=False, permissions=mode, at_most=at_most) as out:
            shutil.copyfileobj(data, out)


def deck_copies(folder: Path, deck_id: str) -> list[Path]:
    """The copies of deck `deck_id`'s file in `folder`, newest first: by the number in each name, the only order
    used (the time in it comes from quiz's clock, which can be wrong, and the files' times from a clock put right
    or a folder copied from another computer). Copies named by an older quiz, without a number, come before:
    by their times, then the number of one made within the same second."""
    name = re.compile(
        rf"{re.escape(copies_name(deck_id))}{re.escape(_BEFORE_IMPORT)}(?:(?P<number>\d+)-)?(?P<stamp>{STAMP_PATTERN})"
        r"(?:-(?P<second>\d+))?\.[^.]+\Z"
    )
    found = []
    with suppress(OSError):
        for entry in os.scandir(folder):
            if (match := name.match(entry.name)) and entry.is_file(follow_symlinks=False):
                order = int(match["number"] or 0), match["stamp"], int(match["second"] or 1), entry.name
                found.append((order, Path(entry.path)))
    return [path for _, path in sorted(found, reverse=True)]


def prune_deck_copies(data_dir: Path, deck_id: str, made: Path) -> None:
    """Remove the copies of deck `deck_id`'s file past the newest DECK_COPIES_KEPT, each with its pictures: one is
    made at each import that replaces what she has, and nothing else would ever remove them. Called once that
    import is written (a failed one's retries would push out the copy holding what it removed); never removes
    `made`, that import's copy, whatever the time in its name."""
    older = [copy for copy in deck_copies(_copies_folder(data_dir), deck_id) if copy != made]
    for old in older[DECK_COPIES_KEPT - 1 :]:
        _remove_copy(old)


def _remove_copy(copy: Path) -> None:
    """Remove deck file copy `copy`, its record's and its pictures' copies, as far as it can."""
    with suppress(OSError):
        copy.unlink()
    with suppress(OSError):
        copy.with_name(copy.stem + RECORD_BESIDE).unlink(missing_ok=True)
    shutil.rmtree(copy.with_name(copy.stem + PICTURES_BESIDE), ignore_errors=True)
