"""Backups, `quiz check` and `quiz restore`, and what happens when the store file is damaged.

A damaged or foreign store file is never written to: opening it raises StoreCorruptError naming the
newest good backup and the command that restores it; restoring keeps the damaged file aside.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.core import backup
from quiz.core.backup import auto_backup, make_backup, to_keep
from quiz.core.backupfolder import Backup, list_backups
from quiz.core.clock import FixedClock
from quiz.core.store import STORE_NAME, Store, StoreCorruptError
from quiz.core.storehealth import integrity_problems, verify
from tests.conftest import HeldAtFirstLook, in_backups_folder
from tests.conftest import record_good as _review
from tests.conftest import run_main_process as _cli

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 1, 5, 9, tzinfo=UTC)


# --- automatic backups ---------------------------------------------------------------------------------


def test_backups_are_taken_when_changed_at_most_every_half_hour(data: Path) -> None:
    store = Store.in_folder(data)
    assert auto_backup(store, AT) is None  # nothing worth keeping yet
    _review(store, "a")
    first = auto_backup(store, AT)
    assert first is not None and (first.writes, first.reviews) == store.writes_and_reviews()
    assert auto_backup(store, AT + timedelta(hours=5)) is None  # unchanged
    _review(store, "b")
    assert auto_backup(store, AT + timedelta(minutes=29)) is None  # changed, but too soon
    second = auto_backup(store, AT + timedelta(minutes=30))
    assert second is not None
    assert [b.path for b in list_backups(store.path)] == [second.path, first.path]
    # Each backup is one verified, self-contained file holding what the store held then.
    assert not verify(second.path)
    assert in_backups_folder(second.path.parent) == sorted([first.name, second.name])
    copy = sqlite3.connect(second.path)
    assert copy.execute("SELECT count(*) FROM review_log").fetchone() == (2,)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    store.close()


def test_a_backup_its_folder_s_path_too_long_for_sqlite_says_so(tmp_path: Path) -> None:
    """A data folder of 480 bytes holds a store, but SQLite makes no backup in it: 'unable to open database file'
    was all the backup's failure said, at every close."""
    data = tmp_path
    while len(str(data)) < 470:
        data = data / ("m" * 60)
    data = Path(str(data)[:480])  # its store's path (493 bytes) is not too long: only its backups'
    data.mkdir(parents=True)
    store = Store.in_folder(data)
    _review(store, "a")
    with pytest.raises(backup.BackupError) as raised:
        make_backup(store, AT)
    store.close()
    assert str(raised.value) == (
        f"could not back up {data / STORE_NAME} into {data / 'backups'}: its path is {len(str(data / 'backups'))} bytes"
        " long, and SQLite makes"
        " a backup in a folder of at most 404: give quiz a data folder with a shorter path (--data-dir or QUIZ_HOME)"
    )


def test_a_backup_is_consistent_while_another_connection_writes(data: Path) -> None:
    store = Store.in_folder(data)
    other = Store.in_folder(data)
    for i in range(50):
        _review(other, f"k{i}")
        if i == 25:
            made = make_backup(store, AT)
    copy = sqlite3.connect(made.path)
    count = copy.execute("SELECT count(*) FROM review_log").fetchone()[0]
    assert count == copy.execute("SELECT count(*) FROM card_state").fetchone()[0] == 26
    copy.close()


def test_one_backup_at_a_time_per_store_the_second_skipped_never_the_same_number(data: Path) -> None:
    """Two stores of one file (two processes: the app backing up on its thread, `quiz list` closing in another
    terminal) each copied the whole store at once, and both backups were numbered 1."""
    first, second = Store.in_folder(data), Store.in_folder(data)
    _review(first, "a")
    held = HeldAtFirstLook()
    backing_up = ThreadPoolExecutor(1).submit(auto_backup, first, AT, stop=held)
    assert held.reached.wait(30)  # inside its copy
    assert auto_backup(second, AT) is None  # skipped at once: the other is being made
    with pytest.raises(backup.BackupBusy, match="another quiz is backing up"):
        make_backup(second, AT)  # asked for (`quiz optimize --reschedule`): said, not waited for
    assert list_backups(data / STORE_NAME) == []
    held.go_on.set()
    made = backing_up.result(30)
    assert made is not None and made.number == 1
    _review(second, "b")
    after = auto_backup(second, AT + backup.MIN_INTERVAL)
    assert after is not None and after.number == 2 and after.reviews == 2
    assert [b.number for b in list_backups(data / STORE_NAME)] == [2, 1]
    first.close()
    second.close()


