"""Two quiz processes on one data directory: the second app is refused, and no write is ever lost.

The app takes an exclusive lock (`<data dir>/quiz.lock`) when it starts; a second app says whose it is
and exits 1. Read-only commands take no lock. Writers in several processes are safe anyway: every
write begins IMMEDIATE and waits (busy timeout) for the other's commit.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import quiz.core.sync
from quiz.context import Context
from quiz.core.clock import FixedClock
from quiz.core.lock import AlreadyOpen, AppLock
from quiz.core.lockholder import LOCK_NAME
from quiz.core.store import MIGRATIONS, Store
from quiz.core.sync import SyncError
from tests.conftest import START, run_app_in_a_terminal, run_cli
from tests.conftest import run_main_process as _cli

ROOT = Path(__file__).resolve().parents[2]

# The CLI with the app replaced by "start as the app starts, then wait for a line on stdin".
APP = """
import sys
from quiz import cli

def run_app(context):
    context.start_app()
    print("started", flush=True)
    sys.stdin.readline()
    return 0

cli.run_app = run_app
sys.exit(cli.main(sys.argv[1:]))
"""


def _app(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", APP, "--data-dir", str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _started(app: subprocess.Popen) -> None:
    assert app.stdout is not None
    line = app.stdout.readline()
    assert line == "started\n", (line, app.stderr.read() if app.stderr else "")


def _refused(data_dir: Path) -> str:
    """A second app on `data_dir`, refused (exit 1, no traceback, never started): what it said."""
    second = _app(data_dir)
    out, err = second.communicate(timeout=30)
    assert second.returncode == 1, (out, err)
    assert "Traceback" not in err and "started" not in out
    return err


def _a_killed_app_leaves_nothing_stale(data_dir: Path, delete_lock_file: bool = False) -> None:
    """Once the app holding the lock has quit: another started on `data_dir` and killed (its lock file deleted
    first, with `delete_lock_file`) blocks nothing, and the next one starts and quits cleanly."""
    killed = _app(data_dir)  # it starts: the lock went with the app that quit
    _started(killed)
    if delete_lock_file:
        (data_dir / LOCK_NAME).unlink()
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    after = _app(data_dir)
    _started(after)
    after.communicate("\n", timeout=30)
    assert after.returncode == 0


def test_a_second_app_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    first = _app(tmp_path)
    try:
        _started(first)
        err = _refused(tmp_path)
        # what holds it, and what to do
        assert f"quiz is already open in another window (pid {first.pid}): use that window, or quit it" in err
        # Read-only commands still work beside the app.
        listing = _cli(tmp_path, "list")
        assert listing.returncode == 0, listing.stderr
        restoring = _cli(tmp_path, "restore", "latest")
        assert restoring.returncode == 1  # no backup yet, and the app is open: nothing is touched
    finally:
        first.communicate("\n", timeout=30)
    assert first.returncode == 0
    _a_killed_app_leaves_nothing_stale(tmp_path)


def test_a_second_app_is_refused_when_the_lock_file_was_deleted_meanwhile(tmp_path: Path) -> None:
    """`quiz.lock` deleted while the app runs (a clean-up, a synced folder): the first app's lock stays on the
    deleted file, and a second app made a new one and opened on the same store. Both windows would undo each
    other's answers. The data folder's own lock keeps the second out; the lock file's pid is gone with it, and
    the refusal named no pid: Linux's list of locks names the holder all the same."""
    first = _app(tmp_path)
    try:
        _started(first)
        (tmp_path / LOCK_NAME).unlink()
        err = _refused(tmp_path)
        held_by = f"(pid {first.pid})" if sys.platform == "linux" else f"(its pid is unknown: `lsof {tmp_path}`"
        assert f"quiz is already open in another window {held_by}" in err, err
        assert "use that window, or quit it" in err
    finally:
        first.communicate("\n", timeout=30)
    assert first.returncode == 0
    _a_killed_app_leaves_nothing_stale(tmp_path, delete_lock_file=True)


