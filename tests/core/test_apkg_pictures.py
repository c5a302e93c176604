"""Pictures in quiz's own .apkg: each picture goes into the package's media and its note's fields, so Anki's own
importer puts it in its media folder and shows it; an occlusion note becomes Anki's Image Occlusion; and the
package (as quiz wrote it, or as Anki exports it again) comes back into quiz with the same kinds, ids, pictures
(byte for byte) and history."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.exporters import ExportError, Progress, export_deck
from quiz.core.exporters.apkgmedia import img_tags
from quiz.core.images import image_path
from quiz.core.model import Deck, Mode
from quiz.core.store import Store
from tests.conftest import run_cli as run
from tests.core.test_apkg_to_anki import _import_into_anki, _study

#: three different small PNGs (1x1: black, white, grey), so every byte comparison means something
PNGS = [
    bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c63" + tail)
    for tail in (
        "6000000002000148afa4710000000049454e44ae426082",
        "f80f0001010100b138f6140000000049454e44ae426082",
        "6800000082008177cd72b60000000049454e44ae426082",
    )
]
DECK = """\
deck: pix
title: Pictures
topics: [{id: heart, title: The heart}]
cards:
  - {id: two, kind: basic, topic: heart, front: Which chambers?, back: atria,
     image: [pics/a/heart.png, pics/b/heart.png]}
  - {id: gap, kind: cloze, text: 'The {{heart}} pumps blood', image: pics/a/heart.png}
  - {id: pick, kind: choice, front: Which one?, options: [left, right], answer: left, image: 'pics/<b>"odd" & 100%.png'}
  - id: cell
    kind: occlusion
    image: pics/cell.png
    front: Name the part
    explain: a cell
    hide: one
    regions:
      - {x: 0.1, y: 0.1, w: 0.2, h: 0.2, label: nucleus}
      - {x: 0.5, y: 0.5, w: 0.5, h: 0.25}
"""
PICTURES = {"pics/a/heart.png": PNGS[0], "pics/b/heart.png": PNGS[1], 'pics/<b>"odd" & 100%.png': PNGS[2]}
PICTURES["pics/cell.png"] = PNGS[2]
NOW = 1_700_000_000.0  # the export's clock: Anki's note ids start from it (0 would give a note id 0)


def picture_deck(folder: Path) -> Deck:
    for relative, data in PICTURES.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    (folder / "pix.yaml").write_text(DECK, encoding="utf-8")
    loaded = load_deck_file(folder / "pix.yaml")
    assert loaded.ok and loaded.deck is not None, [str(p) for p in loaded.problems]
    return loaded.deck


def test_the_package_holds_each_picture_once_under_a_plain_name(tmp_path: Path) -> None:
    deck = picture_deck(tmp_path / "src")
    export_deck(deck, tmp_path / "pix.apkg", NOW)
    with zipfile.ZipFile(tmp_path / "pix.apkg") as package:
        media = json.loads(package.read("media"))
        files = {name: package.read(number) for number, name in media.items()}
    # two pictures called heart.png in two folders get two names; `%` (an escape in a src) and markup go
    assert files == {"heart.png": PNGS[0], "heart-2.png": PNGS[1], "_b__odd_ & 100_.png": PNGS[2], "cell.png": PNGS[2]}


def test_anki_keeps_and_shows_every_picture_and_studies_the_occlusion(tmp_path: Path) -> None:
    deck = picture_deck(tmp_path / "src")
    export_deck(deck, tmp_path / "pix.apkg", NOW)
    col = _import_into_anki(tmp_path / "pix.apkg", tmp_path)
    folder = Path(col.media.dir())
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        "heart.png": PNGS[0],
        "heart-2.png": PNGS[1],
        "_b__odd_ & 100_.png": PNGS[2],
        "cell.png": PNGS[2],
    }
    notes = {note.guid: note for note in map(col.get_note, col.find_notes(""))}
    two = notes["quiz:pix:two"]
    assert two["Front"] == 'Which chambers?<br><img src="heart.png"><img src="heart-2.png">'
    assert '<img src="heart.png">' in two.cards()[0].question()  # shown on the question, so on every card
    assert notes["quiz:pix:gap"]["Text"].endswith('<br><img src="heart.png">')
    assert notes["quiz:pix:pick"]["Front"].endswith('<img src="_b__odd_ &amp; 100_.png">')  # the name as HTML text

    cell = notes["quiz:pix:cell"]
    assert cell.note_type()["originalStockKind"] == 6  # Anki's Image Occlusion: its editor edits the masks
    assert sorted(card.ord for card in cell.cards()) == [0, 1]  # a card per region
    occlusion = col._backend.get_image_occlusion_note(note_id=cell.id).note  # what Anki's own IO code reads
    assert occlusion.image_file_name == "cell.png" and occlusion.image_data == PNGS[2]
    assert (occlusion.header, occlusion.back_extra, occlusion.occlude_inactive) == ("Name the part", "a cell", False)
    boxes = {o.ordinal: {p.name: p.value for p in o.shapes[0].properties} for o in occlusion.occlusions}
    assert boxes == {
        1: {"left": "0.1", "top": "0.1", "width": "0.2", "height": "0.2"},
        2: {"left": "0.5", "top": "0.5", "width": "0.5", "height": "0.25"},
    }
    second = next(card for card in cell.cards() if card.ord == 1)
    question = second.question()
    assert 'class="cloze" data-ordinal="2" data-shape="rect"' in question  # the mask Anki's script draws
    assert "anki.imageOcclusion.setup()" in question and '<img src="cell.png">' in question
    assert "nucleus" not in question + second.answer()  # the definition is never shown
    check = col.media.check()
    assert not check.missing and not check.unused  # every picture is referenced by a field, and there
    col.close()


def _round_trip(deck: Deck, store: Store, package: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`quiz import` of `package` into a fresh data folder gives back the deck: kinds, ids, bodies, pictures
    byte for byte, and the review-mode history of every card."""
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(package))
    assert code == 0, err
    loaded = load_deck_file(data / "decks" / "pix.yaml")
    assert loaded.ok and loaded.deck is not None, [str(p) for p in loaded.problems]
    back = {note.id: note for note in loaded.deck.notes}
    assert sorted(back) == sorted(note.id for note in deck.notes)
    for note in deck.notes:
        again = back[note.id]
        assert (again.kind, again.body, again.explain) == (note.kind, note.body, note.explain)
        pictures = [image_path(loaded.deck.path, image).read_bytes() for image in again.images]
        assert pictures == [PICTURES[image] for image in note.images], note.id
    answered = Counter(r.card_key for r in store.reviews(deck_id=deck.id) if r.mode is Mode.REVIEW)
    imported = Store.in_folder(data)
    try:
        assert Counter(r.card_key for r in imported.reviews(deck_id=deck.id)) == answered
        assert {"cell/1", "cell/2"} <= set(answered)  # each region's history is its own
    finally:
        imported.close()


