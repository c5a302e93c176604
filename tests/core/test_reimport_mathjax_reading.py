"""A deck imported before quiz read MathJax (its deck file and record hold Anki's `\\(x^2\\)` as written), imported
again from the same package: the formulas come in read (`x²`), as quiz's reading of the package now gives them. That
is neither the package's change (no note "updated") nor, on a note she edited, a conflict: her edit stays.

tests/data/anki/mathjax: v1.apkg and v1.txt are Anki's own, written by `tools/make_anki_fixtures.py mathjax`;
v1.yaml and v1.import.json are what `quiz import v1.apkg` wrote at commit 8cc1345f (the last before quiz read
MathJax), run from a copy of that commit, copied as they were."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.importers import ids
from quiz.core.model import Note
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki" / "mathjax"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
BASIC = ids.id_from_guid(EXPECTED["basic"])  # front "The square of x?", back \(x^2\)
CLOZE = ids.id_from_guid(EXPECTED["cloze"])  # "The Greek letter {{c1::alpha}} is written \(\alpha\)"
READ = {
    BASIC: ("The square of x?", "x²"),
    CLOZE: ("The Greek letter {{alpha}} is written α",),
}


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """The data folder of a student who imported v1.apkg with that quiz."""
    decks = tmp_path / "decks"
    decks.mkdir()
    for name in ("v1.yaml", "v1.import.json"):
        shutil.copyfile(DATA / name, decks / name)
    return tmp_path


def _import(folder: Path, capsys: pytest.CaptureFixture[str], name: str = "v1.apkg") -> str:
    code, out, err = run(capsys, "--data-dir", str(folder), "import", str(DATA / name))
    assert code == 0, err
    return out


def _texts(folder: Path) -> dict[str, tuple[str, ...]]:
    loaded = load_deck_file(folder / "decks" / "v1.yaml").deck
    assert loaded is not None
    return {note.id: _faces(note) for note in loaded.notes}


def _faces(note: Note) -> tuple[str, ...]:
    return (note.body.text,) if note.kind == "cloze" else (note.body.front, note.body.back)


@pytest.mark.parametrize("name", ["v1.apkg", "v1.txt"])
def test_the_same_package_again_reads_the_formulas_with_no_update(earlier: Path, capsys, name: str) -> None:
    """It counted both notes updated (Anki changed neither) and said so at every import of a next version."""
    out = _import(earlier, capsys, name)
    assert f"0 updated, 0 new, 2 unchanged, 0 gone from {name}, 0 changed by both" in out, out
    assert "updated by" not in out
    assert _texts(earlier) == READ
    out = _import(earlier, capsys, name)  # again: the record has them read too
    assert f"0 updated, 0 new, 2 unchanged, 0 gone from {name}, 0 changed by both" in out, out
    assert "the deck file is unchanged" in out
    assert _texts(earlier) == READ


def test_a_note_she_edited_keeps_her_text_with_no_conflict(earlier: Path, capsys) -> None:
    """Her note was a conflict, 'changed by both', at every import until --replace."""
    path = earlier / "decks" / "v1.yaml"
    text = path.read_text(encoding="utf-8")
    assert "front: The square of x?\n" in text
    path.write_text(text.replace("front: The square of x?\n", "front: x times x?\n"), encoding="utf-8")
    out = _import(earlier, capsys)
    assert "0 updated, 0 new, 1 unchanged, 0 gone from v1.apkg, 0 changed by both" in out, out
    assert "kept as you have them: 1 note you edited" in out and "--replace" not in out
    assert _texts(earlier) == {BASIC: ("x times x?", "\\(x^2\\)"), CLOZE: READ[CLOZE]}
    out = _import(earlier, capsys)  # again: still hers, still no conflict
    assert "0 changed by both" in out and "--replace" not in out
    assert _texts(earlier)[BASIC] == ("x times x?", "\\(x^2\\)")


def _anki_export(path: Path, text: str) -> Path:
    """Anki's Notes in Plain Text of one cloze note, whose Text is `text`."""
    header = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:5\n"
    path.write_text(f"{header}AbCdEfGhIj\tCloze\tAlgebra\t{text}\t\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("edited", [False, True])
def test_a_gap_the_author_takes_out_of_a_formula_is_his_change(tmp_path: Path, capsys, edited: bool) -> None:
    """A formula holding a cloze gap stays as written when quiz reads the package (the gap must stay one): so it
    does when the earlier quiz's text is read anew. Read whole, `\\(x^{{2}}\\)` became `x²`, the very text of the
    package whose author took the gap out in Anki: his change was taken for the formulas read, her edited note
    kept the gap, 'not changed by' the package, and the record took his change, never to be said."""
    export = tmp_path / "algebra.txt"
    _anki_export(export, "Circle: {{c1::\\(\\pi\\)}} r², square: \\(x^{{c2::2}}\\)")
    _import(tmp_path, capsys, str(export))
    deck, record = tmp_path / "decks" / "algebra.yaml", tmp_path / "decks" / "algebra.import.json"
    for path, escaped in ((deck, str), (record, lambda text: json.dumps(text, ensure_ascii=False)[1:-1])):
        text = path.read_text(encoding="utf-8")  # as the quiz that kept formulas as written imported it
        assert escaped("{{π}}") in text
        path.write_text(text.replace(escaped("{{π}}"), escaped("{{\\(\\pi\\)}}")), encoding="utf-8")
    if edited:
        deck.write_text(deck.read_text(encoding="utf-8").replace("Circle:", "A circle:"), encoding="utf-8")
    _anki_export(export, "Circle: {{c1::\\(\\pi\\)}} r², square: \\(x^2\\)")  # no second gap
    out = _import(tmp_path, capsys, str(export))
    if edited:
        assert "0 updated, 0 new, 0 unchanged, 0 gone from algebra.txt, 1 changed by both" in out, out
    else:
        assert "1 updated, 0 new, 0 unchanged, 0 gone from algebra.txt, 0 changed by both" in out, out
        loaded = load_deck_file(deck).deck
        assert loaded is not None and loaded.notes[0].body.text == "Circle: {{π}} r², square: x²"


@pytest.mark.parametrize("edited", [False, True])
def test_a_table_of_her_own_whose_author_reads_a_formula_himself_is_his_change(
    tmp_path: Path, capsys, edited: bool
) -> None:
    """quiz reads no formula in a plain table's cell: its `\\(x^2\\)` is its author's text, and his `x²` in the next
    version his change. It was taken for the formulas read: counted unchanged, her edited note kept `\\(x^2\\)`,
    'not changed by' the table, and the record took his change, never to be said."""
    table = tmp_path / "algebra.csv"
    table.write_text("front,back\nSquare of x?,\\(x^2\\)\n", encoding="utf-8")
    _import(tmp_path, capsys, str(table))
    deck = tmp_path / "decks" / "algebra.yaml"
    if edited:
        deck.write_text(deck.read_text(encoding="utf-8").replace("Square of", "The square of"), encoding="utf-8")
    table.write_text("front,back\nSquare of x?,x²\n", encoding="utf-8")
    out = _import(tmp_path, capsys, str(table))
    if edited:
        assert "0 updated, 0 new, 0 unchanged, 0 gone from algebra.csv, 1 changed by both" in out, out
    else:
        assert "1 updated, 0 new, 0 unchanged, 0 gone from algebra.csv, 0 changed by both" in out, out
