"""A missing store is never silent.

Deleted (or replaced) while open, the store refuses every later write instead of committing it into a
file nobody can open again; what was saved before is backed up when quiz closes. At start, a missing
store beside good backups stops quiz and every command with one line naming the newest good backup, its
review count, `quiz restore latest` and `quiz restore --empty`; thinning keeps the backup that holds
more history than the store.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.core import backup
from quiz.core.backup import make_backup, thin, to_keep
from quiz.core.backupfolder import Backup, list_backups
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.lock import AppLock
from quiz.core.model import Grade
from quiz.core.store import STORE_NAME, Store, StoreGoneError, StoreMissingError, StoreWriteError
from tests.conftest import basic_deck_yaml, run_main_process, study_session
from tests.conftest import record_good as _review
from tests.conftest import reviews_in_file as _reviews_in_file

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 1, 5, 9, tzinfo=UTC)
STATE = CardState(kind="basic", fsrs_state=2, stability=3.0, difficulty=5.0, due=AT, last_review=AT, reps=1)


# --- deleted or replaced while open -------------------------------------------------------------------


def test_every_write_after_the_file_is_deleted_is_refused(data: Path) -> None:
    store = Store.in_folder(data)
    _review(store, "a")
    (data / STORE_NAME).unlink()
    assert store.gone()
    with pytest.raises(StoreGoneError, match="deleted or replaced while quiz had it open") as caught:
        _review(store, "b")
    assert isinstance(caught.value, StoreWriteError)  # every screen that reports a failed save shows it
    assert "Quit quiz: it then backs up what was saved before and says how to bring it back" in str(caught.value)
    with pytest.raises(StoreGoneError):
        store.set_state("d", "a", None)
    with pytest.raises(StoreGoneError):
        store.save_settings(store.settings())
    assert [r.card_key for r in store.reviews()] == ["a"]  # rolled back: the open file holds only "a"
    store.close()


def _open_store_whose_file_is_replaced(data: Path) -> Store:
    """The store open with one answer ("a"), its file then replaced by another store's holding one ("x")."""
    store = Store.in_folder(data)
    _review(store, "a")
    other = Store(data / "other.sqlite3")
    _review(other, "x")
    other.close()
    os.replace(data / "other.sqlite3", data / STORE_NAME)
    return store


def test_a_file_replaced_under_an_open_store_is_never_written(data: Path) -> None:
    store = _open_store_whose_file_is_replaced(data)
    with pytest.raises(StoreGoneError):
        _review(store, "b")
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 1  # the file put there is untouched


def test_a_file_replaced_under_an_open_store_its_index_deleted_is_never_written(data: Path) -> None:
    """The store file replaced, and its index (-shm) deleted, the log not: the write that would open the store again
    on the index at the path (after a deleted index) opened the file put there instead, over the old file's log,
    and wrote the answer into it as if nothing had happened (or failed to reopen it, the log read over another
    file). The replaced file is refused first, as with the index in place."""
    store = _open_store_whose_file_is_replaced(data)
    (data / f"{STORE_NAME}-shm").unlink()
    with pytest.raises(StoreGoneError):
        _review(store, "b")
    assert [r.card_key for r in store.reviews()] == ["a"]  # still the file it opened, the answer rolled back
    store.close()


def test_an_untouched_store_is_never_called_gone(data: Path) -> None:
    store = Store.in_folder(data)
    for key in "abc":
        _review(store, key)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _review(store, "d")
    assert not store.gone()
    assert store.review_count() == 4
    store.close()


_COPY = "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])"


def _answers_a_kill_leaves(data: Path, tmp_path: Path) -> int:
    """The answers a kill now would leave: the store file and the log at its path, copied as they are (by another
    process: closing a file this process copied would drop its locks on the store, POSIX drops them all)."""
    copy = tmp_path / "after-a-kill"
    copy.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (copy / f"{STORE_NAME}{suffix}").unlink(missing_ok=True)
        if (data / f"{STORE_NAME}{suffix}").exists():
            there, here = data / f"{STORE_NAME}{suffix}", copy / f"{STORE_NAME}{suffix}"
            subprocess.run([sys.executable, "-c", _COPY, str(there), str(here)], check=True)
    db = sqlite3.connect(copy / STORE_NAME)
    try:
        return db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    except sqlite3.OperationalError:  # no such table: the whole store was in the deleted log
        return 0
    finally:
        db.close()


