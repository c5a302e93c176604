"""The study screen's progress line draws what Textual's ProgressBar drew, cell for cell, in less time."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import ProgressBar

from quiz.ui.widgets.progress_line import ProgressLine
from tests.ui.conftest import record_refreshes


class Both(App):
    CSS_PATH = "../../quiz/ui/app.tcss"  # the progress line's colours, as the app has them
    CSS = "#textual { width: 100%; height: 1; padding: 0 1; } #textual Bar { width: 1fr; }"

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="textual", show_eta=False, show_percentage=False)
        yield ProgressLine(id="progress")


def cells(app: App, row: int) -> list[tuple]:
    """Each cell of a row as painted: its character, colours and weight."""
    strip = app.screen._compositor.render_strips()[row]
    return [(char, s.style.color, s.style.bgcolor, s.style.bold) for s in strip for char in s.text]


@pytest.mark.parametrize("width", [80, 37])
async def test_every_fraction_is_drawn_as_textuals_progress_bar_draws_it(width: int) -> None:
    app = Both()
    async with app.run_test(size=(width, 4)) as pilot:
        textual, line = app.query_one(ProgressBar), app.query_one(ProgressLine)
        for total in (1, 3, 7, 21, 97):
            for done in range(total + 1):
                textual.update(total=total, progress=done)
                line.show(done, total)
                await pilot.pause()
                assert cells(app, 1) == cells(app, 0), (width, done, total)
        assert {char for char, *_ in cells(app, 1)[1:-1]} == {"━"}  # complete: the whole line, past the padding


async def test_a_step_that_moves_no_cell_draws_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A session of more cards than the bar has half cells (156 at 80 columns): most grades leave the bar as it is.
    app = Both()
    async with app.run_test(size=(80, 4)) as pilot:
        textual, line = app.query_one(ProgressBar), app.query_one(ProgressLine)
        line.show(0, 1000)
        await pilot.pause()
        refreshes = record_refreshes(monkeypatch, ProgressLine)
        for done, total, drawn_again in ((6, 1000, 0), (7, 1000, 1), (7, 1001, 1), (12, 1001, 1), (13, 1001, 2)):
            line.show(done, total)  # of 156 half cells, 6/1000: 0.94, 7/1000: 1.09, 12/1001: 1.87, 13/1001: 2.03
            textual.update(total=total, progress=done)
            await pilot.pause()
            assert (len(refreshes), cells(app, 1)) == (drawn_again, cells(app, 0)), (done, total)
        line.show(14, 1001)  # 2.18: not drawn again here, but a narrower bar then draws what it was last shown
        textual.update(progress=14)
        assert len(refreshes) == 2
        await pilot.resize_terminal(40, 4)
        await pilot.pause()
        assert cells(app, 1) == cells(app, 0)
