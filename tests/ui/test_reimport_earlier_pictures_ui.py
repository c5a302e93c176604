"""A reverse note and a cloze an earlier quiz imported as one note each, with a picture, imported again while Anki
did not change them, with --remove-missing: the card page of each still shows its picture, the file the deck has
(80x24, no colours, so no graphics: the picture is named)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_app, screen_text

from quiz.core.clock import FixedClock
from quiz.ui.screens.browse import CardScreen
from tests.conftest import run_cli
from tests.core.test_reimport_earlier_pictures import CLOZE, DATA, DRUG

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


async def test_the_kept_notes_still_show_their_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    shutil.copytree(DATA, tmp_path / "decks", ignore=shutil.ignore_patterns("*.apkg", "*.txt", "expected.json"))
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "v1.apkg"), "--remove-missing")
    assert code == 0, err
    assert "0 new, 3 unchanged, 0 gone from v1.apkg" in out
    app = make_app(tmp_path, FixedClock(NOW), [])
    shown = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        deck = app.context.library.deck("v1")
        assert deck is not None
        for note_id in (DRUG, CLOZE):
            card = next(card for card in deck.cards if card.note.id == note_id)
            app.push_screen(CardScreen(deck, card))
            await pilot.pause()
            shown[note_id] = next(line.strip("█ ") for line in screen_text(app).splitlines() if "[image: " in line)
            app.pop_screen()
            await pilot.pause()
    assert shown == {DRUG: "[image: pill.png]  i opens it", CLOZE: "[image: pump.png]  i opens it"}
