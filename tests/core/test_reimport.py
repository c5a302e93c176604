"""Importing the next version of a shared deck onto the deck the first import wrote: notes matched by Anki's
GUID, the user's own edits kept, notes gone from the package listed, the history neither lost nor doubled.

The packages are Anki's own (tests/data/anki/update, written by `tools/make_anki_fixtures.py update`): v2 is
v1 with one answer corrected, one note added, one deleted, and a day more of study."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.commands import importing
from quiz.core.deckcache import CorruptEntry, DeckCache, read_header, read_notes
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.importers import ImportOptions, ids, import_file, target, update
from quiz.core.importers.assembler import ImportResult
from quiz.core.importers.update import DeckFolder, read_record, record_path
from quiz.core.model import Deck, Grade, Mode
from quiz.core.scheduler import Scheduler
from quiz.core.store import STORE_NAME, Store
from tests.conftest import run_cli as run
from tests.core.test_reimport_own_deck import MINE

DATA = Path(__file__).parents[1] / "data" / "anki" / "update"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
V1, V2 = EXPECTED["v1"], EXPECTED["v2"]
EDITED, ADDED, DELETED = (ids.id_from_guid(EXPECTED[what]) for what in ("edited", "added", "deleted"))
LAST_ANKI_ANSWER = datetime.fromtimestamp(max(V2["revlog_ids"]) / 1000, UTC)
LATER = LAST_ANKI_ANSWER + timedelta(days=1)  # after every answer Anki logged


@contextmanager
def opened(folder: Path) -> Iterator[Store]:
    store = Store.in_folder(folder)
    try:
        yield store
    finally:
        store.close()


def deck_file(tmp_path: Path) -> Path:
    return tmp_path / "decks" / "v1.yaml"


def quiz_import(tmp_path: Path, capsys, name: str, *flags: str) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / name), *flags)


def deck(tmp_path: Path) -> Deck:
    loaded = load_deck_file(deck_file(tmp_path)).deck
    assert loaded is not None
    return loaded


def note_of(tmp_path: Path, note_id: str):  # noqa: ANN201 - a Note
    return next((note for note in deck(tmp_path).notes if note.id == note_id), None)


def edit(tmp_path: Path, old: str, new: str) -> None:
    text = deck_file(tmp_path).read_text(encoding="utf-8")
    assert text.count(old) == 1
    deck_file(tmp_path).write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def first(tmp_path: Path, capsys, monkeypatch) -> Path:
    """v1 imported into the deck folder, with its history, the day after Anki's last answer."""
    monkeypatch.setenv("QUIZ_NOW", LATER.isoformat())
    code, out, err = quiz_import(tmp_path, capsys, "v1.apkg")
    assert code == 0, err
    assert f"history: {V1['revlog_count']} reviews" in out
    return tmp_path


def test_an_untouched_deck_takes_the_new_version_and_keeps_its_ids_and_history(first: Path, capsys) -> None:
    before = {note.id for note in deck(first).notes}
    with opened(first) as store:
        states = store.states("v1")
    code, out, err = quiz_import(first, capsys, "v2.apkg")  # no --deck-id: its GUIDs find the deck v1 made
    assert code == 0, err
    assert not (first / "decks" / "v2.yaml").exists()
    assert "updated: 1 updated, 1 new, 4 unchanged, 1 gone from v2.apkg, 0 changed by both v2.apkg and you" in out
    after = {note.id for note in deck(first).notes}
    assert after == before | {ADDED}  # the deleted note is kept: listed, not removed
    assert note_of(first, EDITED).body.back == "Vitamin K"
    assert f"  {DELETED}  Antidote for opioids?" in out.splitlines()
    with opened(first) as store:
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"]))  # the new day's, once
        assert set(states) <= set(store.states("v1"))  # every card keeps its place in the store


def test_importing_the_same_package_again_changes_nothing(first: Path, capsys) -> None:
    deck_bytes, record_bytes = deck_file(first).read_bytes(), record_path(deck_file(first)).read_bytes()
    with opened(first) as store:
        reviews, states = store.review_count(), store.states("v1")
    code, out, err = quiz_import(first, capsys, "v1.apkg")
    assert code == 0, err
    assert "0 updated, 0 new, 6 unchanged, 0 gone" in out and "the deck file is unchanged" in out
    assert deck_file(first).read_bytes() == deck_bytes and record_path(deck_file(first)).read_bytes() == record_bytes
    with opened(first) as store:
        assert store.review_count() == reviews == V1["revlog_count"] and store.states("v1") == states


def _update_parsing(first: Path, capsys, monkeypatch, *, cache: bool) -> tuple[list[str], str, bytes, bytes]:
    """v2 imported onto v1: the deck files the plan parsed itself, what the import printed, the deck file and its
    record written; `cache`: whether the deck cache may give her deck back."""
    parsed: list[str] = []
    parse = target.parse_deck
    monkeypatch.setattr(target, "parse_deck", lambda data, path, **kw: parsed.append(path) or parse(data, path, **kw))
    if not cache:
        monkeypatch.setattr(DeckCache, "cached", lambda self, path, data: None)
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    return parsed, out, deck_file(first).read_bytes(), record_path(deck_file(first)).read_bytes()


def test_an_update_reads_her_deck_back_from_the_deck_cache_and_writes_what_a_parse_of_it_would(
    first: Path, tmp_path_factory, capsys, monkeypatch
) -> None:
    """The library has just parsed the deck file (or read it from the cache): the update takes her deck from the
    cache entry, without parsing it a second time (a shared deck's parse leaves tens of MB among what the import
    holds), and writes the same as when it parses the file (no entry: the cache folder not writable)."""
    other = tmp_path_factory.mktemp("parsed")
    shutil.copytree(first, other, dirs_exist_ok=True)
    parsed, *written = _update_parsing(first, capsys, monkeypatch, cache=True)
    assert parsed == []
    assert "updated: 1 updated, 1 new, 4 unchanged, 1 gone from v2.apkg" in written[0]
    monkeypatch.undo()
    monkeypatch.setenv("QUIZ_NOW", LATER.isoformat())
    parsed, *without = _update_parsing(other, capsys, monkeypatch, cache=False)
    assert parsed == [str(deck_file(other))]
    assert [part.replace(str(other), str(first)) for part in without[:1]] + without[1:] == written


