"""Anki's load balancer and easy days: fuzz picks, within its range, the day with the fewest cards due, away
from the note's other cards, lighter on the easy days. The draws are fuzz draws of fixed seeds, so each test
is deterministic."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from quiz.core.cardstate import REVIEW, CardState
from quiz.core.clock import FixedClock, day_end, day_start
from quiz.core.fuzz import constrained_fuzz_bounds, fuzz_factor
from quiz.core.loadbalancer import LoadBalancer, Placement, balances, day_index, read_load_balancer
from quiz.core.model import Grade
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.settings import Settings
from quiz.core.store import Store
from tests.conftest import START, basic_deck_yaml

SEEDS = range(40)


def _find_interval(
    balancer: LoadBalancer, preset: str, note: str, interval: float, minimum: int, maximum: int, draw: float
) -> int | None:
    """The day, within the fuzz range of `interval`, that `draw` picks by the days' weights (None past 90 days):
    what the scheduler asks of the balancer for a review's interval."""
    if not balances(interval, minimum):
        return None
    return balancer.find_day(preset, note, *constrained_fuzz_bounds(interval, minimum, maximum), draw)


def _busy(days: dict[int, int], monday_first: int = 0, easy_days: tuple[float, ...] = (1.0,) * 7) -> LoadBalancer:
    """A balancer with `count` cards of other notes due on each given day, in preset P."""
    balancer = LoadBalancer(monday_first, {"P": easy_days})
    for day, count in days.items():
        for number in range(count):
            balancer.add("P", f"other{day}-{number}", day)
    return balancer


def test_the_day_with_fewest_cards_due_wins() -> None:
    lower, upper = constrained_fuzz_bounds(10.0, 1, 36500)
    quiet = lower + 1
    balancer = _busy({day: 0 if day == quiet else 12 for day in range(lower, upper + 1)})
    picked = {_find_interval(balancer, "P", "n", 10.0, 1, 36500, fuzz_factor(seed)) for seed in SEEDS}
    assert picked == {quiet}


def test_the_same_draw_picks_the_same_day_within_the_fuzz_range() -> None:
    lower, upper = constrained_fuzz_bounds(30.0, 1, 36500)
    balancer = _busy({day: day % 4 + 1 for day in range(0, 60)})
    picks = [_find_interval(balancer, "P", "n", 30.0, 1, 36500, fuzz_factor(seed)) for seed in SEEDS]
    assert picks == [_find_interval(balancer, "P", "n", 30.0, 1, 36500, fuzz_factor(seed)) for seed in SEEDS]
    assert all(pick is not None and lower <= pick <= upper for pick in picks)
    assert len(set(picks)) > 1  # a weighted draw, not always the same day


def test_a_notes_other_cards_push_it_away() -> None:
    lower, upper = constrained_fuzz_bounds(20.0, 1, 36500)
    balancer = _busy({day: 3 for day in range(lower, upper + 1)})
    sibling_day = lower + 2
    balancer.add("P", "mine", sibling_day)
    picks = {_find_interval(balancer, "P", "mine", 20.0, 1, 36500, fuzz_factor(seed)) for seed in SEEDS}
    assert sibling_day not in picks
    assert sibling_day in {
        _find_interval(balancer, "P", "another", 20.0, 1, 36500, fuzz_factor(seed)) for seed in range(400)
    }


def test_an_easy_day_with_no_share_is_avoided() -> None:
    lower, upper = constrained_fuzz_bounds(20.0, 1, 36500)
    sunday_off = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0)  # Monday first
    balancer = _busy({day: 3 for day in range(lower, upper + 1)}, monday_first=0, easy_days=sunday_off)
    sundays = {day for day in range(lower, upper + 1) if day % 7 == 6}
    assert sundays
    picks = {_find_interval(balancer, "P", "n", 20.0, 1, 36500, fuzz_factor(seed)) for seed in range(200)}
    assert picks and not picks & sundays
    everyday = _busy({day: 3 for day in range(lower, upper + 1)})
    assert {_find_interval(everyday, "P", "n", 20.0, 1, 36500, fuzz_factor(seed)) for seed in range(200)} & sundays


def test_a_reduced_day_takes_cards_only_while_it_is_under_half_its_share() -> None:
    lower, upper = constrained_fuzz_bounds(20.0, 1, 36500)
    half_sunday = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5)
    days = range(lower, upper + 1)
    light = _busy({day: 1 if day % 7 == 6 else 4 for day in days}, easy_days=half_sunday)
    heavy = _busy({day: 4 for day in days}, easy_days=half_sunday)
    sundays = {day for day in days if day % 7 == 6}
    assert {_find_interval(light, "P", "n", 20.0, 1, 36500, fuzz_factor(seed)) for seed in range(200)} & sundays
    assert not {_find_interval(heavy, "P", "n", 20.0, 1, 36500, fuzz_factor(seed)) for seed in range(200)} & sundays


