"""A cloze gap as Anki writes it, `{{c1::answer}}`, is also a right quiz gap (the answer `c1`, the rest its hint),
as a chess deck's `{{c4::White's second move}}` is: the deck loads, with a warning saying how to write it either
way; the suggested rewrite is itself a sound gap, or the fix is said in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core import cloze
from quiz.core.decks import load_deck_file
from quiz.core.importers import import_file
from tests.conftest import run_cli

CHESS = """\
deck: chess
title: Openings
cards:
  - id: qg
    kind: cloze
    text: "Queen's Gambit: 1. d4 d5 2. {{c4::White's second move}}"
  - id: e4
    kind: basic
    front: King's pawn opening?
    back: 1. e4
"""
STATINS = "Statins inhibit {{c1::HMG-CoA reductase}}, lowering {{c2::LDL}}."


def deck(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deck.yaml"
    path.write_text(f'deck: d\ntitle: T\ncards:\n  - id: c\n    kind: cloze\n    text: "{text}"\n', encoding="utf-8")
    return path


def test_a_chess_deck_with_a_gap_like_anki_s_loads_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "chess.yaml"
    path.write_text(CHESS, encoding="utf-8")
    result = load_deck_file(path)
    assert result.ok and result.deck is not None and [n.id for n in result.deck.notes] == ["qg", "e4"]
    card = result.deck.cards[0]
    assert card.note.kind == "cloze" and cloze.find_gaps(card.note.body.text)[0].answer == "c4"  # as before
    assert [str(problem) for problem in result.problems] == [
        f"{path}:6:11: warning: card qg: {{{{c4::White's second move}}}} asks for 'c4' (in Anki's cloze syntax it"
        " would hide what follows 'c4::') — as Anki meant it, write {{White's second move}}; or, if 'c4' is the"
        " answer, {{ c4::...}} (a space first) keeps it without this warning"
    ]


def test_validate_shows_the_warning_and_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "chess.yaml"
    path.write_text(CHESS, encoding="utf-8")
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "validate", str(path))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith(f"{path}:6:11: warning: card qg: {{{{c4::White's second move}}}} asks for 'c4'")
    assert lines[1].startswith(f"ok {path}: deck chess 'Openings': 2 notes, 2 cards")


def test_an_anki_cloze_is_warned_of_with_its_rewrite_which_is_sound(tmp_path: Path) -> None:
    result = load_deck_file(deck(tmp_path, STATINS))
    assert result.ok and len(result.problems) == 1
    warning = result.problems[0]
    assert warning.severity == "warning" and (warning.line, warning.column) == (6, 11)
    assert warning.message.startswith("{{c1::HMG-CoA reductase}} asks for 'c1'")
    assert warning.hint.startswith("as Anki meant it, write {{HMG-CoA reductase}};")
    fixed = STATINS.replace("{{c1::HMG-CoA reductase}}", "{{HMG-CoA reductase}}")
    assert cloze.gap_problem(fixed) is None and load_deck_file(deck(tmp_path, fixed)).problems[0].hint.startswith(
        "as Anki meant it, write {{LDL}};"  # the next gap, once the first is fixed
    )


@pytest.mark.parametrize(
    ("gap", "rewrite"),
    [
        ("{{c1::HMG-CoA reductase::enzyme}}", "{{HMG-CoA reductase::enzyme}}"),  # the hint kept
        ("{{c2::}}", "the hidden answer inside the gap, {{answer}}"),  # `{{}}` would be empty: said in words
    ],
)
def test_the_suggested_fix_is_a_sound_gap_or_words(gap: str, rewrite: str) -> None:
    warning = cloze.anki_gap_warning(f"A {gap} B")
    assert warning is not None and warning[1].startswith(f"as Anki meant it, write {rewrite};")
    written = warning[1].removeprefix("as Anki meant it, write ").partition(";")[0]
    assert written.startswith("the hidden") or cloze.gap_problem(f"A {written} B") is None


def test_anki_s_nested_gaps_are_an_error_saying_so() -> None:
    text = "{{c1::Canberra is the capital of {{c2::Australia}}}}"
    assert cloze.gap_problem(text) == (
        "a cloze gap is nested or holds a brace (quiz has no nested gaps, as Anki's {{c1::...{{c2::...}}}})",
        "write each gap as {{answer}}, with no { or } inside",
    )


def test_a_space_first_keeps_the_answer_c4_without_the_warning(tmp_path: Path) -> None:
    result = load_deck_file(deck(tmp_path, "1. d4 d5 2. {{ c4::White's second move}}"))
    assert result.ok and result.problems == [] and result.deck is not None
    gap = cloze.find_gaps(result.deck.notes[0].body.text)[0]
    assert (gap.answer, gap.hint) == ("c4", "White's second move")


HEPARIN = "{{c0::Heparin}} is reversed by {{c1::protamine}}"  # Anki makes no card of c0 and shows its answer


def test_an_anki_gap_numbered_0_is_text_and_takes_no_card_s_history(tmp_path: Path) -> None:
    """It was a card of its own, given the history of Anki's card c1, whose own card had none."""
    collection = pytest.importorskip("anki.collection")
    from anki.decks import DeckId

    col = collection.Collection(str(tmp_path / "collection.anki2"))
    package = tmp_path / "heparin.apkg"
    try:
        note = col.new_note(col.models.by_name("Cloze"))
        note["Text"] = HEPARIN
        col.add_note(note, DeckId(col.decks.id("Pharm")))
        (anki_card,) = note.card_ids()
        col.decks.select(DeckId(col.decks.id("Pharm")))
        col.sched.answerCard(col.sched.getCard(), 3)
        options = collection.ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
        )
        col.export_anki_package(out_path=str(package), options=options, limit=None)
    finally:
        col.close()
    result = import_file(package)
    (imported,) = result.notes
    assert imported.body.text == "Heparin is reversed by {{protamine}}"
    assert result.anki_cards[imported.id] == (anki_card,)  # its only card, with Anki's answer


def test_an_anki_gap_numbered_0_in_a_text_export_is_text(tmp_path: Path) -> None:
    nested = "{{c0::Heparin {{c1::binds}} antithrombin}}"  # nested: each card comes in as basic, as Anki shows it
    source = tmp_path / "heparin.txt"
    source.write_text(
        f"#separator:tab\n#html:true\n#notetype column:1\nCloze\t{HEPARIN}\t\nCloze\t{nested}\t\n", encoding="utf-8"
    )
    first, second = import_file(source).notes
    assert first.body.text == "Heparin is reversed by {{protamine}}"
    assert (second.kind, second.body.front, second.body.back) == (
        "basic",
        "Heparin [...] antithrombin",
        "Heparin binds antithrombin",
    )
