"""Under the card's question and answer widget: the hint while the question is asked, then the card's back (the
feedback) under a rule. One widget that keeps its rows from the question to its answer.

They were two Statics, one hidden as the other showed. Each switch of `display`, and each change of height, makes
Textual lay out the whole screen (~1.5 ms of every study key, more than painting what changed). This widget
keeps, while the question is asked, the rows the answer will take (the back of a self-graded card is known before
it is shown; a card that marks its answer where it was given has one back per verdict, and the rows of the tallest
are kept, the back shown keeping them too), so showing it is a repaint of these rows. A layout happens only when the
row count does change: a card whose answer the user typed, or the next card's hint and back taking more or fewer rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from quiz.ui.widgets.drawn_lines import DrawnLines
from quiz.ui.widgets.steady import SteadySize

RULE = "─"  # as the `solid` border the back had above it


class CardBack(SteadySize, DrawnLines, Widget):
    """`show_hint` (with the backs it may show, to keep their rows) or `show_back`; drawn at any width."""

    COMPONENT_CLASSES = {"card-back--rule"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._hint: Content | None = Content("")
        self._back: Content | None = None
        self._reserve: tuple[Content, ...] = ()  # the backs whose rows the hint keeps, and the back shown after it
        self._kept: tuple[int, int] = (-1, 0)  # (width, the rows kept for those backs at that width)
        self._lines: tuple[int, list[Content]] = (-1, [])  # (width, lines) as last drawn

    def show_hint(self, hint: Text, backs: Sequence[Text] = ()) -> None:
        """The hint, dim, with blank rows under it down to where the tallest of `backs` (the card's backs it may show
        once answered) would end."""
        self._set(Content.from_rich_text(hint), None, tuple(map(Content.from_rich_text, backs)))

    def show_back(self, back: Text) -> None:
        """The card's back under a rule, a blank row, and a cell of margin each side; blank rows under it down to
        the rows the hint kept."""
        self._set(None, Content.from_rich_text(back), self._reserve)

    def hint_rows(self) -> int:
        """The rows the hint's text takes (none once the back shows), not the blank rows kept under it."""
        return len(self._hint.wrap(max(self.size.width, 1))) if self._hint is not None else 0

    def _set(self, hint: Content | None, back: Content | None, reserve: tuple[Content, ...]) -> None:
        width = self.size.width
        rows = len(self._lines_at(width)) if width else -1
        if reserve is not self._reserve:
            self._reserve, self._kept = reserve, (-1, 0)
        self._hint, self._back = hint, back
        self._lines = (-1, [])
        # Same rows at the same width: nothing else moves, so a repaint does; else Textual lays the screen out.
        self.refresh(layout=not width or len(self._lines_at(width)) != rows)

    def _lines_at(self, width: int) -> list[Content]:
        width = max(width, 1)
        if self._lines[0] != width:
            if self._back is not None:
                lines = self._back_lines(self._back, width)
            else:
                assert self._hint is not None
                lines = self._hint.wrap(width)
            if self._kept[0] != width:  # the same from the hint to its back: wrapped once
                self._kept = (width, max((len(self._back_lines(back, width)) for back in self._reserve), default=0))
            self._lines = (width, lines + [Content("")] * (self._kept[1] - len(lines)))
        return self._lines[1]

    def _back_lines(self, back: Content, width: int) -> list[Content]:
        rule = Content(RULE * width).stylize_before(self.get_visual_style("card-back--rule", partial=True))
        return [rule, Content(""), *(Content.assemble(" ", line) for line in back.wrap(max(width - 2, 1)))]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines_at(width))

    def draw_lines(self, width: int) -> list[Content]:
        return self._lines_at(width)

    def render(self) -> Content:
        return Content("\n").join(self._lines_at(self.size.width))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = (-1, [])  # the rule's colour
