"""Progress as events: every change writes one in its own transaction, and replaying them (`quiz rebuild`)
gives exactly the stored card states, flags and marks, on a store used today and on stores of every earlier
schema, converted when opened."""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from quiz.core import events
from quiz.core.answerlog import id_floor
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.identity import rename_card
from quiz.core.model import Deck, Grade, Mode
from quiz.core.presets import add_preset, assign_preset, remove_preset, rename_preset
from quiz.core.rebuild import rebuild, recompute_for
from quiz.core.replay import replay
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import COMPACT_SCHEMA, EVENTS_SCHEMA, MIGRATIONS, STORE_NAME, Store, unreadable_rows
from quiz.core.storecheck import check_store
from tests.conftest import START, clocked_store, run_cli
from tests.core.progress_ops import progress_deck, snapshot, study


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return progress_deck(tmp_path)


_STATE = CardState("basic", 2, stability=3.0, difficulty=5.0, due=START, last_review=START, reps=1).to_json()


store = clocked_store  # this file's `store`: its events take the test's clock


def _kinds(store: Store) -> list[str]:
    return [event.kind for event in store.read_events()]


def test_each_change_writes_one_event_with_an_id_the_device_and_its_time(
    store: Store, deck: Deck, clock: FixedClock
) -> None:
    before = len(store.read_events())
    session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope(("d",)))
    card = session.current
    assert card is not None
    session.answer(None)
    answered = session.grade(Grade.GOOD)
    session.undo()
    session.suspend()
    session.undo()
    session.bury()
    session.flag(3)
    session.toggle_mark()
    found = store.read_events()[before:]
    assert [e.kind for e in found] == ["review", "undo", "suspend", "state", "bury", "flag", "mark"]
    review, undo = found[0], found[1]
    assert review.at == START.isoformat() and review.deck_id == "d" and review.card_key == card.key
    assert review.body["grade"] == 3 and review.body["mode"] == "review" and review.body["before"] is None
    assert review.body["duration_ms"] == answered.duration_ms
    assert undo.body == {"of": review.id}
    assert len({e.id for e in found}) == len(found) and all(e.device == store.device for e in found)
    assert len(review.id) == 36 and review.id[14] == "7"  # a UUIDv7
    assert found[4].body["until"] is not None and found[2].body == {"kind": card.kind, "on": True}


def test_options_renames_and_exams_are_events_too(store: Store, deck: Deck) -> None:
    before = len(store.read_events())
    store.save_settings(replace(store.settings(), new_per_day=7))
    name = add_preset(store, "Fast")
    assign_preset(store, "d", name)
    rename_preset(store, name, "Faster")
    remove_preset(store, "Faster")
    store.record_review("d", "b0", Grade.GOOD, START, 900, "review", None, CardState("basic", 2, due=START))  # type: ignore[arg-type]
    rename_card(store, "d", "b0", "b9")
    store.save_exam(START, "An exam", 3, 4, 60.0, {"deck": "d"})
    kinds = [e.kind for e in store.read_events()[before:]]
    assert kinds == ["settings", "preset", "deck_preset", "preset_rename", "preset", "review", "rename", "exam"]


def test_an_answer_and_its_event_are_one_transaction(store: Store, deck: Deck) -> None:
    """A failed answer keeps neither (the event is written inside the answer's transaction)."""
    store.db.execute("CREATE TRIGGER no_reviews BEFORE INSERT ON review_log BEGIN SELECT RAISE(ABORT, 'full'); END")
    with pytest.raises(Exception, match="full"):
        store.record_review("d", "b0", Grade.GOOD, START, 900, "review", None, CardState("basic", 2, due=START))  # type: ignore[arg-type]
    assert "review" not in _kinds(store) and store.review_count() == 0


@pytest.mark.parametrize("seed", range(6))
def test_replaying_the_events_gives_exactly_the_stored_progress(
    store: Store, deck: Deck, clock: FixedClock, seed: int
) -> None:
    study(store, clock, deck, random.Random(seed), 150)
    rename_card(store, "d", "b1", "b7")
    stored = snapshot(store)
    done = rebuild(store)
    assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0)
    assert snapshot(store) == stored and done.states == len(stored[0])


