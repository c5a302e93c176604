"""Import (CSV/TSV/Anki text) -> YAML deck -> export (.apkg/.csv/.yaml) -> import again."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.commands import importing
from quiz.core.cardstate import CardState
from quiz.core.cloze import renumbered_gaps
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.deckwriter import deck_text, deck_to_text
from quiz.core.exporters import ExportError, export_deck
from quiz.core.exporters.apkg import cloze_text, stable_id
from quiz.core.importers import ImportFailure, ImportOptions, import_file
from quiz.core.importers.ids import id_from_front
from quiz.core.importers.update import Merge, record_path
from quiz.core.kinds import KINDS, new_note
from quiz.core.library import SHIPPED_DECKS
from quiz.core.model import Grade, Mode, Note
from quiz.core.store import Store
from quiz.core.text import sanitize
from tests.conftest import START
from tests.conftest import run_cli as run

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "import"
SHIPPED = SHIPPED_DECKS / "ketamine" / "ketamine.yaml"


def summary(note: Note) -> tuple:
    """(kind, front or cloze text, back or typed answer, tags, topic, explain)."""
    own = KINDS[note.kind].field_values(note)
    return (
        note.kind,
        own.get("text", own.get("front")),
        own.get("answer", own.get("back", "")),
        note.tags,
        note.topic,
        note.explain,
    )


# --- every header and quoting style -------------------------------------------------------------

FIXTURES = [
    (
        "header.csv",
        {},
        [
            ("basic", "What is the capital of France?", "Paris", ("geography", "europe"), "", ""),
            ("basic", "Name two colours, please", "Red and blue", ("colours",), "", ""),
        ],
    ),
    (
        "no_header.csv",
        {},
        [
            ("basic", "Bonjour", "Hello", ("french", "greeting"), "", ""),
            ("basic", "Merci", "Thank you", ("french",), "", ""),
        ],
    ),
    ("tabs.tsv", {}, [("basic", "hund", "dog", (), "", ""), ("basic", "katze", "cat", (), "", "")]),
    (
        "semicolon.csv",
        {"header": True},  # German column names: the header row is named explicitly
        [("basic", "Haus", "house, building", (), "", ""), ("basic", "Baum", "tree", (), "", "")],
    ),
    (
        "quoted.csv",
        {},
        [
            ("basic", "A field, with a comma", "Two\nlines", (), "", ""),
            ("basic", 'He said "hello"', "quoted", (), "", ""),
            ("basic", "plain", 'ends with a quote "', (), "", ""),
        ],
    ),
    (
        "anki_html.txt",
        {},
        [
            ("basic", "The NMDA receptor & glutamate", "One line\nTwo lines\nThree", ("nmda", "receptors"), "", ""),
            ("basic", "Picture question", "Answer [sound:a.mp3]", ("media",), "", ""),  # sound kept as text
        ],
    ),
    ("anki_html_off.txt", {}, [("basic", "x <b> y &amp; z", "plain <br> text", (), "", "")]),
    (
        "anki_cloze.txt",
        {},
        [  # the gaps c1 share a number, which one Anki card hides together: each card as Anki shows it
            (
                "basic",
                "[...] is the capital of Australia; [...] is not.",
                "Canberra is the capital of Australia; Sydney is not.",
                ("geo",),
                "",
                "Extra note",
            ),
            (
                "basic",
                "Canberra is the capital of [country]; Sydney is not.",
                "Canberra is the capital of Australia; Sydney is not.",
                ("geo",),
                "",
                "Extra note",
            ),
        ],
    ),
    (
        "anki_reversed.txt",
        {},
        [
            ("reverse", "perro", "dog", (), "", ""),
            ("reverse", "gato", "cat", (), "", ""),
            ("basic", "pez", "fish", (), "", ""),
            ("typed", "One plus one?", "2", (), "", ""),
        ],
    ),
    (
        "anki_subdecks.txt",
        {},
        [
            ("basic", "ser", "to be", ("verbs",), "verbs", ""),
            ("basic", "ir", "to go", (), "verbs-irregular", ""),
            ("basic", "casa", "house", (), "nouns", ""),
            ("basic", "hola", "hello", (), "", ""),
        ],
    ),
    (
        "anki_guid.txt",
        {},
        [("basic", "Front one", "Back one", ("tag1", "tag2"), "", ""), ("basic", "Front two", "Back two", (), "", "")],
    ),
    (
        "anki_columns.txt",
        {},
        [("basic", "one", "uno", ("numbers",), "", ""), ("basic", "two", "dos", ("numbers",), "", "")],
    ),
    (
        "anki_semicolon.txt",
        {},
        [
            ("basic", "sol", "sun", ("global", "shared"), "", ""),
            ("basic", "luna", "moon", ("global", "shared"), "", ""),
        ],
    ),
    ("anki_comma.txt", {}, [("basic", "a, b", "c", (), "", "")]),
]


@pytest.mark.parametrize(("name", "options", "expected"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_fixture_imports_to_the_expected_cards(name: str, options: dict, expected: list[tuple]) -> None:
    result = import_file(DATA / name, ImportOptions(**options))
    assert [summary(n) for n in result.notes] == expected
    loaded = parse_deck(result.text.encode(), "x.yaml")  # what is written is what the loader reads
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert [replace(n, line=0) for n in loaded.deck.notes] == [replace(n, line=0) for n in result.notes]


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("anki_cloze.txt", 6, "no gap"),
        ("anki_cloze.txt", 7, "gap is empty"),
        ("anki_reversed.txt", 8, "an Image Occlusion note"),
        ("anki_guid.txt", 9, "front is empty"),
        ("anki_html.txt", 5, "image was dropped"),
        ("anki_html.txt", 5, "[sound:...]"),
    ],
)
def test_unusable_rows_are_reported_with_file_and_line(name: str, line: int, words: str) -> None:
    problems = import_file(DATA / name).problems
    assert any(p.line == line and words in p.message for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith(f"{DATA / name}:") for p in problems)


def test_subdecks_name_the_deck_and_become_topics() -> None:
    result = import_file(DATA / "anki_subdecks.txt")
    assert result.title == "Spanish"
    assert [(t.id, t.title) for t in result.topics] == [
        ("verbs", "Verbs"),
        ("verbs-irregular", "Verbs / Irregular"),
        ("nouns", "Nouns"),
    ]


def test_ids_come_from_the_guid_and_a_quiz_guid_gives_back_the_card_id() -> None:
    ids = [n.id for n in import_file(DATA / "anki_guid.txt").notes]
    assert ids[0].startswith("anki-") and ids[1] == "kept-id"
    assert import_file(DATA / "anki_guid.txt").deck_id == "kd"  # the deck quiz's guid names (the other: added in Anki)


def test_header_detection_can_be_overridden() -> None:
    as_data = import_file(DATA / "header.csv", ImportOptions(header=False))
    assert summary(as_data.notes[0])[:3] == ("basic", "Front", "Back")
    as_header = import_file(DATA / "no_header.csv", ImportOptions(header=True))
    assert [n.body.front for n in as_header.notes] == ["Merci"]


def test_columns_map_by_number_or_header_name(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Notes,Answer,Question,Labels\nsee p. 3,Oslo,Capital of Norway?,geo capitals\n")
    by_name = import_file(sheet, ImportOptions(columns={"front": "question", "back": "Answer", "tags": "Labels"}))
    by_number = import_file(sheet, ImportOptions(header=True, columns={"front": "3", "back": "2", "tags": "4"}))
    for result in (by_name, by_number):
        assert summary(result.notes[0])[:4] == ("basic", "Capital of Norway?", "Oslo", ("geo", "capitals"))
    with pytest.raises(ImportFailure, match="no such column"):
        import_file(sheet, ImportOptions(columns={"front": "Nope"}))
    with pytest.raises(ImportFailure, match="there is no column 9"):
        import_file(sheet, ImportOptions(columns={"front": "9"}))


def test_same_input_same_ids_and_edited_back_keeps_the_id(tmp_path: Path) -> None:
    sheet = tmp_path / "words.csv"
    sheet.write_text("front,back\nhund,dog\nkatze,cat\nhund,hound\n")
    first = [n.id for n in import_file(sheet).notes]
    assert first == [n.id for n in import_file(sheet).notes]
    assert first[0] == id_from_front("hund") and first[2] == first[0] + "-2"  # a repeated front gets a suffix
    sheet.write_text("front,back\nhund,a dog (edited)\nmaus,mouse\nkatze,cat\n")
    second = {n.body.front: n.id for n in import_file(sheet).notes}
    assert second["hund"] == first[0] and second["katze"] == first[1]


def test_import_options_kind_reverse_and_topic(tmp_path: Path) -> None:
    sheet = tmp_path / "pairs.csv"
    sheet.write_text("front,back\nsol,sun\n")
    note = import_file(sheet, ImportOptions(kind="reverse", topic="Sky things")).notes[0]
    assert note.kind == "reverse" and note.topic == "sky-things"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("broken_quote.csv", "broken_quote.csv:2: cannot read this row"),
        ("latin1.csv", "latin1.csv:2: the file is not valid utf-8"),
        ("empty.csv", "is empty"),
        ("no_usable_rows.csv", "no usable rows"),
        ("missing.csv", "cannot read"),
    ],
)
def test_files_that_cannot_be_imported_fail_with_one_clear_message(name: str, words: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        import_file(DATA / name)
    assert words in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#separator:space\n#html:false\nsol sun\n", [("sol", "sun")]),
        ("#separator:Pipe\nsol|sun|sky\n", [("sol", "sun")]),
        ("#separator:colon\nsol:sun\n", [("sol", "sun")]),
        ("#1 hit,song\n#2,other\n", [("#1 hit", "song"), ("#2", "other")]),  # not Anki headers: rows
        ("#separator:tab\n# a comment\nsol\tsun\n", [("sol", "sun")]),
    ],
)
def test_separators_and_comment_lines(tmp_path: Path, text: str, expected: list[tuple[str, str]]) -> None:
    source = tmp_path / "notes.txt"
    source.write_text(text)
    assert [(n.body.front, n.body.back) for n in import_file(source).notes] == expected


def test_latin1_imports_with_its_encoding() -> None:
    assert import_file(DATA / "latin1.csv", ImportOptions(encoding="cp1252")).notes[0].body.front == "café"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("u16.csv", "front,back\nsol,sun\n".encode("utf-16")),  # this machine's order, with its mark
        ("le.csv", b"\xff\xfe" + "front,back\r\nsol,sun\r\n".encode("utf-16-le")),
        ("be.csv", b"\xfe\xff" + "front,back\nsol,sun\n".encode("utf-16-be")),
        ("u8.csv", b"\xef\xbb\xbf" + b"front,back\nsol,sun\n"),
        ("unicode.txt", b"\xff\xfe" + "front\tback\r\nsol\tsun\r\n".encode("utf-16-le")),  # Excel's Unicode Text
    ],
    ids=["utf-16", "utf-16-le", "utf-16-be", "utf-8", "excel"],
)
def test_a_byte_order_mark_decides_the_encoding(capsys, tmp_path: Path, name: str, data: bytes) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    for deck_id, args in (("plain", []), ("named", ["--encoding", "cp1252"])):  # the mark wins over a name
        code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(source), "--deck-id", deck_id, *args)
        assert code == 0 and err == "" and "imported 1 note (1 card)" in out
        deck = load_deck_file(tmp_path / "decks" / f"{deck_id}.yaml").deck
        assert deck is not None and [(n.body.front, n.body.back) for n in deck.notes] == [("sol", "sun")]


def test_text_marked_utf16_that_is_not_says_where(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(b"\xff\xfe" + "front,back\nsol,".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(ImportFailure, match=r"bad\.csv:2: the file is not valid utf-16 text, as its first bytes"):
        import_file(source)


def test_counts_are_singular_for_one(capsys, tmp_path: Path) -> None:
    sheet = tmp_path / "one.csv"
    sheet.write_text("front,back\nsol,sun\nmoon,\n")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "import", str(sheet))
    assert code == 0 and "imported 1 note (1 card) into deck 'one' (one); 1 row skipped" in out
    deck = tmp_path / "decks" / "one.yaml"
    code, out, _ = run(capsys, "validate", str(deck))
    assert code == 0 and out.startswith(f"ok {deck}: deck one 'one': 1 note, 1 card (1 basic)")
    exported = tmp_path / "one-out.csv"
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "export", "one", "-o", str(exported))
    assert code == 0 and out.rstrip().endswith("deck 'one', 1 note, 1 card")


SHORT = (
    "add the missing cells (an empty one too needs its separator); a cell that holds a line break goes in double quotes"
)


def test_a_row_shorter_than_the_header_is_named_as_short(capsys, tmp_path: Path) -> None:
    sheet = tmp_path / "short.csv"
    sheet.write_text("front,back,tags\nq1,a1\nq2\nq3,,t\n")  # q1 lacks only its tags: imported, unsaid
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(sheet))
    assert code == 0 and "imported 1 note (1 card)" in out and "2 rows skipped" in out
    assert err.splitlines() == [
        f"{sheet}:3:1: warning: row skipped: the row has 1 column where the header has 3: it has no back — {SHORT}",
        f"{sheet}:4:1: warning: row skipped: the back is empty",  # a back really empty is said as before
    ]
    headless = tmp_path / "headless.csv"
    headless.write_text("sol,sun\nmoon\n")
    problems = [str(p) for p in import_file(headless).problems]
    assert problems == [
        f"{headless}:2:1: warning: row skipped: the row has 1 column where the longest row has 2: it has no back"
        f" — {SHORT}"
    ]


def test_control_characters_are_replaced_and_reported(tmp_path: Path) -> None:
    sheet = tmp_path / "c.csv"
    sheet.write_text("front,back\nbell\x07here,\x1b[31mred\n", encoding="utf-8")
    result = import_file(sheet)
    assert result.notes[0].body.front == "bell\ufffdhere" and result.notes[0].body.back == "\ufffd[31mred"
    assert any(p.line == 2 and "control" in p.message for p in result.problems)


def test_a_title_made_from_a_file_name_is_cleaned_before_it_is_written(capsys, tmp_path: Path) -> None:
    sheet = tmp_path / "\x1b]0;title\x07esc.csv"
    sheet.write_text("front,back\nQ,A\n", encoding="utf-8")
    code, _out, _err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(sheet))
    (written,) = (tmp_path / "data" / "decks").glob("*.yaml")
    assert code == 0 and 'title: "\\e' not in written.read_text(encoding="utf-8")
    loaded = load_deck_file(written)
    assert loaded.deck is not None and loaded.deck.title == "\ufffd]0;title\ufffdesc"
    assert loaded.problems == []  # a deck quiz wrote itself loads without a warning


def test_a_file_name_longer_than_a_title_may_be_gives_the_title_its_start(capsys, tmp_path: Path) -> None:
    """A 240-character file name (Windows takes 255) stopped the import: 'title' is 240 characters long; at most
    200 — shorten it, of a title she never wrote."""
    sheet = tmp_path / f"{'Pharmakologie ' * 17}.csv"
    sheet.write_text("front,back\nQ,A\n", encoding="utf-8")
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(sheet))
    assert code == 0, err
    (written,) = (tmp_path / "data" / "decks").glob("*.yaml")
    loaded = load_deck_file(written)
    assert loaded.deck is not None and loaded.problems == []
    assert len(loaded.deck.title) == 200 and loaded.deck.title.startswith("Pharmakologie Pharmakologie")


def test_a_topic_named_by_the_option_is_cleaned_before_it_is_written(capsys, tmp_path: Path) -> None:
    sheet = tmp_path / "plain.csv"
    sheet.write_text("front,back\nQ,A\n", encoding="utf-8")
    code, _out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(sheet), "--topic", "Bell\x07\u202e")
    assert code == 0, err
    loaded = load_deck_file(tmp_path / "decks" / "plain.yaml")
    assert loaded.deck is not None and [t.title for t in loaded.deck.topics] == ["Bell\ufffd\ufffd"]
    assert loaded.problems == []


def test_a_package_s_tags_and_deck_names_are_cleaned_as_a_cell_is(tmp_path: Path) -> None:
    """Anki keeps bidi marks in tags and deck names (control characters in a tag, when a tool wrote them to the
    collection): each note still comes in, the characters replaced as in any cell, a warning naming the note
    (the deck's once)."""
    collection = pytest.importorskip("anki.collection")
    from anki.decks import DeckId

    col = collection.Collection(str(tmp_path / "collection.anki2"))
    package = tmp_path / "tags.apkg"
    try:
        for front, tags, deck in [
            ("Q1", ["rtl\u200fmark", "plain"], "Pharm::Car\u202edio"),
            ("Q2", [], "Pharm::Car\u202edio"),
            ("Q3", [], "Pharm::Renal"),
        ]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"], note.tags = front, "A", tags
            col.add_note(note, DeckId(col.decks.id(deck)))
        col.db.execute("update notes set tags = ? where id = ?", " bell\x07 esc\x1b[2J ", note.id)  # Q3's
        options = collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        )
        col.export_anki_package(out_path=str(package), options=options, limit=None)
    finally:
        col.close()
    result = import_file(package)
    got = {note.body.front: note for note in result.notes}
    assert set(got["Q1"].tags) == {"rtl\ufffdmark", "plain"}
    assert set(got["Q3"].tags) == {"bell\ufffd", "esc\ufffd[2J"} and got["Q2"].tags == ()
    assert {t.title for t in result.topics} == {"Car\ufffddio", "Renal"}
    assert result.title == "Pharm"
    replaced = sorted(str(p).split(": warning: ")[1] for p in result.problems)
    assert replaced == [
        "Basic note 'Q1': its deck 'Pharm::Car\ufffddio': control or bidi characters were replaced by \ufffd",
        "Basic note 'Q1': tags: control or bidi characters were replaced by \ufffd",
        "Basic note 'Q3': tags: control or bidi characters were replaced by \ufffd",
    ]
    written = tmp_path / "tags.yaml"
    written.write_text(result.text, encoding="utf-8")
    assert load_deck_file(written).problems == []


