"""Renaming a card of an imported deck (`quiz rename-card`, then the id in the deck file): the deck's import
record follows, so the next version of the package still finds the note by its Anki GUID, neither bringing it
back under its old id nor logging its answers twice."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from quiz.core import atomicfile
from quiz.core.decks import load_deck_file
from quiz.core.importers.update import read_record, record_path
from quiz.core.model import Deck
from quiz.core.store import Store
from tests.conftest import pasted, suggested
from tests.conftest import run_cli as run
from tests.core.test_reimport import DATA, EDITED, LATER, V1, V2

RENAMED = "anki-e7bd18e8e0"  # a note v2 does not change ("Antidote for paracetamol?")


@pytest.fixture
def imported(tmp_path: Path, capsys, monkeypatch) -> Path:
    monkeypatch.setenv("QUIZ_NOW", LATER.isoformat())
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "v1.apkg"))
    assert code == 0, err
    return tmp_path / "decks" / "v1.yaml"


def rename_in_deck_file(deck_file: Path, old: str, new: str) -> None:
    text = deck_file.read_text(encoding="utf-8")
    assert text.count(f"id: {old}\n") == 1
    deck_file.write_text(text.replace(f"id: {old}\n", f"id: {new}\n"), encoding="utf-8")


def renamed_then_updated(imported: Path, capsys, old: str, new: str) -> tuple[str, Deck]:
    """`rename-card` and the id changed in the deck file, as docs/custom-decks.md says; then v2 imported."""
    code, out, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", old, new
    )
    assert code == 0, err
    assert f"renamed the note in the deck's import record {record_path(imported)}" in out
    return updated_after_rename(imported, capsys, old, new)


def updated_after_rename(imported: Path, capsys, old: str, new: str) -> tuple[str, Deck]:
    """The record renamed, the id changed in the deck file, then v2 imported: the note is found by its Anki note,
    none of its answers logged twice, nothing left under the old id."""
    data_dir = imported.parent.parent
    record = read_record(imported)
    assert record is not None and new in record.notes and old not in record.notes
    assert new in record.guids and new in record.homes.values()
    rename_in_deck_file(imported, old, new)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import", str(DATA / "v2.apkg"))
    assert code == 0, err
    assert "you deleted" not in out and "of your own" not in out and "not brought: " not in out
    deck = load_deck_file(imported).deck
    assert deck is not None and new in {note.id for note in deck.notes} and old not in {n.id for n in deck.notes}
    store = Store.in_folder(data_dir)
    try:
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"]))  # none twice
        assert not [key for key in store.states("v1") if key.startswith(old)]
    finally:
        store.close()
    return out, deck


def test_a_renamed_imported_note_is_still_found_by_the_next_version(imported: Path, capsys) -> None:
    out, _ = renamed_then_updated(imported, capsys, RENAMED, "paracetamol")
    assert "updated: 1 updated, 1 new, 4 unchanged" in out


def test_a_renamed_imported_note_the_next_version_edits_takes_the_edit(imported: Path, capsys) -> None:
    out, deck = renamed_then_updated(imported, capsys, EDITED, "warfarin")
    assert "updated: 1 updated, 1 new, 4 unchanged" in out
    assert next(note for note in deck.notes if note.id == "warfarin").body.back == "Vitamin K"


def test_a_rename_onto_an_id_the_record_has_is_refused_and_moves_nothing(imported: Path, capsys) -> None:
    record_before = record_path(imported).read_bytes()
    other = next(note for note in json.loads(record_before)["guids"] if note != RENAMED)
    store = Store.in_folder(imported.parent.parent)
    try:
        store.db.execute("DELETE FROM card_state WHERE card_key = ?", (other,))  # no history: the store allows it
        store.db.execute("DELETE FROM review_log WHERE card_key = ?", (other,))
        store.db.commit()
        reviews = store.review_count()
    finally:
        store.close()
    code, _, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", RENAMED, other
    )
    assert code == 1
    assert f"its import record {record_path(imported)} already has a note '{other}'; nothing was moved" in err
    assert record_path(imported).read_bytes() == record_before
    store = Store.in_folder(imported.parent.parent)
    try:
        assert store.review_count() == reviews
    finally:
        store.close()


@pytest.mark.parametrize("moved_to", [None, "mine.yaml", "pharma/v1.yaml"])
def test_a_deck_file_that_does_not_load_still_has_its_record_renamed(
    imported: Path, capsys, moved_to: str | None
) -> None:
    """Its record is found beside the file named by the deck id, or, when she renamed the file (an import follows
    it) or moved it with its record into a subfolder (decks load from there), by the deck id its record names:
    it was not looked for there, and the note was cut off from its Anki note."""
    data_dir = imported.parent.parent
    if moved_to is not None:
        moved = imported.parent / moved_to
        moved.parent.mkdir(exist_ok=True)
        record_path(imported).rename(record_path(moved))
        imported = imported.rename(moved)
    text = imported.read_text(encoding="utf-8")
    imported.write_text(text.replace("back: Naloxone", "\tback: Naloxone", 1), encoding="utf-8")  # a tab: no deck
    code, out, err = run(
        capsys, "--data-dir", str(data_dir), "rename-card", "--before-edit", "v1", RENAMED, "paracetamol"
    )
    assert code == 0, err
    assert f"renamed the note in the deck's import record {record_path(imported)}" in out
    assert f"now change `id: {RENAMED}` to `id: paracetamol` in {imported}" in out
    assert RENAMED not in record_path(imported).read_text(encoding="utf-8")


def test_a_deck_that_does_not_load_has_the_record_an_import_would_read_renamed(imported: Path, capsys) -> None:
    """Moved with its record into a subfolder, a copy of the record left at the top: the one beside the deck file
    is renamed, as an import reads it; the copy at the top was, and the deck's own still named the old id."""
    moved = imported.parent / "pharma" / "v1.yaml"
    moved.parent.mkdir()
    copy = record_path(imported).read_bytes()
    record_path(imported).rename(record_path(moved))
    imported.rename(moved)
    record_path(imported).write_bytes(copy)
    moved.write_text(moved.read_text(encoding="utf-8").replace("back: Naloxone", "\tback: Naloxone", 1), "utf-8")
    code, out, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", RENAMED, "para"
    )
    assert code == 0, err
    assert f"renamed the note in the deck's import record {record_path(moved)}" in out
    record = read_record(moved)
    assert record is not None and "para" in record.notes and RENAMED not in record.notes


