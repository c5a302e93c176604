"""Anki's cloze filter on texts a shared deck or a paste may hold: gaps left open, gaps nested thousands deep."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.anki.clozefilter import render_cloze
from quiz.core.importers import import_file

DEEP = 1200  # more than Python's default recursion limit of 1,000


def test_a_gap_never_closed_is_text_and_the_gaps_inside_it_stay_gaps() -> None:
    text = "{{c1::ok}} {{c2::open {{c3::inner}} {{c4::also open"
    assert render_cloze(text, 3, question=True) == "ok {{c2::open [...] {{c4::also open"
    assert render_cloze(text, 1, question=True) == "[...] {{c2::open inner {{c4::also open"
    assert render_cloze(text, 2, question=True) == ""  # c2 is no gap: no card 2


def test_gaps_nested_deeper_than_python_s_recursion_limit_render() -> None:
    text = "{{c1::a " * DEEP + "x" + "}}" * DEEP
    assert render_cloze(text, 1, question=True) == "[...]"
    assert render_cloze(text, 1, question=False) == "a " * DEEP + "x"
    opened = "{{c1::ok}} " + "{{c2::a " * DEEP + "x"
    assert render_cloze(opened, 1, question=False) == "ok " + "{{c2::a " * DEEP + "x"


@pytest.mark.parametrize(
    ("text", "front"),
    [
        ("{{c1::a " * DEEP + "x" + "}}" * DEEP, "[...]"),
        ("{{c1::ok}} " + "{{c2::a " * DEEP + "x", "[...] " + "{{c2::a " * DEEP + "x"),
    ],
    ids=["closed", "never-closed"],
)
def test_a_text_export_row_of_a_cloze_nested_thousands_deep_comes_in(tmp_path: Path, text: str, front: str) -> None:
    source = tmp_path / "deep.txt"
    source.write_text(f"#separator:tab\n#html:true\n#notetype column:1\nCloze\t{text}\t\n", encoding="utf-8")
    result = import_file(source)  # it raised RecursionError, the whole file lost
    assert [note.body.front for note in result.notes] == [front]
    assert any(problem.line == 4 for problem in result.problems)
