"""A deck file whose deck id a deck loaded before it has: the hint names the field to change in it and an id
free among every deck quiz loads, so following it word for word loads both decks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.core.cardstate import CardState
from quiz.core.ids import is_id, numbered_id
from quiz.core.library import load_decks
from quiz.core.model import Grade, Mode
from quiz.core.store import STORE_NAME, Store, StoreCorruptError
from tests.conftest import START, record_good
from tests.conftest import run_cli as run

DECK = "deck: {id}\ntitle: Deck {title}\ncards:\n  - {{id: {card}, kind: basic, front: Q, back: A}}\n"


def test_a_deck_given_with_deck_whose_id_is_taken_is_told_the_line_to_change_to_a_free_id(
    capsys, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    mine = data / "decks" / "mine.yaml"
    mine.write_text(DECK.format(id="pharm", title="mine", card="a"))
    other, later = tmp_path / "other" / "pharm.yaml", tmp_path / "later" / "next.yaml"
    for path, deck_id in ((other, "pharm"), (later, "Pharm-2")):  # loaded after the clash: its id is taken too
        path.parent.mkdir()
        path.write_text(DECK.format(id=deck_id, title=deck_id, card="z"))
    given = ["--data-dir", str(data), "--deck", str(other), "--deck", str(later)]
    code, out, _ = run(capsys, *given, "validate", str(other))
    assert code == 1
    assert f"{other}:1:1: deck id 'pharm' is already used by {mine}, loaded first — " in out
    assert "give this deck another id: in this file, change the deck id pharm to pharm-3 (the `deck:` line;" in out
    other.write_text(other.read_text().replace("deck: pharm\n", "deck: pharm-3\n"))  # the hint, followed
    code, out, err = run(capsys, *given, "list")
    assert code == 0 and "not loaded" not in out + err
    listed = {line.split()[0] for line in out.splitlines()[1:]}
    assert {"pharm", "pharm-3", "Pharm-2"} <= listed


def test_validate_s_note_on_a_file_quiz_add_would_refuse_names_a_free_id_that_add_then_takes(
    capsys, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    for name, deck_id in (("pharm.yaml", "pharm"), ("next.yaml", "PHARM-2")):
        (data / "decks" / name).write_text(DECK.format(id=deck_id, title=deck_id, card="a"))
    other = tmp_path / "other.yaml"
    other.write_text(DECK.format(id="pharm", title="other", card="z"))
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(other))
    assert code == 0 and f"note: deck id 'pharm' is already used by {data / 'decks' / 'pharm.yaml'}" in out
    assert "if it is another deck, give it another deck id, e.g. pharm-3 (the `deck:` line; no deck quiz loads" in out
    other.write_text(other.read_text().replace("deck: pharm\n", "deck: pharm-3\n"))  # the note, followed
    assert run(capsys, "--data-dir", str(data), "add", str(other))[0] == 0


def _deck_folder(tmp_path: Path, **files: str) -> Path:
    """A data folder whose deck folder holds `files` (name: deck id)."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    for name, deck_id in files.items():
        (data / "decks" / f"{name}.yaml").write_text(DECK.format(id=deck_id, title=deck_id, card="a"))
    return data