def test_a_program_started_while_the_lock_is_held_keeps_no_lock_after_quiz_ends(tmp_path: Path) -> None:
    """The editor (`e`) and git (sync) run while the app holds its locks, and may outlive it (an editor gone to
    the background): had they inherited the lock's descriptors, no window could open until they exited.
    close_fds=False hands a child every descriptor not marked close-on-exec (which it holds until its program
    runs: hence the wait for its first line)."""
    lock = AppLock(tmp_path).acquire()
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; print('running', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        close_fds=False,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"running\n"
        lock.release()
        AppLock(tmp_path).acquire().release()  # the child still runs
    finally:
        child.communicate(b"", timeout=30)


def test_restore_is_refused_while_the_app_is_open(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from quiz.core import backup
    from quiz.core.cardstate import CardState
    from quiz.core.model import Grade, Mode

    store = Store.in_folder(tmp_path)
    store.record_review(
        "d", "a", Grade.GOOD, datetime(2026, 1, 5, tzinfo=UTC), 1, Mode.REVIEW, None, CardState("basic")
    )
    backup.make_backup(store, datetime(2026, 1, 5, tzinfo=UTC))
    store.close()
    app = _app(tmp_path)
    try:
        _started(app)
        result = _cli(tmp_path, "restore", "latest")
        assert result.returncode == 1
        assert "already open in another window" in result.stderr and "close it before restoring" in result.stderr
        assert not list(tmp_path.glob("*.broken"))
    finally:
        app.communicate("\n", timeout=30)


def test_the_lock_conflicts_within_one_process_too(tmp_path: Path) -> None:
    with AppLock(tmp_path):
        with pytest.raises(AlreadyOpen, match=r"already open in another window \(pid \d+\)"):
            AppLock(tmp_path).acquire()
    AppLock(tmp_path).acquire().release()  # free again


def test_a_command_holding_the_lock_is_named_as_that_command_not_as_a_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two `quiz sync` runs at once: the second said a window was open (there was none). It is no failure: the
    first syncs (docs/sync.md's exit codes)."""
    with AppLock(tmp_path).acquire("syncing"):
        code, _, err = run_cli(capsys, "--data-dir", str(tmp_path), "sync")
    assert code == 0
    assert f"not synced: another quiz command is busy syncing (pid {os.getpid()}): it syncs now; nothing is lost" in err
    assert "window" not in err


def test_the_app_syncing_after_its_window_closed_is_named_as_syncing_not_as_a_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app's sync at quit can take minutes (a slow git remote): a `quiz sync` run meanwhile was told to close
    the window, which was closed already."""
    context = Context(tmp_path, FixedClock(START))
    context.start_app()
    context.store.set_sync_folder(tmp_path)
    refused: list[str] = []

    def meanwhile(*_: object) -> object:
        with pytest.raises(AlreadyOpen) as other:
            AppLock(tmp_path).acquire("syncing")
        refused.append(str(other.value))
        raise SyncError("stopped here")

    monkeypatch.setattr(quiz.core.sync, "sync", meanwhile)
    context.sync_at_quit()
    context.close()
    assert refused == [f"another quiz command is busy syncing (pid {os.getpid()}): wait for it to end, then try again"]


def test_the_holders_pid_is_named_when_it_is_read_before_the_holder_wrote_it(tmp_path: Path) -> None:
    """The holder writes its pid just after it takes the lock: a refusal in between read an empty file and
    named no pid (or, the file left by an earlier holder, that holder's pid)."""
    (tmp_path / LOCK_NAME).write_text("1999999999 renaming\n", encoding="ascii")  # left by a process gone
    holder = os.open(tmp_path / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)  # locked, its pid not written yet
        mine = f"{os.getpid()} syncing\n".encode()
        writes = threading.Timer(0.05, lambda: (os.ftruncate(holder, 0), os.pwrite(holder, mine, 0)))
        writes.start()
        with pytest.raises(AlreadyOpen) as refused:
            AppLock(tmp_path).acquire("syncing")
        writes.join()
    finally:
        os.close(holder)
    assert str(refused.value) == (
        f"another quiz command is busy syncing (pid {os.getpid()}): wait for it to end, then try again"
    )


def test_the_holder_is_named_when_it_holds_the_folder_before_its_lock_file_is_made(tmp_path: Path) -> None:
    """A new data folder, two quiz starting at once: the first held the folder's lock but had not made
    `quiz.lock` yet, so the second, finding no file, said a window was open, though the first was `quiz sync`."""
    folder = os.open(tmp_path, os.O_RDONLY)
    holder: list[int] = []

    def first_takes_the_file() -> None:  # as the first quiz does once it holds the folder
        fd = os.open(tmp_path / LOCK_NAME, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.pwrite(fd, f"{os.getpid()} syncing\n".encode(), 0)
        holder.append(fd)

    try:
        fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        takes = threading.Timer(0.05, first_takes_the_file)
        takes.start()
        with pytest.raises(AlreadyOpen) as refused:
            AppLock(tmp_path).acquire("syncing")
        takes.join()
    finally:
        os.close(folder)
        for fd in holder:
            os.close(fd)
    assert str(refused.value) == (
        f"another quiz command is busy syncing (pid {os.getpid()}): wait for it to end, then try again"
    )


@pytest.mark.parametrize("garbage", ["\u00b2 syncing", "99999999999999999999999 syncing"], ids=["superscript", "huge"])
def test_a_lock_file_another_program_wrote_names_no_pid(tmp_path: Path, garbage: str) -> None:
    """int("²") and os.kill(10**22, 0) raised out of the refusal: a traceback instead of the message."""
    (tmp_path / LOCK_NAME).write_text(garbage, encoding="utf-8")
    holder = os.open(tmp_path / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # the pid the file holds is not believed; the OS names the holder (here this process) where it can
        named = rf"\(pid {os.getpid()}\)" if sys.platform == "linux" else r"\(its pid is unknown"
        with pytest.raises(AlreadyOpen, match=rf"^quiz is already open in another window {named}: use that window"):
            AppLock(tmp_path).acquire()
    finally:
        os.close(holder)


def test_a_holder_the_os_cannot_name_is_refused_with_how_to_find_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the OS keeps no list of locks (macOS) and the lock file names no pid, the refusal says how to find
    the holder, the folder quoted for a shell."""
    folder = tmp_path / "my data"
    folder.mkdir()
    monkeypatch.setattr("quiz.core.lock._locked_by", lambda fd, folder: None)
    with AppLock(folder):
        (folder / LOCK_NAME).unlink()
        with pytest.raises(AlreadyOpen) as refused:
            AppLock(folder).acquire()
    assert str(refused.value) == (
        f"quiz is already open in another window (its pid is unknown: `lsof '{folder}'` lists it): use that window,"
        " or quit it and start quiz again"
    )


WRITER = """
import json, sys, time
from datetime import UTC, datetime
from pathlib import Path
from quiz.core.model import Grade, Mode
from quiz.core.cardstate import CardState
from quiz.core.store import Store

data_dir, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
go = Path(data_dir) / "go"
while not go.exists():
    time.sleep(0.005)
store = Store.in_folder(data_dir)
kept, at = {}, datetime(2026, 1, 5, tzinfo=UTC)
for i in range(count):
    state = CardState(kind="basic", fsrs_state=2, reps=i)
    review = store.record_review("d", f"{name}-{i}", Grade.GOOD, at, i, Mode.REVIEW, None, state)
    kept[review] = f"{name}-{i}"
    if i % 10 == 9:  # read-then-write under the other's commits: undo the previous answer
        previous = max(kept)
        assert store.undo_review(previous) is not None
        del kept[previous]
    store.settings()
print(json.dumps(kept))
"""


def test_a_data_folder_that_cannot_be_made_is_named_not_its_lock_file(tmp_path: Path) -> None:
    """A home folder on a network share not connected yet (here: a path through a file, which no one can make a
    folder in): the app said `cannot open .../quiz.lock: ...; check the permissions`, of a file that is not there."""
    blocked = tmp_path / "share"
    blocked.write_text("not a folder")
    data = blocked / "quiz"
    result = run_app_in_a_terminal(data)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"cannot make the data folder {data}: Not a directory" in result.stderr
    assert "network share or a drive: connect it first" in result.stderr and "quiz.lock" not in result.stderr


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    count = 300
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), name, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for name in ("one", "two", "three")
    ]
    (tmp_path / "go").touch()  # all start together, on a store none of them has created yet
    kept: dict[str, str] = {}
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-3000:]
        kept.update(json.loads(out))
    store = Store.in_folder(tmp_path)
    rows = {str(r.id): r.card_key for r in store.reviews()}
    assert rows == kept  # every kept write is there, every undone one gone, nothing else
    assert len(rows) == 3 * (count - count // 10)
    assert store.schema_version == len(MIGRATIONS)
    assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len(list(store.all_states())) == len(rows)
