"""A deck an earlier quiz imported, holding notes with a picture that quiz read as one note then and reads card by
card now: a reverse pair whose templates ask with words of their own (`{{Class}}: name a drug` / `Which class is
{{Drug}}?`) and a cloze whose gaps share a number (`{{c1::Na}} and {{c1::K}}`). Imported again while Anki did not
change them, each stays the deck's note, its picture as the deck has it and her progress on its cards: nothing
gone, nothing new.

tests/data/anki/earlier-pictures: v1.apkg (studied in Anki, the pictures in it) is Anki's own, written by
`make_packages` below (`python -m tests.core.test_reimport_earlier_pictures`, with the `anki` package of the bench
group), which also writes expected.json (the GUIDs), v1.txt, Anki's Notes in Plain Text of v1.apkg imported
into a new collection (tools/make_anki_fixtures.export_plain_text), and packages of v1.apkg imported into a
new collection, changed there and exported: renamed.apkg, the drug's picture renamed, said.apkg, a sound added
to the drug, and nomedia.apkg, exported without media, with sound-renamed.apkg, said-nomedia.apkg,
img-shared.apkg and swapped.apkg (make_media_changed; all alone, without making v1.apkg again:
`python -c "from tests.core.test_reimport_earlier_pictures import *; make_changed(DATA)"`). v1.yaml,
v1.import.json and the pictures beside them are what `quiz import tests/data/anki/earlier-pictures/v1.apkg` wrote
at commit e3fae35b (the last before quiz read such a cloze card by card; it read the reverse pair as one reverse
note too, as until 390c1f68), run from `git archive e3fae35b` with a new data folder, copied as they were."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import zstandard

from quiz.core.anki.package import media_map
from quiz.core.browse_data import toggle_suspended
from quiz.core.cardstate import effective_state
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.events import card_number
from quiz.core.flags import toggle_flag
from quiz.core.importers import ids
from quiz.core.kinds import texts
from quiz.core.model import Deck, Grade, Mode, Note
from quiz.core.scheduler import Scheduler
from tests.conftest import run_cli as run
from tests.core.test_reimport import opened
from tests.core.test_reimport_earlier_reading import progress_of

DATA = Path(__file__).parents[1] / "data" / "anki" / "earlier-pictures"
GUIDS = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
DRUG, CLOZE = ids.id_from_guid(GUIDS["drug"]), ids.id_from_guid(GUIDS["cloze"])  # one note each for the earlier quiz
NOW = datetime.now(UTC).replace(microsecond=0)  # when she studied in quiz: after every answer Anki logged
SAID = b"ID3\x04\x00Propranolol, said"  # the drug's sound file in said.apkg
PICTURES = {DRUG: ("v1-media/pill.png",), CLOZE: ("v1-media/pump.png",)}  # as the earlier quiz wrote them


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """The data folder of a student who imported v1.apkg with the earlier quiz, then studied in quiz: answered
    both cards of the reverse note and the cloze's first, flagged the reverse note's first card, suspended the
    cloze's last."""
    shutil.copytree(DATA, tmp_path / "decks", ignore=shutil.ignore_patterns("*.apkg", "expected.json"))
    (forward, backward), (first, *_, last) = (cards_of("v1", _notes(tmp_path)[note_id]) for note_id in (DRUG, CLOZE))
    with opened(tmp_path) as store:
        for card in (forward, backward, first):
            before = effective_state(card, store.state("v1", card.key))
            after = Scheduler(store.settings()).review(card_number("v1", card.key), before, Grade.GOOD, NOW)
            store.record_review("v1", card.key, Grade.GOOD, NOW, 1000, Mode.REVIEW, None, after)
        toggle_flag(store, forward, 1)
        toggle_suspended(store, last)
    return tmp_path


def _notes(folder: Path) -> dict[str, Note]:
    loaded = load_deck_file(folder / "decks" / "v1.yaml").deck
    assert isinstance(loaded, Deck)
    return {note.id: note for note in loaded.notes}


def _progress(folder: Path) -> dict[str, tuple[int, bool, int]]:
    """The progress of each card of the earlier notes (progress_of)."""
    notes = _notes(folder)
    return progress_of(folder, [card for note_id in PICTURES for card in cards_of("v1", notes[note_id])], NOW)


