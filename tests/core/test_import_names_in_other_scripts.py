"""Importing tables whose file names are written in another script (Japanese, Chinese, Arabic): each makes a deck
of its own, and the same file imported again updates the deck it made."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from quiz.core.decks import load_deck_file
from tests.conftest import run_cli as run

JAPANESE = "front,back\nケタミンが遮断する受容体は？,NMDA受容体\n静注の用量は？,0.5mg/kg\n"
CHINESE = "front,back\n氯胺酮阻断哪种受体？,NMDA受体\n艾司氯胺酮的给药途径,鼻喷雾剂\n"
ARABIC = "front,back\nما هو المستقبل؟,NMDA\nطريقة الإعطاء,بخاخ أنفي\n"


def _import(capsys, data: Path, file: Path) -> tuple[int, str]:
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(file))
    return code, out + err


def _decks(data: Path) -> dict[str, list[str]]:
    """Each deck in the deck folder, by its id: the fronts of its notes."""
    found = {}
    for path in sorted((data / "decks").glob("*.yaml")):
        deck = load_deck_file(path).deck
        assert deck is not None
        found[deck.id] = [note.body.front for note in deck.notes]
    return found


def test_tables_named_in_other_scripts_make_a_deck_each(tmp_path: Path, capsys) -> None:
    """Their names have no Latin letters to make an id of: each was `imported`, so the second file was taken for
    a new version of the first and written over its notes (or refused as another deck)."""
    data = tmp_path / "data"
    files = {"薬理学.csv": JAPANESE, "护理学.csv": CHINESE, "كيتامين.csv": ARABIC, "Pharma 薬理学.csv": JAPANESE}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        code, said = _import(capsys, data, tmp_path / name)
        assert code == 0 and "imported 2 notes" in said, said
    decks = _decks(data)
    assert len(decks) == 4
    assert sorted(fronts[0] for fronts in decks.values()) == sorted(
        text.split("\n")[1].split(",")[0] for text in files.values()
    )
    assert all(deck_id.startswith("imported-") for deck_id in decks if not deck_id.startswith("pharma-"))


def _written_on_a_mac(tmp_path: Path) -> Path:
    """`Übelkeit 薬理学.csv` with a new row, its name decomposed (NFD) as macOS writes it, in a folder of its own."""
    mac = tmp_path / "mac"
    mac.mkdir()
    again = mac / unicodedata.normalize("NFD", "Übelkeit 薬理学.csv")
    again.write_text(JAPANESE + "新しい質問,答え\n", encoding="utf-8")
    return again


def test_the_same_name_imported_again_updates_its_deck_composed_or_not(tmp_path: Path, capsys) -> None:
    """macOS writes a file's name decomposed (NFD): the same name is the same deck."""
    data = tmp_path / "data"
    (tmp_path / "Übelkeit 薬理学.csv").write_text(JAPANESE, encoding="utf-8")
    assert _import(capsys, data, tmp_path / "Übelkeit 薬理学.csv")[0] == 0
    code, said = _import(capsys, data, _written_on_a_mac(tmp_path))
    assert code == 0 and "1 new" in said, said
    assert [len(fronts) for fronts in _decks(data).values()] == [3]


def test_a_deck_an_earlier_quiz_imported_as_imported_is_still_updated_by_its_file(tmp_path: Path, capsys) -> None:
    """Before, a name with no Latin letters made the deck `imported`: importing that file again updates it, its
    history with it, rather than making a second deck of the same notes."""
    data = tmp_path / "data"
    table = tmp_path / "薬理学.csv"
    table.write_text(JAPANESE, encoding="utf-8")
    assert _import(capsys, data, table)[0] == 0
    (made,) = (data / "decks").glob("*.yaml")
    record = made.with_name(made.stem + ".import.json")
    old = data / "decks" / "imported.yaml"
    old.write_text(made.read_text(encoding="utf-8").replace(f"deck: {made.stem}", "deck: imported"), encoding="utf-8")
    record.with_name("imported.import.json").write_text(
        record.read_text(encoding="utf-8").replace(f"deck: {made.stem}", "deck: imported"), encoding="utf-8"
    )
    made.unlink()
    record.unlink()
    table.write_text(JAPANESE + "新しい質問,答え\n", encoding="utf-8")
    code, said = _import(capsys, data, table)
    assert code == 0 and "deck: imported" not in said and "1 new" in said, said
    assert list(_decks(data)) == ["imported"]


def test_a_deck_imported_before_from_a_name_is_updated_by_it_written_decomposed(tmp_path: Path, capsys) -> None:
    """A deck an earlier quiz made from `Übelkeit 薬理学.csv` (its Latin letters alone: `ubelkeit`), imported again
    from a Mac, which writes the name decomposed (NFD): the same file, so the same deck, not a second one whose
    cards start over while their answers stay in the first."""
    data = tmp_path / "data"
    table = tmp_path / "Übelkeit 薬理学.csv"
    table.write_text(JAPANESE, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(table), "--deck-id", "ubelkeit")
    assert code == 0, out + err
    code, said = _import(capsys, data, _written_on_a_mac(tmp_path))
    assert code == 0 and "1 new" in said, said
    assert list(_decks(data)) == ["ubelkeit"]
