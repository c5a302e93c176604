"""Rolling backups of the store, and restoring one.

A backup is a copy made with SQLite's online backup API (a consistent snapshot even while another
process writes), switched to a single self-contained file, checked (`PRAGMA integrity_check` and a
screen of every row's values, so a store damaged inside its text is never backed up as good), synced
and only then renamed into `<data dir>/backups/quiz-<number>-<UTC time>-w<writes>-r<reviews>-<sha256>.sqlite3`:
- `number` counts 1, 2, 3, ... in the order backups are made, and is the only order used: the time
  comes from quiz's clock, which can be wrong (QUIZ_NOW, a bad system clock), so it is only shown;
- `writes` is the store's write counter then, so "changed since the last backup" costs one query;
- `reviews` (review-log rows) says how much history it holds without opening it;
- `sha256` (its first 16 hex digits) is of the file's bytes: a backup whose bytes changed since is not good.
Backups named by an older quiz (`quiz-<UTC time>-w<writes>.sqlite3`) still count: they come before
numbered ones, in the order of their files' modification times, and are checked without a checksum.

Automatic backups (`auto_backup`) are taken when the store changed and the newest backup is at least
MIN_INTERVAL old (a newest one stamped in the future does not hold them back), and the folder is
thinned to: the KEEP_RECENT newest, then the newest of each of the last KEEP_DAYS days, KEEP_WEEKS
weeks and KEEP_MONTHS months that have one, and always a backup holding more reviews than the store
(the history before a fresh start). Restoring never deletes: the current file (with its -wal and
-shm) is renamed aside as `quiz.sqlite3.<time>.broken`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from quiz.core.store import Store, implausible_rows

FOLDER = "backups"
MIN_INTERVAL = timedelta(minutes=30)
KEEP_RECENT = 4  # with the others, at most about 20 files: a heavy user's store is tens of MB
KEEP_DAYS = 7
KEEP_WEEKS = 4
KEEP_MONTHS = 6

_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(
    r"quiz-(?:(?P<number>\d+)-)?(?P<stamp>\d{8}T\d{6}Z)-w(?P<writes>\d+)"
    r"(?:-r(?P<reviews>\d+)-(?P<checksum>[0-9a-f]{16}))?(?:-\d+)?\.sqlite3\Z"
)
_CHECKSUM_DIGITS = 16  # of sha256, in hex: 64 bits, against damage (not against someone forging a file)


class BackupError(Exception):
    """A backup could not be made or restored; the message says why. Nothing was lost."""


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


def folder_of(store_path: str | Path) -> Path:
    return Path(store_path).parent / FOLDER


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
            taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
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
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:_CHECKSUM_DIGITS]


def integrity_problems(db: sqlite3.Connection, quick: bool = False) -> list[str]:
    """SQLite's integrity_check (or quick_check: structure only, several times faster): [] when it passes."""
    try:
        rows = [row[0] for row in db.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}").fetchall()]
    except sqlite3.Error as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _problems(db: sqlite3.Connection, quick: bool = False) -> list[str]:
    """[] when the open file is a sound quiz store: SQLite's check, then every row's values screened."""
    try:
        return integrity_problems(db, quick) or implausible_rows(db)
    except sqlite3.Error as exc:
        return [str(exc)]


def verify(path: str | Path, quick: bool = False, checksum: str | None = None) -> list[str]:
    """[] when the file is a sound quiz store (and, given a checksum, still the bytes it had when it was
    made); otherwise what is wrong. Opens it read-only. `quick` runs quick_check (structure only, several
    times faster) instead of integrity_check."""
    if checksum is not None:
        try:
            if checksum_of(path) != checksum:
                return ["its bytes changed since it was made (checksum mismatch)"]
        except OSError as exc:
            return [str(exc)]
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return _problems(db, quick)
    finally:
        db.close()


def is_good(backup: Backup, quick: bool = False) -> bool:
    return not verify(backup.path, quick, backup.checksum)


def newest_good(store_path: str | Path) -> Backup | None:
    return next((b for b in list_backups(store_path) if is_good(b)), None)


