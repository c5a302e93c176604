"""The first start after an import: the backup due then (a copy and a check of the whole store, seconds for a big
one) is no longer taken before Home's first frame but on a thread once Home is drawn, through a store connection of
its own. Home says it runs and what came of it; an answer given meanwhile is saved, and in the next backup; the
backup is the store as it was when its copy began; quitting stops it, leaving no copy a restore could pick."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Static

from quiz.core import backup
from quiz.core.backupfolder import folder_of, list_backups
from quiz.core.clock import FixedClock
from quiz.core.store import STORE_NAME
from quiz.core.storehealth import verify
from quiz.ui import startbackup
from quiz.ui.app import QuizApp
from quiz.ui.screens.home import HomeScreen
from tests.conftest import HeldAtFirstLook, in_backups_folder, reviews_in_file, run_cli, run_main_process
from tests.core.test_anki_history import DATA, TODAY, TOMORROW
from tests.core.test_store_vanishing import _answers_a_kill_leaves as answers_a_kill_leaves
from tests.ui.conftest import make_app, open_study, right_keys, screen_text, static_text

SIZE = (100, 30)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldAtFirstLook:
    made = HeldAtFirstLook()
    monkeypatch.setattr("quiz.ui.app.Event", lambda: made)
    monkeypatch.setattr(backup, "_PAGES_A_STEP", 1)  # the copy takes many steps: the answer comes between two
    return made


def _imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str = "data"
) -> Path:
    """A data folder an Anki package with its review history was imported into, as `quiz import` leaves it."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    data = tmp_path / name
    code, _, err = run_cli(capsys, "--data-dir", str(data), "import", str(DATA / "current.colpkg"))
    assert code == 0, err
    monkeypatch.delenv("QUIZ_NOW")
    assert list_backups(data / STORE_NAME) == []  # the import takes none: the package is still hers
    return data


def _started(data: Path) -> QuizApp:
    """The app as `quiz` starts it: the start's checks, then the app."""
    app = make_app(data, FixedClock(TOMORROW), [])
    app.context.start_app()
    assert app.context.backup_due_at_start
    assert list_backups(data / STORE_NAME) == []  # not before the first frame
    return app


def _home_notes(app: QuizApp) -> str:
    """The lines under Home's deck list, each whole."""
    return static_text(app.screen.query_one("#home-notes", Static))


async def _backup_ended(pilot) -> None:
    """Once the backup's thread has ended and the app heard of it (Home's line no longer says it runs)."""
    for _ in range(3000):
        if pilot.app.backup_line != startbackup.RUNNING:
            return
        await pilot.pause(0.01)
    raise AssertionError("the start's backup did not end")


async def test_home_is_drawn_before_the_backup_an_answer_meanwhile_is_saved_and_backed_up_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, held: HeldAtFirstLook
) -> None:
    data = _imported(tmp_path, capsys, monkeypatch)
    store_path = data / STORE_NAME
    before = reviews_in_file(store_path)
    app = _started(data)
    async with app.run_test(size=SIZE) as pilot:
        assert await asyncio.to_thread(held.reached.wait, 30)  # the copy has begun, Home is up
        assert "Backup: backing up your progress" in _home_notes(app)
        study = await open_study(pilot)
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        assert "Saved: Good" in screen_text(app)
        assert reviews_in_file(store_path) == before + 1  # committed while the backup's snapshot is open
        held.go_on.set()
        await _backup_ended(pilot)
        [made] = list_backups(store_path)
        assert made.reviews == before == reviews_in_file(made.path)  # the store as it was when the copy began
        assert verify(made.path, checksum=made.checksum) == []
        while not isinstance(app.screen, HomeScreen):  # the session's end, its summary
            await pilot.press("escape")
            await pilot.pause()
        assert f"Backed up at {made.taken_at:%H:%M}, {before} answers in it" in _home_notes(app)
    app.context.close()  # the answer given meanwhile is in the backup taken as quiz closes
    newest = list_backups(store_path)[0]
    assert newest.reviews == before + 1 == reviews_in_file(newest.path) == reviews_in_file(store_path)


