"""Importing the next version of a shared deck with pictures: a picture the user changed in `DECK-media/` (an
arrow drawn on it) is hers, kept as an edited note is, listed when the package changes it too, and taken from
the package only with --replace; a picture she did not touch takes the package's new version.

The packages are Anki's own (tests/data/anki/pictures, written by `tools/make_anki_fixtures.py pictures`): four
notes, each showing one picture; v2 is v1 with two pictures redrawn by the deck's author, under the same names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from quiz.commands import importing
from quiz.core.importers import import_file
from quiz.core.importers.model import Picture
from quiz.core.importers.pictures import digest, pictures_to_write
from quiz.core.importers.update import record_path
from tests.conftest import run_cli as run
from tests.core.test_anki_media import repackaged

DATA = Path(__file__).parents[1] / "data" / "anki" / "pictures"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
REDRAWN, KEPT = EXPECTED["redrawn"], EXPECTED["kept"]  # kidney and lung; brain and heart


def package_bytes(version: str) -> dict[str, bytes]:
    """Each picture of the package as quiz reads it, by file name."""
    media = import_file(DATA / f"{version}.apkg").media
    return {Path(path).name: picture.read() for path, picture in media.items()}


V1, V2 = package_bytes("v1"), package_bytes("v2")


def quiz_import(data: Path, capsys, version: str, *flags: str) -> tuple[int, str, str]:  # noqa: ANN001
    return run(capsys, "--data-dir", str(data), "import", str(DATA / f"{version}.apkg"), "--deck-id", "anatomy", *flags)


def picture(data: Path, name: str) -> Path:
    return data / "decks" / "anatomy-media" / name


def draw_on(path: Path) -> bytes:
    """She draws an arrow on the picture, in an image editor: her bytes."""
    with Image.open(path) as image:
        drawn = image.convert("RGB")
    ImageDraw.Draw(drawn).line((0, 0, 8, 8), fill="black", width=2)
    drawn.save(path)
    return path.read_bytes()


def identities(data: Path) -> dict[str, tuple[int, int]]:
    """Each picture's file (device, inode): a picture written again is a new file (written whole, then renamed)."""
    folder = data / "decks" / "anatomy-media"
    return {path.name: (path.stat().st_dev, path.stat().st_ino) for path in folder.iterdir()}


def recorded(data: Path) -> dict[str, str]:
    text = record_path(data / "decks" / "anatomy.yaml").read_text(encoding="utf-8")
    return {Path(path).name: value for path, value in json.loads(text).get("pictures", {}).items()}


@pytest.fixture
def first(tmp_path: Path, capsys) -> Path:  # noqa: ANN001
    code, out, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    assert "4 pictures in" in out
    return tmp_path


def test_the_fixture_redraws_two_pictures() -> None:
    assert sorted(REDRAWN) == ["kidney.png", "lung.png"] and sorted(KEPT) == ["brain.png", "heart.png"]
    assert all(V1[name] != V2[name] for name in REDRAWN) and all(V1[name] == V2[name] for name in KEPT)


def test_the_import_records_what_it_wrote_of_each_picture(first: Path) -> None:
    assert recorded(first) == {name: digest(data) for name, data in V1.items()}


def test_pictures_you_did_not_touch_take_the_new_version_and_only_those_are_written(first: Path, capsys) -> None:  # noqa: ANN001
    before = identities(first)
    code, out, err = quiz_import(first, capsys, "v2")
    assert code == 0, err
    assert "2 pictures in" in out and not err
    assert {name: picture(first, name).read_bytes() for name in V2} == V2
    after = identities(first)
    assert [name for name in sorted(V2) if after[name] == before[name]] == sorted(KEPT)  # not written again
    assert recorded(first) == {name: digest(data) for name, data in V2.items()}


def test_the_same_package_again_writes_no_picture_and_lists_none(first: Path, capsys) -> None:  # noqa: ANN001
    record, before = record_path(first / "decks" / "anatomy.yaml").read_bytes(), identities(first)
    code, out, err = quiz_import(first, capsys, "v1")
    assert code == 0, err
    assert "anatomy-media" not in out + err  # no picture written, none listed
    assert identities(first) == before
    assert record_path(first / "decks" / "anatomy.yaml").read_bytes() == record


