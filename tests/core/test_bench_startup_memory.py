"""The start-up benchmark's peak memory (benchmarks/firstpaint.py, `rss_mb_50k` of make bench) is the started
program's own: a driver that held hundreds of MB before spawning it (run.py makes the 50k deck in its own
process the first time) must not be counted. Linux keeps `ru_maxrss` across exec, so it once was. Untimed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELD_MB = 300

DRIVER = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from benchmarks.startup import first_paint
held = b"x" * ({HELD_MB} * 2**20)  # written, so resident: the driver's peak is {HELD_MB} MB and more
del held
print(first_paint(Path({str(ROOT / "benchmarks" / "bare_app.py")!r}))["rss_settled_mb"])
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the start-up benchmark runs on Linux")
def test_a_start_reports_its_own_peak_not_its_drivers() -> None:
    out = subprocess.run([sys.executable, "-c", DRIVER], capture_output=True, text=True, check=True, cwd=ROOT)
    peak = float(out.stdout.strip().splitlines()[-1])
    assert 0 < peak < HELD_MB / 2  # a bare Textual app: tens of MB
