"""`quiz check`'s work: is the store sound? Repairs what is safe, says what is not and how to recover.

On a read-only folder or a full disk it only checks: SQLite reads the file as immutable (possible when
no write-ahead log holds changes it would have to read), and the report says why nothing was repaired,
rather than calling a sound store unsound because SQLite could not open it for writing.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from quiz.core.atomicfile import atomic_write, remove_leftovers_named
from quiz.core.backupfolder import STAMP_PATTERN, list_backups, time_stamp
from quiz.core.store import Store, StoreError, log_files, storage_limit, unreadable_rows
from quiz.core.storehealth import integrity_problems, newest_good, recovery_advice


@dataclass
class CheckReport:
    path: Path
    ok: bool = True  # sound (after any repairs)
    facts: list[str] = field(default_factory=list)  # what was found
    repaired: list[str] = field(default_factory=list)  # what was changed
    problems: list[str] = field(default_factory=list)  # what is still wrong
    advice: str = ""
    limit: str = ""  # "read-only" or "disk full": why nothing could be repaired
    unchecked: str = ""  # why the store could not be checked at all (then `ok` is False, `problems` empty)


def _copy_aside(store: Path, now: datetime, label: str) -> Path:
    """A byte copy of the store (and its -wal) next to it, before anything is changed; never deleted. Each file
    appears whole or not at all, the store's last: a check killed while copying left a part of the store under
    the copy's name, which passed for the copy of the file as it was before the repair."""
    aside = store.with_name(f"{store.name}.{time_stamp(now)}.{label}")
    # what a check killed while copying left, whenever it ran (its copy's name holds its own time)
    remove_leftovers_named(store.parent, rf"{re.escape(store.name)}\.{STAMP_PATTERN}\.{re.escape(label)}(?:-wal)?")
    for original, suffix in ((log_files(store)[0], "-wal"), (store, "")):
        copy = Path(f"{aside}{suffix}")
        if original.exists():
            with open(original, "rb") as source, atomic_write(copy, "wb") as target:
                shutil.copyfileobj(source, target)
    return aside


def _open(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:  # immutable: no -shm to create, no lock to take (the caller made sure no -wal is pending)
        return sqlite3.connect(f"file:{quote(str(path.resolve()))}?immutable=1", uri=True)
    return sqlite3.connect(path, timeout=5.0, isolation_level=None)


def check_store(store_path: str | Path, now: datetime, repair: bool = True) -> CheckReport:
    """Integrity check, then (with `repair`) the safe repairs: rebuild indexes, fix unreadable card states
    and settings (after a copy of the file is put aside), checkpoint the WAL. Review history is never
    changed. A read-only folder or a full disk turns repairs off (see `limit`)."""
    path = Path(store_path)
    report = CheckReport(path)
    wal = log_files(path)[0]
    try:
        wal_size = wal.stat().st_size if wal.exists() else 0
        report.facts.append(f"store: {path} ({(path.stat().st_size + wal_size) / 1024:.0f} KiB)")
    except OSError as exc:
        report.ok, report.problems = False, [f"cannot open {path}: {exc}"]
        report.advice = recovery_advice(path)
        return report
    report.limit = storage_limit(path) or ""
    if report.limit:
        repair = False
        report.facts.append(f"{report.limit}: checking only, nothing can be repaired")
        if wal_size:
            report.ok = False
            report.unchecked = (
                f"{report.limit}: the latest changes are still in {wal.name}, which SQLite cannot read "
                "without writing; make the folder writable or free some space, then check again"
            )
            return report
    aside: Path | None = None
    try:
        db = _open(path, read_only=bool(report.limit))
    except sqlite3.Error as exc:
        report.ok, report.problems = False, [f"cannot open {path}: {exc}"]
        return report
    try:
        problems = integrity_problems(db)
        if problems and repair and not any("not a database" in p for p in problems):
            aside = _copy_aside(path, now, "before-repair")
            report.repaired.append(f"kept a copy of the damaged file as {aside.name}")
            try:
                db.execute("REINDEX")
                report.repaired.append("rebuilt every index (REINDEX)")
            except sqlite3.DatabaseError as exc:
                report.problems.append(f"REINDEX failed: {exc}")
            problems = integrity_problems(db)
    finally:
        db.close()
    if problems:
        report.ok = False
        report.facts.append("integrity check: FAILED")
        report.problems.extend(problems[:10])
        report.advice = recovery_advice(path)
        return report
    report.facts.append("integrity check: ok")
    store: Store | None = None
    try:
        if report.limit:
            db = _open(path, read_only=True)
        else:
            store = Store(path)  # sound: it may be opened as quiz opens it (and migrated)
            db = store.db
    except (StoreError, sqlite3.Error) as exc:
        report.ok, report.problems = False, [str(exc)]
        return report
    try:
        _check_rows(db, store if repair else None, path, now, aside, report)
    except (StoreError, OSError, sqlite3.Error) as exc:
        report.problems.append(str(exc))
    finally:
        db.close()
    good = newest_good(path)
    report.facts.append(f"backups: {len(list_backups(path))}; newest good: {good.describe() if good else 'none'}")
    report.ok = not report.problems
    return report


def _check_rows(
    db: sqlite3.Connection, store: Store | None, path: Path, now: datetime, aside: Path | None, report: CheckReport
) -> None:
    """Every row read as quiz reads it; with a store to write (repairs on), the unreadable ones fixed."""
    unreadable = unreadable_rows(db)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    reviews = db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    states = db.execute("SELECT count(*) FROM card_state").fetchone()[0]
    report.facts.append(f"schema version {version}; {reviews} reviews logged; {states} cards with a state")
    fixable = {k: unreadable[k] for k in ("card_state", "settings") if unreadable[k]}
    if fixable and store is not None:
        # A copy aside, not a backup: a store that fails the check never becomes a "good" backup.
        aside = aside or _copy_aside(path, now, "before-repair")
        report.repaired.append(f"backed up the store first as {aside.name}")
        report.repaired.extend(store.repair_rows(fixable))
    elif fixable:
        report.problems.extend(f"{len(v)} unreadable {k} row(s)" for k, v in fixable.items())
    for table in ("review_log", "exam_result", "event"):
        if unreadable[table]:
            ids = ", ".join(str(i) for i in unreadable[table][:10])
            report.problems.append(f"{len(unreadable[table])} unreadable {table} row(s) (ids {ids}), kept as history")
    if store is not None:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        report.repaired.append("checkpointed the WAL" if not busy else "WAL checkpoint postponed (in use)")
