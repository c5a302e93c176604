"""Rolling backups of the store, and restoring one.

A backup is a copy made with SQLite's online backup API (a consistent snapshot even while another
process writes), switched to a single self-contained file, checked with `PRAGMA integrity_check`, synced
and only then renamed into `<data dir>/backups/quiz-<UTC time>-w<writes>.sqlite3`. `writes` is the
store's write counter at that moment, so "changed since the last backup" costs one query.

Automatic backups (`auto_backup`) are taken when the store changed and the newest backup is at least
MIN_INTERVAL old, and the folder is thinned to: the KEEP_RECENT newest, then the newest of each of the
last KEEP_DAYS days, KEEP_WEEKS weeks and KEEP_MONTHS months that have one. Restoring never deletes:
the current file (with its -wal and -shm) is renamed aside as `quiz.sqlite3.<time>.broken`.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # pragma: no cover
    from quiz.core.store import Store

FOLDER = "backups"
MIN_INTERVAL = timedelta(minutes=30)
KEEP_RECENT = 4  # with the others, at most about 20 files: a heavy user's store is tens of MB
KEEP_DAYS = 7
KEEP_WEEKS = 4
KEEP_MONTHS = 6

_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"quiz-(\d{8}T\d{6}Z)-w(\d+)(?:-(\d+))?\.sqlite3\Z")


class BackupError(Exception):
    """A backup could not be made or restored; the message says why. Nothing was lost."""


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    writes: int  # the store's write counter when it was taken

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        return f"{self.name} (taken {self.taken_at:%Y-%m-%d %H:%M} UTC)"


def folder_of(store_path: str | Path) -> Path:
    return Path(store_path).parent / FOLDER


def list_backups(store_path: str | Path) -> list[Backup]:
    """Every backup of the store, newest first (by the time in its name)."""
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder_of(store_path)))
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match and entry.is_file():
            taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append(Backup(Path(entry.path), taken, int(match.group(2))))
    return sorted(found, key=lambda b: (b.taken_at, b.name), reverse=True)


def verify(path: str | Path, quick: bool = False) -> list[str]:
    """[] when the file is a sound quiz store; otherwise what is wrong. Opens it read-only.

    `quick` runs quick_check (structure only, several times faster) instead of integrity_check."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        check = "quick_check" if quick else "integrity_check"
        rows = [row[0] for row in db.execute(f"PRAGMA {check}").fetchall()]
        if rows != ["ok"]:
            return rows
        db.execute("SELECT count(*) FROM review_log").fetchone()
        return []
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        db.close()


def newest_good(store_path: str | Path) -> Backup | None:
    return next((b for b in list_backups(store_path) if not verify(b.path)), None)


def recovery_advice(store_path: str | Path) -> str:
    """What to tell someone whose store cannot be opened: the newest good backup and the command."""
    good = newest_good(store_path)
    if good is None:
        return (
            f"No good backup was found in {folder_of(store_path)}; run `quiz check` for details, "
            "or move the file away to start afresh."
        )
    return (
        f"The newest good backup is {good.describe()}; run `quiz restore latest` to go back to it "
        "(the damaged file is kept aside, never deleted)."
    )


def _fsync(path: Path, directory: bool = False) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    except OSError:  # some systems cannot open directories; the data itself is synced
        return
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


def make_backup(store: Store, now: datetime) -> Backup:
    """Copy the store into the backups folder, verified; raise BackupError (leaving nothing behind)."""
    folder = folder_of(store.path)
    stamp = now.astimezone(UTC).strftime(_STAMP)
    temporary = folder / f".quiz-{stamp}-{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(temporary)
        try:
            store.db.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            row = target.execute("SELECT value FROM meta WHERE key = 'writes'").fetchone()
            writes = int(row[0]) if row else 0
        finally:
            target.close()
        problems = verify(temporary)
        if problems:
            raise BackupError(f"the copy failed its integrity check: {problems[0]}")
        _fsync(temporary)
        name, number = f"quiz-{stamp}-w{writes}", 0
        final = folder / f"{name}.sqlite3"
        while final.exists():
            number += 1
            final = folder / f"{name}-{number}.sqlite3"
        os.replace(temporary, final)
        _fsync(folder, directory=True)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"could not back up {store.path} into {folder}: {exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return Backup(final, datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC), writes)


