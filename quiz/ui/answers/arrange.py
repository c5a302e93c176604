"""Answer widgets that arrange items: put items in order, and match left items to right ones."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

from quiz.core.kinds.base import Response, body_as
from quiz.core.kinds.match import MatchBody
from quiz.core.kinds.order import OrderBody
from quiz.ui.answers.base import NUMBER_KEYS, AnswerPart, AnswerWidget, answer_of
from quiz.ui.widgets.drawn_lines import DrawnLines
from quiz.ui.widgets.literal import lit
from quiz.ui.widgets.pointer import POINTER
from quiz.ui.widgets.pressable import Pressable
from quiz.ui.widgets.steady import SteadySize

CURSOR_STYLE = "reverse"
PHONE_WIDTH = 40  # a match grid narrower than this is in a phone's terminal (about 40 columns): every row counts
# There, the choices' heading says how to answer: items that wrap put the hint under the card below the bottom
NARROW_HEADING = f"Press the number matching {POINTER}:"
CHOICES_BELOW = "Choices below: press PageDown"  # the heading there while the first choice is below the card's bottom
ARROW = "  →  "  # between a match row's left item and the number chosen for it
SELECTED = "Selected: "  # heads the selected left item shown whole under the choices while it is cut


def hanging(lead: Text, text: Text, width: int, console: Console, before: int = 0) -> Text:
    """`lead` (an item's number) then `text`, the lines a long `text` wraps to at `width` standing under its start,
    not under `lead`: at 40 columns a wrapped item's end stood at the left edge, as if it were another item. `before`:
    the columns drawn before `lead` (a cursor, a mark)."""
    indent = before + lead.cell_len
    if width - indent < 2:  # not laid out yet, or too narrow to matter
        return lead + text
    return lead + Text("\n" + " " * indent).join(text.wrap(console, width - indent))


def scrolling_card(widget: Widget) -> Widget | None:
    """The nearest of `widget`'s ancestors that scrolls vertically (the card), shown scrollbar or not."""
    return next(
        (
            node
            for node in widget.ancestors
            if isinstance(node, Widget) and node.styles.overflow_y in ("auto", "scroll")
        ),
        None,
    )


def wrapped_heights(rows: list[Text], width: int, console: Console) -> list[int]:
    """The lines each row takes at `width`, as it is drawn: a long item wraps, and a height of one line a row left
    the items after it unseen (a match card's last choices at 80 columns)."""
    return [len(row.wrap(console, width)) if width > 0 else 1 for row in rows]


class CursorRows(AnswerPart, SteadySize, Widget, can_focus=True):
    """Rows with a cursor moved by ↑/↓, drawn only while focused (Textual repaints a widget gaining or losing focus)
    and unanswered; locked with its answer (`AnswerPart`)."""

    cursor = reactive(0)
    marks: list[bool] | None = None  # after answering: whether each row is right

    def row_count(self) -> int:
        raise NotImplementedError

    def marked_row(self, index: int, unmarked: str, row: Text) -> Text:
        """Row `index` after its mark: ✓ or ✗ once the answer is checked (the row green or red), else POINTER
        under the cursor while focused (the row reversed too: a screen reader misses a style), then `unmarked`."""
        if self.marks is not None:
            row = Text.assemble("✓" if self.marks[index] else "✗", " " * len(unmarked), row)
            row.stylize("green" if self.marks[index] else "red")
        else:
            pointed = index == self.cursor and self.has_focus
            row = Text.assemble(POINTER if pointed else " ", unmarked, row)
            if pointed:
                row.stylize(CURSOR_STYLE)
        return row

    def action_cursor(self, step: int) -> None:
        self.cursor = (self.cursor + step) % self.row_count()

    def drawn_width(self, width: int) -> int:
        """The columns the rows are drawn in, given `width`."""
        return width

    @property
    def width_drawn(self) -> int:
        """The columns the rows are drawn in now (drawn_width)."""
        return self.drawn_width(self.content_size.width)

    def row_at(self, rows: list[Text], y: int) -> int | None:
        """Which of `rows`, drawn one after another from the top at this widget's width, line `y` is in."""
        for index, lines in enumerate(wrapped_heights(rows, self.width_drawn, self.app.console)):
            if 0 <= y < lines:
                return index
            y -= lines
        return None

    def lines_in_sight(self, room: int) -> tuple[int, int]:
        """The line in this widget to keep in sight from as the cursor moves, and how many lines, in a card showing
        `room` lines (more than `room`: the first ones in sight)."""
        raise NotImplementedError

    def watch_cursor(self) -> None:
        self.refresh()
        self.call_after_refresh(self.show_cursor_row)

    def show_cursor_row(self) -> None:
        """Scroll the card, if need be, to the cursor's row (lines_in_sight): in a short pane a long list reaches
        below the card's visible rows, and the selection went there unseen."""
        container = scrolling_card(self)
        if container is None:
            return
        top, height = self.lines_in_sight(container.scrollable_content_region.height)
        area = self.content_region
        row = Region(area.x, area.y + top, area.width, height)
        # the region in the container's scrolled content
        row = row.translate(container.scroll_offset - container.scrollable_content_region.offset)
        container.scroll_to_region(row, animate=False, immediate=True)


class OrderList(CursorRows):
    """The items as a list: ↑/↓ select, Shift/Ctrl+↑/↓ move; numbers pressed in sequence place items."""

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("shift+up,ctrl+up", "move(-1)", "Move up", show=False, tooltip="Move the selected item up"),
        Binding("shift+down,ctrl+down", "move(1)", "Move down", show=False, tooltip="Move the selected item down"),
        Binding("backspace", "restart", "Restart numbering", show=False),
        *NUMBER_KEYS,
    ]

    def __init__(self, items: list[str]) -> None:
        super().__init__()
        self.set_items(items)

    def set_items(self, items: list[str]) -> None:
        """Start over with these items, in this order."""
        self.items = list(items)
        self.labels = {item: number for number, item in enumerate(items, start=1)}
        self.placed = 0  # how many items the number keys have put in place so far
        self.touched = False
        self.marks = None
        self.set_reactive(OrderList.cursor, 0)
        if self.is_mounted:
            self.refresh(layout=True)

    def rows(self, width: int) -> list[Text]:
        rows = []
        for index, item in enumerate(self.items):
            unmarked = "• " if index < self.placed else "  "
            number = Text(f"{self.labels[item]}  ", style="bold")
            row = hanging(number, lit(item), width, self.app.console, before=len(POINTER + unmarked))
            rows.append(self.marked_row(index, unmarked, row))
        return rows

    def render(self) -> Text:
        return Text("\n").join(self.rows(self.content_size.width))

    def get_content_height(self, container, viewport, width: int) -> int:
        # The same whatever the order, so a move needs no layout: each item keeps its lines
        return sum(wrapped_heights(self.rows(width), width, self.app.console))

    def row_count(self) -> int:
        return len(self.items)

    def lines_in_sight(self, room: int) -> tuple[int, int]:
        """The cursor's row: the line it starts on, and how many it takes."""
        heights = wrapped_heights(self.rows(self.content_size.width), self.content_size.width, self.app.console)
        return sum(heights[: self.cursor]), heights[self.cursor]

    def action_move(self, step: int) -> None:
        target = self.cursor + step
        if 0 <= target < len(self.items):
            self.items[self.cursor], self.items[target] = self.items[target], self.items[self.cursor]
            self.cursor, self.touched = target, True
            self.refresh()

    def action_pick(self, number: int) -> None:
        """Place the item labelled `number` next in the sequence being typed."""
        item = next((i for i, n in self.labels.items() if n == number), None)
        if item is None or self.items.index(item) < self.placed:
            return
        self.items.remove(item)
        self.items.insert(self.placed, item)
        self.placed += 1
        self.cursor, self.touched = self.items.index(item), True
        self.refresh()

    def action_restart(self) -> None:
        self.placed = 0
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if (index := self.row_at(self.rows(self.content_size.width), event.y)) is not None:
            self.cursor = index


