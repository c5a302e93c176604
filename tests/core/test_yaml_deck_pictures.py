"""A YAML deck's pictures go along: `quiz import DECK.yaml` copies them beside the imported deck (as a package's
are), and `quiz export DECK -o elsewhere/copy.yaml` copies them beside the file it writes, so both load."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.exporters import ExportError, export_deck
from quiz.core.importers.update import record_path
from tests.conftest import run_cli as run
from tests.core.test_apkg_pictures import PNGS

ROOT = Path(__file__).parents[2]
DECK = """\
deck: img
title: Img
cards:
  - id: heart
    kind: basic
    front: What is this?
    back: A heart
    image: pics/heart.png
  - id: lung
    kind: basic
    front: And this?
    back: A lung
    image: [pics/heart.png, other/heart.png]
"""


def deck_with_pictures(folder: Path) -> Path:
    (folder / "pics").mkdir(parents=True)
    (folder / "other").mkdir()
    (folder / "pics" / "heart.png").write_bytes(PNGS[0])
    (folder / "other" / "heart.png").write_bytes(PNGS[1])
    deck = folder / "img.yaml"
    deck.write_text(DECK, encoding="utf-8")
    return deck


def test_import_of_a_yaml_deck_copies_its_pictures_beside_the_imported_deck(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "imgdeck")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    assert "warning" not in err
    assert "2 pictures in" in out
    written = load_deck_file(data / "decks" / "img.yaml")
    assert written.ok and written.deck is not None
    images = {note.id: note.images for note in written.deck.notes}
    assert images == {"heart": ("img-media/heart.png",), "lung": ("img-media/heart.png", "img-media/heart-2.png")}
    assert (data / "decks" / "img-media" / "heart.png").read_bytes() == PNGS[0]
    assert (data / "decks" / "img-media" / "heart-2.png").read_bytes() == PNGS[1]


def test_a_picture_redrawn_in_a_new_version_of_an_added_deck_is_named_not_taken_silently(
    capsys, tmp_path: Path
) -> None:
    """A deck added with `quiz add` keeps its pictures at its own paths; the import of its new version keeps them
    (they are the deck's, as for a deck of yours back from Anki), and now names each one whose new version differs,
    so a teacher's corrected picture is not lost without a word. One the new version leaves as it was is not named.
    The message said to copy "those of img.yaml" over hers without saying where they were: it names each file."""
    deck = deck_with_pictures(tmp_path / "teacher")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "add", str(deck))[0] == 0
    (deck.parent / "pics" / "heart.png").write_bytes(PNGS[2])  # redrawn; other/heart.png stays
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    yours, new = data / "decks" / "pics" / "heart.png", deck.parent / "pics" / "heart.png"
    assert err.splitlines() == [
        "pictures kept as your deck has them, though img.yaml has others under their names (1 picture; to take"
        " one, copy the new version, after the arrow, over yours):",
        f"  {yours}  <-  {new}",
    ]
    assert yours.read_bytes() == PNGS[0]  # kept, as the deck's
    shutil.copyfile(new, yours)  # as the message says: the new version is taken, and nothing more is said
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert (code, err) == (0, "")
    assert yours.read_bytes() == PNGS[2]


def test_a_comment_in_a_deck_added_with_quiz_add_is_not_called_the_student_s_own(capsys, tmp_path: Path) -> None:
    """The teacher's comment came with the file an older `quiz add` copied, which wrote no import record: quiz
    cannot tell it from the student's, so the update that would drop it names it as a comment, without calling it
    theirs; nor is a note gone from the new version said to be edited by them."""
    teacher = tmp_path / "teacher" / "pharm.yaml"
    teacher.parent.mkdir()
    card = "  - id: {0}\n    kind: basic\n    front: Antidote for {1}?\n    back: {2}\n"
    warfarin, heparin = card.format("w", "warfarin", "K"), card.format("h", "heparin", "Protamine")
    opioids = card.format("n", "opioids", "Naloxone")
    head = "deck: pharm\ntitle: P\ncards:\n"
    teacher.write_text("# Week 1: ask me in class\n" + head + warfarin + heparin, encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "add", str(teacher))[0] == 0
    copy = data / "decks" / "pharm.yaml"
    record_path(copy).unlink()  # as an older quiz added it
    teacher.write_text(head + warfarin + opioids, encoding="utf-8")  # heparin's card gone, one for opioids added
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(teacher))
    assert code == 1 and err.splitlines()[0] == f"{copy}:1:1: comment '# Week 1: ask me in class'"
    assert "your comment" not in err and "comments of yours" not in err
    assert f"{copy} has comments (above: yours, or its author's, which no import record tells apart)" in err
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--drop-comments", str(teacher))
    assert code == 0, err
    assert "dropped 1 comment (yours, or its author's) from pharm.yaml (--drop-comments)" in out.splitlines()
    gone = "  h  Antidote for heparin?  (no import record tells whether you edited it: removed only with --replace)"
    assert gone in out.splitlines()
    assert "of yours" not in out and "edited by you" not in out


def test_import_of_the_example_deck_keeps_its_occlusion_card_and_picture(capsys, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs" / "pictures", tmp_path / "docs" / "pictures")
    shutil.copy(ROOT / "docs" / "example-deck.yaml", tmp_path / "docs")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "docs" / "example-deck.yaml"))
    assert code == 0, err
    assert "skipped" not in out + err
    original = load_deck_file(ROOT / "docs" / "example-deck.yaml").deck
    imported = load_deck_file(data / "decks" / "example.yaml").deck
    assert original is not None and imported is not None
    assert [n.id for n in imported.notes] == [n.id for n in original.notes]
    occlusion = next(n for n in imported.notes if n.kind == "occlusion")
    assert occlusion.images == ("example-media/synapse.png",)
    copied = data / "decks" / "example-media" / "synapse.png"
    assert copied.read_bytes() == (ROOT / "docs" / "pictures" / "synapse.png").read_bytes()


def test_a_missing_picture_is_a_warning_where_the_deck_names_it_and_the_card_comes_without_it(
    capsys, tmp_path: Path
) -> None:
    deck = deck_with_pictures(tmp_path)
    (tmp_path / "other" / "heart.png").unlink()
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    assert f"{deck}:13:29: warning: card lung: image 'other/heart.png' does not exist" in err
    written = load_deck_file(data / "decks" / "img.yaml").deck
    assert written is not None
    assert {note.id: note.images for note in written.notes} == {
        "heart": ("img-media/heart.png",),
        "lung": ("img-media/heart.png",),
    }


def test_a_yaml_export_elsewhere_copies_the_pictures_so_the_copy_loads_and_imports(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "decks")
    data, out_dir = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    out_dir.mkdir()
    code, out, err = run(capsys, "--data-dir", str(data), "export", str(deck), "-o", str(out_dir / "copy.yaml"))
    assert code == 0, err
    assert "copied 2 pictures beside it" in out
    assert (out_dir / "pics" / "heart.png").read_bytes() == PNGS[0]
    assert (out_dir / "other" / "heart.png").read_bytes() == PNGS[1]
    assert load_deck_file(out_dir / "copy.yaml").ok
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(out_dir / "copy.yaml"), "--deck-id", "copy")
    assert code == 0, err
    # into a folder of the deck's own folder: the same
    (tmp_path / "decks" / "sub").mkdir()
    sub = tmp_path / "decks" / "sub" / "copy.yaml"
    code, out, err = run(capsys, "--data-dir", str(data), "export", str(deck), "-o", str(sub))
    assert code == 0 and "copied 2 pictures" in out, err
    assert load_deck_file(sub).ok
    # beside the deck itself: its pictures are there already
    code, out, err = run(capsys, "--data-dir", str(data), "export", str(deck), "-o", str(deck.parent / "c2.yml"))
    assert code == 0 and "copied" not in out, err


def test_a_yaml_export_never_replaces_another_file_where_a_picture_goes(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "decks")
    out_dir = tmp_path / "out"
    (tmp_path / "data").mkdir()
    (out_dir / "other").mkdir(parents=True)
    (out_dir / "other" / "heart.png").write_bytes(PNGS[2])
    (out_dir / "pics").mkdir()
    (out_dir / "pics" / "heart.png").write_bytes(PNGS[0])  # the same picture: it may stay
    args = ("--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(out_dir / "copy.yaml"))
    code, _, err = run(capsys, *args)
    assert code == 1
    assert f"{out_dir / 'other' / 'heart.png'} already exists and is another file" in err
    assert (out_dir / "other" / "heart.png").read_bytes() == PNGS[2]
    assert not (out_dir / "copy.yaml").exists()
    # a folder there that is a link leading out of the folder written to: nothing written through it
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(out_dir / "other")
    (out_dir / "other").symlink_to(outside)
    code, _, err = run(capsys, *args)
    assert code == 1 and "leads outside" in err
    assert not list(outside.iterdir()) and not (out_dir / "copy.yaml").exists()


def _import_again_with(capsys, deck: Path, data: Path, first_card: str) -> dict[str, tuple[str, ...]]:
    """The deck imported, then again with `first_card` (YAML lines) before its cards: each card's pictures."""
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    deck.write_text(DECK.replace("cards:\n", f"cards:\n{first_card}"), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    written = load_deck_file(data / "decks" / "img.yaml").deck
    assert written is not None
    return {note.id: note.images for note in written.notes}


def test_a_card_added_before_the_others_moves_no_picture_to_another_file(capsys, tmp_path: Path) -> None:
    # each picture is known by its path in the deck's folder: a name given in card order (`heart-2.png`) moved
    deck = deck_with_pictures(tmp_path / "src")
    data, media = tmp_path / "data", tmp_path / "data" / "decks" / "img-media"
    kidney = "  - id: kidney\n    kind: basic\n    front: F\n    back: B\n    image: other/heart.png\n"
    images = _import_again_with(capsys, deck, data, kidney)
    assert images == {
        "kidney": ("img-media/heart-2.png",),
        "heart": ("img-media/heart.png",),
        "lung": ("img-media/heart.png", "img-media/heart-2.png"),
    }
    assert (media / "heart.png").read_bytes() == PNGS[0]
    assert (media / "heart-2.png").read_bytes() == PNGS[1]


def test_a_new_picture_of_the_same_name_takes_a_new_file_and_overwrites_none(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "src")
    (deck.parent / "third").mkdir()
    (deck.parent / "third" / "heart.png").write_bytes(PNGS[2])
    data, media = tmp_path / "data", tmp_path / "data" / "decks" / "img-media"
    kidney = "  - id: kidney\n    kind: basic\n    front: F\n    back: B\n    image: third/heart.png\n"
    images = _import_again_with(capsys, deck, data, kidney)
    assert images == {
        "kidney": ("img-media/heart-3.png",),
        "heart": ("img-media/heart.png",),
        "lung": ("img-media/heart.png", "img-media/heart-2.png"),
    }
    assert [(media / f"heart{n}.png").read_bytes() for n in ("", "-2", "-3")] == PNGS[:3]
    record = json.loads((data / "decks" / "img.import.json").read_text(encoding="utf-8"))
    assert record["names"] == {
        "pics/heart.png": "heart.png",
        "other/heart.png": "heart-2.png",
        "third/heart.png": "heart-3.png",
    }


def test_cards_reordered_keep_their_pictures(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "src")
    data, media = tmp_path / "data", tmp_path / "data" / "decks" / "img-media"
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    heart, lung = DECK.split("  - id: ")[1:]
    deck.write_text(DECK.replace(heart, "@").replace(lung, heart).replace("@", lung), encoding="utf-8")
    deck.write_text(deck.read_text().replace("[pics/heart.png, other/heart.png]", "[other/heart.png, pics/heart.png]"))
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    written = load_deck_file(data / "decks" / "img.yaml").deck
    assert written is not None
    assert {note.id: note.images for note in written.notes} == {
        "lung": ("img-media/heart-2.png", "img-media/heart.png"),
        "heart": ("img-media/heart.png",),
    }
    assert (media / "heart.png").read_bytes() == PNGS[0]
    assert (media / "heart-2.png").read_bytes() == PNGS[1]


def test_an_occlusion_card_whose_picture_is_missing_is_skipped_said_once(capsys, tmp_path: Path) -> None:
    deck = tmp_path / "occ.yaml"
    deck.write_text(
        "deck: occ\ntitle: Occ\ncards:\n"
        "  - id: o1\n    kind: occlusion\n    image: pics/x.png\n"
        "    regions:\n      - {x: 0.1, y: 0.1, w: 0.2, h: 0.2, label: A}\n"
        "  - id: b\n    kind: basic\n    front: a\n    back: b\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(deck))
    assert code == 0, err
    assert "1 row skipped" in out
    assert err.strip().splitlines() == [
        f"{deck}:6:12: warning: card o1: row skipped: image 'pics/x.png' does not exist"
        f" — put the picture at {tmp_path / 'pics' / 'x.png'} or correct the path, then import again"
    ]


def test_a_yaml_export_checks_every_picture_s_place_first_and_leaves_nothing_when_it_stops(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    deck = deck_with_pictures(tmp_path / "decks")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (tmp_path / "data").mkdir()
    (out_dir / "pics").write_text("hi", encoding="utf-8")  # a file where a folder of pictures goes
    args = ("--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(out_dir / "copy.yaml"))
    code, _, err = run(capsys, *args)
    assert code == 1
    assert f"quiz: {out_dir / 'pics'} is a file where the pictures' folder goes (pics/heart.png)" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["pics"]  # nothing written, other/heart.png included
    # stopped while writing (here the deck file): the pictures and folders it made are removed
    (out_dir / "pics").unlink()

    def fail(path: Path) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("quiz.core.exporters.yamldeck.text_file", fail)
    code, _, err = run(capsys, *args)
    assert code == 1 and f"cannot write {out_dir / 'copy.yaml'}: No space left on device" in err
    assert not list(out_dir.iterdir())


def test_force_refreshes_a_yaml_export_s_pictures(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "decks")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    data = ("--data-dir", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    code, _, err = run(capsys, *data, "export", str(deck), "-o", str(out_dir / "copy.yaml"))
    assert code == 0, err
    (deck.parent / "pics" / "heart.png").write_bytes(PNGS[2])  # redrawn since
    code, _, err = run(capsys, *data, "export", str(deck), "-o", str(out_dir / "copy2.yaml"))
    assert code == 1
    assert f"{out_dir / 'pics' / 'heart.png'} already exists and is another file; pass --force to replace it" in err
    code, out, err = run(capsys, *data, "export", str(deck), "-o", str(out_dir / "copy.yaml"), "--force")
    assert code == 0, err
    assert "copied 1 picture beside it" in out
    assert (out_dir / "pics" / "heart.png").read_bytes() == PNGS[2]
    assert (out_dir / "other" / "heart.png").read_bytes() == PNGS[1]


def test_one_picture_spelled_three_ways_is_one_picture_imported_and_exported(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "a.png").write_bytes(PNGS[0])
    deck = folder / "d.yaml"
    cards = "".join(
        f"  - id: c{n}\n    kind: basic\n    front: Q{n}\n    back: A{n}\n    image: {image}\n"
        for n, image in enumerate(["./pics/a.png", "pics//a.png", "pics/a.png", "[pics/a.png, ./pics/a.png]"])
    )
    deck.write_text(f"deck: d\ntitle: D\ncards:\n{cards}", encoding="utf-8")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    assert "1 picture in" in out
    assert [p.name for p in (data / "decks" / "d-media").iterdir()] == ["a.png"]
    imported = load_deck_file(data / "decks" / "d.yaml").deck
    assert imported is not None
    assert {note.images for note in imported.notes} == {("d-media/a.png",)}
    # exported elsewhere: copied once (it stopped at the second copy), and once into an Anki package
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run(capsys, "--data-dir", str(data), "export", str(deck), "-o", str(out_dir / "copy.yaml"))
    assert code == 0, err
    assert "copied 1 picture beside it" in out
    assert (out_dir / "pics" / "a.png").read_bytes() == PNGS[0]
    code, _, err = run(capsys, "--data-dir", str(data), "export", str(deck), "-o", str(out_dir / "copy.apkg"))
    assert code == 0, err
    with zipfile.ZipFile(out_dir / "copy.apkg") as package:
        assert json.loads(package.read("media")) == {"0": "a.png"}
    # added as it is: one picture beside it
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "other-data"), "add", str(deck))
    assert code == 0, err
    assert "with 1 picture beside it" in out


def test_a_picture_that_cannot_be_copied_is_named_with_its_card_and_nothing_is_left(
    monkeypatch, tmp_path: Path
) -> None:
    deck_file = deck_with_pictures(tmp_path / "decks")
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    # gone since the deck was loaded: said before anything is written, where the deck names it
    (deck_file.parent / "pics" / "heart.png").rename(deck_file.parent / "kept.png")
    with pytest.raises(ExportError) as refused:
        export_deck(deck, out_dir / "copy.yaml", 0)
    assert str(refused.value).startswith(f"{deck_file}:4: card 'heart': image 'pics/heart.png' does not exist")
    assert not list(out_dir.iterdir())
    (deck_file.parent / "kept.png").rename(deck_file.parent / "pics" / "heart.png")
    # unreadable as it is copied (after other/heart.png was): the picture and its card, and nothing left
    read_bytes = Path.read_bytes

    def locked(path: Path) -> bytes:
        if path == deck_file.parent / "pics" / "heart.png":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(ExportError) as refused:
        export_deck(deck, out_dir / "copy.yaml", 0)
    assert str(refused.value) == (
        f"{deck_file}:4: card 'heart': image 'pics/heart.png' cannot be copied (Permission denied);"
        f" check {deck_file.parent / 'pics' / 'heart.png'}, then export again"
    )
    assert not list(out_dir.iterdir())
    # with --force over an earlier export, the one it would replace stays as it was
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    export_deck(deck, out_dir / "copy.yaml", 0)
    (out_dir / "other" / "heart.png").write_bytes(PNGS[2])  # to be replaced (the first in order)
    (out_dir / "pics" / "heart.png").unlink()  # to be copied again, and unreadable
    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(ExportError):
        export_deck(deck, out_dir / "copy.yaml", 0, force=True)
    assert (out_dir / "other" / "heart.png").read_bytes() == PNGS[2]
    assert not (out_dir / "pics" / "heart.png").exists()


def test_a_yaml_export_into_the_deck_folder_is_refused_as_a_second_deck(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "src")
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    decks = data / "decks"
    before = sorted(p.relative_to(decks) for p in decks.rglob("*"))
    for output in (decks / "copy.yaml", decks / "sub" / "copy.yml"):
        output.parent.mkdir(exist_ok=True)
        code, _, err = run(capsys, "--data-dir", str(data), "export", "img", "-o", str(output))
        assert code == 1
        assert f"quiz: {output} is in the deck folder {decks}, where a copy of deck 'img' is a second deck" in err
    assert sorted(p.relative_to(decks) for p in decks.rglob("*")) == [*before, Path("sub")]
    shared = tmp_path / "shared"  # a folder of decks linked in, named by its own path: its decks load too
    shared.mkdir()
    (decks / "shared").symlink_to(shared)
    code, _, err = run(capsys, "--data-dir", str(data), "export", "img", "-o", str(shared / "copy.yaml"))
    assert code == 1 and "where a copy of deck 'img' is a second deck" in err
    assert list(shared.iterdir()) == []
    (decks / "shared").unlink()
    code, out, err = run(capsys, "--data-dir", str(data), "list")
    assert "img " in out and "not loaded" not in out + err
    # elsewhere, and as a table in the deck folder, it is written
    (tmp_path / "out").mkdir()
    code, _, err = run(capsys, "--data-dir", str(data), "export", "img", "-o", str(tmp_path / "out" / "copy.yaml"))
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(data), "export", "img", "-o", str(decks / "img.csv"))
    assert code == 0, err


def test_an_export_over_the_deck_s_own_file_is_refused_and_keeps_her_comments(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    mine = "# mine: keep!\ndeck: self\ntitle: Self\ncards:\n  # week 1\n  - {id: a, kind: basic, front: A?, back: a}"
    outside = tmp_path / "elsewhere" / "self.yaml"  # a deck named by its path, out of the deck folder
    outside.parent.mkdir()
    mine += "\n"
    outside.write_text(mine, encoding="utf-8")
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "self.yaml").write_text(mine, encoding="utf-8")
    for deck, own in (("self", data / "decks" / "self.yaml"), (str(outside), outside)):
        for force in ((), ("--force",)):  # refused before --force is asked for
            code, _, err = run(capsys, "--data-dir", str(data), "export", deck, "-o", str(own), *force)
            assert code == 1
            assert f"quiz: {own} is the file of deck 'self' itself" in err and "to another file" in err
        assert own.read_text(encoding="utf-8") == mine


def test_an_export_removes_what_an_export_killed_midway_left(capsys, tmp_path: Path) -> None:
    deck = deck_with_pictures(tmp_path / "decks")
    out_dir = tmp_path / "out"
    (out_dir / "pics").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    left = [
        out_dir / f".copy.yaml.quiz-{gone.pid}-abcdefgh.tmp",
        out_dir / "pics" / f".heart.png.quiz-{gone.pid}-x0_y1z2w.tmp",
    ]
    for path in left:
        path.write_bytes(b"half")
    code, _, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(out_dir / "copy.yaml")
    )
    assert code == 0, err
    assert not any(path.exists() for path in left)
    assert sorted(p.name for p in out_dir.rglob("*")) == ["copy.yaml", "heart.png", "heart.png", "other", "pics"]


def test_an_export_leaves_her_files_shaped_like_what_a_killed_export_left(capsys, tmp_path: Path) -> None:
    """An export goes to any folder of hers: only the exact names quiz gives its temporary files are removed, never
    a file of hers shaped alike, nor a folder (a file's write never leaves one)."""
    deck = deck_with_pictures(tmp_path / "decks")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (tmp_path / "data").mkdir()
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    hers = out_dir / f".copy.yaml.quiz-{gone.pid}-my-notes.tmp"
    hers.write_text("her notes", encoding="utf-8")
    her_folder = out_dir / f".copy.yaml.quiz-{gone.pid}-abcdefgh.tmp"
    her_folder.mkdir()
    (her_folder / "draft.txt").write_text("her draft", encoding="utf-8")
    code, _, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(out_dir / "copy.yaml")
    )
    assert code == 0, err
    assert hers.read_text(encoding="utf-8") == "her notes"
    assert (her_folder / "draft.txt").read_text(encoding="utf-8") == "her draft"


def test_two_picture_paths_that_are_one_file_where_the_export_writes_are_written_once(capsys, tmp_path: Path) -> None:
    """`other/heart.png` and `pics/heart.png` are one file in the folder written to when `other` is a link there to
    `pics` (or `Heart.png`, `heart.png` on a disk that ignores case): the same picture is copied once, two
    different ones stop the export naming the card; it said `cannot write copy.yaml: File exists`."""
    deck = deck_with_pictures(tmp_path / "decks")
    out_dir = tmp_path / "out"
    (out_dir / "pics").mkdir(parents=True)
    (out_dir / "other").symlink_to("pics")
    (tmp_path / "data").mkdir()
    export = ("--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(out_dir / "copy.yaml"))
    code, _, err = run(capsys, *export)
    assert code == 1
    assert f"{deck}:" in err and "card 'heart': image 'pics/heart.png' would be written at" in err
    assert "File exists" not in err
    assert list((out_dir / "pics").iterdir()) == [] and not (out_dir / "copy.yaml").exists()
    (deck.parent / "other" / "heart.png").write_bytes(PNGS[0])  # the same picture
    code, out, err = run(capsys, *export)
    assert code == 0, err
    assert "copied 1 picture beside it" in out
    assert (out_dir / "pics" / "heart.png").read_bytes() == PNGS[0]


@pytest.mark.parametrize("escape", ["../secret.png", "pics/../../secret.png"])
def test_a_yaml_export_writes_no_picture_outside_its_folder(tmp_path: Path, escape: str) -> None:
    """A path leading out (a deck changed in memory since it was loaded) stops the export before anything is
    written, named with its card, by the check every export makes of the deck's pictures."""
    loaded = load_deck_file(deck_with_pictures(tmp_path / "decks")).deck
    assert loaded is not None
    (tmp_path / "secret.png").write_bytes(PNGS[0])
    hostile = replace(loaded, notes=(replace(loaded.notes[0], images=(escape,)), *loaded.notes[1:]))
    (tmp_path / "out").mkdir()
    with pytest.raises(ExportError, match="card 'heart': image .* is not a path inside the deck's folder"):
        export_deck(hostile, tmp_path / "out" / "copy.yaml", 0.0)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_picture_folder_that_is_a_link_loop_where_the_export_writes_is_said_plainly(capsys, tmp_path: Path) -> None:
    """Python 3.11's resolve() raises RuntimeError on a loop of links: the export ended in a traceback."""
    deck = deck_with_pictures(tmp_path / "decks")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (tmp_path / "data").mkdir()
    (out_dir / "pics").symlink_to("pics")  # a link to itself
    args = ("--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(out_dir / "copy.yaml"))
    code, _, err = run(capsys, *args)
    assert code == 1 and "Traceback" not in err and "please report" not in err
    assert str(out_dir / "pics") in err
    assert not (out_dir / "copy.yaml").exists()


def test_quiz_add_copies_pictures_windows_cannot_hold_under_names_it_can(capsys, tmp_path: Path) -> None:
    """`a:b.png` and `CON.png` reached the deck folder as named, which Windows and a folder synced with it cannot
    hold. They are copied as quiz names its own files, the copy's `image:` lines naming them (a list, quoted or
    not, with `./`, comments kept); her deck and pictures are untouched."""
    folder = tmp_path / "mine"
    (folder / "pi:cs").mkdir(parents=True)
    for name, png in (("pi:cs/a:b.png", PNGS[0]), ("CON.png", PNGS[1]), ("a_b.png", PNGS[2]), ("ok.png", PNGS[2])):
        (folder / name).write_bytes(png)
    (folder / "pi:cs" / "a_b.png").write_bytes(PNGS[1])  # the name the first would take: it is another picture's
    text = (
        "deck: win  # a comment\n"
        "title: Win\n"
        "cards:\n"
        "  - {id: one, kind: basic, front: f1, back: b1, image: ./pi:cs/a:b.png}\n"
        "  - id: two\n"
        "    kind: basic\n"
        "    front: f2  # kept\n"
        "    back: b2\n"
        "    image: ['CON.png', \"ok.png\", pi:cs/a_b.png]\n"
    )
    deck = folder / "win.yaml"
    deck.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "add", str(deck))
    assert code == 0, err
    assert deck.read_text(encoding="utf-8") == text  # hers, as it was
    copied = data / "decks" / "win.yaml"
    written = load_deck_file(copied)
    assert written.ok and written.deck is not None, written.problems
    images = {note.id: note.images for note in written.deck.notes}
    assert images == {"one": ("pi_cs/a_b-2.png",), "two": ("CON_.png", "ok.png", "pi_cs/a_b.png")}
    assert (data / "decks" / "pi_cs" / "a_b-2.png").read_bytes() == PNGS[0]
    assert (data / "decks" / "CON_.png").read_bytes() == PNGS[1]
    assert not (data / "decks" / "CON.png").exists() and not (data / "decks" / "pi:cs").exists()
    assert "# a comment" in copied.read_text(encoding="utf-8") and "# kept" in copied.read_text(encoding="utf-8")
    assert "picture CON.png copied as CON_.png, which the copy of the deck names: Windows keeps the name CON" in out
    assert "picture pi:cs/a:b.png copied as pi_cs/a_b-2.png, which the copy of the deck names: Windows cannot" in out


def test_a_picture_path_quiz_cannot_rewrite_is_copied_as_named_and_warned_of(capsys, tmp_path: Path) -> None:
    """A path written as a block scalar is not rewritten (the copy read back would not name the new file): the
    picture keeps its name, so the deck loads, and quiz says what to rename."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "CON.png").write_bytes(PNGS[0])
    text = "deck: blk\ntitle: Blk\ncards:\n  - id: one\n    kind: basic\n    front: f\n    back: b\n"
    text += "    image: |-\n      CON.png\n"
    (folder / "blk.yaml").write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "add", str(folder / "blk.yaml"))
    assert code == 0, err
    assert (data / "decks" / "blk.yaml").read_text(encoding="utf-8") == text
    assert (data / "decks" / "CON.png").read_bytes() == PNGS[0]
    assert "warning: picture CON.png: Windows keeps the name CON for a device" in err
    assert "rename it and its `image:` line" in err


def test_a_deck_added_again_unchanged_after_its_pictures_were_renamed_is_said_to_be_there(
    capsys, tmp_path: Path
) -> None:
    """Its copy names `CON_.png`, not `CON.png`: added again, unchanged, it was called another version of the deck,
    to take with `quiz import`; it is the deck already there. Changed, it is another version still."""
    folder = tmp_path / "mine"
    (folder / "pi:cs").mkdir(parents=True)
    (folder / "CON.png").write_bytes(PNGS[0])
    (folder / "pi:cs" / "a.png").write_bytes(PNGS[1])
    text = "deck: win\ntitle: Win\ncards:\n"
    text += "  - {id: one, kind: basic, front: f, back: b, image: [CON.png, ./pi:cs/a.png]}\n"
    deck = folder / "win.yaml"
    deck.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "add", str(deck))[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(data), "add", str(deck))
    copy = data / "decks" / "win.yaml"
    assert code == 0 and f"is already in your deck folder, as {copy}, unchanged: nothing to add" in out
    deck.write_text(text.replace("front: f", "front: g"), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(deck))
    assert code == 1 and "win.yaml is another version of it" in err


def test_quiz_add_copies_pictures_whose_names_end_in_a_dot_or_a_space_under_names_windows_keeps(
    capsys, tmp_path: Path
) -> None:
    """Windows drops the dots and spaces ending a name: `pics./x.png.` and `y.png ` were copied as named, so the
    deck folder synced with it lost them (or took another picture for them)."""
    folder = tmp_path / "mine"
    (folder / "pics.").mkdir(parents=True)
    (folder / "pics." / "x.png.").write_bytes(PNGS[0])
    (folder / "y.png ").write_bytes(PNGS[1])
    text = "deck: dots\ntitle: Dots\ncards:\n"
    text += "  - {id: one, kind: basic, front: f, back: b, image: ['pics./x.png.', 'y.png ']}\n"
    (folder / "dots.yaml").write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "add", str(folder / "dots.yaml"))
    assert code == 0, err
    written = load_deck_file(data / "decks" / "dots.yaml")
    assert written.ok and written.deck is not None, written.problems
    assert written.deck.notes[0].images == ("pics/x.png", "y.png")
    assert (data / "decks" / "pics" / "x.png").read_bytes() == PNGS[0]
    assert (data / "decks" / "y.png").read_bytes() == PNGS[1]
    assert "picture y.png  copied as y.png, which the copy of the deck names: Windows drops the dots" in out
