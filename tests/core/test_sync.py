"""`quiz sync` through a folder: each device appends its events to its own files and merges the others';
devices converge whatever the order of syncs, nothing is lost to a crash, bad files are reported."""

from __future__ import annotations

import contextlib
import errno
import functools
import itertools
import json
import os
import random
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

import quiz.core.sync
from quiz.core import events, syncfiles
from quiz.core.backup import make_backup, needs_backup
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.conflicts import original_name
from quiz.core.decks import load_deck_file
from quiz.core.events import Event, card_number
from quiz.core.examdates import read_exam_dates
from quiz.core.exampace import paced_exams
from quiz.core.library import load_decks
from quiz.core.model import Deck, Grade, Mode
from quiz.core.presets import deck_settings
from quiz.core.rebuild import rebuild
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import STORE_NAME, ImportedAnswer, ImportedCard, Store, state_tuple
from quiz.core.sync import Exchanged, SyncError, SyncReport, new_device, sync
from tests.conftest import START, basic_deck_yaml, record_good, run_cli
from tests.core.progress_ops import (
    DECK,
    OPTION_ACTIONS,
    STUDY_ACTIONS,
    Action,
    Answer,
    BrowseAction,
    SetExamDate,
    ToggleBuried,
    ToggleSuspended,
    Undo,
    User,
    options_snapshot,
    progress_deck,
    snapshot,
    study,
)

# conflict copies as each sync tool names them, and as a user or an older tool may: {stem} and {ext} of the file
CONFLICT_NAMES = (
    "{stem}.sync-conflict-20260105-101010-ABCDEF{ext}",  # Syncthing
    "{stem}.sync-conflict-20261203-1010-ABCDEFG{ext}",  # a 4-digit time
    "{stem}.sync-conflict-20261203{ext}",  # a date alone
    "x.sync-conflict-20261203{ext}",
    "{stem} (laptop's conflicted copy 2026-01-05){ext}",  # Dropbox
    "{stem} (Ana's MacBook Pro (2)'s conflicted copy 2026-01-05){ext}",  # a machine name macOS numbered
    "{stem} (laptop's conflicted copy 2026-01-05 (1)){ext}",  # Dropbox's second copy of a day
    "{stem} (Selective Sync Conflict){ext}",  # Dropbox's, a file where a folder left out of sync was
    "{stem} (Case Conflict){ext}",  # Dropbox's, a name differing from another only in case
    "{stem} (Case Conflict 1){ext}",
    "{stem} (conflicted copy 2026-01-05 101010){ext}",  # Nextcloud
    "{stem}_conflict-20260105-101010{ext}",  # ownCloud
    "{stem} (SFConflict ana@example.org 2026-01-05-10-10-10){ext}",  # Seafile
)

# the convergence property's examples: a fixed, repeatable set in the quick loop, more under `slow`
QUICK_EXAMPLES = int(os.environ.get("QUIZ_CONVERGENCE_EXAMPLES", "20"))
SLOW_EXAMPLES = 200


class Device:
    """One machine: its own store and clock, the shared folder."""

    def __init__(self, home: Path, name: str, folder: Path, offset: timedelta = timedelta()) -> None:
        self.name, self.folder = name, folder
        self.clock = FixedClock(START + offset)
        self.store = Store.in_folder(home / name, clock=self.clock)
        self.kept = 0  # answers given and not undone

    def study(self, deck: Deck, rng: random.Random, steps: int) -> None:
        self.kept += study(self.store, self.clock, deck, rng, steps)

    def sync(self) -> SyncReport:
        return sync(self.store, self.folder, host=self.name)

    def event_ids(self) -> set[str]:
        return {event.id for event in self.store.read_events()}


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return progress_deck(tmp_path)


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


class Killed(BaseException):
    """kill -9: the process is gone in the middle of a sync (caught by nothing the code under test has)."""


def append_then_killed() -> contextlib.AbstractContextManager[Any]:
    """A patch making a sync append this device's events, then die (Killed) before the store notes them."""
    real = syncfiles.append_lines

    def append_then_die(*args: Any, **kwargs: Any) -> tuple[int, int]:
        real(*args, **kwargs)
        raise Killed

    return mock.patch.object(syncfiles, "append_lines", append_then_die)


class StudyingDevice(Device):
    """A device whose user stays in one study session between actions, until a sync, a crash or days away
    end it (the app merges only between sessions)."""

    def __init__(self, home: Path, name: str, folder: Path, deck: Deck, offset: timedelta) -> None:
        super().__init__(home, name, folder, offset)
        self.home, self.deck = home, deck
        self.user = User(self.store, self.clock, deck)

    def act(self, action: Action) -> bool:
        """`action`, 10 seconds after the previous one; whether it answered a paced card (`answers_a_paced_card`)."""
        kept = self.user.kept
        self.clock.advance(timedelta(seconds=10))
        paced = isinstance(action, Answer) and self.answers_a_paced_card()
        self.user.do(action)
        self.kept += self.user.kept - kept
        return paced

    def sync(self) -> SyncReport:
        self.user.end_session()
        return super().sync()

    def answers_a_paced_card(self) -> bool:
        """Whether the card an answer now would answer is a new one of a topic whose exam ahead still takes new
        cards first today (a session is started if none is under way, as the answer itself would start it)."""
        card = self.user.session.current
        if card is None or card.topic is None or not self.user.session.state_of(card).is_new:
            return False
        settings = deck_settings(self.store)
        now, rollover = self.clock.now(), settings.base.rollover_hour
        paced = paced_exams(
            self.store, self.deck, read_exam_dates(self.store), now, rollover, settings.of(self.deck.id)
        )
        return any(entry.exam.topic == card.topic and entry.left > 0 for entry in paced)

    def killed_syncing(self, at: str) -> None:
        """A sync killed after appending this device's events, before the store noted them ("append"), or
        while merging the others' ("merge"); then quiz starts again on the same store."""

        def die(*args: Any, **kwargs: Any) -> int:
            raise Killed

        crash = append_then_killed()
        if at == "merge":
            crash = mock.patch.object(quiz.core.sync, "replay_touched", die)
        with crash, contextlib.suppress(Killed):
            self.sync()
        self.store.close()
        self.store = Store.in_folder(self.home / self.name, clock=self.clock)
        self.user = User(self.store, self.clock, self.deck)


