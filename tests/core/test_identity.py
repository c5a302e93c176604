"""Card identity: deck id + card id keep the history through edits, removals and renames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.core.cardstate import effective_state
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.identity import RenameError, kind_change_warnings, rename_card, renamed_id_warnings
from quiz.core.model import Deck, Grade, Mode
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store
from tests.conftest import study_session

V1 = """deck: d
title: Identity
cards:
  - {id: keep, kind: basic, front: "What is two plus two?", back: "Four"}
  - {id: rev, kind: reverse, front: perro, back: dog}
  - {id: gaps, kind: cloze, text: "{{one}} and {{two}}"}
  - {id: a_b, kind: basic, front: underscore, back: id}
  - {id: axb, kind: basic, front: look-alike, back: id}
"""


def study_all(store: Store, clock: FixedClock, deck: Deck) -> set[str]:
    """Study for three days (siblings wait a day), answering each card shown Good; returns the keys answered."""
    answered: set[str] = set()
    for _ in range(3):
        session = StudySession(store, Scheduler(store.settings()), clock, [deck], Scope((deck.id,)), Mode.REVIEW)
        shown: set[str] = set()
        while session.current is not None and session.current.key not in shown:
            shown.add(session.current.key)
            session.grade(Grade.GOOD)
        answered |= shown
        clock.advance(timedelta(days=1))
    return answered


def state(store: Store, deck: Deck, key: str):
    card = next(c for c in deck.cards if c.key == key)
    return effective_state(card, store.state(deck.id, key))


def test_editing_text_keeps_history(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(V1)
    study_all(store, clock, deck)
    before = state(store, deck, "keep")
    assert before.reps >= 1
    edited = write_deck(V1.replace("What is two plus two?", "What is 2 + 2?").replace('"Four"', '"4 (four)"'))
    after = state(store, edited, "keep")
    assert after == before and not after.is_new
    session = study_session(store, clock, [edited])
    assert all(session.state_of(c) == before for c in session.cards if c.note.id == "keep")


def test_an_id_changed_in_the_file_after_studying_is_warned_with_the_rename_that_keeps_its_history(
    store: Store, clock: FixedClock, write_deck, tmp_path, capsys
) -> None:
    deck = write_deck(V1)
    study_all(store, clock, deck)
    renamed = write_deck(V1.replace("{id: keep,", "{id: two-plus-two,"))
    assert state(store, renamed, "two-plus-two").is_new  # the history is under the old id
    [warning] = renamed_id_warnings(renamed, store)
    assert (warning.card_id, warning.severity, warning.line) == ("two-plus-two", "warning", 4)
    assert "'keep', a basic card studied before, is no longer in the deck" in warning.message
    assert "`quiz rename-card d keep two-plus-two` (with the app closed) before studying it" in warning.hint
    # a new card of its kind beside it: which one was renamed, if any, is hers to say
    added = write_deck(
        V1.replace("{id: keep,", "{id: two-plus-two,") + "  - {id: new, kind: basic, front: f, back: b}\n"
    )
    assert renamed_id_warnings(added, store) == []
    renamed = write_deck(V1.replace("{id: keep,", "{id: two-plus-two,"))  # the file as renamed alone, for the CLI
    store.close()
    code = main(["--data-dir", str(tmp_path / "data"), "validate", renamed.path])
    assert code == 0 and f"{renamed.path}:4:1: warning: card two-plus-two: it has no history" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "data"), "rename-card", "d", "keep", "two-plus-two"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "data"), "validate", renamed.path]) == 0
    assert "warning" not in capsys.readouterr().out  # renamed: its history is its own again


def test_changing_kind_resets_and_validate_warns(store: Store, clock: FixedClock, write_deck, tmp_path, capsys) -> None:
    deck = write_deck(V1)
    study_all(store, clock, deck)
    changed = write_deck(V1.replace("{id: keep, kind: basic", "{id: keep, kind: reverse"))
    assert state(store, changed, "keep").is_new  # history was written for a basic card
    assert store.state("d", "keep").reps >= 1  # still in the store, should the kind come back
    warnings = kind_change_warnings(changed, store)
    assert [(w.card_id, w.severity, w.line) for w in warnings] == [("keep", "warning", 4)]
    assert "kind changed from basic to reverse" in warnings[0].message
    store.close()
    code = main(["--data-dir", str(tmp_path / "data"), "validate", changed.path])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{changed.path}:4:1: warning: card keep: kind changed from basic to reverse" in out
    assert out.strip().splitlines()[-1].startswith("ok ")


def test_validate_without_a_store_creates_none(tmp_path: Path, capsys) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(V1)
    assert main(["--data-dir", str(tmp_path / "fresh"), "validate", str(deck)]) == 0
    assert not (tmp_path / "fresh").exists()


def test_removed_card_keeps_its_history_until_it_returns(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(V1)
    study_all(store, clock, deck)
    studied = store.state("d", "rev/reverse")
    without = write_deck(V1.replace("  - {id: rev, kind: reverse, front: perro, back: dog}\n", ""))
    assert all(c.note.id != "rev" for c in without.cards)
    study_all(store, clock, without)
    assert store.state("d", "rev/reverse") == studied
    back = write_deck(V1)
    assert state(store, back, "rev/reverse") == studied


def test_rename_moves_every_key_of_the_note(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(V1)
    study_all(store, clock, deck)
    logs = {key: len(store.reviews("d", key)) for key in ("rev", "rev/reverse", "gaps/1", "gaps/2")}
    assert all(logs.values()), logs
    states = {key: store.state("d", key) for key in logs}
    moved = rename_card(store, "d", "rev", "perro")
    assert moved.keys == (("rev", "perro"), ("rev/reverse", "perro/reverse"))
    assert (moved.states, moved.reviews) == (2, logs["rev"] + logs["rev/reverse"])
    assert store.state("d", "perro/reverse") == states["rev/reverse"] and store.state("d", "rev") is None
    assert store.reviews("d", "rev") == [] and len(store.reviews("d", "perro")) == logs["rev"]
    rename_card(store, "d", "gaps", "cloze.gaps")
    assert store.state("d", "cloze.gaps/2") == states["gaps/2"]


def test_rename_does_not_touch_look_alike_ids(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(V1)
    study_all(store, clock, deck)
    look_alike = store.state("d", "axb")
    rename_card(store, "d", "a_b", "ab")  # '_' is a LIKE wildcard: it must not match 'axb'
    assert store.state("d", "axb") == look_alike and store.state("d", "ab") is not None


def test_rename_is_refused_when_the_new_id_has_history(store: Store, clock: FixedClock, write_deck) -> None:
    deck = write_deck(V1)
    study_all(store, clock, deck)
    before = list(store.all_states()), store.reviews()
    with pytest.raises(RenameError, match="already has history"):
        rename_card(store, "d", "rev", "keep")
    with pytest.raises(RenameError, match="no history"):
        rename_card(store, "d", "nothing-here", "fresh")
    with pytest.raises(RenameError, match="not a valid card id"):
        rename_card(store, "d", "rev", "has space")
    assert (list(store.all_states()), store.reviews()) == before


def test_rename_card_command(tmp_path: Path, capsys) -> None:
    deck_file = tmp_path / "decks" / "d.yaml"
    deck_file.parent.mkdir()
    deck_file.write_text(V1)
    deck = load_deck_file(deck_file).deck
    store = Store.in_folder(tmp_path)
    study_all(store, FixedClock(datetime(2026, 1, 5, 9, tzinfo=UTC)), deck)
    store.close()
    code = main(["--data-dir", str(tmp_path), "rename-card", "--before-edit", "d", "keep", "sum"])
    out = capsys.readouterr().out
    assert code == 0 and "moved 1 card state(s) and " in out
    assert f"now change `id: keep` to `id: sum` in {deck_file}" in out
    code = main(["--data-dir", str(tmp_path), "rename-card", "--before-edit", "d", "rev", "sum"])
    err = capsys.readouterr().err
    assert code == 1 and err.strip() == "quiz: card 'sum' in deck 'd' already has history; nothing was moved" + (
        " (pick another id, or rename that card first)"
    )


OLDER = """deck: d
title: Older
cards:
  - {id: sign, kind: typed, front: "What ends a question?", answer: ANSWER}
