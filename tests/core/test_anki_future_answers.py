"""Answers of an Anki review log dated after the import (a damaged log, or a machine whose clock was ahead) are
dated at the import's time: they have not happened, and quiz stamps its later events after the latest one.

The packages are legacy1.apkg, made by Anki (tools/make_anki_fixtures.py), with its review log edited by sqlite3
inside a copy of the zip (tests/core/test_sync_damaged_anki.py's `damaged`): the last two answers of its most
answered card moved some 950 years on, in their order."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.core import store as store_module
from quiz.core.anki.model import Review, ReviewLog
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.importers import import_file
from quiz.core.importers.history import MANUAL, anki_history, redated_warning
from quiz.core.settings import Settings
from quiz.core.store import STORE_NAME, Store
from quiz.core.sync import sync
from tests.conftest import record_good, run_cli
from tests.core.test_anki_history import DATA, EXPECTED, TODAY, anki_cards_of, collection_of
from tests.core.test_sync_damaged_anki import damaged

AHEAD = 30_000_000_000_000  # milliseconds: some 950 years
MOST_ANSWERED = "SELECT cid FROM revlog WHERE ease > 0 GROUP BY cid ORDER BY count(*) DESC, cid LIMIT 1"
LAST_TWO = f"SELECT id FROM revlog WHERE cid = ({MOST_ANSWERED}) ORDER BY id DESC LIMIT 2"
# the last two answers a day after TODAY, in their order
A_DAY_AHEAD = (
    f"UPDATE revlog SET id = {int(TODAY.timestamp() * 1000) + 86_400_000} + id % 1000 WHERE id IN ({LAST_TWO})"
)
IMPORTED_AT = TODAY.replace(microsecond=0)  # the log's times are taken in whole seconds


def ahead(tmp_path: Path) -> tuple[Path, int, int]:
    """The package with the two answers moved, its Anki card id and note id."""
    package = damaged(tmp_path, f"UPDATE revlog SET id = id + {AHEAD} WHERE id IN ({LAST_TWO})")
    with sqlite3.connect(tmp_path / "collection.anki2") as db:
        card, note = db.execute(f"SELECT id, nid FROM cards WHERE id = ({MOST_ANSWERED})").fetchone()
        assert db.execute("SELECT count(*) FROM revlog WHERE id > ?", (AHEAD,)).fetchone() == (2,)
    db.close()
    return package, card, note


def imported(tmp_path: Path, capsys, monkeypatch, package: Path, home: str) -> tuple[str, Store]:
    """`package` imported at TODAY into a data folder of its own; (stderr, the store)."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    code, _out, err = run_cli(capsys, "--data-dir", str(tmp_path / home), "import", str(package))
    assert code == 0, err
    return err, Store.in_folder(tmp_path / home, clock=FixedClock(TODAY))


