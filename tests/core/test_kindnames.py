"""The kinds' names that a start reads without loading the kinds (quiz.core.kindnames) are the registry's own."""

import subprocess
import sys
from pathlib import Path

from quiz.core.kindnames import KIND_NAMES
from quiz.core.kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]


def test_the_names_are_the_registered_kinds_in_order() -> None:
    assert KIND_NAMES == tuple(KINDS)
    assert all(KINDS[name].name == name for name in KIND_NAMES)


def test_the_registry_refuses_to_load_when_the_names_drift() -> None:
    # The store numbers a card's state by its kind's place here: a name list out of step would misread states.
    drifted = """
import quiz.core.kindnames as names
names.KIND_NAMES = names.KIND_NAMES[1::-1] + names.KIND_NAMES[2:]
import quiz.core.kinds
"""
    run = subprocess.run([sys.executable, "-c", drifted], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode != 0
    assert "KIND_NAMES must list the registered kinds in order" in run.stderr