class MoveButtons(Pressable[int], DrawnLines, Widget):
    """The order card's Move up and Move down buttons, drawn as one line: a click on one moves the selected item.
    Blank once the answer shows, keeping its row (as the reveal prompt does): the back then shows where the hint was,
    and nothing is laid out again (hiding it, or two Buttons in a row, would lay the screen out)."""

    COMPONENT_CLASSES = {"move-buttons--button", "move-buttons--hover"}
    ALLOW_SELECT = False
    BUTTONS = (("  ↑ Move up  ", -1), ("  ↓ Move down  ", 1))  # each label, and the move it makes
    GAP = 2  # cells between the buttons

    def __init__(self) -> None:
        super().__init__()
        self.shown = True

    def show(self, shown: bool) -> None:
        if shown != self.shown:
            self.shown, self.hover = shown, None
            self.refresh()

    def render(self) -> Content:
        if not self.shown:
            return Content("")
        button, hover = self.get_visual_style("move-buttons--button"), self.get_visual_style("move-buttons--hover")
        return Content(" " * self.GAP).join(
            Content(label).stylize_before(button).stylize(hover if step == self.hover else "")
            for label, step in self.BUTTONS
        )

    def places(self, width: int) -> list[tuple[int, int, int]]:
        places, start = [], 0
        for label, step in self.BUTTONS if self.shown else ():
            places.append((start, start + cell_len(label), step))
            start += cell_len(label) + self.GAP
        return places

    def press(self, step: int) -> None:
        answer_of(self).query_one(OrderList).action_move(step)


