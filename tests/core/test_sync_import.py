"""One Anki package imported on two synced devices: each Anki answer is logged once on both, whatever order
they sync in, every device naming the same event for it; quiz's own answers are never taken for one another."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core import events
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.model import Grade, Mode
from quiz.core.rebuild import rebuild
from quiz.core.store import ImportedAnswer, ImportedCard, Store, state_tuple
from quiz.core.sync import sync
from tests.conftest import START, quiz_succeeds, run_cli
from tests.core.progress_ops import snapshot
from tests.core.test_anki_history import DATA, EXPECTED, TODAY

ORDERS = [("laptop", "desk", "laptop", "desk"), ("desk", "laptop", "desk", "laptop")]


def _import(capsys, home: Path, package: str) -> str:
    return quiz_succeeds(capsys, home, "import", str(DATA / package))


def _log(store: Store) -> list[tuple[str, str, str, int, str | None]]:
    """Every logged answer with the event it names: what Stats, a card's history and the optimizer read."""
    rows = store.db.execute("SELECT deck_id, card_key, reviewed_at, grade, event_id FROM review_log")
    return sorted(rows.fetchall())


def _identity(event: events.Event) -> tuple[object, ...]:
    """What names an imported answer: its deck, card, time, grade and occurrence."""
    return event.deck_id, event.card_key, event.answered_at, event.body["grade"], events.imported_occurrence(event.body)


def _smallest_ids(store: Store) -> list[str]:
    """The smallest event id of each imported answer, sorted."""
    smallest: dict[tuple[object, ...], str] = {}
    for event in store.read_events(kinds=(events.REVIEW,)):
        if events.imported_occurrence(event.body) is not None:
            smallest[_identity(event)] = min(smallest.get(_identity(event), event.id), event.id)
    return sorted(smallest.values())


def _event_ids(store: Store) -> set[str]:
    return {event.id for event in store.read_events()}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("package", ["current.apkg", "legacy2.apkg"])
def test_a_package_imported_on_two_devices_logs_each_anki_answer_once(
    tmp_path: Path, capsys, monkeypatch, package: str, order: tuple[str, ...]
) -> None:
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    folder = tmp_path / "Sync"
    folder.mkdir()
    for name in ("laptop", "desk"):
        _import(capsys, tmp_path / name, package)
    stores = {name: Store.in_folder(tmp_path / name) for name in ("laptop", "desk")}
    try:
        for name in order:
            sync(stores[name], folder, host=name)
        laptop, desk = stores["laptop"], stores["desk"]
        assert _event_ids(laptop) == _event_ids(desk)  # both imports' events kept everywhere
        assert laptop.review_count() == desk.review_count() == EXPECTED["revlog_count"]
        assert _log(laptop) == _log(desk)  # the same rows, naming the same events
        assert snapshot(laptop) == snapshot(desk)
        for store in stores.values():
            done = rebuild(store)
            assert (done.changed_states, done.changed_flags) == (0, 0)
        # a logged imported answer names the smallest id of the two events made for it, one on each device
        made = Counter(map(_identity, laptop.read_events(kinds=(events.REVIEW,))))
        assert set(made.values()) == {2} and len(made) == EXPECTED["revlog_count"]
        assert _smallest_ids(laptop) == sorted(row[4] for row in _log(laptop))
        # a re-import after the sync adds nothing
        before = len(_event_ids(desk)), desk.review_count(), snapshot(desk)
        desk.close()
        out = _import(capsys, tmp_path / "desk", package)
        assert f"not brought again: {EXPECTED['revlog_count']} reviews already in quiz's review log" in out
        assert "from Anki's review log" not in out
        stores["desk"] = desk = Store.in_folder(tmp_path / "desk")
        assert (len(_event_ids(desk)), desk.review_count(), snapshot(desk)) == before
    finally:
        for store in stores.values():
            store.close()


def _device(home: Path, name: str, minutes: int) -> Store:
    return Store.in_folder(home / name, clock=FixedClock(START + timedelta(minutes=minutes)))


