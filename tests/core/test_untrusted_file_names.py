"""File names, arguments and the data directory are untrusted text: every command, run as a user runs it (a
child process), prints them with their control characters replaced, never as terminal sequences.

The deck files (tests/untrusted.py) are named with OSC 52 (write the clipboard), OSC 0 (set the window
title), CSI 2J (clear the screen), a raw \\x9b byte (C1 CSI, and not UTF-8), C1 as UTF-8, BEL and a newline;
two repeat a deck id (the duplicate's message names the hostile owner) and one is broken. The data
directory's name sets the window title too, so every path a command prints under it is hostile.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from quiz.core.text import PLACEHOLDER, printable
from tests.untrusted import CLEAR, OSC52, SHOWN_TITLE, TITLE, HostileDecks, unsafe_in, write_hostile_decks

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_quiz(*args: str | Path, env: dict[str, str] | None = None) -> Run:
    """`python main.py ARGS` in a child process; its output as the terminal would get it (bytes that are not
    UTF-8 become surrogates, so a stray \\x9b byte is seen)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        env={**os.environ, "TZ": "UTC", **(env or {})},
        cwd=ROOT,
        timeout=60,
    )
    return Run(result.returncode, *(b.decode("utf-8", "surrogateescape") for b in (result.stdout, result.stderr)))


def assert_inert(run: Run) -> None:
    assert "Traceback" not in run.text, run.err
    assert run.code in (0, 1, 2), run
    assert unsafe_in(run.text) == [], run.text


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> HostileDecks:
    return write_hostile_decks(tmp_path_factory.mktemp("untrusted") / "decks")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / f"data{TITLE}"


def empty_folder(tmp: Path) -> Path:
    path = tmp / f"empty{OSC52}"
    path.mkdir(exist_ok=True)
    return path


def hostile_csv(folder: Path) -> Path:
    path = folder / f"cards{OSC52}.csv"
    path.write_text("front,back\nq,a\n", encoding="utf-8")
    return path


