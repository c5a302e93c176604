"""After a new version of a shared deck adds a picture whose name clashes with an older one's once made safe
(`Heart.png` beside `heart.png`), the card page of the older note still names and opens its own file, the one
she drew on, and the new note its own (80x24, no colours, so no graphics: the picture is named)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_app, screen_text

from quiz.core.clock import FixedClock
from quiz.ui.screens.browse import CardScreen
from quiz.ui.widgets import card_image
from tests.conftest import run_cli
from tests.core.test_reimport_picture_names import DATA, draw_on

SIZE = (80, 24)
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def quiz_import(data: Path, capsys: pytest.CaptureFixture[str], version: str) -> None:
    code, _, err = run_cli(
        capsys, "--data-dir", str(data), "import", str(DATA / f"{version}.apkg"), "--deck-id", "anatomy"
    )
    assert code == 0, err


async def test_the_older_note_still_shows_and_opens_the_picture_she_drew_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(card_image, "open_externally", opened.append)
    monkeypatch.setenv("NO_COLOR", "1")
    data = tmp_path / "data"
    quiz_import(data, capsys, "v2")
    hers = draw_on(data, "anatomy-media/heart.png")
    quiz_import(data, capsys, "v3")
    app = make_app(data, FixedClock(NOW), [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        deck = app.context.library.deck("anatomy")
        assert deck is not None
        cards = {card.note.body.front: card for card in deck.cards}
        shown = {}
        for organ in ("heart.png", "Heart.png"):
            app.push_screen(CardScreen(deck, cards[f"Name this organ ({organ})"]))
            await pilot.pause()
            text = screen_text(app)
            shown[organ] = next(line.strip("█ ") for line in text.splitlines() if "[image: " in line)  # in its box
            await pilot.press("i")
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    assert shown == {"heart.png": "[image: heart.png]  i opens it", "Heart.png": "[image: Heart-2.png]  i opens it"}
    media = data / "decks" / "anatomy-media"
    assert opened == [media / "heart.png", media / "Heart-2.png"]
    assert opened[0].read_bytes() == hers