async def test_an_answer_given_as_the_backup_copies_after_the_log_was_deleted_is_in_the_file_once_it_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, held: HeldAtFirstLook
) -> None:
    """The log deleted while the backup copies: the answer is folded into the file once the backup's read ends,
    not left in the deleted log alone (which a kill or a power cut loses) until the next answer or the quit."""
    data = _imported(tmp_path, capsys, monkeypatch)
    before = reviews_in_file(data / STORE_NAME)
    app = _started(data)
    async with app.run_test(size=SIZE) as pilot:
        assert await asyncio.to_thread(held.reached.wait, 30)
        study = await open_study(pilot)
        for suffix in ("-wal", "-shm"):  # a clean-up tool
            (data / f"{STORE_NAME}{suffix}").unlink()
        await pilot.press(*right_keys(study), "3")
        await pilot.pause()
        assert "Saved: Good" in screen_text(app)
        held.go_on.set()
        await _backup_ended(pilot)
        assert answers_a_kill_leaves(data, tmp_path) == before + 1
    app.context.close()


async def test_quitting_during_the_backup_stops_it_and_leaves_no_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, held: HeldAtFirstLook
) -> None:
    data = _imported(tmp_path, capsys, monkeypatch)
    before = reviews_in_file(data / STORE_NAME)
    app = _started(data)
    async with app.run_test(size=SIZE) as pilot:
        assert await asyncio.to_thread(held.reached.wait, 30)
        await pilot.press("q")
        await pilot.pause()
    held.go_on.set()
    await asyncio.get_running_loop().shutdown_default_executor()  # the backup's thread ends, as `quiz` waits for it
    assert in_backups_folder(folder_of(data / STORE_NAME)) == []  # no backup, nor the copy it was making
    capsys.readouterr()
    app.context.close()  # takes none either: the window is gone, and the next start takes it off its first frame
    assert in_backups_folder(folder_of(data / STORE_NAME)) == []
    said = capsys.readouterr().err  # and says so, in one line: nothing said it before
    assert said == (
        "quiz: the backup begun as quiz started was stopped as it quit (every answer is saved in the store); the next"
        " start takes it\n"
    )
    assert verify(data / STORE_NAME) == [] and reviews_in_file(data / STORE_NAME) == before


async def test_a_command_run_in_another_terminal_during_the_backup_takes_none_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, held: HeldAtFirstLook
) -> None:
    """`quiz list` takes no lock and backs up as it ends when one is due: run while the app's backup copied, both
    copied the whole store at once, and the backups folder kept two backups numbered 1."""
    data = _imported(tmp_path, capsys, monkeypatch)
    app = _started(data)
    async with app.run_test(size=SIZE) as pilot:
        assert await asyncio.to_thread(held.reached.wait, 30)  # Home says "backing up"
        listed = await asyncio.to_thread(run_main_process, data, "list")
        assert listed.returncode == 0, listed.stderr
        assert "backup" not in listed.stderr  # skipped, not failed: the app's is being made
        assert list_backups(data / STORE_NAME) == []  # it did not wait for the app's either
        held.go_on.set()
        await _backup_ended(pilot)
    [made] = list_backups(data / STORE_NAME)
    assert made.number == 1 and verify(made.path, checksum=made.checksum) == []
    app.context.close()
    assert [b.number for b in list_backups(data / STORE_NAME)] == [1]  # nothing answered since: none due at close


async def test_a_failed_backup_is_said_on_home_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _imported(tmp_path, capsys, monkeypatch, "[b]data[/b]")  # a folder name is shown as it is, not as markup
    (data / "backups").write_text("a file where the folder should be")
    app = _started(data)
    async with app.run_test(size=SIZE) as pilot:
        await _backup_ended(pilot)
        notes = _home_notes(app)
        assert f"Backup failed: could not back up {data / STORE_NAME} into {data / 'backups'}: " in notes
    app.context.close()
    assert "automatic backup failed" in capsys.readouterr().err
    assert list_backups(data / STORE_NAME) == []