class OrderAnswer(AnswerWidget):
    """Order cards: put the shuffled items in the right order, Enter answers."""

    kinds = ("order",)
    marks_answer = True
    hint = "↑/↓ select, Shift+↑/↓ or Ctrl+↑/↓ move; or press the numbers in the right order."
    BINDINGS = [Binding("enter", "submit", "Answer", tooltip="Check the order")]

    def setup(self) -> None:
        right = body_as(self.card.note, OrderBody).items
        items = list(right)
        while len(items) > 1 and tuple(items) == right:
            self.rng.shuffle(items)
        self.shuffled = items

    def reset(self) -> None:
        self.query_one(OrderList).set_items(self.shuffled)
        self.query_one(MoveButtons).show(True)

    def compose(self) -> ComposeResult:
        yield OrderList(self.shuffled)
        yield MoveButtons()

    def response(self) -> Response:
        order = self.query_one(OrderList)
        return tuple(order.items) if order.touched else None

    def show_result(self) -> None:
        order = self.query_one(OrderList)
        right_order = body_as(self.card.note, OrderBody).items
        order.marks = [item == right for item, right in zip(order.items, right_order, strict=True)]
        order.refresh()
        self.query_one(MoveButtons).show(False)
        super().show_result()


class MatchGrid(CursorRows):
    """Left items with the right item chosen for each; the numbered right items below."""

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("backspace,delete", "clear", "Clear pair", show=False),
        *NUMBER_KEYS,
    ]

    def __init__(self, lefts: list[str], rights: list[str]) -> None:
        super().__init__()
        self.set_pairs(lefts, rights)

    def set_pairs(self, lefts: list[str], rights: list[str]) -> None:
        """Start over with these left and right items, nothing chosen."""
        self.lefts, self.rights = lefts, rights
        self.chosen: dict[int, int] = {}  # left index -> right index
        self.laid_at = 0  # the columns drawn in (drawn_width) as last laid out
        self.heading_drawn = ""  # the choices' heading as last drawn
        self.marks = None
        self.set_reactive(MatchGrid.cursor, 0)
        if self.is_mounted:
            self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        self.laid_at = self.drawn_width(width)
        return self.lines(self.laid_at)

    def on_mount(self) -> None:
        # The heading hangs on the card's height and scroll, which change with the grid's own size unchanged:
        # after a resize or a scroll the screen lays its widgets out again
        self.screen.screen_layout_refresh_signal.subscribe(self, self._redraw_if_heading_changed)

    def on_resize(self) -> None:
        """Lay the grid out again if it was at the card's width before a resize: the card's own size is known only
        once laid out, and resized from 44 to 46 columns the grid kept the lines it had at 44."""
        if self.width_drawn != self.laid_at:
            self.refresh(layout=True)

    def _redraw_if_heading_changed(self, _: object = None) -> None:
        if self.heading(self.width_drawn) != self.heading_drawn:
            self.refresh()

    def lines(self, width: int) -> int:
        """The grid's lines at `width`, down to the last of those naming the selected item whole."""
        return self.selected_top(width) + self.selected_lines(width)

    def choices_top(self, width: int) -> int:
        """The line the numbered choices start on: under the left items, a blank line (none in a phone's narrow
        terminal, where it put the hint under the card below the bottom at 40x20) and the choices' heading."""
        left_lines = sum(wrapped_heights(self.left_rows(width), width, self.app.console))
        return left_lines + (1 if self.narrow(width) else 2)

    def selected_top(self, width: int) -> int:
        """The line under the last choice: the selected item is named whole from there. Under the items it pushed the
        choices' heading and every choice below a 40x20 card as it opened."""
        return self.choices_top(width) + sum(wrapped_heights(self.choice_rows(width), width, self.app.console))

    @staticmethod
    def narrow(width: int) -> bool:
        """Whether a grid laid out `width` columns wide is in a phone's terminal."""
        return 0 < width < PHONE_WIDTH

    def drawn_width(self, width: int) -> int:
        """The columns the grid is drawn in, given `width`: at most the card's width less its scrollbar's, shown or
        not, and the padding and margins down to the grid. Drawn at `width`, at 44 to 46 columns the grid's rows
        made the card overflow, its scrollbar took 2 columns and the grid wrapped to a line more (or the other way),
        and whether it did hung on what the scrollbar showed before a resize: each ↓ laid the card out again."""
        card = scrolling_card(self)
        if card is None or not width or not card.size.width:  # not laid out yet: on_resize lays the grid out again
            return width
        frame = sum(
            node.styles.gutter.width + node.styles.margin.width
            for node in self.ancestors_with_self[: self.ancestors_with_self.index(card)]
        )
        return max(min(width, card.size.width - card.styles.scrollbar_size_vertical - frame), 1)

    def choice_rows(self, width: int) -> list[Text]:
        """Each numbered choice, a long one's lines under its text, not under its number (at 40 columns the end of
        "1  NMDA block plus indirect AMPA" stood at the left edge, as if it were another choice)."""
        return [
            hanging(Text.assemble("  ", (f"{n}  ", "bold")), lit(right), width, self.app.console)
            for n, right in enumerate(self.rights, 1)
        ]

    def render(self) -> Text:
        width = self.width_drawn
        rows = self.left_rows(width)
        narrow = self.narrow(width)
        if not narrow:
            rows.append(Text(""))
        self.heading_drawn = self.heading(width)
        rows.append(Text(self.heading_drawn, style="bold"))
        rows.extend(self.choice_rows(width))
        rows.extend(self.selected_whole(width))
        return Text("\n").join(rows)

    def heading(self, width: int) -> str:
        """The choices' heading: in a phone's terminal it says how to answer, or, while the first choice is below the
        card's bottom (four long pairs under the question and the hint at 40x20), how to reach them; once answered
        the number keys grade, and it no longer asks for one."""
        if not self.narrow(width) or self.marks is not None:
            return "Choices:"
        return CHOICES_BELOW if self.first_choice_below(width) else NARROW_HEADING

    def first_choice_below(self, width: int) -> bool:
        """Whether the first choice's first line is below the card's bottom, the card scrolled as it is now."""
        card = scrolling_card(self)
        if card is None or not card.size.height:
            return False
        area = card.scrollable_content_region
        return self.content_region.y - area.y + self.choices_top(width) >= area.height

    def left_rows(self, width: int) -> list[Text]:
        """Each left item, marked, with the choice picked for it: one line, a long item cut with …; once answered a
        wrong pair's cut item whole, its lines under its start (cut, two wrong items read alike on the back)."""
        left_width = self.left_width(width)
        rows = []
        for index, left in enumerate(self.lefts):
            pick = self.chosen.get(index)
            right = (
                Text("?", style="dim")
                if pick is None
                else Text.assemble((f"{pick + 1} ", "bold"), lit(self.rights[pick]))
            )
            if self.marks is not None and not self.marks[index] and self.is_cut(index, width):
                whole = hanging(
                    Text(""),
                    Text.assemble(lit(left), ARROW, right),
                    width,
                    self.app.console,
                    before=len(POINTER + "  "),
                )
                rows.append(self.marked_row(index, "  ", whole))
                continue
            shown = lit(left)  # measured as shown (the Linux console spells out some signs)
            shown.truncate(left_width, overflow="ellipsis", pad=True)
            row = self.match_row(index, shown, right)
            if width:  # one line, as counted: the choice is there in full below
                row.truncate(width, overflow="ellipsis")
            rows.append(row)
        return rows

    def match_row(self, index: int, left: Text, right: Text) -> Text:
        """Left item `index` shown as `left`, marked, then the arrow and `right` (the number chosen, or ?)."""
        return self.marked_row(index, "  ", Text.assemble(left, ARROW, right))

    def left_width(self, width: int) -> int:
        """The columns each left item is given in a grid `width` columns wide (a longer one is cut with …)."""
        return min(max(lit(left).cell_len for left in self.lefts), 30, self.left_room(width))

    def left_room(self, width: int) -> int:
        """The columns a left item may take and leave its chosen number in sight after the arrow: at 40 columns a
        26-column item left room only for "…", the number picked unseen."""
        if not width:
            return 30
        number = len(str(len(self.rights))) + 2  # "3 …"
        frame = self.match_row(0, Text(""), Text("")).cell_len  # the mark, the indent and the arrow, as drawn
        return max(width - frame - number, 1)

    def is_cut(self, index: int, width: int) -> bool:
        """Whether left item `index` is cut with … in a grid `width` columns wide."""
        return lit(self.lefts[index]).cell_len > self.left_width(width)

    def whole_item(self, index: int, width: int) -> Text:
        """Left item `index` whole, its lines under its start, then the number chosen for it: a cut item ("The effect
        of ketamine…") read alike another cut at the same place, nothing before answering telling them apart; at
        40x20 its row, with the number pressed for it, scrolled away as the selection moved on."""
        whole = hanging(Text(SELECTED), lit(self.lefts[index]), width, self.app.console)
        pair = Text.assemble("→ ", self.chosen_number(index))  # one piece: wrapped, "→" ended a line, "?" under it
        if width and whole.split("\n")[-1].cell_len + 2 + pair.cell_len > width:
            return Text.assemble(whole, "\n", " " * len(SELECTED), pair)
        return Text.assemble(whole, "  ", pair)

    def chosen_number(self, index: int) -> Text:
        """The number chosen for left item `index`, or ?, as wide whichever (the lines naming it keep their count)."""
        pick = self.chosen.get(index)
        digits = len(str(len(self.rights)))
        return Text("?".ljust(digits), style="dim") if pick is None else Text(f"{pick + 1}".ljust(digits), "bold")

    def selected_lines(self, width: int) -> int:
        """The lines kept under the choices for the selected item whole: as many as the longest cut one takes, so
        the card keeps its height as the selection moves; none while every item shows whole, nor once answered."""
        cut = [index for index in range(len(self.lefts)) if self.is_cut(index, width)]
        if not cut or self.marks is not None:
            return 0
        return max(wrapped_heights([self.whole_item(index, width) for index in cut], width, self.app.console))

    def selected_whole(self, width: int) -> list[Text]:
        """The lines under the choices: the selected item whole while the cursor is drawn and the item is cut (one
        shown whole needs no second reading), else blank."""
        lines = self.selected_lines(width)
        if not lines or not self.has_focus or not self.is_cut(self.cursor, width):
            return [Text("")] * lines
        whole = self.whole_item(self.cursor, width)
        return [whole, *[Text("")] * (lines - wrapped_heights([whole], width, self.app.console)[0])]

    def mark(self, marks: list[bool]) -> None:
        """Mark each pair right or wrong, laid out again only if that changes the grid's lines (a wrong pair's cut
        item shown whole, the lines naming the selected item gone): a reveal lays nothing else out."""
        width = self.width_drawn
        lines = self.lines(width)
        self.marks = marks
        self.refresh(layout=self.lines(width) != lines)

    def row_count(self) -> int:
        return len(self.lefts)

    def lines_in_sight(self, room: int) -> tuple[int, int]:
        """The selected item first: its row, or while it is cut the lines naming it whole ("Selected: …", under the
        choices); then as many rows from the cursor's down to those lines as `room` leaves. The last choices went
        below a 40x20 card, unseen as the cursor moved; kept from the choices' heading down, nine long choices
        were more than the card showed and it showed their top, neither the cursor's row nor "Selected: …"."""
        width = self.width_drawn
        if self.selected_lines(width) and self.is_cut(self.cursor, width):
            item_top = self.selected_top(width)
            end = item_top + wrapped_heights([self.whole_item(self.cursor, width)], width, self.app.console)[0]
            top = min(max(self.cursor, end - room), item_top)
        else:
            top, end = self.cursor, self.lines(width)
        return top, max(min(end - top, room), 1)  # no taller than the card: it would show the top of it

    def action_pick(self, number: int) -> None:
        if 0 < number <= len(self.rights):
            self.chosen[self.cursor] = number - 1
            unmatched = [i for i in range(len(self.lefts)) if i not in self.chosen]
            later = [i for i in unmatched if i > self.cursor]
            if later or unmatched:
                self.cursor = (later or unmatched)[0]
            self.refresh()

    def action_clear(self) -> None:
        self.chosen.pop(self.cursor, None)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if 0 <= event.y < len(self.lefts):
            self.cursor = event.y
        elif (
            choice := self.row_at(self.choice_rows(self.width_drawn), event.y - self.choices_top(self.width_drawn))
        ) is not None:
            self.action_pick(choice + 1)


