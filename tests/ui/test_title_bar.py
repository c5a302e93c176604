"""The study and exam screens' title bar draws, as one widget, what its three Statics in a row drew, cell for cell."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from quiz.ui.widgets.literal import lit_line
from quiz.ui.widgets.title_bar import TitleBar

# The rules the three Statics had in app.tcss before they became one widget.
STATICS_CSS = """
.mode { width: auto; padding: 0 1; background: $primary; color: $text; text-style: bold; }
.mode.-practice { background: $warning; }
.mode.-exam { background: $error; }
#old-title { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
#old-right { width: auto; }
"""

COUNTS = Text.assemble(("New ", "dim"), ("12", "bold blue"), ("  Learn ", "dim"), ("3", "bold red"))
LONG = "Pharmacology [b]x[/b] › Side effects of every drug a ward nurse hands out, with their doses"


class Both(App):
    CSS_PATH = "../../quiz/ui/app.tcss"  # the title bar's colours, as the app has them
    CSS = STATICS_CSS

    def __init__(self, mode: str, variant: str, heading: str) -> None:
        super().__init__()
        self.mode, self.variant, self.heading = mode, variant, heading

    def compose(self) -> ComposeResult:
        with Horizontal(classes="title-bar"):
            yield Static(self.mode, classes=f"mode {self.variant}")
            yield Static(lit_line(self.heading), id="old-title")
            yield Static(id="old-right")
        yield TitleBar(self.mode, lit_line(self.heading), classes=self.variant)

    def show(self, right: Text) -> None:
        self.query_one("#old-right", Static).update(right)
        self.query_one(TitleBar).show(right)


def cells(app: App, row: int) -> list[tuple]:
    """Each cell of a row as seen: its character, its background, and a character's colour and weight (a space
    shows neither)."""
    strip = app.screen._compositor.render_strips()[row]
    return [
        (char, s.style.bgcolor, *((s.style.color, bool(s.style.bold)) if char != " " else ()))
        for s in strip
        for char in s.text
    ]


@pytest.mark.parametrize(("mode", "variant"), [("REVIEW", ""), ("PRACTICE", "-practice"), ("EXAM", "-exam")])
@pytest.mark.parametrize("heading", ["UI test deck", LONG, ""])
@pytest.mark.parametrize("width", [80, 41, 20])
async def test_the_bar_draws_what_the_three_statics_drew(mode: str, variant: str, heading: str, width: int) -> None:
    app = Both(mode, variant, heading)
    async with app.run_test(size=(width, 4)) as pilot:
        for right in (Text(""), COUNTS, Text.assemble(("Time left ", "dim"), ("0:59", "bold red"))):
            app.show(right)
            await pilot.pause()
            assert cells(app, 1) == cells(app, 0), (width, right.plain)


async def test_at_80x24_without_colour_the_mode_the_cut_title_and_the_counts_all_show(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = Both("PRACTICE", "-practice", LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(COUNTS)
        await pilot.pause()
        line = "".join(char for char, *_ in cells(app, 1))
        assert line.startswith("  PRACTICE  Pharmacology [b]x[/b] › Side effects")  # the deck's text, literally
        assert line.rstrip().endswith("… New 12  Learn 3")  # cut with an ellipsis; the counts whole
        assert len(line) == 80
        app.show(Text.assemble(("New ", "dim"), ("11", "bold blue"), ("  Learn ", "dim"), ("3", "bold red")))
        await pilot.pause()
        assert "".join(char for char, *_ in cells(app, 1)).rstrip().endswith("New 11  Learn 3")


async def test_new_styles_on_the_same_text_are_drawn() -> None:
    """Content's equality leaves styles out: the clock turning red with the same digits is still drawn."""
    app = Both("EXAM", "-exam", "Final")
    async with app.run_test(size=(40, 4)) as pilot:
        app.show(Text.assemble(("Time left ", "dim"), ("1:00", "bold")))
        await pilot.pause()
        before = cells(app, 1)
        app.show(Text.assemble(("Time left ", "dim"), ("1:00", "bold red")))
        await pilot.pause()
        assert cells(app, 1) != before and cells(app, 1) == cells(app, 0)