def test_thinning_keeps_recent_then_daily_weekly_monthly() -> None:
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    times = [now - timedelta(minutes=30 * i) for i in range(20)]  # today, every half hour
    times += [now - timedelta(days=d, hours=h) for d in range(1, 400) for h in (1, 7)]  # two a day for a year
    backups = [Backup(Path(f"/b/{t:%Y%m%dT%H%M%S}"), t, i) for i, t in enumerate(times)]
    kept = {b.taken_at for b in backups if b.path in to_keep(backups)}
    newest = sorted(kept, reverse=True)
    assert newest[: backup.KEEP_RECENT] == times[: backup.KEEP_RECENT]  # the newest few
    days = {t.date() for t in kept}
    assert {(now - timedelta(days=d)).date() for d in range(backup.KEEP_DAYS)} <= days  # one a day, last 7 days
    assert len({t.isocalendar()[:2] for t in kept}) >= backup.KEEP_WEEKS
    assert len({(t.year, t.month) for t in kept}) == backup.KEEP_MONTHS
    assert min(kept) > now - timedelta(days=31 * backup.KEEP_MONTHS)
    assert len(kept) <= backup.KEEP_RECENT + backup.KEEP_DAYS + backup.KEEP_WEEKS + backup.KEEP_MONTHS


def test_thin_deletes_only_what_the_policy_drops(data: Path) -> None:
    store = Store.in_folder(data)
    _review(store, "a")
    for day in range(40):
        _review(store, f"d{day}")
        make_backup(store, AT + timedelta(days=day))
    (data / "backups" / "notes.txt").write_text("mine")
    removed = backup.thin(store.path)
    left = list_backups(store.path)
    assert removed and len(left) + len(removed) == 40
    assert left[0].taken_at == AT + timedelta(days=39)
    assert (data / "backups" / "notes.txt").exists()


def test_context_backs_up_at_start_and_after_the_app_exits(data: Path) -> None:
    clock = FixedClock(AT)
    context = Context(data, clock)
    context.start_app()
    assert list_backups(data / STORE_NAME) == []  # an empty store is not backed up
    _review(context.store, "a")
    context.close()  # the app exits: the change is backed up
    [made] = list_backups(data / STORE_NAME)
    assert made.taken_at == AT
    clock.advance(timedelta(minutes=10))
    context = Context(data, clock)
    context.start_app()
    _review(context.store, "b")
    context.close()
    assert len(list_backups(data / STORE_NAME)) == 1  # changed, but within 30 minutes of the last one
    clock.advance(timedelta(minutes=30))
    context = Context(data, clock)
    context.start_app()  # the change left over from last time is found due at start ...
    assert context.backup_due_at_start and len(list_backups(data / STORE_NAME)) == 1
    context.back_up_at_start()  # ... and backed up once the app has drawn Home
    assert len(list_backups(data / STORE_NAME)) == 2
    context.close()


def test_a_short_session_is_backed_up_as_it_ends_so_the_next_start_has_none_to_make(data: Path) -> None:
    """A student's daily 15 minutes: the backup the app made as it started held back the one at close (30
    minutes), so each day's answers were backed up at the next start, before its first frame: a copy and a
    check of the whole store, ~0.2 s of CPU and up to a second on a year-old store of 27 MB."""
    clock = FixedClock(AT)
    context = Context(data, clock)
    _review(context.store, "a")  # answered before: the start backs it up
    context.start_app()
    context.back_up_at_start()
    assert len(list_backups(data / STORE_NAME)) == 1
    for day in range(3):
        clock.advance(timedelta(minutes=15))
        _review(context.store, f"day {day}")
        context.close()  # within 30 minutes of the start's backup, which does not count
        held = list_backups(data / STORE_NAME)
        assert len(held) == 2 + day and held[0].reviews == 2 + day  # today's answer is in the newest
        clock.advance(timedelta(days=1))
        context = Context(data, clock)
        context.start_app()  # nothing changed since: nothing to back up
        assert not context.backup_due_at_start
        context.back_up_at_start()
        assert len(list_backups(data / STORE_NAME)) == 2 + day
    context.close()


