"""A collection as a student's real one is, made by Anki (tests/data/anki/realworld/, `python
tools/make_anki_fixtures.py realworld`), imported: every card Anki shows comes in with its history, or is named
note by note; the text is what Anki renders. Checked against what Anki reported (realworld/expected.json)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.core.anki.clozefilter import render_cloze
from quiz.core.anki.package import read_package
from quiz.core.cardstate import LEARNING, RELEARNING, REVIEW
from quiz.core.clock import day_end
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.importers import ImportResult, import_file
from quiz.core.importers.history import anki_history
from quiz.core.importers.readers.package import NO_ANSWER_TEXT
from quiz.core.model import Deck
from quiz.core.settings import Settings
from quiz.core.store import Store
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki" / "realworld"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
ANKI_CARDS = {card["id"]: card for note in EXPECTED["notes"] for card in note["cards"]}
RENDERED = {int(card_id): shown for card_id, shown in EXPECTED["rendered"].items()}
NOTE_OF = {card["id"]: note for note in EXPECTED["notes"] for card in note["cards"]}
COLPKG = "collection.colpkg"
#: Anki's words for a card whose question is blank: its note's fields emptied, or a cloze with no gap of its number.
BLANK = ("The front of this card is blank", "Please either add a cloze deletion, or use the Empty Cards tool")


def note(key: str) -> dict[str, Any]:
    return next(n for n in EXPECTED["notes"] if EXPECTED["keys"][str(n["id"])] == key)


def anki_day(day: int, hour: int = 12) -> datetime:
    created = datetime.fromtimestamp(EXPECTED["crt"], UTC).date()
    return datetime(created.year, created.month, created.day, hour, tzinfo=UTC) + timedelta(days=day)


def _last_answer() -> datetime:
    reviews = read_package((DATA / COLPKG).read_bytes(), COLPKG).reviews
    return max(datetime.fromtimestamp(review.id / 1000, UTC) for review in reviews)


TODAY = max(anki_day(EXPECTED["today"]), _last_answer() + timedelta(minutes=1))
TOMORROW = anki_day(EXPECTED["today"] + 1)


def shown_by_anki(card_id: int) -> bool:
    question = RENDERED[card_id]["question"]
    return bool(question.strip()) and not any(words in question for words in BLANK)


def anki_cards_of(result: ImportResult) -> dict[str, int]:
    return {
        card.key: anki_id
        for quiz_note in result.notes
        for card, anki_id in zip(cards_of(result.deck_id, quiz_note), result.anki_cards[quiz_note.id], strict=True)
    }


@pytest.fixture
def imported(tmp_path: Path, capsys, monkeypatch) -> tuple[str, str, Store, Deck, dict[str, int]]:
    """The collection imported on Anki's last study day, as one deck (--deck-id: each top-level Anki deck a topic):
    (stdout, stderr, store, deck, quiz card -> Anki card)."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    result = import_file(DATA / COLPKG)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / COLPKG), "--deck-id", result.deck_id)
    assert code == 0, err
    deck = load_deck_file(tmp_path / "decks" / f"{result.deck_id}.yaml").deck
    assert deck is not None
    return out, err, Store.in_folder(tmp_path), deck, anki_cards_of(result)


def test_every_card_anki_shows_comes_in_and_the_rest_are_named_note_by_note(imported) -> None:
    _, err, _, _, anki_of = imported
    came = set(anki_of.values())
    assert came == {card_id for card_id in ANKI_CARDS if shown_by_anki(card_id)}
    # the note emptied in Anki (2 cards), the card of a cloze field with no gap of its number, and the card of
    # a cloze gap deleted after study
    assert len(came) == len(ANKI_CARDS) - 4
    numbers = sorted(n["id"] for n in EXPECTED["notes"])
    for card_id in set(ANKI_CARDS) - came:
        anki_note = NOTE_OF[card_id]
        number = numbers.index(anki_note["id"]) + 1  # its note's number in the package
        ordinal = ANKI_CARDS[card_id]["ord"] + 1
        skipped = rf"{COLPKG}:{number}:1: warning: row skipped: [^\n]*note '[^\n]*'(, card {ordinal})?: "
        named = rf"{COLPKG}:{number}:1: warning: [^\n]*note '[^\n]*': card {ordinal}: "
        assert re.search(skipped, err) or re.search(named, err), (anki_note["notetype"], ordinal)


