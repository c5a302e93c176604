"""Which quiz deck an Anki deck taken alone (--anki-deck, or a whole collection taken apart) updates, once she moved
notes between her Anki decks: a note is never made in two quiz decks (its Anki answers logged twice), an import
never updates nor removes from a deck other than the one holding the Anki deck she named, and no line says a note
moved that did not. Collections made by Anki at test time. Skipped without Anki."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from quiz.core.importers import update
from quiz.core.kinds import KINDS
from tests.conftest import holders_asked
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions  # noqa: E402
from anki.decks import DeckId  # noqa: E402

from tests.core.test_anki_collection_decks import (  # noqa: E402
    _renamed,
    answered_good,
    answers_by_deck,
    deck,
    faces,
    kidney_moved_after_her_collection,
    moved_kidney,
)
from tools.make_anki_fixtures import add  # noqa: E402


def imported(capsys, data: Path, *args: str) -> tuple[str, str]:  # noqa: ANN001
    """`quiz import ARGS` into `data`, which must succeed: (stdout, stderr)."""
    code, out, err = run(capsys, "--data-dir", str(data), "import", *args)
    assert code == 0, err
    return out, err


def two_moved(folder: Path) -> None:
    """c1.colpkg: Kidney (answered in Anki), Heart and Aorta in Medicine, Hund (answered) in Sprachen; then
    c2.colpkg, once she moved Kidney and Heart to Sprachen::Misc."""
    col = Collection(str(folder / "collection.anki2"))
    kidney = add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    heart = add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine::Cardio", {"Front": "Aorta", "Back": "Artery"})
    hund = add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    for note in (kidney, hund):
        answered_good(col, col.get_note(note).cards()[0])
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    col = Collection(str(folder / "collection.anki2"))
    cards = [card.id for note in (kidney, heart) for card in col.get_note(note).cards()]
    col.set_deck(cards, DeckId(col.decks.id("Sprachen::Misc")))
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)


def test_a_note_moved_out_of_the_anki_deck_taken_alone_is_not_gone_and_never_logged_twice(
    capsys, tmp_path: Path
) -> None:
    """Her collection came in whole; she moved Kidney to Sprachen::Misc. `--anki-deck=Medicine --remove-missing`
    keeps Kidney (still in Anki, in a deck the import leaves out), and `--anki-deck=Sprachen` then leaves it in
    `medicine`: its Anki answer is logged once."""
    data = kidney_moved_after_her_collection(capsys, tmp_path)
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Medicine", "--remove-missing")
    assert "Kidney" in faces(deck(data, "medicine")), out
    assert "'Sprachen::Misc' (1)" in out, out
    imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen")
    assert faces(deck(data, "sprachen")) == {"Hund": "dog"}
    assert answers_by_deck(data) == [("medicine", 1)]


def test_an_anki_deck_taken_alone_updates_the_deck_made_of_it_not_one_holding_notes_moved_there(
    capsys, tmp_path: Path
) -> None:
    """`medicine` came from Medicine, `lang` from Sprachen; she moved Kidney and Heart to Sprachen::Misc, and her
    collection came in whole (they stay in `medicine`, topic Misc now). `--anki-deck=Sprachen --remove-missing`
    then updates `lang`, never `medicine` (Aorta, still in Anki's Medicine, was removed from it), and no line
    says Hund moved."""
    two_moved(tmp_path)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine")
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Sprachen", "--deck-id", "lang")
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen", "--remove-missing")
    assert out.splitlines()[0] == str(data / "decks" / "lang.yaml"), err
    assert set(faces(deck(data, "medicine"))) == {"Kidney", "Heart", "Aorta"}
    assert set(faces(deck(data, "lang"))) == {"Hund"}
    assert "Hund" not in err, err
    assert sorted(answers_by_deck(data)) == [("lang", 1), ("medicine", 1)]


def test_a_deck_id_naming_the_deck_an_anki_deck_updates_still_leaves_a_moved_note_where_it_is(
    capsys, tmp_path: Path
) -> None:
    """--deck-id asks for a deck of that id; the notes another deck holds stay there all the same (made again,
    their Anki answers would be logged twice), each named in a line."""
    data = kidney_moved_after_her_collection(capsys, tmp_path)
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen", "--deck-id", "sprachen")
    (said,) = [line for line in err.splitlines() if "Kidney" in line]
    assert said.startswith("note: 'Kidney' stays in deck 'medicine', which holds it and its answers"), err
    assert faces(deck(data, "sprachen")) == {"Hund": "dog"}
    assert answers_by_deck(data) == [("medicine", 1)]


def test_a_whole_collection_never_makes_again_a_note_of_a_deck_made_of_one_of_its_subdecks(
    capsys, tmp_path: Path
) -> None:
    """Medicine::Renal, Medicine::Cardio and Sprachen each came in alone, as decks of their own; her whole
    collection then updates each, no note made twice, and no line says a note moved (none did)."""
    moved_kidney(tmp_path)
    data = tmp_path / "data"
    for name in ("Medicine::Renal", "Medicine::Cardio", "Sprachen"):
        imported(capsys, data, str(tmp_path / "c1.colpkg"), f"--anki-deck={name}")
    out, err = imported(capsys, data, str(tmp_path / "c1.colpkg"))
    assert faces(deck(data, "medicine-renal")) == {"Kidney": "Filters"}
    assert faces(deck(data, "medicine-cardio")) == {"Heart": "Pumps"}
    assert not (data / "decks" / "medicine.yaml").exists()
    assert answers_by_deck(data) == [("medicine-renal", 1)]
    assert "moved" not in err, err
    out, err = imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine")
    assert "moved" not in err, err
    assert faces(deck(data, "medicine-renal")) == {"Kidney": "Filters"}
    assert faces(deck(data, "medicine-cardio")) == {"Heart": "Pumps"}
    assert answers_by_deck(data) == [("medicine-renal", 1)]
    # she moved Kidney to Sprachen::Misc: it stays in `medicine-renal`, and a line says it moved (this time only)
    for said in (True, False):
        out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"))
        assert faces(deck(data, "medicine-renal")) == {"Kidney": "Filters blood"}
        assert faces(deck(data, "sprachen")) == {"Hund": "dog"}
        moved = "note: 1 note of deck 'medicine-renal' was moved in Anki to 'Sprachen'"
        assert (moved in err) is said, err
    assert answers_by_deck(data) == [("medicine-renal", 1)]


def test_an_anki_deck_taken_alone_works_out_which_deck_holds_each_note_once(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    """`--anki-deck=Sprachen`, once she moved Kidney there from Medicine: which imported deck holds each of its notes
    (a pass over every import record's GUIDs) is worked out once, for the deck it updates and for the notes left
    where they are alike, though the package is read again without Kidney."""
    data = kidney_moved_after_her_collection(capsys, tmp_path)
    asked = holders_asked(monkeypatch)
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen")
    assert "'Kidney' stays in deck 'medicine'" in err and "updated: 0 updated, 0 new, 1 unchanged" in out, err
    assert len(asked) == 1


def moved_in_anki(folder: Path, moving: dict[str, str], staying: dict[str, tuple[str, str]], to: str) -> None:
    """c1.colpkg: a note of each front of `moving` (-> its Anki deck; back A), then of `staying` (-> its Anki deck
    and back); then c2.colpkg, once she moved every note of `moving` to the Anki deck `to`."""
    col = Collection(str(folder / "collection.anki2"))
    moved = [add(col, "Basic", name, {"Front": front, "Back": "A"}) for front, name in moving.items()]
    for front, (name, back) in staying.items():
        add(col, "Basic", name, {"Front": front, "Back": back})
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    col = Collection(str(folder / "collection.anki2"))
    cards = [card.id for note in moved for card in col.get_note(note).cards()]
    col.set_deck(cards, DeckId(col.decks.id(to)))
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)


def test_the_notes_left_in_the_deck_holding_them_are_named_up_to_fifty_in_the_package_s_order(
    capsys, tmp_path: Path
) -> None:
    """52 notes she moved in Anki from Medicine to Sprachen::Misc stay in `medicine`: a line names each of the first
    50, in the package's order, as it is, and one more counts the rest; none says a note moved."""
    medicine = {f"Q{number}": "Medicine" for number in range(1, 53)}
    moved_in_anki(tmp_path, medicine, {"Hund": ("Sprachen", "dog")}, "Sprachen::Misc")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen")
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert notes == [
        *(
            f"note: 'Q{number}' stays in deck 'medicine', which holds it and its answers (an earlier import put it"
            " there): not made again in deck 'sprachen'"
            for number in range(1, 51)
        ),
        "note: ... and 2 more, each kept in the deck holding it",
    ]
    assert faces(deck(data, "sprachen")) == {"Hund": "dog"}
    assert len(deck(data, "medicine").notes) == 52


def test_a_deck_id_asking_for_a_deck_of_notes_other_decks_hold_imports_nothing(capsys, tmp_path: Path) -> None:
    """--deck-id copy for Sprachen, every note of which `sprachen` holds: nothing is made again (their Anki answers
    would be logged twice), each named, and a line says nothing was imported."""
    data = kidney_moved_after_her_collection(capsys, tmp_path)
    out, err = imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Sprachen", "--deck-id", "copy")
    assert err.splitlines() == [
        "note: 'Hund' stays in deck 'sprachen', which holds it and its answers (an earlier import put it there): not"
        " made again in deck 'copy'",
        "nothing imported: other decks hold every note of 'Sprachen' (named above)",
    ]
    assert out == "" and not (data / "decks" / "copy.yaml").exists()
    assert answers_by_deck(data) == [("medicine", 1)]


def test_the_notes_moved_in_anki_are_said_deck_by_deck_in_the_package_s_order(capsys, tmp_path: Path) -> None:
    """Decks `a` ... `f` came from her Anki decks A ... F; she moved the note of each to Z: her collection says, deck
    by deck, in the order of the package's notes, that a note of it moved (a set's order changed from run to run)."""
    names = "ABCDEF"
    moved_in_anki(tmp_path, {f"Q{name}": name for name in names}, {"R": ("Rest", "A")}, "Z")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"))
    said = [line.split("'")[1] for line in err.splitlines() if "was moved in Anki to 'Z'" in line]
    assert said == list(names.lower()), err


def test_a_top_level_deck_taken_alone_for_the_first_time_makes_a_deck_of_its_own(capsys, tmp_path: Path) -> None:
    """`medicine` came from Medicine alone; she moved Kidney to Sprachen::Misc. `--anki-deck=Sprachen`, which no
    deck came from, makes `sprachen` of Hund; Kidney stays in `medicine`, which is neither updated with Hund nor
    said to leave Heart out."""
    moved_kidney(tmp_path)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine")
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen")
    assert out.splitlines()[0] == str(data / "decks" / "sprachen.yaml"), out
    assert faces(deck(data, "sprachen")) == {"Hund": "dog"}, out
    assert faces(deck(data, "medicine")) == {"Heart": "Pumps", "Kidney": "Filters"}, out
    assert "left as it is" not in out, out
    assert "'Kidney' stays in deck 'medicine'" in err, err
    assert answers_by_deck(data) == [("medicine", 1)]


def test_a_whole_collection_puts_a_new_note_of_a_subdeck_in_the_deck_made_of_that_subdeck(
    capsys, tmp_path: Path
) -> None:
    """Medicine::Cardio and Medicine::Renal came in alone, as decks of their own; she added Nephron to
    Medicine::Renal in Anki: her whole collection puts it in `medicine-renal`, not `medicine-cardio`."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine::Cardio", {"Front": "Aorta", "Back": "Artery"})
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col.export_collection_package(str(tmp_path / "c1.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    for name in ("Medicine::Cardio", "Medicine::Renal"):
        imported(capsys, data, str(tmp_path / "c1.colpkg"), f"--anki-deck={name}")
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Nephron", "Back": "Unit"})
    col.export_collection_package(str(tmp_path / "c2.colpkg"), include_media=False, legacy=False)
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert set(faces(deck(data, "medicine-renal"))) == {"Kidney", "Nephron"}
    assert set(faces(deck(data, "medicine-cardio"))) == {"Heart", "Aorta"}


def test_a_whole_collection_reads_each_deck_s_anki_decks_once_per_lookup_of_its_decks(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Medicine::Renal, Medicine::Cardio and Sprachen came in alone; her whole collection asks which Anki decks each
    of those decks came from several times (which deck each Anki deck updates, each deck's home, its new notes):
    each deck's import record (a shared deck's is big) is read for it once per look at the deck folder."""
    moved_kidney(tmp_path)
    data = tmp_path / "data"
    for name in ("Medicine::Renal", "Medicine::Cardio", "Sprachen"):
        imported(capsys, data, str(tmp_path / "c1.colpkg"), f"--anki-deck={name}")
    reads: Counter[tuple[update.DeckFolder, str]] = Counter()  # each folder kept: never an id used again
    asking: list[tuple[update.DeckFolder, str]] = []
    anki_decks, record_json = update.DeckFolder.anki_decks, update._record_json

    def asked(folder: update.DeckFolder, deck_id: str) -> object:
        asking.append((folder, deck_id))
        try:
            return anki_decks(folder, deck_id)
        finally:
            asking.pop()

    def read(path: Path) -> object:
        if asking:
            reads[asking[-1]] += 1
        return record_json(path)

    monkeypatch.setattr(update.DeckFolder, "anki_decks", asked)
    monkeypatch.setattr(update, "_record_json", read)
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert reads and max(reads.values()) == 1, reads


def test_a_whole_collection_never_puts_a_note_of_another_subdeck_in_a_deck_made_of_one_subdeck(
    capsys, tmp_path: Path
) -> None:
    """Medicine::Cardio came in alone (`medicine-cardio`, titled Cardio); her whole collection next holds Kidney, of
    Medicine::Renal, which no deck came from: it makes a deck of Medicine's own (`medicine`), never landing in the
    Cardio deck; a note she adds to Medicine::Renal later goes there too, one added to Medicine::Cardio to
    `medicine-cardio`."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col.export_collection_package(str(tmp_path / "c1.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine::Cardio")
    out, _ = imported(capsys, data, str(tmp_path / "c1.colpkg"))
    assert "'Medicine' as deck 'medicine-cardio', 'Medicine' as deck 'medicine'" in out, out
    assert set(faces(deck(data, "medicine-cardio"))) == {"Heart"}
    assert set(faces(deck(data, "medicine"))) == {"Kidney"}
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Nephron", "Back": "Unit"})
    add(col, "Basic", "Medicine::Cardio", {"Front": "Aorta", "Back": "Artery"})
    col.export_collection_package(str(tmp_path / "c2.colpkg"), include_media=False, legacy=False)
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert set(faces(deck(data, "medicine-cardio"))) == {"Heart", "Aorta"}
    assert set(faces(deck(data, "medicine"))) == {"Kidney", "Nephron"}


def test_an_anki_deck_taken_alone_into_a_deck_of_hers_that_is_refused_says_no_note_stays_anywhere(
    capsys, tmp_path: Path
) -> None:
    """Medicine came in alone; `sprachen.yaml` is a deck she wrote herself; she moved Kidney to Sprachen::Misc.
    `--anki-deck Sprachen` is refused (her deck is another deck): no line says Kidney stays in `medicine`, not
    made again in `sprachen`, as nothing was imported."""
    moved_kidney(tmp_path)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine")
    hers = "deck: sprachen\ntitle: Meine Sprachen\ncards:\n  - {id: n1, kind: basic, front: Katze, back: cat}\n"
    (data / "decks" / "sprachen.yaml").write_text(hers, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c2.colpkg"), "--anki-deck=Sprachen")
    assert code == 1 and "it is another deck" in err, err
    assert "stays in deck" not in err, err
    assert (data / "decks" / "sprachen.yaml").read_text(encoding="utf-8") == hers


def hund_then_two_more(folder: Path, renamed: str | None = None) -> None:
    """c1.colpkg: Kidney in Medicine::Renal, Hund in Sprachen::Deutsch (Sprachen's notes all in one subdeck), and
    sprachen-deck.apkg, Anki's package of Sprachen; then
    c2.colpkg, once she added Katze to Sprachen::Deutsch and Chien to Sprachen::Franz (Sprachen `renamed` first)."""
    col = Collection(str(folder / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    col = Collection(str(folder / "collection.anki2"))
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False)
    limit = DeckIdLimit(col.decks.id_for_name("Sprachen"))
    col.export_anki_package(out_path=str(folder / "sprachen-deck.apkg"), options=options, limit=limit)
    top = "Sprachen"
    if renamed is not None:
        sprachen = col.decks.by_name("Sprachen")
        assert sprachen is not None
        sprachen["name"] = top = renamed
        col.decks.save(sprachen)
    add(col, "Basic", f"{top}::Deutsch", {"Front": "Katze", "Back": "cat"})
    add(col, "Basic", f"{top}::Franz", {"Front": "Chien", "Back": "dog"})
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)


@pytest.mark.parametrize(
    ("first", "renamed", "deck_id"),
    [
        (("c1.colpkg",), "Languages", "sprachen"),
        (("c1.colpkg", "--anki-deck=Sprachen", "--deck-id=german"), None, "german"),
        (("sprachen-deck.apkg",), None, "sprachen-deck"),
    ],
    ids=["renamed-in-anki", "deck-id", "deck-package"],
)
def test_a_deck_made_of_a_whole_top_level_deck_whose_notes_were_in_one_subdeck_takes_its_new_subdeck_s_notes(
    capsys, tmp_path: Path, first: tuple[str, ...], renamed: str | None, deck_id: str
) -> None:
    """Sprachen came in whole (its notes all in Sprachen::Deutsch), as `sprachen`, or as `german` by --deck-id;
    she added Chien to Sprachen::Franz (and renamed Sprachen, first): her whole collection puts Chien in that deck,
    which was made of all of Sprachen, whatever its id or Sprachen's name now, never in a second deck."""
    hund_then_two_more(tmp_path, renamed)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / first[0]), *first[1:])
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert set(faces(deck(data, deck_id))) == {"Hund", "Katze", "Chien"}
    assert sorted(path.stem for path in (data / "decks").glob("*.yaml")) == sorted({"medicine", deck_id})


def cardio_then_medicine(
    capsys,  # noqa: ANN001
    folder: Path,
    *args: str,
    languages: bool = True,
    renal: tuple[str, ...] = ("Kidney",),
) -> tuple[Path, str]:
    """Medicine::Cardio (Heart, answered in Anki) came in alone as `medicine-cardio`; then `quiz import ARGS` of the
    same collection, which holds the notes `renal` in Medicine::Renal (and Hund in Sprachen, when `languages`):
    the data folder and the second import's stderr."""
    col = Collection(str(folder / "collection.anki2"))
    for front in renal:
        add(col, "Basic", "Medicine::Renal", {"Front": front, "Back": "Filters"})
    heart = add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    if languages:
        add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    answered_good(col, col.get_note(heart).cards()[0])
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    data = folder / "data"
    imported(capsys, data, str(folder / "c1.colpkg"), "--anki-deck=Medicine::Cardio")
    _, err = imported(capsys, data, str(folder / "c1.colpkg"), *args)
    return data, err


def assert_medicine_made_and_heart_left_in_medicine_cardio(data: Path, medicine: dict[str, str]) -> None:
    """`medicine` holds the notes `medicine` (front: back) and Heart stays in `medicine-cardio`, its Anki answer
    logged there alone, once."""
    assert faces(deck(data, "medicine")) == medicine
    assert faces(deck(data, "medicine-cardio")) == {"Heart": "Pumps"}
    assert answers_by_deck(data) == [("medicine-cardio", 1)]


def test_a_top_level_deck_taken_alone_never_lands_in_a_deck_made_of_one_subdeck_of_it(capsys, tmp_path: Path) -> None:
    """`--anki-deck Medicine`, when only Medicine::Cardio came in alone: as a whole collection, a deck `medicine` of
    Medicine's notes no deck holds (Kidney); Heart stays in `medicine-cardio` with its answer, said so."""
    data, err = cardio_then_medicine(capsys, tmp_path, "--anki-deck=Medicine")
    assert_medicine_made_and_heart_left_in_medicine_cardio(data, {"Kidney": "Filters"})
    assert "'Heart' stays in deck 'medicine-cardio'" in err, err


def test_a_collection_of_one_top_level_deck_never_puts_a_note_of_another_subdeck_in_a_deck_made_of_one_subdeck(
    capsys, tmp_path: Path
) -> None:
    """Her collection holds Medicine alone; Medicine::Cardio came in alone: the whole collection, as one of several
    top-level decks, makes `medicine` of Kidney (Medicine::Renal), never putting it in `medicine-cardio`, where Heart
    stays with its answer, said so."""
    data, err = cardio_then_medicine(capsys, tmp_path, languages=False)
    assert_medicine_made_and_heart_left_in_medicine_cardio(data, {"Kidney": "Filters"})
    assert "one top-level Anki deck: 'Medicine' (2 notes), a subdeck of which was taken alone before" in err, err


def test_a_collection_of_one_top_level_deck_imported_again_still_leaves_a_note_in_the_deck_made_of_one_subdeck(
    capsys, tmp_path: Path
) -> None:
    """Her collection holds Medicine alone; Medicine::Cardio came in alone, then the whole collection made
    `medicine` of Kidney and Nephron: the same collection again, now that `medicine` holds more of its notes than
    `medicine-cardio`, still leaves Heart there, never making it again in `medicine` (its Anki answer logged twice)."""
    data, _ = cardio_then_medicine(capsys, tmp_path, languages=False, renal=("Kidney", "Nephron"))
    for _ in range(2):
        out, _ = imported(capsys, data, str(tmp_path / "c1.colpkg"))
        assert "'Medicine' as deck 'medicine' and 'Medicine' as deck 'medicine-cardio'" in out, out
    assert_medicine_made_and_heart_left_in_medicine_cardio(data, {"Kidney": "Filters", "Nephron": "Filters"})


@pytest.mark.parametrize("languages", [False, True], ids=["one-top-level-deck", "several"])
def test_a_new_note_of_a_subdeck_taken_alone_goes_to_its_deck_with_one_top_level_deck_or_several(
    capsys, tmp_path: Path, languages: bool
) -> None:
    """Medicine::Cardio came in alone, then the whole collection made `medicine` of Kidney; she adds Aorta to
    Medicine::Cardio and Nephron to Medicine::Renal in Anki: the whole collection puts each in the deck made of its
    own Anki deck or the nearest above it, Aorta in `medicine-cardio`, whether Medicine is her only top-level deck
    or one of several."""
    data, _ = cardio_then_medicine(capsys, tmp_path, languages=languages)
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Aorta", "Back": "Artery"})
    add(col, "Basic", "Medicine::Renal", {"Front": "Nephron", "Back": "Unit"})
    col.export_collection_package(str(tmp_path / "c2.colpkg"), include_media=False, legacy=False)
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert set(faces(deck(data, "medicine-cardio"))) == {"Heart", "Aorta"}
    assert set(faces(deck(data, "medicine"))) == {"Kidney", "Nephron"}
    assert answers_by_deck(data) == [("medicine-cardio", 1)]


def test_a_new_top_level_deck_named_as_a_renamed_one_was_makes_a_deck_of_a_free_id(capsys, tmp_path: Path) -> None:
    """Her collection came in whole; she renamed Medicine to Archiv in Anki and made a new Medicine (another Anki
    id) with new notes: `medicine`, made of the deck now called Archiv, keeps its notes, and the new Medicine comes
    in as `medicine-2`, said so, at every import (it was refused at each: `medicine` has none of its notes)."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col.export_collection_package(str(tmp_path / "c1.colpkg"), include_media=False, legacy=False)
    col = Collection(str(tmp_path / "collection.anki2"))
    medicine = col.decks.by_name("Medicine")
    assert medicine is not None
    medicine["name"] = "Archiv"
    col.decks.save(medicine)
    add(col, "Basic", "Medicine::Renal", {"Front": "Nephron", "Back": "unit"})
    add(col, "Basic", "Medicine", {"Front": "Blood", "Back": "red"})
    col.export_collection_package(str(tmp_path / "c2.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    out, err = imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert "'Medicine' as deck 'medicine-2'" in out, out
    assert "come in as deck 'medicine-2'" in err, err
    assert set(faces(deck(data, "medicine"))) == {"Kidney"}
    assert set(faces(deck(data, "medicine-2"))) == {"Nephron", "Blood"}
    out, _ = imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert "'Medicine' as deck 'medicine-2'" in out, out


def test_a_deck_deleted_in_anki_keeps_its_id_in_the_record_not_the_id_of_a_new_deck_of_its_name(
    capsys, tmp_path: Path
) -> None:
    """Her collection came in whole; she moved Heart to Sprachen, deleted Medicine (with Kidney) and made a new
    Medicine::Renal (no note in it yet): `medicine`'s record keeps the ids of the decks it came from, never taking
    the new decks' for theirs (a rename of the new one would be said to update `medicine`)."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    heart = add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    before = {name: col.decks.id_for_name(name) for name in ("Medicine", "Medicine::Renal")}
    col.export_collection_package(str(tmp_path / "c1.colpkg"), include_media=False, legacy=False)
    col = Collection(str(tmp_path / "collection.anki2"))
    col.set_deck([card.id for card in col.get_note(heart).cards()], DeckId(col.decks.id("Sprachen::Deutsch")))
    col.decks.remove([DeckId(col.decks.id("Medicine"))])
    assert col.decks.id("Medicine::Renal") != before["Medicine::Renal"]  # made anew, with no note yet
    col.export_collection_package(str(tmp_path / "c2.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    imported(capsys, data, str(tmp_path / "c2.colpkg"), "--remove-missing")
    record = update.read_record(data / "decks" / "medicine.yaml")
    assert record is not None
    assert {name: record.deck_ids[name] for name in before} == before


def cardio_as_medicine(capsys, folder: Path, languages: bool = True) -> Path:  # noqa: ANN001
    """c1.colpkg: Heart (answered in Anki) in Medicine::Cardio, then Kidney in Medicine::Renal (and Hund in Sprachen,
    when `languages`); Medicine::Cardio came in alone as `medicine` (--deck-id): the data folder. Heart first: the
    pass updating `medicine` comes before the one of the rest of Medicine (the package's order)."""
    col = Collection(str(folder / "collection.anki2"))
    heart = add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    if languages:
        add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    answered_good(col, col.get_note(heart).cards()[0])
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    data = folder / "data"
    imported(capsys, data, str(folder / "c1.colpkg"), "--anki-deck=Medicine::Cardio", "--deck-id=medicine")
    return data


@pytest.mark.parametrize(
    ("languages", "args"),
    [(True, ()), (False, ()), (True, ("--anki-deck=Medicine",))],
    ids=["collection", "one-top-level-deck", "anki-deck"],
)
def test_a_deck_made_of_one_subdeck_alone_under_its_top_level_deck_s_id_leaves_the_rest_to_a_deck_of_a_free_id(
    capsys, tmp_path: Path, languages: bool, args: tuple[str, ...]
) -> None:
    """Medicine::Cardio came in alone as `medicine` (--deck-id): at every import of her collection (or of
    Medicine), Kidney comes in as `medicine-2`, said so, never into `medicine`, which keeps Heart and its answer,
    and Sprachen comes in as its own deck."""
    data = cardio_as_medicine(capsys, tmp_path, languages)
    first, again = (imported(capsys, data, str(tmp_path / "c1.colpkg"), *args)[1] for _ in range(2))
    assert "deck 'medicine' was made of a subdeck of 'Medicine' alone" in first, first
    assert "come in as deck 'medicine-2'" in first and "come in as" not in again, again
    assert faces(deck(data, "medicine")) == {"Heart": "Pumps"}
    assert faces(deck(data, "medicine-2")) == {"Kidney": "Filters"}
    assert (data / "decks" / "sprachen.yaml").exists() is (languages and not args)
    assert answers_by_deck(data) == [("medicine", 1)]


def test_a_top_level_deck_part_of_which_came_in_is_named_as_the_rest_of_it_when_the_rest_cannot_come_in(
    capsys, tmp_path: Path
) -> None:
    """Medicine::Cardio came in alone as `medicine`; her deck file `medicine-2.yaml` does not load: the last line
    says the rest of Medicine did not come in, never that Medicine both did and did not."""
    data = cardio_as_medicine(capsys, tmp_path)
    hers = "deck: medicine-2\ntitle: Mine\ncards:\n  - id: a1\n    front: Q\n    back: A\n"  # no kind: does not load
    (data / "decks" / "medicine-2.yaml").write_text(hers, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c1.colpkg"))
    assert code == 1, err
    assert "decks 'Medicine' (the rest of it) and 'Sprachen' of c1.colpkg were not imported" in err, err
    assert "'Medicine' (deck 'medicine') came in" in err, err


def _exported(col: Collection, path: Path) -> Collection:
    """Her collection exported to `path`, open again (the export closes it)."""
    col.export_collection_package(str(path), include_media=False, legacy=False)
    return Collection(col.path)


def test_a_deck_made_of_a_new_top_level_deck_named_as_a_renamed_one_was_is_updated_once_its_notes_are_deleted(
    capsys, tmp_path: Path
) -> None:
    """Her collection came in whole; she renamed Medicine to Archiv and made a new Medicine (NewA, NewB), which came
    in as `medicine-2`; then she deleted NewA and NewB and added NewC: NewC comes in in `medicine-2`, the deck made
    of that Anki deck (by id), which lists NewA and NewB as gone; no `medicine-3` is made."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col = _exported(col, tmp_path / "c1.colpkg")
    medicine = col.decks.by_name("Medicine")
    assert medicine is not None
    medicine["name"] = "Archiv"
    col.decks.save(medicine)
    add(col, "Basic", "Medicine", {"Front": "NewA", "Back": "a"})
    add(col, "Basic", "Medicine", {"Front": "NewB", "Back": "b"})
    col = _exported(col, tmp_path / "c2.colpkg")
    col.remove_notes(list(col.find_notes('"deck:Medicine"')))
    add(col, "Basic", "Medicine", {"Front": "NewC", "Back": "c"})
    _exported(col, tmp_path / "c3.colpkg")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    out, err = imported(capsys, data, str(tmp_path / "c3.colpkg"), "--remove-missing")
    assert "'Medicine' as deck 'medicine-2'" in out and "come in as" not in err, err
    assert "gone from c3.colpkg" in out and "NewA" in out, out
    assert not (data / "decks" / "medicine-3.yaml").exists()
    assert set(faces(deck(data, "medicine-2"))) == {"NewC"}
    assert set(faces(deck(data, "medicine"))) == {"Kidney"}


def test_a_deck_whose_anki_notes_were_all_deleted_takes_the_new_notes_of_that_anki_deck(capsys, tmp_path: Path) -> None:
    """Her collection came in whole; she deleted the one note of Medicine and added another: her collection updates
    `medicine`, the deck made of that Anki deck (by id), never refusing it as another deck."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine", {"Front": "A", "Back": "a"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col = _exported(col, tmp_path / "c1.colpkg")
    col.remove_notes(list(col.find_notes('"deck:Medicine"')))
    add(col, "Basic", "Medicine", {"Front": "C", "Back": "c"})
    _exported(col, tmp_path / "c2.colpkg")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    out, _ = imported(capsys, data, str(tmp_path / "c2.colpkg"), "--remove-missing")
    assert "'Medicine' as deck 'medicine'" in out, out
    assert set(faces(deck(data, "medicine"))) == {"C"}


def _as_an_older_quiz_wrote_it(record: Path) -> None:
    """The import record without what an older quiz did not keep: the Anki deck the deck was made of, and the ids."""
    head, _, rest = record.read_text(encoding="utf-8").partition("\n")
    data = json.loads(head)
    del data["took"], data["deck_ids"]
    record.write_text(json.dumps(data, ensure_ascii=False) + "\n" + rest, encoding="utf-8")


def test_a_record_an_older_quiz_wrote_gains_the_anki_deck_its_deck_was_made_of_at_its_next_import(
    capsys, tmp_path: Path
) -> None:
    """Sprachen (its notes all in Sprachen::Deutsch) came in whole with an older quiz, whose record keeps no Anki
    deck the deck was made of; the next import fills it in, so once she renamed Sprachen to Languages in Anki and
    added Chien to Languages::Franz, her collection puts Chien in `sprachen`, never in a second deck `languages`."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col = _exported(col, tmp_path / "c1.colpkg")
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Katze", "Back": "cat"})
    col = _exported(col, tmp_path / "c2.colpkg")
    _renamed(col, "Sprachen", "Languages")
    add(col, "Basic", "Languages::Franz", {"Front": "Chien", "Back": "dog"})
    _exported(col, tmp_path / "c3.colpkg")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    _as_an_older_quiz_wrote_it(update.record_path(data / "decks" / "sprachen.yaml"))
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    record = update.read_record(data / "decks" / "sprachen.yaml")
    assert record is not None and record.took == "Sprachen" and "Sprachen" in record.deck_ids
    imported(capsys, data, str(tmp_path / "c3.colpkg"))
    assert set(faces(deck(data, "sprachen"))) == {"Hund", "Katze", "Chien"}
    assert not (data / "decks" / "languages.yaml").exists()


@pytest.mark.parametrize("renamed", [False, True], ids=["as-it-was", "renamed-in-anki"])
def test_a_note_added_to_a_top_level_deck_itself_puts_each_note_in_its_final_topic_at_one_import(
    capsys, tmp_path: Path, renamed: bool
) -> None:
    """Sprachen came in whole, its notes all in Sprachen::Deutsch (the deck's notes in no topic); she added TopS
    to Sprachen itself (renaming it Languages, first): that import puts Hund in a topic of its own, Deutsch, and
    TopS in none, so the same package again changes nothing."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col = _exported(col, tmp_path / "c1.colpkg")
    if renamed:
        _renamed(col, "Sprachen", "Languages")
    add(col, "Basic", "Languages" if renamed else "Sprachen", {"Front": "TopS", "Back": "t"})
    _exported(col, tmp_path / "c2.colpkg")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    sprachen = deck(data, "sprachen")
    assert {KINDS[note.kind].anki_faces(note)[0]: note.topic for note in sprachen.notes} == {
        "Hund": "deutsch",
        "TopS": "",
    }
    written = (data / "decks" / "sprachen.yaml").read_text(encoding="utf-8")
    out, _ = imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert "0 updated, 0 new, 2 unchanged" in out, out
    assert (data / "decks" / "sprachen.yaml").read_text(encoding="utf-8") == written


def _alice_then_bob(folder: Path) -> tuple[Path, Path]:
    """alice.colpkg (Alice1 in Default, M1 in Medicine) and bob.colpkg, another person's collection (Bob1 in his
    Default, S1 in Sprachen): Anki gives the Default deck the id 1 in every collection."""
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    col = Collection(str(folder / "a" / "collection.anki2"))
    add(col, "Basic", "Default", {"Front": "Alice1", "Back": "a"})
    add(col, "Basic", "Medicine", {"Front": "M1", "Back": "a"})
    _exported(col, folder / "alice.colpkg").close()
    col = Collection(str(folder / "b" / "collection.anki2"))
    add(col, "Basic", "Default", {"Front": "Bob1", "Back": "b"})
    add(col, "Basic", "Sprachen", {"Front": "S1", "Back": "b"})
    _exported(col, folder / "bob.colpkg").close()
    return folder / "alice.colpkg", folder / "bob.colpkg"


def test_another_collection_s_default_deck_is_another_deck_though_anki_gives_it_the_same_id(
    capsys, tmp_path: Path
) -> None:
    """Bob's collection shares no note with Alice's `default` deck: his Default, of the id every Default has, is
    refused as another deck, and none of Alice's notes is listed as gone."""
    alice, bob = _alice_then_bob(tmp_path)
    data = tmp_path / "data"
    imported(capsys, data, str(alice))
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(bob))
    assert code == 1, out
    assert "it is another deck" in err and "Alice1" not in out + err, out + err
    assert set(faces(deck(data, "default"))) == {"Alice1"}


@pytest.mark.parametrize("languages", [False, True], ids=["one-top-level-deck", "several"])
def test_a_collection_taken_apart_names_its_decks_in_the_same_order_at_every_import(
    capsys, tmp_path: Path, languages: bool
) -> None:
    """Medicine::Cardio (Heart) came in alone; her collection then makes `medicine` of Kidney and Nephron: each
    import of it after names the decks in the order the first did (the package's order of their notes), though
    `medicine` now holds more of them than `medicine-cardio`."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Medicine::Renal", {"Front": "Nephron", "Back": "Unit"})
    if languages:
        add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    _exported(col, tmp_path / "c1.colpkg").close()
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine::Cardio")
    lasts = [imported(capsys, data, str(tmp_path / "c1.colpkg"))[0].splitlines()[-1] for _ in range(3)]
    assert 0 <= lasts[0].find("as deck 'medicine-cardio'") < lasts[0].find("as deck 'medicine'"), lasts
    assert lasts[1:] == lasts[:1] * 2, lasts


def test_the_note_naming_a_free_deck_id_comes_after_the_one_saying_how_the_collection_is_taken_apart(
    capsys, tmp_path: Path
) -> None:
    """Medicine::Cardio came in alone as `medicine`: at the import of her collection, the note that the rest of
    Medicine comes in as `medicine-2` follows the one saying which top-level decks it holds, not before it."""
    data = cardio_as_medicine(capsys, tmp_path)
    _, err = imported(capsys, data, str(tmp_path / "c1.colpkg"))
    header, free = err.find("c1.colpkg holds notes of"), err.find("come in as deck 'medicine-2'")
    assert 0 <= header < free, err


def test_her_default_deck_under_a_name_of_her_own_renamed_again_in_anki_keeps_updating_its_one_deck(
    capsys, tmp_path: Path
) -> None:
    """Her Default deck (Anki's id 1) she named Biology came in whole with Chem; she renamed it Bio (and Chem
    Chemistry) and added Mito to it: Mito comes in in `biology`, the rename said as any deck's, never a second deck
    `bio` nor a note that Cell moved."""
    col = Collection(str(tmp_path / "collection.anki2"))
    col.decks.rename(col.decks.get(DeckId(1)), "Biology")
    add(col, "Basic", "Biology", {"Front": "Cell", "Back": "x"})
    add(col, "Basic", "Chem", {"Front": "Atom", "Back": "x"})
    col = _exported(col, tmp_path / "c1.colpkg")
    _renamed(col, "Biology", "Bio")
    _renamed(col, "Chem", "Chemistry")
    add(col, "Basic", "Bio", {"Front": "Mito", "Back": "x"})
    _exported(col, tmp_path / "c2.colpkg").close()
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    (first, err), (_, again) = (imported(capsys, data, str(tmp_path / "c2.colpkg")) for _ in range(2))
    assert "renamed in Anki: 'Biology' to 'Bio'" in first, first
    assert "moved in Anki" not in err + again, err + again
    assert set(faces(deck(data, "biology"))) == {"Cell", "Mito"}
    assert not (data / "decks" / "bio.yaml").exists()


@pytest.mark.parametrize("copy", ["Medicine 2", "Medicine (2)"])
def test_the_rest_of_a_top_level_deck_takes_a_free_id_no_other_top_level_deck_of_the_package_takes(
    capsys, tmp_path: Path, copy: str
) -> None:
    """Medicine::Cardio came in alone as `medicine`; her collection also holds a top-level deck `copy`, whose name
    gives the id `medicine-2`: one import brings everything in, the rest of Medicine as `medicine-3`, `copy` as
    `medicine-2`, and the next changes nothing, with no note of a deck renamed in Anki."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", copy, {"Front": "Copy1", "Back": "c"})
    _exported(col, tmp_path / "c1.colpkg").close()
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine::Cardio", "--deck-id=medicine")
    _, first = imported(capsys, data, str(tmp_path / "c1.colpkg"))
    _, again = imported(capsys, data, str(tmp_path / "c1.colpkg"))
    assert "come in as deck 'medicine-3'" in first and "come in as" not in again, first + again
    assert "renamed in Anki since?" not in first + again, first + again
    assert faces(deck(data, "medicine")) == {"Heart": "Pumps"}
    assert faces(deck(data, "medicine-2")) == {"Copy1": "c"}
    assert faces(deck(data, "medicine-3")) == {"Kidney": "Filters"}


def test_a_top_level_deck_taken_apart_that_cannot_all_come_in_is_named_with_the_whole_file_again_alone(
    capsys, tmp_path: Path
) -> None:
    """Medicine::Cardio came in alone, then her collection made `medicine` of the rest; she adds Valve to
    Medicine::Cardio in Anki and breaks `medicine-cardio.yaml`: the failure names the whole file again, never
    `--anki-deck=Medicine`, which would put Valve in `medicine` for good; once fixed, that import puts Valve in
    `medicine-cardio`."""
    data, _ = cardio_then_medicine(capsys, tmp_path, languages=False)
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Valve", "Back": "v"})
    _exported(col, tmp_path / "c2.colpkg").close()
    file = data / "decks" / "medicine-cardio.yaml"
    good = file.read_text(encoding="utf-8")
    file.write_text(good + "\n  - [broken\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c2.colpkg"))
    assert code == 1, err
    assert "then import c2.colpkg again" in err and "--anki-deck" not in err, err
    file.write_text(good, encoding="utf-8")
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert set(faces(deck(data, "medicine-cardio"))) == {"Heart", "Valve"}


def test_the_note_of_notes_moved_in_anki_comes_after_the_one_saying_how_the_collection_is_taken_apart(
    capsys, tmp_path: Path
) -> None:
    """Deck `a` came from her Anki deck A; she moved its note to Z: the note saying so follows the one saying which
    top-level decks her collection holds, not before it."""
    moved_in_anki(tmp_path, {"QA": "A"}, {"R": ("Rest", "A")}, "Z")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    _, err = imported(capsys, data, str(tmp_path / "c2.colpkg"))
    header, moved = err.find("c2.colpkg holds notes of"), err.find("was moved in Anki to 'Z'")
    assert 0 <= header < moved, err


def test_a_top_level_deck_taken_apart_in_one_pass_that_cannot_come_in_is_never_named_with_its_anki_deck(
    capsys, tmp_path: Path
) -> None:
    """Medicine holds notes only in Medicine::Cardio, which came in alone as `medicine-cardio`, and her collection
    came in whole (Medicine in one pass, to `medicine-cardio`); she adds Valve to Medicine::Cardio in Anki and breaks
    `medicine-cardio.yaml`: the failure gives the command importing Chem alone, never `--anki-deck=Medicine`, which
    would put Valve in a new deck `medicine` for good; once fixed, the whole file puts Valve in `medicine-cardio`."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Chem", {"Front": "Atom", "Back": "a"})
    col = _exported(col, tmp_path / "c1.colpkg")
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine::Cardio")
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    add(col, "Basic", "Medicine::Cardio", {"Front": "Valve", "Back": "v"})
    _exported(col, tmp_path / "c2.colpkg").close()
    file = data / "decks" / "medicine-cardio.yaml"
    good = file.read_text(encoding="utf-8")
    file.write_text(good + "\n  - [broken\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c2.colpkg"))
    assert code == 1, err
    assert "--anki-deck=Chem" in err and "--anki-deck=Medicine" not in err, err
    assert "'Medicine' taken apart: only so" in err, err
    file.write_text(good, encoding="utf-8")
    imported(capsys, data, str(tmp_path / "c2.colpkg"))
    assert set(faces(deck(data, "medicine-cardio"))) == {"Heart", "Valve"}
    assert not (data / "decks" / "medicine.yaml").exists()


def test_another_collection_s_default_deck_is_never_her_renamed_default_for_a_note_shared_elsewhere(
    capsys, tmp_path: Path
) -> None:
    """Her Default deck (Anki's id 1), named Biology, holds Cell and a note of a shared deck; Bob's collection holds
    that shared note in his Shared deck and his own note in his Default: his Default is never her Biology renamed
    (the notes shared sit elsewhere), so no line says so and her record still names Biology."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    col = Collection(str(tmp_path / "a" / "collection.anki2"))
    col.decks.rename(col.decks.get(DeckId(1)), "Biology")
    add(col, "Basic", "Biology", {"Front": "Cell", "Back": "x"})
    shared = col.get_note(add(col, "Basic", "Biology", {"Front": "Shared1", "Back": "s"}))
    _exported(col, tmp_path / "alice.colpkg").close()
    col = Collection(str(tmp_path / "b" / "collection.anki2"))
    add(col, "Basic", "Default", {"Front": "BobOwn", "Back": "b"})
    copy = col.get_note(add(col, "Basic", "Shared", {"Front": "Shared1", "Back": "s"}))
    copy.guid = shared.guid
    col.update_note(copy)
    _exported(col, tmp_path / "bob.colpkg").close()
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "alice.colpkg"))
    out, err = imported(capsys, data, str(tmp_path / "bob.colpkg"))
    assert "renamed in Anki" not in out + err, out + err
    record = update.read_record(data / "decks" / "alice.yaml")
    assert record is not None and record.took == "Biology" and "Default" not in record.deck_ids, record


def test_two_top_level_decks_whose_names_give_one_id_each_take_a_free_id_of_their_own(capsys, tmp_path: Path) -> None:
    """Medicine::Cardio came in alone as `medicine`; her collection also holds `Medicine!`, whose name gives the id
    `medicine` too: one import brings everything in, the rest of Medicine as `medicine-2`, `Medicine!` as
    `medicine-3` (never the same free id promised to both), and the next changes nothing."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Medicine!", {"Front": "Copy0", "Back": "c"})
    _exported(col, tmp_path / "c1.colpkg").close()
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"), "--anki-deck=Medicine::Cardio", "--deck-id=medicine")
    _, first = imported(capsys, data, str(tmp_path / "c1.colpkg"))
    _, again = imported(capsys, data, str(tmp_path / "c1.colpkg"))
    assert "come in as deck 'medicine-2'" in first and "come in as deck 'medicine-3'" in first, first
    assert "come in as" not in again, again
    assert faces(deck(data, "medicine")) == {"Heart": "Pumps"}
    assert faces(deck(data, "medicine-2")) == {"Kidney": "Filters"}
    assert faces(deck(data, "medicine-3")) == {"Copy0": "c"}


def test_the_old_name_of_her_renamed_default_deck_taken_alone_names_its_new_name(capsys, tmp_path: Path) -> None:
    """Her Default deck (Anki's id 1), named Biology, came in with Chem; she renamed it Bio in Anki: `--anki-deck
    Biology` is refused as for any deck she renamed, with the command taking it as Bio."""
    col = Collection(str(tmp_path / "collection.anki2"))
    col.decks.rename(col.decks.get(DeckId(1)), "Biology")
    add(col, "Basic", "Biology", {"Front": "Cell", "Back": "x"})
    add(col, "Basic", "Chem", {"Front": "Atom", "Back": "x"})
    col = _exported(col, tmp_path / "c1.colpkg")
    _renamed(col, "Biology", "Bio")
    _exported(col, tmp_path / "c2.colpkg").close()
    data = tmp_path / "data"
    imported(capsys, data, str(tmp_path / "c1.colpkg"))
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c2.colpkg"), "--anki-deck=Biology")
    assert code == 1, err
    assert "'Biology' was renamed in Anki to 'Bio' (the same Anki deck, by id)" in err, err
    assert "--anki-deck=Bio`" in err, err
