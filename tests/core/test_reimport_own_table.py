"""quiz's own CSV/TSV export read back over the deck it was made from, unedited: a no-op. The table carries neither
pictures nor `sources:`, so an occlusion note keeps the deck's picture (never gone from the file, whose row holds
it) and every note keeps the sources the deck's cites."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from tests.conftest import run_cli as run

ROOT = Path(__file__).parents[2]


def _deck_from_package(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[Path, Path]:
    """docs/example-deck.yaml exported as a package and imported (a record made): the data folder and deck file."""
    data = tmp_path / "data"
    package = tmp_path / "example.apkg"
    data.mkdir()
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", str(ROOT / "docs" / "example-deck.yaml"), "-o", str(package)
    )
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(package), "--deck-id", "example")
    assert code == 0, err
    return data, data / "decks" / "example.yaml"


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_own_table_over_the_deck_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    data, deck_file = _deck_from_package(capsys, tmp_path)
    before = deck_file.read_bytes()
    table = tmp_path / f"example{suffix}"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "example", "-o", str(table))
    assert code == 0, err

    args = ("--data-dir", str(data), "import", str(table), "--deck-id", "example", "--remove-missing")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "0 updated, 0 new" in out and "0 gone from" in out and "removed" not in out
    assert "row skipped" not in err
    assert "pictures and sources kept as the deck has them, on 2 notes" in out
    assert deck_file.read_bytes() == before
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    notes = {note.id: note for note in deck.notes}
    assert notes["synapse-parts"].kind == "occlusion" and notes["synapse-parts"].images
    assert notes["nmda-block"].sources == ("why-used",)


def test_an_occlusion_row_edited_in_the_table_keeps_the_decks_picture(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data, deck_file = _deck_from_package(capsys, tmp_path)
    table = tmp_path / "example.csv"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "example", "-o", str(table))
    assert code == 0, err
    text = table.read_text(encoding="utf-8-sig")
    table.write_text(text.replace("label: glutamate", "label: glutamate (Glu)"), encoding="utf-8-sig")

    code, out, err = run(capsys, "--data-dir", str(data), "import", str(table), "--deck-id", "example")
    assert code == 0, err
    assert "1 updated" in out and "synapse-parts" in out
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    occlusion = next(note for note in deck.notes if note.id == "synapse-parts")
    assert occlusion.images and occlusion.body.regions[1][4] == "glutamate (Glu)"


def test_an_occlusion_row_of_no_deck_is_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data, _ = _deck_from_package(capsys, tmp_path)
    table = tmp_path / "example.csv"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "example", "-o", str(table))
    assert code == 0, err

    code, out, err = run(capsys, "--data-dir", str(data), "import", str(table), "--deck-id", "other")
    assert code == 0, err
    assert "row skipped: an occlusion card needs a picture" in err
    assert "1 row skipped" in out
    deck = load_deck_file(data / "decks" / "other.yaml").deck
    assert deck is not None and "synapse-parts" not in {note.id for note in deck.notes}


def test_an_occlusion_row_over_another_kind_of_the_same_id_is_skipped_and_the_deck_still_loads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The deck's note of the row's id has no picture to give (a basic card): the row is skipped, as for an id no
    deck has, never written without the picture its kind needs (a deck file that would no longer load)."""
    data, deck_file = _deck_from_package(capsys, tmp_path)
    table = tmp_path / "example.csv"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "example", "-o", str(table))
    assert code == 0, err
    with table.open(encoding="utf-8-sig", newline="") as read:
        rows = [row for row in csv.reader(read) if row[0] != "nmda-block"]
    rows = [["nmda-block", *row[1:]] if row[0] == "synapse-parts" else row for row in rows]
    with table.open("w", encoding="utf-8-sig", newline="") as written:
        csv.writer(written).writerows(rows)

    code, out, err = run(capsys, "--data-dir", str(data), "import", str(table), "--deck-id", "example")
    assert code == 0, err
    assert "row skipped: an occlusion card needs a picture" in err
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    assert next(note for note in deck.notes if note.id == "nmda-block").kind == "basic"
