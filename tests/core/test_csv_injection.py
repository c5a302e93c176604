"""CSV/TSV export is safe to open in a spreadsheet (OWASP CSV injection), and quiz reads its quotes back off."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.decks import parse_deck
from quiz.core.decktable import DECK_COLUMNS, is_quiz_table, quote_cell, unquote_cell
from quiz.core.deckwriter import deck_text
from quiz.core.exporters import export_deck
from quiz.core.importers import ImportOptions, import_file
from quiz.core.importers.cleaning import tidy
from quiz.core.kinds import new_note
from quiz.core.model import Deck, Note, Topic

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PRINTABLE = ("=", "+", "-", "@")  # the triggers a deck's text can start with (the importer trims tab and CR)
SUFFIXES = (".csv", ".tsv")


def load(notes: list[Note], topics: tuple[Topic, ...] = ()) -> Deck:
    """The deck the real loader makes of these notes, so every text is one a deck file can hold."""
    loaded = parse_deck(deck_text("d", "=Title", notes, topics=topics).encode(), "d.yaml")
    assert loaded.deck is not None and loaded.ok, [str(p) for p in loaded.problems]
    return loaded.deck


def written_rows(path: Path) -> list[list[str]]:
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def every_field_starting_with(t: str) -> list[Note]:
    """A note of each kind with each text field that reaches a cell starting with `t`."""
    return [
        new_note(
            id="basic",
            kind="basic",
            topic="topic",
            tags=(f"{t}tag", "plain", f"{t}{t}two"),
            front=f"{t}1+1",
            back=f"{t}SUM(A1:A9)",
            explain=f"{t}cmd|' /C calc'!A0",
        ),
        new_note(id="reverse", kind="reverse", front=f"{t}front", back=f"{t}back", explain=f"{t}why"),
        new_note(id="typed", kind="typed", front=f"{t}question", answer=f"{t}answer", explain=f"{t}why"),
        new_note(id="cloze", kind="cloze", text=f"{t}HYPERLINK {{{{gap::{t}hint}}}}", explain=f"{t}extra"),
        new_note(
            id="choice",
            kind="choice",
            front=f"{t}pick",
            options=(f"{t}one", "two"),
            answer=f"{t}one",
            explain=f"{t}why",
        ),
        new_note(
            id="multi",
            kind="multi",
            front=f"{t}pick all",
            options=(f"{t}a", "b", f"{t}c"),
            answers=(f"{t}a", f"{t}c"),
        ),
        new_note(id="truefalse", kind="truefalse", front=f"{t}statement", answer=True, explain=f"{t}because"),
        new_note(id="order", kind="order", front=f"{t}sort", items=(f"{t}first", "second")),
        new_note(id="match", kind="match", front=f"{t}match", pairs=((f"{t}left", f"{t}right"), ("l2", "r2"))),
    ]


# --- the cell rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # a quote that is text gets one more, so that taking one off is unambiguous
        ("'''@x", "''''@x"),
        ("'quoted'", "'quoted'"),  # a quote before anything else is left alone
        ("'", "'"),
        ("''", "''"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_that_would_start_a_formula_gets_one_quote(text: str, cell: str) -> None:
    assert quote_cell(text) == cell
    assert unquote_cell(cell) == text


@settings(max_examples=300, derandomize=True, database=None)
@given(st.text(alphabet=st.sampled_from([*TRIGGERS, "'", "a", " ", "\n"])) | st.text())
def test_unquoting_undoes_quoting_and_no_quoted_cell_starts_a_formula(text: str) -> None:
    assert unquote_cell(quote_cell(text)) == text
    assert not quote_cell(text).startswith(TRIGGERS)


def test_only_quiz_s_own_header_marks_its_table() -> None:
    assert is_quiz_table(list(DECK_COLUMNS))
    assert not is_quiz_table(None)
    assert not is_quiz_table(["front", "back"])
    assert not is_quiz_table(["ID", "Kind", "Topic", "Tags", "Front", "Back", "Explain"])
    assert not is_quiz_table([*DECK_COLUMNS, "extra"])


# --- the written file and the round trip ------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("trigger", PRINTABLE)
def test_every_field_starting_with_a_trigger_is_quoted_and_comes_back(tmp_path: Path, trigger: str, suffix: str):
    deck = load(every_field_starting_with(trigger), (Topic("topic", f"{trigger}Topic title"),))
    path = tmp_path / f"deck{suffix}"
    export_deck(deck, path, 0)

    header, *rows = written_rows(path)
    assert tuple(header) == DECK_COLUMNS
    by_id = {row[0]: dict(zip(DECK_COLUMNS, row, strict=True)) for row in rows}
    # no cell anywhere (ids, kinds and topics included) starts a formula
    assert not [cell for row in rows for cell in row if cell.startswith(TRIGGERS)]
    quoted = {
        "basic": ("tags", "front", "back", "explain"),
        "reverse": ("front", "back", "explain"),
        "typed": ("front", "back", "explain"),
        "cloze": ("front", "explain"),
        "choice": ("front", "back", "explain"),  # the answer is an option
        "multi": ("front", "back"),
        "truefalse": ("front", "explain"),
        "order": ("front",),
        "match": ("front", "back"),
    }
    for note_id, columns in quoted.items():
        for column in columns:
            assert by_id[note_id][column].startswith("'" + trigger), (note_id, column)
    assert by_id["cloze"]["back"] == "" and by_id["truefalse"]["back"] == "True"

    again = import_file(path, ImportOptions(deck_id="d"))
    assert [replace(n, line=0) for n in again.notes] == [replace(n, line=0) for n in deck.notes]  # every kind


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_text_that_starts_with_a_quote_comes_back_exactly(tmp_path: Path, suffix: str) -> None:
    texts = ["'=x", "''+x", "'-", "'@'", "'\tx", "'plain", "'", "''", "it's", "=='"]
    deck = load(
        [new_note(id=f"n{i}", kind="basic", front=text, back=text, explain=text) for i, text in enumerate(texts)]
    )
    path = tmp_path / f"deck{suffix}"
    export_deck(deck, path, 0)
    fronts = [row[4] for row in written_rows(path)[1:]]
    assert fronts == ["''=x", "'''+x", "''-", "''@'", "''\tx", "'plain", "'", "''", "it's", "'=='"]
    again = import_file(path)
    assert [(n.body.front, n.body.back, n.explain) for n in again.notes] == [(t, t, t) for t in texts]


@pytest.mark.parametrize("trigger", ["\t", "\r"])
def test_a_leading_tab_or_carriage_return_is_quoted_too(tmp_path: Path, trigger: str) -> None:
    # a deck file cannot hold a leading CR (the loader shows it as U+FFFD), so this deck is built directly
    note = new_note(id="n", kind="basic", front=f"{trigger}=HYPERLINK(x)", back=f"{trigger}-2")
    path = tmp_path / "deck.csv"
    export_deck(Deck("d", "T", "d.yaml", notes=(note,)), path, 0)
    assert written_rows(path)[1][4:6] == [f"'{trigger}=HYPERLINK(x)", f"'{trigger}-2"]
    again = import_file(path).notes[0]
    # the quote is gone; quiz's own table is read exactly: a tab stays, a lone CR is a line break (as in a deck)
    kept = "\n" if trigger == "\r" else trigger
    assert (again.body.front, again.body.back) == (f"{kept}=HYPERLINK(x)", f"{kept}-2")


# --- files quiz did not write keep their quotes -------------------------------------------------------


def test_a_hand_made_csv_keeps_its_leading_quotes(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("front,back,explain\n'=1+1,'-2,''@x\n", encoding="utf-8")
    note = import_file(sheet).notes[0]
    assert (note.body.front, note.body.back, note.explain) == ("'=1+1", "'-2", "''@x")


def test_a_table_with_quiz_s_column_names_in_another_order_keeps_its_quotes(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("front,back,id,kind,topic,tags,explain\n'=1+1,'-2,n,basic,,,\n", encoding="utf-8")
    note = import_file(sheet).notes[0]
    assert (note.body.front, note.body.back) == ("'=1+1", "'-2")


def test_an_anki_text_export_keeps_its_leading_quotes(tmp_path: Path) -> None:
    notes = tmp_path / "anki.txt"
    notes.write_text("#separator:tab\n#html:false\n'=1+1\t'-2\n", encoding="utf-8")
    note = import_file(notes).notes[0]
    assert (note.body.front, note.body.back) == ("'=1+1", "'-2")


# --- any text --------------------------------------------------------------------------------------------

# Characters that reach the cell rule or the CSV quoting; '<', '&', '{', '[' and control characters are left
# out: the importer reads those as HTML, Anki cloze, sound references or unsafe text whoever wrote the file.
_TEXT = st.text(alphabet=st.sampled_from([*PRINTABLE, "'", '"', ",", ";", "\t", " ", "\n", "a", "Z", "é", "→"]))
_TAG = st.text(alphabet=st.sampled_from([*PRINTABLE, "'", '"', "a", "é"]), min_size=1, max_size=6)


@settings(max_examples=150, derandomize=True, database=None, deadline=None)
@given(
    fronts=st.lists(_TEXT, min_size=1, max_size=4),
    backs=st.lists(_TEXT, min_size=4, max_size=4),
    explains=st.lists(_TEXT, min_size=4, max_size=4),
    tags=st.lists(st.lists(_TAG, max_size=3, unique=True), min_size=4, max_size=4),
    suffix=st.sampled_from(SUFFIXES),
)
def test_any_text_comes_back_exactly(
    fronts: list[str], backs: list[str], explains: list[str], tags: list[list[str]], suffix: str
) -> None:
    # the importer trims cell edges and blank runs for every file; text already in that shape must come back as is
    notes = [
        new_note(
            id=f"n{i}",
            kind="basic",
            tags=tuple(tags[i]),
            front=tidy(front) or "x",
            back=tidy(backs[i]) or "y",
            explain=tidy(explains[i]),
        )
        for i, front in enumerate(fronts)
    ]
    deck = load(notes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"deck{suffix}"
        export_deck(deck, path, 0)
        again = import_file(path, ImportOptions(deck_id="d"))
    assert [replace(n, line=0) for n in again.notes] == [replace(n, line=0) for n in deck.notes]
