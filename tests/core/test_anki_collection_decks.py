"""A whole Anki collection (.colpkg: File > Export > Anki Collection Package) holding several top-level decks, made
by Anki at test time: each of her Anki decks can come in as a deck of its own (--anki-deck), and an update of a deck
made from one of them never takes in the others. Skipped without Anki."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core.anki import topdecks
from quiz.core.anki.package import read_package
from quiz.core.decks import load_deck_file
from quiz.core.deckwriter import deck_text
from quiz.core.kinds import KINDS
from quiz.core.model import Deck
from quiz.core.store import Store
from quiz.core.text import shell_word
from tests.conftest import holders_asked, pasted, quiz_succeeds, suggested
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions  # noqa: E402, I001
from anki.cards import Card  # noqa: E402
from anki.decks import DeckId  # noqa: E402
from anki.scheduler.v3 import CardAnswer  # noqa: E402

from tools.make_anki_fixtures import add  # noqa: E402

NOTES = {  # front -> (back, deck)
    "Heart": ("Pumps", "Medicine::Cardio"),
    "Aorta": ("Artery", "Medicine::Cardio"),
    "Kidney": ("Filters", "Medicine::Renal"),
    "Hund": ("dog", "Sprachen::Deutsch"),
    "Katze": ("cat", "Sprachen::Deutsch"),
    "犬": ("dog", "Sprachen::日本語"),
    "猫": ("cat", "Sprachen::日本語"),
}
MEDICINE = {"Heart", "Aorta", "Kidney"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """coll.colpkg (Medicine and Sprachen, each with subdecks), Medicine.apkg (Medicine alone, as File > Export
    of that deck makes it), then coll-2.colpkg after Heart's back was edited in Anki, then coll-3.colpkg once she
    made a new top-level deck, `-Neu` (a name a shell would take for an option)."""
    out = tmp_path_factory.mktemp("anki")
    col = Collection(str(out / "collection.anki2"))
    ids = {front: add(col, "Basic", deck, {"Front": front, "Back": back}) for front, (back, deck) in NOTES.items()}
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False)
    medicine = DeckIdLimit(DeckId(col.decks.id("Medicine")))
    col.export_anki_package(out_path=str(out / "Medicine.apkg"), options=options, limit=medicine)
    col.export_collection_package(str(out / "coll.colpkg"), include_media=False, legacy=False)
    col = Collection(str(out / "collection.anki2"))  # the export closes it
    heart = col.get_note(ids["Heart"])
    heart["Back"] = "Pumps blood"
    col.update_note(heart)
    col.export_collection_package(str(out / "coll-2.colpkg"), include_media=False, legacy=False)
    col = Collection(str(out / "collection.anki2"))
    add(col, "Basic", "-Neu", {"Front": "Neu", "Back": "new"})
    col.export_collection_package(str(out / "coll-3.colpkg"), include_media=False, legacy=False)
    return out


def deck(data: Path, deck_id: str) -> Deck:
    loaded = load_deck_file(data / "decks" / f"{deck_id}.yaml").deck
    assert loaded is not None
    return loaded


def faces(deck: Deck) -> dict[str, str]:
    """Front -> back of each of the deck's notes."""
    return dict(KINDS[note.kind].anki_faces(note)[:2] for note in deck.notes)


def topics(deck: Deck) -> set[str]:
    return {topic.title for topic in deck.topics}


def test_one_anki_deck_of_a_collection_comes_in_alone_named_by_that_deck(capsys, tmp_path: Path, exported) -> None:
    code, out, err = run(
        capsys, "--data-dir", str(tmp_path), "import", str(exported / "coll.colpkg"), "--anki-deck", "Medicine"
    )
    assert code == 0, err
    medicine = deck(tmp_path, "medicine")
    assert set(faces(medicine)) == MEDICINE and medicine.title == "Medicine"
    assert topics(medicine) == {"Cardio", "Renal"}
    assert [path.name for path in (tmp_path / "decks").glob("*.yaml")] == ["medicine.yaml"]
    assert "imported 3 notes" in out


def test_a_subdeck_is_named_as_anki_writes_it_whatever_its_case(capsys, tmp_path: Path, exported) -> None:
    """Anki's deck names are one whatever their case: `sprachen::日本語` is `Sprachen::日本語`."""
    file = str(exported / "coll.colpkg")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", file, "--anki-deck", "sprachen::日本語")
    assert code == 0, err
    (written,) = (tmp_path / "decks").glob("*.yaml")
    japanese = load_deck_file(written).deck
    assert japanese is not None and set(faces(japanese)) == {"犬", "猫"} and japanese.title == "日本語"
    other = tmp_path / "other"
    code, out, err = run(capsys, "--data-dir", str(other), "import", file, "--anki-deck", "SPRACHEN")
    assert code == 0, err
    sprachen = deck(other, "sprachen")
    assert set(faces(sprachen)) == {"Hund", "Katze", "犬", "猫"}
    assert topics(sprachen) == {"Deutsch", "日本語"}


def test_a_deck_the_package_lacks_names_its_top_level_decks_and_nothing_is_written(
    capsys, tmp_path: Path, exported
) -> None:
    file = str(exported / "coll.colpkg")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", file, "--anki-deck", "Medizin")
    assert code == 1
    assert "has no Anki deck 'Medizin'" in err
    assert "its top-level decks: 'Medicine' (3 notes), 'Sprachen' (4 notes)" in err
    assert not list(tmp_path.glob("decks/*"))


def test_anki_deck_is_refused_for_a_file_without_anki_decks(capsys, tmp_path: Path) -> None:
    sheet = tmp_path / "plain.csv"
    sheet.write_text("front,back\nQ,A\n", encoding="utf-8")
    code, _out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(sheet), "--anki-deck", "Medicine")
    assert code == 1 and "--anki-deck is for an Anki package" in err
    assert not list(tmp_path.glob("decks/*"))