def test_the_same_package_again_keeps_the_earlier_notes_with_their_pictures(earlier: Path, capsys) -> None:
    """It listed both notes as gone ("0 updated, 4 new, 1 unchanged, 2 gone") and added a basic note per Anki card
    beside each, with Anki's schedule: a note with a picture was taken for one Anki changed."""
    deck = earlier / "decks" / "v1.yaml"
    before, pictures = (
        deck.read_bytes(),
        {p: (earlier / "decks" / p).read_bytes() for ps in PICTURES.values() for p in ps},
    )
    progress = _progress(earlier)
    assert progress[DRUG] == (1, False, 1) and sum(answers for answers, _, _ in progress.values()) == 3
    assert sum(suspended for _, suspended, _ in progress.values()) == 1
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "v1.apkg"), "--remove-missing")
    assert code == 0, err
    assert "0 updated, 0 new, 3 unchanged, 0 gone from v1.apkg" in out and "the deck file is unchanged" in out
    assert "kept as an earlier quiz read them (2 notes;" in out
    assert (
        "kept as an earlier quiz read it, one reverse note" in err
        and "kept as an earlier quiz read it, one cloze" in err
    )
    assert deck.read_bytes() == before
    notes = _notes(earlier)
    assert {note_id: notes[note_id].all_images for note_id in PICTURES} == PICTURES
    assert {p: (earlier / "decks" / p).read_bytes() for ps in PICTURES.values() for p in ps} == pictures
    assert _progress(earlier) == progress
    with opened(earlier) as store:
        assert len(store.reviews("v1", DRUG)) > 1  # Anki's answers came, under the earlier note's cards
        assert not [key for key in store.states("v1") if key.startswith((f"{DRUG}-", f"{CLOZE}-"))]


def test_the_text_export_keeps_the_earlier_cloze_with_the_deck_s_picture(earlier: Path, capsys) -> None:
    """Anki's text export carries no picture: the cloze it gives is the record's, its picture the deck's. The reverse
    note it reads by content, as basic (a text export holds no templates; docs/import-export.md says to import the
    package for such a deck): its kind changes, and the warning says so."""
    progress = _progress(earlier)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "v1.txt"))
    assert code == 0, err
    assert "1 updated, 0 new, 2 unchanged, 0 gone from v1.txt" in out
    assert "kept as an earlier quiz read them (1 note;" in out and f"  {CLOZE}  " in out
    notes = _notes(earlier)
    assert notes[CLOZE].kind == "cloze" and notes[CLOZE].all_images == PICTURES[CLOZE]
    assert {key: value for key, value in _progress(earlier).items() if key.startswith(CLOZE)} == {
        key: value for key, value in progress.items() if key.startswith(CLOZE)
    }
    assert notes[DRUG].kind == "basic" and f"card {DRUG}: kind changed from reverse to basic" in err


def test_a_picture_renamed_in_anki_is_the_same_picture(earlier: Path, capsys) -> None:
    """Anki renamed the drug's picture (pill-renamed.png, the same bytes): the update gives it the file it had, by
    its bytes, so it is no change of the note. It removed the studied note with --remove-missing ("2 new ... 1
    gone") while the notes made in its place showed the very same file."""
    before, progress = (earlier / "decks" / "v1.yaml").read_bytes(), _progress(earlier)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "renamed.apkg"), "--remove-missing")
    assert code == 0, err
    assert "0 updated, 0 new, 3 unchanged, 0 gone from renamed.apkg" in out and "the deck file is unchanged" in out
    assert (earlier / "decks" / "v1.yaml").read_bytes() == before and _progress(earlier) == progress
    assert {note_id: _notes(earlier)[note_id].all_images for note_id in PICTURES} == PICTURES


def _sound_recorded(earlier: Path) -> Path:
    """The drug's answer with `[sound:.say.mp3]` as the earlier quiz wrote it (as text, no file), in the deck and
    its record, as if v1.apkg had carried it; returns the decks folder."""
    decks = earlier / "decks"
    for name in ("v1.yaml", "v1.import.json"):
        text = (decks / name).read_text(encoding="utf-8")
        (decks / name).write_text(text.replace("back: Propranolol", "back: Propranolol [sound:.say.mp3]"), "utf-8")
    return decks