"""


def test_a_typed_card_studied_before_and_now_studied_as_basic_says_how_to_get_its_history_back(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """An older quiz studied the card as typed; its answer '?' now makes it basic, so it starts again as new.
    The warning's fix is to write the answer (the file already says `kind: typed`), which brings it back."""
    deck = write_deck(OLDER.replace("ANSWER", "question mark"))
    study_all(store, clock, deck)
    before = state(store, deck, "sign")
    older = write_deck(OLDER.replace("ANSWER", "'?'"))
    assert state(store, older, "sign").is_new
    (warning,) = kind_change_warnings(older, store)
    assert "kind changed from typed to basic" in warning.message
    assert warning.hint == "write the answer itself in letters or digits, as `kind: typed`, to keep its history"
    assert state(store, write_deck(OLDER.replace("ANSWER", "question mark")), "sign") == before


def test_a_cloze_gap_nothing_typed_can_match_makes_no_card_and_the_other_gaps_keep_their_history(
    store: Store, clock: FixedClock, write_deck
) -> None:
    """An older quiz studied both gaps; the first, '?', now makes no card. The second keeps its schedule under its
    own key, and the first's state stays in the store: writing its answer brings it back."""
    text = """deck: d
title: Older
cards:
  - {id: ends, kind: cloze, text: "A question ends with {{GAP}} and a statement with a {{full stop}}."}
"""
    deck = write_deck(text.replace("GAP", "question mark"))
    study_all(store, clock, deck)
    first, second = state(store, deck, "ends/1"), state(store, deck, "ends/2")
    assert not first.is_new and not second.is_new
    older = write_deck(text.replace("GAP", "?"))
    assert [card.key for card in older.cards] == ["ends/2"]
    assert state(store, older, "ends/2") == second
    assert kind_change_warnings(older, store) == []
    assert state(store, write_deck(text.replace("GAP", "question mark")), "ends/1") == first