def test_her_collection_updates_the_deck_of_its_medicine_notes_with_those_alone(
    capsys, tmp_path: Path, exported
) -> None:
    """She imported Medicine.apkg as `med` first: her whole collection, with --anki-deck Medicine, updates `med`
    with Medicine's notes, and the languages never land in it."""
    data = str(tmp_path)
    code, _out, err = run(capsys, "--data-dir", data, "import", str(exported / "Medicine.apkg"), "--deck-id", "med")
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll.colpkg"), "--anki-deck", "Medicine")
    assert code == 0, err
    assert "updated: 0 updated, 0 new, 3 unchanged" in out
    code, out, err = run(
        capsys, "--data-dir", data, "import", str(exported / "coll-2.colpkg"), "--anki-deck", "medicine"
    )
    assert code == 0, err
    assert "updated: 1 updated, 0 new, 2 unchanged" in out
    med = deck(tmp_path, "med")
    assert faces(med) == {"Heart": "Pumps blood", "Aorta": "Artery", "Kidney": "Filters"}
    assert [path.name for path in (tmp_path / "decks").glob("*.yaml")] == ["med.yaml"]


def command_lines(err: str) -> list[str]:
    """The commands the lines of `err` suggest, one a line, as she would copy them."""
    return [suggested(line) for line in err.splitlines() if line.startswith("  `quiz ")]


def test_a_whole_collection_makes_a_deck_of_each_top_level_anki_deck_and_updates_each(
    capsys, tmp_path: Path, exported
) -> None:
    """Imported whole, her collection makes a deck of each of her top-level Anki decks, each with its own record
    and id, named in a summary; its next version updates each, no third deck made."""
    data = str(tmp_path)
    code, out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll.colpkg"))
    assert code == 0, err
    assert out.splitlines()[0] == str(tmp_path / "decks" / "medicine.yaml")  # a deck's path first, as ever
    assert "coll.colpkg holds notes of 2 top-level Anki decks: 'Medicine' (3 notes), 'Sprachen' (4 notes)" in err
    assert out.splitlines()[-1] == (
        "coll.colpkg: 2 Anki decks, each a deck of its own: 'Medicine' as deck 'medicine' and 'Sprachen' as deck"
        " 'sprachen'"
    )
    assert set(faces(deck(tmp_path, "medicine"))) == MEDICINE
    assert topics(deck(tmp_path, "sprachen")) == {"Deutsch", "日本語"}
    assert sorted(path.name for path in (tmp_path / "decks").iterdir()) == [
        "medicine.import.json",
        "medicine.yaml",
        "sprachen.import.json",
        "sprachen.yaml",
    ]
    code, out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll-2.colpkg"))
    assert code == 0, err
    updated = [line for line in out.splitlines() if line.startswith("updated: ")]
    assert [line.split(",")[:2] for line in updated] == [
        ["updated: 1 updated", " 0 new"],
        ["updated: 0 updated", " 0 new"],
    ]
    assert faces(deck(tmp_path, "medicine"))["Heart"] == "Pumps blood"
    assert len(list((tmp_path / "decks").glob("*.yaml"))) == 2


def test_her_collection_updates_her_medicine_deck_and_makes_a_deck_of_her_languages(
    capsys, tmp_path: Path, exported
) -> None:
    """`med` came from Medicine.apkg: her whole collection updates it with her Medicine notes alone, and her
    languages come in as a deck of their own."""
    data = str(tmp_path)
    code, _out, err = run(capsys, "--data-dir", data, "import", str(exported / "Medicine.apkg"), "--deck-id", "med")
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll-2.colpkg"))
    assert code == 0, err
    assert "updated: 1 updated, 0 new, 2 unchanged" in out
    assert faces(deck(tmp_path, "med")) == {"Heart": "Pumps blood", "Aorta": "Artery", "Kidney": "Filters"}
    assert set(faces(deck(tmp_path, "sprachen"))) == {"Hund", "Katze", "犬", "猫"}
    assert "'Medicine' as deck 'med' and 'Sprachen' as deck 'sprachen'" in out


def test_her_collection_named_as_one_deck_names_its_top_level_decks_and_the_command_importing_each(
    capsys, tmp_path: Path, exported
) -> None:
    """With --deck-id, her collection comes in as one deck, its top-level decks its topics, after a note naming
    them and the commands that import each as a deck of its own (quoted for the shell, a space in the file's name
    too): pasted into a folder the whole deck is not in, each makes its own deck. Its next version updates it:
    every note comes from a deck it came from."""
    file = tmp_path / "her collection.colpkg"
    file.write_bytes((exported / "coll.colpkg").read_bytes())
    whole = tmp_path / "whole"
    code, out, err = run(capsys, "--data-dir", str(whole), "import", str(file), "--deck-id", "all")
    assert code == 0, err
    assert out.splitlines()[0] == str(whole / "decks" / "all.yaml")
    assert "in 4 topics, from its Anki decks: " in out
    assert (
        "note: her collection.colpkg holds notes of 2 top-level Anki decks: 'Medicine' (3 notes), 'Sprachen'"
        " (4 notes); they come in as topics of one deck" in err
    )
    commands = command_lines(err)
    given = f"quiz --data-dir {shell_word(whole.absolute())} import {shell_word(file)} --anki-deck="
    assert commands == [f"{given}Medicine", f"{given}Sprachen"]
    apart = tmp_path / "apart"
    for command in commands:
        done = pasted(command.replace(shell_word(whole.absolute()), shell_word(apart.absolute())))
        assert done.returncode == 0, done.stderr
    assert set(faces(deck(apart, "medicine"))) == MEDICINE
    assert set(faces(deck(apart, "sprachen"))) == {"Hund", "Katze", "犬", "猫"}
    code, out, err = run(capsys, "--data-dir", str(whole), "import", str(exported / "coll-2.colpkg"))
    assert code == 0, err
    assert "updated: 1 updated, 0 new, 6 unchanged" in out
    assert "they stay topics of deck 'all', which came from all of them" in err and not command_lines(err)
    assert faces(deck(whole, "all"))["Heart"] == "Pumps blood"
    assert [path.name for path in (whole / "decks").glob("*.yaml")] == ["all.yaml"]