def _said(earlier: Path, capsys: pytest.CaptureFixture[str], package: str) -> str:
    """What importing `package` of DATA with --remove-missing says (it succeeds)."""
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / package), "--remove-missing")
    assert code == 0, err
    return out + err


def test_pictures_whose_bytes_anki_swapped_keep_the_notes_their_files_as_the_update_names_them(
    earlier: Path, capsys
) -> None:
    """Anki's pill.png holds the pump's picture and its .pump.png the pill's, each note as it was: the update gives
    each picture the file its note showed (_names_kept), so the comparison does too (one kept_names call of the
    same notes), and the notes are kept, the files taking Anki's new bytes. It named each picture by its bytes
    for the comparison alone, the other note's file, and removed both studied notes ("4 new ... 2 gone")."""
    decks = earlier / "decks"
    before, progress = (decks / "v1.yaml").read_bytes(), _progress(earlier)
    pill, pump = ((decks / path).read_bytes() for path in (*PICTURES[DRUG], *PICTURES[CLOZE]))
    assert "0 updated, 0 new, 3 unchanged, 0 gone from swapped.apkg" in _said(earlier, capsys, "swapped.apkg")
    assert (decks / "v1.yaml").read_bytes() == before and _progress(earlier) == progress
    assert [(decks / path).read_bytes() for path in (*PICTURES[DRUG], *PICTURES[CLOZE])] == [pump, pill]


def test_a_sound_on_an_earlier_note_comes_as_on_any_note(earlier: Path, capsys) -> None:
    """The earlier quiz kept `[sound:.say.mp3]` as text, no file (as it wrote it, before quiz kept sounds: the deck
    and its record say so here). The note is kept, its reference naming the file now written beside the deck, as
    any note's (`say.mp3`): it stayed `.say.mp3`, with no file, as the package's sound was not named at all."""
    decks = _sound_recorded(earlier)
    progress = _progress(earlier)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "said.apkg"), "--remove-missing")
    assert code == 0, err
    assert "1 updated, 0 new, 2 unchanged, 0 gone from said.apkg" in out
    assert "kept as an earlier quiz read them (2 notes;" in out
    drug = _notes(earlier)[DRUG]
    assert drug.kind == "reverse" and "Propranolol [sound:say.mp3]" in texts(drug)
    assert (decks / "v1-media" / "say.mp3").read_bytes() == SAID and _progress(earlier) == progress


def test_a_picture_named_as_a_sound_never_names_its_file_as_an_earlier_note_s_sound(
    earlier: Path, tmp_path: Path, capsys
) -> None:
    """The drug says `[sound:.say.mp3]`, whose file is a PNG another note shows (`<img src=".say.mp3">`, kept as
    say.png): the earlier note's reference stays as text. The notes an earlier quiz read were renamed with the
    pictures and sounds in one mapping, the reference made `[sound:say.png]`, the picture's file."""
    pytest.importorskip("anki")
    from tools.make_anki_fixtures import add, png

    def shown_too(col: Any, note: Any) -> None:
        assert col.media.write_data(".say.mp3", png((8, 8), {(1, 1, 4, 4): "red"})) == ".say.mp3"
        note["Drug"] = note["Drug"].replace("Propranolol", "Propranolol [sound:.say.mp3]")
        add(col, "Basic", "Renal", {"Front": "Which pill?", "Back": '<img src=".say.mp3">'})

    shutil.copy(DATA / "v1.apkg", tmp_path / "v1.apkg")
    _remade(tmp_path, "shown.apkg", shown_too)
    decks = _sound_recorded(earlier)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(tmp_path / "shown.apkg"))
    assert code == 0, err
    assert "kept as an earlier quiz read them (2 notes;" in out
    assert "Propranolol [sound:.say.mp3]" in texts(_notes(earlier)[DRUG])  # as text: no sound file of that name
    assert [path.name for path in (decks / "v1-media").iterdir() if path.name.startswith("say")] == ["say.png"]


