"""Widgets that do not ask for a second layout just because the last layout changed their size.

After each layout Textual gives every widget whose size changed its new size and "virtual size"; the
virtual size is a reactive that asks for another layout when it changes. For a widget that is not
scrolled that second pass finds every position already right (the virtual size of a plain widget is
its own size, of a container the size of what it holds: both were just laid out), but it costs a
second frame, one timer tick later.

`SteadySize` records the new virtual size without that request, as Textual itself does for widgets
scrolled into view. A scrollable widget still updates its scrollbars from the new virtual size (and a
scrollbar appearing or going still asks for its own layout). Used on the study screen's widgets, whose
sizes change with every card.

Textual has no public way to do this: it overrides the internal `Widget._size_updated`, which is why
Textual is pinned exactly and tests/ui/test_textual_internals.py checks its signature. Measured with
benchmarks/keypress.py (50,000-card deck, 200 answers, five runs, Textual 8.2.8): grade key to the next
card painted in 18-22 ms, 49-51 ms without SteadySize; the reveal key 18-21 ms, 49-52 ms without.

`SteadyStatic` also leaves alone a content equal to the one it shows, asks for a layout only when a new
content takes another number of rows (public API only), and draws a one-line content from remembered lines
(`DrawnLines`: the study screen's status line and kind line come back key after key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static

from quiz.ui.widgets.drawn_lines import DrawnLines

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.widget import Widget

    _Mixin = Widget  # the type checker sees the override and its super() call against Widget's
else:
    _Mixin = object  # at run time not a Widget: Textual takes CSS from a class's first Widget base (Static, ...)


class SteadySize(_Mixin):
    """Mixin for a Widget subclass (put it first): a resize does not ask for another layout."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SteadyStatic(SteadySize, DrawnLines, Static):
    """A Static whose size follows its text without a second layout, and that is not redrawn (nor laid out)
    when given the content it already shows: the study screen sets the same hint and kind line card after
    card, and Static redraws and lays out on every update."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show `content`; ask for a layout only if it takes another number of rows (Textual lays out the whole
        screen on any widget's request, ~1.5 ms on the study screen; the status line and the question keep their
        rows from one study key to the next far more often than not)."""
        if _same(content, self.content):
            return
        width, rule = self.size.width, self.styles.width
        if not (layout and width and (rule is None or not rule.is_auto)):
            super().update(content, layout=layout)  # not laid out yet, or its width follows its text
            return
        if self.draw_lines(width) is not None:  # one row now
            super().update(content, layout=False)
            if self.draw_lines(width) is None:
                self.refresh(layout=True)
            return
        rules = cast("RulesMap", self.styles)  # what Textual itself measures a widget's content with
        rows = self.visual.get_height(rules, width)
        super().update(content, layout=False)
        if self.visual.get_height(rules, width) != rows:
            self.refresh(layout=True)


def _same(new: VisualType, old: VisualType) -> bool:
    """Whether two contents draw the same: a rich Text's equality leaves its own style out."""
    if isinstance(new, Text) and isinstance(old, Text):
        return new == old and (new.style, new.justify, new.overflow, new.no_wrap, new.end) == (
            old.style,
            old.justify,
            old.overflow,
            old.no_wrap,
            old.end,
        )
    return type(new) is type(old) and isinstance(new, str) and new == old