@dataclass(frozen=True)
class Study:
    """Actions in a row in the device's study session (or from its Browse)."""

    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Sync:
    killed_at: str | None = None  # "append" or "merge": see StudyingDevice.killed_syncing


@dataclass(frozen=True)
class Offline:
    """The device is off for `days`: its session ends, its clock moves on."""

    days: int


Step = Study | Action | Sync | Offline
STEPS: st.SearchStrategy[Step] = st.one_of(
    st.builds(Study, st.lists(STUDY_ACTIONS, min_size=1, max_size=8).map(tuple)),
    OPTION_ACTIONS,
    st.builds(Sync, st.sampled_from([None, None, None, "append", "merge"])),  # two syncs in five killed
    st.builds(Offline, st.integers(1, 6)),
)
NAMES = ("laptop", "desk", "phone")
PACED = "a new card of a topic's exam answered while its pace takes them first"
# in memory where there is a tmpfs: every answer is a synced commit, and on a busy disk the syncs of a few
# hundred runs, not the code under test, would take most of the time (a kill is simulated by an exception)
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else None


class Convergence(RuleBasedStateMachine):
    """Issue 16's property: three devices, each studying (answers, undos, suspends, buries, resets, flags,
    marks), changing settings, option presets, exam dates and taking exams, going offline for days, syncing
    in any order, some syncs killed half way; the same cards are answered on several devices. At the end
    every device syncs twice, in an order drawn too, and all hold identical events, states, flags, marks and
    options, `quiz rebuild` changes nothing on any, and every answer given and not undone is in every log.
    A failure shrinks to the fewest steps, printed as the calls below."""

    steps: ClassVar[list[str]] = []  # the last run's steps, one line each (the shrunk run, once it fails)
    kinds: ClassVar[set[str]] = set()  # every kind of step run so far

    def __init__(self) -> None:
        super().__init__()
        self.home = Path(tempfile.mkdtemp(prefix="quiz-convergence-", dir=SCRATCH))
        folder = self.home / "Sync"
        folder.mkdir()
        self.devices = {
            name: StudyingDevice(self.home, name, folder, _deck(), timedelta(minutes=7 * i))
            for i, name in enumerate(NAMES)
        }
        self.order = NAMES
        type(self).steps = []

    @initialize(order=st.permutations(NAMES))
    def last_syncs_in(self, order: list[str]) -> None:
        self.order = tuple(order)

    # one rule, drawing every kind of step: with several rules, hypothesis turns some off in each run (swarm
    # testing), and shrinking then stops at steps it cannot delete without changing which are on
    @rule(device=st.sampled_from(NAMES), step=STEPS)
    def step(self, device: str, step: Step) -> None:
        chosen = self.devices[device]
        if isinstance(step, Study):
            for action in step.actions:
                self._log(device, type(action).__name__, action)
                if chosen.act(action):
                    self.kinds.add(PACED)
        elif isinstance(step, Action):
            self._log(device, type(step).__name__, step)
            chosen.act(step)
        elif isinstance(step, Sync) and step.killed_at is None:
            self._log(device, "sync", step)
            chosen.sync()
        elif isinstance(step, Sync):
            self._log(device, f"sync killed at {step.killed_at}", step)
            chosen.killed_syncing(step.killed_at)
        else:
            self._log(device, "offline", step)
            chosen.user.end_session()
            chosen.clock.advance(timedelta(days=step.days))

    def _log(self, device: str, kind: str, what: object) -> None:
        self.steps.append(f"{device}: {what}")
        self.kinds.add(kind)

    def teardown(self) -> None:
        try:
            ordered = [self.devices[name] for name in self.order]
            for device in ordered + ordered:
                device.sync()
            _converged(list(self.devices.values()))
            answered_on: dict[str | None, set[str]] = {}  # card -> the devices that answered it
            for event in self.devices[NAMES[0]].store.read_events(kinds=(events.REVIEW,)):
                answered_on.setdefault(event.card_key, set()).add(event.device)
            if any(len(devices) > 1 for devices in answered_on.values()):
                self.kinds.add("one card answered on two devices")
        finally:
            for device in self.devices.values():
                device.store.close()
            shutil.rmtree(self.home, ignore_errors=True)


