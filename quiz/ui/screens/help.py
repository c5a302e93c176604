"""Help: the keys of the screen you came from, then of every screen, read from their BINDINGS."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
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
    "Ctrl+P opens Textual's command palette: type to find any command (change theme, screens, quit).\n"
    "Ctrl+Q quits from anywhere. Your answers are saved as you give them."
)


def key_label(key: str) -> str:
    """`ctrl+s` -> `Ctrl+S`, `escape` -> `Esc`, `O` -> `Shift+o`."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if len(key) == 1:
        return f"Shift+{key.lower()}" if key.isupper() else key
    *modifiers, last = key.split("+")
    last = KEY_NAMES.get(last, last.upper() if len(last) == 1 else last.capitalize())
    return "+".join([m.capitalize() for m in modifiers] + [last])


def binding_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) per action, keys bound to the same action joined with ` / `."""
    merged: dict[tuple[str, str], list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        if binding.system:
            continue
        description = binding.tooltip or binding.description
        if not description:
            continue
        merged.setdefault((binding.action, description), []).append(key_label(binding.key))
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
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def screen_title(cls: type[Screen]) -> str:
    title = cls.TITLE or cls.__name__.removesuffix("Screen")
    doc = (cls.__doc__ or "").strip().splitlines()
    return f"{title}: {doc[0]}" if doc else title


def active_rows(screen: Screen) -> list[tuple[str, str]]:
    """What works right now on `screen`, from its focused widget up to the app."""
    bindings = [active.binding for active in screen.active_bindings.values()]
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
                    yield Static(section(screen_title(cls), binding_rows(cls.BINDINGS)), classes="help-section")
        yield KeyBar()

    def on_mount(self) -> None:
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        current = self.query_one("#help-current", Static)
        if below is None:
            current.display = False
            return
        name = type(below).TITLE or type(below).__name__.removesuffix("Screen") or "this screen"
        current.update(section(f"Now, on {name}", active_rows(below), "the keys that work where you were"))

    def action_close(self) -> None:
        self.app.pop_screen()
