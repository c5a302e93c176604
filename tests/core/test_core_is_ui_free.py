import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import quiz.core as core
for module in pkgutil.walk_packages(core.__path__, "quiz.core."):
    importlib.import_module(module.name)
leaked = sorted(m for m in ("textual", "rich") if m in sys.modules)
print(",".join(leaked) or "clean")
"""


def test_core_imports_neither_textual_nor_rich() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "clean"
