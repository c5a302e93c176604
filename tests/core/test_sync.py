"""`quiz sync` through a folder: each device appends its events to its own files and merges the others';
devices converge whatever the order of syncs, nothing is lost to a crash, bad files are reported."""

from __future__ import annotations

import itertools
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core import syncfiles
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file, load_decks
from quiz.core.model import Deck, Grade, Mode
from quiz.core.rebuild import rebuild
from quiz.core.scheduler import Scheduler, stable_card_number
from quiz.core.store import STORE_NAME, ImportedAnswer, ImportedCard, Store
from quiz.core.sync import SyncError, SyncReport, new_device, sync
from tests.conftest import START, run_cli
from tests.core.progress_ops import DECK, change_options, options_snapshot, snapshot, study


class Device:
    """One machine: its own store and clock, the shared folder."""

    def __init__(self, home: Path, name: str, folder: Path, offset: timedelta = timedelta()) -> None:
        self.name, self.folder = name, folder
        self.clock = FixedClock(START + offset)
        self.store = Store.in_folder(home / name, clock=self.clock)
        self.kept = 0  # answers given and not undone

    def study(self, deck: Deck, rng: random.Random, steps: int) -> None:
        self.kept += study(self.store, self.clock, deck, rng, steps)

    def change_options(self, deck: Deck, rng: random.Random) -> None:
        change_options(self.store, self.clock, deck, rng)

    def sync(self) -> SyncReport:
        return sync(self.store, self.folder, host=self.name)

    def event_ids(self) -> set[str]:
        return {event.id for event in self.store.read_events()}


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    path = tmp_path / "deck.yaml"
    path.write_text(DECK, encoding="utf-8")
    loaded = load_deck_file(path).deck
    assert loaded is not None
    return loaded


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared


@pytest.fixture
def devices(tmp_path: Path, folder: Path) -> Iterator[list[Device]]:
    made = [
        Device(tmp_path, name, folder, timedelta(minutes=7 * i)) for i, name in enumerate(("laptop", "desk", "phone"))
    ]
    yield made
    for device in made:
        device.store.close()


def _converged(devices: list[Device]) -> None:
    """Identical events, card states, flags, marks, settings, presets, exam dates and exam results on every
    device, every answer kept, and `quiz rebuild` finding nothing to change anywhere."""
    first = devices[0]
    for other in devices[1:]:
        assert other.event_ids() == first.event_ids()
        assert snapshot(other.store) == snapshot(first.store)
        assert options_snapshot(other.store) == options_snapshot(first.store)
    for device in devices:
        done = rebuild(device.store)
        assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0)
        assert device.store.review_count() == sum(d.kept for d in devices)


def test_one_device_s_answers_reach_the_other(devices: list[Device], deck: Deck, folder: Path) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 60)
    sent = laptop.sync()
    assert sent.sent == len(laptop.store.read_events()) and sent.received == 0
    got = desk.sync()
    assert got.received == sent.sent and got.devices == 1 and got.warnings == [] and got.conflicts == []
    assert snapshot(desk.store) == snapshot(laptop.store)
    assert [(r.card_key, r.grade, r.state_after) for r in desk.store.reviews()] == [
        (r.card_key, r.grade, r.state_after) for r in laptop.store.reviews()
    ]
    own = folder / syncfiles.FOLDER / laptop.store.device
    assert sorted(p.name for p in own.iterdir()) == ["device.json", "events-000001.jsonl"]
    assert "received 0" in desk.sync().summary() and laptop.sync().received == 0  # nothing twice


def test_every_order_of_syncs_converges(devices: list[Device], deck: Deck) -> None:
    """The same cards studied on three devices offline, then synced in every order: identical events, states,
    flags and marks everywhere, every answer kept."""
    for seed, order in enumerate(itertools.permutations(range(3))):
        for device in devices:
            device.study(deck, random.Random(seed * 10 + order.index(devices.index(device))), 40)
        for index in order + order:  # a second round brings each the events the first round left behind
            devices[index].sync()
        _converged(devices)


@pytest.mark.parametrize("seed", range(4))
def test_random_study_and_syncs_converge(devices: list[Device], deck: Deck, seed: int) -> None:
    """Point 5's property in a first form: random study, undo, suspend, bury, reset, flags and marks on three
    devices, the same cards on several, syncs at random moments (some devices long offline)."""
    rng = random.Random(seed)
    for _ in range(12):
        device = rng.choice(devices)
        if rng.random() < 0.4:
            device.sync()
        else:
            device.study(deck, rng, rng.randrange(5, 40))
    for device in devices + devices:
        device.sync()
    _converged(devices)


