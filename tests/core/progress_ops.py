"""Random study on a real store, as a user's days go: answers, undos, suspends, buries, flags, marks,
resets and unburies, through the same session and Browse functions the app calls; and the rest of what a
user changes (settings, option presets, exam dates, exams taken, marks from Browse), through the functions
the screens call. Shared by the event and sync tests."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from quiz.core.browse_data import reset_card, toggle_suspended
from quiz.core.burying import toggle_buried, unbury
from quiz.core.clock import FixedClock
from quiz.core.flags import toggle_flag
from quiz.core.marks import toggle_mark
from quiz.core.model import Deck, Grade
from quiz.core.presets import (
    DEFAULT,
    PresetError,
    add_preset,
    assign_preset,
    read_preset,
    remove_preset,
    rename_preset,
    save_preset,
)
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store

DECK = """
deck: d
title: Progress
cards:
  - {id: b0, kind: basic, front: "one", back: "1"}
  - {id: b1, kind: basic, front: "two", back: "2"}
  - {id: b2, kind: basic, front: "three", back: "3"}
  - {id: r, kind: reverse, front: "word", back: "meaning"}
  - {id: z, kind: cloze, text: "{{alpha}} then {{beta}}"}
"""


def study(store: Store, clock: FixedClock, deck: Deck, rng: random.Random, steps: int) -> int:
    """`steps` random actions; returns how many answers were given and kept (not undone)."""
    session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope((deck.id,)), seed=rng.randrange(9))
    kept = 0
    for _ in range(steps):
        roll = rng.random()
        card = rng.choice(deck.cards)
        if session.current is None or roll < 0.05:
            clock.advance(timedelta(minutes=rng.choice([1, 11, 90, 60 * 26, 60 * 24 * 5])))
            session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope((deck.id,)))
            continue
        clock.advance(timedelta(seconds=rng.randrange(2, 40)))
        if roll < 0.55:
            session.answer(None)
            session.grade(rng.choice(list(Grade)))
            kept += 1
        elif roll < 0.65 and session.next_undo() is not None:
            kept -= session.next_undo() == "answer"
            session.undo()
        elif roll < 0.69:
            session.suspend()
        elif roll < 0.73:
            session.bury()
        elif roll < 0.78:
            session.flag(rng.randrange(1, 8))
        elif roll < 0.81:
            session.toggle_mark()
        elif roll < 0.84:
            reset_card(store, card)
        elif roll < 0.88:
            toggle_suspended(store, card)
        elif roll < 0.91:
            toggle_buried(store, card, clock.now(), 4)
        elif roll < 0.93:
            unbury(store, clock.now(), deck.id)
        elif roll < 0.96:
            toggle_flag(store, card, rng.randrange(0, 8))
        else:
            toggle_mark(store, card)
        if roll >= 0.81:  # changed from Browse: a new session reads the store again, as the app's does
            session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope((deck.id,)))
    return kept


def snapshot(store: Store) -> tuple[object, ...]:
    """Every card's state, flag and mark, comparable across stores."""
    states = sorted((deck, key, state.to_json().__repr__()) for deck, key, state in store.all_states())
    return states, sorted(store.all_flags().items()), sorted(store.all_marks())


PRESETS = ("fast", "slow", "exam prep")


def change_options(store: Store, clock: FixedClock, deck: Deck, rng: random.Random) -> None:
    """One change a user makes outside a session: the settings, an option preset (added, changed, renamed,
    removed, given to the deck), an exam date (set, moved, removed), an exam taken, a note marked."""
    clock.advance(timedelta(seconds=rng.randrange(5, 300)))
    roll = rng.random()
    presets = list(store.presets())
    try:
        if roll < 0.15:
            settings = store.settings()
            store.save_settings(replace(settings, desired_retention=rng.choice([0.8, 0.85, 0.9, 0.95])))
        elif roll < 0.25:
            add_preset(store, rng.choice(PRESETS), rng.choice([DEFAULT, *presets]))
        elif roll < 0.4 and presets:
            name = rng.choice(presets)
            options = replace(read_preset(store, name), desired_retention=rng.choice([0.75, 0.8, 0.97]))
            save_preset(store, name, replace(options, learning_steps_minutes=rng.choice([(1.0,), (5.0, 30.0)])))
        elif roll < 0.45 and presets:
            rename_preset(store, rng.choice(presets), rng.choice(PRESETS))
        elif roll < 0.5 and presets:
            remove_preset(store, rng.choice(presets))
        elif roll < 0.65:
            assign_preset(store, deck.id, rng.choice([DEFAULT, *presets]))
        elif roll < 0.75:
            day = (clock.now() + timedelta(days=rng.randrange(10, 90))).date().isoformat()
            store.save_exam_date(deck.id, rng.choice(["", "mechanism"]), day, rng.choice([0.9, 0.95]))
        elif roll < 0.8:
            store.remove_exam_date(deck.id, rng.choice(["", "mechanism"]))
        elif roll < 0.9:
            correct = rng.randrange(0, 6)
            store.save_exam(clock.now(), f"{deck.id} exam", correct, 5, rng.randrange(30, 300), {"answers": correct})
        else:
            toggle_mark(store, rng.choice(deck.cards))
    except PresetError:  # a name taken: the screen says so and changes nothing
        pass


def options_snapshot(store: Store) -> tuple[object, ...]:
    """The settings, presets, decks' presets, exam dates and exam results (without their row ids)."""
    exams = sorted(repr({k: v for k, v in exam.items() if k != "id"}) for exam in store.exams())
    return store.settings().to_dict(), store.presets(), store.deck_presets(), store.exam_dates(), exams
