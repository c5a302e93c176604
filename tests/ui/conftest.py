"""Builds test apps: a temp data dir, a frozen clock, the small UI deck, fuzz off and a fixed seed."""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from quiz.context import Context
from quiz.core.cardstate import CardState
from quiz.core.clock import Clock, FixedClock
from quiz.ui.app import QuizApp
from tests.conftest import START

if TYPE_CHECKING:
    from quiz.core.model import Card
    from quiz.ui.screens.browse import BrowseScreen
    from quiz.ui.screens.exam import ExamRunScreen, ExamSetupScreen
    from quiz.ui.screens.settings import SettingsScreen
    from quiz.ui.screens.study import StudyScreen

ScreenT = TypeVar("ScreenT", bound=Screen)
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


def make_context(data_dir: Path, clock: Clock | None = None, decks: list[Path] | None = None) -> Context:
    """A Context over `data_dir` with only the given decks (default: the UI test deck) and fuzz off."""
    context = Context(
        data_dir=data_dir,
        clock=clock or FixedClock(START),
        extra_decks=[UI_DECK] if decks is None else decks,
        include_shipped=False,
    )
    context.store.save_settings(replace(context.store.settings(), fuzz=False))
    return context


def make_app(data_dir: Path, clock: Clock | None = None, decks: list[Path] | None = None) -> QuizApp:
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
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """Screens drawn without colour (NO_COLOR), as the text assertions read them."""
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def context(tmp_path: Path) -> Context:
    """A Context over `tmp_path` with the UI test deck (make_context), closed after the test."""
    made = make_context(tmp_path)
    yield made
    made.close()


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


def static_text(widget: Static, width: int = 1000) -> str:
    """What a Static shows, as plain text laid out `width` columns wide (wide enough not to wrap a line)."""
    from io import StringIO

    from rich.console import Console

    console = Console(width=width, file=StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def screen_text(app: QuizApp) -> str:
    """The visible text of the screen (from the SVG screenshot), for asserting what a user reads."""
    return "\n".join(screen_rows(app))


def clipped(screen) -> list[str]:
    """What the screen cuts off, one line each; empty when everything shown can be seen or scrolled to.

    Cut off: a shown widget reaching past its parent on an axis the parent cannot scroll (past the screen on
    either axis), a widget scrolling sideways, the screen itself scrolling, or a widget drawn over the key bar.
    """
    from textual.widget import Widget

    from quiz.ui.widgets.keybar import KeyBar

    def name(widget: Widget) -> str:
        return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__

    problems = []
    if screen.max_scroll_x or screen.max_scroll_y:
        problems.append(f"the screen scrolls by ({screen.max_scroll_x}, {screen.max_scroll_y})")
    bars = list(screen.query(KeyBar))
    for widget in screen.walk_children(Widget):
        if not all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget)):
            continue  # in a hidden tab, say
        inner, parent = widget.region, widget.parent
        if not inner.area:
            continue
        outer, scrolls = parent.region, parent is not screen
        if (inner.x < outer.x or inner.right > outer.right) and not (scrolls and parent.allow_horizontal_scroll):
            problems.append(f"{name(widget)} {tuple(inner)} reaches out of {name(parent)} {tuple(outer)} sideways")
        if (inner.y < outer.y or inner.bottom > outer.bottom) and not (scrolls and parent.allow_vertical_scroll):
            problems.append(f"{name(widget)} {tuple(inner)} reaches out of {name(parent)} {tuple(outer)} up or down")
        if widget.is_scrollable and widget.max_scroll_x:
            problems.append(f"{name(widget)} scrolls sideways by {widget.max_scroll_x}")
        if parent is screen and widget not in bars and any(inner.overlaps(bar.region) for bar in bars):
            problems.append(f"{name(widget)} {tuple(inner)} is drawn over the key bar")
    return problems


def right_keys(screen) -> list[str]:
    """The keys that answer the study or exam screen's current card correctly (reading the shuffled layout)."""
    from quiz.ui.answers.base import AnswerWidget

    widget = screen.query_one(AnswerWidget)
    card, note = widget.card, widget.card.note
    match card.kind:
        case "basic" | "reverse":
            return ["space"]
        case "typed":
            return [("space" if ch == " " else ch) for ch in str(note.body.answer)] + ["enter"]
        case "cloze":
            from quiz.core import cloze

            answer = cloze.find_gaps(note.body.text)[card.ordinal - 1].answer
            return [("space" if ch == " " else ch) for ch in answer] + ["enter"]
        case "choice" | "truefalse":
            return [str(widget.values.index(note.body.answer) + 1), "enter"]
        case "multi":
            return [str(widget.options.index(a) + 1) for a in note.body.answers] + ["enter"]
        case "order":
            return [str(widget.shuffled.index(item) + 1) for item in note.body.items] + ["enter"]
        case "match":
            pairs = dict(note.body.pairs)
            return [str(widget.rights.index(pairs[left]) + 1) for left in widget.lefts] + ["enter"]
    raise AssertionError(card.kind)


