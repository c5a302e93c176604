"""A deck's own export imported back, unedited but for what Anki does to it: unchanged. Anki sorts a note's tags
(the order of tags is no change), and an export writes the store's mark as the tag `marked`, which is no change
of the file either: the mark stays the store's."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.store import Store
from tests.conftest import run_cli as run

DECK = (
    "deck: tags\ntitle: Tags\ncards:\n"
    "  - {id: a, kind: basic, front: A?, back: a, tags: [nmda, glutamate]}\n"
    "  - {id: b, kind: basic, front: B?, back: b}\n"
)


def _deck(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    deck_file = data / "decks" / "tags.yaml"
    deck_file.write_text(DECK, encoding="utf-8")
    return data, deck_file


def _exported(capsys: pytest.CaptureFixture[str], data: Path, out: Path) -> Path:
    code, _, err = run(capsys, "--data-dir", str(data), "export", "tags", "-o", str(out))
    assert code == 0, err
    return out


def _tags(deck_file: Path) -> dict[str, tuple[str, ...]]:
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    return {note.id: note.tags for note in deck.notes}


@pytest.mark.parametrize("recorded", [False, True])
def test_tags_in_another_order_are_no_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, recorded: bool
) -> None:
    data, deck_file = _deck(tmp_path)
    if recorded:  # a deck made by an import: its record knows the tags in the deck's order
        first = _exported(capsys, data, tmp_path / "first.yaml")
        deck_file.unlink()
        code, _, err = run(capsys, "--data-dir", str(data), "import", str(first))
        assert code == 0, err
    before = deck_file.read_bytes()
    back = _exported(capsys, data, tmp_path / "back.yaml")
    back.write_text(
        back.read_text(encoding="utf-8").replace("[nmda, glutamate]", "[glutamate, nmda]"), encoding="utf-8"
    )

    code, out, err = run(capsys, "--data-dir", str(data), "import", str(back))
    assert code == 0, err
    assert "0 updated" in out and "0 changed by both" in out and "the deck file is unchanged" in out
    assert deck_file.read_bytes() == before


def test_a_tag_edit_keeps_the_decks_order_of_the_rest(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data, deck_file = _deck(tmp_path)
    first = _exported(capsys, data, tmp_path / "first.yaml")
    deck_file.unlink()
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(first))
    assert code == 0, err
    back = _exported(capsys, data, tmp_path / "back.yaml")
    back.write_text(
        back.read_text(encoding="utf-8").replace("[nmda, glutamate]", "[glutamate, ketamine, nmda]"), encoding="utf-8"
    )

    code, out, err = run(capsys, "--data-dir", str(data), "import", str(back))
    assert code == 0, err
    assert "1 updated" in out and "(tags)" in out
    assert _tags(deck_file)["a"] == ("glutamate", "ketamine", "nmda")  # not only an order: the file's


@pytest.mark.parametrize("recorded", [False, True])
def test_the_stores_mark_exported_and_imported_back_is_no_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, recorded: bool
) -> None:
    data, deck_file = _deck(tmp_path)
    if recorded:
        first = _exported(capsys, data, tmp_path / "first.yaml")
        deck_file.unlink()
        code, _, err = run(capsys, "--data-dir", str(data), "import", str(first))
        assert code == 0, err
    store = Store.in_folder(data)
    store.set_mark("tags", "b", True)
    store.close()
    before = deck_file.read_bytes()
    back = _exported(capsys, data, tmp_path / "marked.yaml")
    assert "marked" in back.read_text(encoding="utf-8")

    code, out, err = run(capsys, "--data-dir", str(data), "import", str(back))
    assert code == 0, err
    assert "0 updated" in out and "0 changed by both" in out and "the deck file is unchanged" in out
    assert deck_file.read_bytes() == before
    assert _tags(deck_file)["b"] == ()
    store = Store.in_folder(data)
    assert store.is_marked("tags", "b")  # still the store's: the app can take it off
    store.close()