# Each case: the commands to run in turn on one data directory, as argument lists built from the decks.
Commands = Callable[[HostileDecks, Path, Path], list[list[str | Path]]]
CASES: dict[str, Commands] = {
    "validate a folder": lambda d, data, tmp: [["--data-dir", data, "validate", d.folder]],
    "validate each file": lambda d, data, tmp: [["--data-dir", data, "validate", *d.all]],
    "validate a missing file": lambda d, data, tmp: [["--data-dir", data, "validate", tmp / f"no{CLEAR}.yaml"]],
    "validate an empty folder": lambda d, data, tmp: [["--data-dir", data, "validate", empty_folder(tmp)]],
    "list": lambda d, data, tmp: [["--data-dir", data, "--deck", d.folder, "list"]],
    "stats": lambda d, data, tmp: [["--data-dir", data, "--deck", d.folder, "stats"]],  # names no file
    "add each file, then again": lambda d, data, tmp: [["--data-dir", data, "add", p] for p in d.all * 2],
    "add a deck whose id is taken": lambda d, data, tmp: [
        ["--data-dir", data, "--deck", d.clipboard, "add", d.title_dup],
        ["--data-dir", data, "--deck", d.clipboard, "add", d.clipboard],
    ],
    "add a folder and a wrong suffix": lambda d, data, tmp: [
        ["--data-dir", data, "add", d.folder],
        ["--data-dir", data, "add", hostile_csv(tmp)],
    ],
    "import, then again": lambda d, data, tmp: [["--data-dir", data, "import", hostile_csv(tmp)]] * 2,
    "import a taken id and a hostile title": lambda d, data, tmp: [
        ["--data-dir", data, "--deck", d.clipboard, "import", hostile_csv(tmp), "--deck-id", "dup"],
        ["--data-dir", data, "import", hostile_csv(tmp), "--title", f"T{TITLE}", "--deck-id", "t"],
    ],
    "import a missing file": lambda d, data, tmp: [["--data-dir", data, "import", tmp / f"no{OSC52}.csv"]],
    "export": lambda d, data, tmp: [
        ["--data-dir", data, "--deck", d.folder, "export", "dup", "-o", tmp / f"out{OSC52}.csv"],
        ["--data-dir", data, "--deck", d.folder, "export", "dup", "-o", tmp / f"out{OSC52}.csv"],
        ["--data-dir", data, "export", d.raw_c1, "-o", tmp / "raw.yaml"],
        ["--data-dir", data, "export", d.broken, "-o", tmp / "broken.csv"],
        ["--data-dir", data, "--deck", d.folder, "export", f"no{CLEAR}", "-o", tmp / "x.csv"],
        ["--data-dir", data, "export", "--reviews", f"no{OSC52}", "-o", tmp / f"reviews{TITLE}.csv"],
    ],
    "new": lambda d, data, tmp: [["--data-dir", data, "new", f"n{TITLE}"]] * 2 + [["--data-dir", data, "new", OSC52]],
    "rename-card": lambda d, data, tmp: [
        ["--data-dir", data, "--deck", d.folder, "rename-card", f"d{OSC52}", f"o{CLEAR}", "n"],
        ["--data-dir", data, "--deck", d.folder, "rename-card", "dup", "c1", f"n{TITLE}"],
    ],
    "unbury": lambda d, data, tmp: [
        ["--data-dir", data, "--deck", d.folder, "unbury", f"d{OSC52}", f"c{CLEAR}"],
        ["--data-dir", data, "unbury", f"d{TITLE}"],
    ],
    "check and restore": lambda d, data, tmp: [
        ["--data-dir", data, "check"],
        ["--data-dir", data, "restore"],
        ["--data-dir", data, "list"],
        ["--data-dir", data, "check"],
        ["--data-dir", data, "restore", f"x{OSC52}"],
    ],
    "argparse echoes arguments": lambda d, data, tmp: [
        [f"frob{OSC52}"],
        ["--data-dir", data, "list", f"--bogus{CLEAR}"],
        ["--data-dir", data, "export", "--format\x9b", f"x{TITLE}"],
        ["--data-dir", data, "--deck"],
        ["--data-dir", data, "--help"],
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_every_command_prints_untrusted_names_inertly(
    case: str, decks: HostileDecks, data: Path, tmp_path: Path
) -> None:
    runs = [run_quiz(*args) for args in CASES[case](decks, data, tmp_path)]
    for run in runs:
        assert_inert(run)
    if case != "stats":
        assert any(PLACEHOLDER in run.text for run in runs), "no hostile name was printed at all"


def test_validate_shows_each_name_on_its_own_line(decks: HostileDecks, data: Path) -> None:
    run = run_quiz("--data-dir", data, "validate", decks.folder)
    assert_inert(run)
    assert run.code == 1
    lines = run.out.splitlines()
    for path in decks.valid:
        assert any(line.startswith(f"ok {printable(path)}: deck ") for line in lines), (path, lines)
    assert not any(line.startswith("ok forged") for line in lines)  # the newline in a name starts no line
    owner = f"already used by {decks.folder}/a-clip{PLACEHOLDER}]52;c;aGk={PLACEHOLDER}.yaml"
    assert sum(owner in line for line in lines) == 2, lines  # both duplicates name the hostile owner
    assert any(line.startswith(f"{decks.folder}/c-title{SHOWN_TITLE}.yaml:1:1:") for line in lines)
    assert any(line.startswith(f"{decks.folder}/d-wipe{PLACEHOLDER}[2Jwiped.yaml:") for line in lines)


def test_list_names_the_decks_not_loaded_and_json_keeps_the_real_names(decks: HostileDecks, data: Path) -> None:
    data.mkdir()  # `list` reads a data folder; it makes none
    run = run_quiz("--data-dir", data, "--deck", decks.folder, "list")
    assert_inert(run)
    not_loaded = [line for line in run.out.splitlines() if ": not loaded" in line]
    assert [line.split(": not loaded")[0] for line in not_loaded] == [printable(p) for p in decks.broken_ones]
    listed = run_quiz("--data-dir", data, "--deck", decks.folder, "list", "--json")
    assert_inert(listed)  # JSON escapes every control character: the real names, readable by a program
    paths = {row["path"] for row in json.loads(listed.out)}
    assert {str(p) for p in decks.valid} <= paths


def test_an_added_file_whose_name_is_not_utf8_is_copied_under_a_name_that_is(decks: HostileDecks, data: Path) -> None:
    """Its \x9b byte, which a deck folder synced to Windows cannot hold, is `_` in the copy; her file is as it was."""
    run = run_quiz("--data-dir", data, "add", decks.raw_c1)
    assert_inert(run)
    target = data / "decks" / decks.raw_c1.name.replace("\udc9b", "_")
    assert run.code == 0 and target.exists() and decks.raw_c1.exists()
    assert run.out.splitlines()[:2] == [
        printable(target),
        f"named {target.name}: byte 0x9B in a file name would change how it shows (a control, a bidi mark, not UTF-8)",
    ]


@pytest.mark.parametrize(
    "env",
    [{}, {"LC_ALL": "C", "PYTHONUTF8": "0"}, {"PYTHONIOENCODING": "latin-1"}],
    ids=["utf-8 surrogateescape", "ascii", "latin-1"],
)
def test_a_terminal_that_cannot_show_the_placeholder_gets_a_question_mark(
    env: dict[str, str], decks: HostileDecks, data: Path
) -> None:
    run = run_quiz("--data-dir", data, "--deck", decks.folder, "validate", decks.folder, env=env)
    assert_inert(run)
    assert "forged.yaml: deck bell" in run.out


def test_a_bad_quiz_now_is_echoed_inertly_before_the_app_would_start(data: Path) -> None:
    run = run_quiz("--data-dir", data, env={"QUIZ_NOW": f"soon{OSC52}"})
    assert_inert(run)
    assert run.code == 2 and run.err.startswith("quiz: ")
