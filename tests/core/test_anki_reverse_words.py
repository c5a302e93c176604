"""A two-template Anki note type whose cards ask each other's field, but whose templates add words of their own
(`{{Class}}: name a drug` / `Which class is {{Drug}}?`, or a back labelled `Class: {{Class}}`): each card comes in as
Anki shows it, words and all, the two notes siblings. Anki's stock reverse types, in any language, and a template
that only wraps the field in markup still make one reverse note. A deck an earlier quiz imported, when it read such
a note as one reverse note, keeps that note, with her progress, while Anki does not change it.

tests/data/anki/reverse-words: v1.apkg (studied in Anki) and v2.apkg (one note edited in Anki since) are Anki's own,
written by `make_packages` below (`python -m tests.core.test_anki_reverse_words`, with the `anki` package of the
bench group), which also writes expected.json (the GUIDs). v1.yaml and v1.import.json are the deck file and record
`quiz import tests/data/anki/reverse-words/v1.apkg` wrote at commit 390c1f68 (the last before quiz read such a note
card by card), run from a checkout of that commit with a new data folder, copied as they were."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quiz.core.anki.model import Notetype, Template
from quiz.core.anki.structure import shape_of
from quiz.core.browse_data import toggle_suspended
from quiz.core.cardstate import effective_state
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.events import card_number
from quiz.core.flags import toggle_flag
from quiz.core.importers import ids
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.scheduler import Scheduler
from tests.conftest import run_cli as run
from tests.core.test_reimport import opened
from tests.core.test_reimport_earlier_reading import imported, progress_of

DATA = Path(__file__).parents[1] / "data" / "anki" / "reverse-words"
GUIDS = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
PROPRANOLOL, LISINOPRIL, LABELLED = (
    ids.id_from_guid(GUIDS[name]) for name in ("propranolol", "lisinopril", "labelled")
)
WITH_WORDS = (PROPRANOLOL, LISINOPRIL, LABELLED)  # one reverse note each for the earlier quiz
NOW = datetime.now(UTC).replace(microsecond=0)  # when she studied in quiz: after every answer Anki logged

STOCK_BACK = "{{FrontSide}}\n\n<hr id=answer>\n\n"


def _pair(first: tuple[str, str], second: tuple[str, str], fields: tuple[str, ...] = ("Front", "Back")) -> Notetype:
    templates = (Template(0, "Card 1", *first), Template(1, "Card 2", *second))
    return Notetype(1, "any name", False, fields, templates)


@pytest.mark.parametrize(
    "first, second",
    [
        (("{{Front}}", STOCK_BACK + "{{Back}}"), ("{{Back}}", STOCK_BACK + "{{Front}}")),  # Anki's stock
        (
            ("{{Front}}", STOCK_BACK + "{{Back}}"),
            ("{{#Add Reverse}}{{Back}}{{/Add Reverse}}", STOCK_BACK + "{{Front}}"),
        ),
        (
            ("<div class=x>{{Front}}</div>&nbsp;", "{{FrontSide}}<hr id=answer><b>{{Back}}</b>"),
            ("<i>{{Back}}</i>", "{{Front}}"),
        ),
        (
            ("{{Front}}?", "{{FrontSide}}<hr id=answer>{{Back}}"),
            ("{{Back}} ?", "{{FrontSide}}<hr id=answer>— {{Front}}"),
        ),
        (("<!-- card 1 -->{{Front}}<script>show('x')</script>", "{{Back}}"), ("{{Back}}", "{{Front}}")),
        (
            ("{{Front}}", "{{Back}}{{#Notes}}<br><small>{{Notes}}</small>{{/Notes}}"),
            ("{{Back}}", "{{Front}}{{#Notes}}<br><small>{{Notes}}</small>{{/Notes}}"),
        ),
        (('<span class="{{Front}}">{{Front}}</span>', "{{Back}}"), ("{{Back}}", "{{Front}}")),
        (('<div title="a>b">{{Front}}</div>', "{{Back}}"), ("<div title='x > y'>{{Back}}</div>", "{{Front}}")),
        (("{{Front}} [sound:front.mp3]", "{{Back}}"), ("{{Back}}", "{{Front}}[sound:back.mp3]")),
    ],
    ids=[
        "stock",
        "optional",
        "markup",
        "punctuation",
        "comment-script",
        "section",
        "field-in-a-tag",
        "quoted-bracket",
        "sound",
    ],
)
def test_a_pair_with_no_words_of_its_own_is_one_reverse_note_and_a_word_added_makes_it_card_by_card(
    first, second
) -> None:
    """Layout (markup, `&nbsp;`, punctuation, a comment, a script, a section showing a field in markup, a `>` in a
    quoted attribute) and a `[sound:...]` are no words; the same pair asking with a word of its own is read card by
    card."""
    fields = ("Front", "Back", "Notes", "Add Reverse")
    assert shape_of(_pair(first, second, fields)).kind == "reverse"
    assert shape_of(_pair(first, (f"Name it: {second[0]}", second[1]), fields)).kind == "cards"


@pytest.mark.parametrize(
    "first, second",
    [
        (("{{Class}}: name a drug", "{{FrontSide}}<hr id=answer>{{Drug}}"), ("Which class is {{Drug}}?", "{{Class}}")),
        (
            ("{{Drug}}", "{{FrontSide}}<hr id=answer>Class: {{Class}}"),
            ("{{Class}}", "{{FrontSide}}<hr id=answer>{{Drug}}"),
        ),
        (("<b>Klasse</b> {{Class}}", "{{Drug}}"), ("{{Drug}}", "{{Class}}")),
        (("🇩🇪 {{Class}}", "{{Drug}}"), ("🇬🇧 {{Drug}}", "{{Class}}")),
        (("{{Class}}&nbsp;&rarr;", "{{Drug}}"), ("{{Drug}}", "{{Class}}")),
        (("{{Class}}", "{{Drug}}"), ("{{#Drug}}Which class is {{Drug}}?{{/Drug}}", "{{Class}}")),
        (
            ("{{Class}}", "{{Drug}}{{#Notes}}<br>Note: {{Notes}}{{/Notes}}"),
            ("{{Drug}}", "{{Class}}{{#Notes}}<br>Note: {{Notes}}{{/Notes}}"),
        ),
        (("🔊 {{Class}}", "{{Drug}}"), ("{{Drug}}", "{{Class}}")),
    ],
    ids=["front", "back-label", "in-markup", "flags", "entity-symbol", "in-a-section", "section-label", "icon"],
)
def test_a_pair_asking_with_words_of_its_own_comes_in_card_by_card(first, second) -> None:
    """Words a section shows count too: on the cards of the notes that fill its field, they are what Anki asks. A
    symbol counts, an icon too: no category tells it from an arrow that says which way the card asks."""
    assert shape_of(_pair(first, second, ("Drug", "Class", "Notes"))).kind == "cards"


def test_the_optional_reverse_asking_with_words_comes_in_card_by_card() -> None:
    """Anki's optional reverse type whose reverse card asks with words inside its `{{#Add Reverse}}` section: it
    was read as one reverse note, `Which class is ...?` lost."""
    second = ("{{#Add Reverse}}Which class is {{Back}}?{{/Add Reverse}}", STOCK_BACK + "{{Front}}")
    notetype = _pair(("{{Front}}", STOCK_BACK + "{{Back}}"), second, ("Front", "Back", "Add Reverse"))
    assert shape_of(notetype).kind == "cards"


def test_a_package_of_such_a_note_type_gives_each_card_as_anki_shows_it(tmp_path: Path, capsys) -> None:
    """It came in as one reverse note, `Beta blocker` / `Propranolol`: the card lost `: name a drug`, `Which class
    is ...?` and `Class:`. Anki's stock reverse types (a German copy too) and one wrapping its fields in markup are
    one reverse note still."""
    out = _import(tmp_path, capsys, "v1.apkg")
    assert "imported 10 notes (14 cards)" in out
    notes = {note.id: note for note in _deck(tmp_path).notes}
    faces = {note_id: (n.kind, n.body.front, n.body.back, n.siblings) for note_id, n in notes.items()}
    assert faces[f"{PROPRANOLOL}-1"] == ("basic", "Beta blocker: name a drug", "Propranolol", PROPRANOLOL)
    assert faces[f"{PROPRANOLOL}-2"] == ("basic", "Which class is Propranolol?", "Class: Beta blocker", PROPRANOLOL)
    assert faces[f"{LABELLED}-1"] == ("basic", "Tachycardia", "Meaning: a fast heart rate", LABELLED)
    assert faces[f"{LABELLED}-2"] == ("basic", "a fast heart rate", "Term: Tachycardia", LABELLED)
    reverse = {n.body.front: n.body.back for n in notes.values() if n.kind == "reverse"}
    assert reverse == {
        "Furosemide": "Loop diuretic",
        "Warfarin": "Vitamin K antagonist",
        "Herz": "heart",
        "Aspirin": "COX inhibitor",
    }
    assert not set(WITH_WORDS) & set(notes)


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """The data folder of a student who imported v1.apkg with the earlier quiz (three reverse notes of the note
    types that add words), then studied in quiz: answered both cards of Propranolol, flagged its first, suspended
    Lisinopril's reverse card."""
    decks = tmp_path / "decks"
    decks.mkdir()
    for name in ("v1.yaml", "v1.import.json"):
        shutil.copyfile(DATA / name, decks / name)
    (forward, backward), (_, suspended) = _cards(tmp_path, PROPRANOLOL), _cards(tmp_path, LISINOPRIL)
    with opened(tmp_path) as store:
        for card in (forward, backward):
            before = effective_state(card, store.state("v1", card.key))
            after = Scheduler(store.settings()).review(card_number("v1", card.key), before, Grade.GOOD, NOW)
            store.record_review("v1", card.key, Grade.GOOD, NOW, 1000, Mode.REVIEW, None, after)
        toggle_flag(store, forward, 1)
        toggle_suspended(store, suspended)
    return tmp_path