def _store_with_two_answers(data: Path) -> Store:
    """The store in `data`, open, with answers to cards "a" and "b"."""
    store = Store.in_folder(data)
    for key in "ab":
        _review(store, key)
    return store


def _delete_log_and_index(folder: Path) -> None:
    """The log (-wal) and index (-shm) of the store in `folder` deleted, as a clean-up tool or a synced home folder
    does."""
    for suffix in ("-wal", "-shm"):
        (folder / f"{STORE_NAME}{suffix}").unlink()


@pytest.mark.parametrize("deleted", [("-wal",), ("-wal", "-shm")], ids=["log", "log and index"])
def test_answers_saved_while_the_log_is_deleted_survive_a_kill(
    data: Path, tmp_path: Path, deleted: tuple[str, ...]
) -> None:
    """A clean-up tool (or a synced home folder) deletes the write-ahead log while quiz is open. The answers in it
    (every one since the last checkpoint: a new store's whole history) and those saved after were only in the
    deleted file, which a kill or a power cut lost, though each had said Saved."""
    store = _store_with_two_answers(data)
    for suffix in deleted:
        (data / f"{STORE_NAME}{suffix}").unlink()
    _review(store, "c")
    assert _answers_a_kill_leaves(data, tmp_path) == 3
    _review(store, "d")  # and so is each one after, until quiz closes
    assert _answers_a_kill_leaves(data, tmp_path) == 4
    assert store.review_count() == 4 and not store.gone()
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 4


def test_a_log_deleted_as_the_backup_copies_is_folded_in_once_it_is_done_without_waiting_for_it(
    data: Path, tmp_path: Path
) -> None:
    """The start's backup reads the store through a store of its own in the app's process, one read held through
    its copy (seconds). A log deleted meanwhile was folded in with a FULL checkpoint after each answer, which
    waits for that read to end, up to the busy timeout (5 s), on the app's thread: the app froze at each answer."""
    store = _store_with_two_answers(data)
    backing_up = Store.in_folder(data)
    checkpoints: list[str] = []
    store.db.set_trace_callback(lambda sql: checkpoints.append(sql) if "wal_checkpoint" in sql else None)
    with backing_up.snapshot():
        _delete_log_and_index(data)
        _review(store, "c")  # saved, in the deleted log until the backup's read ends
        assert checkpoints == ["PRAGMA wal_checkpoint(PASSIVE)"]  # what it can, without waiting for that read
        assert store.review_count() == 3
    backing_up.close()
    store.fold_lost_log()  # as the backup ends (quiz/ui/startbackup.py): not left to the next answer
    assert _answers_a_kill_leaves(data, tmp_path) == 3
    _review(store, "d")
    assert _answers_a_kill_leaves(data, tmp_path) == 4
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 4


_ANOTHER_PROCESS = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value)")  # a fresh store, as it sees the file
print("written", flush=True)
sys.stdin.readline()  # open until told
db.close()
"""


@contextmanager
def _running_beside(script: str, *args: str, says: str) -> Iterator[subprocess.Popen[str]]:
    """Python running `script` with `args` in a process of its own, once it has printed the line `says`; after,
    it is sent a line (to go on) and waited for."""
    other = subprocess.Popen(
        [sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline() == f"{says}\n"
        yield other
    finally:
        other.communicate("\n", timeout=30)


def test_a_log_another_process_made_meanwhile_is_never_read_as_this_stores(data: Path, tmp_path: Path) -> None:
    """Between the deletion and the next answer another process (a command run beside the window) opened the
    store, and has it open still: it made a log of its own from the store file, without this store's answers.
    Opening the store again would read that log as this store's (the next write failed: no such table), and
    after a crash it was read over the file at the next start, hiding every answer: the answers are written into
    the file, that log is renamed aside, and the store goes on with the log it has."""
    store = Store.in_folder(data)
    _review(store, "a")
    _delete_log_and_index(data)
    with _running_beside(_ANOTHER_PROCESS, str(data / STORE_NAME), says="written"):
        _review(store, "b")
        assert _answers_a_kill_leaves(data, tmp_path) == 2  # its log, read over the file, hid them all
        _review(store, "c")
        assert [review.card_key for review in store.reviews()] == ["a", "b", "c"]
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 3


_BESIDE = """
import sys
sys.path.insert(0, sys.argv[2])
from quiz.core.store import Store
from tests.conftest import record_good
store = Store.in_folder(sys.argv[1])
for number in range(3):
    record_good(store, f"beside{number}")