@pytest.mark.parametrize("seed", range(4))
def test_a_rebuild_gives_what_replaying_every_event_one_by_one_gives(
    store: Store, deck: Deck, clock: FixedClock, seed: int
) -> None:
    """A card whose events are answers only, each from the state the one before left, is rebuilt in SQL (its
    last answer's state); every other card by replaying its events: together, what replaying all gives."""
    study(store, clock, deck, random.Random(seed), 120)
    scheduler = Scheduler(store.settings())
    for key in ("a0", "a1", "a2"):  # answered only, in another deck
        state = CardState("basic")
        for grade in random.Random(seed).choices(list(Grade), k=4):
            clock.advance(timedelta(days=2))
            after = scheduler.review(7, state, grade, clock.now())
            before = None if state.is_new else state  # as a session logs a new card's
            store.record_review("other", key, grade, clock.now(), 3000, Mode.REVIEW, before, after)
            state = after
    found = store.read_events()
    expected = replay(found, recompute_for(store))
    kinds: dict[str | None, set[str]] = {}
    for event in found:
        kinds.setdefault(event.card_key, set()).add(event.kind)
    assert {"review"} in kinds.values() and any(len(k) > 1 for k in kinds.values())  # both ways are taken
    store.db.execute("DELETE FROM card_state")
    done = rebuild(store)
    assert {(d, key): state for d, key, state in store.all_states()} == expected.states
    assert done.changed_states == len(expected.states) and rebuild(store).changed_states == 0


def test_rebuild_puts_back_a_state_edited_outside_quiz(store: Store, deck: Deck, clock: FixedClock, capsys) -> None:
    study(store, clock, deck, random.Random(3), 60)
    stored = snapshot(store)
    key = next(key for _, key, _ in store.all_states())
    store.db.execute("UPDATE card_state SET reps = 99 WHERE card_key = ?", (key,))
    store.db.execute("DELETE FROM card_flag")
    done = rebuild(store)
    assert done.changed_states == 1 and done.changed_flags == len(stored[1])
    assert snapshot(store) == stored
    data = Path(store.path).parent
    store.close()
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "rebuild")
    assert code == 0 and "all as stored" in out


def _old_store(path: Path, version: int, source: Store) -> None:
    """A store of schema `version` holding `source`'s history, as a quiz of then would have kept it: each
    answer's states as JSON in its log row and (schema 8 and 9) in its event's body, log ids counted from 1;
    from schema 10 on, the states in the event's columns and the compact log; from 12 on, the card numbers
    and digests too."""
    raw = sqlite3.connect(path, isolation_level=None)
    events.add_functions(raw)  # the step to schema 12 calls them
    for number, script in enumerate(MIGRATIONS[:version], start=1):
        raw.executescript(script)
        raw.execute(f"PRAGMA user_version={number}")
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    copied = ("card_state", "settings", "exam_result", "card_flag", "preset", "deck_preset", "note_mark")
    for table in copied:
        if table not in tables:
            continue
        rows = source.db.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            raw.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    if version >= COMPACT_SCHEMA:
        raw.execute("UPDATE sync SET value = ? WHERE key = 'device'", (source.device,))
        kept = f"{events.EVENT_COLUMNS}, received" + (", sets_state" if version >= _SETS_STATE_SCHEMA else "")
        kept += ", card_no, before_digest, after_digest" if version >= _CHAIN_SCHEMA else ""
        for table, columns in (("event", kept), ("review_log", _COMPACT_LOG)):
            rows = source.db.execute(f"SELECT {columns} FROM {table}").fetchall()
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(rows[0]))})", rows)
        raw.close()
        return
    event_ids = dict(source.db.execute("SELECT id, event_id FROM review_log").fetchall())
    log = [
        (r.deck_id, r.card_key, int(r.grade), r.reviewed_at.isoformat(), r.duration_ms, str(r.mode))
        + (
            None if r.state_before is None else json.dumps(r.state_before.to_json()),
            json.dumps(r.state_after.to_json()),
        )
        + ((event_ids[r.id],) if version >= EVENTS_SCHEMA else ())
        for r in source.reviews()
    ]
    columns = "deck_id, card_key, grade, reviewed_at, duration_ms, mode, state_before, state_after"
    columns += ", event_id" if version >= EVENTS_SCHEMA else ""
    raw.executemany(f"INSERT INTO review_log ({columns}) VALUES ({', '.join('?' * len(log[0]))})", log)
    if version >= EVENTS_SCHEMA:  # the events as they were kept then: a review's states in its body
        raw.execute("UPDATE sync SET value = ? WHERE key = 'device'", (source.device,))
        raw.executemany(
            "INSERT INTO event (id, device, at, kind, deck_id, card_key, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(e.id, e.device, e.at, e.kind, e.deck_id, e.card_key, json.dumps(e.body)) for e in source.read_events()],
        )
    raw.close()


