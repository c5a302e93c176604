"""One-line widgets whose labels the mouse presses, as it would buttons: the key bar's keys, the grade bar's grades,
the order card's Move buttons. Drawn as one line (a widget per label costs a layout and styles of its own), they
share how a label is found under the mouse, lit while the mouse is over it, and pressed by a click."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import events

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget  # the type checker sees the handlers against Widget's
else:
    _Mixin = object  # at run time not a Widget: Textual takes CSS from a class's first Widget base

Label = TypeVar("Label")


class Pressable(Generic[Label], _Mixin):
    """Mixin for a Widget subclass (put it first): `places` says which cells each label takes; the label under the
    mouse is `hover` (the widget draws it lit), and a click on a label calls `press` with it."""

    hover: Label | None = None

    def places(self, width: int) -> Sequence[tuple[int, int, Label]]:
        """Each label at this content width: its first cell, the cell after its last, and the label."""
        raise NotImplementedError

    def places_on(self, width: int, row: int) -> Sequence[tuple[int, int, Label]]:
        """The labels on line `row` of the widget, as `places` gives them; by default the widget is one line."""
        return self.places(width) if row == 0 else ()

    def press(self, label: Label) -> None:
        raise NotImplementedError

    def hover_changed(self) -> None:
        """The mouse is over another label, or none: drawn again (a widget may say more, as a tooltip)."""
        self.refresh()

    def label_at(self, event: events.MouseEvent) -> Label | None:
        offset = event.get_content_offset(self)  # past the widget's padding
        if offset is None:
            return None
        places = self.places_on(self.size.width, offset.y)
        return next((label for start, end, label in places if start <= offset.x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        label = self.label_at(event)
        if label != self.hover:
            self.hover = label
            self.hover_changed()

    def on_leave(self) -> None:
        if self.hover is not None:
            self.hover = None
            self.hover_changed()

    def on_click(self, event: events.Click) -> None:
        label = self.label_at(event)
        if label is not None:
            self.press(label)
