"""This device's own files after a sync killed between its append and the store's note of it (SIGKILL, a power
cut), then shortened or deleted behind its back: a line cut short by the kill, parts the killed sync opened and
the store never noted, a store synced by an older quiz. Sync heals each, and every device ends with every event."""

from __future__ import annotations

import contextlib
import random
from typing import Any
from unittest import mock

import pytest

from quiz.core import syncfiles
from quiz.core.model import Deck
from tests.core import test_sync_heal
from tests.core.test_sync import Device, _converged
from tests.core.test_sync_heal import _own

deck, devices = test_sync_heal.deck, test_sync_heal.devices  # the heal tests' fixtures


class Killed(BaseException):
    """kill -9 in the middle of a sync."""


def _killed_halfway_through_a_line(device: Device) -> None:
    """One sync killed halfway: half its lines appended, then half a line (a SIGKILL between two of the
    buffered writer's flushes, or a power cut)."""
    real = syncfiles.append_lines

    def half_then_die(folder: Any, dev: str, part: int, lines: list[str]) -> None:
        real(folder, dev, part, lines[: len(lines) // 2])
        with open(folder / syncfiles.part_name(part), "a", encoding="utf-8") as out:
            out.write(lines[len(lines) // 2][:40])
        raise Killed

    with mock.patch.object(syncfiles, "append_lines", half_then_die), contextlib.suppress(Killed):
        device.sync()


@pytest.mark.parametrize("loss", ["older copy of part 1", "last part deleted"])
def test_a_line_cut_by_an_earlier_kill_does_not_stop_a_heal(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch, loss: str
) -> None:
    """The sync after the kill ends the cut line with a newline and appends the rest; a later heal reads that
    line as every other: not an event, so not another store's (before, every later sync was refused)."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 4000)
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 6)
    laptop.sync()
    laptop.study(deck, random.Random(2), 6)
    _killed_halfway_through_a_line(laptop)
    assert laptop.sync().warnings == []  # the cut line ended, the rest appended
    first = _own(laptop) / syncfiles.part_name(1)
    older = first.read_bytes()  # a version a sync tool keeps, the cut line in it
    laptop.study(deck, random.Random(3), 40)
    laptop.sync(), desk.sync()
    if loss == "older copy of part 1":
        first.write_bytes(older)
    else:
        syncfiles.own_parts(_own(laptop))[-1][1].unlink()
    laptop.study(deck, random.Random(4), 3)
    report = laptop.sync()
    assert len(report.warnings) == 1 and "missing event(s) sent again in" in report.warnings[0]
    desk.sync()
    _converged([laptop, desk])
