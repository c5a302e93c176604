"""This device's own files in the synced folder holding less than it wrote, behind its back: an older copy put
back by a sync tool (its versions, a restore), a part deleted, the device's folder deleted. Sync heals it by
itself: the events the files no longer hold are appended again in a part of a new number (the other devices
remember how far they read each part), and every device ends with every event. A file holding events this
store never wrote (a copied store) is still refused."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.core import syncfiles
from quiz.core.clock import FixedClock
from quiz.core.identity import rename_card
from quiz.core.model import Deck
from quiz.core.store import Store
from quiz.core.sync import SyncError, new_device, sync
from tests.conftest import START, bare_repository, record_good, run_cli
from tests.core import test_sync
from tests.core.test_sync import Device, Killed, _converged, append_then_killed
from tests.core.test_sync_git import _git_clones
from tests.core.test_sync_kill import ROOT

deck, devices = test_sync.deck, test_sync.devices  # the sync tests' three devices and their deck


def _own(device: Device) -> Path:
    return device.folder / syncfiles.FOLDER / device.store.device


def _written(device: Device) -> list[str]:
    """The ids of the events in every part of the device's folder, in the order of parts and lines."""
    return [
        json.loads(line)["id"]
        for _, part in syncfiles.own_parts(_own(device))
        for line in part.read_text(encoding="utf-8").splitlines()[1:]
    ]


def _synced_by_an_older_quiz(laptop: Device, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, bytes]:
    """The laptop answers and syncs twice in parts of 4000 bytes, its first part closed by the second sync; then
    its store is left as an older quiz left it, noting no closed part's size. Returns the first part and its
    bytes after the first sync: what an older copy holds."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 4000)
    laptop.study(deck, random.Random(1), 4)
    laptop.sync()
    first = _own(laptop) / syncfiles.part_name(1)
    older = first.read_bytes()
    laptop.study(deck, random.Random(2), 40)
    laptop.sync()
    with laptop.store.transaction() as db:
        db.execute("DELETE FROM sync WHERE key = 'closed'")
    return first, older


def _read_apart(devices: list[Device], deck: Deck) -> tuple[Path, bytes]:
    """The laptop answers and syncs three times; the desk reads its part after the first sync, the phone after
    the second. Returns the laptop's part and its bytes after the first sync: what an older copy holds."""
    laptop, desk, phone = devices
    own = _own(laptop) / syncfiles.part_name(1)
    laptop.study(deck, random.Random(1), 10)
    laptop.sync(), desk.sync()
    older = own.read_bytes()
    laptop.study(deck, random.Random(2), 10)
    laptop.sync(), phone.sync()
    laptop.study(deck, random.Random(3), 10)
    laptop.sync()
    return own, older


def _the_others_sync_without_a_warning_and_all_converge(devices: list[Device]) -> None:
    """The desk and the phone sync, neither warned of anything, and every device holds every event."""
    for device in devices[1:]:
        assert device.sync().warnings == []
    _converged(devices)


