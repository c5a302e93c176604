"""A deck file whose `deck:` id another deck has (a copy of a deck of hers, its `deck:` line changed to the shipped
deck's) is not that deck: `quiz validate` compared its cards with that deck's history and told her to move the
history of the shipped deck's card onto an id of this file, and `rename-card` then moved it, telling her to edit
the file of quiz's own package. The clash is said first; `rename-card` moves history only to a card the deck has
(unless told the file is edited after), and never to an id of a deck that comes with quiz."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.library import SHIPPED_DECKS, Library
from quiz.core.model import Deck, Grade, Mode
from quiz.core.store import Store
from tests.conftest import START, pasted
from tests.conftest import run_cli as run

SHIPPED = SHIPPED_DECKS / "ketamine" / "ketamine.yaml"
PHARM = """deck: pharm
title: Pharm
cards:
  - {id: q1, kind: basic, front: "What is two plus two?", back: "Four"}
  - {id: ord, kind: order, front: "Order these", items: [one, two, three]}
"""


def _studied(data: Path, deck_id: str, card: str, kind: str) -> None:
    """An answer to card `card` of deck `deck_id`, studied as `kind`, in the store of `data`."""
    store = Store.in_folder(data)
    state = CardState(kind=kind, fsrs_state=2, stability=3.0, difficulty=5.0, due=START, last_review=START, reps=1)
    store.record_review(deck_id, card, Grade.GOOD, START, 1000, Mode.REVIEW, None, state)
    store.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder whose store has an answer to the shipped deck's only order card."""
    folder = tmp_path / "data"
    _studied(folder, "ketamine", "mech-order-why-used", "order")
    return folder


def test_a_file_with_another_deck_s_id_is_told_the_clash_first_and_no_rename_of_that_deck_s_history(
    capsys, tmp_path: Path, data: Path
) -> None:
    k2 = tmp_path / "k2.yaml"
    k2.write_text(PHARM.replace("deck: pharm\n", "deck: ketamine\n"))
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(k2))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"note: deck id 'ketamine' is already used by {SHIPPED}; ")
    assert "give it another deck id, e.g. ketamine-2 (the `deck:` line;" in lines[0]
    assert "warning" not in out and "rename-card" not in out and "mech-order-why-used" not in out
    assert lines[1].startswith(f"ok {k2}: deck ketamine 'Pharm'")


def _state_of(data: Path, deck_id: str, card: str) -> CardState | None:
    store = Store.in_folder(data)
    try:
        return store.state(deck_id, card)
    finally:
        store.close()


@pytest.mark.parametrize("flags", [[], ["--before-edit"]], ids=["asked-nothing", "before-edit"])
def test_rename_card_never_moves_a_shipped_deck_s_history_to_an_id_it_has_not_and_says_how_to_copy_it(
    capsys, data: Path, flags: list[str]
) -> None:
    code, out, err = run(
        capsys, "--data-dir", str(data), "rename-card", *flags, "ketamine", "mech-order-why-used", "ord"
    )
    assert code == 1 and out == ""
    assert f"{SHIPPED} has no card 'ord'; nothing was moved: deck 'ketamine' comes with quiz" in err
    [copy] = re.findall(r"copy it into your deck folder \((.*?)\) and give", err)
    assert not (data / "decks").exists()  # a new user's data folder: no deck of hers added yet
    copied = pasted(copy)
    assert copied.returncode == 0, copied.stderr
    assert (data / "decks" / "ketamine.yaml").read_bytes() == SHIPPED.read_bytes()
    assert "give the copy another `deck:` id" in err and "change `id:" not in err
    assert _state_of(data, "ketamine", "mech-order-why-used") is not None
    assert _state_of(data, "ketamine", "ord") is None


