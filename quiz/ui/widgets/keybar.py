"""The footer of every screen: the keys that work now, drawn as one line of one widget.

It shows what Textual's Footer shows (each shown binding of the focused widget, its screen and the app,
one per action, dimmed when disabled; the command palette key on the right) and works the same way
(click a key to press it, hover for its tooltip). Textual's Footer builds a widget per key and rebuilds
them all, a frame later, whenever the focus moves; this one redraws its line in the same turn. Every
start paints a footer and every study key moves the focus, so that was a tenth of start-up and half of
each key's time.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

PALETTE_SEPARATOR = "▏"


class Key(NamedTuple):
    key: str  # what a click presses
    display: str
    description: str
    enabled: bool
    tooltip: str | None


class KeyBar(Widget):
    """One line of keys, docked at the bottom of its screen."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--hover"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keybar--hover {
            background: $block-hover-background;
        }
    }
    """
    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[list[Key], Key | None] = ([], None)
        self._spans: list[tuple[int, int, Key]] = []  # (first cell, end cell, key) as last drawn
        self._hover: Key | None = None
        # The drawn line and its spans per (keys, hover, width): a study screen's keys alternate between two
        # sets, and turning the line into a strip cost ~1 ms a key. Emptied when the styles change (a new theme
        # or stylesheet: Textual calls notify_style_update).
        self._lines: dict[tuple, tuple[Strip, list[tuple[int, int, Key]]]] = {}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed, immediate=True)
        self._read_keys()

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self._read_keys()

    def _read_keys(self) -> None:
        keys = self.shown_keys()
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    def shown_keys(self) -> tuple[list[Key], Key | None]:
        """The keys to show (the first binding of each action, in binding order) and the palette key."""
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, Key] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = Key(
                    binding.key, app.get_key_display(binding), binding.description, enabled, tooltip or None
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette_tooltip = binding.tooltip or binding.description or None
            palette = Key(binding.key, app.get_key_display(binding), binding.description, enabled, palette_tooltip)
        return list(by_action.values()), palette

    # --- drawing ----------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def render_line(self, y: int) -> Strip:
        """The line, drawn once per (keys, hover, width) and then reused."""
        width = self.size.width
        keys, palette = self._keys
        wanted = (tuple(keys), palette, self._hover, width)
        if wanted not in self._lines:
            text = self.render()
            (strip,) = Visual.to_strips(self, visualize(self, text), width, 1, self.visual_style)
            self._lines[wanted] = (strip, self._spans)
        strip, self._spans = self._lines[wanted]
        return strip

    def render(self) -> Text:
        keys, palette = self._keys
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        hover_style = self.get_component_rich_style("keybar--hover")
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Key]] = []

        def add(key: Key) -> None:
            start = line.cell_len
            line.append(key.display, key_style)
            if key.description:
                line.append(" " + key.description, description_style)
            if not key.enabled:
                line.stylize("dim", start)
            if key == self._hover:
                line.stylize(hover_style, start)
            spans.append((start, line.cell_len, key))

        for key in keys:
            add(key)
            line.append(" ")
        if palette is not None:
            width = Text(f"{PALETTE_SEPARATOR}{palette.display} {palette.description}".rstrip()).cell_len
            room = self.size.width - line.cell_len - width - 1  # one cell spare on the right, as in Footer
            if room >= 0:
                line.append(" " * room)
                line.append(PALETTE_SEPARATOR, "dim")
                add(palette)
        self._spans = spans
        return line

    # --- mouse ------------------------------------------------------------------------------------

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