store.close()
"""


def test_a_command_run_beside_quiz_after_the_log_was_deleted_keeps_what_it_saved(data: Path) -> None:
    """After the log was deleted and the next answer wrote the answers into the file, quiz went on with the
    deleted log and index, and a command run beside it (an import) made a log of its own: the two wrote the file
    unseen by each other. What the command saved was renamed aside with its log at quiz's next answer (gone from
    the store), and a command writing much (a checkpoint of its own) left the file damaged. Quiz now opens the
    store again on a log at its path once the answers are in the file, so the command shares it."""
    store = Store.in_folder(data)
    _review(store, "a")
    _delete_log_and_index(data)
    _review(store, "b")
    subprocess.run([sys.executable, "-c", _BESIDE, str(data), str(ROOT)], check=True)
    _review(store, "c")
    assert [review.card_key for review in store.reviews()] == ["a", "b", "beside0", "beside1", "beside2", "c"]
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 6
    assert not list(data.glob("*orphaned*"))


_OPEN_BEFORE = """
import sys
sys.path.insert(0, sys.argv[2])
from quiz.core.store import Store
from tests.conftest import record_good
store = Store.in_folder(sys.argv[1])
store.review_count()
print("open", flush=True)
sys.stdin.readline()
record_good(store, "beside")
store.close()
"""


def test_a_command_open_beside_the_app_leaves_the_store_file_in_place(data: Path) -> None:
    """A command run beside the app (an import) had the store open when the log was deleted, and saved first: it
    put its copy of the store in place of the file, and every later answer of the app said NOT saved (the file it
    had open was replaced). The command now writes into the file itself; the app, which holds the folder, makes
    the copy."""
    lock = AppLock(data).acquire()  # as the app holds it
    store = Store.in_folder(data)
    _review(store, "a")
    with _running_beside(_OPEN_BEFORE, str(data), str(ROOT), says="open") as other:
        _delete_log_and_index(data)
    assert other.returncode == 0
    _review(store, "b")
    assert sorted(review.card_key for review in store.reviews()) == ["a", "b", "beside"]
    store.close()
    lock.release()
    assert _reviews_in_file(data / STORE_NAME) == 3


def _integrity_a_kill_leaves(data: Path, tmp_path: Path) -> str:
    """The integrity check of the store file a kill now would leave (copied by another process, as above)."""
    copy = tmp_path / "kill-copy.sqlite3"
    subprocess.run([sys.executable, "-c", _COPY, str(data / STORE_NAME), str(copy)], check=True)
    db = sqlite3.connect(copy)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        db.close()
        copy.unlink()


@pytest.mark.skipif(not hasattr(os, "statvfs"), reason="a file size limit (POSIX)")
def test_a_copy_of_the_deleted_log_stopped_half_way_leaves_the_store_sound(data: Path, tmp_path: Path) -> None:
    """The answers of a deleted log were checkpointed into the store file itself: a copy stopped half way (a kill,
    or here a full disk: a file size limit) left it damaged (malformed), its log gone with what would have finished
    it. Measured with kill -9 at random moments of that copy: 5 stores damaged of 20."""
    import resource

    store = Store.in_folder(data)
    for number in range(1000):
        _review(store, f"before{number}" + "x" * 300)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _delete_log_and_index(data)
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, ((data / STORE_NAME).stat().st_size, limits[1]))
    try:
        for number in range(5):
            _review(store, f"after{number}" + "y" * 1000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
    assert _integrity_a_kill_leaves(data, tmp_path) == "ok"  # as it was: what the deleted log holds is not in it
    _review(store, "room again")  # the next answer, with room, puts them all in it
    assert _answers_a_kill_leaves(data, tmp_path) == 1006
    assert _integrity_a_kill_leaves(data, tmp_path) == "ok"
    store.close()


# --- the index (-shm) deleted while open, the log not --------------------------------------------------------

_COMMAND = """
import sys
sys.path.insert(0, sys.argv[2])
from quiz.core.store import Store
from tests.conftest import record_good
store = Store.in_folder(sys.argv[1])
print(store.review_count(), flush=True)
for line in sys.stdin:
    if line.startswith("write"):
        count = int(line.split()[1])
        for number in range(count):
            record_good(store, f"beside{line.split()[2]}-{number}")
    elif line.strip() == "close":
        store.close()
        print("closed", flush=True)
        break
    print(store.review_count(), flush=True)