def test_a_sound_renamed_in_anki_is_the_same_sound(earlier: Path, capsys) -> None:
    """said.apkg imported (the drug's `[sound:say.mp3]` written), then Anki renamed the sound (say-renamed.mp3, the
    same bytes): the update knows it by its bytes, the file it had, so it is no change of the note. It removed the
    studied note with --remove-missing ("2 new ... 1 gone"), the notes made in its place naming say.mp3."""
    decks = _sound_recorded(earlier)
    _said(earlier, capsys, "said.apkg")
    before, progress = (decks / "v1.yaml").read_bytes(), _progress(earlier)
    said = _said(earlier, capsys, "sound-renamed.apkg")
    assert "0 updated, 0 new, 3 unchanged, 0 gone from sound-renamed.apkg" in said
    assert (decks / "v1.yaml").read_bytes() == before and _progress(earlier) == progress
    assert "Propranolol [sound:say.mp3]" in texts(_notes(earlier)[DRUG])


def test_a_sound_the_import_named_otherwise_is_the_same_sound(earlier: Path, capsys) -> None:
    """A say.mp3 of hers in v1-media: the import wrote the package's `.say.mp3` as say-2.mp3 (its reference so);
    the same package again names it say.mp3 still, which is no change of the note. It removed the studied note
    with --remove-missing ("2 new ... 1 gone")."""
    decks = _sound_recorded(earlier)
    (decks / "v1-media" / "say.mp3").write_bytes(b"ID3 her own recording")
    assert "1 updated, 0 new, 2 unchanged, 0 gone from said.apkg" in _said(earlier, capsys, "said.apkg")
    assert "Propranolol [sound:say-2.mp3]" in texts(_notes(earlier)[DRUG])
    before, progress = (decks / "v1.yaml").read_bytes(), _progress(earlier)
    assert "0 updated, 0 new, 3 unchanged, 0 gone from said.apkg" in _said(earlier, capsys, "said.apkg")
    assert (decks / "v1.yaml").read_bytes() == before and _progress(earlier) == progress
    assert (decks / "v1-media" / "say.mp3").read_bytes() == b"ID3 her own recording"
    assert (decks / "v1-media" / "say-2.mp3").read_bytes() == SAID


def test_a_package_without_media_keeps_the_deck_s_sound(earlier: Path, capsys) -> None:
    """said.apkg imported, then exported without media: the note names `.say.mp3`, which the package lacks and
    the deck's folder has under the name the import recorded (say.mp3): no change, the note kept, its reference
    that file. It removed the studied note with --remove-missing ("2 new ... 1 gone"): the reference left as text
    (`[sound:.say.mp3]`) was taken for Anki's change."""
    decks = _sound_recorded(earlier)
    _said(earlier, capsys, "said.apkg")
    before, progress = (decks / "v1.yaml").read_bytes(), _progress(earlier)
    said = _said(earlier, capsys, "said-nomedia.apkg")
    assert "0 updated, 0 new, 3 unchanged, 0 gone from said-nomedia.apkg" in said
    assert "its sound" not in said
    assert (decks / "v1.yaml").read_bytes() == before and _progress(earlier) == progress
    assert (decks / "v1-media" / "say.mp3").read_bytes() == SAID


def test_a_picture_taken_off_an_earlier_note_in_anki_keeps_the_note_though_another_shows_it(
    earlier: Path, capsys
) -> None:
    """Anki took the drug's `<img>` off, while a new Basic note shows pill.png: the drug is updated without it,
    kept, as when no other note shows it (the package then lacks the picture). It removed the studied note with
    --remove-missing ("3 new ... 1 gone"): the picture still in the package was taken for Anki's change."""
    progress = _progress(earlier)
    said = _said(earlier, capsys, "img-shared.apkg")
    assert "1 updated, 1 new, 2 unchanged, 0 gone from img-shared.apkg" in said
    notes = _notes(earlier)
    assert (notes[DRUG].kind, notes[DRUG].all_images) == ("reverse", ())
    (pill,) = (note for note in notes.values() if note.id not in (*PICTURES, ids.id_from_guid(GUIDS["basic"])))
    assert pill.all_images == PICTURES[DRUG] and _progress(earlier) == progress