def _entries_damaged_after_the_plan_read_them(
    folder: Path, monkeypatch, damage: str, saved: bytes | None = None
) -> list[Path]:
    """Her deck's deck cache entry (its notes part) damaged in place while the update plans, after the library
    read it: garbage before the plan reads the deck's index from it (the notes then read with the index, the
    file being small), cut short after (the notes read later, from the file held open); `saved`: the deck file
    her editor saves meanwhile."""
    damaged: list[Path] = []
    cached = DeckCache.cached

    def damaged_meanwhile(self: DeckCache, path: str, data: bytes) -> Any:
        entry = self.entry(self.key(path, data))
        content = entry.read_bytes()
        if damage == "garbage":
            with open(entry, "r+b") as file:
                file.seek(len(content) - 40)
                file.write(bytes(byte ^ 0x5A for byte in content[-40:]))
        found = cached(self, path, data)
        if damage == "truncated":
            with open(entry, "r+b") as file:  # in place: the entry held open sees it
                file.truncate(len(content) - 40)
        damaged.append(entry)
        if saved is not None:
            deck_file(folder).write_bytes(saved)
        return found

    monkeypatch.setattr(DeckCache, "cached", damaged_meanwhile)
    return damaged


def _readable(entry: Path) -> bool:
    with open(entry, "rb") as file:
        try:
            header = read_header(file, os.fstat(file.fileno()).st_size)
        except CorruptEntry:
            return False
    try:
        read_notes(entry, header)
    except CorruptEntry:
        return False
    return True


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_an_update_whose_cached_deck_is_damaged_meanwhile_parses_the_deck_it_read(
    first: Path, capsys, monkeypatch, damage: str
) -> None:
    """The cache entry's notes part damaged while the update plans: her deck parsed from the bytes the plan read,
    the update as without it, the entry written again."""
    damaged = _entries_damaged_after_the_plan_read_them(first, monkeypatch, damage)
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert damaged and "updated: 1 updated, 1 new, 4 unchanged, 1 gone from v2.apkg" in out
    assert note_of(first, EDITED).body.back == "Vitamin K"
    assert all(_readable(entry) for entry in damaged)  # written again, for the next start


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_an_update_whose_cached_deck_is_damaged_while_she_saves_it_is_refused_without_a_traceback(
    first: Path, capsys, monkeypatch, damage: str
) -> None:
    """As above, and her editor saves the deck meanwhile: the cache re-read the deck file, found it changed and
    raised DeckCacheLost out of the import (a traceback). The plan's own bytes are parsed now, and the import
    refuses at writing, as for any edit saved while it ran: her save is kept, and the import runs again."""
    saved = deck_file(first).read_bytes().replace(b"back: Naloxone\n", b"back: Naloxone (IV)\n")
    assert b"Naloxone (IV)" in saved
    _entries_damaged_after_the_plan_read_them(first, monkeypatch, damage, saved)
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 1 and "was changed while the import ran" in err and "nothing was imported" in err, err
    assert deck_file(first).read_bytes() == saved
    monkeypatch.undo()
    monkeypatch.setenv("QUIZ_NOW", LATER.isoformat())
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert note_of(first, EDITED).body.back == "Vitamin K"
    assert "back: Naloxone (IV)\n" in deck_file(first).read_text(encoding="utf-8")


def test_an_update_holds_through_its_history_only_what_the_history_needs(first: Path, capsys, monkeypatch) -> None:
    """Each card of v2 is where v1's import logged its answers: no home of the record's (one an Anki card, a
    shared deck's tens of thousands) is given to the history; the deck folder's records' GUIDs and the package's
    notes beside the plan's (the deck's notes now) are let go before it."""
    # what an earlier failed import left for the collector (its exception's traceback holds its frames, and
    # ExitStack.__exit__ holds the exception: a cycle) is not this import's
    gc.collect()
    given: list[object] = []
    held: list[object] = []
    history = importing.anki_history

    def watched(*args: Any) -> Any:
        given.append(args[-1])
        found = gc.get_objects()
        held.extend(o for o in found if isinstance(o, DeckFolder) or isinstance(o, ImportResult) and o.notes)
        return history(*args)

    monkeypatch.setattr(importing, "anki_history", watched)
    code, _, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert given == [{}] and held == []


def test_the_record_s_notes_are_the_deck_file_s_only_while_it_holds_the_text_the_import_wrote(first: Path) -> None:
    """An update takes the record's notes from the deck file it parsed, instead of parsing the record's copy of
    its text again, only while the file still holds that text: after her edit they are still the record's."""
    path = deck_file(first)
    recorded = read_record(path)
    assert recorded is not None and EDITED in recorded.notes
    assert read_record(path, (path.read_bytes(), deck(first))) == recorded
    edit(first, f"id: {EDITED}\n", f"id: {EDITED}-mine\n")
    assert read_record(path, (path.read_bytes(), deck(first))) == recorded


def test_your_edits_are_kept_and_a_note_both_changed_is_listed_until_replace(first: Path, capsys) -> None:
    edit(first, "back: Vitamin C\n", "back: Vitamin C (sic)\n")  # the note v2 corrects
    edit(first, "back: N-acetylcysteine\n", "back: N-acetylcysteine\n    explain: within 8 hours\n")
    edit(
        first,
        "    front: Antidote for heparin?\n    back: Protamine\n",
        "    front: Antidote for heparin?\n    back: Prot\n",
    )
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert "1 changed by both v2.apkg and you" in out
    assert "kept as you have them: 2 notes you edited" in out
    assert f"  {EDITED}  Antidote for warfarin?" in err
    assert "    v2.apkg: back: 'Vitamin C' -> 'Vitamin K'" in err
    assert "    you: back: 'Vitamin C' -> 'Vitamin C (sic)'" in err
    assert "pass --replace to take the version of v2.apkg" in err.splitlines()[-1]
    assert note_of(first, EDITED).body.back == "Vitamin C (sic)"  # kept
    assert note_of(first, ADDED) is not None  # what you did not touch came in
    code, out, err = quiz_import(first, capsys, "v2.apkg")  # still a conflict: nothing taken silently
    assert "1 changed by both" in out and "--replace" in err
    code, out, err = quiz_import(first, capsys, "v2.apkg", "--replace")
    assert code == 0 and err == ""
    assert "took the version of v2.apkg of 1 note you had changed too:" in out
    assert note_of(first, EDITED).body.back == "Vitamin K"
    paracetamol = next(n for n in deck(first).notes if getattr(n.body, "front", "") == "Antidote for paracetamol?")
    assert paracetamol.explain == "within 8 hours"  # the package did not change it: yours, even with --replace
    assert any(getattr(n.body, "back", "") == "Prot" for n in deck(first).notes)


def test_a_note_you_deleted_stays_deleted(first: Path, capsys) -> None:
    text = deck_file(first).read_text(encoding="utf-8")
    start = text.index("  - id: ", text.index("Antidote for heparin?") - 60)
    end = text.index("  - id: ", start + 1)
    deck_file(first).write_text(text[:start] + text[end:], encoding="utf-8")
    code, out, err = quiz_import(first, capsys, "v2.apkg", "--replace")
    assert code == 0, err
    assert "1 you deleted" in out
    assert not any(getattr(n.body, "front", "") == "Antidote for heparin?" for n in deck(first).notes)