"""


class _Command:
    """A command run beside the app (an import, a sync), in a process of its own: its store open until closed."""

    def __init__(self, data: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _COMMAND, str(data), str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.opened_with = int(self.said())

    def said(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def ask(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.said()

    def count(self) -> int:
        return int(self.ask("count"))

    def close(self) -> None:
        assert self.ask("close") == "closed"
        assert self.process.wait() == 0


def _answer_in_turns(store: Store, command: _Command) -> None:
    """The app and a command opened on its two answers answer in turns, three times: each reads the other's."""
    assert command.opened_with == 2
    for turn in range(3):
        _review(store, f"app{turn}")
        assert command.count() == 3 + 3 * turn  # it reads the app's answer
        assert int(command.ask(f"write 2 {turn}")) == 5 + 3 * turn
        assert store.review_count() == 5 + 3 * turn  # and the app the command's


def _delete_index(data: Path) -> None:
    (data / f"{STORE_NAME}-shm").unlink()


def test_answers_saved_while_the_index_alone_is_deleted_survive_a_kill(data: Path, tmp_path: Path) -> None:
    """The index (-shm) is only a cache of where each page is in the log: the log at the path is still the one the
    store writes, and after a kill the next start rebuilds the index from it (SQLite's recovery)."""
    store = _store_with_two_answers(data)
    _delete_index(data)
    _review(store, "c")
    assert _answers_a_kill_leaves(data, tmp_path) == 3
    assert _integrity_a_kill_leaves(data, tmp_path) == "ok"
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 3


def test_a_command_run_beside_quiz_after_the_index_was_deleted_loses_nothing(data: Path, tmp_path: Path) -> None:
    """A command opened after the deletion made an index of its own from the log, where quiz went on with the
    deleted one: each wrote where its own index said the log ended, over the other's answers (13 saved, 7 left,
    and with more written the store file was not a database any more), and neither read the other's. Quiz now
    opens the store again on the index at the path before its next write."""
    store = _store_with_two_answers(data)
    _delete_index(data)
    command = _Command(data)
    try:
        _answer_in_turns(store, command)
        assert _answers_a_kill_leaves(data, tmp_path) == 11
        assert _integrity_a_kill_leaves(data, tmp_path) == "ok"
    finally:
        command.close()
    _review(store, "last")
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 12


def test_what_a_command_saved_and_closed_after_the_index_was_deleted_is_kept(data: Path) -> None:
    """The command came and went between two answers of the app, its answers only in the log (the app holding
    the store open, the command's close did not copy them into the file): the app's next answer, written where its
    deleted index said the log ended, wrote over them, and its close copied its own view into the file and deleted
    the log."""
    store = _store_with_two_answers(data)
    _delete_index(data)
    command = _Command(data)
    command.ask("write 5 only")
    command.close()
    _review(store, "c")
    assert store.review_count() == 8
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 8


def test_a_command_open_since_before_the_index_was_deleted_joins_the_app_s_new_one(data: Path) -> None:
    """The command shared the app's index when it was deleted; the app opens the store again at its next answer
    (a new index), and the command, at its next write, does the same: neither writes over the other."""
    store = _store_with_two_answers(data)
    command = _Command(data)
    try:
        _delete_index(data)
        _review(store, "c")
        assert int(command.ask("write 4 after")) == 7
        _review(store, "d")
        assert store.review_count() == 8 and command.count() == 8
    finally:
        command.close()
    store.close()
    assert _reviews_in_file(data / STORE_NAME) == 8


