"""The cards of one Anki note that quiz reads card by card (a note type of two templates that are not a front and
back swapped: one quiz note per Anki card) are siblings, as in Anki: answering one keeps the other out of the day's
study. The package is made by Anki at test time (the `anki` package of the bench group; skipped without it) and
imported by `quiz import`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file
from quiz.core.model import Deck, Grade
from quiz.core.scheduler import Scheduler
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection, ExportAnkiPackageOptions  # noqa: E402

from tools.make_anki_fixtures import add, custom_types  # noqa: E402

DECK = "Vocabulary"


def _package_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, notes: list[tuple[str, dict[str, str]]]
) -> tuple[Path, Deck]:
    """A package Anki makes of `notes` (note type, fields), imported by `quiz import`; the data folder and the
    deck."""
    col = Collection(str(tmp_path / "collection.anki2"))
    custom_types(col)
    for notetype, fields in notes:
        add(col, notetype, DECK, fields)
    package = tmp_path / f"{name}.apkg"
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=True, legacy=False)
    col.export_anki_package(out_path=str(package), options=options, limit=None)
    col.close()
    home = tmp_path / "home"
    code, _, err = run(capsys, "--data-dir", str(home), "import", str(package))
    assert code == 0, err
    deck = load_deck_file(home / "decks" / f"{name}.yaml").deck
    assert deck is not None
    return home, deck


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Deck]:
    """A package of one Vocab note (its Recall and Spell cards) and one Basic note after it, imported; the data
    folder and the deck."""
    notes = [
        ("Vocab (custom)", {"Word": "Hund", "Meaning": "dog", "Example": ""}),
        ("Basic", {"Front": "Katze", "Back": "cat"}),
    ]
    return _package_imported(tmp_path, capsys, "vocab", notes)


def _session(store: Store, clock: FixedClock, deck: Deck) -> StudySession:
    return StudySession(store, Scheduler(store.settings()), clock, [deck], Scope((deck.id,)))


def test_answering_one_card_of_an_anki_note_read_card_by_card_keeps_its_sibling_out_today(
    imported: tuple[Path, Deck],
) -> None:
    home, deck = imported
    recall, spell, basic = deck.cards
    assert {recall.note.id, spell.note.id, basic.note.id} == {note.id for note in deck.notes}  # three quiz notes
    assert (recall.kind, spell.kind) == ("basic", "typed")
    assert recall.note.siblings == spell.note.siblings != "" and basic.note.siblings == ""  # as the file says
    clock = FixedClock(datetime.now(UTC))
    store = Store.in_folder(home)
    try:
        session = _session(store, clock, deck)
        assert session.current == recall
        session.answer(None)
        session.grade(Grade.GOOD)
        assert session.current == basic  # not the Spell card: buried with its sibling's answer
        session.undo()
        assert session.current == recall
        session.answer(None)
        session.grade(Grade.EASY)
        # a later session of the day skips the note answered today
        later = _session(store, clock, deck)
        assert later.current == basic
        later.answer(None)
        later.grade(Grade.EASY)
        assert later.current is None
    finally:
        store.close()


@pytest.mark.parametrize("suffix", [".apkg", ".yaml", ".csv", ".tsv"])
def test_the_siblings_id_comes_back_from_quiz_s_own_export(
    imported: tuple[Path, Deck], tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    """Exported and imported again as another deck: each note keeps its `siblings:` (in a package, in the hidden
    field quiz's note types carry, as its `outside:`)."""
    home, deck = imported
    exported = tmp_path / f"again{suffix}"
    code, _, err = run(capsys, "--data-dir", str(home), "export", deck.id, "-o", str(exported))
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(home), "import", str(exported), "--deck-id", "again")
    assert code == 0, err
    again = load_deck_file(home / "decks" / "again.yaml").deck
    assert again is not None
    assert [(n.id, n.siblings) for n in again.notes] == [(n.id, n.siblings) for n in deck.notes]


def test_a_cloze_whose_gaps_share_a_number_read_card_by_card_keeps_its_cards_siblings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, deck = _package_imported(
        tmp_path, capsys, "ions", [("Cloze", {"Text": "{{c1::Na}} and {{c1::K}} go out, {{c2::Ca}} comes in"})]
    )
    first, second = deck.notes
    assert first.id != second.id and first.siblings == second.siblings != ""
    assert {card.sibling_group for card in deck.cards} == {first.siblings}
