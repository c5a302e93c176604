"""The one way quiz writes a whole file: at every moment the path holds the old file (or none) or the
complete new one, never a part, whatever stops the writing (an exception, SIGKILL, a power cut).

The content goes to a temporary file in the same folder (a rename is only atomic within one file
system), which is synced, then moved onto the path in one step and the folder synced, so the rename
itself survives a power cut. On any error the temporary file is removed and the path left as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

from quiz.core.processes import LARGEST_PID, running

_ORDINARY = 0o644  # the permissions of the files written here, unless asked for others
_WRITER = ".quiz-"  # a temporary file's name: .NAME.quiz-PID-RANDOM.tmp, the pid of the process writing it
# RANDOM: mkstemp's eight letters, digits or _ (a folder's: eight hex digits); only that shape is quiz's
_RANDOM = "[a-z0-9_]{8}"
# NAME's bytes that leave room in a name's 255 (most file systems' limit) for the rest, whatever the pid (10 digits)
_NAME_ROOM = 255 - len(f".{_WRITER}{2**31 - 1}-") - 8 - len(".tmp")


def _temporary_stem(name: str) -> str:
    """`name` as a temporary name beside it holds it: cut, a character at a time, to what leaves room for the rest
    (a deck named in 80 Japanese characters takes 240 of the 255 bytes: its whole name would not fit)."""
    while len(os.fsencode(name)) > _NAME_ROOM:
        name = name[:-1]
    return name


@overload
def atomic_write(
    path: str | Path,
    mode: Literal["w"],
    *,
    encoding: str,
    newline: str | None = None,
    overwrite: bool = True,
    durable: bool = True,
    sync_parent: bool = True,
    permissions: int = _ORDINARY,
    at_most: int = 0o777,
) -> AbstractContextManager[TextIO]: ...


@overload
def atomic_write(
    path: str | Path,
    mode: Literal["wb"] = "wb",
    *,
    overwrite: bool = True,
    durable: bool = True,
    sync_parent: bool = True,
    permissions: int = _ORDINARY,
    at_most: int = 0o777,
) -> AbstractContextManager[BinaryIO]: ...


def atomic_write(
    path: str | Path,
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
    overwrite: bool = True,
    durable: bool = True,
    sync_parent: bool = True,
    permissions: int = _ORDINARY,
    at_most: int = 0o777,
) -> AbstractContextManager[IO[Any]]:
    """A stream ("w": text, "wb": bytes) whose content becomes the file at `path` when the block ends
    without an exception.

    `overwrite=False` creates the file and never replaces one: FileExistsError if `path` exists when
    the content is complete, even if another process created it meanwhile. A file replaced keeps its
    permissions (`permissions` are a new file's). A link at `path` is replaced, never written through: a
    link planted in a folder others write (a synced one) would lead the write anywhere. To write the file a
    link names (her own deck, linked into the deck folder), pass that file's path.
    `at_most` limits the file's permissions, a replaced file's too (a record of a private deck's text).
    `durable=False` skips the syncs, for files only worth keeping when intact (a checksummed cache): still
    never a part.
    `sync_parent=False` leaves the folder's sync to the caller, who writes many files into it
    (`write_files`).
    """
    folder_synced = durable and sync_parent
    return _writing(Path(path), mode, encoding, newline, overwrite, folder_synced, durable, permissions, at_most)


_SYNC_WORKERS = 8  # files synced at once: the file system commits syncs that wait together in one go


def as_private_as(hers: os.stat_result) -> int:
    """The most permissions (`atomic_write`'s `at_most`) a file quiz makes from a file of hers (`hers`: its stat)
    is given: read by no one her file is not (a deck she keeps private, its record and its pictures stay so), but
    hers to edit whatever it was."""
    return stat.S_IMODE(hers.st_mode) | stat.S_IRUSR | stat.S_IWUSR


def write_files(files: Mapping[Path, Callable[[], bytes]]) -> None:
    """Write many whole files (`files` gives each path's reader) and make them all durable: the writes and
    their syncs run side by side, then each folder is synced once. Thousands of pictures cost a few disk
    commits instead of two each. Each file is read here, a few ahead of the writers, never all in memory.

    In a folder that exists, each file is written as `atomic_write` writes it. A folder that does not exist
    yet is filled under a temporary name and renamed into place once complete, so it appears whole or not
    at all; its files are written straight into it, without a temporary file and a rename each (for an
    import's thousands of pictures, half the system calls). On an error it is removed."""
    places: dict[Path, Path] = {}  # each folder -> where its files are written
    try:
        for folder in {path.parent for path in files}:
            places[folder] = folder if folder.is_dir() else _new_folder(folder)
        with ThreadPoolExecutor(_SYNC_WORKERS) as pool:
            pending: deque[Future[None]] = deque()
            for path, read in files.items():
                place = places[path.parent]
                if place == path.parent:
                    pending.append(pool.submit(_write_whole, path, read()))
                else:
                    pending.append(pool.submit(_write_new, place / path.name, read()))
                if len(pending) > 2 * _SYNC_WORKERS:
                    pending.popleft().result()  # an error stops the writing here
            for future in pending:
                future.result()
        for folder, place in places.items():
            sync_folder(place)
            if place != folder:
                os.rename(place, folder)  # fails if a folder of that name has been filled meanwhile
                sync_folder(folder.parent)
    finally:
        for folder, place in places.items():
            if place != folder:
                shutil.rmtree(place, ignore_errors=True)  # left only when the writing failed


def _new_folder(folder: Path) -> Path:
    """An empty folder beside `folder`, under a name of its own, made as `folder` would be (the umask's mode)."""
    for _attempt in range(100):
        random = os.urandom(4).hex()  # secrets.token_hex(4), without secrets: it loads hashlib's OpenSSL at every start
        place = folder.with_name(f".{_temporary_stem(folder.name)}{_WRITER}{os.getpid()}-{random}.tmp")
        try:
            place.mkdir()
        except FileExistsError:
            continue
        return place
    raise FileExistsError(f"no free temporary name beside {folder}")


def _write_whole(path: Path, data: bytes) -> None:
    with atomic_write(path, "wb", sync_parent=False) as out:
        out.write(data)


def _write_new(path: Path, data: bytes) -> None:
    """A new file in a folder nobody else sees yet: written and synced, no temporary name needed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), _ORDINARY)
    try:
        if hasattr(os, "fchmod"):  # not on Windows, whose files have no such bits
            os.fchmod(fd, _ORDINARY)  # whatever the umask, as atomic_write's
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(path: Path, *, folder: bool = False) -> None:
    """Remove the temporary files (or, with `folder`, for a folder `write_files` fills, the temporary folder) that
    writes of `path` left when they were killed before their end (see remove_dead_writers). Only the exact names
    quiz gives them go: beside an export (any folder of hers) a file or a folder of hers merely shaped like one
    (`.notes.txt.quiz-12-old.tmp`) stays, and a file's write never leaves a folder."""
    remove_dead_writers(path.parent, _leftover(re.escape(_temporary_stem(path.name))), folders=folder)


def remove_leftovers_named(folder: Path, name: str) -> None:
    """Remove, as `remove_leftovers`, what killed writes left of any file in `folder` whose whole name the regular
    expression `name` matches (a name short enough to be kept whole): files named by the time they were made."""
    remove_dead_writers(folder, _leftover(f"(?:{name})"), folders=False)


def _leftover(stem: str) -> re.Pattern[str]:
    """A temporary file's name (.NAME.quiz-PID-RANDOM.tmp) for a NAME that `stem` (a regular expression) matches."""
    return re.compile(rf"\.{stem}{re.escape(_WRITER)}(?P<pid>\d+)-{_RANDOM}\.tmp\Z")


def remove_dead_writers(folder: Path, name: re.Pattern[str], folders: bool = True) -> None:
    """Remove the files (and with `folders`, the folders) in `folder` whose name `name` matches, its group `pid`
    naming the process that wrote them, when that process is gone: what writes killed before their end left.
    Those of a process still running stay (another quiz writing the same file keeps its own)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = name.match(entry.name)
        if match and int(match["pid"]) <= LARGEST_PID and not _running(int(match["pid"]), entry):
            if entry.is_dir(follow_symlinks=False):
                if folders:
                    shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with suppress(OSError):
                    os.unlink(entry.path)


def _running(pid: int, entry: os.DirEntry[str]) -> bool:
    """Whether the process `pid` that wrote `entry` is running (a name with a pid larger than any, from a synced
    folder holding anyone's files, was not written by quiz, and is left alone by the caller). Windows cannot be
    asked, and cannot delete a file another process holds open anyway: it is taken as gone."""
    if pid == os.getpid():
        return True
    try:
        written = entry.stat(follow_symlinks=False).st_mtime
    except OSError:  # gone meanwhile
        return True
    return bool(running(pid, written))


@contextmanager
def _writing(
    path: Path,
    mode: str,
    encoding: str | None,
    newline: str | None,
    overwrite: bool,
    folder_synced: bool,
    durable: bool,
    permissions: int,
    at_most: int,
) -> Iterator[IO[Any]]:
    permissions = _permissions(path, overwrite, permissions) & at_most
    with _temporary_file(path, mode, encoding, newline, durable) as (stream, temp):
        os.chmod(temp, permissions)  # an ordinary file, not mkstemp's private one (unless asked for)
        yield stream
    try:
        with _named_as(path):
            if overwrite:
                os.replace(temp, path)
            else:
                _link(temp, path)
        if folder_synced:
            sync_folder(path.parent)
    finally:
        temp.unlink(missing_ok=True)


def _permissions(path: Path, overwrite: bool, permissions: int) -> int:
    """The permissions of the file written at `path`: a file replaced keeps its own (her private deck stays so)."""
    if overwrite:
        with suppress(FileNotFoundError):
            there = path.lstat()
            if stat.S_ISREG(there.st_mode):
                return stat.S_IMODE(there.st_mode)
    return permissions


@contextmanager
def _temporary_file(
    path: Path, mode: str, encoding: str | None, newline: str | None, durable: bool
) -> Iterator[tuple[IO[Any], Path]]:
    """A new temporary file beside `path` (private: mkstemp's), open as a stream: complete (flushed, and synced if
    `durable`) once the block ends, for the caller to place or remove; removed on an error."""
    with _named_as(path):
        prefix = f".{_temporary_stem(path.name)}{_WRITER}{os.getpid()}-"
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, mode, encoding=encoding, newline=newline) as stream:
            yield stream, temp
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def staged_files() -> Iterator[StagedFiles]:
    """Many files written as `atomic_write` writes each, but placed together: each is written to a temporary file
    beside its path as it comes (never all in memory), and all are renamed into place only by `place()`, once every
    one is complete and checked. Until then none is seen; when the block ends (a refusal, an error, Ctrl-C), the
    temporary files left are removed, with the folders made for them."""
    staged = StagedFiles()
    try:
        yield staged
    finally:
        staged.discard()


class StagedFiles:
    """The files `staged_files` writes: each path's temporary file, until placed."""

    def __init__(self) -> None:
        # each path -> its complete temporary file beside it, private until placed, and its `at_most`
        self._temporaries: dict[Path, tuple[Path, int]] = {}
        self._folders_made: list[Path] = []  # by `write`, outermost first

    @contextmanager
    def write(self, path: Path, *, at_most: int = 0o777) -> Iterator[IO[bytes]]:
        """A stream whose bytes become `path`'s temporary file once the block ends without an exception, the folders
        on its way made if missing. `at_most` as for `atomic_write`."""
        self._make_folders(path.parent)
        with _temporary_file(path, "wb", None, None, durable=True) as (stream, temp):
            yield stream
        self.drop(path)  # written again: the last bytes count
        self._temporaries[path] = (temp, at_most)

    def temporary(self, path: Path) -> Path:
        """The temporary file holding what was written for `path` (to compare it with the file there)."""
        return self._temporaries[path][0]

    def drop(self, path: Path) -> None:
        """Leave `path` as it is: what was written for it is removed, never placed."""
        if (staged := self._temporaries.pop(path, None)) is not None:
            staged[0].unlink(missing_ok=True)

    def place(self) -> None:
        """Give each temporary file the permissions `atomic_write` would, and rename it onto its path (a file there
        replaced, a link too, never written through); then sync each folder once."""
        folders = {path.parent for path in self._temporaries}
        for path, (temp, at_most) in list(self._temporaries.items()):
            with _named_as(path):
                os.chmod(temp, _permissions(path, True, _ORDINARY) & at_most)
                os.replace(temp, path)
            del self._temporaries[path]
        for folder in folders:
            sync_folder(folder)
        self._folders_made.clear()  # they hold the files placed

    def discard(self) -> None:
        """Remove the temporary files not placed, and the folders made for them if nothing else was put there."""
        for path in list(self._temporaries):
            self.drop(path)
        for folder in reversed(self._folders_made):
            with suppress(OSError):
                folder.rmdir()
        self._folders_made.clear()

    def _make_folders(self, folder: Path) -> None:
        missing = []
        while not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            try:
                made.mkdir()
            except FileExistsError:  # made meanwhile, by someone else: not for `discard` to remove
                continue
            self._folders_made.append(made)


@contextmanager
def _named_as(path: Path) -> Iterator[None]:
    """An error making or renaming the temporary file is raised as one about `path`, the file asked for: the
    temporary name means nothing to the user (an immutable deck, a read-only folder)."""
    try:
        yield
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _link(temp: Path, path: Path) -> None:
    """Give the complete file at `temp` the name `path` too, failing if that name exists (atomically:
    no check-then-write race)."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares): claim the name, then fill it; a crash
        # in between leaves it empty, never partly written
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            os.replace(temp, path)
        except BaseException:
            path.unlink(missing_ok=True)  # the empty file claimed above, nobody else's
            raise


def sync_file(path: Path) -> None:
    """Flush a file written by other means (SQLite's backup, a copy) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make the names in `folder` (a rename into it) survive a power cut, where the system allows."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # some systems cannot open folders; the file's data itself is synced
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse to sync a folder
        pass
    finally:
        os.close(fd)
