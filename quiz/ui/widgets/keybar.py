"""The footer of every screen: the keys that work now, drawn as one line of one widget.

It shows what Textual's Footer shows (each shown binding of the focused widget, its screen and the app,
one per action, dimmed when disabled; the command palette key on the right) and works the same way
(click a key to press it, hover for its tooltip). Textual's Footer builds a widget per key and rebuilds
them all, a frame later, whenever the focus moves; this one redraws its line in the same turn. Every
start paints a footer and every study key moves the focus, so that was a tenth of start-up and half of
each key's time.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from rich.cells import cell_len
from textual.content import Content, Span
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

from quiz.ui.widgets.drawn_lines import DrawnLines
from quiz.ui.widgets.pressable import Pressable

PALETTE_SEPARATOR = "▏"


class Key(NamedTuple):
    key: str  # what a click presses
    display: str
    description: str
    enabled: bool
    tooltip: str | None


class KeyBar(Pressable[Key], DrawnLines, Widget):
    """One line of keys, docked at the bottom of its screen. A study screen's keys alternate between two sets: each
    set's line is made and turned into a strip once (`DrawnLines`, by `lines_key`), which took ~1 ms a key."""

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

    def lines_key(self) -> Hashable:
        keys, palette = self._keys
        return tuple(keys), palette, self.hover

    def draw_lines(self, width: int) -> list[Content]:
        return [self._make_line(width)[0]]

    def render(self) -> Content:
        return self._make_line(self.size.width)[0]

    def _make_line(self, width: int) -> tuple[Content, list[tuple[int, int, Key]]]:
        """The keys, the palette key on the right if it fits, cut at `width`; and where each key is (first cell,
        end cell, key). One Content made from its text and spans: from a Content per piece, or a rich Text, it took
        ~0.15 ms."""
        keys, palette = self._keys
        key_style, description_style, hover_style = (
            self.get_visual_style(f"keybar--{name}") for name in ("key", "description", "hover")
        )
        pieces: list[str] = []
        styles: list[Span] = []
        places: list[tuple[int, int, Key]] = []
        offset = cells = 0  # where the next piece goes: in characters (the styles') and in cells (the mouse's)

        def put(piece: str, style: Style | str = "") -> None:
            nonlocal offset, cells
            pieces.append(piece)
            if style:
                styles.append(Span(offset, offset + len(piece), style))
            offset, cells = offset + len(piece), cells + cell_len(piece)

        def put_key(key: Key) -> None:
            first, first_cell = offset, cells
            put(key.display, key_style)
            if key.description:
                put(f" {key.description}", description_style)
            if not key.enabled:
                styles.append(Span(first, offset, "dim"))
            if key == self.hover:
                styles.append(Span(first, offset, hover_style))
            places.append((first_cell, cells, key))

        for key in keys:
            put_key(key)
            put(" ")
        if palette is not None:
            size = cell_len(palette.display) + (cell_len(f" {palette.description}") if palette.description else 0)
            room = width - cells - 1 - size - 1  # the separator, and one cell spare on the right as in Footer
            if room >= 0:
                put(" " * room)
                put(PALETTE_SEPARATOR, "dim")
                put_key(palette)
        return Content("".join(pieces), styles).truncate(width), places

    # --- mouse ------------------------------------------------------------------------------------

    def places(self, width: int) -> list[tuple[int, int, Key]]:
        return self._make_line(width)[1]

    def hover_changed(self) -> None:
        self.tooltip = self.hover.tooltip if self.hover else None
        self.refresh()

    def press(self, key: Key) -> None:
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
