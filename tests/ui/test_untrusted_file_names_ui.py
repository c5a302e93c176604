"""File names are untrusted text in the app too: the home screen's problems (a duplicate deck id names its
hostile owner, a broken deck its own name), the deck folder line, notifications and the title bars show them
with every control character as the placeholder, each on one line, never as markup; and in a real terminal
none of their sequences (clipboard, window title, clear screen, bell) is sent. Deck files: tests/untrusted.py.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from conftest import make_app, screen_rows
from textual.widgets import Static

from quiz.core.text import PLACEHOLDER
from quiz.ui.screens.exam import ExamSetupScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.stats import StatsScreen
from quiz.ui.screens.summary import SummaryScreen
from tests.untrusted import SEQUENCES, SHOWN_TITLE, TITLE, HostileDecks, unsafe_in, write_hostile_decks

ROOT = Path(__file__).resolve().parents[2]
SIZE = (260, 40)  # wide enough for a temporary folder's path and a problem on one row
TWO_LINES = f"Two{PLACEHOLDER}lines{PLACEHOLDER}and a tab"  # the title "Two\nlines\tand a tab" on one line


@pytest.fixture
def decks(tmp_path: Path) -> HostileDecks:
    return write_hostile_decks(tmp_path / "decks")


def assert_printable_screen(app) -> list[str]:
    """No control character anywhere on the screen (toasts included); returns its rows."""
    assert unsafe_in(app.export_screenshot()) == []
    return screen_rows(app)


def row_with(rows: list[str], text: str) -> str:
    found = [row for row in rows if text in row]
    assert len(found) == 1, (text, rows)
    return found[0]


async def test_home_problems_folder_and_titles_show_names_inertly(decks: HostileDecks, tmp_path: Path, clock) -> None:
    app = make_app(tmp_path / f"data{TITLE}", clock, [decks.folder])
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            rows = assert_printable_screen(app)
            notes = app.screen.query_one("#home-notes", Static).render()
            assert unsafe_in(str(notes)) == []
            owner = f"a-clip{PLACEHOLDER}]52;c;aGk={PLACEHOLDER}.yaml, loaded first"
            assert sum(owner in row for row in rows) == 2  # each duplicate names the hostile owner
            assert "deck id 'dup' is already used by" in row_with(rows, f"c-title{SHOWN_TITLE}.yaml, line")
            assert "YAML syntax error" in row_with(rows, f"d-wipe{PLACEHOLDER}[2Jwiped.yaml, line")
            assert "missing deck field 'title'" in row_with(rows, f"h-broken{PLACEHOLDER}line.yaml, line 1, column 1:")
            assert row_with(rows, "Your decks: ").endswith(f"data{SHOWN_TITLE}/decks  (r reloads)")
            assert row_with(rows, TWO_LINES)  # a title's line break does not break the deck list's row

            await pilot.press("r")
            await pilot.pause()
            assert_printable_screen(app)
            assert any("4 with problems" in toast.render().plain for toast in app.screen.query("Toast"))
    finally:
        app.context.close()


async def test_title_bars_show_a_title_on_one_line(decks: HostileDecks, tmp_path: Path, clock) -> None:
    app = make_app(tmp_path / "data", clock, [decks.folder])
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press("down", "down", "down", "e")  # the deck titled "Two\nlines\tand a tab"
            await pilot.pause()
            assert isinstance(app.screen, ExamSetupScreen)
            assert assert_printable_screen(app)[0].strip() == f"Exam · {TWO_LINES}"
            await pilot.press("escape", "enter")
            await pilot.pause()
            assert_printable_screen(app)
            await pilot.press("space", "4")  # the deck's one card, graded Easy: the session ends
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            assert assert_printable_screen(app)[0].strip() == f"Session finished · {TWO_LINES}"
            await pilot.press("escape", "s")
            await pilot.pause()
            assert isinstance(app.screen, StatsScreen)
            assert_printable_screen(app)
    finally:
        app.context.close()


def test_the_app_in_a_real_terminal_sends_none_of_the_names_sequences(decks: HostileDecks, tmp_path: Path) -> None:
    """Run as a user runs it, in a pseudo-terminal: the home screen lists the problems, q quits."""
    columns, lines = SIZE
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "QUIZ_", "COLUMNS", "LINES"))}
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / f"data{TITLE}"), "--deck", decks.folder],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color", "TZ": "UTC"},
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    screen = bytearray()
    deadline = time.monotonic() + 120  # a safety net for a hung child, not a measurement
    quit_sent = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
            elif child.poll() is not None:
                break
            if not quit_sent and b"could not be loaded" in screen and b"(r reloads)" in screen:
                os.write(master, b"q")
                quit_sent = True
        assert child.wait(timeout=30) == 0, bytes(screen[-2000:])
    finally:
        if child.poll() is None:
            child.kill()
        os.close(master)
    text = bytes(screen).decode("utf-8", "surrogateescape")
    assert quit_sent, text[-2000:]
    assert "Traceback" not in text
    assert f"c-title{SHOWN_TITLE}.yaml" in text  # the names were drawn, inertly ...
    for sequence in SEQUENCES:  # ... and none of their sequences reached the terminal
        assert sequence not in text, repr(sequence)
    assert "\x07" not in re.sub("\x1b\\]22;[a-z-]*\x07", "", text)  # BEL only ends Textual's own pointer-shape OSC
    assert not [c for c in text if "\x80" <= c <= "\x9f" or "\udc80" <= c <= "\udcff"]  # no C1, no stray byte
