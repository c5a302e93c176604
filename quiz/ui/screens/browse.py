"""Browse: every card in a searchable table; open one for its content and history; suspend, bury, flag, mark or
reset it.

Large libraries stay quick: rows are plain values computed once (quiz.core.browse_data), searching filters
those values, and the one DataTable is filled a page at a time as the cursor or the scrollbar nears the end.
The first page's rows are made as the screen opens and the others after it, a chunk at a time between keys
(45,000 cards take 1-4 s): a search given meanwhile takes in each chunk as it comes; a sort, or End, is done again
over every card once they all are. The worker stops when the screen is left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Static
from textual.widgets.data_table import RowKey

from quiz.core import faces
from quiz.core.browse_data import (
    SORT_KEYS,
    BrowseRow,
    HistoryRow,
    browse_row_chunks,
    card_status,
    due_text,
    history_rows,
    refreshed,
    reset_card,
    row_ident,
    sort_rows,
    toggle_suspended,
)
from quiz.core.burying import is_buried, toggle_buried
from quiz.core.cardstate import CardState, effective_state
from quiz.core.clock import day_end
from quiz.core.deckfile import LoadResult
from quiz.core.flags import flag_name, toggle_flag
from quiz.core.kinds import KINDS
from quiz.core.marks import MARKED_TAG, MarkedInFile, is_marked, toggle_mark
from quiz.core.model import Card, Deck
from quiz.core.search import SearchContext, SearchError, search_rows
from quiz.core.store import StoreWriteError
from quiz.ui.base import quiz_app
from quiz.ui.editor import edit_card
from quiz.ui.widgets.card_image import IMAGE_BINDINGS, CardImage, PictureKey, note_pictures
from quiz.ui.widgets.card_sound import SOUND_BINDINGS, SoundKey, Sounds, card_sounds
from quiz.ui.widgets.flags import FLAG_BINDINGS, FlagPicker, flag_cell, flag_done
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit, say
from quiz.ui.widgets.marks import MARK_BINDINGS, mark_done
from quiz.ui.widgets.pointed_table import PointedTable

PAGE = 300  # rows added to the table at a time
ROWS_AT_A_TIME = 1000  # rows made between two looks at the keyboard, after the first page's (~0.1 s)
FOLLOW_LIMIT = 2 * PAGE  # the cursor follows its card after a search or sort only this far down
DEBOUNCE_ABOVE = 5000  # with more cards than this, searching waits for a pause in typing
LABELS = {
    "question": "Question",
    "deck": "Deck",
    "topic": "Topic",
    "tags": "Tags",
    "flag": "Flag",
    "status": "State",
    "due": "Due",
    "lapses": "Lapses",
}
FIXED_WIDTHS = {"flag": 4, "status": 10, "due": 10, "lapses": 6}  # status: "relearning"
WIDE = 100  # the tags column shows from this many columns of terminal up
HISTORY_HEADINGS = ("When", "Grade", "Mode", "Time", "Interval")
PAIRED_BELOW = 60  # a card page narrower than this (the five history columns need 55) pairs them, two lines a row
QUESTION_ROOM = 30  # the question's columns at least; a narrower screen drops columns:
DROPPED_FIRST = ("lapses", "flag", "deck", "topic", "status", "due")  # these, in turn (a card's own page has them)
CARD_BINDINGS = [  # what Browse does to the highlighted card, and the card's own screen to its card
    Binding("s", "toggle_suspend", "Suspend", tooltip="Suspend the card, or unsuspend it"),
    Binding("b", "toggle_bury", "Bury", tooltip="Hide the card until tomorrow, or unbury it"),
    *FLAG_BINDINGS,
    *MARK_BINDINGS,
    Binding("e", "edit", "Edit", tooltip="Edit the card in your editor ($VISUAL or $EDITOR)"),
    Binding("r", "reset", "Reset", tooltip="Forget the card's schedule (asks first; history stays)"),
]


async def _keys_first() -> None:
    """Between two chunks of rows: the keys pressed and the redraws asked for meanwhile are done first."""
    await asyncio.sleep(0)


def column_widths(total: int, decks: int) -> dict[str, int]:
    """Which columns to show and how wide: the deck column only with several decks, tags only when wide, and
    on a narrower screen only those that leave the question QUESTION_ROOM, so that nothing scrolls sideways;
    flag, state, due and lapses fixed; the question gets three shares of what they leave, each other column one."""
    shown = [key for key in LABELS if (key != "deck" or decks > 1) and (key != "tags" or total >= WIDE)]

    def widths() -> dict[str, int]:
        rest = total - 2 * len(shown) - 2 - sum(FIXED_WIDTHS.get(key, 0) for key in shown)  # cell padding, scrollbar
        flexible = [key for key in shown if key != "question" and key not in FIXED_WIDTHS]
        shared = max(6, min(16, rest // (len(flexible) + 3)))
        found = {"question": max(rest - shared * len(flexible), 1)} | dict.fromkeys(flexible, shared) | FIXED_WIDTHS
        return {key: found[key] for key in shown}

    for key in DROPPED_FIRST:
        if widths()["question"] >= QUESTION_ROOM:
            break
        if key in shown:
            shown.remove(key)
    return widths()


def cell(text: str, style: str = "") -> Text:
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


class BrowseScreen(Screen):
    """Every card of every deck: search, sort, open, suspend, bury, flag, reset."""

    TITLE = "Browse"
    AUTO_FOCUS = "#browse-table"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Leave the search box, or go back"),
        Binding(
            "slash",
            "focus_search",
            "Search",
            tooltip="Search question, answer, explanation, options, deck, topic, tags and id, in Anki's grammar",
        ),
        # Before the table's own Enter (which selects the row by a message, handled later): a key typed
        # right after Enter then reaches the card, not this screen.
        Binding("enter", "open_card", "Open", priority=True, tooltip="Show the card's content and history"),
        *CARD_BINDINGS,
        Binding("o", "cycle_sort", "Sort", tooltip="Sort by the next column"),
        Binding("O", "reverse_sort", "Reverse", show=False, tooltip="Reverse the sort order"),
        Binding("question_mark,f1", "help", "Help", key_display="?", tooltip="Every screen's keys"),
    ]

    def __init__(self) -> None:
        super().__init__(id="browse")
        self._all: list[BrowseRow] = []
        self._matches: list[BrowseRow] = []
        self._loaded = 0
        self._cards: dict[str, tuple[Deck, Card]] = {}
        self._query = ""
        self._ran_query = ""  # the last query that could run: the list shows its cards
        self._sort: str | None = None
        self._reverse = False
        self._widths: dict[str, int] = {}
        self._rollover_cache: int | None = None
        self._today_ends_cache: datetime | None = None
        self._loaded_from: list[LoadResult] = []  # the library's decks the rows were made from
        self._rows_to_make: Iterator[list[BrowseRow]] | None = None  # the rows not made yet; None once all are
        self._end_left_on: str | None = None  # the card End went to while rows were made: redone if still there
        self._sort_left_on: str | None = None  # the card a sort given while rows were made put the cursor on
        self._following: str | None = None  # the card the cursor goes to, its row not read or not listed yet
        self._following_from: str | None = None  # the card the cursor shows meanwhile: she moved it if it shows another
        self._changed_unmade: set[str] = set()  # cards changed before their rows were made: read again when made
        self._listed_from = 0  # the rows read when the list was last made from them (a sort lists only those)

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(("Browse", "bold"), " · every card: search, open, suspend, bury, flag, reset"),
            classes="title-bar",
        )
        with Horizontal(id="browse-bar"):
            # Anki's grammar, short enough to show whole beside the count at 80 columns
            hint = 'Search: -word, "a phrase", is:due, tag:…, prop:due<=3'
            yield Input(placeholder=hint, id="browse-search")
            yield Label("", id="browse-count", markup=False)
        yield Label("", id="browse-error", markup=False)
        yield CardTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self._make_rows()
        table = self.query_one(DataTable)
        self._set_columns(table, self.size.width or self.app.size.width)
        self.watch(table, "scroll_y", self._maybe_load_more, init=False)
        self._apply(force=True)

    # --- filling the table ------------------------------------------------------------------------

    def _make_rows(self) -> None:
        """The first page's rows now; the others made by a worker of this screen, between keys (_make_the_rest)."""
        context = quiz_app(self).context
        self._loaded_from = context.library.results
        self._cards = {row_ident(d.id, c.key): (d, c) for d in context.library.decks for c in d.cards}
        chunks = browse_row_chunks(context.library.decks, context.store, context.clock.now(), PAGE, ROWS_AT_A_TIME)
        self._all = next(chunks, [])
        self._changed_unmade.clear()  # the rows made afresh read the store from now on
        self._rows_to_make = chunks if len(self._all) < len(self._cards) else None
        if self._rows_to_make is not None:
            self.run_worker(self._make_the_rest(chunks), group="browse-rows", exclusive=True)

    async def _make_the_rest(self, chunks: Iterator[list[BrowseRow]]) -> None:
        for chunk in chunks:
            await _keys_first()
            # Left meanwhile: the screen's widgets are being removed before the screen cancels this worker.
            if not self.is_running or chunks is not self._rows_to_make:  # or the rows were made afresh (reload)
                return
            listed_as_made = self._sort is None and not self._reverse
            chunk = self._read_changed_again(chunk)
            self._all.extend(chunk)
            if listed_as_made:  # the new rows (those the search shown picks) simply follow
                self._matches.extend(search_rows(chunk, self._ran_query, self._search_context()))
                self._maybe_load_more()  # a short list found so far fills its page
            self._follow_a_step(chunk)
            self._show_count()
        self._rows_to_make = None
        self._all_made()
        await self._follow_the_rest()

    async def _follow_the_rest(self) -> None:
        """Once every row is made: the rows down to the card followed, a page between keys."""
        while self._following is not None:
            await _keys_first()
            if not self.is_running:
                return
            self._follow_a_step([])

    def _read_changed_again(self, chunk: list[BrowseRow]) -> list[BrowseRow]:
        """The chunk's rows of cards changed since the store was read for them, read again."""
        if not self._changed_unmade:
            return chunk
        context = quiz_app(self).context
        now = context.clock.now()

        def current(row: BrowseRow) -> BrowseRow:
            if row.ident not in self._changed_unmade:
                return row
            self._changed_unmade.discard(row.ident)
            return refreshed(row, *self._cards[row.ident], context.store, now)

        return [current(row) for row in chunk]

    def _all_made(self) -> None:
        """Every row made: a sort given meanwhile is done over all of them (a search took in each chunk as it came,
        its list is whole), and End is done again if the cursor is still on the card it went to (the list grew
        under it). The new order starts at its top, unless the cursor was moved since the sort: it stays on its
        card then, however far down (the rows above it listed a page at a time between keys)."""
        current = self.current_ident()
        self._stop_following_if_moved()
        redo_end = self._end_left_on is not None and self._end_left_on == current
        follow = current if current != self._sort_left_on and self._following is None else None
        self._end_left_on = self._sort_left_on = None
        if self._sort is not None or self._reverse:
            self._refill(self._every_row_read_listed(), None)
            if follow is not None:
                self._follow(follow)
        self._show_count()
        if redo_end:
            self.show_last_card()
        else:
            self._maybe_load_more()

    def _remake_if_reloaded(self, edited: str) -> bool:
        """After the decks were loaded again (the card `edited`, from the table or on its page): every row made
        afresh, the cursor put on the card edited, or on its way to it until its row is made (past the first page),
        whatever the sort. An edit is a move: it ends End's redo and any follow (the cursor was elsewhere meanwhile,
        End done again by a resize under the card's page, say)."""
        if quiz_app(self).context.library.results is self._loaded_from:
            return False
        self._forget_end_and_follow()
        self._make_rows()
        self._apply(force=True)
        self._sort_left_on = None  # the cursor is on the card edited, not where a sort put it
        self._follow(edited)
        return True

    def _follow(self, ident: str) -> None:
        """The cursor goes to this card, however far down: a page of the rows above it listed now, the others
        between keys (_follow_a_step), unless she moves the cursor meanwhile."""
        self._following, self._following_from = ident, self.current_ident()
        self._follow_a_step([])

    def _forget_end_and_follow(self) -> None:
        """She put the cursor somewhere (a sort, an edit, Home): End is not done again once all rows are read, and
        the cursor follows no card."""
        self._end_left_on = self._following = None

    def _stop_following_if_moved(self) -> None:
        if self._following is not None and self.current_ident() != self._following_from:
            self._following = None  # she moved the cursor: it stays where she put it

    def _follow_a_step(self, new_rows: list[BrowseRow]) -> None:
        """A page more of the rows down to the card followed, the cursor on it once listed; a sort shown takes in
        every row read once its row is (the rows just made)."""
        self._stop_following_if_moved()
        ident = self._following
        if ident is None:
            return
        if (self._sort is not None or self._reverse) and any(row.ident == ident for row in new_rows):
            self._refill(self._every_row_read_listed(), None)
        index = next((i for i, row in enumerate(self._matches) if row.ident == ident), None)
        if index is None:
            if self._rows_to_make is None:  # not listed: the edit removed it, or the search shown leaves it out
                self._following = None
            return
        if index >= self._loaded:
            self._load_more(min(PAGE, index - self._loaded + 1))
        if index < self._loaded:
            self._following = None
            self.query_one(DataTable).move_cursor(row=index)

    def _set_columns(self, table: DataTable, width: int) -> None:
        self._widths = column_widths(width, len(quiz_app(self).context.library.decks))
        table.clear(columns=True)
        for key, column_width in self._widths.items():
            arrow = ("▼" if self._reverse else "▲") if key == self._sort else ""
            table.add_column(Text(LABELS[key] + arrow), key=key, width=column_width)
        self._loaded = 0

    def _cells(self, row: BrowseRow, now: datetime | None = None) -> list[Text]:
        """The row's cells in the shown columns (only those are made)."""
        now = now or quiz_app(self).context.clock.now()
        rollover = self._rollover
        today_ends = self._today_ends_cache if self._today_ends_cache is not None else day_end(now, rollover)
        status_style = {"suspended": "italic", "buried": "italic", "leech": "bold reverse"}.get(row.status, "")
        makers: dict[str, Callable[[], Text]] = {
            "question": lambda: cell(row.question),
            "deck": lambda: cell(row.deck_title),
            "topic": lambda: cell(row.topic_title),
            "tags": lambda: cell(", ".join(row.tags)),
            "flag": lambda: flag_cell(row.flag),
            "status": lambda: cell(row.status, status_style),
            "due": lambda: cell(due_text(row.due, now, rollover, today_ends)),
            "lapses": lambda: Text(str(row.lapses), justify="right"),
        }
        return [makers[key]() for key in self._widths]

    def _load_more(self, count: int = PAGE) -> None:
        table = self.query_one(DataTable)
        chunk = self._matches[self._loaded : self._loaded + count]
        now = quiz_app(self).context.clock.now()
        self._rollover_cache = self._rollover  # one settings read and one end of today a page, not per row
        self._today_ends_cache = day_end(now, self._rollover_cache)
        for row in chunk:
            table.add_row(*self._cells(row, now), key=row.ident)
        self._rollover_cache = self._today_ends_cache = None
        self._loaded += len(chunk)
        self._show_count()

    def _maybe_load_more(self, *_: object) -> None:
        table = self.query_one(DataTable)
        near_end = max(table.cursor_row, int(table.scroll_y) + table.size.height) >= self._loaded - 10
        if near_end and self._loaded < len(self._matches):
            self._load_more()

    def _show_count(self) -> None:
        """The cards listed (those found, with a search), then how many are read or listed so far: the same shape
        while rows are made as after, so that the search box beside it keeps its width."""
        total, shown = len(self._cards), len(self._matches)
        searched = self._ran_query.strip() and shown != total
        text = f"{shown:,} of {total:,} cards" if searched else f"{total:,} cards"
        if self._rows_to_make is not None and (self._sort is not None or self._reverse):
            text += f" (sorted: {self._listed_from:,} of {len(self._all):,} read, all once read)"
        elif self._rows_to_make is not None:
            text += f" ({len(self._all):,} read, more as they come)"
        elif self._loaded < shown:
            text += f" ({self._loaded:,} listed, more as you scroll)"
        self.query_one("#browse-count", Label).update(text)

    def _search_context(self) -> SearchContext:
        context = quiz_app(self).context
        store = context.store

        def answered_since(since: datetime) -> set[str]:
            return {row_ident(deck_id, key) for deck_id, key in store.answered_since(since)}

        return SearchContext(context.clock.now(), self._rollover, answered_since)

    def _apply(self, force: bool = False) -> None:
        """Filter and sort the rows, then refill the table (unless nothing would change). A query that cannot
        be run is explained under the box, and the list stays as the last one that could run left it, named:
        typing `colour:red` runs `colour` on the way, so "as it was" alone reads wrong beside an empty list."""
        error = self.query_one("#browse-error", Label)
        try:
            found = search_rows(self._all, self._query, self._search_context())
        except SearchError as problem:
            shown = f"the last search that could run: {self._ran_query}" if self._ran_query.strip() else "every card"
            error.update(f"✗ {problem} (the list still shows {shown})")
            error.display = True
            return
        error.display = False
        self._ran_query = self._query
        self._listed_from = len(self._all)
        matches = sort_rows(found, self._sort, self._reverse)
        if not force and [r.ident for r in matches] == [r.ident for r in self._matches]:
            return
        self._refill(matches, self.current_ident())

    def _refill(self, matches: list[BrowseRow], follow: str | None) -> None:
        """List these rows from the top, the cursor on the card `follow` if among the first FOLLOW_LIMIT, else on
        the top row. A cursor she had not moved since a sort, or while it follows a card, is still unmoved."""
        table = self.query_one(DataTable)
        before = self.current_ident()
        self._matches = matches
        table.clear()
        self._loaded = 0
        self._load_more()
        if follow is not None:
            self._move_to(follow)
        after = self.current_ident()
        if self._sort_left_on is not None and self._sort_left_on == before:
            self._sort_left_on = after
        if self._following is not None and self._following_from == before:
            self._following_from = after

    def _every_row_read_listed(self) -> list[BrowseRow]:
        """What the search shown finds among every row read so far, in the order shown."""
        self._listed_from = len(self._all)
        found = search_rows(self._all, self._ran_query, self._search_context())
        return sort_rows(found, self._sort, self._reverse)

    def _move_to(self, ident: str) -> None:
        """Put the cursor back on a card after the list changed, if it is among the first FOLLOW_LIMIT rows
        (following it further down means filling thousands of rows: done a page at a time, by _follow)."""
        index = next((i for i, row in enumerate(self._matches[:FOLLOW_LIMIT]) if row.ident == ident), None)
        if index is None:
            return
        if index >= self._loaded:  # the rows down to its own; the next page is added as for any cursor near the end
            self._load_more(index - self._loaded + 1)
        self.query_one(DataTable).move_cursor(row=index)

    @property
    def _rollover(self) -> int:
        if self._rollover_cache is not None:  # one settings read per page, not per row
            return self._rollover_cache
        return quiz_app(self).context.store.settings().rollover_hour

    def current_ident(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def current_card(self) -> tuple[Deck, Card] | None:
        ident = self.current_ident()
        return self._cards.get(ident) if ident else None

    def _card_to_act_on(self) -> tuple[Deck, Card] | None:
        """The highlighted card; none while the cursor only waits for the rows down to the card it follows (an edited
        card, or one a sort moved) to be read and listed (it shows another card then), and that is said."""
        if self._following is not None and self.current_ident() == self._following_from:
            say(self.app, "The rows are being read: the cursor goes to its card in a moment", timeout=3)
            return None
        return self.current_card()

    def refresh_card(self, card: Card) -> None:
        """Re-read one card's state from the store and redraw its row (it stays listed until the next search).
        A card with no row yet (rows made afresh after an edit) has its row read again when made; a card the edit
        removed has none to redraw."""
        ident = row_ident(card.deck_id, card.key)
        if self._remake_if_reloaded(ident):
            return
        if ident not in self._cards:
            return
        old = next((r for r in self._all if r.ident == ident), None)
        if old is None:
            self._changed_unmade.add(ident)
            return
        deck, _ = self._cards[ident]
        context = quiz_app(self).context
        new = refreshed(old, deck, card, context.store, context.clock.now())
        self._all[old.position] = new
        self._matches = [new if r.ident == new.ident else r for r in self._matches]
        table = self.query_one(DataTable)
        if new.ident in table.rows:
            for key, new_cell in zip(self._widths, self._cells(new), strict=True):
                table.update_cell(new.ident, key, new_cell)

    # --- events -----------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        if self._all and column_widths(event.size.width, len(quiz_app(self).context.library.decks)) != self._widths:
            self._stop_following_if_moved()  # a move she made since the last step: the cursor stays on her card
            current = self.current_ident()
            self._set_columns(self.query_one(DataTable), event.size.width)
            self._load_more()
            if current:
                self._move_to(current)
            if current and self.current_ident() != current and self._following is None:  # past FOLLOW_LIMIT rows
                self._back_to_far_card(current)

    def _back_to_far_card(self, ident: str) -> None:
        """After a resize, the cursor back on its card past the first FOLLOW_LIMIT rows: End done again if End put
        it there while rows are made (a resize is no move), else the card followed, a page at a time between keys."""
        if ident == self._end_left_on:
            self.show_last_card()
            return
        self._follow(ident)
        if self._following is not None and self._rows_to_make is None:  # no rows made to take its steps
            self.run_worker(self._follow_the_rest(), group="browse-rows", exclusive=True)

    @on(Input.Changed, "#browse-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._query = event.value
        if len(self._all) > DEBOUNCE_ABOVE:
            self.set_timer(0.2, lambda value=event.value: self._search_settled(value), name="search")
        else:
            self._apply()

    def _search_settled(self, value: str) -> None:
        if value == self._query:  # nothing typed since
            self._apply()

    @on(Input.Submitted, "#browse-search")
    def _search_submitted(self) -> None:
        self._apply()
        self.query_one(DataTable).focus()

    @on(DataTable.RowHighlighted, "#browse-table")
    def _highlighted(self) -> None:
        self._maybe_load_more()

    @on(DataTable.RowSelected, "#browse-table")
    def _selected(self) -> None:
        self.action_open_card()

    @on(DataTable.HeaderSelected, "#browse-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key == self._sort:
            self._reverse = not self._reverse
        else:
            self._sort, self._reverse = key, False
        self._resort()

    # --- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the search box Enter is the box's own: it runs the search.
        return not (action == "open_card" and isinstance(self.focused, Input))

    def action_back(self) -> None:
        if self.focused is self.query_one(Input):
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

    def action_help(self) -> None:
        from quiz.ui.screens.help import HelpScreen  # loaded when first asked for, not with this screen

        self.app.push_screen(HelpScreen())

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_cycle_sort(self) -> None:
        order = (None, *SORT_KEYS)
        self._sort = order[(order.index(self._sort) + 1) % len(order)]
        self._reverse = False
        self._resort()

    def show_first_card(self) -> None:
        """Home is a move, even onto the top row a cursor on its way to a card shows meanwhile: it stays there."""
        self._forget_end_and_follow()
        self.query_one(DataTable).action_scroll_top()

    def show_last_card(self) -> None:
        """The list is filled as it is scrolled: the last card needs the rest of it first."""
        self._load_more(len(self._matches) - self._loaded)
        self.query_one(DataTable).action_scroll_bottom()
        making = self._rows_to_make is not None and bool(self._matches)
        self._end_left_on = self._matches[-1].ident if making else None

    def action_reverse_sort(self) -> None:
        self._reverse = not self._reverse
        self._resort()

    def _resort(self) -> None:
        """A new order starts at its top, as in Anki's browser: a sort is a move (End given while rows are made is not
        done again, the cursor follows no card)."""
        self._forget_end_and_follow()
        table = self.query_one(DataTable)
        self._set_columns(table, self.size.width)
        if self._rows_to_make is not None:  # the rows made while another sort was on were left out: take them in
            self._matches = self._every_row_read_listed()
        else:
            self._matches = sort_rows(self._matches, self._sort, self._reverse)
        self._load_more()
        table.move_cursor(row=0, scroll=True)
        table.scroll_home(animate=False)
        making = self._rows_to_make is not None and bool(self._matches)
        self._sort_left_on = self._matches[0].ident if making else None  # still there once all are read: the top
        say(self.app, f"Sorted by {self._sort or 'deck order'}{', reversed' if self._reverse else ''}", timeout=2)

    def action_open_card(self) -> None:
        if not self.is_active:  # a row clicked twice, both clicks queued before the card appeared: it is open
            return
        found = self._card_to_act_on()
        if found is not None:
            self.app.push_screen(CardScreen(*found, on_change=self.refresh_card))

    def action_toggle_suspend(self) -> None:
        self._toggle(toggle_suspend)

    def action_toggle_bury(self) -> None:
        self._toggle(toggle_bury)

    def _toggle(self, toggler: Callable[[Screen, Card], str | None]) -> None:
        """Suspend or bury the highlighted card, or undo it (`toggler` says which it did), then redraw its row."""
        found = self._card_to_act_on()
        if found is None:
            return
        card = found[1]
        done = toggler(self, card)
        if done is not None:
            self.refresh_card(card)
            say(self.app, f"{done}: {faces.question(card)}", timeout=3)

    def action_flag(self, pressed: int) -> None:
        found = self._card_to_act_on()
        if found is not None:
            press_flag(self, found[1], pressed, self.refresh_card)

    def action_pick_flag(self) -> None:
        found = self._card_to_act_on()
        if found is not None:
            pick_flag(self, found[1], self.refresh_card)

    def action_toggle_mark(self) -> None:
        found = self._card_to_act_on()
        if found is not None:
            press_mark(self, found[1], self.refresh_card)

    def action_edit(self) -> None:
        found = self._card_to_act_on()
        if found is None or not edit_card(self, found[1]):
            return
        if quiz_app(self).context.library.deck(found[1].deck_id) is not None:
            self._remake_if_reloaded(row_ident(found[1].deck_id, found[1].key))
        # else the edit broke the deck: its rows stay, as a session keeps its cards, so that e opens it again

    def action_reset(self) -> None:
        found = self._card_to_act_on()
        if found is not None:
            confirm_reset(self, found[1], self.refresh_card)


def _not_saved(screen: Screen, error: StoreWriteError) -> None:
    """A change the store could not save (a full disk, a read-only file): nothing of it was kept."""
    say(screen.app, f"Not saved: {error}", title="Could not save", severity="error")


def toggle_suspend(screen: Screen, card: Card) -> str | None:
    """Suspend the card, or unsuspend it; says which was done (None: not saved, and said so)."""
    try:
        state = toggle_suspended(quiz_app(screen).context.store, card)
    except StoreWriteError as exc:
        _not_saved(screen, exc)
        return None
    return "Suspended" if state.suspended else "Unsuspended"


def toggle_bury(screen: Screen, card: Card) -> str | None:
    """Bury the card until the next study day, or unbury it; says which was done (None: not saved, and said so)."""
    context = quiz_app(screen).context
    try:
        state = toggle_buried(context.store, card, context.clock.now(), context.store.settings().rollover_hour)
    except StoreWriteError as exc:
        _not_saved(screen, exc)
        return None
    return "Unburied" if state.buried_until is None else "Buried until tomorrow"


def press_flag(screen: Screen, card: Card, pressed: int, on_change: Callable[[Card], None]) -> None:
    """Press a flag key (Ctrl+1..7, or the picker's choice) on the card; `on_change(card)` runs after."""
    try:
        flag = toggle_flag(quiz_app(screen).context.store, card, pressed)
    except StoreWriteError as exc:
        _not_saved(screen, exc)
        return
    on_change(card)
    say(screen.app, f"{flag_done(flag)} {faces.question(card)}", timeout=3)


def press_mark(screen: Screen, card: Card, on_change: Callable[[Card], None]) -> None:
    """Mark the card's note, or take its mark off; `on_change(card)` runs after."""
    try:
        marked = toggle_mark(quiz_app(screen).context.store, card)
    except MarkedInFile as exc:
        say(screen.app, f"Not changed: {exc}", severity="warning", timeout=4)
        return
    except StoreWriteError as exc:
        _not_saved(screen, exc)
        return
    on_change(card)
    say(screen.app, f"{mark_done(marked)} {faces.question(card)}", timeout=3)


def pick_flag(screen: Screen, card: Card, on_change: Callable[[Card], None]) -> None:
    """Open the flag picker for the card, then press the flag picked."""

    def picked(flag: int | None) -> None:
        if flag is not None:
            press_flag(screen, card, flag, on_change)

    screen.app.push_screen(FlagPicker(quiz_app(screen).context.store.flag(card.deck_id, card.key)), picked)


def confirm_reset(screen: Screen, card: Card, on_change: Callable[[Card], None]) -> None:
    """Ask, then forget the card's schedule; `on_change(card)` runs after a reset."""

    def done(confirmed: bool | None) -> None:
        if confirmed:
            try:
                reset_card(quiz_app(screen).context.store, card)
            except StoreWriteError as exc:
                _not_saved(screen, exc)
                return
            on_change(card)
            say(screen.app, f"Reset (new again, history kept): {faces.question(card)}", timeout=3)

    question = Text("Reset this card? It becomes new again; its past answers stay in the history.\n\n")
    question.append(faces.question(card), style="bold")
    screen.app.push_screen(ConfirmScreen(question), done)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or Enter on the Reset button confirms, n or Escape cancels."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, message: Text) -> None:
        super().__init__(classes="confirm")
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.message, id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                yield Button("Reset (y)", variant="error", id="confirm-yes")
                yield Button("Cancel (n)", variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def labelled(rows: list[tuple[str, str | list[str]]]) -> Table:
    """Labels in a column of their own, values beside them: a long value wraps within its column, and a
    list is bulleted, each item wrapping beside its bullet."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", no_wrap=True, min_width=10)
    grid.add_column(overflow="fold")  # a word longer than the column (a URL, on a phone) goes on below, not cut
    for label, value in rows:
        grid.add_row(Text(label, style="bold"), lit(value) if isinstance(value, str) else bulleted(value))
    return grid


def bulleted(items: list[str]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(Text("•"), lit(item))
    return grid


class CardTable(PointedTable):
    """Browse's table: Home and End go to the first and the last card (DataTable's own move sideways); the
    highlighted card's row starts with POINTER."""

    BINDINGS = [
        Binding("home", "first_card", "First card", show=False),
        Binding("end", "last_card", "Last card", show=False),
    ]

    def action_first_card(self) -> None:
        screen = self.screen
        if isinstance(screen, BrowseScreen):
            screen.show_first_card()

    def action_last_card(self) -> None:
        screen = self.screen
        if isinstance(screen, BrowseScreen):
            screen.show_last_card()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable measures every cell of each new row, for columns as wide as their text; each of Browse's
        columns has its width given and each row one line, so no measure changes what is drawn (End over 45k
        cards spent 9 s there). The scrollable size is set as DataTable sets it."""
        added = [self.rows[key] for key in new_rows if key in self.rows]  # a row removed since is skipped, as there
        if any(column.auto_width for column in self.columns.values()) or any(
            row.label is not None or row.auto_height for row in added
        ):
            super()._update_dimensions([row.key for row in added])
            return
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header_height)


def card_details(deck: Deck, card: Card) -> Table:
    """The whole card, every piece of deck text taken literally."""
    note = card.note
    rows: list[tuple[str, str | list[str]]] = [
        ("Deck", deck.title),
        ("Card", f"{card.key} ({card.kind})"),
        ("Topic", deck.topic_title(card.topic) if card.topic else "—"),
        ("Tags", ", ".join(note.tags) or "—"),
        ("Question", faces.question(card)),
    ]
    rows += KINDS[card.kind].details(note)
    rows.append(("Answer", faces.full_text(card)))
    if note.explain:
        rows.append(("Explain", note.explain))
    if note.outside:
        rows.append(("Not from sources", note.outside))
    sources = [deck.source(s) for s in note.sources]
    if sources:
        rows.append(("Sources", [s.title + (f" ({s.publisher})" if s.publisher else "") for s in sources if s]))
    return labelled(rows)


def state_details(state: CardState, flag: int, marked: bool, now: datetime, rollover: int) -> Table:
    stability = f"{state.stability:.1f} d" if state.stability is not None else "—"
    difficulty = f"{state.difficulty:.1f}" if state.difficulty is not None else "—"
    if state.is_new or state.due is None:
        due = "new, not yet scheduled"
    else:
        due = f"{state.due.astimezone():%Y-%m-%d %H:%M} ({due_text(state.due, now, rollover)})"
    status = card_status(state, now)
    if state.buried_until is not None and is_buried(state, now):
        status += f" until {state.buried_until.astimezone():%Y-%m-%d %H:%M} (b unburies)"
    flagged: list[tuple[str, str | list[str]]] = [("Flag", f"{flag_name(flag)} (flag:{flag})")] if flag else []
    if marked:
        flagged.append(("Mark", f"the note is marked (tag:{MARKED_TAG})"))
    return labelled(
        [
            ("State", status),
            *flagged,
            ("Due", due),
            ("Reviews", str(state.reps)),
            ("Lapses", str(state.lapses) + (" (leech)" if state.leech else "")),
            ("Stability", stability),
            ("Difficulty", difficulty),
        ]
    )


class CardScreen(PictureKey, SoundKey, ModalScreen[None]):
    """One card in full: content, schedule, and every answer given to it."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        *CARD_BINDINGS,
        *IMAGE_BINDINGS,
        *SOUND_BINDINGS,
    ]

    def __init__(self, deck: Deck, card: Card, on_change: Callable[[Card], None] | None = None) -> None:
        super().__init__(id="card-detail")
        self.deck, self.card = deck, card
        self.on_change = on_change

    def compose(self) -> ComposeResult:
        # Filled before they are mounted, not in on_mount: a card closed by a key typed right after Enter
        # is gone by the time its Mount event comes, with nothing left to fill.
        self._state = Static("", id="card-state")
        self._empty = Static("", id="card-history-empty")
        self._history: DataTable[Text] = DataTable(id="card-history", cursor_type="row", zebra_stripes=True)
        self._history_rows: list[HistoryRow] = []
        self._paired = False
        self._refresh()
        self._content = Static(card_details(self.deck, self.card), id="card-content")
        self._image = CardImage(note_pictures(self.deck, self.card.note.all_images), id="card-image")
        with Vertical(id="card-dialog"):
            with VerticalScroll(id="card-scroll"):
                yield self._content
                yield self._image
                yield self._state
                yield Label("History", classes="section-title")
                yield self._empty
                yield self._history
            yield KeyBar()

    def _refresh(self) -> None:
        """Show the card's schedule and its answers, from the store."""
        context = quiz_app(self).context
        store = context.store
        state = effective_state(self.card, store.state(self.card.deck_id, self.card.key))
        flag, marked = store.flag(self.card.deck_id, self.card.key), is_marked(store, self.card)
        self._state.update(state_details(state, flag, marked, context.clock.now(), store.settings().rollover_hour))
        history = history_rows(store.reviews(deck_id=self.card.deck_id, card_key=self.card.key))
        self._history_rows = history
        self._show_history()
        self._history.display = bool(history)
        self._empty.update(lit("No answers yet." if not history else ""))
        self._empty.display = not history

    def _show_history(self) -> None:
        """The answers, a line each; on a narrow page (a phone's) two lines each, their figures paired."""
        table = self._history
        self._paired = (self.size.width or self.app.size.width) < PAIRED_BELOW
        table.clear(columns=True)
        table.header_height = 2 if self._paired else 1
        for heading in ("When", "Grade\nMode", "Time\nInterval") if self._paired else HISTORY_HEADINGS:
            table.add_column(heading)
        for row in self._history_rows:
            cells: tuple[str, ...]
            if self._paired:
                cells = (row.when.replace(" ", "\n", 1), f"{row.grade}\n{row.mode}", f"{row.duration}\n{row.interval}")
            else:
                cells = (row.when, row.grade, row.mode, row.duration, row.interval)
            table.add_row(*(lit(cell) for cell in cells), height=2 if self._paired else 1)

    def on_resize(self, event: Resize) -> None:
        if (event.size.width < PAIRED_BELOW) != self._paired:
            self._show_history()

    def _changed(self, card: Card) -> None:
        self._refresh()
        if self.on_change is not None:
            self.on_change(card)

    def action_close(self) -> None:
        self.dismiss()

    def action_toggle_suspend(self) -> None:
        self._toggle(toggle_suspend)

    def action_toggle_bury(self) -> None:
        self._toggle(toggle_bury)

    def _toggle(self, toggler: Callable[[Screen, Card], str | None]) -> None:
        """Suspend or bury the card, or undo it (`toggler` says which it did), then show its state again."""
        done = toggler(self, self.card)
        if done is not None:
            self._changed(self.card)
            say(self.app, done, timeout=2)

    def action_flag(self, pressed: int) -> None:
        press_flag(self, self.card, pressed, self._changed)

    def action_pick_flag(self) -> None:
        pick_flag(self, self.card, self._changed)

    def action_toggle_mark(self) -> None:
        press_mark(self, self.card, self._changed)

    def action_edit(self) -> None:
        if not edit_card(self, self.card):
            return
        library = quiz_app(self).context.library
        deck, card = library.deck(self.card.deck_id), library.card(self.card.deck_id, self.card.key)
        if deck is not None and card is not None:  # else the edit removed it (or broke its deck): as it was
            self.deck, self.card = deck, card
            self._content.update(card_details(deck, card))
            self._image.show(note_pictures(deck, card.note.all_images))
            self.refresh_bindings()  # the sound key, for a card that names a sound now
        self._changed(self.card)

    def action_reset(self) -> None:
        confirm_reset(self, self.card, self._changed)

    def shown_sounds(self) -> Sounds:
        return card_sounds(self.deck, self.card, answered=True)