def test_her_collection_named_as_her_medicine_deck_is_refused(capsys, tmp_path: Path, exported) -> None:
    """`med` came from Medicine.apkg: her whole collection named as that deck (--deck-id med) would bring Sprachen
    into it: refused, naming her top-level decks and the commands importing each; nothing is written."""
    data = str(tmp_path)
    code, _out, err = run(capsys, "--data-dir", data, "import", str(exported / "Medicine.apkg"), "--deck-id", "med")
    assert code == 0, err
    before = {path.name: path.read_bytes() for path in (tmp_path / "decks").iterdir()}
    code, out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll-2.colpkg"), "--deck-id", "med")
    assert code == 1
    assert "holds notes of 2 top-level Anki decks: 'Medicine' (3 notes), 'Sprachen' (4 notes)" in err
    assert "deck 'med', which it would update, came from only some of them: the notes of 'Sprachen'" in err
    assert [command.rsplit("=", 1)[1] for command in command_lines(err)] == ["Medicine", "Sprachen"]
    assert {path.name: path.read_bytes() for path in (tmp_path / "decks").iterdir()} == before
    assert out == ""


def test_a_top_level_deck_that_cannot_come_in_is_named_with_those_that_came(capsys, tmp_path: Path, exported) -> None:
    """Her deck file `sprachen.yaml` does not load: Medicine comes in as its deck, Sprachen does not, and the last
    line names both and what to do; her file is left as it is."""
    decks = tmp_path / "decks"
    decks.mkdir()
    hers = "deck: sprachen\ntitle: Mine\ncards:\n  - id: a1\n    front: Q\n    back: A\n"  # no kind: does not load
    (decks / "sprachen.yaml").write_text(hers, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(exported / "coll.colpkg"))
    assert code == 1
    assert err.splitlines()[-2].startswith(
        "quiz: the Anki deck 'Sprachen' of coll.colpkg was not imported; 'Medicine' (deck 'medicine') came in: fix"
        " what is said above, then import coll.colpkg again, or it alone"
    )
    assert command_lines(err)[-1].endswith(" --anki-deck=Sprachen")
    assert set(faces(deck(tmp_path, "medicine"))) == MEDICINE
    assert (decks / "sprachen.yaml").read_text(encoding="utf-8") == hers


def test_the_notes_of_anki_s_default_deck_make_a_deck_titled_default(capsys, tmp_path: Path) -> None:
    """Notes she left in Anki's Default deck, beside Medicine: their deck is titled as Anki names it, not by the
    file's name as a package of Default alone is."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Default", {"Front": "Loose", "Back": "note"})
    add(col, "Basic", "Medicine", {"Front": "Heart", "Back": "Pumps"})
    col.export_collection_package(str(tmp_path / "coll.colpkg"), include_media=False, legacy=False)
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(tmp_path / "coll.colpkg"))
    assert code == 0, err
    default = deck(tmp_path / "data", "default")
    assert default.title == "Default" and set(faces(default)) == {"Loose"}
    assert deck(tmp_path / "data", "medicine").title == "Medicine"


def test_a_deck_made_of_her_whole_collection_takes_in_a_new_top_level_deck_as_a_topic(
    capsys, tmp_path: Path, exported
) -> None:
    """`all` came from her whole collection; she then made a top-level deck `-Neu` in Anki: her next collection
    updates `all` as one deck, `-Neu` a new topic of it, never taken apart into a deck of each (which listed the
    others' notes as gone in `all`, and with --remove-missing removed them and logged their answers again)."""
    data = str(tmp_path)
    code, _out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll.colpkg"), "--deck-id", "all")
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll-3.colpkg"), "--remove-missing")
    assert code == 0, err
    (updated,) = [line for line in out.splitlines() if line.startswith("updated: ")]
    assert updated.startswith("updated: 1 updated, 1 new, 6 unchanged, 0 gone")
    whole = deck(tmp_path, "all")
    assert set(faces(whole)) == {*NOTES, "Neu"} and "-Neu" in topics(whole)
    assert "which came from 'Medicine' and 'Sprachen'; '-Neu' comes in as a topic of it" in err
    assert [path.name for path in (tmp_path / "decks").glob("*.yaml")] == ["all.yaml"]


def test_the_command_importing_a_top_level_deck_named_with_a_dash_runs_pasted(capsys, tmp_path: Path, exported) -> None:
    """Her top-level deck `-Neu`: the command the refusal names for it, pasted into bash, imports it (written
    `--anki-deck=-Neu`: `--anki-deck -Neu` stopped at "expected one argument")."""
    data = str(tmp_path)
    code, _out, err = run(capsys, "--data-dir", data, "import", str(exported / "Medicine.apkg"), "--deck-id", "med")
    assert code == 0, err
    code, _out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll-3.colpkg"), "--deck-id", "med")
    assert code == 1
    (command,) = [command for command in command_lines(err) if "Neu" in command]
    done = pasted(command)
    assert done.returncode == 0, done.stderr
    (made,) = set((tmp_path / "decks").glob("*.yaml")) - {tmp_path / "decks" / "med.yaml"}
    neu = load_deck_file(made).deck
    assert neu is not None and set(faces(neu)) == {"Neu"} and neu.title == "-Neu"


def answered_good(col: Collection, card: Card) -> None:
    """Answer `card` Good in Anki: an answer in its review log, and a schedule."""
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD))


def moved_kidney(folder: Path) -> None:
    """c1.colpkg: Kidney (answered once in Anki) and Heart in Medicine, Hund in Sprachen; then c2.colpkg, once she
    edited Kidney and moved it to Sprachen::Misc."""
    col = Collection(str(folder / "collection.anki2"))
    kidney = add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    (card,) = col.get_note(kidney).cards()
    answered_good(col, card)
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    col = Collection(str(folder / "collection.anki2"))
    note = col.get_note(kidney)
    note["Back"] = "Filters blood"
    col.update_note(note)
    col.set_deck([card.id for card in note.cards()], DeckId(col.decks.id("Sprachen::Misc")))
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)


def kidney_moved_after_her_collection(capsys, folder: Path) -> Path:  # noqa: ANN001
    """moved_kidney's packages made in `folder`, c1.colpkg (her whole collection) imported into a data folder
    there: that folder."""
    moved_kidney(folder)
    data = folder / "data"
    quiz_succeeds(capsys, data, "import", str(folder / "c1.colpkg"))
    return data


def answers_by_deck(data: Path) -> list[tuple[str, int]]:
    store = Store.in_folder(data)
    try:
        return store.db.execute("SELECT deck_id, count(*) FROM review_log GROUP BY deck_id").fetchall()
    finally:
        store.close()


