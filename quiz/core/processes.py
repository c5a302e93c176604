"""Whether a process runs, as the system tells it: the holder a lock file names, the writer a temporary file's name
holds. Signal 0 tells whether a pid names a process at all; where Linux's /proc is there, it also tells a zombie
(ended, not yet waited for by its parent) and when the process started."""

from __future__ import annotations

import os

# A process number is a C int: a larger one names no process (asking the system about it raises OverflowError).
LARGEST_PID = 2**31 - 1
# A process with a file's writer's pid that started more than this after the file last changed is another process:
# the slack keeps a clock set forward meanwhile (by NTP, a laptop woken) from making a running writer's file a leftover.
_CLOCK_SLACK = 600.0


def running(pid: int, written: float | None = None) -> bool | None:
    """Whether process `pid` runs; None when the system cannot be asked (Windows, where signal 0 would end it). A
    zombie does not; with `written` (the time a file was last changed, from its stat), neither does a process started
    after it: the file's writer ended, and its pid was given to another process since."""
    if os.name == "nt":
        return None
    if not 0 < pid <= LARGEST_PID:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (PermissionError): there
        pass
    fields = _stat(pid)
    if fields is None:  # not Linux, or /proc hidden: signal 0 is all there is to tell
        return True
    if fields[0] == "Z":
        return False
    started = _started(fields)
    return written is None or started is None or started <= written + _CLOCK_SLACK


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name (which may hold spaces and ')'): its state first."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as source:
            return source.read().rpartition(")")[2].split()
    except OSError:
        return None


def _started(fields: list[str]) -> float | None:
    """When the process started, as a time.time(): its start in clock ticks after the boot (the 22nd field of its stat,
    the 20th after the name), plus the boot's time in /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as source:
            boot = next(int(line.split()[1]) for line in source if line.startswith("btime "))
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, IndexError, ValueError):
        return None