def needs_backup(store: Store, now: datetime, min_interval: timedelta = MIN_INTERVAL) -> bool:
    """The store changed since the newest backup, which is at least `min_interval` old."""
    backups = list_backups(store.path)
    if backups and now - backups[0].taken_at < min_interval:
        return False
    if backups and backups[0].writes == store.write_count():
        return False
    return not store.is_empty()


def auto_backup(store: Store, now: datetime, min_interval: timedelta = MIN_INTERVAL) -> Backup | None:
    """A new backup when one is due (see needs_backup), then thin the folder. BackupError on failure."""
    if not needs_backup(store, now, min_interval):
        return None
    made = make_backup(store, now)
    thin(store.path)
    return made


def to_keep(backups: list[Backup]) -> set[Path]:
    """The rolling policy: the newest few, then one per day, per week and per month, newest first."""
    ordered = sorted(backups, key=lambda b: (b.taken_at, b.name), reverse=True)
    keep = {b.path for b in ordered[:KEEP_RECENT]}
    buckets = (
        (lambda t: t.date(), KEEP_DAYS),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKS),
        (lambda t: (t.year, t.month), KEEP_MONTHS),
    )
    for bucket, count in buckets:
        seen: set = set()
        for backup in ordered:
            key = bucket(backup.taken_at)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(backup.path)
    return keep


def thin(store_path: str | Path) -> list[Path]:
    """Delete the backups the policy no longer keeps; return them."""
    backups = list_backups(store_path)
    keep = to_keep(backups)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except OSError:
                pass
    return removed


def find(store_path: str | Path, name: str) -> Backup | Path | None:
    """A backup by file name (as listed), 'latest' for the newest good one, or any file by path."""
    if name in ("latest", "newest"):
        return newest_good(store_path)
    for backup in list_backups(store_path):
        if backup.name == name or str(backup.path) == name:
            return backup
    path = Path(name)
    return path if path.is_file() else None


def restore(store_path: str | Path, source: Backup | Path, now: datetime) -> Path | None:
    """Put a verified copy of `source` in place of the store; return where the old file was kept.

    Nothing is deleted: the current file and its -wal/-shm are renamed to `<name>.<time>.broken[-wal]`
    (the -wal first, so it can never be replayed onto the restored file). The caller must make sure
    no quiz is using the store (the app lock).
    """
    store = Path(store_path)
    source_path = source.path if isinstance(source, Backup) else Path(source)
    problems = verify(source_path)
    if problems:
        raise BackupError(f"{source_path} is not a sound quiz store ({problems[0]}); choose another backup")
    incoming = store.with_name(f".{store.name}.restoring")
    stamp = now.astimezone(UTC).strftime(_STAMP)
    aside = store.with_name(f"{store.name}.{stamp}.broken")
    number = 0
    while aside.exists():
        number += 1
        aside = store.with_name(f"{store.name}.{stamp}-{number}.broken")
    try:
        shutil.copyfile(source_path, incoming)
        _fsync(incoming)
        problems = verify(incoming)
        if problems:
            raise BackupError(f"the copy of {source_path} failed its integrity check: {problems[0]}")
        kept = None
        for suffix in ("-wal", "-shm", ""):
            current = Path(f"{store}{suffix}")
            if current.exists():
                os.replace(current, Path(f"{aside}{suffix}"))
                kept = aside
        os.replace(incoming, store)
        _fsync(store.parent, directory=True)
    except OSError as exc:
        raise BackupError(f"could not restore {source_path}: {exc}") from exc
    finally:
        incoming.unlink(missing_ok=True)
    return kept