def test_a_note_she_moved_to_another_top_level_deck_in_anki_stays_in_its_deck_with_its_answers(
    capsys, tmp_path: Path
) -> None:
    """Kidney, answered once in Anki, came in with Medicine; she then edited it and moved it to Sprachen::Misc: her
    next collection updates it in `medicine`, which holds it and her quiz answers, and says it moved in Anki; it is
    never made again in `sprachen`, where its Anki answer was logged a second time; nor, at the import of the same
    collection again, is `medicine` (whose topics name Sprachen now) taken for her whole collection, Hund made in it."""
    data = kidney_moved_after_her_collection(capsys, tmp_path)
    for _ in range(2):  # the same collection again: `medicine`, naming Sprachen::Misc now, is not her whole collection
        code, out, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c2.colpkg"), "--remove-missing")
        assert code == 0, err
        assert faces(deck(data, "medicine")) == {"Kidney": "Filters blood", "Heart": "Pumps"}, err
        assert faces(deck(data, "sprachen")) == {"Hund": "dog"}
        assert "moved in Anki to 'Sprachen'" in err
    assert answers_by_deck(data) == [("medicine", 1)]


def test_a_top_level_deck_whose_id_another_took_is_named_with_the_command_importing_it_alone(
    capsys, tmp_path: Path
) -> None:
    """`Bio-Chem` and `Bio Chem` make one deck id: the second stops the import, and the last lines name the
    command importing it alone, which pasted with a new --deck-id makes a deck of it (the whole file with
    --deck-id would bring both into one deck, the note already in `bio-chem` twice)."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Bio-Chem", {"Front": "ATP", "Back": "energy"})
    add(col, "Basic", "Bio Chem", {"Front": "DNA", "Back": "genes"})
    col.export_collection_package(str(tmp_path / "c.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c.colpkg"))
    assert code == 1
    assert "'Bio-Chem' (deck 'bio-chem') came in" in err
    (command,) = command_lines(err)[-1:]
    assert command.endswith(" --anki-deck='Bio Chem'")
    done = pasted(f"{command} --deck-id bio2")
    assert done.returncode == 0, done.stderr
    assert faces(deck(data, "bio2")) == {"DNA": "genes"}
    assert faces(deck(data, "bio-chem")) == {"ATP": "energy"}


def test_the_failure_line_names_a_deck_holding_a_command_as_it_is(capsys, tmp_path: Path) -> None:
    """Her Anki deck is named `Notes `quiz rm``: the line saying it did not come in quotes that name as it is, no
    --data-dir spliced into it as into a command quiz suggests."""
    col = Collection(str(tmp_path / "collection.anki2"))
    add(col, "Basic", "Medicine", {"Front": "Heart", "Back": "Pumps"})
    add(col, "Basic", "Notes `quiz rm`", {"Front": "Q", "Back": "A"})
    col.export_collection_package(str(tmp_path / "c.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "notes-quiz-rm.yaml").write_text("deck: notes-quiz-rm\ncards: [\n", encoding="utf-8")
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "c.colpkg"))
    assert code == 1
    (failed,) = [line for line in err.splitlines() if line.startswith("quiz: the Anki deck ")]
    assert failed.startswith("quiz: the Anki deck 'Notes `quiz rm`' of c.colpkg was not imported")


def test_the_top_level_decks_of_a_whole_collection_are_worked_out_once(
    capsys, tmp_path: Path, exported, monkeypatch
) -> None:
    """Reading her whole collection, quiz works out each note's top-level deck once (a pass over every card and
    note), for the deck it updates and for taking it apart alike."""
    worked_out: list[int] = []
    note_decks = topdecks._note_decks

    def counted(collection):  # noqa: ANN001, ANN202
        worked_out.append(len(collection.notes))
        return note_decks(collection)

    taken_apart: list[int] = []

    def each(*_args) -> int:  # noqa: ANN002
        taken_apart.append(len(worked_out))
        return 0

    monkeypatch.setattr(topdecks, "_note_decks", counted)
    monkeypatch.setattr(importing, "_import_each", each)
    code, _out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(exported / "coll.colpkg"))
    assert code == 0, err
    assert taken_apart == [1] and worked_out == [len(NOTES)]


def test_which_deck_holds_each_note_is_worked_out_once_per_import(
    capsys, tmp_path: Path, exported, monkeypatch
) -> None:
    """Her collection again, once `medicine` and `sprachen` came from it: which imported deck holds each of its notes
    (a pass over every import record's GUIDs, tens of thousands for a shared deck) is worked out once, for the deck
    it updates, for taking it apart, for each deck's home and for each deck's pass alike."""
    data = str(tmp_path)
    code, _out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll.colpkg"))
    assert code == 0, err
    asked = holders_asked(monkeypatch)
    code, out, err = run(capsys, "--data-dir", data, "import", str(exported / "coll-2.colpkg"))
    assert code == 0, err
    assert "'Medicine' as deck 'medicine' and 'Sprachen' as deck 'sprachen'" in out
    assert len(asked) == 1


def test_a_note_she_moved_in_anki_stays_in_its_deck_when_the_deck_it_moved_to_comes_in_alone(
    capsys, tmp_path: Path
) -> None:
    """Her collection came in whole; she then moved Kidney to Sprachen::Misc in Anki and imports that deck alone
    (--anki-deck): Kidney stays in `medicine`, which holds it and its answers, and the import says so; it is never
    made again where it moved, its Anki answer logged a second time."""
    data = kidney_moved_after_her_collection(capsys, tmp_path)
    file = str(tmp_path / "c2.colpkg")
    code, out, err = run(capsys, "--data-dir", str(data), "import", file, "--anki-deck=Sprachen", "--remove-missing")
    assert code == 0, err
    (said,) = [line for line in err.splitlines() if "Kidney" in line]
    assert said.startswith("note: 'Kidney' stays in deck 'medicine', which holds it and its answers"), err
    assert faces(deck(data, "medicine")) == {"Kidney": "Filters", "Heart": "Pumps"}
    assert faces(deck(data, "sprachen")) == {"Hund": "dog"}
    assert answers_by_deck(data) == [("medicine", 1)]


SUBDECKS = {  # front -> Anki deck: one top-level deck, Sprachen, and its subdecks
    "Hund": "Sprachen::Deutsch",
    "Katze": "Sprachen::Deutsch",
    "犬": "Sprachen::日本語",
    "Ja": "Sprachen::Misc",
    "Nein": "Sprachen::Misc",
}


@pytest.fixture(scope="module")
def one_subdeck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sprachen.colpkg: Sprachen and its subdecks, each note answered once in Anki; then, once she deleted Nein in
    Anki, misc.colpkg (her whole collection again) and misc.apkg (File > Export of Sprachen::Misc alone)."""
    out = tmp_path_factory.mktemp("subdeck")
    col = Collection(str(out / "collection.anki2"))
    ids = {front: add(col, "Basic", name, {"Front": front, "Back": front.lower()}) for front, name in SUBDECKS.items()}
    for note_id in ids.values():
        answered_good(col, col.get_note(note_id).cards()[0])
    col.export_collection_package(str(out / "sprachen.colpkg"), include_media=False, legacy=False)
    col = Collection(str(out / "collection.anki2"))
    col.remove_notes([ids["Nein"]])
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False)
    misc = DeckIdLimit(DeckId(col.decks.id("Sprachen::Misc")))
    col.export_anki_package(out_path=str(out / "misc.apkg"), options=options, limit=misc)
    col.export_collection_package(str(out / "misc.colpkg"), include_media=False, legacy=False)
    return out


