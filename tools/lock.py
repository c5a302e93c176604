"""The lock files requirements*.txt: exact versions with hashes, made from pyproject.toml by uv.

    python tools/lock.py           make them again (what `make lock` runs; needs uv, see UV)
    python tools/lock.py --check   exit 1 when pyproject.toml changed since they were made (`make test`)

Each lock file starts with a digest of what it was made from (requires-python, the build requirements,
the dependencies and extras, the uv pin), so a dependency edited without `make lock` fails the check at
once and offline. Installing needs only pip: the files are plain requirements with `--hash` lines and
environment markers for every platform (`--universal`), and name no package index.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LOCKS = ROOT  # the lock files stand beside pyproject.toml, named as pip users expect
UV = "uv==0.13.8"  # the locking tool itself, installed from requirements-uv.txt by `make lock`
#: lock file -> the extras it installs, and the lock whose versions it must keep (one set across groups)
GROUPS: dict[str, tuple[list[str], str | None]] = {
    "requirements.txt": ([], None),
    "requirements-test.txt": (["test"], "requirements.txt"),
    "requirements-bench.txt": (["test", "bench"], "requirements-test.txt"),
}
UV_LOCK = "requirements-uv.txt"
DIGEST_PREFIX = "# inputs-sha256: "


def inputs_digest(pyproject: Path = PYPROJECT) -> str:
    """A digest of everything in pyproject.toml that decides what gets installed."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data["project"]
    inputs = {
        "requires-python": project.get("requires-python"),
        "build": data["build-system"]["requires"],
        "dependencies": project.get("dependencies", []),
        "extras": project.get("optional-dependencies", {}),
        "uv": UV,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def recorded_digest(lock: Path) -> str | None:
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(DIGEST_PREFIX):
            return line.removeprefix(DIGEST_PREFIX).split()[0]
    return None


def stale_locks(pyproject: Path = PYPROJECT, locks: Path = LOCKS) -> list[str]:
    """The lock files that are missing or were made from another pyproject.toml."""
    wanted = inputs_digest(pyproject)
    names = [*GROUPS, UV_LOCK]
    return [name for name in names if not (locks / name).is_file() or recorded_digest(locks / name) != wanted]


def _uv_compile(sources: list[str], output: Path, extras: list[str], constraint: Path | None) -> None:
    command = [sys.executable, "-m", "uv", "pip", "compile", *sources, "--output-file", str(output)]
    command += ["--universal", "--python-version", "3.11", "--generate-hashes", "--no-emit-index-url", "--quiet"]
    command += ["--custom-compile-command", "make lock"]
    for extra in extras:
        command += ["--extra", extra]
    if constraint is not None:
        command += ["--constraint", str(constraint)]
    subprocess.run(command, check=True, cwd=ROOT)


def _stamp(lock: Path, digest: str) -> None:
    lines = [line for line in lock.read_text(encoding="utf-8").splitlines() if not line.startswith(DIGEST_PREFIX)]
    lines.insert(2, f"{DIGEST_PREFIX}{digest}")
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_locks() -> None:
    """Resolve every group again; versions already locked are kept unless pyproject.toml rules them out."""
    digest = inputs_digest()
    build = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["build-system"]["requires"]
    # Inputs written beside the locks for the run (their paths appear in the files' "via" notes).
    build_in, uv_in = LOCKS / "requirements-build.in", LOCKS / "requirements-uv.in"
    try:
        # The build requirements are locked too: the editable install runs without build isolation.
        build_in.write_text("\n".join(build) + "\n", encoding="utf-8")
        uv_in.write_text(UV + "\n", encoding="utf-8")
        _uv_compile([uv_in.name], LOCKS / UV_LOCK, [], None)
        for name, (extras, keep) in GROUPS.items():
            keep_versions = LOCKS / keep if keep else None
            _uv_compile(["pyproject.toml", build_in.name], LOCKS / name, extras, keep_versions)
    finally:
        build_in.unlink(missing_ok=True)
        uv_in.unlink(missing_ok=True)
    for name in [*GROUPS, UV_LOCK]:
        _stamp(LOCKS / name, digest)


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        stale = stale_locks()
        if stale:
            print(
                f"lock: {', '.join(stale)} do not match pyproject.toml; run `make lock` and commit the result",
                file=sys.stderr,
            )
            return 1
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    make_locks()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
