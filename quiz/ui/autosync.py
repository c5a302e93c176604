"""Sync at the app's start, beside whatever the user does: the slow part (git, appending this device's events,
reading the others') on a thread with a store connection of its own; the merge, which changes card states,
on the app's thread, only while Home is the only screen (a session holds states in memory), else left to
the sync at quit (quiz/cli.py). What happened is one line on Home (`sync_line`).

The thread is this module's, not asyncio's: quitting the app does not wait for it (the terminal would stay
blank meanwhile), the sync at quit does, saying so (`Context.sync_at_quit`), and the process's exit too."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.core.store import Store, StoreError
from quiz.ui.base import QuizAppBase

if TYPE_CHECKING:  # quiz.core.sync is loaded only for a user who syncs, not at every start
    from quiz.core.sync import Exchanged, SyncReport

_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quiz-sync")


def start(app: QuizAppBase) -> None:
    """Start the sync, when a folder is set (`quiz sync --folder`); studying never waits for it."""
    folder = app.context.store.sync_folder()
    if folder is None:
        return
    app.sync_line = "Sync: syncing…"  # Home, not yet drawn, shows it
    app.sync_started = _THREAD.submit(_exchange, app, folder)
    app.run_worker(_report(app, app.sync_started), group="sync", exit_on_error=False)


def found_at_start(app: QuizAppBase) -> SyncReport | None:
    """What the start's sync found, once it is done (it may end after the app): its problems are printed then."""
    if app.sync_started is not None:
        app.sync_started.exception()  # waits; what it raised was the worker's to report
    return app.sync_report


def sync_at_quit(app: QuizAppBase) -> None:
    """The sync at quit (`Context.sync_at_quit`), which waits for the start's. Ctrl+C meanwhile reaches the main
    thread only: the start's sync, if it still runs on its thread, ends the git it waits for too (in a session of
    its own, which Ctrl+C does not reach) and runs no other, so quiz ends at once, no git left holding the clone.
    The sync at quit says what Ctrl+C stopped."""
    try:
        app.context.sync_at_quit(lambda: found_at_start(app))
    except KeyboardInterrupt:
        if app.sync_started is not None and not app.sync_started.done():
            from quiz.core.syncgit import stop

            stop()
        raise


async def _report(app: QuizAppBase, started: Future[Exchanged | str]) -> None:
    """On the app's thread when the sync's slow part is done: merge, or say why not (cancelled if the app quits)."""
    done = await asyncio.shield(asyncio.wrap_future(started))  # the app's quit cancels this wait, not the sync
    if isinstance(done, str):
        _show(app, done)
    else:
        _merge(app, done)


def _exchange(app: QuizAppBase, folder: Path) -> Exchanged | str:
    """The slow part, on the sync thread: what was exchanged, or the line that says why nothing was."""
    from quiz.core.sync import SyncError, exchange, folder_problem

    try:
        store = Store(app.context.store.path, app.context.clock)
    except StoreError as exc:
        return f"Sync failed: {exc}"
    try:
        # not there, or emptied: the whole path (the docs' `~/dotfiles/quiz` by its name alone read "quiz is not there")
        if (why := folder_problem(store, folder)) is not None:
            return f"Not synced: {why}; your answers are kept here"
        exchanged = exchange(store, folder)
    except (SyncError, StoreError, OSError) as exc:
        return f"Sync failed: {exc}"
    finally:
        store.close()
    app.sync_report = exchanged.report  # printed after the app, even if it quits before this sync reports
    return exchanged


def _merge(app: QuizAppBase, exchanged: Exchanged) -> None:
    from quiz.core.sync import APART, UNSENT, merge

    report = exchanged.report
    if len(app.screen_stack) > 1:  # a session or a screen showing states: merged by the sync at quit
        _show(app, f"Sync: {report.sent_line('change(s)')}; the other devices' changes are merged when you quit")
        return
    try:
        merge(app.context.store, exchanged)
    except StoreError as exc:
        _show(app, f"Sync failed: {exc}")
        return
    apart = APART if report.apart else ""  # its warning says why, after the app
    if report.unsent:  # its warning says why too: "sent 0" would say there was nothing to send
        apart += f", {UNSENT}"
    sent = "" if report.unsent else f"{report.sent_line('change(s)')}, "
    line = f"Synced at {app.context.clock.now().astimezone():%H:%M}{apart}: {sent}received"
    line += f" {report.received} from {report.devices} other device(s)"
    problems = report.problems()
    _show(app, line + (f"; {problems} problem(s), listed when you quit" if problems else ""))


def _show(app: QuizAppBase, line: str) -> None:
    app.sync_line = line
    refresh = getattr(app.screen, "refresh_decks", None)  # Home shows the line (and the merged counts)
    if callable(refresh):
        refresh()
