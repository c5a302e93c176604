"""MathJax in Anki's fields (`\\(...\\)`, `\\[...\\]`) comes in as plain text a terminal shows, not as LaTeX source;
what is not converted stays as it was written."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import SupportsIndex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.anki.mathjax import _Reader, formulas, mathjax_to_text
from quiz.core.exporters import export_deck
from quiz.core.importers import ImportOptions, import_file
from quiz.core.kinds import new_note
from quiz.core.model import Deck
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        (r"\(\frac{a}{b}\)", "a/b"),
        (r"\(\frac{1}{x^{2}}\)", "1/x²"),
        (r"\(\frac{\Delta G}{RT}\)", "(Δ G)/RT"),
        (r"\(\frac{x+1}{2}\)", "(x+1)/2"),
        (r"Area: \(\pi r^2\).", "Area: π r²."),
        (r"\[E = mc^{2}\]", "E = mc²"),
        (r"\(x_{2} + y_i\)", "x₂ + yᵢ"),
        (r"\(10^{-3}\)", "10⁻³"),
        (r"\(e^{i\pi}\)", "e^(iπ)"),  # π has no superscript: written out, nothing lost
        (r"\(\alpha \rightarrow \beta\)", "α → β"),
        (r"\(\Delta G \leq 0\)", "Δ G ≤ 0"),
        (r"\(a \pm b \times c \cdot d\)", "a ± b × c · d"),
        (r"\(\sqrt{x}\), \(\sqrt{x+1}\), \(\sqrt[3]{8}\)", "√x, √(x+1), ∛8"),
        (r"\(5\,\text{mol}\,\mathrm{L}^{-1}\)", "5 mol L⁻¹"),
        (r"\(37^{\circ}\mathrm{C}\)", "37°C"),
        (r"\(\left( a \right)\)", "( a )"),
        (r"\(\sin x\)", "sin x"),
        (r"\(\mathbb{R}\)", "ℝ"),
        (r"\(\ce{H2SO4}\)", "H₂SO₄"),
        (r"\(\ce{SO4^{2-}}\)", "SO₄²⁻"),
        (r"\(\ce{2H2 + O2 -> 2H2O}\)", "2H₂ + O₂ → 2H₂O"),
        (r"\(\ce{N2 + 3H2 <=> 2NH3}\)", "N₂ + 3H₂ ⇌ 2NH₃"),
        (r"a \( b", r"a \( b"),  # no closing delimiter: not a formula
        ("no formula", "no formula"),
    ],
)
def test_common_latex_reads_as_unicode(field: str, shown: str) -> None:
    assert mathjax_to_text(field) == shown


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        (r"\(\hat{x} = 1\)", r"\hat{x} = 1"),
        (r"\(\sqrt[n]{x}\)", r"\sqrt[n]{x}"),
        (r"\(\mathbb{K}\)", r"\mathbb{K}"),
        (r"\(\xrightarrow[a]{b}\)", r"\xrightarrow[a]{b}"),
        (r"\(\ce{\alpha-D-glucose}\)", r"\ce{\alpha-D-glucose}"),  # not simple chemistry
        (r"\(\frac{1}{2\)", "1/2"),  # an unclosed group reads to the formula's end
        (r"\(x^{ {{c1::2}} }\)", r"\(x^{ {{c1::2}} }\)"),  # a gap inside: left whole for the cloze's reading
    ],
)
def test_what_is_not_converted_stays_as_its_latex_source(field: str, shown: str) -> None:
    assert mathjax_to_text(field) == shown


def test_an_anki_package_s_formulas_come_in_readable_in_a_basic_and_a_cloze_note(tmp_path: Path) -> None:
    collection = pytest.importorskip("anki.collection")
    from anki.decks import DeckId

    col = collection.Collection(str(tmp_path / "collection.anki2"))
    package = tmp_path / "maths.apkg"
    try:
        deck = DeckId(col.decks.id("Maths"))
        basic = col.new_note(col.models.by_name("Basic"))
        basic["Front"] = r"Solve \(x^{2} = 4\) for \(x &gt; 0\)"  # Anki's editor writes `>` as an entity
        basic["Back"] = r"\[x = \sqrt{4} = 2\]<br>so \(\frac{x}{2} = 1\)"
        col.add_note(basic, deck)
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = r"Water is {{c1::\(\ce{H2O}\)}}; \(\Delta G\) {{c2::\(\leq 0\)}} when spontaneous"
        col.add_note(cloze, deck)
        options = collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        )
        col.export_anki_package(out_path=str(package), options=options, limit=None)
    finally:
        col.close()
    by_kind = {note.kind: note for note in import_file(package).notes}
    assert (by_kind["basic"].body.front, by_kind["basic"].body.back) == (
        "Solve x² = 4 for x > 0",
        "x = √4 = 2\nso x/2 = 1",
    )
    assert by_kind["cloze"].body.text == "Water is {{H₂O}}; Δ G {{≤ 0}} when spontaneous"


@pytest.mark.parametrize(
    "field",
    [
        r"\(" + "{" * 5000 + "x" + "}" * 5000 + r"\)",
        r"\(" + "{" * 5000 + r"\)",
        r"\(" + r"\frac" * 5000 + r"\)",
        r"\(" + r"\sqrt{" * 5000 + r"\)",
    ],
    ids=["nested", "unclosed", "fractions", "roots"],
)
def test_a_formula_nested_too_deep_to_read_stays_as_written(field: str) -> None:
    assert mathjax_to_text(field) == field


def test_a_formula_nested_as_deep_as_a_real_one_is_still_read() -> None:
    assert mathjax_to_text(r"\(" + "{" * 20 + r"\alpha" + "}" * 20 + r"\)") == "α"


def test_a_hostile_table_s_deeply_nested_formula_imports_as_written(tmp_path: Path) -> None:
    deep = r"\(" + "{" * 5000 + r"\)"
    path = tmp_path / "deep.csv"
    path.write_text(f'front,back\n"{deep}",b\n', encoding="utf-8")
    assert [note.body.front for note in import_file(path, ImportOptions(html=True)).notes] == [deep]


def test_a_plain_table_keeps_its_backslashed_brackets_as_written(tmp_path: Path) -> None:
    """Her own CSV, no HTML in it: `\\(\\d{3}\\)` is her text (a regex), not Anki's MathJax; it lost its brackets."""
    path = tmp_path / "regex.csv"
    path.write_text("front,back\nAn area code?,\\(\\d{3}\\)\n\\[a-z\\],one letter\n", encoding="utf-8")
    faces = [(note.body.front, note.body.back) for note in import_file(path).notes]
    assert faces == [("An area code?", r"\(\d{3}\)"), (r"\[a-z\]", "one letter")]


