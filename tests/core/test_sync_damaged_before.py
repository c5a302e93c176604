"""Another device's part damaged before where this store last read it, so that the byte before that point is
still a line end: sync read on from there, inside another line, and never took the lines it skipped."""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quiz.core import syncfiles
from quiz.core.migrations import MIGRATIONS
from quiz.core.model import Deck
from quiz.core.rebuild import rebuild
from quiz.core.store import Store
from tests.core.progress_ops import progress_deck, snapshot
from tests.core.test_sync import Device, _converged


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return progress_deck(tmp_path)


@pytest.fixture
def devices(tmp_path: Path, folder: Path) -> Iterator[tuple[Device, Device]]:
    laptop, desk = Device(tmp_path, "laptop", folder), Device(tmp_path, "desk", folder)
    yield laptop, desk
    laptop.store.close()
    desk.store.close()


def _events_in(device: Device) -> int:
    """The events the device's store file holds, counted by SQLite itself."""
    with sqlite3.connect(device.store.path) as db:
        return int(db.execute("SELECT count(*) FROM event").fetchone()[0])


def _read_then_appended(laptop: Device, desk: Device, deck: Deck) -> tuple[Path, int, int]:
    """The desk reads the laptop's part, then the laptop appends more: the part, where the desk stopped, and
    the length of the first line appended after it (with its newline)."""
    laptop.study(deck, random.Random(5), 8)
    laptop.sync(), desk.sync()
    part = desk.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    stopped = part.stat().st_size
    laptop.study(deck, random.Random(6), 8)
    laptop.sync()
    first_new = part.read_bytes()[stopped:].index(b"\n") + 1
    return part, stopped, first_new


def test_a_part_shortened_before_where_it_was_read_by_a_line_s_length_loses_no_answer(
    devices: tuple[Device, Device], deck: Deck
) -> None:
    """The bytes before the last line end the desk read cut out, exactly as many as the first line appended
    after it holds: the byte before where the desk stopped is still a line end, so the desk read on from the
    second new line and never took the first one's answer (and the laptop's part still holds it, so no heal
    sends it again). Now the part is seen changed there, read again from its start, with a warning."""
    laptop, desk = devices
    part, stopped, first_new = _read_then_appended(laptop, desk, deck)
    sound = part.read_bytes()
    damaged = sound[: stopped - 1 - first_new] + sound[stopped - 1 :]
    assert damaged[stopped - 1 : stopped] == b"\n"  # what the desk checked before
    part.write_bytes(damaged)
    report = desk.sync()
    assert _events_in(desk) == _events_in(laptop)
    (warning,) = [line for line in report.warnings if line.startswith(f"{part}: changed before where")]
    assert warning.endswith(": nothing to do (a bad line in it is a warning of its own)")
    part.write_bytes(sound)  # repaired: read again, nothing new, every answer kept
    laptop.sync(), desk.sync()
    _converged([laptop, desk])


@pytest.fixture(scope="module")
def laptop_part(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes]:
    """A part as a device writes it, of 24 answers: its device and its bytes."""
    home = tmp_path_factory.mktemp("part")
    folder = home / "Sync"
    folder.mkdir()
    laptop = Device(home, "laptop", folder)
    try:
        laptop.study(progress_deck(home), random.Random(3), 24)
        laptop.sync()
        device = laptop.store.device
    finally:
        laptop.store.close()
    return device, (folder / syncfiles.FOLDER / device / syncfiles.part_name(1)).read_bytes()