def test_notes_gone_from_the_package_are_removed_only_when_asked_and_their_history_stays(first: Path, capsys) -> None:
    assert quiz_import(first, capsys, "v2.apkg")[0] == 0
    assert note_of(first, DELETED) is not None
    with opened(first) as store:
        reviews = store.review_count()
        kept = [key for key in store.states("v1") if key.startswith(DELETED)]
    assert kept
    code, out, err = quiz_import(first, capsys, "v2.apkg", "--remove-missing")
    assert code == 0, err
    assert "removed, gone from v2.apkg (1 note; their history stays in quiz):" in out
    assert f"  {DELETED}  Antidote for opioids?" in out.splitlines()
    assert note_of(first, DELETED) is None
    with opened(first) as store:
        assert store.review_count() == reviews and all(key in store.states("v1") for key in kept)


def test_a_gone_note_you_edited_is_removed_only_with_replace(first: Path, capsys) -> None:
    assert quiz_import(first, capsys, "v2.apkg")[0] == 0
    edit(first, "back: Naloxone\n", "back: Naloxone (IV)\n")
    code, out, _ = quiz_import(first, capsys, "v2.apkg", "--remove-missing")
    assert code == 0 and "(edited by you: removed only with --replace)" in out
    assert note_of(first, DELETED) is not None
    assert quiz_import(first, capsys, "v2.apkg", "--remove-missing", "--replace")[0] == 0
    assert note_of(first, DELETED) is None


def test_your_own_reviews_are_kept_and_the_newer_schedule_wins(first: Path, capsys, monkeypatch) -> None:
    with opened(first) as store:
        key, state = next(iter(store.states("v1").items()))
        after = Scheduler(store.settings()).review(1, state, Grade.GOOD, LATER)
        store.record_review("v1", key, Grade.GOOD, LATER, 1000, Mode.REVIEW, state, after)
        others = {k: s for k, s in store.states("v1").items() if k != key}
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    with opened(first) as store:
        assert store.state("v1", key) == after  # answered in quiz after Anki's last answer
        assert len([r for r in store.reviews("v1", key) if r.reviewed_at == LATER]) == 1
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"])) + 1
        newer = [k for k, s in store.states("v1").items() if k in others and s != others[k]]
    assert newer  # cards Anki answered on v2's day take Anki's newer schedule


def test_a_text_export_with_guids_updates_the_same_notes(first: Path, capsys) -> None:
    code, out, err = quiz_import(first, capsys, "v2.txt")
    assert code == 0, err
    assert "updated: 1 updated, 1 new, 4 unchanged, 1 gone from v2.txt" in out
    assert note_of(first, EDITED).body.back == "Vitamin K" and note_of(first, ADDED) is not None


def test_another_deck_s_package_onto_this_deck_is_refused(first: Path, capsys) -> None:
    before = deck_file(first).read_bytes()
    other = Path(__file__).parents[1] / "data" / "anki" / "fsrs.apkg"
    code, _, err = run(capsys, "--data-dir", str(first), "import", str(other), "--deck-id", "v1")
    assert code == 1
    assert err.splitlines()[-1] == (
        f"quiz: {deck_file(first)} holds deck 'v1' (imported from v1.apkg), which has none of the notes of"
        " fsrs.apkg: it is another deck; pass --deck-id NEW_ID to import it as a deck of its own, or --replace to"
        " overwrite that one"
    )
    assert deck_file(first).read_bytes() == before
    code, _, _ = run(
        capsys, "--data-dir", str(first), "import", str(other)
    )  # its GUIDs are no deck's: a deck of its own
    assert code == 0 and (first / "decks" / "fsrs.yaml").exists() and deck_file(first).read_bytes() == before


def test_a_deck_file_you_broke_is_named_and_left_alone(first: Path, capsys) -> None:
    edit(
        first,
        "    kind: basic\n    front: Antidote for heparin?",
        "    kind: nonsense\n    front: Antidote for heparin?",
    )
    before = deck_file(first).read_bytes()
    code, _, err = quiz_import(first, capsys, "v2.apkg", "--replace")
    assert code == 1 and f"{deck_file(first)}:" in err and "fix them, then import again" in err
    assert deck_file(first).read_bytes() == before


@pytest.mark.parametrize("broken", [False, True])
def test_a_deck_moved_into_a_subfolder_with_its_record_is_the_one_its_next_version_updates(
    first: Path, capsys, broken: bool
) -> None:
    """Decks load from subfolders, and so its record is found there: it was looked for at the top of the deck
    folder only, so v2 came in as a new deck 'v2', its history logged a second time. A deck there that does
    not load is named and left alone, as at the top, no deck written beside it."""
    moved = first / "decks" / "pharma" / "v1.yaml"
    moved.parent.mkdir()
    record_path(deck_file(first)).rename(record_path(moved))
    deck_file(first).rename(moved)
    if broken:
        moved.write_text(moved.read_text(encoding="utf-8").replace("kind: basic", "kind: nonsense", 1), "utf-8")
    before = moved.read_bytes()
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert sorted(path.name for path in (first / "decks").iterdir()) == ["pharma"]  # no v1.yaml, no v2.yaml
    if broken:
        assert code == 1 and f"{moved}:" in err and "fix them, then import again" in err
        assert moved.read_bytes() == before
        return
    assert code == 0, err
    assert "updated: 1 updated, 1 new, 4 unchanged" in out
    record = read_record(moved)
    assert record is not None and ADDED in record.notes
    with opened(first) as store:
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"]))  # the new day's, once


def test_a_copy_of_the_record_left_in_a_subfolder_is_not_taken_for_the_deck_s(first: Path, capsys) -> None:
    """A record with no deck file beside it, sorted before the deck's own (`decks/a/`): the deck's is the one
    read, so the deck is not taken for deleted and its next version updates it."""
    left = first / "decks" / "a" / "v1.yaml"
    left.parent.mkdir()
    record_path(left).write_bytes(record_path(deck_file(first)).read_bytes())
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert "updated: 1 updated, 1 new, 4 unchanged" in out and not left.exists()