def test_a_picture_you_drew_on_is_kept_and_listed_until_replace(first: Path, capsys) -> None:  # noqa: ANN001
    kidney = picture(first, "kidney.png")
    hers = draw_on(kidney)
    for _ in range(2):  # listed at every import until she decides
        code, out, err = quiz_import(first, capsys, "v2")
        assert code == 0, err
        assert err.splitlines() == [
            f"  {kidney}  (you changed it since the last import; v2.apkg changes it too)",
            "quiz: 1 picture kept as you have it, though v2.apkg changes it too (above); pass --replace to take the"
            " version of v2.apkg",
        ]
        assert kidney.read_bytes() == hers
        assert picture(first, "lung.png").read_bytes() == V2["lung.png"]  # the other one redrawn is updated
        assert recorded(first)["kidney.png"] == digest(V1["kidney.png"])  # still what quiz wrote
    code, out, err = quiz_import(first, capsys, "v2", "--replace")
    assert code == 0, err
    assert f"took the version of v2.apkg of 1 picture you had changed:\n  {kidney}  (you changed it" in out
    assert not err
    assert kidney.read_bytes() == V2["kidney.png"]
    code, out, err = quiz_import(first, capsys, "v2")
    assert code == 0 and "anatomy-media" not in out + err, out + err


def test_a_picture_you_drew_on_that_the_package_did_not_change_stays_yours_unlisted(first: Path, capsys) -> None:  # noqa: ANN001
    heart = picture(first, "heart.png")
    hers = draw_on(heart)
    code, out, err = quiz_import(first, capsys, "v2")
    assert code == 0, err
    assert not err
    assert heart.read_bytes() == hers
    code, out, err = quiz_import(first, capsys, "v2", "--replace")  # not a conflict: --replace leaves it too
    assert code == 0 and heart.read_bytes() == hers


def test_a_picture_you_deleted_comes_back_while_a_note_shows_it(first: Path, capsys) -> None:  # noqa: ANN001
    """The deck does not load with a picture of a note missing: the package's is written again, and recorded."""
    picture(first, "lung.png").unlink()
    picture(first, "heart.png").unlink()
    code, out, err = quiz_import(first, capsys, "v2")
    assert code == 0, err
    assert not err
    assert picture(first, "lung.png").read_bytes() == V2["lung.png"]
    assert picture(first, "heart.png").read_bytes() == V2["heart.png"]
    assert recorded(first)["lung.png"] == digest(V2["lung.png"])


def test_a_picture_you_deleted_with_its_note_stays_deleted(first: Path, capsys) -> None:  # noqa: ANN001
    deck = first / "decks" / "anatomy.yaml"
    text = deck.read_text(encoding="utf-8")
    start = text.rindex("  - id:", 0, text.index("image: anatomy-media/lung.png"))
    end = text.find("  - id:", start + 1)
    deck.write_text(text[:start] + (text[end:] if end != -1 else ""), encoding="utf-8")
    assert "anatomy-media/lung.png" not in deck.read_text(encoding="utf-8")
    picture(first, "lung.png").unlink()
    code, out, err = quiz_import(first, capsys, "v2")
    assert code == 0, err
    assert "kept as you have them: 0 notes you edited, 1 you deleted" in out
    assert not picture(first, "lung.png").exists() and "anatomy-media" not in err
    assert recorded(first)["lung.png"] == digest(V1["lung.png"])  # kept: a note may show it again


def test_an_older_record_without_pictures_takes_every_picture_that_differs_for_yours(first: Path, capsys) -> None:  # noqa: ANN001
    """A deck imported before quiz recorded its pictures: who changed a picture that differs from the package's
    is not known, so it is kept and listed, as a note is; one with the package's bytes is not."""
    path = record_path(first / "decks" / "anatomy.yaml")
    old = json.loads(path.read_text(encoding="utf-8"))
    del old["pictures"]
    path.write_text(json.dumps(old), encoding="utf-8")
    before = identities(first)
    code, out, err = quiz_import(first, capsys, "v2")
    assert code == 0, err
    for name in REDRAWN:
        assert f"  {picture(first, name)}  (no record of what quiz wrote there; yours differs from v2.apkg's)" in err
        assert picture(first, name).read_bytes() == V1[name]
    assert "quiz: 2 pictures kept as you have them, though v2.apkg changes them too (above)" in err
    assert identities(first) == before  # nothing written
    assert recorded(first) == {name: digest(V2[name]) for name in KEPT}  # the same bytes: known from now on
    code, out, err = quiz_import(first, capsys, "v2", "--replace")
    assert code == 0, err
    assert {name: picture(first, name).read_bytes() for name in V2} == V2
    assert recorded(first) == {name: digest(data) for name, data in V2.items()}


