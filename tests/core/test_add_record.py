"""`quiz add` writes an import record, as `quiz import` does: the deck's next version, taken with `quiz import`,
then tells the student's edits, deleted notes and comments from its author's. Without one, every note the
teacher changed was a conflict (`you: not known`) kept as the old version, a note the student deleted came back,
and the teacher's own comments stopped the update."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.decks import load_deck_file
from quiz.core.importers.update import read_record, record_path
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from tests.conftest import START
from tests.conftest import run_cli as run

TEACHER = """\
# Pharmacology, week 1: ask me in class
deck: pharm
title: Pharmacology
sources:
  - {{id: bnf, title: BNF}}
cards:
  # anticoagulants
  - {{id: w, kind: basic, front: Antidote for warfarin?, back: {w}, sources: [bnf]}}
  - {{id: h, kind: basic, front: Antidote for heparin?, back: {h}}}  # 1 mg per 100 units
  - {{id: p, kind: basic, front: Antidote for paracetamol?, back: Acetylcysteine}}
{more}"""
V1 = TEACHER.format(w="K", h="Protamine", more="")
# the teacher corrects two answers and adds a card
V2 = TEACHER.format(
    w="Vitamin K", h="Protamine sulfate", more="  - {id: r, kind: basic, front: Antidote for dabigatran?, back: X}\n"
)
MINE = "# checked with the ward pharmacist"


@pytest.fixture
def added(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, Path]:
    """V1 added, then the student's edits: heparin's answer, and paracetamol's card deleted; V2 beside it."""
    teacher = tmp_path / "teacher" / "pharm.yaml"
    teacher.parent.mkdir()
    teacher.write_text(V1, encoding="utf-8")
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(teacher))
    assert code == 0, err
    copy = data / "decks" / "pharm.yaml"
    assert copy.read_text(encoding="utf-8") == V1  # copied as it is, comments and all
    mine = V1.replace("back: Protamine}", "back: Protamine (check dose)}")
    mine = "".join(line for line in mine.splitlines(keepends=True) if "id: p," not in line)
    copy.write_text(mine, encoding="utf-8")
    teacher.write_text(V2, encoding="utf-8")
    return data, copy, teacher


def test_add_records_the_deck_as_copied(added: tuple[Path, Path, Path]) -> None:
    _, copy, _ = added
    record = read_record(copy)
    assert record is not None and record.source == "pharm.yaml"
    assert [(n.id, n.body.back) for n in record.notes.values()] == [
        ("w", "K"),
        ("h", "Protamine"),
        ("p", "Acetylcysteine"),
    ]
    assert record.comments == (
        "# Pharmacology, week 1: ask me in class",
        "# anticoagulants",
        "# 1 mg per 100 units",
    )


def test_the_next_version_of_an_added_deck_keeps_the_student_s_edits_and_takes_the_teacher_s(
    added: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, copy, teacher = added
    store = Store.in_folder(data)
    store.record_review("pharm", "h", Grade.GOOD, START, 900, Mode.REVIEW, None, CardState("basic"))
    store.close()
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(teacher))
    assert code == 0, err
    lines = out.splitlines()
    assert "  w  Antidote for warfarin?  (back)" in lines  # only the teacher changed it: taken
    assert (
        "kept as you have them: 0 notes you edited, 1 you deleted (pharm.yaml does not change them), 0 of your own"
        in lines
    )
    dropped = "dropped 3 comments pharm.yaml had when you added it (its author's, not yours): an update writes"
    assert f"{dropped} the deck file anew from its cards" in lines
    # both changed heparin's answer: hers kept, and the conflict says what each did
    assert "    you: back: 'Protamine' -> 'Protamine (check dose)'" in err.splitlines()
    assert "not known" not in err
    deck = load_deck_file(copy).deck
    assert deck is not None
    assert [(n.id, n.body.back) for n in deck.notes] == [
        ("w", "Vitamin K"),
        ("h", "Protamine (check dose)"),
        ("r", "X"),
    ]  # the deleted card stays deleted; the ids, and so her history, are kept
    store = Store.in_folder(data)
    assert [r.card_key for r in store.reviews("pharm")] == ["h"]
    store.close()
    # --replace offers the teacher's version of the conflict, and of it alone
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(teacher))
    assert code == 0, err
    deck = load_deck_file(copy).deck
    assert deck is not None and [(n.id, n.body.back) for n in deck.notes][1] == ("h", "Protamine sulfate")
    assert [n.id for n in deck.notes] == ["w", "h", "r"]