def _linked_store(data: Path, tmp_path: Path) -> Path:
    """The store kept on another drive, linked into the data folder (a relative link, through another, as a
    dotfiles setup makes them): the folder where SQLite keeps its log and index, beside the file the link names."""
    drive = tmp_path / "drive"
    drive.mkdir()
    Store(drive / STORE_NAME).close()
    data.mkdir()
    (data / "hop.sqlite3").symlink_to(f"../drive/{STORE_NAME}")
    (data / STORE_NAME).symlink_to("hop.sqlite3")
    return drive


def test_a_linked_store_s_deleted_index_is_seen_and_a_command_beside_it_loses_nothing(
    data: Path, tmp_path: Path
) -> None:
    """The store's index was looked for beside the link, where SQLite keeps none: its deletion went unseen, and a
    command opened after it wrote over the app's answers (and the app over the command's)."""
    drive = _linked_store(data, tmp_path)
    store = _store_with_two_answers(data)
    _delete_index(drive)
    command = _Command(data)
    try:
        _answer_in_turns(store, command)
        assert _answers_a_kill_leaves(drive, tmp_path) == 11
    finally:
        command.close()
    store.close()
    assert _reviews_in_file(drive / STORE_NAME) == 11
    assert (data / STORE_NAME).is_symlink()


def test_a_linked_store_s_deleted_log_is_written_into_the_file_the_link_names(data: Path, tmp_path: Path) -> None:
    """The answers of a log deleted under a linked store were lost at a kill, as they were for a store in the data
    folder; the whole copy that saves them takes the place of the file the link names: the link stays."""
    drive = _linked_store(data, tmp_path)
    store = _store_with_two_answers(data)
    _delete_log_and_index(drive)
    _review(store, "c")
    assert _answers_a_kill_leaves(drive, tmp_path) == 3
    assert (data / STORE_NAME).is_symlink() and not store.gone()
    _review(store, "d")
    store.close()
    assert _reviews_in_file(drive / STORE_NAME) == 4


def test_a_linked_store_made_anew_never_replays_the_log_a_deleted_one_left(data: Path, tmp_path: Path) -> None:
    """The log a store deleted while open left, beside the file a link at the store's path named, was looked for
    beside the link: a store made anew at the link (`quiz restore --empty`) would read it as its own."""
    drive = _linked_store(data, tmp_path)
    (drive / STORE_NAME).unlink()
    Path(f"{drive / STORE_NAME}-wal").write_bytes(b"left by a store deleted while open")
    Store.in_folder(data, fresh=True).close()
    assert (drive / f"{STORE_NAME}.orphaned-wal").read_bytes() == b"left by a store deleted while open"
    assert (data / STORE_NAME).is_symlink() and _reviews_in_file(drive / STORE_NAME) == 0


