"""The answer widget of multi cards: tick every right option."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from quiz.core.kinds.base import Response, body_as
from quiz.core.kinds.choice import MultiBody
from quiz.ui.answers.base import NUMBER_KEYS, answer_of
from quiz.ui.answers.option_lists import PickerAnswer, ReusedOptionList
from quiz.ui.widgets.literal import lit


class MultiPicker(ReusedOptionList):
    """Options with tick boxes: Space (or a click) ticks the highlighted one, Enter submits the answer."""

    BINDINGS = [
        Binding("space", "tick", "Tick", tooltip="Tick or untick the highlighted option"),
        Binding("enter", "submit_answer", show=False),
    ]

    def action_tick(self) -> None:
        if self.highlighted is not None:
            answer = answer_of(self)
            assert isinstance(answer, MultiAnswer)
            answer.toggle(self.highlighted)

    def action_select(self) -> None:  # a click
        self.action_tick()

    def action_submit_answer(self) -> None:
        answer_of(self).submit()


class MultiAnswer(PickerAnswer):
    """Multi cards: tick every right option (Space, its number or a click), Enter answers."""

    kinds = ("multi",)
    hint = "Tick every right option with Space, its number or a click."
    BINDINGS = NUMBER_KEYS
    picker_class = MultiPicker

    def setup(self) -> None:
        self.options = list(body_as(self.card.note, MultiBody).options)
        self.rng.shuffle(self.options)
        self.ticked: set[int] = set()

    def _prompt(self, index: int, mark: str = " ", style: str = "", note: str = "") -> Text:
        box = "[x]" if index in self.ticked else "[ ]"
        text = Text.assemble((f"{mark} {box} {index + 1}  ", "bold"), lit(self.options[index]))
        text.stylize(style)
        if note:
            text.append(f"  {note}", style="italic")
        return text

    def entry_count(self) -> int:
        return len(self.options)

    def toggle(self, index: int) -> None:
        self.ticked ^= {index}
        self.query_one(MultiPicker).replace_option_prompt_at_index(index, self.prompt(index))

    def response(self) -> Response:
        return frozenset(self.options[i] for i in self.ticked) if self.ticked else None

    def action_pick(self, number: int) -> None:
        if 0 < number <= len(self.options):
            self.toggle(number - 1)
            self.query_one(MultiPicker).highlighted = number - 1

    def show_result(self) -> None:
        picker = self.query_one(MultiPicker)
        right = set(body_as(self.card.note, MultiBody).answers)
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
