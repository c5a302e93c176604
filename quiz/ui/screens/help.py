"""Help: the keys of the screen you came from, then of every screen, read from their BINDINGS."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Static

import quiz.ui.screens
from quiz.ui.widgets.keybar import KeyBar

KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "slash": "/",
    "question_mark": "?",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "delete": "Del",
    "backspace": "Backspace",
}

INTRO = (
    "Everything works with the keyboard and the mouse: click rows, tabs, buttons and the keys in the footer.\n"
    "Ctrl+P opens the command palette: type to find a command (study a deck or topic, screens, theme, quit).\n"
    "Ctrl+Q quits from anywhere. Your answers are saved as you give them."
)


def key_label(key: str) -> str:
    """A key as it is typed: `ctrl+z` -> `Ctrl+Z`, `equals_sign` -> `=`, `escape` -> `Esc`, `O` -> `Shift+o`."""
    *modifiers, last = key.split("+")
    if last in KEY_NAMES:
        last = KEY_NAMES[last]
    elif len(character := format_key(last)) == 1:  # Textual's names of characters: minus, equals_sign, ...
        if not modifiers:
            return f"Shift+{character.lower()}" if character.isupper() else character
        last = character.upper()
    else:
        last = last.capitalize()  # f1 -> F1, home -> Home
    return "+".join([m.capitalize() for m in modifiers] + [last])


def action_name(binding: Binding) -> str:
    """`grade(1)` -> `grade`: keys of one action with different arguments share a row (1 / 2 / 3 / 4)."""
    return binding.action.partition("(")[0]


def binding_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) per action; a key bound without a description (`!` beside `-`) takes its action's."""
    made = [binding for binding in Binding.make_bindings(bindings) if not binding.system]
    described: dict[str, str] = {}
    for binding in made:
        if binding.tooltip or binding.description:
            described.setdefault(action_name(binding), binding.tooltip or binding.description)
    merged: dict[tuple[str, str], list[str]] = {}
    for binding in made:
        description = binding.tooltip or binding.description or described.get(action_name(binding), "")
        if not description:
            continue  # a key quiz does not explain (the arrows of a list): the footer or the docs do
        keys = merged.setdefault((action_name(binding), description), [])
        if key_label(binding.key) not in keys:
            keys.append(key_label(binding.key))
    return [(" / ".join(keys), description) for (_, description), keys in merged.items()]


def section(title: str, rows: list[tuple[str, str]], note: str = "") -> Text:
    text = Text()
    text.append(title + "\n", style="bold underline")
    if note:
        text.append(note + "\n", style="italic")
    width = max((len(keys) for keys, _ in rows), default=0)
    for keys, description in rows:
        text.append(f"  {keys:<{width}}  ", style="bold")
        text.append(description + "\n")
    if not rows:
        text.append("  (no keys of its own)\n")
    return text


def screen_classes() -> list[type[Screen]]:
    """Every screen class in quiz.ui.screens (the modules are imported to find them)."""
    for module in pkgutil.iter_modules(quiz.ui.screens.__path__, "quiz.ui.screens."):
        importlib.import_module(module.name)
    found: list[type[Screen]] = []
    pending = list(Screen.__subclasses__())
    while pending:
        cls = pending.pop(0)
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("quiz.ui.") and cls not in found:
            found.append(cls)
    return sorted(found, key=title_of)


def title_of(cls: type[Screen]) -> str:
    """The screen's title; without one, its class name in words (`ExamResultsScreen`: `Exam results`)."""
    return cls.TITLE or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__.removesuffix("Screen")).capitalize()


def screen_title(cls: type[Screen]) -> str:
    """The title, then the docstring's first paragraph whole (a sentence may go on past its first line)."""
    summary = " ".join(inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0].split())
    return f"{title_of(cls)}: {summary}" if summary else title_of(cls)


def screen_bindings(cls: type[Screen]) -> list[BindingType]:
    """The keys of the widgets the screen names in `HELP_WIDGETS` (Home's Enter is its deck list's), then the
    screen's own (study's grade keys are the screen's)."""
    widgets: tuple[type[DOMNode], ...] = getattr(cls, "HELP_WIDGETS", ())
    return [*(binding for widget in widgets for binding in widget.BINDINGS), *cls.BINDINGS]


def declared_by_quiz(node: DOMNode) -> set[tuple[str, str]]:
    """(key, action) of the bindings quiz's own classes give `node`, not those Textual's classes add."""
    return {
        (binding.key, binding.action)
        for cls in type(node).__mro__
        if cls.__module__.startswith("quiz.")
        for binding in Binding.make_bindings(vars(cls).get("BINDINGS", []))
    }


def active_rows(screen: Screen) -> list[tuple[str, str]]:
    """What quiz binds right now on `screen`, from its focused widget up to the app (Textual's own scrolling,
    focus and copy keys left out: they are the same everywhere)."""
    bindings = [
        active.binding
        for active in screen.active_bindings.values()
        if (active.binding.key, active.binding.action) in declared_by_quiz(active.node)
    ]
    return binding_rows(bindings)


def app_rows(app: App) -> list[tuple[str, str]]:
    rows = binding_rows(type(app).BINDINGS)
    if app.ENABLE_COMMAND_PALETTE:
        rows.append((key_label(app.COMMAND_PALETTE_BINDING), "Command palette: search every command"))
    return rows


class HelpScreen(Screen):
    """Keys of every screen and of the one you came from."""

    TITLE = "Help"
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", tooltip="Close the help")]

    def __init__(self) -> None:
        super().__init__(id="help")

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Help", "bold"), " · the keys of every screen"), classes="title-bar")
        with VerticalScroll(id="help-body"):
            yield Static(Text(INTRO), id="help-intro")
            yield Static(Text(), id="help-current", classes="help-section")
            yield Static(section("Everywhere", app_rows(self.app)), classes="help-section")
            for cls in screen_classes():
                if cls is not HelpScreen:
                    yield Static(section(screen_title(cls), binding_rows(screen_bindings(cls))), classes="help-section")
        yield KeyBar()

    def on_mount(self) -> None:
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        current = self.query_one("#help-current", Static)
        if below is None:
            current.display = False
            return
        title = f"Now, on {title_of(type(below))}"
        current.update(section(title, active_rows(below), "the keys that work where you were"))

    def action_close(self) -> None:
        self.app.pop_screen()
