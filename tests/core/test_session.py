import random
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock, day_end
from quiz.core.events import card_number
from quiz.core.exam import ExamSession
from quiz.core.model import Grade, Mode
from quiz.core.rebuild import rebuild
from quiz.core.scheduler import Scheduler
from quiz.core.stats import read_deck_counts
from quiz.core.store import Store, StoreCorruptError, StoreWriteError
from tests.conftest import START, basic_deck_yaml, failing_commit, study_session

SIBLINGS = """
deck: s
title: Siblings
cards:
  - {id: r, kind: reverse, front: f, back: b}
  - {id: z, kind: cloze, text: "{{one}} and {{two}}"}
  - {id: t, kind: typed, front: "Year?", answer: "2019", topic: x}
  - {id: c, kind: choice, front: "Pick", options: [a, b], answer: a, topic: y}
"""


def test_new_cards_are_limited_per_day(store: Store, clock: FixedClock, write_deck) -> None:
    store.save_settings(replace(store.settings(), new_per_day=5))
    deck = write_deck(basic_deck_yaml(12))
    session = study_session(store, clock, [deck])
    assert session.counts().new == 5
    for _ in range(5):
        session.grade(Grade.EASY)  # straight to review, not coming back today
    assert session.current is None
    assert study_session(store, clock, [deck]).counts().new == 0  # the day's limit holds across sessions
    clock.advance(timedelta(days=1))
    assert study_session(store, clock, [deck]).counts().new == 5


def test_queue_order_learning_then_reviews_then_new(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(6))
    session = study_session(store, clock, [deck])
    first = session.current
    session.grade(Grade.EASY)  # review in a few days
    second = session.current
    session.grade(Grade.AGAIN)  # learning, due in 1 minute
    clock.advance(timedelta(days=30))
    session = study_session(store, clock, [deck])
    assert session.current == second  # learning first
    assert session.counts().learning == 1 and session.counts().review == 1
    session.grade(Grade.GOOD)
    assert session.current == first  # then the review
    session.grade(Grade.GOOD)
    assert session.state_of(session.current).is_new  # then new cards


def test_learning_card_returns_when_due(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(1))
    session = study_session(store, clock, [deck])
    card = session.current
    session.grade(Grade.AGAIN)
    assert session.current == card  # nothing else left: shown within the learn-ahead window
    assert session.counts().learning == 1


@pytest.mark.parametrize("days", [0, 1], ids=["next-day-start", "a-day-later"])
def test_a_learning_card_due_on_a_later_day_is_not_counted_today(
    store: Store, clock: FixedClock, write_deck, days: int
) -> None:
    """As Home and Anki count: the cards left today are the learning cards due before the day ends. A step past
    the day's end is due at the next day's start, the day's end itself (the scheduler's, and an Anki import's)."""
    deck = write_deck(basic_deck_yaml(2))
    session = study_session(store, clock, [deck])
    session.grade(Grade.AGAIN)  # learning, due in a minute: today
    later = session.current
    session.grade(Grade.AGAIN)
    state = store.state("d", later.key)
    store.set_state("d", later.key, replace(state, due=day_end(START) + timedelta(days=days)))  # a day step
    session = study_session(store, clock, [deck])
    assert session.counts().learning == 1
    assert read_deck_counts(store, deck, clock.now()).learning == 1  # Home's count
    clock.advance(timedelta(days=2))
    assert session.counts().learning == 2  # the day came: the same session counts it