def test_two_decks_whose_names_clean_alike_stay_two_topics(tmp_path: Path) -> None:
    """`Car\u202ddio` and `Car\u202edio` both clean to `Car\ufffddio`: the deck whose name sorts later is titled
    `(2)`, and so is the deck path under it; `Renal`, clean already, keeps its name."""
    collection = pytest.importorskip("anki.collection")
    from anki.decks import DeckId

    col = collection.Collection(str(tmp_path / "collection.anki2"))
    package = tmp_path / "decks.apkg"
    try:
        for front, deck in [
            ("Q1", "Pharm::Car\u202ddio"),
            ("Q2", "Pharm::Car\u202edio"),
            ("Q3", "Pharm::Car\u202edio::Sub"),
            ("Q4", "Pharm::Renal"),
        ]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, "A"
            col.add_note(note, DeckId(col.decks.id(deck)))
        options = collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        )
        col.export_anki_package(out_path=str(package), options=options, limit=None)
    finally:
        col.close()
    result = import_file(package)
    titles = {t.id: t.title for t in result.topics}
    topic_of = {note.body.front: titles[note.topic] for note in result.notes}
    assert topic_of == {
        "Q1": "Car\ufffddio",
        "Q2": "Car\ufffddio (2)",
        "Q3": "Car\ufffddio (2) / Sub",
        "Q4": "Renal",
    }
    assert any(
        "'Pharm::Car\ufffddio (2)': control or bidi" in str(p) and "numbered apart" in str(p) for p in result.problems
    )
    written = tmp_path / "decks.yaml"
    written.write_text(result.text, encoding="utf-8")
    assert load_deck_file(written).problems == []


