"""Sync at the app's start and quit, with a folder set: studying never waits for it, a session's states are
never changed under it, a missing folder is one line on Home; at 80x24 without colour."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from unittest import mock

import pytest
from conftest import make_context, screen_text
from textual.pilot import Pilot

from quiz.core import syncfiles, syncgit
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from quiz.core.sync import exchange, sync
from quiz.core.text import shell_word
from quiz.output import commands_naming
from quiz.ui import autosync
from quiz.ui.app import QuizApp
from quiz.ui.screens.study import StudyScreen
from quiz.ui.widgets.literal import lit_message
from tests.conftest import START, bare_repository, commit_hook_that_waits, ended, pasted
from tests.core.test_file_names_holding_commands import HOSTILE_FOLDER
from tests.core.test_sync import _fake_device

SIZE = (80, 24)
REVIEWED = CardState("basic", 2, stability=9.0, difficulty=5.0, due=START, last_review=START, reps=1)


@asynccontextmanager
async def synced_at_start(app: QuizApp, folder: Path) -> AsyncIterator[Pilot]:
    """The app at 80x24 with `folder` as its synced folder, its sync at start ended and Home redrawn."""
    app.context.store.set_sync_folder(folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


def printed_at_quit(app: QuizApp, capsys: pytest.CaptureFixture[str]) -> pytest.CaptureResult[str]:
    """What the sync at quit prints after the app, told what the sync at start found (nothing printed before)."""
    capsys.readouterr()
    app.context.sync_at_quit(lambda: autosync.found_at_start(app))
    return capsys.readouterr()


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A synced folder holding another device's answer to the UI deck's first card."""
    shared = tmp_path / "Sync"
    shared.mkdir()
    other = Store.in_folder(tmp_path / "other", clock=FixedClock(START))
    other.record_review("uitest", "basic", Grade.GOOD, START, 3000, Mode.REVIEW, None, REVIEWED)
    sync(other, shared, host="other")
    other.close()
    return shared


async def test_the_app_syncs_at_start_and_says_so_on_home(app_factory, folder: Path) -> None:
    app = app_factory()
    store = app.context.store
    async with synced_at_start(app, folder):
        text = screen_text(app)
        assert "Synced at 09:00: sent 1 change(s), received 1 from 1 other device(s)" in text
    assert store.state("uitest", "basic") == REVIEWED and store.review_count() == 1
    assert (folder / "quiz-progress" / store.device / "events-000001.jsonl").exists()  # its own events went out


