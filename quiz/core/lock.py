"""One app per data directory: an exclusive lock on `<data dir>/quiz.lock`, held while the app runs.

The operating system drops the lock when the holder exits, however it exits (even SIGKILL), so a
stale lock file never blocks anyone. The holder writes its pid into the file for the message the next
one shows. Read-only commands take no lock; writes from several processes are safe anyway (the store
begins every write IMMEDIATE and waits its turn).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from quiz.core.store import StoreError

LOCK_NAME = "quiz.lock"

if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt
else:
    import fcntl


class AlreadyOpen(StoreError):
    """Another quiz holds the lock."""

    def __init__(self, pid: int | None, doing: str = "") -> None:
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"quiz is already open in another window{who}{doing}")


class AppLock:
    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, doing: str = "") -> AppLock:
        """Take the lock now or raise AlreadyOpen naming the holder's pid; never waits."""
        if self._fd is not None:
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open {self.path}: {exc.strerror or exc}; check the permissions") from None
        try:
            _lock(fd)
        except OSError:
            pid = _read_pid(fd)
            os.close(fd)
            raise AlreadyOpen(pid, doing) from None
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:  # a full disk: the lock holds all the same; the pid only names us in others' message
            pass
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing drops the lock; the file stays, empty of meaning

    def __enter__(self) -> AppLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - lock one byte far past the pid, which stays readable
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None
