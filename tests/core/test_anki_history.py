"""An Anki package's review log and schedule come along with `quiz import`, checked against what Anki itself
reported (tests/data/anki/expected.json, written by tools/make_anki_fixtures.py after several simulated days
of reviews): review counts, suspension, burying, flags, the leech, and the cards due the next day."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core.anki.model import Collection, Review, ReviewLog
from quiz.core.anki.package import read_package
from quiz.core.cardstate import LEARNING, REVIEW, CardState
from quiz.core.clock import day_end, study_day
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.importers import ImportResult, import_file
from quiz.core.importers.history import AnkiHistory, anki_history, has_history, study_day_start
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.presets import deck_settings
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import ImportedAnswer, ImportedCard, ImportedHistoryResult, Store, state_tuple
from quiz.core.studyqueue import Segment, review_queue
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
PACKAGES = sorted(EXPECTED["packages"])
ANKI_CARDS = {card["id"]: card for note in EXPECTED["notes"] for card in note["cards"]}
LEECH_NOTES = [note for note in EXPECTED["notes"] if "leech" in note["tags"]]


def collection_of(name: str) -> Collection:
    return read_package((DATA / name).read_bytes(), name)


def anki_day(day: int, hour: int = 12) -> datetime:
    """`hour` o'clock (UTC, the tests' time zone) on Anki's study day number `day` of the fixture."""
    created = datetime.fromtimestamp(EXPECTED["crt"], UTC).date()
    return datetime(created.year, created.month, created.day, hour, tzinfo=UTC) + timedelta(days=day)


def _last_answer() -> datetime:
    """When the fixtures' last answer was given: on Anki's last study day, at the time of day they were made (the
    packages share one review log)."""
    return max(datetime.fromtimestamp(review.id / 1000, UTC) for review in collection_of(PACKAGES[0]).reviews)


# The import's time: on Anki's last study day, after its last answer, as an export comes after the answers it holds
# (an answer dated after the import is dated at its time)
TODAY = max(anki_day(EXPECTED["today"]), _last_answer() + timedelta(minutes=1))
TOMORROW = anki_day(EXPECTED["today"] + 1)


def anki_cards_of(result: ImportResult) -> dict[str, int]:
    """quiz card key -> the Anki card id it came from."""
    return {
        card.key: anki_id
        for note in result.notes
        for card, anki_id in zip(cards_of(result.deck_id, note), result.anki_cards[note.id], strict=True)
    }


