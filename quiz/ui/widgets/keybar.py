"""The footer of every screen: the keys that work now, drawn as one line of one widget (two or three in a pane
too narrow for the keys on one line, so that none is cut off).

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
    """A line of keys (more in a narrow pane), docked at the bottom of its screen. A study screen's keys alternate
    between two sets: each set's line is made and turned into a strip once (`DrawnLines`, by `lines_key`), which
    took ~1 ms a key."""

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
        self._tallest: tuple[int, int] = (0, 1)  # the width, and the most lines the keys have needed at it

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
            self._fit_height()
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
        return self._make_lines(width)[0]

    def render(self) -> Content:
        return Content("\n").join(self._make_lines(self.size.width)[0])

    def on_resize(self) -> None:
        self._fit_height()

    def _fit_height(self) -> None:
        """As many lines as the keys need at this width (more than one only in a narrow pane), and never fewer than
        they needed before at this width: a study screen's two sets of keys can need one line and two, and a bar
        that followed them moved the card above it and laid out the screen on every key."""
        width = self.size.width or self.screen.size.width
        needed = len(rows_of(self._keys[0], width)) if width else 1
        tallest_width, tallest = self._tallest
        lines = max(needed, tallest) if width == tallest_width else needed
        self._tallest = (width, lines)
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines

    def _make_lines(self, width: int) -> tuple[list[Content], list[list[tuple[int, int, Key]]]]:
        """The keys in lines of `width` (`rows_of`), the palette key on the right of the last if it fits; and where
        each key is on its line (first cell, end cell, key)."""
        keys, palette = self._keys
        rows = rows_of(keys, width)
        last = len(rows) - 1
        made = [self._make_line(row, palette if number == last else None, width) for number, row in enumerate(rows)]
        return [line for line, _places in made], [places for _line, places in made]

    def _make_line(
        self, keys: list[Key], palette: Key | None, width: int
    ) -> tuple[Content, list[tuple[int, int, Key]]]:
        """`keys`, then `palette` on the right if it fits, cut at `width`; and where each key is. One Content made
        from its text and spans: from a Content per piece, or a rich Text, it took ~0.15 ms."""
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
            room = width - cells - 1 - key_cells(palette) - 1  # the separator, and one cell spare as in Footer
            if room >= 0:
                put(" " * room)
                put(PALETTE_SEPARATOR, "dim")
                put_key(palette)
        return Content("".join(pieces), styles).truncate(width), places

    # --- mouse ------------------------------------------------------------------------------------

    def places(self, width: int) -> list[tuple[int, int, Key]]:
        return self.places_on(width, 0)

    def places_on(self, width: int, row: int) -> list[tuple[int, int, Key]]:
        places = self._make_lines(width)[1]
        return places[row] if row < len(places) else []

    def hover_changed(self) -> None:
        self.tooltip = self.hover.tooltip if self.hover else None
        self.refresh()

    def press(self, key: Key) -> None:
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()


MOST_LINES = 3  # past this the last line is cut: a pane too narrow for the keys in three lines is too narrow to study


def key_cells(key: Key) -> int:
    """The cells a key takes in the bar: its key and its description."""
    return cell_len(key.display) + (1 + cell_len(key.description) if key.description else 0)


def rows_of(keys: list[Key], width: int) -> list[list[Key]]:
    """`keys` in order, in lines of at most `width` cells (a space between two keys), and at most `MOST_LINES`: a
    key that does not fit on a line starts the next, so none is cut off while there are lines to spare (at 60
    columns the study screen's `esc End` was past the edge)."""
    rows: list[list[Key]] = [[]]
    used = 0
    for key in keys:
        cells = key_cells(key)
        if rows[-1] and used + 1 + cells > width and len(rows) < MOST_LINES:
            rows.append([])
            used = 0
        used += cells + (1 if rows[-1] else 0)
        rows[-1].append(key)
    return rows