def test_the_process_holding_the_store_open_runs_no_file_of_the_folder_quiz_was_started_in(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process (quiz.core.heldopen) ran `python -c`, which reads modules from the current folder first:
    quiz started in a folder holding a `sqlite3.py` (a student's exercise) ran that file, and the answer was
    refused ('another process could not open' the store)."""
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "sqlite3.py").write_text("open('ran', 'w').close()\nraise SystemExit(1)\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    store = Store.in_folder(data)
    _review(store, "a")
    _delete_index(data)
    opened = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM review_log').fetchone()"
    subprocess.run([sys.executable, "-c", opened, str(data / STORE_NAME)], cwd=ROOT, check=True)  # its own index
    _review(store, "b")
    assert store.review_count() == 2
    store.close()
    assert not (folder / "ran").exists()
    assert _reviews_in_file(data / STORE_NAME) == 2


def test_a_session_answer_after_the_file_went_is_not_counted(data: Path, tmp_path: Path) -> None:
    deck_file = tmp_path / "deck.yaml"
    deck_file.write_text(basic_deck_yaml(3), encoding="utf-8")
    from quiz.core.decks import load_deck_file

    deck = load_deck_file(deck_file).deck
    store = Store.in_folder(data)
    session = study_session(store, FixedClock(AT), [deck])
    session.grade(Grade.GOOD)
    card = session.current
    (data / STORE_NAME).unlink()
    with pytest.raises(StoreGoneError):
        session.grade(Grade.GOOD)
    assert session.current is card and session.summary.count == 1  # nothing moved on
    store.close()


def test_closing_backs_up_what_was_saved_and_says_what_happened(data: Path, capsys) -> None:
    clock = FixedClock(AT)
    context = Context(data, clock)
    context.start_app()
    for key in "abc":
        _review(context.store, key)
    context.close()  # backed up: three reviews
    clock.advance(timedelta(minutes=5))  # well within the half hour that holds the next backup back
    context = Context(data, clock)
    context.start_app()
    _review(context.store, "d")
    (data / STORE_NAME).unlink()
    with pytest.raises(StoreGoneError):
        _review(context.store, "e")
    context.close()
    newest = list_backups(data / STORE_NAME)[0]
    assert newest.reviews == 4 == _reviews_in_file(newest.path)  # "d" was saved before the file went
    err = capsys.readouterr().err
    assert "was deleted or replaced while quiz was open" in err and newest.name in err


def test_a_data_folder_that_went_away_is_told_apart_from_a_deleted_store(data: Path, capsys) -> None:
    """A home folder on a network share that disconnects (here: the folder moved away under the open store). It
    was called deleted, and a failed backup said there was nothing to restore, though the share's store holds
    every answer: she is told to connect it again first."""
    context = Context(data, FixedClock(AT))
    context.start_app()
    _review(context.store, "a")
    data.rename(data.with_name("share-disconnected"))
    with pytest.raises(StoreGoneError, match="the data folder .* went away while quiz had it open .a network share"):
        _review(context.store, "b")
    context.close()
    err = capsys.readouterr().err
    assert f"the data folder {data} went away while quiz was open" in err
    assert "connect it again and start quiz: its store holds every answer saved before" in err
    newest = list_backups(data / STORE_NAME)[0]  # a deleted folder's history is kept all the same
    assert newest.name in err and _reviews_in_file(newest.path) == 1
    assert _reviews_in_file(data.with_name("share-disconnected") / STORE_NAME) == 1


def test_a_store_deleted_before_anything_was_saved_is_said_to_have_lost_nothing(data: Path, capsys) -> None:
    """Closing said to run `quiz restore latest`, which then refused: an empty store is not backed up."""
    context = Context(data, FixedClock(AT))
    context.start_app()
    assert context.store.is_empty()
    (data / STORE_NAME).unlink()
    context.close()
    err = capsys.readouterr().err
    assert list_backups(data / STORE_NAME) == []
    assert "was deleted or replaced while quiz was open" in err and "nothing is lost" in err
    assert "restore latest" not in err


def test_a_store_deleted_after_its_last_backup_names_restore(data: Path, capsys) -> None:
    """Nothing new to back up as quiz closes (the newest backup holds every answer): restore still brings it back."""
    clock = FixedClock(AT)
    context = Context(data, clock)
    context.start_app()
    _review(context.store, "a")
    assert context.backup_now() is not None
    (data / STORE_NAME).unlink()
    context.close()
    err = capsys.readouterr().err
    assert len(list_backups(data / STORE_NAME)) == 1
    assert "run `quiz restore latest` to bring back its newest backup" in err and "nothing is lost" not in err
    assert not (data / STORE_NAME).exists()  # nothing created in its place


# --- missing at start -----------------------------------------------------------------------------------


def _history_then_lost(data: Path, reviews: int = 120) -> Backup:
    store = Store.in_folder(data)
    for i in range(reviews):
        _review(store, f"k{i}")
    made = make_backup(store, AT)
    store.close()
    (data / STORE_NAME).unlink()
    return made


@pytest.mark.parametrize("command", [("list",), ("stats",), ("check",), ("check", "--no-repair")])
def test_commands_refuse_a_missing_store_beside_a_good_backup(data: Path, command: tuple[str, ...]) -> None:
    made = _history_then_lost(data)
    result = run_main_process(data, *command)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    said = result.stderr + result.stdout
    assert f"there is no store at {data / STORE_NAME}" in said
    assert made.name in said and "120 reviews" in said
    assert f"quiz --data-dir {data} restore latest" in said and f"quiz --data-dir {data} restore --empty" in said
    assert not (data / STORE_NAME).exists()


def test_the_app_refuses_a_missing_store_before_its_first_screen(data: Path) -> None:
    made = _history_then_lost(data)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert made.name in result.stderr and "120 reviews" in result.stderr
    assert not (data / STORE_NAME).exists()


def test_restore_latest_then_brings_every_review_back(data: Path) -> None:
    _history_then_lost(data)
    result = run_main_process(data, "restore", "latest")
    assert result.returncode == 0, result.stderr
    listed = run_main_process(data, "stats")
    assert listed.returncode == 0 and "120" in listed.stdout
    assert _reviews_in_file(data / STORE_NAME) == 120


def test_restore_empty_starts_afresh_deliberately_and_keeps_the_backups(data: Path) -> None:
    made = _history_then_lost(data)
    Path(f"{data / STORE_NAME}-wal").write_bytes(b"left by a store deleted while open")
    result = run_main_process(data, "restore", "--empty")
    assert result.returncode == 0, result.stderr
    assert "started an empty store" in result.stdout
    assert run_main_process(data, "list").returncode == 0
    assert _reviews_in_file(data / STORE_NAME) == 0
    assert made.path.exists()
    # the orphaned log was put aside, not replayed into the new store nor deleted
    assert (data / f"{STORE_NAME}.orphaned-wal").read_bytes() == b"left by a store deleted while open"
    again = run_main_process(data, "restore", "--empty")
    assert again.returncode == 1 and "exists" in again.stderr


def test_a_first_start_without_backups_creates_the_store(data: Path) -> None:
    data.mkdir()  # `list` reads a data folder; it makes none (a first start of the app makes both)
    result = run_main_process(data, "list")
    assert result.returncode == 0, result.stderr
    assert (data / STORE_NAME).exists()


def test_a_folder_of_damaged_backups_does_not_block_a_new_store(data: Path) -> None:
    made = _history_then_lost(data)
    made.path.write_bytes(b"not a database" * 100)
    store = Store.in_folder(data)
    assert store.review_count() == 0
    store.close()


def test_the_refusal_is_raised_by_the_store_itself(data: Path) -> None:
    _history_then_lost(data, reviews=3)
    with pytest.raises(StoreMissingError, match="3 reviews"):
        Store.in_folder(data)
    Store.in_folder(data, fresh=True).close()
    assert Store.in_folder(data).review_count() == 0


# --- thinning keeps the history a fresh start left behind ------------------------------------------------


@pytest.mark.slow
def test_thinning_keeps_the_only_backup_with_more_reviews_than_the_store(data: Path) -> None:
    old = _history_then_lost(data, reviews=120)
    store = Store.in_folder(data, fresh=True)
    _review(store, "new")
    for day in range(1, 400):  # more than a year of daily backups: the policy alone would drop `old`
        store.set_state("d", f"s{day}", STATE)  # a change, but no review: the store stays behind `old`
        backup.auto_backup(store, AT + timedelta(days=day))
    assert store.review_count() == 1
    assert old.path.exists()
    assert len(list_backups(store.path)) <= backup.KEEP_RECENT + backup.KEEP_DAYS + backup.KEEP_WEEKS + 7
    store.close()


def test_the_protection_ends_once_the_store_holds_more() -> None:
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    old = Backup(Path("/b/old"), now - timedelta(days=400), 50, number=1, reviews=120)
    recent = [
        Backup(Path(f"/b/{day}"), now - timedelta(days=day), 100 + day, number=400 - day, reviews=5)
        for day in range(300)
    ]
    assert old.path in to_keep([old, *recent], store_reviews=30)
    assert old.path not in to_keep([old, *recent], store_reviews=130)
    assert old.path not in to_keep([old, *recent])  # no store count given: the plain policy


def test_thin_without_a_store_count_follows_the_plain_policy(data: Path) -> None:
    store = Store.in_folder(data)
    for day in range(12):
        _review(store, f"d{day}")
        make_backup(store, AT + timedelta(days=day))
    assert thin(store.path)
    store.close()
