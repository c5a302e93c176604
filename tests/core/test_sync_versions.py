"""One event id with different content in two places of the synced folder (a store copied with its id, a line
edited by hand or damaged): every device keeps the same version whatever it read first, replays the card when
its version changes, and warns once, naming the files and lines."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core import events, syncfiles
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.model import Grade, Mode
from quiz.core.store import STORE_NAME, Store
from quiz.core.sync import exchange, merge, new_device, sync
from tests.conftest import START, record_good
from tests.core.progress_ops import snapshot


def _answer(store: Store, grade: Grade) -> str:
    """Answer card "b" of deck "d" with `grade` at a time before the store's last event (a clock set back), so its
    id is counted on from the store's last one; the id."""
    state = CardState(kind="basic", fsrs_state=2, stability=float(grade), difficulty=5.0, due=START, last_review=START)
    store.record_review("d", "b", grade, START - timedelta(hours=1), 1000, Mode.REVIEW, None, state)
    return next(e.id for e in store.read_events() if e.card_key == "b")


@pytest.fixture
def copied(tmp_path: Path, folder: Path) -> tuple[Store, Store, str]:
    """The laptop's store copied to the desk with its device id; each then answers card "b" with the clock set
    back, so both answers get the same id (Good on the laptop, Again on the desk); the desk, refused by sync,
    takes an id of its own and syncs, appending the laptop's events it held under it. (laptop, desk, the id)"""
    laptop = Store.in_folder(tmp_path / "laptop", clock=FixedClock(START))
    record_good(laptop, "a", START)
    sync(laptop, folder, host="laptop")
    laptop.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (tmp_path / "desk").mkdir()
    shutil.copy(Path(laptop.path), tmp_path / "desk" / STORE_NAME)
    desk = Store.in_folder(tmp_path / "desk", clock=FixedClock(START))
    same = _answer(laptop, Grade.GOOD)
    assert _answer(desk, Grade.AGAIN) == same
    new_device(desk)
    return laptop, desk, same


def _part(folder: Path, store: Store) -> Path:
    return folder / syncfiles.FOLDER / store.device / syncfiles.part_name(1)


def _line_of(part: Path, event_id: str) -> int:
    lines = part.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if f'"id":"{event_id}"' in line)


def test_a_store_copied_with_its_id_ends_with_the_version_of_the_device_named_everywhere(
    tmp_path: Path, folder: Path, copied: tuple[Store, Store, str]
) -> None:
    laptop, desk, same = copied
    assert sync(laptop, folder, host="laptop").warnings == []  # sends its answer
    desk_report = sync(desk, folder, host="desk")  # its own answer is the copy from another file: the laptop's wins
    laptop_report = sync(laptop, folder, host="laptop")  # its own is the copy in the file of the device named
    phone = Store.in_folder(tmp_path / "phone", clock=FixedClock(START))
    phone_report = sync(phone, folder, host="phone")
    stores = (laptop, desk, phone)
    lines = {tuple(e.line() for e in store.read_events()) for store in stores}
    assert len(lines) == 1  # the same events, each with the same content, everywhere
    assert snapshot(laptop) == snapshot(desk) == snapshot(phone)
    for store in stores:
        assert sorted((r.card_key, r.grade) for r in store.reviews()) == [("a", Grade.GOOD), ("b", Grade.GOOD)]
        state = store.state("d", "b")
        assert state is not None and state.stability == float(Grade.GOOD)  # the desk's card replayed
    laptop_at = f"{_part(folder, laptop)}:{_line_of(_part(folder, laptop), same)}"
    desk_at = f"{_part(folder, desk)}:{_line_of(_part(folder, desk), same)}"
    warning = (
        f"hold different versions of event {same} (a review of card 'b'); every device keeps the one at {laptop_at}"
    )
    for report in (desk_report, laptop_report, phone_report):
        assert len(report.warnings) == 1 and report.warnings[0].endswith(warning)
        assert sorted(report.warnings[0].split(" hold ")[0].split(", ")) == sorted([laptop_at, desk_at])
    for store, host in zip(stores, ("laptop", "desk", "phone"), strict=True):  # warned once: nothing read again
        assert sync(store, folder, host=host).warnings == []
        store.close()


@pytest.mark.parametrize("order", ["as listed", "reversed"])
def test_a_third_device_keeps_the_same_version_whichever_file_it_reads_first(
    tmp_path: Path, folder: Path, copied: tuple[Store, Store, str], order: str
) -> None:
    laptop, desk, same = copied
    sync(laptop, folder, host="laptop")
    sync(desk, folder, host="desk")
    phone = Store.in_folder(tmp_path / "phone", clock=FixedClock(START))
    exchanged = exchange(phone, folder, host="phone")
    if order == "reversed":
        exchanged.reads.reverse()
    assert len(merge(phone, exchanged).warnings) == 1
    kept = next(e for e in phone.read_events() if e.id == same)
    assert kept.line() == next(e for e in laptop.read_events() if e.id == same).line()
    assert [r.grade for r in phone.reviews(card_key="b")] == [Grade.GOOD]
    for store in (laptop, desk, phone):
        store.close()


