"""Home shows a loaded deck's warnings under the list, as it shows a broken deck's problems: here a cloze gap
written as Anki writes it, which quiz reads as the answer 'c4' (right for a chess deck, wrong for Anki's)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import make_app, screen_text
from textual.widgets import Static

from quiz.output import commands_naming
from tests.conftest import basic_deck_yaml, record_good, run_cli, suggested
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


async def test_home_and_the_validate_list_names_suggest_one_free_id_none_that_history_is_kept_under(
    tmp_path: Path, clock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two deck files say `deck: pharm`, and the store keeps answers under pharm-2 (a deck deleted since): the
    later file given pharm-2 would take them. Home's problems, and `quiz validate` as `quiz list` names it, suggest
    one id, pharm-3."""
    monkeypatch.setenv("NO_COLOR", "1")
    folder = tmp_path / "decks"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.yaml").write_text(basic_deck_yaml(1, "pharm"), encoding="utf-8")
    data = tmp_path / "data"
    app = make_app(data, clock, [folder])
    try:
        record_good(app.context.store, "c0", deck_id="pharm-2")
        _, out, _ = run_cli(capsys, "--data-dir", str(data), "--deck", str(folder), "list")
        [line] = [line for line in out.splitlines() if line.startswith(f"{folder / 'b.yaml'}: not loaded")]
        code, told, _ = run_cli(capsys, *shlex.split(suggested(line))[1:])  # the `quiz validate` list names
        assert code == 1
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            notes = " ".join(str(app.screen.query_one("#home-notes", Static).render()).split())
        free = [re.findall(r"change the deck id pharm to (\S+) ", text) for text in (told, notes)]
        assert free == [["pharm-3"], ["pharm-3"]]
    finally:
        app.context.close()


async def test_home_reads_the_deck_ids_history_is_kept_under_only_when_a_deck_id_is_taken(
    tmp_path: Path, clock
) -> None:
    """The first frame waits on no store read it did not need: the ids are read once a free id is to be named."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(basic_deck_yaml(1, "pharm"), encoding="utf-8")
    app = make_app(tmp_path / "data", clock, [folder])
    statements: list[str] = []
    app.context.store.db.set_trace_callback(statements.append)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            assert app.context.library.decks and not [s for s in statements if "WITH RECURSIVE card_state_ids" in s]
            (folder / "b.yaml").write_text(basic_deck_yaml(1, "pharm"), encoding="utf-8")
            await pilot.press("r")
            await pilot.pause()
            assert len([s for s in statements if "WITH RECURSIVE card_state_ids" in s]) == 1
    finally:
        app.context.close()


async def test_home_shows_a_file_name_holding_a_command_as_it_is(tmp_path: Path, clock) -> None:
    """Started with --data-dir, Home's problems give quiz's own commands the data folder, never a file's name."""
    folder = tmp_path / "decks"
    folder.mkdir()
    data = tmp_path / "data"
    app = make_app(data, clock, [folder])
    try:
        with commands_naming(data):  # as `quiz --data-dir DATA` runs the app
            async with app.run_test(size=(200, 30)) as pilot:
                await pilot.pause()
                (folder / "see `quiz list`.yaml").write_text("deck: x\ntitle: [unclosed\n", encoding="utf-8")
                await pilot.press("r")  # a file come while Home is open
                await pilot.pause()
                notes = " ".join(str(app.screen.query_one("#home-notes", Static).render()).split())
        assert f"{folder / 'see `quiz list`.yaml'}, line 2, column 8: YAML syntax error" in notes
    finally:
        app.context.close()


async def test_homes_problems_come_by_file_then_line_and_column(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture's problem is found after its card's text: Home listed column 57 before column 32 of one line
    (and a later file's problems before an earlier one's), where `quiz validate` gives them in order."""
    monkeypatch.setenv("NO_COLOR", "1")
    folder = tmp_path / "decks"
    folder.mkdir()
    cards = (
        "  - {id: a, kind: basic, front: f, back: b}\n"
        '  - {id: d, kind: cloze, text: "gap {{?}} here", image: nothere.png}\n'
        "  - {id: a, kind: basic, front: g, back: c}\n"
    )
    for name in ("b.yaml", "a.yaml"):
        (folder / name).write_text(f"deck: {name[0]}\ntitle: {name[0]}\ncards:\n{cards}", encoding="utf-8")
    app = make_app(tmp_path / "data", clock, [folder / "b.yaml", folder / "a.yaml"])
    try:
        async with app.run_test(size=(160, 30)) as pilot:
            await pilot.pause()
            notes = str(app.screen.query_one("#home-notes", Static).render())
            places = [
                (Path(found[1]).name, int(found[2]), int(found[3]))
                for found in re.finditer(r"^  (\S+), line (\d+), column (\d+):", notes, re.M)
            ]
            assert places == sorted(places) and len(places) == 5, notes  # the rest: `quiz validate`
    finally:
        app.context.close()


async def test_home_names_a_picture_named_like_a_command_as_it_is(tmp_path: Path, clock) -> None:
    """Home showed a problem's words through a message that gave the picture's name the data folder."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "p.yaml").write_text(
        basic_deck_yaml(1, "p").replace("back: 'answer 0'", "back: 'answer 0', image: '/x `quiz list` y.png'"),
        encoding="utf-8",
    )
    app = make_app(data, clock)
    try:
        with commands_naming(data):  # as `quiz --data-dir DATA` runs the app
            async with app.run_test(size=(200, 30)) as pilot:
                await pilot.pause()
                notes = " ".join(str(app.screen.query_one("#home-notes", Static).render()).split())
        assert "image '/x `quiz list` y.png' is not a path inside" in notes
    finally:
        app.context.close()