def test_two_records_naming_a_deck_that_does_not_load_are_named_in_the_refusal(imported: Path, capsys) -> None:
    """Its file renamed, and a copy of it with its record: neither record is beside a file named by the id, so
    the one to rename is not known. The refusal names the two records (it named deck files that are not there)."""
    records = [record_path(imported.with_name(name)) for name in ("a.yaml", "b.yaml")]
    for record in records:
        record.write_bytes(record_path(imported).read_bytes())
    record_path(imported).unlink()
    imported.write_text("title: [\n", encoding="utf-8")  # the deck does not load
    moves_nothing(imported, capsys, f"2 import records name deck 'v1': {records[0]}, {records[1]}")


def moves_nothing(imported: Path, capsys, why: str) -> None:
    """`rename-card` refused, saying `why`, with the history and the record as they were."""
    store = Store.in_folder(imported.parent.parent)
    try:
        states = store.states("v1")
    finally:
        store.close()
    code, _, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", RENAMED, "paracetamol"
    )
    assert code == 1
    assert why in err and "nothing was moved" in err
    store = Store.in_folder(imported.parent.parent)
    try:
        assert store.states("v1") == states
    finally:
        store.close()


def test_a_record_that_cannot_be_read_refuses_the_rename(imported: Path, capsys) -> None:
    imported.write_text("title: [\n", encoding="utf-8")  # the deck does not load either
    record_path(imported).write_text("{not json", encoding="utf-8")
    moves_nothing(imported, capsys, f"its import record {record_path(imported)} cannot be read: put it back")
    assert record_path(imported).read_text(encoding="utf-8") == "{not json"


def test_a_deck_folder_not_mounted_refuses_the_rename(imported: Path, tmp_path: Path, capsys) -> None:
    folder = imported.parent
    folder.rename(tmp_path / "elsewhere")
    folder.symlink_to(tmp_path / "unmounted")
    moves_nothing(imported, capsys, f"the deck's import record, if it has one, is in {folder}, which cannot be")


