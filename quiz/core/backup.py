"""Backups of the store: taking one (a checked snapshot), thinning the folder, and restoring one.

A backup is a copy made with SQLite's online backup API, in steps within one read transaction (a
consistent snapshot even while another connection or process writes: the app saves answers as its start's
backup runs on a thread), switched to a single self-contained file, checked (`PRAGMA integrity_check` and a
screen of every row's values, so a store damaged inside its text is never backed up as good), synced
and only then renamed into the backups folder (quiz.core.backupfolder says how backups are named).

Automatic backups (`auto_backup`) are taken when the store changed and the newest backup is at least
MIN_INTERVAL old (a newest one stamped in the future does not hold them back), and the folder is
thinned to: the KEEP_RECENT newest, then the newest of each of the last KEEP_DAYS days, KEEP_WEEKS
weeks and KEEP_MONTHS months that have one, and always a backup holding more reviews than the store
(the history before a fresh start). Restoring never deletes: the current file (with its -wal and
-shm) is renamed aside as `quiz.sqlite3.<time>.broken`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path
from threading import Event

from quiz.core.atomicfile import sync_file, sync_folder
from quiz.core.backupfolder import (
    Backup,
    backup_name,
    checksum_of,
    folder_of,
    list_backups,
    missing_link_target,
    remove_leftovers,
    temporary_path,
    time_of_stamp,
    time_stamp,
)
from quiz.core.lock import unless_held_elsewhere
from quiz.core.store import SQLITE_LONGEST_PATH, Store, log_files, storage_limit
from quiz.core.storehealth import newest_good, reviews_in, store_away, store_problems, too_new, verify

MIN_INTERVAL = timedelta(minutes=30)
KEEP_RECENT = 4  # with the others, at most about 20 files: a heavy user's store is tens of MB
KEEP_DAYS = 7
KEEP_WEEKS = 4
KEEP_MONTHS = 6


class BackupError(Exception):
    """A backup could not be made or restored; the message says why. Nothing was lost."""


class BackupStopped(BackupError):
    """A backup was stopped when asked (the app quit as it backed up): its unfinished copy is deleted."""


class BackupBusy(BackupError):
    """Another quiz (another window, or a command in another terminal) is backing up the same store right now."""


# In the backups folder, locked while a backup is made: one at a time per store, across processes, each numbered
# after the one before (two made at once would copy the whole store twice, and take the same number)
ONE_AT_A_TIME = ".quiz-backing-up.lock"


_PAGES_A_STEP = 4096  # 16 MB of 4 KB pages: a stop asked is heard within a few tens of milliseconds of copying
_STEPS_A_LOOK = 100_000  # SQLite's steps of the copy's check between two looks at a stop asked


def _stop_if_asked(stop: Event | None) -> None:
    if stop is not None and stop.is_set():
        raise BackupStopped(
            "the backup begun as quiz started was stopped as it quit (every answer is saved in the store); the next"
            " start takes it"
        )


def _stopped_between_steps(status: int, stop: Event | None) -> None:
    """The copy's look at a stop asked, after each of its steps; not after a step that failed (a full disk): that
    failure is what is said, even as quiz quits."""
    if status in (sqlite3.SQLITE_OK, sqlite3.SQLITE_DONE, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        _stop_if_asked(stop)


def _copy_snapshot(source: Store, target: sqlite3.Connection, stop: Event | None) -> None:
    """Copy the store as it was at one moment: the read transaction held through the copy's steps keeps that
    moment, while writers go on in the write-ahead log (a write of another connection between two steps would
    otherwise start the copy again, for ever under a stream of answers); `stop` is looked at between steps."""
    with source.snapshot() as db:
        db.backup(target, pages=_PAGES_A_STEP, progress=lambda status, *_: _stopped_between_steps(status, stop))


def make_backup(store: Store, now: datetime, stop: Event | None = None) -> Backup:
    """Copy the store into the backups folder, checked; raise BackupError (leaving nothing behind), also
    when the copy fails the check: a damaged store is never backed up to pass for a good one; BackupBusy while
    another quiz is making one. `stop`, set from another thread, makes it raise BackupStopped within moments, its
    copy deleted, unless the copy is already in place."""
    with _alone(store) as alone:
        if not alone:
            raise BackupBusy(f"another quiz is backing up {store.path} right now: run this again once it is done")
        return _make_backup(store, now, list_backups(store.path), stop)


@contextmanager
def _alone(store: Store) -> Iterator[bool]:
    """The backups folder locked (ONE_AT_A_TIME) for the block, told whether it is: False while another backs up.
    A folder that cannot be reached, made or locked is the backup's own to report (it writes there next)."""
    folder = folder_of(store.path)
    if missing_link_target(folder):
        yield True
        return
    with suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    with unless_held_elsewhere(folder / ONE_AT_A_TIME) as alone:
        yield alone