def _damage(draw: st.DrawFn, data: bytes, end: int, ahead: list[int]) -> bytes:
    """`data` with a few changes made in place before byte `end`: bytes cut out (among them as many as there are
    to a line end `ahead` of `end`, which leaves a line end before it: the damage a line end does not show), bytes
    put in (a copy of some of the part's own, or line ends and noise), bytes overwritten, line ends made CRLF."""
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, end - 1))
        stop = draw(st.integers(start, min(end, start + 600)))
        if draw(st.booleans()) and (fits := [length for length in ahead if length < end]):
            length = draw(st.sampled_from(fits))
            start = draw(st.integers(0, end - 1 - length))
            stop = start + length
        copied = draw(st.integers(0, len(data) - 1))
        noise = draw(st.binary(max_size=8).map(lambda raw: bytes(b"x\n\r"[byte % 3] for byte in raw)))
        kind = draw(st.sampled_from(["cut", "copy in", "noise in", "overwrite", "crlf"]))
        if kind == "cut":
            data, end = data[:start] + data[stop:], end - (stop - start)
        elif kind in ("copy in", "noise in"):
            put = data[copied : copied + stop - start] if kind == "copy in" else noise
            data, end = data[:start] + put + data[start:], end + len(put)
        elif kind == "overwrite":
            data = data[:start] + bytes(byte ^ 0x20 for byte in data[start:stop]) + data[stop:]
        else:
            crlf = data[start:end].replace(b"\n", b"\r\n")
            data, end = data[:start] + crlf + data[end:], start + len(crlf)
        if end <= 0:
            break
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damage_before_where_a_part_was_read_never_loses_an_event_still_whole_in_it(
    laptop_part: tuple[str, bytes], data: st.DataObject
) -> None:
    """Another device's part read up to a line, grown since, then damaged in place before that point (the
    damage may leave a line end where the reading stopped): every event whose line is still whole in the file
    is taken by the two passes, whatever else is skipped."""
    device, sound = laptop_part
    ends = [index + 1 for index, byte in enumerate(sound) if byte == ord("\n")]
    read_to = data.draw(st.sampled_from(ends[:-1]))
    ahead = [end - read_to for end in ends if end > read_to]
    damaged = data.draw(st.composite(lambda draw: _damage(draw, sound[:read_to], read_to, ahead))())
    damaged += sound[read_to:]
    with tempfile.TemporaryDirectory() as home:
        part = Path(home) / syncfiles.part_name(1)
        part.write_bytes(sound[:read_to])
        first = syncfiles.read_part(part, device, 0, 0)
        assert first.offset == read_to and first.warnings == []
        part.write_bytes(damaged)
        second = syncfiles.read_part(part, device, first.offset, first.line, first.tail)
    assume(not second.refused)  # damage that reads as a newer quiz's: not read till an upgrade, by design
    taken = {event.id for event in first.events + second.events}
    whole = {line.removesuffix(b"\r") for line in damaged.split(b"\n")[:-1]}
    for line in sound.split(b"\n")[1:-1]:
        if line in whole:
            assert json.loads(line)["id"] in taken


def _as_the_quiz_before_left_it(device: Device) -> None:
    """The device's store taken back to the schema before tails (its positions noted without one), then opened
    by this quiz, which migrates it."""
    path = Path(device.store.path)
    device.store.close()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE sync_read DROP COLUMN tail_length")
        db.execute("ALTER TABLE sync_read DROP COLUMN tail_digest")
        db.execute(f"PRAGMA user_version={len(MIGRATIONS) - 1}")
    device.store = Store(path, clock=device.clock)
    assert device.store.schema_version == len(MIGRATIONS)


def test_a_store_of_the_previous_schema_loses_no_answer_to_damage_before_its_first_sync(
    devices: tuple[Device, Device], deck: Deck
) -> None:
    """A part damaged before where the quiz before read it, a line end left there (the damage it could not
    see), then this quiz's first sync: a position with no tail to check is read again from the part's start
    (the events held passed over), not read on from inside a line, so the first new line's answer is taken."""
    laptop, desk = devices
    part, stopped, first_new = _read_then_appended(laptop, desk, deck)
    _as_the_quiz_before_left_it(desk)
    sound = part.read_bytes()
    part.write_bytes(sound[: stopped - 1 - first_new] + sound[stopped - 1 :])
    desk.sync()
    assert _events_in(desk) == _events_in(laptop)
    laptop.sync(), desk.sync()  # the laptop heals its part cut short; nothing is taken twice
    _converged([laptop, desk])


def test_a_store_of_the_previous_schema_notes_tails_from_its_next_read(
    devices: tuple[Device, Device], deck: Deck
) -> None:
    """A store synced by the quiz before (schema without tails) keeps how far it read each part; its next
    sync checks the line end only and notes a tail; the sync after finds damage a line end would not show.
    Its states are as stored, and `quiz rebuild` finds nothing to change."""
    laptop, desk = devices
    part, stopped, _ = _read_then_appended(laptop, desk, deck)
    _as_the_quiz_before_left_it(desk)
    noted = "SELECT offset, tail_length FROM sync_read WHERE file LIKE '%events-000001.jsonl'"
    assert desk.store.db.execute(noted).fetchall() == [(stopped, None)]
    stored = snapshot(desk.store)
    done = rebuild(desk.store)
    assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0)
    assert snapshot(desk.store) == stored
    assert desk.sync().warnings == []  # read again from its start, quietly, and its tail noted
    ((offset, length),) = desk.store.db.execute(noted).fetchall()
    assert offset == part.stat().st_size and length is not None
    laptop.study(deck, random.Random(7), 8)
    laptop.sync()
    first_new = part.read_bytes()[offset:].index(b"\n") + 1
    sound = part.read_bytes()
    part.write_bytes(sound[: offset - 1 - first_new] + sound[offset - 1 :])
    desk.sync()
    assert _events_in(desk) == _events_in(laptop)
