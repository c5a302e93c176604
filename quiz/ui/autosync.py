"""Sync at the app's start, beside whatever the user does: the slow part (git, appending this device's events,
reading the others') on a thread with a store connection of its own; the merge, which changes card states,
on the app's thread, only while Home is the only screen (a session holds states in memory), else left to
the sync at quit (quiz/cli.py). What happened is one line on Home (`sync_line`)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.core.store import Store, StoreError
from quiz.ui.base import QuizAppBase

if TYPE_CHECKING:  # quiz.core.sync is loaded only for a user who syncs, not at every start
    from quiz.core.sync import Exchanged


def start(app: QuizAppBase) -> None:
    """Start the sync, when a folder is set (`quiz sync --folder`); studying never waits for it."""
    folder = app.context.store.sync_folder()
    if folder is None:
        return
    app.sync_line = "Sync: syncing…"  # Home, not yet drawn, shows it
    app.run_worker(partial(_exchange, app, folder), thread=True, group="sync", exit_on_error=False)


def _exchange(app: QuizAppBase, folder: Path) -> None:
    from quiz.core.sync import SyncError, exchange

    if not folder.is_dir():
        _tell(app, f"Not synced: {folder.name} is not there (offline?); your answers are kept here")
        return
    try:
        store = Store(app.context.store.path, app.context.clock)
    except StoreError as exc:
        _tell(app, f"Sync failed: {exc}")
        return
    try:
        exchanged = exchange(store, folder)
    except (SyncError, StoreError, OSError) as exc:
        _tell(app, f"Sync failed: {exc}")
        return
    finally:
        store.close()
    app.sync_report = exchanged.report  # printed after the app, even if it quits before this sync reports
    try:
        app.call_from_thread(_merge, app, exchanged)
    except RuntimeError:  # the app quit meanwhile: the sync at quit merges
        return


def _tell(app: QuizAppBase, line: str) -> None:
    try:
        app.call_from_thread(_show, app, line)
    except RuntimeError:  # the app quit meanwhile
        pass


def _merge(app: QuizAppBase, exchanged: Exchanged) -> None:
    from quiz.core.sync import merge

    report = exchanged.report
    if len(app.screen_stack) > 1:  # a session or a screen showing states: merged by the sync at quit
        _show(app, f"Sync: sent {report.sent}; the other devices' changes are merged when you quit")
        return
    try:
        merge(app.context.store, exchanged)
    except StoreError as exc:
        _show(app, f"Sync failed: {exc}")
        return
    apart = ", not with the remote" if report.apart else ""  # its warning says why, after the app
    line = f"Synced at {app.context.clock.now().astimezone():%H:%M}{apart}: sent {report.sent} change(s), received"
    line += f" {report.received} from {report.devices} other device(s)"
    problems = report.problems()
    _show(app, line + (f"; {problems} problem(s), listed when you quit" if problems else ""))


def _show(app: QuizAppBase, line: str) -> None:
    app.sync_line = line
    refresh = getattr(app.screen, "refresh_decks", None)  # Home shows the line (and the merged counts)
    if callable(refresh):
        refresh()