def test_a_package_without_media_keeps_the_earlier_notes_with_the_deck_s_pictures(earlier: Path, capsys) -> None:
    """Exported without media ("Include media" unticked), the package names the pictures and carries none: each
    earlier note keeps the file the earlier import wrote (under the name it recorded), as Anki, whose media folder
    has them, shows them still: no change, the deck file as it was, her progress on them. It updated both without
    their pictures ("2 updated, 0 new, 1 unchanged"), though the deck's folder held them."""
    deck = earlier / "decks" / "v1.yaml"
    before, progress = deck.read_bytes(), _progress(earlier)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "nomedia.apkg"), "--remove-missing")
    assert code == 0, err
    assert "0 updated, 0 new, 3 unchanged, 0 gone from nomedia.apkg" in out and "the deck file is unchanged" in out
    assert "kept as an earlier quiz read them (2 notes;" in out
    assert "pictures and sound files kept as the deck has them, on 2 notes: nomedia.apkg lacks them" in out
    assert "not in the package" not in err
    assert deck.read_bytes() == before
    notes = _notes(earlier)
    assert {note_id: (notes[note_id].kind, notes[note_id].all_images) for note_id in PICTURES} == {
        DRUG: ("reverse", PICTURES[DRUG]),
        CLOZE: ("cloze", PICTURES[CLOZE]),
    }
    assert _progress(earlier) == progress
    # the full package next: its pictures are the deck's, no change (it removed both notes, "4 new ... 2 gone")
    assert "0 updated, 0 new, 3 unchanged, 0 gone from v1.apkg" in _said(earlier, capsys, "v1.apkg")
    assert deck.read_bytes() == before and _progress(earlier) == progress


def _with_a_broken_pill(folder: Path) -> Path:
    """v1.apkg with the drug's picture (pill.png) holding bytes that are no picture (broken in Anki's media
    folder), as `folder`/broken.apkg."""
    package = folder / "broken.apkg"
    with zipfile.ZipFile(DATA / "v1.apkg") as source, zipfile.ZipFile(package, "w") as target:
        pill = next(member for member, name in media_map(source, True, "v1.apkg").items() if name == "pill.png")
        for info in source.infolist():
            data = source.read(info)
            target.writestr(
                info, zstandard.ZstdCompressor().compress(b"not a picture at all") if info.filename == pill else data
            )
    return package