def history_of(data: Path, deck_id: str) -> tuple[set[str], set[str]]:
    """The notes of the deck with answers in quiz's review log, and those with a schedule (card_state rows)."""
    store = Store.in_folder(data)
    try:
        answered, scheduled = (
            {key.split("/")[0] for (key,) in store.db.execute(query, (deck_id,))}
            for query in (
                "SELECT card_key FROM review_log WHERE deck_id = ?",
                "SELECT card_key FROM card_state WHERE deck_id = ?",
            )
        )
        return answered, scheduled
    finally:
        store.close()


@pytest.mark.parametrize(
    ("package", "options", "said"),
    [
        (
            "misc.colpkg",
            ("--anki-deck=Sprachen::Misc",),
            "3 notes misc.colpkg holds in Anki decks --anki-deck leaves out",
        ),
        ("misc.apkg", (), "3 notes of Anki decks misc.apkg leaves out"),
        ("misc.apkg", ("--anki-deck=Sprachen::Misc",), "3 notes of Anki decks --anki-deck leaves out"),
    ],
    ids=["anki-deck", "apkg-of-the-subdeck", "anki-deck-of-an-apkg-of-the-subdeck"],
)
def test_one_subdeck_imported_alone_leaves_the_rest_of_her_deck_as_it_is(
    capsys, tmp_path: Path, one_subdeck: Path, package: str, options: tuple[str, ...], said: str
) -> None:
    """Sprachen came in whole, with her Anki answers; then Sprachen::Misc alone (--anki-deck, or the package Anki
    exports of it), with --remove-missing: Nein, deleted in Anki from Misc, is removed; the notes of Deutsch and
    日本語, which the package leaves out, are neither gone nor removed, and keep their history; a line says so. The
    whole collection again then finds each note where it was: none new, none gone but Nein."""
    data = tmp_path / "data"
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(one_subdeck / "sprachen.colpkg"))
    assert code == 0, err
    assert set(faces(deck(data, "sprachen"))) == set(SUBDECKS)
    before = history_of(data, "sprachen")
    kept = {note.id for note in deck(data, "sprachen").notes if KINDS[note.kind].anki_faces(note)[0] != "Nein"}
    assert kept <= before[0] and kept <= before[1]
    file = str(one_subdeck / package)
    code, out, err = run(capsys, "--data-dir", str(data), "import", file, *options, "--remove-missing")
    assert code == 0, err
    assert set(faces(deck(data, "sprachen"))) == set(SUBDECKS) - {"Nein"}, out
    assert "removed, gone from" in out and "Nein" in out
    assert f"the rest of the deck is left as it is: {said} ('Sprachen::Deutsch' (2) and 'Sprachen::日本語' (1))" in out
    assert "'Sprachen::Misc' alone" in out, out
    left = out.split("the rest of the deck is left as it is")[1].splitlines()[1:4]  # each named, with its deck
    assert [line.split("  ")[2:] for line in left] == [
        ["Hund", "(Sprachen::Deutsch)"],
        ["Katze", "(Sprachen::Deutsch)"],
        ["犬", "(Sprachen::日本語)"],
    ], out
    assert "Hund" not in out.split("the rest of the deck")[0], out  # neither gone nor removed
    after = history_of(data, "sprachen")
    assert kept <= after[0] and kept <= after[1]
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(one_subdeck / "misc.colpkg"))
    assert code == 0, err
    assert "0 new, 4 unchanged, 0 gone" in out, out
    assert set(faces(deck(data, "sprachen"))) == set(SUBDECKS) - {"Nein"}


def test_a_note_she_deleted_of_a_subdeck_left_out_stays_deleted_at_the_whole_deck_s_next_import(
    capsys, tmp_path: Path, one_subdeck: Path
) -> None:
    """She deleted Hund (Sprachen::Deutsch) from the deck file; Sprachen::Misc alone leaves Deutsch out, so the
    record still knows Hund as deleted by her: the whole collection's next import keeps it deleted, never adds it
    back as new."""
    data = tmp_path / "data"
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(one_subdeck / "sprachen.colpkg"))
    assert code == 0, err
    sprachen = deck(data, "sprachen")
    notes = [note for note in sprachen.notes if KINDS[note.kind].anki_faces(note)[0] != "Hund"]
    (data / "decks" / "sprachen.yaml").write_text(deck_text("sprachen", sprachen.title, notes, topics=sprachen.topics))
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(one_subdeck / "misc.apkg"))
    assert code == 0, err
    assert "left as it is: 2 notes" in out, out
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(one_subdeck / "misc.colpkg"))
    assert code == 0, err
    assert "0 new" in out and "1 you deleted" in out, out
    assert set(faces(deck(data, "sprachen"))) == set(SUBDECKS) - {"Hund"}


