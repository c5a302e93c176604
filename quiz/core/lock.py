"""One app per data directory: an exclusive lock on `<data dir>/quiz.lock`, held while the app runs.

The operating system drops the lock when the holder exits, however it exits (even SIGKILL), so a
stale lock file never blocks anyone. The holder writes its pid and what it is doing (nothing: the app; or
a command's task, "syncing") into the file for the message the next one shows. Read-only commands take
no lock; writes from several processes are safe anyway (the store
begins every write IMMEDIATE and waits its turn).

On POSIX the data directory itself is locked too: `quiz.lock` deleted while the app runs keeps its lock on
the deleted file, so a second app would make a new file and lock that; the directory cannot be deleted from
under the holder without its store. Windows refuses to delete a file a process holds open. The pid the file
held is then gone with it: on Linux the kernel's list of locks names the holder all the same.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quiz.core.lockholder import LOCK_NAME, alive, live_pid
from quiz.core.store import StoreError
from quiz.core.text import shell_word

if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt
else:
    import fcntl


class AlreadyOpen(StoreError):
    """Another quiz holds the lock: the app (`holder` empty) or a command busy with `holder` ("syncing")."""

    def __init__(self, pid: int | None, doing: str = "", holder: str = "", folder: Path | None = None) -> None:
        self.pid = pid
        self.holder = holder
        who = f" (pid {pid})" if pid else ""
        if not pid and folder is not None and sys.platform != "win32":  # the OS would not say: how to ask it
            who = f" (its pid is unknown: `lsof {shell_word(folder)}` lists it)"
        if holder:
            self.held_by = f"another quiz command is busy {holder}{who}"
            advice = ": wait for it to end, then try again"
        else:
            self.held_by = f"quiz is already open in another window{who}"
            # the app refused: the window open is the one to use (or to quit first)
            advice = f": close it before {doing}" if doing else ": use that window, or quit it and start quiz again"
        super().__init__(self.held_by + advice)


class AppLock:
    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None
        self._folder_fd: int | None = None  # the data directory's lock (POSIX), beside the file's

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, doing: str = "") -> AppLock:
        """Take the lock now or raise AlreadyOpen naming the holder and its pid; never waits. `doing` is what
        this command takes it for ("syncing"), empty for the app: it tells the others which to wait for."""
        if self._fd is not None:
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # not "cannot open quiz.lock": nothing there is to blame, the folder is not there
            raise StoreError(
                f"cannot make the data folder {self.path.parent}: {exc.strerror or exc}; check the path and its "
                "permissions (a folder on a network share or a drive: connect it first)"
            ) from None
        try:  # made before the folder is locked: one that finds the folder held reads the holder's pid here
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open {self.path}: {exc.strerror or exc}; check the permissions") from None
        folder_fd = None
        try:
            folder_fd = _lock_folder(self.path.parent)
            _lock(fd)
        except OSError:  # another holds the folder or the file
            pid, holder = _read_holder(fd)
            if pid is None:  # the file names none: deleted and made anew, or written by another program
                pid = _locked_by(fd, self.path.parent)
            os.close(fd)
            _close(folder_fd)
            raise AlreadyOpen(pid, doing, holder, self.path.parent) from None
        self._fd, self._folder_fd = fd, folder_fd
        self.now_doing(doing)
        return self

    def now_doing(self, doing: str) -> None:
        """Write this holder's pid and task for the others' message: the app syncing after its window closed
        is a command busy syncing, not a window to close."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, f"{os.getpid()} {doing}\n".encode())
        except OSError:  # a full disk: the lock holds all the same; the pid only names us in others' message
            pass

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:  # emptied, so the next holder's pid is never mistaken for this one's (see _read_holder)
                os.ftruncate(fd, 0)
            except OSError:
                pass
            os.close(fd)  # closing drops the lock; the file stays
        if self._folder_fd is not None:
            folder_fd, self._folder_fd = self._folder_fd, None
            _close(folder_fd)

    def __enter__(self) -> AppLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextmanager
def unless_held_elsewhere(path: Path) -> Iterator[bool]:
    """An exclusive lock on the file `path` (made if need be) for the block, which is told True; False, at once,
    while another holds it (in this process too: each open is locked on its own). Where none can be taken (a
    folder not there or read-only, a file system without locks) the block runs unlocked, told True: what it
    then writes there fails, or goes on as before there were locks."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield True
        return
    try:
        free = _took_lock(fd)
        yield free
    finally:
        os.close(fd)  # closing drops the lock


def _took_lock(fd: int) -> bool:
    """Lock `fd` now: False while another holds it; True when locked, or when its file system takes no locks."""
    try:
        _lock(fd)
    except BlockingIOError:
        return False
    except OSError:  # Windows says another holds it so; elsewhere, the file system takes no locks
        return sys.platform != "win32"
    return True


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - lock one byte far past the pid, which stays readable
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _lock_folder(folder: Path) -> int | None:
    """The data directory's fd, locked; None where a folder cannot be locked (Windows, some network file systems),
    which leaves the file's lock alone to keep a second app out. Raises BlockingIOError while another holds it."""
    if sys.platform == "win32":  # pragma: no cover - there a file held open cannot be deleted
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if isinstance(exc, BlockingIOError):
            raise
        return None
    return fd


def _close(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # a folder's lock goes with it


def _read_holder(fd: int) -> tuple[int | None, str]:
    """The holder's pid and task. It writes them just after it takes the lock, so a file read in between
    is empty (or, after a holder was killed, names a process gone): read again for a moment."""
    for _ in range(50):
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            text = os.read(fd, 200).decode("utf-8", "replace").strip()
        except OSError:
            return None, ""
        pid, _, doing = text.partition(" ")
        if (holder := live_pid(pid)) is not None:
            return holder, doing
        time.sleep(0.01)
    return None, ""


def _locked_by(fd: int, folder: Path) -> int | None:
    """The pid of the process holding a lock on the file `fd` or on `folder`, as Linux lists it in /proc/locks
    ("1: FLOCK  ADVISORY  WRITE 4321 fe:00:2425176 0 EOF": pid, then device and inode); None elsewhere, or
    when the list names no such holder alive."""
    try:
        inodes = {_inode(os.fstat(fd)), _inode(os.stat(folder))}
        with open("/proc/locks", encoding="ascii", errors="replace") as listed:
            lines = listed.read().splitlines()
    except OSError:  # not Linux, or /proc hidden
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] in inodes and fields[4].isdigit():
            pid = int(fields[4])  # a waiter's line has "->" before FLOCK: never read as the holder
            if pid > 0 and alive(pid):
                return pid
    return None


def _inode(stat: os.stat_result) -> str:
    """A file's device and inode as /proc/locks writes them (major:minor in hex)."""
    return f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