def test_a_picture_the_package_holds_unreadable_keeps_the_earlier_note_with_the_deck_s_picture(
    earlier: Path, capsys, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The package holds pill.png as bytes that are no picture: the earlier note keeps the file the earlier import
    wrote, as when the package lacks it, the deck file as it was, and nothing says it is left out. The note kept
    it, but a warning said "its picture 'pill.png' is not in the package": the notes an earlier quiz read counted
    it lacking, those read now (whose warnings are said) did not."""
    deck = earlier / "decks" / "v1.yaml"
    before, progress = deck.read_bytes(), _progress(earlier)
    code, out, err = run(
        capsys,
        "--data-dir",
        str(earlier),
        "import",
        str(_with_a_broken_pill(tmp_path_factory.mktemp("anki"))),
        "--remove-missing",
    )
    assert code == 0, err
    assert "0 updated, 0 new, 3 unchanged, 0 gone from broken.apkg" in out and "the deck file is unchanged" in out
    assert "pictures and sound files kept as the deck has them, on 1 note: broken.apkg lacks them or holds them" in out
    assert "its picture 'pill.png'" not in err
    assert deck.read_bytes() == before and _progress(earlier) == progress
    assert {note_id: _notes(earlier)[note_id].all_images for note_id in PICTURES} == PICTURES


def test_a_package_without_media_leaves_out_a_picture_she_deleted(earlier: Path, capsys) -> None:
    """The drug's picture deleted from v1-media: neither the package nor the folder has it, so the earlier note is
    updated without it (the deck then loads), still kept, and the warning names it; the cloze keeps its own."""
    progress = _progress(earlier)
    (earlier / "decks" / "v1-media" / "pill.png").unlink()  # the deck does not load so (its image: names it)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "nomedia.apkg"), "--remove-missing")
    assert code == 0, err
    assert "1 updated, 0 new, 2 unchanged, 0 gone from nomedia.apkg" in out
    assert "kept as an earlier quiz read them (2 notes;" in out
    assert "its picture 'pill.png' is not in the package" in err and "'.pump.png'" not in err
    notes = _notes(earlier)
    assert {note_id: notes[note_id].all_images for note_id in PICTURES} == {DRUG: (), CLOZE: PICTURES[CLOZE]}
    assert _progress(earlier) == progress


def make_packages(folder: Path) -> dict[str, Any]:
    """v1.apkg: a note of a reverse type whose templates ask with words of their own, its drug shown with a picture,
    a cloze whose gaps share a number with a picture below it, and a Basic note, studied for some days. Returns
    what the tests need of them (the GUIDs)."""
    import tempfile

    from anki.collection import Collection, ExportAnkiPackageOptions

    from tools.make_anki_fixtures import add, png, study_days

    work = Path(tempfile.mkdtemp())
    path = work / "collection.anki2"
    col = Collection(str(path))
    models = col.models
    notetype = models.new("Drug class")
    for field in ("Drug", "Class"):
        models.add_field(notetype, models.new_field(field))
    for number, (front, back) in enumerate(
        (
            ("{{Class}}: name a drug", "{{FrontSide}}<hr id=answer>{{Drug}}"),
            ("Which class is {{Drug}}?", "{{FrontSide}}<hr id=answer>Class: {{Class}}"),
        ),
        start=1,
    ):
        template = models.new_template(f"Card {number}")
        template["qfmt"], template["afmt"] = front, back
        models.add_template(notetype, template)
    models.add(notetype)
    assert col.media.write_data("pill.png", png((24, 16), {(2, 2, 12, 12): "red"})) == "pill.png"
    assert col.media.write_data(".pump.png", png((24, 16), {(8, 4, 20, 12): "blue"})) == ".pump.png"
    drug = add(col, "Drug class", "Renal", {"Drug": 'Propranolol<br><img src="pill.png">', "Class": "Beta blocker"})
    text = '{{c1::Na}} and {{c1::K}} are pumped by {{c2::Na/K-ATPase}}<br><img src=".pump.png">'
    cloze = add(col, "Cloze", "Renal", {"Text": text})
    basic = add(col, "Basic", "Renal", {"Front": "Loop diuretic?", "Back": "Furosemide"})
    col = study_days(col, path, "Renal")
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False)
    col.export_anki_package(out_path=str(folder / "v1.apkg"), options=options, limit=None)
    found = {name: col.get_note(note_id).guid for name, note_id in (("drug", drug), ("cloze", cloze), ("basic", basic))}
    col.close()
    return found


def make_text_export(folder: Path) -> None:
    """v1.txt: Anki's text export of v1.apkg, imported by Anki into a new collection."""
    import tempfile

    from tests.conftest import imported_into_anki
    from tools.make_anki_fixtures import export_plain_text

    with imported_into_anki(folder / "v1.apkg", Path(tempfile.mkdtemp())) as col:
        export_plain_text(col, folder / "v1.txt")


def make_changed(folder: Path) -> None:
    """renamed.apkg: v1.apkg with the drug's picture renamed in Anki (pill-renamed.png, the same bytes, the note
    showing that name); said.apkg: v1.apkg with a sound on the drug (`[sound:.say.mp3]`, a name quiz makes safe);
    nomedia.apkg: v1.apkg exported without its media ("Include media" unticked)."""

    def renamed(col: Any, note: Any) -> None:
        data = Path(col.media.dir(), "pill.png").read_bytes()
        assert col.media.write_data("pill-renamed.png", data) == "pill-renamed.png"
        note["Drug"] = note["Drug"].replace("pill.png", "pill-renamed.png")
        col.media.trash_files(["pill.png"])

    _remade(folder, "renamed.apkg", renamed)
    _remade(folder, "said.apkg", _said_as(".say.mp3"))
    _remade(folder, "nomedia.apkg", lambda col, note: None, with_media=False)
    make_media_changed(folder)


def make_media_changed(folder: Path) -> None:
    """sound-renamed.apkg: said.apkg's sound renamed in Anki (say-renamed.mp3, the same bytes, the note naming
    it); said-nomedia.apkg: said.apkg exported without media; img-shared.apkg: the drug's `<img>` removed while a
    new Basic note shows its picture; swapped.apkg: the two pictures' bytes swapped in Anki's media folder (each
    note as it was) (alone, without the others: `python -c "from tests.core.test_reimport_earlier_pictures import
    *; make_media_changed(DATA)"`)."""
    from tools.make_anki_fixtures import add

    def shared(col: Any, note: Any) -> None:
        note["Drug"] = note["Drug"].replace('<br><img src="pill.png">', "")
        add(col, "Basic", "Renal", {"Front": "Which pill?", "Back": '<img src="pill.png">'})

    def swapped(col: Any, note: Any) -> None:
        pill, pump = (Path(col.media.dir(), name) for name in ("pill.png", ".pump.png"))
        first, second = pill.read_bytes(), pump.read_bytes()
        pill.write_bytes(second)
        pump.write_bytes(first)

    _remade(folder, "sound-renamed.apkg", _said_as("say-renamed.mp3"))
    _remade(folder, "said-nomedia.apkg", _said_as(".say.mp3"), with_media=False)
    _remade(folder, "img-shared.apkg", shared)
    _remade(folder, "swapped.apkg", swapped)


def _said_as(name: str) -> Callable[[Any, Any], None]:
    """A change in Anki: the drug said (SAID), in a sound file `name` its answer names after the word."""

    def said(col: Any, note: Any) -> None:
        assert col.media.write_data(name, SAID) == name
        note["Drug"] = note["Drug"].replace("Propranolol", f"Propranolol [sound:{name}]")

    return said


def _remade(folder: Path, name: str, change: Callable[[Any, Any], None], *, with_media: bool = True) -> None:
    """`name`: v1.apkg imported by Anki into a new collection, its drug note changed there, exported with scheduling
    and media."""
    import tempfile

    from anki.collection import ExportAnkiPackageOptions

    from tests.conftest import imported_into_anki

    with imported_into_anki(folder / "v1.apkg", Path(tempfile.mkdtemp())) as col:
        (note,) = (n for n in map(col.get_note, col.find_notes("")) if n.guid == GUIDS["drug"])
        change(col, note)
        col.update_note(note)
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=with_media, legacy=False
        )
        col.export_anki_package(out_path=str(folder / name), options=options, limit=None)


