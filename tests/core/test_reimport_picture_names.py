"""A picture keeps the file name the last import gave it, whatever the next version of the package adds, renames
or drops: a note never comes to show another note's picture, and a picture she changed stays the one her note
shows.

The packages are Anki's own (tests/data/anki/pictures, written by `tools/make_anki_fixtures.py pictures`): v2 has
four notes, each showing its picture (heart, brain, lung, kidney); v3 adds a note showing `Heart.png` and one
showing `.lung.png`, names that become `heart.png` and `lung.png` once made safe (case-insensitively unique, a
leading dot dropped); clash-first.apkg holds those two and brain alone; v4 is v3 with kidney.png renamed
renal.png (the same bytes) and the lung note deleted."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from quiz.core.decks import parse_deck
from quiz.core.importers import import_file
from quiz.core.importers.pictures import digest, kept_names, names_to_record
from quiz.core.importers.update import pending_path, read_record, record_path
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki" / "pictures"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
_ORGAN = re.compile(r"Name this organ \((.+)\)")


def package_pictures(version: str) -> dict[str, bytes]:
    """Each note's picture as the package holds it, by the name the note's question gives (its Anki name)."""
    result = import_file(DATA / f"{version}.apkg")
    return {_organ(note.body.front): result.media[note.all_images[0]].read() for note in result.notes}


def _organ(front: str) -> str:
    found = _ORGAN.fullmatch(front)
    assert found is not None, front
    return found[1]


V2, V3, V4 = package_pictures("v2"), package_pictures("v3"), package_pictures("v4")


def quiz_import(data: Path, capsys, version: str, *flags: str) -> tuple[int, str, str]:  # noqa: ANN001
    code, out, err = run(
        capsys, "--data-dir", str(data), "import", str(DATA / f"{version}.apkg"), "--deck-id", "anatomy", *flags
    )
    assert code == 0, err
    return code, out, err


def shown(data: Path) -> dict[str, tuple[str, bytes]]:
    """What each note of the deck shows: its picture's path and the bytes of that file, by the note's organ."""
    deck_file = data / "decks" / "anatomy.yaml"
    loaded = parse_deck(deck_file.read_bytes(), str(deck_file))
    assert loaded.deck is not None, loaded.problems
    result = {}
    for note in loaded.deck.notes:
        (path,) = note.all_images
        result[_organ(note.body.front)] = (path, (deck_file.parent / path).read_bytes())
    return result


def draw_on(data: Path, path: str) -> bytes:
    """She draws an arrow on a picture of the deck, in an image editor: her bytes."""
    file = data / "decks" / path
    with Image.open(file) as image:
        drawn = image.convert("RGB")
    ImageDraw.Draw(drawn).line((0, 0, 8, 8), fill="black", width=2)
    drawn.save(file)
    return file.read_bytes()


def each_note_its_own_file(data: Path) -> None:
    paths = [path.casefold() for path, _ in shown(data).values()]
    assert len(paths) == len(set(paths)), paths  # one file a note, even on a case-insensitive disk


def test_the_fixture_adds_names_that_clash_once_made_safe() -> None:
    assert EXPECTED["clashing"] == [".lung.png", "Heart.png"]
    assert set(V3) == {*V2, ".lung.png", "Heart.png"} and {name: V3[name] for name in V2} == V2
    assert V3["Heart.png"] not in (V3["heart.png"], V3["lung.png"]) and V3[".lung.png"] != V3["lung.png"]
    assert set(V4) == set(V3) - {"lung.png"} and V4["kidney.png"] == V3["kidney.png"]  # renamed: the same bytes
    assert EXPECTED["renamed"] == {"kidney.png": "renal.png"}


def test_pictures_added_with_clashing_names_leave_the_old_ones_where_they_were(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "v2")
    before = shown(tmp_path)
    heart_path, _ = before["heart.png"]
    hers = draw_on(tmp_path, heart_path)
    quiz_import(tmp_path, capsys, "v3")
    after = shown(tmp_path)
    assert after["heart.png"] == (heart_path, hers)  # her note shows the same file, her arrow on it
    assert {name: after[name] for name in ("brain.png", "lung.png", "kidney.png")} == {
        name: before[name] for name in ("brain.png", "lung.png", "kidney.png")
    }
    assert after["Heart.png"][1] == V3["Heart.png"] and after[".lung.png"][1] == V3[".lung.png"]  # each its own
    each_note_its_own_file(tmp_path)
    quiz_import(tmp_path, capsys, "v3")  # the same package again: nothing moves
    assert shown(tmp_path) == after


def test_pictures_whose_names_clash_there_first_keep_theirs_when_the_originals_come(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "clash-first")
    before = shown(tmp_path)
    hers = {name: draw_on(tmp_path, before[name][0]) for name in ("Heart.png", ".lung.png")}
    quiz_import(tmp_path, capsys, "v3")
    after = shown(tmp_path)
    assert {name: after[name] for name in hers} == {name: (before[name][0], hers[name]) for name in hers}
    assert after["heart.png"][1] == V3["heart.png"] and after["lung.png"][1] == V3["lung.png"]
    each_note_its_own_file(tmp_path)


def test_a_picture_renamed_in_the_package_keeps_its_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """The same bytes under a new name, the old name gone: the same picture, so her drawing on it stays shown."""
    quiz_import(tmp_path, capsys, "v3")
    kidney_path, _ = shown(tmp_path)["kidney.png"]
    hers = draw_on(tmp_path, kidney_path)
    _, out, err = quiz_import(tmp_path, capsys, "v4")
    assert shown(tmp_path)["kidney.png"] == (kidney_path, hers)
    assert not err and "renal" not in out
    assert not (tmp_path / "decks" / "anatomy-media" / "renal.png").exists()


def test_a_picture_gone_from_the_package_leaves_its_name_to_no_other(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """v4 drops the lung note and lung.png: the note of `.lung.png` (lung.png once made safe) still shows its own
    file, and the lung note, kept in the deck, still shows lung's picture; with --remove-missing too."""
    quiz_import(tmp_path, capsys, "v2")
    quiz_import(tmp_path, capsys, "v3")
    before = shown(tmp_path)
    quiz_import(tmp_path, capsys, "v4")
    after = shown(tmp_path)
    assert after["lung.png"] == before["lung.png"] and after[".lung.png"] == before[".lung.png"]
    assert after["lung.png"][1] == V3["lung.png"]
    quiz_import(tmp_path, capsys, "v4", "--remove-missing")
    after = shown(tmp_path)
    assert "lung.png" not in after and after[".lung.png"] == before[".lung.png"]
    assert (tmp_path / "decks" / before["lung.png"][0]).read_bytes() == V3["lung.png"]  # left, named by the record


