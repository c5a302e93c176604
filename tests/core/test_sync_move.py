"""Moving this device's sync to another folder (a synced folder to git, and back): the new folder holds none
of its parts, which is no loss to heal; every event is written there once, and back in the old folder only
the events it lacks are."""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.core import syncfiles, syncgit
from quiz.core.model import Deck
from quiz.core.store import Store
from quiz.core.sync import set_folder
from tests.conftest import bare_repository, run_cli
from tests.core import test_sync
from tests.core.test_sync import Device, _converged
from tests.core.test_sync_heal import _killed_after_append, _own

deck, devices = test_sync.deck, test_sync.devices  # the sync tests' three devices and their deck
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _move(device: Device, folder: Path) -> None:
    set_folder(device.store, folder)
    device.folder = folder


def _own_lines(device: Device) -> list[str]:
    """The ids of the events in every part of the device's own folder, in the order of parts and lines."""
    own = _own(device)
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
    """No line twice in a device's files; the first to move writes the other's events too (`_carried`)."""
    laptop, desk = devices[:2]
    old = folder
    for device in (laptop, desk):
        set_folder(device.store, old)
    laptop.study(deck, random.Random(1), 10)
    desk.study(deck, random.Random(2), 10)
    assert not laptop.sync().fresh  # a first sync is no move
    desk.sync(), laptop.sync()
    remote = bare_repository(tmp_path / "remote.git")
    # the laptop moves first: the desk, not there yet, may be retired, and its events are written there too
    for device, seed, other in ((laptop, 3, desk), (desk, 4, None)):
        clone = tmp_path / f"{device.name}-git"
        syncgit.clone(str(remote), clone)
        _move(device, clone)
        device.study(deck, random.Random(seed), 5)
        report = device.sync()
        assert report.problems() == 0 and report.fresh
        carried = _made_by(other) if other else []
        written = f"new sync folder: all {len(_made_by(device))} event(s) of this device written there"
        if carried:
            written += (
                f", and {len(carried)} of other devices with no files there (a machine retired sends its own no"
                " more), for the machines set up later"
            )
        assert report.details()[0] == written and report.sent == len(_made_by(device)) + len(carried)
        own = _own(device)
        # above part 1, written in the old folder: no part number is ever made twice, in any folder
        assert [number for number, _ in syncfiles.own_parts(own)] == [2]
        assert sorted(_own_lines(device)) == sorted(_made_by(device) + carried)
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
    remote = bare_repository(tmp_path / "remote.git")
    code, out, _ = run_cli(capsys, *data, "sync", "--git", str(remote), "--folder", str(tmp_path / "gitA"))
    assert code == 0 and "warning" not in out and "gone" not in out
    assert "sent 1 event(s)" in out and "new sync folder: all 1 event(s) of this device written there" in out


