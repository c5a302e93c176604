"""What the user acts on to answer a card, one widget per kind of card (`ANSWER_WIDGETS` names it).

The widgets for recalling, typing and picking options are here; those that arrange items are in
`arrange`. What they all share is `answer_base.AnswerWidget`.
"""

from __future__ import annotations

import random

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from quiz.core.kinds.base import Response
from quiz.core.model import Card, Kind
from quiz.ui.widgets.answer_base import NUMBER_KEYS, AnswerWidget
from quiz.ui.widgets.arrange import MatchAnswer, OrderAnswer
from quiz.ui.widgets.literal import lit
from quiz.ui.widgets.steady import SteadyStatic


class RevealAnswer(AnswerWidget):
    """Basic and reverse cards: think of the answer, then show it (Space or Enter) and grade yourself."""

    hint = "Think of the answer, then press Space or Enter to show it."
    self_graded = True
    BINDINGS = [
        Binding("space", "reveal", "Show answer", tooltip="Show the answer, then grade yourself"),
        Binding("enter", "reveal", "Show answer", show=False),
    ]

    class Prompt(SteadyStatic, can_focus=True):
        """A focusable line holding the reveal keys."""

    def compose(self) -> ComposeResult:
        yield self.Prompt(lit("▶ Show answer (Space)"), classes="reveal-prompt")

    def action_reveal(self) -> None:
        self.reveal()

    @on(events.Click)
    def _clicked(self) -> None:
        if not self.disabled:
            self.reveal()

    def show_result(self) -> None:
        super().show_result()
        self.display = False


class AnswerInput(Input):
    """An Input where Space on an empty line shows the answer instead of typing."""

    def on_key(self, event: events.Key) -> None:
        if event.key == "space" and not self.value.strip():
            event.stop()
            event.prevent_default()
            answer = next(a for a in self.ancestors if isinstance(a, AnswerWidget))
            answer.reveal()


class TypedAnswer(AnswerWidget):
    """Typed and cloze cards: type the answer (near misses are forgiven by the checker)."""

    hint = "Type the answer (Space on an empty line shows it)."

    def compose(self) -> ComposeResult:
        yield AnswerInput(placeholder="type your answer", select_on_focus=False, compact=True)

    def reset(self) -> None:
        self.query_one(AnswerInput).clear()

    def response(self) -> Response:
        value = self.query_one(AnswerInput).value
        return value if value.strip() else None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()


class ReusedOptionList(OptionList):
    """An OptionList given new options card after card (see `_refill`)."""

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


class OptionPicker(ReusedOptionList):
    """An OptionList whose Enter (and click) submits the surrounding answer."""

    def action_select(self) -> None:
        answer = next(a for a in self.ancestors if isinstance(a, AnswerWidget))
        answer.submit()


class ChoiceAnswer(AnswerWidget):
    """Choice and true/false cards: one option, picked with ↑/↓ or its number, Enter answers."""

    hint = "Pick with ↑/↓, a number or a click."
    BINDINGS = [
        *NUMBER_KEYS,
        Binding("t", "pick_bool(True)", show=False),
        Binding("f", "pick_bool(False)", show=False),
    ]

    def setup(self) -> None:
        if self.card.kind is Kind.TRUEFALSE:
            self.values: list[str | bool] = [True, False]
            self.labels = ["True", "False"]
        else:
            options = list(self.card.note.options)
            self.rng.shuffle(options)
            self.values, self.labels = list(options), options

    def _prompt(self, index: int, mark: str = " ", style: str = "") -> Text:
        text = Text.assemble((f"{mark} {index + 1}  ", "bold"), lit(self.labels[index]))
        text.stylize(style)
        return text

    def compose(self) -> ComposeResult:
        picker = OptionPicker(*(Option(self._prompt(i)) for i in range(len(self.labels))))
        picker.highlighted = None
        yield picker

    def reset(self) -> None:
        options = [Option(self._prompt(i)) for i in range(len(self.labels))]
        _refill(self.query_one(OptionPicker), options, self.content_width())

    def response(self) -> Response:
        highlighted = self.query_one(OptionPicker).highlighted
        return None if highlighted is None else self.values[highlighted]

    def action_pick(self, number: int) -> None:
        if 0 < number <= len(self.values):
            self.query_one(OptionPicker).highlighted = number - 1

    def action_pick_bool(self, value: bool) -> None:
        if self.card.kind is Kind.TRUEFALSE:
            self.query_one(OptionPicker).highlighted = self.values.index(value)

    def show_result(self) -> None:
        picker = self.query_one(OptionPicker)
        chosen = picker.highlighted
        right = self.values.index(self.card.note.answer)
        for index in range(len(self.values)):
            if index == right:
                picker.replace_option_prompt_at_index(index, self._prompt(index, "✓", "bold green"))
            elif index == chosen:
                picker.replace_option_prompt_at_index(index, self._prompt(index, "✗", "red strike"))
        super().show_result()


