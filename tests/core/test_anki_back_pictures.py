"""A picture Anki shows only on a card's back (a labelled diagram under the answer) comes in as the card's
`answer_image:`, shown once the answer is; one its question shows stays its `image:`. The packages are made by
Anki at test time (the `anki` package of the bench group; skipped without it)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.importers import pictures
from quiz.core.importers.update import record_path
from quiz.core.model import Note
from quiz.core.store import Store
from tests.conftest import run_cli as run
from tests.core.test_reimport_picture_names import forget_names

anki = pytest.importorskip("anki")

from anki.collection import Collection, ExportAnkiPackageOptions  # noqa: E402
from anki.decks import DeckId  # noqa: E402

from tools.make_anki_fixtures import add, export_plain_text, png, study_days  # noqa: E402

PLAIN, LABELLED, BOTH, EXTRA = "heart.png", "heart-labelled.png", "kidney.png", "nephron.png"


def _export(col: Collection, out: Path, *, with_media: bool = True) -> Path:
    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=with_media, legacy=False
    )
    col.export_anki_package(out_path=str(out), options=options, limit=None)
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """v1: an anatomy deck, studied; v2: its next version (a note's back reworded); its notes as text; v2 and v3
    (the heart's question picture then swapped for heart-new.png) exported without media ("Include media"
    unticked)."""
    work = tmp_path_factory.mktemp("anki")
    path = work / "collection.anki2"
    col = Collection(str(path))
    for name, colour in ((PLAIN, "red"), (LABELLED, "blue"), (BOTH, "green"), (EXTRA, "orange")):
        col.media.write_data(name, png((20, 12), {(2, 2, 8, 8): colour}))
    models = col.models
    both_sides = models.copy(models.by_name("Basic"), add=False)  # its back repeats the front, not {{FrontSide}}
    both_sides["name"] = "Picture both sides"
    both_sides["tmpls"][0]["afmt"] = "{{Front}}<hr id=answer>{{Back}}"
    models.add(both_sides)
    heart = add(
        col,
        "Basic",
        "Anatomy",
        {"Front": f'Name the organ <img src="{PLAIN}">', "Back": f'heart <img src="{LABELLED}">'},
    )
    add(col, "Picture both sides", "Anatomy", {"Front": f'Which organ? <img src="{BOTH}">', "Back": "kidney"})
    add(col, "Cloze", "Anatomy", {"Text": "The {{c1::nephron}} filters", "Back Extra": f'<img src="{EXTRA}">'})
    col = study_days(col, path, "Anatomy")
    v1 = _export(col, work / "v1.apkg")
    note = col.get_note(heart)
    note["Back"] = f'the heart <img src="{LABELLED}">'
    col.update_note(note)
    v2 = _export(col, work / "v2.apkg")
    v2_bare = _export(col, work / "v2-nomedia.apkg", with_media=False)
    export_plain_text(col, work / "notes.txt")
    col.media.write_data("heart-new.png", png((20, 12), {(4, 4, 10, 10): "purple"}))
    note["Front"] = 'Name the organ <img src="heart-new.png">'
    col.update_note(note)
    v3_bare = _export(col, work / "v3-nomedia.apkg", with_media=False)
    v3 = _export(col, work / "v3.apkg")
    col.close()
    return {
        "v1": v1,
        "v2": v2,
        "text": work / "notes.txt",
        "v2-nomedia": v2_bare,
        "v3-nomedia": v3_bare,
        "v3": v3,
    }


def _import(data: Path, package: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(package), "--deck-id", "anatomy")
    assert code == 0, err
    return out + err


def _notes(data: Path) -> dict[str, Note]:
    """The deck's notes by their front (a cloze's text)."""
    deck = load_deck_file(data / "decks" / "anatomy.yaml").deck
    assert deck is not None
    return {(n.body.front if n.kind != "cloze" else n.body.text): n for n in deck.notes}


def _pictures(note: Note) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(Path(p).name for p in note.images), tuple(Path(p).name for p in note.answer_images)


def test_a_picture_only_the_back_shows_comes_after_the_answer(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(tmp_path, made["v1"], capsys)
    notes = _notes(tmp_path)
    assert _pictures(notes["Name the organ"]) == ((PLAIN,), (LABELLED,))
    assert _pictures(notes["Which organ?"]) == ((BOTH,), ())  # on both sides: with the question
    (cloze,) = [n for n in notes.values() if n.kind == "cloze"]
    assert _pictures(cloze) == ((), (EXTRA,))  # Back Extra: on the back of each card
    text = (tmp_path / "decks" / "anatomy.yaml").read_text(encoding="utf-8")
    assert f"answer_image: anatomy-media/{LABELLED}" in text


def _as_an_older_quiz(monkeypatch: pytest.MonkeyPatch) -> None:
    """An import as quiz made it before answer pictures: every picture of a card shown with its question."""
    original = pictures.with_pictures

    def with_question_pictures(notes: list[Any], *args: Any, **kwargs: Any) -> Any:
        joined = [replace(n, images=(*n.images, *n.answer_images), answer_images=()) for n in notes]
        return original(joined, *args, **kwargs)

    monkeypatch.setattr(pictures, "with_pictures", with_question_pictures)
    import quiz.core.importers.readers.package as package_reader

    monkeypatch.setattr(package_reader, "with_pictures", with_question_pictures)


def test_the_next_version_moves_a_back_picture_after_the_answer_keeping_history_and_edits(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        _as_an_older_quiz(patch)
        _import(tmp_path, made["v1"], capsys)
    deck_file = tmp_path / "decks" / "anatomy.yaml"
    before = _notes(tmp_path)
    assert _pictures(before["Name the organ"]) == ((PLAIN, LABELLED), ())  # the spoiler
    store = Store.in_folder(tmp_path)
    history = {key: len(store.reviews("anatomy", key)) for key in store.states("anatomy")}
    assert sum(history.values()) > 0
    store.close()
    # her own edit of the cloze note (an explanation), which the package does not change
    (cloze,) = [n for n in before.values() if n.kind == "cloze"]
    text = deck_file.read_text(encoding="utf-8")
    text = text.replace(f"    text: {cloze.body.text}\n", f"    text: {cloze.body.text}\n    explain: my mnemonic\n", 1)
    assert "my mnemonic" in text
    deck_file.write_text(text, encoding="utf-8")

    said = _import(tmp_path, made["v2"], capsys)
    assert "conflict" not in said.lower()
    after = _notes(tmp_path)
    assert _pictures(after["Name the organ"]) == ((PLAIN,), (LABELLED,))
    assert after["Name the organ"].body.back == "the heart"  # v2's change
    (cloze,) = [n for n in after.values() if n.kind == "cloze"]
    assert _pictures(cloze) == ((), (EXTRA,)) and cloze.explain == "my mnemonic"
    assert _pictures(after["Which organ?"]) == ((BOTH,), ())
    store = Store.in_folder(tmp_path)
    assert {key: len(store.reviews("anatomy", key)) for key in store.states("anatomy")} == history
    store.close()


def test_a_text_export_update_keeps_the_answer_pictures(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text file carries no picture: an update from one keeps each note's, the answer's where they were."""
    _import(tmp_path, made["v1"], capsys)
    _import(tmp_path, made["text"], capsys)
    notes = _notes(tmp_path)
    assert _pictures(notes["Name the organ"]) == ((PLAIN,), (LABELLED,))
    (cloze,) = [n for n in notes.values() if n.kind == "cloze"]
    assert _pictures(cloze) == ((), (EXTRA,))