def test_quiz_sync_with_its_folder_renamed_says_how_to_give_its_new_place(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder renamed (or moved) was only said to be "not there (not mounted?)": she was not told how to sync
    with it where it is now."""
    data = ("--data-dir", str(tmp_path / "data"))
    assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    moved = folder.rename(tmp_path / "renamed")
    code, _, err = run_cli(capsys, *data, "sync")
    assert code == 0 and f"the synced folder {folder} is not there" in err  # as offline with git: nothing failed
    assert "if you moved or renamed it, give its new place: `quiz --data-dir" in err and " sync --folder PATH`" in err
    assert run_cli(capsys, *data, "sync", "--folder", str(moved))[0] == 0


def _synced_with_an_event_made_since(tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """`quiz sync` set up on a laptop (its data folder's options given), one event sent, one made since."""
    data = ["--data-dir", str(tmp_path / "laptop")]
    assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    assert run_cli(capsys, *data, "preset", "add", "sent")[0] == 0
    assert run_cli(capsys, *data, "sync")[0] == 0
    assert run_cli(capsys, *data, "preset", "add", "made-while-unmounted")[0] == 0
    return data


def _events_on_another_machine(tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> int:
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path / "desk"), "sync", "--folder", str(folder))
    assert code == 0, out
    return int(out.split("received ")[1].split()[0])


def test_an_empty_mount_point_in_place_of_the_synced_folder_changes_nothing_and_loses_nothing(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A drive not mounted leaves its mount point, an empty folder: sync wrote this machine's whole history there
    ("gone (deleted, ...)" warnings), and once the drive was back warned of parts "sent again already, by a sync cut
    short". The folder synced with before, now empty, is taken for a missing one: nothing written, nothing lost."""
    data = _synced_with_an_event_made_since(tmp_path, folder, capsys)
    drive = folder.rename(tmp_path / "drive")
    folder.mkdir()  # the mount point
    code, out, err = run_cli(capsys, *data, "sync")
    assert code == 0 and out == "" and list(folder.iterdir()) == []
    assert f"quiz: not synced: the synced folder {folder} holds no quiz-progress folder" in err
    afresh = f"`quiz --data-dir {tmp_path / 'laptop'} sync --afresh`"
    assert (
        f"(not mounted, its empty mount point in its place? if you emptied it on purpose, start it afresh: {afresh})"
        in err
    )
    folder.rmdir()
    drive.rename(folder)  # mounted again
    code, out, err = run_cli(capsys, *data, "sync")
    assert code == 0 and "sent 1 event(s)" in out and "warning" not in out + err, out + err
    assert _events_on_another_machine(tmp_path, folder, capsys) == 2


def test_an_empty_mount_point_is_seen_after_a_first_sync_that_had_no_event_to_send(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its first sync wrote this machine's folder alone (device.json): the store noted no event written there."""
    data = ["--data-dir", str(tmp_path / "laptop")]
    assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    drive = folder.rename(tmp_path / "drive")
    folder.mkdir()
    assert run_cli(capsys, *data, "preset", "add", "made-while-unmounted")[0] == 0
    code, _, err = run_cli(capsys, *data, "sync")
    assert code == 0 and "holds no quiz-progress folder" in err and list(folder.iterdir()) == []
    folder.rmdir()
    drive.rename(folder)
    assert "sent 1 event(s)" in run_cli(capsys, *data, "sync")[1]


def test_a_synced_folder_emptied_on_purpose_is_started_afresh_with_afresh(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Giving the folder again started it afresh: so did a cron line naming it (`quiz sync --folder /mnt/usb/Sync`)
    at every run, which filled the empty mount point of a drive not mounted. Only --afresh does now."""
    data = _synced_with_an_event_made_since(tmp_path, folder, capsys)
    shutil.rmtree(folder / syncfiles.FOLDER)
    assert run_cli(capsys, *data, "sync")[0] == 0 and not (folder / syncfiles.FOLDER).exists()
    code, out, err = run_cli(capsys, *data, "sync", "--folder", str(folder))  # as a cron line gives it
    assert code == 0 and out == "" and "holds no quiz-progress folder" in err and list(folder.iterdir()) == []
    code, out, _ = run_cli(capsys, *data, "sync", "--afresh")
    assert code == 0 and "sent 2 event(s)" in out
    assert _events_on_another_machine(tmp_path, folder, capsys) == 2


def test_a_folder_started_afresh_then_put_back_older_is_not_said_to_have_had_a_sync_cut_short(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its older contents back (the drive's), the part the fresh start wrote is gone: its events were said "sent
    again already, by a sync cut short", of a sync that was not."""
    data = ["--data-dir", str(tmp_path / "laptop")]
    assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    assert run_cli(capsys, *data, "preset", "add", "sent")[0] == 0
    assert run_cli(capsys, *data, "sync")[0] == 0
    older = (folder / syncfiles.FOLDER).rename(tmp_path / "older")
    assert run_cli(capsys, *data, "sync", "--afresh")[0] == 0  # started afresh on purpose
    shutil.rmtree(folder / syncfiles.FOLDER)
    older.rename(folder / syncfiles.FOLDER)
    code, out, _ = run_cli(capsys, *data, "sync")
    assert code == 0 and "events-000002.jsonl: gone" in out and "cut short" not in out
    assert "its events are in this device's other parts already (sent again by an earlier sync)" in out


def _parts(device: Device) -> list[int]:
    return [number for number, _ in syncfiles.own_parts(_own(device))]


def _away_and_back(device: Device, old: Path, new: Path, deck: Deck, lose_there: Callable[[Path], None]) -> None:
    """The device syncs once in `new`, while `lose_there` changes its files in `old`; then it moves back."""
    _move(device, new)
    device.study(deck, random.Random(4), 5)
    device.sync()
    lose_there(old / syncfiles.FOLDER / device.store.device)
    _move(device, old)


def _in_two_parts(devices: list[Device], folder: Path, deck: Deck) -> tuple[Device, Device]:
    """The laptop and the desk syncing in `folder`, the laptop's events in two parts (a sync killed after its
    append, the next events in part 2)."""
    laptop, desk = devices[:2]
    for device in (laptop, desk):
        set_folder(device.store, folder)
    laptop.study(deck, random.Random(1), 5)
    laptop.sync()
    laptop.study(deck, random.Random(2), 5)
    _killed_after_append(laptop)
    laptop.sync()
    return laptop, desk


def test_back_in_a_folder_whose_parts_were_deleted_the_parts_the_desk_read_are_never_made_again(
    tmp_path: Path, folder: Path, devices: list[Device], deck: Deck
) -> None:
    laptop, desk = _in_two_parts(devices, folder, deck)
    laptop.study(deck, random.Random(3), 5)
    laptop.sync()
    assert _parts(laptop) == [1, 2]
    desk.sync()  # desk read both parts to their end
    (tmp_path / "new").mkdir()
    _away_and_back(laptop, folder, tmp_path / "new", deck, shutil.rmtree)
    laptop.study(deck, random.Random(5), 5)
    report = laptop.sync()
    assert not report.fresh and "gone" in report.warnings[0]  # as true as if it never left
    laptop.study(deck, random.Random(6), 5)
    _killed_after_append(laptop)
    laptop.sync()
    laptop.study(deck, random.Random(7), 5)
    laptop.sync()
    assert min(_parts(laptop)) > 2  # above the parts desk read
    assert desk.sync().warnings == []
    _converged([laptop, desk])


def test_back_in_a_folder_a_part_written_by_a_killed_sync_and_deleted_is_never_made_again(
    tmp_path: Path, folder: Path, devices: list[Device], deck: Deck
) -> None:
    laptop, desk = _in_two_parts(devices, folder, deck)
    older = (_own(laptop) / syncfiles.part_name(1)).read_bytes()[:1500]
    laptop.study(deck, random.Random(3), 5)
    _killed_after_append(laptop)  # part 2 written, reserved, never noted
    desk.sync()  # desk read part 2

    def put_back_older(own: Path) -> None:
        (own / syncfiles.part_name(2)).unlink()
        (own / syncfiles.part_name(1)).write_bytes(older)

    (tmp_path / "new").mkdir()
    _away_and_back(laptop, folder, tmp_path / "new", deck, put_back_older)
    report = laptop.sync()
    assert "shorter than this device wrote it" in report.warnings[0]
    assert 2 not in _parts(laptop)
    assert desk.sync().warnings == []
    _converged([laptop, desk])


def test_a_new_device_id_after_a_move_finds_no_part_of_its_own_in_the_folder_left(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--new-device` forgot this device's notes on the folder it is in but kept those on the folder it left,
    which were the old id's: back there, the new id was told its part 1 was gone and its events sent again."""
    data = ("--data-dir", str(tmp_path / "data"))
    new = tmp_path / "new"
    new.mkdir()
    for args in (
        ("sync", "--folder", str(folder)),
        ("preset", "add", "fast"),
        ("sync",),
        ("sync", "--folder", str(new)),
        ("sync", "--new-device"),
        ("preset", "add", "slow"),
        ("sync",),
    ):
        assert run_cli(capsys, *data, *args)[0] == 0, args
    code, out, _ = run_cli(capsys, *data, "sync", "--folder", str(folder))
    assert code == 0 and "warning" not in out and "gone" not in out, out
    assert "new sync folder: all 2 event(s) of this device written there" in out, out


def test_a_move_cut_short_leaves_the_store_syncing_where_it_was(
    folder: Path, tmp_path: Path, devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder was kept in a transaction of its own after the notes': a move stopped between them left the
    new folder's notes with the old folder kept, and the next sync there warned of a part gone that only ever
    was in the other folder."""
    laptop = devices[0]
    set_folder(laptop.store, folder)
    laptop.study(deck, random.Random(1), 5)
    laptop.sync()
    _move(laptop, tmp_path / "new")
    laptop.study(deck, random.Random(2), 5)
    laptop.sync()
    laptop.study(deck, random.Random(3), 5)

    def cut_short(*_: object) -> None:
        raise OSError("killed")

    monkeypatch.setattr(type(laptop.store), "put_sync_folder", staticmethod(cut_short))
    with pytest.raises(OSError):
        set_folder(laptop.store, folder)
    monkeypatch.undo()
    assert laptop.store.sync_folder() == (tmp_path / "new").resolve()
    report = laptop.sync()
    assert not report.warnings and not report.fresh, report


def _device_of(data_dir: Path) -> str:
    store = Store.in_folder(data_dir)
    try:
        return store.device
    finally:
        store.close()


def _events_of(data_dir: Path, device: str) -> int:
    store = Store.in_folder(data_dir)
    try:
        return store.db.execute("SELECT count(*) FROM event WHERE device = ?", (device,)).fetchone()[0]
    finally:
        store.close()


def test_a_folder_started_afresh_holds_a_retired_machine_s_events_again(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Starting afresh wrote this machine's own events alone: a machine retired meanwhile sends its own no more, so
    every machine set up later lacked them, though the stores that received them hold them. Now the fresh start
    writes them too (read by event id, a copy another store also sends is taken once)."""
    a, b, retired, new = (["--data-dir", str(tmp_path / name)] for name in ("a", "b", "c", "e"))
    for data in (retired, a, b):
        assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    assert run_cli(capsys, *retired, "preset", "add", "PC")[0] == 0
    assert run_cli(capsys, *retired, "sync")[0] == 0
    assert run_cli(capsys, *a, "preset", "add", "PA")[0] == 0  # its fresh start heals its own parts: all sent again
    for data in (a, b):
        assert run_cli(capsys, *data, "sync")[0] == 0
    device = _device_of(tmp_path / "c")
    held = _events_of(tmp_path / "a", device)
    assert held > 0
    shutil.rmtree(folder / syncfiles.FOLDER)  # the retired machine's folder with it
    code, out, err = run_cli(capsys, *a, "sync", "--afresh")
    assert code == 0, err
    assert run_cli(capsys, *b, "sync")[0] == 0  # quiz-progress is back: it heals its own folder
    assert run_cli(capsys, *new, "sync", "--folder", str(folder))[0] == 0
    assert _events_of(tmp_path / "e", device) == held
    for data in (a, b, new):  # no copy read is taken for a damaged line, nor the fresh start's files for lost ones
        code, out, err = run_cli(capsys, *data, "sync")
        assert code == 0 and "warning" not in out + err and "gone" not in out + err, out + err
    own = folder / syncfiles.FOLDER / _device_of(tmp_path / "a")
    for _, part in syncfiles.own_parts(own):  # a heal reads the retired machine's events there as this store's
        part.unlink()
    code, out, err = run_cli(capsys, *a, "sync")
    assert code == 0 and "never wrote" not in out + err and "missing event(s) sent again" in out, out + err


def test_a_move_by_a_machine_with_no_events_of_its_own_says_so_in_words_that_fit(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A machine that only ever received, moving to another folder, said "all 0 event(s) of this device written
    there, and 2 of other devices ...": the other devices' events alone are counted now, and this device's none."""
    a, z = (["--data-dir", str(tmp_path / name)] for name in ("a", "z"))
    assert run_cli(capsys, *a, "sync", "--folder", str(folder))[0] == 0
    assert run_cli(capsys, *a, "preset", "add", "PA")[0] == 0
    assert run_cli(capsys, *a, "sync")[0] == 0
    assert run_cli(capsys, *z, "sync", "--folder", str(folder))[0] == 0
    assert _events_of(tmp_path / "z", _device_of(tmp_path / "z")) == 0
    held = _events_of(tmp_path / "z", _device_of(tmp_path / "a"))
    moved = tmp_path / "Sync2"
    moved.mkdir()
    code, out, err = run_cli(capsys, *z, "sync", "--folder", str(moved))  # A retired: Z alone moves
    assert code == 0 and "all 0" not in out, out + err
    assert (
        f"new sync folder: {held} event(s) of other devices with no files there written there (a machine retired"
        " sends its own no more), for the machines set up later; this device has none of its own"
    ) in out


def _event_ids(data_dir: Path) -> set[str]:
    store = Store.in_folder(data_dir)
    try:
        return {event_id for (event_id,) in store.db.execute("SELECT id FROM event")}
    finally:
        store.close()


def test_a_move_to_another_folder_carries_a_retired_machine_s_events_there(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A retired machine never moves: after the others moved to another folder (or to git), a machine set up there
    lacked its events, though every store that moved holds them. The first sync in the new folder writes them too,
    as a fresh start does, and says so in its line about the new folder, no warning."""
    a, b, c = (["--data-dir", str(tmp_path / name)] for name in ("a", "b", "c"))
    for data in (a, b):
        assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    assert run_cli(capsys, *a, "preset", "add", "PA")[0] == 0
    assert run_cli(capsys, *a, "sync")[0] == 0
    assert run_cli(capsys, *b, "preset", "add", "PB")[0] == 0
    assert run_cli(capsys, *b, "sync")[0] == 0
    retired = _device_of(tmp_path / "a")
    held = _events_of(tmp_path / "b", retired)
    assert held > 0
    moved = tmp_path / "Sync2"
    moved.mkdir()
    code, out, err = run_cli(capsys, *b, "sync", "--folder", str(moved))  # A retired: B alone moves
    own = _events_of(tmp_path / "b", _device_of(tmp_path / "b"))
    assert code == 0 and "warning" not in out + err, out + err
    assert (
        f"new sync folder: all {own} event(s) of this device written there, and {held} of other devices with no"
        " files there (a machine retired sends its own no more), for the machines set up later"
    ) in out
    assert run_cli(capsys, *c, "sync", "--folder", str(moved))[0] == 0
    assert _event_ids(tmp_path / "c") == _event_ids(tmp_path / "b")
    for data in (b, c):
        code, out, err = run_cli(capsys, *data, "sync")
        assert code == 0 and "sent 0 event(s), received 0" in out and "warning" not in out + err, out + err


def test_a_retired_machine_s_events_outlive_a_second_fresh_start(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh start carried only the events of devices whose files it had read itself: a machine that received a
    retired machine's events from another's files (carried there by an earlier fresh start) never carried them,
    so after a second fresh start every machine set up later lacked them. Every device with no part there now
    counts; a folder holding only its device.json has none."""
    a, c, e, f = (["--data-dir", str(tmp_path / name)] for name in ("a", "c", "e", "f"))
    for data in (a, c):
        assert run_cli(capsys, *data, "sync", "--folder", str(folder))[0] == 0
    for name in ("PC", "PC2"):
        assert run_cli(capsys, *c, "preset", "add", name)[0] == 0
    assert run_cli(capsys, *c, "sync")[0] == 0
    assert run_cli(capsys, *a, "preset", "add", "PA")[0] == 0
    assert run_cli(capsys, *a, "sync")[0] == 0
    shutil.rmtree(folder / syncfiles.FOLDER)  # C retired, its folder gone with it
    assert run_cli(capsys, *a, "sync", "--afresh")[0] == 0
    assert run_cli(capsys, *e, "sync", "--folder", str(folder))[0] == 0
    assert _events_of(tmp_path / "e", _device_of(tmp_path / "c")) > 0  # from A's files alone
    retired = folder / syncfiles.FOLDER / _device_of(tmp_path / "a")
    claim = (retired / syncfiles.DEVICE_FILE).read_bytes()
    shutil.rmtree(folder / syncfiles.FOLDER)  # A retired too
    retired.mkdir(parents=True)
    (retired / syncfiles.DEVICE_FILE).write_bytes(claim)  # its device.json alone left
    code, out, err = run_cli(capsys, *e, "sync", "--afresh")
    assert code == 0, out + err
    assert run_cli(capsys, *f, "sync", "--folder", str(folder))[0] == 0
    assert _event_ids(tmp_path / "f") == _event_ids(tmp_path / "e") == _event_ids(tmp_path / "a")
    for data in (e, f):
        code, out, err = run_cli(capsys, *data, "sync")
        assert code == 0 and "sent 0 event(s), received 0" in out and "warning" not in out + err, out + err
    code, out, _ = run_cli(capsys, *f, "rebuild")
    assert code == 0 and "all as stored" in out, out


def test_a_sync_while_the_app_is_open_is_no_failure_and_says_when_the_events_go(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cron line's `quiz sync` while the app was left open exited 1, against "exits 1 when something needs you":
    nothing failed, the app syncs as it quits. It exits 0 now, as for a folder out of reach, and writes nothing."""
    from quiz.core.lock import AppLock

    data = _synced_with_an_event_made_since(tmp_path, folder, capsys)
    before = sorted(folder.rglob("*"))
    with AppLock(tmp_path / "laptop"):  # the open app's lock
        code, out, err = run_cli(capsys, *data, "sync")
    assert code == 0 and out == "" and sorted(folder.rglob("*")) == before
    assert err == (
        f"quiz: not synced: quiz is already open in another window (pid {os.getpid()}): it syncs as it quits; nothing"
        " is lost: this machine's events wait here for the next sync\n"
    )


def test_setting_sync_up_while_the_app_is_open_exits_1_and_says_to_close_it(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--folder` or `--afresh` while the app was open exited 0, "it syncs as it quits": the quit's sync sets no
    folder and refuses an emptied one, so nothing was set or written. Only a plain sync may wait for the quit."""
    from quiz.core.lock import AppLock

    new = ["--data-dir", str(tmp_path / "desk")]
    with AppLock(tmp_path / "desk"):
        code, _, err = run_cli(capsys, *new, "sync", "--folder", str(folder))
    assert code == 1 and "close it before syncing" in err and "syncs as it quits" not in err, err
    code, _, err = run_cli(capsys, *new, "sync")
    assert code == 1 and "no synced folder yet" in err  # nothing was set
    data = _synced_with_an_event_made_since(tmp_path, folder, capsys)
    shutil.rmtree(folder / syncfiles.FOLDER)
    with AppLock(tmp_path / "laptop"):
        code, _, err = run_cli(capsys, *data, "sync", "--afresh")
    assert code == 1 and "close it before syncing" in err and "syncs as it quits" not in err, err
    assert not (folder / syncfiles.FOLDER).exists()


def test_the_cron_line_giving_the_folder_kept_is_a_plain_sync_while_the_app_is_open_or_the_drive_away(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documented cron line, `quiz sync --folder PATH` at every run, exited 1 while the app was open ("close it
    before syncing"), and with the drive away and its mount point gone told her to `mkdir -p` the mount path, where
    an empty folder would then hide the drive. The folder kept already sets nothing up: a plain sync, exit 0. A
    folder other than the one kept still needs the app closed."""
    from quiz.core.lock import AppLock

    folder = tmp_path / "media" / "USB" / "Sync"
    folder.mkdir(parents=True)
    data = _synced_with_an_event_made_since(tmp_path, folder, capsys)
    with AppLock(tmp_path / "laptop"):
        code, out, err = run_cli(capsys, *data, "sync", "--folder", str(folder))
        assert code == 0 and out == "" and "it syncs as it quits" in err, err
        other = tmp_path / "Other"
        other.mkdir()
        code, _, err = run_cli(capsys, *data, "sync", "--folder", str(other))
        assert code == 1 and "close it before syncing" in err, err
    shutil.rmtree(tmp_path / "media" / "USB")  # the drive away, its mount point taken away with it
    code, out, err = run_cli(capsys, *data, "sync", "--folder", str(folder))
    assert code == 0 and "mkdir" not in err, err
    assert f"not synced: the synced folder {folder} is not there (not mounted?" in err
    assert not folder.exists()


def test_a_new_folder_given_under_a_place_not_there_is_said_not_there_not_to_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder given whose place is not there either (a drive's folder, the drive away and its mount point gone) was
    to be made with `mkdir -p`, an empty folder where the drive mounts; a new folder in a place there still is."""
    data = ["--data-dir", str(tmp_path / "laptop")]
    away = tmp_path / "media" / "USB" / "Sync"
    code, _, err = run_cli(capsys, *data, "sync", "--folder", str(away))
    assert code == 1 and "mkdir" not in err and f"{away} is not there, nor is {away.parent} (not mounted?)" in err, err
    new = tmp_path / "Sync"
    code, _, err = run_cli(capsys, *data, "sync", "--folder", str(new))
    assert code == 1 and f"{new} is not there: create it (`mkdir -p {new}`)" in err, err


def test_afresh_makes_no_folder_that_is_not_there(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--afresh` skipped the "not there" check too: a synced folder deleted (or a drive not mounted, its mount
    point gone) was made anew with this machine's history, against "`--folder` makes no folder"."""
    data = _synced_with_an_event_made_since(tmp_path, folder, capsys)
    shutil.rmtree(folder)
    code, _, err = run_cli(capsys, *data, "sync", "--afresh")
    assert code == 1 and f"not started afresh: the synced folder {folder} is not there" in err, err
    assert not folder.exists()


def test_a_push_the_remote_refuses_exits_1_and_one_out_of_reach_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A push refused for good (a protected branch, the remote's hook) exited 0 at every run, as if offline: a cron
    line never told her that nothing left the machine. It needs her: exit 1. Out of reach is for now: exit 0."""
    remote = bare_repository(tmp_path / "progress.git")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch'\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    data = ["--data-dir", str(tmp_path / "laptop")]
    clone = tmp_path / "clone"
    assert run_cli(capsys, *data, "sync", "--git", str(remote), "--folder", str(clone))[0] == 1
    assert run_cli(capsys, *data, "preset", "add", "p")[0] == 0
    code, out, _ = run_cli(capsys, *data, "sync")
    assert code == 1 and "[remote rejected]" in out and "not with the remote" in out
    remote.rename(tmp_path / "away")  # out of reach
    code, out, _ = run_cli(capsys, *data, "sync")
    assert code == 0 and "could not fetch" in out
