"""A deck's next version keeps each note in its topic while its Anki deck stays the same, though the topics' ids
are made anew (a new top-level deck changes the deck names' common prefix, so "Pharm::Cardio" is no longer topic
"Cardio" but "Pharm / Cardio"); a note whose Anki deck changed moves, said, and an exam date left on a topic with
no card is named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.importers.update import record_path
from quiz.core.model import Deck
from quiz.core.store import STORE_NAME
from tests.conftest import run_cli as run

REALWORLD = Path(__file__).parents[1] / "data" / "anki" / "realworld"
HEADER = "id,front,back,deck\n"
CARDIO = "d1,Digoxin antidote?,DigiFab,Pharm::Cardio\n"
RENAL = "d2,Furosemide site?,Loop of Henle,Pharm::Renal\n"
EXTRA = "d3,Heparin antidote?,Protamine,Extra\n"
EXAM = "2026-12-22"


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_NOW", "2026-12-01T10:00:00Z")


def quiz(capsys, data: Path, *args: str) -> tuple[str, str]:  # noqa: ANN001
    code, out, err = run(capsys, "--data-dir", str(data), *args)
    assert code == 0, err
    return out, err


def exam_cards(capsys, data: Path, scope: str) -> int:  # noqa: ANN001
    """How many cards the exam of `scope` covers, as `quiz plan` says."""
    out, _ = quiz(capsys, data, "plan", scope)
    found = re.search(r"cards: +(\d+)", out)
    assert found is not None, out
    return int(found.group(1))


def deck(data: Path, deck_id: str) -> Deck:
    loaded = load_deck_file(data / "decks" / f"{deck_id}.yaml").deck
    assert loaded is not None
    return loaded


def topics_of(data: Path, deck_id: str) -> dict[str, str]:
    return {note.id: note.topic for note in deck(data, deck_id).notes}


@pytest.fixture
def pharm(tmp_path: Path, capsys) -> Path:  # noqa: ANN001
    """A CSV of two Anki sub-decks imported, an exam date set on one: the CSV's path."""
    sheet = tmp_path / "pharm.csv"
    sheet.write_text(HEADER + CARDIO + RENAL, encoding="utf-8")
    quiz(capsys, tmp_path, "import", str(sheet))
    assert topics_of(tmp_path, "pharm") == {"d1": "cardio", "d2": "renal"}
    quiz(capsys, tmp_path, "plan", "pharm/cardio", "--exam", EXAM)
    assert exam_cards(capsys, tmp_path, "pharm/cardio") == 1
    return sheet


def test_a_new_top_level_deck_leaves_each_note_in_its_topic_and_the_exam_its_cards(
    tmp_path: Path, capsys, pharm: Path
) -> None:
    pharm.write_text(HEADER + CARDIO + RENAL + EXTRA, encoding="utf-8")
    out, err = quiz(capsys, tmp_path, "import", str(pharm))
    assert "updated: 0 updated, 1 new, 2 unchanged" in out
    assert "moved" not in out and "exam" not in err
    assert topics_of(tmp_path, "pharm") == {"d1": "cardio", "d2": "renal", "d3": "extra"}
    assert [topic.id for topic in deck(tmp_path, "pharm").topics] == ["cardio", "renal", "extra"]
    assert exam_cards(capsys, tmp_path, "pharm/cardio") == 1
    out, _ = quiz(capsys, tmp_path, "import", str(pharm))  # and at the version after: the record knows them
    assert "0 updated, 0 new, 3 unchanged" in out


def test_a_note_whose_anki_deck_changed_moves_said_and_the_exam_left_with_no_card_is_named(
    tmp_path: Path, capsys, pharm: Path
) -> None:
    pharm.write_text(HEADER + CARDIO.replace("Cardio", "Renal") + RENAL + EXTRA, encoding="utf-8")
    out, err = quiz(capsys, tmp_path, "import", str(pharm))
    assert "updated: 1 updated, 1 new, 1 unchanged" in out
    moved = "moved to another topic by pharm.csv (1 note; their Anki deck changed):\n  d1  Digoxin antidote?"
    assert f"{moved}  (cardio -> renal)" in out
    assert f"quiz: the exam of pharm/cardio on {EXAM} covers no card" in err
    assert topics_of(tmp_path, "pharm") == {"d1": "renal", "d2": "renal", "d3": "extra"}


