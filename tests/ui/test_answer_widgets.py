"""The answer widgets' own event handlers, on their own: clicks on arranged items, the cursor drawn only
while focused, and Space on an empty typed answer."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import UI_DECK, screen_rows
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Button

import quiz.ui.app
from quiz.core.decks import load_deck_file
from quiz.core.model import Card
from quiz.ui.answers import answer_widget
from quiz.ui.answers.arrange import CURSOR_STYLE, MatchGrid, MoveButtons, OrderList
from quiz.ui.answers.base import AnswerWidget
from quiz.ui.answers.multi import MultiAnswer, MultiPicker
from quiz.ui.answers.typed import AnswerInput
from quiz.ui.widgets.drawn_lines import drawn_as
from quiz.ui.widgets.ticklist import TickList


def card(key: str) -> Card:
    deck = load_deck_file(UI_DECK).deck
    assert deck is not None
    return next(c for c in deck.cards if c.key == key)


class OneAnswer(App):
    """One answer widget, and a button to move the focus to."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.widget = answer_widget(card(key), random.Random(1))
        self.submitted: list[object] = []

    def compose(self) -> ComposeResult:
        yield self.widget
        yield Button("elsewhere")

    def on_answer_widget_submitted(self, event: AnswerWidget.Submitted) -> None:
        self.submitted.append(event.response)


async def test_a_click_selects_an_item_to_order() -> None:
    app = OneAnswer("order")
    async with app.run_test() as pilot:
        order = app.query_one(OrderList)
        await pilot.click(OrderList, offset=(4, 2))
        assert order.cursor == 2
        await pilot.click(OrderList, offset=(4, 5))  # below the items: nothing
        assert order.cursor == 2


async def test_a_click_on_a_choice_matches_it_to_the_selected_item() -> None:
    app = OneAnswer("match")
    async with app.run_test() as pilot:
        grid = app.query_one(MatchGrid)
        await pilot.click(MatchGrid, offset=(4, 1))  # the second left item
        await pilot.click(MatchGrid, offset=(4, len(grid.lefts) + 2))  # the first choice
        assert grid.chosen == {1: 0}


async def test_match_numbers_pressed_in_turn_match_each_left_item_as_the_hint_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a number the selection moves to the next left item: a ↓ there, as the old hint suggested, skipped
    one and left it unmatched (a right answer graded wrong)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = OneAnswer("match")
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(MatchGrid)
        assert "in turn (the selection moves on by itself)" in type(app.widget).hint
        await pilot.press(*[str(n) for n in range(len(grid.lefts), 0, -1)])
        assert grid.chosen == {i: len(grid.lefts) - 1 - i for i in range(len(grid.lefts))}


async def test_the_cursor_is_drawn_only_while_focused() -> None:
    app = OneAnswer("order")
    async with app.run_test() as pilot:
        order = app.query_one(OrderList)
        drawn = []
        render = order.render
        order.render = lambda: drawn.append(render()) or drawn[-1]  # type: ignore[method-assign]

        def cursor_shown() -> bool:
            return any(span.style == CURSOR_STYLE for span in drawn[-1].spans)

        order.focus()
        await pilot.pause()
        assert order.has_focus and cursor_shown()
        app.query_one(Button).focus()
        await pilot.pause()
        assert not cursor_shown()  # drawn again on losing the focus
        order.focus()
        await pilot.pause()
        assert cursor_shown()


async def test_space_on_an_empty_typed_answer_shows_the_answer_and_types_otherwise() -> None:
    app = OneAnswer("typed")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one(AnswerInput).has_focus
        await pilot.press("space")
        await pilot.pause()
        assert app.submitted == [None] and app.query_one(AnswerInput).value == ""
        await pilot.press("2", "space", "0")
        await pilot.pause()
        assert app.query_one(AnswerInput).value == "2 0" and app.submitted == [None]


async def test_space_ticks_and_unticks_a_multi_option() -> None:
    app = OneAnswer("multi")
    async with app.run_test() as pilot:
        answer = app.query_one(MultiAnswer)
        picker = app.query_one(MultiPicker)
        picker.focus()
        picker.highlighted = 0
        await pilot.press("space")
        assert answer.ticked == {0}
        await pilot.press("down", "space", "space", "space")
        assert answer.ticked == {0, 1}  # the second one ticked, unticked, ticked again


@pytest.mark.parametrize("key", ["choice", "tf", "multi", "order", "match", "typed", "cz/1"])
async def test_a_checked_answer_keeps_the_focus_and_takes_no_key_or_click(key: str) -> None:
    # Locked, not disabled (which took the focus away): its keys go on to the screen, where they grade. A typed
    # answer keeps what was typed and types no more.
    app = OneAnswer(key)
    async with app.run_test() as pilot:
        await pilot.pause()
        widget = app.widget
        focused = app.focused
        assert focused is not None and focused in widget.walk_children()
        await pilot.press("1")
        await pilot.pause()
        before = widget.response()
        assert before is not None  # the number picked, ticked, placed or was typed
        widget.show_result()
        await pilot.pause()
        for keys in (["down", "2"], ["space"], ["enter"], ["backspace"]):
            await pilot.press(*keys)
            await pilot.pause()
        for y in range(6):  # every row an option, item or choice could be on
            await pilot.click(focused, offset=(6, y))
            await pilot.pause()
        assert app.focused is focused and widget.response() == before and app.submitted == []


class Styled(OneAnswer):
    CSS_PATH = "../../quiz/ui/app.tcss"  # the sizes the app gives the widget


