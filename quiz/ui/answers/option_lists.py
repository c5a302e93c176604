"""Option lists an answer widget refills card after card instead of mounting new ones."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quiz.ui.answers.base import AnswerPart, AnswerWidget
from quiz.ui.widgets.pointer import POINTER, move_pointer


class ReusedOptionList(AnswerPart, OptionList):
    """An OptionList given new options card after card (see `refill`); locked with its answer (`AnswerPart`)."""

    _cached_width: int | None = None

    def on_resize(self, event: events.Resize) -> None:
        # OptionList's own resize handler drops its rendered options and repaints them; they depend only
        # on the width, and new options have just been rendered anew: a new height alone needs no second
        # repaint, so it skips that handler. Measured (benchmarks/keypress.py, 50k deck, 200 answers, five
        # runs): grade key to a card with options painted in 19-25 ms, 48-52 ms without this.
        # tests/ui/test_textual_internals.py checks that handler is still the only one skipped.
        if event.size.width == self._cached_width:
            event.prevent_default()
        self._cached_width = event.size.width


def refill(picker: OptionList, options: list[Option], width: int) -> None:
    """Give a mounted option list new options, nothing highlighted, scrolled to the top (as when built).

    `width` is the width the list may take (the answer widget's): used to measure the options when
    the list was hidden in the last layout.
    """
    picker.set_options(options)  # also: nothing highlighted, scrolled to the top
    # The layout that sizes the list to its new options comes later: set_options measured them
    # against the old height (which can turn the scrollbar on for a frame), or, when the list was
    # hidden, not at all (leaving the old options' size). As for a new list, the scrollbar starts
    # off and the layout turns it on if the options overflow (their height is then not the list's).
    # A hidden list is measured here, at the width it will have (at most `width`: wider would only
    # measure short, which its first render corrects, as it does for a new list).
    picker.show_vertical_scrollbar = False
    if not picker.scrollable_content_region:
        width = max(width - picker.styles.gutter.width, 0)
        picker.virtual_size = Size(width, picker.get_content_height(Size(width, 0), Size(width, 0), width))


class PickerAnswer(AnswerWidget):
    """An answer given on one ReusedOptionList of `entry_count()` prompts (choice, true/false, multi), the
    highlighted one marked POINTER until the answer is checked (then ✓ and ✗ mark the options)."""

    picker_class: type[ReusedOptionList]
    marks_answer = True
    pointed: int | None = None  # the option marked POINTER

    def entry_count(self) -> int:
        raise NotImplementedError

    def _prompt(self, index: int, mark: str = " ", style: str = "") -> Text:
        raise NotImplementedError

    def prompt(self, index: int, pointed: bool | None = None) -> Text:
        """Option `index` unanswered: marked POINTER when it is the highlighted one (`pointed`, by default the one
        marked last)."""
        return self._prompt(index, POINTER if (index == self.pointed if pointed is None else pointed) else " ")

    def compose(self) -> ComposeResult:
        self.pointed = None
        picker = self.picker_class(*(Option(self.prompt(i)) for i in range(self.entry_count())))
        picker.highlighted = None
        yield picker

    def reset(self) -> None:
        self.pointed = None
        options = [Option(self.prompt(i)) for i in range(self.entry_count())]
        refill(self.query_one(self.picker_class), options, self.content_width())

    def on_mount(self) -> None:
        self.watch(self.query_one(self.picker_class), "highlighted", self._highlight_moved, init=False)

    def _highlight_moved(self) -> None:
        if not self.answered:  # once answered, ✓ and ✗ mark the options
            self.pointed = move_pointer(self.query_one(self.picker_class), self.pointed, self.prompt)
