"""Three devices study and sync in a random order while their own files are damaged behind their back, more
harshly than test_sync_heal's random test: a sync killed after its append or halfway through a line, a part cut
at any byte, a part, `device.json` or the whole folder deleted. After two rounds of syncs every device holds
every event, the same states and the same review log, row by row, and no event twice among the lines a
device's files give to the others."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
from pathlib import Path
from unittest import mock

import pytest

from quiz.core import syncfiles
from quiz.core.model import Deck
from tests.core import test_sync_heal
from tests.core.test_sync import Device, Killed, _converged
from tests.core.test_sync_heal import _own

deck, devices = test_sync_heal.deck, test_sync_heal.devices  # the heal tests' fixtures


def _killed(device: Device, halfway: bool) -> None:
    """One sync killed after its append (before the store notes it), or halfway: half its lines appended, then
    half a line."""
    real = syncfiles.append_lines

    def die(folder: Path, dev: str, part: int, lines: list[str]) -> tuple[int, int]:
        if halfway and len(lines) > 1:
            last, _ = real(folder, dev, part, lines[: len(lines) // 2])
            with open(folder / syncfiles.part_name(last), "a", encoding="utf-8") as out:
                out.write(lines[len(lines) // 2][:30])
        else:
            real(folder, dev, part, lines)
        raise Killed

    with mock.patch.object(syncfiles, "append_lines", die), contextlib.suppress(Killed):
        device.sync()


def _damage(device: Device, rng: random.Random) -> None:
    own = _own(device)
    parts = syncfiles.own_parts(own)
    roll = rng.random()
    if roll < 0.45 and parts:
        _, path = rng.choice(parts)
        if (size := path.stat().st_size) > 1:
            with open(path, "r+b") as out:
                out.truncate(rng.randrange(1, size))  # an older copy, or a copy cut short, at any byte
    elif roll < 0.75 and parts:
        rng.choice(parts)[1].unlink()
    elif roll < 0.87 and (own / syncfiles.DEVICE_FILE).exists():
        (own / syncfiles.DEVICE_FILE).unlink()
    elif own.exists():
        shutil.rmtree(own)


def _read_ids(device: Device) -> list[str]:
    """The ids of the events in the ended lines of every part of the device's: what the other devices read."""
    found = []
    for _, part in syncfiles.own_parts(_own(device)):
        for line in part.read_bytes().split(b"\n")[1:-1]:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                found.append(json.loads(line)["id"])
    return found


@pytest.mark.parametrize("seed", range(40))
def test_devices_converge_whatever_kills_and_damage_their_own_files_take(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.setattr(syncfiles, "PART_BYTES", 3000)
    rng = random.Random(seed)
    for _ in range(50):
        device = rng.choice(devices)
        roll = rng.random()
        if roll < 0.40:
            device.study(deck, rng, rng.randint(1, 6))
        elif roll < 0.65:
            device.sync()
        elif roll < 0.72:
            _killed(device, halfway=rng.random() < 0.5)
        else:
            _damage(device, rng)
    for device in devices + devices:
        device.sync()
    _converged(devices)
    for device in devices:
        ids = _read_ids(device)
        assert len(ids) == len(set(ids))
    logs = [sorted((r.card_key, r.reviewed_at.isoformat(), r.grade) for r in d.store.reviews()) for d in devices]
    assert logs[0] == logs[1] == logs[2]


@pytest.mark.parametrize("seed", [52, *(pytest.param(seed, marks=pytest.mark.slow) for seed in range(40))])
def test_devices_converge_whatever_backups_of_their_folders_are_put_back(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed: int
) -> None:
    """The same, with one more loss: a device's whole folder put back as a backup taken at any earlier step, which
    may hold more than the folder holds then, parts since found gone among it. Seed 52 left the phone without three
    of the laptop's events for good: a heal killed after writing its one part, noted nowhere, that part then lost
    to a restore, and the next heal wrote a part of the same number, which the phone read from its old offset."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 3000)
    rng = random.Random(seed)
    backups: dict[Device, list[Path]] = {device: [] for device in devices}
    for step in range(50):
        device = rng.choice(devices)
        own = _own(device)
        roll = rng.random()
        if roll < 0.35:
            device.study(deck, rng, rng.randint(1, 6))
        elif roll < 0.60:
            device.sync()
        elif roll < 0.70:
            _killed(device, halfway=rng.random() < 0.5)
        elif roll < 0.80:
            if own.exists():
                backups[device].append(shutil.copytree(own, tmp_path / f"backup-{step}"))
        elif roll < 0.90 and backups[device]:
            shutil.rmtree(own, ignore_errors=True)
            shutil.copytree(rng.choice(backups[device]), own)
        else:
            _damage(device, rng)
    for device in devices * 3:
        device.sync()
    _converged(devices)