def test_every_review_and_each_cards_schedule_come_along(imported) -> None:
    out, _, store, deck, anki_of = imported
    came = set(anki_of.values())
    wanted = sum(ANKI_CARDS[card_id]["revlog"] for card_id in came)
    assert f"history: {wanted} reviews from Anki's review log" in out
    left = EXPECTED["revlog_count"] - wanted  # the cards Anki shows blank, named
    assert f"not brought: {left} reviews of cards not in the deck (named above, or deleted in Anki)" in out
    logged: dict[int, int] = {}
    for review in store.reviews(deck.id):
        logged[anki_of[review.card_key]] = logged.get(anki_of[review.card_key], 0) + 1
    assert logged == {card_id: ANKI_CARDS[card_id]["revlog"] for card_id in came if ANKI_CARDS[card_id]["revlog"]}
    states = store.states(deck.id)
    assert {anki_of[k] for k, s in states.items() if s.suspended} == {i for i in came if ANKI_CARDS[i]["queue"] == -1}
    buried = {anki_of[k] for k, s in states.items() if s.buried_until is not None}
    assert buried == {i for i in came if ANKI_CARDS[i]["queue"] in (-2, -3)} and len(buried) == 2  # user, sibling
    assert {anki_of[k]: f for k, f in store.flags(deck.id).items()} == {
        i: ANKI_CARDS[i]["flags"] for i in came if ANKI_CARDS[i]["flags"]
    }
    steps = len(Settings().relearning_steps_minutes)
    relearning = 0
    for key, state in states.items():
        anki = ANKI_CARDS[anki_of[key]]
        assert (state.reps, state.lapses) == (anki["reps"], anki["lapses"])
        if anki["type"] == 2:  # a card in a filtered deck (Cram::Cardio) keeps its home deck's due day
            assert state.fsrs_state == REVIEW and state.due == anki_day(anki["odue"] or anki["due"], 4)
        if anki["type"] == 3:  # forgotten today: relearning, due at the time Anki set, on its last step
            assert state.fsrs_state == RELEARNING and state.due == datetime.fromtimestamp(anki["due"], UTC)
            assert state.step == steps - anki["left"] % 1000
            relearning += 1
        assert state.fsrs_state != LEARNING
    assert relearning == 1


def test_the_next_day_the_same_cards_are_due_as_in_anki(imported) -> None:
    _, _, store, deck, anki_of = imported
    end = day_end(TOMORROW)
    due = {
        anki_of[key]
        for key, state in store.states(deck.id).items()
        if not state.suspended
        and state.due is not None
        and state.due < end
        and (state.buried_until is None or state.buried_until <= TOMORROW)
    }
    # a card in a filtered deck is due in Anki whenever that deck is studied; quiz has no filtered decks and
    # keeps the card's home deck's due day (checked above)
    home = {card_id for card_id in anki_of.values() if not ANKI_CARDS[card_id]["odue"]}
    assert due & home == set(EXPECTED["tomorrow"]["due"]) & home


def test_nested_cloze_cards_come_in_as_anki_shows_them(imported) -> None:
    _, err, _, deck, anki_of = imported
    nested = note("nested")
    by_anki = {anki_of[card.key]: card for card in deck.cards}
    for anki in nested["cards"]:
        card = by_anki[anki["id"]]
        assert card.note.kind == "basic"
        assert card.note.body.front == RENDERED[anki["id"]]["question"]
        assert card.note.body.back == RENDERED[anki["id"]]["answer"]
    assert "a cloze gap is nested or not closed: each card comes in as basic, as Anki shows it" in err


