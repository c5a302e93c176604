"""Shared fixtures: a temp store, a frozen clock, decks written from YAML text."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.model import Deck
from quiz.core.scheduler import Scheduler
from quiz.core.store import Store

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Today ends at 4 am local": pin local time to UTC so day boundaries are the same everywhere."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.in_folder(tmp_path / "data")
    opened.save_settings(replace(opened.settings(), fuzz=False))
    yield opened
    opened.close()


@pytest.fixture
def scheduler(store: Store) -> Scheduler:
    return Scheduler(store.settings())


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[[str, str], Deck]:
    def write(text: str, name: str = "deck.yaml") -> Deck:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = load_deck_file(path)
        assert result.deck is not None, [str(p) for p in result.problems]
        return result.deck

    return write


def basic_deck_yaml(count: int, deck_id: str = "d") -> str:
    cards = "\n".join(
        f"  - {{id: c{i}, kind: basic, topic: t{i % 2}, front: 'question {i}', back: 'answer {i}'}}"
        for i in range(count)
    )
    return f"deck: {deck_id}\ntitle: Deck {deck_id}\ncards:\n{cards}\n"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `quiz ARGS` in-process: (exit code, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def run_main_process(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python main.py --data-dir DATA_DIR ARGS` in a child process, as a user would."""
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, str(root / "main.py"), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
    )