def imported(tmp_path: Path, capsys, monkeypatch, name: str, *flags: str) -> tuple[str, Store, Deck, dict[str, int]]:
    """Import `name` on Anki's last study day; (stdout, the store, the deck, quiz card key -> Anki card id)."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / name), *flags)
    assert code == 0, err
    result = import_file(DATA / name)
    anki_of = anki_cards_of(result)
    deck = load_deck_file(tmp_path / "decks" / f"{result.deck_id}.yaml").deck
    assert deck is not None
    return out, Store.in_folder(tmp_path), deck, anki_of


@pytest.mark.parametrize("name", PACKAGES)
def test_every_review_suspension_flag_and_the_leech_come_along(tmp_path: Path, capsys, monkeypatch, name) -> None:
    out, store, deck, anki_of = imported(tmp_path, capsys, monkeypatch, name)
    came = set(anki_of.values())
    wanted_reviews = sum(ANKI_CARDS[i]["revlog"] for i in came)
    assert store.review_count() == wanted_reviews
    assert wanted_reviews == EXPECTED["revlog_count"]  # every note comes in (pictures too), with all its reviews
    assert f"history: {wanted_reviews} reviews from Anki's review log" in out
    assert "of cards not in the deck" not in out
    logged: dict[int, int] = {}
    for review in store.reviews(deck.id):
        assert review.mode is Mode.REVIEW
        logged[anki_of[review.card_key]] = logged.get(anki_of[review.card_key], 0) + 1
    assert logged == {i: ANKI_CARDS[i]["revlog"] for i in came if ANKI_CARDS[i]["revlog"]}  # each Anki card once
    states = store.states(deck.id)
    suspended = {anki_of[key] for key, state in states.items() if state.suspended}
    assert suspended == {i for i in came if ANKI_CARDS[i]["queue"] == -1}
    buried = {anki_of[key] for key, state in states.items() if state.buried_until is not None}
    assert buried == {i for i in came if ANKI_CARDS[i]["queue"] in (-2, -3)}
    assert all(states[key].buried_until == day_end(TODAY) for key in states if anki_of[key] in buried)
    flags = {anki_of[key]: flag for key, flag in store.flags(deck.id).items()}
    assert flags == {i: ANKI_CARDS[i]["flags"] for i in came if ANKI_CARDS[i]["flags"]}
    leeches = {anki_of[key] for key, state in states.items() if state.leech}
    assert leeches == {c["id"] for note in LEECH_NOTES for c in note["cards"]} and len(leeches) == 1
    learning = 0
    for key, state in states.items():
        anki = ANKI_CARDS[anki_of[key]]
        assert (state.reps, state.lapses) == (anki["reps"], anki["lapses"])
        if anki["type"] == 2:
            assert state.fsrs_state == REVIEW and state.due == anki_day(anki["due"], 4)  # Anki's rollover, 4 am
        if anki["queue"] == 1:  # learning: `due` is a time, `left` the steps to go, counted from the end
            assert state.fsrs_state == LEARNING and state.due == datetime.fromtimestamp(anki["due"], UTC)
            assert state.step == len(Settings().learning_steps_minutes) - anki["left"] % 1000
            learning += 1
    assert learning == 1
    assert {i for i in came if ANKI_CARDS[i]["type"] == 0} == {i for key, i in anki_of.items() if key not in states}


@pytest.mark.parametrize("name", PACKAGES)
def test_the_next_day_quiz_shows_the_cards_anki_would(tmp_path: Path, capsys, monkeypatch, name) -> None:
    _, store, deck, anki_of = imported(tmp_path, capsys, monkeypatch, name)
    came = set(anki_of.values())
    anki_due = set(EXPECTED["tomorrow"]["due"]) & came
    assert len(anki_due) >= 5  # reviews, the buried card back and a learning card
    end = day_end(TOMORROW)
    due = {
        anki_of[key]
        for key, state in store.states(deck.id).items()
        if not state.is_new
        and not state.suspended
        and state.due is not None
        and state.due < end
        and (state.buried_until is None or state.buried_until <= TOMORROW)
    }
    assert due == anki_due
    cards = list(deck.cards)
    settings = deck_settings(store, Settings())
    segments = {deck.id: [Segment(0, len(cards), deck)]}
    queue = review_queue(store, cards, segments, {deck.id: len(cards)}, settings, TOMORROW)
    shown: list[Card] = [entry.card for entry in queue.learning] + queue.reviews
    # quiz shows one card of a note a day (its siblings wait), Anki every due card: the same notes
    assert {anki_of[card.key] for card in shown} <= anki_due
    assert {card.note.id for card in shown} == {card.note.id for card in cards if anki_of.get(card.key) in anki_due}
    assert {anki_of[card.key] for card in queue.new} <= {i for i in came if ANKI_CARDS[i]["type"] == 0}


def test_an_sm2_deck_gets_fsrs_memory_states_from_its_history() -> None:
    collection = collection_of("current.apkg")
    assert all('"s"' not in card.data for card in collection.cards)  # Anki scheduled it with SM-2
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    reviewed = [card.state for card in history.cards if card.answers and card.state and card.state.is_review]
    assert len(reviewed) > 10
    assert all(state.stability and state.stability > 0 for state in reviewed)
    assert all(state.difficulty and 1 <= state.difficulty <= 10 for state in reviewed)
    assert len({round(state.stability or 0, 3) for state in reviewed}) > 5  # each from its own answers
    anki_of = anki_cards_of(result)
    rows = collection_of("current.apkg").take_reviews()  # anki_history took this collection's
    for card in history.cards:
        if not card.answers:
            continue
        given = rows.pop(anki_of[card.card_key])  # the replayed answers keep Anki's grades, times, durations, intervals
        assert [(int(a.grade), a.at, a.duration_ms) for a in card.answers] == [
            (r.ease, datetime.fromtimestamp(r.id // 1000, UTC), r.time_ms) for r in given
        ]
        for answer, review in zip(card.answers, given, strict=True):
            after = CardState(*answer.after)
            assert after.stability and after.due is not None
            step = timedelta(days=review.interval) if review.interval > 0 else timedelta(seconds=-review.interval)
            assert after.due - answer.at == step


def test_fsrs_memory_state_kept_by_anki_is_taken_as_it_is() -> None:
    collection = collection_of("current.apkg")
    target = next(card for card in collection.cards if card.type == 2 and card.queue == 2)
    collection.cards = [
        replace(card, data='{"s": 42.5, "d": 3.25, "lrt": 1}') if card is target else card for card in collection.cards
    ]
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    key = next(key for key, anki_id in anki_cards_of(result).items() if anki_id == target.id)
    state = next(card.state for card in history.cards if card.card_key == key)
    assert state is not None and (state.stability, state.difficulty) == (42.5, 3.25)
    assert state.due == study_day_start(
        collection, target.due, 4, study_day(TODAY)
    )  # Anki's due date, not the replay's


def test_manual_entries_are_not_answers_and_a_reset_starts_the_card_again() -> None:
    collection = collection_of("current.apkg")
    result = import_file(DATA / "current.apkg")
    card = next(c for c in collection.cards if c.type == 2 and c.queue == 2)
    first = min(r.id for r in collection.reviews if r.card_id == card.id)
    reset = Review(first + 1, card.id, 0, 0, 0, 0, 0, 4)  # Anki's "reset card" right after the first answer
    collection.reviews = ReviewLog(sorted([*collection.reviews, reset], key=lambda r: r.id))
    plain = anki_history(
        collection_of("current.apkg"), result.deck_id, result.notes, result.anki_cards, Settings(), TODAY
    )
    with_reset = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    assert with_reset.manual == plain.manual + 1
    assert sum(len(c.answers) for c in with_reset.cards) == sum(len(c.answers) for c in plain.cards)
    changed = [(a, b) for a, b in zip(plain.cards, with_reset.cards, strict=True) if a.answers != b.answers]
    assert len(changed) == 1
    before, after = changed[0]
    assert [x.grade for x in before.answers] == [x.grade for x in after.answers]
    again = after.answers[1].before
    assert again is not None and CardState(*again).is_new  # started again from new


def test_study_days_count_from_the_collections_creation_and_start_at_quizs_rollover_hour() -> None:
    collection = collection_of("current.apkg")
    start = study_day_start(collection, 10, 6, study_day(TODAY))
    assert start == anki_day(10, 6)
    assert (
        study_day_start(collection, 10**12, 6, study_day(TODAY)) > start
    )  # a damaged day number is held, never a crash


def test_a_review_due_on_a_day_of_an_anki_whose_day_starts_at_midnight_is_due_on_that_date(
    tmp_path: Path, capsys
) -> None:
    """Anki's day set to start at midnight, quiz's at 4 am: a card Anki has due in 5 days is due on that date in
    quiz too. Started at Anki's midnight, it fell in quiz's study day before, a day early."""
    collection = pytest.importorskip("anki.collection")
    from anki.decks import DeckId

    col = collection.Collection(str(tmp_path / "collection.anki2"))
    package, data = tmp_path / "midnight.colpkg", tmp_path / "quiz"
    try:
        col.set_config("rollover", 0)
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "Antidote for heparin?", "Protamine"
        col.add_note(note, DeckId(col.decks.id("Pharm")))
        card_id = col.db.scalar("select id from cards")
        col.sched.set_due_date([card_id], "5")
        due_day, created = col.db.scalar("select due from cards"), col.crt
        col.export_collection_package(str(package), include_media=False, legacy=False)
    finally:
        col.close()
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(package))
    assert code == 0, err
    store = Store.in_folder(data)
    try:
        (state,) = store.states("midnight").values()  # the deck is named after the package
    finally:
        store.close()
    assert state.due is not None
    anki_date = datetime.fromtimestamp(created, UTC).date() + timedelta(days=due_day)  # the tests' zone is UTC
    assert study_day(state.due, 4) == anki_date


@pytest.mark.parametrize("name", ["current.apkg", "legacy2.apkg", "current.colpkg"])
def test_a_collection_made_in_tokyo_counts_its_days_from_tokyos_date_when_imported_in_new_york(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anki takes the creation date where the collection was made (its creationOffset, which every fixture keeps):
    created at 04:00 in Tokyo on 22 November 2026 (19:00 on the 21st in New York), its day 15 is 7 December, and
    starts at 4 am New York time there. Taken in New York's time, every review came a day early."""
    import time

    assert collection_of(name).creation_offset == 0  # the fixtures were made in UTC
    created = int(datetime(2026, 11, 21, 19, tzinfo=UTC).timestamp())
    collection = replace(collection_of(name), created=created, creation_offset=-540)  # Tokyo: 9 hours east
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert study_day_start(collection, 15, 4, date(2026, 12, 20)) == datetime(
            2026, 12, 7, 9, tzinfo=UTC
        )  # 04:00 EST
        # without a creationOffset (an older Anki), as Anki then does: the date in this computer's time zone
        no_offset = replace(collection, creation_offset=None)
        assert study_day_start(no_offset, 15, 4, date(2026, 12, 20)) == datetime(2026, 12, 6, 9, tzinfo=UTC)
        # imported that same day in New York, where it is still 21 November (the study day since 4 am, EST): as
        # Anki's days since the creation are never fewer than 0, its day 0 is today, not tomorrow
        assert study_day_start(collection, 15, 4, date(2026, 11, 21)) == datetime(2026, 12, 6, 9, tzinfo=UTC)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_no_history_takes_only_the_cards(tmp_path: Path, capsys, monkeypatch) -> None:
    out, store, deck, _ = imported(tmp_path, capsys, monkeypatch, "current.apkg", "--no-history")
    assert store.review_count() == 0 and store.states(deck.id) == {} and store.flags(deck.id) == {}
    assert "history:" not in out


