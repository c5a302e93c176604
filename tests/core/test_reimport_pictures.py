"""Importing the next version of a shared deck with pictures: a picture the user changed in `DECK-media/` (an
arrow drawn on it) is hers, kept as an edited note is, listed when the package changes it too, and taken from
the package only with --replace; a picture she did not touch takes the package's new version.

The packages are Anki's own (tests/data/anki/pictures, written by `tools/make_anki_fixtures.py pictures`): four
notes, each showing one picture; v2 is v1 with two pictures redrawn by the deck's author, under the same names."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from quiz.commands import importing
from quiz.core.importers import import_file
from quiz.core.importers.model import Picture
from quiz.core.importers.pictures import digest, pictures_to_write
from quiz.core.importers.update import pending_path, pending_text, read_pending, record_path
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


def no_space(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
    """The deck file cannot be written (a full disk), after the pictures were."""
    raise OSError(28, "No space left on device", "anatomy.yaml")


def pictures_now(data: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (data / "decks" / "anatomy-media").iterdir()}


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


def test_her_drawings_brought_back_by_her_own_export_stay_hers_at_the_shared_deck_s_next_version(
    first: Path,
    capsys,  # noqa: ANN001
) -> None:
    """Her export holds her drawings: imported back, they are the bytes the files hold, not bytes quiz wrote, so
    the record keeps what the shared deck gave. v1 again leaves them; v2, which redraws kidney.png, lists it."""
    kidney, heart = picture(first, "kidney.png"), picture(first, "heart.png")
    hers = {kidney: draw_on(kidney), heart: draw_on(heart)}
    mine = first / "mine.apkg"
    code, _, err = run(capsys, "--data-dir", str(first), "export", "anatomy", "-o", str(mine))
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(mine), "--deck-id", "anatomy")
    assert code == 0 and "anatomy-media" not in out + err, out + err
    assert recorded(first) == {name: digest(data) for name, data in V1.items()}  # what quiz wrote, still
    code, out, err = quiz_import(first, capsys, "v1")
    assert code == 0 and "anatomy-media" not in out + err, out + err
    code, out, err = quiz_import(first, capsys, "v2")
    assert code == 0
    assert f"  {kidney}  (you changed it since the last import; v2.apkg changes it too)" in err.splitlines()
    assert {path: path.read_bytes() for path in hers} == hers


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

    record = record_path(deck).read_bytes()
    monkeypatch.setattr(importing, "_write", failing)
    code, _, err = quiz_import(first, capsys, "v2")
    assert code != 0
    folder = first / "decks" / "anatomy-media"
    assert err.splitlines() == [
        f"quiz: cannot write {deck}: No space left on device; 2 pictures written in {folder} (known as quiz's at the"
        f" next import); {deck} and its import record are as they were"
    ]
    assert picture(first, "lung.png").read_bytes() == V2["lung.png"] and deck.read_bytes() == deck_bytes
    # named in a small file of their own: the record, which holds the whole deck's text, is not written again
    assert record_path(deck).read_bytes() == record
    assert read_pending(deck) == {f"anatomy-media/{name}": {digest(V2[name])} for name in REDRAWN}
    monkeypatch.undo()
    code, out, err = quiz_import(first, capsys, "v1")  # back to v1: the pictures v2 wrote are quiz's
    assert code == 0, err
    assert not err
    assert {name: picture(first, name).read_bytes() for name in V1} == V1
    assert not pending_path(deck).exists() and recorded(first) == {name: digest(data) for name, data in V1.items()}


def test_a_failed_first_import_leaves_no_pictures_folder(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(importing, "_write", no_space)
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code != 0
    assert err.splitlines() == ["quiz: cannot write anatomy.yaml: No space left on device; nothing was imported"]
    assert sorted((tmp_path / "decks").iterdir()) == []  # neither the pictures folder nor the file naming them


def test_a_first_import_stopped_by_ctrl_c_leaves_nothing(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    """Ctrl-C while the deck (or a big deck's history) is written: the pictures folder, renamed into place
    already, goes too, so no folder of pictures stays that no record names."""

    def interrupted(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        assert sorted(pictures_now(tmp_path)) == sorted(V1)  # the folder is in place when it comes
        raise KeyboardInterrupt

    monkeypatch.setattr(importing, "_write", interrupted)
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 130
    assert err.splitlines() == ["quiz: the import was stopped; nothing was imported"]
    assert sorted((tmp_path / "decks").iterdir()) == []


def snapshot_at_write(monkeypatch, data: Path, kept: Path) -> None:  # noqa: ANN001
    """Copy the deck folder as `_write` starts (the pictures on the disk, the deck not yet), then stop: what a kill
    or a power cut at that moment leaves."""

    def killed(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        shutil.copytree(data / "decks", kept)
        raise KeyboardInterrupt

    monkeypatch.setattr(importing, "_write", killed)


def test_a_first_import_killed_before_its_deck_leaves_its_pictures_known_as_quiz_s(
    tmp_path: Path,
    capsys,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    """No clean-up runs at a kill: the pictures folder is in place with no deck and no record. The pending file,
    written before the folder was renamed into place, names what quiz wrote, so the next import of another
    version updates the pictures instead of keeping them as hers."""
    data, kept = tmp_path / "data", tmp_path / "kept"
    snapshot_at_write(monkeypatch, data, kept)
    quiz_import(data, capsys, "v1")
    monkeypatch.undo()
    shutil.rmtree(data / "decks")
    shutil.copytree(kept, data / "decks")
    # the deck and its record, staged before the history as hidden temporary files, never moved into place
    staged = {p.name for p in (data / "decks").iterdir() if p.name.endswith(".tmp")}
    assert {name.rsplit(".", 2)[0] for name in staged} == {".anatomy.yaml", ".anatomy.import.json"}
    assert sorted({p.name for p in (data / "decks").iterdir()} - staged) == [
        "anatomy-media",
        "anatomy.import-pending.json",
    ]
    gone = subprocess.Popen([sys.executable, "-c", ""])  # the killed import's process: named in its files, gone
    gone.wait()
    for name in staged:
        (data / "decks" / name).rename(data / "decks" / name.replace(f"quiz-{os.getpid()}-", f"quiz-{gone.pid}-"))
    code, out, err = quiz_import(data, capsys, "v2")
    assert code == 0, err
    assert not err and "2 pictures in" in out
    assert not [p for p in (data / "decks").iterdir() if p.name.endswith(".tmp")]  # the next import cleared them
    assert pictures_now(data) == V2
    assert recorded(data) == {name: digest(value) for name, value in V2.items()}
    assert not pending_path(data / "decks" / "anatomy.yaml").exists()


def test_every_picture_stopped_imports_wrote_is_known_until_a_record_names_them(
    first: Path,
    capsys,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    """Two updates stopped one after the other, each writing other pictures: the second keeps what the first
    named, so importing v1 again brings back all of v1's pictures (the second named only its own, and kidney and
    lung kept v2's bytes as hers)."""
    red = png("red")
    real_import = importing.import_file

    def brain_redrawn(*args, **kwargs) -> object:  # noqa: ANN002, ANN003
        result = real_import(*args, **kwargs)
        result.media["anatomy-media/brain.png"] = Picture(lambda: red, digest(red), "brain.png", "brain.png")
        return result

    monkeypatch.setattr(importing, "_write", no_space)
    assert quiz_import(first, capsys, "v2")[0] != 0  # kidney and lung written
    monkeypatch.setattr(importing, "import_file", brain_redrawn)
    assert quiz_import(first, capsys, "v2")[0] != 0  # brain written
    assert pictures_now(first) == {**V2, "brain.png": red}
    assert read_pending(first / "decks" / "anatomy.yaml") == {
        "anatomy-media/kidney.png": {digest(V2["kidney.png"])},
        "anatomy-media/lung.png": {digest(V2["lung.png"])},
        "anatomy-media/brain.png": {digest(red)},
    }
    monkeypatch.undo()
    code, out, err = quiz_import(first, capsys, "v1")
    assert code == 0, err
    assert not err and "3 pictures in" in out
    assert pictures_now(first) == V1


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (9, 9), colour).save(out, "PNG")
    return out.getvalue()


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
    shown = {"media/x.png": Picture(lambda: b"new", digest(b"new"), "x.png", "x.png")}
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