def test_two_deck_column_names_that_clean_alike_stay_two_topics(tmp_path: Path) -> None:
    """As a package's decks: an Anki text export's deck column."""
    text = tmp_path / "p.txt"
    rows = [
        "Q1\tA1\tPharm::Car\u202ddio",
        "Q2\tA2\tPharm::Car\u202edio",
        "Q3\tA3\tPharm::Car\u202ddio",
        "Q4\tA4\tPharm::Renal",
    ]
    text.write_text("#separator:tab\n#html:false\n#deck column:3\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_file(text)
    titles = {t.id: t.title for t in result.topics}
    topic_of = {note.body.front: titles[note.topic] for note in result.notes}
    assert topic_of == {"Q1": "Car\ufffddio", "Q2": "Car\ufffddio (2)", "Q3": "Car\ufffddio", "Q4": "Renal"}
    numbered = [str(p) for p in result.problems if "numbered apart" in str(p)]
    assert numbered == [
        f"{text}:5:1: warning: deck 'Pharm::Car\ufffddio (2)': numbered apart from a deck of the same name"
    ]


def test_deck_column_names_that_read_alike_are_one_topic(tmp_path: Path) -> None:
    """`R&amp;D` in an HTML cell reads `R&D`: one deck with the plain `R&D`, not numbered apart (only names that
    differ in the control or bidi characters cleaning replaces are)."""
    sheet = tmp_path / "p.csv"
    sheet.write_text("id,front,back,deck\nd1,Q1,A1,Pharm::R&amp;D\nd2,Q2,A2,Pharm::R&D\nd3,Q3,A3,Pharm::Renal\n")
    result = import_file(sheet)
    titles = {t.id: t.title for t in result.topics}
    assert {note.id: titles[note.topic] for note in result.notes} == {"d1": "R&D", "d2": "R&D", "d3": "Renal"}
    assert not [p for p in result.problems if "numbered apart" in str(p)]


# --- the CLI ----------------------------------------------------------------------------------------


def test_import_command_writes_a_deck_into_the_user_folder(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "anki_reversed.txt"))
    target = tmp_path / "decks" / "anki-reversed.yaml"
    assert code == 0 and out.splitlines()[0] == str(target)
    assert "4 notes (6 cards)" in out and "1 row skipped" in out
    assert "anki_reversed.txt:8:1: warning: row skipped: an Image Occlusion note" in err
    assert load_deck_file(target).ok
    before = target.read_bytes()
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "anki_reversed.txt"))
    assert code == 0 and "0 updated, 0 new, 4 unchanged" in out and "the deck file is unchanged" in out
    assert target.read_bytes() == before


