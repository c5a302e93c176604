"""A Select whose open list marks its highlighted option with POINTER, in the text: the highlight's colour alone
is missed by a screen reader, a colour-blind user and a screen without colour (NO_COLOR, the Linux console)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import OptionList, Select

from quiz.ui.widgets.pointer import POINTER, move_pointer

Options = Iterable[tuple[RenderableType, Any]]


def labels(options: list[tuple[RenderableType, Any]]) -> list[Text]:
    """Each option's label as Text (a plain string taken literally, never as markup)."""
    return [label if isinstance(label, Text) else Text(str(label)) for label, _ in options]


class Chooser(Select[Any]):
    """Select's keys and mouse, always with a value; its open list draws POINTER beside the option Enter picks."""

    def __init__(self, options: Options, **kwargs: Any) -> None:
        choices = list(options)
        self._labels = labels(choices)  # the list's options, unmarked
        self._pointed: int | None = None  # the option marked POINTER
        super().__init__(choices, allow_blank=False, **kwargs)

    def set_options(self, options: Options) -> None:
        choices = list(options)
        self._labels = labels(choices)
        self._pointed = None  # the list is made afresh, unmarked
        super().set_options(choices)
        self._indent_options()

    def on_mount(self) -> None:
        self.call_later(self._indent_options)  # once Select has filled the list (its own mount handler, after this)
        # A watcher runs as the highlight moves: the mark is drawn in the same frame (quiz.ui.widgets.pointer).
        self.watch(self.query_one(OptionList), "highlighted", self._highlight_moved)

    def _indent_options(self) -> None:
        """Every option in the mark's column's width, as Select gave them bare: the ones marked, then not, stood two
        columns right of the others."""
        options = self.query_one(OptionList)
        for index in range(options.option_count):
            options.replace_option_prompt_at_index(index, self._prompt(index, index == self._pointed))

    def _highlight_moved(self) -> None:
        self._pointed = move_pointer(self.query_one(OptionList), self._pointed, self._prompt)

    def _prompt(self, index: int, pointed: bool) -> Text:
        return Text.assemble(POINTER if pointed else " ", " ", self._labels[index])
