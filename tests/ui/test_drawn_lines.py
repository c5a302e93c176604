"""A widget drawing from remembered lines shows what Textual draws for the same content, cell for cell (the place
each cell marks for a text selection included), draws each line once while its text, styles, width and theme
stay, and draws again after a new theme. SteadyStatic draws what a Static draws."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static

from quiz.ui.widgets.drawn_lines import DrawnLines, drawn_as
from quiz.ui.widgets.steady import SteadyStatic

CSS = """
Widget { height: 3; padding: 0 1; }
.-styled { color: $accent; background: $boost; text-style: italic; }
"""

HINT = Content.styled("Think of the answer, then press Space or Enter to show it.", "dim")
BACK = [
    Content.assemble(("Answer: ", "bold"), ("NMDA receptor antagonist [b]x[/b]", "bold $success")),
    Content(""),
    Content.styled("at low doses it lifts mood within hours", "italic"),
]


class Plain(Widget):
    """Drawn by Textual: the lines joined into one content."""

    def __init__(self, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.lines: list[Content] = [HINT]

    def render(self) -> Content:
        return Content("\n").join(self.lines)


class Drawn(DrawnLines, Plain):
    def draw_lines(self, width: int) -> list[Content]:
        return self.lines


class Pair(App):
    CSS = CSS

    def __init__(self, classes: str = "") -> None:
        super().__init__()
        self.classes_of_both = classes

    def compose(self) -> ComposeResult:
        yield Plain(self.classes_of_both)
        yield Drawn(self.classes_of_both)

    def show(self, lines: list[Content]) -> None:
        for widget in (self.query_one(Plain), self.query_one(Drawn)):
            widget.lines = lines
            widget.refresh()


def cells(app: App, first: int, count: int) -> list[list[tuple]]:
    """Rows of the screen as seen: each cell's character and its whole style."""
    strips = app.screen._compositor.render_strips()[first : first + count]
    return [[(char, segment.style) for segment in strip for char in segment.text] for strip in strips]


@pytest.mark.parametrize("classes", ["", "-styled"])
async def test_drawn_as_textual_draws_it_80x24_no_color(monkeypatch, classes):
    monkeypatch.setenv("NO_COLOR", "1")
    app = Pair(classes)
    async with app.run_test(size=(80, 24)) as pilot:
        for lines in ([HINT], BACK, [HINT, Content(""), Content("")], [Content("")]):
            app.show(lines)
            await pilot.pause()
            assert cells(app, 3, 3) == cells(app, 0, 3)
            assert [line.plain for line in lines] == [
                "".join(char for char, _ in row).strip() for row in cells(app, 3, len(lines))
            ]


async def test_each_line_drawn_once_until_the_theme_changes(monkeypatch):
    drawn: list[str] = []
    to_strips = Visual.to_strips

    def counting(widget, visual, *args, **kwargs):
        if isinstance(widget, Drawn):
            drawn.append(visual.plain)
        return to_strips(widget, visual, *args, **kwargs)

    monkeypatch.setattr(Visual, "to_strips", counting)
    app = Pair()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):  # the question's hint, then its back, card after card
            app.show([HINT, Content(""), Content("")])
            await pilot.pause()
            app.show(BACK)
            await pilot.pause()
        # each (line, row) once: the hint and its two blank rows, the back's first and third lines (its blank
        # second row is the hint's)
        assert sorted(drawn) == sorted([HINT.plain, "", "", BACK[0].plain, BACK[2].plain])

        drawn.clear()
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert drawn  # the new colours are drawn, not the old ones reused
        assert cells(app, 3, 3) == cells(app, 0, 3)


async def test_the_same_text_in_new_styles_is_drawn_anew() -> None:
    # Content's == compares the text alone: a line remembered by it would come back in its old styles.
    assert Content.styled("Good", "bold") == Content.styled("Good", "italic")
    assert drawn_as(Content.styled("Good", "bold")) != drawn_as(Content.styled("Good", "italic"))
    assert drawn_as(Content.styled("Good", "bold")) == drawn_as(Content.styled("Good", "bold"))
    app = Pair()
    async with app.run_test(size=(80, 24)) as pilot:
        for style in ("bold", "italic", "bold"):
            app.show([Content.styled("Good", style)])
            await pilot.pause()
            assert cells(app, 3, 1) == cells(app, 0, 1), style


class Statics(App):
    CSS = "Static { padding: 0 1; } .-styled { color: $accent; text-style: italic; }"

    def compose(self) -> ComposeResult:
        yield Static(classes="-styled")
        yield SteadyStatic(classes="-styled")


@pytest.mark.parametrize(
    "text",
    [
        Text.assemble(("Saved: ", "dim"), ("Good", "bold"), (" · next in 10m", "dim")),
        Text(""),
        Text("a question long enough to take two rows at this width, " * 2, style="bold"),
        Text("two\nlines"),
    ],
)
async def test_steady_static_drawn_as_a_static_80x24_no_color(monkeypatch, text):
    monkeypatch.setenv("NO_COLOR", "1")
    app = Statics()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(Static).update("before")
        app.query_one(SteadyStatic).update("before")
        await pilot.pause()
        app.query_one(Static).update(text)
        app.query_one(SteadyStatic).update(text)
        await pilot.pause()
        rows = app.query_one(Static).size.height
        assert app.query_one(SteadyStatic).size.height == rows
        assert cells(app, rows, rows) == cells(app, 0, rows)