class MultiPicker(ReusedOptionList):
    """Options with tick boxes: Space (or a click) ticks the highlighted one, Enter submits the answer."""

    BINDINGS = [
        Binding("space", "tick", "Tick", tooltip="Tick or untick the highlighted option"),
        Binding("enter", "submit_answer", show=False),
    ]

    def action_tick(self) -> None:
        if self.highlighted is not None:
            answer = next(a for a in self.ancestors if isinstance(a, MultiAnswer))
            answer.toggle(self.highlighted)

    def action_select(self) -> None:  # a click
        self.action_tick()

    def action_submit_answer(self) -> None:
        answer = next(a for a in self.ancestors if isinstance(a, AnswerWidget))
        answer.submit()


class MultiAnswer(AnswerWidget):
    """Multi cards: tick every right option (Space, its number or a click), Enter answers."""

    hint = "Tick every right option with Space, its number or a click."
    BINDINGS = NUMBER_KEYS

    def setup(self) -> None:
        self.options = list(self.card.note.options)
        self.rng.shuffle(self.options)
        self.ticked: set[int] = set()

    def _prompt(self, index: int, mark: str = " ", style: str = "", note: str = "") -> Text:
        box = "[x]" if index in self.ticked else "[ ]"
        text = Text.assemble((f"{mark} {box} {index + 1}  ", "bold"), lit(self.options[index]))
        text.stylize(style)
        if note:
            text.append(f"  {note}", style="italic")
        return text

    def compose(self) -> ComposeResult:
        picker = MultiPicker(*(Option(self._prompt(i)) for i in range(len(self.options))))
        picker.highlighted = None
        yield picker

    def reset(self) -> None:
        options = [Option(self._prompt(i)) for i in range(len(self.options))]
        _refill(self.query_one(MultiPicker), options, self.content_width())

    def toggle(self, index: int) -> None:
        self.ticked ^= {index}
        self.query_one(MultiPicker).replace_option_prompt_at_index(index, self._prompt(index))

    def response(self) -> Response:
        return frozenset(self.options[i] for i in self.ticked) if self.ticked else None

    def action_pick(self, number: int) -> None:
        if 0 < number <= len(self.options):
            self.toggle(number - 1)
            self.query_one(MultiPicker).highlighted = number - 1

    def show_result(self) -> None:
        picker = self.query_one(MultiPicker)
        right = set(self.card.note.answers)
        for index, option in enumerate(self.options):
            if option in right and index in self.ticked:
                prompt = self._prompt(index, "✓", "bold green")
            elif option in right:
                prompt = self._prompt(index, "✓", "green", "(missed)")
            elif index in self.ticked:
                prompt = self._prompt(index, "✗", "red strike", "(wrong)")
            else:
                prompt = self._prompt(index, " ", "dim")
            picker.replace_option_prompt_at_index(index, prompt)
        super().show_result()


def _refill(picker: OptionList, options: list[Option], width: int) -> None:
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


#: The answer widget of each kind of card, one line per kind.
ANSWER_WIDGETS: dict[Kind, type[AnswerWidget]] = {
    Kind.BASIC: RevealAnswer,
    Kind.REVERSE: RevealAnswer,
    Kind.TYPED: TypedAnswer,
    Kind.CLOZE: TypedAnswer,
    Kind.CHOICE: ChoiceAnswer,
    Kind.TRUEFALSE: ChoiceAnswer,
    Kind.MULTI: MultiAnswer,
    Kind.ORDER: OrderAnswer,
    Kind.MATCH: MatchAnswer,
}


def answer_widget(card: Card, rng: random.Random) -> AnswerWidget:
    """A new answer widget for a card."""
    return ANSWER_WIDGETS[card.kind](card, rng)