@functools.cache
def _deck() -> Deck:
    """DECK loaded once for every example (a Deck is not changed by studying it)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.yaml"
        path.write_text(DECK, encoding="utf-8")
        loaded = load_deck_file(path).deck
    assert loaded is not None
    return loaded


def _run(machine: type[RuleBasedStateMachine], examples: int, steps: int) -> None:
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate, Phase.shrink],  # no explain phase: the shrunk steps say enough, sooner
        ),
    )


def _kinds(action: type[Action]) -> set[str]:
    below = set().union(*map(_kinds, action.__subclasses__()))
    return below if action in (Action, BrowseAction) else below | {action.__name__}


def test_devices_converge_whatever_they_do_and_in_whatever_order_they_sync() -> None:
    Convergence.kinds = set()
    _run(Convergence, examples=QUICK_EXAMPLES, steps=40)
    every = _kinds(Action) | {"sync", "sync killed at append", "sync killed at merge", "offline"}
    every |= {"one card answered on two devices"}
    # The quick loop's examples try every kind of step and one card on two devices: each was reached with every
    # one of 40 seeds tried. Derandomized examples are the same from run to run only while the same modules of
    # quiz are loaded: Hypothesis also draws numbers it finds in their source, so a whole-suite run can draw other
    # examples than this file alone. A topic exam's paced card (PACED) came up with 30 seeds of 40, so it is not
    # required of these examples: the test below answers one on purpose.
    assert Convergence.kinds - {PACED} == every


def test_a_topic_exam_synced_in_paces_new_cards_and_devices_answering_them_converge() -> None:
    """An exam on a topic set on one device reaches another by a sync, whose next session then takes that topic's
    new card first; both answer it, a third device studies without the exam, and all three converge."""
    Convergence.kinds = set()
    state = Convergence()
    try:
        state.last_syncs_in(order=list(NAMES))
        state.step(device="desk", step=SetExamDate(topic="mechanism", days=20, target=0.9))
        state.step(device="desk", step=Sync())
        state.step(device="laptop", step=Sync())
        for device in ("laptop", "desk", "phone"):
            state.step(device=device, step=Study((Answer(Grade.GOOD),)))
        answered = {name: [key for _, key, _ in device.store.all_states()] for name, device in state.devices.items()}
    finally:
        state.teardown()
    assert PACED in Convergence.kinds and "one card answered on two devices" in Convergence.kinds
    # b2, the topic's first card, before the deck's first; the phone, not synced, in deck order
    assert answered == {"laptop": ["b2"], "desk": ["b2"], "phone": ["b0"]}


@pytest.mark.slow
def test_devices_converge_in_a_longer_search() -> None:
    _run(Convergence, examples=SLOW_EXAMPLES, steps=80)


@pytest.mark.slow  # shrinking runs the machine a few hundred times: ~10 s
def test_a_broken_merge_is_found_and_shrunk_to_the_few_steps_that_break_it() -> None:
    """The property catches a merge that drops the undos it reads, and shrinks what it found to an answer, its
    undo and the syncs of the end, printed as the steps to run again."""
    real = quiz.core.sync.merge

    def merge_dropping_undos(store: Store, exchanged: Exchanged) -> SyncReport:
        for i, (part, read) in enumerate(exchanged.reads):
            exchanged.reads[i] = (part, replace(read, events=[e for e in read.events if e.kind != events.UNDO]))
        return real(store, exchanged)

    with mock.patch.object(quiz.core.sync, "merge", merge_dropping_undos), pytest.raises(AssertionError) as failed:
        _run(Convergence, examples=200, steps=10)
    shrunk = Convergence.steps  # the last run is the failing one hypothesis reports, once shrunk
    assert len(shrunk) <= 3, shrunk  # from runs of up to 10 steps, a study step up to 8 actions
    answered = [step.split(":")[0] for step in shrunk if "Answer(" in step]
    assert any(step == f"{device}: Undo()" for device in answered for step in shrunk), shrunk
    printed = "\n".join(getattr(failed.value, "__notes__", []))
    assert "state = Convergence()" in printed and "Undo()" in printed and "state.teardown()" in printed


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


@pytest.mark.parametrize("change", [ToggleSuspended, ToggleBuried])
def test_an_answer_undone_after_another_device_s_suspend_or_bury_puts_that_back(
    devices: list[Device], deck: Deck, change: type[ToggleSuspended | ToggleBuried]
) -> None:
    """The desk suspends (or buries) a card; later by the clocks the laptop, offline, answers it and undoes the
    answer. Merged, the answer found the card suspended, so its undo leaves it suspended, on both devices.
    Before, only an answer whose schedule was computed again had the state it found put back: this one had the
    state the laptop recorded it from, and the desk's suspension was lost everywhere (`quiz rebuild` agreeing)."""
    laptop, desk, _ = devices
    laptop.clock.advance(timedelta(hours=1))
    studying = User(laptop.store, laptop.clock, deck)
    studying.do(Answer(Grade.GOOD))
    (key,) = {review.card_key for review in laptop.store.reviews()}
    studying.do(Undo())
    change(next(i for i, card in enumerate(deck.cards) if card.key == key)).do(User(desk.store, desk.clock, deck))
    changed = desk.store.state(deck.id, key)
    assert changed is not None and (changed.suspended or changed.buried_until is not None)
    laptop.sync(), desk.sync(), laptop.sync()
    assert laptop.store.state(deck.id, key) == desk.store.state(deck.id, key) == changed
    _converged([laptop, desk])


def test_a_buried_new_card_answered_twice_and_both_undone_stays_buried_everywhere(
    devices: list[Device], deck: Deck
) -> None:
    """A new card buried (Browse) is answered the next day, twice, and both answers are undone. The session
    recorded the first answer as following no state, so its undo took the burial away in the store while the
    replay of the two undos on every device put it back: the devices diverged and `quiz rebuild` changed the card."""
    laptop, desk, _ = devices
    user = User(laptop.store, laptop.clock, deck)
    first = user.session.current
    assert first is not None
    ToggleBuried(next(i for i, card in enumerate(deck.cards) if card.key == first.key)).do(user)
    laptop.clock.advance(timedelta(days=1))
    user.end_session()
    user.do(Answer(Grade.AGAIN))
    while user.session.current is not None and user.session.current.key != first.key:
        laptop.clock.advance(timedelta(minutes=1))
        user.do(Answer(Grade.GOOD))
    laptop.clock.advance(timedelta(minutes=2))
    user.do(Answer(Grade.AGAIN))
    assert sum(review.card_key == first.key for review in laptop.store.reviews()) == 2
    while user.session.next_undo() is not None:
        user.do(Undo())
    laptop.kept = user.kept
    laptop.sync(), desk.sync(), laptop.sync()
    buried = laptop.store.state(deck.id, first.key)
    assert buried is not None and buried.buried_until is not None
    _converged([laptop, desk])


