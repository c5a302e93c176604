"""Another process holding an SQLite file open, for as long as a block runs.

A connection in WAL mode keeps a shared lock on the database file while it is open, idle or not. The last
connection to close takes an exclusive lock, checkpoints the log as its own wal-index (-shm) says, and deletes
the log and the index at the file's path. A connection whose index was deleted under it reads the log through a
stale index: were it the last to close, it would copy an old view of the store into the file and delete the log
holding what another process saved since. Held open by another process, its close does neither, and the process
holding it has the index at the path (made or recovered from the log), which the connection opened again joins.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_HOLD = (
    "import sqlite3, sys\n"
    "db = sqlite3.connect(sys.argv[1])\n"
    "db.execute('SELECT count(*) FROM sqlite_master').fetchone()\n"  # opens the log and index at the path
    "print('open', flush=True)\n"
    "sys.stdin.readline()\n"
    "db.close()\n"
)


@contextmanager
def held_open(path: str) -> Iterator[None]:
    """The database at `path` open in another process while the block runs. OSError when it cannot be opened."""
    holder = subprocess.Popen(
        # -I: no module from the current folder (a `sqlite3.py` there would run), nor PYTHON* settings
        [sys.executable, "-I", "-c", _HOLD, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert holder.stdout is not None
        if holder.stdout.readline() != "open\n":
            raise OSError(f"another process could not open {path}")
        yield
    finally:
        holder.communicate("\n")
