"""A package's pictures come in beside the deck under safe names, whatever the package's media map says."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.core.anki.media import image_sources, is_plain, safe_name
from quiz.core.decks import load_deck_file
from quiz.core.importers import import_file
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki"


def repackaged(tmp_path: Path, fields: str, media: dict[str, str], files: dict[str, bytes]) -> Path:
    """legacy1.apkg with its image-only note's Front set to `fields` and the media map and files given."""
    with zipfile.ZipFile(DATA / "legacy1.apkg") as source:
        collection = tmp_path / "collection.anki2"
        collection.write_bytes(source.read("collection.anki2"))
        pixel = source.read("1")
    with sqlite3.connect(collection) as db:
        db.execute("UPDATE notes SET flds = replace(flds, '<img src=\"pixel.png\">', ?)", (fields,))
    db.close()
    package = tmp_path / "hostile.apkg"
    with zipfile.ZipFile(package, "w") as target:
        target.write(collection, "collection.anki2")
        target.writestr("media", json.dumps(media))
        for member, data in files.items():
            target.writestr(member, data or pixel)
    return package


def test_names_from_the_package_cannot_leave_the_media_folder(tmp_path: Path, capsys) -> None:
    fields = '<img src="../../evil.png"><img alt="a>b" src="second.png">'
    package = repackaged(tmp_path, fields, {"0": "../../evil.png", "1": "second.png"}, {"0": b"", "1": b""})
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(package))
    assert code == 0, err
    assert sorted(p.name for p in (data / "decks" / "hostile-media").iterdir()) == ["_.._evil.png", "second.png"]
    assert not (tmp_path / "evil.png").exists() and not (data / "evil.png").exists()
    deck = load_deck_file(data / "decks" / "hostile.yaml").deck
    assert deck is not None  # every picture of the note comes in, in field order
    assert [n.images for n in deck.notes if n.images] == [("hostile-media/_.._evil.png", "hostile-media/second.png")]
    assert "more picture" not in err and "second.png" not in err


def test_a_name_with_bidi_marks_comes_in_plain_and_its_deck_loads_without_a_warning(tmp_path: Path, capsys) -> None:
    name = "p\u202eic\u200f.png"  # Anki keeps these in a media name; the loader would replace them in the deck
    package = repackaged(tmp_path, f'<img src="{name}">', {"0": name}, {"0": b""})
    data = tmp_path / "data"
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(package))
    assert code == 0, err
    assert [p.name for p in (data / "decks" / "hostile-media").iterdir()] == ["p_ic_.png"]
    loaded = load_deck_file(data / "decks" / "hostile.yaml")
    assert loaded.deck is not None and loaded.problems == []
    assert [n.images for n in loaded.deck.notes if n.images] == [("hostile-media/p_ic_.png",)]


def test_a_picture_missing_from_the_package_is_named_and_the_note_still_comes_in(tmp_path: Path) -> None:
    package = repackaged(tmp_path, '<img src="gone.png">', {}, {})
    result = import_file(package)
    assert not result.media
    assert any("its picture 'gone.png' is not in the package" in p.message for p in result.problems)
    assert all(not n.images for n in result.notes)


def test_a_file_that_is_not_a_picture_is_left_out(tmp_path: Path) -> None:
    package = repackaged(tmp_path, '<img src="x.png">', {"0": "x.png"}, {"0": b"<svg>not a raster</svg>"})
    result = import_file(package)
    assert not result.media
    assert any("its picture 'x.png'" in p.message for p in result.problems)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("a/b\\c.png", "a_b_c.png"),
        ("..", "media"),
        (".hidden.png", "hidden.png"),
        ("bell\x07.png", "bell_.png"),
        ("r\u202egnp\x9b.png", "r_gnp_.png"),
        ("", "media"),
        (". x.png", "x.png"),  # a dot, then a space: neither leads once made plain
        (" . .x.png", "x.png"),
        ("." * 3, "media"),
    ],
)
def test_a_media_name_becomes_one_plain_file_name(name: str, safe: str) -> None:
    assert safe_name(name, set()) == safe


def test_names_differing_only_in_case_or_made_equal_get_numbers() -> None:
    taken: set[str] = set()
    assert [safe_name(n, taken) for n in ("Heart.png", "heart.png", "a/b.png", "a_b.png")] == [
        "Heart.png",
        "heart-2.png",
        "a_b.png",
        "a_b-2.png",
    ]


_NAME_PARTS = st.sampled_from([".", " ", "\t", "x", "e", "\u0301", "\u00e9", "/", "\x00", "-", "2", "png"])


@given(st.lists(st.lists(_NAME_PARTS, max_size=60).map("".join), max_size=6))
def test_every_name_made_safe_is_plain(names: list[str]) -> None:
    """What a record keeps is checked with is_plain when read back: a name safe_name gave must pass it."""
    taken: set[str] = set()
    for name in [*names, *names]:  # again: numbered
        assert is_plain(safe_name(name, taken)), name


def test_a_long_name_cut_at_a_space_is_still_plain() -> None:
    name = safe_name("x" * 111 + " y", set())
    assert is_plain(name) and name == "x" * 111


def test_a_long_name_keeps_its_suffix() -> None:
    name = safe_name("x" * 500 + ".jpeg", set())
    assert len(name) <= 120 and name.endswith(".jpeg")


def test_image_sources_are_read_by_an_html_parser() -> None:
    html = '<img alt="a>b" src="one%20two.png"> text <IMG SRC=\'b.jpg\'><img>'
    assert image_sources(html) == ["one two.png", "b.jpg"]


def test_an_image_occlusion_note_keeps_the_picture_it_masks_and_names_the_others(tmp_path: Path) -> None:
    with zipfile.ZipFile(DATA / "legacy1.apkg") as source:
        members = {name: source.read(name) for name in source.namelist()}
    collection = tmp_path / "collection.anki2"
    collection.write_bytes(members["collection.anki2"])
    with sqlite3.connect(collection) as db:  # a second picture after the one masked
        db.execute(
            "UPDATE notes SET flds = replace(flds, '<img src=\"occluded.png\">',"
            " '<img src=\"occluded.png\"><img src=\"pixel.png\">') WHERE flds LIKE '%image-occlusion%'"
        )
    db.close()
    package = tmp_path / "two.apkg"
    with zipfile.ZipFile(package, "w") as target:
        for name, data in members.items():
            target.writestr(name, collection.read_bytes() if name == "collection.anki2" else data)
    result = import_file(package)
    (note,) = [n for n in result.notes if n.kind == "occlusion"]
    assert note.images == ("two-media/occluded.png",)  # the picture its masks are on
    assert any("1 more picture(s) left out (an occlusion masks one picture)" in p.message for p in result.problems)
