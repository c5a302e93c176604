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
        # a job, the box its result goes in, and a lock held until it has ended (cheaper to wait on than an Event)
        self._jobs: SimpleQueue[tuple[_Job, list[object], threading.Lock]] = SimpleQueue()
        self._busy = threading.Lock()  # held from a job's hand-over until the helper has ended it
        self._thread: threading.Thread | None = None

    def _serve(self) -> None:
        while True:
            job, box, done = self._jobs.get()
            try:
                box.append(job())
            except BaseException:  # the work is only a head start: the caller does it again when it is missing
                pass
            finally:
                self._busy.release()  # free for the next caller once this job has ended, before its caller goes on
                done.release()

    def _started(self) -> bool:
        if self._thread is not None and self._thread.is_alive():
            return True
        thread = threading.Thread(target=self._serve, name="quiz-overlap", daemon=True)
        try:
            thread.start()
        except RuntimeError:  # no thread to be had (a limit, or shutdown): no head start
            return False
        self._thread = thread
        return True

    def during(self, wait: Callable[[], object], job: Callable[[], T]) -> T | None:
        """Run `wait` on this thread and `job` on the helper, at the same time; return `job`'s result (None when
        it raised) once both have ended. An exception from `wait` is raised after the job has ended, so the
        caller never runs beside its own job. With the helper busy or no thread to be had, `job` runs here after
        `wait`."""
        if not self._busy.acquire(blocking=False):
            wait()
            return _quietly(job)
        if not self._started():
            self._busy.release()
            wait()
            return _quietly(job)
        box: list[object] = []
        done = threading.Lock()
        done.acquire()
        self._jobs.put((job, box, done))
        try:
            wait()
        finally:
            done.acquire()  # interrupted here, the result stays in its own box and the helper busy until it ends
        return box[0] if box else None  # type: ignore[return-value]


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


if hasattr(os, "register_at_fork"):  # Unix only
    os.register_at_fork(after_in_child=_forget_helper)
