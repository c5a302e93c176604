"""The card's back draws what the hint and feedback Statics drew, cell for cell, keeps the rows its back will take
while the hint shows, and asks Textual for a layout only when its row count changes."""

from __future__ import annotations

import pytest
from conftest import layouts, record_refreshes
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from quiz.ui.widgets.card_back import CardBack
from quiz.ui.widgets.literal import lit

# The rules the two Statics had in app.tcss before they became one widget.
STATICS_CSS = """
#old-hint { margin-top: 1; }
#old-back { margin-top: 1; padding: 1 1 0 1; border-top: solid $primary; }
"""

EXPLAIN = "Ketamine blocks the NMDA receptor; at low doses it lifts mood within hours, an effect that fades."
HINT = lit("Think of the answer, then press Space or Enter to show it.", "dim")
BACK = Text("\n").join(
    [
        Text.assemble(("Answer: ", "bold"), lit("NMDA receptor antagonist [b]x[/b]", "bold green")),
        Text(""),
        lit(EXPLAIN, "italic"),
    ]
)


class Both(App):
    CSS_PATH = "../../quiz/ui/app.tcss"  # the back's colours, as the app has them
    CSS = STATICS_CSS

    def compose(self) -> ComposeResult:
        yield Static(id="old-hint")
        yield Static(id="old-back")
        yield CardBack()

    def show(self, hint: bool) -> None:
        old_hint, old_back = self.query_one("#old-hint", Static), self.query_one("#old-back", Static)
        old_hint.display, old_back.display = hint, not hint
        old_hint.update(HINT)
        old_back.update(BACK)
        if hint:
            self.query_one(CardBack).show_hint(HINT)
        else:
            self.query_one(CardBack).show_back(BACK)


def rows(app: App, first: int, count: int) -> list[list[tuple]]:
    """Rows of the screen as seen: each cell's character and background, and a character's colour and weight."""
    strips = app.screen._compositor.render_strips()[first : first + count]
    return [
        [
            (char, s.style.bgcolor, *((s.style.color, bool(s.style.bold)) if char != " " else ()))
            for s in strip
            for char in s.text
        ]
        for strip in strips
    ]


@pytest.mark.parametrize("width", [80, 43, 12])
async def test_the_hint_and_the_back_are_drawn_as_the_two_statics_drew_them(width: int) -> None:
    app = Both()
    async with app.run_test(size=(width, 60)) as pilot:
        for hint in (True, False, True):
            app.show(hint)
            await pilot.pause()
            old = app.query_one("#old-hint" if hint else "#old-back", Static)
            new = app.query_one(CardBack)
            assert new.outer_size == old.outer_size, (width, hint)
            assert rows(app, new.region.y, new.outer_size.height) == rows(app, old.region.y, old.outer_size.height)


async def test_the_hint_keeps_the_rows_of_the_back_so_showing_it_needs_no_layout(monkeypatch) -> None:
    app = Both()
    async with app.run_test(size=(80, 24)) as pilot:
        back = app.query_one(CardBack)
        back.show_hint(HINT)
        await pilot.pause()
        assert back.size.height == 1
        refreshes = record_refreshes(monkeypatch, CardBack)
        back.show_hint(HINT, [BACK])  # the next card: its back will take 6 rows at 80 columns
        await pilot.pause()
        assert layouts(refreshes) == [True] and back.size.height == 6
        top = back.region.y
        back.show_back(BACK)  # the answer: the same rows, a repaint only
        await pilot.pause()
        assert layouts(refreshes) == [True, False] and back.size.height == 6 and back.region.y == top
        text = [line.rstrip() for line in screen_lines(app)]
        assert text[top] == "─" * 80
        assert text[top + 2] == " Answer: NMDA receptor antagonist [b]x[/b]"  # the deck's text, literally
        back.show_hint(HINT, [Text("Short")])  # a card whose back takes fewer rows: laid out again
        assert layouts(refreshes)[-1] is True


async def test_the_hint_keeps_the_rows_of_the_tallest_back_and_a_shorter_back_keeps_them_too(monkeypatch) -> None:
    # A card that marks its answer where it was given has a back per verdict: whichever shows, nothing is laid out.
    app = Both()
    async with app.run_test(size=(80, 24)) as pilot:
        back = app.query_one(CardBack)
        short, tall = Text("✓ Correct\nAnswer: x"), Text("✗ No answer given\nAnswer: x\n\nWhy it is x.")
        back.show_hint(HINT, [short, tall])
        await pilot.pause()
        assert back.size.height == 6  # the rule, a blank row, the tall back's four rows
        refreshes = record_refreshes(monkeypatch, CardBack)
        back.show_back(short)
        await pilot.pause()
        assert layouts(refreshes) == [False] and back.size.height == 6
        text = [line.rstrip() for line in screen_lines(app)]
        assert text[back.region.y + 2 : back.region.y + 6] == [" ✓ Correct", " Answer: x", "", ""]
        back.show_hint(HINT)  # the next card keeps no rows: fewer rows, laid out
        assert layouts(refreshes)[-1] is True


def screen_lines(app: App) -> list[str]:
    return ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]


async def test_at_80x24_without_colour_the_rule_and_the_back_show(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = Both()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(False)
        await pilot.pause()
        back = app.query_one(CardBack)
        lines = screen_lines(app)[back.region.y : back.region.bottom]
        assert lines[0] == "─" * 80 and lines[1].strip() == ""
        assert [line.rstrip() for line in lines[2:]] == [
            " Answer: NMDA receptor antagonist [b]x[/b]",
            "",
            " Ketamine blocks the NMDA receptor; at low doses it lifts mood within hours, an",
            " effect that fades.",
        ]
