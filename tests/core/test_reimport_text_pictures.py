"""Updating a deck imported from an Anki package with Anki's "Notes in Plain Text" export of the same notes: a
text file carries no pictures, so the notes keep the pictures the deck has (an `<img>` the text drops, or none at
all), and the rest of each note comes in. The files are made by Anki at test time; skipped without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.kinds import KINDS
from quiz.core.model import Note
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection  # noqa: E402

from tools.make_anki_fixtures import export_plain_text, png  # noqa: E402


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """coll.colpkg (heart and lung each show a picture), then the same notes as text, with and without HTML, after
    heart's back was edited and lung's picture removed in Anki, and as coll-2.colpkg."""
    out = tmp_path_factory.mktemp("anki")
    col = Collection(str(out / "collection.anki2"))
    for name, colour in (("heart.png", "red"), ("lung.png", "blue")):
        assert col.media.write_data(name, png((16, 16), {(2, 2, 12, 12): colour})) == name
    basic = col.models.by_name("Basic")
    assert basic is not None
    deck = col.decks.id("Pharm")
    assert deck is not None
    ids = {}
    for key, front, back in (
        ("heart", 'Heart <img src="heart.png">', "Pumps"),
        ("lung", 'Lung <img src="lung.png">', "Breathes"),
        ("aspirin", "Aspirin", "COX inhibitor"),
    ):
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, back
        col.add_note(note, deck)
        ids[key] = note.id
    col.export_collection_package(str(out / "coll.colpkg"), include_media=True, legacy=False)
    col = Collection(str(out / "collection.anki2"))  # the export closes it
    heart, lung = col.get_note(ids["heart"]), col.get_note(ids["lung"])
    heart["Back"] = "Pumps blood"
    lung["Front"] = "Lung"  # its picture removed in Anki: the text export cannot tell
    col.update_notes([heart, lung])
    for html in (True, False):
        export_plain_text(col, out / f"Pharm-{'html' if html else 'text'}.txt", with_html=html)
    col.close()
    col = Collection(str(out / "collection.anki2"))
    col.export_collection_package(str(out / "coll-2.colpkg"), include_media=True, legacy=False)  # the same notes
    return out


def faces(deck_file: Path) -> dict[str, tuple[str, Note]]:
    """The deck's notes by their front: (back, note)."""
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    found = {}
    for note in deck.notes:
        front, back = KINDS[note.kind].anki_faces(note)[:2]
        found[front] = (back, note)
    return found


@pytest.mark.parametrize("export", ["html", "text"])
def test_text_export_keeps_the_decks_pictures(exported: Path, tmp_path: Path, capsys, export: str) -> None:  # noqa: ANN001
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(exported / "coll.colpkg"), "--deck-id", "pharm")
    assert code == 0, err
    deck_file = data / "decks" / "pharm.yaml"
    before = faces(deck_file)
    assert before["Heart"][1].images == ("pharm-media/heart.png",)
    assert before["Lung"][1].images == ("pharm-media/lung.png",)

    text = exported / f"Pharm-{export}.txt"
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(text), "--deck-id", "pharm")
    assert code == 0, err
    after = faces(deck_file)
    assert after["Heart"][0] == "Pumps blood"  # the text's edit comes in
    assert after["Heart"][1].images == ("pharm-media/heart.png",)
    assert after["Lung"][1].images == ("pharm-media/lung.png",)  # a text file never tells a picture removed
    assert "image: pharm-media/heart.png" in deck_file.read_text(encoding="utf-8")
    assert (data / "decks" / "pharm-media" / "heart.png").is_file()
    assert "1 updated" in out
    assert out.count("pictures kept as the deck has them") == 1
    assert "2 notes" in out.split("pictures kept as the deck has them")[1].splitlines()[0]

    # the same text again: nothing changes, and the pictures are still the deck's
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(text), "--deck-id", "pharm")
    assert code == 0, err
    assert "0 updated" in out and "the deck file is unchanged" in out
    assert faces(deck_file)["Heart"][1].images == ("pharm-media/heart.png",)


def test_a_picture_she_changed_stays_hers_through_a_text_update(exported: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(exported / "coll.colpkg"), "--deck-id", "pharm")
    assert code == 0, err
    deck_file = data / "decks" / "pharm.yaml"
    media = data / "decks" / "pharm-media"
    (media / "mine.png").write_bytes((media / "lung.png").read_bytes())
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("image: pharm-media/heart.png", "image: pharm-media/mine.png"), encoding="utf-8")

    # the text's edit comes in: her picture is no change of the file's, so no conflict
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(exported / "Pharm-html.txt"))
    assert code == 0, err
    assert "1 updated" in out and "0 changed by both" in out
    heart = faces(deck_file)["Heart"]
    assert heart[0] == "Pumps blood" and heart[1].images == ("pharm-media/mine.png",)

    # the record keeps the picture the package gave, so the package's next version (heart's picture unchanged,
    # lung's removed in Anki) leaves hers, and takes lung's removal
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(exported / "coll-2.colpkg"))
    assert code == 0, err
    assert "0 changed by both" in out
    after = faces(deck_file)
    assert after["Heart"][1].images == ("pharm-media/mine.png",)
    assert after["Lung"][1].images == ()