def test_a_file_linked_into_her_deck_folder_is_validated_as_quiz_loads_it(capsys, tmp_path: Path) -> None:
    """A deck file linked into the deck folder (a file kept elsewhere) and given by its path there is one quiz
    loads: validate tested only where it leads, so it said "ok" and named `quiz import` for it as a new version of
    the deck loaded first with its id, which `list` says keeps it from loading."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "a.yaml").write_text(DECK.format(id="pharm", title="a", card="a"))
    kept = tmp_path / "elsewhere" / "b.yaml"
    kept.parent.mkdir()
    kept.write_text(DECK.format(id="pharm", title="b", card="b"))
    (data / "decks" / "b.yaml").symlink_to(kept)
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(data / "decks" / "b.yaml"))
    assert f"deck id 'pharm' is already used by {data / 'decks' / 'a.yaml'}, loaded first" in out
    assert "import" not in out and "ok " not in out


def test_files_validated_without_deck_are_told_an_id_no_deck_of_the_deck_folder_has(capsys, tmp_path: Path) -> None:
    data = _deck_folder(tmp_path, pharm="pharm", p2="pharm-2")
    new = tmp_path / "new"
    new.mkdir()
    for name in ("a", "b"):
        (new / f"{name}.yaml").write_text(DECK.format(id="pharm", title=name, card=name))
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(new))
    assert code == 1
    assert "change the deck id pharm to pharm-3 (the `deck:` line;" in out  # b.yaml, not the deck folder's pharm-2
    assert "give it another deck id, e.g. pharm-4 (the `deck:` line;" in out  # a.yaml: neither pharm-2 nor b's
    (new / "b.yaml").write_text(DECK.format(id="pharm-3", title="b", card="b"))  # b's hint, followed
    assert run(capsys, "--data-dir", str(data), "add", str(new / "b.yaml"))[0] == 0


def test_a_file_validated_with_another_is_not_told_the_other_s_id(capsys, tmp_path: Path) -> None:
    data = _deck_folder(tmp_path, pharm="pharm")
    new = tmp_path / "new"
    new.mkdir()
    for name, deck_id in (("a", "pharm"), ("b", "pharm-2")):
        (new / f"{name}.yaml").write_text(DECK.format(id=deck_id, title=name, card=name))
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(new))
    assert code == 0 and "e.g. pharm-3 (the `deck:` line;" in out


def test_the_free_id_named_is_never_longer_than_an_id_may_be(tmp_path: Path) -> None:
    long_id = "p" * 100
    for name in ("first", "later"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "deck.yaml").write_text(DECK.format(id=long_id, title=name, card="a"))
    [_, taken] = load_decks([tmp_path / "first", tmp_path / "later"])
    free = str(taken.problems[-1]).split(f"change the deck id {long_id} to ")[1].split()[0]
    assert free == f"{'p' * 95}-2" and is_id(free)


def test_a_long_id_numbered_past_9999_is_still_an_id() -> None:
    long_id = "p" * 100
    for number in (9999, 10000, 123456):
        numbered = numbered_id(long_id, lambda candidate, last=f"-{number}": not candidate.endswith(last))
        assert numbered.endswith(f"-{number}") and is_id(numbered)


def test_the_free_id_named_is_none_the_store_holds_history_for(capsys, tmp_path: Path) -> None:
    data = _deck_folder(tmp_path, pharm="pharm")
    store = Store.in_folder(data)
    state = CardState(kind="basic", fsrs_state=2, stability=3.0, difficulty=5.0, due=START, last_review=START, reps=1)
    store.record_review("pharm-2", "a", Grade.GOOD, START, 1000, Mode.REVIEW, None, state)  # a deck deleted since
    store.close()
    other = tmp_path / "other" / "pharm.yaml"
    other.parent.mkdir()
    other.write_text(DECK.format(id="pharm", title="other", card="a"))
    code, out, _ = run(capsys, "--data-dir", str(data), "--deck", str(other), "validate", str(other))
    assert code == 1 and "change the deck id pharm to pharm-3 (the `deck:` line;" in out


def test_the_free_id_named_is_not_one_a_broken_deck_file_declares(capsys, tmp_path: Path) -> None:
    data = _deck_folder(tmp_path, pharm="pharm")
    (data / "decks" / "pharm-two.yaml").write_text('deck: "pharm-2"  # mine\ntitle: [unclosed\n')
    other = tmp_path / "other" / "pharm.yaml"
    other.parent.mkdir()
    other.write_text(DECK.format(id="pharm", title="other", card="a"))
    code, out, _ = run(capsys, "--data-dir", str(data), "--deck", str(other), "validate", str(other))
    assert code == 1 and "change the deck id pharm to pharm-3 (the `deck:` line;" in out


# What a deck deleted since keeps under its id besides answers and progress, which a deck given that id would take
KEPT_UNDER_PHARM_3: dict[str, Callable[[Store], object]] = {
    "exam date": lambda store: store.save_exam_date("pharm-3", "", "2026-02-01", 0.9),
    "flag": lambda store: store.set_flag("pharm-3", "a", 1),
    "mark": lambda store: store.set_mark("pharm-3", "a", True),
    "preset": lambda store: (store.save_preset("Hard", {}), store.assign_preset("pharm-3", "Hard")),
    "exam result": lambda store: store.save_exam(START, "Pharm", 1, 1, 60.0, {"deck": "pharm-3", "mistakes": []}),
    "exam mistake": lambda store: store.save_exam(START, "Mixed", 0, 1, 60.0, {"mistakes": [{"deck": "pharm-3"}]}),
}


@pytest.mark.parametrize("keep", KEPT_UNDER_PHARM_3.values(), ids=KEPT_UNDER_PHARM_3.keys())
def test_the_free_id_named_is_none_the_store_keeps_anything_under(
    capsys, tmp_path: Path, keep: Callable[[Store], object]
) -> None:
    data = _deck_folder(tmp_path, pharm="pharm")
    store = Store.in_folder(data)
    record_good(store, "a", deck_id="pharm-2")
    keep(store)
    store.close()
    other = tmp_path / "other.yaml"
    other.write_text(DECK.format(id="pharm", title="other", card="a"))
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(other))
    assert code == 0 and "give it another deck id, e.g. pharm-4 (the `deck:` line;" in out


def _damaged_store(data: Path) -> None:
    (data / STORE_NAME).write_bytes(b"not a quiz store " * 300)


def test_validate_says_a_file_s_own_errors_whatever_the_store_s_state(capsys, tmp_path: Path) -> None:
    data = _deck_folder(tmp_path, pharm="pharm", other="pharm")  # a clash among the decks quiz loads, too
    _damaged_store(data)
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: bad\ntitle: Bad\ncards: [\n")
    code, out, err = run(capsys, "--data-dir", str(data), "validate", str(bad))
    assert code == 1 and f"{bad}:4:1: YAML syntax error" in out
    assert "damaged" not in out + err  # nothing of this file needed the store


def test_validate_names_a_free_id_when_the_store_cannot_be_read_and_says_why_once(capsys, tmp_path: Path) -> None:
    data = _deck_folder(tmp_path, pharm="pharm")
    _damaged_store(data)
    other = tmp_path / "other.yaml"
    other.write_text(DECK.format(id="pharm", title="other", card="z"))
    code, out, err = run(capsys, "--data-dir", str(data), "validate", str(other))
    assert code == 0 and f"ok {other}: deck pharm 'Deck other'" in out
    assert "e.g. pharm-2 (the `deck:` line; no deck quiz loads has it; your progress could not be read to check" in out
    assert err.count("is damaged or is not a quiz store") == 1
    assert "quiz: warning: your progress could not be read, so the deck files were checked without it" in err
    assert f"run `quiz --data-dir {data} check` for details" in err


def test_decks_with_a_taken_id_load_when_the_store_cannot_be_read(tmp_path: Path) -> None:
    """Home, `list`, `add` and every command load the decks through the context: a store that cannot be read
    leaves the free id named unchecked, and keeps no deck from loading."""
    data = _deck_folder(tmp_path, pharm="pharm", p2="pharm")
    _damaged_store(data)
    context = Context.from_options(str(data), clock=None)
    [first, taken] = [r for r in context.library.results if Path(r.path).parent == data / "decks"]
    assert first.deck is not None and first.deck.id == "pharm"
    assert "change the deck id pharm to pharm-2 (the `deck:` line; no other deck has it; your progress could not" in (
        str(taken.problems[-1])
    )
    assert isinstance(context.history_unread, StoreCorruptError)
