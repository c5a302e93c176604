"""Home shows a loaded deck's warnings under the list, as it shows a broken deck's problems: here a cloze gap
written as Anki writes it, which quiz reads as the answer 'c4' (right for a chess deck, wrong for Anki's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_app, screen_text
from textual.widgets import Static

from tests.conftest import basic_deck_yaml
from tests.core.test_cloze_anki_syntax import CHESS


async def test_home_lists_a_loaded_decks_warning_with_where_and_how(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "chess.yaml").write_text(CHESS, encoding="utf-8")
    app = make_app(tmp_path / "data", clock, [folder])
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert [row.lstrip("▸").split()[:3] for row in screen_text(app).splitlines() if " Openings " in row] == [
                ["Openings", "2", "0"]
            ]
            notes = str(app.screen.query_one("#home-notes", Static).render())
            assert "1 deck file(s) loaded with warnings:" in notes
            where = f"  {folder / 'chess.yaml'}, line 6, column 11:"
            assert f"{where} warning: card qg: {{{{c4::White's second move}}}}" in notes
            assert "as Anki meant it, write {{White's second move}}" in notes
            assert "could not be loaded" not in notes and app.context.library.broken == []
    finally:
        app.context.close()


async def test_home_warns_of_two_deck_files_named_alike_but_for_case(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Pharm.yaml` and `pharm.yaml` loaded silently: on macOS's and Windows' disks only one can be."""
    monkeypatch.setenv("NO_COLOR", "1")
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "Pharm.yaml").write_text(basic_deck_yaml(2, "pa"), encoding="utf-8")
    (folder / "pharm.yaml").write_text(basic_deck_yaml(2, "pb"), encoding="utf-8")
    app = make_app(tmp_path / "data", clock, [folder])
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            notes = " ".join(str(app.screen.query_one("#home-notes", Static).render()).split())
            assert "1 deck file(s) loaded with warnings:" in notes
            assert f"{folder / 'pharm.yaml'}: warning: its name differs only in case from Pharm.yaml" in notes
            assert "rename this file, e.g. to pharm-2.yaml" in notes
    finally:
        app.context.close()