def test_quiz_s_own_equal_answers_on_two_devices_are_both_logged(tmp_path: Path) -> None:
    """Two real answers can share a second and a grade: only an imported answer is known by its content."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    laptop, desk = _device(tmp_path, "laptop", 0), _device(tmp_path, "desk", 0)
    after = CardState("basic", 2, stability=3.0, difficulty=5.0, due=START, last_review=START, reps=1)
    for store in (laptop, desk):
        store.record_review("d", "c", Grade.GOOD, START, 1000, Mode.REVIEW, None, after)
    sync(laptop, folder, host="laptop"), sync(desk, folder, host="desk"), sync(laptop, folder, host="laptop")
    assert laptop.review_count() == desk.review_count() == 2
    laptop.close(), desk.close()


# An imported history with equal answers (the same second and grade), in two versions of the package: the second
# has one answer more of the same second and grade, and one later.
_AT = START - timedelta(days=30)
_STATE = CardState("basic", 2, stability=3.0, difficulty=5.0, due=_AT, last_review=_AT, reps=1)


def _answer(grade: Grade, seconds: int = 0) -> ImportedAnswer:
    return ImportedAnswer(grade, _AT + timedelta(seconds=seconds), 4000, None, state_tuple(_STATE))


_VERSIONS = (
    {"x": (_answer(Grade.GOOD), _answer(Grade.GOOD), _answer(Grade.AGAIN)), "y": (_answer(Grade.EASY),)},
    {
        "x": (_answer(Grade.GOOD), _answer(Grade.GOOD), _answer(Grade.AGAIN), _answer(Grade.GOOD)),
        "y": (_answer(Grade.EASY), _answer(Grade.HARD, 60)),
    },
)
NAMES = ("laptop", "desk", "phone")
STEP = st.tuples(st.sampled_from(NAMES), st.sampled_from(["sync", "import 0", "import 1", "answer"]))


def _answer_in_quiz(store: Store, key: str) -> tuple[str, str, int]:
    """An answer given in quiz a minute after the device's last event, from the card's state (its log row's card,
    time and grade)."""
    assert isinstance(store.clock, FixedClock)
    store.clock.advance(timedelta(minutes=1))
    now = store.clock.now()
    before = store.state("anki", key)
    base = before or _STATE
    after = replace(
        base, stability=base.stability + 1.0, due=now + timedelta(days=2), last_review=now, reps=base.reps + 1
    )
    store.record_review("anki", key, Grade.GOOD, now, 2000, Mode.REVIEW, before, after)
    return key, now.isoformat(), int(Grade.GOOD)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(steps=st.lists(STEP, max_size=12), last=st.permutations(NAMES))
def test_devices_importing_one_history_in_any_order_log_each_answer_once(steps, last) -> None:
    """Convergence with imports: three devices import either version of one history, any number of times, answer
    its cards in quiz, and sync in any order; at the end each holds the same events, the same states and the same
    log, one row per answer of the newest version imported anywhere and per answer given in quiz, each imported
    one naming the smallest id of the events made for it, and `quiz rebuild` changes nothing."""
    home = Path(tempfile.mkdtemp(prefix="quiz-import-sync-"))
    folder = home / "Sync"
    folder.mkdir()
    stores = {name: _device(home, name, 7 * i) for i, name in enumerate(NAMES)}
    imported, given = -1, Counter[tuple[str, str, int]]()
    try:
        for index, (name, step) in enumerate([*steps, *((name, "sync") for name in last + last)]):
            if step == "sync":
                sync(stores[name], folder, host=name)
            elif step == "answer":
                given[_answer_in_quiz(stores[name], "xy"[index % 2])] += 1
            else:
                version = int(step[-1])
                cards = [ImportedCard(key, answers, _STATE, 0) for key, answers in _VERSIONS[version].items()]
                stores[name].import_history("anki", cards, lambda: None)
                imported = max(imported, version)
        first = stores[NAMES[0]]
        wanted = (
            Counter(
                (key, a.at.isoformat(), int(a.grade)) for key, answers in _VERSIONS[imported].items() for a in answers
            )
            if imported >= 0
            else Counter()
        )
        for store in stores.values():
            assert _event_ids(store) == _event_ids(first)
            assert snapshot(store) == snapshot(first)
            assert _log(store) == _log(first)
            assert Counter((key, at, grade) for _, key, at, grade, _ in _log(store)) == wanted + given
            done = rebuild(store)
            assert (done.changed_states, done.changed_flags) == (0, 0)
        # the imported answers' rows (all but those given in quiz) name the smallest ids of their events
        assert set(_smallest_ids(first)) <= {row[4] for row in _log(first)}
        assert len(_smallest_ids(first)) == sum(wanted.values())
    finally:
        for store in stores.values():
            store.close()
        shutil.rmtree(home, ignore_errors=True)


def _line(occurrence: object) -> str:
    """Another device's line: an imported answer with this occurrence."""
    body = {"grade": 3, "duration_ms": 1, "mode": "review", "imported": True, "occurrence": occurrence}
    body |= {"before": None, "after": _STATE.to_json()}
    event = {"id": "0190a0a0-0000-7000-8000-000000000000", "device": "d", "at": "2026-01-01T00:00:00+00:00"}
    return json.dumps(event | {"kind": "review", "deck": "anki", "card": "x", "v": 1, "body": body})