def _make_backup(store: Store, now: datetime, listed: list[Backup], stop: Event | None) -> Backup:
    """make_backup's work, the folder locked; `listed`: its backups, read under the lock."""
    folder = folder_of(store.path)
    stamp = time_stamp(now)
    temporary = temporary_path(folder, stamp)
    if unreachable := missing_link_target(folder):
        raise BackupError(f"could not back up {store.path}: {unreachable}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)
        number = 1 + max((b.number for b in listed), default=0)
        target = sqlite3.connect(temporary)
        try:
            _copy_snapshot(store, target, stop)
            _self_contained(target)
            if stop is not None:  # the check is most of a backup's time: SQLite stops it when asked
                target.set_progress_handler(stop.is_set, _STEPS_A_LOOK)
            problems = store_problems(target)
            _stop_if_asked(stop)  # before its problems are read: a check stopped says "interrupted"
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
        sync_file(temporary)
        _stop_if_asked(stop)
        name, extra = backup_name(number, stamp, writes, reviews, checksum), 0
        final = folder / f"{name}.sqlite3"
        while final.exists():  # another process made one at the same moment
            extra += 1
            final = folder / f"{name}-{extra}.sqlite3"
        os.replace(temporary, final)
        sync_folder(folder)
    except (OSError, sqlite3.Error) as exc:
        if _interrupted(exc):  # SQLite stopped as asked; any other failure is said as it is, even as quiz quits
            _stop_if_asked(stop)
        later = _what_to_do(temporary, "quiz backs up again when it next starts or closes")
        raise BackupError(f"could not back up {store.path} into {folder}: {_too_long(folder) or exc}{later}") from exc
    finally:
        with suppress(OSError):  # not over the failure's own words: a next backup removes what stays (remove_leftovers)
            _remove_with_log(temporary)  # and the journal a copy stopped half way leaves beside it
    return Backup(final, time_of_stamp(stamp), writes, number, reviews, checksum, final.stat().st_mtime)


def _interrupted(exc: OSError | sqlite3.Error) -> bool:
    """SQLite's "interrupted": its progress handler (the copy's check) stopped it."""
    return isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT


# A backup's name (quiz-<number>-<time>-w<writes>-r<reviews>-<checksum>.sqlite3) takes up to ~100 bytes of a path
LONGEST_FOLDER = SQLITE_LONGEST_PATH - 100


def _too_long(folder: Path) -> str | None:
    """Why SQLite cannot make a backup in `folder`, when its path is too long for it: it says only "unable to
    open database file"."""
    length = len(os.fsencode(os.path.abspath(folder)))
    if length <= LONGEST_FOLDER:
        return None
    return (
        f"its path is {length} bytes long, and SQLite makes a backup in a folder of at most {LONGEST_FOLDER}: give"
        " quiz a data folder with a shorter path (--data-dir or QUIZ_HOME)"
    )


_ROOM = {"disk full": "free some space on that disk", "read-only": "make that folder writable"}


def _what_to_do(place: Path, then: str) -> str:
    """What to do when writing `place` failed for want of space or of a writable folder (the failure's own words,
    "database or disk is full", "Permission denied", do not say), then `then`."""
    limit = storage_limit(place)
    return f"; {_ROOM[limit]}; {then}" if limit else ""


def needs_backup(
    store: Store, now: datetime, min_interval: timedelta = MIN_INTERVAL, listed: list[Backup] | None = None
) -> bool:
    """The store changed since the newest backup, which is at least `min_interval` old (or stamped in
    the future, by a clock that was wrong then or is now: it holds nothing back)."""
    newest = next(iter(list_backups(store.path) if listed is None else listed), None)
    if newest is not None and timedelta(0) <= now - newest.taken_at < min_interval:
        return False
    # An answer does not bump the write counter but adds a review-log row, which only a counted write takes
    # away: the two together change with every write (a backup named by an older quiz says no reviews).
    if newest is not None and (newest.writes, newest.reviews) == store.writes_and_reviews():
        return False
    return not store.is_empty()


def auto_backup(
    store: Store, now: datetime, min_interval: timedelta = MIN_INTERVAL, stop: Event | None = None
) -> Backup | None:
    """A new backup when one is due (see needs_backup), then thin the folder. BackupError on failure; `stop`: as
    make_backup's. None too while another quiz backs up the store: that one is taken, and it is not waited for."""
    if not needs_backup(store, now, min_interval):  # as most commands close: no backups folder made, nor locked
        return None
    with _alone(store) as alone:
        if not alone:
            return None
        listed = list_backups(store.path)  # read again under the lock (another quiz may have just made one) ...
        if not needs_backup(store, now, min_interval, listed):
            return None
        made = _make_backup(store, now, listed, stop)
        thin(store.path, made.reviews, [made, *listed])  # ... and once for the steps that follow
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
        seen: set[object] = set()
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


def thin(store_path: str | Path, store_reviews: int | None = None, listed: list[Backup] | None = None) -> list[Path]:
    """Delete the backups the policy (to_keep) no longer keeps; return them."""
    backups = list_backups(store_path) if listed is None else listed
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
    """A backup by file name (as listed), 'latest' for the newest good one this quiz can open, or any file by
    path."""
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
    (the -wal first, so it can never be replayed onto the restored file), beside the file a link at the
    store's path names. The caller must make sure no quiz is using the store (the app lock).
    """
    # a store linked into the data folder (kept on another drive) is restored where it is kept: the link stays,
    # also when it leads to no file (a restore killed between putting the old one aside and the copy's rename)
    if away := store_away(store_path):
        raise BackupError(away)
    store = Path(os.path.realpath(store_path))
    source_path, checksum = (source.path, source.checksum) if isinstance(source, Backup) else (Path(source), None)
    incoming = store.with_name(f".{store.name}.restoring")
    stamp = time_stamp(now)
    aside = store.with_name(f"{store.name}.{stamp}.broken")
    number = 0
    while aside.exists():
        number += 1
        aside = store.with_name(f"{store.name}.{stamp}-{number}.broken")
    try:
        _remove_with_log(incoming)  # what a restore killed half way left: read with this copy, its journal or log
        with_log = _copy(source_path, incoming)
        sync_file(incoming)
        # Checked once, as copied: with the checksum that proves the copy is the backup as it was made.
        problems = verify(incoming, checksum=checksum)
        if problems and with_log:  # a quiz may be writing in it: the copy, not the store, can be what is torn
            raise BackupError(
                f"the copy of {source_path} with its write-ahead log is not a sound quiz store ({problems[0]}): a "
                "quiz writing in it as it was copied can do that, so quit the quiz using it and run again; if none "
                "is, choose another store"
            )
        if problems:
            raise BackupError(f"{source_path} is not a sound quiz store ({problems[0]}); choose another backup")
        if newer := too_new(incoming):
            raise BackupError(f"{source_path} {newer}; your store is as it was")
        for suffix in ("-wal", "-shm", ""):
            current = Path(f"{store}{suffix}")
            if current.exists():
                os.replace(current, Path(f"{aside}{suffix}"))
        kept = aside if aside.exists() else None  # a -wal and -shm alone (a store deleted while open) go along
        os.replace(incoming, store)
        sync_folder(store.parent)
    except (OSError, sqlite3.Error) as exc:
        again = _what_to_do(incoming, "then run the restore again")
        raise BackupError(f"could not restore {source_path}: {exc}{again}") from exc
    finally:
        _remove_with_log(incoming)
    return kept


def _remove_with_log(path: Path) -> None:
    """Remove a database file only quiz writes (restore's copy, under the app lock) and SQLite's files beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


_COPY_TRIES = 3  # a quiz writing the source now and then leaves a quiet moment within a few copies


def _copy(source: Path, target: Path) -> bool:
    """Copy a store file without changing it or anything beside it: it may be on a read-only drive, open in a
    quiz on another machine (a shared folder), or kept aside as evidence (`.broken`), and SQLite, opening it,
    would fold its write-ahead log into it and delete the log. The log (a store a quiz has open, or was
    stopped before it closed) holds its latest answers: copied too, and folded into the copy. A quiz using the
    source can fold its log into the file between the two copies (as it closes): the copy is taken again
    until neither file changed while it was made, or refused. Returns whether a log came along."""
    real = Path(os.path.realpath(source))
    log = log_files(real)[0]
    for _ in range(_COPY_TRIES):
        if _copied_unchanged(real, log, target):
            break
        _remove_with_log(target)
    else:
        raise BackupError(f"{source} was being written while it was copied: quit the quiz using it and run again")
    if not Path(f"{target}-wal").exists():
        return False
    copy = sqlite3.connect(target)
    try:
        _self_contained(copy)
    finally:
        copy.close()
    return True


def _copied_unchanged(real: Path, log: Path, target: Path) -> bool:
    """Copy the file and its log (when it holds anything); False when either changed, came or went meanwhile."""
    before = _identity(real), _identity(log)
    shutil.copyfile(real, target)
    if before[1] is not None and before[1][1]:
        try:
            shutil.copyfile(log, f"{target}-wal")
        except FileNotFoundError:  # folded into the file and deleted since: the identities say so
            pass
    return (_identity(real), _identity(log)) == before


def _identity(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is written, replaced or deleted; None when there is none."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def _self_contained(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode=DELETE")  # the log folded into the file, and no log kept beside it