def reviews_in(backup: Backup) -> int | None:
    """How many reviews the backup holds: from its name, or (an older quiz's) read from it; None if unreadable."""
    if backup.reviews is not None:
        return backup.reviews
    try:
        db = sqlite3.connect(f"file:{quote(str(backup.path.resolve()))}?mode=ro", uri=True, timeout=5.0)
        try:
            return int(db.execute("SELECT count(*) FROM review_log").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return None


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


def missing_store_advice(store_path: str | Path) -> str | None:
    """When there is no store but a good backup: what to say instead of creating an empty store over the
    history it holds. None when there is no good backup (a first start)."""
    good = newest_good(store_path)
    if good is None:
        return None
    good = replace(good, reviews=reviews_in(good))
    return (
        f"there is no store at {store_path}, but the backups hold a history: the newest good one is "
        f"{good.describe()}. Run `quiz restore latest` to bring it back, or `quiz restore --empty` to start "
        "afresh with an empty store (the backups are kept)."
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
    """Copy the store into the backups folder, checked; raise BackupError (leaving nothing behind), also
    when the copy fails the check: a damaged store is never backed up to pass for a good one."""
    folder = folder_of(store.path)
    stamp = time_stamp(now)
    temporary = folder / f".quiz-{stamp}-{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        number = 1 + max((b.number for b in list_backups(store.path)), default=0)
        target = sqlite3.connect(temporary)
        try:
            store.db.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            problems = _problems(target)
            if problems:
                raise BackupError(
                    f"the store fails its check ({problems[0]}), so it was not backed up; run `quiz check`"
                )
            row = target.execute("SELECT value FROM meta WHERE key = 'writes'").fetchone()
            writes = int(row[0]) if row else 0
            reviews = int(target.execute("SELECT count(*) FROM review_log").fetchone()[0])
        finally:
            target.close()
        checksum = checksum_of(temporary)
        _fsync(temporary)
        name, extra = f"quiz-{number:06d}-{stamp}-w{writes}-r{reviews}-{checksum}", 0
        final = folder / f"{name}.sqlite3"
        while final.exists():  # another process made one at the same moment
            extra += 1
            final = folder / f"{name}-{extra}.sqlite3"
        os.replace(temporary, final)
        _fsync(folder, directory=True)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"could not back up {store.path} into {folder}: {exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    taken = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    return Backup(final, taken, writes, number, reviews, checksum, final.stat().st_mtime)


def needs_backup(store: Store, now: datetime, min_interval: timedelta = MIN_INTERVAL) -> bool:
    """The store changed since the newest backup, which is at least `min_interval` old (or stamped in
    the future, by a clock that was wrong then or is now: it holds nothing back)."""
    newest = next(iter(list_backups(store.path)), None)
    if newest is not None and timedelta(0) <= now - newest.taken_at < min_interval:
        return False
    if newest is not None and newest.writes == store.write_count():
        return False
    return not store.is_empty()


def auto_backup(store: Store, now: datetime, min_interval: timedelta = MIN_INTERVAL) -> Backup | None:
    """A new backup when one is due (see needs_backup), then thin the folder. BackupError on failure."""
    if not needs_backup(store, now, min_interval):
        return None
    made = make_backup(store, now)
    thin(store.path, made.reviews)
    return made


def to_keep(backups: list[Backup], store_reviews: int | None = None) -> set[Path]:
    """The rolling policy: the newest few, then one per day, per week and per month, newest first; and,
    given the store's review count, the backup holding the most reviews if it holds more than the store
    and the policy kept none that does (the history from before a fresh start, or a store lost)."""
    ordered = sorted(backups, key=lambda b: b.order, reverse=True)
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
    if store_reviews is not None:
        held = {b.path: reviews_in(b) or 0 for b in ordered}
        richer = [b for b in ordered if held[b.path] > store_reviews]
        if richer and not any(b.path in keep for b in richer):
            keep.add(max(richer, key=lambda b: (held[b.path], b.order)).path)
    return keep


def thin(store_path: str | Path, store_reviews: int | None = None) -> list[Path]:
    """Delete the backups the policy (to_keep) no longer keeps; return them."""
    backups = list_backups(store_path)
    keep = to_keep(backups, store_reviews)
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
    source_path, checksum = (source.path, source.checksum) if isinstance(source, Backup) else (Path(source), None)
    problems = verify(source_path, checksum=checksum)
    if problems:
        raise BackupError(f"{source_path} is not a sound quiz store ({problems[0]}); choose another backup")
    incoming = store.with_name(f".{store.name}.restoring")
    stamp = time_stamp(now)
    aside = store.with_name(f"{store.name}.{stamp}.broken")
    number = 0
    while aside.exists():
        number += 1
        aside = store.with_name(f"{store.name}.{stamp}-{number}.broken")
    try:
        shutil.copyfile(source_path, incoming)
        _fsync(incoming)
        problems = verify(incoming, checksum=checksum)
        if problems:
            raise BackupError(f"the copy of {source_path} failed its check: {problems[0]}")
        for suffix in ("-wal", "-shm", ""):
            current = Path(f"{store}{suffix}")
            if current.exists():
                os.replace(current, Path(f"{aside}{suffix}"))
        kept = aside if aside.exists() else None  # a -wal and -shm alone (a store deleted while open) go along
        os.replace(incoming, store)
        _fsync(store.parent, directory=True)
    except OSError as exc:
        raise BackupError(f"could not restore {source_path}: {exc}") from exc
    finally:
        incoming.unlink(missing_ok=True)
    return kept