_SETS_STATE_SCHEMA = MIGRATIONS.index(events.SETS_STATE_SCRIPT) + 1
_CHAIN_SCHEMA = MIGRATIONS.index(events.CHAIN_SCRIPT) + 1
_COMPACT_LOG = "id, deck_id, card_key, grade, reviewed_at, duration_ms, mode, event_id, kept_states"


def _numbers_and_digests(store: Store) -> dict[str, tuple[object, ...]]:
    rows = store.db.execute(
        "SELECT id, card_no, before_digest, after_digest FROM event WHERE deck_id IS NOT NULL AND card_key IS NOT NULL"
    )
    return {row[0]: row[1:] for row in rows}


def _number_and_digests(store: Store, event: events.Event) -> tuple[object, ...]:
    """What INSERT_EVENT makes: the card's number but for an answer that leaves the state as it is, the digests
    only for one that sets it."""
    assert event.deck_id is not None and event.card_key is not None
    (sets,) = store.db.execute("SELECT sets_state FROM event WHERE id = ?", (event.id,)).fetchone()
    number = None if sets == 0 else events.card_number(event.deck_id, event.card_key)
    if sets != 1:
        return number, None, None
    states = events.review_row(event)[7:-1]
    half = len(events.STATE_FIELDS)
    return number, events.state_digest(*states[:half]), events.state_digest(*states[half:])


