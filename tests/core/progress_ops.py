"""What a user does to progress, one action at a time, on a real store: answers, undos, suspends, buries,
flags and marks in a study session; resets, suspends, buries, flags and marks from Browse; and the rest
(settings, option presets, exam dates, exams taken), through the same functions the app's screens call.

Each action is a small value with a readable repr, so a property test can draw a list of them and print the
one that fails; `study` draws them from a seeded random generator instead. Shared by the
event and sync tests."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from enum import Enum
from pathlib import Path

from hypothesis import strategies as st

from quiz.core.browse_data import reset_card, toggle_suspended
from quiz.core.burying import toggle_buried, unbury
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.flags import toggle_flag
from quiz.core.marks import toggle_mark
from quiz.core.model import Card, Deck, Grade
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
  - {id: b2, kind: basic, topic: mechanism, front: "three", back: "3"}
  - {id: r, kind: reverse, front: "word", back: "meaning"}
  - {id: z, kind: cloze, topic: mechanism, text: "{{alpha}} then {{beta}}"}
"""
CARDS = 7  # the cards DECK makes (the reverse note two, the cloze two)
WAITS = (1, 11, 90, 60 * 26, 60 * 24 * 5)  # minutes between sessions: a learning step, hours, a day, days
PRESETS = ("fast", "slow", "exam prep")
TOPICS = ("", "mechanism")  # an exam date for the whole deck, and for a topic (DECK's b2 and z: paced first)


def progress_deck(folder: Path) -> Deck:
    """DECK, written in `folder` and loaded as the app loads a deck file."""
    path = folder / "deck.yaml"
    path.write_text(DECK, encoding="utf-8")
    loaded = load_deck_file(path).deck
    assert loaded is not None
    return loaded


class User:
    """Someone studying one deck on one store: the session they are in and the answers they kept."""

    def __init__(self, store: Store, clock: FixedClock, deck: Deck) -> None:
        self.store, self.clock, self.deck = store, clock, deck
        self.kept = 0  # answers given and not undone
        self._session: StudySession | None = None

    @property
    def session(self) -> StudySession:
        """The session under way, or a new one reading the store afresh, as the app's next session does."""
        if self._session is None:
            scheduler = Scheduler(self.store.settings())
            scope = Scope((self.deck.id,))
            self._session = StudySession(self.store, scheduler, self.clock, [self.deck], scope)
        return self._session

    def end_session(self) -> None:
        self._session = None

    def card(self, index: int) -> Card:
        return self.deck.cards[index % len(self.deck.cards)]

    def act(self, action: Action, seconds: int) -> None:
        """`action`, `seconds` after the previous one."""
        self.clock.advance(timedelta(seconds=seconds))
        self.do(action)

    def do(self, action: Action) -> None:
        """`action`, now."""
        try:
            action.do(self)
        except PresetError:  # a name taken: the screen says so and changes nothing
            pass
        if isinstance(action, BrowseAction):  # the next session reads the store again
            self.end_session()


@dataclass(frozen=True, repr=False)
class Action:
    """One thing a user does; its repr is the call that makes it again."""

    def do(self, user: User) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        def show(value: object) -> str:
            return f"{type(value).__name__}.{value.name}" if isinstance(value, Enum) else repr(value)

        args = ", ".join(f"{f.name}={show(getattr(self, f.name))}" for f in fields(self))
        return f"{type(self).__name__}({args})"


# --- in a study session: on the card shown (none shown: the session is over, the action does nothing) ----


@dataclass(frozen=True, repr=False)
class Answer(Action):
    grade: Grade

    def do(self, user: User) -> None:
        if user.session.current is not None:
            user.session.answer(None)
            user.session.grade(self.grade)
            user.kept += 1


@dataclass(frozen=True, repr=False)
class Undo(Action):
    def do(self, user: User) -> None:
        if user.session.next_undo() is not None:
            user.kept -= user.session.next_undo() == "answer"
            user.session.undo()


@dataclass(frozen=True, repr=False)
class Suspend(Action):
    def do(self, user: User) -> None:
        user.session.suspend()


@dataclass(frozen=True, repr=False)
class Bury(Action):
    def do(self, user: User) -> None:
        user.session.bury()


@dataclass(frozen=True, repr=False)
class Flag(Action):
    flag: int

    def do(self, user: User) -> None:
        if user.session.current is not None:
            user.session.flag(self.flag)