def test_undo_restores_state_log_and_queue(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    card = session.current
    counts = session.counts()
    session.grade(Grade.GOOD)
    assert store.review_count() == 1 and store.state("d", card.key) is not None
    assert session.undo() == card
    assert session.current == card and session.counts() == counts
    assert store.review_count() == 0 and store.state("d", card.key) is None
    assert session.summary.count == 0
    assert session.undo() is None


def test_siblings_wait_until_the_next_day(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(SIBLINGS)
    session = study_session(store, clock, [deck])
    seen = []
    while session.current is not None and len(seen) < 10:
        seen.append(session.current.key)
        session.grade(Grade.EASY)
    assert len([k for k in seen if k.startswith("r")]) == 1
    assert len([k for k in seen if k.startswith("z/")]) == 1
    clock.advance(timedelta(days=1))
    later = study_session(store, clock, [deck])
    assert {c.key for c in list(later._new)} | {later.current.key} >= {"r/reverse", "z/2"}


# Notes whose cards are siblings by their `siblings:` id (as an Anki note read card by card), apart in the deck
SIBLINGS_APART = """
deck: s
title: Siblings
cards:
  - {id: z-1, kind: basic, siblings: z, front: one, back: "1"}
  - {id: r, kind: reverse, front: f, back: b}
  - {id: t, kind: typed, front: "Year?", answer: "2019"}
  - {id: z-2, kind: basic, siblings: z, front: two, back: "2"}
"""


def test_notes_sharing_a_siblings_id_are_studied_as_one_note_s_cards(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """One card of them a day, even apart in the deck; one answered in its learning steps buries the other."""
    deck = write_deck(SIBLINGS_APART)
    session = study_session(store, clock, [deck])
    assert [card.key for card in session._new] == ["r", "t"]  # z-2 not taken: z-1, shown, is of its group
    assert session.current.key == "z-1"
    session.grade(Grade.GOOD)  # a learning step
    while session.current is not None and session.current.key != "z-1":
        session.grade(Grade.EASY)
    assert study_session(store, clock, [deck]).current.key == "z-1"  # later today: its group still waits
    clock.advance(timedelta(days=1))
    session = study_session(store, clock, [deck])
    assert session.current.key == "z-1" and "z-2" in [card.key for card in session._new]
    session.grade(Grade.GOOD)
    assert "z-2" not in [card.key for card in session._new]  # buried with its sibling's answer
    later = study_session(store, clock, [deck])
    assert "z-2" not in [card.key for card in later._new] and (later.current is None or later.current.key != "z-2")


def test_suspend_and_bury(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    suspended = session.suspend()
    buried = session.bury()
    assert store.state("d", suspended.key).suspended
    again = study_session(store, clock, [deck])
    assert again.counts().new == 1
    clock.advance(timedelta(days=1))
    keys = {c.key for c in study_session(store, clock, [deck])._new} | {study_session(store, clock, [deck]).current.key}
    assert buried.key in keys and suspended.key not in keys


def test_leech_is_tagged_and_suspended(store: Store, clock: FixedClock, write_deck) -> None:
    store.save_settings(replace(store.settings(), leech_threshold=2))
    deck = write_deck(basic_deck_yaml(1))
    leeched = False
    for _ in range(6):
        session = study_session(store, clock, [deck])
        while session.current is not None:
            state = session.state_of(session.current)
            answered = session.grade(Grade.AGAIN if state.is_review else Grade.EASY)
            leeched = leeched or answered.leech
        clock.advance(timedelta(days=40))
    state = store.state("d", "c0")
    assert leeched and state.leech and state.suspended and state.lapses == 2


def test_topic_scope(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(10))
    session = study_session(store, clock, [deck], topic="t1")
    assert session.counts().new == 5
    assert session.current.topic == "t1"


def test_practice_never_changes_the_schedule(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(4))
    session = study_session(store, clock, [deck], mode=Mode.PRACTICE)
    assert session.counts().new == 4
    missed = session.current
    session.grade(Grade.AGAIN)
    for _ in range(3):
        session.grade(Grade.GOOD)
    assert session.current == missed  # missed cards come round again
    session.grade(Grade.GOOD)
    assert session.current is None
    assert store.states("d") == {}
    assert {r.mode for r in store.reviews()} == {Mode.PRACTICE} and store.review_count() == 5


def test_kind_change_resets_the_card(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(1))
    session = study_session(store, clock, [deck])
    session.grade(Grade.EASY)
    changed = write_deck("deck: d\ntitle: T\ncards:\n  - {id: c0, kind: typed, front: q, answer: a}\n", "d2.yaml")
    clock.advance(timedelta(days=1))
    again = study_session(store, clock, [changed])
    assert again.current.key == "c0" and again.state_of(again.current).is_new
    assert store.reviews("d", "c0")  # the history is still there


def test_durations_are_recorded(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(1))
    session = study_session(store, clock, [deck])
    clock.advance(timedelta(seconds=7))
    session.grade(Grade.GOOD)
    assert store.reviews()[0].duration_ms == 7000


def test_exam_scores_per_topic_and_keeps_the_result(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(SIBLINGS)
    exam = ExamSession.create(store, clock, [deck], {"x", "y"}, 5, "Exam", seed=3)
    assert len(exam.questions) == 2  # only auto-graded cards of those topics
    for card in list(exam.questions):
        exam.answer("2019" if card.key == "t" else "b")
    result = exam.finish()
    assert result.per_topic == {"x": (1, 1), "y": (0, 1)}
    assert [m.key for m in result.mistakes] == ["c"]
    assert store.exams()[0]["correct"] == 1
    assert store.states("s") == {} and {r.mode for r in store.reviews()} == {Mode.EXAM}


def test_exam_time_limit_ends_it(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(SIBLINGS)
    exam = ExamSession.create(store, clock, [deck], None, 5, "Timed", time_limit_s=60, seed=1)
    exam.answer(None)
    clock.advance(timedelta(seconds=61))
    assert exam.current is None
    result = exam.finish()
    assert result.unanswered == len(exam.questions) - 1 and result.seconds == 60


def test_grade_failure_leaves_the_session_unchanged(store: Store, clock: FixedClock, write_deck, monkeypatch) -> None:
    from quiz.core.store import StoreWriteError

    deck = write_deck(basic_deck_yaml(2))
    session = study_session(store, clock, [deck])
    card, counts = session.current, session.counts()

    def fail(*args, **kwargs):
        raise StoreWriteError("disk full")

    monkeypatch.setattr(store, "record_review", fail)
    with pytest.raises(StoreWriteError):
        session.grade(Grade.GOOD)
    assert session.current == card and session.counts() == counts and session.summary.count == 0
    monkeypatch.undo()
    session.grade(Grade.GOOD)
    assert store.review_count() == 1


def test_a_grade_applies_the_interval_the_grade_bar_showed_fuzz_included(
    store: Store, clock: FixedClock, write_deck
) -> None:
    store.save_settings(replace(store.settings(), fuzz=True, new_per_day=40))
    deck = write_deck(basic_deck_yaml(40))
    session = study_session(store, clock, [deck])
    for _ in deck.cards:  # first answers: every card to review, due in a few days
        session.grade(Grade.EASY)
    clock.advance(timedelta(days=60))  # all due, long overdue: the next intervals are weeks, fuzzed
    session = study_session(store, clock, [deck])
    checked = 0
    while session.current is not None:
        card = session.current
        shown = session.previews()
        clock.advance(timedelta(seconds=7))  # thinking time between the grade bar and the key
        session.grade(Grade.GOOD)
        state = store.state(deck.id, card.key)
        assert state.due - clock.now() == shown[Grade.GOOD] and state.last_review == clock.now()
        checked += shown[Grade.GOOD] >= timedelta(days=3)  # long enough to be fuzzed
    assert checked == len(deck.cards)


def test_a_grade_without_a_preview_or_a_day_later_is_computed_afresh(
    store: Store, clock: FixedClock, write_deck
) -> None:
    deck = write_deck(basic_deck_yaml(2))
    session = study_session(store, clock, [deck])
    session.grade(Grade.EASY)
    session.grade(Grade.EASY)  # no preview: computed at the grade
    assert all(store.state(deck.id, c.key).last_review == clock.now() for c in deck.cards)
    clock.advance(timedelta(days=20))
    session = study_session(store, clock, [deck])
    card = session.current
    before = session.state_of(card)
    shown = session.previews()
    clock.advance(timedelta(days=1, minutes=1))  # the grade bar left open overnight: FSRS counts the day
    session.grade(Grade.GOOD)
    fresh = Scheduler(store.settings()).preview(card_number(deck.id, card.key), before, clock.now())
    assert store.state(deck.id, card.key).due - clock.now() == fresh[Grade.GOOD] != shown[Grade.GOOD]


def test_a_learning_step_on_a_later_day_starts_that_day_however_long_the_grade_bar_was_open(
    store: Store, clock: FixedClock, write_deck
) -> None:
    store.save_settings(replace(store.settings(), learning_steps_minutes=(10.0, 2 * 1440.0)))
    deck = write_deck(basic_deck_yaml(1))
    session = study_session(store, clock, [deck])
    card = session.current
    session.grade(Grade.AGAIN)  # the first step, ten minutes
    clock.advance(timedelta(minutes=10))
    session = study_session(store, clock, [deck])
    assert session.current is card
    session.previews()
    clock.advance(timedelta(seconds=30))
    session.grade(Grade.GOOD)  # to the two-day step: due at the start of a study day, as Anki's
    due = store.state(deck.id, card.key).due
    assert due == day_end(clock.now()) + timedelta(days=1)


def _study_until_cloze_is_learning(store: Store, clock: FixedClock, deck) -> None:
    """Day one: z/1 is answered once and left in its learning steps; the next day z/1 is a learning card
    and z/2 a new one, both in the day's queue."""
    session = study_session(store, clock, [deck])
    while session.current is not None and session.current.key != "z/1":
        session.grade(Grade.EASY)
    session.grade(Grade.GOOD)  # a learning step: due again in 10 minutes
    assert session.state_of(deck.cards[2]).is_learning
    clock.advance(timedelta(days=1))


def test_answering_a_card_buries_its_new_and_review_siblings_like_anki(
    store: Store, clock: FixedClock, write_deck
) -> None:
    deck = write_deck(SIBLINGS)
    _study_until_cloze_is_learning(store, clock, deck)
    session = study_session(store, clock, [deck])
    assert session.current.key == "z/1" and "z/2" in [c.key for c in session._new]
    session.grade(Grade.GOOD)
    seen = []
    while session.current is not None and len(seen) < 10:
        seen.append(session.current.key)
        session.grade(Grade.EASY)
    assert "z/2" not in seen and store.state("s", "z/2") is None  # buried for today, still new
    # a later session the same day does not bring it either
    assert study_session(store, clock, [deck]).current is None
    clock.advance(timedelta(days=1))
    later = study_session(store, clock, [deck])
    assert "z/2" in [later.current.key, *(c.key for c in later._new)]


def test_undoing_an_answer_unburies_the_siblings_it_buried(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(SIBLINGS)
    _study_until_cloze_is_learning(store, clock, deck)
    session = study_session(store, clock, [deck])
    counts = session.counts()
    session.grade(Grade.GOOD)
    assert session.counts().new == counts.new - 1  # z/2 went with it
    assert session.undo().key == "z/1"
    assert session.counts() == counts and "z/2" in [c.key for c in session._new]


def test_a_suspend_or_bury_makes_room_for_more_new_cards_today(store: Store, clock: FixedClock, write_deck) -> None:
    store.save_settings(replace(store.settings(), new_per_day=3))
    deck = write_deck(basic_deck_yaml(6))
    session = study_session(store, clock, [deck])
    suspended, buried = session.suspend(), session.bury()
    seen = []
    while session.current is not None:
        seen.append(session.current.key)
        session.grade(Grade.EASY)
    # neither counted towards the day's 3 new cards, as Anki counts only cards studied
    assert len(seen) == 3 and {suspended.key, buried.key}.isdisjoint(seen)
    assert study_session(store, clock, [deck]).current is None  # the day's limit is met, nothing more


def test_undo_goes_back_several_steps_across_grades_suspends_and_buries(
    store: Store, clock: FixedClock, write_deck
) -> None:
    deck = write_deck(basic_deck_yaml(5))
    session = study_session(store, clock, [deck])
    first = session.current
    session.grade(Grade.GOOD)  # learning
    second = session.suspend()
    third = session.bury()
    fourth = session.current
    session.grade(Grade.EASY)
    after_first = store.state("d", first.key)
    assert store.review_count() == 2 and store.state("d", second.key).suspended
    assert store.state("d", third.key).buried_until is not None
    assert session.next_undo() == "answer"

    assert session.undo() == fourth and store.review_count() == 1 and store.state("d", fourth.key) is None
    assert session.next_undo() == "bury"
    assert session.undo() == third and store.state("d", third.key) is None
    assert session.undo() == second and store.state("d", second.key) is None
    assert store.state("d", first.key) == after_first  # untouched so far
    assert session.undo() == first and store.review_count() == 0 and store.state("d", first.key) is None
    assert session.next_undo() is None and session.undo() is None
    # the queue is as it was at the start: the same cards in the same order
    fresh = study_session(store, clock, [deck])
    assert session.counts() == fresh.counts() and session.current == fresh.current
    assert [c.key for c in session._new] == [c.key for c in fresh._new]
    assert session.summary.count == 0


def test_undoing_a_suspend_of_a_seen_card_restores_its_state_exactly(
    store: Store, clock: FixedClock, write_deck
) -> None:
    deck = write_deck(basic_deck_yaml(2))
    session = study_session(store, clock, [deck])
    card = session.current
    session.grade(Grade.AGAIN)
    while session.current != card:
        session.grade(Grade.EASY)
    before = store.state("d", card.key)
    assert session.suspend() == card and store.state("d", card.key).suspended
    session.undo()
    assert store.state("d", card.key) == before and session.current == card
    # the restore is committed: another connection sees it
    other = Store(store.path)
    try:
        assert other.state("d", card.key) == before
    finally:
        other.close()


def test_undoing_the_first_answer_to_a_card_whose_kind_changed_puts_its_old_schedule_back(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """A new version of a deck turned a studied basic card into a typed one: it is answered as new, its basic
    schedule set aside (the old kind back brings it back). An answer undone must not cost that schedule: the store,
    a replay of its events (a synced device, a rebuild) and the card's line in study all still have it."""
    deck = write_deck(basic_deck_yaml(1))
    session = study_session(store, clock, [deck])
    card = session.current
    session.grade(Grade.EASY)
    studied = store.state("d", card.key)
    assert studied is not None and studied.is_review
    clock.advance(timedelta(days=1))
    typed = write_deck(basic_deck_yaml(1).replace("kind: basic", "kind: typed").replace("back:", "answer:"))
    session = study_session(store, clock, [typed])
    changed = session.current
    assert changed is not None and changed.key == card.key and session.kind_before(changed) == "basic"
    session.grade(Grade.GOOD)
    assert store.state("d", card.key).kind == "typed"
    assert session.undo() == changed
    assert store.state("d", card.key) == studied
    assert rebuild(store).changed_states == 0  # the events replay to it too
    assert study_session(store, clock, [typed]).kind_before(changed) == "basic"
    assert study_session(store, clock, [deck]).state_of(card) == studied


def test_undo_takes_back_the_cards_a_refill_brought(store: Store, clock: FixedClock, write_deck) -> None:
    store.save_settings(replace(store.settings(), new_per_day=2))
    deck = write_deck(basic_deck_yaml(4))
    session = study_session(store, clock, [deck])
    start = session.counts()
    suspended = session.suspend()
    assert session.counts() == start  # the next new card took its place at once, as in Anki
    assert [c.key for c in [session.current, *session._new]] == ["c1", "c2"]
    session.grade(Grade.EASY)
    session.undo()
    assert session.counts() == start
    assert session.undo() == suspended and session.counts() == start
    assert [c.key for c in session._new] == [c.key for c in study_session(store, clock, [deck])._new] == ["c1"]


# --- an answer's transaction ---------------------------------------------------------------------------


def test_the_next_cards_state_is_read_in_the_answers_transaction(store: Store, clock: FixedClock, write_deck) -> None:
    """Its grade bar then reads nothing: no read transaction of its own (their locks cost more than the read)."""
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    session.previews()
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    session.grade(Grade.GOOD)
    upcoming = session.current
    answer = statements[statements.index("BEGIN IMMEDIATE") : statements.index("COMMIT")]
    assert any("FROM card_state" in sql and f"'{upcoming.key}'" in sql for sql in answer), statements
    statements.clear()
    session.previews()
    store.db.set_trace_callback(None)
    assert statements == []


def test_a_commit_that_fails_on_the_disk_keeps_nothing_and_the_grade_again_saves_it(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """The COMMIT itself fails (SQLite cannot write its log, after the answer's rows and the next card's read):
    the grade says it was not saved, the store, the session and its summary are as before; the same grade
    then saves it, as it would have been."""
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    card, counts, shown = session.current, session.counts(), session.previews()
    with failing_commit(store), pytest.raises(StoreWriteError, match="could not save"):
        session.grade(Grade.GOOD)
    assert session.current is card and session.counts() == counts and session.summary.count == 0
    assert store.review_count() == 0 and store.state(deck.id, card.key) is None
    assert session.previews() == shown
    session.grade(Grade.GOOD)
    assert [(r.card_key, r.grade) for r in store.reviews()] == [(card.key, Grade.GOOD)]
    assert store.state(deck.id, card.key).due - clock.now() == shown[Grade.GOOD]
    assert session.current is not card and session.summary.count == 1


def test_a_damaged_state_of_the_next_card_never_costs_the_answer_given(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """The next card's state is read inside the answer's transaction: a row `quiz check` would repair must not
    roll the answer back (it is committed; the damaged row is reported when that card's grade bar reads it)."""
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    while session.current is not None:
        session.grade(Grade.EASY)
    clock.advance(timedelta(days=400))
    session = study_session(store, clock, [deck])
    card = session.current
    session.previews()
    store.db.execute("UPDATE card_state SET stability = 'damaged' WHERE card_key != ?", (card.key,))
    session.grade(Grade.GOOD)
    assert [r.grade for r in store.reviews(deck.id, card.key)] == [Grade.EASY, Grade.GOOD]
    assert store.review_count() == 4
    with pytest.raises(StoreCorruptError):
        session.previews()


def test_the_next_cards_outcomes_are_worked_out_while_the_answer_commits(
    store: Store, clock: FixedClock, write_deck, monkeypatch
) -> None:
    """The commit waits for the disk: the next card's grade bar is computed meanwhile, on another thread, and
    shows what a fresh computation shows."""
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    session.previews()
    computed: list[tuple[str, str]] = []
    outcomes = Scheduler.outcomes

    def spy(self, number, *args, **kwargs):
        computed.append((threading.current_thread().name, number))
        return outcomes(self, number, *args, **kwargs)

    monkeypatch.setattr(Scheduler, "outcomes", spy)
    session.grade(Grade.GOOD)
    upcoming = session.current
    number = card_number(deck.id, upcoming.key)
    assert computed == [("quiz-overlap", number)]
    clock.advance(timedelta(seconds=3))  # the bar shown a moment after the grade
    moved: list[CardState] = []
    retimed = CardState.retimed
    monkeypatch.setattr(CardState, "retimed", lambda self, *moments: moved.append(self) or retimed(self, *moments))
    shown = session.previews()
    assert len(computed) == 1 and moved == []  # the grade bar used what was worked out, as it was: no state moved
    fresh = Scheduler(store.settings()).preview(number, session.state_of(upcoming), clock.now())
    assert shown == fresh


@pytest.mark.parametrize("seed", [3, 11, 12])
def test_every_grade_bar_is_what_a_fresh_computation_shows(tmp_path, write_deck, seed: int) -> None:
    """Twenty days of study with fuzz and the load balancer on, seconds to twenty minutes between an answer and the
    next reveal (some past the day's end at 4 am), undo and bury mixed in: every grade bar, worked out beside the
    answer before it, equals the same bar worked out afresh when it is shown."""
    deck = write_deck(basic_deck_yaml(80))
    store = Store.in_folder(tmp_path / "data")
    store.save_settings(replace(store.settings(), fuzz=True, load_balancer=True, new_per_day=25))
    clock = FixedClock(START.replace(hour=1))
    rng = random.Random(seed)
    differ, compared = [], 0
    for day in range(20):
        session = study_session(store, clock, [deck])
        count = 0
        while session.current is not None and count < 70:
            clock.advance(timedelta(seconds=rng.choice([2, 30, 200, 600, 1100])))
            shown = session.previews()
            kept, session._previewed = session._previewed, None
            compared += 1
            if shown != session.previews():
                differ.append((day, clock.now().time(), session.current.key))
            session._previewed = kept  # the grade applies what was shown, as the app's does
            clock.advance(timedelta(seconds=3))
            if rng.random() < 0.05:
                session.grade(Grade.GOOD)
                session.undo()
                session.bury()
            else:
                session.grade(rng.choice([Grade.AGAIN, Grade.HARD, Grade.GOOD, Grade.GOOD, Grade.EASY]))
            count += 1
        clock.advance(timedelta(days=1))
    store.close()
    assert compared > 500 and differ == []


def test_a_grade_bar_shown_near_the_days_end_is_worked_out_afresh(store: Store, write_deck) -> None:
    """Worked out at 03:40, shown at 03:55 with the day ending at 4 am: a learning step that ended within the day
    then ends past it now, which only a fresh computation places as Anki does."""
    clock = FixedClock(datetime(2026, 1, 5, 3, 40, tzinfo=UTC))
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    session.previews()
    session.grade(Grade.GOOD)
    upcoming = session.current
    clock.advance(timedelta(minutes=15))
    shown = session.previews()
    fresh = Scheduler(store.settings()).preview(
        card_number(deck.id, upcoming.key), session.state_of(upcoming), clock.now()
    )
    assert shown == fresh
    session.grade(Grade.GOOD)
    assert store.state(deck.id, upcoming.key).due - clock.now() == fresh[Grade.GOOD]


def test_a_failed_commit_forgets_the_load_balancers_count_of_the_answer(
    store: Store, clock: FixedClock, write_deck
) -> None:
    store.save_settings(replace(store.settings(), fuzz=True, load_balancer=True))
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    session.previews()
    assert session._balancer is not None
    with failing_commit(store), pytest.raises(StoreWriteError):
        session.grade(Grade.EASY)
    assert session._balancer is None  # read again from the store, which holds no such answer
    session.grade(Grade.EASY)
    assert store.review_count() == 1


def test_a_grade_bar_shown_after_the_clock_was_set_back_is_what_the_grade_applies(store, write_deck) -> None:
    """The outcomes worked out before the clock was set back are not shown as they are: a learning step put at the
    next day's start stays there, so its interval from now is longer than when it was worked out."""
    clock = FixedClock(datetime(2026, 1, 5, 3, 55, tzinfo=UTC))  # the day ends 04:00: Good's 10m step goes to 04:00
    deck = write_deck(basic_deck_yaml(3))
    session = study_session(store, clock, [deck])
    card = session.current
    assert card is not None
    session.previews()
    clock.advance(timedelta(minutes=-10))  # the system clock set back (an NTP step, or set by hand)
    shown = session.previews()
    session.grade(Grade.GOOD)
    due = store.state(deck.id, card.key).due
    assert due is not None
    assert shown[Grade.GOOD] == due - clock.now()
