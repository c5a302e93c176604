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


@pytest.mark.parametrize(
    ("text", "shown"),
    [  # what Anki 25.x renders for cards 1 and 2: question, answer
        ("{{c1::a::hint {{c2::b}}}} end", [("[hint ] end", "ab end"), ("a[...] end", "ab end")]),
        ("{{c1::a {{c2::b}} c::hint}} end", [("[hint] end", "a b c end"), ("a [...] c end", "a b c end")]),
        ("{{c1::a::h1 {{c2::b::h2}} c}} end", [("[h1 ] end", "ab c end"), ("a[h2] c end", "ab c end")]),
    ],
)
def test_a_hint_ends_at_the_next_gap_inside_its_own_as_anki_has_it(text: str, shown: list[tuple[str, str]]) -> None:
    for number, (question, answer) in enumerate(shown, start=1):
        assert render_cloze(text, number, question=True) == question
        assert render_cloze(text, number, question=False) == answer


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