def test_answers_dated_after_the_import_are_dated_at_its_time_in_order_and_named_once(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    package, anki_card, anki_note = ahead(tmp_path)
    err, store = imported(tmp_path, capsys, monkeypatch, package, "moved")
    _, sound = imported(tmp_path, capsys, monkeypatch, DATA / "legacy1.apkg", "sound")
    result = import_file(package)
    key = next(key for key, anki_id in anki_cards_of(result).items() if anki_id == anki_card)
    line = next(result.lines[note] for note, cards in result.anki_cards.items() if anki_card in cards)

    sound_deck = import_file(DATA / "legacy1.apkg").deck_id  # named after its file; the cards' keys are the same

    def answers(of: Store, deck: str) -> list[tuple[str, int, datetime, int, str]]:
        return [(r.card_key, r.grade, r.reviewed_at, r.duration_ms, r.mode) for r in of.reviews(deck)]

    moved, given = answers(store, result.deck_id), answers(sound, sound_deck)
    assert len(moved) == len(given)
    others = [a for a in given if a[0] != key]
    assert [a for a in moved if a[0] != key] == others  # the other cards' answers as the sound package has them
    theirs, ours = [a for a in given if a[0] == key], [a for a in moved if a[0] == key]
    assert ours[:-2] == theirs[:-2]
    # the two moved answers: the import's time, in their order (log ids), their grades, durations and mode kept
    assert [(a[1], a[3], a[4]) for a in ours[-2:]] == [(a[1], a[3], a[4]) for a in theirs[-2:]]
    assert [a[2] for a in ours[-2:]] == [IMPORTED_AT, IMPORTED_AT]
    # the card's due date is Anki's; it was last answered at the import, not in 2976
    state, anki = store.state(result.deck_id, key), sound.state(sound_deck, key)
    assert state is not None and anki is not None
    assert state.due == anki.due and state.last_review == IMPORTED_AT
    # no event is stamped after the import's time, so this device's next answer is stamped at its own
    assert max(datetime.fromisoformat(e.at) for e in store.read_events()) < TODAY + timedelta(seconds=1)
    record_good(store, "after", TODAY + timedelta(minutes=5))
    assert [e.at for e in store.read_events() if e.card_key == "after"] == [(TODAY + timedelta(minutes=5)).isoformat()]
    warnings = [text for text in err.splitlines() if "dated after this import" in text]
    assert warnings == [
        f"{package}:{line}:1: warning: 2 answers of Anki's review log dated after this import (as late as "
        f"{datetime.fromtimestamp(sound_last(sound, key) + AHEAD / 1000, UTC):%Y-%m-%d %H:%M} UTC) are dated at "
        f"the import's time, {IMPORTED_AT:%Y-%m-%d %H:%M:%S} UTC, in their order, with their grade and duration: "
        f"line {line} (Anki note {anki_note}, 2 answers) — the computer that gave them had its clock ahead, or the "
        "package is damaged"
    ]
    store.close()
    sound.close()


def sound_last(store: Store, key: str) -> float:
    """The time (seconds) of the card's last answer as the sound package gives it."""
    return max(r.reviewed_at for r in store.reviews(card_key=key)).timestamp()


def test_a_sound_log_imports_with_no_warning(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    err, store = imported(tmp_path, capsys, monkeypatch, DATA / "legacy1.apkg", "sound")
    assert "dated after this import" not in err
    store.close()


@pytest.mark.parametrize("again", [timedelta(days=2), timedelta(hours=1)])  # no longer ahead; still ahead
def test_the_same_package_imported_again_brings_no_answer_it_dated_at_the_first_import_again(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, again: timedelta
) -> None:
    """Two answers a day ahead of the first import are dated at it, each keeping the time the package gave it;
    an import of the same package later knows them by that time, whether they are now past (kept at their
    time then) or still ahead (dated at this import's time), and adds no answer. (They were added again.)"""
    package = damaged(tmp_path, A_DAY_AHEAD)
    counts = []
    for when in (TODAY, TODAY + again):
        monkeypatch.setenv("QUIZ_NOW", when.isoformat())
        code, _out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "import", str(package))
        assert code == 0, err
        store = Store.in_folder(tmp_path / "data", clock=FixedClock(when))
        counts.append(store.review_count())
        logged = [event.body.get("logged_at") for event in store.read_events() if event.kind == "review"]
        store.close()
    assert counts[0] == counts[1]
    package_times = [datetime.fromisoformat(at) for at in logged if at is not None]
    assert len(package_times) == 2 and all(
        TODAY + timedelta(hours=23) < at < TODAY + timedelta(days=2) for at in package_times
    )


@pytest.mark.parametrize(
    ("moved", "again"),
    [
        (f"UPDATE revlog SET id = id + {AHEAD} WHERE id IN ({LAST_TWO})", timedelta(hours=1)),  # still ahead
        (A_DAY_AHEAD, timedelta(days=2)),  # now past
    ],
    ids=["still-ahead", "now-past"],
)
def test_the_same_package_imported_again_writes_no_event_and_says_nothing_of_the_answers_it_dated(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, moved: str, again: timedelta
) -> None:
    """The answers the first import dated at its time are dated so again by each import of the same package, so
    their card's state is the one logged: no event is written, and nothing is said of them. (Each import dated
    them at its own time: one more state event for their card each time, and the warning again, naming the new
    import's time as theirs.)"""
    package = damaged(tmp_path, moved)
    events, outputs = [], []
    for when in (TODAY, TODAY + again, TODAY + 2 * again):
        monkeypatch.setenv("QUIZ_NOW", when.isoformat())
        code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "import", str(package))
        assert code == 0, err
        outputs.append(out + err)
        with closing(sqlite3.connect(tmp_path / "data" / STORE_NAME)) as db:
            events.append(db.execute("SELECT count(*) FROM event").fetchone()[0])
    assert "dated after this import" in outputs[0] and "history: 104 reviews" in outputs[0]
    assert events[0] == events[1] == events[2]
    for output in outputs[1:]:
        assert "dated after this import" not in output and "history:" not in output
        assert "not brought again: 104 reviews already in quiz's review log" in output
    with closing(sqlite3.connect(tmp_path / "collection.anki2")) as anki:
        (anki_card,) = anki.execute(MOST_ANSWERED).fetchone()  # the moved answers' card
    result = import_file(package)
    key = next(key for key, anki_id in anki_cards_of(result).items() if anki_id == anki_card)
    store = Store.in_folder(tmp_path / "data", clock=FixedClock(TODAY))
    state = store.state(result.deck_id, key)
    assert state is not None and state.last_review == IMPORTED_AT  # as its answers are logged
    assert [r.reviewed_at for r in store.reviews(card_key=key)][-2:] == [IMPORTED_AT, IMPORTED_AT]
    store.close()