def test_a_failure_after_the_pictures_leaves_them_known_as_quiz_s(first: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    """The pictures are written before the deck and its record: an import stopped in between has named them in
    the record first, so the next version's import does not take them for hers."""
    deck = first / "decks" / "anatomy.yaml"
    deck_bytes = deck.read_bytes()

    def failing(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise OSError(28, "No space left on device", str(deck))

    monkeypatch.setattr(importing, "_write", failing)
    code, _, err = quiz_import(first, capsys, "v2")
    assert code != 0 and "No space left on device" in err
    assert picture(first, "lung.png").read_bytes() == V2["lung.png"] and deck.read_bytes() == deck_bytes
    monkeypatch.undo()
    code, out, err = quiz_import(first, capsys, "v1")  # back to v1: the pictures v2 wrote are quiz's
    assert code == 0, err
    assert not err
    assert {name: picture(first, name).read_bytes() for name in V1} == V1
    record = json.loads(record_path(deck).read_text(encoding="utf-8"))
    assert "pending" not in record and recorded(first) == {name: digest(data) for name, data in V1.items()}


def test_a_failed_first_import_leaves_no_pictures_folder(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    def failing(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise OSError(28, "No space left on device", "anatomy.yaml")

    monkeypatch.setattr(importing, "_write", failing)
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code != 0 and "No space left on device" in err
    assert not (tmp_path / "decks" / "anatomy-media").exists()


def test_a_picture_in_the_folder_before_a_first_import_is_yours_when_it_differs(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """No record: a deck file deleted, its pictures folder kept, the package imported anew."""
    folder = tmp_path / "decks" / "anatomy-media"
    folder.mkdir(parents=True)
    (folder / "lung.png").write_bytes(V2["lung.png"])
    (folder / "heart.png").write_bytes(V1["heart.png"])
    code, out, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    assert "2 pictures in" in out  # brain and kidney; heart has the package's bytes already
    assert (
        err.splitlines()[0]
        == f"  {folder / 'lung.png'}  (no record of what quiz wrote there; yours differs from v1.apkg's)"
    )
    assert (folder / "lung.png").read_bytes() == V2["lung.png"]
    assert "lung.png" not in recorded(tmp_path)


def test_a_file_that_cannot_be_read_is_never_taken_for_the_import_s(tmp_path: Path) -> None:
    """A picture's place holding something unreadable (here a folder) is hers, known origin or not."""
    (tmp_path / "media" / "x.png").mkdir(parents=True)
    shown = {"media/x.png": Picture(lambda: b"new", digest(b"new"))}
    for last in ({}, {"media/x.png": digest(b"old")}):
        found = pictures_to_write(tmp_path, shown, last, {}, replace_conflicts=False)
        assert not found.write and [c.path for c in found.conflicts] == ["media/x.png"]
        assert found.recorded == last


def test_a_picture_s_name_is_shown_as_the_file_is_named_never_as_terminal_codes(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """The name comes from the package: its control characters and `/` are made `_` in the file's name, and the
    conflict line shows that name, markup-looking text and all, as it is."""
    name = "\x1b[31m[b]red[/b]\x07.png"
    fields = f'<img src="{name}">'
    other = tmp_path / "other.png"
    Image.new("RGB", (9, 9), "green").save(other)
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    v1 = repackaged(tmp_path / "v1", fields, {"0": name}, {"0": b""})
    v2 = repackaged(tmp_path / "v2", fields, {"0": name}, {"0": other.read_bytes()})
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(v1))[0] == 0
    kept = data / "decks" / "hostile-media" / "_[31m[b]red[_b]_.png"
    hers = draw_on(kept)
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(v2))
    assert code == 0, err
    assert f"  {kept}  (you changed it since the last import; hostile.apkg changes it too)" in err.splitlines()
    assert "\x1b" not in err and "\x07" not in err
    assert kept.read_bytes() == hers