def test_import_command_options(capsys, tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(tmp_path),
        "import",
        str(DATA / "semicolon.csv"),
        "--header",
        "--separator",
        "semicolon",
        "--front",
        "Antwort",
        "--back",
        "1",
        "--deck-id",
        "german",
        "--title",
        "German words",
        "--topic",
        "nouns",
        "--kind",
        "reverse",
    )
    assert code == 0
    deck = load_deck_file(tmp_path / "decks" / "german.yaml").deck
    assert deck.title == "German words"
    assert [(n.kind, n.body.front, n.body.back, n.topic) for n in deck.notes] == [
        ("reverse", "house, building", "Haus", "nouns"),
        ("reverse", "tree", "Baum", "nouns"),
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["import", str(DATA / "missing.csv")], "cannot read"),
        (["import", str(DATA / "latin1.csv")], "not valid utf-8"),
        (["import", str(DATA / "broken_quote.csv")], "check its quotes"),
        (["import", str(DATA / "header.csv"), "--deck-id", "ketamine"], "already used by"),
        (["import", str(DATA / "header.csv"), "--deck-id", "bad id!"], "not a valid id"),
        (["import", str(DATA / "header.csv"), "--front", "Nope"], "no such column"),
        (["import", str(DATA / "header.csv"), "--separator", "ab"], "--separator"),
        (["import", str(DATA / "no_usable_rows.csv")], "no usable rows"),
        (["export", "nope", "-o", "x.csv"], "no deck with id 'nope'"),
        (["export", "ketamine", "-o", "x.pdf"], "cannot tell the format"),
        (["export", "ketamine", "-o", "missing-folder/x.csv"], "does not exist"),
        (["export", "-o", "x.csv"], "name the deck to export"),
        (["export", "--reviews", "-o", "x.txt"], "written as CSV"),
    ],
)
def test_command_errors_are_one_clear_line(capsys, tmp_path: Path, monkeypatch, args: list[str], words: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--data-dir", str(tmp_path), *args)
    assert code == 1
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("quiz: ") and words in last


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (os.mkfifo, "named pipe"),
        (lambda path: os.symlink("/dev/zero", path), "character device"),
        (lambda path: os.truncate(os.open(path, os.O_CREAT | os.O_WRONLY), 4 << 30), "limited to 32 MiB"),
    ],
    ids=["fifo", "dev-zero", "sparse-4gib"],
)
def test_import_reads_only_regular_files_of_a_sane_size(capsys, tmp_path: Path, make, words: str) -> None:
    """The importer reads through the same guarded read as decks: no hang on a FIFO, no endless read."""
    path = tmp_path / "cards.csv"
    make(path)
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(path))
    assert code == 1 and "Traceback" not in err
    assert err.startswith(f"quiz: {path}: ") and words in err


