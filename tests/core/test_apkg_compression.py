"""An exported .apkg is compressed as Anki's own legacy packages are (tests/data/anki/legacy1.apkg, which Anki
wrote: its collection deflated): the collection and the media map deflated, the pictures, compressed already,
stored. quiz's stored a 45,000-card deck's 40 MB collection as it was: 48 MB beside the 22 MB package it came
from."""

from __future__ import annotations

import zipfile
from pathlib import Path

from quiz.core.exporters import export_deck
from quiz.core.importers import import_file
from tests.core.test_apkg_pictures import NOW, picture_deck

LEGACY = Path(__file__).resolve().parents[1] / "data" / "anki" / "legacy1.apkg"


def test_the_collection_and_media_map_are_deflated_as_in_anki_s_legacy_package_the_pictures_stored(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(LEGACY) as anki:
        assert anki.getinfo("collection.anki2").compress_type == zipfile.ZIP_DEFLATED
    deck = picture_deck(tmp_path / "src")
    export_deck(deck, tmp_path / "pix.apkg", NOW)
    with zipfile.ZipFile(tmp_path / "pix.apkg") as package:
        kinds = {info.filename: info.compress_type for info in package.infolist()}
        collection = package.getinfo("collection.anki2")
    assert kinds.pop("collection.anki2") == kinds.pop("media") == zipfile.ZIP_DEFLATED
    assert set(kinds.values()) == {zipfile.ZIP_STORED}  # the pictures
    assert collection.compress_size < collection.file_size / 2
    back = import_file(tmp_path / "pix.apkg")  # quiz reads it back, every note
    assert len(back.notes) == len(deck.notes)