def test_an_update_moving_a_note_makes_no_store_where_there_was_none(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    sheet = tmp_path / "pharm.csv"
    sheet.write_text(HEADER + CARDIO + RENAL, encoding="utf-8")
    quiz(capsys, tmp_path, "import", str(sheet))
    sheet.write_text(HEADER + CARDIO.replace("Cardio", "Renal") + RENAL, encoding="utf-8")
    out, _ = quiz(capsys, tmp_path, "import", str(sheet))
    assert "(cardio -> renal)" in out
    assert not (tmp_path / STORE_NAME).exists()  # no exam date to name, and none asked for


def test_a_record_keeping_no_anki_deck_takes_each_topic_s_as_quiz_s_export_names_it(
    tmp_path: Path, capsys, pharm: Path
) -> None:
    record = record_path(tmp_path / "decks" / "pharm.yaml")
    data = json.loads(record.read_text(encoding="utf-8"))
    del data["topics"]  # an older record, or the key deleted as the refusal of a bad one advises
    record.write_text(json.dumps(data), encoding="utf-8")
    pharm.write_text(HEADER + CARDIO + RENAL + EXTRA, encoding="utf-8")  # topics named anew: "Pharm / Cardio"
    out, err = quiz(capsys, tmp_path, "import", str(pharm))
    assert "moved" not in out and "exam" not in err
    assert topics_of(tmp_path, "pharm") == {"d1": "cardio", "d2": "renal", "d3": "extra"}
    assert exam_cards(capsys, tmp_path, "pharm/cardio") == 1
    out, _ = quiz(capsys, tmp_path, "import", str(pharm))  # the record now knows each topic's deck
    assert "0 updated, 0 new, 3 unchanged" in out


def test_with_no_import_record_moves_are_said_found_by_title(tmp_path: Path, capsys, pharm: Path) -> None:
    record_path(tmp_path / "decks" / "pharm.yaml").unlink()
    pharm.write_text(HEADER + CARDIO + RENAL + EXTRA, encoding="utf-8")
    out, _ = quiz(capsys, tmp_path, "import", str(pharm), "--replace")
    assert "(2 notes; no import record: topics matched by title):" in out


def test_a_topic_of_its_own_named_as_one_of_hers_comes_back_from_quiz_s_export_as_it_was(
    tmp_path: Path, capsys, pharm: Path
) -> None:
    pharm.write_text(HEADER + CARDIO + RENAL + "d3,Heparin antidote?,Protamine,Cardio\n", encoding="utf-8")
    quiz(capsys, tmp_path, "import", str(pharm))
    package = tmp_path / "pharm.apkg"
    quiz(capsys, tmp_path, "export", "pharm", "-o", str(package))
    out, _ = quiz(capsys, tmp_path, "import", str(package))
    assert "moved" not in out
    assert topics_of(tmp_path, "pharm") == {"d1": "cardio", "d2": "renal", "d3": "cardio-2"}


@pytest.mark.parametrize(
    "topics",
    ["Pharm::Cardio", ["Pharm::Cardio"], {"cardio": 5}, {"cardio": "Pharm::Renal", "renal": "Pharm::Renal"}],
)
def test_a_record_whose_topics_were_edited_into_another_shape_is_refused_naming_it(
    tmp_path: Path, capsys, pharm: Path, topics: object
) -> None:
    deck_file = tmp_path / "decks" / "pharm.yaml"
    record = record_path(deck_file)
    record.write_text(json.dumps(json.loads(record.read_text(encoding="utf-8")) | {"topics": topics}), "utf-8")
    before = deck_file.read_bytes(), record.read_bytes()
    pharm.write_text(HEADER + CARDIO + RENAL + EXTRA, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(pharm))
    assert code != 0 and "moved" not in out  # not read as an older record: no note said to move
    assert f'its import record {record} has a "topics" that is not' in err and 'delete the key "topics"' in err
    assert (deck_file.read_bytes(), record.read_bytes()) == before


def test_a_version_with_one_anki_deck_keeps_the_decks_of_the_other_topics(tmp_path: Path, capsys, pharm: Path) -> None:
    pharm.write_text(HEADER + CARDIO, encoding="utf-8")  # one deck: it names no topic, yet is hers
    quiz(capsys, tmp_path, "import", str(pharm))
    recorded = json.loads(record_path(tmp_path / "decks" / "pharm.yaml").read_text(encoding="utf-8"))["topics"]
    assert recorded == {"cardio": "Pharm::Cardio", "renal": "Pharm::Renal"}
    pharm.write_text(HEADER + CARDIO + RENAL + EXTRA, encoding="utf-8")
    out, err = quiz(capsys, tmp_path, "import", str(pharm))
    assert "moved" not in out and "exam" not in err
    assert topics_of(tmp_path, "pharm") == {"d1": "cardio", "d2": "renal", "d3": "extra"}


def test_a_new_top_level_deck_named_as_one_of_her_topics_is_a_topic_of_its_own(
    tmp_path: Path, capsys, pharm: Path
) -> None:
    pharm.write_text(HEADER + CARDIO + RENAL + "d3,Heparin antidote?,Protamine,Cardio\n", encoding="utf-8")
    for _version in range(2):  # and the same file again: the record knows both decks
        out, err = quiz(capsys, tmp_path, "import", str(pharm))
        assert "moved" not in out and "exam" not in err
        assert topics_of(tmp_path, "pharm") == {"d1": "cardio", "d2": "renal", "d3": "cardio-2"}
    assert [(t.id, t.title) for t in deck(tmp_path, "pharm").topics][2:] == [("cardio-2", "Cardio (2)")]
    assert exam_cards(capsys, tmp_path, "pharm/cardio") == 1


def test_a_note_in_the_common_anki_deck_itself_stays_in_no_topic_when_a_top_level_deck_is_added(
    tmp_path: Path, capsys
) -> None:
    sheet = tmp_path / "pharm.csv"
    sheet.write_text(HEADER + "d0,General?,Yes,Pharm\n" + RENAL, encoding="utf-8")
    quiz(capsys, tmp_path, "import", str(sheet))
    sheet.write_text(HEADER + "d0,General?,Yes,Pharm\n" + RENAL + EXTRA, encoding="utf-8")
    out, _ = quiz(capsys, tmp_path, "import", str(sheet))
    assert "moved" not in out
    assert topics_of(tmp_path, "pharm") == {"d0": "", "d2": "renal", "d3": "extra"}


def test_an_exam_on_a_topic_with_no_card_before_the_import_is_not_named(tmp_path: Path, capsys, pharm: Path) -> None:
    deck_file = tmp_path / "decks" / "pharm.yaml"
    deck_file.write_text(deck_file.read_text().replace("topics:\n", "topics:\n  - id: neuro\n    title: Neuro\n"))
    quiz(capsys, tmp_path, "plan", "pharm/neuro", "--exam", EXAM)
    pharm.write_text(HEADER + CARDIO, encoding="utf-8")
    _, err = quiz(capsys, tmp_path, "import", str(pharm), "--remove-missing")
    assert "the exam of pharm/cardio" not in err and "the exam of pharm/neuro" not in err  # cardio kept its card
    quiz(capsys, tmp_path, "plan", "pharm/renal", "--exam", EXAM)
    pharm.write_text(HEADER + CARDIO.replace("Cardio", "Renal"), encoding="utf-8")
    _, err = quiz(capsys, tmp_path, "import", str(pharm))
    assert "the exam of pharm/cardio" in err and "pharm/renal" not in err and "pharm/neuro" not in err


def test_her_whole_anki_collection_after_one_deck_of_it_keeps_that_deck_s_topics_and_exam(
    tmp_path: Path, capsys
) -> None:
    """Her whole collection updates `med` with its Med notes alone, each in its topic, the exam kept; Sprachen
    comes in as a deck of its own."""
    quiz(capsys, tmp_path, "import", str(REALWORLD / "med.apkg"))
    before = deck(tmp_path, "med")
    quiz(capsys, tmp_path, "plan", "med/cardio", "--exam", EXAM)
    assert exam_cards(capsys, tmp_path, "med/cardio") == 14
    out, err = quiz(capsys, tmp_path, "import", str(REALWORLD / "collection.colpkg"))
    assert "moved" not in out and "exam" not in err
    after = deck(tmp_path, "med")
    was = {note.id: note.topic for note in before.notes}
    assert {note.id: note.topic for note in after.notes if note.id in was} == was
    assert after.topics[: len(before.topics)] == before.topics  # her titles as they were; a new subdeck after
    assert not any("Sprachen" in topic.title for topic in after.topics)
    assert {topic.title for topic in deck(tmp_path, "sprachen").topics} >= {"Deutsch"}
    assert exam_cards(capsys, tmp_path, "med/cardio") == 14


def test_decks_named_apart_keep_their_topics_whatever_the_order_of_the_next_version(
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    """Two decks whose names clean alike (`Car\u202edio`, `Car\u202ddio`): which is numbered `(2)` is fixed by the
    names, not by which comes first, so a next version whose first note is another deck's moves no note (both
    swapped topics when the first note of one deck was deleted)."""
    sheet = tmp_path / "pharm.csv"
    rows = {
        "d1": "d1,Digoxin antidote?,DigiFab,Pharm::Car\u202edio\n",
        "d2": "d2,Furosemide site?,Loop of Henle,Pharm::Car\u202ddio\n",
        "d3": "d3,Heparin antidote?,Protamine,Pharm::Car\u202edio\n",
    }
    sheet.write_text(HEADER + "".join(rows.values()), encoding="utf-8")
    quiz(capsys, tmp_path, "import", str(sheet))
    first = topics_of(tmp_path, "pharm")
    assert first["d1"] == first["d3"] != first["d2"]
    for version in (["d2", "d3"], ["d3", "d2", "d1"]):  # d1 deleted; then back, the rows in another order
        sheet.write_text(HEADER + "".join(rows[key] for key in version), encoding="utf-8")
        out, _ = quiz(capsys, tmp_path, "import", str(sheet))
        assert "moved" not in out
        assert topics_of(tmp_path, "pharm") == first