def test_a_package_without_media_keeps_the_pictures_the_deck_folder_has(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """v2 exported without media names every picture and carries none: each note keeps the file the first import
    wrote (its question's and its answer's), as Anki, whose media folder has them, shows them still. It updated
    the heart without its pictures, and the other two notes too, as if Anki had removed them."""
    _import(tmp_path, made["v1"], capsys)
    folder = tmp_path / "decks" / "anatomy-media"
    files = {path.name: path.read_bytes() for path in folder.iterdir()}
    said = _import(tmp_path, made["v2-nomedia"], capsys)
    assert "1 updated, 0 new, 2 unchanged, 0 gone from v2-nomedia.apkg" in said
    assert "pictures and sound files kept as the deck has them, on 3 notes: v2-nomedia.apkg lacks them" in said
    assert "not in the package" not in said
    notes = _notes(tmp_path)
    assert notes["Name the organ"].body.back == "the heart"  # v2's change
    assert _pictures(notes["Name the organ"]) == ((PLAIN,), (LABELLED,))
    assert _pictures(notes["Which organ?"]) == ((BOTH,), ())
    (cloze,) = [n for n in notes.values() if n.kind == "cloze"]
    assert _pictures(cloze) == ((), (EXTRA,))
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == files
    again = _import(tmp_path, made["v2"], capsys)  # with its media: nothing to change, no picture yours
    assert "0 updated, 0 new, 3 unchanged, 0 gone from v2.apkg" in again and "the deck file is unchanged" in again
    assert "changed it" not in again


def test_a_package_without_media_keeps_the_pictures_an_older_record_without_names_shows_in_place(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The deck's import record written by a quiz that kept no picture names (`names`): v2 exported without
    media left every picture out of its note, though the folder has each where the record's note shows it. Each
    note keeps the file the record's note shows in that place, at this import and the next."""
    _import(tmp_path, made["v1"], capsys)
    forget_names(tmp_path)
    for _ in range(2):
        said = _import(tmp_path, made["v2-nomedia"], capsys)
        assert "pictures and sound files kept as the deck has them, on 3 notes: v2-nomedia.apkg lacks them" in said
        assert "not in the package" not in said
        notes = _notes(tmp_path)
        assert _pictures(notes["Name the organ"]) == ((PLAIN,), (LABELLED,))
        assert _pictures(notes["Which organ?"]) == ((BOTH,), ())
        (cloze,) = [n for n in notes.values() if n.kind == "cloze"]
        assert _pictures(cloze) == ((), (EXTRA,))


def test_a_package_without_media_leaves_out_a_picture_the_deck_folder_has_not(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A picture she deleted from the folder, and one the note names anew (Anki swapped the heart's question
    picture for heart-new.png), are in neither the package nor the folder: each note comes without it, named,
    its other pictures kept (the deck then loads: a picture it names and does not have would not). The package
    with its media brings them back."""
    _import(tmp_path, made["v1"], capsys)
    (tmp_path / "decks" / "anatomy-media" / BOTH).unlink()
    said = _import(tmp_path, made["v3-nomedia"], capsys)
    assert "its picture 'heart-new.png' is not in the package" in said
    assert f"its picture '{BOTH}' is not in the package" in said
    assert f"its picture '{LABELLED}'" not in said
    assert "pictures and sound files kept as the deck has them, on 2 notes: v3-nomedia.apkg lacks them" in said
    notes = _notes(tmp_path)
    assert _pictures(notes["Name the organ"]) == ((), (LABELLED,))
    assert _pictures(notes["Which organ?"]) == ((), ())
    assert not (tmp_path / "decks" / "anatomy-media" / BOTH).exists()
    _import(tmp_path, made["v2"], capsys)  # with its media: each picture back, on its note and in the folder
    notes = _notes(tmp_path)
    assert _pictures(notes["Name the organ"]) == ((PLAIN,), (LABELLED,))
    assert _pictures(notes["Which organ?"]) == ((BOTH,), ())
    assert (tmp_path / "decks" / "anatomy-media" / BOTH).is_file()


def test_a_picture_the_package_lacks_keeps_its_place_among_those_it_carries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anki exports the media files it has: one gone from its media folder (the note still naming it) is lacking
    from a package exported with media too. The deck's file takes its place, between the two the package
    carries, and the note is no change. It came without it, and the note was updated."""
    work = tmp_path / "anki"
    work.mkdir()
    col = Collection(str(work / "collection.anki2"))
    names = ("left.png", "middle.png", "right.png")
    for number, name in enumerate(names):
        col.media.write_data(name, png((20, 12), {(2, 2, 4 + number, 8): "red"}))
    front = "Which bones? " + "".join(f'<img src="{name}">' for name in names)
    add(col, "Basic", "Anatomy", {"Front": front, "Back": "carpals"})
    v1 = _export(col, work / "v1.apkg")
    col.media.trash_files(["middle.png"])
    v2 = _export(col, work / "v2.apkg")
    col.close()
    _import(tmp_path, v1, capsys)
    said = _import(tmp_path, v2, capsys)
    assert "0 updated, 0 new, 1 unchanged, 0 gone from v2.apkg" in said
    assert "pictures and sound files kept as the deck has them, on 1 note: " in said
    assert _pictures(_notes(tmp_path)["Which bones?"]) == (names, ())


def test_names_recorded_by_an_import_of_one_anki_deck_leave_the_other_notes_their_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Her collection came in whole, with its media, the record of `medicine` written by a quiz that kept no picture
    names. She moved Kidney to Sprachen::Misc in Anki and exported the collection without media: its Medicine deck
    alone (--anki-deck) records the name of Heart's picture only, and the whole collection next left kidney.png out
    of Kidney ("not in the package"), the file still in medicine-media: the record's names were taken for all."""
    work = tmp_path / "anki"
    work.mkdir()
    col = Collection(str(work / "collection.anki2"))
    for name, colour in (("kidney.png", "green"), ("heart.png", "red")):
        col.media.write_data(name, png((20, 12), {(2, 2, 8, 8): colour}))
    kidney = add(col, "Basic", "Medicine::Renal", {"Front": 'Kidney <img src="kidney.png">', "Back": "Filters"})
    add(col, "Basic", "Medicine::Cardio", {"Front": 'Heart <img src="heart.png">', "Back": "Pumps"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col.export_collection_package(str(work / "c1.colpkg"), include_media=True, legacy=False)
    col = Collection(str(work / "collection.anki2"))  # the export closes it
    col.set_deck([card.id for card in col.get_note(kidney).cards()], DeckId(col.decks.id("Sprachen::Misc")))
    col.export_collection_package(str(work / "c2.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    for args in (("c1.colpkg",), ("c2.colpkg", "--anki-deck=Medicine"), ("c2.colpkg",), ("c2.colpkg",)):
        if args == ("c2.colpkg", "--anki-deck=Medicine"):
            forget_names(data, "medicine")
        code, out, err = run(capsys, "--data-dir", str(data), "import", str(work / args[0]), *args[1:])
        assert code == 0, err
        assert "is not in the package" not in err, args
        medicine = load_deck_file(data / "decks" / "medicine.yaml").deck
        assert medicine is not None
        shown = {note.body.front: note.images for note in medicine.notes}
        assert shown == {"Kidney": ("medicine-media/kidney.png",), "Heart": ("medicine-media/heart.png",)}, args


def _medicine(work: Path, pictures: dict[str, str], fronts: dict[str, str]) -> tuple[Collection, dict[str, int]]:
    """A collection in `work` whose Medicine deck has a note of each front (-> the picture its front shows),
    each picture (name -> colour) in its media folder: the collection and its notes' ids by front."""
    work.mkdir()
    col = Collection(str(work / "collection.anki2"))
    for name, colour in pictures.items():
        col.media.write_data(name, png((20, 12), {(2, 2, 8, 8): colour}))
    ids = {
        front: add(col, "Basic", "Medicine", {"Front": f'{front} <img src="{picture}">', "Back": front.lower()})
        for front, picture in fronts.items()
    }
    return col, ids


def _rewrite(col: Collection, note_id: int, field: str, text: str) -> None:
    """In Anki she gave the note's `field` the `text`."""
    note = col.get_note(note_id)
    note[field] = text
    col.update_note(note)


def _first_then_bare(
    col: Collection, c1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *, names_kept: bool = False
) -> tuple[Path, Path]:
    """`col` as it is now exported without media (c2.apkg), then closed; `c1` imported into `medicine` of a data
    folder, its record then a quiz's that kept no picture names (unless `names_kept`): the data folder and c2."""
    c2 = _export(col, tmp_path / "anki" / "c2.apkg", with_media=False)
    col.close()
    data = tmp_path / "data"
    _into_medicine(data, c1, capsys)
    if not names_kept:
        forget_names(data, "medicine")
    return data, c2


def _into_medicine(data: Path, package: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(package), "--deck-id", "medicine")
    assert code == 0, err
    return out + err


def _medicine_shows(data: Path) -> dict[str, tuple[str, ...]]:
    """The pictures each note of `medicine` shows, by its front."""
    deck = load_deck_file(data / "decks" / "medicine.yaml").deck
    assert deck is not None
    return {note.body.front: note.images for note in deck.notes}


def test_a_picture_two_notes_showed_stays_on_the_one_still_in_the_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Aorta and Vein both show shared.png; the record is a quiz's that kept no picture names. She deleted Vein in
    Anki and exported without media: Aorta lost shared.png ("not in the package"), the file still in
    medicine-media and Vein, kept in her deck, showing it, as if Vein's were another picture."""
    col, ids = _medicine(tmp_path / "anki", {"shared.png": "red"}, {"Aorta": "shared.png", "Vein": "shared.png"})
    c1 = _export(col, tmp_path / "anki" / "c1.apkg")
    col.remove_notes([ids["Vein"]])
    data, c2 = _first_then_bare(col, c1, tmp_path, capsys)
    for _ in range(2):
        said = _into_medicine(data, c2, capsys)
        assert "'shared.png' is not in the package" not in said
        assert _medicine_shows(data)["Aorta"] == ("medicine-media/shared.png",), said


def test_a_picture_she_gave_another_note_too_stays_on_its_own_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Aorta shows a.png, Vein b.png; she gave Vein a.png in her deck, and the record is a quiz's that kept no
    picture names. The same collection without media left Aorta with no picture ("'a.png' is not in the
    package"): a record naming the pictures kept it, so the record's age decided."""
    col, _ = _medicine(tmp_path / "anki", {"a.png": "red", "b.png": "blue"}, {"Aorta": "a.png", "Vein": "b.png"})
    c1 = _export(col, tmp_path / "anki" / "c1.apkg")
    c1_bare = _export(col, tmp_path / "anki" / "c1-nomedia.apkg", with_media=False)
    col.close()
    data = tmp_path / "data"
    _into_medicine(data, c1, capsys)
    deck_file = data / "decks" / "medicine.yaml"
    text = deck_file.read_text(encoding="utf-8")
    assert text.count("medicine-media/b.png") == 1
    deck_file.write_text(text.replace("medicine-media/b.png", "medicine-media/a.png"), encoding="utf-8")
    forget_names(data, "medicine")
    for _ in range(2):
        said = _into_medicine(data, c1_bare, capsys)
        assert "is not in the package" not in said
        assert _medicine_shows(data) == {"Aorta": ("medicine-media/a.png",), "Vein": ("medicine-media/a.png",)}


def test_a_picture_an_older_quiz_kept_under_a_name_quiz_now_gives_otherwise_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anki's `heart .png`, which a quiz that kept no picture names kept as `heart .png` (quiz now trims the
    space: heart.png). The collection without media left the note with no picture ("not in the package"), the
    file in medicine-media: not the name quiz gives it now. It stays, under its own name: nothing to say of it (the
    warning said it was kept as 'heart .png' "under another name")."""
    col, _ = _medicine(tmp_path / "anki", {"heart .png": "red"}, {"Heart": "heart .png"})
    c1 = _export(col, tmp_path / "anki" / "c1.apkg")
    c2 = _export(col, tmp_path / "anki" / "c2.apkg", with_media=False)
    col.close()
    data = tmp_path / "data"
    _into_medicine(data, c1, capsys)
    media = data / "decks" / "medicine-media"
    (media / "heart.png").rename(media / "heart .png")
    for path in (data / "decks" / "medicine.yaml", data / "decks" / "medicine.import.json"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("medicine-media/heart.png", "medicine-media/heart .png"), encoding="utf-8")
    forget_names(data, "medicine")
    said = _into_medicine(data, c2, capsys)
    assert "'heart .png' is not in the package" not in said
    for _ in range(2):  # recorded after the first
        assert "heart .png" not in said and _medicine_shows(data) == {"Heart": ("medicine-media/heart .png",)}
        said = _into_medicine(data, c2, capsys)


def test_a_picture_swapped_in_anki_is_not_given_a_file_the_record_names_for_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Heart showed heart-2.png, the record naming it. In Anki she swapped it for heart.png, another picture, and
    exported without media: the note showed the old heart-2.png without a word (the name numbered as quiz numbers
    a clashing heart.png), though the record says that file is heart-2.png's. Another picture: left out, named."""
    col, ids = _medicine(tmp_path / "anki", {"heart-2.png": "red"}, {"Heart": "heart-2.png"})
    c1 = _export(col, tmp_path / "anki" / "c1.apkg")
    col.media.write_data("heart.png", png((20, 12), {(4, 4, 10, 10): "purple"}))
    _rewrite(col, ids["Heart"], "Front", 'Heart <img src="heart.png">')
    data, c2 = _first_then_bare(col, c1, tmp_path, capsys, names_kept=True)
    said = _into_medicine(data, c2, capsys)
    assert "its picture 'heart.png' is not in the package" in said
    assert _medicine_shows(data) == {"Heart": ()}
    assert (data / "decks" / "medicine-media" / "heart-2.png").is_file()


def test_a_picture_anki_gave_another_note_too_leaves_each_note_its_own_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Aorta showed a.png, Vein b.png; the record is a quiz's that kept no picture names. In Anki she gave Aorta
    Vein's b.png too, and exported without media: both notes name b.png, each having shown another file in its
    place. Vein showed Aorta's a.png, a picture it never had. Each keeps its own; Aorta's is said, every time (which
    file is b.png's the record cannot say)."""
    col, ids = _medicine(tmp_path / "anki", {"a.png": "red", "b.png": "blue"}, {"Aorta": "a.png", "Vein": "b.png"})
    c1 = _export(col, tmp_path / "anki" / "c1.apkg")
    _rewrite(col, ids["Aorta"], "Front", 'Aorta <img src="b.png">')
    data, c2 = _first_then_bare(col, c1, tmp_path, capsys)
    for _ in range(2):
        said = _into_medicine(data, c2, capsys)
        assert "is not in the package" not in said
        assert _medicine_shows(data) == {"Aorta": ("medicine-media/a.png",), "Vein": ("medicine-media/b.png",)}
        assert said.count("its picture 'b.png' (not in the package) is kept as 'a.png', the file its note") == 1


def _medicine_sides(data: Path) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The pictures each note of `medicine` shows with its question and with its answer, by its front."""
    deck = load_deck_file(data / "decks" / "medicine.yaml").deck
    assert deck is not None
    return {note.body.front: _pictures(note) for note in deck.notes}


def test_a_picture_added_on_one_side_leaves_the_other_sides_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record is a quiz's that kept no picture names. In Anki she added new.png to Heart's answer, and c.png
    beside a.png to Aorta's question, and exported without media: Heart lost heart.png and Aorta b.png ("not in the
    package", "1 updated"), the files still in medicine-media, as the note names more pictures than it showed, and
    Aorta a.png too. A side showing as many as before keeps its own, and a picture out of place the file of its
    own name the note showed; only the pictures added are named."""
    col, ids = _medicine(tmp_path / "anki", {"heart.png": "red", "a.png": "blue"}, {"Heart": "heart.png"})
    for name, colour in (("b.png", "green"), ("c.png", "orange"), ("new.png", "purple")):
        col.media.write_data(name, png((20, 12), {(2, 2, 8, 8): colour}))
    aorta = add(col, "Basic", "Medicine", {"Front": 'Aorta <img src="a.png">', "Back": 'aorta <img src="b.png">'})
    c1 = _export(col, tmp_path / "anki" / "c1.apkg")
    _rewrite(col, ids["Heart"], "Back", 'heart <img src="new.png">')
    _rewrite(col, aorta, "Front", 'Aorta <img src="a.png"><img src="c.png">')
    data, c2 = _first_then_bare(col, c1, tmp_path, capsys)
    for _ in range(2):
        said = _into_medicine(data, c2, capsys)
        assert "'heart.png' is not in the package" not in said and "'b.png' is not in the package" not in said
        assert "'new.png' is not in the package" in said and "'c.png' is not in the package" in said
        assert "updated: 0 updated" in said
        assert _medicine_sides(data) == {"Heart": (("heart.png",), ()), "Aorta": (("a.png",), ("b.png",))}, said


def test_a_note_showing_a_named_and_an_unnamed_picture_keeps_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Heart (Medicine::Cardio) shows heart.png, Kidney (Medicine::Renal) heart.png and kidney.png; the record is
    a quiz's that kept no picture names, then an import of Medicine::Cardio alone (without media) named
    heart.png's. The whole collection without media next left kidney.png out of Kidney ("not in the package"),
    every time, the file still in medicine-media: its named picture stood in its place uncounted."""
    work = tmp_path / "anki"
    work.mkdir()
    col = Collection(str(work / "collection.anki2"))
    for name, colour in (("kidney.png", "green"), ("heart.png", "red")):
        col.media.write_data(name, png((20, 12), {(2, 2, 8, 8): colour}))
    add(col, "Basic", "Medicine::Cardio", {"Front": 'Heart <img src="heart.png">', "Back": "Pumps"})
    kidney = 'Kidney <img src="heart.png"><img src="kidney.png">'
    add(col, "Basic", "Medicine::Renal", {"Front": kidney, "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})  # a deck a file each
    col.export_collection_package(str(work / "c1.colpkg"), include_media=True, legacy=False)
    col = Collection(str(work / "collection.anki2"))  # the export closes it
    col.export_collection_package(str(work / "c2.colpkg"), include_media=False, legacy=False)
    col.close()
    data = tmp_path / "data"
    for args in (("c1.colpkg",), ("c2.colpkg", "--anki-deck=Medicine::Cardio"), ("c2.colpkg",), ("c2.colpkg",)):
        if args[1:]:
            forget_names(data, "medicine")
        code, out, err = run(capsys, "--data-dir", str(data), "import", str(work / args[0]), *args[1:])
        assert code == 0, err
        assert "is not in the package" not in err, args
        assert _medicine_shows(data) == {
            "Heart": ("medicine-media/heart.png",),
            "Kidney": ("medicine-media/heart.png", "medicine-media/kidney.png"),
        }, args


def test_a_file_two_notes_showed_is_given_to_one_picture_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Aorta and Vein both showed heart.png; the record is a quiz's that kept no picture names. In Anki she swapped
    Aorta's for heart-new.png, another picture: without media, both heart-new.png and heart.png were given the file
    heart.png, and the next package with its media wrote heart-new.png's bytes over it, Vein showing Aorta's
    picture and the record naming a file never written. A file goes to the one picture it is named for: Aorta's
    new one is left out, named, until the package with its media brings it under a name of its own."""
    col, ids = _medicine(tmp_path / "anki", {"heart.png": "red"}, {"Aorta": "heart.png", "Vein": "heart.png"})
    c1 = _export(col, tmp_path / "anki" / "c1.apkg")
    col.media.write_data("heart-new.png", png((20, 12), {(4, 4, 10, 10): "purple"}))
    _rewrite(col, ids["Aorta"], "Front", 'Aorta <img src="heart-new.png">')
    c3 = _export(col, tmp_path / "anki" / "c3.apkg")
    data, c2 = _first_then_bare(col, c1, tmp_path, capsys)
    media = data / "decks" / "medicine-media"
    hearts = (media / "heart.png").read_bytes()
    said = _into_medicine(data, c2, capsys)
    assert "its picture 'heart-new.png' is not in the package" in said
    assert _medicine_shows(data) == {"Aorta": (), "Vein": ("medicine-media/heart.png",)}
    _into_medicine(data, c3, capsys)
    shown = _medicine_shows(data)
    assert shown["Vein"] == ("medicine-media/heart.png",) and (media / "heart.png").read_bytes() == hearts
    (aortas,) = shown["Aorta"]
    assert aortas != "medicine-media/heart.png" and (data / "decks" / aortas).read_bytes() != hearts
    record = json.loads(record_path(data / "decks" / "medicine.yaml").read_text(encoding="utf-8"))
    assert all((media / file).is_file() for file in record["names"].values()), record["names"]
    said = _into_medicine(data, c2, capsys)
    assert "is not in the package" not in said
    assert _medicine_shows(data) == shown


def _with_her_own_card(data: Path, deck_id: str, picture: str) -> None:
    """She adds a card of her own to the deck `deck_id`, showing the picture file `picture` of its folder."""
    deck_file = data / "decks" / f"{deck_id}.yaml"
    text = deck_file.read_text(encoding="utf-8").rstrip("\n")
    own = f"\n  - id: mine\n    kind: basic\n    front: My own\n    back: hers\n    image: {deck_id}-media/{picture}\n"
    deck_file.write_text(text + "\n" + own, encoding="utf-8")


def test_a_picture_moved_to_another_place_keeps_its_own_file_not_the_one_in_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record is a quiz's that kept no picture names. The note showed a.png on its front and b.png on its back;
    in Anki she moved b.png to the front and took a.png off. Without media, b.png took a.png, the file in its
    place, though the folder has b.png, the file the note showed under the picture's own name; the record then
    named a.png for b.png, and the next package with its media wrote b.png's bytes over a.png, her own card
    showing a.png coming to show the blue picture."""
    work = tmp_path / "anki"
    work.mkdir()
    col = Collection(str(work / "collection.anki2"))
    red, blue = png((20, 12), {(2, 2, 8, 8): "red"}), png((20, 12), {(2, 2, 8, 8): "blue"})
    col.media.write_data("a.png", red)
    col.media.write_data("b.png", blue)
    note_id = add(col, "Basic", "Anatomy", {"Front": 'Q <img src="a.png">', "Back": 'A <img src="b.png">'})
    v1 = _export(col, work / "v1.apkg")
    _rewrite_both(col, note_id, 'Q <img src="b.png">', "A")
    v2 = _export(col, work / "v2.apkg", with_media=False)
    v3 = _export(col, work / "v3.apkg")
    col.close()
    _import(tmp_path, v1, capsys)
    forget_names(tmp_path)
    said = _import(tmp_path, v2, capsys)
    assert "kept as 'a.png'" not in said
    assert _pictures(_notes(tmp_path)["Q"]) == (("b.png",), ())
    _with_her_own_card(tmp_path, "anatomy", "a.png")
    _import(tmp_path, v3, capsys)
    media = tmp_path / "decks" / "anatomy-media"
    assert (media / "a.png").read_bytes() == red and (media / "b.png").read_bytes() == blue
    notes = _notes(tmp_path)
    assert _pictures(notes["Q"]) == (("b.png",), ()) and _pictures(notes["My own"]) == (("a.png",), ())


def _rewrite_both(col: Collection, note_id: Any, front: str, back: str) -> None:
    note = col.get_note(note_id)
    note["Front"], note["Back"] = front, back
    col.update_note(note)


def test_a_picture_anki_swapped_is_kept_in_place_unrecorded_so_its_media_never_overwrite_her_file(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record is a quiz's that kept no picture names; Anki swapped the heart's question picture for
    heart-new.png (v3, without media). Which file heart-new.png is cannot be told: the note keeps heart.png, said
    at each such import, and the record does not name it for heart-new.png. She then shows heart.png on a card of
    her own; the package with its media writes heart-new.png under a name of its own, never over her heart.png."""
    _import(tmp_path, made["v1"], capsys)
    forget_names(tmp_path)
    media = tmp_path / "decks" / "anatomy-media"
    hearts = (media / PLAIN).read_bytes()
    for _ in range(2):
        said = _import(tmp_path, made["v3-nomedia"], capsys)
        assert "its picture 'heart-new.png' (not in the package) is kept as 'heart.png', the file its note" in said
        assert _pictures(_notes(tmp_path)["Name the organ"]) == ((PLAIN,), (LABELLED,))
        names = json.loads((tmp_path / "decks" / "anatomy.import.json").read_text(encoding="utf-8"))["names"]
        assert "heart-new.png" not in names and names[LABELLED] == LABELLED
    _with_her_own_card(tmp_path, "anatomy", PLAIN)
    _import(tmp_path, made["v3"], capsys)
    assert (media / PLAIN).read_bytes() == hearts
    notes = _notes(tmp_path)
    assert _pictures(notes["My own"]) == ((PLAIN,), ())
    (new,) = notes["Name the organ"].images
    assert Path(new).name != PLAIN and (tmp_path / "decks" / new).read_bytes() != hearts
