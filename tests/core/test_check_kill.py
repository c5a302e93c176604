"""`quiz check` killed (SIGKILL) while it copies the damaged store aside, before its repair: the copy's name never
holds a part of the store, and the next check makes the whole copy and repairs."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from quiz.core.store import STORE_NAME, Store
from quiz.core.storecheck import check_store
from tests.conftest import record_good

ROOT = Path(__file__).resolve().parents[2]

# The check, in a child whose copy of the store's file is killed half way: half its bytes written, then SIGKILL.
CHILD = """
import os, shutil, signal, sys
from datetime import UTC, datetime
from quiz.core.storecheck import check_store

def half_then_killed(source, target, length=0):
    if source.name.endswith("-wal"):  # the store's own file is the one cut
        target.write(source.read())
        return
    target.write(source.read(os.path.getsize(source.name) // 2))
    target.flush()
    os.kill(os.getpid(), signal.SIGKILL)

def copyfile(source, target):
    with open(source, "rb") as read, open(target, "wb") as written:
        half_then_killed(read, written)

shutil.copyfileobj, shutil.copyfile = half_then_killed, copyfile  # whichever way the check copies
check_store(sys.argv[1], datetime(2026, 3, 1, 9, tzinfo=UTC))
"""


def _killed_check(tmp_path: Path) -> tuple[Path, bytes]:
    """A damaged store, and a check of it killed half way through its copy of the store's file."""
    store = Store.in_folder(tmp_path)
    for n in range(200):
        record_good(store, f"card-{n}")
    store.close()
    path = tmp_path / STORE_NAME
    raw = sqlite3.connect(path)
    raw.execute("UPDATE card_state SET fsrs_state = 9, due = 'not a time' WHERE card_key = 'card-7'")
    raw.commit()
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    damaged = path.read_bytes()
    child = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    return path, damaged


def test_a_check_killed_while_copying_the_store_aside_leaves_no_part_of_it_as_the_copy(tmp_path: Path) -> None:
    path, damaged = _killed_check(tmp_path)

    assert path.read_bytes() == damaged  # nothing repaired before the copy is whole
    assert not list(tmp_path.glob("*.before-repair"))  # was: half the store under the copy's name
    report = check_store(path, datetime(2026, 3, 1, 9, tzinfo=UTC))
    assert report.ok, report.problems
    (copy,) = tmp_path.glob("*.before-repair")
    assert copy.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # the killed copy's part went


def test_a_later_check_removes_the_part_a_killed_one_left_under_its_own_time(tmp_path: Path) -> None:
    path, damaged = _killed_check(tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # half the store, hidden
    report = check_store(path, datetime(2026, 3, 2, 18, 30, tzinfo=UTC))  # a check on another day
    assert report.ok, report.problems
    (copy,) = tmp_path.glob("*.before-repair")
    assert copy.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # was: kept for good
