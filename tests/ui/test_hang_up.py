"""The terminal hanging up (an SSH connection dropping from a phone): SIGHUP reaches the app."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from conftest import open_exam_setup, open_study, right_keys, start_exam
from textual import events

from quiz.core.lockholder import held_by_another_process
from quiz.core.model import Grade

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on Windows")


@pytest.fixture
def hang_up_ignored_unless_taken():
    """SIGHUP ignored unless the app takes it: without it, the signal would end the test run, not fail the test."""
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    yield
    signal.signal(signal.SIGHUP, previous)


async def test_a_hang_up_right_after_a_grade_key_records_the_grade_then_leaves(
    app_factory, hang_up_ignored_unless_taken
) -> None:
    """Python's default for SIGHUP ended the process at once: a grade key read just before was never recorded."""
    app = app_factory()
    async with app.run_test(size=(50, 20)) as pilot:
        study = await open_study(pilot)
        card = study.session.current
        await pilot.press("space")
        await pilot.pause()
        app.post_message(events.Key("3", "3"))  # read from the terminal, not handled yet
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(50):  # the signal, the key, then the exit, each a turn of the event loop or a few
            if app.return_code is not None:
                break
            await pilot.pause()
        assert app.return_code == 128 + signal.SIGHUP
    reviews = app.context.store.reviews()
    assert [(review.card_key, review.grade) for review in reviews] == [(card.key, Grade.GOOD)]


async def test_a_hang_up_right_after_an_exam_answer_is_entered_records_the_answer(
    app_factory, hang_up_ignored_unless_taken, no_color
) -> None:
    """Enter in an exam's typed answer is handled in steps, each posting the next behind the exit's first pass (the
    input's Submitted, then the answer's, which the screen records): the app left before the answer was saved."""
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "8")
        while run.exam.current is not None and run.exam.current.kind != "typed":
            await pilot.press(*right_keys(run))
            await pilot.pause()
        card = run.exam.current
        assert card is not None
        await pilot.press("2", "0", "1", "9")  # the deck's right answer
        await pilot.pause()
        app.post_message(events.Key("enter", None))  # read from the terminal, not handled yet
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(50):
            if app.return_code is not None:
                break
            await pilot.pause()
        assert app.return_code == 128 + signal.SIGHUP
    assert [review.grade for review in store.reviews(card.deck_id, card.key)] == [Grade.GOOD]


ROOT = Path(__file__).resolve().parents[2]


class Terminal:
    """The app run as a user runs it, in a pseudo-terminal 50x20 (a phone's, over SSH)."""

    def __init__(self, data_dir: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 20, 50, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "QUIZ_", "COLUMNS", "LINES"))}
        self.child = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color"},
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = bytearray()

    def wait_for(self, text: bytes) -> None:
        deadline = time.monotonic() + 120  # a safety net for a hung child, not a measurement
        while text not in self.screen and time.monotonic() < deadline and self.child.poll() is None:
            if select.select([self.master], [], [], 0.1)[0]:
                self.screen += os.read(self.master, 65536)
        assert text in self.screen, bytes(self.screen[-2000:])

    def press(self, key: bytes, then: bytes) -> None:
        self.screen.clear()
        os.write(self.master, key)
        self.wait_for(then)

    def hang_up(self) -> None:
        """What the kernel does when the terminal goes (sshd closing it): gone, then SIGHUP and SIGCONT."""
        os.close(self.master)
        self.child.send_signal(signal.SIGHUP)
        self.child.send_signal(signal.SIGCONT)


@pytest.mark.parametrize("saved_first", [True, False], ids=["after-the-grade-is-saved", "right-after-the-grade-key"])
def test_the_terminal_going_ends_the_app_and_leaves_no_lock(tmp_path: Path, saved_first: bool) -> None:
    """On SIGCONT (a hang-up's second signal) Textual took the terminal back and wrote to it: gone, it could block
    for ever (seen in 1 of 3 hang-ups right after a grade key), the app alive with its lock held, and the next start
    was refused ("quiz is already open"). A grade saved before is kept."""
    data = tmp_path / "data"
    terminal = Terminal(data)
    try:
        terminal.wait_for(b"(r reloads)")
        terminal.press(b"\r", b"Show answer")
        terminal.press(b" ", b"Again")
        if saved_first:
            terminal.press(b"3", b"Saved")
        else:
            os.write(terminal.master, b"3")  # whether it is read before the hang-up is the kernel's to say
        terminal.hang_up()
        assert terminal.child.wait(timeout=60) == 128 + signal.SIGHUP
    finally:
        if terminal.child.poll() is None:
            terminal.child.kill()
    assert not held_by_another_process(data)
    with sqlite3.connect(data / "quiz.sqlite3") as db:
        answers = db.execute("select count(*) from review_log").fetchone()[0]
    assert answers == 1 if saved_first else answers in (0, 1)
