"""The one way a file named by the user is read: a regular file, never more than a limit.

A deck path can name anything: a FIFO (open() would wait for a writer forever), /dev/zero or
/dev/urandom through a symbolic link (read() would never end), a sparse file of gigabytes, a folder,
a link loop. The file is opened without blocking, checked with fstat on that same descriptor (no
window for it to be swapped between a stat and the open), and at most limit + 1 bytes are read.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from quiz.core.model import Deck
from quiz.core.problems import Problem, errors
from quiz.core.text import printable

MAX_BYTES = 32 * 1024 * 1024  # the largest deck file read, and what an import may make
_CHUNK = 1024 * 1024  # read at a time from a file copied (`copy_limited`)

_KINDS = (  # what a path that is not a regular file leads to, for the message
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # none on Windows, where opening a pipe's name does not wait
_NOT_REGULAR_HINT = "name a regular file (a symbolic link must lead to one)"
_OPEN_ERRORS = {  # errno -> (what went wrong, how to fix it); others say strerror
    errno.ELOOP: ("its symbolic links loop (or nest too deeply)", "point the link at the file itself"),
    errno.ENOENT: ("no such file", "check the path"),
    errno.ENOTDIR: ("a part of its path is not a folder", "check the path"),
    errno.EACCES: ("permission denied", "make the file readable"),
    errno.ENXIO: ("not a regular file (a socket, or a device that is not there)", _NOT_REGULAR_HINT),
}


class DeckFileError(Exception):
    """A file that cannot be read: `message` says why, `hint` how to fix it; str() is one line naming it.
    `refused`: the file is there but is no file to read (not a regular one, too large), rather than one the
    system could not open or read (permission denied, an I/O error)."""

    def __init__(self, path: str | os.PathLike[str], message: str, hint: str, refused: bool = False) -> None:
        self.path, self.message, self.hint, self.refused = os.fspath(path), message, hint, refused
        super().__init__(f"{printable(self.path)}: {message} — {hint}")


class FileBytes(NamedTuple):
    data: bytes
    stat: os.stat_result  # of the descriptor read, taken before reading (the deck cache keys on it)


def read_deck_bytes(path: str | os.PathLike[str], limit: int = MAX_BYTES, what: str = "decks") -> FileBytes:
    """The bytes of the regular file at `path` (symbolic links followed), or DeckFileError.

    `what` names such files in the message for one too large ("decks are limited to 32 MiB", split it into
    several)."""
    pieces: list[bytes] = []
    with open_regular(path) as (stream, st):
        # one piece, unless it grew; read(n) takes n bytes of memory before it reads, so n is not the limit
        copy_limited(stream, st, path, pieces.append, limit, what, chunk=min(st.st_size, limit) + 1)
    return FileBytes(b"".join(pieces), st)


def copy_limited(
    stream: BinaryIO,
    st: os.stat_result,
    path: str | os.PathLike[str],
    write: Callable[[bytes], object],
    limit: int,
    what: str,
    smaller: str = "",
    chunk: int = _CHUNK,
) -> None:
    """Pass the bytes of `stream` (the file at `path` opened by `open_regular`, `st` its fstat) to `write` a `chunk`
    at a time, so no more is held, or DeckFileError once they are over `limit` (a file that grew since fstat is
    caught too). `what` names such files in that message, and `smaller` says how to make one fit (by default, to
    split it into several)."""
    hint = smaller or f"split it into several smaller {what}"
    if st.st_size > limit:
        raise _too_large(path, st.st_size, limit, what, hint)
    size = 0
    while True:
        try:  # only the reading: an error of `write` is no error of the file read
            piece = stream.read(min(chunk, limit + 1 - size))  # + 1: the byte past the limit, if any
            size += len(piece)
            if size > limit:
                size = max(os.fstat(stream.fileno()).st_size, size)
        except OSError as exc:
            raise DeckFileError(
                path, f"cannot read the file: {exc.strerror or exc}", "check that it can be read"
            ) from None
        if size > limit:
            raise _too_large(path, size, limit, what, hint)
        if not piece:
            return
        write(piece)


@contextmanager
def open_regular(path: str | os.PathLike[str], folder: int | None = None) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """The regular file at `path` (symbolic links followed) open for reading, with its fstat, or
    DeckFileError: opened without blocking and checked on that descriptor, so nothing can hang or be swapped.
    `folder`: a descriptor of the folder `path` is in, where its name is opened, a link there never followed."""
    flags = os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        if folder is None:
            fd = os.open(path, flags)
        else:
            fd = os.open(os.path.basename(path), flags | getattr(os, "O_NOFOLLOW", 0), dir_fd=folder)
    except OSError as exc:
        message, hint = _OPEN_ERRORS.get(exc.errno or 0, (exc.strerror or str(exc), "check the path"))
        raise DeckFileError(path, f"cannot read the file: {message}", hint) from None
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise DeckFileError(path, f"cannot read the file: {exc.strerror or exc}", "check that it can be read") from None
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        raise DeckFileError(path, f"not a regular file but {kind}", _NOT_REGULAR_HINT, refused=True)
    if _NONBLOCK:  # only the open needed it (a FIFO would wait there for a writer): left set, a read where the
        os.set_blocking(fd, True)  # file system honours it (a lock, some network ones) fails with EAGAIN
    with open(fd, "rb") as stream:
        yield stream, st


def _too_large(path: str | os.PathLike[str], size: int, limit: int, what: str, hint: str) -> DeckFileError:
    shown, most = sizes(size, limit)
    return DeckFileError(path, f"the file is {shown}; {what} are limited to {most}", hint, refused=True)


def sizes(size: int, limit: int) -> tuple[str, str]:
    """A file's `size` and the `limit` it is over, in one unit: MiB (with the bytes) when the limit is a whole
    number of them, the size rounded up to a tenth (20 MiB and a byte is no '20 MiB', at the limit), else bytes."""
    mib, rest = divmod(limit, 1_048_576)
    if not mib or rest:
        return f"{size:,} bytes", f"{limit:,} bytes"
    tenths = -(-size * 10 // 1_048_576)
    return f"{tenths / 10:,.{1 if tenths % 10 else 0}f} MiB ({size:,} bytes)", f"{mib:,} MiB ({limit:,} bytes)"


# What the deck loader (quiz.core.decks) gives, and where it looks, kept here so that a start, which reads its
# decks from the cache, need not import the loader, the card kinds and the field reader.
DECK_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    path: str
    deck: Deck | None
    problems: list[Problem] = field(default_factory=list)
    # each picture file the deck names that was checked on disk, as named, with its problem (None: it passed): not
    # in the deck file, so a deck cache checks each again at every hit
    pictures: dict[str, tuple[str, str] | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.deck is not None and not errors(self.problems)


def deck_files(paths: Iterable[str | Path]) -> list[Path]:
    """Deck files named directly, or found (sorted, recursively) in the folders given: every name with a deck's
    suffix but a folder's, so a pipe, a device or a broken link named as a deck is reported, not passed over;
    but no hidden name (_hidden)."""
    return [found.file for found in deck_files_found(paths)]


@dataclass(frozen=True, slots=True)
class DeckFileFound:
    """A deck file, and each way the paths given reach it: the file as spelled that way, with the folder given it
    was found in (None: the file named directly). The first way names it."""

    ways: tuple[tuple[Path, Path | None], ...]

    @property
    def file(self) -> Path:
        return self.ways[0][0]

    @property
    def folders(self) -> set[Path]:
        """The folders given that hold it."""
        return {folder for _, folder in self.ways if folder is not None}


def deck_files_found(paths: Iterable[str | Path]) -> list[DeckFileFound]:
    """deck_files, each with every way it was found: a folder it lies in below a folder given is known whichever
    way the folders are spelled (a sync tool's copy of a deck folder, given as a deck path of its own, is still
    that copy)."""
    # By where it leads: a deck named twice (--deck inside the deck folder) loads once
    found: dict[Path, list[tuple[Path, Path | None]]] = {}
    for raw in paths:
        path = Path(raw)
        folder = path if path.is_dir() else None
        named = sorted(files_in(path, DECK_SUFFIXES)) if folder else [path]
        for file in named:  # realpath: a link loop is no error here
            found.setdefault(Path(os.path.realpath(file)), []).append((file, folder))
    return [DeckFileFound(tuple(ways)) for ways in found.values()]


def files_in(folder: Path, endings: tuple[str, ...]) -> Iterable[Path]:
    """The files under `folder` whose names end with one of `endings` (deck files, or import records, which are
    beside them), where decks are looked for: its hidden folders left unread (a .git holds tens of thousands of
    files, and Home looks every two seconds), no hidden name. A link to a folder elsewhere (a shared or synced
    folder linked in) is followed; one leading into a folder already read is not, so no deck is listed twice
    and a link loop ends."""
    for parent, files in _walk(folder, [os.path.realpath(folder)]):
        yield from (parent / name for name in files if name.endswith(endings) and not _hidden(name))


def deck_files_within(folder: Path, most: int) -> Iterator[Path]:
    """The deck files under `folder` for a search that must stay cheap (one made at every sync): no link to a
    folder followed (one leads out of it, to the home or a drive; one leading inside reaches what the walk reaches
    anyway), no hidden name, and no more than about `most` names looked at (a dotfiles repository that is the
    home: the rest is not searched)."""
    looked_at = 0
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in sorted(folders) if not _hidden(name)]
        base = Path(parent)
        yield from (base / name for name in sorted(files) if name.endswith(DECK_SUFFIXES) and not _hidden(name))
        looked_at += len(folders) + len(files)
        if looked_at >= most:
            return


def trees_read(folder: Path) -> list[Path]:
    """Where files_in reads decks under `folder`: its own tree, and each one a link in it leads to (by real path),
    so a file written into a linked folder is known to be one quiz loads."""
    read = [os.path.realpath(folder)]
    for _ in _walk(folder, read):
        pass
    return [Path(tree) for tree in read]


def _walk(folder: Path, read: list[str]) -> Iterator[tuple[Path, list[str]]]:
    """Each folder files_in reads under `folder`, sorted, with the names in it; `read` (the trees walked, the
    folder's first) gains each linked one."""
    for parent, folders, files in os.walk(folder, followlinks=True):
        base = Path(parent)
        folders[:] = [name for name in sorted(folders) if not _hidden(name) and _not_read_yet(base / name, read)]
        yield base, files


def _not_read_yet(folder: Path, read: list[str]) -> bool:
    """Whether a subfolder met in the walk leads to a tree not walked yet (a plain one always does); a link
    that does is added to `read`. A link to a folder holding the deck folder (`..`, the home, `/`) is not
    followed either: it would walk the whole home or disk at each look, loading every .yaml there."""
    if not folder.is_symlink():
        return True
    real = os.path.realpath(folder)
    if any(_within(real, tree) for tree in read) or _within(read[0], real):
        return False
    read.append(real)
    return True


def _within(path: str, tree: str) -> bool:
    """Whether real path `path` is `tree` or inside it."""
    return path == tree or path.startswith(tree.rstrip(os.sep) + os.sep)


def _hidden(name: str) -> bool:
    """A name starting with a dot holds no deck. A hidden folder is where sync tools keep old versions
    (Syncthing's .stversions in the shared folder), or a trash or a .git: a copy there, older, sorted first and
    took the deck's id. A hidden file is Emacs' lock on a deck being edited (`.#deck.yaml`, a broken link,
    listed as a broken deck) or macOS's AppleDouble file (`._deck.yaml`, Finder's metadata on exFAT and network
    drives, binary)."""
    return name.startswith(".")