if __name__ == "__main__":  # pragma: no cover - run by hand, to make the fixtures again
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "expected.json").write_text(json.dumps(make_packages(DATA), indent=1) + "\n", encoding="utf-8")
    make_text_export(DATA)
    make_changed(DATA)


def test_a_picture_the_earlier_import_named_otherwise_is_the_same_picture(earlier: Path, capsys) -> None:
    """The earlier import gave pill.png the file pill-2.png (a file of that name was there: its record says so, as
    the deck does): the package names it pill.png still, which is no change of the note."""
    decks = earlier / "decks"
    (decks / "v1-media" / "pill.png").rename(decks / "v1-media" / "pill-2.png")
    for name in ("v1.yaml", "v1.import.json"):
        text = (decks / name).read_text(encoding="utf-8")
        (decks / name).write_text(text.replace("v1-media/pill.png", "v1-media/pill-2.png"), encoding="utf-8")
    record = json.loads((decks / "v1.import.json").read_text(encoding="utf-8"))
    record["names"]["pill.png"] = "pill-2.png"
    (decks / "v1.import.json").write_text(json.dumps(record), encoding="utf-8")
    before, progress = (decks / "v1.yaml").read_bytes(), _progress(earlier)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "v1.apkg"))
    assert code == 0, err
    assert "0 updated, 0 new, 3 unchanged, 0 gone from v1.apkg" in out and "the deck file is unchanged" in out
    assert (decks / "v1.yaml").read_bytes() == before and _progress(earlier) == progress
    assert _notes(earlier)[DRUG].all_images == ("v1-media/pill-2.png",)
