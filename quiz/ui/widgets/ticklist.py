"""A list of tick boxes drawn as `[x]` / `[ ]`, so the state shows without colour too (NO_COLOR)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quiz.ui.widgets.pointer import POINTER, move_pointer


class TickList(OptionList):
    """Space (or a click) ticks the highlighted entry; `selected` lists the ticked values in order."""

    BINDINGS = [
        Binding("space", "tick", "Tick", tooltip="Tick or untick the highlighted entry"),
        Binding("a", "all", "All", tooltip="Tick all, or untick all when all are ticked"),
    ]

    class Changed(Message):
        """The ticked entries changed."""

    def __init__(self, entries: list[tuple[Text, str]], ticked: set[str], **kwargs) -> None:
        self.labels = [label for label, _ in entries]
        self.values = [value for _, value in entries]
        self.ticked = {value for value in self.values if value in ticked}
        super().__init__(*(Option(self._prompt(i)) for i in range(len(entries))), **kwargs)

    pointed: int | None = None  # the entry marked POINTER

    def _prompt(self, index: int, pointed: bool | None = None) -> Table:
        """The entry's mark and box, its label beside them: a long label's lines stand under its start, not at the
        left edge under the box (at 40 columns "reverse" stood there, as if it were an entry of its own)."""
        mark = POINTER if (index == self.pointed if pointed is None else pointed) else " "
        box = "[x] " if self.values[index] in self.ticked else "[ ] "
        prompt = Table.grid()
        prompt.add_column(no_wrap=True)
        prompt.add_column(overflow="fold")
        prompt.add_row(Text(f"{mark} {box}", style="bold"), self.labels[index])
        return prompt

    # Marked only while focused: a screen with two lists (the exam setup's) then says which one the keys reach.
    # Focus and Blur reach these handlers before Textual's own sets has_focus.
    def on_mount(self) -> None:
        self.watch(self, "highlighted", self._highlight_moved, init=False)

    def _highlight_moved(self) -> None:
        self.pointed = move_pointer(self, self.pointed, self._prompt, shown=self.has_focus)

    def on_focus(self) -> None:
        self.pointed = move_pointer(self, self.pointed, self._prompt, shown=True)

    def on_blur(self) -> None:
        self.pointed = move_pointer(self, self.pointed, self._prompt, shown=False)

    @property
    def selected(self) -> list[str]:
        return [value for value in self.values if value in self.ticked]

    def set_ticked(self, values: set[str]) -> None:
        self.ticked = {value for value in self.values if value in values}
        for index in range(len(self.values)):
            self.replace_option_prompt_at_index(index, self._prompt(index))
        self.post_message(self.Changed())

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.set_ticked(self.ticked ^ {self.values[self.highlighted]})

    def action_select(self) -> None:  # Enter or a click
        self.action_tick()

    def action_all(self) -> None:
        self.set_ticked(set() if len(self.ticked) == len(self.values) else set(self.values))