def test_a_file_she_put_in_the_folder_herself_is_not_given_to_a_new_picture(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """`.lung.png` comes with v3 while lung.png is taken: `lung-2.png` would be its name, but she put a picture
    of her own under that name (for a note of her own): the new one takes another, even with --replace."""
    quiz_import(tmp_path, capsys, "v2")
    her_file = tmp_path / "decks" / "anatomy-media" / "lung-2.png"
    her_file.write_bytes(V3["brain.png"])  # any picture of hers
    for flags in ((), ("--replace",)):
        _, out, err = quiz_import(tmp_path, capsys, "v3", *flags)
        assert not err and "lung-2.png" not in out
        assert her_file.read_bytes() == V3["brain.png"]
        assert shown(tmp_path)[".lung.png"][1] == V3[".lung.png"]
        each_note_its_own_file(tmp_path)


def test_her_own_export_imported_back_gives_each_note_its_own_picture(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """quiz's export names each picture by its file: `lung.png` there is the picture of `.lung.png` (which v3 gave
    lung.png) and `lung-2.png` that of lung.png. The record's name for `lung.png` is not followed, since it is not
    the same picture: neither its bytes nor its note say so. Her drawing since the export stays hers."""
    quiz_import(tmp_path, capsys, "v3")
    exported = tmp_path / "mine.apkg"
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "anatomy", "-o", str(exported))
    assert code == 0, err
    before = shown(tmp_path)
    assert before[".lung.png"][0] == "anatomy-media/lung.png"  # the clash this test is about
    hers = draw_on(tmp_path, before[".lung.png"][0])
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(exported), "--deck-id", "anatomy")
    assert code == 0, err
    after = shown(tmp_path)
    assert after == before | {".lung.png": (before[".lung.png"][0], hers)}
    assert after["lung.png"][1] == V3["lung.png"]
    each_note_its_own_file(tmp_path)


