"""After importing the next version of a shared deck (issue 14, point 5), the app shows the corrected card
with the whole of its history: the answers of the first import, Anki's since, and the one given in quiz; and
a picture the user drew on is still hers; at 80x24 with NO_COLOR, from packages Anki itself wrote
(tests/data/anki/update, tests/data/anki/pictures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_browse
from textual.widgets import DataTable

from quiz.core.browse_data import row_ident
from quiz.core.clock import FixedClock
from quiz.core.model import Grade, Mode
from quiz.core.scheduler import Scheduler
from quiz.core.store import Store
from quiz.ui.screens.browse import CardScreen
from quiz.ui.widgets import card_image
from tests.conftest import run_cli
from tests.core import test_reimport_pictures as pictures
from tests.core.test_reimport import DATA, EDITED, EXPECTED, LATER
from tests.ui.conftest import make_app, screen_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_the_corrected_card_shows_with_all_its_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_NOW", LATER.isoformat())
    assert run_cli(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "v1.apkg"))[0] == 0
    store = Store.in_folder(tmp_path)
    state = store.state("v1", EDITED)
    assert state is not None
    after = Scheduler(store.settings()).review(1, state, Grade.GOOD, LATER)
    store.record_review("v1", EDITED, Grade.GOOD, LATER, 2000, Mode.REVIEW, state, after)  # studied in quiz
    store.close()
    assert run_cli(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "v2.apkg"))[0] == 0
    [anki_card] = next(n for n in EXPECTED["v2"]["notes"] if n["guid"] == EXPECTED["edited"])["cards"]
    app = make_app(tmp_path, FixedClock(LATER), [])
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        table = app.screen.query_one("#browse-table", DataTable)
        table.move_cursor(row=table.get_row_index(row_ident("v1", EDITED)))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert "Vitamin K" in screen_text(app)  # the package's correction
        history = app.screen.query_one("#card-history", DataTable)
        assert history.row_count == anki_card["revlog"] + 1  # Anki's answers, once each, and quiz's own


async def test_the_picture_she_drew_on_is_the_one_the_card_shows_after_the_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(card_image, "open_externally", opened.append)  # the system's viewer, not started
    assert pictures.quiz_import(tmp_path, capsys, "v1")[0] == 0
    kidney = pictures.picture(tmp_path, "kidney.png")
    hers = pictures.draw_on(kidney)
    code, _, err = pictures.quiz_import(tmp_path, capsys, "v2")  # the package redraws it too
    assert code == 0 and "1 picture kept as you have it" in err, err
    app = make_app(tmp_path, FixedClock(LATER), [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        deck = app.context.library.deck("anatomy")
        assert deck is not None
        card = next(card for card in deck.cards if card.note.all_images == ("anatomy-media/kidney.png",))
        app.push_screen(CardScreen(deck, card))
        await pilot.pause()
        assert "[image: kidney.png]" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        assert opened == [kidney]
        assert opened[0].read_bytes() == hers