@pytest.mark.parametrize("occurrence", [0, -1, True, "2", 1.5])
def test_an_occurrence_no_quiz_writes_is_refused(occurrence: object) -> None:
    assert events.imported_occurrence(events.event_from_line(_line(2)).body) == 2
    with pytest.raises(events.BadEvent, match="occurrence is a whole number from 1"):
        events.event_from_line(_line(occurrence))


@pytest.mark.parametrize("order", ORDERS)
def test_an_import_made_before_the_other_device_s_answers_arrived_leaves_a_card_studied_since_alone(
    tmp_path: Path, order: tuple[str, ...]
) -> None:
    """The laptop imports and its user answers a card in quiz; a day later the desktop imports the same package,
    before any sync: its imported state is older than the laptop's answer, and after the syncs both devices hold
    the state that answer left, not the package's."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    stores = {"laptop": _device(tmp_path, "laptop", 0), "desk": _device(tmp_path, "desk", 0)}
    cards = [ImportedCard(key, answers, _STATE, 0) for key, answers in _VERSIONS[0].items()]
    stores["laptop"].import_history("anki", cards, lambda: None)
    _answer_in_quiz(stores["laptop"], "x")
    studied = stores["laptop"].state("anki", "x")
    assert isinstance(stores["desk"].clock, FixedClock)
    stores["desk"].clock.advance(timedelta(days=1))
    stores["desk"].import_history("anki", cards, lambda: None)
    try:
        for name in order:
            sync(stores[name], folder, host=name)
        for store in stores.values():
            assert store.state("anki", "x") == studied != _STATE
            assert store.state("anki", "y") == _STATE
            done = rebuild(store)
            assert (done.changed_states, done.changed_flags) == (0, 0)
    finally:
        for store in stores.values():
            store.close()


def test_an_import_s_newest_answer_written_without_its_offset_is_read_as_utc_not_a_crash(tmp_path: Path) -> None:
    """Another device's line whose import names its newest answer without an offset (a hand-edited or foreign
    file): the sync goes on, the time read as UTC as quiz reads any such time, and the next sync as well."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    laptop, desk = _device(tmp_path, "laptop", 0), _device(tmp_path, "desk", 0)
    try:
        _answer_in_quiz(desk, "x")  # the desk has an answer of its own: the import's rule compares the two times
        studied = desk.state("anki", "x")
        assert isinstance(laptop.clock, FixedClock)
        laptop.clock.advance(timedelta(days=1))  # the package's answers are older than the desk's answer
        laptop.import_history("anki", [ImportedCard("x", _VERSIONS[0]["x"], _STATE, 0)], lambda: None)
        sync(laptop, folder, host="laptop")
        edited = 0
        for file in folder.rglob("*.jsonl"):
            lines = []
            for line in file.read_text().splitlines():
                event = json.loads(line)
                if event.get("kind") == events.STATE and event["body"].get(events.NEWEST):
                    event["body"][events.NEWEST] = event["body"][events.NEWEST].removesuffix("+00:00")
                    edited += 1
                lines.append(json.dumps(event))
            file.write_text("\n".join(lines) + "\n")
        assert edited == 1
        sync(desk, folder, host="desk")
        sync(desk, folder, host="desk")
        assert desk.state("anki", "x") == studied  # the package holds no answer newer than the desk's own
        assert rebuild(desk).changed_states == 0
    finally:
        laptop.close()
        desk.close()


def test_anki_s_previews_imported_on_two_devices_are_logged_once(tmp_path: Path, capsys, monkeypatch) -> None:
    """Anki's previews (type 3, factor 0) are logged as practice: known by their content as the other answers."""
    package = Path(__file__).parents[1] / "data" / "anki" / "realworld" / "preview.apkg"
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    folder = tmp_path / "Sync"
    folder.mkdir()
    for name in ("laptop", "desk"):
        code, _, err = run_cli(capsys, "--data-dir", str(tmp_path / name), "import", str(package))
        assert code == 0, err
    stores = {name: Store.in_folder(tmp_path / name) for name in ("laptop", "desk")}
    try:
        for name in ORDERS[0]:
            sync(stores[name], folder, host=name)
        for store in stores.values():
            assert store.answer_counts() == {"review": 17, "practice": 8}  # 25 rows, 8 of them previews
        assert _log(stores["laptop"]) == _log(stores["desk"])
    finally:
        for store in stores.values():
            store.close()
