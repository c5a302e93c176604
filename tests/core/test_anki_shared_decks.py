"""A medical student's collection as shared decks (AnKing-style cloze types with extra fields) and decks made in a
German or Japanese Anki hold it, made and studied by Anki at test time (the `anki` package of the bench group;
skipped without it), exported by Anki in the current and the legacy format and imported by `quiz import`: each
card Anki shows comes in once, with its own history, showing what Anki shows."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from quiz.core import faces
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.importers import import_file
from quiz.core.kinds import KINDS
from quiz.core.store import Store
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection, ExportAnkiPackageOptions  # noqa: E402

from tools.make_anki_fixtures import add, export_plain_text, png, study_days  # noqa: E402

#: One Anki card hides both c1 gaps together; c2 is a card of its own.
SHARED = "{{c1::Na<sup>+</sup>}} and {{c1::K<sup>+</sup>}} are pumped by {{c2::Na/K-ATPase::enzyme}}"

#: `{{C1::...}}` is no gap to Anki: the first note's card is blank, the second's asks the c1 gap alone.
UNREAD = ("{{C1::Loop}} diuretics waste potassium", "{{C1::Thiazides}} waste {{c1::potassium}}, spare {{C2::calcium}}")
#: Anki's words for a card whose question is blank: its fields emptied, or a cloze with no gap of its number.
BLANK = ("The front of this card is blank", "Please either add a cloze deletion, or use the Empty Cards tool")
#: A note type of three templates, made in a German and Japanese Anki: a picture shown on card 1's back only.
VOCABULARY = "Wörter & 単語"
HERZ = {
    "Wort (Deutsch)": "das Herz",
    "Bedeutung Ä": "the heart",
    "読み 方": "心臓[しんぞう]",
    "Eigene Notiz": "<b>Neutrum</b>",
}
#: A field the student added to a shared note type, which no template shows: Anki keeps it in the note.
OWN = "missed on NBME 12<br>mnemonic: <i>NaK out</i>"


def _vocabulary_type(col: Collection) -> None:
    models = col.models
    vocabulary = models.new(VOCABULARY)
    for name in ("Wort (Deutsch)", "Bedeutung Ä", "読み 方", "Bild hinten", "Eigene Notiz"):  # the last unshown
        models.add_field(vocabulary, models.new_field(name))
    for name, question, answer in (
        ("Karte 1", "{{Wort (Deutsch)}}", "{{FrontSide}}<hr id=answer>{{Bedeutung Ä}}<br>{{Bild hinten}}"),
        ("Karte 2", "{{Bedeutung Ä}}", "{{FrontSide}}<hr id=answer>{{Wort (Deutsch)}}"),
        ("Karte 3", "{{#読み 方}}{{kana:読み 方}}{{/読み 方}}", "{{FrontSide}}<hr id=answer>{{furigana:読み 方}}"),
    ):
        template = models.new_template(name)
        template["qfmt"], template["afmt"] = question, answer
        models.add_template(vocabulary, template)
    models.add(vocabulary)


def _shown(col: Collection, html: str) -> str:
    """A side as Anki renders it, as one line of plain text."""
    return " ".join(col._backend.html_to_text_line(text=html, preserve_media_filenames=True).split())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The packages, and what Anki says of each card: its question and answer, reviews, flag."""
    work, out = tmp_path_factory.mktemp("anki"), tmp_path_factory.mktemp("packages")
    path = work / "collection.anki2"
    col = Collection(str(path))
    models = col.models
    anking = models.copy(models.by_name("Cloze"), add=False)  # an AnKing-style cloze type: extra fields
    anking["name"] = "AnKingOverhaul"
    for name in ("Lecture Notes", "First Aid", "Own notes"):  # the last, added by the student, no template shows
        models.add_field(anking, models.new_field(name))
    anking["tmpls"][0]["afmt"] += '{{#First Aid}}<br>{{hint:First Aid}}{{/First Aid}}<img src="_logo.png">'
    models.add(anking)
    _vocabulary_type(col)
    shared = add(col, "AnKingOverhaul", "Step 1::Renal", {"Text": SHARED, "First Aid": "FA p. 570", "Own notes": OWN})
    clozes = [shared, *(add(col, "Cloze", "Step 1::Renal", {"Text": text}) for text in UNREAD)]
    cloze_guids = {col.get_note(note_id).guid for note_id in clozes}
    col.media.write_data("herz.png", png((20, 12), {(2, 2, 8, 8): "red"}))
    herz = add(col, VOCABULARY, "Sprachen::Deutsch", {**HERZ, "Bild hinten": '<img src="herz.png">'})
    adh = add(col, "Basic (and reversed card)", "Step 1::Renal", {"Front": "ADH", "Back": "vasopressin"})
    add(col, "Basic (optional reversed card)", "Step 1::Renal", {"Front": "RAAS", "Back": "renin", "Add Reverse": "y"})
    col = study_days(col, path, "Step 1")
    moved = next(card for card in col.get_note(adh).cards() if card.ord == 1)
    col.set_deck([moved.id], col.decks.id("Step 1::Endocrine"))  # the student moved the reverse card
    col = study_days(col, path, "Sprachen")
    emptied = col.get_note(herz)  # its card 3 stays, blank (Tools → Empty Cards lists it)
    emptied["読み 方"] = ""
    col.update_note(emptied)
    first = next(card for card in col.get_note(shared).cards() if card.ord == 0)
    col.set_user_flag_for_cards(1, [first.id])
    cards = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        cards[int(card_id)] = {
            "question": _shown(col, card.question()),
            "answer": _shown(col, card.answer()),
            "reviews": int(col.db.scalar("select count() from revlog where cid = ?", card_id)),
            "reps": card.reps,
            "flag": card.flags & 7,
            "deck": col.decks.name(card.did),
            "guid": card.note().guid,
        }
    for legacy in (False, True):
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy)
        name = "legacy.apkg" if legacy else "current.apkg"
        col.export_anki_package(out_path=str(out / name), options=options, limit=None)
    export_plain_text(col, out / "notes.txt")
    col.close()
    return {"out": out, "cards": cards, "cloze_guids": cloze_guids}