def _exported(tmp_path: Path, store: Store) -> tuple[Deck, Path]:
    deck = picture_deck(tmp_path / "src")
    now = _study(store, deck, datetime.now(UTC) - timedelta(days=25))
    progress = Progress(store.states(deck.id), store.reviews(deck_id=deck.id), store.settings(), now)
    export_deck(deck, tmp_path / "pix.apkg", now.timestamp(), store.flags(deck.id), progress)
    return deck, tmp_path / "pix.apkg"


def test_quiz_to_quiz_keeps_kinds_ids_pictures_and_history(
    tmp_path: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    deck, package = _exported(tmp_path, store)
    _round_trip(deck, store, package, tmp_path / "back", capsys)


@pytest.mark.parametrize("legacy", [False, True])
def test_quiz_to_anki_to_quiz_keeps_kinds_ids_pictures_and_history(
    tmp_path: Path, store: Store, capsys: pytest.CaptureFixture[str], legacy: bool
) -> None:
    deck, package = _exported(tmp_path, store)
    collection = pytest.importorskip("anki.collection")
    col = _import_into_anki(package, tmp_path)
    again = tmp_path / "from-anki.apkg"
    options = collection.ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy
    )
    col.export_anki_package(out_path=str(again), options=options, limit=None)
    col.close()
    _round_trip(deck, store, again, tmp_path / "back", capsys)


def test_a_picture_gone_since_loading_stops_the_export_and_names_it(tmp_path: Path) -> None:
    deck = picture_deck(tmp_path / "src")
    (tmp_path / "src" / "pics" / "b" / "heart.png").unlink()
    with pytest.raises(ExportError) as refused:
        export_deck(deck, tmp_path / "pix.apkg", NOW)
    line = next(note.line for note in deck.notes if note.id == "two")
    assert line > 0
    assert str(refused.value).startswith(f"{deck.path}:{line}: card 'two': image 'pics/b/heart.png' does not exist")
    assert not (tmp_path / "pix.apkg").exists()  # nothing half-written


def test_a_picture_turned_into_a_link_leading_out_is_not_exported(tmp_path: Path) -> None:
    deck = picture_deck(tmp_path / "src")
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNGS[0] + b"private")
    (tmp_path / "src" / "pics" / "cell.png").unlink()
    (tmp_path / "src" / "pics" / "cell.png").symlink_to(secret)  # after the deck was loaded
    with pytest.raises(ExportError) as refused:
        export_deck(deck, tmp_path / "pix.apkg", NOW)
    assert "card 'cell': image 'pics/cell.png' leads outside the deck's folder" in str(refused.value)
    assert not (tmp_path / "pix.apkg").exists()


def test_a_picture_name_is_written_as_text_in_the_field() -> None:
    assert img_tags(['a"b<c>&.png', "x.png"]) == '<img src="a&quot;b&lt;c&gt;&amp;.png"><img src="x.png">'
