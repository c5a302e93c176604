"""A studied card deleted from its deck, and a new card of its kind added later, look to quiz like a card whose id
was changed: the store keeps no card's text, nor the deck as it was. `quiz validate` says both, and what to do in
each, so a student who deleted the card is not told her progress is lost."""

from __future__ import annotations

from pathlib import Path

from quiz.cli import main
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.store import Store
from tests.conftest import run_cli as run
from tests.core.test_identity import V1, study_all

REMOVED = V1.replace('  - {id: keep, kind: basic, front: "What is two plus two?", back: "Four"}\n', "")
ADDED = REMOVED + '  - {id: capital, kind: basic, front: "Capital of France?", back: "Paris"}\n'


def test_a_card_deleted_and_a_new_one_added_later_is_told_as_either_with_what_to_do_in_each(
    store: Store, clock: FixedClock, write_deck, tmp_path: Path, capsys
) -> None:
    studied = study_all(store, clock, write_deck(V1))
    assert "keep" in studied
    data = ["--data-dir", str(tmp_path / "data")]
    store.close()
    deleted = write_deck(REMOVED)
    code, out, _ = run(capsys, *data, "validate", deleted.path)
    assert code == 0 and "warning" not in out  # deleted: no card with no history to take for it
    added = write_deck(ADDED)
    code, out, _ = run(capsys, *data, "validate", added.path)
    [warning] = [line for line in out.splitlines() if "warning" in line]
    assert code == 0 and warning.startswith(f"{added.path}:8:1: warning: card capital: it has no history")
    assert "either you changed that card's id to 'capital' (its history is still under 'keep')" in warning
    assert "or you deleted 'keep' and this is a new card" in warning
    assert "its history moves to this card), run `quiz --data-dir" in warning  # the command names the data folder
    assert " rename-card d keep capital` (with the app closed) before studying it" in warning
    assert "if you deleted 'keep', nothing to do: this warning stops once you study this card" in warning
    # the deletion's way, followed: the new card studied keeps its own history, and the warning is gone
    reopened = Store.in_folder(tmp_path / "data")
    study_all(reopened, clock, added)
    kept = reopened.state("d", "keep")
    reopened.close()
    assert kept is not None and kept.reps >= 1  # the deleted card's history stays, should it come back
    assert main([*data, "validate", added.path]) == 0
    assert "warning" not in capsys.readouterr().out


def test_a_card_an_import_removed_for_a_new_row_is_not_taken_for_an_id_changed(
    clock: FixedClock, tmp_path: Path, capsys
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    vocab = tmp_path / "vocab.csv"
    vocab.write_text("Two plus two?,Four\nCapital of Italy?,Rome\n")
    assert run(capsys, *data, "import", str(vocab))[0] == 0
    deck_file = tmp_path / "data" / "decks" / "vocab.yaml"
    store = Store.in_folder(tmp_path / "data")
    loaded = load_deck_file(deck_file).deck
    assert loaded is not None and len(study_all(store, clock, loaded)) == 2
    store.close()
    vocab.write_text("Capital of France?,Paris\nCapital of Italy?,Rome\n")  # a row replaced
    code, out, err = run(capsys, *data, "import", str(vocab), "--remove-missing")
    assert code == 0 and "removed, gone from vocab.csv" in out and "  two-plus-two-" in out
    code, out, _ = run(capsys, *data, "validate", str(deck_file))
    assert code == 0 and "warning" not in out and "rename-card" not in out


def test_the_rename_suggested_says_to_check_the_two_cards_ask_one_question(
    store: Store, clock: FixedClock, write_deck, tmp_path: Path, capsys
) -> None:
    study_all(store, clock, write_deck(V1))
    store.close()
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "validate", write_deck(ADDED).path)
    assert code == 0 and "check that 'keep' asked this same question: its history moves to this card" in out