def test_long_intervals_are_left_to_fuzz_alone() -> None:
    assert _find_interval(_busy({}), "P", "n", 91.0, 1, 36500, 1) is None
    assert _find_interval(_busy({}), "P", "n", 30.0, 91, 36500, 1) is None


def test_the_scheduler_places_a_review_on_the_quiet_day() -> None:
    state = CardState(kind="basic", fsrs_state=REVIEW, step=None, stability=12.0, difficulty=5.0, reps=4)
    now = day_start(START) + timedelta(hours=6)
    state = replace(state, last_review=now - timedelta(days=12), due=now)
    plain = Scheduler(Settings(fuzz=False)).outcomes(1, state, now)[Grade.GOOD]
    assert plain.due is not None
    lower, _ = constrained_fuzz_bounds(float(round((plain.due - now) / timedelta(days=1))), 1, 36500)
    quiet = lower + 1
    balancer = _busy({day: 0 if day == quiet else 9 for day in range(0, 99)})
    balanced = Scheduler(Settings(fuzz=True)).outcomes(1, state, now, Placement(balancer, "P", "n"))
    assert balanced[Grade.GOOD].due == now + timedelta(days=quiet)


def test_a_session_spreads_reviews_onto_the_quiet_day(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(450))
    now = clock.now()
    due_today = CardState(
        kind="basic", fsrs_state=REVIEW, step=None, stability=12.0, difficulty=5.0, reps=4,
        due=now, last_review=now - timedelta(days=12),
    )  # fmt: skip
    plain = Scheduler(Settings(fuzz=False)).outcomes(1, due_today, now)[Grade.GOOD]
    assert plain.due is not None
    lower, upper = constrained_fuzz_bounds(float(round((plain.due - now) / timedelta(days=1))), 1, 36500)
    quiet = lower + 1
    busy = [day for day in range(lower - 1, upper + 2) if day != quiet]
    for number, card in enumerate(deck.cards[: 40 * len(busy)]):  # forty cards due on each busy day
        day = busy[number % len(busy)]
        store.set_state(deck.id, card.key, replace(due_today, due=now + timedelta(days=day), last_review=now))

    def review_all(load_balancer: bool, reviewed: list) -> set[int]:
        """Five cards due today, each answered Good: the study days they go to."""
        settings = replace(store.settings(), fuzz=True, load_balancer=load_balancer)
        store.save_settings(settings)
        for card in reviewed:
            store.set_state(deck.id, card.key, due_today)
        session = StudySession(store, Scheduler(settings), clock, [deck], Scope((deck.id,)))
        while session.current is not None:
            session.grade(Grade.GOOD)
        states = store.states(deck.id)
        days = {day_index(states[card.key].due, now, settings.rollover_hour) for card in reviewed}
        if load_balancer:  # the counts it read once follow the answers, as Anki's do
            balancer = session._balancer
            assert balancer is not None and balancer.days["Default"][quiet] == len(reviewed)
        return days

    assert review_all(True, deck.cards[-5:]) == {quiet}
    assert len(review_all(False, deck.cards[-10:-5])) > 1  # fuzz alone spreads them over its range