def test_a_comment_the_student_wrote_in_an_added_deck_is_still_hers(
    added: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the comments the file had when added are the author's: hers stop the update, as in an imported deck."""
    data, copy, teacher = added
    before = copy.read_text(encoding="utf-8").replace("cards:\n", f"cards:\n  {MINE}\n")
    copy.write_text(before, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(teacher))
    assert code == 1
    assert err.splitlines()[0] == f"{copy}:7:3: your comment {MINE!r}"
    assert "anticoagulants" not in err and "has comments of yours (above)" in err
    assert copy.read_text(encoding="utf-8") == before


def test_add_leaves_another_deck_s_import_record_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record left where the copy's would go (a deck imported there once, its file deleted since) is another
    deck's: never overwritten, and nothing is added."""
    source = tmp_path / "pharm.yaml"
    source.write_text(V1, encoding="utf-8")
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    record_path(decks / "pharm.yaml").write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(source))
    assert code == 1 and f"{record_path(decks / 'pharm.yaml')} is the import record of another deck" in err
    assert record_path(decks / "pharm.yaml").read_text(encoding="utf-8") == "{}"
    assert not (decks / "pharm.yaml").exists()


def test_a_deck_added_again_after_its_file_was_deleted_replaces_its_own_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deleting a deck file and adding the deck again (a fresh start from the teacher's file) left the record the
    first `add` wrote, which the second refused as 'the import record of another deck'. It is this deck's: the copy
    added again is its new base; a record of another deck at that name is still never overwritten."""
    source = tmp_path / "pharm.yaml"
    source.write_text(V1, encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "add", str(source))[0] == 0
    copy = data / "decks" / "pharm.yaml"
    copy.unlink()
    source.write_text(V2, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(source))
    assert code == 0, err
    assert copy.read_text(encoding="utf-8") == V2
    record = read_record(copy)
    assert record is not None and [n.id for n in record.notes.values()] == ["w", "h", "p", "r"]
    copy.unlink()
    other = tmp_path / "other" / "pharm.yaml"
    other.parent.mkdir()
    other.write_text(V1.replace("deck: pharm", "deck: tox"), encoding="utf-8")
    before = record_path(copy).read_bytes()
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(other))
    assert code == 1 and f"{record_path(copy)} is the import record of another deck" in err
    assert record_path(copy).read_bytes() == before and not copy.exists()


@pytest.mark.parametrize(
    ("hers", "copied"),
    [(0o600, 0o600), (0o640, 0o640), (0o644, 0o644), (0o666, 0o644), (0o400, 0o600), (0o444, 0o644)],
    ids=["600", "640", "644", "666", "400: the copy hers to edit", "444"],
)
def test_the_copy_of_a_private_deck_and_its_record_are_as_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], hers: int, copied: int
) -> None:
    """Her private deck file (600) was copied readable by all (644), its record too, which holds its whole text."""
    source = tmp_path / "pharm.yaml"
    source.write_text(V1, encoding="utf-8")
    source.chmod(hers)
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(source))
    assert code == 0, err
    copy = data / "decks" / "pharm.yaml"
    assert [path.stat().st_mode & 0o777 for path in (copy, record_path(copy))] == [copied, copied]


@pytest.mark.parametrize("imported", ["pharm.yaml", "pharm.csv"])
@pytest.mark.parametrize(("hers", "made"), [(0o600, 0o600), (0o640, 0o640), (0o644, 0o644)], ids=["600", "640", "644"])
def test_a_deck_imported_from_a_private_file_is_as_private_as_one_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], imported: str, hers: int, made: int
) -> None:
    """`quiz add` of her private deck file (600) made a private deck and record; `quiz import` of the same file, or
    of her private CSV, made them readable by all (644)."""
    source = tmp_path / imported
    source.write_text(V1 if imported.endswith(".yaml") else "front,back\nq1,a1\n", encoding="utf-8")
    source.chmod(hers)
    data = tmp_path / "data"
    umask = os.umask(0o022)
    try:
        code, _, err = run(capsys, "--data-dir", str(data), "import", str(source))
    finally:
        os.umask(umask)
    assert code == 0, err
    deck = data / "decks" / "pharm.yaml"
    assert [path.stat().st_mode & 0o777 for path in (deck, record_path(deck))] == [made, made]