def test_a_shared_deck_that_swaps_two_names_moves_no_picture() -> None:
    """heart.png and brain.png swap names in the package, each note showing the same bytes as before: each keeps
    its file (and her drawing on it), so no file takes the other's picture."""
    earlier = {"heart.png": "heart.png", "brain.png": "brain.png"}
    recorded = {"heart.png": "H", "brain.png": "B"}
    swapped = {"heart.png": "B", "brain.png": "H"}
    shown = {"heart.png": {"brain.png"}, "brain.png": {"heart.png"}}  # what each note showed there before
    assert kept_names(swapped, earlier, recorded, shown, shown) == {"heart.png": "brain.png", "brain.png": "heart.png"}
    # the same, without notes to tell: each picture follows its bytes
    assert kept_names(swapped, earlier, recorded, {}, {}) == {"heart.png": "brain.png", "brain.png": "heart.png"}


def test_an_earlier_name_is_kept_by_its_bytes_or_its_note_and_not_by_the_name_alone() -> None:
    earlier, recorded = {"a.png": "a.png"}, {"a.png": "1"}
    assert kept_names({"a.png": "1"}, earlier, recorded, {}, {}) == {"a.png": "a.png"}  # the same bytes
    assert kept_names({"a.png": "2"}, earlier, recorded, {}, {"a.png": {"a.png"}}) == {"a.png": "a.png"}  # updated
    # another picture with its recorded bytes, or whose note showed it, claims it: it goes to that one
    for b_bytes, b_note in (("1", {}), ("3", {"b.png": {"a.png"}})):
        names = kept_names({"a.png": "2", "b.png": b_bytes}, earlier, recorded, {}, b_note)
        assert names["a.png"] == "a-2.png", (b_bytes, b_note)
    # no picture was written under its name (her own file showed it): keeping the name moves none
    assert kept_names({"a.png": "2"}, earlier, {}, {}, {}) == {"a.png": "a.png"}


def test_a_folder_she_made_in_the_pictures_folder_is_not_given_to_a_new_picture(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "v2")
    hers = tmp_path / "decks" / "anatomy-media" / "Heart-2.png"  # what v3's Heart.png would be named
    hers.mkdir()
    (hers / "mine.txt").write_text("hers", encoding="utf-8")
    for flags in ((), ("--replace",)):
        quiz_import(tmp_path, capsys, "v3", *flags)
        assert [p.name for p in hers.iterdir()] == ["mine.txt"]
        path, data = shown(tmp_path)["Heart.png"]
        assert path == "anatomy-media/Heart-3.png" and data == V3["Heart.png"]
        each_note_its_own_file(tmp_path)


def test_after_an_import_with_no_pictures_a_file_she_put_there_is_still_hers(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """v2 without its media files first (Anki's package, the pictures left out): the record names no picture, and
    is still told from an older record, so heart.png, which she then puts in the folder for a note of her own, is
    known as hers when v2 brings its heart.png: that one takes another name, even with --replace."""
    without = tmp_path / "v2-without-pictures.apkg"
    with zipfile.ZipFile(DATA / "v2.apkg") as full, zipfile.ZipFile(without, "w") as out:
        for entry in full.infolist():
            if not entry.filename.isdigit():  # Anki's media files are named by number
                out.writestr(entry, full.read(entry))
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(without), "--deck-id", "anatomy")
    assert code == 0 and "not in the package" in err
    deck_file = tmp_path / "decks" / "anatomy.yaml"
    record = read_record(deck_file)
    assert record is not None and record.names == {}
    folder = tmp_path / "decks" / "anatomy-media"
    folder.mkdir()
    (folder / "heart.png").write_bytes(V3["Heart.png"])  # her own picture
    mine = (
        "  - id: my-heart\n    kind: basic\n    front: My heart\n    back: mine\n    image: anatomy-media/heart.png\n"
    )
    deck_file.write_text(deck_file.read_text(encoding="utf-8") + mine, encoding="utf-8")
    for flags in ((), ("--replace",)):
        quiz_import(tmp_path, capsys, "v2", *flags)
        assert (folder / "heart.png").read_bytes() == V3["Heart.png"]
        loaded = parse_deck(deck_file.read_bytes(), str(deck_file))
        assert loaded.deck is not None, loaded.problems
        images = {note.body.front: note.all_images for note in loaded.deck.notes}
        assert images["My heart"] == ("anatomy-media/heart.png",)
        (theirs,) = images["Name this organ (heart.png)"]
        assert theirs != "anatomy-media/heart.png" and (deck_file.parent / theirs).read_bytes() == V2["heart.png"]


