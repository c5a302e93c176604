"""What a user installs: the wheel carries the shipped decks, and the lock files match pyproject.toml.

The wheel test builds quiz as `pipx install .` would, installs it in a new virtual environment and runs
the installed `quiz` from a folder outside the checkout, so nothing can be found through the source tree.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lock  # noqa: E402  (tools/ is not a package: the lock script is run as a file by make)

SHIPPED_DECK = "quiz/decks/ketamine/ketamine.yaml"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """quiz's wheel, built from a copy of the sources (a build in the checkout would leave build/ there)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "quiz", source / "quiz", ignore=shutil.ignore_patterns("__pycache__"))
    built = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", built, source],
        check=True,
        capture_output=True,
    )
    [found] = built.glob("quiz-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_holds_the_decks_and_the_stylesheet(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert SHIPPED_DECK in names
    assert "quiz/py.typed" in names  # type information for code that imports quiz
    assert "quiz/ui/app.tcss" in names


@pytest.mark.slow
def test_an_installed_wheel_lists_the_shipped_deck_from_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run([*pip, "install", "--quiet", "--no-deps", "--no-index", wheel], check=True, capture_output=True)
    # quiz's dependencies come from this test environment (appended after the new venv's own packages, so
    # quiz itself is the installed wheel, never the editable checkout): no network needed.
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QUIZ_HOME")}
    where = subprocess.run(
        [python, "-c", "import quiz; print(quiz.__file__)"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    (tmp_path / "data").mkdir()  # `list` reads a data folder; it makes none
    listed = subprocess.run(
        [venv / "bin" / "quiz", "--data-dir", tmp_path / "data", "list"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^ketamine\s+\d+", listed.stdout, re.M), listed.stdout


# --- the lock files ---------------------------------------------------------------------------------


def locked_versions(lock_file: Path) -> dict[str, str]:
    """Package -> version for every lock line whose environment marker holds on this machine."""
    pins = {}
    for line in lock_file.read_text(encoding="utf-8").splitlines():
        if line[:1].isalnum():
            requirement = Requirement(line.removesuffix("\\").strip())
            if requirement.marker is None or requirement.marker.evaluate():
                pins[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return pins


def test_the_lock_files_match_pyproject() -> None:
    assert lock.stale_locks() == [], "run `make lock`"


def test_a_dependency_changed_without_make_lock_is_caught(tmp_path: Path) -> None:
    locks = tmp_path / "locks"
    locks.mkdir()
    for name in [*lock.GROUPS, lock.UV_LOCK]:
        shutil.copy2(ROOT / name, locks / name)
    edited = tmp_path / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert lock.stale_locks(ROOT / "pyproject.toml", locks) == []
    edited.write_text(text.replace('"rapidfuzz>=3.0"', '"rapidfuzz>=3.1"'), encoding="utf-8")
    assert set(lock.stale_locks(edited, locks)) == {*lock.GROUPS, lock.UV_LOCK}
    proc = subprocess.run([sys.executable, ROOT / "tools" / "lock.py", "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr  # the real checkout is in step


def test_this_environment_is_exactly_the_test_lock() -> None:
    """`make test` installed requirements-test.txt: every locked package at its locked version."""
    wanted = locked_versions(ROOT / "requirements-test.txt")
    installed = {canonicalize_name(dist.metadata["Name"]): dist.version for dist in importlib.metadata.distributions()}
    differing = {
        name: (version, installed.get(name)) for name, version in wanted.items() if installed.get(name) != version
    }
    assert differing == {}, "locked vs installed; run `make test` to install the lock"


def test_each_lock_keeps_the_versions_of_the_one_below() -> None:
    runtime = locked_versions(ROOT / "requirements.txt")
    test = locked_versions(ROOT / "requirements-test.txt")
    bench = locked_versions(ROOT / "requirements-bench.txt")
    assert {name: test[name] for name in runtime} == runtime
    assert {name: bench[name] for name in test} == test


def test_every_phony_make_target_has_a_rule() -> None:
    """A target named .PHONY with no rule does nothing and succeeds: `make lint` would pass having checked nothing."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M)
    assert phony is not None
    rules = set(re.findall(r"^([\w-]+):", makefile, re.M))
    assert set(phony[1].split()) - rules == set()