@pytest.mark.parametrize(
    ("deck_to", "record_to"),
    [
        ("pharma/v1.yaml", "v1.yaml"),
        ("mine.yaml", "v1.yaml"),
        ("v1.yaml", "pharma/v1.yaml"),
        ("mine.yaml", "mine.yaml"),
        ("pharma/mine.yaml", "pharma/mine.yaml"),
    ],
    ids=["deck moved", "deck renamed", "record moved", "both renamed", "both renamed into a subfolder"],
)
def test_a_deck_moved_or_renamed_without_its_record_is_the_one_its_next_version_updates(
    first: Path, capsys, deck_to: str, record_to: str
) -> None:
    """The record is paired with the deck that loads under its id, wherever it is: it was paired by file name
    only, so the deck was taken for deleted and v2 came in as a new deck 'v2', its history logged twice. The
    record is moved beside the deck: one record, where the next update finds it. Both renamed, the record's deck
    is the one its own text names: taken by its file's name, v2's history went to a deck 'mine' no deck has."""
    decks = first / "decks"
    (decks / "pharma").mkdir()
    record = record_path(decks / record_to)
    record_path(deck_file(first)).rename(record)
    moved = deck_file(first).rename(decks / deck_to)
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert "updated: 1 updated, 1 new, 4 unchanged" in out
    assert sorted(path.relative_to(decks).as_posix() for path in decks.rglob("*.*")) == sorted(
        [moved.relative_to(decks).as_posix(), record_path(moved).relative_to(decks).as_posix()]
    )
    with opened(first) as store:
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"]))  # the new day's, once


def test_a_deck_linked_back_from_where_she_moved_it_with_its_record_keeps_its_history(first: Path, capsys) -> None:
    """Moved to `real/mine.yaml` with its record, and linked back as `v1.yaml`: v2 updates it, its history once."""
    real = first / "decks" / "real" / "mine.yaml"
    real.parent.mkdir()
    record_path(deck_file(first)).rename(record_path(real))
    deck_file(first).rename(real)
    deck_file(first).symlink_to(Path("real") / "mine.yaml")
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert "updated: 1 updated, 1 new, 4 unchanged" in out
    with opened(first) as store:
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"]))


def test_a_record_linked_from_elsewhere_is_linked_again_beside_the_deck_moved_without_it(first: Path, capsys) -> None:
    """Its record kept in `decks/.records/`, linked by a relative link, and the deck moved into `pharma/`: the link
    moved as it was led nowhere, so v2 found no record and took Anki's fix for a change of hers."""
    decks = first / "decks"
    (decks / ".records").mkdir()
    record = record_path(deck_file(first))
    record.rename(decks / ".records" / record.name)
    record.symlink_to(Path(".records") / record.name)
    moved = decks / "pharma" / "v1.yaml"
    moved.parent.mkdir()
    deck_file(first).rename(moved)
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert "updated: 1 updated, 1 new, 4 unchanged" in out and "kept as you have it" not in out + err
    assert not os.path.lexists(record) and read_record(moved) is not None


def test_two_decks_files_swapped_are_refused_naming_both_records(first: Path, capsys) -> None:
    """v1.yaml and current.yaml swapped, their records left: the record beside each file is the other deck's. It
    is never overwritten (v1's record was written over current's, and current's next version then showed Anki's
    fix as a conflict); the import is refused naming both, nothing written."""
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(DATA.parent / "current.apkg"))
    assert code == 0, err
    decks = first / "decks"
    v1, current = decks / "v1.yaml", decks / "current.yaml"
    v1_text, current_text = v1.read_bytes(), current.read_bytes()
    v1.write_bytes(current_text)
    current.write_bytes(v1_text)
    before = {path: path.read_bytes() for path in decks.rglob("*") if path.is_file()}
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 1
    assert f"{record_path(current)} is the import record of deck 'current', not of deck 'v1'" in err
    assert f"(its record is {record_path(v1)})" in err
    assert {path: path.read_bytes() for path in decks.rglob("*") if path.is_file()} == before


def test_a_failure_while_writing_leaves_the_old_deck_and_history(first: Path, capsys, monkeypatch) -> None:
    before = deck_file(first).read_bytes()
    record = record_path(deck_file(first)).read_bytes()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    calls = []
    real = importing.atomic_write

    def failing_second(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - atomic_write's own
        calls.append(args[0])
        return real(*args, **kwargs) if len(calls) == 1 else full_disk()

    monkeypatch.setattr(importing, "atomic_write", failing_second)
    monkeypatch.setattr(update, "atomic_write", failing_second)  # the record's
    code, _, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 1 and "No space left on device" in err
    assert deck_file(first).read_bytes() == before and record_path(deck_file(first)).read_bytes() == record
    with opened(first) as store:
        assert store.review_count() == V1["revlog_count"]


def test_a_deck_without_an_import_record_treats_every_difference_as_yours(first: Path, capsys) -> None:
    record_path(deck_file(first)).unlink()  # as a deck imported before quiz kept records
    code, out, err = quiz_import(first, capsys, "v2.apkg", "--deck-id", "v1")  # nothing tells it the deck
    assert code == 0
    assert "1 changed by both" in out and "you: not known (no record of what quiz wrote before)" in err
    assert note_of(first, EDITED).body.back == "Vitamin C" and note_of(first, ADDED) is not None
    assert quiz_import(first, capsys, "v2.apkg", "--deck-id", "v1", "--replace")[0] == 0
    assert note_of(first, EDITED).body.back == "Vitamin K"


def test_a_quiz_review_is_never_written_twice_by_two_imports(first: Path, capsys) -> None:
    assert quiz_import(first, capsys, "v2.apkg")[0] == 0
    assert quiz_import(first, capsys, "v2.apkg")[0] == 0
    assert quiz_import(first, capsys, "v1.apkg", "--replace")[0] == 0
    with opened(first) as store:
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"]))


def test_a_new_note_comes_with_its_history(first: Path, capsys) -> None:
    assert quiz_import(first, capsys, "v2.apkg")[0] == 0
    with opened(first) as store:
        assert any(key.startswith(ADDED) for key in store.states("v1"))  # studied in Anki on v2's day


def test_a_note_you_deleted_that_the_package_changes_is_listed_and_back_with_replace(first: Path, capsys) -> None:
    text = deck_file(first).read_text(encoding="utf-8")
    start = text.index(f"  - id: {EDITED}")
    end = text.index("  - id: ", start + 1)
    deck_file(first).write_text(text[:start] + text[end:], encoding="utf-8")
    code, _, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0 and f"  {EDITED}  Antidote for warfarin?" in err and "    you: deleted it" in err
    assert note_of(first, EDITED) is None
    assert quiz_import(first, capsys, "v2.apkg", "--replace")[0] == 0
    assert note_of(first, EDITED).body.back == "Vitamin K"


def test_her_export_imported_back_leaves_her_edits_her_own_and_her_deletions_hers_at_the_next_version(
    first: Path,
    capsys,  # noqa: ANN001
) -> None:
    """Her export carries her version of every note: imported back, it is no new version of the shared deck, so
    the shared deck again (v1) neither overwrites her edit, nor takes her own note for one gone from it (removed
    by --remove-missing), nor brings back the note she deleted."""
    edit(first, "back: N-acetylcysteine\n", "back: N-acetylcysteine\n    explain: within 8 hours\n")
    text = deck_file(first).read_text(encoding="utf-8")
    start = text.index("  - id: ", text.index("Antidote for heparin?") - 60)
    end = text.index("  - id: ", start + 1)
    own = "  - id: mine\n    kind: basic\n    front: Antidote for digoxin?\n    back: Digifab\n\n"
    deck_file(first).write_text(text[:start] + own + text[end:], encoding="utf-8")
    mine = first / "mine.apkg"
    code, _, err = run(capsys, "--data-dir", str(first), "export", "v1", "-o", str(mine))
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(mine), "--deck-id", "v1")
    assert code == 0 and "the deck file is unchanged" in out, err
    code, out, err = quiz_import(first, capsys, "v1.apkg", "--remove-missing")
    assert code == 0 and err == "", err
    kept = "kept as you have them: 1 note you edited, 1 you deleted (v1.apkg does not change them), 1 of your own"
    assert kept in out
    fronts = {getattr(note.body, "front", ""): note for note in deck(first).notes}
    assert fronts["Antidote for paracetamol?"].explain == "within 8 hours"
    assert "Antidote for digoxin?" in fronts and "Antidote for heparin?" not in fronts


