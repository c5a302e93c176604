"""The first start after a big deck arrived (an import, an edit): the deck file is parsed, not read from the deck
cache, before the app takes the screen, and the terminal stayed blank for seconds. A line now says why first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from quiz.cli import SAY_PARSING_FROM_BYTES
from quiz.ui.app import QuizApp
from tests.conftest import run_cli

PARSING = "quiz: reading the deck "
APP_RUN = QuizApp.run  # as Textual runs it; patched below to run headless


def _deck(cards: int, back_words: int) -> str:
    """A deck of `cards` basic cards whose backs are `back_words` words long."""
    back = " ".join(["answer"] * back_words)
    lines = "\n".join(f"  - {{id: c{i}, kind: basic, front: 'question {i}', back: '{back}'}}" for i in range(cards))
    return f"deck: d\ntitle: Deck d\ncards:\n{lines}\n"


def _started(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> tuple[str, str, list[str]]:
    """`quiz --data-dir DATA` through the command line's entry, the app run headless and quit at once: what was
    on stderr when the app began to run, what came after, and the screens the app showed."""
    before_the_app: list[str] = []
    screens: list[str] = []

    async def quit_at_once(pilot: Pilot) -> None:
        screens.append(type(pilot.app.screen).__name__)
        await pilot.press("q")

    def headless(app: QuizApp) -> None:
        before_the_app.append(capsys.readouterr().err)
        APP_RUN(app, headless=True, size=(100, 30), auto_pilot=quit_at_once)

    monkeypatch.setattr("quiz.cli.app_terminal_problem", lambda: None)  # no terminal under pytest: headless instead
    monkeypatch.setattr(QuizApp, "run", headless)
    code, _, after = run_cli(capsys, "--data-dir", str(data))
    assert code == 0, after
    return before_the_app[0], after, screens


NEW_OR_CHANGED = "new or changed since quiz last read it, or since a picture it names changed: this takes a few seconds"


@pytest.mark.parametrize("deck_id", ["big", "Big [b]deck[b] `quiz import`"], ids=["plain", "markup-in-name"])
def test_a_big_deck_parsed_at_start_is_said_before_the_app_and_not_again_once_cached(
    capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, deck_id: str
) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    deck = data / "decks" / f"{deck_id}.yaml"
    deck.write_text(_deck(cards=300, back_words=500))
    assert deck.stat().st_size >= SAY_PARSING_FROM_BYTES

    before, after, screens = _started(capsys, monkeypatch, data)
    said = [line for line in before.splitlines() if line.startswith(PARSING)]
    assert said == [f"{PARSING}{deck} (1 MB), {NEW_OR_CHANGED}"]
    assert PARSING not in after and screens == ["HomeScreen"]

    before, after, screens = _started(capsys, monkeypatch, data)  # read from the deck cache: nothing said
    assert PARSING not in before + after and screens == ["HomeScreen"]


def test_a_big_deck_naming_a_missing_picture_is_said_once_not_at_each_start(
    capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A deck naming a picture that is not there stayed out of the deck cache: it was read, and said, at each
    start. Its entry now remembers the picture's problem: read once, until the deck or the picture changes."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    deck = data / "decks" / "big.yaml"
    deck.write_text(_deck(cards=300, back_words=500).replace("back: 'answer", "image: gone.png, back: 'answer", 1))
    before, _, _ = _started(capsys, monkeypatch, data)
    said = [line for line in before.splitlines() if line.startswith(PARSING)]
    assert said == [f"{PARSING}{deck} (1 MB), {NEW_OR_CHANGED}"]
    before, after, _ = _started(capsys, monkeypatch, data)  # read from the deck cache, the picture still missing
    assert PARSING not in before + after


def test_a_small_deck_parsed_at_start_is_not_said(capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "small.yaml").write_text(_deck(cards=30, back_words=5))
    before, after, screens = _started(capsys, monkeypatch, data)
    assert PARSING not in before + after and screens == ["HomeScreen"]