@pytest.mark.parametrize("seed", range(6))
def test_options_exams_and_marks_between_merges_converge(devices: list[Device], deck: Deck, seed: int) -> None:
    """Point 5's property whole: besides study, the settings, option presets (added, changed, renamed, removed,
    given to the deck), exam dates, exams taken and marks change on every device between syncs, the same
    cards are answered on several offline, and every order of syncs ends in the same store everywhere."""
    rng = random.Random(1000 + seed)
    for _ in range(24):
        device = rng.choice(devices)
        roll = rng.random()
        if roll < 0.3:
            device.sync()
        elif roll < 0.65:
            device.study(deck, rng, rng.randrange(5, 30))
        else:
            for _ in range(rng.randrange(1, 4)):
                device.change_options(deck, rng)
        if rng.random() < 0.2:  # a device offline for days
            rng.choice(devices).clock.advance(timedelta(days=rng.randrange(1, 6)))
    for device in devices + devices:
        device.sync()
    _converged(devices)


def test_a_merge_recomputes_an_answer_another_device_s_came_before(devices: list[Device], deck: Deck) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(5), 30)
    laptop.sync()
    desk.sync()
    for device, seed in ((laptop, 6), (desk, 7)):  # both answer the same due cards, offline
        device.clock.advance(timedelta(days=3))
        device.study(deck, random.Random(seed), 30)
    laptop.sync(), desk.sync(), laptop.sync()
    _converged([laptop, desk])


def _answer(device: Device, deck: Deck, grade: Grade) -> None:
    """The deck's first card answered on `device` now, as a session records it."""
    card = deck.cards[0]
    before = device.store.state(deck.id, card.key)
    now = device.clock.now()
    after = Scheduler(device.store.settings()).review(
        stable_card_number(deck.id, card.key), before or CardState(card.kind), grade, now
    )
    device.store.record_review(deck.id, card.key, grade, now, 4000, Mode.REVIEW, before, after)
    device.kept += 1


def test_a_settings_change_read_late_recomputes_the_answers_after_it(devices: list[Device], deck: Deck) -> None:
    """The phone lowers the desired retention; after it, offline, the laptop and the desk answer the same card,
    and merge: the desk's answer is computed again. When the phone's change reaches them it is older than
    both answers, so they compute it again with the phone's retention, as the phone does."""
    laptop, desk, phone = devices
    for _ in range(3):
        laptop.clock.advance(timedelta(days=4))
        _answer(laptop, deck, Grade.GOOD)
    for device in devices:
        device.sync()
    later = max(device.clock.now() for device in devices) + timedelta(days=10)
    for device, minutes in ((phone, 0), (laptop, 60), (desk, 120)):
        device.clock.current = later + timedelta(minutes=minutes)
    phone.store.save_settings(replace(phone.store.settings(), desired_retention=0.7))
    _answer(laptop, deck, Grade.GOOD)
    _answer(desk, deck, Grade.GOOD)
    laptop.sync(), desk.sync(), laptop.sync()
    assert snapshot(laptop.store) == snapshot(desk.store)  # the desk's answer computed again, with 0.9
    phone.sync(), laptop.sync(), desk.sync()
    _converged(devices)


def _fake_device(folder: Path, name: str, lines: list[str], version: int = 1) -> Path:
    part = folder / syncfiles.FOLDER / name / syncfiles.part_name(1)
    part.parent.mkdir(parents=True)
    head = json.dumps({"quiz_events": version, "device": name, "part": 1})
    part.write_text("\n".join([head, *lines]) + "\n", encoding="utf-8")
    return part


def test_a_bad_line_is_skipped_with_its_file_and_line_and_the_rest_read(
    devices: list[Device], deck: Deck, folder: Path
) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(2), 30)
    laptop.sync()
    own = folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    good = own.read_text(encoding="utf-8").splitlines()[1:]
    other = [line.replace(laptop.store.device, "other") for line in good[:2]]
    other = [line.replace(json.loads(line)["id"], json.loads(line)["id"][:-4] + "beef") for line in other]
    part = _fake_device(folder, "other", [other[0], '{"v": 1, "id": "cut sh', "not json at all", other[1]])
    report = desk.sync()
    assert [w.split(": ")[0] for w in report.warnings] == [f"{part}:3", f"{part}:4"]
    assert report.received == len(good) + 2  # the laptop's and both good lines of the other
    assert snapshot(desk.store)[0] and desk.sync().warnings == []  # read once: not warned again