def store_deleted_after(write: Callable[..., None], store: Path) -> Callable[..., None]:
    """`_write`, then the store file deleted while quiz holds it open: the history's commit fails (the store is
    gone) after the deck, its record and its pictures are written."""

    def writing(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        write(*args, **kwargs)
        os.unlink(store)

    return writing


@pytest.mark.parametrize("over_another_deck", [False, True])
def test_a_failed_commit_of_the_history_keeps_the_deck_with_its_pictures_and_says_so(
    tmp_path: Path,
    capsys,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
    over_another_deck: bool,
) -> None:
    """A package with pictures and a review log: its deck and record are written inside the history's
    transaction. When the commit fails after them, the pictures stay with the deck (it loads), the message says
    what was written, and importing the same file again brings the history."""
    data, apkg = tmp_path / "data", Path(__file__).parents[1] / "data" / "anki" / "current.apkg"
    deck = data / "decks" / "current.yaml"
    flags = []
    if over_another_deck:
        deck.parent.mkdir(parents=True)
        deck.write_text(
            "deck: other\ntitle: Other\ncards:\n  - {id: a, kind: basic, front: x, back: y}\n", encoding="utf-8"
        )
        flags = ["--replace"]
    monkeypatch.setattr(importing, "_write", store_deleted_after(importing._write, data / "quiz.sqlite3"))
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg), *flags)
    assert code != 0
    folder = data / "decks" / "current-media"
    replacing = " (replacing deck 'other' (not imported from it))" if over_another_deck else ""
    assert (
        f"; the deck {deck} and its import record are in place{replacing}, and 2 pictures written in {folder}, but"
        " not the history: import the file again once this is fixed, to add it" in err
    )
    assert "nothing was imported" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["occluded.png", "pixel.png"]
    monkeypatch.undo()
    code, out, err = run(capsys, "--data-dir", str(data), "list")  # the deck loads: its pictures are there
    assert code == 0 and "current" in out and "current.yaml" not in err, err
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0, err
    assert "history: " in out and "reviews from Anki's review log" in out


