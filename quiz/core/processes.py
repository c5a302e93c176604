"""Whether a process runs, as the system tells it: the holder a lock file names, the writer a temporary file's name
holds. Signal 0 tells whether a pid names a process at all; where Linux's /proc is there, it also tells a zombie
(ended, not yet waited for by its parent) and when the machine last started."""

from __future__ import annotations

import os

# A process number is a C int: a larger one names no process (asking the system about it raises OverflowError).
LARGEST_PID = 2**31 - 1
# A file last changed more than this before the machine started was written by no process running now. A writer's
# own start is not compared: the file's time may be another clock's (a network disk's server), or the clock set
# forward since (NTP, a laptop woken), and a running writer's file must never pass for a leftover; so a pid given
# to a later process since the start keeps its leftover until that process ends.
_CLOCK_SLACK = 600.0


def running(pid: int, written: float | None = None) -> bool | None:
    """Whether process `pid` runs; None when the system cannot be asked (Windows, where signal 0 would end it). A
    zombie does not; with `written` (the time a file was last changed, from its stat), neither does one when the
    file is older than the machine's start: the file's writer ended, and its pid was given to another process since."""
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
    state = _state(pid)
    if state is None:  # not Linux, or /proc hidden: signal 0 is all there is to tell
        return True
    if state == "Z":
        return False
    booted = _booted() if written is not None else None
    return written is None or booted is None or written + _CLOCK_SLACK >= booted


def _state(pid: int) -> str | None:
    """The process's state ('Z': a zombie), the first field of /proc/PID/stat after the command's name (which may
    hold spaces and ')')."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as source:
            fields = source.read().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[0] if fields else None


def _booted() -> float | None:
    """When the machine last started, as a time.time() (Linux's /proc/stat, by the clock as it is now)."""
    try:
        with open("/proc/stat", encoding="ascii") as source:
            return next(float(line.split()[1]) for line in source if line.startswith("btime "))
    except (OSError, StopIteration, IndexError, ValueError):
        return None