def test_a_file_of_only_a_header_row_is_one_clear_line(capsys, tmp_path: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_text("Front,Back\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(path), "--header")
    assert code == 1 and "Traceback" not in err
    assert err.strip() == f"quiz: {path} has only a header row; nothing to import"


def test_import_failure_still_lists_the_skipped_rows(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "no_usable_rows.csv"))
    assert code == 1 and "no_usable_rows.csv:2:1: warning: row skipped: the front is empty" in err


def test_export_refuses_to_overwrite_without_force(capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "k.csv"
    out_file.write_text("keep me")
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "ketamine", "-o", str(out_file))
    assert code == 1 and "--force" in err and out_file.read_text() == "keep me"
    code, _, _ = run(capsys, "--data-dir", str(tmp_path), "export", "ketamine", "-o", str(out_file), "--force")
    assert code == 0 and out_file.read_text(encoding="utf-8-sig").startswith("id,kind,topic,tags,front,back,explain")


# --- round trips ------------------------------------------------------------------------------------


def test_import_export_import_gives_the_same_cards(capsys, tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    for name in ("quoted.csv", "anki_cloze.txt", "anki_reversed.txt", "anki_subdecks.txt"):
        assert run(capsys, *data, "import", str(DATA / name), "--deck-id", "first", "--replace")[0] == 0
        first = load_deck_file(tmp_path / "decks" / "first.yaml").deck
        exported = tmp_path / f"{name}.csv"
        assert run(capsys, *data, "export", "first", "-o", str(exported), "--force")[0] == 0
        again = import_file(exported, ImportOptions(deck_id="again", title=first.title))
        assert [replace(n, line=0) for n in again.notes] == [replace(n, line=0) for n in first.notes], name
        assert [t.id for t in again.topics] == [t.id for t in first.topics]  # titles are not in a CSV


def test_tsv_and_yaml_exports_round_trip(tmp_path: Path) -> None:
    deck = import_file(DATA / "anki_reversed.txt").notes
    result = import_file(DATA / "anki_reversed.txt")
    loaded = parse_deck(result.text.encode(), str(tmp_path / "r.yaml")).deck
    export_deck(loaded, tmp_path / "r.tsv", 0)
    assert [n.id for n in import_file(tmp_path / "r.tsv").notes] == [n.id for n in deck]
    export_deck(loaded, tmp_path / "copy.yaml", 0)
    copy = load_deck_file(tmp_path / "copy.yaml").deck
    assert [replace(n, line=0) for n in copy.notes] == [replace(n, line=0) for n in loaded.notes]


def _collection(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as package:
        assert "collection.anki2" in package.namelist()
        package.extract("collection.anki2", tmp_path)
    return sqlite3.connect(tmp_path / "collection.anki2")


def test_apkg_holds_every_note_card_tag_and_subdeck(capsys, tmp_path: Path) -> None:
    deck = load_deck_file(SHIPPED).deck
    apkg = tmp_path / "ketamine.apkg"
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "export", "ketamine", "-o", str(apkg))
    assert code == 0 and "Anki package" in out
    db = _collection(apkg, tmp_path)
    assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == len(deck.notes)
    assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == len(deck.cards)
    guids = {row[0] for row in db.execute("SELECT guid FROM notes")}
    assert guids == {f"quiz:ketamine:{n.id}" for n in deck.notes}
    tags = {tag for (text,) in db.execute("SELECT tags FROM notes") for tag in text.split()}
    assert tags == {"_".join(t.split()) for n in deck.notes for t in n.tags}
    decks = {d["name"] for d in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).values()}
    assert {f"{deck.title}::{deck.topic_title(t)}" for t in deck.topic_ids()} <= decks
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    assert {int(m) for m in models} == {
        stable_id("model", "ketamine", r) for r in ("basic", "reverse", "typed", "cloze")
    }
    cloze_model = next(m for m in models.values() if m["name"].startswith("Cloze"))
    assert cloze_model["type"] == 1


def test_apkg_ids_are_stable(tmp_path: Path) -> None:
    deck = load_deck_file(SHIPPED).deck
    export_deck(deck, tmp_path / "a.apkg", 1_000_000)
    export_deck(deck, tmp_path / "b.apkg", 2_000_000)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = _collection(tmp_path / "a.apkg", tmp_path / "a"), _collection(tmp_path / "b.apkg", tmp_path / "b")
    query = "SELECT models, decks FROM col"
    ids = [
        (sorted(json.loads(m)), sorted(json.loads(d)))
        for m, d in (db.execute(query).fetchone() for db in (first, second))
    ]
    assert ids[0] == ids[1]


def test_cloze_gaps_become_numbered_anki_clozes() -> None:
    assert cloze_text("A {{b}} & {{c::hint}}\nend") == "A {{c1::b}} &amp; {{c2::c::hint}}<br>end"


def _anki_text_export(apkg: Path, tmp_path: Path) -> Path:
    """What Anki's 'Notes in Plain Text' export (guid, notetype, deck, tags) writes for this package."""
    db = _collection(apkg, tmp_path)
    models = {int(k): v for k, v in json.loads(db.execute("SELECT models FROM col").fetchone()[0]).items()}
    decks = {int(k): v["name"] for k, v in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).items()}
    width = max(len(m["flds"]) for m in models.values())
    text = tmp_path / "export.txt"
    with text.open("w", encoding="utf-8", newline="") as out:
        out.write("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n")
        out.write(f"#tags column:{4 + width}\n")
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        query = "SELECT n.guid, n.mid, c.did, n.flds, n.tags FROM notes n JOIN cards c ON c.nid = n.id GROUP BY n.id"
        for guid, mid, did, fields, tags in db.execute(query):
            cells = fields.split("\x1f") + [""] * (width - len(fields.split("\x1f")))
            writer.writerow([guid, models[mid]["name"], decks[did], *cells, tags.strip()])
    return text


def test_apkg_through_anki_text_export_keeps_ids_kinds_answers_and_topics(tmp_path: Path) -> None:
    deck = load_deck_file(SHIPPED).deck
    export_deck(deck, tmp_path / "k.apkg", 0)
    result = import_file(_anki_text_export(tmp_path / "k.apkg", tmp_path))
    assert result.deck_id == "ketamine" and result.title == deck.title
    by_id = {n.id: n for n in result.notes}
    assert set(by_id) == {n.id for n in deck.notes}
    for note in deck.notes:
        back = by_id[note.id]
        # the quiz-only kinds and typed cards' other answers too: their definition is in the hidden column
        assert (back.kind, back.body, back.explain, back.outside, back.sources) == (
            note.kind,
            note.body,
            note.explain,
            note.outside,
            note.sources,
        ), note.id
        assert (back.topic != "") == (note.topic != "")