def test_her_export_imported_back_leaves_the_next_version_to_find_the_deck_by_anki_s_guids(
    first: Path,
    capsys,  # noqa: ANN001
) -> None:
    """quiz's export names each note by a GUID of its own: imported back, it replaced Anki's GUIDs in the record,
    so v2 (no --deck-id) no longer found the deck v1 made, and came in as a second deck with its history again."""
    mine = first / "mine.apkg"
    code, _, err = run(capsys, "--data-dir", str(first), "export", "v1", "-o", str(mine), "--with-scheduling")
    assert code == 0, err
    code, _, err = run(capsys, "--data-dir", str(first), "import", str(mine), "--deck-id", "v1")
    assert code == 0, err
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert not (first / "decks" / "v2.yaml").exists()
    assert "updated: 1 updated, 1 new, 4 unchanged, 1 gone from v2.apkg" in out
    with opened(first) as store:
        assert store.review_count() == len(set(V1["revlog_ids"]) | set(V2["revlog_ids"]))


def test_a_fix_she_and_the_shared_deck_made_alike_lets_its_next_version_update_the_note(
    first: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capsys,  # noqa: ANN001
) -> None:
    """She fixes the answer v2 fixes, the same way: the note is the shared deck's again, so the next version (the
    author's, exported by his quiz) updates it. The record kept v1's text, and every later change was a conflict."""
    edit(first, "back: Vitamin C\n", "back: Vitamin K\n")
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0 and "0 changed by both" in out, err
    author = tmp_path_factory.mktemp("author")
    code, _, err = run(capsys, "--data-dir", str(author), "import", str(DATA / "v2.apkg"), "--deck-id", "v1")
    assert code == 0, err
    edit(author, "back: Vitamin K\n", "back: Vitamin K (phytonadione)\n")
    v3 = author / "v3.apkg"
    code, _, err = run(capsys, "--data-dir", str(author), "export", "v1", "-o", str(v3))
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(v3))
    assert code == 0 and "1 updated" in out and "0 changed by both" in out, out + err
    assert note_of(first, EDITED).body.back == "Vitamin K (phytonadione)"


def test_a_note_she_and_the_shared_deck_deleted_leaves_the_record(first: Path, capsys) -> None:  # noqa: ANN001
    """The record kept every note it ever held: one deleted by both stayed in it for good."""
    text = deck_file(first).read_text(encoding="utf-8")
    start = text.index(f"  - id: {DELETED}")
    deck_file(first).write_text(text[:start] + text[text.index("  - id: ", start + 1) :], encoding="utf-8")
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    record = json.loads(record_path(deck_file(first)).read_text(encoding="utf-8"))
    assert DELETED not in record["deck"] and DELETED not in record["guids"]
    assert ids.id_from_guid(EXPECTED["added"]) in record["deck"]  # the record is v2's


SOURCED = """deck: sourced
title: Sourced
sources:
  - id: bnf
    title: British National Formulary
cards:
  - id: nac
    kind: basic
    front: Antidote for paracetamol?
    back: {back}
    sources: [bnf]
"""


def test_a_source_you_took_out_comes_back_only_with_the_file_s_note(tmp_path: Path, capsys) -> None:
    """The file's version of a note citing a source your deck no longer declares brings the declaration back, as a
    package's does (the update was refused whole); your version, kept, cites none, and none is added."""
    package = tmp_path / "sourced.yaml"
    package.write_text(SOURCED.format(back="N-acetylcysteine"), encoding="utf-8")
    assert run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(package))[0] == 0
    mine = tmp_path / "data" / "decks" / "sourced.yaml"
    text = mine.read_text(encoding="utf-8")
    text = text.replace("sources:\n  - id: bnf\n    title: British National Formulary\n", "")
    mine.write_text(text.replace("    sources: [bnf]\n", ""), encoding="utf-8")  # you took the source out
    package.write_text(SOURCED.format(back="Acetylcysteine"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(package))
    assert "1 changed by both" in out and "--replace" in err  # yours kept
    assert "sources added" not in out and "bnf" not in mine.read_text(encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(package), "--replace")
    assert code == 0, err
    assert "sources added: bnf" in out
    deck = load_deck_file(mine).deck
    assert deck is not None
    assert [s.id for s in deck.sources] == ["bnf"] and deck.notes[0].sources == ("bnf",)


def studied_again() -> str:
    """The key of a card (of a note v1 had) that Anki answered again on v2's day."""
    before = {card["id"]: card["revlog"] for note in V1["notes"] for card in note["cards"]}
    again = {card["id"] for note in V2["notes"] for card in note["cards"] if card["revlog"] > before.get(card["id"], 0)}
    result = import_file(DATA / "v2.apkg", ImportOptions(deck_id="v1"))
    return next(
        card.key
        for note in result.notes
        for card, anki_id in zip(cards_of("v1", note), result.anki_cards[note.id], strict=True)
        if anki_id in again and anki_id in before
    )


def test_a_card_you_suspended_in_quiz_stays_suspended_under_anki_s_newer_schedule(first: Path, capsys) -> None:
    key = studied_again()
    with opened(first) as store:
        state = store.state("v1", key)
        assert state is not None
        store.set_state("v1", key, replace(state, suspended=True))
    assert quiz_import(first, capsys, "v2.apkg")[0] == 0
    with opened(first) as store:
        now = store.state("v1", key)
    assert now is not None and now.suspended and now.due != state.due  # Anki's newer schedule, still suspended


def through_anki(folder: Path, packages: list[Path], change: Callable[[Any], object] = lambda col: None) -> Path:
    """The packages imported into one new Anki collection, changed there by `change(collection)`, and the whole
    collection exported from Anki: the package that export wrote."""
    collection = pytest.importorskip("anki.collection")
    back = folder / "back.apkg"
    col = collection.Collection(str(folder / "collection.anki2"))
    try:
        options = collection.ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
        for package in packages:
            col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(package), options=options))
        change(col)
        col.export_anki_package(
            out_path=str(back),
            options=collection.ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
            ),
            limit=None,
        )
    finally:
        col.close()
    return back


