"""The home screen's deck list on its own: keys, mouse, scrolling, keeping the selection, literal text."""

from __future__ import annotations

from conftest import screen_rows
from rich.text import Text
from textual.app import App, ComposeResult

from quiz.ui.widgets.decklist import DeckList, DeckRow
from quiz.ui.widgets.literal import lit
from quiz.ui.widgets.pointer import POINTER


def rows(count: int) -> list[DeckRow]:
    return [DeckRow(f"k{i}", Text(f"Row {i}"), i, i % 3, i % 5) for i in range(count)]


class ListApp(App):
    CSS = "#decks { height: 8; }"  # a header and 7 rows

    def __init__(self, start: list[DeckRow]) -> None:
        super().__init__()
        self.start = start
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield DeckList(id="decks")

    def on_mount(self) -> None:
        self.query_one(DeckList).set_rows(self.start)
        self.query_one(DeckList).focus()

    def on_deck_list_selected(self, event: DeckList.Selected) -> None:
        self.selected.append(event.key)


def lines(app: App) -> list[str]:
    widget = app.query_one(DeckList)
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_keys_move_within_the_rows_and_enter_selects() -> None:
    app = ListApp(rows(30))
    async with app.run_test(size=(60, 12)) as pilot:
        deck_list = app.query_one(DeckList)
        await pilot.press("up")
        assert deck_list.cursor == 0  # not past the first row
        await pilot.press("down", "down", "enter")
        assert deck_list.cursor_key == "k2" and app.selected == ["k2"]
        await pilot.press("pagedown")
        assert deck_list.cursor == 9  # a page is the 7 visible rows
        await pilot.press("end")
        assert deck_list.cursor == 29
        await pilot.pause()
        shown = lines(app)
        assert shown[0].split() == ["Deck", "/", "topic", "New", "Learn", "Due"]  # the header stays on top
        assert shown[-1].split() == ["▸", "Row", "29", "29", "2", "4"]  # scrolled so the cursor's row shows
        await pilot.press("down", "home")
        assert deck_list.cursor == 0 and lines(app)[1].split()[:3] == ["▸", "Row", "0"]
        await pilot.press("pageup")
        assert deck_list.cursor == 0


async def test_a_click_highlights_and_a_second_click_selects() -> None:
    app = ListApp(rows(5))
    async with app.run_test(size=(60, 12)) as pilot:
        deck_list = app.query_one(DeckList)
        await pilot.click(DeckList, offset=(3, 0))  # the header
        await pilot.click(DeckList, offset=(3, 7))  # below the last row
        assert deck_list.cursor == 0 and app.selected == []
        await pilot.click(DeckList, offset=(3, 4))
        assert deck_list.cursor == 3 and app.selected == []
        await pilot.click(DeckList, offset=(3, 4))
        await pilot.pause()
        assert app.selected == ["k3"]


async def test_the_row_under_the_mouse_is_highlighted() -> None:
    app = ListApp(rows(5))
    async with app.run_test(size=(60, 12)) as pilot:
        deck_list = app.query_one(DeckList)
        plain = list(deck_list.render_line(3))[0].style
        await pilot.hover(DeckList, offset=(3, 3))
        assert deck_list.hover == 2 and list(deck_list.render_line(3))[0].style != plain
        await pilot.hover(DeckList, offset=(3, 0))  # the header
        assert deck_list.hover is None and list(deck_list.render_line(3))[0].style == plain


async def test_new_rows_keep_the_highlighted_key_or_stay_in_range() -> None:
    app = ListApp(rows(10))
    async with app.run_test(size=(60, 12)) as pilot:
        deck_list = app.query_one(DeckList)
        await pilot.press("down", "down", "down")
        deck_list.set_rows(rows(10)[1:])  # k3 moved up a row
        assert deck_list.cursor_key == "k3" and deck_list.cursor == 2
        deck_list.set_rows(rows(2))  # k3 gone: the cursor stays on a row that exists
        assert deck_list.cursor_key == "k1"
        deck_list.set_rows([])
        assert deck_list.cursor_key is None
        await pilot.press("down", "enter", "end")
        assert app.selected == []


async def test_titles_are_shown_literally_and_cut_to_fit() -> None:
    title = lit("[bold red]not markup[/] [link=x]y[/link] " + "long " * 30)
    app = ListApp([DeckRow("k", title, 1, 2, 3)])
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        row = lines(app)[1]
        assert row.startswith("▸ [bold red]not markup[/] [link=x]y[/link] ") and "…" in row
        assert row.split()[-3:] == ["1", "2", "3"] and len(row) == 80


async def test_the_highlighted_row_stays_in_view_when_the_list_shrinks() -> None:
    """On Home the totals below the list wrap onto more lines for a long title (a Japanese deck's at 50 columns),
    so highlighting its row shrank the list after it had scrolled, and the row was below the list's end."""
    app = ListApp(rows(30))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        deck_list = app.query_one(DeckList)
        deck_list.styles.height = 5  # a header and 4 rows
        await pilot.pause()
        assert lines(app)[-1].split()[:3] == [POINTER, "Row", "29"]  # the highlighted row, in view


async def test_an_arrow_key_draws_only_the_two_rows_it_changes(monkeypatch) -> None:
    """Each ↑/↓ drew every row of the list again (Home's arrow keys, profiled): now only the row the highlight
    leaves and the one it reaches, unless the list scrolls; what the screen shows is the same."""
    app = ListApp(rows(30))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        drawn: list[int] = []
        draw = DeckList.render_line

        def recorded(self: DeckList, y: int):
            drawn.append(y)
            return draw(self, y)

        monkeypatch.setattr(DeckList, "render_line", recorded)
        for key, cursor in [("down", 1), ("down", 2), ("up", 1)]:
            drawn.clear()
            await pilot.press(key)
            await pilot.pause()
            assert sorted(drawn) == sorted({cursor + 1, (cursor - 1 if key == "down" else cursor + 1) + 1})
            shown = screen_rows(app)[1:8]  # the rows under the header
            assert [row.split()[0] == POINTER for row in shown] == [i == cursor for i in range(7)]
        await pilot.press(*["down"] * 8)  # past the last row in view: the list scrolls, every row drawn again
        await pilot.pause()
        assert screen_rows(app)[7].split()[:3] == [POINTER, "Row", "9"]
        assert screen_rows(app)[1].split()[:2] == ["Row", "3"]