def _answer(device: Device, deck: Deck, grade: Grade) -> None:
    """The deck's first card answered on `device` now, as a session records it."""
    card = deck.cards[0]
    before = device.store.state(deck.id, card.key)
    now = device.clock.now()
    after = Scheduler(device.store.settings()).review(
        card_number(deck.id, card.key), before or CardState(card.kind), grade, now
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
    assert report.read_once()[-1].startswith(
        "warning: the events of the bad lines above are not read again, even repaired; to take them, run `quiz sync"
        " --new-device` on the machine that wrote them (device other: "
    )


def test_a_line_damaged_in_place_is_recovered_as_the_warning_says(devices: list[Device], deck: Deck) -> None:
    """A line of the laptop's damaged in place (same length) was skipped by the desk, warned of once, and its
    event never taken, even after the file was repaired; nothing said what to do. The advice given works."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(41), 10)
    laptop.sync()
    part = desk.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    sound = part.read_bytes()
    part.write_bytes(sound.replace(b'{"', b"#{", 2).replace(b"#{", b'{"', 1))  # line 2 made no JSON
    report = desk.sync()
    assert [w.split(": ")[0] for w in report.warnings] == [f"{part}:2"]
    advice = report.read_once()[-1]
    assert f"run `quiz sync --new-device` on the machine that wrote them (device {laptop.store.device}: " in advice
    part.write_bytes(sound)  # repaired: still not read again, as the warning says
    assert desk.sync().received == 0 and desk.event_ids() != laptop.event_ids()
    part.write_bytes(sound.replace(b'{"', b"#{", 2).replace(b"#{", b'{"', 1))  # damaged again, for the laptop
    new_device(laptop.store)
    # the laptop reads its old folder as another device's: its bad line costs it nothing, and it is not told to
    # run again what it just ran
    assert [line.split(": ")[1] for line in laptop.sync().read_once()] == [f"{part}:2"]
    assert desk.sync().received == 1
    _converged([laptop, desk])


@pytest.mark.parametrize(
    ("damage", "warned"),
    [
        (lambda lines: lines[:2] + [lines[2][:-30]] + lines[3:], ["", ":3"]),  # a line cut short: it alone is bad
        (lambda lines: lines[:3] + [lines[2]] + lines[3:], [""]),  # a line doubled: taken once, the part named
        (lambda lines: [line + b"\r" for line in lines], [""]),  # CRLF endings: JSON allows the \r
    ],
    ids=["cut-short", "doubled", "crlf"],
)
def test_a_line_damaged_before_where_a_device_read_to_costs_it_no_other_line(
    devices: list[Device], deck: Deck, damage: Any, warned: list[str]
) -> None:
    """The desk read the laptop's part, the laptop appended more; then a line the desk had read was damaged in
    place, changing the part's length. The desk read on from the byte it had reached, now inside another line:
    it warned of an undamaged line and never took that line's answer, and the laptop's heal did not send it
    again (its part still holds it). The part is read from its start again: only the damaged line is bad, and
    the part, grown past where it was read, is said to be read again (one shorter is the laptop's to heal)."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(5), 6)
    laptop.sync(), desk.sync()
    laptop.study(deck, random.Random(6), 6)
    laptop.sync()
    part = desk.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    part.write_bytes(b"\n".join(damage(part.read_bytes().split(b"\n")[:-1])) + b"\n")
    report = desk.sync()
    assert [warning.split(": ")[0] for warning in report.warnings] == [f"{part}{line}" for line in warned]
    assert desk.event_ids() == laptop.event_ids()
    laptop.sync(), desk.sync()
    _converged([laptop, desk])


def test_a_line_cut_short_then_put_back_whole_is_taken(devices: list[Device], deck: Deck) -> None:
    """A sync tool delivered the laptop's part with a line cut short, then the whole part: the desk skipped the
    line, and took it once the part was whole again (it is longer now, so read again from its start)."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(7), 8)
    laptop.sync()
    part = desk.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    whole = part.read_bytes()
    lines = whole.split(b"\n")
    part.write_bytes(b"\n".join([*lines[:2], lines[2][:-30], *lines[3:]]))
    assert [warning.split(": ")[0] for warning in desk.sync().warnings] == [f"{part}:3"]
    assert desk.event_ids() != laptop.event_ids()
    part.write_bytes(whole)
    assert desk.sync().received == 1
    _converged([laptop, desk])


def test_an_event_read_with_other_content_than_held_is_warned_of_once_a_sync_and_the_held_one_kept(
    devices: list[Device], deck: Deck, folder: Path
) -> None:
    """A line holding an event the store holds, edited (its duration, its state after), is one warning a sync
    naming the first such line and counting the rest, and changes nothing; a copy with the same content (its
    body's keys in another order than this store wrote them, or naming another device, as two copies of one
    old store converted apart do) is no warning."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(11), 20)
    laptop.sync(), desk.sync()
    own = folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    reviews = [events.event_from_line(line) for line in own.read_text(encoding="utf-8").splitlines()[1:]]
    first, second, third = [event for event in reviews if event.kind == events.REVIEW][:3]
    slower = replace(first, body={**first.body, "duration_ms": first.body["duration_ms"] * 10 + 10})
    steadier = replace(second, body={**second.body, "after": {**second.body["after"], "stability": 99.5}})
    lines = [third.line(), replace(third, device="converted-apart").line(), slower.line(), steadier.line()]
    part = _fake_device(folder, "edited", lines)
    for device in (desk, laptop):  # the desk holds them as read, the laptop as it wrote them
        held, states = device.store.read_events(), snapshot(device.store)
        report = device.sync()
        assert report.warnings == [
            f"{part}:4: an event this store holds with other content (and 1 more line(s) so); the version held is "
            "kept (a line edited by hand or damaged, or an id an older quiz made twice): see quiz's Sync guide, "
            "'One id, two versions': docs/sync.md in quiz's source"
        ]
        assert report.received == 0 and device.store.read_events() == held and snapshot(device.store) == states
        assert device.sync().warnings == []  # read once


def test_an_edited_line_read_first_is_kept_and_the_repair_docs_sync_md_gives_brings_the_original_back(
    devices: list[Device], deck: Deck, folder: Path, tmp_path: Path
) -> None:
    """docs/sync.md, 'One id, two versions': a line edited in place in the laptop's file, read first by a new
    phone, is the version the phone keeps. The repair: the laptop writes its history again under a new id
    (`quiz sync --new-device`), the phone warns of the original's line, the old folder is deleted, and the
    phone's store, set aside, is made again from the folder: every machine then holds the same."""
    laptop, desk, phone = devices
    laptop.study(deck, random.Random(12), 20)
    laptop.sync(), desk.sync()
    own = folder / syncfiles.FOLDER / laptop.store.device
    lines = (own / syncfiles.part_name(1)).read_text(encoding="utf-8").splitlines()
    number = max(n for n, line in enumerate(lines) if '"kind":"review"' in line and '"lapses":0' in line)
    lines[number] = lines[number].replace('"lapses":0', '"lapses":9')  # in place: no offset moves
    (own / syncfiles.part_name(1)).write_text("\n".join(lines) + "\n", encoding="utf-8")
    edited = events.event_from_line(lines[number])

    def held(device: Device) -> Event:
        return next(event for event in device.store.read_events() if event.id == edited.id)

    assert phone.sync().warnings == [] and held(phone) == edited != held(laptop) == held(desk)
    new_device(laptop.store)
    laptop.sync()
    assert desk.sync().warnings == []
    assert [w.split(": ")[0] for w in phone.sync().warnings] == [
        f"{folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)}:{number + 1}"
    ]
    shutil.rmtree(own)
    phone.store.close()
    phone.store = Store.in_folder(tmp_path / "phone-again", clock=phone.clock)
    phone.sync()
    assert held(phone) == held(laptop) == held(desk) != edited
    assert snapshot(phone.store) == snapshot(laptop.store) == snapshot(desk.store)


def test_a_file_from_a_newer_quiz_is_refused_with_its_version(devices: list[Device], folder: Path) -> None:
    part = _fake_device(folder, "future", ['{"v": 2}'], version=2)
    report = devices[0].sync()
    assert report.received == 0
    assert report.warnings == [
        f"{part}: written by a newer quiz (events format 2; this quiz reads 1); not read: upgrade quiz on this machine"
    ]
    assert devices[0].sync().warnings == report.warnings  # still unread: read once quiz is upgraded


def test_conflict_copies_are_reported_and_never_read(devices: list[Device], deck: Deck, folder: Path) -> None:
    """On every device, the one whose folder holds a copy too (before, it alone said nothing of it)."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(4), 20)
    laptop.sync()
    own = folder / syncfiles.FOLDER / laptop.store.device
    copies = [own / name.format(stem="events-000001", ext=".jsonl") for name in CONFLICT_NAMES]
    for copy in copies:
        shutil.copy(own / "events-000001.jsonl", copy)
    dropbox = folder / syncfiles.FOLDER / f"{laptop.store.device} (desk's conflicted copy 2026-01-05)"
    shutil.copytree(own, dropbox)
    report = desk.sync()
    assert sorted(report.conflicts) == sorted([*copies, dropbox])
    assert report.received == len(laptop.store.read_events()) and report.devices == 1
    assert desk.store.review_count() == laptop.store.review_count()
    report = laptop.sync()
    assert sorted(report.conflicts) == sorted([*copies, dropbox])
    assert report.received == 0 and report.devices == 0 and report.warnings == []


def test_a_deck_s_conflict_copy_is_not_loaded_as_a_second_deck(tmp_path: Path) -> None:
    decks = tmp_path / "Sync" / "decks"
    decks.mkdir(parents=True)
    (decks / "words.yaml").write_text(DECK, encoding="utf-8")
    for name in CONFLICT_NAMES:
        (decks / name.format(stem="words", ext=".yaml")).write_text(DECK, encoding="utf-8")
    results = load_decks([decks])
    assert [Path(r.path).name for r in results if r.deck] == ["words.yaml"]
    copies = [r for r in results if r.deck is None]
    assert len(copies) == len(CONFLICT_NAMES) and all("conflict" in r.problems[0].message for r in copies)


def test_a_deck_named_with_a_tool_s_words_but_not_its_full_mark_is_loaded(tmp_path: Path) -> None:
    """Dropbox's `conflicted copy` always carries its date, and it writes `(Case Conflict)` only in place of a name
    taken, differing in case: a deck of hers named with those words, no date or no such name beside it, was
    refused as a conflict copy. A copy whose taken name is beside it, in another case, still is one."""
    decks = tmp_path / "decks"
    decks.mkdir()
    real = ("Torts (Case Conflict).yaml", "notes (how conflicted copy works).yaml")
    for n, name in enumerate(real):
        (decks / name).write_text(DECK.replace("deck: d", f"deck: d{n}"), encoding="utf-8")
    (decks / "words.yaml").write_text(DECK, encoding="utf-8")
    (decks / "Words (Case Conflict 1).yaml").write_text(DECK, encoding="utf-8")
    results = load_decks([decks])
    assert sorted(Path(r.path).name for r in results if r.deck) == sorted([*real, "words.yaml"])
    [copy] = [r for r in results if r.deck is None]
    assert Path(copy.path).name == "Words (Case Conflict 1).yaml" and "conflict copy" in copy.problems[0].message


def test_a_case_conflict_copy_is_known_beside_its_original_in_another_unicode_normalization(tmp_path: Path) -> None:
    """`Übung (Case Conflict).yaml` written decomposed (as macOS's HFS+ writes names) beside `übung.yaml` composed
    was not taken for a copy: sorted first, it loaded as the deck, and the deck itself was refused."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / unicodedata.normalize("NFC", "übung.yaml")).write_text(DECK, encoding="utf-8")
    copy = decks / unicodedata.normalize("NFD", "Übung (Case Conflict).yaml")
    copy.write_text(DECK, encoding="utf-8")
    results = load_decks([decks])
    assert [Path(r.path).name for r in results if r.deck] == [unicodedata.normalize("NFC", "übung.yaml")]
    [refused] = [r for r in results if r.deck is None]
    assert refused.path == str(copy) and "conflict copy" in refused.problems[0].message


def test_the_decks_of_a_deck_folder_s_conflict_copy_are_not_loaded(tmp_path: Path) -> None:
    """A sync tool's copy of a whole folder (`Pharm (Case Conflict)/` beside `pharm/`, a `(Selective Sync
    Conflict)` folder) had its decks loaded, the copy's first when sorted first, and the deck itself refused."""
    decks = tmp_path / "decks"
    for folder in ("pharm", "Pharm (Case Conflict)", "Anatomy (Selective Sync Conflict)"):
        (decks / folder).mkdir(parents=True)
        (decks / folder / "words.yaml").write_text(DECK, encoding="utf-8")
    results = load_decks([decks])
    assert [r.path for r in results if r.deck] == [str(decks / "pharm" / "words.yaml")]
    told = {Path(r.path).parent.name: r.problems[0] for r in results if r.deck is None}
    assert sorted(told) == ["Anatomy (Selective Sync Conflict)", "Pharm (Case Conflict)"]
    assert all("conflict copy" in problem.message for problem in told.values())
    assert str(decks / "pharm" / "words.yaml") in told["Pharm (Case Conflict)"].hint
    assert str(decks / "Anatomy" / "words.yaml") in told["Anatomy (Selective Sync Conflict)"].hint


def test_a_deck_folder_s_conflict_copy_given_as_a_deck_path_before_the_deck_folder_is_not_loaded(
    tmp_path: Path,
) -> None:
    """The copy's folder given as a deck path of its own, before the deck folder holding it, was the folder its
    deck was found in: the copy was loaded and the deck refused as a second one of that id. A deck file found
    under two folders given is judged below the outer one."""
    decks = tmp_path / "decks"
    for folder in ("pharm", "Pharm (Case Conflict)"):
        (decks / folder).mkdir(parents=True)
        (decks / folder / "words.yaml").write_text(DECK, encoding="utf-8")
    results = load_decks([decks / "Pharm (Case Conflict)", decks])
    assert [r.path for r in results if r.deck] == [str(decks / "pharm" / "words.yaml")]
    [copy] = [r for r in results if r.deck is None]
    assert Path(copy.path).parent.name == "Pharm (Case Conflict)" and "conflict copy" in copy.problems[0].message


@pytest.mark.parametrize(
    "given",
    ["copy relative, decks whole", "copy whole, decks relative", "copy's deck file named", "decks through a link"],
)
def test_a_deck_folder_s_conflict_copy_is_not_loaded_however_the_paths_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """The copy's folder was looked for below the folder given only as the two were spelled: given once relative
    and once whole (a shell expands `~/notes`, not the path typed beside it), or the decks reached through a link,
    or the copy's deck file named itself, the copy was loaded and the deck refused as a second one of that id."""
    decks = tmp_path / "decks"
    for folder in ("pharm", "Pharm (Case Conflict)"):
        (decks / folder).mkdir(parents=True)
        (decks / folder / "words.yaml").write_text(DECK, encoding="utf-8")
    (tmp_path / "link").symlink_to(decks)
    monkeypatch.chdir(tmp_path)
    copy = decks / "Pharm (Case Conflict)"
    paths = {
        "copy relative, decks whole": [Path("decks/Pharm (Case Conflict)"), decks],
        "copy whole, decks relative": [copy, Path("decks")],
        "copy's deck file named": [copy / "words.yaml", decks],
        "decks through a link": [copy, tmp_path / "link"],
    }[given]
    results = load_decks(paths)
    assert [Path(r.path).resolve() for r in results if r.deck] == [decks / "pharm" / "words.yaml"]
    [refused] = [r for r in results if r.deck is None]
    assert "conflict copy" in refused.problems[0].message


def test_a_conflict_copy_s_original_name_is_its_name_without_its_tool_s_mark() -> None:
    """Dropbox's parentheses may hold others (a machine name macOS numbered, a second copy of a day): the copy was
    loaded as the deck, sorted before it, and its original name kept half of the mark."""
    for name in CONFLICT_NAMES:
        if name.startswith("{stem}"):
            assert original_name(name.format(stem="words", ext=".yaml")) == "words.yaml", name


def test_quiz_list_loads_the_deck_not_its_conflict_copy_sorted_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy named `.sync-conflict-` with no time sorts before the deck: it was loaded, the deck itself refused
    ("deck id ... already used"), and her edits to the deck ignored."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "words.yaml").write_text(DECK, encoding="utf-8")
    copy = decks / "words.sync-conflict-20261203.yaml"
    copy.write_text(DECK.replace("title: Progress", "title: Old progress"), encoding="utf-8")
    (tmp_path / "data").mkdir()
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "--deck", str(decks), "list", "--json")
    loaded = [deck for deck in json.loads(out) if deck["deck"] == "d"]
    assert [(deck["path"], deck["title"]) for deck in loaded] == [(str(decks / "words.yaml"), "Progress")], err
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "--deck", str(decks), "list")
    assert f"{copy}: not loaded" in out + err and "conflict copy" in out + err and "already used" not in out + err


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


def test_two_copies_of_a_store_behind_an_event_from_a_clock_ahead_keep_both_their_answers(
    tmp_path: Path, folder: Path
) -> None:
    """A store that read an event from a clock an hour ahead stamps its own events just after it, in that
    event's millisecond, so their ids are counted on from its last one. Copied to a new machine, both copies
    count on from the same last id: each copy's answer must keep an id of its own, or every device keeps one
    of the two answers and the other is lost (it was, with ids counted on by 1)."""
    phone = Device(tmp_path, "phone", folder, timedelta(hours=1))
    laptop = Device(tmp_path, "laptop", folder)
    record_good(phone.store, "p", phone.clock.now())
    phone.sync(), laptop.sync()
    record_good(laptop.store, "a", START)
    laptop.sync()
    laptop.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (tmp_path / "desk").mkdir()
    shutil.copy(Path(laptop.store.path), tmp_path / "desk" / STORE_NAME)
    desk = Device(tmp_path, "desk", folder, timedelta(minutes=5))
    laptop.clock.advance(timedelta(minutes=5))
    record_good(laptop.store, "laptop-card", laptop.clock.now())
    record_good(desk.store, "desk-card", desk.clock.now())
    new_device(desk.store)  # as sync asks of a copied store
    for device in (desk, laptop, phone, desk, laptop):
        assert device.sync().warnings == []
    every = (laptop, desk, phone)
    for device in every:
        assert sorted(r.card_key for r in device.store.reviews()) == ["a", "desk-card", "laptop-card", "p"]
        assert snapshot(device.store) == snapshot(laptop.store)
        done = rebuild(device.store)
        assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0)
    for device in every:
        device.store.close()


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
    own = laptop.folder / syncfiles.FOLDER / laptop.store.device
    ids = [
        json.loads(line)["id"]
        for _, part in syncfiles.own_parts(own)  # the next events in a new part
        for line in part.read_text(encoding="utf-8").splitlines()[1:]
    ]
    assert len(ids) == len(set(ids)) == len(laptop.store.read_events())
    desk.sync()
    _converged([laptop, desk])


