import subprocess
import sys

import pytest

from quiz.core.memory import big_buffers_given_back

# A child process (the allocator's state is its own): a 24 MB buffer freed, which raises glibc's threshold for
# mapping a buffer on its own; then a 12 MB one filled and freed. The resident memory it keeps, in KiB.
_CHILD = """
import sys
from quiz.core.memory import big_buffers_given_back
def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4
if sys.argv[1] == "set":
    assert big_buffers_given_back()
first = bytearray(24 << 20)
del first
before = resident()
second = bytearray(b"x" * (12 << 20))
del second
print(resident() - before)
"""


def _kept_after_a_big_buffer(setting: str) -> int:
    done = subprocess.run([sys.executable, "-c", _CHILD, setting], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_big_buffer_freed_goes_back_to_the_system_after_a_bigger_one() -> None:
    if _kept_after_a_big_buffer("unset") < 8 << 10:
        pytest.skip("this C library gives a freed buffer back anyway")
    assert _kept_after_a_big_buffer("set") < 1 << 10


@pytest.mark.skipif(sys.platform.startswith("linux"), reason="elsewhere only")
def test_nothing_is_set_on_another_system() -> None:
    assert not big_buffers_given_back()