@dataclass(frozen=True, repr=False)
class Mark(Action):
    def do(self, user: User) -> None:
        if user.session.current is not None:
            user.session.toggle_mark()


@dataclass(frozen=True, repr=False)
class Wait(Action):
    """The session ends; the next starts `minutes` later."""

    minutes: int

    def do(self, user: User) -> None:
        user.clock.advance(timedelta(minutes=self.minutes))
        user.end_session()


# --- from Browse, on a card of the deck (by its index) ----------------------------------------------------


@dataclass(frozen=True, repr=False)
class BrowseAction(Action):
    """Done outside the session: the next session reads the store again."""


@dataclass(frozen=True, repr=False)
class Reset(BrowseAction):
    card: int

    def do(self, user: User) -> None:
        reset_card(user.store, user.card(self.card))


@dataclass(frozen=True, repr=False)
class ToggleSuspended(BrowseAction):
    card: int

    def do(self, user: User) -> None:
        toggle_suspended(user.store, user.card(self.card))


@dataclass(frozen=True, repr=False)
class ToggleBuried(BrowseAction):
    card: int

    def do(self, user: User) -> None:
        toggle_buried(user.store, user.card(self.card), user.clock.now(), 4)


@dataclass(frozen=True, repr=False)
class UnburyDeck(BrowseAction):
    def do(self, user: User) -> None:
        unbury(user.store, user.clock.now(), user.deck.id)


@dataclass(frozen=True, repr=False)
class BrowseFlag(BrowseAction):
    card: int
    flag: int

    def do(self, user: User) -> None:
        toggle_flag(user.store, user.card(self.card), self.flag)


@dataclass(frozen=True, repr=False)
class BrowseMark(BrowseAction):
    card: int

    def do(self, user: User) -> None:
        toggle_mark(user.store, user.card(self.card))


# --- settings, option presets (by their index among the store's), exam dates, exams -----------------------


def _preset(store: Store, index: int, default: bool = False) -> str | None:
    names = [DEFAULT] * default + list(store.presets())
    return names[index % len(names)] if names else None


@dataclass(frozen=True, repr=False)
class SetRetention(Action):
    retention: float

    def do(self, user: User) -> None:
        user.store.save_settings(replace(user.store.settings(), desired_retention=self.retention))


@dataclass(frozen=True, repr=False)
class AddPreset(Action):
    name: str
    copy_of: int

    def do(self, user: User) -> None:
        add_preset(user.store, self.name, _preset(user.store, self.copy_of, default=True) or DEFAULT)


@dataclass(frozen=True, repr=False)
class EditPreset(Action):
    preset: int
    retention: float
    steps: tuple[float, ...]

    def do(self, user: User) -> None:
        if (name := _preset(user.store, self.preset)) is not None:
            options = read_preset(user.store, name)
            save_preset(
                user.store, name, replace(options, desired_retention=self.retention, learning_steps_minutes=self.steps)
            )


@dataclass(frozen=True, repr=False)
class RenamePreset(Action):
    preset: int
    name: str

    def do(self, user: User) -> None:
        if (name := _preset(user.store, self.preset)) is not None:
            rename_preset(user.store, name, self.name)


@dataclass(frozen=True, repr=False)
class RemovePreset(Action):
    preset: int

    def do(self, user: User) -> None:
        if (name := _preset(user.store, self.preset)) is not None:
            remove_preset(user.store, name)


@dataclass(frozen=True, repr=False)
class AssignPreset(Action):
    preset: int  # 0: the default

    def do(self, user: User) -> None:
        assign_preset(user.store, user.deck.id, _preset(user.store, self.preset, default=True) or DEFAULT)


@dataclass(frozen=True, repr=False)
class SetExamDate(Action):
    topic: str
    days: int  # from today
    target: float

    def do(self, user: User) -> None:
        day = (user.clock.now() + timedelta(days=self.days)).date().isoformat()
        user.store.save_exam_date(user.deck.id, self.topic, day, self.target)


@dataclass(frozen=True, repr=False)
class RemoveExamDate(Action):
    topic: str

    def do(self, user: User) -> None:
        user.store.remove_exam_date(user.deck.id, self.topic)