def test_a_line_cut_short_by_a_crash_stays_apart_from_the_next(devices: list[Device], deck: Deck) -> None:
    """The next events go in a new part: the cut line is never ended, so no device reads it."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(12), 10)
    laptop.sync()
    own = laptop.folder / syncfiles.FOLDER / laptop.store.device / syncfiles.part_name(1)
    with open(own, "a", encoding="utf-8") as out:
        out.write('{"v": 1, "id": "half')  # the power went while a line was being written
    laptop.study(deck, random.Random(13), 10)
    laptop.sync()
    assert own.read_text(encoding="utf-8").endswith('"id": "half')
    assert desk.sync().warnings == []
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


def test_a_sync_that_reads_nothing_new_writes_nothing_a_backup_would_copy_again(
    devices: list[Device], deck: Deck
) -> None:
    """The app syncs as it starts and as it quits. A sync that read nothing new still wrote how far it had read,
    which the backups count as a change: each idle session of a synced student had its whole store copied, two
    copies in a minute when its start made one (a session is backed up as it ends)."""
    laptop, desk, _ = devices
    laptop.study(deck, random.Random(1), 20)
    laptop.sync()
    desk.sync()
    make_backup(desk.store, START)
    held = desk.store.writes_and_reviews()
    report = desk.sync()
    assert (report.received, report.devices) == (0, 1)
    assert desk.store.writes_and_reviews() == held
    assert not needs_backup(desk.store, START + timedelta(hours=1))
    laptop.study(deck, random.Random(2), 3)  # something new: a change, backed up
    laptop.sync()
    assert desk.sync().received > 0
    assert needs_backup(desk.store, START + timedelta(hours=1))


def test_quiz_sync_keeps_its_folder_and_says_what_it_did(tmp_path: Path, folder: Path, capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()  # one not there is refused by a sync that sets no folder (test_cli)
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync")
    assert code == 1 and f"quiz --data-dir {data} sync --folder PATH" in err
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(tmp_path / "nowhere"))
    assert code == 1 and f"{tmp_path / 'nowhere'} is not there: create it (`mkdir -p {tmp_path / 'nowhere'}`)" in err
    (tmp_path / "a-file").write_text("")
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(tmp_path / "a-file"))
    assert code == 1 and "a-file is not a folder: give the synced folder's path" in err
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
    answers = (ImportedAnswer(Grade.GOOD, old, 5000, None, state_tuple(after)),)
    laptop.store.import_history("anki", [ImportedCard("x", answers, after, 0)], lambda: None)
    times = [event.at for event in laptop.store.read_events()]
    assert times == sorted(times)
    laptop.sync(), desk.sync()
    # by time: the log's order is not the same (an answer given after the clock went back is the newest in the log
    # of the machine that gave it, one received is placed by its time)
    assert sorted((r.reviewed_at, r.card_key) for r in desk.store.reviews()) == sorted(
        (r.reviewed_at, r.card_key) for r in laptop.store.reviews()
    )
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


def test_a_read_only_folder_still_brings_the_others_events_and_says_how_to_fix_it(
    tmp_path: Path, devices: list[Device], deck: Deck, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`cannot write to ...: Read-only file system` was the whole message, and nothing was read: the others'
    events are taken all the same, and the message says nothing is lost and what to check."""
    laptop, desk = devices[:2]
    laptop.study(deck, random.Random(31), 10)
    laptop.sync()
    desk.study(deck, random.Random(32), 10)
    read_only = OSError(errno.EROFS, os.strerror(errno.EROFS))
    with monkeypatch.context() as patched:
        patched.setattr(syncfiles, "append_lines", mock.Mock(side_effect=read_only))
        report = desk.sync()
    assert report.sent == 0 and report.received > 0 and report.devices == 1
    assert report.unsent.startswith(f"cannot write to {desk.folder / syncfiles.FOLDER / desk.store.device}: ")
    assert "Read-only file system; this device's events were not all sent (those written are read" in report.unsent
    assert "nothing is lost: check the folder's permissions" in report.unsent
    assert f"warning: {report.unsent}" in report.details() and report.problems() == 1
    assert report.summary().startswith(  # not "sent 0 event(s)", as if there had been none to send
        f"synced with {desk.folder}: this machine's changes not sent (the folder cannot be written to), received"
        f" {report.received} "
    )
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # a full disk: permissions are not what to check
    with monkeypatch.context() as patched:
        patched.setattr(syncfiles, "append_lines", mock.Mock(side_effect=full))
        assert "nothing is lost: make room on the folder's disk, then sync again" in desk.sync().unsent
    desk.sync()
    laptop.sync()
    _converged([laptop, desk])
    data = tmp_path / "data"
    data.mkdir()
    assert run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(desk.folder))[0] == 0
    monkeypatch.setattr(quiz.core.sync, "_claim", mock.Mock(side_effect=read_only))
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sync")
    assert code == 1 and "received" in out and "warning: cannot write to" in out and "nothing is lost" in out