def _deck(folder: Path) -> Deck:
    loaded = load_deck_file(folder / "decks" / "v1.yaml").deck
    assert loaded is not None
    return loaded


def _cards(folder: Path, note_id: str) -> list[Card]:
    (note,) = [note for note in _deck(folder).notes if note.id == note_id]
    return cards_of("v1", note)


def _import(folder: Path, capsys: pytest.CaptureFixture[str], name: str, *flags: str) -> str:
    return imported(folder, capsys, DATA / name, *flags)


def _progress(folder: Path) -> dict[str, tuple[int, bool, int]]:
    """The progress of each card of the earlier reverse notes (progress_of)."""
    return progress_of(folder, [card for note_id in WITH_WORDS for card in _cards(folder, note_id)], NOW)


def test_the_same_package_again_keeps_the_earlier_reverse_notes_with_her_progress(earlier: Path, capsys) -> None:
    """Fixed naively, it listed the three reverse notes as gone and added two basic notes beside each, with Anki's
    schedule, both then studied."""
    before = (earlier / "decks" / "v1.yaml").read_bytes()
    progress = _progress(earlier)
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / "v1.apkg"))
    assert code == 0, err
    assert "0 new, 7 unchanged, 0 gone from v1.apkg" in out and "the deck file is unchanged" in out
    assert "kept as an earlier quiz read them (3 notes;" in out and "--read-anew" in out
    assert all(f"  {note_id}  " in out for note_id in WITH_WORDS)
    assert err.count("add words of their own to its fields: kept as an earlier quiz read it, one reverse note") == 3
    assert "each card comes in" not in err
    assert (earlier / "decks" / "v1.yaml").read_bytes() == before
    assert progress[PROPRANOLOL] == (1, False, 1) and progress[f"{LISINOPRIL}/reverse"] == (0, True, 0)
    assert _progress(earlier) == progress
    with opened(earlier) as store:
        assert len(store.reviews("v1", PROPRANOLOL)) > 1  # Anki's answers came, under the reverse note's cards
        # each card scheduled as the reverse card it is: none started again as another kind's
        assert {state.kind for key, state in store.states("v1").items() if key.startswith(WITH_WORDS)} == {"reverse"}
        assert not [key for key in store.states("v1") if key.startswith(tuple(f"{n}-" for n in WITH_WORDS))]
        reviews = store.review_count()
    out = _import(earlier, capsys, "v1.apkg")  # again: nothing more
    assert "0 gone from v1.apkg" in out and "kept as an earlier quiz read them (3 notes;" in out
    with opened(earlier) as store:
        assert store.review_count() == reviews