def quiz_export(folder: Path, capsys, deck_id: str) -> Path:  # noqa: ANN001
    package = folder / f"{deck_id}-export.apkg"
    code, _, err = run(capsys, "--data-dir", str(folder), "export", deck_id, "-o", str(package))
    assert code == 0, err
    return package


def her_export_through_anki(folder: Path, capsys, change: Callable[[Any], object]) -> str:  # noqa: ANN001
    """Her export of the deck v1 made, taken to Anki, changed there by `change(collection)`, exported from Anki
    and imported back (no --deck-id: quiz's GUIDs name the deck)."""
    back = through_anki(folder, [quiz_export(folder, capsys, "v1")], change)
    code, out, err = run(capsys, "--data-dir", str(folder), "import", str(back))
    assert code == 0 and not (folder / "decks" / "back.yaml").exists(), out + err
    return out


def anki_note(col: Any, front: str) -> Any:  # noqa: ANN401 - anki's Collection and Note
    (found,) = col.find_notes(f'"Front:{front}"')
    return col.get_note(found)


def test_an_edit_she_made_in_anki_to_her_export_stays_hers_at_the_next_version(first: Path, capsys) -> None:
    """The record took her edit for the shared deck's last version, so v2 (which leaves that note alone) put the
    shared deck's text back, counted as `updated`."""

    def edit_in_anki(col: Any) -> None:  # noqa: ANN401
        note = anki_note(col, "Antidote for paracetamol?")
        note["Back"] = "N-acetylcysteine, within 8 hours"
        col.update_note(note)

    said = her_export_through_anki(first, capsys, edit_in_anki)
    assert "1 updated" in said
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert "1 updated" in out and "0 changed by both" in out, out  # v2's own fix only
    assert "back: N-acetylcysteine, within 8 hours\n" in deck_file(first).read_text(encoding="utf-8")


def added_in_anki(near: str, front: str, back: str) -> Callable[[Any], None]:
    """A change adding a note in Anki (a GUID of Anki's) beside the note whose front is `near`, in its deck."""

    def add(col: Any) -> None:  # noqa: ANN401 - anki's Collection
        from anki.decks import DeckId

        beside = anki_note(col, near)
        note = col.new_note(beside.note_type())
        note["Front"], note["Back"] = front, back
        col.add_note(note, DeckId(beside.cards()[0].did))

    return add


def test_a_note_she_added_in_anki_to_her_export_is_hers_at_the_next_version(first: Path, capsys) -> None:
    """The record took her note for one the shared deck gave: v2 --remove-missing removed it as gone from v2."""
    add_in_anki = added_in_anki("Antidote for paracetamol?", "Antidote for iron overdose?", "Deferoxamine")
    said = her_export_through_anki(first, capsys, add_in_anki)
    assert "1 new" in said
    code, out, err = quiz_import(first, capsys, "v2.apkg", "--remove-missing")
    assert code == 0, err
    assert "Antidote for iron overdose?" not in out, out
    assert "front: Antidote for iron overdose?\n" in deck_file(first).read_text(encoding="utf-8")


def test_one_anki_collection_holding_the_shared_deck_and_her_own_deck_updates_each(first: Path, capsys) -> None:
    """The deck her own deck's quiz GUIDs name was taken though v1's record knows the shared deck's Anki GUIDs:
    the shared deck's notes came into her deck `mine`, with v1's answers logged again on new cards. Each of the two
    top-level Anki decks updates its own deck now, no answer logged twice."""
    mine = first / "decks" / "mine.yaml"
    mine.write_text(MINE, encoding="utf-8")
    whole = through_anki(first, [DATA / "v1.apkg", quiz_export(first, capsys, "mine")])
    with opened(first) as store:
        answers = store.review_count()
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(whole))
    assert code == 0, out + err
    assert "'Pharmacology' as deck 'v1' and 'Mine' as deck 'mine'" in out
    assert mine.read_text(encoding="utf-8") == MINE
    assert sorted(path.name for path in (first / "decks").glob("*.yaml")) == ["mine.yaml", "v1.yaml"]
    with opened(first) as store:
        assert store.review_count() == answers


def test_one_anki_collection_holding_her_own_deck_and_a_deleted_shared_deck_is_refused_naming_both(
    first: Path, capsys
) -> None:
    """v1's deck file deleted, its record (and answers) left: the collection is refused, naming both decks, as the
    shared deck's notes would come in as a new deck, v1's answers logged again. The refusal advised --deck-id, which
    does just that; the look-up passed over a record without its deck."""
    mine = first / "decks" / "mine.yaml"
    mine.write_text(MINE, encoding="utf-8")
    whole = through_anki(first, [DATA / "v1.apkg", quiz_export(first, capsys, "mine")])
    deck_file(first).unlink()
    with opened(first) as store:
        answers = store.review_count()
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(whole))
    assert code != 0 and "'mine'" in err and "'v1'" in err and "Include: that deck" in err, out + err
    assert "--deck-id" not in err and "its deck file deleted" in err, err
    assert mine.read_text(encoding="utf-8") == MINE
    with opened(first) as store:
        assert store.review_count() == answers


def test_a_friend_s_deck_imported_under_another_id_is_updated_by_its_next_package(tmp_path: Path, capsys) -> None:
    """A friend's deck `mine`, with a note the friend added in Anki, imported with --deck-id pals: the same
    package again was refused as belonging to `mine` (which she has not) and `pals`, though every note is pals'."""
    friend, her = tmp_path / "friend", tmp_path / "her"
    (friend / "decks").mkdir(parents=True)
    (friend / "decks" / "mine.yaml").write_text(MINE, encoding="utf-8")
    package = through_anki(friend, [quiz_export(friend, capsys, "mine")], added_in_anki("Alpha?", "Beta?", "two"))
    code, out, err = run(capsys, "--data-dir", str(her), "import", str(package), "--deck-id", "pals")
    assert code == 0 and "imported 2 notes" in out, out + err
    code, out, err = run(capsys, "--data-dir", str(her), "import", str(package))
    assert code == 0 and "0 new, 2 unchanged" in out, out + err
    assert not (her / "decks" / "mine.yaml").exists()


