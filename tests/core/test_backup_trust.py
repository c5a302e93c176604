"""Backups and restore you can trust.

Backups are ordered by the order they were made, never by the time in their names (QUIZ_NOW or a bad
clock can put any time there); a backup counts as good only if its bytes are still those it was made
with and it passes the checks; a store damaged inside its text is never backed up. `quiz check` and
opening the store say "read-only" and "disk full" for what they are (real mounts: skipped without root).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.core import backup, backupfolder
from quiz.core.backup import BackupError, make_backup
from quiz.core.backupfolder import Backup, list_backups
from quiz.core.clock import FixedClock
from quiz.core.store import MIGRATIONS, STORE_NAME, Store, StoreWriteError
from quiz.core.storehealth import newest_good, recovery_advice, verify
from tests.conftest import in_backups_folder
from tests.conftest import record_good as _review
from tests.conftest import reviews_in_file as _count
from tests.conftest import run_main_process as _quiz

AT = datetime(2026, 1, 5, 9, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def _add_reviews(data: Path, keys: list[str]) -> None:
    store = Store.in_folder(data)
    for key in keys:
        _review(store, key)
    store.close()


def _rewrite_inside_text(path: Path, old: bytes, new: bytes) -> None:
    """Change bytes inside a stored text value in place, as a bad disk would (same length)."""
    assert len(old) == len(new)
    raw = path.read_bytes()
    assert raw.count(old) >= 1, old
    path.write_bytes(raw.replace(old, new, 1))


# --- order --------------------------------------------------------------------------------------------


def test_a_run_with_the_clock_in_2099_does_not_stop_later_backups_or_win_restore(data: Path) -> None:
    _add_reviews(data, ["a"])
    assert _quiz(data, "list", env={"QUIZ_NOW": "2099-06-01T09:00:00Z"}).returncode == 0  # backed up when it closes
    [future] = list_backups(data / STORE_NAME)
    assert future.taken_at.year == 2099
    for week in range(6):  # six weeks of runs with the right clock, each after new answers
        _add_reviews(data, [f"w{week}"])
        now = (AT + timedelta(weeks=week)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert _quiz(data, "list", env={"QUIZ_NOW": now}).returncode == 0
    backups = list_backups(data / STORE_NAME)
    assert backups[0].taken_at == AT + timedelta(weeks=5)  # the newest is the last made, not the 2099 one
    assert backups[0].reviews == 7 and backups[0].number == backups[1].number + 1
    result = _quiz(data, "restore", "latest")
    assert result.returncode == 0, result.stderr
    assert backups[0].name in result.stdout
    assert _count(data / STORE_NAME) == 7


def test_backups_named_by_an_older_quiz_are_ordered_by_when_their_files_were_written(data: Path) -> None:
    _add_reviews(data, ["a"])
    folder = data / "backups"
    folder.mkdir()
    older = folder / "quiz-20991231T000000Z-w3.sqlite3"  # a wrong clock's name, written first
    newer = folder / "quiz-20260105T090000Z-w4.sqlite3"
    for path, written in ((older, 1_700_000_000), (newer, 1_700_086_400)):
        shutil.copyfile(data / STORE_NAME, path)
        os.utime(path, (written, written))
    store = Store.in_folder(data)
    _review(store, "b")
    made = make_backup(store, AT)
    store.close()
    assert [b.path for b in list_backups(data / STORE_NAME)] == [made.path, newer, older]
    assert made.number == 1 and made.checksum is not None
    assert newest_good(data / STORE_NAME) == made
    listing = _quiz(data, "restore")
    assert "no checksum" in listing.stdout  # the older ones are checked without one


# --- checksum and checks ----------------------------------------------------------------------------------


def test_a_backup_whose_bytes_changed_is_not_good_though_sqlite_finds_nothing(data: Path) -> None:
    store = Store.in_folder(data)
    _review(store, "a")
    older = make_backup(store, AT)
    _review(store, "b")
    newer = make_backup(store, AT + timedelta(hours=1))
    store.close()
    _rewrite_inside_text(newer.path, b'"duration_ms":1000', b'"duration_ms":9000')  # still plausible JSON
    assert verify(newer.path) == []  # integrity_check and the row screen pass: only the checksum knows
    assert verify(newer.path, checksum=newer.checksum)
    assert newest_good(data / STORE_NAME) == older
    listing = _quiz(data, "restore")
    assert f"{newer.name}" in listing.stdout and "DAMAGED" in listing.stdout
    refused = _quiz(data, "restore", newer.name)
    assert refused.returncode == 1 and "checksum" in refused.stderr
    result = _quiz(data, "restore", "latest")
    assert result.returncode == 0 and older.name in result.stdout


def test_a_store_damaged_inside_its_text_is_never_backed_up(data: Path, capsys) -> None:
    store = Store.in_folder(data)
    _review(store, "a")
    good = make_backup(store, AT)
    _review(store, "b")
    store.close()  # checkpointed: the rows are in the main file
    _rewrite_inside_text(data / STORE_NAME, b'{"grade":3', b'#"grade":3')  # an answer's event: not JSON
    raw = sqlite3.connect(data / STORE_NAME)
    assert raw.execute("PRAGMA quick_check").fetchall() == [("ok",)]  # what start-up looks at
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # structure is intact
    raw.close()
    store = Store.in_folder(data)
    _review(store, "c")
    with pytest.raises(backup.BackupError, match="fails its check"):
        make_backup(store, AT + timedelta(hours=1))
    store.close()
    assert list_backups(data / STORE_NAME) == [good]
    assert in_backups_folder(data / "backups") == [good.name]  # no temporary left
    context = Context(data, FixedClock(AT + timedelta(hours=2)))
    _review(context.store, "d")
    context.close()
    assert "automatic backup failed: the store fails its check" in capsys.readouterr().err
    assert newest_good(data / STORE_NAME) == good


def test_check_repairs_a_damaged_row_keeping_a_copy_aside_not_a_backup(data: Path) -> None:
    store = Store.in_folder(data)
    _review(store, "a")
    good = make_backup(store, AT)
    store.db.execute("UPDATE card_state SET fsrs_state = 9 WHERE card_key = 'a'")
    store.close()
    result = _quiz(data, "check")
    assert result.returncode == 0, result.stdout
    assert "backed up the store first as quiz.sqlite3." in result.stdout
    assert list(data.glob("quiz.sqlite3.*.before-repair"))
    assert list_backups(data / STORE_NAME) == [good]  # the damaged store did not become a "good" backup


# --- a backup killed half way ----------------------------------------------------------------------------

_HANGING_BACKUP = """
import sys, time
from datetime import datetime, UTC
from quiz.core import backup
from quiz.core.store import Store

