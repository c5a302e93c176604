"""SteadyStatic: given the content it already shows, it neither redraws nor asks for a layout; given content that
takes as many rows, it redraws without a layout."""

from __future__ import annotations

from conftest import layouts, record_refreshes
from rich.text import Text
from textual.app import App, ComposeResult

from quiz.ui.widgets.literal import lit
from quiz.ui.widgets.steady import SteadyStatic


class OneLine(App):
    def compose(self) -> ComposeResult:
        yield SteadyStatic(lit("Think of the answer", "dim"))


async def test_the_same_content_again_is_not_redrawn_and_new_content_is(monkeypatch) -> None:
    app = OneLine()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        line = app.query_one(SteadyStatic)
        refreshed: list[bool] = []
        original = SteadyStatic.refresh

        def refresh(self, *regions, **options):
            refreshed.append(options.get("layout", False))
            return original(self, *regions, **options)

        monkeypatch.setattr(SteadyStatic, "refresh", refresh)
        line.update(lit("Think of the answer", "dim"))  # an equal Text, made anew as each card makes it
        assert refreshed == []
        line.update(lit("Think of the answer", "bold"))  # same words, another style: Text's == says equal
        assert refreshed == [False]  # redrawn; one row as before, so no layout
        line.update(Text.assemble(("Think of the answer", "bold")))  # the style on a span, not the Text
        line.update("Think of the answer")
        line.update("Think of the answer")
        assert refreshed == [False, False, False]
        await pilot.pause()
        assert str(line.render()) == "Think of the answer"


async def test_content_taking_more_or_fewer_rows_is_laid_out(monkeypatch) -> None:
    app = OneLine()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        line = app.query_one(SteadyStatic)
        refreshes = record_refreshes(monkeypatch, SteadyStatic)
        line.update(lit("Think of the answer, then press Space or Enter to show it."))  # two rows at 40 columns
        assert layouts(refreshes)[-1] is True
        await pilot.pause()
        assert line.size.height == 2
        line.update(lit("Think again, then press Space or Enter to see the back."))  # two rows still
        assert layouts(refreshes)[-1] is False
        line.update(lit("Short"))
        assert layouts(refreshes)[-1] is True
        await pilot.pause()
        assert line.size.height == 1 and str(line.render()) == "Short"
