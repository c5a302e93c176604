"""The study screen never says "Saved" for an answer the store refused because its file was deleted."""

from __future__ import annotations

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