# --- check and repair -------------------------------------------------------------------------------


@dataclass
class CheckReport:
    path: Path
    ok: bool = True  # sound (after any repairs)
    facts: list[str] = field(default_factory=list)  # what was found
    repaired: list[str] = field(default_factory=list)  # what was changed
    problems: list[str] = field(default_factory=list)  # what is still wrong
    advice: str = ""


def _integrity(db: sqlite3.Connection) -> list[str]:
    try:
        rows = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _copy_aside(store: Path, now: datetime, label: str) -> Path:
    """A byte copy of the store (and its -wal) next to it, before anything is changed; never deleted."""
    stamp = now.astimezone(UTC).strftime(_STAMP)
    aside = store.with_name(f"{store.name}.{stamp}.{label}")
    for suffix in ("-wal", ""):
        if Path(f"{store}{suffix}").exists():
            shutil.copyfile(f"{store}{suffix}", f"{aside}{suffix}")
    return aside


def check_store(store_path: str | Path, now: datetime, repair: bool = True) -> CheckReport:
    """Integrity check, then (with `repair`) the safe repairs: rebuild indexes, fix unreadable card states
    and settings (after a verified backup), checkpoint the WAL. Review history is never changed."""
    from quiz.core.store import Store, StoreError  # the store module imports this one lazily too

    path = Path(store_path)
    report = CheckReport(path)
    try:
        size = path.stat().st_size + (Path(f"{path}-wal").stat().st_size if Path(f"{path}-wal").exists() else 0)
        report.facts.append(f"store: {path} ({size / 1024:.0f} KiB)")
        db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        report.ok, report.problems = False, [f"cannot open {path}: {exc}"]
        report.advice = recovery_advice(path)
        return report
    try:
        problems = _integrity(db)
        if problems and repair and not any("not a database" in p for p in problems):
            aside = _copy_aside(path, now, "before-repair")
            report.repaired.append(f"kept a copy of the damaged file as {aside.name}")
            try:
                db.execute("REINDEX")
                report.repaired.append("rebuilt every index (REINDEX)")
            except sqlite3.DatabaseError as exc:
                report.problems.append(f"REINDEX failed: {exc}")
            problems = _integrity(db)
    finally:
        db.close()
    if problems:
        report.ok = False
        report.facts.append("integrity check: FAILED")
        report.problems.extend(problems[:10])
        report.advice = recovery_advice(path)
        return report
    report.facts.append("integrity check: ok")
    try:
        store = Store(path)
    except StoreError as exc:
        report.ok, report.problems = False, [str(exc)]
        return report
    try:
        unreadable = store.unreadable_rows()
        report.facts.append(
            f"schema version {store.schema_version}; {store.review_count()} reviews logged; "
            f"{sum(1 for _ in store.db.execute('SELECT 1 FROM card_state'))} cards with a state"
        )
        fixable = {k: unreadable[k] for k in ("card_state", "settings") if unreadable[k]}
        if fixable and repair:
            before = make_backup(store, now)
            report.repaired.append(f"backed up the store first as {before.name}")
            report.repaired.extend(store.repair_rows(fixable))
        elif fixable:
            report.problems.extend(f"{len(v)} unreadable {k} row(s)" for k, v in fixable.items())
        for table in ("review_log", "exam_result"):
            if unreadable[table]:
                ids = ", ".join(str(i) for i in unreadable[table][:10])
                report.problems.append(
                    f"{len(unreadable[table])} unreadable {table} row(s) (ids {ids}), kept as history"
                )
        if repair:
            busy, _, _ = store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            report.repaired.append("checkpointed the WAL" if not busy else "WAL checkpoint postponed (in use)")
    except (StoreError, BackupError, sqlite3.Error) as exc:
        report.problems.append(str(exc))
    finally:
        store.close()
    good = newest_good(path)
    report.facts.append(f"backups: {len(list_backups(path))}; newest good: {good.describe() if good else 'none'}")
    report.ok = not report.problems
    return report
