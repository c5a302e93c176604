"""The home screen's list of decks and topics with their New / Learn / Due counts.

A few dozen rows drawn line by line (Textual's line API) rather than a DataTable: the home screen is the
first frame of every start, and a DataTable (its import, styles, cells and caches) cost about a tenth of
it. The keys are DataTable's (arrows, Home/End, Page Up/Down, Enter) and so is the mouse: a click
highlights a row, a click on the highlighted row selects it. Titles arrive as rich Text built with
`lit`, so deck text is never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from quiz.ui.widgets.pointer import POINTER

NUMBER_WIDTH = 6  # each count column, right-aligned
COLUMNS = (("New", "blue"), ("Learn", "red"), ("Due", "green"))


class DeckRow(NamedTuple):
    key: str
    title: Text
    new: int | None  # None: a row without counts (a deck file that did not load)
    learning: int | None
    due: int | None


class DeckList(ScrollView, can_focus=True):
    """Rows of a title and three counts under a fixed header; Enter (or a second click) selects."""

    COMPONENT_CLASSES = {"deck-list--header", "deck-list--cursor", "deck-list--hover"}
    DEFAULT_CSS = """
    DeckList {
        background: $surface;
        & > .deck-list--header {
            text-style: bold;
            background: $panel;
        }
        & > .deck-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .deck-list--hover {
            background: $block-hover-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .deck-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    BINDINGS = [
        Binding("enter", "select", "Study", tooltip="Study what is due in the selected deck or topic"),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "move_to(0)", show=False),
        Binding("end", "move_to(-1)", show=False),
    ]

    cursor = reactive(0, always_update=True, repaint=False)  # watch_cursor repaints what changed

    class Selected(Message):
        """A row was chosen with Enter or a second click."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Highlighted(Message):
        """The highlighted row changed (or the rows did)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[DeckRow] = []
        self.hover: int | None = None  # the row under the mouse

    # --- data ---------------------------------------------------------------------------------------

    def set_rows(self, rows: list[DeckRow]) -> None:
        """Show `rows`, keeping the highlighted row when its key is still there."""
        keep = self.cursor_key
        self.rows = rows
        self.virtual_size = Size(0, len(rows) + 1)  # no horizontal scrolling: titles are cut to fit
        keys = [row.key for row in rows]
        self.cursor = keys.index(keep) if keep in keys else min(self.cursor, max(len(rows) - 1, 0))
        self.refresh()

    @property
    def cursor_key(self) -> str | None:
        return self.rows[self.cursor].key if 0 <= self.cursor < len(self.rows) else None

    def validate_cursor(self, cursor: int) -> int:
        return min(max(cursor, 0), max(len(self.rows) - 1, 0))

    def watch_cursor(self, old: int, new: int) -> None:
        if self._scroll_to_cursor():
            self.refresh()  # every row moved
        else:  # only the rows the highlight left and reached change (each row is the line under the header)
            self.refresh_line(old + 1)
            self.refresh_line(new + 1)
        self.post_message(self.Highlighted())

    def on_resize(self) -> None:
        # the list shrinks when what is below it grows (a long title's totals wrap onto more lines once its row
        # is highlighted): the highlighted row stays in view
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> bool:
        """Scroll the highlighted row into view; whether the list scrolled."""
        visible = max(self.scrollable_content_region.height - 1, 1)  # rows under the header
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)
        return round(self.scroll_y) != top

    # --- keys and mouse -------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.scrollable_content_region.height - 1, 1)

    def action_move_to(self, row: int) -> None:
        self.cursor = row if row >= 0 else len(self.rows) - 1

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.Selected(self.cursor_key))

    def _row_at(self, y: int) -> int | None:
        """The row at line `y` of the widget (None: the header, or below the last row)."""
        row = y - 1 + round(self.scroll_y)
        return row if y >= 1 and row < len(self.rows) else None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event.y)
        if row != self.hover:
            self.hover = row
            self.refresh()

    def on_leave(self) -> None:
        if self.hover is not None:
            self.hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event.y)
        if row is None:
            return
        if row == self.cursor:
            self.action_select()
        else:
            self.cursor = row

    # --- drawing --------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("deck-list--header")
            return self._line(Text("Deck / topic"), [(label, None) for label, _ in COLUMNS], width, style)
        index = y - 1 + round(self.scroll_y)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        if index == self.cursor:
            style = base + self.get_component_rich_style("deck-list--cursor")
        elif index == self.hover:
            style = base + self.get_component_rich_style("deck-list--hover")
        else:
            style = base
        counts = [
            ("" if value is None else str(value), color if value else "dim")
            for value, (_, color) in zip(row[2:], COLUMNS, strict=True)
        ]
        return self._line(row.title, counts, width, style, POINTER if index == self.cursor else " ")

    def _line(
        self, title: Text, counts: Sequence[tuple[str, str | None]], width: int, style: Style, marker: str = " "
    ) -> Strip:
        """`marker` (POINTER on the highlighted row: its colour alone is missed by a screen reader), the title
        cut to fit, the counts."""
        title_width = max(width - 3 - len(counts) * (NUMBER_WIDTH + 1), 1)
        line = Text(f"{marker} ", end="")
        cell = title.copy()
        cell.truncate(title_width, overflow="ellipsis", pad=True)
        line.append_text(cell)
        for value, color in counts:
            line.append(" " + value.rjust(NUMBER_WIDTH), color or "")
        return Strip(Segment.apply_style(line.render(self.app.console), style)).crop_extend(0, width, style)