@pytest.mark.parametrize("key", ["hints", "nested", "source-first"])
def test_the_cloze_filter_renders_each_card_as_anki(key: str) -> None:
    found = note(key)
    text = next(value for name, value in found["fields"].items() if "{{c" in value)
    for anki in found["cards"]:
        question = render_cloze(text, anki["ord"] + 1, question=True)
        assert question in RENDERED[anki["id"]]["question"]
        assert render_cloze(text, anki["ord"] + 1, question=False) in RENDERED[anki["id"]]["answer"]
        assert question != render_cloze(text, anki["ord"] + 1, question=False)


def test_a_cloze_field_on_a_standard_note_type_renders_as_anki_and_a_card_with_no_gap_is_named(imported) -> None:
    _, err, _, deck, anki_of = imported
    herz = note("herz")
    assert not shown_by_anki(herz["cards"][2]["id"])  # card 3 asks c3; the field has c1 only: Anki shows nothing
    assert re.search(r"Vokabel \(Deutsch\) note 'das Herz', card 3: nothing is left of the question", err)
    assert not any("{{c1::" in str(card.note.body) for card in deck.cards)


def test_an_empty_answer_comes_in_with_its_card_and_is_named(imported) -> None:
    _, err, store, deck, anki_of = imported
    anki = note("empty-back")["cards"][0]
    card = next(card for card in deck.cards if anki_of[card.key] == anki["id"])
    assert card.note.body.back == NO_ANSWER_TEXT and len(store.reviews(deck.id, card.key)) == anki["revlog"]
    assert f"Basic note 'Empty back field': card 1: its answer is empty in Anki; its back reads {NO_ANSWER_TEXT}" in err


def test_a_field_the_cloze_question_shows_is_kept(imported) -> None:
    _, _, _, deck, _ = imported
    sourced = next(card.note for card in deck.cards if "Warfarin" in getattr(card.note.body, "text", ""))
    assert sourced.explain == note("source-first")["fields"]["Source"]


def test_a_table_keeps_its_rows_and_cells_apart(imported) -> None:
    _, _, _, deck, _ = imported
    table = next(card.note for card in deck.cards if getattr(card.note.body, "front", "") == "Table")
    assert table.body.back == "Drug | Dose\nA | 1 mg"
    hints = next(card.note for card in deck.cards if "Furosemide" in getattr(card.note.body, "text", ""))
    assert hints.explain == "• loop\n• diuretic"


def test_answers_in_a_filtered_deck_that_does_not_reschedule_leave_the_memory_state_as_anki_computes_it() -> None:
    preview = EXPECTED["preview"]
    package = DATA / preview["package"]
    collection = read_package(package.read_bytes(), package.name)
    assert sum(1 for review in collection.reviews if review.type == 3 and review.factor == 0) == preview["previews"] > 0
    rows: dict[int, int] = {}
    for review in collection.reviews:
        rows[review.card_id] = rows.get(review.card_id, 0) + 1
    result = import_file(package)
    history = anki_history(collection, result.deck_id, result.notes, result.anki_cards, Settings(), TODAY)
    anki_of = anki_cards_of(result)
    for card in history.cards:
        anki = preview["memory"][str(anki_of[card.card_key])]
        assert card.state is not None
        assert card.state.stability == pytest.approx(anki["stability"], rel=1e-4)
        assert card.state.difficulty == pytest.approx(anki["difficulty"], rel=1e-4)
        assert len(card.answers) == rows[anki_of[card.card_key]]  # the previews are logged too
    assert len(history.cards) == 4


def test_anki_s_previews_are_practice_answers_logged_once_never_trained_on_nor_exported(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """preview.apkg: 8 of its answers are previews (type 3, factor 0), which Anki's optimizer leaves out. quiz logs
    them as practice: `quiz optimize` fitted on all of them, and an import of the package again logs none twice."""
    preview = EXPECTED["preview"]
    package = DATA / preview["package"]
    rows = len(read_package(package.read_bytes(), package.name).reviews)
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    for _ in range(2):
        code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(package), "--deck-id", "p")
        assert code == 0, err
    store = Store.in_folder(tmp_path)
    assert store.answer_counts() == {"review": rows - preview["previews"], "practice": preview["previews"]}
    assert len(store.fitting_answers(["p"])) == rows - preview["previews"]
    exported = tmp_path / "back.apkg"
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "p", "-o", str(exported), "--with-scheduling")
    assert code == 0, err
    # as quiz's own practice answers, they go back to Anki as nothing: they changed no schedule
    assert len(read_package(exported.read_bytes(), exported.name).reviews) == rows - preview["previews"]