@dataclass(frozen=True, repr=False)
class TakeExam(Action):
    correct: int  # of 5
    seconds: int

    def do(self, user: User) -> None:
        now = user.clock.now()
        user.store.save_exam(now, f"{user.deck.id} exam", self.correct, 5, self.seconds, {"answers": self.correct})


# --- drawn by hypothesis ----------------------------------------------------------------------------------

_card = st.integers(0, CARDS - 1)
_flag = st.integers(0, 7)
_preset_index = st.integers(0, 3)
_NOT_ANSWERS: list[st.SearchStrategy[Action]] = [
    st.just(Undo()),
    st.just(Suspend()),
    st.just(Bury()),
    st.builds(Flag, _flag),
    st.just(Mark()),
    st.builds(Wait, st.sampled_from(WAITS)),
    st.builds(Reset, _card),
    st.builds(ToggleSuspended, _card),
    st.builds(ToggleBuried, _card),
    st.just(UnburyDeck()),
    st.builds(BrowseFlag, _card, _flag),
    st.builds(BrowseMark, _card),
]
# half of them answers, as in a user's sessions (a flat one_of would give answers a twelfth)
STUDY_ACTIONS: st.SearchStrategy[Action] = st.one_of(
    st.builds(Answer, st.sampled_from(Grade)), st.sampled_from(_NOT_ANSWERS).flatmap(lambda kind: kind)
)
_OPTION_KINDS: list[st.SearchStrategy[Action]] = [
    st.builds(SetRetention, st.sampled_from([0.8, 0.85, 0.9, 0.95])),
    st.builds(AddPreset, st.sampled_from(PRESETS), _preset_index),
    st.builds(EditPreset, _preset_index, st.sampled_from([0.75, 0.8, 0.97]), st.sampled_from([(1.0,), (5.0, 30.0)])),
    st.builds(RenamePreset, _preset_index, st.sampled_from(PRESETS)),
    st.builds(RemovePreset, _preset_index),
    st.builds(AssignPreset, _preset_index),
    st.builds(SetExamDate, st.sampled_from(TOPICS), st.integers(10, 90), st.sampled_from([0.9, 0.95])),
    st.builds(RemoveExamDate, st.sampled_from(TOPICS)),
    st.builds(TakeExam, st.integers(0, 5), st.integers(30, 300)),
]
# one strategy, not a one_of that a one_of around it would flatten into nine branches of its own
OPTION_ACTIONS: st.SearchStrategy[Action] = st.sampled_from(_OPTION_KINDS).flatmap(lambda kind: kind)


# --- drawn from a seeded random generator -----------------------------------------------------------------


def _random_study_action(rng: random.Random, user: User) -> Action:
    roll = rng.random()
    card = rng.randrange(CARDS)
    if user.session.current is None or roll < 0.05:
        return Wait(rng.choice(WAITS))
    table: list[tuple[float, Action]] = [
        (0.55, Answer(rng.choice(list(Grade)))),
        (0.65, Undo()),
        (0.69, Suspend()),
        (0.73, Bury()),
        (0.78, Flag(rng.randrange(1, 8))),
        (0.81, Mark()),
        (0.84, Reset(card)),
        (0.88, ToggleSuspended(card)),
        (0.91, ToggleBuried(card)),
        (0.93, UnburyDeck()),
        (0.96, BrowseFlag(card, rng.randrange(0, 8))),
    ]
    return next((action for limit, action in table if roll < limit), BrowseMark(card))


def study(store: Store, clock: FixedClock, deck: Deck, rng: random.Random, steps: int) -> int:
    """`steps` random actions in a session and from Browse; returns how many answers were given and kept."""
    user = User(store, clock, deck)
    for _ in range(steps):
        user.act(_random_study_action(rng, user), rng.randrange(2, 40))
    return user.kept


def snapshot(store: Store) -> tuple[object, ...]:
    """Every card's state, flag and mark, comparable across stores."""
    states = sorted((deck, key, state.to_json().__repr__()) for deck, key, state in store.all_states())
    return states, sorted(store.all_flags().items()), sorted(store.all_marks())


def options_snapshot(store: Store) -> tuple[object, ...]:
    """The settings, presets, decks' presets, exam dates and exam results (without their row ids)."""
    exams = sorted(repr({k: v for k, v in exam.items() if k != "id"}) for exam in store.exams())
    return store.settings().to_dict(), store.presets(), store.deck_presets(), store.exam_dates(), exams