def test_a_card_studied_in_quiz_keeps_its_own_history(tmp_path: Path, capsys, monkeypatch) -> None:
    _, store, deck, anki_of = imported(tmp_path, capsys, monkeypatch, "current.apkg", "--no-history")
    card = next(c for c in deck.cards if ANKI_CARDS[anki_of[c.key]]["revlog"] > 1)
    scheduler = Scheduler(store.settings())
    after = scheduler.review(1, CardState(kind=card.note.kind), Grade.GOOD, TOMORROW)  # after all of Anki's
    store.record_review(deck.id, card.key, Grade.GOOD, TOMORROW, 1000, Mode.REVIEW, None, after)
    store.close()
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "current.apkg"))
    assert code == 0, err
    store = Store.in_folder(tmp_path)
    # Anki's answers join quiz's own in the log; quiz's answer is the newest, so its schedule stays
    assert len(store.reviews(deck.id, card.key)) == 1 + ANKI_CARDS[anki_of[card.key]]["revlog"]
    assert store.state(deck.id, card.key) == after
    assert (
        "kept: the schedule quiz has of 1 card, not the file's: the file has no answer to it newer than quiz's last"
        in out
    )
    assert store.review_count() == 1 + sum(ANKI_CARDS[i]["revlog"] for i in set(anki_of.values()))


