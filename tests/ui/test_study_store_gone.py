"""The study screen never says "Saved" for an answer the store refused because its file (or its whole folder) went,
and an answer it calls saved after the store's log was deleted is in the store file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import open_study, right_keys, screen_text

from quiz.core.backupfolder import list_backups
from quiz.core.store import STORE_NAME

SIZE = (100, 30)


async def test_an_answer_after_the_store_was_deleted_says_not_saved(app_factory, tmp_path: Path, capsys) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        assert "Saved: Good" in screen_text(app)
        (tmp_path / "data" / STORE_NAME).unlink()
        card = study.session.current
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        text = screen_text(app)
        assert "Not saved" in text and "Saved: Good" not in text
        assert "deleted or replaced" in text
        assert "press the grade again" not in text  # no retry can help
        assert study.answering and study.session.current is card  # the card did not move on
        assert app.context.store.review_count() == 1
    app.context.close()
    [kept] = list_backups(tmp_path / "data" / STORE_NAME)
    assert kept.reviews == 1  # what was saved before is backed up as quiz closes
    assert "quiz restore latest" in capsys.readouterr().err


async def test_a_data_folder_that_went_away_is_said_so_and_to_connect_it_again(
    app_factory, tmp_path: Path, capsys
) -> None:
    app = app_factory()
    data = tmp_path / "data"
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        data.rename(tmp_path / "share-disconnected")  # the home folder's network share went
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Not saved" in text and "went away while quiz had it open" in text
        assert "deleted or replaced" not in text
    app.context.close()
    err = " ".join(capsys.readouterr().err.split())
    assert "connect it again and start quiz: its store holds every answer saved before" in err


async def test_an_answer_saved_after_the_log_was_deleted_is_in_the_store_file(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    store_file = tmp_path / "data" / STORE_NAME
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        for suffix in ("-wal", "-shm"):  # a clean-up tool
            Path(f"{store_file}{suffix}").unlink()
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        assert "Saved: Good" in screen_text(app)
        # what a kill now would leave: the store file and the log at its path
        left = tmp_path / "left"
        left.mkdir()
        for suffix in ("", "-wal"):
            if Path(f"{store_file}{suffix}").exists():
                (left / f"{STORE_NAME}{suffix}").write_bytes(Path(f"{store_file}{suffix}").read_bytes())
        db = sqlite3.connect(left / STORE_NAME)
        try:
            assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 2
        finally:
            db.close()
    app.context.close()
