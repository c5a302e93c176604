"""Work done while this thread waits on the disk.

A synchronous commit spends most of its time in the disk's sync, and sqlite3 releases the interpreter's lock
while it runs: a helper thread can compute meanwhile what the caller needs next (the session: the next card's
outcomes for its grade bar). One helper thread for the process, started when first needed; a second caller
while it is busy runs its work after its wait, as if there were no helper.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import TypeVar

T = TypeVar("T")

_Job = Callable[[], object]


class _Helper:
    def __init__(self) -> None:
        self._jobs: SimpleQueue[_Job] = SimpleQueue()
        self._results: SimpleQueue[object] = SimpleQueue()
        self._busy = threading.Lock()
        self._thread: threading.Thread | None = None

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                result = job()
            except Exception:  # the work is only a head start: the caller does it again when it is missing
                result = None
            self._results.put(result)

    def during(self, wait: Callable[[], object], job: Callable[[], T]) -> T | None:
        """Run `wait` on this thread and `job` on the helper, at the same time; return `job`'s result (None when
        it raised) once both have ended. An exception from `wait` is raised after the job has ended, so the
        caller never runs beside its own job."""
        if not self._busy.acquire(blocking=False):
            wait()
            return _quietly(job)
        try:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="quiz-overlap", daemon=True)
                self._thread.start()
            self._jobs.put(job)
            try:
                wait()
            finally:
                result = self._results.get()
            return result  # type: ignore[return-value]  # what `job` returned
        finally:
            self._busy.release()


def _quietly(job: Callable[[], T]) -> T | None:
    try:
        return job()
    except Exception:
        return None


_helper = _Helper()


def during(wait: Callable[[], object], job: Callable[[], T]) -> T | None:
    return _helper.during(wait, job)


def _forget_helper() -> None:
    """A forked child has no helper thread (only the thread that forked is copied): it starts its own."""
    global _helper
    _helper = _Helper()


os.register_at_fork(after_in_child=_forget_helper)
