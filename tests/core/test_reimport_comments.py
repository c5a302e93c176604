"""An update writes the deck file anew from its cards, which hold no comment: a comment she wrote in the file
(her note from the ward beside an answer) would go without a word. The update names each and leaves the file,
until she moves what it says into a card or passes --replace.

The packages are Anki's own (tests/data/anki/update): v2 is v1 with one answer corrected, one note added and one
deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.importers.update import record_path
from quiz.core.yamlsafe import comments
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki" / "update"
WARD = "# 1 mg per 100 units of heparin, from the ward"
ACE = "# ACE inhibitors: see my own deck too"


def quiz_import(data: Path, capsys, version: str, *flags: str) -> tuple[int, str, str]:  # noqa: ANN001
    return run(capsys, "--data-dir", str(data), "import", str(DATA / f"{version}.apkg"), "--no-history", *flags)


@pytest.fixture
def commented(tmp_path: Path, capsys) -> Path:  # noqa: ANN001
    """v1 imported, then her two comments written into the deck file: one after an answer, one on its own line."""
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    deck = tmp_path / "decks" / "v1.yaml"
    text = deck.read_text(encoding="utf-8")
    assert text.count("    back: Protamine\n") == 1 and text.count("    kind: reverse\n") == 1
    text = text.replace("    back: Protamine\n", f"    back: Protamine  {WARD}\n")
    text = text.replace("    kind: reverse\n", f"    {ACE}\n    kind: reverse\n")
    deck.write_text(text, encoding="utf-8")
    return deck


def line_of(deck: Path, text: str) -> int:
    return next(n for n, line in enumerate(deck.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_an_update_that_would_drop_her_comments_names_them_and_writes_nothing(commented: Path, capsys) -> None:  # noqa: ANN001
    data = commented.parents[1]
    before, record = commented.read_bytes(), record_path(commented).read_bytes()
    code, out, err = quiz_import(data, capsys, "v2")
    assert code == 1
    ward, ace = line_of(commented, WARD), line_of(commented, ACE)
    assert err.splitlines() == [
        f"{commented}:{ward}:22: your comment {WARD!r}",
        f"{commented}:{ace}:5: your comment {ACE!r}",
        f"quiz: {commented} has comments of yours (above), which an update does not keep (it writes the deck file"
        " anew from its cards): move what they say into a card's `explain:`, then import again; or pass --replace"
        " to update it without them",
    ]
    assert commented.read_bytes() == before and record_path(commented).read_bytes() == record
    code, out, err = quiz_import(data, capsys, "v2", "--replace")
    assert code == 0, err
    text = commented.read_text(encoding="utf-8")
    assert "Vitamin K" in text and WARD not in text and ACE not in text


def test_comments_moved_into_a_card_let_the_update_through(commented: Path, capsys) -> None:  # noqa: ANN001
    data = commented.parents[1]
    text = commented.read_text(encoding="utf-8").replace(f"  {WARD}", "\n    explain: 1 mg per 100 units")
    commented.write_text(text.replace(f"    {ACE}\n", ""), encoding="utf-8")
    code, out, err = quiz_import(data, capsys, "v2")
    assert code == 0, err
    text = commented.read_text(encoding="utf-8")
    assert "Vitamin K" in text and "explain: 1 mg per 100 units" in text


def test_an_import_that_writes_no_deck_file_keeps_her_comments_without_a_word(commented: Path, capsys) -> None:  # noqa: ANN001
    before = commented.read_bytes()
    code, out, err = quiz_import(commented.parents[1], capsys, "v1")  # the same package again
    assert code == 0, err
    assert not err and commented.read_bytes() == before


def test_comments_are_told_from_a_hash_inside_a_text() -> None:
    text = (
        "# head\n"
        "deck: d  # after a value\n"
        "cards:\n"
        "  - id: a\n"
        "    front: 'C# or F#? # still the text'\n"
        "    back: |\n"
        "      # a line of the answer\n"
        "      x#y\n"
        "    explain: issue#12 and #tag\n"
        "  # before the next card\n"
    )
    assert comments(text.encode("utf-8")) == [
        (1, 1, "# head"),
        (2, 10, "# after a value"),
        (9, 27, "#tag"),  # after a space, outside quotes: YAML's comment, as the loader reads it
        (10, 3, "# before the next card"),
    ]
    assert comments("front: é  # ü\n".encode()) == [(1, 11, "# ü")]  # columns in characters