async def test_the_move_buttons_move_the_selected_item_until_the_answer_is_checked() -> None:
    app = Styled("order")
    async with app.run_test() as pilot:
        await pilot.pause()
        order, buttons = app.query_one(OrderList), app.query_one(MoveButtons)
        first = order.items[0]
        down = buttons.render().plain.index("↓")
        unlit = buttons.render()
        await pilot.hover(MoveButtons, offset=(down, 0))
        await pilot.pause()
        assert buttons.hover == 1 and drawn_as(buttons.render()) != drawn_as(unlit)  # lit, as a Button was
        await pilot.click(MoveButtons, offset=(down, 0))
        await pilot.pause()
        assert order.items[1] == first and order.cursor == 1
        await pilot.click(MoveButtons, offset=(buttons.render().plain.index("↑"), 0))
        await pilot.pause()
        assert order.items[0] == first and order.cursor == 0
        await pilot.click(MoveButtons, offset=(down - 3, 0))  # the gap between the buttons: nothing
        await pilot.pause()
        assert order.items[0] == first
        app.widget.show_result()
        await pilot.pause()
        assert buttons.render().plain == "" and buttons.region.height == 1  # blank, its row kept
        await pilot.click(MoveButtons, offset=(down, 0))
        await pilot.pause()
        assert order.items[0] == first


class Topics(App):
    def compose(self) -> ComposeResult:
        yield TickList([(Text("one"), "a"), (Text("two"), "b")], ticked=set())


async def test_space_ticks_the_highlighted_entry_of_a_tick_list() -> None:
    app = Topics()
    async with app.run_test() as pilot:
        ticks = app.query_one(TickList)
        ticks.focus()
        await pilot.press("space")
        assert ticks.selected == ["a"]
        await pilot.press("down", "space", "up", "space")
        assert ticks.selected == ["b"]


def test_every_registered_kind_has_exactly_one_answer_widget() -> None:
    """Widgets are found by the kinds they name (quiz.ui.answers); a kind without one could not be studied."""
    from quiz.core.kinds import KINDS
    from quiz.ui.answers import ANSWER_WIDGETS

    assert set(ANSWER_WIDGETS) == set(KINDS)


async def test_a_checked_typed_answer_hides_its_cursor_until_the_next_card() -> None:
    # It keeps the focus, so Input would go on drawing (and blinking) its cursor where nothing more can be typed.
    app = OneAnswer("typed")
    async with app.run_test() as pilot:
        await pilot.pause()
        answer_input = app.query_one(AnswerInput)
        cursor = answer_input.get_component_rich_style("input--cursor")

        def cursor_shown() -> bool:
            drawn = answer_input.render_line(0)
            return any(segment.style and segment.style.bgcolor == cursor.bgcolor for segment in drawn)

        await pilot.press("1")
        await pilot.pause()
        assert answer_input.has_focus and cursor_shown()
        app.widget.show_result()
        await pilot.pause()
        assert answer_input.has_focus and not cursor_shown()
        answer_input.blur()  # the focus gone and back (a dialog closed, the terminal's window again)
        await pilot.pause()
        answer_input.focus()
        await pilot.pause()
        assert answer_input.has_focus and not cursor_shown()
        app.widget.load(card("cz/1"), random.Random(1))
        await pilot.pause()
        assert answer_input.has_focus and answer_input.value == "" and cursor_shown()


LONG = "a step of a procedure written out in full, longer than the sixty columns of this terminal"
LONG_ITEMS = f"""deck: long
title: Long
cards:
  - {{id: o, kind: order, front: Order them., items: ["{LONG}", second, third]}}
  - id: m
    kind: match
    front: Match them.
    pairs: {{Ketamine: "NMDA receptor antagonist: {LONG}", Lithium: Mood stabiliser}}
"""


class LongAnswer(OneAnswer):
    CSS_PATH = Path(quiz.ui.app.__file__).with_name("app.tcss")  # the lists' height and padding, as in the app

    def __init__(self, path: Path, key: str) -> None:
        App.__init__(self)
        deck = load_deck_file(path).deck
        assert deck is not None
        self.widget = answer_widget(next(c for c in deck.cards if c.key == key), random.Random(1))
        self.submitted = []


async def test_items_longer_than_the_width_leave_every_item_in_sight_and_clickable(tmp_path: Path) -> None:
    """An item that wraps took as many lines as it needs, yet each list counted one line an item: an order card's
    last items and a match card's last choices were cut off, unseen (at 80 columns too), and a click picked the
    item of the line's number."""
    deck = tmp_path / "long.yaml"
    deck.write_text(LONG_ITEMS, encoding="utf-8")
    app = LongAnswer(deck, "o")
    async with app.run_test(size=(60, 30)) as pilot:
        order = app.query_one(OrderList)
        order.set_items([LONG, "second", "third"])  # the long one first (as shuffled, it came last)
        await pilot.pause()
        assert "third" in "\n".join(screen_rows(app))
        await pilot.click(OrderList, offset=(4, order.size.height - 1))  # the last line: the last item
        assert order.cursor == 2
    app = LongAnswer(deck, "m")
    async with app.run_test(size=(60, 30)) as pilot:
        grid = app.query_one(MatchGrid)
        grid.set_pairs(["Ketamine", "Lithium"], [f"NMDA receptor antagonist: {LONG}", "Mood stabiliser"])
        await pilot.pause()
        assert "Mood stabiliser" in "\n".join(screen_rows(app))
        await pilot.click(MatchGrid, offset=(4, grid.size.height - 1))  # the last line: the last choice
        assert grid.chosen == {0: 1}
        await pilot.press("1")  # the long one for Lithium
        picked = next(row for row in screen_rows(app) if f"{grid.lefts[1]} " in row)
        assert len(picked.rstrip()) <= 60 and "…" in picked  # the choice is cut on its line: the list has it whole