def _imported(made: dict[str, Any], name: str, data: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Each quiz card of the import, by its Anki card: (card, reviews logged, reps, flag); and what it warned."""
    package = made["out"] / name
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(package), "--deck-id", "step1")
    assert code == 0, err
    made["warned"] = err
    deck = load_deck_file(data / "decks" / "step1.yaml").deck
    assert deck is not None
    store = Store.in_folder(data)
    states, flags = store.states("step1"), store.flags("step1")
    result = import_file(package)
    found: dict[int, Any] = {}
    for note in deck.notes:
        for card, anki_card in zip(cards_of("step1", note), result.anki_cards[note.id], strict=True):
            assert anki_card not in found, "two quiz cards of one Anki card"
            state = states[card.key]
            found[anki_card] = (card, len(store.reviews("step1", card.key)), state.reps, flags.get(card.key, 0))
    return found


@pytest.mark.parametrize("name", ["current.apkg", "legacy.apkg"])
def test_each_card_anki_shows_comes_in_once_as_anki_shows_it_with_its_own_history(
    made: dict[str, Any], name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gaps sharing a number: Anki's card c1 hides both at once. They came in as two cloze cards, the second (K+
    hidden, Na+ shown: a card Anki never asked) with c1's schedule and flag but none of its answers. A `{{C1::...}}`
    (no gap to Anki, a gap to quiz) stopped the whole import with an IndexError."""
    found = _imported(made, name, tmp_path, capsys)
    shown = {
        card_id for card_id, anki in made["cards"].items() if not any(words in anki["question"] for words in BLANK)
    }
    assert set(found) == shown  # every card Anki shows, once; no quiz card more
    for anki_card, (card, reviews, reps, flag) in found.items():
        anki_side = made["cards"][anki_card]
        assert " ".join(faces.question(card).split()) == anki_side["question"]
        answer, _, extra = faces.expected_answer(card).partition("\n")
        assert answer in anki_side["answer"]  # Anki repeats the question above a back of {{FrontSide}}
        assert (reviews, reps, flag) == (anki_side["reviews"], anki_side["reps"], anki_side["flag"])
    questions = sorted(made["cards"][c]["question"] for c in shown if made["cards"][c]["guid"] in made["cloze_guids"])
    assert questions == [
        "Na+ and K+ are pumped by [enzyme]",
        "[...] and [...] are pumped by Na/K-ATPase",
        "{{C1::Thiazides}} waste [...], spare {{C2::calcium}}",
    ]
    assert "FA p. 570" in faces.expected_answer(found[min(shown)][0])  # Anki's hint shows it behind a button
    warned = made["warned"]
    assert "gaps share the number c1 (its Anki card hides them together)" in warned
    assert (
        "note '{{C1::Thiazides}} waste {{c1::potassium}': its text holds {{...}} that Anki does not read as a" in warned
    )
    assert "row skipped: Cloze note '{{C1::Loop}} diuretics waste potassium', card 1:" in warned  # blank in Anki
    assert "image" not in warned  # the note type's logo is not the note's: left out, as the docs say


def test_anki_s_text_export_brings_those_clozes_as_the_package_does(made: dict[str, Any]) -> None:
    """A text export holds no history, but its notes are the package's, ids included (importing one after the
    other updates the deck). Its `{{C1::Thiazides}}` came in as quiz's gap asking 'C1'."""
    text, package = import_file(made["out"] / "notes.txt"), import_file(made["out"] / "current.apkg")
    clozes = [note for note in package.notes if package.guids[note.id] in made["cloze_guids"]]
    # the back differs: the package's is rendered by its template, which a text export holds not (First Aid there is
    # the explanation)
    assert {note.id: (note.kind, note.body.front) for note in clozes} == {
        note.id: (note.kind, note.body.front) for note in text.notes if note.id in {n.id for n in clozes}
    }
    assert len(clozes) == 3 and {note.kind for note in clozes} == {"basic"}


@pytest.mark.parametrize("name", ["current.apkg", "legacy.apkg"])
def test_a_card_shows_the_pictures_anki_shows_on_it_and_a_card_anki_shows_blank_is_named(
    made: dict[str, Any], name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note type of three templates, its picture on card 1's back. Cards 2 and 3 showed the picture too, and card 3,
    blank in Anki once its field was emptied, came in reading '(see the picture)', with its history."""
    found = _imported(made, name, tmp_path, capsys)
    words = {made["cards"][anki]["question"]: card for anki, (card, *_) in found.items()}
    herz = words["das Herz"].note  # Anki shows it once card 1 is turned: so does quiz
    assert (herz.images, herz.answer_images) == ((), ("step1-media/herz.png",))
    assert words["the heart"].note.all_images == ()
    (blank,) = [
        anki for anki in made["cards"].values() if anki["deck"] == "Sprachen::Deutsch" and BLANK[0] in anki["question"]
    ]
    assert blank["reviews"] > 0  # studied before its field was emptied
    assert f"row skipped: {VOCABULARY} note 'das Herz', card 3: nothing is left of the question" in made["warned"]


def test_a_note_whose_cards_anki_keeps_in_two_decks_is_named_and_each_card_keeps_its_history(
    made: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quiz note has one topic: the reverse card moved to another deck in Anki is studied under the first card's.
    That went unsaid."""
    found = _imported(made, "current.apkg", tmp_path, capsys)
    pair = {
        made["cards"][anki]["deck"]: (card, reviews)
        for anki, (card, reviews, *_) in found.items()
        if made["cards"][anki]["question"] in ("ADH", "vasopressin")
    }
    assert set(pair) == {"Step 1::Renal", "Step 1::Endocrine"}
    assert pair["Step 1::Renal"][0].note.id == pair["Step 1::Endocrine"][0].note.id  # one reverse note, both cards
    assert all(reviews for _, reviews in pair.values())
    assert (
        "'ADH': its cards are in several decks: it comes in under 'Step 1::Renal', not 'Step 1::Endocrine'"
        in (made["warned"])
    )


@pytest.mark.parametrize("name", ["current.apkg", "legacy.apkg"])
def test_a_field_no_template_shows_comes_along_in_the_explanation(
    made: dict[str, Any], name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field the student added to a note type, or one a shared deck keeps unseen: Anki keeps it in the note and
    shows it in its editor. It was left out without a word."""
    found = _imported(made, name, tmp_path, capsys)
    explained = {made["cards"][anki]["question"]: card.note.explain for anki, (card, *_) in found.items()}
    assert explained["[...] and [...] are pumped by Na/K-ATPase"] == ("Own notes: missed on NBME 12\nmnemonic: NaK out")
    assert explained["das Herz"] == explained["the heart"] == "Eigene Notiz: Neutrum"  # each card of the note
    assert explained["ADH"] == explained["RAAS"] == ""  # a stock type shows all its fields, or tests them (Add Reverse)


def test_anki_s_text_export_brings_every_field_of_a_note(made: dict[str, Any]) -> None:
    """Notes in Plain Text holds a note's fields by position, with no names: the third and later came in only as
    the explanation's first (Back Extra, Lecture Notes): First Aid and the student's own notes were left out."""
    text = import_file(made["out"] / "notes.txt")
    explained = {KINDS[note.kind].question(cards_of("d", note)[0]): note.explain for note in text.notes}
    assert explained["[...] and [...] are pumped by Na/K-ATPase"] == "FA p. 570\n\nmissed on NBME 12\nmnemonic: NaK out"
    assert explained["das Herz"] == "Neutrum"  # its picture, which a text export holds not, is named
    assert any(p.message == "explain: an image was dropped (a cell holds text only)" for p in text.problems)


def test_a_cloze_gap_whose_card_the_package_lacks_comes_in_new_taking_no_other_card_s_schedule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An older Anki's deck export leaves out a card that is in a filtered deck; its note comes. The gap of that card
    was given the note's first card: its schedule, reps and flag, under a card that had none of its answers."""
    path = tmp_path / "anki" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    note_id = add(col, "Cloze", "Pharm", {"Text": "{{c1::Aspirin}} inhibits {{c2::COX}} in {{c3::platelets}}"})
    col = study_days(col, path, "Pharm")
    first, left_out, third = sorted(col.get_note(note_id).cards(), key=lambda card: card.ord)
    col.set_user_flag_for_cards(1, [first.id])
    anki = {card.ord + 1: col.get_card(card.id).reps for card in (first, third)}
    full = tmp_path / "full.apkg"
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=True)
    col.export_anki_package(out_path=str(full), options=options, limit=None)
    col.close()
    with zipfile.ZipFile(full) as source:
        members = {name: source.read(name) for name in source.namelist()}
    collection = tmp_path / "collection.anki21"
    collection.write_bytes(members["collection.anki21"])
    with sqlite3.connect(collection) as db:
        db.execute("DELETE FROM cards WHERE id = ?", (left_out.id,))
    db.close()
    members["collection.anki21"] = collection.read_bytes()
    package = tmp_path / "pharm.apkg"
    with zipfile.ZipFile(package, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(package))
    assert code == 0, err
    assert "card 2: not in the package; it comes in as a new card" in err
    deck = load_deck_file(tmp_path / "data" / "decks" / "pharm.yaml").deck
    assert deck is not None and [card.note.kind for card in deck.cards] == ["cloze"] * 3
    store = Store.in_folder(tmp_path / "data")
    states, flags = store.states("pharm"), store.flags("pharm")
    keys = [card.key for card in deck.cards]
    assert keys[1] not in states and keys[1] not in flags  # new, as Anki's card it has not
    assert {number: states[keys[number - 1]].reps for number in (1, 3)} == anki
    assert flags == {keys[0]: 1}


def test_a_field_no_template_shows_named_with_control_or_bidi_characters_comes_in_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field's name comes along with its text, into the explanation: one holding an escape code or a bidi mark
    (Anki keeps both in a name) made a deck file that did not read back, and the whole import was refused."""
    col = Collection(str(tmp_path / "collection.anki2"))
    models = col.models
    mine = models.copy(models.by_name("Basic"), add=False)
    mine["name"] = "Mine"
    for name in ("Esc \x1b[31mred", "Evil \u202etxt.exe"):
        models.add_field(mine, models.new_field(name))
    models.add(mine)
    fields = [field["name"] for field in models.by_name("Mine")["flds"]]
    assert "\x1b" in fields[2] and "\u202e" in fields[3]  # kept by Anki as typed
    add(col, "Mine", "Own", {"Front": "ADH", "Back": "vasopressin", fields[2]: "one", fields[3]: "two"})
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False)
    col.export_anki_package(out_path=str(tmp_path / "own.apkg"), options=options, limit=None)
    col.close()
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(tmp_path / "own.apkg"))
    assert code == 0, err
    deck = load_deck_file(tmp_path / "data" / "decks" / "own.yaml").deck
    assert deck is not None
    assert [card.note.explain for card in deck.cards] == ["Esc \ufffd[31mred: one\n\nEvil \ufffdtxt.exe: two"]
    assert "the name of a field no template shows: control or bidi characters were replaced by \ufffd" in err
