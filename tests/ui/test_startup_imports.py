"""Start-up loads only what the home screen needs: the scheduler (fsrs), the study session, argparse, the
YAML parser, the image libraries (Pillow, textual-image) and hashlib (its OpenSSL: 2-3 ms) load when first
used. Each costs milliseconds of every start (benchmarks/, make bench)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import quiz.cli, quiz.context, quiz.ui.app
lazy = ("fsrs_rs_python", "yaml", "rapidfuzz", "argparse", "quiz.arguments", "quiz.core.session", "quiz.core.scheduler",
        "PIL", "textual_image", "hashlib", "secrets")
loaded = sorted(m for m in lazy if m in sys.modules)
print(",".join(loaded) or "none")
"""


def test_the_app_module_loads_no_scheduler_session_or_yaml() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "none"