@pytest.mark.parametrize("options", [(), ("--anki-deck=Medicine",)], ids=["whole", "anki-deck"])
def test_a_note_moved_to_another_top_level_deck_then_deleted_in_anki_is_gone_from_her_whole_collection(
    capsys, tmp_path: Path, options: tuple[str, ...]
) -> None:
    """Kidney, moved in Anki to Sprachen::Misc, stays in `medicine`; once she deleted it in Anki, her whole
    collection, taken apart or Medicine taken alone, has it in no deck: it is gone from `medicine` (removed with
    --remove-missing), not left as a note of the Anki deck the record has it from (Sprachen::Misc), which the
    package holds."""
    moved_kidney(tmp_path)
    data = tmp_path / "data"
    for package in ("c1.colpkg", "c2.colpkg"):
        code, _out, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / package))
        assert code == 0, err
    col = Collection(str(tmp_path / "collection.anki2"))
    col.remove_notes(col.find_notes("Front:Kidney"))
    col.export_collection_package(str(tmp_path / "c3.colpkg"), include_media=False, legacy=False)
    file = str(tmp_path / "c3.colpkg")
    code, out, err = run(capsys, "--data-dir", str(data), "import", file, *options, "--remove-missing")
    assert code == 0, err
    assert "left as it is" not in out, out
    assert faces(deck(data, "medicine")) == {"Heart": "Pumps"}, out


def test_a_deck_package_whose_deck_its_author_renamed_still_lists_the_notes_gone_from_it(
    capsys, tmp_path: Path
) -> None:
    """Geo v1 (Paris, Rom), then v2: its author renamed the deck `Geo 2` and deleted Rom. v2 holds `Geo 2` alone,
    but leaves no deck of `Geo` out: Rom is gone from it, and --remove-missing removes it."""
    geo_versions(tmp_path, {"Paris": "Geo", "Rom": "Geo"}, geo_renamed_rom_deleted)
    data = tmp_path / "data"
    quiz_succeeds(capsys, data, "import", str(tmp_path / "geo.apkg"))
    out = quiz_succeeds(capsys, data, "import", str(tmp_path / "geo-2.apkg"), "--remove-missing")
    assert "left as it is" not in out, out
    assert faces(deck(data, "geo")) == {"Paris": "city"}, out


def geo_versions(folder: Path, decks: dict[str, str], changed: Callable[[Collection], None]) -> None:
    """geo.apkg: a deck package of Geo, a note of each front (-> its Anki deck) a city; then geo-2.apkg, the same
    deck's package once `changed` changed it in Anki."""
    col = Collection(str(folder / "collection.anki2"))
    for front, name in decks.items():
        add(col, "Basic", name, {"Front": front, "Back": "city"})
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False)
    geo = DeckIdLimit(DeckId(col.decks.id("Geo")))
    col.export_anki_package(out_path=str(folder / "geo.apkg"), options=options, limit=geo)
    changed(col)
    col.export_anki_package(out_path=str(folder / "geo-2.apkg"), options=options, limit=geo)


def geo_renamed_rom_deleted(col: Collection) -> None:
    """Geo renamed `Geo 2` in Anki, and Rom deleted."""
    col.decks.rename(col.decks.by_name("Geo"), "Geo 2")
    col.remove_notes(col.find_notes("Front:Rom"))


def her_sprachen(folder: Path, changed: Callable[[Collection], None], decks: dict[str, str] = SUBDECKS) -> None:
    """sprachen.colpkg: her collection of `decks` (front -> Anki deck), then s2.colpkg once `changed` changed it in
    Anki."""
    col = Collection(str(folder / "collection.anki2"))
    for front, name in decks.items():
        add(col, "Basic", name, {"Front": front, "Back": front.lower()})
    col.export_collection_package(str(folder / "sprachen.colpkg"), include_media=False, legacy=False)
    col = Collection(str(folder / "collection.anki2"))
    changed(col)
    col.export_collection_package(str(folder / "s2.colpkg"), include_media=False, legacy=False)


def test_her_collection_package_holding_one_subdeck_lists_as_gone_the_notes_of_the_decks_she_deleted(
    capsys, tmp_path: Path
) -> None:
    """Sprachen came in whole; she then deleted its decks Deutsch and 日本語 in Anki (their cards with them): her
    collection package, which holds every deck she has, holds Sprachen::Misc alone now, yet leaves nothing out:
    Hund, Katze and 犬 are gone, removed by --remove-missing."""
    her_sprachen(
        tmp_path,
        lambda col: col.decks.remove([DeckId(col.decks.id(name)) for name in SUBDECKS.values() if "Misc" not in name]),
    )
    data = tmp_path / "data"
    quiz_succeeds(capsys, data, "import", str(tmp_path / "sprachen.colpkg"))
    out = quiz_succeeds(capsys, data, "import", str(tmp_path / "s2.colpkg"), "--remove-missing")
    assert "left as it is" not in out, out
    assert set(faces(deck(data, "sprachen"))) == {"Ja", "Nein"}, out


def moved_ja(col: Collection) -> None:
    """Ja moved in Anki from Sprachen::Misc to Sprachen::Deutsch."""
    cards = [card.id for note in col.find_notes("Front:Ja") for card in col.get_note(note).cards()]
    col.set_deck(cards, DeckId(col.decks.id("Sprachen::Deutsch")))


def test_a_note_moved_out_of_the_subdeck_taken_alone_is_left_as_it_is_wherever_the_record_has_it(
    capsys, tmp_path: Path
) -> None:
    """She moved Ja from Sprachen::Misc to Sprachen::Deutsch in Anki: `--anki-deck=Sprachen::Misc --remove-missing`
    on her collection, which still holds Ja, leaves it as it is (the record has it from Misc), named; the whole
    collection then finds it where it was, nothing new."""
    her_sprachen(tmp_path, moved_ja)
    data = tmp_path / "data"
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "sprachen.colpkg"))
    assert code == 0, err
    file = str(tmp_path / "s2.colpkg")
    code, out, err = run(
        capsys, "--data-dir", str(data), "import", file, "--anki-deck=Sprachen::Misc", "--remove-missing"
    )
    assert code == 0, err
    assert set(faces(deck(data, "sprachen"))) == set(SUBDECKS), out
    assert "removed, gone from" not in out, out
    said = "4 notes s2.colpkg holds in Anki decks --anki-deck leaves out ('Sprachen::Deutsch' (3) and"
    assert said in out, out
    assert re.search(r"^  \S+  Ja  \(Sprachen::Deutsch\)$", out, re.M), out
    code, out, err = run(capsys, "--data-dir", str(data), "import", file)
    assert code == 0, err
    assert "0 new" in out and "0 gone" in out, out


