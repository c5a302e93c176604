import threading

import pytest

from quiz.core import overlap


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
