"""Process start -> first frame painted, measured in a pseudo-terminal (see firstpaint.py)."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LAUNCHER = HERE / "firstpaint.py"
COLUMNS, ROWS = 120, 40
TIMEOUT = 300.0


def _clean_env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "QUIZ_", "PYTHON"))}
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor"})  # bytecode is cached, as for a user
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env.update(extra or {})
    return env


def first_paint(
    script: Path, args: list[str] = (), env: dict[str, str] | None = None, prefix: list[str] = ()
) -> dict[str, float]:
    """Seconds from spawning `python script args` to its first painted frame, plus its peak RSS."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "paint.txt"
        start = time.monotonic()
        child = subprocess.Popen(  # Textual draws on stderr: every stream goes to the terminal
            [sys.executable, *prefix, str(LAUNCHER), str(out), str(script), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=_clean_env(env),
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        screen = bytearray()
        deadline = start + TIMEOUT
        while True:  # drain the terminal, as a terminal emulator would
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                screen += chunk
            elif child.poll() is not None:
                break
            if time.monotonic() > deadline:
                child.kill()
                raise RuntimeError(f"{script} did not paint within {TIMEOUT:.0f} s")
        child.wait()
        os.close(master)
        values: dict[str, float] = {}
        text = out.read_text() if out.exists() else ""
        for line in text.split():
            key, _, value = line.partition("=")
            try:
                values[key] = float(value)
            except ValueError:
                values[key] = value  # type: ignore[assignment]
        if "painted" not in values:
            raise RuntimeError(
                f"{script} {' '.join(args)} exited ({child.returncode}) before painting:\n"
                f"{bytes(screen[-3000:]).decode(errors='replace')}"
            )
        values["seconds"] = values.pop("painted") - start
        values["terminal_bytes"] = len(screen)
        return values


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "bare_app.py"
    prefix = os.environ.get("BENCH_PREFIX", "").split()  # e.g. "-m pyinstrument -o prof.html -r html"
    home = {"QUIZ_HOME": os.environ["QUIZ_HOME"]} if "QUIZ_HOME" in os.environ else None
    for _ in range(int(os.environ.get("BENCH_REPEAT", "3"))):
        print(first_paint(target, sys.argv[2:], env=home, prefix=prefix))