def test_rename_card_moves_history_to_an_id_the_deck_file_has_not_only_when_told_the_file_is_edited_after(
    capsys, data: Path
) -> None:
    deck_file = data / "decks" / "pharm.yaml"
    deck_file.parent.mkdir()
    deck_file.write_text(PHARM)
    _studied(data, "pharm", "q1", "basic")
    code, out, err = run(capsys, "--data-dir", str(data), "rename-card", "pharm", "q1", "sum")
    assert code == 1 and out == ""
    assert f"{deck_file} has no card 'sum'; nothing was moved. Change `id: q1` to `id: sum` there first" in err
    assert f"run `quiz --data-dir {data} rename-card --before-edit pharm q1 sum`" in err
    assert _state_of(data, "pharm", "q1") is not None and _state_of(data, "pharm", "sum") is None
    code, out, err = run(capsys, "--data-dir", str(data), "rename-card", "--before-edit", "pharm", "q1", "sum")
    assert code == 0, err
    assert f"now change `id: q1` to `id: sum` in {deck_file}" in out
    assert _state_of(data, "pharm", "q1") is None and _state_of(data, "pharm", "sum") is not None


def test_a_new_version_of_her_own_deck_is_still_told_of_its_renamed_ids_and_the_rename_to_run(
    capsys, tmp_path: Path
) -> None:
    """A new version of her own deck, kept outside her deck folder with a card id changed: validate said only the
    clash, and `quiz import` then listed the card as new and the old one as gone; nothing told her to move its
    history. Her own deck's history is hers to move: the warning and its rename-card are said, and work. The import
    said first takes the file as it is: a plain one kept `ord` beside `ord9`, the same card twice."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "pharm.yaml").write_text(PHARM, encoding="utf-8")
    _studied(data, "pharm", "ord", "order")
    v2 = tmp_path / "v2.yaml"
    v2.write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(v2))
    [warning] = [line for line in out.splitlines() if "warning" in line]
    assert code == 0 and warning.startswith(f"{v2}:5:1: warning: card ord9: it has no history, and 'ord', an order")
    [rename] = re.findall(r"run `(quiz [^`]*rename-card pharm ord ord9)`", warning)
    [take] = re.findall(r"if it is a new version of that deck, `(quiz [^`]*)` takes it", out)
    for command in (take, rename):  # the flow said, in its order
        done = pasted(command)
        assert done.returncode == 0, done.stderr
    assert _state_of(data, "pharm", "ord9") is not None and _state_of(data, "pharm", "ord") is None
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(data / "decks"))
    ok = f"ok {data / 'decks' / 'pharm.yaml'}: deck pharm 'Pharm': 2 notes, 2 cards (1 basic, 1 order)\n"
    assert code == 0 and out.endswith(ok)  # one card holds the question and its history, no `ord` beside it
    assert "warning" not in out


HERS = (
    "# my mnemonic: two pairs\n"
    + PHARM.replace("two plus two?", "two plus two? (my words)")
    + '  - {id: mine, kind: basic, front: "A card of my own", back: "Mine"}\n'
)


def test_the_import_advised_for_a_renamed_card_names_what_her_deck_file_loses_and_keeps_a_copy_of_it(
    capsys, tmp_path: Path
) -> None:
    """The advised `quiz import --remove-missing --replace FILE` removed the card only her deck file had and took
    the file's version of the card she edited, saying only "changes you made"; no copy of her text was kept
    anywhere (the store keeps history, never a card's text). A comment in her deck file made that import refuse,
    and the rename-card pasted after it then failed. Now the advice names the cards and the comments, passes
    --drop-comments, and the import keeps her file as it was in backups/decks: pasted in order, both work."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "pharm.yaml").write_text(HERS, encoding="utf-8")
    for card, kind in (("ord", "order"), ("mine", "basic"), ("q1", "basic")):
        _studied(data, "pharm", card, kind)
    v2 = tmp_path / "v2.yaml"
    v2.write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(v2))
    assert code == 0
    [take] = re.findall(r"if it is a new version of that deck, `(quiz [^`]*)` takes it as it is", out)
    assert take.endswith(f"import --remove-missing --replace --drop-comments {v2}")
    said = "removes the cards only your deck file has, mine, takes its version of those that differ from yours, q1"
    assert said in out and "drops your deck file's comments, and keeps a copy of your deck file as it was" in out
    [rename] = re.findall(r"run `(quiz [^`]*rename-card pharm ord ord9)`", out)
    taken = pasted(take)
    assert taken.returncode == 0, taken.stderr
    kept = r"^your deck file as it was, with what the import removed or replaced: (.*); to take it back: "
    [copy] = re.findall(kept, taken.stdout, re.M)
    assert Path(copy).parent == data / "backups" / "decks" and Path(copy).read_text(encoding="utf-8") == HERS
    renamed = pasted(rename)
    assert renamed.returncode == 0, renamed.stderr
    assert _state_of(data, "pharm", "ord9") is not None and _state_of(data, "pharm", "mine") is not None
    assert "mine" not in (data / "decks" / "pharm.yaml").read_text(encoding="utf-8")