def test_the_history_and_the_deck_file_are_kept_together_or_not_at_all(tmp_path: Path, capsys, monkeypatch) -> None:
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importing, "_write", full_disk)
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "current.apkg"))
    assert code == 1 and "No space left on device" in err
    store = Store.in_folder(tmp_path)
    assert store.review_count() == 0 and list(store.all_states()) == []


def test_a_deck_anki_scheduled_with_fsrs_keeps_anki_s_memory_states(tmp_path: Path, capsys, monkeypatch) -> None:
    fsrs = EXPECTED["fsrs"]
    assert fsrs["crt"] == EXPECTED["crt"] and fsrs["today"] == EXPECTED["today"]  # anki_day() holds for it
    out, store, deck, anki_of = imported(tmp_path, capsys, monkeypatch, fsrs["package"])
    states = store.states(deck.id)
    assert len(states) == len(fsrs["cards"]) == 6
    for key, state in states.items():
        anki = fsrs["cards"][str(anki_of[key])]
        assert state.stability == pytest.approx(anki["stability"], rel=1e-3)
        assert state.difficulty == pytest.approx(anki["difficulty"], rel=1e-3)
        assert state.due == anki_day(anki["due"], 4) and len(store.reviews(deck.id, key)) == anki["revlog"]
    end = day_end(TOMORROW)
    due = {anki_of[key] for key, state in states.items() if state.due is not None and state.due < end}
    assert due == set(fsrs["tomorrow"]["due"])


