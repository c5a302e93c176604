"""The app's sync at start heals this machine's own files in the synced folder when a part is gone (deleted, or
the folder put back as it was before it): Home counts it among the problems, the sync at quit prints what it
did, and the other machine gets every event; at 80x24 without colour."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import screen_text

from quiz.core import syncfiles
from quiz.core.clock import FixedClock
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from quiz.core.sync import sync
from quiz.ui import autosync
from tests.conftest import START
from tests.ui.test_autosync import REVIEWED, SIZE


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_a_deleted_part_is_healed_by_the_sync_at_start(app_factory, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "Sync"
    folder.mkdir()
    other = Store.in_folder(tmp_path / "other", clock=FixedClock(START))
    app = app_factory()
    context = app.context
    store = context.store
    store.set_sync_folder(folder)
    store.record_review("uitest", "basic", Grade.GOOD, START, 3000, Mode.REVIEW, None, REVIEWED)
    sync(store, folder), sync(other, folder, host="other")  # the other machine reads it
    store.record_review("uitest", "basic", Grade.GOOD, START, 3000, Mode.REVIEW, REVIEWED, REVIEWED)
    sync(store, folder)  # this answer the other machine has not read
    own = folder / syncfiles.FOLDER / store.device / syncfiles.part_name(1)
    own.unlink()
    other.record_review("uitest", "cloze", Grade.GOOD, START, 3000, Mode.REVIEW, None, REVIEWED)
    sync(other, folder, host="other")  # reads nothing more of this machine's, sends its answer
    mine = len(store.read_events())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert f"sent {mine} change(s), received 1 from 1 other device(s); 1 problem(s), " in text
        assert "listed when you quit" in text
    capsys.readouterr()
    context.sync_at_quit(lambda: autosync.found_at_start(app))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("quiz: synced with") and "sent 0 event(s)" in lines[0] and "warning" not in lines[0]
    assert lines[1:] == [
        f"quiz: warning: {own}: gone (deleted, or its folder put back as it was before); its "
        f"{mine} missing event(s) sent again in events-000002.jsonl"
    ]
    sync(other, folder, host="other")
    assert {e.id for e in other.read_events()} == {e.id for e in store.read_events()} and other.review_count() == 3
    other.close()
