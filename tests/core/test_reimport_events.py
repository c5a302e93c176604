"""Importing a shared deck again writes events only for the cards the package changes: an unchanged package, taken
again each week, logs nothing more (the store and the synced event files would grow by a state or flag a card each
time); and what you changed in quiz since the last import (a flag, a suspension, a burial, on a card never
studied) holds at the next. The package is made, studied and flagged by Anki at test time (the `anki` package of
the bench group; skipped without it) and imported by `quiz import`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.core.browse_data import toggle_suspended
from quiz.core.burying import is_buried, toggle_buried
from quiz.core.decks import load_deck_file
from quiz.core.flags import toggle_flag
from quiz.core.model import Card
from quiz.core.rebuild import rebuild
from quiz.core.store import Store
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import CardId, Collection, ExportAnkiPackageOptions  # noqa: E402
from anki.decks import DeckId  # noqa: E402

from tools.make_anki_fixtures import add  # noqa: E402

DECK = "Shared"


def _export(col: Collection, out: Path) -> Path:
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False)
    col.export_anki_package(out_path=str(out), options=options, limit=None)
    return out


@pytest.fixture
def anki_deck(tmp_path: Path) -> Iterator[Collection]:
    """A shared deck of 30 notes (40 cards): ten studied, two suspended, and three flagged that were never
    studied (a flag on a card quiz holds no state of)."""
    col = Collection(str(tmp_path / "collection.anki2"))
    for number in range(30):
        kind = "Basic (and reversed card)" if number % 3 == 0 else "Basic"
        add(col, kind, DECK, {"Front": f"question {number}", "Back": f"answer {number}"})
    col.decks.select(DeckId(col.decks.id(DECK)))
    for _ in range(10):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 3)  # type: ignore[arg-type]
    unstudied = [CardId(card_id) for card_id in col.find_cards("is:new")]
    col.set_user_flag_for_cards(2, unstudied[-3:])
    col.sched.suspend_cards(unstudied[-5:-3])
    yield col
    col.close()


def _import(capsys: pytest.CaptureFixture[str], home: Path, package: Path) -> str:
    code, out, err = run(capsys, "--data-dir", str(home), "import", str(package))
    assert code == 0, err
    return out


def _events(home: Path) -> list[tuple[str, str, str]]:
    """Every event the store holds: (its id, kind, card)."""
    with sqlite3.connect(next(home.glob("*.sqlite3"))) as db:
        rows = db.execute("SELECT id, kind, card_key FROM event").fetchall()
    db.close()
    return rows


def _replays_to_what_is_stored(home: Path) -> None:
    store = Store.in_folder(home)
    try:
        done = rebuild(store)
    finally:
        store.close()
    assert (done.changed_states, done.changed_flags) == (0, 0)


def test_importing_an_unchanged_package_again_writes_no_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], anki_deck: Collection
) -> None:
    package = _export(anki_deck, tmp_path / "shared.apkg")
    home = tmp_path / "home"
    _import(capsys, home, package)
    first = _events(home)
    assert {kind for _, kind, _ in first} == {"review", "state", "flag"}
    for _ in range(2):
        assert "not brought again" in _import(capsys, home, package)
        assert _events(home) == first
    _replays_to_what_is_stored(home)


def test_a_card_studied_and_a_card_flagged_in_anki_since_are_the_only_ones_logged_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], anki_deck: Collection
) -> None:
    home = tmp_path / "home"
    _import(capsys, home, _export(anki_deck, tmp_path / "v1.apkg"))
    before = {event_id for event_id, _, _ in _events(home)}
    card = anki_deck.sched.getCard()
    assert card is not None
    anki_deck.sched.answerCard(card, 3)  # type: ignore[arg-type]
    reflagged = [CardId(card_id) for card_id in anki_deck.find_cards("flag:2")][:1]
    anki_deck.set_user_flag_for_cards(3, reflagged)
    _import(capsys, home, _export(anki_deck, tmp_path / "v2.apkg"))
    written = sorted((kind, key) for event_id, kind, key in _events(home) if event_id not in before)
    kinds = [kind for kind, _ in written]
    assert kinds == ["flag", "review", "state"], written
    flagged, studied, stated = (key for _, key in written)
    assert studied == stated != flagged
    store = Store.in_folder(home)
    try:
        assert store.all_flags()[("v1", flagged)] == 3  # the deck is named after the first package
    finally:
        store.close()
    _replays_to_what_is_stored(home)


def _cards(home: Path, deck_id: str) -> dict[str, Card]:
    """The imported deck's cards by key, as the app loads the deck file."""
    deck = load_deck_file(home / "decks" / f"{deck_id}.yaml").deck
    assert deck is not None
    return {card.key: card for card in deck.cards}