def hold(db):  # the copy is made: hold here, to be killed
    print("copied", flush=True)
    time.sleep(600)

backup.store_problems = hold
backup.make_backup(Store(sys.argv[1]), datetime.now(UTC))
"""


def _killed_backup(store_path: Path) -> list[Path]:
    """A real backup process killed once its copy of the store is in the backups folder; what it left."""
    child = subprocess.Popen(
        [sys.executable, "-c", _HANGING_BACKUP, str(store_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout and child.stdout.readline() == "copied\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    return sorted((store_path.parent / "backups").glob(".quiz-*.tmp*"))


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_what_a_killed_backup_left_goes_at_the_next_backup_and_a_running_one_s_stays(data: Path) -> None:
    """A terminal closed while quiz backed up as it ended left a copy of the whole store (hundreds of MB for an
    imported history), never listed, never removed; one more at each such close."""
    store = Store.in_folder(data)
    _review(store, "a")
    store.close()
    left = _killed_backup(data / STORE_NAME)
    assert left and all(path.stat().st_size > 0 for path in left[:1])
    running = data / "backups" / f".quiz-20260105T085959Z-{os.getpid()}.tmp"  # a backup still being made
    running.write_bytes(b"being copied")
    store = Store.in_folder(data)
    made = make_backup(store, AT)
    store.close()
    assert in_backups_folder(data / "backups") == sorted([made.name, running.name])


def _state(pid: int) -> str:
    """A process's state as Linux tells it ('Z': ended, its parent not told yet)."""
    return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2].split()[0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="a process's state as Linux tells it")
def test_a_killed_backup_s_leftover_goes_though_its_writer_s_pid_is_a_zombie_or_taken_again(data: Path) -> None:
    """A leftover stayed while its writer's pid named a process at all: a killed quiz not yet reaped by its parent
    (a zombie: a shell or a tool that runs quiz and has not waited for it), or another process that took the pid
    after the machine started again (a copy of the whole store each, never removed). A file written since the
    machine started, by a process running, stays."""
    folder = data / "backups"
    folder.mkdir(parents=True)
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        while _state(ended.pid) != "Z":  # ended, and not waited for
            time.sleep(0.01)
        zombie = folder / f".quiz-20260105T085959Z-{ended.pid}.tmp"
        taken = folder / f".quiz-20260104T085959Z-{other.pid}.tmp"  # written before the machine last started
        writing = folder / f".quiz-20260105T085958Z-{other.pid}.tmp"  # that process's own, written since
        for path in (zombie, taken, writing):
            path.write_bytes(b"a copy of the store")
        long_ago = _booted() - 86400
        os.utime(taken, (long_ago, long_ago))
        backupfolder.remove_leftovers(folder)
        assert sorted(p.name for p in folder.iterdir()) == [writing.name]
    finally:
        ended.wait()
        other.communicate(b"")


def _booted() -> float:
    """When the machine last started, as Linux tells it."""
    line = next(line for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime "))
    return float(line.split()[1])


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="a process's start as Linux tells it")
def test_a_running_backup_s_copy_stays_though_its_time_is_behind_the_clock_of_this_machine(data: Path) -> None:
    """A copy's time is the clock of the disk's server (a network disk), and this machine's clock may be set
    forward while a backup runs (by NTP, after a laptop wakes): a copy last written, by that time, more than
    ten minutes before its writer started was taken for a leftover of a process that ended, the writer's pid
    given since to another, and removed under the running backup."""
    if time.time() - _booted() < 1500:
        pytest.skip("the machine started less than 25 minutes ago")
    folder = data / "backups"
    folder.mkdir(parents=True)
    writer = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        writing = folder / f".quiz-20260105T085958Z-{writer.pid}.tmp"
        writing.write_bytes(b"a copy of the store")
        behind = time.time() - 1200  # a server's clock 20 minutes behind this machine's
        os.utime(writing, (behind, behind))
        backupfolder.remove_leftovers(folder)
        assert writing.exists()
    finally:
        writer.communicate(b"")