def _answers_kept_and(laptop: Device, key: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """In parts of one line, the laptop answers card "kept", then card `key`, and syncs. Returns that answer's id."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 1)
    record_good(laptop.store, "kept", START)
    answer = record_good(laptop.store, key, START)
    laptop.sync()
    return answer


def test_an_older_copy_put_back_is_healed_and_every_device_gets_every_event(devices: list[Device], deck: Deck) -> None:
    """The phone had read past the end of the older copy, the desk had not; each device's answers to the same
    cards offline are merged too."""
    laptop, desk, phone = devices
    own, older = _read_apart(devices, deck)
    lacking = len(_written(laptop)) - (len(older.splitlines()) - 1)
    own.write_bytes(older)  # the sync tool's older version, put back
    desk.study(deck, random.Random(4), 10)
    phone.study(deck, random.Random(5), 10)
    laptop.study(deck, random.Random(6), 3)
    report = laptop.sync()
    assert report.warnings == [
        f"{own}: shorter than this device wrote it (an older copy put back by a sync tool or a restore); its "
        f"{lacking} missing event(s) sent again in events-000002.jsonl"
    ]
    assert report.sent > lacking  # and the 3 answers' events since
    assert own.read_bytes() == older  # never appended to: the others' offsets into it stay true
    assert sorted(_written(laptop)) == sorted(
        e.id for e in laptop.store.read_events() if e.device == laptop.store.device
    )
    for device in (desk, phone, laptop, desk, phone):
        assert device.sync().warnings == []
    _converged(devices)
    assert len(_written(laptop)) == len(set(_written(laptop)))  # nothing twice


def test_a_deleted_part_the_desk_read_in_part_reaches_it_whole(devices: list[Device], deck: Deck) -> None:
    """Before, the part was made again with the same number and only the new events: the desk, its offset into
    the old part past the new one's end, read none of it, and the events it had not read were never sent."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 10)
    laptop.sync(), desk.sync()  # the desk reads part 1 up to here
    laptop.study(deck, random.Random(2), 10)
    laptop.sync()  # these the desk has not read yet
    (_own(laptop) / syncfiles.part_name(1)).unlink()
    laptop.study(deck, random.Random(3), 3)
    report = laptop.sync()
    assert len(report.warnings) == 1 and "events-000001.jsonl: gone (deleted, " in report.warnings[0]
    assert [number for number, _ in syncfiles.own_parts(_own(laptop))] == [2]
    assert desk.sync().warnings == []
    _converged([laptop, desk])
    assert laptop.sync().warnings == [] and laptop.sync().sent == 0  # healed once


@pytest.mark.parametrize("keep_device_json", [True, False])
def test_the_device_s_folder_deleted_is_healed(devices: list[Device], deck: Deck, keep_device_json: bool) -> None:
    laptop = devices[0]
    _read_apart(devices, deck)
    own = _own(laptop)
    claim = (own / syncfiles.DEVICE_FILE).read_bytes()
    shutil.rmtree(own)
    if keep_device_json:
        own.mkdir()
        (own / syncfiles.DEVICE_FILE).write_bytes(claim)
    report = laptop.sync()
    assert report.warnings == [
        f"{own / 'events-000001.jsonl'}: gone (deleted, or its folder put back as it was before); its "
        f"{len(laptop.store.read_events())} missing event(s) sent again in events-000002.jsonl"
    ]
    assert json.loads((own / syncfiles.DEVICE_FILE).read_text())["host"] == "laptop"
    _the_others_sync_without_a_warning_and_all_converge(devices)


def test_a_heal_filling_several_parts_names_them_all(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, the warning named the first part the heal wrote alone."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 3000)
    laptop = devices[0]
    laptop.study(deck, random.Random(1), 40)
    laptop.sync()
    shutil.rmtree(_own(laptop))
    report = laptop.sync()
    parts = [path.name for _, path in syncfiles.own_parts(_own(laptop))]
    assert len(parts) > 1 and report.warnings[0].endswith(f" event(s) sent again in {parts[0]} to {parts[-1]}")


@pytest.mark.parametrize("deleted", [(1, -1), (0,)], ids=["the last and one before", "the first alone"])
def test_rotated_parts_deleted_are_healed_in_one_new_part(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch, deleted: tuple[int, ...]
) -> None:
    """The heal counts by event id over every part, not by the last part's size: every event of a part gone is
    sent again, none the files hold, and the phone, syncing for the first time after, gets them all. A part
    gone is noted: the next syncs do not heal again."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 4000)
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 40)
    laptop.sync(), desk.sync()
    parts = syncfiles.own_parts(_own(laptop))
    assert len(parts) >= 3
    kept = set(_written(laptop))
    for index in deleted:
        path = parts[index][1]
        kept -= {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()[1:]}
        path.unlink()
    monkeypatch.setattr(syncfiles, "PART_BYTES", 8 << 20)
    report = laptop.sync()
    fresh = syncfiles.part_name(parts[-1][0] + 1)
    first = _own(laptop) / syncfiles.part_name(parts[deleted[0]][0])
    more = " (and 1 more part(s) so)" if len(deleted) > 1 else ""
    assert report.warnings == [
        f"{first}: gone (deleted, or its folder put back as it was before){more}; its "
        f"{len(laptop.store.read_events()) - len(kept)} missing event(s) sent again in {fresh}"
    ]
    assert sorted(_written(laptop)) == sorted(e.id for e in laptop.store.read_events())
    laptop.study(deck, random.Random(2), 5)
    assert laptop.sync().warnings == [] and laptop.sync().warnings == []
    assert len(_written(laptop)) == len(set(_written(laptop)))  # the new events only: the last id noted is the files'
    _the_others_sync_without_a_warning_and_all_converge(devices)


def test_an_older_copy_of_a_closed_part_put_back_alone_is_healed(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first of three parts put back as it was before it was closed, the last part as written: the size of
    every part is noted, so this is seen too, and the phone, syncing for the first time after, gets every event."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 4000)
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 4)
    laptop.sync()
    first = _own(laptop) / syncfiles.part_name(1)
    older = first.read_bytes()
    laptop.study(deck, random.Random(2), 40)
    laptop.sync(), desk.sync()
    parts = syncfiles.own_parts(_own(laptop))
    assert len(parts) >= 3 and first.stat().st_size > len(older)
    first.write_bytes(older)
    held = len(_written(laptop))
    report = laptop.sync()
    assert report.warnings == [
        f"{first}: shorter than this device wrote it (an older copy put back by a sync tool or a restore); its "
        f"{len(laptop.store.read_events()) - held} missing event(s) sent again in "
        f"{syncfiles.part_name(parts[-1][0] + 1)}"
    ]
    assert laptop.sync().warnings == []
    _the_others_sync_without_a_warning_and_all_converge(devices)


def test_an_answer_sent_again_after_its_undo_is_not_logged(
    devices: list[Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer in one part, its undo in the next; the first part deleted before the desk read either. The desk
    reads the undo first, then the answer the heal sends again: it is not logged, as on the laptop."""
    laptop, desk, _ = devices
    answer = _answers_kept_and(laptop, "undone", monkeypatch)
    laptop.store.undo_review(answer)
    laptop.sync()
    parts = syncfiles.own_parts(_own(laptop))
    lines = {path: json.loads(path.read_text(encoding="utf-8").splitlines()[1]) for _, path in parts}
    (answered,) = [path for path, line in lines.items() if (line["kind"], line["card"]) == ("review", "undone")]
    assert [line["kind"] for line in lines.values()] == ["review", "review", "undo"]
    answered.unlink()
    desk.sync()  # the undo, before its answer
    assert "missing event(s) sent again" in laptop.sync().warnings[0]
    assert desk.sync().received == 1
    assert [r.card_key for r in desk.store.reviews()] == [r.card_key for r in laptop.store.reviews()] == ["kept"]
    laptop.kept = 1
    _converged([laptop, desk])


def test_an_answer_undone_after_its_card_was_renamed_and_sent_again_is_not_logged(
    devices: list[Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The undo names the card by its key at the undo, the new one: it is found through the rename (before, the
    desk looked for it under the answer's old key only, and logged an answer every other device had undone)."""
    laptop, desk, _ = devices
    answer = _answers_kept_and(laptop, "x1", monkeypatch)
    rename_card(laptop.store, "d", "x1", "y1")  # `quiz rename` in a terminal
    laptop.store.undo_review(answer)  # then Undo in the app's session
    laptop.sync()
    for _, path in syncfiles.own_parts(_own(laptop)):
        line = json.loads(path.read_text(encoding="utf-8").splitlines()[1])
        if (line["kind"], line["card"]) == ("review", "x1"):
            path.unlink()
    desk.sync()  # the rename and the undo first
    laptop.sync(), desk.sync()  # the answer sent again
    assert [r.card_key for r in desk.store.reviews()] == [r.card_key for r in laptop.store.reviews()] == ["kept"]


def test_a_store_synced_by_an_older_quiz_has_its_closed_parts_checked_from_its_next_sync(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older quiz noted only the last part's size: the next sync reads every part's ids once, and notes each
    closed part's size as it is then, after which an older copy of it put back is healed."""
    laptop, desk, _ = devices
    first, older = _synced_by_an_older_quiz(laptop, deck, monkeypatch)
    laptop.study(deck, random.Random(3), 3)
    assert laptop.sync().warnings == []
    noted = json.loads(laptop.store.db.execute("SELECT value FROM sync WHERE key = 'closed'").fetchone()[0])
    assert noted["1"] == first.stat().st_size > len(older)
    first.write_bytes(older)
    assert "events-000001.jsonl: shorter than this device wrote it" in laptop.sync().warnings[0]
    desk.sync()
    _converged([laptop, desk])


def test_a_copied_store_s_events_in_a_shortened_file_are_still_refused(devices: list[Device], deck: Deck) -> None:
    """A file shorter than noted holding an event this store never wrote is another store's writing under this
    id: refused, nothing appended, and `--new-device` still repairs it."""
    laptop, desk, _ = devices
    own, older = _read_apart(devices, deck)
    line = older.decode().splitlines()[-1]
    foreign = line.replace(json.loads(line)["id"], "01900000-0000-7000-8000-000000000001")
    own.write_bytes(older + (foreign + "\n").encode())
    with pytest.raises(SyncError) as refused:
        laptop.sync()
    assert str(refused.value).startswith(f"{own} holds events this store never wrote: another store uses device id")
    assert "quiz sync --new-device" in str(refused.value)
    assert [number for number, _ in syncfiles.own_parts(_own(laptop))] == [1]  # nothing appended
    new_device(laptop.store)
    laptop.sync(), desk.sync()
    assert laptop.event_ids() <= desk.event_ids()
    assert desk.store.review_count() == laptop.store.review_count()


def _killed_after_append(device: Device) -> None:
    """One sync killed after its append, before the store noted it."""
    with append_then_killed(), contextlib.suppress(Killed):
        device.sync()


def _heal_cut_short(devices: list[Device], deck: Deck) -> Path:
    """The laptop's part read apart (_read_apart) and put back as it was after the first sync; the laptop's heal of
    it killed between its append and the store's note. Returns the part."""
    own, older = _read_apart(devices, deck)
    own.write_bytes(older)
    _killed_after_append(devices[0])
    return own


_SENT_AGAIN_BY_A_SYNC_CUT_SHORT = (
    "shorter than this device wrote it (an older copy put back by a sync tool or a restore); its events are in this"
    " device's other parts already (sent again by an earlier sync)"
)


def test_a_heal_killed_between_its_append_and_the_store_s_note_completes_next_time(
    devices: list[Device], deck: Deck
) -> None:
    laptop, desk, phone = devices
    own = _heal_cut_short(devices, deck)
    before = len(laptop.store.read_events())
    laptop.study(deck, random.Random(7), 3)
    report = laptop.sync()
    assert report.sent == len(laptop.store.read_events()) - before > 0 and report.warnings == [
        f"{own}: {_SENT_AGAIN_BY_A_SYNC_CUT_SHORT}"
    ]
    assert laptop.sync().warnings == []
    written = _written(laptop)
    assert len(written) == len(set(written)) == len(laptop.store.read_events())  # nothing twice
    for device in (desk, phone):
        device.sync()
    _converged(devices)


def test_a_heal_killed_with_nothing_new_to_send_notes_a_new_part_and_stops_healing(
    devices: list[Device], deck: Deck
) -> None:
    laptop, desk, _ = devices
    own = _heal_cut_short(devices, deck)
    report = laptop.sync()
    assert report.sent == 0 and report.warnings == [f"{own}: {_SENT_AGAIN_BY_A_SYNC_CUT_SHORT}"]
    assert laptop.sync().warnings == []
    laptop.study(deck, random.Random(8), 3)
    assert laptop.sync().sent > 0 and [n for n, _ in syncfiles.own_parts(_own(laptop))] == [1, 2, 3]
    desk.sync()
    _converged([laptop, desk])


def test_quiz_sync_prints_the_heal(tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(folder))[0] == 0
    assert run_cli(capsys, "--data-dir", str(data), "preset", "add", "fast")[0] == 0  # an event to send
    own = next((folder / syncfiles.FOLDER).iterdir())
    assert run_cli(capsys, "--data-dir", str(data), "sync")[0] == 0
    (own / syncfiles.part_name(1)).unlink()
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sync")
    assert code == 0 and "sent 1 event(s)" in out and "; 1 warning(s)" in out
    assert f"warning: {own / 'events-000001.jsonl'}: gone (deleted, or its folder put back" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
def test_an_older_copy_committed_in_a_git_folder_is_healed(tmp_path: Path, deck: Deck) -> None:
    """The older copy put back with git (a checkout of the file's previous commit) reaches the other clone by the
    same push as the heal's new part."""
    remote = bare_repository(tmp_path / "progress.git")
    laptop, desk = _git_clones(tmp_path, remote)
    try:
        laptop.study(deck, random.Random(1), 10)
        laptop.sync(), desk.sync()
        laptop.study(deck, random.Random(2), 10)
        laptop.sync(), desk.sync()  # the desk read past the end of the older copy
        own = _own(laptop) / syncfiles.part_name(1)
        subprocess.run(["git", "-C", str(laptop.folder), "checkout", "-q", "HEAD~1", "--", str(own)], check=True)
        laptop.study(deck, random.Random(3), 10)
        report = laptop.sync()
        assert report.problems() == 1 and "shorter than this device wrote it" in report.warnings[0]
        assert desk.sync().problems() == 0
        assert (desk.folder / own.relative_to(laptop.folder)).read_bytes() == own.read_bytes()  # the older copy
        _converged([laptop, desk])
    finally:
        laptop.store.close(), desk.store.close()


# A sync in a child process whose heal is killed (SIGKILL, nothing of Python runs after it) after writing all
# the lines it appends ("after"), or half of them and half a line ("halfway"), before the store notes them.
KILLED_CHILD = """
import os, signal, sys
from pathlib import Path
from quiz.core import syncfiles
from quiz.core.clock import FixedClock
from quiz.core.identity import rename_card
from quiz.core.store import Store
from quiz.core.sync import sync

real = syncfiles.append_lines

def append_then_die(folder, device, part, lines):
    if sys.argv[3] == "halfway":
        real(folder, device, part, lines[: len(lines) // 2])
        with open(folder / syncfiles.part_name(part), "a") as out:
            out.write(lines[len(lines) // 2][:40])
    else:
        real(folder, device, part, lines)
    os.kill(os.getpid(), signal.SIGKILL)

syncfiles.append_lines = append_then_die
sync(Store(sys.argv[1]), Path(sys.argv[2]), host="laptop")
"""


@pytest.mark.parametrize("killed", ["after", "halfway"])
def test_kill_9_during_a_heal_loses_nothing_and_sends_nothing_twice(tmp_path: Path, folder: Path, killed: str) -> None:
    laptop = Store.in_folder(tmp_path / "laptop", clock=FixedClock(START))
    for n in range(300):
        record_good(laptop, f"c{n}")
    sync(laptop, folder, host="laptop")
    own, path = folder / syncfiles.FOLDER / laptop.device, laptop.path
    laptop.close()
    (own / syncfiles.part_name(1)).unlink()
    child = subprocess.run(
        [sys.executable, "-c", KILLED_CHILD, path, str(folder), killed], cwd=ROOT, capture_output=True, text=True
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    laptop = Store(path)
    report = sync(laptop, folder, host="laptop")
    assert len(report.warnings) == 1 and "gone" in report.warnings[0]
    assert [number for number, _ in syncfiles.own_parts(own)] == ([2] if killed == "after" else [2, 3])
    written = [json.loads(line)["id"] for _, part in syncfiles.own_parts(own) for line in _whole_lines(part)]
    assert sorted(written) == sorted(event.id for event in laptop.read_events())  # each once again, none lost
    desk = Store.in_folder(tmp_path / "desk")
    report = sync(desk, folder, host="desk")
    assert desk.review_count() == 300 and report.warnings == [], report.warnings
    assert {event.id for event in desk.read_events()} == {event.id for event in laptop.read_events()}
    laptop.close(), desk.close()


def _whole_lines(part: Path) -> list[str]:
    """A part's event lines, less a line cut short by a kill (the next append starts on a line of its own)."""
    return [line for line in part.read_text(encoding="utf-8").splitlines()[1:] if line.endswith("}")]


@pytest.mark.parametrize("seed", range(10))
def test_devices_converge_whatever_their_own_files_lose_between_syncs(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Three devices study and sync in a random order, their parts closed at 3000 bytes; now and then one of a
    device's parts is put back as an older copy of it (one saved at an earlier sync), or deleted, or its whole
    folder. Whatever the
    order, after two rounds of syncs every device holds every event and the same states, and no device's files
    hold an event twice."""
    monkeypatch.setattr(syncfiles, "PART_BYTES", 3000)
    rng = random.Random(seed)
    copies: dict[Path, list[bytes]] = {}  # each part's bytes as each sync left them: the versions a tool keeps
    for _ in range(40):
        device = rng.choice(devices)
        own = _own(device)
        parts = syncfiles.own_parts(own)
        roll = rng.random()
        if roll < 0.45:
            device.study(deck, rng, rng.randint(1, 6))
        elif roll < 0.75:
            device.sync()
            for _, path in syncfiles.own_parts(own):
                copies.setdefault(path, []).append(path.read_bytes())
        elif roll < 0.9 and parts and (older := _older_copies(parts, copies)):
            path, copy = rng.choice(older)
            path.write_bytes(copy)
        elif roll < 0.97 and parts:
            rng.choice(parts)[1].unlink()
        elif own.exists():
            shutil.rmtree(own)
    for device in devices + devices:
        device.sync()
    _converged(devices)
    for device in devices:
        assert len(_written(device)) == len(set(_written(device)))


def _older_copies(parts: list[tuple[int, Path]], copies: dict[Path, list[bytes]]) -> list[tuple[Path, bytes]]:
    """Each older copy saved of a part there, shorter than the part is now."""
    return [(path, copy) for _, path in parts for copy in copies.get(path, []) if len(copy) < path.stat().st_size]
