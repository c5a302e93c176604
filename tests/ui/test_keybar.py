"""The one-line footer: shows the keys that work now, follows the focus, and a click presses a key."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.strip import Strip
from textual.theme import Theme
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static

from quiz.ui.widgets.keybar import KeyBar


class Zed(Static, can_focus=True):
    BINDINGS = [Binding("z", "app.note('z')", "Zed")]


class KeysApp(App):
    BINDINGS = [
        Binding("a", "note('a')", "Alpha", tooltip="Say alpha"),
        Binding("b", "note('b')", "Beta"),
        Binding("c", "note('c')", "Hidden", show=False),
        Binding("x,y", "note('xy')", "Either"),  # two keys, one action: shown once, with the first key
        Binding("d", "blocked", "Blocked"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Zed()
        yield KeyBar()

    def action_note(self, what: str) -> None:
        self.notes.append(what)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return None if action == "blocked" else True  # shown, but disabled

    def bell(self) -> None:
        self.bells += 1


async def unfocused(pilot) -> None:
    """Nothing focused: the bar shows the app's own keys only."""
    pilot.app.set_focus(None)
    await pilot.pause()


def bar_text(app: App) -> str:
    return app.query_one(KeyBar).render().plain


async def test_it_shows_the_shown_keys_once_per_action_and_the_palette_on_the_right() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await unfocused(pilot)
        text = bar_text(app)
        assert text.startswith("a Alpha b Beta x Either d Blocked ")
        assert "Hidden" not in text and "y Either" not in text
        assert text.rstrip().endswith("▏^p palette") and len(text.rstrip()) == 79  # one cell spare, as in Footer


async def test_the_keys_follow_the_focus() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await unfocused(pilot)
        assert "Zed" not in bar_text(app)
        app.query_one(Zed).focus()
        await pilot.pause()
        assert bar_text(app).startswith("z Zed a Alpha")  # the focused widget's keys first, as in Footer
        await unfocused(pilot)
        assert "Zed" not in bar_text(app)


async def test_a_click_presses_the_key_and_a_disabled_key_only_rings() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await unfocused(pilot)
        text = bar_text(app)
        await pilot.click(KeyBar, offset=(text.index("Beta"), 0))
        await pilot.click(KeyBar, offset=(text.index("Either"), 0))
        await pilot.click(KeyBar, offset=(text.index("Blocked"), 0))
        await pilot.click(KeyBar, offset=(text.index("x Either") - 1, 0))  # the gap between two keys
        await pilot.pause()
        assert app.notes == ["b", "xy"] and app.bells == 1


async def test_hovering_a_key_shows_its_tooltip() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await unfocused(pilot)
        bar = app.query_one(KeyBar)
        await pilot.hover(KeyBar, offset=(bar_text(app).index("Alpha"), 0))
        assert bar.tooltip == "Say alpha"
        await pilot.hover(KeyBar, offset=(bar_text(app).index("Beta"), 0))
        assert bar.tooltip is None


async def test_a_narrow_screen_drops_the_palette_key_not_the_others() -> None:
    app = KeysApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await unfocused(pilot)
        text = bar_text(app)
        assert text.startswith("a Alpha b Beta") and "palette" not in text


def drawn(app: App) -> list[tuple[str, str]]:
    """The bar's line as drawn: each piece of text with its style."""
    return [(segment.text, str(segment.style)) for segment in app.query_one(KeyBar).render_line(0)]


async def test_a_key_set_drawn_before_is_not_made_nor_drawn_again_and_clicks_still_land(monkeypatch) -> None:
    # Study keys swap the bar between two key sets; each was turned into a strip again every key (~1 ms), and
    # making its line took ~0.1 ms.
    drawn_lines: list[str] = []
    to_strips = Visual.to_strips
    made: list[int] = []
    make_lines = KeyBar._make_lines

    def counting(widget, visual, *args, **kwargs):
        if isinstance(widget, KeyBar):
            drawn_lines.append(visual.plain)
        return to_strips(widget, visual, *args, **kwargs)

    def making(self: KeyBar, width: int):
        made.append(width)
        return make_lines(self, width)

    monkeypatch.setattr(Visual, "to_strips", counting)
    monkeypatch.setattr(KeyBar, "_make_lines", making)
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        for _ in range(3):
            app.query_one(Zed).focus()
            await pilot.pause()
            await unfocused(pilot)
        assert len(drawn_lines) == len(set(drawn_lines)) == 2 == len(made)  # each key set made and drawn once
        assert any("Zed" in line for line in drawn_lines) and not all("Zed" in line for line in drawn_lines)
        text = bar_text(app)
        await pilot.click(KeyBar, offset=(text.index("Beta"), 0))  # the keys' places come back with the line
        await pilot.pause()
        assert app.notes == ["b"]


class DrawnByTextual(KeyBar):
    """The same bar, its line drawn by Textual from `render` rather than from remembered strips."""

    DEFAULT_CSS = "DrawnByTextual { dock: top; }"

    def render_line(self, y: int) -> Strip:
        return Widget.render_line(self, y)


class TwoBars(KeysApp):
    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield DrawnByTextual()


def cells(strip: Strip) -> list[tuple]:
    return [(char, segment.style) for segment in strip for char in segment.text]


@pytest.mark.parametrize("width", [80, 30])
async def test_the_bar_is_drawn_as_textual_draws_it_80x24_no_color(monkeypatch, width: int) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = TwoBars()
    async with app.run_test(size=(width, 24)) as pilot:
        mine, textual = app.query_one("KeyBar", KeyBar), app.query_one(DrawnByTextual)
        for focused in (True, False):  # the focused widget's keys, then the app's only
            app.set_focus(app.query_one(Zed) if focused else None)
            await pilot.pause()
            await pilot.hover(KeyBar, offset=(bar_text(app).index("Beta"), 0))  # a key lit under the mouse
            textual.hover = mine.hover  # the mouse is over one bar only
            textual.refresh()
            await pilot.pause()
            assert mine.hover is not None and mine.render().spans and mine.render().plain == textual.render().plain
            rows = app.screen._compositor.render_strips()
            assert cells(rows[mine.region.y]) == cells(rows[textual.region.y])


async def test_a_new_theme_redraws_the_bar_in_its_colours() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await unfocused(pilot)
        dark = drawn(app)
        app.theme = "textual-light"
        await pilot.pause()
        light = drawn(app)
        assert [text for text, _ in light] == [text for text, _ in dark] and light != dark
        app.theme = "textual-dark"
        await pilot.pause()
        assert drawn(app) == dark


async def test_a_theme_changing_only_the_key_colours_redraws_the_keys() -> None:
    # The bar's own colours stay: the line kept for its keys must still be drawn again.
    app = KeysApp()
    for name, colour in (("plain", "#ffffff"), ("keyed", "#ff0000")):
        app.register_theme(Theme(name, primary="#004578", dark=True, variables={"footer-key-foreground": colour}))
    app.theme = "plain"
    async with app.run_test(size=(80, 10)) as pilot:
        await unfocused(pilot)
        before = drawn(app)
        app.theme = "keyed"
        await pilot.pause()
        after = drawn(app)
        assert [text for text, _ in after] == [text for text, _ in before]
        assert before[0] == ("a", "bold #ffffff on #24292f") and after[0] == ("a", "bold #ff0000 on #24292f")
