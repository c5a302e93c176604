"""How a long command that builds big buffers one after another gives their memory back to the system."""

from __future__ import annotations

import sys

#: glibc's mallopt parameter for the size from which a buffer gets pages of its own (malloc.h), and the size
#: glibc starts with
_M_MMAP_THRESHOLD = -3
_MAPPED_FROM = 128 * 1024


def big_buffers_given_back() -> bool:
    """Keep glibc's threshold for mapping a buffer on its own pages at its first value, so that each big buffer
    (an Anki package's bytes, a deck's text, an import record's) goes back to the system as it is freed. glibc
    raises the threshold to the size of each mapped buffer freed (up to 32 MiB): after a package's 21 MB the
    deck's texts came from the heap and, freed, stayed in its middle, where Python's small objects (kept in
    arenas of their own) never reuse them, and an update's history then came on top. Whether it was set:
    False on another C library or system, where nothing is done."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # not glibc's symbol, or no C library to open
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MAPPED_FROM))