@pytest.mark.parametrize("in_quiz", ["edited", "deleted"])
def test_her_anki_edit_taken_with_replace_stays_hers_at_the_next_version(first: Path, capsys, in_quiz: str) -> None:
    """She edited a note of her export in Anki and edited (or deleted) it in quiz meanwhile; --replace took her
    Anki edit, and the record took it for the shared deck's: v2, which leaves that note alone, put v1's back."""

    def edit_in_anki(col: Any) -> None:  # noqa: ANN401
        note = anki_note(col, "Antidote for paracetamol?")
        note["Back"] = "N-acetylcysteine, within 8 hours"
        col.update_note(note)

    back = through_anki(first, [quiz_export(first, capsys, "v1")], edit_in_anki)
    text = deck_file(first).read_text(encoding="utf-8")
    if in_quiz == "edited":
        deck_file(first).write_text(text.replace("back: N-acetylcysteine\n", "back: NAC\n"), encoding="utf-8")
    else:
        start = text.rindex("  - id: ", 0, text.index("Antidote for paracetamol?"))
        deck_file(first).write_text(text[:start] + text[text.index("  - id: ", start + 1) :], encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(back), "--replace")
    assert code == 0 and "1 changed by both" in out, out + err
    code, out, err = quiz_import(first, capsys, "v2.apkg")
    assert code == 0, err
    assert "0 changed by both" in out, out
    assert "back: N-acetylcysteine, within 8 hours\n" in deck_file(first).read_text(encoding="utf-8"), out


def test_her_own_note_edited_in_anki_taken_with_replace_is_hers_at_the_next_version(first: Path, capsys) -> None:
    """A note she added in quiz, edited in Anki on her export, is changed by both (quiz has no version of it but
    hers): --replace took it into the record as the shared deck's, so v2 --remove-missing removed it as gone."""
    text = deck_file(first).read_text(encoding="utf-8")
    start = text.rindex("  - id: ", 0, text.index("Antidote for heparin?"))
    own = "  - id: mine\n    kind: basic\n    front: Antidote for digoxin?\n    back: Digifab\n\n"
    deck_file(first).write_text(text[:start] + own + text[start:], encoding="utf-8")

    def edit_in_anki(col: Any) -> None:  # noqa: ANN401
        note = anki_note(col, "Antidote for digoxin?")
        note["Back"] = "Digoxin immune Fab"
        col.update_note(note)

    back = through_anki(first, [quiz_export(first, capsys, "v1")], edit_in_anki)
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(back), "--replace")
    assert code == 0 and "1 changed by both" in out, out + err
    code, out, err = quiz_import(first, capsys, "v2.apkg", "--remove-missing")
    assert code == 0 and "Antidote for digoxin?" not in out, out + err
    assert note_of(first, "mine").body.back == "Digoxin immune Fab"


def friend_exports(  # noqa: ANN001
    folder: Path, capsys, monkeypatch, edits: list[Callable[[str], str]], apart: timedelta = timedelta(days=1)
) -> list[Path]:
    """Another quiz user's exports of the shared deck v1 they imported, one after each edit of their deck file,
    made `apart` from each other (a quiz export's Anki card ids count from its time)."""
    friend = folder / "friend"
    code, _, err = run(capsys, "--data-dir", str(friend), "import", str(DATA / "v1.apkg"))
    assert code == 0, err
    packages = []
    for number, edit_text in enumerate(edits, start=1):
        monkeypatch.setenv("QUIZ_NOW", (LATER + number * apart).isoformat())
        deck_file(friend).write_text(edit_text(deck_file(friend).read_text(encoding="utf-8")), encoding="utf-8")
        packages.append(quiz_export(friend, capsys, "v1").rename(folder / f"friend{number}.apkg"))
    return packages


def test_a_friend_s_second_export_changing_a_note_again_is_changed_by_both(first: Path, capsys, monkeypatch) -> None:
    """quiz cannot tell a friend's export of the shared deck from hers: what the first changed is taken for her
    edit, so the second's change to it asks for --replace rather than being taken silently (docs)."""
    sulfate, dose = "back: Protamine sulfate\n", "back: Protamine sulfate, 1 mg per 100 units\n"
    one, two = friend_exports(
        first / "x",
        capsys,
        monkeypatch,
        [lambda text: text.replace("back: Protamine\n", sulfate), lambda text: text.replace(sulfate, dose)],
    )
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(one))
    assert code == 0 and "1 updated" in out and "0 new" in out, out + err
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(two))
    assert code == 0 and "0 updated" in out and "1 changed by both" in out and "0 new" in out, out + err
    assert sulfate in deck_file(first).read_text(encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(two), "--replace")
    assert code == 0 and dose in deck_file(first).read_text(encoding="utf-8"), out + err


def test_two_quiz_exports_a_millisecond_apart_bring_each_note_as_itself(first: Path, capsys, monkeypatch) -> None:
    """quiz's export numbers its Anki cards from its moment, so the second export, a millisecond later, gives each
    card the id the first gave the card after it: those ids are no card's home. Taken for cards that moved in
    their notes, they renamed notes (`…-<card id>`), counted as new and gone."""
    one, two = friend_exports(first / "x", capsys, monkeypatch, [str, str], apart=timedelta(milliseconds=1))
    for package in (one, two):
        code, out, err = run(capsys, "--data-dir", str(first), "import", str(package))
        assert code == 0 and "0 new" in out and "0 gone" in out, out + err
    assert not re.search(r"id: anki-\w+-\d+", deck_file(first).read_text(encoding="utf-8"))


def test_a_note_a_friend_s_export_added_then_fixed_is_changed_by_both(first: Path, capsys, monkeypatch) -> None:
    """The note a friend's export added is taken for one she added (quiz cannot tell): the friend's next fix of
    it asks for --replace (docs)."""
    extra = "\n  - id: extra\n    kind: basic\n    front: Antidote for iron?\n    back: {}\n"
    one, two = friend_exports(
        first / "x",
        capsys,
        monkeypatch,
        [
            lambda text: text + extra.format("Deferoxamine"),
            lambda text: text.replace(extra.format("Deferoxamine"), extra.format("Deferoxamine (IV)")),
        ],
    )
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(one))
    assert code == 0 and "1 new" in out, out + err
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(two))
    assert code == 0 and "0 new" in out and "1 changed by both" in out and "you: not known" in err, out + err