def test_a_name_in_the_line_of_the_notes_left_as_they_are_is_shown_as_it_is(capsys, tmp_path: Path) -> None:
    """Her collection package is named `quiz reset`.colpkg, her decks Sprachen::`quiz ls` and Sprachen::`quiz reset`,
    a note in the latter `quiz rm`: Sprachen::`quiz ls` alone leaves that note as it is, and the lines saying so
    show each name as it is, no --data-dir spliced into it as into a command quiz suggests."""
    her_sprachen(tmp_path, lambda _col: None, {"Ja": "Sprachen::`quiz ls`", "`quiz rm`": "Sprachen::`quiz reset`"})
    file = tmp_path / "`quiz reset`.colpkg"
    (tmp_path / "sprachen.colpkg").rename(file)
    data = tmp_path / "data"
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(file), "--deck-id", "sprachen")
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(file), "--anki-deck=Sprachen::`quiz ls`")
    assert code == 0, err
    assert "--data-dir" not in out, out
    assert "as it takes 'Sprachen::`quiz ls`' alone" in out, out
    assert "1 note `quiz reset`.colpkg holds in Anki decks --anki-deck leaves out ('Sprachen::`quiz reset`' (1))" in out
    assert re.search(r"^  \S+  `quiz rm`  \(Sprachen::`quiz reset`\)$", out, re.M), out


def test_a_shared_deck_s_next_version_lists_as_gone_the_notes_its_author_deleted_whatever_its_subdecks(
    capsys, tmp_path: Path
) -> None:
    """Geo v1: Welt in Geo, Paris and Rom in Geo::Europe, Tokyo in Geo::Asia; v2, whose author deleted Welt and
    Tokyo, holds Geo::Europe's notes alone (and Geo above it), as a package of that subdeck alone would: it is the
    next version of the deck, which came from a deck package of Geo, so Welt and Tokyo are gone, removed by
    --remove-missing."""
    geo_versions(
        tmp_path,
        {"Welt": "Geo", "Paris": "Geo::Europe", "Rom": "Geo::Europe", "Tokyo": "Geo::Asia"},
        lambda col: col.remove_notes([*col.find_notes("Front:Welt"), *col.find_notes("Front:Tokyo")]),
    )
    data = tmp_path / "data"
    quiz_succeeds(capsys, data, "import", str(tmp_path / "geo.apkg"))
    out = quiz_succeeds(capsys, data, "import", str(tmp_path / "geo-2.apkg"), "--remove-missing")
    assert "left as it is" not in out, out
    assert set(faces(deck(data, "geo"))) == {"Paris", "Rom"}, out


def test_a_package_of_one_subdeck_imported_again_still_leaves_the_rest_of_her_deck(
    capsys, tmp_path: Path, one_subdeck: Path
) -> None:
    """Sprachen came in from her collection package; misc.apkg (Sprachen::Misc alone) leaves the rest as it is, and
    so it does imported again with --remove-missing: the deck still came from her collection, whose subdeck it is."""
    data = tmp_path / "data"
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(one_subdeck / "sprachen.colpkg"))
    assert code == 0, err
    for _ in range(2):
        file = str(one_subdeck / "misc.apkg")
        code, out, err = run(capsys, "--data-dir", str(data), "import", file, "--remove-missing")
        assert code == 0, err
        assert "the rest of the deck is left as it is: 3 notes" in out, out
        assert set(faces(deck(data, "sprachen"))) == set(SUBDECKS) - {"Nein"}, out


def left_by_misc_alone(capsys, folder: Path, decks: dict[str, str]) -> str:  # noqa: ANN001
    """Her collection of `decks` (front -> Anki deck; her_sprachen, unchanged) imported whole, then Sprachen::Misc
    alone: what the latter printed."""
    her_sprachen(folder, lambda _col: None, decks)
    data = folder / "data"
    file = str(folder / "sprachen.colpkg")
    quiz_succeeds(capsys, data, "import", file)
    return quiz_succeeds(capsys, data, "import", file, "--anki-deck=Sprachen::Misc")


def test_the_notes_left_as_they_are_are_named_up_to_fifty_in_the_deck_s_order(capsys, tmp_path: Path) -> None:
    """52 notes of Sprachen::Deutsch are left as they are by Sprachen::Misc alone: the first 50 are named, in the
    deck's order, and one more line counts the rest."""
    words = {f"W{number}": "Sprachen::Deutsch" for number in range(1, 53)}
    out = left_by_misc_alone(capsys, tmp_path, {"Ja": "Sprachen::Misc", **words})
    left = out.split("the rest of the deck is left as it is: 52 notes")[1].splitlines()[1:]
    assert [line.split("  ")[2:] for line in left[:50]] == [[word, "(Sprachen::Deutsch)"] for word in list(words)[:50]]
    assert left[50:] == ["  ... and 2 more"], out


def test_every_deck_the_line_of_the_notes_left_as_they_are_names_is_shown_as_it_is(capsys, tmp_path: Path) -> None:
    """52 notes of Sprachen::Deutsch, then one of Sprachen::`quiz reset`, are left as they are by Sprachen::Misc
    alone: the first line names both decks, the latter though its note is past the 50 named, as it is."""
    words = {f"W{number}": "Sprachen::Deutsch" for number in range(1, 53)}
    out = left_by_misc_alone(capsys, tmp_path, {"Ja": "Sprachen::Misc", **words, "Z": "Sprachen::`quiz reset`"})
    assert "('Sprachen::Deutsch' (52) and 'Sprachen::`quiz reset`' (1))" in out, out
    assert "--data-dir" not in out, out


def test_the_notes_of_one_anki_deck_share_its_name_and_its_top_level_deck_s(exported) -> None:
    """Each note's deck and top-level deck, kept for the whole import, are one string per deck shared by its notes,
    not one per note: a big package (30,000 notes) held 5 MB more at its peak with a copy per note."""
    collection = read_package((exported / "coll.colpkg").read_bytes(), "coll.colpkg")
    note_decks = topdecks.decks_of_notes(collection)
    tops = topdecks.top_decks(note_decks)
    assert sorted(note_decks.values()) == sorted(deck for _back, deck in NOTES.values())
    assert len({id(name) for name in note_decks.values()}) == len(set(note_decks.values())) == 4
    assert len({id(top) for top in tops.values()}) == 4  # one per deck of the 7 notes