def test_of_two_copies_from_other_devices_files_the_lower_digest_wins_on_every_device(
    tmp_path: Path, folder: Path
) -> None:
    """Two made-up devices' files hold a copy of an event named after a third device, whose file is not there
    (each a copied store's): each reader keeps the copy of the lower content digest, whichever it read first."""
    source = Store.in_folder(tmp_path / "source", clock=FixedClock(START))
    record_good(source, "b", START)
    line = next(e for e in source.read_events() if e.card_key == "b").line()
    other = line.replace('"grade":3', '"grade":1')
    assert other != line
    copies = {
        events.content_digest(events.event_from_line(text)): text for text in (line, other)
    }  # the lower digest's copy wins
    winner = copies[min(copies)]
    for name, text in (("c0py1", line), ("c0py2", other)):
        part = folder / syncfiles.FOLDER / name / syncfiles.part_name(1)
        part.parent.mkdir(parents=True)
        part.write_text(syncfiles.header(name, 1) + "\n" + text + "\n", encoding="utf-8")
    for order in ("as listed", "reversed"):
        reader = Store.in_folder(tmp_path / order, clock=FixedClock(START))
        exchanged = exchange(reader, folder, host=order)
        if order == "reversed":
            exchanged.reads.reverse()
        assert len(merge(reader, exchanged).warnings) == 1
        (kept,) = [e for e in reader.read_events() if e.card_key == "b"]
        assert kept.line() == events.as_kept(events.event_from_line(winner)).line()
        assert [r.grade for r in reader.reviews()] == [json.loads(winner)["body"]["grade"]]
        reader.close()
    source.close()


def test_the_same_copy_read_twice_is_no_warning(tmp_path: Path, folder: Path) -> None:
    """A copied store given its own id appends the events it held again, unchanged: read twice, kept once."""
    source = Store.in_folder(tmp_path / "source", clock=FixedClock(START))
    record_good(source, "b", START)
    line = next(e for e in source.read_events() if e.card_key == "b").line()
    for name in ("c0py1", "c0py2"):
        part = folder / syncfiles.FOLDER / name / syncfiles.part_name(1)
        part.parent.mkdir(parents=True)
        part.write_text(syncfiles.header(name, 1) + "\n" + line + "\n", encoding="utf-8")
    reader = Store.in_folder(tmp_path / "reader", clock=FixedClock(START))
    report = sync(reader, folder, host="reader")
    assert report.warnings == [] and report.received == 1 and reader.review_count() == 1
    reader.close()
    source.close()


def test_a_line_changed_after_it_was_read_is_named_so(tmp_path: Path, folder: Path) -> None:
    """The reader took an event from its device's file; that line was then changed in place, and another
    version appeared in a copied store's file: the reader keeps what it read, and says the line changed."""
    source = Store.in_folder(tmp_path / "source", clock=FixedClock(START))
    record_good(source, "b", START)
    line = next(e for e in source.read_events() if e.card_key == "b").line()
    named = json.loads(line)["device"]
    part = folder / syncfiles.FOLDER / named / syncfiles.part_name(1)
    part.parent.mkdir(parents=True)
    part.write_text(syncfiles.header(named, 1) + "\n" + line + "\n", encoding="utf-8")
    reader = Store.in_folder(tmp_path / "reader", clock=FixedClock(START))
    assert sync(reader, folder, host="reader").warnings == []
    part.write_text(syncfiles.header(named, 1) + "\n" + line.replace('"grade":3', '"grade":4') + "\n", encoding="utf-8")
    relayed = folder / syncfiles.FOLDER / "c0py" / syncfiles.part_name(1)
    relayed.parent.mkdir(parents=True)
    relayed.write_text(syncfiles.header("c0py", 1) + "\n" + line.replace('"grade":3', '"grade":1') + "\n", "utf-8")
    (warning,) = sync(reader, folder, host="reader").warnings
    places = warning.split(" hold different versions")[0].split(", ")
    assert sorted(places) == sorted([f"{part}:2", f"{relayed}:2", "a line changed since it was read"])
    assert warning.endswith("every device keeps the one at a line changed since it was read")
    assert [r.grade for r in reader.reviews()] == [Grade.GOOD]
    reader.close()
    source.close()