@pytest.mark.parametrize("her_copy_first", [False, True])
def test_her_export_beside_the_shared_deck_in_one_anki_collection_comes_in_as_copies(
    first: Path, capsys, monkeypatch, her_copy_first: bool
) -> None:
    """One Anki collection holding the shared deck and her export of it: each note comes in twice, her copy with
    the edit and the answer she gave it there (docs: deleting the deck in Anki first avoids it). Her copy first
    in the package (Anki's note ids are times: her export made before the shared deck's notes), the shared
    deck's cards come in as the `-2` notes: the import said they had moved in their notes (a mask deleted)."""

    def study_her_copy(col: Any) -> None:  # noqa: ANN401
        found = [col.get_note(nid) for nid in col.find_notes('"Front:Antidote for paracetamol?"')]
        (note,) = [note for note in found if note.guid.startswith("quiz:")]
        note["Back"] = "N-acetylcysteine, within 8 hours"
        col.update_note(note)
        card = note.cards()[0]
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=3))

    with opened(first) as store:
        answers = store.review_count()
    if her_copy_first:
        monkeypatch.setenv("QUIZ_NOW", (LATER - timedelta(days=365)).isoformat())
    mine = quiz_export(first, capsys, "v1")
    monkeypatch.setenv("QUIZ_NOW", LATER.isoformat())
    whole = through_anki(first, [DATA / "v1.apkg", mine], study_her_copy)
    code, out, err = run(capsys, "--data-dir", str(first), "import", str(whole))
    assert code == 0 and "6 new" in out and "this card gets the id" in err, out + err
    assert "back: N-acetylcysteine, within 8 hours\n" in deck_file(first).read_text(encoding="utf-8")
    with opened(first) as store:
        assert store.review_count() == answers + 1
    assert ("the answers of 8 cards whose Anki card came in as another card" in out) == her_copy_first, out
    assert "holds the note twice" in out or not her_copy_first, out


def test_a_package_without_history_imported_again_makes_no_store(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """Its next import looks for a rename-card cut short in the store only when there is one: it made an empty
    store, which an import of cards only never did."""
    package = DATA.parent / "realworld" / "dup-a.apkg"
    for _ in range(2):
        code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(package))
        assert code == 0, err
    assert (tmp_path / "decks" / "dup-a.import.json").exists() and not (tmp_path / STORE_NAME).exists()


def test_a_record_s_deck_text_is_escaped_a_piece_at_a_time_into_the_json_of_the_whole(monkeypatch) -> None:
    """A shared deck's record is written as it is made: its deck text's JSON never held whole beside the text."""
    monkeypatch.setattr(update, "_PIECE", 4)
    deck = 'deck: d\ntitle: "Q\\\\A"\n\tcards: [] # é 😀 \x01\u2028 end'
    record = update.record_text("f.apkg", deck, {"n": "g"}, {"p.png": "ab"}, {"a": "b"}, {7: "n"}, {"": "D"}, {"D": 5})
    pieces = list(record.pieces())
    assert all(len(piece) <= 4 * 6 for piece in pieces[1:])  # each at most a piece's characters, escaped
    whole = {"version": 1, "source": "f.apkg", "guids": {"n": "g"}, "pictures": {"p.png": "ab"}, "names": {"a": "b"}}
    whole |= {"homes": {"7": "n"}, "topics": {"": "D"}, "deck_ids": {"D": 5}, "deck": deck}
    assert "".join(pieces) == str(record) == json.dumps(whole, ensure_ascii=False) + "\n"
    assert json.loads(str(record))["deck"] == deck


def test_a_record_written_by_an_update_reads_back_when_the_notes_cite_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record of an update keeps the notes alone: a note citing a source made it a deck text that did not load,
    so the version after was all conflicts (`you: not known`), the teacher's fixes kept out."""
    teacher = tmp_path / "teacher" / "pharm.yaml"
    teacher.parent.mkdir()
    card = "  - {{id: {0}, kind: basic, front: Antidote for {1}?, back: {2}, sources: [bnf]}}\n"
    plain = "deck: pharm\ntitle: P\nsources:\n  - {id: bnf, title: BNF}\ncards:\n" + "".join(
        card.format(*note)
        for note in (("w", "warfarin", "K"), ("h", "heparin", "Protamine"), ("p", "paracetamol", "Acetylcysteine"))
    )
    teacher.write_text(plain, encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(teacher))[0] == 0
    copy = data / "decks" / "pharm.yaml"
    copy.write_text(copy.read_text(encoding="utf-8").replace("back: Protamine\n", "back: Protamine (mine)\n"))
    teacher.write_text(plain.replace("back: K,", "back: Vitamin K,"), encoding="utf-8")
    assert run(capsys, "--data-dir", str(data), "import", str(teacher))[0] == 0  # her edit kept: the record rewritten
    assert read_record(copy) is not None
    teacher.write_text(plain.replace("back: K,", "back: Vitamin K,").replace("Acetylcysteine", "NAC"), "utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(teacher))
    assert code == 0 and "not known" not in err and "  p  Antidote for paracetamol?  (back)" in out.splitlines()


def test_a_record_an_earlier_quiz_wrote_without_the_sources_its_notes_cite_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record an earlier quiz's update wrote kept notes citing sources without declaring them: it did not load, so
    its next version was all conflicts (`you: not known`), the teacher's fixes kept out, and rename-card refused
    the record as unreadable. Its cited sources are declared as it is read."""
    from quiz.core.cardstate import CardState
    from quiz.core.decks import parse_deck
    from quiz.core.deckwriter import deck_text

    teacher = tmp_path / "teacher" / "pharm.yaml"
    teacher.parent.mkdir()
    card = "  - {{id: {0}, kind: basic, front: Antidote for {1}?, back: {2}, sources: [bnf]}}\n"
    plain = "deck: pharm\ntitle: P\nsources:\n  - {id: bnf, title: BNF}\ncards:\n" + "".join(
        card.format(*note) for note in (("w", "warfarin", "K"), ("p", "paracetamol", "Acetylcysteine"))
    )
    teacher.write_text(plain, encoding="utf-8")
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(teacher))[0] == 0
    copy = data / "decks" / "pharm.yaml"
    record = read_record(copy)
    assert record is not None
    written = json.loads(record_path(copy).read_text(encoding="utf-8"))
    written["deck"] = deck_text("pharm", "pharm", list(record.notes.values()))  # as the earlier quiz wrote it
    assert parse_deck(written["deck"].encode("utf-8"), "", check_files=False).deck is None
    record_path(copy).write_text(json.dumps(written, ensure_ascii=False) + "\n", encoding="utf-8")
    copy.write_text(copy.read_text(encoding="utf-8").replace("back: K\n", "back: K (mine)\n"), encoding="utf-8")
    teacher.write_text(plain.replace("Acetylcysteine", "NAC"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(teacher))
    assert code == 0, err
    assert "not known" not in err and "  p  Antidote for paracetamol?  (back)" in out.splitlines()
    deck = load_deck_file(copy).deck
    assert deck is not None and [n.body.back for n in deck.notes] == ["K (mine)", "NAC"]
    store = Store.in_folder(data)
    store.record_review("pharm", "p", Grade.GOOD, LATER, 1000, Mode.REVIEW, None, CardState("basic"))
    store.close()
    written["deck"] = deck_text("pharm", "pharm", list(record.notes.values()))  # the earlier quiz's again
    record_path(copy).write_text(json.dumps(written, ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "rename-card", "--before-edit", "pharm", "p", "para")
    assert code == 0, err
    renamed = read_record(copy)
    assert renamed is not None and sorted(renamed.notes) == ["para", "w"]