def test_a_note_anki_changed_since_comes_in_card_by_card_beside_the_earlier_one(earlier: Path, capsys) -> None:
    """v2, Propranolol's class edited in Anki: each of its cards comes in as a note of its own, the reverse note
    listed gone and kept with her progress; neither note takes the other's id (its first card would start again,
    a basic card where a reverse one was studied)."""
    progress = _progress(earlier)
    out = _import(earlier, capsys, "v2.apkg")
    assert "0 updated, 2 new, 6 unchanged, 1 gone from v2.apkg" in out
    assert "kept as an earlier quiz read them (2 notes;" in out
    # the new notes' Anki answers, logged under the reverse note's cards: not brought again, and why
    (away,) = [line for line in out.splitlines() if line.startswith("not brought again: the answers of 2 cards")]
    assert "an earlier quiz read the note as one, a reverse note whose templates ask with words of their own" in away
    assert away.endswith(f"newer ones come: {PROPRANOLOL}-1, {PROPRANOLOL}-2")
    assert f"  {PROPRANOLOL}  " in out.split("gone from v2.apkg, kept in the deck")[1]
    notes = {note.id: note for note in _deck(earlier).notes}
    assert (
        notes[PROPRANOLOL].kind == "reverse" and notes[f"{PROPRANOLOL}-2"].body.front == "Which class is Propranolol?"
    )
    assert notes[f"{PROPRANOLOL}-1"].body.front == "Beta-adrenergic blocker: name a drug"
    assert _progress(earlier) == progress