def test_a_file_from_a_newer_quiz_is_refused_with_its_version(devices: list[Device], folder: Path) -> None:
    part = _fake_device(folder, "future", ['{"v": 2}'], version=2)
    report = devices[0].sync()
    assert report.received == 0
    assert report.warnings == [
        f"{part}: written by a newer quiz (events format 2; this quiz reads 1); not read: upgrade quiz on this machine"
    ]
    assert devices[0].sync().warnings == report.warnings  # still unread: read once quiz is upgraded


def test_conflict_copies_are_reported_and_never_read(devices: list[Device], deck: Deck, folder: Path) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(4), 20)
    laptop.sync()
    own = folder / syncfiles.FOLDER / laptop.store.device
    copy = own / "events-000001.sync-conflict-20260105-101010-ABCDEF.jsonl"
    shutil.copy(own / "events-000001.jsonl", copy)
    dropbox = folder / syncfiles.FOLDER / f"{laptop.store.device} (desk's conflicted copy 2026-01-05)"
    shutil.copytree(own, dropbox)
    report = desk.sync()
    assert sorted(report.conflicts) == sorted([copy, dropbox])
    assert report.received == len(laptop.store.read_events()) and report.devices == 1
    assert desk.store.review_count() == laptop.store.review_count()


def test_a_deck_s_conflict_copy_is_not_loaded_as_a_second_deck(tmp_path: Path) -> None:
    decks = tmp_path / "Sync" / "decks"
    decks.mkdir(parents=True)
    (decks / "words.yaml").write_text(DECK, encoding="utf-8")
    (decks / "words.sync-conflict-20260105-101010-ABCDEF.yaml").write_text(DECK, encoding="utf-8")
    (decks / "words (laptop's conflicted copy 2026-01-05).yaml").write_text(DECK, encoding="utf-8")
    results = load_decks([decks])
    assert [Path(r.path).name for r in results if r.deck] == ["words.yaml"]
    copies = [r for r in results if r.deck is None]
    assert len(copies) == 2 and all("conflict" in r.problems[0].message for r in copies)


def test_a_copied_store_is_told_apart_and_given_a_new_id(devices: list[Device], deck: Deck, tmp_path: Path) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(8), 20)
    laptop.sync()
    copy_folder = tmp_path / "copied"
    copy_folder.mkdir()
    laptop.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(Path(laptop.store.path), copy_folder / STORE_NAME)
    copied = Store(copy_folder / STORE_NAME)
    assert copied.device == laptop.store.device
    with pytest.raises(SyncError, match="already used by the store .* on laptop"):
        sync(copied, laptop.folder, host="desk")
    new_device(copied)
    assert copied.device != laptop.store.device
    assert sync(copied, laptop.folder, host="desk").sent == len(copied.read_events())
    laptop.sync(), desk.sync()
    assert laptop.store.review_count() == desk.store.review_count() == copied.review_count()  # nothing twice
    copied.close()


def test_another_store_writing_under_this_device_s_id_is_detected(devices: list[Device], deck: Deck) -> None:
    laptop = devices[0]
    laptop.study(deck, random.Random(9), 10)
    laptop.sync()
    own = laptop.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    line = own.read_text(encoding="utf-8").splitlines()[-1]
    with open(own, "a", encoding="utf-8") as out:
        out.write(line.replace(json.loads(line)["id"], "01900000-0000-7000-8000-000000000001") + "\n")
    with pytest.raises(SyncError, match="holds events this store never wrote"):
        laptop.sync()


def test_a_crash_after_appending_loses_nothing_and_appends_nothing_twice(
    devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(10), 30)
    real = syncfiles.append_lines

    def append_then_die(*args: object, **kwargs: object) -> tuple[int, int]:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # killed before the store noted what it appended

    monkeypatch.setattr(syncfiles, "append_lines", append_then_die)
    with pytest.raises(KeyboardInterrupt):
        laptop.sync()
    monkeypatch.setattr(syncfiles, "append_lines", real)
    laptop.study(deck, random.Random(11), 10)
    assert laptop.sync().sent > 0
    own = laptop.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    ids = [json.loads(line)["id"] for line in own.read_text(encoding="utf-8").splitlines()[1:]]
    assert len(ids) == len(set(ids)) == len(laptop.store.read_events())
    desk.sync()
    _converged([laptop, desk])


