"""Anki text exports: a note type quiz does not know by name (another language's, a custom one) is decided by
the note's content, never dropped, and said once per name (issue 14, point 2)."""

from __future__ import annotations

from pathlib import Path

from quiz.core.decks import load_deck_file
from quiz.core.importers import ImportOptions, import_file
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "import"
GERMAN = DATA / "anki_german.txt"


def warnings_about(problems: list, name: str) -> list[str]:
    return [p.message for p in problems if f"note type {name!r}" in p.message]


def test_a_german_anki_export_imports_every_note_by_content() -> None:
    result = import_file(GERMAN)
    got = [(n.kind, n.topic, n.tags, n.explain) for n in result.notes]
    assert got == [
        ("basic", "worter", ("nomen",), ""),
        ("basic", "worter", ("nomen",), ""),
        ("basic", "worter", (), ""),
        ("cloze", "satze", ("geo",), "Seit 1990"),  # Lückentext's second field, "Rückseite Extra"
        ("cloze", "satze", ("geo",), ""),
    ]
    bodies = [n.body for n in result.notes]
    assert (bodies[0].front, bodies[0].back) == ("Haus", "das Haus\nthe house")
    assert bodies[1].back == "<der> Baum &amp; tree"  # HTML entities decoded once
    assert bodies[3].text == "{{Berlin}} ist die Hauptstadt von {{Deutschland::Land}}."
    assert result.title == "Deutsch"
    assert not [p for p in result.problems if "skipped" in p.message]


def test_each_unknown_note_type_is_said_once_with_what_its_notes_became() -> None:
    problems = import_file(GERMAN).problems
    assert warnings_about(problems, "Einfach") == [
        "note type 'Einfach' is not one quiz knows by name: its 2 notes were imported by content, as basic"
    ]
    assert warnings_about(problems, "Einfach (beide Richtungen)") == [
        "note type 'Einfach (beide Richtungen)' is not one quiz knows by name: its note was imported by content,"
        " as basic"
    ]
    assert warnings_about(problems, "Lückentext") == [
        "note type 'Lückentext' is not one quiz knows by name: its 2 notes were imported by content, as cloze"
    ]
    assert [p.line for p in problems if "Einfach'" in p.message] == [7]  # where the name is first met
    assert len(problems) == 3


def test_many_rows_of_one_unknown_type_give_one_warning_counting_each_kind(tmp_path: Path) -> None:
    rows = [f"Mein Typ\tWort {i}\tword {i}\n" for i in range(200)] + ["Mein Typ\t{{c1::Lücke}} hier\t\n"]
    source = tmp_path / "custom.txt"
    source.write_text("#separator:tab\n#html:false\n#notetype column:1\n" + "".join(rows), encoding="utf-8")
    result = import_file(source)
    assert len(result.notes) == 201
    assert [str(p).split(": warning: ")[1] for p in result.problems] == [
        "note type 'Mein Typ' is not one quiz knows by name: its 201 notes were imported by content,"
        " as 200 basic and 1 cloze — a first field with {{c1::...}} makes a cloze card, any other a basic card"
        " (or the --kind you give)"
    ]


def test_kind_option_decides_the_notes_of_an_unknown_type(tmp_path: Path) -> None:
    result = import_file(GERMAN, ImportOptions(kind="reverse"))
    assert [n.kind for n in result.notes] == ["reverse", "reverse", "reverse", "cloze", "cloze"]
    assert "as reverse" in warnings_about(result.problems, "Einfach")[0]


def test_known_english_names_are_still_used_as_named() -> None:
    result = import_file(DATA / "anki_reversed.txt")
    assert [n.kind for n in result.notes] == ["reverse", "reverse", "basic", "typed"]
    assert not [p for p in result.problems if "not one quiz knows" in p.message]


def test_an_image_occlusion_row_is_skipped_for_its_content_not_its_name(tmp_path: Path) -> None:
    source = tmp_path / "io.txt"
    source.write_text(
        "#separator:tab\n#html:true\n#notetype column:1\n"
        "Bildverdeckung\t{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.1:oi=1}}\t<img src='a.png'>\n"
        "Bildverdeckung\tplain front\tplain back\n",
        encoding="utf-8",
    )
    result = import_file(source)
    assert [(n.kind, n.body.front) for n in result.notes] == [("basic", "plain front")]
    assert any(p.line == 4 and "row skipped: an Image Occlusion note" in p.message for p in result.problems)
    assert "its note was imported by content, as basic" in warnings_about(result.problems, "Bildverdeckung")[0]


def test_the_import_command_writes_the_german_deck_and_says_each_name_once(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(GERMAN))
    assert code == 0, err
    assert "imported 5 notes (6 cards)" in out and "skipped" not in out
    assert err.count("warning: note type 'Einfach'") == 1 and err.count("Lückentext") == 1
    deck = load_deck_file(tmp_path / "decks" / "anki-german.yaml")
    assert deck.ok and len(deck.deck.notes) == 5