def test_quiz_progress_itself_given_for_the_synced_folder_is_refused_with_its_parent(
    tmp_path: Path, folder: Path, devices: list[Device], capsys, monkeypatch
) -> None:
    """`quiz sync --folder SYNC/quiz-progress` made SYNC/quiz-progress/quiz-progress/<id>: this device apart
    from every other, silently. Refused, nothing written; the folder's parent is what to give."""
    devices[0].sync()
    own = folder / syncfiles.FOLDER
    before = sorted(own.rglob("*"))
    data = tmp_path / "data"
    data.mkdir()
    code, out, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(own))
    assert code == 1 and out == ""
    parent = f"give its parent: `quiz --data-dir {data} sync --folder {folder}`"  # the data folder named, as given
    assert f"{own} is quiz's own folder inside your sync folder; {parent}" in err
    assert sorted(own.rglob("*")) == before
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync")
    assert code == 1 and "no synced folder yet" in err  # not kept either
    (tmp_path / "link").symlink_to(own)  # named another way: a link to it, or `.` from inside it
    monkeypatch.chdir(own)
    for spelling in (str(tmp_path / "link"), "."):
        code, out, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", spelling)
        said = f"give its parent: `quiz --data-dir {data} sync --folder "
        assert code == 1 and said in err and sorted(own.rglob("*")) == before
    device = own / devices[0].store.device  # a device's folder in it: this device was put apart in it
    code, out, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(device))
    assert code == 1 and out == "" and sorted(own.rglob("*")) == before
    assert err.endswith(f"give the sync folder: `quiz --data-dir {data} sync --folder {folder}`\n")
    empty = tmp_path / "elsewhere" / syncfiles.FOLDER  # a folder of that name and nothing of quiz's: the user's
    empty.mkdir(parents=True)
    assert run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(empty))[0] == 0


