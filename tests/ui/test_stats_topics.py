"""Stats → Topics with several decks: every topic's whole title on its own line with its bar beside it, grouped
under its deck. Driven through the real app at 80x24 without colour, with answers written to the store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import SEED, START, make_context, open_screen, screen_rows

from quiz.context import Context
from quiz.core.cardstate import CardState
from quiz.ui.app import QuizApp
from quiz.ui.screens.stats import StatsScreen

DECK = """deck: {id}
title: "Ketamine for depression: {part}"
topics:
  - {{id: mech, title: "Mechanism of action at the NMDA receptor"}}
  - {{id: side, title: "Side effects [b]and[/b] monitoring"}}
cards:
  - {{id: a, kind: basic, topic: mech, front: q1, back: a1}}
  - {{id: b, kind: basic, topic: mech, front: q2, back: a2}}
  - {{id: c, kind: basic, topic: side, front: q3, back: a3}}
"""


def learnt() -> CardState:
    return CardState(
        kind="basic", fsrs_state=2, step=None, stability=30.0, difficulty=5.0,
        due=START + timedelta(days=20), last_review=START - timedelta(days=10), reps=4,
    )  # fmt: skip


@pytest.fixture
def context(tmp_path: Path) -> Context:
    paths = []
    for deck_id, part in (("ket1", "evidence"), ("ket2", "practice")):
        path = tmp_path / f"{deck_id}.yaml"
        path.write_text(DECK.format(id=deck_id, part=part), encoding="utf-8")
        paths.append(path)
    ctx = make_context(tmp_path / "data", decks=paths)
    ctx.store.set_state("ket1", "a", learnt())  # half of ket1's mechanism cards learnt
    ctx.store.set_state("ket2", "c", learnt())  # all of ket2's side effects
    yield ctx
    ctx.close()


async def test_topics_show_whole_titles_with_their_bars_on_the_same_line(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "s", StatsScreen)
        await pilot.press("5")
        await pilot.pause()
        rows = [row.strip() for row in screen_rows(app)]
        first = rows.index("Ketamine for depression: evidence")
        assert rows[first : first + 6] == [
            "Ketamine for depression: evidence",
            "Mechanism of action at the NMDA receptor " + bar(0.5) + "  50%",
            "Side effects [b]and[/b] monitoring       " + bar(0.0) + "   0%",
            "Ketamine for depression: practice",
            "Mechanism of action at the NMDA receptor " + bar(0.0) + "   0%",
            "Side effects [b]and[/b] monitoring       " + bar(1.0) + " 100%",
        ]


def bar(share: float, width: int = 30) -> str:
    """80 columns: 78 inside the padding, less 2 of indent, 40 of title, a space and 5 of percentage."""
    return "█" * round(share * width) + "░" * (width - round(share * width))