@pytest.mark.parametrize("version", range(1, len(MIGRATIONS)))
def test_a_store_of_every_earlier_schema_becomes_events_that_replay_to_its_states(
    tmp_path: Path, deck: Deck, version: int
) -> None:
    clock = FixedClock(START)
    source = Store.in_folder(tmp_path / "source", clock=clock)
    source.save_settings(replace(source.settings(), new_per_day=12))
    add_preset(source, "Slow")
    assign_preset(source, "d", "Slow")
    study(source, clock, deck, random.Random(version), 120)
    source.save_exam(clock.now(), "An exam", 2, 3, 30.0, {"deck": "d"})
    path = tmp_path / "old" / STORE_NAME
    path.parent.mkdir()
    _old_store(path, version, source)
    old = sqlite3.connect(path)
    kept = [old.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("review_log", "card_state")]
    old.close()

    store = Store(path)  # converted when opened
    assert store.schema_version == len(MIGRATIONS)
    assert [store.review_count(), len(list(store.all_states()))] == kept
    assert all(
        row[0] for row in store.db.execute("SELECT event_id IS NOT NULL FROM review_log")
    )  # each answer names its event
    stored = snapshot(store)
    done = rebuild(store)
    assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0)
    assert snapshot(store) == stored
    kinds = set(_kinds(store))
    assert {"review", "settings", "exam"} <= kinds and ("state" in kinds or version >= EVENTS_SCHEMA)
    # whether each answer sets its card's state, in a column of its own (schema 11), as the replay decides it
    judged = dict(store.db.execute("SELECT id, sets_state FROM event WHERE kind = 'review'").fetchall())
    assert judged == {e.id: int(events.sets_state(e)) for e in store.read_events(kinds=["review"])}
    # each card event's number and each answer's digests (schema 12), as a new event's are made
    cards = [e for e in store.read_events() if e.deck_id is not None and e.card_key is not None]
    assert _numbers_and_digests(store) == {e.id: _number_and_digests(store, e) for e in cards}
    assert {e.kind for e in cards if _number_and_digests(store, e)[1] is not None} == {"review"}
    # every answer's states kept once, in its event's columns, exactly as they were; log ids from the times
    assert _answers(store) == _answers(source)
    assert store.db.execute(
        "SELECT count(*) FROM event WHERE kind = 'review' AND (after_kind IS NULL OR body LIKE '%\"after\"%')"
    ).fetchone() == (0,)
    assert all(r.id >= id_floor(r.reviewed_at) for r in store.reviews())
    assert not store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'review_log_time'").fetchone()
    assert ("flag" in kinds) == (version >= 5 and bool(stored[1])) and ("preset" in kinds) == (version >= 6)
    # and it goes on: a new answer after the conversion replays too, and so does its undo
    clock.advance(timedelta(days=3))
    deck_id, key, state = next(found for found in store.all_states() if not found[2].suspended)
    after = replace(state, reps=state.reps + 1, last_review=clock.now())
    answer = store.record_review(deck_id, key, Grade.HARD, clock.now(), 1000, Mode.REVIEW, state, after)
    assert rebuild(store).changed_states == 0 and store.state(deck_id, key) == after
    assert store.undo_review(answer) is not None
    assert rebuild(store).changed_states == 0 and snapshot(store) == stored
    store.close()
    source.close()


def test_quiz_rebuild_on_a_store_of_the_schema_before_finds_it_as_stored(tmp_path: Path, deck: Deck, capsys) -> None:
    """Schema 10 judged from each review's body whether it sets its card's state; 11 keeps that in a column."""
    clock = FixedClock(START)
    source = Store.in_folder(tmp_path / "source", clock=clock)
    study(source, clock, deck, random.Random(5), 80)
    state = CardState("basic", 2, stability=2.0, due=START, last_review=START, reps=1)
    source.record_review("d", "b1", Grade.AGAIN, clock.now(), 500, Mode.PRACTICE, state, replace(state, lapses=1))
    data = tmp_path / "old"
    data.mkdir()
    _old_store(data / STORE_NAME, len(MIGRATIONS) - 1, source)
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "rebuild")
    assert code == 0 and "all as stored" in out, out
    store = Store(data / STORE_NAME)
    assert store.schema_version == len(MIGRATIONS)
    judged = store.db.execute("SELECT sets_state, count(*) FROM event WHERE kind = 'review' GROUP BY 1").fetchall()
    assert judged == [(0, 1), (1, len(source.read_events(kinds=["review"])) - 1)]
    assert snapshot(store) == snapshot(source)
    store.close()
    source.close()


def _answers(store: Store) -> list[tuple[object, ...]]:
    """Every logged answer but its id, in time order."""
    return sorted(
        (r.reviewed_at, r.card_key, r.grade, r.duration_ms, r.mode, r.state_before, r.state_after)
        for r in store.reviews()
    )


def test_two_copies_of_one_old_store_convert_to_the_same_event_ids(tmp_path: Path, deck: Deck) -> None:
    clock = FixedClock(START)
    source = Store.in_folder(tmp_path / "source", clock=clock)
    study(source, clock, deck, random.Random(1), 50)
    ids = []
    for name in ("one", "two"):
        path = tmp_path / name / STORE_NAME
        path.parent.mkdir()
        _old_store(path, EVENTS_SCHEMA - 1, source)
        store = Store(path)
        assert store.device not in [other for other, _ in ids]  # a device id of its own ...
        ids.append((store.device, sorted(e.id for e in store.read_events())))
        store.close()
    assert ids[0][1] == ids[1][1]  # ... and the same ids for the same history


