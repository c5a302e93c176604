"""A deck an earlier quiz imported, holding a cloze whose gaps share a number (`{{c1::Na}} and {{c1::K}}`) and one
holding `{{C1::Loop}}` (no gap for Anki), which quiz read as one cloze note each then and reads card by card now (a
basic note per Anki card), imported again: while Anki did not change a note, it stays the deck's note, with her
progress on its cards, and nothing is listed gone; a note Anki changed comes in card by card, the earlier one
listed gone.

tests/data/anki/earlier: v1.apkg and v2.apkg (the cloze edited in Anki) are Anki's own, written by
`tools/make_anki_fixtures.py earlier`; v1.yaml and v1.import.json are the deck file and import record `quiz import
v1.apkg` wrote at commit e3fae35b (the last before quiz read such a cloze card by card), run from a checkout of that
commit, copied as they were."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core.browse_data import toggle_suspended
from quiz.core.cardstate import effective_state
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.events import card_number
from quiz.core.flags import toggle_flag
from quiz.core.importers import ids
from quiz.core.importers.assembler import ImportResult
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.scheduler import Scheduler
from tests.conftest import run_cli as run
from tests.core.test_reimport import opened

DATA = Path(__file__).parents[1] / "data" / "anki" / "earlier"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
CLOZE = ids.id_from_guid(EXPECTED["guid"])  # the one cloze note the earlier quiz made of it
CAPITAL = ids.id_from_guid(EXPECTED["capital"])  # the {{C1::Loop}} cloze
PER_CARD = (f"{CLOZE}-1", f"{CLOZE}-2")  # the notes quiz makes of it now, one per Anki card
NOW = datetime.now(UTC).replace(microsecond=0)  # when she studied in quiz: after every answer Anki logged


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """The data folder of a student who imported v1.apkg with the earlier quiz, then studied in quiz: answered the
    gap Na (Anki's card c1) and the gap K (a card of quiz's only: Anki's c1 hides both), flagged Na and suspended
    Na/K-ATPase (c2)."""
    decks = tmp_path / "decks"
    decks.mkdir()
    for name in ("v1.yaml", "v1.import.json"):
        shutil.copyfile(DATA / name, decks / name)
    na, k, pump = _cards(tmp_path)
    with opened(tmp_path) as store:
        for card in (na, k):
            before = effective_state(card, store.state("v1", card.key))
            after = Scheduler(store.settings()).review(card_number("v1", card.key), before, Grade.GOOD, NOW)
            store.record_review("v1", card.key, Grade.GOOD, NOW, 1000, Mode.REVIEW, None, after)
        toggle_flag(store, na, 1)
        toggle_suspended(store, pump)
    return tmp_path


def _deck(folder: Path) -> Deck:
    loaded = load_deck_file(folder / "decks" / "v1.yaml").deck
    assert loaded is not None
    return loaded


def _cards(folder: Path) -> list[Card]:
    """The earlier cloze's cards: Na, K, Na/K-ATPase."""
    (note,) = [note for note in _deck(folder).notes if note.id == CLOZE]
    return cards_of("v1", note)


def imported(folder: Path, capsys: pytest.CaptureFixture[str], package: Path, *flags: str) -> str:
    """What `quiz import` of `package` into `folder` printed (it succeeded)."""
    code, out, err = run(capsys, "--data-dir", str(folder), "import", str(package), *flags)
    assert code == 0, err
    return out


def _import(folder: Path, capsys: pytest.CaptureFixture[str], name: str, *flags: str) -> str:
    return imported(folder, capsys, DATA / name, *flags)


def progress_of(folder: Path, cards: Iterable[Card], now: datetime) -> dict[str, tuple[int, bool, int]]:
    """Each of deck v1's `cards`: the answers given in quiz (at `now`), whether it is suspended, its flag."""
    with opened(folder) as store:
        states, flags = store.states("v1"), store.flags("v1")
        return {
            card.key: (
                sum(review.reviewed_at == now for review in store.reviews("v1", card.key)),
                states[card.key].suspended if card.key in states else False,
                flags.get(card.key, 0),
            )
            for card in cards
        }


def _progress(folder: Path) -> dict[str, tuple[int, bool, int]]:
    """The earlier cloze's cards' progress (progress_of)."""
    return progress_of(folder, _cards(folder), NOW)


def test_the_same_package_again_keeps_the_earlier_note_with_her_progress(earlier: Path, capsys) -> None:
    """It listed the cloze as gone and added a note per Anki card beside it, with Anki's schedule."""
    before = (earlier / "decks" / "v1.yaml").read_bytes()
    progress = _progress(earlier)
    out = _import(earlier, capsys, "v1.apkg")
    assert "0 new, 3 unchanged, 0 gone from v1.apkg" in out and "the deck file is unchanged" in out
    assert "kept as an earlier quiz read them (2 notes;" in out and "--read-anew" in out
    assert f"  {CLOZE}  " in out and f"  {CAPITAL}  " in out
    assert (earlier / "decks" / "v1.yaml").read_bytes() == before
    assert [note.id for note in _deck(earlier).notes][:2] == [CLOZE, CAPITAL] and len(_deck(earlier).notes) == 3
    assert progress == {f"{CLOZE}/1": (1, False, 1), f"{CLOZE}/2": (1, False, 0), f"{CLOZE}/3": (0, True, 0)}
    assert _progress(earlier) == progress
    with opened(earlier) as store:
        reviews = store.review_count()
        assert reviews > 2  # Anki's answers of c1 and c2 came, under the earlier note's cards
        assert not [key for key in store.states("v1") if key.startswith((*PER_CARD, f"{CAPITAL}-"))]
    out = _import(earlier, capsys, "v1.apkg")  # again: nothing more
    assert "0 gone from v1.apkg" in out and "kept as an earlier quiz read them (2 notes;" in out
    with opened(earlier) as store:
        assert store.review_count() == reviews


def test_a_note_she_edited_stays_hers_and_is_not_gone(earlier: Path, capsys) -> None:
    path = earlier / "decks" / "v1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Na/K-ATPase}}'\n", "Na/K-ATPase}}'\n    explain: ATP1A1\n"),
        encoding="utf-8",
    )
    out = _import(earlier, capsys, "v1.apkg")
    assert "0 new, 2 unchanged, 0 gone from v1.apkg" in out and "kept as you have them: 1 note you edited" in out
    assert [note.explain for note in _deck(earlier).notes if note.id == CLOZE] == ["ATP1A1"]


