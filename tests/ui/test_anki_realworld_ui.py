"""A student's real Anki collection the day after moving (tests/data/anki/realworld, made by Anki): study shows
the cards quiz once skipped (a nested cloze's, as Anki renders them; one whose answer was empty) and records
their answers beside Anki's history, at 80x24 with NO_COLOR."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_study

from quiz.core.clock import FixedClock
from quiz.core.importers import import_file
from quiz.core.importers.readers.package import NO_ANSWER_TEXT
from quiz.core.model import Grade
from tests.conftest import run_cli
from tests.core.test_anki_realworld import ANKI_CARDS, COLPKG, DATA, RENDERED, TODAY, TOMORROW, anki_cards_of, note
from tests.ui.conftest import make_app, right_keys, screen_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_the_cards_once_skipped_are_studied_as_anki_shows_them_and_their_answers_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    data = tmp_path / "data"
    code, _, err = run_cli(capsys, "--data-dir", str(data), "import", str(DATA / COLPKG))
    assert code == 0, err
    anki_of = anki_cards_of(import_file(DATA / COLPKG))
    once_skipped = {card["id"] for key in ("nested", "empty-back") for card in note(key)["cards"]}
    app = make_app(data, FixedClock(TOMORROW), [])
    seen: dict[int, str] = {}
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        store = app.context.store
        while (card := study.session.current) is not None:
            anki_id = anki_of[card.key]
            if anki_id in once_skipped:
                seen[anki_id] = screen_text(app)
            await pilot.press(*right_keys(study))
            await pilot.pause()
            if anki_id in once_skipped:
                seen[anki_id] += screen_text(app)  # the answer shown
                await pilot.press("3")
                await pilot.pause()
                last = store.reviews()[-1]
                assert (last.card_key, last.grade) == (card.key, Grade.GOOD)
                assert len(store.reviews(card.deck_id, card.key)) == ANKI_CARDS[anki_id]["revlog"] + 1
            else:
                await pilot.press("3")
                await pilot.pause()
    nested = [anki_id for anki_id in seen if anki_id in {c["id"] for c in note("nested")["cards"]}]
    assert nested  # each Anki card a basic note of its own: all that are due
    for anki_id in nested:
        assert RENDERED[anki_id]["question"] in seen[anki_id] and RENDERED[anki_id]["answer"] in seen[anki_id]
    empty = note("empty-back")["cards"][0]["id"]
    assert "Empty back field" in seen[empty] and NO_ANSWER_TEXT in seen[empty]