def test_a_backup_goes_on_beside_a_leftover_named_with_no_process_s_number(data: Path) -> None:
    """A name shaped like a killed backup's, its process number too big for one (a synced folder holds anyone's
    files): asking the system about it raised OverflowError, and every command ended with a traceback."""
    _add_reviews(data, ["a"])
    theirs = data / "backups" / ".quiz-20260101T000000Z-99999999999999999999.tmp"
    theirs.parent.mkdir()
    theirs.write_bytes(b"theirs")
    listed = _quiz(data, "list")
    assert listed.returncode == 0 and not listed.stderr, listed.stderr
    assert theirs.read_bytes() == b"theirs" and [b.reviews for b in list_backups(data / STORE_NAME)] == [1]


def test_an_automatic_backup_never_stops_the_app_or_a_command(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever goes wrong backing up: the answers are saved, so it is said, never raised."""
    context = Context(data, FixedClock(AT))
    _review(context.store, "a")

    def broken(*args: object) -> None:
        raise OverflowError("signed integer is greater than maximum")

    monkeypatch.setattr(backup, "auto_backup", broken)
    assert context.backup_now() is None
    assert context.backup_warning == "automatic backup failed: signed integer is greater than maximum"
    context.close()


# --- a store file restored by its path ----------------------------------------------------------------------


def test_a_store_restored_by_path_brings_the_answers_still_in_its_write_ahead_log(data: Path, tmp_path: Path) -> None:
    """The store of another machine's folder, open there (or left by a quiz that was killed): its last answers
    are in `quiz.sqlite3-wal` beside it. A copy of the file alone was restored, `restored` said, without them."""
    laptop = Store.in_folder(tmp_path / "laptop")
    for key in ("a", "b", "c"):
        _review(laptop, key)
    laptop.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # these three are in the file now
    for key in ("d", "e"):
        _review(laptop, key)  # these two only in its log
    assert Path(f"{laptop.path}-wal").stat().st_size > 0
    done = _quiz(data, "restore", laptop.path)
    assert done.returncode == 0, done.stderr
    assert _count(data / STORE_NAME) == 5
    _review(laptop, "f")  # the laptop goes on: it was copied, not taken
    laptop.close()
    assert _count(tmp_path / "laptop" / STORE_NAME) == 6


def test_a_store_kept_aside_with_its_log_is_restored_whole(data: Path) -> None:
    """`quiz restore` keeps the store it replaces as `quiz.sqlite3.<time>.broken`, and the log a killed quiz left
    beside it as `...broken-wal`: restoring that file back brings what was in the log too."""
    store = Store.in_folder(data)
    _review(store, "a")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _review(store, "b")  # in the log only
    aside = data / f"{STORE_NAME}.20260105T090000Z.broken"
    for suffix in ("", "-wal"):  # the pair as a kill left it, put aside as restore puts it
        shutil.copyfile(f"{store.path}{suffix}", f"{aside}{suffix}")
    store.close()
    back = _quiz(data, "restore", str(aside))
    assert back.returncode == 0, back.stderr
    assert _count(data / STORE_NAME) == 2


def _pair_aside(folder: Path, keys_in_file: str, keys_in_log: str) -> Path:
    """A store file with its write-ahead log beside it, as a quiz killed while open leaves it: the answers of
    `keys_in_log` only in the log."""
    folder.mkdir(parents=True, exist_ok=True)
    store = Store.in_folder(folder / "open")
    for key in keys_in_file:
        _review(store, key)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for key in keys_in_log:
        _review(store, key)
    pair = folder / "kept.sqlite3"
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{store.path}{suffix}", f"{pair}{suffix}")
    store.close()
    return pair


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def test_a_store_restored_by_path_is_left_as_it_was_with_its_log(data: Path, tmp_path: Path) -> None:
    """SQLite, opening the source to copy it, folded its log into it and deleted the log as it closed: a
    `.broken` pair kept as evidence was changed, and a store another machine has open lost its log under it."""
    _add_reviews(data, ["z"])
    pair = _pair_aside(tmp_path / "other", "a", "b")
    before = _folder_bytes(pair.parent)
    done = _quiz(data, "restore", str(pair))
    assert done.returncode == 0, done.stderr
    assert _count(data / STORE_NAME) == 2
    assert _folder_bytes(pair.parent) == before  # the file and its log, byte for byte, and nothing added


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes through permissions")
def test_a_store_restored_from_a_read_only_folder(data: Path, tmp_path: Path) -> None:
    """Also run as root, on a read-only mount: test_a_store_restored_from_a_read_only_drive."""
    _add_reviews(data, ["z"])
    pair = _pair_aside(tmp_path / "other", "a", "b")
    for path in (pair, Path(f"{pair}-wal")):
        path.chmod(0o444)
    pair.parent.chmod(0o555)
    try:
        done = _quiz(data, "restore", str(pair))
    finally:
        pair.parent.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert _count(data / STORE_NAME) == 2


_HANGING_RESTORE = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from quiz.core import backup

backup._self_contained = lambda db: time.sleep(600)  # the store and its log are copied: hold here, to be killed
backup.restore(Path(sys.argv[1]), Path(sys.argv[2]), datetime.now(UTC))
"""

# A write killed half way at restore's copy, as the restore of the quiz before this one left it (it copied
# through SQLite): pages of the copy changed, and the journal that undoes them, hot, beside it.
_HANGING_WRITER = """
import sqlite3, sys, time

db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("CREATE TABLE t(x)")
db.execute("INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
           "SELECT randomblob(1000) FROM n")
db.execute("PRAGMA cache_size=1")  # the changed pages go to the file before the commit
db.execute("BEGIN")
db.execute("UPDATE t SET x = randomblob(1000)")
print("written", flush=True)
time.sleep(600)
"""


def _killed_once_written(child: str, *args: str) -> None:
    """Run `child`, and kill it once it says it has written (or once restore's copy of the log is there)."""
    process = subprocess.Popen([sys.executable, "-c", child, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        if child == _HANGING_WRITER:
            assert process.stdout and process.stdout.readline() == "written\n"
            return
        log = Path(args[0]).with_name(f".{STORE_NAME}.restoring-wal")
        for _ in range(600):
            if log.exists():
                return
            time.sleep(0.05)
        pytest.fail("the restore never copied the log")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("child", ["restore", "writer"])
def test_what_a_killed_restore_left_does_not_stop_the_next_restore(data: Path, tmp_path: Path, child: str) -> None:
    """A restore killed while it copied left its copy's files beside the store: its hot journal made every later
    restore fail with `attempt to write a readonly database`; its log was read with the next copy when it was
    checked."""
    _add_reviews(data, ["z"])
    incoming = f".{STORE_NAME}.restoring"
    if child == "restore":
        pair = _pair_aside(tmp_path / "laptop", "abc", "de")
        _killed_once_written(_HANGING_RESTORE, str(data / STORE_NAME), str(pair))
        assert (data / f"{incoming}-wal").stat().st_size > 0
    else:
        _killed_once_written(_HANGING_WRITER, str(data / incoming))
        assert (data / f"{incoming}-journal").stat().st_size > 0
    other = Store.in_folder(tmp_path / "desktop")  # another store, its answers all in its file
    _review(other, "x")
    other.close()
    done = _quiz(data, "restore", str(other.path))
    assert done.returncode == 0, done.stderr
    assert _count(data / STORE_NAME) == 1
    assert not list(data.glob(f"{incoming}*"))


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_store_restored_through_a_link_brings_the_log_beside_the_file_it_names(data: Path, tmp_path: Path) -> None:
    """The log is beside the file a link names, not beside the link: `quiz restore LINK` dropped its answers."""
    _add_reviews(data, ["z"])
    pair = _pair_aside(tmp_path / "laptop", "abc", "de")
    link = tmp_path / "laptop-store.sqlite3"
    link.symlink_to(pair)
    done = _quiz(data, "restore", str(link))
    assert done.returncode == 0, done.stderr
    assert _count(data / STORE_NAME) == 5


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_store_that_is_a_link_is_restored_into_the_file_it_names_and_stays_a_link(data: Path, tmp_path: Path) -> None:
    """Her store kept on another drive, linked into the data folder: a restore replaced the link by a file in the
    data folder (her store no longer where she keeps it), and kept the link aside as if it were the old store."""
    drive = tmp_path / "drive"
    kept = _pair_aside(drive, "abc", "")
    _add_reviews(tmp_path / "source", ["x", "y"])
    data.mkdir()
    (data / STORE_NAME).symlink_to(kept)
    done = _quiz(data, "restore", str(tmp_path / "source" / STORE_NAME))
    assert done.returncode == 0, done.stderr
    assert (data / STORE_NAME).is_symlink() and (data / STORE_NAME).resolve() == kept
    assert _count(kept) == 2
    (aside,) = drive.glob(f"{kept.name}.*.broken")
    assert not aside.is_symlink() and _count(aside) == 3 and f"kept as {aside}" in done.stdout


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_store_linked_to_a_drive_away_is_not_restored_beside_the_link(data: Path, tmp_path: Path) -> None:
    """Restored into the file a link names, a store linked to a drive not connected gave `No such file or
    directory` naming a hidden copy on that drive; the message names the link, and nothing is written."""
    _add_reviews(tmp_path / "source", ["x"])
    data.mkdir()
    (data / STORE_NAME).symlink_to(tmp_path / "usb" / "quiz.sqlite3")
    refused = _quiz(data, "restore", str(tmp_path / "source" / STORE_NAME))
    assert refused.returncode == 1
    said = f"{data / STORE_NAME} is a link to {tmp_path / 'usb' / 'quiz.sqlite3'}, in a folder that is not there"
    assert said in refused.stderr and "remove the link to keep the store in the data folder" in refused.stderr
    assert (data / STORE_NAME).is_symlink() and sorted(p.name for p in data.iterdir()) == ["quiz.lock", STORE_NAME]


def _linked_store_with_a_backup(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder whose store is a link to the file on another drive, with a backup of one answer; the
    store holds two."""
    data, drive = tmp_path / "data", tmp_path / "drive"
    drive.mkdir()
    store = Store.in_folder(data)
    _review(store, "a")
    make_backup(store, AT)
    _review(store, "b")
    store.close()
    shutil.move(data / STORE_NAME, drive / STORE_NAME)
    (data / STORE_NAME).symlink_to(drive / STORE_NAME)
    return data, drive


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_restore_through_a_link_killed_half_way_is_restored_again_where_the_link_leads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the old store was put aside and before the copy took its place, the link led to no file on
    a drive that is connected: start-up said to run `quiz restore latest`, which refused (a drive not
    connected?). It restores into the file the link names, the link kept."""
    data, drive = _linked_store_with_a_backup(tmp_path)
    real_replace = os.replace

    def killed_before_the_copy_is_in_place(src: str | Path, dst: str | Path) -> None:
        if Path(src).name == f".{STORE_NAME}.restoring":
            raise KeyboardInterrupt  # the process dies here
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", killed_before_the_copy_is_in_place)
    with pytest.raises(KeyboardInterrupt):
        backup.restore(data / STORE_NAME, list_backups(data / STORE_NAME)[0], AT)
    monkeypatch.setattr(os, "replace", real_replace)
    assert not (drive / STORE_NAME).exists() and len(list(drive.glob(f"{STORE_NAME}.*.broken"))) == 1
    started = _quiz(data, "list")
    assert started.returncode == 1 and f"Run `quiz --data-dir {data} restore latest`" in started.stderr
    again = _quiz(data, "restore", "latest")
    assert again.returncode == 0, again.stderr
    assert (data / STORE_NAME).is_symlink() and _count(drive / STORE_NAME) == 1
    assert _quiz(data, "list").returncode == 0


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_store_linked_to_a_drive_away_gets_the_same_advice_at_start_up_and_restore(tmp_path: Path) -> None:
    """Start-up told her to run `quiz restore latest`, which then refused; `--empty` said `unable to open
    database file`. Each names the link and where it leads (through a chain of links), and writes nothing."""
    data, drive = _linked_store_with_a_backup(tmp_path)
    (data / STORE_NAME).unlink()
    (data / "hop.sqlite3").symlink_to(f"../drive/{STORE_NAME}")  # a relative link, through another
    (data / STORE_NAME).symlink_to("hop.sqlite3")
    shutil.move(drive, tmp_path / "unplugged")
    said = f"{data / STORE_NAME} is a link to {drive / STORE_NAME}, in a folder that is not there (a drive not"
    for args in (("list",), ("restore", "latest"), ("restore", "--empty")):
        refused = _quiz(data, *args)
        assert refused.returncode == 1 and said in refused.stderr, (args, refused.stderr)
        assert "connect it and run quiz again" in refused.stderr and "restore latest" not in refused.stderr
    assert not drive.exists() and (data / STORE_NAME).is_symlink()


def _live_laptop(folder: Path) -> Store:
    """A store another quiz has open: 200 answers in its file, 300 more only in its log."""
    live = Store.in_folder(folder)
    for number in range(200):
        _review(live, f"a{number}")
    live.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for number in range(300):
        _review(live, f"b{number}")
    return live


def _after_the_first_copy(monkeypatch: pytest.MonkeyPatch, then: Callable[[int], None]) -> None:
    """Call `then(n)` right after restore's n-th copy of a file (the store's file, then its log)."""
    copy = shutil.copyfile
    made = []

    def copy_then(source: Path, target: Path) -> object:
        out = copy(source, target)
        made.append(source)
        then(len(made))
        return out

    monkeypatch.setattr(shutil, "copyfile", copy_then)


def test_a_store_whose_quiz_closes_while_it_is_copied_is_restored_whole(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quiz using the source quits between the copy of its file and the look for its log: SQLite folds the
    log into the file and deletes it, and the stale copy of the file alone passed as sound (441 of 500 answers)."""
    _add_reviews(data, ["z"])
    live = _live_laptop(tmp_path / "laptop")
    _after_the_first_copy(monkeypatch, lambda made: live.close() if made == 1 else None)
    backup.restore(data / STORE_NAME, live.path, AT)
    assert _count(data / STORE_NAME) == 500


def test_a_torn_copy_of_a_store_in_use_is_not_said_to_be_the_store_s_damage(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy torn by a write its identity did not show (within the file system's time granularity): it said the
    store itself was not sound, and to choose another."""
    _add_reviews(data, ["z"])
    live = _live_laptop(tmp_path / "laptop")

    def torn(made: int) -> None:
        if made == 1:  # the copy of the file: a page of it as a write half way through left it
            with open(data / f".{STORE_NAME}.restoring", "r+b") as copy:
                copy.seek(4096 * 3)
                copy.write(b"\xa5" * 4096)

    _after_the_first_copy(monkeypatch, torn)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(data / STORE_NAME, live.path, AT)
    live.close()
    said = str(refused.value)
    assert said.startswith(f"the copy of {live.path} with its write-ahead log is not a sound quiz store (")
    assert "quit the quiz using it and run again; if none is, choose another store" in said
    assert _count(data / STORE_NAME) == 1


def test_a_store_written_at_every_copy_is_refused_and_the_store_kept(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_reviews(data, ["z"])
    before = (data / STORE_NAME).read_bytes()
    live = _live_laptop(tmp_path / "laptop")

    def answer_and_fold(made: int) -> None:
        _review(live, f"c{made}")
        live.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    _after_the_first_copy(monkeypatch, answer_and_fold)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(data / STORE_NAME, live.path, AT)
    live.close()
    assert str(refused.value) == (
        f"{live.path} was being written while it was copied: quit the quiz using it and run again"
    )
    assert (data / STORE_NAME).read_bytes() == before and [p.name for p in data.iterdir()] == [STORE_NAME]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_backups_folder_linked_to_a_drive_not_connected_is_named_as_such(data: Path, tmp_path: Path) -> None:
    """Backups kept on another drive, linked as `backups`: with the drive away, the backup failed with
    `[Errno 17] File exists`, and `quiz restore` said there were no backups yet."""
    _add_reviews(data, ["a"])
    drive = tmp_path / "usb" / "quiz-backups"
    (data / "backups").symlink_to(drive)
    said = f"{data / 'backups'} is a link to {drive}, which is not there (a drive not connected?)"
    listed = _quiz(data, "list")
    assert listed.returncode == 0 and f"automatic backup failed: could not back up {data / STORE_NAME}: {said}" in (
        listed.stderr
    )
    for args in (("restore",), ("restore", "latest")):
        refused = _quiz(data, *args)
        assert refused.returncode == 1 and said in refused.stderr and "no backups yet" not in refused.stdout
    drive.mkdir(parents=True)  # connected again
    assert _quiz(data, "list").returncode == 0
    assert [b.reviews for b in list_backups(data / STORE_NAME)] == [1] and len(in_backups_folder(drive)) == 1


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_store_is_restored_by_its_path_with_the_backups_drive_away(data: Path, tmp_path: Path) -> None:
    """Restoring a file by its path never reads the backups folder: it was refused, naming the drive."""
    _add_reviews(data, ["z"])
    (data / "backups").symlink_to(tmp_path / "usb" / "quiz-backups")
    pair = _pair_aside(tmp_path / "laptop", "abc", "de")
    done = _quiz(data, "restore", str(pair))
    assert done.returncode == 0, done.stderr
    assert f"restored {pair} to {data / STORE_NAME}" in done.stdout and _count(data / STORE_NAME) == 5
    assert len(list(data.glob(f"{STORE_NAME}.*.broken"))) == 1  # hers, kept aside beside it
    named = _quiz(data, "restore", "quiz-000001-20260105T090000Z-w1-r1-0123456789abcdef.sqlite3")
    assert named.returncode == 1 and "which is not there (a drive not connected?)" in named.stderr


# --- a newer quiz's backups ------------------------------------------------------------------------------


def _newer_quiz_backup(store: Store, at: datetime) -> Backup:
    """A backup as a newer quiz makes it: sound and checksummed, its schema one past this quiz's."""
    store.db.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    try:
        return make_backup(store, at)
    finally:
        store.db.execute(f"PRAGMA user_version={len(MIGRATIONS)}")


def test_a_backup_a_newer_quiz_made_is_never_restored_over_the_store(data: Path, tmp_path: Path) -> None:
    """Restored, it was put in place of her store (moved aside as .broken), and quiz then refused to open it."""
    store = Store.in_folder(data)
    _review(store, "a")
    older = make_backup(store, AT)
    _review(store, "b")
    newer = _newer_quiz_backup(store, AT + timedelta(hours=1))
    _review(store, "c")
    store.close()
    before = (data / STORE_NAME).read_bytes()
    copied = shutil.copyfile(newer.path, tmp_path / "from-the-laptop.sqlite3")
    for chosen in (newer.name, str(copied)):
        refused = _quiz(data, "restore", chosen)
        assert refused.returncode == 1, refused.stdout
        assert f"was made by a newer quiz (schema {len(MIGRATIONS) + 1}; this quiz reads up to" in refused.stderr
        assert "upgrade quiz to restore it; your store is as it was" in refused.stderr
        assert (data / STORE_NAME).read_bytes() == before and not list(data.glob(f"{STORE_NAME}.*"))
    listing = _quiz(data, "restore").stdout
    assert f"{newer.name}" in listing and "made by a newer quiz: upgrade quiz to restore it" in listing
    latest = _quiz(data, "restore", "latest")  # the newest this quiz can open
    assert latest.returncode == 0 and older.name in latest.stdout
    assert _count(data / STORE_NAME) == 1 and _quiz(data, "list").returncode == 0


def _store_gone(data: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{data / STORE_NAME}{suffix}").unlink(missing_ok=True)


def test_every_advice_names_the_backup_restore_latest_restores_never_a_newer_quiz_s(data: Path) -> None:
    """The start-up and `quiz check` advice named a newer quiz's backup as the one to restore, which `quiz restore
    latest` then skipped (or, with no other, refused)."""
    store = Store.in_folder(data)
    _review(store, "a")
    older = make_backup(store, AT)
    _review(store, "b")
    newer = _newer_quiz_backup(store, AT + timedelta(hours=1))
    store.close()
    assert older.name in recovery_advice(data / STORE_NAME) and newer.name not in recovery_advice(data / STORE_NAME)
    checked = _quiz(data, "check", "--no-repair")
    assert f"newest good: {older.name}" in checked.stdout and newer.name not in checked.stdout
    _store_gone(data)
    for args in (("list",), ("check",)):
        refused = _quiz(data, *args)
        assert refused.returncode == 1 and f"the newest good one is {older.name}" in refused.stderr
        assert newer.name not in refused.stderr
    restored = _quiz(data, "restore", "latest")
    assert restored.returncode == 0 and older.name in restored.stdout


def test_a_backup_named_in_bytes_that_are_not_utf8_is_quoted_as_everywhere(data: Path) -> None:
    """`quiz restore` named it through repr: 'caf\\udce9'."""
    _add_reviews(data, ["a"])
    refused = _quiz(data, "restore", "caf\udce9")
    assert refused.returncode == 1 and "no backup named 'caf\ufffd' in" in refused.stderr, refused.stderr


def test_restore_latest_with_only_a_newer_quiz_s_backups_says_so(data: Path) -> None:
    """It said `no good backup`, though the listing showed a good one: made by a newer quiz."""
    store = Store.in_folder(data)
    _review(store, "a")
    newer = _newer_quiz_backup(store, AT)
    store.close()
    refused = _quiz(data, "restore", "latest")
    assert refused.returncode == 1 and "no good backup" not in refused.stderr
    assert f"no backup this quiz can restore in {data / 'backups'}: {newer.name} (taken" in refused.stderr
    assert "was made by a newer quiz (schema" in refused.stderr and "upgrade quiz to restore it" in refused.stderr


def test_a_store_gone_beside_only_a_newer_quiz_s_backup_is_not_started_empty(data: Path) -> None:
    """With the newer quiz's backup not counted, quiz started an empty store over the history it holds, saying
    nothing."""
    store = Store.in_folder(data)
    _review(store, "a")
    newer = _newer_quiz_backup(store, AT)
    store.close()
    _store_gone(data)
    for args in (("list",), ("check",)):
        refused = _quiz(data, *args)
        assert refused.returncode == 1, refused.stdout
        assert f"the backups hold a history that only a newer quiz can restore: {newer.name}" in refused.stderr
        assert not (data / STORE_NAME).exists()
    assert _quiz(data, "restore", "--empty").returncode == 0
    assert _quiz(data, "list").returncode == 0 and newer.path.exists()


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_store_gone_with_the_backups_drive_away_is_not_started_empty(data: Path, tmp_path: Path) -> None:
    """No store, and the backups on a drive not connected: quiz started an empty store without a word, and the
    next backup then counted that empty store as the newest."""
    drive = tmp_path / "usb" / "quiz-backups"
    drive.mkdir(parents=True)
    data.mkdir(exist_ok=True)
    (data / "backups").symlink_to(drive)
    store = Store.in_folder(data)
    _review(store, "a")
    make_backup(store, AT)
    store.close()
    _store_gone(data)
    drive.rename(tmp_path / "usb" / "elsewhere")  # the drive taken away
    said = f"{data / 'backups'} is a link to {drive}, which is not there (a drive not connected?)"
    for args in ((), ("list",), ("check",)):
        refused = _quiz(data, *args)
        assert refused.returncode == 1, refused.stdout
        assert f"there is no store at {data / STORE_NAME}, and the backups that may hold its history cannot be" in (
            refused.stderr
        )
        assert said in refused.stderr and f"`quiz --data-dir {data} restore --empty`" in refused.stderr
        assert not (data / STORE_NAME).exists()
    (tmp_path / "usb" / "elsewhere").rename(drive)  # connected again
    assert _quiz(data, "restore", "latest").returncode == 0 and _count(data / STORE_NAME) == 1


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_data_folder_linked_to_a_drive_away_is_named_with_where_it_leads(tmp_path: Path) -> None:
    """The data folder itself on a drive not connected: quiz said only `cannot use DATA: File exists`."""
    data = tmp_path / "quiz"
    data.symlink_to(tmp_path / "usb" / "quiz")
    for args in ((), ("list",)):
        refused = _quiz(data, *args)
        assert refused.returncode == 1, refused.stdout
        assert f"{data} is a link to {tmp_path / 'usb' / 'quiz'}, which is not there (a drive not connected?)" in (
            refused.stderr
        )
        assert "--data-dir or QUIZ_HOME" in refused.stderr and "File exists" not in refused.stderr


# --- read-only and full disks (real mounts) ------------------------------------------------------------


def _mount(point: Path, options: str) -> None:
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small file system")
    point.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB file system of its own, unmounted afterwards."""
    point = tmp_path / "disk"
    _mount(point, "size=4m")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def _read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def _fill(point: Path) -> Path:
    filler = point / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 1):  # down to the last byte
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def test_check_on_a_read_only_folder_says_read_only_and_still_checks(disk: Path) -> None:
    data = disk / "data"
    _add_reviews(data, ["a", "b"])
    _read_only(disk)
    for args in (("check", "--no-repair"), ("check",)):
        result = _quiz(data, *args)
        assert "Traceback" not in result.stderr
        assert "read-only" in result.stdout and "NOT sound" not in result.stdout
        assert "2 reviews logged" in result.stdout and "the store is sound" in result.stdout
        assert result.returncode == 0
    listed = _quiz(data, "list")
    assert listed.returncode == 1 and "read-only" in listed.stderr
    assert "not a usable quiz store" not in listed.stderr


def test_a_store_restored_from_a_read_only_drive(disk: Path, tmp_path: Path) -> None:
    """A backup drive mounted read-only: SQLite could not open the store and its log there to copy it."""
    data = tmp_path / "data"
    _add_reviews(data, ["z"])
    pair = _pair_aside(disk, "a", "b")
    _read_only(disk)
    done = _quiz(data, "restore", str(pair))
    assert done.returncode == 0, done.stderr
    assert _count(data / STORE_NAME) == 2


def test_check_on_a_read_only_folder_with_changes_in_the_log_says_why_it_cannot(disk: Path, tmp_path: Path) -> None:
    data = disk / "data"
    store = Store.in_folder(tmp_path / "open")
    _review(store, "a")
    data.mkdir()
    for suffix in ("", "-wal"):  # copied while open: the answer is still in the -wal
        shutil.copyfile(f"{store.path}{suffix}", data / f"{STORE_NAME}{suffix}")
    store.close()
    _read_only(disk)
    result = _quiz(data, "check", "--no-repair")
    assert result.returncode == 1
    assert "could not check the store" in result.stdout and "read-only" in result.stdout
    assert "NOT sound" not in result.stdout


def test_a_full_disk_says_disk_full(disk: Path) -> None:
    data = disk / "data"
    _add_reviews(data, ["a"])
    _fill(disk)
    listed = _quiz(data, "list")
    assert listed.returncode == 1 and "disk is full" in listed.stderr
    assert "not a usable quiz store" not in listed.stderr and "Traceback" not in listed.stderr
    checked = _quiz(data, "check", "--no-repair")
    assert "disk full" in checked.stdout and "NOT sound" not in checked.stdout
    assert checked.returncode == 0 and "the store is sound" in checked.stdout


@pytest.mark.parametrize("limit", ["read-only", "disk full"])
def test_a_store_linked_to_a_read_only_or_full_drive_is_said_so(disk: Path, tmp_path: Path, limit: str) -> None:
    """A store kept on another drive, linked into the data folder: SQLite writes its log and index beside the file
    the link names, and that drive's state is the one to tell; the data folder's, writable with room, hid it (quiz
    check tried to repair, and a command said only SQLite's own words)."""
    _add_reviews(disk, ["a", "b"])
    data = tmp_path / "data"
    data.mkdir()
    (data / STORE_NAME).symlink_to(disk / STORE_NAME)
    if limit == "read-only":
        _read_only(disk)
    else:
        _fill(disk)
    checked = _quiz(data, "check", "--no-repair")
    assert f"{limit}: checking only" in checked.stdout, checked.stdout + checked.stderr
    assert "2 reviews logged" in checked.stdout and checked.returncode == 0
    if limit == "read-only":
        listed = _quiz(data, "list")
        assert listed.returncode == 1 and "read-only" in listed.stderr, listed.stderr
        assert "not a usable quiz store" not in listed.stderr


@pytest.mark.parametrize("when", ["copying", "syncing"])
def test_a_full_disk_as_quiz_quits_is_said_not_taken_for_the_stop(
    disk: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """Quitting as a backup failed for want of space said "the backup was stopped": the disk full, which the next
    start's backup meets again, was never said."""
    store = Store.in_folder(disk / "data")
    _review(store, "a")
    stop = threading.Event()
    if when == "copying":  # quit already asked as the copy's first step fails
        stop.set()
        _fill(disk)
    else:  # quit asked just as the copy, made and checked, fails to reach the disk
        real_sync = backup.sync_file

        def sync_as_quiz_quits(path: Path) -> None:
            stop.set()
            _fill(disk)
            real_sync(path)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))  # a disk with no room for its write-back

        monkeypatch.setattr(backup, "sync_file", sync_as_quiz_quits)
    with pytest.raises(BackupError, match="free some space on that disk") as failed:
        make_backup(store, AT, stop=stop)
    assert not isinstance(failed.value, backup.BackupStopped)
    assert in_backups_folder(disk / "data" / "backups") == []
    store.close()


def test_a_backup_on_a_full_disk_says_what_to_do_and_leaves_nothing(disk: Path) -> None:
    """It said only SQLite's 'database or disk is full', after every command and at each quit."""
    store = Store.in_folder(disk / "data")
    _review(store, "a")
    filler = _fill(disk)
    with pytest.raises(BackupError, match="free some space on that disk; quiz backs up again when it next starts"):
        make_backup(store, AT)
    assert in_backups_folder(disk / "data" / "backups") == []  # no part of a copy left behind
    filler.unlink()
    assert make_backup(store, AT).reviews == 1
    store.close()


def test_a_restore_on_a_full_disk_says_what_to_do_and_changes_nothing(disk: Path) -> None:
    data = disk / "data"
    _add_reviews(data, ["a", "b"])
    assert _quiz(data, "list").returncode == 0  # backed up
    filler = _fill(disk)
    result = _quiz(data, "restore", "latest")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "free some space on that disk; then run the restore again" in result.stderr
    assert not [path for path in data.iterdir() if "restoring" in path.name or "broken" in path.name]
    filler.unlink()
    assert _count(data / STORE_NAME) == 2  # as it was
    assert _quiz(data, "restore", "latest").returncode == 0 and _count(data / STORE_NAME) == 2


def test_an_answer_on_a_full_disk_is_refused_whole_then_saved_once_there_is_room(disk: Path) -> None:
    store = Store.in_folder(disk / "data")
    _review(store, "a")
    filler = _fill(disk)
    with pytest.raises(StoreWriteError, match="disk is full"):
        for number in range(1000):  # the log has some room left in its last page: fill it
            _review(store, f"k{number}")
    saved = store.review_count()
    filler.unlink()
    _review(store, "after")
    assert store.review_count() == saved + 1
    store.close()