# --- the deck writer ----------------------------------------------------------------------------------

TRICKY = st.text(
    alphabet=st.sampled_from(list("ab :#-?'\"{}[]|>&*!%@`,\\\t\n\r\x85\u2028\u2029\x07\x00\ufeffé€😀 ")), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(front=TRICKY, back=TRICKY, tag=TRICKY, explain=TRICKY)
def test_written_text_reads_back_exactly(front: str, back: str, tag: str, explain: str) -> None:
    values = [front, back, tag, explain]
    if any(not sanitize(v)[0].strip() for v in values):
        return  # the loader refuses empty text, as it should
    note = new_note("n", "basic", tags=(tag,), front=front, back=back, explain=explain)
    loaded = parse_deck(deck_text("d", "Title", [note]).encode(), "d.yaml")
    assert loaded.deck is not None, [str(p) for p in loaded.problems]
    got = loaded.deck.notes[0]
    clean = [sanitize(v)[0] for v in values]
    assert (got.body.front, got.body.back, got.tags, got.explain) == (clean[0], clean[1], (clean[2],), clean[3])


def test_writer_round_trips_every_kind_of_the_shipped_deck() -> None:
    deck = load_deck_file(SHIPPED).deck
    again = parse_deck(deck_to_text(deck, header="a header\nwith\x1b[2J controls").encode(), "k.yaml")
    assert again.ok
    assert [replace(n, line=0) for n in again.deck.notes] == [replace(n, line=0) for n in deck.notes]
    assert (again.deck.sources, again.deck.topics, again.deck.description) == (
        deck.sources,
        deck.topics,
        deck.description,
    )


def test_writer_never_writes_anchors_or_tags() -> None:
    shared = ("same", "tags")
    notes = [new_note(f"n{i}", "basic", tags=shared, front="yes", back="2019") for i in range(3)]
    text = deck_text("d", "no", notes)
    assert "&" not in text and "*" not in text and "!!" not in text
    assert parse_deck(text.encode(), "d.yaml").ok


def test_export_error_for_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot tell the format"):
        export_deck(load_deck_file(SHIPPED).deck, tmp_path / "x.doc", 0)


def test_first_letters_that_only_look_like_a_mark_are_read_in_the_encoding_named(tmp_path: Path) -> None:
    """A cp1252 file starting with "ï»¿" is not UTF-8 after it: the encoding she passed reads it (the mark won,
    and the file could not be imported at all)."""
    source = tmp_path / "cp.csv"
    source.write_bytes("ï»¿front,back\nsol,caf\u00e9 \u2013 bar\n".encode("cp1252"))
    notes = import_file(source, ImportOptions(encoding="cp1252", header=True)).notes
    assert [(n.body.front, n.body.back) for n in notes] == [("sol", "caf\u00e9 \u2013 bar")]
    with pytest.raises(ImportFailure, match=r"cp\.csv:2: the file is not valid utf-8 text, as its first bytes"):
        import_file(source)  # no encoding named: the mark's, and where it fails


def test_a_deck_file_s_new_version_citing_a_new_source_adds_its_declaration(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """As a package's: the new version's declaration comes along; the deck's own stay as they are."""
    book, paper = "  - id: book\n    title: A book\n", "  - id: paper\n    title: A paper\n"
    card = "  - id: {0}\n    kind: basic\n    front: Q {0}\n    back: A\n    sources: [{1}]\n"
    deck = tmp_path / "s.yaml"
    deck.write_text(f"deck: s\ntitle: S\nsources:\n{book}cards:\n{card.format('c1', 'book')}", encoding="utf-8")
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    written = data / "decks" / "s.yaml"
    written.write_text(written.read_text(encoding="utf-8").replace("A book", "My book"), encoding="utf-8")
    new = f"deck: s\ntitle: S\nsources:\n{book}{paper}cards:\n{card.format('c1', 'book')}{card.format('c2', 'paper')}"
    deck.write_text(new, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    assert "1 new" in out and "sources added: paper" in out
    loaded = load_deck_file(written).deck
    assert loaded is not None
    assert [(s.id, s.title) for s in loaded.sources] == [("book", "My book"), ("paper", "A paper")]


def _answered_good(data: Path, kinds: dict[str, str]) -> None:
    """Each card of deck pharm named in `kinds` answered Good once, studied as the kind given (store in `data`)."""
    store = Store.in_folder(data)
    for key, kind in kinds.items():
        store.record_review("pharm", key, Grade.GOOD, START, 1000, Mode.REVIEW, None, CardState(kind))
    store.close()


def _line_of_card(deck_file: Path, card_id: str) -> int:
    """The line of `deck_file` where card `card_id` starts (`  - id: ...`, as an import writes it)."""
    return deck_file.read_text(encoding="utf-8").splitlines().index(f"  - id: {card_id}") + 1


def test_a_new_version_that_changes_a_studied_card_s_kind_says_the_card_starts_again(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """A teacher's update turning a basic card into a typed one: the student's card starts again as new, which
    the update says, at the card's line in the deck file, as `quiz validate` does; a card not studied, or whose
    kind stays, is not named."""
    card = "  - id: {0}\n    kind: basic\n    front: Q {0}\n    back: A\n"
    typed = "  - id: {0}\n    kind: typed\n    front: Q {0}\n    answer: vitamin K\n"
    deck = tmp_path / "pharm.yaml"
    deck.write_text(f"deck: pharm\ntitle: P\ncards:\n{card.format('kept')}{card.format('changed')}", encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(deck))[0] == 0
    _answered_good(data, {"kept": "basic", "changed": "basic"})  # studied as basic cards
    deck.write_text(
        f"deck: pharm\ntitle: P\ncards:\n{card.format('kept')}{typed.format('changed')}{typed.format('new')}".replace(
            "Q kept", "Q kept, fixed"
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0 and "2 updated, 1 new" in out
    written = data / "decks" / "pharm.yaml"
    line = _line_of_card(written, "changed")
    assert err.splitlines() == [
        f"{written}:{line}:1: warning: card changed: kind changed from basic to typed since it was studied;"
        " it will start again as a new card — set `kind: basic` back to keep its history"
    ]


def test_a_deck_file_s_new_version_moving_a_card_to_another_topic_says_its_topic_changed(
    capsys, tmp_path: Path
) -> None:  # noqa: ANN001
    """A deck file names each card's topic: a move is told as that, not as an Anki deck the file never had."""
    head = "deck: pharm\ntitle: P\ntopics:\n  - {id: pk, title: Kinetics}\n  - {id: metab, title: Metabolism}\ncards:\n"
    card = "  - id: cyp\n    kind: basic\n    topic: {0}\n    front: Name a CYP3A4 inducer.\n    back: Rifampicin\n"
    deck = tmp_path / "pharm.yaml"
    deck.write_text(head + card.format("pk"), encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(deck))[0] == 0
    deck.write_text(head + card.format("metab"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    assert "moved to another topic by pharm.yaml (1 note; their topic changed):\n" in out
    assert "  cyp  Name a CYP3A4 inducer.  (pk -> metab)\n" in out and "Anki" not in out


def test_an_update_names_each_note_it_changed_with_the_fields_and_each_new_note(
    capsys, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """A student taking a teacher's new version learns which cards changed and how, not only how many; a long
    list is cut short, with how many more there are."""
    card = "  - id: {0}\n    kind: basic\n    front: Q {0}\n    back: {1}\n"
    deck = tmp_path / "pharm.yaml"
    head = "deck: pharm\ntitle: P\ncards:\n"
    deck.write_text(head + card.format("a", "A") + card.format("b", "B") + card.format("c", "C"), encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(deck))[0] == 0
    deck.write_text(
        head
        + card.format("a", "A2")
        + card.format("b", "B").replace("Q b", "Q b?")
        + card.format("c", "C2")
        + card.format("d", "D"),
        encoding="utf-8",
    )
    monkeypatch.setattr(importing, "LISTED", 2)
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    assert out.splitlines()[2:] == [
        "updated by pharm.yaml (3 notes; the fields it changed):",
        "  a  Q a  (back)",
        "  b  Q b?  (front)",
        "  ... and 1 more",
        "new in pharm.yaml (1 note):",
        "  d  Q d",
    ]


def test_an_update_of_thousands_of_notes_makes_the_lines_of_those_it_names_only(monkeypatch) -> None:  # noqa: ANN001
    """A shared deck's new version may change every one of tens of thousands of notes: each note's line made (its
    label read and shortened) only to be thrown away cost 0.7 s and their memory for 100,000 notes."""
    notes = [new_note(f"n{i}", "basic", front=f"Q {i}", back="A") for i in range(1000)]
    merge = Merge(updated=notes, added=notes, updated_fields={note.id: ("back",) for note in notes})
    labelled = []
    monkeypatch.setattr(importing, "label", lambda note: labelled.append(note) or note.id)
    lines = importing.update_lines(merge, True, "v2.yaml")
    assert lines.count(f"  ... and {1000 - importing.LISTED} more") == 2
    assert len(labelled) == 2 * importing.LISTED


def test_a_new_version_that_takes_out_a_cloze_s_first_gap_warns_that_the_later_gaps_are_renumbered(
    capsys, tmp_path: Path
) -> None:  # noqa: ANN001
    """Gaps are keyed by their place: the first gap taken out, the second gap's card is keyed k/1 and takes the first
    gap's history. The update says so, at the note's line; an answer only corrected, or a gap added at the end,
    moves no gap and is not named; nor is a note never studied, which has no history to move."""
    deck = tmp_path / "pharm.yaml"
    head = "deck: pharm\ntitle: P\ncards:\n"
    note = '  - id: {0}\n    kind: cloze\n    text: "{1}"\n'
    unstudied = note.format("u", "{{x}} and {{y}}")
    deck.write_text(
        head
        + note.format("k", "{{NMDA}} receptor {{antagonist}} since {{2019}}")
        + note.format("t", "a {{Nmda}} b")
        + unstudied,
        encoding="utf-8",
    )
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(deck))[0] == 0
    _answered_good(data, {"k/3": "cloze", "t/1": "cloze"})
    deck.write_text(
        head
        + note.format("k", "receptor {{antagonist}} since {{2019}}")
        + note.format("t", "a {{NMDA}} b {{c}}")
        + unstudied.replace("{{x}} and", "{{w}} {{x}} and"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0 and "3 updated" in out
    written = data / "decks" / "pharm.yaml"
    line = _line_of_card(written, "k")
    assert err.splitlines() == [
        f"{written}:{line}:1: warning: card k: gaps renumbered by pharm.yaml: 'antagonist' was k/2, now k/1; '2019'"
        " was k/3, now k/2: each card takes the history of the gap that had its number — keep each gap in its"
        " place: add a new gap at the end, or in a note of its own"
    ]


def test_an_update_that_changes_a_kind_and_renumbers_gaps_reads_the_deck_file_again_once(
    capsys, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """Both warnings name lines of the deck file as written, read again for them: once, not once each (a shared
    deck of 10,000 cards took 2.5 s more to update with both, measured, half of it the second read)."""
    deck = tmp_path / "pharm.yaml"
    head = "deck: pharm\ntitle: P\ncards:\n"
    basic = "  - {id: w, kind: basic, front: Antidote for warfarin?, back: Vitamin K}\n"
    cloze = '  - {{id: k, kind: cloze, text: "{0}"}}\n'
    deck.write_text(head + basic + cloze.format("{{NMDA}} receptor {{antagonist}}"), encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(deck))[0] == 0
    _answered_good(data, {"w": "basic", "k/1": "cloze"})
    typed = basic.replace("kind: basic", "kind: typed").replace("back:", "answer:")
    deck.write_text(head + typed + cloze.format("receptor {{antagonist}}"), encoding="utf-8")
    reads = []
    monkeypatch.setattr(importing, "load_deck_file", lambda path: reads.append(path) or load_deck_file(path))
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0 and "card w: kind changed from basic to typed" in err and "card k: gaps renumbered" in err
    assert reads == [data / "decks" / "pharm.yaml"]


@pytest.mark.parametrize("first", ["add", "edited"])
def test_a_renumbering_new_version_taken_with_replace_warns_too(capsys, tmp_path: Path, first: str) -> None:  # noqa: ANN001
    """A deck added with `quiz add` has no import record: its new version's every change is taken with --replace,
    as the docs say; a note the student edited too, replaced, is studied as the student had it. Either way the
    later gaps' cards take other gaps' history, which the update says as for a plain update."""
    deck = tmp_path / "teacher" / "pharm.yaml"
    deck.parent.mkdir()
    note = 'deck: pharm\ntitle: P\ncards:\n  - id: k\n    kind: cloze\n    text: "{0}"\n'
    deck.write_text(note.format("{{NMDA}} receptor {{antagonist}}"), encoding="utf-8")
    data = tmp_path / "data"
    written = data / "decks" / "pharm.yaml"
    if first == "add":
        assert run(capsys, "--data-dir", str(data), "add", str(deck))[0] == 0
    else:
        assert run(capsys, "--data-dir", str(data), "import", str(deck))[0] == 0
        written.write_text(note.format("{{NMDA}} receptor {{antagonist}}, edited"), encoding="utf-8")
    _answered_good(data, {"k/1": "cloze"})
    deck.write_text(note.format("receptor {{antagonist}}"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(deck))
    assert code == 0 and "changed by both" in out
    assert "k: gaps renumbered by pharm.yaml: 'antagonist' was k/2, now k/1" in err


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [
        # the first of two gaps with one answer gone: the second, kept beside its neighbour, was 3, not 1
        ("{{A}} {{B}} {{A}}", "{{B}} {{A}}", [("B", 2, 1), ("A", 3, 2)]),
        ("{{A}} {{B}}", "{{B}} {{A}}", [("B", 2, 1), ("A", 1, 2)]),  # swapped
        ("{{NMDA}} {{antagonist}} {{2019}}", "{{antagonist}} {{2019}}", [("antagonist", 2, 1), ("2019", 3, 2)]),
        ("{{2}} + {{2}} = {{4}}", "{{2}} = {{4}}", [("4", 3, 2)]),  # gap 1 keeps an answer '2': nothing moved
        ("{{A}} {{B}}", "{{A}} {{B}} {{C}}", []),  # added at the end
        ("{{A}} {{B}}", "{{A}} {{b::hint}}", []),  # corrected in place
    ],
)
def test_renumbered_gaps_names_each_gap_with_the_number_it_had(before: str, after: str, moved: list) -> None:
    assert renumbered_gaps(before, after) == moved


def test_replace_on_a_deck_added_with_quiz_add_does_not_say_the_student_changed_the_notes(
    capsys, tmp_path: Path
) -> None:  # noqa: ANN001
    """The docs' way to take a teacher's new version of a deck an older `quiz add` added, which wrote no import
    record: `--replace`. quiz cannot tell the student's edits from the teacher's old text, so it does not call them
    hers."""
    deck = tmp_path / "teacher" / "pharm.yaml"
    deck.parent.mkdir()
    card = "deck: pharm\ntitle: P\ncards:\n  - {{id: w, kind: basic, front: Antidote for warfarin?, back: {0}}}\n"
    deck.write_text(card.format("K"), encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "add", str(deck))[0] == 0
    record_path(data / "decks" / "pharm.yaml").unlink()  # as an older quiz added it
    deck.write_text(card.format("Vitamin K"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(deck))
    assert code == 0, err
    assert (
        "took the version of pharm.yaml of 1 note unlike yours (no import record tells whether you changed them):"
        in out.splitlines()
    )
    assert "you had changed" not in out


def test_a_typed_row_whose_answer_nothing_typed_can_match_comes_in_as_basic_and_is_said(tmp_path: Path) -> None:
    """As from a package: the note is not lost (and an update from a text export does not list it as gone)."""
    table = tmp_path / "typed.txt"
    table.write_text(
        "#separator:tab\n#notetype column:1\n"
        "Basic (type in the answer)\tOne plus one?\t2\nBasic (type in the answer)\tWhich mark?\t?!\n",
        encoding="utf-8",
    )
    result = import_file(table)
    assert [(n.kind, n.body.front) for n in result.notes] == [
        ("typed", "One plus one?"),
        ("basic", "Which mark?"),
    ]
    assert result.notes[1].body.back == "?!"
    assert any(
        p.line == 4 and "'answer' '?!' has no letter" in p.message and "comes in as basic, self-graded" in p.message
        for p in result.problems
    )


def test_a_typed_note_in_a_table_an_older_quiz_exported_comes_in_as_basic() -> None:
    """quiz's own table (as an older quiz exported it) with a typed answer '?' nothing typed can match: the note
    comes in self-graded, as from Anki, with a warning naming it, and the rest of the table with it."""
    result = import_file(DATA / "older_quiz_typed_table.csv")
    assert [(n.id, n.kind) for n in result.notes] == [
        ("what-ends-a-question-25cd8c", "basic"),
        ("capital-of-france-1a2c7f", "typed"),
    ]
    assert result.notes[0].body.back == "?"
    (warning,) = result.problems
    assert warning.line == 2 and "card what-ends-a-question-25cd8c: 'answer' '?' has no letter" in warning.message
    assert "it comes in as basic, self-graded" in warning.message


def test_a_cloze_row_in_a_table_an_older_quiz_exported_comes_in_with_its_gap_nothing_typed_can_match() -> None:
    """quiz's own table, as an older quiz exported it, with a gap '{{?}}': the note comes in as written (the gap
    makes no card, as the loader reads it), with a warning naming it, and the rest of the table with it."""
    result = import_file(DATA / "older_quiz_cloze_table.csv")
    assert [(n.id, n.kind) for n in result.notes] == [("sentence-end", "cloze"), ("capital-of-france", "typed")]
    assert result.notes[0].body.text == "A question ends with {{?}} and a statement with a {{full stop}}."
    (warning,) = result.problems
    assert warning.line == 2 and "card sentence-end: the cloze gap '?' has no letter" in warning.message
    assert "it makes no card; the note's other gaps are studied as before" in warning.message


def test_an_anki_cloze_row_with_a_gap_nothing_typed_can_match_comes_in(tmp_path: Path) -> None:
    table = tmp_path / "cloze.txt"
    table.write_text(
        "#separator:tab\n#notetype column:1\nCloze\tA question ends with {{c1::?}}, a statement with {{c2::a dot}}.\n",
        encoding="utf-8",
    )
    result = import_file(table)
    assert [(n.kind, n.body.text) for n in result.notes] == [
        ("cloze", "A question ends with {{?}}, a statement with {{a dot}}.")
    ]
    assert any(p.line == 3 and "the cloze gap '?' has no letter" in p.message for p in result.problems)