@pytest.mark.parametrize(
    ("answered", "apart"),
    [
        (datetime(2026, 2, 20, 15, tzinfo=UTC), timedelta(minutes=1)),  # its interval crosses New York's DST change
        (datetime(2026, 5, 20, 10, tzinfo=UTC), timedelta(hours=10)),  # study days end at other moments in each zone
    ],
)
def test_devices_in_different_time_zones_compute_a_merged_answer_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answered: datetime, apart: timedelta
) -> None:
    """One card answered offline in New York and in Tokyo: the later answer is computed again on both machines
    when they sync, each in its own zone, and both must get the same state (and `rebuild` in a third zone)."""
    zones = {"ny": "America/New_York", "tokyo": "Asia/Tokyo"}

    def in_zone(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    folder = tmp_path / "shared"
    folder.mkdir()
    clocks = {name: FixedClock(answered) for name in zones}
    stores = {}
    for name, zone in zones.items():
        in_zone(zone)
        stores[name] = Store.in_folder(tmp_path / name, clock=clocks[name])
    try:
        last = answered - timedelta(days=10)
        known = CardState(kind="basic", fsrs_state=2, stability=20.0, difficulty=5.0, due=answered, last_review=last)
        in_zone(zones["ny"])
        stores["ny"].record_review("d", "c1", Grade.GOOD, last, 1000, Mode.REVIEW, None, replace(known, reps=3))
        sync(stores["ny"], folder, host="ny")
        in_zone(zones["tokyo"])
        sync(stores["tokyo"], folder, host="tokyo")
        scheduler = Scheduler(Settings())
        for i, (name, zone) in enumerate(zones.items()):  # both answer it offline, Tokyo `apart` later
            in_zone(zone)
            at = clocks[name].current = answered + i * apart
            before = stores[name].states("d")["c1"]
            after = scheduler.review(card_number("d", "c1"), before, Grade.GOOD, at)
            stores[name].record_review("d", "c1", Grade.GOOD, at, 1000, Mode.REVIEW, before, after)
        for name, zone in [*zones.items(), *zones.items()]:
            in_zone(zone)
            clocks[name].advance(timedelta(minutes=5))
            sync(stores[name], folder, host=name)
        merged = {name: stores[name].states("d")["c1"] for name in zones}
        assert merged["ny"] == merged["tokyo"]
        in_zone("Asia/Kolkata")
        assert [rebuild(store).changed_states for store in stores.values()] == [0, 0]
    finally:
        for store in stores.values():
            store.close()
        in_zone("UTC")


def test_a_deck_named_with_a_tool_s_word_is_loaded_and_a_lone_conflict_copy_is_not_said_to_have_a_deck_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`peer.sync-conflict-resolution.yaml` and `Resolving (SFConflict cases).yaml` are her decks, no tool's copies:
    they were refused. A copy with no deck file beside it was refused with "compare it with the deck file beside
    it ... delete this copy": deleting the only copy of the deck."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "peer.sync-conflict-resolution.yaml").write_text(basic_deck_yaml(1, "peer"), encoding="utf-8")
    (decks / "Resolving (SFConflict cases).yaml").write_text(basic_deck_yaml(1, "resolving"), encoding="utf-8")
    lone = decks / "lone.sync-conflict-20261203-101010-ABCDEF.yaml"
    lone.write_text(basic_deck_yaml(1, "lone"), encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "data"), "--deck", str(decks)]
    (tmp_path / "data").mkdir()
    code, out, err = run_cli(capsys, *data, "list", "--json")
    loaded = {deck["deck"] for deck in json.loads(out)}
    assert {"peer", "resolving"} <= loaded and "lone" not in loaded, err
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "validate", str(lone))
    [line] = [line for line in (out + err).splitlines() if line.startswith(f"{lone}:")]
    assert "compare it with the deck file beside it" not in line and "delete this copy" not in line
    assert "no deck file lone.yaml is beside it: if it is the deck you want, rename it lone.yaml" in line
