"""A picture the next version moves between notes keeps its file when it is the same picture, and a new one never
takes the file of one gone from the package: her drawing stays on her note, listed when the package redraws it too,
and a note kept in the deck still shows its own picture.

The packages are Anki's own (tests/data/anki/moved, written by `tools/make_anki_fixtures.py moved`): added (v2
redraws heart.png and its note shows aorta.png too), swapped (v2 redraws a.png and the notes A and B swap their
pictures), replaced (A and B show a.png; v2 deletes B and A shows a new z.png)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PIL import Image, ImageDraw

from quiz.core.decks import parse_deck
from quiz.core.importers import import_file
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki" / "moved"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
_NOTE = re.compile(r"Name this organ \((.+)\)")


def quiz_import(data: Path, capsys, package: str) -> str:  # noqa: ANN001
    """Imports the package into the deck `anatomy`; what it wrote to stderr."""
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(DATA / package), "--deck-id", "anatomy")
    assert code == 0, err
    return err


def shown(data: Path) -> dict[str, list[tuple[str, bytes]]]:
    """Each note's pictures, by the note's name: each path and the bytes of its file."""
    deck_file = data / "decks" / "anatomy.yaml"
    loaded = parse_deck(deck_file.read_bytes(), str(deck_file))
    assert loaded.deck is not None, loaded.problems
    found = {}
    for note in loaded.deck.notes:
        name = _NOTE.fullmatch(note.body.front)
        key = name[1] if name else note.body.front
        found[key] = [(path, (deck_file.parent / path).read_bytes()) for path in note.all_images]
    return found


def package(name: str) -> dict[str, bytes]:
    """The package's pictures by their names there."""
    result = import_file(DATA / name)
    return {picture.name: picture.read() for picture in result.media.values()}


def draw_on(data: Path, path: str) -> bytes:
    file = data / "decks" / path
    with Image.open(file) as image:
        drawn = image.convert("RGB")
    ImageDraw.Draw(drawn).line((0, 0, 8, 8), fill="black", width=2)
    drawn.save(file)
    return file.read_bytes()


def test_the_fixtures_move_pictures_as_the_tests_say() -> None:
    assert EXPECTED["added"]["v2"] == {"heart": ["heart.png", "aorta.png"]}
    assert package("added-v2.apkg")["heart.png"] != package("added-v1.apkg")["heart.png"]
    assert package("swapped-v2.apkg")["a.png"] != package("swapped-v1.apkg")["a.png"]
    assert EXPECTED["replaced"]["v2"] == {"A": ["z.png"]} and set(package("replaced-v2.apkg")) == {"z.png"}