def test_a_stopped_replace_with_no_readable_record_leaves_its_pictures_known_as_quiz_s(
    first: Path,
    capsys,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    """With no readable record a picture that differs from the package's is hers; one an import stopped after
    writing it (--replace took v2's) is still quiz's, so importing v1 again brings v1's back without a word."""
    record_path(first / "decks" / "anatomy.yaml").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(importing, "_write", no_space)
    assert quiz_import(first, capsys, "v2", "--replace")[0] != 0
    assert pictures_now(first) == V2
    monkeypatch.undo()
    code, out, err = quiz_import(first, capsys, "v1")
    assert code == 0, err
    assert "anatomy-media" not in err and "2 pictures in" in out
    assert pictures_now(first) == V1


def test_the_next_version_found_by_its_notes_keeps_the_pictures_you_changed(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """No --deck-id: v2.apkg updates the deck v1.apkg made (found by the notes' GUIDs), pictures as with it."""
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "v1.apkg"))
    assert code == 0, err
    folder = tmp_path / "decks" / "v1-media"
    hers = draw_on(folder / "kidney.png")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "v2.apkg"))
    assert code == 0, err
    assert "updated: 0 updated, 0 new, 4 unchanged" in out and "1 picture in" in out
    assert (
        err.splitlines()[0]
        == f"  {folder / 'kidney.png'}  (you changed it since the last import; v2.apkg changes it too)"
    )
    assert (folder / "kidney.png").read_bytes() == hers and (folder / "lung.png").read_bytes() == V2["lung.png"]
    assert sorted(p.name for p in (tmp_path / "decks").iterdir()) == ["v1-media", "v1.import.json", "v1.yaml"]