def test_the_record_names_each_picture_by_its_name_in_the_package(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "v3")
    record = read_record(tmp_path / "decks" / "anatomy.yaml")
    assert record is not None
    paths = {name: path for name, (path, _) in shown(tmp_path).items()}
    assert record.names == {name: Path(path).name for name, path in paths.items()}


def forget_names(data: Path, deck_id: str = "anatomy") -> None:
    """The record of the deck `deck_id` as a quiz that kept no names wrote it."""
    path = record_path(data / "decks" / f"{deck_id}.yaml")
    old = json.loads(path.read_text(encoding="utf-8"))
    del old["names"]
    path.write_text(json.dumps(old), encoding="utf-8")


def test_a_record_without_names_is_read_and_each_picture_keeps_the_file_its_note_showed(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "v2")
    forget_names(tmp_path)
    before = shown(tmp_path)
    hers = draw_on(tmp_path, before["heart.png"][0])
    quiz_import(tmp_path, capsys, "v3")
    after = shown(tmp_path)
    assert after["heart.png"] == (before["heart.png"][0], hers)
    assert after["lung.png"] == before["lung.png"]
    each_note_its_own_file(tmp_path)


def test_a_record_without_names_whose_cleaned_name_sorted_first_keeps_each_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """v3 first: `.lung.png` was given lung.png (it sorts first) and lung.png lung-2.png. Plain names first would
    give lung.png back to lung.png: the .lung note would show lung's picture, and her drawing on its own move."""
    quiz_import(tmp_path, capsys, "v3")
    forget_names(tmp_path)
    before = shown(tmp_path)
    assert before[".lung.png"][0] == "anatomy-media/lung.png"  # the case this test is about
    hers = draw_on(tmp_path, before[".lung.png"][0])
    quiz_import(tmp_path, capsys, "v3")
    assert shown(tmp_path) == before | {".lung.png": (before[".lung.png"][0], hers)}
    record = read_record(tmp_path / "decks" / "anatomy.yaml")
    assert record is not None and record.names == {name: Path(path).name for name, (path, _) in before.items()}


def test_a_name_in_the_record_edited_into_a_path_is_not_followed(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "v2")
    heart_path, _ = shown(tmp_path)["heart.png"]
    hers = draw_on(tmp_path, heart_path)
    path = record_path(tmp_path / "decks" / "anatomy.yaml")
    record = json.loads(path.read_text(encoding="utf-8"))
    record["names"]["heart.png"] = "../../outside.png"
    path.write_text(json.dumps(record), encoding="utf-8")
    quiz_import(tmp_path, capsys, "v3")
    assert not (tmp_path / "outside.png").exists()
    assert shown(tmp_path)["heart.png"] == (heart_path, hers)  # its file found again by its recorded bytes
    each_note_its_own_file(tmp_path)


