"""The tables quiz writes for a spreadsheet (a deck as .csv or .tsv, the review log) start with UTF-8's byte-order
mark: without it, Excel on Windows opens a double-clicked CSV in the system's code page, and `κ`, `µg` or Japanese
text shows as mojibake. quiz's own import reads the mark as UTF-8's, so its table still comes back exactly."""

from __future__ import annotations

import codecs
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.decks import load_deck_file
from quiz.core.exporters import export_deck
from quiz.core.importers import import_file
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from tests.conftest import START
from tests.conftest import run_cli as run

DECK = """\
deck: pharm
title: Pharm
cards:
  - {id: kappa, kind: basic, topic: opioids, front: "Which receptor does κ-opioid agonism act on?", back: "κ (KOP)",
     tags: [受容体]}
  - {id: dose, kind: typed, front: "Fentanyl patch: dose in µg/h?", answer: "12 µg/h", accept: ["12 mcg/h"]}
  - {id: jp, kind: cloze, text: "薬理学 is {{pharmacology}}."}
  - {id: ch, kind: choice, front: "=1+1 µg?", options: ["-2 µg", "@κ"], answer: "@κ"}
"""


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The deck in a deck folder, with one answer in the store."""
    deck = tmp_path / "pharm.yaml"
    deck.write_text(DECK, encoding="utf-8")
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(deck))
    assert code == 0, err
    store = Store.in_folder(data)
    store.record_review("pharm", "kappa", Grade.GOOD, START, 1000, Mode.REVIEW, None, CardState("basic"))
    store.close()
    return data


@pytest.mark.parametrize(
    ("args", "first_column"),
    [(["pharm", "-o", "out.csv"], "id"), (["pharm", "-o", "out.tsv"], "id"), (["--reviews", "-o", "out.csv"], "deck")],
    ids=["csv", "tsv", "reviews"],
)
def test_a_table_for_a_spreadsheet_starts_with_utf8_s_mark_once(
    data: Path, capsys: pytest.CaptureFixture[str], args: list[str], first_column: str
) -> None:
    out = data.parent / args[-1]
    code, _, err = run(capsys, "--data-dir", str(data), "export", *args[:-1], str(out))
    assert code == 0, err
    written = out.read_bytes()
    assert written.startswith(codecs.BOM_UTF8 + first_column.encode())
    text = written[len(codecs.BOM_UTF8) :].decode("utf-8")  # the rest is plain UTF-8: no second mark
    assert "\ufeff" not in text
    if first_column == "id":
        assert "κ (KOP)" in text and "12 µg/h" in text and "薬理学" in text


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_quiz_reads_its_own_marked_table_back_exactly(data: Path, suffix: str) -> None:
    """Every field, kind and id: the mark is not taken for part of the header's `id`, so the table is still known
    as quiz's own (its `'=1+1` read back as `=1+1`, its `fields` column read)."""
    deck = load_deck_file(data / "decks" / "pharm.yaml").deck
    assert deck is not None
    path = data.parent / f"pharm{suffix}"
    export_deck(deck, path, 0)
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    result = import_file(path)
    assert [replace(n, line=0) for n in result.notes] == [replace(n, line=0) for n in deck.notes]
    assert not result.problems


def test_importing_the_exported_table_onto_its_deck_changes_nothing_and_keeps_the_history(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = data.parent / "pharm.csv"
    assert run(capsys, "--data-dir", str(data), "export", "pharm", "-o", str(table))[0] == 0
    before = (data / "decks" / "pharm.yaml").read_bytes()
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(table))
    assert code == 0, err
    assert "updated: 0 updated, 0 new, 4 unchanged, 0 gone from pharm.csv" in out
    assert (data / "decks" / "pharm.yaml").read_bytes() == before
    store = Store.in_folder(data)
    assert [(r.card_key, r.grade) for r in store.reviews("pharm")] == [("kappa", Grade.GOOD)]
    store.close()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("excel.csv", "front,back\nκ-opioid agonist?,µg doses\n"),  # Excel's "CSV UTF-8"
        ("notepad.tsv", "front\tback\nκ-opioid agonist?\tµg doses\n"),  # Notepad's "UTF-8 with BOM"
        ("anki.txt", "#separator:tab\n#html:false\nκ-opioid agonist?\tµg doses\n"),
    ],
)
def test_a_marked_table_from_elsewhere_imports_with_its_header(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    result = import_file(path)
    assert [(n.body.front, n.body.back) for n in result.notes] == [("κ-opioid agonist?", "µg doses")]
    assert not result.problems