@pytest.mark.parametrize(
    ("header", "html", "plain"),
    [
        ("front,back\n", None, r"\(x^2\)"),
        ("front,back\n", True, "x²"),
        ("#separator:comma\n#html:true\n", None, "x²"),
    ],
    ids=["html-cell", "html-option", "anki-html"],
)
def test_formulas_are_read_in_cells_read_as_html(tmp_path: Path, header: str, html: bool | None, plain: str) -> None:
    """A cell read as HTML (by its tags, with --html, in Anki's `#html:true` export) is Anki's: its MathJax is read.
    Where each cell decides, a cell with no tag beside it (`plain`) keeps its own as written."""
    path = tmp_path / "cells.csv"
    path.write_text(f"{header}<b>Square</b> of x?,\\(x^2\\)<br>\nx times x?,\\(x^2\\)\n", encoding="utf-8")
    faces = [(note.body.front, note.body.back) for note in import_file(path, ImportOptions(html=html)).notes]
    assert faces == [("Square of x?", "x²"), ("x times x?", plain)]


def test_anki_s_text_export_without_html_has_its_formulas_read(tmp_path: Path) -> None:
    """Anki's export with "Include HTML" off (`#html:false`) takes the tags off, not the MathJax: Anki shows
    `\\(x^2\\)` as a formula, so it is read as the package's is."""
    path = tmp_path / "export.txt"
    path.write_text("#separator:tab\n#html:false\nSquare of x?\t\\(x^2\\)\n", encoding="utf-8")
    [note] = import_file(path).notes
    assert (note.body.front, note.body.back) == ("Square of x?", "x²")


def test_her_own_deck_s_formulas_come_back_from_its_package_as_she_wrote_them(tmp_path: Path) -> None:
    """quiz's own .apkg holds her text: a `\\(x^2\\)` she typed is hers, not a formula quiz should rewrite."""
    written = r"\(x^2\) and \[\frac{a}{b}\]"
    notes = (
        new_note("b", "basic", front=written, back=written, explain=written),
        new_note("r", "reverse", front=written, back=r"\(\alpha\)"),
        new_note("c", "cloze", text=rf"{written} is {{{{\(y_1\)}}}}"),
    )
    deck = Deck("mine", "Mine", "mine.yaml", notes=notes)
    package = tmp_path / "mine.apkg"
    export_deck(deck, package, 0)
    assert [replace(note, line=0) for note in import_file(package, ImportOptions(deck_id="mine")).notes] == list(notes)


def test_her_own_deck_re_imported_from_its_package_is_unchanged_not_in_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    deck = decks / "mine.yaml"
    deck.write_text("deck: mine\ntitle: Mine\ncards:\n  - id: a\n    kind: basic\n    front: \\(x^2\\)?\n    back: b\n")
    before = deck.read_text()
    data, package = str(tmp_path / "data"), str(tmp_path / "mine.apkg")
    assert run_cli(capsys, "--data-dir", data, "export", "mine", "-o", package)[0] == 0
    code, out, err = run_cli(capsys, "--data-dir", data, "import", package)
    assert code == 0, err
    assert "0 updated, 0 new, 1 unchanged, 0 gone from mine.apkg, 0 changed by both" in out
    assert deck.read_text() == before


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(st.sampled_from(["\\(", "\\)", "\\[", "\\]", "\\", "(", ")", "[", "]", "x", "\n"]), max_size=30))
def test_formulas_are_found_as_a_lazy_regex_finds_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    regex = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
    assert list(formulas(text)) == [match.span() for match in regex.finditer(text)]


class _Scanned(str):
    """A text that counts the characters its `find` looks through."""

    looked = 0

    def find(self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None) -> int:
        found = super().find(sub, start, end)
        _Scanned.looked += (found if found >= 0 else len(self)) - (start or 0)
        return found


@pytest.mark.parametrize("pasted", ["\\(", "\\[", "\\( \\[ ", "\\(x\\) \\[", "a \\) \\( b \\] \\["])
def test_a_text_repeating_an_opening_with_no_closing_is_read_in_one_pass(pasted: str) -> None:
    """A regex searched to the text's end from each opening: a long pasted text took minutes."""
    text = _Scanned(pasted * 20_000)
    _Scanned.looked = 0
    list(formulas(text))
    assert _Scanned.looked <= 3 * len(text)


@pytest.mark.parametrize("formula", [r"\sqrt x", r"\hat x", r"\foo ", r"\sqrt[", r"\hat[x"])
def test_a_formula_repeating_a_command_is_read_in_one_pass(formula: str) -> None:
    """Each command looked for a `]` to the formula's end, though no `[` followed it, or none was there."""
    source = _Scanned(formula * 20_000)
    _Scanned.looked = 0
    _Reader(source).read()
    assert _Scanned.looked <= 3 * len(source)
