"""A deck file whose deck id a deck loaded before it has: the hint names the field to change in it and an id
free among every deck quiz loads, so following it word for word loads both decks."""

from __future__ import annotations

from pathlib import Path

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
    assert "give this deck another id: in this file, change `deck: pharm` to `deck: pharm-3`" in out
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
    assert "if it is another deck, give it another `deck:` id, e.g. `deck: pharm-3` (no deck quiz loads has it)" in out
    other.write_text(other.read_text().replace("deck: pharm\n", "deck: pharm-3\n"))  # the note, followed
    assert run(capsys, "--data-dir", str(data), "add", str(other))[0] == 0