class MatchAnswer(AnswerWidget):
    """Match cards: for each left item press the number of its right item, Enter answers."""

    kinds = ("match",)
    marks_answer = True
    hint = "Press the number of each left item's match in turn (the selection moves on by itself); ↑/↓ select."
    BINDINGS = [Binding("enter", "submit", "Answer", tooltip="Check the pairs")]

    def setup(self) -> None:
        pairs = body_as(self.card.note, MatchBody).pairs
        self.lefts = [left for left, _ in pairs]
        self.rights = [right for _, right in pairs]
        self.rng.shuffle(self.rights)

    def reset(self) -> None:
        self.query_one(MatchGrid).set_pairs(self.lefts, self.rights)

    def compose(self) -> ComposeResult:
        yield MatchGrid(self.lefts, self.rights)

    def response(self) -> Response:
        chosen = self.query_one(MatchGrid).chosen
        if not chosen:
            return None
        return {self.lefts[left]: self.rights[right] for left, right in chosen.items()}

    def show_result(self) -> None:
        grid = self.query_one(MatchGrid)
        pairs = dict(body_as(self.card.note, MatchBody).pairs)
        grid.mark(
            [
                grid.chosen.get(i) is not None and self.rights[grid.chosen[i]] == pairs[left]
                for i, left in enumerate(self.lefts)
            ]
        )
        super().show_result()