def test_a_line_cut_short_by_a_crash_stays_apart_from_the_next(devices: list[Device], deck: Deck) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(12), 10)
    laptop.sync()
    own = laptop.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    with open(own, "a", encoding="utf-8") as out:
        out.write('{"v": 1, "id": "half')  # the power went while a line was being written
    laptop.study(deck, random.Random(13), 10)
    laptop.sync()
    report = desk.sync()
    assert len(report.warnings) == 1 and report.warnings[0].startswith(f"{own}:")
    _converged([laptop, desk])


def test_parts_are_rotated_by_size(
    devices: list[Device], deck: Deck, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(syncfiles, "PART_BYTES", 4000)
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(14), 40)
    laptop.sync()
    laptop.study(deck, random.Random(15), 40)
    laptop.sync()
    parts = syncfiles.own_parts(folder / syncfiles.FOLDER / laptop.store.device)
    assert len(parts) > 2 and all(p.stat().st_size < 4000 + 2000 for _, p in parts)
    assert all(p.read_text().startswith('{"device"') for _, p in parts)  # each with its header
    desk.sync()
    _converged([laptop, desk])


def test_quiz_sync_keeps_its_folder_and_says_what_it_did(tmp_path: Path, folder: Path, capsys) -> None:
    data = tmp_path / "data"
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync")
    assert code == 1 and "quiz sync --folder PATH" in err
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(tmp_path / "nowhere"))
    assert code == 1 and "is not a folder" in err
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(folder))
    assert code == 0 and out.startswith(f"synced with {folder.resolve()}: sent")
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sync")
    assert code == 0 and "sent 0 event(s), received 0 from 0 other device(s)" in out
    _fake_device(folder, "future", [], version=3)
    (folder / syncfiles.FOLDER / "x.sync-conflict-20260105-101010-ABCDEF").mkdir()
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sync")
    assert code == 0 and "1 conflict copy ignored; 1 warning(s)" in out
    assert "warning: " in out and "events format 3" in out and "a conflict copy left by a sync tool" in out


def test_answers_keep_their_own_time_when_the_clock_went_back_or_they_were_imported(
    devices: list[Device], deck: Deck
) -> None:
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(16), 20)
    laptop.clock.advance(timedelta(days=-30))  # a clock set back: events still go forward, answers keep it
    laptop.study(deck, random.Random(17), 20)
    old = START - timedelta(days=400)
    after = CardState("basic", 2, stability=3.0, difficulty=5.0, due=old, last_review=old, reps=1)
    answers = (ImportedAnswer(Grade.GOOD, old, 5000, None, after),)
    laptop.store.import_history("anki", [ImportedCard("x", answers, after, 0)], lambda: None)
    times = [event.at for event in laptop.store.read_events()]
    assert times == sorted(times)
    laptop.sync(), desk.sync()
    assert [(r.card_key, r.reviewed_at) for r in desk.store.reviews()] == [
        (r.card_key, r.reviewed_at) for r in laptop.store.reviews()
    ]
    assert desk.store.state("anki", "x") == after


def test_exam_dates_travel_and_the_latest_change_wins(devices: list[Device]) -> None:
    laptop, desk, _ = devices
    laptop.store.save_exam_date("ketamine", "", "2027-01-15", 0.95)
    laptop.store.save_exam_date("ketamine", "mechanism", "2027-01-10", 0.9)
    laptop.sync()
    desk.sync()
    assert desk.store.exam_dates() == laptop.store.exam_dates()
    desk.clock.advance(timedelta(hours=1))
    desk.store.save_exam_date("ketamine", "", "2027-02-01", 0.9)  # moved on the desk, later
    assert desk.store.remove_exam_date("ketamine", "mechanism")
    desk.sync()
    laptop.sync()
    assert laptop.store.exam_dates() == desk.store.exam_dates() == [("ketamine", "", "2027-02-01", 0.9)]


def test_a_reschedule_is_recorded_so_a_rebuild_keeps_it(devices: list[Device], deck: Deck) -> None:
    laptop = devices[0]
    laptop.study(deck, random.Random(3), 40)
    reviews = {key: state for key, state in laptop.store.states("d").items() if state.is_review and state.due}
    moved = {key: replace(state, due=state.due + timedelta(days=5)) for key, state in reviews.items() if state.due}
    assert moved
    laptop.store.set_states("d", moved)
    done = rebuild(laptop.store)
    assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0)
    assert {key: laptop.store.state("d", key) for key in moved} == moved