async def test_a_folder_it_cannot_write_to_is_not_called_synced_with_changes_sent(
    app_factory, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only or full sync folder: Home said `Synced at 09:00: sent 0 change(s)`, as if this machine had
    nothing to send; it says that nothing was sent, and why after the app."""
    monkeypatch.setattr(syncfiles, "append_lines", mock.Mock(side_effect=OSError(errno.EROFS, "Read-only file system")))
    app = app_factory()
    async with synced_at_start(app, folder) as pilot:
        await pilot.pause()  # the line wraps: laid out again
        assert (
            "Synced at 09:00, this machine's changes not sent (the folder cannot be written to): received 1 from 1"
            " other device(s); 1 problem(s), listed when you quit"
        ) in " ".join(screen_text(app).split())
    assert app.context.store.state("uitest", "basic") == REVIEWED  # the other device's answer taken all the same


async def test_a_session_s_states_are_not_merged_under_it_the_quit_sync_does(app_factory, folder: Path, capsys) -> None:
    app = app_factory()
    context = app.context
    context.store.set_sync_folder(folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        context.store.db.execute("DELETE FROM sync_read")  # as if the start's sync had not merged yet
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        beside = Store(context.store.path)
        pending = exchange(beside, folder)
        beside.close()
        before = context.store.review_count()
        autosync._merge(app, pending)
        assert context.store.review_count() == before  # nothing merged under the session
        assert "merged when you quit" in app.sync_line
    capsys.readouterr()
    context.sync_at_quit()
    out = capsys.readouterr().out
    assert out.startswith("quiz: synced with") and "sent" in out


async def test_a_missing_folder_is_one_line_and_studying_goes_on(app_factory, tmp_path: Path, capsys) -> None:
    """The line names the folder by its path: the docs' `~/dotfiles/quiz` by its name alone said "quiz is not
    there", as if the app were missing. A folder renamed or moved was only said to be "not there (offline?)", on
    Home and at quit: both say how to give its new place, as `quiz sync` does."""
    app = app_factory()
    gone = tmp_path / "dotfiles" / "quiz"
    gone.mkdir(parents=True)
    app.context.store.set_sync_folder(gone)
    gone.rmdir()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = (
            f"Not synced: the synced folder {gone} is not there (not mounted? if you moved or renamed it, give its new"
            " place: `quiz sync --folder PATH`); your answers are kept here"
        )
        assert lit_message(app.sync_line).plain == said and "Not synced: the synced folder" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
    assert app.context.store.review_count() == 1
    capsys.readouterr()
    app.context.sync_at_quit()
    assert capsys.readouterr().err == (
        f"quiz: not synced: the synced folder {gone} is not there (not mounted? if you moved or renamed it, give its"
        " new place: `quiz sync --folder PATH`); your answers wait here, safe\n"
    )


async def test_an_emptied_synced_folder_is_not_synced_with_on_home_nor_at_quit(
    app_factory, tmp_path: Path, folder: Path, capsys
) -> None:
    """An empty mount point in place of a drive not mounted: the syncs at start and quit wrote the whole history
    there. Taken for a missing folder now: nothing written, the answer studied meanwhile kept for the next sync."""
    app = app_factory()
    sync(app.context.store, folder)
    drive = folder.rename(tmp_path / "drive")
    folder.mkdir()
    emptied = f"the synced folder {folder} holds no quiz-progress folder, though this machine synced there before"
    async with synced_at_start(app, folder) as pilot:
        shown = lit_message(app.sync_line).plain  # as Home shows it
        assert shown.startswith(f"Not synced: {emptied} (not mounted, its empty mount point in its place?")
        assert shown.endswith("); your answers are kept here")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
    err = printed_at_quit(app, capsys).err
    assert err.startswith(f"quiz: not synced: {emptied}") and err.endswith("your answers wait here, safe\n")
    assert list(folder.iterdir()) == []
    folder.rmdir()
    drive.rename(folder)
    report = sync(app.context.store, folder)
    assert report.sent == 1 and report.problems() == 0


async def test_a_deck_folder_linked_into_a_synced_folder_not_mounted_is_said_on_home(
    app_factory, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "decks").symlink_to(tmp_path / "Sync" / "decks")  # Sync/ not mounted
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())  # its lines wrapped at 80 columns, joined
    assert (
        f"Your decks: {data / 'decks'} is a link to {tmp_path / 'Sync' / 'decks'}, which is not there (a synced"
        " folder not mounted?): mount it, or link the deck folder to a folder that is there" in text
    )
    assert "your deck folder" not in text.lower()  # the line names it once, as "Your decks"


async def test_what_the_start_s_sync_warned_of_is_printed_at_quit_once(app_factory, folder: Path, capsys) -> None:
    """A bad line of another device's file is read, and warned of, once: by the sync at start. Home counts it
    and says where it will be listed; after the app it is printed, though the sync at quit reads nothing new."""
    bad = _fake_device(folder, "broken", ['{"v": 1, "id": "cut sh'])
    app = app_factory()
    context = app.context
    async with synced_at_start(app, folder):
        text = " ".join(screen_text(app).split())
        assert "received 1 from 2 other device(s); 1 problem(s), listed when you quit" in text
    assert context.store.state("uitest", "basic") == REVIEWED  # the good device's answer merged all the same
    lines = printed_at_quit(app, capsys).out.splitlines()
    assert lines[0].startswith("quiz: synced with") and "warning" not in lines[0]  # the quit's sync read nothing bad
    assert len(lines) == 3 and lines[1].startswith(f"quiz: warning: {bad}:2: not JSON")
    assert lines[2].startswith("quiz: warning: the events of the bad lines above are not read again")  # what to do


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
async def test_a_git_remote_out_of_reach_is_not_called_synced_on_home(app_factory, tmp_path: Path, capsys) -> None:
    """Offline with git as the engine: Home says the sync was not with the remote (it said 'Synced at'), and
    the warning, once, after the app."""
    remote = bare_repository(tmp_path / "progress.git")
    clone = tmp_path / "progress"
    syncgit.clone(str(remote), clone)
    remote.rename(tmp_path / "away.git")
    app = app_factory()
    async with synced_at_start(app, clone):
        text = " ".join(screen_text(app).split())
        assert re.search(r"Synced at 09:00, not with the remote: \d+ change\(s\) kept here, received", text)
        assert "1 problem(s), listed when you quit" in text  # not "sent": nothing left the machine
    assert printed_at_quit(app, capsys).out.count("warning: git: could not fetch from the remote") == 1


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
async def test_a_remote_out_of_reach_at_start_but_reached_at_quit_is_not_warned_of(
    app_factory, tmp_path: Path, capsys
) -> None:
    """The laptop opened offline and went online before quitting: the sync at quit pushed everything, so the
    start's "could not fetch ... go with the next sync" is stale and is not printed after the quit's summary."""
    remote = bare_repository(tmp_path / "progress.git")
    clone = tmp_path / "progress"
    syncgit.clone(str(remote), clone)
    away = remote.rename(tmp_path / "away.git")
    app = app_factory()
    store = app.context.store
    async with synced_at_start(app, clone) as pilot:
        assert "1 problem(s), listed when you quit" in " ".join(screen_text(app).split())
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
    away.rename(remote)  # back online
    out = printed_at_quit(app, capsys).out
    assert out.startswith("quiz: synced with") and "warning" not in out
    assert "sent 2 event(s) (1 kept here by an earlier sync)" in out  # the start's, committed offline, and the answer
    assert out.count("\n") == 1
    pushed = subprocess.run(["git", "-C", str(remote), "log", "--oneline"], capture_output=True, text=True, check=True)
    assert f"quiz: events of device {store.device}" in pushed.stdout  # what the stale warning said would wait


async def test_a_start_s_sync_that_reports_after_the_app_quit_is_still_printed(
    app_factory, folder: Path, capsys
) -> None:
    """q right after the start: the start's sync, on its thread, ends after the app. What it found is printed
    after the app all the same; here the synced folder is gone by then (a share unmounted), so the quit's
    sync cannot find it again."""
    bad = _fake_device(folder, "broken", ['{"v": 1, "id": "cut sh'])
    app = app_factory()
    context = app.context
    async with app.run_test(size=SIZE) as pilot:  # no folder set yet: no sync at start
        await pilot.press("q")
    context.store.set_sync_folder(folder)
    autosync._exchange(app, folder)  # the start's sync, ending after the app: it cannot report on Home
    folder.rename(folder.with_name("unmounted"))
    captured = printed_at_quit(app, capsys)
    assert "not synced" in captured.err
    line, advice = captured.out.splitlines()
    assert line.startswith(f"quiz: warning: {bad}:2: not JSON") and line.endswith("; skipped")
    assert "run `quiz sync --new-device` on the machine that wrote them (device broken: " in advice


async def test_the_terminal_says_quiz_is_syncing_before_the_sync_at_quit_runs(
    app_factory, folder: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After q the window is gone and the sync at quit may wait for git or the start's sync for seconds: a line
    says what quiz is doing, before it starts (the terminal stayed blank until the summary)."""
    from quiz.core import sync as sync_module

    app = app_factory()
    context = app.context
    context.store.set_sync_folder(folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("q")
    said_before: list[str] = []
    real_sync = sync_module.sync

    def spied(store: Store, where: Path) -> object:
        said_before.append(capsys.readouterr().err)
        return real_sync(store, where)

    monkeypatch.setattr(sync_module, "sync", spied)
    printed = printed_at_quit(app, capsys)
    assert said_before == [f"quiz: syncing with {folder}…\n"]
    assert printed.out.startswith("quiz: synced with")


def test_quitting_does_not_wait_for_the_start_s_sync_the_sync_at_quit_does(
    app_factory, folder: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """q while the start's sync still runs (git slow to answer): the window closes and the app returns at once;
    the sync at quit then says it syncs and waits for the start's. The app waited for it inside Textual, the
    terminal blank, before anything could be said. Run as `quiz` runs it: App.run, its own event loop."""
    from quiz.core import sync as sync_module

    release = threading.Event()
    real_exchange = sync_module.exchange

    def slow_exchange(store: Store, where: Path, host: str | None = None) -> object:
        release.wait(timeout=30)  # released by the test below; the timeout only keeps a broken app from hanging
        return real_exchange(store, where, host)

    monkeypatch.setattr(sync_module, "exchange", slow_exchange)
    app = app_factory()
    context = app.context
    context.store.set_sync_folder(folder)

    async def quit_at_once(pilot) -> None:
        await pilot.press("q")

    app.run(headless=True, size=SIZE, auto_pilot=quit_at_once)
    assert not release.is_set() and app.sync_started is not None and not app.sync_started.done()
    release.set()
    captured = printed_at_quit(app, capsys)
    assert captured.err == f"quiz: syncing with {folder}…\n"
    assert captured.out.startswith("quiz: synced with") and "received 1 from 1 other device(s)" in captured.out
    assert context.store.state("uitest", "basic") == REVIEWED  # the other device's answer, merged at quit


async def test_progress_of_a_deck_this_machine_lacks_is_said_at_quit(app_factory, tmp_path: Path, capsys) -> None:
    """The app's sync at start took another machine's answers to a deck whose file is not here: Home cannot
    show that deck, and said nothing of it; the lines after the app name it, as `quiz sync` does."""
    shared = tmp_path / "Sync"
    shared.mkdir()
    other = Store.in_folder(tmp_path / "other", clock=FixedClock(START))
    other.record_review("pharm", "anki-1", Grade.GOOD, START, 3000, Mode.REVIEW, None, REVIEWED)
    sync(other, shared, host="other")
    other.close()
    app = app_factory()
    async with synced_at_start(app, shared):
        pass  # started, synced, quit
    lines = printed_at_quit(app, capsys).out.splitlines()
    assert lines[0].startswith("quiz: synced with")
    assert lines[1].startswith(
        "quiz: note: the progress of deck 'pharm' came from your other machines, but this machine has no such deck"
    )
    assert len(lines) == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
async def test_a_deck_edited_in_the_sync_clone_and_not_committed_is_said_at_quit(
    app_factory, tmp_path: Path, capsys
) -> None:
    """The deck folder kept in the clone sync goes through (docs/sync.md, "Decks in the repository"): a deck edited
    there and not committed never reached the other machines, and the sync at quit said nothing of it."""
    clone = tmp_path / "progress"
    syncgit.clone(str(bare_repository(tmp_path / "progress.git")), clone)
    (clone / "decks").mkdir()
    (clone / "decks" / "words.yaml").write_text(
        "deck: words\ntitle: Words\ncards:\n  - id: one\n    kind: basic\n    front: a\n    back: b\n", encoding="utf-8"
    )
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "decks").symlink_to(clone / "decks")
    app = app_factory()
    async with synced_at_start(app, clone):
        pass  # started, synced, quit
    lines = printed_at_quit(app, capsys).out.splitlines()
    assert lines[0].startswith("quiz: synced with")
    assert lines[1].startswith(f"quiz: note: not committed in the git clone {clone}, which sync goes through: decks/;")


@pytest.mark.skipif(shutil.which("git") is None or os.name != "posix", reason="needs git and process groups")
def test_ctrl_c_at_quit_ends_the_git_the_start_s_sync_waits_for(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The start's sync, on its thread, still waiting for a git after the app (a commit hook, gpg, a hung ssh):
    Ctrl+C at quit reached the main thread only, and that git went on in a session of its own with the clone's
    index.lock, quiz waiting for it to end. Now it is ended with what it runs, and quiz ends, saying that nothing
    is lost (it printed ^C alone)."""
    monkeypatch.setattr(syncgit, "_STOPPED", threading.Event())  # set for the rest of the process once stopped
    remote = bare_repository(tmp_path / "progress.git")
    clone = tmp_path / "progress"
    syncgit.clone(str(remote), clone)
    hook_started = commit_hook_that_waits(clone)
    app = app_factory()
    app.context.store.set_sync_folder(clone)
    app.sync_started = autosync._THREAD.submit(autosync._exchange, app, clone)  # the start's, as the app starts it
    hooked = hook_started(app.sync_started.done)
    # Ctrl+C heard as in a terminal, also where the tests run with SIGINT ignored (nohup, a background job)
    heard = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        ctrl_c = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))  # as the quit's sync waits for the start's
        ctrl_c.start()
        with pytest.raises(KeyboardInterrupt):
            autosync.sync_at_quit(app)
        assert capsys.readouterr().err.endswith(
            "quiz: sync stopped (Ctrl+C): nothing is lost; this machine's events go with the next sync\n"
        )
        assert isinstance(app.sync_started.exception(timeout=60), KeyboardInterrupt)
        assert ended(hooked)  # the reaping of it may lag (the test failed now and then)
    finally:
        signal.signal(signal.SIGINT, heard)
        with contextlib.suppress(ProcessLookupError):  # left running by a quit that does not end it
            os.kill(hooked, signal.SIGKILL)
    assert not (clone / ".git" / "index.lock").exists()


async def test_home_s_advice_for_an_emptied_synced_folder_named_like_a_command_pastes_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run with --data-dir naming a folder called like a command quiz suggests, Home's "start it afresh: `quiz sync
    --folder '…'`" gave the "`quiz " inside the synced folder's quoted name the data folder, ending its quotes:
    pasted, it ran `quiz list`. The line names the folder as it is, and its command pastes as written."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # where `$(touch PWNED)` would make its file
    data = tmp_path / HOSTILE_FOLDER / "data"
    synced = tmp_path / "sync `quiz list` s"
    synced.mkdir()
    context = make_context(data)
    sync(context.store, synced)
    shutil.rmtree(synced / syncfiles.FOLDER)
    with commands_naming(data):  # as `quiz --data-dir DATA` runs the app
        app = QuizApp(context, seed=1)
        async with synced_at_start(app, synced):
            shown = lit_message(app.sync_line).plain  # as Home shows it
    context.close()
    assert f"the synced folder {synced} holds no quiz-progress folder" in shown
    [command] = re.findall(r"start it afresh: `(quiz .*?)`\)", shown)
    assert command == f"quiz --data-dir {shell_word(data)} sync --afresh"
    again = pasted(command)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"synced with {synced}: sent ") and not list(here.iterdir())