def test_a_flag_changed_in_quiz_on_a_card_never_studied_holds_at_the_next_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], anki_deck: Collection
) -> None:
    """Anki's flag came with the first import; taken off, or changed, in quiz, it is not put back by the next."""
    package = _export(anki_deck, tmp_path / "shared.apkg")
    home = tmp_path / "home"
    _import(capsys, home, package)
    cards = _cards(home, "shared")
    store = Store.in_folder(home)
    try:
        flagged = sorted(key for (_, key), flag in store.all_flags().items() if flag == 2)
        assert len(flagged) == 3 and all(store.state("shared", key) is None for key in flagged)
        toggle_flag(store, cards[flagged[0]], 2)  # taken off
        toggle_flag(store, cards[flagged[1]], 4)  # blue
    finally:
        store.close()
    for _ in range(2):
        _import(capsys, home, package)
        store = Store.in_folder(home)
        try:
            assert store.flags("shared") == {flagged[1]: 4, flagged[2]: 2}
        finally:
            store.close()
    _replays_to_what_is_stored(home)


def test_a_suspension_or_burial_changed_in_quiz_on_a_card_never_studied_holds_at_the_next_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], anki_deck: Collection
) -> None:
    """Cards Anki suspended or buried, unsuspended and unburied in quiz, and cards suspended and buried in quiz
    that Anki holds as plain new cards: the next import leaves each as quiz has it."""
    new = [CardId(card_id) for card_id in anki_deck.find_cards("is:new -is:suspended -flag:2")]
    anki_deck.sched.bury_cards(new[:1])
    package = _export(anki_deck, tmp_path / "shared.apkg")
    home = tmp_path / "home"
    _import(capsys, home, package)
    cards = _cards(home, "shared")
    now = datetime.now(UTC)
    store = Store.in_folder(home)
    try:
        suspended = sorted(key for keys in store.suspended_keys("shared").values() for key in keys)
        (buried,) = (key for _, key in store.buried_keys(now, "shared"))
        assert len(suspended) == 2
        plain = [key for key in cards if store.state("shared", key) is None and not store.flag("shared", key)]
        rollover = store.settings().rollover_hour
        toggle_suspended(store, cards[suspended[0]])
        toggle_buried(store, cards[buried], now, rollover)
        toggle_suspended(store, cards[plain[0]])
        toggle_buried(store, cards[plain[1]], now, rollover)
    finally:
        store.close()
    _import(capsys, home, package)
    store = Store.in_folder(home)
    try:
        states = {key: store.state("shared", key) for key in (*suspended, buried, *plain[:2])}
    finally:
        store.close()
    assert {key for key, state in states.items() if state is not None and state.suspended} == {
        suspended[1],
        plain[0],
    }
    assert {key for key, state in states.items() if state is not None and is_buried(state, now)} == {plain[1]}
    _replays_to_what_is_stored(home)


def test_a_flag_taken_off_in_quiz_comes_back_with_an_answer_given_in_anki_since(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], anki_deck: Collection
) -> None:
    """The rule a state follows: the package's flag is taken over quiz's when it holds a newer answer to the card
    (you went on studying it in Anki)."""
    home = tmp_path / "home"
    _import(capsys, home, _export(anki_deck, tmp_path / "v1.apkg"))
    cards = _cards(home, "v1")
    store = Store.in_folder(home)
    try:
        flagged = [key for (_, key), flag in store.all_flags().items() if flag == 2]
        for key in flagged:
            toggle_flag(store, cards[key], 2)
    finally:
        store.close()
    card = anki_deck.get_card(CardId(anki_deck.find_cards("flag:2")[0]))
    card.start_timer()
    anki_deck.sched.answerCard(card, 3)  # type: ignore[arg-type]
    _import(capsys, home, _export(anki_deck, tmp_path / "v2.apkg"))
    store = Store.in_folder(home)
    try:
        (studied,) = store.flags("v1")
        assert store.flags("v1") == {studied: 2} and store.state("v1", studied) is not None
    finally:
        store.close()
    _replays_to_what_is_stored(home)
