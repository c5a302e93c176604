"""How a long command that builds big buffers one after another gives their memory back to the system."""

from __future__ import annotations

import sys


def freed_memory_given_back() -> bool:
    """Give the system back the C heap's free pages, where a big buffer freed in its middle left them: glibc
    raises its threshold for giving a buffer pages of its own to the size of each such buffer freed (up to
    32 MiB), so after an Anki package's 21 MB a deck's and a record's texts come from the heap, and Python's
    small objects (kept in arenas of their own) never reuse the pages they leave. Whether it was done: False on
    another C library or system, where nothing is done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes  # a Python built without it (no libffi) gives nothing back

        malloc_trim = ctypes.CDLL(None).malloc_trim
    except (ImportError, AttributeError, OSError):  # no ctypes, not glibc's (musl), or no C library to open
        return False
    malloc_trim(0)
    return True