def test_an_event_line_round_trips_and_bad_ones_say_why() -> None:
    event = events.Event(events.new_event_id(START), "dev", START.isoformat(), "flag", "d", "c", {"flag": 2})
    assert events.event_from_line(event.line()) == event
    with pytest.raises(events.NewerFormat, match="event format 9"):
        events.event_from_line(json.dumps({"v": 9}))
    for line, why in (
        ("{", "not JSON"),
        ("[]", "not an event"),
        (event.line().replace('"flag","v"', '"nope","v"'), "unknown kind"),
        (event.line().replace(START.isoformat(), "yesterday"), "not a time"),
    ):
        with pytest.raises(events.BadEvent, match=why):
            events.event_from_line(line)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"card": None}, "names its deck and card"),
        ({"body": {"grade": 7, "mode": "review", "duration_ms": 1, "before": None, "after": {}}}, "out of range"),
        (
            {"body": {"grade": 3, "mode": "review", "duration_ms": 1, "before": None, "after": {"kind": "basic"}}},
            "KeyError",
        ),
        (
            {"body": {"grade": 3, "mode": "review", "duration_ms": 1, "before": None, "after": {**_STATE, "reps": -1}}},
            "out of range",
        ),
        ({"kind": "flag", "body": {"flag": 9}}, "0 to 7"),
        ({"kind": "flag", "body": {"flag": 2, "imported": "yes"}}, "imported one says so"),
        ({"kind": "bury", "body": {"kind": None, "until": "soon"}}, "ValueError"),
    ],
)
def test_an_event_holding_values_quiz_never_writes_is_refused(change: dict, why: str) -> None:
    """Another device's file is untrusted: a line that parses but could not be replayed is a bad line."""
    body = {"grade": 3, "mode": "review", "duration_ms": 1, "before": None, "after": _STATE}
    record = {
        "v": 1,
        "id": events.new_event_id(START),
        "device": "x",
        "at": START.isoformat(),
        "kind": "review",
        "deck": "d",
        "card": "c",
    }
    assert events.event_from_line(json.dumps({**record, "body": body})).body == body
    with pytest.raises(events.BadEvent, match=why):
        events.event_from_line(json.dumps({**record, "body": body, **change}))


def test_two_processes_writing_one_store_make_ids_in_the_order_they_wrote(store: Store, clock: FixedClock) -> None:
    """A command beside the open app writes the same store: each event's id and time still come after every
    event written before it, whichever connection wrote it (what sync appends goes by these ids)."""
    beside = Store(store.path, clock=clock)  # the same instant for all: ids and times must still grow
    for number in range(12):
        (store if number % 3 else beside).set_flag("d", f"c{number}", 1)
    found = [event for event in store.read_events() if event.kind == "flag"]
    assert [event.card_key for event in found] == [f"c{number}" for number in range(12)]
    assert [event.at for event in found] == sorted({event.at for event in found})
    beside.close()


def test_ids_made_in_bulk_are_unique_uuid7s_of_their_time_each_greater_than_the_one_before() -> None:
    """An import's events take their ids from one EventIds (random bits drawn in batches, a run within one
    millisecond counted on): each the UUIDv7 every event id is (what a line is checked against and sync
    orders by), of its own millisecond where the ids before it allow, unique, and greater than the one
    before and than the store's last id."""
    start = START.astimezone(UTC)
    after = events.new_event_id(start + timedelta(seconds=5))  # the store's last id: later than the first times
    make = events.EventIds(after=after)
    times = [start + timedelta(microseconds=n) for n in range(3000)]  # three milliseconds, 1,000 events each
    apart = [start + timedelta(seconds=10, milliseconds=n) for n in range(3000)]  # one a millisecond
    made = [make(at) for at in [*times, *apart, start]]  # and last, the clock set back
    assert len(set(made)) == len(made)
    assert made == sorted(made) and made[0] > after
    for event_id in made:
        assert str(uuid.UUID(event_id)) == event_id and uuid.UUID(event_id).version == 7
        assert uuid.UUID(event_id).variant == uuid.RFC_4122
    fresh = made[3000:-1]
    assert [event_id.replace("-", "")[:12] for event_id in fresh] == [
        f"{int(at.timestamp() * 1000):012x}" for at in apart
    ]
    assert len({event_id[14:] for event_id in fresh}) == len(fresh)  # random after the time...
    assert {event_id[19] for event_id in fresh} == set("89ab")  # ...with the variant's two bits set