@pytest.mark.parametrize(
    ("kept_in", "bad"), [("record", ".."), ("record", "x\x00.png"), ("record", "a\nb.png"), ("pending", "x\x00.png")]
)
def test_a_picture_path_in_the_record_that_is_not_plain_is_not_followed(
    tmp_path: Path,
    capsys,  # noqa: ANN001
    bad: str,
    kept_in: str,
) -> None:
    """A path edited in the record (or the pending file) with the bytes of v3's new Heart.png: were it taken for a
    file whose picture was renamed, Heart.png's note would show it (a crash on NUL, a deck that no longer loads)."""
    quiz_import(tmp_path, capsys, "v2")
    deck_file = tmp_path / "decks" / "anatomy.yaml"
    heart = digest(V3["Heart.png"])
    path = record_path(deck_file) if kept_in == "record" else pending_path(deck_file)
    edited = json.loads(path.read_text(encoding="utf-8")) if kept_in == "record" else {"version": 1, "pictures": {}}
    edited["pictures"][f"anatomy-media/{bad}"] = heart if kept_in == "record" else [heart]
    path.write_text(json.dumps(edited), encoding="utf-8")
    quiz_import(tmp_path, capsys, "v3")
    heart_path, heart_bytes = shown(tmp_path)["Heart.png"]
    assert heart_path == "anatomy-media/Heart-2.png" and heart_bytes == V3["Heart.png"]
    each_note_its_own_file(tmp_path)


def test_names_kept_from_the_record_and_new_ones_clash_with_none() -> None:
    pictures = {"Heart.png": "h2", "heart.png": "h1", ".lung.png": "l2", "renal.png": "k1", "x/y.png": "y"}
    earlier = {"heart.png": "heart.png", "lung.png": "lung.png", "kidney.png": "kidney.png", "x:y.png": "x_y.png"}
    recorded = {"heart.png": "h1", "lung.png": "l1", "kidney.png": "k1", "x_y.png": "old"}
    names = kept_names(pictures, earlier, recorded, {}, {})
    assert names == {
        "heart.png": "heart.png",  # kept
        "renal.png": "kidney.png",  # renamed in the package: the same bytes as a picture gone from it
        "Heart.png": "Heart-2.png",  # new: a name no picture had
        ".lung.png": "lung-2.png",  # lung.png is gone from the package: its name stays its own
        "x/y.png": "x_y-2.png",
    }
    assert kept_names(pictures, {}, {}, {}, {}) == {
        ".lung.png": "lung.png",
        "Heart.png": "Heart.png",
        "heart.png": "heart-2.png",
        "renal.png": "renal.png",
        "x/y.png": "x_y.png",
    }


@pytest.mark.parametrize(
    "recorded", [{"heart.png": "h2", "heart-2.png": "h0"}, {"heart.png": "h2", "heart-2.png": "h1"}]
)
def test_a_record_without_names_gives_each_picture_the_file_its_note_showed(recorded: dict[str, str]) -> None:
    """`Heart.png` sorted first and was given heart.png: whatever the bytes (heart.png updated in the package, or
    not), each keeps its file."""
    shown = {"Heart.png": {"heart.png"}, "heart.png": {"heart-2.png"}}
    assert kept_names({"Heart.png": "h2", "heart.png": "h1"}, {}, recorded, shown, shown) == {
        "Heart.png": "heart.png",
        "heart.png": "heart-2.png",
    }


def test_a_record_without_names_follows_no_name_alone() -> None:
    """No note showed it there, and other bytes: the file of the same name is not this picture's."""
    assert kept_names({"heart.png": "h1"}, {}, {"heart.png": "h0"}, {}, {}) == {"heart.png": "heart-2.png"}
    assert kept_names({"heart.png": "h1"}, {}, {"heart.png": "h1"}, {}, {}) == {"heart.png": "heart.png"}  # its bytes


def test_a_file_taken_by_a_renamed_picture_is_its_own_from_then_on() -> None:
    earlier = {"kidney.png": "kidney.png", "lung.png": "lung.png"}
    names = kept_names({"renal.png": "k1"}, earlier, {"kidney.png": "k1", "lung.png": "l1"}, {}, {})
    assert names == {"renal.png": "kidney.png"}
    record = names_to_record(earlier, names)
    assert record == {"renal.png": "kidney.png", "lung.png": "lung.png"}
    # kidney.png back beside renal.png: a file of its own, not renal's
    assert kept_names({"kidney.png": "k2", "renal.png": "k1"}, record, {"kidney.png": "k1"}, {}, {}) == {
        "renal.png": "kidney.png",
        "kidney.png": "kidney-2.png",
    }


