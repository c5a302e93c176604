"""A package imported again on one device while the other changed the same cards in quiz, before they sync: after
the syncs, in either order, both devices hold what the student did (an answer, a suspension, a reset, a flag
taken away), not the unchanged package's state or flag again, and a rebuild gives what is stored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.events import SUSPEND
from quiz.core.model import Grade, Mode
from quiz.core.rebuild import rebuild
from quiz.core.store import ImportedAnswer, ImportedCard, Store, state_tuple
from quiz.core.sync import sync
from tests.conftest import START

_AT = START - timedelta(days=30)
_STATE = CardState("basic", 2, stability=3.0, difficulty=5.0, due=_AT, last_review=_AT, reps=1)
_ANSWER = ImportedAnswer(Grade.GOOD, _AT, 4000, None, state_tuple(_STATE))
# a card whose note changed shape (its answers logged under its home, "old"), and a flagged card never studied
_CARDS = [ImportedCard("new", (_ANSWER,), _STATE, 0, home="old"), ImportedCard("f", (), None, 2)]
ORDERS = [("a", "b", "a", "b"), ("b", "a", "b", "a")]


def _answer(store: Store) -> None:
    after = replace(_STATE, stability=9.0, due=START + timedelta(days=9), last_review=START, reps=2)
    store.record_review("anki", "new", Grade.EASY, START, 1000, Mode.REVIEW, _STATE, after)


ACTIONS = {
    "answer": _answer,
    "suspend": lambda store: store.set_state("anki", "new", replace(_STATE, suspended=True), SUSPEND),
    "reset": lambda store: store.set_state("anki", "new", None),
    "unflag": lambda store: store.set_flag("anki", "f", 0),
}


def _held(store: Store) -> tuple[CardState | None, dict[str, int]]:
    return store.state("anki", "new"), store.flags("anki")


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[tuple[Path, dict[str, FixedClock], dict[str, Store]]]:
    """Two devices, "a" and "b", each a store with its own clock, and the folder they sync through."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    clocks = {name: FixedClock(START) for name in ("a", "b")}
    stores = {name: Store.in_folder(tmp_path / name, clock=clocks[name]) for name in ("a", "b")}
    try:
        yield folder, clocks, stores
    finally:
        for store in stores.values():
            store.close()


def _sync_all(folder: Path, stores: dict[str, Store], order: tuple[str, ...] = ("a", "b", "a")) -> None:
    for name in order:
        sync(stores[name], folder, host=name)


def _check_all_hold(stores: dict[str, Store], held: tuple[CardState | None, dict[str, int]]) -> None:
    """Each device holds `held`, and a rebuild from its events changes nothing."""
    for store in stores.values():
        assert _held(store) == held
        done = rebuild(store)
        assert (done.changed_states, done.changed_flags) == (0, 0)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_reimport_on_one_device_keeps_what_the_other_did_in_quiz(
    devices, action: str, order: tuple[str, ...]
) -> None:
    folder, clocks, stores = devices
    stores["a"].import_history("anki", [ImportedCard("old", (_ANSWER,), _STATE, 0), _CARDS[1]], lambda: None)
    stores["a"].import_history("anki", _CARDS, lambda: None)  # the note changed shape
    _sync_all(folder, stores)
    clocks["b"].advance(timedelta(minutes=1))
    ACTIONS[action](stores["b"])
    done_by_student = _held(stores["b"])
    clocks["a"].advance(timedelta(minutes=2))  # the re-import comes after the student's change
    stores["a"].import_history("anki", _CARDS, lambda: None)
    _sync_all(folder, stores, order)
    _check_all_hold(stores, done_by_student)


@pytest.mark.parametrize("order", ORDERS)
def test_a_flag_changed_in_anki_imported_on_one_device_keeps_the_flag_taken_off_on_the_other(
    devices, order: tuple[str, ...]
) -> None:
    """The package flags the card never studied anew (2 -> 3) and one device imports it, after the student took
    the flag off on the other: as an import on that device would (her flag change since the last import stays),
    the synced devices keep no flag, not the flag the import's later event would give in time order."""
    folder, clocks, stores = devices
    stores["a"].import_history("anki", _CARDS, lambda: None)
    _sync_all(folder, stores)
    clocks["b"].advance(timedelta(minutes=1))
    stores["b"].set_flag("anki", "f", 0)
    done_by_student = _held(stores["b"])
    clocks["a"].advance(timedelta(minutes=2))
    stores["a"].import_history("anki", [_CARDS[0], _CARDS[1]._replace(flag=3)], lambda: None)
    assert stores["a"].flags("anki") == {"f": 3}  # the package's new flag, on that device
    _sync_all(folder, stores, order)
    _check_all_hold(stores, done_by_student)