def test_ids_in_the_millisecond_of_the_last_one_count_on_from_it_by_a_random_step() -> None:
    """Within the last id's millisecond an id is the last one plus 1 to 2**32 (RFC 9562's monotonic random),
    never fresh random bits that may fall below it and be thrown away: an import's answers, a microsecond
    apart, are hundreds of thousands of them."""
    start = START.astimezone(UTC)
    make = events.EventIds()
    made = [make(start + timedelta(microseconds=n)) for n in range(1000)]  # one millisecond
    later = make(start + timedelta(milliseconds=1))
    numbers = [uuid.UUID(event_id).int for event_id in made]
    steps = [after - before for before, after in itertools.pairwise(numbers)]
    assert all(1 <= step <= 2**32 for step in steps) and len(set(steps)) > 1
    assert {event_id.replace("-", "")[:12] for event_id in made} == {f"{int(start.timestamp() * 1000):012x}"}
    assert all(uuid.UUID(event_id).version == 7 and uuid.UUID(event_id).variant == uuid.RFC_4122 for event_id in made)
    assert later.replace("-", "")[:12] == f"{int(start.timestamp() * 1000) + 1:012x}"  # a new one draws again


def test_two_copies_of_a_store_counting_on_from_its_last_id_make_different_ids() -> None:
    """Two copies of one store, behind an event from a clock ahead, both count on from the store's last id:
    counted on by 1, they made the same ids for different events."""
    last = events.new_event_id(START + timedelta(hours=1))
    at = START + timedelta(hours=1)
    one, other = events.EventIds(after=last), events.EventIds(after=last)
    made = [one(at) for _ in range(100)], [other(at) for _ in range(100)]
    assert not set(made[0]) & set(made[1])
    assert all(ids == sorted(ids) and ids[0] > last for ids in made)


@pytest.mark.parametrize("version", [7, 8])  # 8: a converted event's id (content_event_id)
def test_a_count_reaching_the_variant_s_bits_goes_on_above_them(version: int) -> None:
    """A count whose 62 low bits are full carries into the 12 bits above the variant (and past them, into the
    time), keeping the last id's version and variant, so ids keep growing and stay the UUIDs they were."""
    millis = int(START.timestamp() * 1000)
    for above, next_millis, next_above in ((0x123, millis, 0x124), (0xFFF, millis + 1, 0)):
        number = millis << 80 | version << 76 | above << 64 | 0b10 << 62 | (1 << 62) - 1
        last = str(uuid.UUID(int=number))
        made = uuid.UUID(events.EventIds(after=last)(START))
        assert str(made) > last and made.version == version and made.variant == uuid.RFC_4122
        assert (made.int >> 80, made.int >> 64 & 0xFFF) == (next_millis, next_above)
        assert 0 <= made.int & (1 << 62) - 1 < 2**32


def test_an_event_body_is_the_same_compact_json_whichever_encoder_writes_it() -> None:
    body = {"grade": 3, "s": 1.5e-07, "text": 'naïve ✓ "q" \\ \u2028', "none": None, "list": [1, {"a": True}]}
    assert events.body_json(body) == json.dumps(body, separators=(",", ":"))
    event = events.Event("i", "d", START.isoformat(), "mark", "x", None, body)
    assert event.line() == json.dumps(
        {"v": 1, "id": "i", "device": "d", "at": event.at, "kind": "mark", "deck": "x", "card": None, "body": body},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )


def test_quiz_check_reports_an_event_damaged_inside_the_file_and_keeps_it(store: Store, clock: FixedClock) -> None:
    store.set_flag("d", "c0", 2)
    event_id = store.read_events()[-1].id
    store.db.execute("UPDATE event SET body = '{\"flag\": 2' WHERE id = ?", (event_id,))
    path = Path(store.path)
    store.close()
    report = check_store(path, START, repair=True)
    assert f"1 unreadable event row(s) (ids {event_id}), kept as history" in report.problems


def test_an_answer_whose_event_body_is_damaged_keeps_its_states_through_the_compact_step(
    tmp_path: Path, deck: Deck
) -> None:
    """Schema 9 kept a review's states in its event's body and its log row: when the body cannot give them,
    the log row's move to the compact log, for `quiz check` to name with the states they had."""
    clock = FixedClock(START)
    source = Store.in_folder(tmp_path / "source", clock=clock)
    study(source, clock, deck, random.Random(3), 6)
    path = tmp_path / "old" / STORE_NAME
    path.parent.mkdir()
    _old_store(path, COMPACT_SCHEMA - 1, source)
    source.close()
    raw = sqlite3.connect(path, isolation_level=None)
    log = raw.execute("SELECT event_id, json_array(state_before, state_after) FROM review_log ORDER BY id").fetchall()
    (invalid, invalid_states), (not_object, not_object_states) = log[1], log[3]
    raw.execute("UPDATE event SET body = '{\"after\": ' WHERE id = ?", (invalid,))
    raw.execute("UPDATE event SET body = json_set(body, '$.after', 'soon') WHERE id = ?", (not_object,))
    raw.close()

    store = Store(path)  # converted when opened
    kept = dict(store.db.execute("SELECT event_id, kept_states FROM review_log WHERE kept_states IS NOT NULL"))
    assert kept == {invalid: invalid_states, not_object: not_object_states}
    assert store.review_count() == len(log)
    assert len(unreadable_rows(store.db)["review_log"]) == 2
    store.close()


def test_a_damaged_answer_of_an_old_store_gets_no_event_and_the_store_still_opens(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    raw = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[: EVENTS_SCHEMA - 1], start=1):
        raw.executescript(script)
        raw.execute(f"PRAGMA user_version={number}")
    rows = [(START.isoformat(), json.dumps(_STATE)), (START.isoformat(), "{damaged"), ("yesterday", json.dumps(_STATE))]
    raw.executemany(
        "INSERT INTO review_log (deck_id, card_key, grade, reviewed_at, duration_ms, mode, state_before, state_after)"
        " VALUES ('d', 'c0', 3, ?, 1000, 'review', NULL, ?)",
        rows,
    )
    raw.close()
    store = Store(path)
    assert store.review_count() == 3  # kept, as history
    assert sorted(event.kind for event in store.read_events()) == ["review", "state"]  # the readable one, its end
    # the two without an event keep their states as they were, and `quiz check` names them
    kept = store.db.execute("SELECT kept_states FROM review_log WHERE event_id IS NULL ORDER BY id").fetchall()
    assert sorted(json.loads(text)[1] for (text,) in kept) == sorted(["{damaged", json.dumps(_STATE)])
    assert len(unreadable_rows(store.db)["review_log"]) == 2
    store.close()


def test_a_state_s_digest_is_the_same_only_for_the_same_columns() -> None:
    state = ("basic", 2, None, 3.0, 5.5, "2026-01-02T00:00:00+00:00", "2026-01-01T00:00:00+00:00", 1, 0, 0, 0, None)
    assert events.state_digest(*state) == events.state_digest(*list(state))
    others = [
        state[:1] + ("2",) + state[2:],  # text is not a number
        state[:2] + (0,) + state[3:],  # NULL is not 0
        state[:3] + (3,) + state[4:],  # an integer is not a real (stricter than SQLite: such a chain is replayed)
        state[:5] + ("2026-01-02T00:00:00Z",) + state[6:],  # the same time spelt otherwise is other text
        ("reverse", *state[1:]),
    ]
    digests = {events.state_digest(*values) for values in [state, *others]}
    assert len(digests) == 6 and None not in digests
    assert events.state_digest(*events.NO_STATE) is None  # no state: the card was new