def cut_short(imported: Path, capsys, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    """`rename-card` stopped (a kill, a power cut) once the store committed, before the record was put in place."""

    def killed(src: str, dst: str) -> None:
        if str(dst).endswith(".import.json"):
            raise KeyboardInterrupt  # where a kill would stop it: the store's commit made, the record not placed
        real(src, dst)

    real = os.replace
    monkeypatch.setattr(atomicfile.os, "replace", killed)
    code, _, _ = run(capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", old, new)
    assert code == 130
    monkeypatch.setattr(atomicfile.os, "replace", real)
    record = read_record(imported)
    assert record is not None and old in record.notes  # the history moved, the record naming the old id


def test_a_rename_cut_short_before_its_record_was_written_is_finished_by_running_it_again(
    imported: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run again, it was refused (the new id has history), and the note, still known to the record by its old id,
    was cut off from its Anki note at the next import (\"1 you deleted, 1 of your own\", answers not brought)."""
    cut_short(imported, capsys, monkeypatch, RENAMED, "paracetamol")
    code, out, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", RENAMED, "paracetamol"
    )
    assert code == 0, err
    assert f"the import record {record_path(imported)} still named '{RENAMED}': renamed there too" in out
    assert f"now change `id: {RENAMED}` to `id: paracetamol` in {imported}" in out
    out, _ = updated_after_rename(imported, capsys, RENAMED, "paracetamol")
    assert "updated: 1 updated, 1 new, 4 unchanged" in out


def test_an_import_after_a_rename_cut_short_is_refused_until_the_rename_is_run_again(
    imported: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record still naming the old id, v2 logged the note's Anki answers again under it (both ids held
    them), and the retry was refused (the old id had history again)."""
    data_dir = imported.parent.parent
    cut_short(imported, capsys, monkeypatch, RENAMED, "paracetamol")
    before = imported.read_bytes(), record_path(imported).read_bytes()
    code, _, err = run(capsys, "--data-dir", str(data_dir), "import", str(DATA / "v2.apkg"))
    assert code == 1
    assert (
        f"run `quiz --data-dir {data_dir} rename-card --before-edit v1 {RENAMED} paracetamol` again first; nothing was"
        " imported" in err
    )
    assert (imported.read_bytes(), record_path(imported).read_bytes()) == before
    retried = pasted(suggested(err))  # as told, the deck file still naming the old id
    assert retried.returncode == 0, retried.stderr
    out, _ = updated_after_rename(imported, capsys, RENAMED, "paracetamol")
    assert "updated: 1 updated, 1 new, 4 unchanged" in out


def test_the_retry_does_not_tell_her_to_give_two_cards_one_id(
    imported: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A card of her own added under the new id after the rename was cut short: changing the old id to the new
    one would make two cards with one id; she is told to give hers another id first."""
    cut_short(imported, capsys, monkeypatch, RENAMED, "para")
    own = "  - id: para\n    kind: basic\n    front: my own\n    back: mine\n"
    imported.write_text(imported.read_text(encoding="utf-8").rstrip("\n") + "\n" + own, encoding="utf-8")
    code, out, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", RENAMED, "para"
    )
    assert code == 0, err
    assert f"{imported} has a card `id: para` already: give it another id" in out
    assert "now change" not in out


def test_a_card_of_hers_with_history_under_the_new_id_is_still_refused(imported: Path, capsys) -> None:
    """The new id's history, with none left under the old id, is taken for a cut-short rename's only when the
    deck's last rename to the new id was from the old one."""
    other = next(note for note in json.loads(record_path(imported).read_bytes())["guids"] if note != RENAMED)
    store = Store.in_folder(imported.parent.parent)
    try:
        store.db.execute("DELETE FROM card_state WHERE card_key = ?", (RENAMED,))  # a note she never studied
        store.db.execute("DELETE FROM review_log WHERE card_key = ?", (RENAMED,))
        store.db.commit()
    finally:
        store.close()
    record_before = record_path(imported).read_bytes()
    code, _, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", other, "mine"
    )
    assert code == 0, err
    record_path(imported).write_bytes(record_before)  # 'mine' as a card of her own: the record does not know it
    code, _, err = run(
        capsys, "--data-dir", str(imported.parent.parent), "rename-card", "--before-edit", "v1", RENAMED, "mine"
    )
    assert code == 1 and "card 'mine' in deck 'v1' already has history; nothing was moved" in err
    assert record_path(imported).read_bytes() == record_before


def test_a_deck_whose_file_was_swapped_with_another_s_renames_the_note_in_its_own_record(
    imported: Path, capsys
) -> None:
    """v1.yaml and current.yaml swapped, their records left: the record beside v1's file is current's. v1's own
    record, the one naming it, is renamed (current's was taken, which does not know the note, and v1's kept the
    old id: the next import would cut the note off from its Anki note)."""
    data_dir = imported.parent.parent
    code, _, err = run(capsys, "--data-dir", str(data_dir), "import", str(DATA.parent / "current.apkg"))
    assert code == 0, err
    current = imported.with_name("current.yaml")
    v1_text, current_text = imported.read_bytes(), current.read_bytes()
    imported.write_bytes(current_text)
    current.write_bytes(v1_text)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "rename-card", "--before-edit", "v1", RENAMED, "para")
    assert code == 0, err
    assert f"renamed the note in the deck's import record {record_path(imported)}" in out
    record = read_record(imported)
    assert record is not None and "para" in record.notes and RENAMED not in record.notes
