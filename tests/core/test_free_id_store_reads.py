"""The free deck id named for a deck id taken reads the store's deck ids: only when a clash needs them, never by a
start that was refused, never writing the store, once a command, and by index seeks, not a scan of every answer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.core.library import Library
from quiz.core.lock import AppLock
from quiz.core.store import STORE_NAME, Store
from tests.conftest import record_good, run_app_in_a_terminal, run_cli, run_main_process

DECK = "deck: {id}\ntitle: Deck {title}\ncards:\n  - {{id: {card}, kind: basic, front: Q, back: A}}\n"


def _clash(data: Path) -> Path:
    """A data folder whose deck folder has two files with deck id `pharm`: the later one is told a free id."""
    (data / "decks").mkdir(parents=True)
    for name in ("a", "b"):
        (data / "decks" / f"{name}.yaml").write_text(DECK.format(id="pharm", title=name, card=name))
    return data


def test_a_command_needing_no_store_leaves_an_empty_store_file_as_it_is(tmp_path: Path) -> None:
    """An empty quiz.sqlite3 (a sync that made it, a disk that filled) holds no deck id: reading it for the free
    id made it an 86 KB store, by `quiz new`, which never uses the store."""
    data = _clash(tmp_path / "data")
    (data / STORE_NAME).write_bytes(b"")
    made = run_main_process(data, "new", "Biology")
    assert made.returncode == 0, made.stderr
    assert (data / "decks" / "biology.yaml").is_file()
    assert (data / STORE_NAME).stat().st_size == 0


def test_a_second_app_refused_as_another_window_has_the_folder_opens_no_store_and_backs_nothing_up(
    tmp_path: Path,
) -> None:
    """Refused (AlreadyOpen), the second app still loaded the decks on its worker, and with a clash opened the
    store for the free id: closing, it made an automatic backup beside the window that holds the folder."""
    data = _clash(tmp_path / "data")
    store = Store.in_folder(data)
    record_good(store, "a", deck_id="pharm")  # an answer, and no backup yet: one is due
    store.close()
    before = (data / STORE_NAME).read_bytes()
    with AppLock(data).acquire():
        second = run_app_in_a_terminal(data)
    assert second.returncode == 1 and "already open in another window" in second.stderr
    assert not (data / "backups").exists()
    assert (data / STORE_NAME).read_bytes() == before


def test_a_library_s_repr_and_equality_leave_out_the_store_reader_it_was_given(tmp_path: Path) -> None:
    """The library keeps the context's reader of the store's deck ids, for a clash: its repr printed the whole
    context (175,000 characters for an empty folder), and two libraries of the same decks compared unequal."""
    context = Context.from_options(str(_clash(tmp_path / "data")))
    library = context.library
    assert "Context(" not in repr(library) and "deck_ids_with_history" not in repr(library)
    assert library == Library.load(library.folders, library.cache_dir, library.optional)


@pytest.mark.parametrize("validated", ["decks", "other.yaml"], ids=["deck-folder", "file-to-add"])
def test_validate_reads_the_store_s_deck_ids_once(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: str
) -> None:
    """The decks quiz loads read them for the later file's free id, then validate read them again for the files
    it checks."""
    data = _clash(tmp_path / "data")
    (data / "other.yaml").write_text(DECK.format(id="pharm", title="other", card="z"))
    store = Store.in_folder(data)
    record_good(store, "a", deck_id="pharm-2")
    store.close()
    reads = []
    read = Store.deck_ids_with_history
    monkeypatch.setattr(Store, "deck_ids_with_history", lambda store: reads.append(1) or read(store))
    _, out, _ = run_cli(capsys, "--data-dir", str(data), "validate", str(data / validated))
    assert "pharm-3 (the `deck:` line; no " in out and "pharm-2 (" not in out  # pharm-2 has history
    assert len(reads) == 1


def _steps(store: Store) -> tuple[frozenset[str], int]:
    """The store's deck ids, and how many SQLite instructions reading them took."""
    steps = []
    store.db.set_progress_handler(lambda: steps.append(1) and 0, 1)
    try:
        return store.deck_ids_with_history(), len(steps)
    finally:
        store.db.set_progress_handler(None, 1)


def test_the_store_s_deck_ids_are_read_by_seeks_not_by_reading_every_answer(store: Store) -> None:
    """Read before Home's first frame when a deck id is taken: a scan of the whole review log took ~100 ms at a
    million answers. The work now depends on the decks, not on how many answers they have."""
    for deck_id in ("b", "a", "c"):
        record_good(store, "k", deck_id=deck_id)
    ids, before = _steps(store)
    for _ in range(300):
        record_good(store, "k", deck_id="b")
    assert _steps(store) == (ids, before) and ids == {"a", "b", "c"}


def test_an_exam_result_whose_deck_is_no_text_is_no_deck_id_and_no_damage(tmp_path: Path, capsys) -> None:
    """An exam's kept detail whose "deck" is a list (JSON no quiz wrote: another tool's, an edit) raised
    "unhashable type" as the free id was named, said as a damaged store that `quiz check` found sound."""
    data = _clash(tmp_path / "data")
    store = Store.in_folder(data)
    detail = {"deck": ["pharm-3"], "mistakes": [{"deck": {"id": "pharm-4"}}, {"deck": "Pharm-2"}]}
    store.save_exam(datetime(2026, 1, 5, tzinfo=UTC), "Exam", 1, 2, 30.0, detail)
    assert store.deck_ids_with_history() == {"pharm-2"}
    store.close()
    code, out, err = run_cli(capsys, "--data-dir", str(data), "validate", str(data / "decks"))
    assert "damaged" not in err and "unhashable" not in err
    assert "change the deck id pharm to pharm-3 (the `deck:` line; no other deck, nor any history, has it)" in out
