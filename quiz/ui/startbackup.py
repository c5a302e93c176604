"""The backup due as the app starts (Context.start_app says whether one is), taken once Home is drawn: a copy and a
check of the whole store, seconds for a big one, that kept the terminal blank before the first frame. It runs on a
Textual thread worker through a store connection of its own (Context.back_up_at_start); answers given meanwhile are
saved as ever, through the app's. Home shows one line while it runs and what came of it (`backup_line`).

Quitting stops it: the app's unmount sets `stop`, which the copy and its check look at within moments, deleting the
unfinished copy (named so that no restore lists it); Textual waits for the thread as the app ends."""

from __future__ import annotations

from functools import partial
from threading import Event

from textual.worker import Worker, WorkerState

from quiz.core.backupfolder import Backup
from quiz.ui.base import QuizAppBase

WORKER_NAME = "start-backup"
RUNNING = "Backup: backing up your progress… (study meanwhile: every answer is saved)"


def start(app: QuizAppBase, stop: Event) -> None:
    """Start the backup start_app found due; `stop` set ends it."""
    if not app.context.backup_due_at_start:
        return
    app.backup_line = RUNNING  # Home, not yet drawn, shows it
    work = partial(app.context.back_up_at_start, stop)
    app.run_worker(work, name=WORKER_NAME, group=WORKER_NAME, thread=True, exit_on_error=False)


def finished(app: QuizAppBase, event: Worker.StateChanged) -> None:
    """On the app's thread as the worker ends: Home's line says what came of it."""
    if event.worker.name != WORKER_NAME or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
        return
    app.context.store.fold_lost_log()  # what the backup's read held back, if the log was deleted meanwhile
    made = event.worker.result if event.state == WorkerState.SUCCESS else None
    app.backup_line = _outcome(app, made if isinstance(made, Backup) else None, event.worker.error)
    show = getattr(app.screen, "show_notes", None)  # Home shows the line; another screen, once Home is back
    if callable(show):
        show()


def _outcome(app: QuizAppBase, made: Backup | None, error: BaseException | None) -> str:
    if error is not None:  # back_up_at_start catches every failure: this would be a fault of quiz's
        return f"Backup failed: {error}"
    if app.context.backup_failure:
        return f"Backup failed: {app.context.backup_failure}"
    if made is None:  # none was due after all (another quiz backed up meanwhile, or is backing up), or stopped
        return ""
    held = "" if made.reviews is None else f", {made.reviews} answers in it"
    return f"Backed up at {made.taken_at.astimezone():%H:%M}{held}"
