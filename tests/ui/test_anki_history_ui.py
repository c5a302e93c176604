"""The day after moving from Anki: the app shows the cards Anki would have shown (issue 14, point 3), at
80x24 with NO_COLOR, from a package Anki itself studied for four days (tests/data/anki)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.clock import FixedClock
from quiz.core.importers import import_file
from quiz.ui.screens.study import StudyScreen
from tests.conftest import run_cli
from tests.core.test_anki_history import DATA, EXPECTED, TODAY, TOMORROW, anki_cards_of
from tests.ui.conftest import make_app, screen_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_the_next_day_home_and_study_show_what_anki_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    data = tmp_path / "data"
    code, _, err = run_cli(capsys, "--data-dir", str(data), "import", str(DATA / "current.colpkg"))
    assert code == 0, err
    result = import_file(DATA / "current.colpkg")
    anki_of = anki_cards_of(result)
    due_tomorrow = set(EXPECTED["tomorrow"]["due"])
    due_notes = {key.split("/")[0] for key, anki_id in anki_of.items() if anki_id in due_tomorrow}
    learning = {key for key, anki_id in anki_of.items() if anki_id in due_tomorrow} - {
        key for key, anki_id in anki_of.items() if EXPECTED["tomorrow"]["queues"][str(anki_id)] != 1
    }
    assert len(learning) == 1  # Anki's one card in its learning steps: due, and shown first
    reviews = len(due_notes) - 1  # quiz shows one card of a note a day; Anki's due reviews are of these notes
    queues = EXPECTED["tomorrow"]["queues"]
    new_notes = {key.split("/")[0] for key, anki_id in anki_of.items() if queues[str(anki_id)] == 0}  # one a note
    app = make_app(data, FixedClock(TOMORROW), [])  # the imported deck, from the deck folder alone
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = next(line for line in screen_text(app).splitlines() if "Fixtures" in line)
        assert row.split()[-2:] == ["1", str(reviews)]  # Home: Learn, Due
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        first = screen.session.current
        assert first is not None and first.key in learning
        text = screen_text(app)
        assert f"New {len(new_notes)}  Learn 1  Due {reviews}" in text and "Learnt today?" in text