def test_read_anew_takes_the_reading_of_today_s_quiz(earlier: Path, capsys) -> None:
    progress = _progress(earlier)
    out = _import(earlier, capsys, "v1.apkg", "--read-anew")
    assert "6 new, 4 unchanged, 3 gone from v1.apkg" in out and "kept as an earlier quiz read" not in out
    notes = {note.id: note for note in _deck(earlier).notes}
    assert {f"{note_id}-{number}" for note_id in WITH_WORDS for number in (1, 2)} <= set(notes)
    assert notes[f"{PROPRANOLOL}-1"].body.front == "Beta blocker: name a drug"
    assert _progress(earlier) == progress  # the earlier notes keep her progress until she removes them
    out = _import(earlier, capsys, "v1.apkg")  # read anew once: its notes are the deck's now
    assert "0 new, 10 unchanged, 3 gone from v1.apkg" in out and "kept as an earlier quiz read" not in out


def make_packages(folder: Path) -> dict[str, Any]:
    """v1.apkg: notes of two note types that ask with words of their own, of Anki's stock reverse types (English
    and a German copy) and of one wrapping its fields in markup, studied for some days; v2.apkg: the same with one
    note edited in Anki. Returns what the tests need of them (the GUIDs)."""
    import tempfile

    from anki.collection import Collection, ExportAnkiPackageOptions

    from tools.make_anki_fixtures import add, custom_types, study_days

    work = Path(tempfile.mkdtemp())
    path = work / "collection.anki2"
    col = Collection(str(path))
    custom_types(col)
    models = col.models
    for name, (first, second), fields in (
        (
            "Drug class",
            (
                ("{{Class}}: name a drug", "{{FrontSide}}<hr id=answer>{{Drug}}"),
                ("Which class is {{Drug}}?", "{{FrontSide}}<hr id=answer>Class: {{Class}}"),
            ),
            ("Drug", "Class"),
        ),
        (
            "Labelled",
            (
                ("{{Term}}", "{{FrontSide}}<hr id=answer>Meaning: {{Meaning}}"),
                ("{{Meaning}}", "{{FrontSide}}<hr id=answer>Term: {{Term}}"),
            ),
            ("Term", "Meaning"),
        ),
        (
            "Wrapped",
            (
                (
                    "<div class=front>{{Front}}</div>",
                    "{{FrontSide}}\n\n<hr id=answer>\n\n<div class=back>{{Back}}</div>",
                ),
                ("<div class=back>{{Back}}</div>&nbsp;", "{{FrontSide}}\n\n<hr id=answer>\n\n<b>{{Front}}</b>"),
            ),
            ("Front", "Back"),
        ),
    ):
        notetype = models.new(name)
        for field in fields:
            models.add_field(notetype, models.new_field(field))
        for number, (front, back) in enumerate((first, second), start=1):
            template = models.new_template(f"Card {number}")
            template["qfmt"], template["afmt"] = front, back
            models.add_template(notetype, template)
        models.add(notetype)
    propranolol = add(col, "Drug class", "Pharm", {"Drug": "Propranolol", "Class": "Beta blocker"})
    lisinopril = add(col, "Drug class", "Pharm", {"Drug": "Lisinopril", "Class": "ACE inhibitor"})
    labelled = add(col, "Labelled", "Pharm", {"Term": "Tachycardia", "Meaning": "a fast heart rate"})
    stock = add(col, "Basic (and reversed card)", "Pharm", {"Front": "Furosemide", "Back": "Loop diuretic"})
    optional = add(
        col,
        "Basic (optional reversed card)",
        "Pharm",
        {"Front": "Warfarin", "Back": "Vitamin K antagonist", "Add Reverse": "y"},
    )
    german = add(col, "Einfach (beide Richtungen)", "Pharm", {"Vorderseite": "Herz", "Rückseite": "heart"})
    wrapped = add(col, "Wrapped", "Pharm", {"Front": "Aspirin", "Back": "COX inhibitor"})
    col = study_days(col, path, "Pharm")
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(folder / "v1.apkg"), options=options, limit=None)
    note = col.get_note(propranolol)
    note["Class"] = "Beta-adrenergic blocker"
    col.update_note(note)
    col.export_anki_package(out_path=str(folder / "v2.apkg"), options=options, limit=None)
    named = {
        "propranolol": propranolol,
        "lisinopril": lisinopril,
        "labelled": labelled,
        "stock": stock,
        "optional": optional,
        "german": german,
        "wrapped": wrapped,
    }
    found = {name: col.get_note(note_id).guid for name, note_id in named.items()}
    col.close()
    return found


if __name__ == "__main__":  # pragma: no cover - run by hand, to make the fixtures again
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "expected.json").write_text(json.dumps(make_packages(DATA), indent=1) + "\n", encoding="utf-8")