def test_a_note_anki_changed_since_comes_in_card_by_card(earlier: Path, capsys) -> None:
    """v1 again keeps the earlier note; v2, the cloze edited in Anki: each Anki card comes in as a note of its own,
    the earlier one listed gone (kept, with its history), as for any note whose shape changed in Anki."""
    assert "0 gone from v1.apkg" in _import(earlier, capsys, "v1.apkg")
    out = _import(earlier, capsys, "v2.apkg")
    assert "2 new, 2 unchanged, 1 gone from v2.apkg" in out and "kept as an earlier quiz read them (1 note;" in out
    assert f"  {CLOZE}  " in out.split("gone from v2.apkg, kept in the deck")[1]
    assert {note.id for note in _deck(earlier).notes} >= {CLOZE, *PER_CARD}


def test_read_anew_takes_the_reading_of_today_s_quiz(earlier: Path, capsys) -> None:
    out = _import(earlier, capsys, "v1.apkg", "--read-anew")
    assert "4 new, 1 unchanged, 2 gone from v1.apkg" in out and "kept as an earlier quiz read" not in out
    assert {note.id for note in _deck(earlier).notes} >= {CLOZE, *PER_CARD, CAPITAL}
    out = _import(earlier, capsys, "v1.apkg")  # read anew once: its notes are the deck's now
    assert "0 new, 5 unchanged, 2 gone from v1.apkg" in out and "kept as an earlier quiz read" not in out


def test_anki_s_text_export_of_it_keeps_the_earlier_note_too(earlier: Path, capsys) -> None:
    """Notes in Plain Text with a GUID column updates the deck as the package does."""
    out = _import(earlier, capsys, "v1.txt")
    assert "0 new, 3 unchanged, 0 gone from v1.txt" in out and "kept as an earlier quiz read them (2 notes;" in out
    assert [note.id for note in _deck(earlier).notes][:2] == [CLOZE, CAPITAL] and len(_deck(earlier).notes) == 3


@pytest.mark.parametrize("name", ["v1.apkg", "v1.txt"])
def test_the_warning_of_a_note_kept_says_it_is_kept(earlier: Path, capsys, name: str) -> None:
    """The reader's warning said that each card of the note came in as basic, then the import that it was kept: the
    warning of a note kept says why quiz reads it card by card now, and that it is kept; with --read-anew, that each
    card comes in as basic."""
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / name))
    assert code == 0 and "kept as an earlier quiz read them (2 notes;" in out, err
    assert "gaps share the number c1" in err and "that Anki does not read as a gap" in err
    assert "each card comes in" not in err and err.count("kept as an earlier quiz read it, one cloze") == 2, err
    code, out, err = run(capsys, "--data-dir", str(earlier), "import", str(DATA / name), "--read-anew")
    assert code == 0 and "4 new," in out, err
    assert err.count("each card comes in as basic, as Anki shows it") == 2 and "kept as an earlier" not in err, err


def test_anki_s_answers_to_a_kept_cloze_go_to_the_gap_they_answer(earlier: Path, capsys) -> None:
    """The earlier quiz gave the {{C1::Loop}} cloze's gaps Anki's cards in turn: Anki's c2, which asks Henle, to its
    gap 2, the {{C1::Loop}} Anki has no card for. Kept, its gaps take Anki's card of their own number: Anki's
    answers to Henle are logged under the gap Henle, and none under the gap Loop."""
    out = _import(earlier, capsys, "v1.apkg")
    assert "which keeps them (its note changed shape in Anki" in out and f"newer ones come: {CAPITAL}/3" in out
    assert "an earlier quiz gave it to the gap {{C1::...}}" in out  # why, when Anki changed nothing
    with opened(earlier) as store:
        answered = {key: len(store.reviews("v1", key)) for key in (f"{CAPITAL}/1", f"{CAPITAL}/2", f"{CAPITAL}/3")}
    assert answered[f"{CAPITAL}/1"] > 0 and answered[f"{CAPITAL}/3"] > 0 and answered[f"{CAPITAL}/2"] == 0, answered


@pytest.mark.parametrize("flags", [(), ("--read-anew",)], ids=["first-import", "read-anew"])
def test_the_earlier_readings_are_not_held_through_the_history(
    earlier: Path, capsys, monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...]
) -> None:
    """The notes as the earlier quiz read them are of use to the plan alone: a first import of the package, and an
    update with --read-anew, which never look at them, let them go before the history as the update does."""
    held: list[int] = []
    history = importing.anki_history

    def watched(*args: object, **kwargs: object) -> object:
        held.extend(len(o.earlier) for o in gc.get_objects() if isinstance(o, ImportResult) and o.earlier)
        return history(*args, **kwargs)

    monkeypatch.setattr(importing, "anki_history", watched)
    folder = earlier / "first" if not flags else earlier
    _import(folder, capsys, "v1.apkg", *flags)
    assert held == []
