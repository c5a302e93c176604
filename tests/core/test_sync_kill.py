"""kill -9 during `quiz sync`, on the sending and the receiving side, at random moments: nothing is lost,
nothing is taken twice, and the next sync completes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quiz.core import syncfiles
from quiz.core.cardstate import CardState
from quiz.core.model import Grade, Mode
from quiz.core.store import STORE_NAME, Store
from tests.conftest import START

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from quiz.core.store import Store
from quiz.core.sync import sync
store = Store(sys.argv[1])
sync(store, Path(sys.argv[2]), host=sys.argv[3])
print("done", flush=True)
"""


def _sync_process(store: Path, folder: Path, host: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), str(folder), host],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _sync_killed_until_done(store: Path, folder: Path, host: str, rng: random.Random) -> int:
    """Run sync in a child, killing it (SIGKILL) at random moments, until one run completes; returns the kills."""
    kills = 0
    while True:
        child = _sync_process(store, folder, host)
        if kills < 4:
            time.sleep(rng.uniform(0.0, 0.6))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
        out, err = child.communicate(timeout=120)
        if child.returncode == 0:
            assert "done" in out, err
            return kills
        assert child.returncode == -signal.SIGKILL, err


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2))
def test_kill_9_during_sync_loses_nothing(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    folder = tmp_path / "Sync"
    folder.mkdir()
    paths = {name: tmp_path / name / STORE_NAME for name in ("laptop", "desk")}
    sender = Store.in_folder(paths["laptop"].parent)
    after = CardState("basic", 2, stability=3.0, difficulty=5.0, due=START, last_review=START, reps=1)
    for n in range(4000):
        sender.record_review("d", f"c{n}", Grade.GOOD, START, 1000, Mode.REVIEW, None, after)
    sent = {event.id for event in sender.read_events()}
    sender.close()
    Store.in_folder(paths["desk"].parent).close()

    _sync_killed_until_done(paths["laptop"], folder, "laptop", rng)
    _sync_killed_until_done(paths["desk"], folder, "desk", rng)

    laptop = Store(paths["laptop"])
    own = folder / syncfiles.FOLDER / laptop.device
    written = [
        json.loads(line)["id"]
        for _, part in syncfiles.own_parts(own)
        for line in part.read_text(encoding="utf-8").splitlines()[1:]
        if line.startswith("{") and line.endswith("}")
    ]
    assert sorted(written) == sorted(sent)  # each event appended once, none lost
    desk = Store(paths["desk"])
    assert {event.id for event in desk.read_events()} == sent and desk.review_count() == 4000
    assert len(list(desk.all_states())) == 4000
    for store in (laptop, desk):
        store.close()