def _moved_last_answer(to: datetime, added_at: datetime | None = None) -> str:
    """The most answered card's last answer moved to `to`; with `added_at`, an answer (good) added at that time
    too: one statement (`damaged` runs one), an upsert whose conflict with the last answer's row moves it."""
    last = f"SELECT max(id) FROM revlog WHERE cid = ({MOST_ANSWERED})"
    if added_at is None:
        return f"UPDATE revlog SET id = {_millis(to)} WHERE id = ({last})"
    return (
        "INSERT INTO revlog SELECT * FROM ("
        f"SELECT {_millis(added_at)}, cid, usn, 3, ivl, lastIvl, factor, time, type FROM revlog WHERE id = ({last})"
        f" UNION ALL SELECT * FROM revlog WHERE id = ({last}))"
        f" WHERE true ON CONFLICT (id) DO UPDATE SET id = {_millis(to)}"
    )


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _card_log(folder: Path, deck_id: str, key: str, when: datetime) -> tuple[CardState | None, list[tuple]]:
    """The card's state in the data folder and its answers as logged, in the log's order."""
    with closing(Store.in_folder(folder, clock=FixedClock(when))) as store:
        log = [(r.reviewed_at, r.grade, r.state_before, r.state_after) for r in store.reviews(card_key=key)]
        return store.state(deck_id, key), log