def test_the_report_names_what_did_not_come() -> None:
    state = CardState(kind="basic", fsrs_state=REVIEW, due=TODAY, suspended=True, leech=True)
    answer = ImportedAnswer(Grade.GOOD, TODAY, 1500, None, state_tuple(state))
    cards = [ImportedCard("a", (answer, answer), state, 2), ImportedCard("b", (answer,), state, 0)]
    written = ImportedHistoryResult(added=2, known=1, kept=frozenset({"b"}), kept_own=1)
    lines = importing.history_lines(AnkiHistory(cards, manual=2, left_behind=1), written)
    assert lines == [
        "history: 2 reviews from Anki's review log, 1 card with a schedule, 1 suspended, 0 buried, 1 flagged, 1 leech",
        "not brought again: 1 review already in quiz's review log",
        "not brought: 2 manual entries of the review log (set due date, reset): they are not answers",
        "not brought: 1 review of cards not in the deck (named above, or deleted in Anki)",
        "kept: the schedule quiz has of 1 card, not the file's: the file has no answer to it newer than quiz's last",
    ]
    nothing = ImportedHistoryResult(0, 0, frozenset())
    assert importing.history_lines(AnkiHistory([ImportedCard("c", (), None, 0)]), nothing) == []


def test_interday_learning_and_filtered_deck_cards_keep_their_home_due_day() -> None:
    collection = collection_of("current.apkg")
    interday, filtered = [c for c in collection.cards if c.type == 2 and c.queue == 2][:2]
    changed = {
        interday.id: replace(interday, type=1, queue=3, due=EXPECTED["today"] + 1, left=1),
        filtered.id: replace(
            filtered, due=-100_000, original_due=EXPECTED["today"] + 2, original_deck_id=interday.deck_id
        ),
    }
    collection.cards = [changed.get(card.id, card) for card in collection.cards]
    result = import_file(DATA / "current.apkg")
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    state_of = {anki_cards_of(result)[card.card_key]: card.state for card in history.cards}
    learning, review = state_of[interday.id], state_of[filtered.id]
    assert (
        learning is not None and learning.fsrs_state == LEARNING and learning.due == anki_day(EXPECTED["today"] + 1, 4)
    )
    assert learning.step == len(Settings().learning_steps_minutes) - 1  # one step to go: quiz's last
    assert review is not None and review.is_review and review.due == anki_day(EXPECTED["today"] + 2, 4)


def test_a_package_without_scheduling_leaves_the_store_alone(tmp_path: Path, capsys, monkeypatch) -> None:
    collection = collection_of("current.apkg")
    assert has_history(collection)
    collection.reviews = ReviewLog()
    collection.cards = [replace(card, type=0, queue=0, flags=0) for card in collection.cards]
    assert not has_history(collection)  # what Anki exports with "Include scheduling information" unticked
    monkeypatch.setattr(importing, "has_history", lambda collection: False)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "current.apkg"))
    assert code == 0, err
    assert "history:" not in out and not (tmp_path / "quiz.sqlite3").exists()