def _renamed(col: Collection, old: str, new: str) -> None:
    """She renames the Anki deck `old` to `new` (it keeps its id, as a rename in Anki does)."""
    renamed = col.decks.by_name(old)
    assert renamed is not None
    renamed["name"] = new
    col.decks.save(renamed)


def _medicine_exported_whole(tmp_path: Path, *, with_sprachen: bool) -> tuple[Path, Collection]:
    """Her collection in `anki/`: Medicine::Renal and Medicine::Cardio (and Sprachen::Deutsch `with_sprachen`),
    exported whole as `c1.colpkg`; the folder, and the collection opened again for her next changes in Anki."""
    folder = tmp_path / "anki"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    add(col, "Basic", "Medicine::Renal", {"Front": "Kidney", "Back": "Filters"})
    add(col, "Basic", "Medicine::Cardio", {"Front": "Heart", "Back": "Pumps"})
    if with_sprachen:
        add(col, "Basic", "Sprachen::Deutsch", {"Front": "Hund", "Back": "dog"})
    col.export_collection_package(str(folder / "c1.colpkg"), include_media=False, legacy=False)
    return folder, Collection(str(folder / "collection.anki2"))


def _imports(capsys, data: Path, *args: str) -> tuple[str, str]:  # noqa: ANN001
    code, out, err = run(capsys, "--data-dir", str(data), *args)
    assert code == 0, err
    return out, err


def test_a_top_level_deck_renamed_in_anki_keeps_updating_its_one_deck(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """Medicine came in whole, then she renamed it Medizin in Anki and added notes to its subdecks and to itself:
    each later whole import puts them in deck `medicine`, the deck of that Anki deck (the same id), never in a second
    deck `medizin`; a line says the Anki deck was renamed. The deck keeps its title."""
    folder, col = _medicine_exported_whole(tmp_path, with_sprachen=True)
    _renamed(col, "Medicine", "Medizin")
    add(col, "Basic", "Medizin::Renal", {"Front": "Nephron", "Back": "unit"})
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)
    col = Collection(str(folder / "collection.anki2"))
    add(col, "Basic", "Medizin::Cardio", {"Front": "Valve", "Back": "v"})
    add(col, "Basic", "Medizin", {"Front": "Top", "Back": "t"})
    col.export_collection_package(str(folder / "c3.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    _imports(capsys, data, "import", str(folder / "c1.colpkg"))
    title = deck(data, "medicine").title
    out, err = _imports(capsys, data, "import", str(folder / "c2.colpkg"))
    assert "renamed in Anki: 'Medicine' to 'Medizin'" in out and "'Medizin' as deck 'medicine'" in out
    assert "moved in Anki" not in err
    _imports(capsys, data, "import", str(folder / "c3.colpkg"))
    assert not (data / "decks" / "medizin.yaml").exists()
    medicine = deck(data, "medicine")
    assert set(faces(medicine)) == {"Kidney", "Heart", "Nephron", "Valve", "Top"}
    assert medicine.title == title


def test_a_subdeck_moved_under_another_top_level_deck_in_anki_is_said_moved_not_its_parent_renamed(
    capsys,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """Her collection came in whole; she moved Medicine::Cardio under Sprachen in Anki (Sprachen::Cardio, the same
    id), Medicine keeping its name: the line names the subdeck's rename, never one of Medicine to Sprachen."""
    folder, col = _medicine_exported_whole(tmp_path, with_sprachen=True)
    _renamed(col, "Medicine::Cardio", "Sprachen::Cardio")
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    _imports(capsys, data, "import", str(folder / "c1.colpkg"))
    out, _ = _imports(capsys, data, "import", str(folder / "c2.colpkg"))
    assert "renamed in Anki: 'Medicine::Cardio' to 'Sprachen::Cardio'" in out, out
    assert "'Medicine' to 'Sprachen'" not in out, out


def test_a_subdeck_renamed_in_anki_and_taken_alone_by_its_new_name_updates_its_deck(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """Medicine::Renal came in alone (deck `medicine-renal`); she renamed it Medicine::Nieren in Anki and added a
    note: `--anki-deck Medicine::Nieren` updates `medicine-renal`, making no deck `medicine-nieren`."""
    folder, col = _medicine_exported_whole(tmp_path, with_sprachen=False)
    _renamed(col, "Medicine::Renal", "Medicine::Nieren")
    add(col, "Basic", "Medicine::Nieren", {"Front": "Nephron", "Back": "unit"})
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    _imports(capsys, data, "import", str(folder / "c1.colpkg"), "--anki-deck", "Medicine::Renal")
    out, err = _imports(capsys, data, "import", str(folder / "c2.colpkg"), "--anki-deck", "Medicine::Nieren")
    assert "renamed in Anki: 'Medicine::Renal' to 'Medicine::Nieren'" in out and "stays in deck" not in err
    assert not (data / "decks" / "medicine-nieren.yaml").exists()
    assert set(faces(deck(data, "medicine-renal"))) == {"Kidney", "Nephron"}


def test_an_anki_deck_taken_alone_by_its_name_before_a_rename_in_anki_is_refused_naming_its_name_now(
    capsys,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """Medicine::Renal came in alone; she renamed it Medicine::Nieren in Anki: `--anki-deck Medicine::Renal` is
    refused (the package has no such deck), saying what it is called now and the command taking it."""
    folder, col = _medicine_exported_whole(tmp_path, with_sprachen=False)
    _renamed(col, "Medicine::Renal", "Medicine::Nieren")
    col.export_collection_package(str(folder / "c2.colpkg"), include_media=False, legacy=False)
    data = tmp_path / "data"
    _imports(capsys, data, "import", str(folder / "c1.colpkg"), "--anki-deck", "Medicine::Renal")
    taking = ("import", str(folder / "c2.colpkg"), "--anki-deck=Medicine::Renal")
    code, _, err = run(capsys, "--data-dir", str(data), *taking)
    assert code == 1, err
    assert "has no Anki deck 'Medicine::Renal' holding notes" in err, err
    assert "'Medicine::Renal' was renamed in Anki to 'Medicine::Nieren'" in err, err
    assert "--anki-deck=Medicine::Nieren" in err, err
