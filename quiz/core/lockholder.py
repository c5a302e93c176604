"""Who holds a data folder's lock (quiz.core.lock), as the pid the holder wrote in `quiz.lock` says: read by the
store too, which the lock module imports."""

from __future__ import annotations

import os
from pathlib import Path

from quiz.core.processes import running

LOCK_NAME = "quiz.lock"


def held_by_another_process(data_dir: str | Path) -> bool:
    """Whether another process, alive, holds the lock of `data_dir` (the app, or a command such as sync), as the pid
    it wrote says: what this process does beside it must leave the files that one has open in place."""
    try:
        text = (Path(data_dir) / LOCK_NAME).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    pid = live_pid(text.partition(" ")[0].strip())
    return pid is not None and pid != os.getpid()


def live_pid(text: str) -> int | None:
    """The pid `text` names when it is one (what another program wrote is not) of a process alive."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 and alive(int(text)) else None


def alive(pid: int) -> bool:
    """Whether process `pid` runs; on Windows, which cannot be asked, taken as running (its lock names it)."""
    return running(pid) is not False