async def open_screen(pilot, key: str, screen: type[ScreenT]) -> ScreenT:
    """Home's `key`, once the app has settled: the screen it opened, a `screen`."""
    from quiz.ui.screens.home import HomeScreen

    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, screen)
    return pilot.app.screen


async def open_study(pilot, key: str = "enter") -> StudyScreen:
    """Home's `key` (Enter studies the selected deck, p practises it): the study screen."""
    from quiz.ui.screens.study import StudyScreen

    return await open_screen(pilot, key, StudyScreen)


async def open_browse(pilot) -> BrowseScreen:
    """Home's `b`: the Browse screen."""
    from quiz.ui.screens.browse import BrowseScreen

    return await open_screen(pilot, "b", BrowseScreen)


async def open_browse_on_a_card(pilot) -> tuple[BrowseScreen, Card]:
    """Home's `b`: the Browse screen, and the card on its selected row (the first)."""
    browse = await open_browse(pilot)
    found = browse.current_card()
    assert found is not None
    return browse, found[1]


async def open_settings(pilot) -> SettingsScreen:
    """Home's `,`: the Settings screen."""
    from quiz.ui.screens.settings import SettingsScreen

    return await open_screen(pilot, "comma", SettingsScreen)


async def open_exam_setup(pilot, *moves: str) -> ExamSetupScreen:
    """Home's `moves` (to pick a deck or topic), then `e`: the exam setup screen."""
    from quiz.ui.screens.exam import ExamSetupScreen

    await pilot.press(*moves, "e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExamSetupScreen)
    return pilot.app.screen


async def start_exam(pilot, setup: ExamSetupScreen, count: str, minutes: str = "") -> ExamRunScreen:
    """The exam of `count` questions (in `minutes`; none: no time limit) started from `setup`: its screen."""
    from textual.widgets import Input

    from quiz.ui.screens.exam import ExamRunScreen

    setup.query_one("#count", Input).value = count
    setup.query_one("#minutes", Input).value = minutes
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExamRunScreen)
    return pilot.app.screen


async def palette_shows(pilot, text: str) -> None:
    """Let the command palette's search (a worker) run until `text` is listed."""
    from textual.command import CommandList

    for _ in range(200):
        await pilot.pause()
        commands = pilot.app.screen.query(CommandList)
        if commands and any(text in str(option.prompt) for option in commands.first().options):
            return
    raise AssertionError(f"the command palette never listed {text!r}")


def record_refreshes(monkeypatch: pytest.MonkeyPatch, widget_class: type[Widget] = Widget) -> list[tuple[str, bool]]:
    """From now on, every refresh of a `widget_class` (or a subclass of it): the widget, and whether it asked
    Textual to lay the screen out."""
    refreshes: list[tuple[str, bool]] = []
    original = widget_class.refresh

    def spy(self, *regions, **options):
        refreshes.append((repr(self), bool(options.get("layout", False))))
        return original(self, *regions, **options)

    monkeypatch.setattr(widget_class, "refresh", spy)
    return refreshes


def layouts(refreshes: list[tuple[str, bool]]) -> list[bool]:
    """Whether each refresh asked for a layout."""
    return [layout for _, layout in refreshes]


def laid_out(refreshes: list[tuple[str, bool]]) -> list[str]:
    """The widgets whose refresh asked for a layout."""
    return [widget for widget, layout in refreshes if layout]


@pytest.fixture
def no_editor_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour, and neither $VISUAL nor $EDITOR set: each test names the editor it runs."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


def messages(app: QuizApp) -> str:
    """The notifications the app has shown, one a line."""
    return "\n".join(n.message for n in app._notifications)


async def said_after(pilot, *keys: str) -> str:
    """The notifications the app has shown (messages) once `keys` are pressed and it has settled."""
    await pilot.press(*keys)
    await pilot.pause()
    return messages(pilot.app)


def fake_editor(folder: Path, name: str, old: str, new: str) -> Path:
    """An executable called `name` that records its arguments (in args.json beside it) and replaces `old` by
    `new` in the file it is given last."""
    script = folder / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, pathlib, sys\n"
        "here = pathlib.Path(sys.argv[0]).parent\n"
        "(here / 'args.json').write_text(json.dumps(sys.argv[1:]))\n"
        "deck = pathlib.Path(sys.argv[-1])\n"
        f"deck.write_text(deck.read_text().replace({old!r}, {new!r}))\n"
    )
    script.chmod(0o755)
    return script


def editor_args(folder: Path) -> list[str] | None:
    found = folder / "args.json"
    return json.loads(found.read_text()) if found.exists() else None