def test_an_answer_added_before_one_an_earlier_import_dated_runs_after_it_as_logged(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package whose last answer is a month ahead is imported (dated at the import's time, T0); the student puts
    the clock right, answers the card in Anki (a time after T0, before that answer's) and imports again: the new
    answer runs after the one dated at T0, as they are logged, and the card's state is the one a log holding them
    at those times gives. (It ran before it: the card's last review was T0, earlier than the new answer, and its
    memory state counted no days between them.)"""
    added_at, again = TODAY + timedelta(days=30), TODAY + timedelta(days=30, hours=1)
    first, second, logged = (tmp_path / name for name in ("first", "second", "as-logged"))
    for folder in (first, second, logged):
        folder.mkdir()
    damaged(first, _moved_last_answer(TODAY + timedelta(days=31)))
    damaged(second, _moved_last_answer(TODAY + timedelta(days=31), added_at))
    damaged(logged, _moved_last_answer(IMPORTED_AT, added_at))  # the answers at the times they are logged at
    package = tmp_path / "deck.apkg"
    for source, when in ((first, TODAY), (second, again)):
        shutil.copyfile(source / "damaged.apkg", package)
        monkeypatch.setenv("QUIZ_NOW", when.isoformat())
        code, _out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "import", str(package))
        assert code == 0, err
    shutil.copyfile(logged / "damaged.apkg", package)
    code, _out, err = run_cli(capsys, "--data-dir", str(tmp_path / "reference"), "import", str(package))
    assert code == 0, err
    with closing(sqlite3.connect(first / "collection.anki2")) as anki:
        (anki_card,) = anki.execute(MOST_ANSWERED).fetchone()  # the moved answer's card
    result = import_file(package)
    key = next(key for key, anki_id in anki_cards_of(result).items() if anki_id == anki_card)
    state, log = _card_log(tmp_path / "data", result.deck_id, key, again)
    assert [at for at, *_ in log[-2:]] == [IMPORTED_AT, added_at.replace(microsecond=0)]
    assert state is not None and state.last_review == added_at.replace(microsecond=0)
    assert (state, log) == _card_log(tmp_path / "reference", result.deck_id, key, again)


def test_this_devices_later_answer_replays_in_its_real_order_with_another_devices(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop imports the package, then answers a card a minute later; the desk answers it a minute after
    that. Every device ends with the desk's answer last. (The laptop's answer was stamped after the year 2976,
    and replayed last everywhere.)"""
    package, _, _ = ahead(tmp_path)
    _, laptop = imported(tmp_path, capsys, monkeypatch, package, "laptop")
    desk = Store.in_folder(tmp_path / "desk", clock=FixedClock(TODAY))
    record_good(laptop, "both", TODAY + timedelta(minutes=1))
    record_good(desk, "both", TODAY + timedelta(minutes=2))
    folder = tmp_path / "Sync"
    folder.mkdir()
    for store, host in ((laptop, "laptop"), (desk, "desk"), (laptop, "laptop")):
        assert sync(store, folder, host=host).warnings == []
    states = [store.state("d", "both") for store in (laptop, desk)]
    assert states[0] == states[1]
    assert states[0] is not None and (states[0].last_review, states[0].reps) == (TODAY + timedelta(minutes=2), 2)
    laptop.close()
    desk.close()


def test_a_warning_names_ten_notes_and_counts_the_rest() -> None:
    """Imported before the log's first day: each of its answers is dated at the import's time, in its order."""
    collection = collection_of("legacy1.apkg")
    now = TODAY - timedelta(days=4)
    later = [r for r in collection_of("legacy1.apkg").reviews if r.ease and r.id // 1000 > int(now.timestamp())]
    result = import_file(DATA / "legacy1.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), now)
    assert sum(count for _, count in history.redated.values()) == len(later) == EXPECTED["revlog_count"]
    notes = len({note for card in later for note, cards in result.anki_cards.items() if card.card_id in cards})
    assert notes > 10 and len(history.redated) == notes
    assert history.dated_at == now.replace(microsecond=0)
    assert all(a.at <= now for card in history.cards for a in card.answers)
    warning = redated_warning(history, "deck.apkg", result.lines)
    assert warning is not None and warning.line == 0
    assert str(warning).startswith(f"deck.apkg: warning: {len(later)} answers of Anki's review log dated after")
    assert warning.message.count("(Anki note ") == 10
    assert warning.message.endswith(f"and {notes - 10} more notes")


@pytest.mark.parametrize("logged_under", ["its key", "its home"])
def test_answers_an_earlier_import_dated_are_dated_as_it_did_under_the_card_s_key_or_its_home(
    logged_under: str,
) -> None:
    """The answers LoggedAnswers.redated gives of a card are dated at the time logged, with the package's, and not
    counted as dated at this import, whether logged under the card's key or under its home (a card whose note
    changed shape in Anki, importers.cardhomes); the log's other answers are dated at this import."""
    collection = collection_of("legacy1.apkg")
    now = TODAY - timedelta(days=4)  # before the log's first day: every answer is after it
    result = import_file(DATA / "legacy1.apkg")
    answered = {review.card_id for review in collection.reviews if review.ease}
    key, anki_card = next((key, anki_id) for key, anki_id in anki_cards_of(result).items() if anki_id in answered)
    rows = [review for review in collection.reviews if review.card_id == anki_card and review.ease]
    earlier = (now - timedelta(days=1)).replace(microsecond=0)  # that import's time
    home = f"{key}-home"
    logged = {(row.id // 1000, row.ease): earlier for row in rows}
    homes = {anki_card: home} if logged_under == "its home" else {}
    history = anki_history(
        collection,
        result.deck_id,
        result.notes,
        result.anki_cards,
        Settings(),
        now,
        homes,
        {home if homes else key: logged},
    )
    card = next(card for card in history.cards if card.card_key == key)
    package_times = [datetime.fromtimestamp(row.id // 1000, UTC) for row in rows]
    assert [(answer.at, answer.logged_at) for answer in card.answers] == [(earlier, at) for at in package_times]
    assert sum(count for _, count in history.redated.values()) == EXPECTED["revlog_count"] - len(rows)


def _replayed(
    rows: Callable[[Review, Review], list[Review]],
    dated_before: Callable[[Review], dict[tuple[int, int], datetime]],
) -> tuple[list[tuple], CardState | None]:
    """legacy1.apkg's most answered card replayed a month and an hour after IMPORTED_AT, its last two rows
    replaced with `rows` of them, the answers an earlier import dated `dated_before` of its last row: the card's
    answers (time, grade, states) and its state."""
    collection, result = collection_of("legacy1.apkg"), import_file(DATA / "legacy1.apkg")
    counted = Counter(review.card_id for review in collection.reviews if review.ease)
    (anki_card, _), *_ = counted.most_common(1)
    key = next(key for key, anki_id in anki_cards_of(result).items() if anki_id == anki_card)
    log = list(collection.reviews)
    *kept, second, last = (review for review in log if review.card_id == anki_card)
    others = [review for review in log if review.card_id != anki_card]
    collection.reviews = ReviewLog(sorted([*others, *kept, *rows(second, last)]))
    now = IMPORTED_AT + timedelta(days=30, hours=1)
    history = anki_history(
        collection, result.deck_id, result.notes, result.anki_cards, Settings(), now, {}, {key: dated_before(last)}
    )
    card = next(card for card in history.cards if card.card_key == key)
    return [(a.at, a.grade, a.before, a.after) for a in card.answers], card.state


def test_a_reset_among_answers_an_earlier_import_dated_stays_before_the_answers_after_it() -> None:
    """A reset and an answer after it were a month ahead of the first import (T0), both dated at it; the student
    answered the card since, before their own time: the reset stays before the dated answer, which starts the
    card again from new, and the new answer comes after it, as a log holding them at those times gives. (The
    reset, not logged, ran at its own time, after the new answer, and the replay ended on it.)"""
    ahead, added_at = IMPORTED_AT + timedelta(days=31), IMPORTED_AT + timedelta(days=30)

    def moved(reset_at: datetime, answer_at: int) -> Callable[[Review, Review], list[Review]]:
        """The second last row a reset at `reset_at`, the last one at `answer_at` (ms), an answer added after."""
        return lambda second, last: [
            second._replace(id=_millis(reset_at), ease=0, interval=0, type=MANUAL),
            last._replace(id=answer_at),
            last._replace(id=_millis(added_at), ease=3),
        ]

    answer_at = _millis(ahead) + 1000  # a second after the reset
    dated = _replayed(moved(ahead, answer_at), lambda last: {(answer_at // 1000, last.ease): IMPORTED_AT})
    assert dated == _replayed(moved(IMPORTED_AT, _millis(IMPORTED_AT) + 1), lambda _last: {})


@pytest.mark.parametrize("changed_by", [None, "this connection", "another connection"])
def test_the_log_read_for_the_history_is_read_again_by_the_write_only_when_the_store_changed_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed_by: str | None
) -> None:
    """The deck's log is read once an import, for the history (Store.logged_answers), and the write uses it
    again; when the store changed between them (the same answers written by this connection or by another, a
    second quiz), the write reads it again and writes none of them twice. (Without the check: all again.)"""
    collection, result = collection_of("legacy1.apkg"), import_file(DATA / "legacy1.apkg")
    cards = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY).cards
    reads, read_logged = [], store_module._read_logged
    monkeypatch.setattr(store_module, "_read_logged", lambda *args: reads.append(args) or read_logged(*args))
    with closing(Store.in_folder(tmp_path)) as ours, closing(Store.in_folder(tmp_path)) as other:
        logged = ours.logged_answers(result.deck_id)
        if changed_by is not None:
            (ours if changed_by == "this connection" else other).import_history(result.deck_id, cards, lambda: None)
        written = ours.import_history(result.deck_id, cards, lambda: None, logged)
    answers = EXPECTED["revlog_count"]
    assert (written.added, written.known) == ((answers, 0) if changed_by is None else (0, answers))
    assert len(reads) == (1 if changed_by is None else 3)  # ours, then the other write's, then ours again


_OTHER_QUIZ_IMPORTS = """
import sys
from contextlib import closing
from pathlib import Path
from quiz.core.importers import import_file
from quiz.core.importers.history import anki_history
from quiz.core.settings import Settings
from quiz.core.store import Store
from tests.core.test_anki_history import DATA, TODAY, collection_of
collection, result = collection_of("legacy1.apkg"), import_file(DATA / "legacy1.apkg")
cards = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY).cards
with closing(Store.in_folder(Path(sys.argv[1]))) as store:
    store.import_history(result.deck_id, cards, lambda: None)
"""


def test_the_log_read_before_the_index_was_deleted_is_read_again_after_another_quiz_wrote(tmp_path: Path) -> None:
    """The store's index (-shm) deleted between the history's read and the write, and another quiz writing the same
    answers meanwhile: the store opens again on a new connection, whose change count starts anew and can equal the
    one the read saw, so the read is not taken as current and the write logs none of the answers twice. (Before:
    every answer logged again.)"""
    collection, result = collection_of("legacy1.apkg"), import_file(DATA / "legacy1.apkg")
    cards = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY).cards
    Store.in_folder(tmp_path).close()  # a store made before: this connection has changed nothing in it
    with closing(Store.in_folder(tmp_path)) as ours:
        logged = ours.logged_answers(result.deck_id)
        Path(ours.path + "-shm").unlink()
        project = Path(__file__).resolve().parents[2]
        subprocess.run([sys.executable, "-c", _OTHER_QUIZ_IMPORTS, str(tmp_path)], check=True, cwd=project)
        written = ours.import_history(result.deck_id, cards, lambda: None, logged)
        (rows,) = ours.db.execute("SELECT count(*) FROM review_log WHERE deck_id = ?", (result.deck_id,)).fetchone()
    assert (written.added, written.known, rows) == (0, EXPECTED["revlog_count"], EXPECTED["revlog_count"])


def test_anki_last_review_after_the_import_is_the_imports_time() -> None:
    """A card with no answers in the package whose data says it was last answered in 2999."""
    collection = collection_of("current.apkg")
    collection.take_reviews()
    target = next(card for card in collection.cards if card.type == 2 and card.queue == 2)
    later = int(datetime(2999, 1, 1, tzinfo=UTC).timestamp())
    collection.cards = [
        replace(card, data=f'{{"s": 42.5, "d": 3.25, "lrt": {later}}}') if card is target else card
        for card in collection.cards
    ]
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    key = next(key for key, anki_id in anki_cards_of(result).items() if anki_id == target.id)
    state = next(card.state for card in history.cards if card.card_key == key)
    assert state is not None and state.last_review == TODAY
    assert history.redated == {}  # no answer of the log moved: nothing to warn of
