import subprocess
import sys

import pytest

from quiz.core.memory import freed_memory_given_back

# A child process (the allocator's state is its own): a 24 MB buffer freed, which raises glibc's threshold for
# giving a buffer pages of its own; then a 12 MB one filled and freed below a small one kept. The resident
# memory given back after it, in KiB.
_CHILD = """
import sys
from quiz.core.memory import freed_memory_given_back
def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4
first = bytearray(24 << 20)
del first
middle = bytearray(b"x") * (12 << 20)
kept = bytearray(b"y") * (1 << 20)
del middle
before = resident()
if sys.argv[1] == "give back" and not freed_memory_given_back():
    print(-1)  # another C library (musl): nothing to give back this way
else:
    print(before - resident())
"""


def _given_back_after_a_big_buffer(how: str) -> int:
    done = subprocess.run([sys.executable, "-c", _CHILD, how], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_big_buffer_freed_in_the_heap_s_middle_goes_back_to_the_system() -> None:
    if _given_back_after_a_big_buffer("keep") > 4 << 10:
        pytest.skip("this C library gives a freed buffer back anyway")
    given_back = _given_back_after_a_big_buffer("give back")
    if given_back == -1:
        pytest.skip("not glibc: nothing is given back")
    assert given_back > 10 << 10


@pytest.mark.skipif(sys.platform.startswith("linux"), reason="elsewhere only")
def test_nothing_is_done_on_another_system() -> None:
    assert not freed_memory_given_back()


def test_nothing_is_done_without_glibc_s_malloc_trim(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    class _Musl:  # a C library without malloc_trim (musl): the attribute is missing
        pass

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(ctypes, "CDLL", lambda name: _Musl())
    assert not freed_memory_given_back()


def test_nothing_is_done_by_a_python_without_ctypes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setitem(sys.modules, "ctypes", None)  # `import ctypes` raises ImportError, as without libffi
    assert not freed_memory_given_back()