def test_a_redrawn_picture_whose_note_shows_more_pictures_keeps_its_file_and_her_drawing(
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    quiz_import(tmp_path, capsys, "added-v1.apkg")
    hers = draw_on(tmp_path, "anatomy-media/heart.png")
    err = quiz_import(tmp_path, capsys, "added-v2.apkg")
    assert "anatomy-media/heart.png" in err and "you changed it" in err  # the conflict is listed
    v2 = package("added-v2.apkg")
    assert shown(tmp_path)["heart"] == [
        ("anatomy-media/heart.png", hers),
        ("anatomy-media/aorta.png", v2["aorta.png"]),
    ]
    assert not (tmp_path / "decks" / "anatomy-media" / "heart-2.png").exists()


def test_a_redrawn_picture_moved_to_the_other_note_keeps_its_file_and_her_drawing(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "swapped-v1.apkg")
    hers = draw_on(tmp_path, "anatomy-media/a.png")
    err = quiz_import(tmp_path, capsys, "swapped-v2.apkg")
    assert "anatomy-media/a.png" in err and "you changed it" in err
    assert shown(tmp_path) == {
        "A": [("anatomy-media/b.png", package("swapped-v2.apkg")["b.png"])],
        "B": [("anatomy-media/a.png", hers)],
    }


def test_a_new_picture_does_not_take_the_file_of_one_gone_from_the_package(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """B, gone from the package, is kept in the deck: it still shows a.png's picture, and A the new z.png."""
    quiz_import(tmp_path, capsys, "replaced-v1.apkg")
    quiz_import(tmp_path, capsys, "replaced-v2.apkg")
    assert shown(tmp_path) == {
        "A": [("anatomy-media/z.png", package("replaced-v2.apkg")["z.png"])],
        "B": [("anatomy-media/a.png", package("replaced-v1.apkg")["a.png"])],
    }


def test_a_new_picture_does_not_take_the_file_her_own_note_shows(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    quiz_import(tmp_path, capsys, "replaced-v1.apkg")
    deck_file = tmp_path / "decks" / "anatomy.yaml"
    mine = "  - id: my-own\n    kind: basic\n    front: Mine\n    back: mine\n    image: anatomy-media/a.png\n"
    deck_file.write_text(deck_file.read_text(encoding="utf-8") + mine, encoding="utf-8")
    quiz_import(tmp_path, capsys, "replaced-v2.apkg")
    assert shown(tmp_path)["Mine"] == [("anatomy-media/a.png", package("replaced-v1.apkg")["a.png"])]
    assert shown(tmp_path)["A"] == [("anatomy-media/z.png", package("replaced-v2.apkg")["z.png"])]


def test_her_own_export_imported_back_gives_the_shared_deck_s_picture_no_file_of_a_note_it_dropped(
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    """v2, then v1 (a.png takes z.png, the file its note A showed, and B shows it too), then her own export, which
    names that picture z.png by its file: the record still knows z.png as a.png's, so v2's z.png, back on A, takes
    a file of its own and B, gone from v2 and kept in the deck, still shows a.png's picture."""
    quiz_import(tmp_path, capsys, "replaced-v2.apkg")
    quiz_import(tmp_path, capsys, "replaced-v1.apkg")
    assert shown(tmp_path)["B"] == [("anatomy-media/z.png", package("replaced-v1.apkg")["a.png"])]  # the case
    exported = tmp_path / "mine.apkg"
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "anatomy", "-o", str(exported))
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(exported), "--deck-id", "anatomy")
    assert code == 0, err
    quiz_import(tmp_path, capsys, "replaced-v2.apkg")
    after = shown(tmp_path)
    assert after["B"] == [("anatomy-media/z.png", package("replaced-v1.apkg")["a.png"])]
    assert [data for _, data in after["A"]] == [package("replaced-v2.apkg")["z.png"]]


def test_a_picture_does_not_take_the_file_its_note_showed_when_another_note_of_hers_shows_it(
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    """v2, then she points A at a picture of her own, then v1 (A kept as she has it; B new, showing a.png under
    z.png, the file no note of hers shows then), then her own export back: its mine.png is new to the record,
    and A's record note showed z.png, which B shows. It took z.png and wrote her picture over B's, nothing
    listed."""
    quiz_import(tmp_path, capsys, "replaced-v2.apkg")
    media = tmp_path / "decks" / "anatomy-media"
    (media / "mine.png").write_bytes((media / "z.png").read_bytes())
    mine = draw_on(tmp_path, "anatomy-media/mine.png")
    deck_file = tmp_path / "decks" / "anatomy.yaml"
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("image: anatomy-media/z.png", "image: anatomy-media/mine.png"), encoding="utf-8")
    quiz_import(tmp_path, capsys, "replaced-v1.apkg")
    a_png = package("replaced-v1.apkg")["a.png"]
    assert shown(tmp_path) == {"A": [("anatomy-media/mine.png", mine)], "B": [("anatomy-media/z.png", a_png)]}
    exported = tmp_path / "mine.apkg"
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "anatomy", "-o", str(exported))
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(exported), "--deck-id", "anatomy")
    assert code == 0, err
    assert shown(tmp_path) == {"A": [("anatomy-media/mine.png", mine)], "B": [("anatomy-media/z.png", a_png)]}


SHARED = Path(__file__).parents[1] / "data" / "anki" / "shared"  # `tools/make_anki_fixtures.py shared`


def test_her_drawing_on_a_picture_two_notes_show_is_kept_and_listed_when_both_move_to_a_new_one(
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    """A and B show a.png; she draws on it; v2 points both at a new z.png. B moves with A (to the same picture),
    so it is no other note keeping a.png: z.png takes a.png's file, her drawing stays and the conflict is listed."""
    assert json.loads((SHARED / "expected.json").read_text(encoding="utf-8"))["shared"]["v2"] == {
        "A": ["z.png"],
        "B": ["z.png"],
    }

    def quiz_import_shared(version: str) -> str:
        code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(SHARED / version), "--deck-id", "anatomy")
        assert code == 0, err
        return err

    quiz_import_shared("shared-v1.apkg")
    hers = draw_on(tmp_path, "anatomy-media/a.png")
    err = quiz_import_shared("shared-v2.apkg")
    assert "anatomy-media/a.png  (you changed it since the last import; shared-v2.apkg changes it too)" in err, err
    assert shown(tmp_path) == {"A": [("anatomy-media/a.png", hers)], "B": [("anatomy-media/a.png", hers)]}