def test_a_failing_backup_never_breaks_closing(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    context = Context(data, FixedClock(AT))
    _review(context.store, "a")
    (data / "backups").write_text("a file where the folder should be")
    context.close()
    assert "automatic backup failed" in capsys.readouterr().err
    assert Store.in_folder(data).review_count() == 1


# --- a damaged store --------------------------------------------------------------------------------------


def _store_with_backups(data: Path) -> list[Backup]:
    store = Store.in_folder(data)
    _review(store, "a")
    older = make_backup(store, AT)
    _review(store, "b")
    newer = make_backup(store, AT + timedelta(hours=1))
    _review(store, "c")  # after the newest backup
    store.close()
    return [newer, older]


def test_a_file_that_is_not_a_database_is_reported_never_overwritten(data: Path) -> None:
    newer, _ = _store_with_backups(data)
    path = data / STORE_NAME
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    garbage = b"this is not SQLite\n" * 300
    path.write_bytes(garbage)
    with pytest.raises(StoreCorruptError) as caught:
        Store(path)
    message = str(caught.value)
    assert "not a quiz store" in message and newer.name in message and "quiz restore latest" in message
    result = _cli(data, "stats")
    assert result.returncode == 1 and f"quiz --data-dir {data} restore latest" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == garbage  # untouched
    check = _cli(data, "check")
    assert (
        check.returncode == 1
        and "NOT sound" in check.stdout
        and f"quiz --data-dir {data} restore latest" in check.stdout
    )
    assert path.read_bytes() == garbage


def test_restore_lists_then_puts_back_the_newest_good_backup_keeping_the_damaged_file(data: Path) -> None:
    newer, older = _store_with_backups(data)
    path = data / STORE_NAME
    path.write_bytes(b"\0" * 4096)
    Path(f"{path}-wal").write_bytes(b"junk wal")
    newer.path.write_bytes(newer.path.read_bytes()[:2048])  # the newest backup is damaged too
    listing = _cli(data, "restore")
    assert listing.returncode == 0
    assert f"{newer.name}" in listing.stdout and "DAMAGED" in listing.stdout and older.name in listing.stdout
    result = _cli(data, "restore", "latest")
    assert result.returncode == 0, result.stderr
    assert older.name in result.stdout
    [broken] = data.glob("quiz.sqlite3.*.broken")
    assert broken.read_bytes() == b"\0" * 4096
    assert Path(f"{broken}-wal").read_bytes() == b"junk wal"  # moved with it, never replayed
    restored = Store(path)
    assert [r.card_key for r in restored.reviews()] == ["a"]
    assert integrity_problems(restored.db, quick=True) == []
    restored.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(data: Path) -> None:
    newer, _ = _store_with_backups(data)
    newer.path.write_bytes(b"garbage" * 100)
    before = (data / STORE_NAME).read_bytes()
    result = _cli(data, "restore", newer.name)
    assert result.returncode == 1 and "not a sound quiz store" in result.stderr
    assert (data / STORE_NAME).read_bytes() == before and not list(data.glob("*.broken"))


def _damage_pages(path: Path) -> None:
    """Overwrite every page but the first (the schema) with noise: tables and indexes are gone."""
    size = path.stat().st_size
    with open(path, "r+b") as file:
        file.seek(4096)
        file.write(bytes((i * 37 + 11) % 256 for i in range(size - 4096)))


def test_damaged_pages_are_caught_at_start_and_on_every_read(data: Path) -> None:
    _store_with_backups(data)
    _damage_pages(data / STORE_NAME)
    context = Context(data, FixedClock(AT))
    with pytest.raises(StoreCorruptError, match="quiz restore latest"):
        context.start_app()
    context.close()
    store = Store(data / STORE_NAME)  # the header is fine, so it opens ...
    with pytest.raises(StoreCorruptError, match="damaged"):
        store.states("d")  # ... but no read escapes as a raw sqlite3 error
    with pytest.raises(StoreCorruptError):
        store.reviews()
    store.close()


def test_the_app_refuses_a_damaged_store_with_a_clear_message(data: Path) -> None:
    _store_with_backups(data)
    _damage_pages(data / STORE_NAME)
    before = (data / STORE_NAME).read_bytes()
    app = """
import sys
from quiz import cli
def run_app(context):
    context.start_app()
    return 0
cli.run_app = run_app
sys.exit(cli.main(sys.argv[1:]))
"""
    result = subprocess.run(
        [sys.executable, "-c", app, "--data-dir", str(data)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 1
    assert "is damaged" in result.stderr and f"quiz --data-dir {data} restore latest" in result.stderr
    assert "Traceback" not in result.stderr
    assert (data / STORE_NAME).read_bytes() == before


# --- quiz check -------------------------------------------------------------------------------------------


def test_check_reports_a_sound_store(data: Path) -> None:
    _store_with_backups(data)
    result = _cli(data, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "integrity check: ok" in result.stdout and "3 reviews logged" in result.stdout
    assert "the store is sound" in result.stdout and "checkpointed the WAL" in result.stdout


def test_check_rebuilds_damaged_indexes(data: Path) -> None:
    _store_with_backups(data)
    raw = sqlite3.connect(data / STORE_NAME)
    raw.execute("PRAGMA writable_schema=ON")  # make the index disagree with its table, as a bad disk would
    raw.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX review_log_card ON review_log (card_key, deck_id)' "
        "WHERE name = 'review_log_card'"
    )
    raw.commit()
    raw.close()
    assert verify(data / STORE_NAME)  # integrity_check now fails
    result = _cli(data, "check")
    assert result.returncode == 0, result.stdout
    assert "rebuilt every index" in result.stdout and "the store is sound" in result.stdout
    assert list(data.glob("quiz.sqlite3.*.before-repair"))  # the damaged file was copied first
    assert not verify(data / STORE_NAME)


_KILLED_WITH_A_BAD_ROW = """
import os, sys
sys.path.insert(0, sys.argv[2])
from quiz.core.store import Store
from tests.conftest import record_good
store = Store.in_folder(sys.argv[1])
store.db.execute("PRAGMA wal_autocheckpoint=0")  # every answer left in the log, as a kill leaves the latest
for key in "abc":
    record_good(store, key)
store.db.execute("UPDATE card_state SET fsrs_state = 9 WHERE card_key = 'a'")
os._exit(0)  # killed: the log not copied into the file
"""


def test_check_of_a_linked_store_keeps_its_log_with_the_copy_made_before_the_repair(data: Path, tmp_path: Path) -> None:
    """A store kept on another drive, linked into the data folder, has its log beside the file the link names: the
    copy `quiz check` keeps before a repair left it out (looked for beside the link), and with it the latest answers
    a killed quiz left there."""
    drive = tmp_path / "drive"
    drive.mkdir()
    data.mkdir()
    (data / STORE_NAME).symlink_to(drive / STORE_NAME)
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", _KILLED_WITH_A_BAD_ROW, str(data), str(root)], check=True)
    assert Path(f"{drive / STORE_NAME}-wal").stat().st_size > 0
    result = _cli(data, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    (aside,) = data.glob(f"{STORE_NAME}.*.before-repair")
    assert Path(f"{aside}-wal").exists()
    copy = sqlite3.connect(aside)
    try:
        assert copy.execute("SELECT count(*) FROM review_log").fetchone()[0] == 3
    finally:
        copy.close()


def test_check_repairs_unreadable_card_states_and_settings_but_keeps_history(data: Path) -> None:
    store = Store.in_folder(data)
    _review(store, "a")
    good = store.state("d", "a")
    store.db.execute("UPDATE card_state SET fsrs_state = 9, due = 'not a time' WHERE card_key = 'a'")
    store.db.execute(
        "INSERT INTO card_state (deck_id, card_key, kind, fsrs_state, reps, lapses) VALUES ('d', 'x', 'basic', 7, 0, 0)"
    )
    store.db.execute("INSERT INTO settings (key, value) VALUES ('new_per_day', '{not json')")
    with pytest.raises(StoreCorruptError, match="quiz check"):
        store.states("d")
    with pytest.raises(StoreCorruptError, match="quiz check"):
        store.settings()
    store.close()
    assert _cli(data, "check", "--no-repair").returncode == 1
    result = _cli(data, "check")
    assert result.returncode == 0, result.stdout
    assert "card state d/a: rebuilt from its latest review" in result.stdout
    assert "card state d/x: removed" in result.stdout
    assert "setting new_per_day: removed" in result.stdout
    assert "backed up the store first" in result.stdout
    store = Store.in_folder(data)
    assert store.states("d") == {"a": good}
    assert store.settings().new_per_day == 20
    assert store.review_count() == 1
    store.close()


def test_check_with_no_store_yet(data: Path) -> None:
    data.mkdir()  # a data folder not there is refused (test_cli)
    result = _cli(data, "check")
    assert result.returncode == 0 and "nothing to check" in result.stdout
    assert not (data / STORE_NAME).exists()