def test_the_balancer_reads_every_deck_of_a_preset_by_day(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(basic_deck_yaml(6))
    now = clock.now()
    state = CardState(kind="basic", fsrs_state=REVIEW, step=None, stability=3.0, difficulty=5.0, last_review=now)
    for number, card in enumerate(deck.cards):
        store.set_state(deck.id, card.key, replace(state, due=now + timedelta(days=number % 3)))
    balancer = read_load_balancer(store, {deck.id: "Default"}, {}, now, 4, {})
    assert balancer.days["Default"][:4] == [2, 2, 2, 0]
    assert sum(len(days) for days in balancer.notes.values()) == 6  # each note's day


def test_the_scheduler_s_fuzz_with_the_balancer_is_the_balancer_s_day_else_fuzz_s() -> None:
    """The scheduler works the fuzz range out once for both: the day is the balancer's where it picks one,
    else fuzz's, for every interval, least interval and draw."""
    from quiz.core.fuzz import with_review_fuzz
    from quiz.core.scheduler import _Rules

    balancer = _busy({day: (day * 7) % 5 for day in range(1, 99)})
    placement = Placement(balancer, "P", "n")
    for seed in range(60):
        draw = fuzz_factor(seed)
        rules = _Rules(draw, placement, 36500, short_term=False)
        for interval in (1.0, 2.3, 2.6, 7.5, 19.0, 33.3, 89.9, 90.5, 400.0):
            for minimum in (1, 3, 40, 95):
                balanced = _find_interval(balancer, "P", "n", interval, minimum, 36500, draw)
                expected = balanced if balanced is not None else with_review_fuzz(draw, interval, minimum, 36500)
                assert rules.fuzzed(interval, minimum, 36500) == expected


def test_a_due_date_counts_on_its_study_day_across_a_dst_change(monkeypatch) -> None:
    """A card due at 04:30 local a week after 1 March is due on 8 March's study day: the balancer counts it there,
    though the spring-forward of that night makes the span an hour short of seven times 24 hours."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        now = datetime(2026, 3, 1, 12).astimezone(UTC)  # naive = local time
        assert day_index(datetime(2026, 3, 8, 4, 30).astimezone(UTC), now, 4) == 7
        assert day_index(datetime(2026, 3, 9, 3, 30).astimezone(UTC), now, 4) == 7  # before the rollover
        assert day_index(datetime(2026, 3, 1, 3, 30).astimezone(UTC), now, 4) == -1
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_a_session_running_past_the_rollover_balances_from_the_new_day(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """A session opened at 03:50 and answered on after 04:00 counts the load balancer's days from the new study
    day: kept from the day before, each day it weighed was the one before (and each easy day's weekday too)."""
    deck = write_deck(basic_deck_yaml(450))
    rollover = day_end(clock.now())
    clock.advance(rollover - clock.now() - timedelta(minutes=10))
    after_rollover = rollover + timedelta(minutes=10)
    due_today = CardState(
        kind="basic", fsrs_state=REVIEW, step=None, stability=12.0, difficulty=5.0, reps=4,
        due=clock.now(), last_review=clock.now() - timedelta(days=12),
    )  # fmt: skip
    plain = Scheduler(Settings(fuzz=False)).outcomes(1, due_today, after_rollover)[Grade.GOOD]
    assert plain.due is not None
    lower, upper = constrained_fuzz_bounds(float(round((plain.due - after_rollover) / timedelta(days=1))), 1, 36500)
    quiet = lower + 1
    busy = [day for day in range(lower - 1, upper + 2) if day != quiet]  # days after the new study day
    for number, card in enumerate(deck.cards[: 40 * len(busy)]):
        due = after_rollover + timedelta(days=busy[number % len(busy)])
        store.set_state(deck.id, card.key, replace(due_today, due=due, last_review=clock.now()))
    reviewed = deck.cards[-6:]
    for card in reviewed:
        store.set_state(deck.id, card.key, due_today)
    settings = replace(store.settings(), fuzz=True, load_balancer=True, new_per_day=0)
    store.save_settings(settings)
    session = StudySession(store, Scheduler(settings), clock, [deck], Scope((deck.id,)))
    session.grade(Grade.GOOD)  # at 03:50: the balancer is read for the day ending at 04:00
    clock.advance(timedelta(minutes=20))
    answered = []
    while session.current is not None:
        answered.append(session.current)
        session.grade(Grade.GOOD)
    states = store.states(deck.id)
    assert len(answered) == 5
    assert {day_index(states[card.key].due, after_rollover, settings.rollover_hour) for card in answered} == {quiet}


def test_the_cards_of_notes_sharing_siblings_are_one_note_to_the_balancer(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """Notes with one `siblings:` id (an Anki note read card by card) are one note's cards to it, as to the study
    queue: their due cards are read under the group, and the day an answer gives is added to it, so that the
    answered card is kept away from its sibling's day."""
    deck = write_deck(
        "deck: d\ntitle: D\ncards:\n"
        "  - {id: w-1, kind: basic, siblings: w, front: Hund, back: dog}\n"
        "  - {id: w-2, kind: basic, siblings: w, front: dog, back: Hund}\n"
    )
    now = clock.now()
    review = CardState(kind="basic", fsrs_state=REVIEW, step=None, stability=12.0, difficulty=5.0, reps=4)
    store.set_state(deck.id, "w-1", replace(review, due=now + timedelta(days=5), last_review=now))
    store.set_state(deck.id, "w-2", replace(review, due=now, last_review=now - timedelta(days=12)))
    settings = replace(store.settings(), fuzz=True, load_balancer=True)
    store.save_settings(settings)
    session = StudySession(store, Scheduler(settings), clock, [deck], Scope((deck.id,)))
    assert session.current is not None and session.current.key == "w-2"
    session.grade(Grade.GOOD)
    balancer = session._balancer
    assert balancer is not None
    assert list(balancer.notes) == ["d\0w"]  # both read (w-2 due today), and w-2's new day added
    days = balancer.notes["d\0w"]
    assert days[0] == days[5] == 1 and sum(days.values()) == 3
