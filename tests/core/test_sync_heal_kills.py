"""This device's own files after a sync killed between its append and the store's note of it (SIGKILL, a power
cut), then shortened or deleted behind its back: a line cut short by the kill, parts the killed sync opened and
the store never noted, a store synced by an older quiz. Sync heals each, and every device ends with every event."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
from typing import Any
from unittest import mock

import pytest

from quiz.core import syncfiles
from quiz.core.model import Deck
from tests.conftest import START, record_good
from tests.core import test_sync_heal
from tests.core.test_sync import Device, Killed, _converged
from tests.core.test_sync_heal import _killed_after_append, _own, _synced_by_an_older_quiz

deck, devices = test_sync_heal.deck, test_sync_heal.devices  # the heal tests' fixtures


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
def test_a_line_cut_by_a_kill_and_ended_by_an_earlier_quiz_does_not_stop_a_heal(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch, loss: str
) -> None:
    """An earlier quiz ended a line cut short by a kill with the newline of its next append, after it in the
    same part. A heal reads that line as every other: no event, so not another store's (before, every heal
    was refused for good, with advice to run --new-device)."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 4000)
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 6)
    laptop.sync()
    first = _own(laptop) / syncfiles.part_name(1)
    line = first.read_text(encoding="utf-8").splitlines()[-1]
    with open(first, "a", encoding="utf-8") as out:
        out.write(line[:40] + "\n")  # the cut line, ended as the earlier quiz's next append ended it
    with laptop.store.transaction() as db:
        db.execute("UPDATE sync SET value = ? WHERE key = 'size'", (str(first.stat().st_size),))
    laptop.study(deck, random.Random(2), 6)
    laptop.sync()
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


def test_after_a_kill_halfway_through_a_line_the_next_events_go_in_a_new_part(
    devices: list[Device], deck: Deck
) -> None:
    """The line cut short is never ended, so no device reads it (nor warns of it), and no line is appended
    after bytes the other devices may have read otherwise."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 6)
    laptop.sync()
    laptop.study(deck, random.Random(2), 6)
    _killed_halfway_through_a_line(laptop)
    first = _own(laptop) / syncfiles.part_name(1)
    cut = first.read_bytes()
    assert not cut.endswith(b"\n")
    assert laptop.sync().warnings == []
    assert first.read_bytes() == cut
    assert [number for number, _ in syncfiles.own_parts(_own(laptop))] == [1, 2]
    assert desk.sync().warnings == []
    _converged([laptop, desk])


def test_a_part_a_killed_sync_wrote_read_by_another_device_then_cut_shorter_loses_it_nothing(
    devices: list[Device], deck: Deck
) -> None:
    """The desk read the part as the killed sync left it; the part is then put back older, shorter than the
    desk read it (no size was noted to see it by). The events go again in a new part, which the desk reads
    from its start; appended to the old part, the desk would have read past them."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 10)
    _killed_after_append(laptop)
    desk.sync()
    first = _own(laptop) / syncfiles.part_name(1)
    with open(first, "r+b") as out:
        out.truncate(10)  # the header cut short
    laptop.study(deck, random.Random(2), 3)
    assert laptop.sync().warnings == []
    desk.sync()
    _converged([laptop, desk])


def _killed_past_a_rotation(devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch) -> Device:
    """The laptop's sync appends from part 1 into parts 2 and 3 and is killed before the store notes them."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 3000)
    laptop = devices[0]
    laptop.study(deck, random.Random(1), 2)
    laptop.sync()
    laptop.study(deck, random.Random(2), 40)
    _killed_after_append(laptop)
    assert [number for number, _ in syncfiles.own_parts(_own(laptop))][:3] == [1, 2, 3]
    return laptop


def test_a_part_a_killed_sync_opened_and_then_deleted_is_healed(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Part 2 was never noted, so no size says it is gone: its events are found missing by id. Before, every
    later sync sending something failed on part 2 (`cannot write to ...: No such file or directory`), and part
    2's events never reached the desk."""
    laptop = _killed_past_a_rotation(devices, deck, monkeypatch)
    desk = devices[1]
    (_own(laptop) / syncfiles.part_name(2)).unlink()
    report = laptop.sync()
    assert len(report.warnings) == 1 and "holds less than this device wrote" in report.warnings[0]
    for n in range(2):
        record_good(laptop.store, f"new-{n}", START)
        assert laptop.sync().warnings == []
    desk.sync()
    assert laptop.event_ids() <= desk.event_ids()
    assert desk.store.review_count() == laptop.store.review_count()