def test_an_occlusion_note_whose_mask_was_deleted_keeps_each_regions_own_history(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """occlusion.apkg: masks c1 and c3 (c2 deleted in Anki after study, its card left empty) and a label c4. Each
    region takes its own Anki card's history (c3's region is Anki's card 3, not card 2); cards 2 and 4 are named."""
    found = EXPECTED["occlusion"]
    package = DATA / found["package"]
    (anki_note,) = found["notes"]
    by_ord = {card["ord"]: card for card in anki_note["cards"]}
    answered: dict[int, list[int]] = {}  # Anki card -> the seconds of its answers
    for review in read_package(package.read_bytes(), package.name).reviews:
        answered.setdefault(review.card_id, []).append(review.id // 1000)
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(package))
    assert code == 0, err
    result = import_file(package)
    anki_of = anki_cards_of(result)
    assert sorted(anki_of.values()) == sorted([by_ord[0]["id"], by_ord[2]["id"]])
    store = Store.in_folder(tmp_path)
    for key, anki_id in anki_of.items():
        times = [int(review.reviewed_at.timestamp()) for review in store.reviews(result.deck_id, key)]
        assert times == answered[anki_id]
    for number in (2, 4):
        assert f"card {number}: no mask quiz can draw on it (a text label, or none left)" in err


def test_a_cloze_card_whose_gap_was_deleted_is_named_and_the_others_keep_their_own_history(imported) -> None:
    _, err, store, deck, anki_of = imported
    edited = note("gap-deleted")
    by_anki = {anki_id: key for key, anki_id in anki_of.items()}
    first, deleted, third = edited["cards"]
    assert deleted["id"] not in by_anki
    for card in (first, third):
        assert len(store.reviews(deck.id, by_anki[card["id"]])) == card["revlog"]
    assert "Cloze note '{{c1::Atenolol}} is cardioselective, {{c': card 2: the text has no gap c2 (Anki shows" in err


def test_anki_s_text_export_brings_a_nested_cloze_and_a_cloze_whose_text_is_not_first_as_the_package_does(
    capsys,
) -> None:
    text = import_file(DATA / "collection.txt")
    package = import_file(DATA / COLPKG)
    faces = {note.id: (note.kind, note.body, note.explain) for note in package.notes}
    for key in ("nested", "source-first"):
        guid = note(key)["guid"]
        from_text = [n for n in text.notes if text.guids.get(n.id) == guid]
        assert from_text and all((n.kind, n.body, n.explain) == faces[n.id] for n in from_text)
    assert len([n for n in text.notes if text.guids.get(n.id) == note("nested")["guid"]]) == 2
    nested_line = next(p.line for p in text.problems if "nested" in p.message)
    assert [p.message for p in text.problems if p.line == nested_line] == [
        "a cloze gap is nested or not closed: each card comes in as basic, as Anki shows it"
    ]


def test_a_cloze_gap_holding_only_a_picture_brings_each_card_with_the_picture(imported) -> None:
    _, err, store, deck, anki_of = imported
    gapped = note("picture-gap")
    by_anki = {anki_of[card.key]: card for card in deck.cards}
    first, second = gapped["cards"]
    assert by_anki[first["id"]].note.body.front == RENDERED[first["id"]]["question"] == "Chamber: [...], left side"
    assert by_anki[second["id"]].note.body.front.endswith("[...] side")
    # card 1's gap hides the picture: Anki shows it once the card is turned, so does quiz; card 2 asks it shown
    shown = {
        first["id"]: ((), ("collection-media/my heart.png",)),
        second["id"]: (("collection-media/my heart.png",), ()),
    }
    for anki in (first, second):
        card = by_anki[anki["id"]]
        assert (card.note.images, card.note.answer_images) == shown[anki["id"]]
        assert len(store.reviews(deck.id, card.key)) == anki["revlog"]
    assert "a cloze gap is empty: each card comes in as basic, as Anki shows it" in err


@pytest.mark.parametrize("order", [("optional-v1", "optional-v2"), ("optional-v2", "optional-v1")])
def test_an_optional_reverse_turned_on_or_off_in_anki_keeps_the_note_and_its_history(
    tmp_path: Path, capsys, monkeypatch, order: tuple[str, str]
) -> None:
    """Basic (optional reversed card): its reverse off makes one basic card (its id `anki-…-1`, the note type
    having two templates), on a reverse note (`anki-…`). Turned on (or off) in Anki and imported again, the
    note keeps the id the first import gave it, and its first card its history: not a note gone and a new one,
    its answers logged under both."""
    found = EXPECTED["optional"]
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    for name in order:
        code, out, err = run(
            capsys, "--data-dir", str(tmp_path), "import", str(DATA / f"{name}.apkg"), "--deck-id", "optional"
        )
        assert code == 0, err
    # the optional reverse updated; the note of a type given a second template unchanged, its second card a new
    # note (v2), or gone again (v1): the `siblings:` the two notes then share is quiz's reading, added as no update
    # of the package's (taken off again with the second template, it is one)
    counts = (
        "1 updated, 1 new, 2 unchanged, 0 gone"
        if order[1] == "optional-v2"
        else "2 updated, 0 new, 1 unchanged, 1 gone"
    )
    assert f"{counts} from" in out
    first_id = next(n.id for n in import_file(DATA / f"{order[0]}.apkg").notes if "Amiodarone" in n.body.front)
    deck = load_deck_file(tmp_path / "decks" / "optional.yaml").deck
    assert deck is not None
    (kept,) = [n for n in deck.notes if "Amiodarone" in n.body.front]
    assert kept.id == first_id and kept.kind == ("reverse" if order[1] == "optional-v2" else "basic")
    store = Store.in_folder(tmp_path)
    assert len(store.reviews("optional", kept.id)) == found["cards"]["1"]["revlog"] > 0
    assert store.review_count() == sum(len(store.reviews("optional", card.key)) for card in deck.cards)


def test_a_template_added_to_a_note_type_in_anki_leaves_the_first_card_its_id_and_history(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    found = EXPECTED["optional"]["template_added"]
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    for name in ("optional-v1", "optional-v2"):
        code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / f"{name}.apkg"), "--deck-id", "o")
        assert code == 0, err
    deck = load_deck_file(tmp_path / "decks" / "o.yaml").deck
    assert deck is not None
    first_id = next(n.id for n in import_file(DATA / "optional-v1.apkg").notes if n.body.front == "bradycardia")
    words = [n for n in deck.notes if n.id.startswith(first_id)]
    assert [(n.id, n.kind) for n in words] == [(first_id, "basic"), (f"{first_id}-2", "typed")]
    assert not first_id.endswith("-1")  # one template in v1: no card number
    store = Store.in_folder(tmp_path)
    assert len(store.reviews("o", first_id)) == found["1"]["revlog"] > 0
    assert store.reviews("o", f"{first_id}-2") == []


def test_a_package_cut_short_says_so_and_what_to_do(tmp_path: Path, capsys) -> None:
    """An AnkiWeb download that did not finish: Anki's package, its end missing."""
    cut = tmp_path / "Shared deck.apkg"
    cut.write_bytes((DATA / "med.apkg").read_bytes()[:30_000])
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(cut))
    assert code == 1 and out == ""
    assert err == (
        f"quiz: {cut} is a zip archive cut short or damaged (a download that did not finish?): download or export"
        " it again\n"
    )
    assert not (tmp_path / "data" / "decks" / "Shared deck.yaml").exists()