class _CountedNotes(tuple):
    """A deck's notes that count how often they are gone through."""

    passes = 0

    def __iter__(self):
        _CountedNotes.passes += 1
        return super().__iter__()


def test_rename_card_goes_through_the_deck_s_notes_once(capsys, tmp_path: Path, monkeypatch) -> None:
    """rename-card made the set of the deck's card ids twice in a run, before and after the move."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "pharm.yaml").write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    _studied(data, "pharm", "ord", "order")
    loaded = Library.deck

    def counted(library: Library, deck_id: str) -> Deck | None:
        deck = loaded(library, deck_id)
        return None if deck is None else replace(deck, notes=_CountedNotes(deck.notes))

    monkeypatch.setattr(Library, "deck", counted)
    monkeypatch.setattr(_CountedNotes, "passes", 0)
    code, out, err = run(capsys, "--data-dir", str(data), "rename-card", "pharm", "ord", "ord9")
    assert code == 0, err
    assert _state_of(data, "pharm", "ord9") is not None and _CountedNotes.passes == 1


def test_validate_and_add_agree_that_a_deck_file_linked_into_her_deck_folder_is_hers(capsys, tmp_path: Path) -> None:
    """Her deck file kept elsewhere (a clone of her repository), linked into her deck folder: `quiz add` of a new
    version calls it another version of her deck, while validate, comparing only where the link leads, called the
    deck not hers: `quiz add` would refuse the file, and no rename of the history it has was said."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    kept = tmp_path / "clone" / "pharm.yaml"
    kept.parent.mkdir()
    kept.write_text(PHARM, encoding="utf-8")
    (data / "decks" / "pharm.yaml").symlink_to(kept)
    _studied(data, "pharm", "ord", "order")
    v2 = tmp_path / "v2.yaml"
    v2.write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(v2))
    assert code == 0 and "if it is a new version of that deck, `quiz --data-dir" in out
    assert "`quiz add` would refuse it" not in out and "rename-card pharm ord ord9" in out
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(v2))
    assert code == 1 and f"so {v2.name} is another version of it; {data / 'decks' / 'pharm.yaml'} is a link" in err


def test_the_advice_for_an_imported_deck_names_only_what_the_import_would_do(capsys, tmp_path: Path) -> None:
    """On a deck she imported, validate guessed by card id alone: it said the import took the file's version of q1,
    which she edited (the import keeps her edit: the file did not change it) and removed `mine`, her own card (the
    import keeps it), while the import, pasted, kept both."""
    data = tmp_path / "data"
    v1 = tmp_path / "v1.yaml"
    v1.write_text(PHARM, encoding="utf-8")
    assert run(capsys, "--data-dir", str(data), "import", str(v1))[0] == 0
    _studied(data, "pharm", "ord", "order")
    deck = data / "decks" / "pharm.yaml"
    text = deck.read_text(encoding="utf-8").replace("two plus two?", "two plus two? (my words)")
    deck.write_text(text + '  - {id: mine, kind: basic, front: "A card of my own", back: "Mine"}\n', encoding="utf-8")
    v2 = tmp_path / "v2.yaml"
    v2.write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(v2))
    assert code == 0
    [take] = re.findall(r"if it is a new version of that deck, `(quiz [^`]*)` takes it as it is \(([^)]*)\)", out)
    assert take[0].endswith(f"import --remove-missing --replace {v2}")
    assert take[1].startswith("your deck file has nothing it lacks but the card whose id it changes, and it keeps a")
    taken = pasted(take[0])
    assert taken.returncode == 0, taken.stderr
    now = deck.read_text(encoding="utf-8")
    assert "(my words)" in now and "id: mine" in now