def test_a_part_a_killed_sync_wrote_put_back_older_is_healed(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lines past the noted end were trusted by the latest id among them, so an older copy of part 2 (its
    last line missing) put back in that window was never healed: the desk never got that event. Now the sync
    after the kill notes them, and checks that no event of this store before the latest is missing."""
    laptop = _killed_past_a_rotation(devices, deck, monkeypatch)
    desk = devices[1]
    second = _own(laptop) / syncfiles.part_name(2)
    data = second.read_bytes()
    second.write_bytes(data[: data.rstrip(b"\n").rfind(b"\n") + 1])  # an older copy: its last line not there yet
    report = laptop.sync()
    assert len(report.warnings) == 1 and "1 missing event(s) sent again in events-00000" in report.warnings[0]
    laptop.study(deck, random.Random(3), 5)
    laptop.sync(), desk.sync()
    assert laptop.event_ids() <= desk.event_ids()


def test_a_sync_killed_past_a_rotation_is_noted_by_the_next_sync_with_nothing_to_send(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next sync notes what the killed one appended even when it sends nothing, so part 3 shortened after
    it is seen by its size and healed."""
    laptop = _killed_past_a_rotation(devices, deck, monkeypatch)
    desk = devices[1]
    assert laptop.sync().sent == 0
    last = syncfiles.own_parts(_own(laptop))[-1][1]
    data = last.read_bytes()
    last.write_bytes(data[: data.rstrip(b"\n").rfind(b"\n") + 1])
    report = laptop.sync()
    assert len(report.warnings) == 1 and report.warnings[0].startswith(f"{last}: shorter than this device wrote it")
    desk.sync()
    _converged([laptop, desk])


def test_a_closed_part_put_back_older_under_an_older_quiz_is_healed(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store synced by an older quiz noted no closed part's size: its first sync under this one reads every
    part's ids once, so a closed part already shortened is healed, rather than noted at its size then."""
    laptop, _, phone = devices
    first, older = _synced_by_an_older_quiz(laptop, deck, monkeypatch)
    first.write_bytes(older)  # put back while the older quiz was in use
    laptop.study(deck, random.Random(3), 3)
    report = laptop.sync()
    assert len(report.warnings) == 1 and "holds less than this device wrote" in report.warnings[0]
    assert laptop.sync().warnings == []
    assert json.loads(laptop.store.db.execute("SELECT value FROM sync WHERE key = 'closed'").fetchone()[0])
    phone.sync()
    _converged([laptop, phone])


def test_a_part_a_killed_sync_wrote_then_deleted_is_never_made_again(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store notes the last part an append will reach before appending, so the events go again in a part
    above every one the killed sync wrote. Made again under its number, part 2 would be read by the desk from
    its offset into the deleted one, past the events sent again."""
    laptop, desk, _ = devices
    monkeypatch.setattr(syncfiles, "PART_BYTES", 3000)
    laptop.study(deck, random.Random(1), 40)
    _killed_after_append(laptop)  # its first sync: nothing noted
    assert [number for number, _ in syncfiles.own_parts(_own(laptop))][:3] == [1, 2, 3]
    desk.sync()
    for _, path in syncfiles.own_parts(_own(laptop))[1:]:
        path.unlink()
    laptop.study(deck, random.Random(2), 3)
    assert laptop.sync().warnings == []
    assert 2 not in [number for number, _ in syncfiles.own_parts(_own(laptop))]
    desk.sync()
    _converged([laptop, desk])


@pytest.mark.parametrize("loss", ["part 1 put back again, part 2 deleted", "the folder deleted"])
def test_a_part_a_killed_heal_wrote_then_deleted_is_never_made_again(
    devices: list[Device], deck: Deck, loss: str
) -> None:
    """A heal's events all fit in its one new part, 2, which the heal is killed before noting; the desk reads
    it, then it is deleted. The next heal's part is above it. Before, nothing noted part 2 (only a part past
    the one an append starts from was), so the next heal made it again with other lines, which the desk read
    from its offset into the old one: events skipped for good, or a sound line read from its middle."""
    laptop, desk, _ = devices
    first = _own(laptop) / syncfiles.part_name(1)
    versions = []
    for seed in (1, 2, 3):
        laptop.study(deck, random.Random(seed), 10)
        laptop.sync()
        versions.append(first.read_bytes())
    first.write_bytes(versions[0])  # a sync tool puts back the first version
    _killed_after_append(laptop)  # the heal sends the second and third syncs' events in part 2
    assert [number for number, _ in syncfiles.own_parts(_own(laptop))] == [1, 2]
    desk.sync()
    if loss == "the folder deleted":
        shutil.rmtree(_own(laptop))
    else:  # a restore brings back the second version, from before the heal
        first.write_bytes(versions[1])
        (_own(laptop) / syncfiles.part_name(2)).unlink()
    laptop.study(deck, random.Random(4), 5)
    assert "missing event(s) sent again in events-000003.jsonl" in laptop.sync().warnings[0]
    assert desk.sync().warnings == []
    _converged([laptop, desk])


def test_a_first_part_a_killed_sync_wrote_then_deleted_is_never_made_again(devices: list[Device], deck: Deck) -> None:
    """The device's first sync is killed after its append: the store noted part 1 empty (only its number before
    the append); the desk reads it, then the folder is deleted. The events go again in part 2. Made again, part
    1 held the same lines (nothing was lost), but no part number is ever written twice."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 10)
    _killed_after_append(laptop)
    desk.sync()
    shutil.rmtree(_own(laptop))
    laptop.study(deck, random.Random(2), 3)
    assert laptop.sync().warnings == []
    assert [number for number, _ in syncfiles.own_parts(_own(laptop))] == [2]
    assert desk.sync().warnings == []
    _converged([laptop, desk])
