"""Moving this device's sync to another folder (a synced folder to git, and back): the new folder holds none
of its parts, which is no loss to heal; every event is written there once, and back in the old folder only
the events it lacks are."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from quiz.core import syncfiles, syncgit
from quiz.core.model import Deck
from quiz.core.sync import set_folder
from tests.conftest import run_cli
from tests.core import test_sync
from tests.core.test_sync import Device, _converged

deck, devices = test_sync.deck, test_sync.devices  # the sync tests' three devices and their deck
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _move(device: Device, folder: Path) -> None:
    set_folder(device.store, folder)
    device.folder = folder


def _own_lines(device: Device) -> list[str]:
    """The ids of the events in every part of the device's own folder, in the order of parts and lines."""
    own = device.folder / syncfiles.FOLDER / device.store.device
    return [
        json.loads(line)["id"]
        for _, part in syncfiles.own_parts(own)
        for line in part.read_text(encoding="utf-8").splitlines()[1:]
    ]


def _made_by(device: Device) -> list[str]:
    return sorted(event.id for event in device.store.read_events() if event.device == device.store.device)


def test_two_devices_move_to_git_and_back_with_no_loss_no_warning_and_no_line_twice(
    tmp_path: Path, folder: Path, devices: list[Device], deck: Deck
) -> None:
    laptop, desk = devices[:2]
    old = folder
    for device in (laptop, desk):
        set_folder(device.store, old)
    laptop.study(deck, random.Random(1), 10)
    desk.study(deck, random.Random(2), 10)
    assert not laptop.sync().fresh  # a first sync is no move
    desk.sync(), laptop.sync()
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    for device, seed in ((laptop, 3), (desk, 4)):
        clone = tmp_path / f"{device.name}-git"
        syncgit.clone(str(remote), clone)
        _move(device, clone)
        device.study(deck, random.Random(seed), 5)
        report = device.sync()
        assert report.problems() == 0 and report.fresh
        assert report.details()[0] == f"new sync folder: all {report.sent} event(s) of this device written there"
        own = device.folder / syncfiles.FOLDER / device.store.device
        assert [number for number, _ in syncfiles.own_parts(own)] == [1]  # no part number skipped
        assert sorted(_own_lines(device)) == _made_by(device)
    laptop.sync()
    _converged([laptop, desk])
    for device, seed in ((laptop, 5), (desk, 6)):
        _move(device, old)
        device.study(deck, random.Random(seed), 5)
        report = device.sync()
        assert report.problems() == 0 and not report.fresh
        lines = _own_lines(device)
        assert len(lines) == len(set(lines))  # the events the old folder held are not written again
        assert sorted(lines) == _made_by(device)
    laptop.sync()
    _converged([laptop, desk])


def test_quiz_sync_moving_to_git_says_the_folder_is_new(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ("--data-dir", str(tmp_path / "data"))
    assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    assert run_cli(capsys, *data, "preset", "add", "fast")[0] == 0  # an event to send
    assert run_cli(capsys, *data, "sync")[0] == 0
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    code, out, _ = run_cli(capsys, *data, "sync", "--git", str(remote), "--folder", str(tmp_path / "gitA"))
    assert code == 0 and "warning" not in out and "gone" not in out
    assert "sent 1 event(s)" in out and "new sync folder: all 1 event(s) of this device written there" in out
