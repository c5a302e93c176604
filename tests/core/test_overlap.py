import threading
import time

import pytest

from quiz.core import overlap


@pytest.fixture(autouse=True)
def own_helper(monkeypatch) -> None:
    """Each test its own helper thread, not busy with another test's job."""
    monkeypatch.setattr(overlap, "_helper", overlap._Helper())


def test_the_job_runs_on_another_thread_while_the_wait_runs() -> None:
    """The wait cannot end until the job has started: run one after the other, this would time out."""
    started = threading.Event()
    seen: list[str] = []

    def job() -> str:
        seen.append(threading.current_thread().name)
        started.set()
        return "ahead"

    def wait() -> None:
        assert started.wait(timeout=10), "the job did not run beside the wait"

    assert overlap.during(wait, job) == "ahead"
    assert seen and seen[0] != threading.current_thread().name


def test_a_failing_job_gives_none_and_the_wait_is_unharmed() -> None:
    waited: list[bool] = []

    def job() -> None:
        raise ValueError("no head start")

    assert overlap.during(lambda: waited.append(True), job) is None
    assert waited == [True]
    assert overlap.during(lambda: None, lambda: 2) == 2  # the helper still serves


def test_a_failing_wait_is_raised_only_once_the_job_has_ended() -> None:
    """The caller handles its failure (a rollback) without its job still running beside it."""
    release, ended = threading.Event(), threading.Event()

    def job() -> None:
        release.wait(timeout=10)
        ended.set()

    def wait() -> None:
        release.set()
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        overlap.during(wait, job)
    assert ended.is_set()


def test_a_second_caller_while_the_helper_is_busy_runs_its_job_after_its_wait() -> None:
    order: list[str] = []

    def inner() -> None:
        order.append(f"inner job on {threading.current_thread().name}")

    def wait() -> None:
        overlap.during(lambda: order.append("inner wait"), inner)

    overlap.during(wait, lambda: None)
    assert order == ["inner wait", f"inner job on {threading.current_thread().name}"]


def test_an_interrupted_caller_leaves_the_next_call_its_own_result() -> None:
    """Ctrl+C lands while the caller waits for its job (the commit done): the next call gets its own job's result,
    once that job has ended, not the interrupted one's."""
    signal = pytest.importorskip("signal")
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer to interrupt with")

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with pytest.raises(KeyboardInterrupt):
            overlap.during(lambda: None, lambda: time.sleep(0.5) or "first")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    time.sleep(0.6)  # the interrupted job ends meanwhile
    ended = threading.Event()

    def second() -> str:
        time.sleep(0.2)
        ended.set()
        return threading.current_thread().name

    assert overlap.during(lambda: None, second) == "quiz-overlap" and ended.is_set()


def test_a_job_ending_the_thread_abruptly_neither_hangs_the_caller_nor_the_next(monkeypatch) -> None:
    def exits() -> None:
        raise SystemExit(0)  # a sys.exit reached through a callback

    assert overlap.during(lambda: None, exits) is None
    assert overlap.during(lambda: None, lambda: "next") == "next"


def test_without_a_thread_to_be_had_the_wait_runs_and_then_the_job(monkeypatch) -> None:
    """A process limit on threads: the commit still runs, and the job after it, on this thread; the next call,
    with threads to be had again, uses the helper."""
    real_start = threading.Thread.start

    def refused(self) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    order: list[str] = []
    result = overlap.during(lambda: order.append("wait"), lambda: order.append(threading.current_thread().name))
    assert result is None and order == ["wait", threading.current_thread().name]
    monkeypatch.setattr(threading.Thread, "start", real_start)
    assert overlap.during(lambda: None, lambda: threading.current_thread().name) == "quiz-overlap"
