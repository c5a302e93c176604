import json
import os
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.core import events
from quiz.core import store as store_module
from quiz.core.backup import make_backup, needs_backup
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.model import Grade, Mode
from quiz.core.rebuild import rebuild
from quiz.core.settings import Settings
from quiz.core.store import (
    BURIED_NEW,
    MIGRATIONS,
    STORE_NAME,
    SUSPENDED,
    DeckAnswers,
    ImportedAnswer,
    ImportedCard,
    Store,
    StoreWriteError,
    state_code,
    state_tuple,
)
from tests.conftest import run_main_process

AT = datetime(2026, 1, 5, 9, tzinfo=UTC)


def test_schema_is_versioned_and_wal(store: Store) -> None:
    assert store.schema_version == len(MIGRATIONS)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_review_and_state_are_written_together_and_survive_reopen(tmp_path: Path) -> None:
    store = Store.in_folder(tmp_path)
    after = CardState(kind="basic", fsrs_state=1, step=1, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    review_id = store.record_review("d", "a", Grade.GOOD, AT, 1500, Mode.REVIEW, None, after)
    store.close()
    # A second, independent connection sees both the log entry and the state.
    raw = sqlite3.connect(tmp_path / "quiz.sqlite3")
    row = raw.execute("SELECT deck_id, card_key, grade, duration_ms, mode FROM review_log WHERE id=?", (review_id,))
    assert row.fetchone() == ("d", "a", 3, 1500, "review")
    assert raw.execute("SELECT due FROM card_state").fetchone()[0] == AT.isoformat()
    reopened = Store.in_folder(tmp_path)
    assert reopened.state("d", "a") == after
    assert reopened.reviews()[0].state_after == after


def test_practice_reviews_are_logged_without_changing_state(store: Store) -> None:
    state = CardState(kind="basic")
    store.record_review("d", "a", Grade.AGAIN, AT, 10, Mode.PRACTICE, None, state)
    assert store.state("d", "a") is None
    assert [r.mode for r in store.reviews()] == [Mode.PRACTICE]


def test_undo_restores_the_state_before_and_removes_the_log(store: Store) -> None:
    first = CardState(kind="basic", fsrs_state=2, stability=3.0, difficulty=5.0, due=AT, last_review=AT, reps=1)
    store.set_state("d", "a", first)
    second = CardState(kind="basic", fsrs_state=2, stability=9.0, difficulty=5.0, due=AT, last_review=AT, reps=2)
    review_id = store.record_review("d", "a", Grade.GOOD, AT, 10, Mode.REVIEW, first, second)
    assert store.state("d", "a") == second
    store.undo_review(review_id)
    assert store.state("d", "a") == first
    assert store.reviews() == []
    assert store.undo_review(review_id) is None


def test_settings_round_trip(store: Store) -> None:
    store.save_settings(Settings(desired_retention=0.85, new_per_day=7))
    assert store.settings().desired_retention == 0.85
    assert store.settings().new_per_day == 7
    with pytest.raises(ValueError):
        store.save_settings(Settings(new_per_day=-1))


def test_exam_results_are_kept(store: Store) -> None:
    store.save_exam(AT, "Mechanism", 7, 10, 120.0, {"per_topic": {"mechanism": [7, 10]}})
    [exam] = store.exams()
    assert (exam["correct"], exam["total"], exam["title"]) == (7, 10, "Mechanism")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store.in_folder(tmp_path).close()
    raw = sqlite3.connect(tmp_path / "quiz.sqlite3")
    raw.execute("PRAGMA user_version=99")
    raw.close()
    with pytest.raises(Exception, match="newer quiz"):
        Store.in_folder(tmp_path)


def test_failed_write_raises_and_keeps_nothing(tmp_path: Path) -> None:
    store = Store.in_folder(tmp_path)
    other = sqlite3.connect(tmp_path / "quiz.sqlite3", timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    store.db.execute("PRAGMA busy_timeout=50")
    with pytest.raises(StoreWriteError, match="could not save"):
        store.record_review("d", "a", Grade.GOOD, AT, 1, Mode.REVIEW, None, CardState(kind="basic"))
    other.execute("ROLLBACK")
    assert store.reviews() == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes through permissions")
@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_a_read_only_log_beside_the_store_is_named_as_read_only(tmp_path: Path, suffix: str) -> None:
    """A log left by a quiz that was killed, made read-only since (a sync tool, a copy from a read-only drive):
    SQLite opens it read-only and every answer failed with 'attempt to write a readonly database', no more."""
    store = Store.in_folder(tmp_path / "open")
    store.record_review("d", "a", Grade.GOOD, AT, 1, Mode.REVIEW, None, CardState(kind="basic"))
    left = tmp_path / "left"
    left.mkdir()
    for name in ("quiz.sqlite3", "quiz.sqlite3-wal", "quiz.sqlite3-shm"):  # what a kill leaves
        (left / name).write_bytes((tmp_path / "open" / name).read_bytes())
    store.close()
    (left / f"quiz.sqlite3{suffix}").chmod(0o444)
    reopened = Store.in_folder(left)
    assert len(reopened.reviews()) == 1
    with pytest.raises(StoreWriteError, match=r"it is read-only \(the file, its -wal or -shm beside it"):
        reopened.record_review("d", "b", Grade.GOOD, AT, 1, Mode.REVIEW, None, CardState(kind="basic"))
    reopened.close()


def test_state_codes_stay_apart_for_many_more_kinds_than_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store keeps a kind by name; its one-character state code has room for far more than 15 kinds."""
    kinds = [f"kind{n}" for n in range(1, 201)]
    monkeypatch.setattr(store_module, "_KIND_NUMBERS", {kind: n for n, kind in enumerate(kinds, start=1)})
    codes = {state_code(state_class, kind) for state_class in range(SUSPENDED, BURIED_NEW + 1) for kind in kinds}
    unknown = {state_code(state_class, "not-a-kind") for state_class in range(SUSPENDED, BURIED_NEW + 1)}
    assert len(codes) == 5 * len(kinds) and len(unknown) == 5 and not codes & unknown


def test_an_imported_history_is_logged_in_time_order_with_each_state_before_and_after(tmp_path: Path) -> None:
    def answers(kind: str, times: list[datetime]) -> tuple[ImportedAnswer, ...]:
        made, state = [], CardState(kind=kind)
        for number, at in enumerate(times, start=1):
            after = CardState(kind=kind, fsrs_state=2, stability=float(number), difficulty=5.0, due=at, last_review=at)
            made.append(ImportedAnswer(Grade.GOOD, at, 1000 * number, state_tuple(state), state_tuple(after)))
            state = after
        return tuple(made)

    day = [datetime(2024, 1, d, tzinfo=UTC) for d in range(1, 6)]
    cards = [
        ImportedCard("b", answers("basic", [day[1], day[3]]), None, 0),
        ImportedCard("a", answers("cloze", [day[0], day[2], day[4]]), CardState(kind="cloze"), 3),
    ]
    store = Store.in_folder(tmp_path)
    assert store.import_history("d", cards, lambda: None).kept == frozenset()
    logged = store.reviews("d")
    assert [(r.card_key, r.reviewed_at) for r in logged] == [
        ("a", day[0]),
        ("b", day[1]),
        ("a", day[2]),
        ("b", day[3]),
        ("a", day[4]),
    ]
    wanted = {card.card_key: list(card.answers) for card in cards}
    for record in logged:
        answer = wanted[record.card_key].pop(0)
        assert (state_tuple(record.state_before), state_tuple(record.state_after), record.duration_ms) == (
            answer.before,
            answer.after,
            answer.duration_ms,
        )
    assert store.flag("d", "a") == 3 and store.state("d", "a") == CardState(kind="cloze")
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == -2000  # SQLite's default again


def test_an_imported_answer_s_sets_state_is_what_the_rule_makes_of_its_body(tmp_path: Path) -> None:
    """The import gives its answers' `sets_state` (0: history only) instead of having SQLite read it from each
    body: it is what the rule every other event is judged by gives (the schema-11 step, run again here)."""
    state = CardState(kind="basic", fsrs_state=2, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    times = [datetime(2024, 1, day, tzinfo=UTC) for day in range(1, 4)]
    answers = tuple(ImportedAnswer(Grade.GOOD, at, 10, None, state_tuple(state)) for at in times)
    store = Store.in_folder(tmp_path)
    store.import_history("d", [ImportedCard("x", answers, state, 0)], lambda: None)
    given = store.db.execute("SELECT id, sets_state FROM event WHERE kind = 'review' ORDER BY id").fetchall()
    store.db.execute("UPDATE event SET sets_state = NULL")
    store.db.executescript(events.SETS_STATE_SCRIPT.split(";", 1)[1])  # the rule, without adding the column
    assert store.db.execute("SELECT id, sets_state FROM event WHERE kind = 'review' ORDER BY id").fetchall() == given
    assert [judged for _, judged in given] == [0, 0, 0]


_WORKED_OUT = "sets_state, card_no, before_digest, after_digest"


def test_an_answer_s_worked_out_columns_are_what_the_rule_makes_of_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer gives its `sets_state`, card number and digests instead of having SQLite work them out from its
    body through the functions it calls back (events.INSERT_OWN_ANSWER): they are what INSERT_EVENT makes of the
    same row, in every mode, a new card's first answer (no state before) and a later one."""
    called_back: list[object] = []
    for name in ("_card_number_or_none", "state_digest"):  # what SQLite calls (events.add_functions)
        function = getattr(events, name)
        monkeypatch.setattr(events, name, lambda *values, f=function: called_back.append(values) or f(*values))
    first = CardState(kind="basic", fsrs_state=1, step=1, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    later = CardState(kind="basic", fsrs_state=2, stability=3.5, difficulty=4.5, due=AT, last_review=AT, reps=2)
    store = Store.in_folder(tmp_path / "answered")
    store.record_review("d", "a", Grade.GOOD, AT, 1500, Mode.REVIEW, None, first)
    store.record_review("d", "a", Grade.EASY, AT, 900, Mode.REVIEW, first, later)
    store.record_review("d", "b", Grade.AGAIN, AT, 10, Mode.PRACTICE, None, CardState(kind="basic"))
    store.record_review("d", "c", Grade.HARD, AT, 20, Mode.EXAM, later, later)
    assert called_back == []
    given = store.db.execute(f"SELECT id, {_WORKED_OUT} FROM event WHERE kind = 'review' ORDER BY id").fetchall()
    rows = store.db.execute(f"SELECT {events.EVENT_COLUMNS}, received FROM event WHERE kind = 'review' ORDER BY id")
    again = Store.in_folder(tmp_path / "by the rule")
    with again.transaction() as db:
        db.executemany(events.INSERT_EVENT, rows.fetchall())
    by_rule = again.db.execute(f"SELECT id, {_WORKED_OUT} FROM event WHERE kind = 'review' ORDER BY id").fetchall()
    assert by_rule == given
    assert [row[1] for row in given] == [1, 1, 0, 0]
    assert all(value is not None for row in given[:2] for value in (row[2], row[4]))  # a number, the state after's
    assert given[0][3] is None and given[1][3] is not None  # no state before a new card's first answer


def _schema(store: Store) -> list[tuple[str, str, str | None]]:
    return sorted(store.db.execute("SELECT type, name, sql FROM sqlite_master"))


def test_an_import_bigger_than_what_is_held_builds_the_indexes_after_its_rows_and_the_schema_stays(
    tmp_path: Path,
) -> None:
    store = Store.in_folder(tmp_path)
    schema = _schema(store)
    indexes = {name: sql for kind, name, sql in schema if kind == "index" and sql}
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    state = CardState(kind="basic", fsrs_state=2, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    times = [datetime(2024, 1, day, tzinfo=UTC) for day in range(1, 4)]
    answers = tuple(ImportedAnswer(Grade.GOOD, at, 10, None, state_tuple(state)) for at in times)

    def fails() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):  # the deck file could not be written: nothing is kept, no index dropped
        store.import_history("d", [ImportedCard("x", answers, state, 0)], fails)
    assert _schema(store) == schema and store.reviews() == [] and store.states("d") == {}
    statements.clear()
    store.import_history("d", [ImportedCard("x", answers, state, 0)], lambda: None)
    dropped = [s.removeprefix('DROP INDEX "').removesuffix('"') for s in statements if s.startswith("DROP INDEX")]
    assert sorted(dropped) == ["card_state_odd_due", "card_state_queue", "review_log_card"]  # the log's, the states'
    assert [s for s in statements if s.startswith("CREATE INDEX")] == [indexes[name] for name in dropped]
    assert _schema(store) == schema and len(store.reviews("d")) == 3 and store.state("d", "x") == state
    plan = store.db.execute("EXPLAIN QUERY PLAN SELECT id FROM review_log WHERE deck_id = 'd' AND card_key = 'x'")
    assert "review_log_card" in " ".join(str(row) for row in plan)
    statements.clear()  # no more answers and states than held: each key goes into its index as it comes
    store.import_history("d", [ImportedCard("y", answers[:1], state, 0)], lambda: None)
    assert not [s for s in statements if "INDEX" in s] and len(store.reviews("d")) == 4


def _imported_away_from_its_home(tmp_path: Path) -> tuple[Store, CardState, ImportedCard]:
    """A store holding a card imported as "old" with one answer, then imported again as "new" (its note changed
    shape), its home "old": the store, the card's state and the card as the second import gave it."""
    state = CardState(kind="basic", fsrs_state=2, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    answer = ImportedAnswer(Grade.GOOD, datetime(2024, 1, 1, tzinfo=UTC), 10, None, state_tuple(state))
    store = Store.in_folder(tmp_path)
    store.import_history("d", [ImportedCard("old", (answer,), state, 0)], lambda: None)
    moved = ImportedCard("new", (answer,), state, 0, home="old")
    store.import_history("d", [moved], lambda: None)
    return store, state, moved


def test_a_card_away_from_its_home_imported_again_unchanged_logs_no_state_again(tmp_path: Path) -> None:
    """A card whose note changed shape comes in under a new key, its answers logged under its home (the key it
    first came in as): an import of the same package again, nothing studied since, leaves its state as it is and
    logs no event; a package whose state for it differs still logs that state, and a rebuild gives it."""
    store, state, moved = _imported_away_from_its_home(tmp_path)
    count = "SELECT count(*) FROM event WHERE kind = 'state' AND card_key = ?"
    assert store.db.execute(count, ("new",)).fetchone() == (1,)
    store.import_history("d", [moved], lambda: None)
    assert store.db.execute(count, ("new",)).fetchone() == (1,)
    later = replace(state, stability=2.0)
    store.import_history("d", [moved._replace(state=later)], lambda: None)
    assert store.db.execute(count, ("new",)).fetchone() == (2,)
    assert store.state("d", "new") == later
    done = rebuild(store)
    assert (done.changed_states, done.changed_flags) == (0, 0)


def test_a_card_away_from_its_home_reset_in_quiz_stays_reset_through_an_unchanged_import(tmp_path: Path) -> None:
    """A card whose note changed shape, reset in quiz: the same package again (no answer new to the log) leaves
    it new, as it leaves a card at its home; an answer given in Anki since brings the package's state."""
    store, state, moved = _imported_away_from_its_home(tmp_path)
    store.set_state("d", "new", None)  # Reset in the browser
    result = store.import_history("d", [moved], lambda: None)
    assert store.state("d", "new") is None and result.kept == {"new"}
    assert (rebuild(store).changed_states, rebuild(store).changed_flags) == (0, 0)
    later = ImportedAnswer(Grade.GOOD, datetime(2024, 2, 1, tzinfo=UTC), 10, None, state_tuple(state))
    store.import_history("d", [moved._replace(answers=(*moved.answers, later))], lambda: None)
    assert store.state("d", "new") == state


def test_a_unique_index_stays_through_an_import(tmp_path: Path) -> None:
    """An INSERT OR REPLACE finds the row it replaces by a unique index: one is never dropped for the rows."""
    store = Store.in_folder(tmp_path)
    store.db.execute("CREATE UNIQUE INDEX card_state_once ON card_state (card_key)")
    store.db.execute("CREATE INDEX card_state_kind ON card_state (kind)")
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    state = CardState(kind="basic", fsrs_state=2, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    answer = ImportedAnswer(Grade.GOOD, datetime(2024, 1, 1, tzinfo=UTC), 10, None, state_tuple(state))
    store.import_history("d", [ImportedCard("x", (answer,), state, 0)], lambda: None)
    dropped = {s.removeprefix('DROP INDEX "').removesuffix('"') for s in statements if s.startswith("DROP INDEX")}
    assert "card_state_kind" in dropped and "card_state_once" not in dropped
    assert store.state("d", "x") == state


def _answer_row_sizes(store: Store) -> tuple[int, int]:
    """The largest review event's body and the largest log row, in bytes of their text."""
    body = store.db.execute("SELECT max(length(body)) FROM event WHERE kind = 'review'").fetchone()[0]
    log = store.db.execute(
        "SELECT max(length(deck_id) + length(card_key) + length(reviewed_at) + length(mode) + length(event_id)) "
        "FROM review_log"
    ).fetchone()[0]
    return body, log


def test_an_answer_keeps_its_states_once_in_its_events_columns(store: Store) -> None:
    before = CardState(kind="basic", fsrs_state=2, stability=3.25, difficulty=5.0, due=AT, last_review=AT, reps=1)
    after = CardState(kind="basic", fsrs_state=2, stability=9.5, difficulty=4.75, due=AT, last_review=AT, reps=2)
    review_id = store.record_review("d", "a", Grade.GOOD, AT, 1500, Mode.REVIEW, before, after)
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(review_log)")}
    assert not columns & {"state_before", "state_after"}  # the log keeps no state ...
    body, after_kind, after_stability, before_stability = store.db.execute(
        "SELECT body, after_kind, after_stability, before_stability FROM event WHERE kind = 'review'"
    ).fetchone()
    assert "before" not in json.loads(body) and "after" not in json.loads(body)  # ... nor the event's JSON
    assert (after_kind, after_stability, before_stability) == ("basic", 9.5, 3.25)  # typed columns
    assert max(_answer_row_sizes(store)) < 120  # where a state as JSON alone took ~280 bytes
    [record] = store.reviews()
    assert (record.id, record.state_before, record.state_after) == (review_id, before, after)
    [event] = store.read_events(kinds=["review"])  # what a sync line carries: both states, as before
    assert (event.body["before"], event.body["after"]) == (before.to_json(), after.to_json())


def test_a_log_id_is_the_answers_millisecond_or_the_next_free_one(store: Store) -> None:
    state = CardState(kind="basic", fsrs_state=1, due=AT, last_review=AT)
    floor = int(AT.timestamp() * 1000)
    ids = [store.record_review("d", key, Grade.GOOD, AT, 10, Mode.REVIEW, None, state) for key in "abc"]
    assert ids == [floor, floor + 1, floor + 2]  # three answers in one millisecond
    earlier = AT.replace(hour=8)
    assert (
        store.record_review("d", "e", Grade.GOOD, earlier, 10, Mode.REVIEW, None, state) == floor + 3
    )  # clock set back
    # the answers since a time are found by id and told apart by their time, a bumped id included
    assert [r.card_key for r in store.reviews(since=AT)] == ["a", "b", "c"]
    assert store.answer_counts(since=AT) == {"review": 3} and store.answer_counts() == {"review": 4}
    assert store.answer_counts(since=earlier, until=AT) == {"review": 1}  # `until` is the first moment left out
    assert store.answered_since(earlier) == {("d", key) for key in "abce"}
    assert store.deck_answers_since("d", AT).introduced == {"a", "b", "c"}
    assert not store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'review_log_time'").fetchone()


def test_answers_imported_today_spend_the_days_limits_as_in_anki(store: Store) -> None:
    """Anki answers given today and imported count against today's limits as Anki counted them: a card answered
    new (its state before is new) is introduced, an answer to a review card is a review."""
    review = CardState(kind="basic", fsrs_state=2, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    new = CardState(kind="basic", fsrs_state=0)
    first = ImportedAnswer(Grade.GOOD, AT, 10, state_tuple(new), state_tuple(review))
    again = ImportedAnswer(Grade.GOOD, AT.replace(minute=5), 10, state_tuple(review), state_tuple(review))
    store.import_history("d", [ImportedCard("a", (first,), review, 0), ImportedCard("b", (again,), review, 0)], list)
    assert store.deck_answers_since("d", AT) == DeckAnswers({"a"}, 1, {"a", "b"})
    store.record_review("d", "n", Grade.GOOD, AT, 10, Mode.REVIEW, None, review)  # quiz's own, as before
    assert store.deck_answers_since("d", AT) == DeckAnswers({"a", "n"}, 1, {"a", "b", "n"})


def test_an_imported_history_older_than_the_log_gets_ids_from_its_own_times(store: Store) -> None:
    state = CardState(kind="basic", fsrs_state=2, stability=1.0, difficulty=5.0, due=AT, last_review=AT)
    store.record_review("d", "own", Grade.GOOD, AT, 10, Mode.REVIEW, None, state)
    old = [datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)]  # two in one millisecond
    answers = tuple(ImportedAnswer(Grade.GOOD, at, 10, None, state_tuple(state)) for at in old)
    store.import_history("d", [ImportedCard("x", answers, state, 0)], lambda: None)
    floor = int(old[0].timestamp() * 1000)
    assert [(r.id, r.card_key) for r in store.reviews()] == [
        (floor, "x"),
        (floor + 1, "x"),
        (int(AT.timestamp() * 1000), "own"),
    ]
    assert len(store.reviews(since=old[0])) == 3 and len(store.reviews(since=AT)) == 1


# --- what an answer follows, remembered between answers ----------------------------------------------------


def _events_by_id(store: Store) -> list[tuple[str, str, str]]:
    """(kind, card key, time) of every event, in id order (the order they replay in)."""
    return store.db.execute("SELECT kind, coalesce(card_key, ''), at FROM event ORDER BY id").fetchall()


def test_an_answer_after_another_connections_write_comes_after_it(tmp_path: Path) -> None:
    """This store remembers its last answer's event and log id; an answer written meanwhile by another
    connection (a command beside the app) is seen all the same: the next answer's event comes after it."""
    state = CardState(kind="basic", fsrs_state=1, due=AT, last_review=AT)
    app, command = Store.in_folder(tmp_path), Store.in_folder(tmp_path)
    first = app.record_review("d", "a", Grade.GOOD, AT, 10, Mode.REVIEW, None, state)
    later = AT.replace(minute=30)
    beside = command.record_review("d", "b", Grade.GOOD, later, 10, Mode.REVIEW, None, state)
    third = app.record_review("d", "c", Grade.GOOD, AT.replace(minute=1), 10, Mode.REVIEW, None, state)
    assert third > beside > first  # the log's newest id, read again
    kinds_keys = [(kind, key) for kind, key, _ in _events_by_id(app)]
    assert kinds_keys == [("review", "a"), ("review", "b"), ("review", "c")]
    times = [at for _, _, at in _events_by_id(app)]
    assert times == sorted(times) and times[2] > later.isoformat()
    command.close()
    app.close()


def test_an_answer_after_another_write_of_the_same_store_comes_after_it(tmp_path: Path) -> None:
    """A flag set in between (its event stamped by the store's clock, later than the answers' own times) is
    not forgotten by the next answer's event."""
    state = CardState(kind="basic", fsrs_state=1, due=AT, last_review=AT)
    store = Store.in_folder(tmp_path, clock=FixedClock(AT.replace(hour=10)))
    store.record_review("d", "a", Grade.GOOD, AT, 10, Mode.REVIEW, None, state)
    store.set_flag("d", "a", 1)
    store.record_review("d", "b", Grade.GOOD, AT.replace(minute=1), 10, Mode.REVIEW, None, state)
    assert [(kind, key) for kind, key, _ in _events_by_id(store)] == [("review", "a"), ("flag", "a"), ("review", "b")]
    store.close()


def test_answers_one_after_another_get_ids_in_their_order_whatever_their_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ids of one answer after another come from one EventIds kept between them (a new one only once the
    store's tail is read again): in the answers' order, each distinct, in the same millisecond, with the clock
    set back, and after a write that failed."""
    made: list[events.EventIds] = []

    class Counted(events.EventIds):
        def __init__(self, after: str | None = None) -> None:
            super().__init__(after)
            made.append(self)

    monkeypatch.setattr(events, "EventIds", Counted)
    state = CardState(kind="basic", fsrs_state=1, due=AT, last_review=AT)
    store = Store.in_folder(tmp_path)
    made.clear()  # the store's own events when it was made
    moments = [AT] * 5 + [AT.replace(minute=1), AT, AT.replace(second=30)]
    for number, at in enumerate(moments):
        store.record_review("d", f"c{number}", Grade.GOOD, at, 10, Mode.REVIEW, None, state)
    with pytest.raises(sqlite3.IntegrityError):  # a grade the log refuses: the answer is rolled back
        store.record_review("d", "refused", 7, AT, 10, Mode.REVIEW, None, state)  # type: ignore[arg-type]
    store.record_review("d", "last", Grade.GOOD, AT, 10, Mode.REVIEW, None, state)
    keys = [key for _, key, _ in _events_by_id(store)]
    assert keys == [f"c{number}" for number in range(len(moments))] + ["last"]
    times = [at for _, _, at in _events_by_id(store)]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert len(made) == 2  # the first answer's, and the one after the failed answer (its tail read again)
    store.close()


def test_an_answer_bumps_no_write_counter_yet_a_backup_sees_it(tmp_path: Path) -> None:
    """An answer writes one page less without the counter; the review log's size, which only answers grow and
    only counted writes shrink, tells the backup instead (an answer undone is a counted write)."""
    state = CardState(kind="basic", fsrs_state=1, due=AT, last_review=AT)
    store = Store.in_folder(tmp_path)
    store.record_review("d", "a", Grade.GOOD, AT, 10, Mode.REVIEW, None, state)
    make_backup(store, AT)
    writes, reviews = store.writes_and_reviews()
    later = AT.replace(hour=12)
    assert not needs_backup(store, later)
    answer = store.record_review("d", "b", Grade.GOOD, AT, 10, Mode.REVIEW, None, state)
    assert store.writes_and_reviews() == (writes, reviews + 1) and needs_backup(store, later)
    store.undo_review(answer)  # the review count is back where the backup has it: the counter tells
    assert store.writes_and_reviews() == (writes + 1, reviews) and needs_backup(store, later)
    store.close()


@pytest.mark.parametrize("args", [("list",), ()], ids=["list", "app"])
def test_a_folder_where_the_store_file_belongs_is_named_as_a_folder(tmp_path: Path, args: tuple[str, ...]) -> None:
    data = tmp_path / "data"
    (data / STORE_NAME).mkdir(parents=True)
    done = run_main_process(data, *args)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"quiz: {data / STORE_NAME} is a folder, not a quiz store: move it away (quiz then makes a new store)"
    )


@pytest.mark.parametrize("args", [("list",), ()], ids=["list", "app"])
def test_a_data_folder_whose_path_is_too_long_for_sqlite_says_so(tmp_path: Path, args: tuple[str, ...]) -> None:
    """A data folder of 492 bytes (165 Japanese characters) was 'not a usable quiz store (unable to open database
    file)', as if the store were damaged: SQLite opens no path longer than its limit."""
    data = tmp_path
    while len(os.fsencode(data / STORE_NAME)) <= 504:
        data = data / ("薬" * 20)
    data.mkdir(parents=True)
    done = run_main_process(data, *args)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    length = len(os.fsencode(data / STORE_NAME))
    assert done.stderr.strip() == (
        f"quiz: cannot use {data / STORE_NAME}: its path is {length} bytes long, and SQLite, which keeps the store,"
        " opens one of at most 504: give quiz a data folder with a shorter path (--data-dir or QUIZ_HOME)"
    )
    assert not (data / STORE_NAME).exists()
