"""Shared fixtures: a temp store, a frozen clock, decks written from YAML text."""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from quiz.cli import main
from quiz.commands import importing
from quiz.core import processes
from quiz.core.backup import ONE_AT_A_TIME
from quiz.core.cardstate import CardState
from quiz.core.clock import Clock, FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.model import Deck, Grade, Mode
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store

# Every property test, unless its own settings say otherwise: the same examples each run (no database carrying
# examples between runs), and no deadline, since a pause on a busy machine would fail an example as "flaky".
settings.register_profile("quiz", derandomize=True, database=None, deadline=None)
settings.load_profile("quiz")

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _own_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A test never reads or writes the real user's store: a command run without --data-dir gets a fresh folder."""
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path_factory.mktemp("quiz-home")))


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Today ends at 4 am local": pin local time to UTC so day boundaries are the same everywhere."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.in_folder(tmp_path / "data")
    opened.save_settings(replace(opened.settings(), fuzz=False))
    yield opened
    opened.close()


@pytest.fixture
def clocked_store(tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    """A store whose events take the test's clock (`store`'s first event takes the real time), its settings as
    a new store's."""
    opened = Store.in_folder(tmp_path / "data", clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder not made yet: what a first run, or a store file opened by path, starts from."""
    return tmp_path / "data"


@pytest.fixture
def scheduler(store: Store) -> Scheduler:
    return Scheduler(store.settings())


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[[str, str], Deck]:
    def write(text: str, name: str = "deck.yaml") -> Deck:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = load_deck_file(path)
        assert result.deck is not None, [str(p) for p in result.problems]
        return result.deck

    return write


def study_session(
    store: Store, clock: Clock, decks: list[Deck], mode: Mode = Mode.REVIEW, **scope: Any
) -> StudySession:
    """A session over all of `decks` (narrowed by `scope`: topic, tag) with the store's settings, its cards in
    the same order every run (seed 1)."""
    ids = tuple(deck.id for deck in decks)
    return StudySession(store, Scheduler(store.settings()), clock, decks, Scope(ids, **scope), mode, seed=1)


def basic_deck_yaml(count: int, deck_id: str = "d") -> str:
    cards = "\n".join(
        f"  - {{id: c{i}, kind: basic, topic: t{i % 2}, front: 'question {i}', back: 'answer {i}'}}"
        for i in range(count)
    )
    return f"deck: {deck_id}\ntitle: Deck {deck_id}\ncards:\n{cards}\n"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `quiz ARGS` in-process: (exit code, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def quiz_succeeds(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> str:
    """Run `quiz --data-dir DATA_DIR ARGS` in-process (run_cli), which must end with code 0: what it printed."""
    code, out, err = run_cli(capsys, "--data-dir", str(data_dir), *args)
    assert code == 0, err
    return out


def holders_asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gains an entry each time an import works out, from now on, which imported deck holds each of
    some notes (a pass over every import record's GUIDs)."""
    asked: list[int] = []
    holders = importing.DeckFolder.holders

    def counted(folder: importing.DeckFolder, guids: Any) -> Any:
        asked.append(1)
        return holders(folder, guids)

    monkeypatch.setattr(importing.DeckFolder, "holders", counted)
    return asked


def run_main_process(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python main.py --data-dir DATA_DIR ARGS` in a child process, as a user would, with `env` added to
    this environment (less any QUIZ_NOW of the developer's) and no terminal: had the app started, it would not
    wait for keys."""
    root = Path(__file__).resolve().parents[1]
    inherited = {k: v for k, v in os.environ.items() if k != "QUIZ_NOW"}
    return subprocess.run(
        [sys.executable, str(root / "main.py"), "--data-dir", str(data_dir), *args],
        env={**inherited, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
    )


def run_app_in_a_terminal(data_dir: Path) -> subprocess.CompletedProcess:
    """Start the app (`python main.py --data-dir DATA_DIR`) in a child process on a pseudo-terminal of its own
    (without one it would refuse for that first), its stderr captured: for the starts that end before any key."""
    root = Path(__file__).resolve().parents[1]
    master, terminal = os.openpty()
    try:
        return subprocess.run(
            [sys.executable, str(root / "main.py"), "--data-dir", str(data_dir)],
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.PIPE,
            text=True,
            cwd=root,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "QUIZ_NOW"},
        )
    finally:
        os.close(terminal)
        os.close(master)


def bare_repository(path: Path) -> Path:
    """An empty bare git repository at `path`, its folders made as needed: a sync remote without a network."""
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


def commit_hook_that_waits(clone: Path, name: str = "pre-commit") -> Callable[[Callable[[], bool]], int]:
    """A hook `name` in git clone `clone` that waits ten minutes (a hook, gpg asking for a passphrase nobody
    types, a push over a network that hangs); what it gives waits for the hook to start, or `gave_up()`, or 60 s
    (a quiz blocked before its git ran the hook: the test fails, never hangs), and gives the hook's pid."""
    ran = clone.parent / f"{clone.name}-hook.pid"
    hook = clone / ".git" / "hooks" / name
    hook.write_text(f"#!/bin/sh\necho $$ > {ran}.tmp && mv {ran}.tmp {ran}\nexec sleep 600\n", encoding="utf-8")
    hook.chmod(0o755)

    def started(gave_up: Callable[[], bool]) -> int:
        for _ in range(6000):
            if ran.exists() or gave_up():
                break
            time.sleep(0.01)
        assert ran.exists(), f"the {name} hook did not start"
        return int(ran.read_text(encoding="ascii"))

    return started


def ended(pid: int) -> bool:
    """Whether process `pid` ended, waiting for it up to 30 s: a git stopped ends its hook, then itself, and
    the system's reaping of the hook may lag behind."""
    for _ in range(3000):
        if not processes.running(pid):
            return True
        time.sleep(0.01)
    return False


def parent_of(pid: int) -> int:
    """Process `pid`'s parent, as Linux tells it (/proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    return int(stat.rsplit(")", 1)[1].split()[1])  # after the name, which may hold spaces: state, then ppid


def suggested(line: str) -> str:
    """The first command `line` suggests, as she would copy it: what is between the backquotes."""
    found = re.search(r"`(quiz[^`]*)`", line)
    assert found, line
    return found.group(1)


def pasted(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`command` pasted into bash, `quiz` being this checkout's main.py, with `env` added to this environment (less
    any QUIZ_NOW of the developer's); QUIZ_HOME (each test's own folder, above) is the default data folder, which a
    command naming no other acts on."""
    main_py = Path(__file__).resolve().parents[1] / "main.py"
    quiz = f'quiz() {{ {shlex.quote(sys.executable)} {shlex.quote(str(main_py))} "$@"; }}'
    inherited = {name: value for name, value in os.environ.items() if name != "QUIZ_NOW"}
    return subprocess.run(
        ["bash", "-c", f"{quiz}; {command}"],
        env={**inherited, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def record_good(store: Store, key: str, at: datetime = START, stability: float = 3.0, deck_id: str = "d") -> int:
    """Log a Good answer to card `key` of deck `deck_id` at `at`, leaving it in review; returns the log id."""
    state = CardState(kind="basic", fsrs_state=2, stability=stability, difficulty=5.0, due=at, last_review=at, reps=1)
    return store.record_review(deck_id, key, Grade.GOOD, at, 1000, Mode.REVIEW, None, state)


@contextmanager
def failing_commit(store: Store) -> Iterator[None]:
    """The store's next COMMIT fails on writing its log (the WAL), as on a full disk: every statement before it
    succeeds, then SQLite cannot extend the WAL by more than a few bytes (a file size limit; Python ignores
    the signal it sends). Skips where there is no such limit (Windows)."""
    resource = pytest.importorskip("resource")
    wal = Path(f"{store.path}-wal")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (wal.stat().st_size + 100, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


@contextmanager
def imported_into_anki(package: Path, folder: Path) -> Iterator[Any]:
    """A new Anki collection in `folder` with `package` imported by Anki itself (scheduling included, note types
    not merged), closed after. Skips the test where the anki package is not installed."""
    collection = pytest.importorskip("anki.collection")
    folder.mkdir(parents=True, exist_ok=True)
    col = collection.Collection(str(folder / "collection.anki2"))
    try:
        options = collection.ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
        col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(package), options=options))
        yield col
    finally:
        col.close()


def reviews_in_file(path: Path) -> int:
    """How many answers the store file at `path` logs, read without writing to it."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    finally:
        db.close()


def in_backups_folder(folder: Path) -> list[str]:
    """The names of the files in a backups folder, sorted, but the lock taken while a backup is made (it stays)."""
    return sorted(path.name for path in folder.iterdir() if path.name != ONE_AT_A_TIME)


class HeldAtFirstLook(threading.Event):
    """A backup's stop (the app's for its start's backup: QuizApp.on_mount makes one): the backup first looks at it
    from within its copy, the read transaction open, and waits there until the test lets it go on."""

    def __init__(self) -> None:
        super().__init__()
        self.reached = threading.Event()
        self.go_on = threading.Event()

    def is_set(self) -> bool:
        if not self.reached.is_set():
            self.reached.set()
            assert self.go_on.wait(30)
        return super().is_set()