def test_importing_the_package_again_keeps_the_history_the_first_import_brought(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    _, store, deck, _ = imported(tmp_path, capsys, monkeypatch, "current.apkg")
    known, states = store.review_count(), store.states(deck.id)
    card = next(c for c in deck.cards if c.key in states)  # studied in quiz since, after all of Anki's answers
    after = Scheduler(store.settings()).review(1, states[card.key], Grade.GOOD, TOMORROW)
    store.record_review(deck.id, card.key, Grade.GOOD, TOMORROW, 1000, Mode.REVIEW, states[card.key], after)
    states[card.key] = after
    store.close()
    monkeypatch.setenv("QUIZ_NOW", (TOMORROW + timedelta(days=7)).isoformat())  # the next weekly import
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "current.apkg"))
    assert code == 0, err
    store = Store.in_folder(tmp_path)
    assert store.review_count() == known + 1 and store.states(deck.id) == states  # nothing twice, nothing lost
    assert f"not brought again: {known} reviews already in quiz's review log" in out
    # the others hold the schedule the first import gave them, which is the file's: nothing of theirs was kept
    assert "kept: the schedule quiz has of 1 card, not the file's: the file has no answer to it newer than" in out


def test_an_import_into_an_empty_store_is_not_backed_up_again_and_one_into_a_store_with_history_is(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    from quiz.core.backupfolder import list_backups

    _out, store, _deck, _anki_of = imported(tmp_path, capsys, monkeypatch, "current.apkg")
    assert store.review_count() == EXPECTED["revlog_count"]
    assert list_backups(store.path) == []  # all it holds, the package holds: `quiz import` brings it again
    _out, store, _deck, _anki_of = imported(tmp_path, capsys, monkeypatch, EXPECTED["fsrs"]["package"])
    (made,) = list_backups(store.path)  # the store held a history before: backed up as quiz exits
    assert made.reviews == store.review_count() > EXPECTED["revlog_count"]


def test_a_card_only_previewed_in_anki_keeps_the_schedule_quiz_gave_it_since(tmp_path: Path, capsys) -> None:
    """Answered in Anki, imported, answered in quiz, then only previewed in Anki (a filtered deck that does not
    reschedule): the preview, newer than quiz's answer, brought back Anki's schedule from before quiz's answer,
    and the import called it a review."""
    collection = pytest.importorskip("anki.collection")
    from anki.decks import DeckId

    col = collection.Collection(str(tmp_path / "collection.anki2"))
    options = collection.ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
    )
    data, first, second = tmp_path / "quiz", tmp_path / "first.apkg", tmp_path / "previewed.apkg"
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "Antidote for heparin?", "Protamine"
        col.add_note(note, DeckId(col.decks.id("Pharm")))
        col.decks.select(DeckId(col.decks.id("Pharm")))
        col.sched.answerCard(col.sched.getCard(), 3)
        col.export_anki_package(out_path=str(first), options=options, limit=None)
        code, _, err = run(capsys, "--data-dir", str(data), "import", str(first))
        assert code == 0, err
        deck = load_deck_file(data / "decks" / "first.yaml").deck
        assert deck is not None
        key = deck.cards[0].key
        store = Store.in_folder(data)
        try:
            before = store.state(deck.id, key)
            # just after Anki's answer, so before the preview below whatever the clock does meanwhile
            moment = datetime.fromtimestamp(col.db.scalar("select max(id) from revlog") / 1000 + 0.001, UTC)
            after = Scheduler(store.settings()).review(1, before, Grade.EASY, moment)
            store.record_review(deck.id, key, Grade.EASY, moment, 3000, Mode.REVIEW, before, after)
        finally:
            store.close()
        cram = col.sched.get_or_create_filtered_deck(DeckId(0))
        cram.name, cram.config.reschedule = "Cram", False
        cram.config.search_terms[0].search = '"deck:Pharm"'
        col.decks.select(DeckId(col.sched.add_or_update_filtered_deck(cram).id))
        col.sched.answerCard(col.sched.getCard(), 3)
        col.export_anki_package(out_path=str(second), options=options, limit=None)
    finally:
        col.close()
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(second), "--deck-id", deck.id)
    assert code == 0, err
    assert "history: 0 reviews and 1 preview from Anki's review log" in out, out
    assert "kept: the schedule quiz has of 1 card, not the file's" in out, out
    store = Store.in_folder(data)
    assert store.state(deck.id, key) == after
    store.close()
