"""Key -> last byte of the frame that answers it, in a real pseudo-terminal: quiz's study screen against a
bare Textual app (benchmarks/bare_keys.py) that updates one Static on the same keys.

Each program runs in a pseudo-terminal (100x30, TERM=xterm-256color), so Textual's real Linux driver turns
every frame into escape sequences and writes them to a tty, as for a user. This process plays the terminal:
it reads everything the program writes, and answers Textual's question whether the terminal supports
synchronized output (mode 2026, as kitty, WezTerm, iTerm2, foot and Windows Terminal do), so every frame
arrives between `ESC[?2026h` and `ESC[?2026l`. A key's bytes are written to the terminal, then the
output is read until it has been quiet for QUIET seconds; the key's time runs from the write to the last
byte read before that (the quiet window itself is not counted), and the frames it took are counted.

quiz: `python main.py --data-dir D --deck basic-10000.yaml` (10,000 basic cards, new-card limit above
the answers, the real clock); the home screen's End then Enter opens the deck's study screen. Per card:
Space (reveal: the answer and the grade bar) and a grade key from a fixed sequence (next card). At the
end the store must hold one review per grade key: every review was committed.
bare: the same keys, one Static updated per key.

    python benchmarks/ptykeys.py quiz|bare WORKDIR CARDS -> one JSON line
    BENCH_QUIET=1 BENCH_PREFIX="-m pyinstrument -o prof.html -r html" python benchmarks/ptykeys.py quiz /tmp/k 200
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.answer import grades  # noqa: E402
from benchmarks.gendecks import basic_deck  # noqa: E402

COLUMNS, ROWS = 100, 30
QUIET = float(os.environ.get("BENCH_QUIET", "0.15"))  # seconds without output: the key's answer is complete
TIMEOUT = 60.0
SYNC_QUERY = b"\x1b[?2026$p"  # Textual asks whether synchronized output is supported
SYNC_REPLY = b"\x1b[?2026;2$y"  # supported, currently off
SYNC_END = b"\x1b[?2026l"
SPACE, END, ENTER, CTRL_Q = b" ", b"\x1b[F", b"\r", b"\x11"


_CONTROL = re.compile(rb"\x1b\[([0-9;?]*)([A-Za-z])|\x1b\[[^A-Za-z]*[A-Za-z$]|\x1b[^\[]|\r|\n")


class Screen:
    """What a terminal shows, cell by cell, as far as Textual's frames need: cursor moves (`CSI row;col H`,
    carriage return, line feed), colours and styles (`CSI ... m`, kept as written) and text; other
    sequences change nothing visible here. Two screens are equal when every cell shows the same."""

    def __init__(self) -> None:
        from rich.cells import cell_len

        self.cell_len = cell_len
        self.cells: dict[tuple[int, int], tuple[bytes, str]] = {}
        self.row = self.column = 0
        self.style = b""

    def feed(self, data: bytes) -> None:
        at = 0
        for found in _CONTROL.finditer(data):
            self._text(data[at : found.start()])
            at = found.end()
            sequence = found.group(0)
            if sequence == b"\r":
                self.column = 0
            elif sequence == b"\n":
                self.row += 1
            elif found.group(2) == b"H":
                row, _, column = found.group(1).partition(b";")
                self.row, self.column = int(row or 1) - 1, int(column or 1) - 1
            elif found.group(2) == b"m":
                self.style = b"" if found.group(1) in (b"", b"0") else self.style + sequence
        self._text(data[at:])

    def _text(self, data: bytes) -> None:
        for char in data.decode(errors="replace"):
            self.cells[(self.row, self.column)] = (self.style, char)
            self.column += max(1, self.cell_len(char))

    def snapshot(self) -> dict[tuple[int, int], tuple[bytes, str]]:
        return dict(self.cells)


class Terminal:
    """A program in a pseudo-terminal, and what it wrote."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.child = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
        )
        os.close(slave)
        self.screen = bytearray()  # everything written, for error messages
        self.shown = Screen()
        self.pending = b""  # the frame being received
        self.frames: list[tuple[float, dict]] = []  # (when its last byte came, the screen after it)

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the program has gone
            chunk = b""
        if not chunk:
            raise RuntimeError(f"the program ended: {bytes(self.screen[-2000:]).decode(errors='replace')}")
        if SYNC_QUERY in chunk:
            os.write(self.master, SYNC_REPLY)
        self.screen += chunk
        now = time.perf_counter()
        *complete, self.pending = (self.pending + chunk).split(SYNC_END)
        for frame in complete:
            self.shown.feed(frame)
            self.frames.append((now, self.shown.snapshot()))
        return chunk

    def settle(self, quiet: float = QUIET) -> tuple[float, int]:
        """Wait for a frame, then read until nothing came for `quiet` seconds: (time of the last byte,
        bytes read). `frames` lists the frames read."""
        last, size = 0.0, 0
        deadline = time.perf_counter() + TIMEOUT
        while (chunk := self._read(quiet)) or not self.frames:
            last = time.perf_counter()
            size += len(chunk)
            if last > deadline:
                raise RuntimeError(
                    f"no frame, or no end of frames: {bytes(self.screen[-1500:]).decode(errors='replace')}"
                )
        return last, size

    def press(self, key: bytes, quiet: float = QUIET) -> dict[str, float]:
        """Milliseconds from writing `key` to the last byte of the frame that answered it: the last frame
        that changed the screen (a frame repainting what is already shown changes nothing a user sees)."""
        self.frames.clear()
        start = time.perf_counter()
        os.write(self.master, key)
        last, size = self.settle(quiet)
        answered, final = self.frames[-1]
        for when, shown in reversed(self.frames):  # back to the frame that made the screen what it is now
            if shown != final:
                break
            answered = when
        return {
            "ms": (answered - start) * 1000,
            "settled_ms": (last - start) * 1000,
            "frames": len(self.frames),
            "bytes": size,
        }

    def close(self) -> None:
        os.write(self.master, CTRL_Q)
        try:
            while self.child.poll() is None:
                self._read(0.1)
        except RuntimeError:
            pass  # the program ended while it was being read
        self.child.wait(TIMEOUT)

    def cpu_seconds(self) -> float:
        """CPU time the program has used so far (user + system), less sensitive to a busy machine than
        wall time."""
        fields = Path(f"/proc/{self.child.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """After an error too: the program must not outlive the benchmark."""
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        os.close(self.master)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "QUIZ_", "PYTHON"))}
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


def _prepare_quiz(data_dir: Path, deck: Path) -> None:
    from quiz.context import Context

    context = Context.from_options(str(data_dir), [str(deck)])
    try:
        store = context.store
        store.save_settings(replace(store.settings(), new_per_day=9999, reviews_per_day=99999))
    finally:
        context.close()


def _reviews(data_dir: Path, deck: Path) -> int:
    from quiz.context import Context

    context = Context.from_options(str(data_dir), [str(deck)])
    try:
        return context.store.review_count()
    finally:
        context.close()


def drive(program: str, workdir: Path, cards: int) -> dict:
    prefix = os.environ.get("BENCH_PREFIX", "").split()  # e.g. a profiler
    deck = basic_deck(10_000)
    if program == "quiz":
        shutil.rmtree(workdir, ignore_errors=True)
        _prepare_quiz(workdir, deck)
        argv = [sys.executable, *prefix, "main.py", "--data-dir", str(workdir), "--deck", str(deck)]
    else:
        argv = [sys.executable, *prefix, str(HERE / "bare_keys.py")]
    terminal = Terminal(argv, _env())
    reveal: list[dict] = []
    grade: list[dict] = []
    try:
        terminal.settle(1.0)  # the first frame, and whatever follows it
        if program == "quiz":
            terminal.press(END, 2.0)  # the last deck on the home screen: the benchmark's
            terminal.press(ENTER, 2.0)  # its study screen
        cpu = terminal.cpu_seconds()
        for key in grades(cards):
            reveal.append(terminal.press(SPACE))
            grade.append(terminal.press(str(key).encode()))
        cpu = terminal.cpu_seconds() - cpu
        terminal.close()
    finally:
        terminal.kill()
    if program == "quiz":
        reviews = _reviews(workdir, deck)
        assert reviews == cards, f"{reviews} reviews recorded for {cards} grade keys"
    return {
        "program": program,
        "cards": cards,
        "cpu_ms_per_key": cpu * 1000 / (2 * cards),
        **{
            f"{name}_{field}": [r[field] for r in keys]
            for name, keys in (("reveal", reveal), ("grade", grade))
            for field in ("ms", "settled_ms", "frames", "bytes")
        },
    }


if __name__ == "__main__":
    print(json.dumps(drive(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 60)))
