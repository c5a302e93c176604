"""Builds test apps: a temp data dir, a frozen clock, the small UI deck, fuzz off and a fixed seed."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.ui.app import QuizApp

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
UI_DECK = Path(__file__).resolve().parents[1] / "data" / "ui_deck.yaml"
SEED = 7


def due_review_state(kind: str = "basic") -> CardState:
    """A card in review, due since yesterday: answering Again makes it lapse."""
    return CardState(
        kind=kind,
        fsrs_state=2,
        step=None,
        stability=5.0,
        difficulty=5.0,
        due=START - timedelta(days=1),
        last_review=START - timedelta(days=6),
        reps=3,
    )


def make_context(data_dir: Path, clock: FixedClock | None = None, decks: list[Path] | None = None) -> Context:
    """A Context over `data_dir` with only the given decks (default: the UI test deck) and fuzz off."""
    context = Context(
        data_dir=data_dir,
        clock=clock or FixedClock(START),
        extra_decks=[UI_DECK] if decks is None else decks,
        include_shipped=False,
    )
    context.store.save_settings(replace(context.store.settings(), fuzz=False))
    return context


def make_app(data_dir: Path, clock: FixedClock | None = None, decks: list[Path] | None = None) -> QuizApp:
    return QuizApp(make_context(data_dir, clock, decks), seed=SEED)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests here with asyncio.run (no async plugin needed for App.run_test)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app_factory(tmp_path: Path, clock: FixedClock) -> Callable[..., QuizApp]:
    """app_factory() -> a new QuizApp on the same data dir and clock each time it is called."""
    built: list[QuizApp] = []

    def build(decks: list[Path] | None = None) -> QuizApp:
        app = make_app(tmp_path / "data", clock, decks)
        built.append(app)
        return app

    yield build
    for app in built:
        app.context.close()


def screen_rows(app: QuizApp) -> list[str]:
    """The visible text of the screen, one string per terminal row (from the SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    rows: list[list[tuple[float, str]]] = [[] for _ in range(app.size.height)]
    pattern = r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>'
    for match in re.finditer(pattern, svg, re.S):
        text = html.unescape(match.group(3)).replace("\n", "")
        rows[int(match.group(2))].append((float(match.group(1)), text))
    lines = []
    for row in rows:
        line = ""
        for x, text in sorted(row):
            line = line.ljust(round(x / 12.2)) + text
        lines.append(line.rstrip().replace("\xa0", " "))
    return lines


def screen_text(app: QuizApp) -> str:
    """The visible text of the screen (from the SVG screenshot), for asserting what a user reads."""
    return "\n".join(screen_rows(app))


def right_keys(screen) -> list[str]:
    """The keys that answer the study or exam screen's current card correctly (reading the shuffled layout)."""
    from quiz.core.model import Kind
    from quiz.ui.widgets.answers import AnswerWidget

    widget = screen.query_one(AnswerWidget)
    card, note = widget.card, widget.card.note
    match card.kind:
        case Kind.BASIC | Kind.REVERSE:
            return ["space"]
        case Kind.TYPED:
            return [("space" if ch == " " else ch) for ch in str(note.answer)] + ["enter"]
        case Kind.CLOZE:
            from quiz.core import cloze

            answer = cloze.find_gaps(note.text)[card.ordinal - 1].answer
            return [("space" if ch == " " else ch) for ch in answer] + ["enter"]
        case Kind.CHOICE | Kind.TRUEFALSE:
            return [str(widget.values.index(note.answer) + 1), "enter"]
        case Kind.MULTI:
            return [str(widget.options.index(a) + 1) for a in note.answers] + ["enter"]
        case Kind.ORDER:
            return [str(widget.shuffled.index(item) + 1) for item in note.items] + ["enter"]
        case Kind.MATCH:
            pairs = dict(note.pairs)
            return [str(widget.rights.index(pairs[left]) + 1) for left in widget.lefts] + ["enter"]
    raise AssertionError(card.kind)