def test_a_picture_a_stopped_import_wrote_that_no_note_shows_is_recorded_as_quiz_s(tmp_path: Path) -> None:
    """Its note gone from the package since: the record takes the digest its file holds among those pending, so
    a note showing it again later finds it quiz's; a file holding none of them stays hers."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.png").write_bytes(b"second")
    (tmp_path / "media" / "b.png").write_bytes(b"hers")
    pending = {
        "media/a.png": frozenset({digest(b"first"), digest(b"second")}),
        "media/b.png": frozenset({digest(b"x")}),
    }
    found = pictures_to_write(tmp_path, {}, {"media/b.png": digest(b"old")}, pending, replace_conflicts=False)
    assert found.recorded == {"media/a.png": digest(b"second"), "media/b.png": digest(b"old")}


def test_the_pending_file_adds_to_what_it_named(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    pending_path(deck).write_text(pending_text({}, {"m/a.png": "1", "m/b.png": "2"}), encoding="utf-8")
    pending_path(deck).write_text(pending_text(read_pending(deck), {"m/a.png": "3"}), encoding="utf-8")
    assert read_pending(deck) == {"m/a.png": {"1", "3"}, "m/b.png": {"2"}}


def record_rename_fails(monkeypatch, error: Callable[[], BaseException]) -> None:  # noqa: ANN001
    """The deck file is renamed into place, then the record's rename fails (a full disk, or Ctrl-C while a big
    deck's record syncs): `error()`, a new exception each time, as a real one is (one kept from run to run keeps
    the traceback of its last raise, and so the frames of the import it stopped and all they held)."""
    from quiz.core import atomicfile

    replace = os.replace

    def failing(source, destination) -> None:  # noqa: ANN001
        if str(destination).endswith(".import.json"):
            raise error()
        replace(source, destination)

    monkeypatch.setattr(atomicfile.os, "replace", failing)


@pytest.mark.parametrize(
    "error", [lambda: OSError(5, "Input/output error"), KeyboardInterrupt], ids=["error", "ctrl-c"]
)
def test_a_first_import_stopped_after_its_deck_keeps_the_pictures_the_deck_shows(
    tmp_path: Path,
    capsys,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
    error: Callable[[], BaseException],
) -> None:
    """Stopped between the deck's rename and the record's: the deck is in place, so its pictures stay (it loads),
    known as quiz's by the pending file, and the message says what is written, not 'nothing was imported'."""
    record_rename_fails(monkeypatch, error)
    deck = tmp_path / "decks" / "anatomy.yaml"
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == (130 if error is KeyboardInterrupt else 1)
    folder = tmp_path / "decks" / "anatomy-media"
    assert f"the deck {deck} is in place, and 4 pictures written in {folder}, but not its import record" in err
    assert "nothing was imported" not in err
    assert pictures_now(tmp_path) == V1 and pending_path(deck).exists()
    monkeypatch.undo()
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "list")  # the deck loads: its pictures are there
    assert code == 0 and "anatomy" in out and "not loaded" not in out + err
    code, _, err = quiz_import(tmp_path, capsys, "v2")  # the next import knows them as quiz's: no conflict
    assert code == 0 and "anatomy-media" not in err, err
    assert pictures_now(tmp_path) == V2


def test_a_replace_stopped_after_the_deck_says_the_deck_was_replaced(
    tmp_path: Path,
    capsys,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    """--replace over another deck, stopped after the deck's rename: she is told her deck was replaced (not
    'nothing was imported', which would leave her no reason to look for it)."""
    deck = tmp_path / "decks" / "anatomy.yaml"
    deck.parent.mkdir(parents=True)
    deck.write_text("deck: anatomy\ntitle: Mine\ncards:\n  - {id: a, kind: basic, front: x, back: y}\n", "utf-8")
    record_rename_fails(monkeypatch, lambda: OSError(28, "No space left on device"))
    code, _, err = quiz_import(tmp_path, capsys, "v1", "--replace")
    assert code == 1
    assert f"the deck {deck} is in place (replacing deck 'anatomy'" in err and "nothing was imported" not in err
    assert "Mine" not in deck.read_text(encoding="utf-8") and pictures_now(tmp_path) == V1


def test_a_killed_first_import_s_half_filled_pictures_folder_goes_at_the_next(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """Killed while the pictures were written, a first import leaves their folder under its hidden temporary
    name (its process named in it): the next import of the deck removes it."""
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    half = tmp_path / "decks" / f".anatomy-media.quiz-{gone.pid}-0123abcd.tmp"
    half.mkdir(parents=True)
    (half / "heart.png").write_bytes(b"half a picture")
    code, out, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    assert not half.exists() and pictures_now(tmp_path) == V1