def test_a_record_giving_one_file_to_two_pictures_gives_it_to_one() -> None:
    shown = {"a.png": {"x.png"}, "b.png": {"X.png"}}
    names = kept_names({"a.png": "1", "b.png": "2"}, {"a.png": "x.png", "b.png": "X.png"}, {}, shown, shown)
    assert names == {"a.png": "x.png", "b.png": "b.png"}


def test_the_file_its_note_showed_is_not_taken_from_a_picture_the_record_gives_it() -> None:
    """z.png is new on the note that showed a.png: it takes a.png only when no other picture of the package has
    that file and no other note of the deck shows it (a.png's picture renamed and redrawn on its note)."""
    in_place = {"z.png": {"a.png"}}
    earlier, recorded = {"a.png": "a.png"}, {"a.png": "a"}
    assert kept_names({"z.png": "z"}, earlier, recorded, in_place, in_place, {"a.png"}) == {"z.png": "z.png"}
    both = {"z.png": "z", "a.png": "b"}  # a.png still in the package, on another note
    assert kept_names(both, earlier, recorded, in_place, in_place)["z.png"] == "z.png"
    assert kept_names({"z.png": "z"}, earlier, recorded, in_place, in_place) == {"z.png": "a.png"}


@pytest.mark.parametrize("edited", ["a\\b.png", "a:b.png", " heart.png"])
def test_a_file_a_note_of_the_record_shows_is_followed_only_when_its_name_is_plain(
    tmp_path: Path,
    capsys,  # noqa: ANN001
    edited: str,
) -> None:
    """The record's deck, edited, shows a name no picture can have (a separator on Windows, a leading space): a
    record without names would give the heart note's picture that file (her note, the same as the record's
    before, keeps showing heart.png); it keeps its own, found by its bytes, and the record says so."""
    quiz_import(tmp_path, capsys, "v2")
    forget_names(tmp_path)
    path = record_path(tmp_path / "decks" / "anatomy.yaml")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert "image: anatomy-media/heart.png" in record["deck"]
    record["deck"] = record["deck"].replace("image: anatomy-media/heart.png", f"image: 'anatomy-media/{edited}'")
    path.write_text(json.dumps(record), encoding="utf-8")
    quiz_import(tmp_path, capsys, "v2")
    assert shown(tmp_path)["heart.png"] == ("anatomy-media/heart.png", V2["heart.png"])
    assert json.loads(path.read_text(encoding="utf-8"))["names"]["heart.png"] == "heart.png"


def test_a_picture_does_not_take_its_earlier_file_from_a_note_gone_from_the_package(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """v3, her own export of it (which names lung.png's picture by its file lung-2.png, and `.lung.png`'s lung.png,
    so the record then gives lung.png to the package's `lung.png`), then v2, without `.lung.png`: v2's lung.png,
    other bytes on another note, does not take lung.png, which the `.lung.png` note, kept in the deck, shows."""
    quiz_import(tmp_path, capsys, "v3")
    exported = tmp_path / "mine.apkg"
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "anatomy", "-o", str(exported))
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(exported), "--deck-id", "anatomy")
    assert code == 0, err
    before = shown(tmp_path)
    assert before[".lung.png"] == ("anatomy-media/lung.png", V3[".lung.png"])
    for flags in ((), ("--replace",)):
        quiz_import(tmp_path, capsys, "v2", *flags)
        after = shown(tmp_path)
        assert after[".lung.png"] == before[".lung.png"]
        assert after["lung.png"][1] == V2["lung.png"]
        each_note_its_own_file(tmp_path)


def test_a_picture_renamed_and_redrawn_on_its_note_keeps_her_drawing(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """v1's kidney.png is renal.png in v4, redrawn: the same note's picture, so her drawing on kidney.png stays shown
    and the conflict is listed."""
    quiz_import(tmp_path, capsys, "v1")
    kidney_path, _ = shown(tmp_path)["kidney.png"]
    hers = draw_on(tmp_path, kidney_path)
    _, _, err = quiz_import(tmp_path, capsys, "v4")
    assert shown(tmp_path)["kidney.png"] == (kidney_path, hers)
    assert kidney_path in err and "you changed it" in err
