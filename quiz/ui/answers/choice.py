"""The answer widget of choice and true/false cards: pick one option."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from quiz.core.kinds.base import Response, body_as
from quiz.core.kinds.choice import ChoiceBody, TrueFalseBody
from quiz.ui.answers.base import NUMBER_KEYS, answer_of
from quiz.ui.answers.option_lists import PickerAnswer, ReusedOptionList
from quiz.ui.widgets.literal import lit


class OptionPicker(ReusedOptionList):
    """An OptionList whose Enter (and click) submits the surrounding answer."""

    def action_select(self) -> None:
        answer_of(self).submit()


class ChoiceAnswer(PickerAnswer):
    """Choice cards: one option, picked with ↑/↓ or its number, Enter answers."""

    kinds = ("choice",)
    hint = "Pick with ↑/↓, a number or a click."
    BINDINGS = NUMBER_KEYS
    picker_class = OptionPicker

    def setup(self) -> None:
        self.values: list[str | bool] = list(body_as(self.card.note, ChoiceBody).options)
        self.rng.shuffle(self.values)

    def right_value(self) -> str | bool:
        return body_as(self.card.note, ChoiceBody).answer

    def entry_count(self) -> int:
        return len(self.values)

    def _prompt(self, index: int, mark: str = " ", style: str = "") -> Text:
        text = Text.assemble((f"{mark} {index + 1}  ", "bold"), lit(self.values[index]))  # True shows as True
        text.stylize(style)
        return text

    def response(self) -> Response:
        highlighted = self.query_one(OptionPicker).highlighted
        return None if highlighted is None else self.values[highlighted]

    def action_pick(self, number: int) -> None:
        if 0 < number <= len(self.values):
            self.query_one(OptionPicker).highlighted = number - 1

    def show_result(self) -> None:
        picker = self.query_one(OptionPicker)
        chosen = picker.highlighted
        right = self.values.index(self.right_value())
        for index in range(len(self.values)):
            if index == right:
                picker.replace_option_prompt_at_index(index, self._prompt(index, "✓", "bold green"))
            elif index == chosen:
                picker.replace_option_prompt_at_index(index, self._prompt(index, "✗", "red strike"))
            else:  # as multi's: the list stays focused, so its look says the answer is locked
                picker.replace_option_prompt_at_index(index, self._prompt(index, " ", "dim"))
        super().show_result()


class TrueFalseAnswer(ChoiceAnswer):
    """True/false cards: True or False, picked as a choice or with T and F."""

    BINDINGS = [Binding("t", "pick_bool(True)", show=False), Binding("f", "pick_bool(False)", show=False)]

    kinds = ("truefalse",)

    def setup(self) -> None:
        self.values = [True, False]

    def right_value(self) -> bool:
        return body_as(self.card.note, TrueFalseBody).answer

    def action_pick_bool(self, value: bool) -> None:
        self.query_one(OptionPicker).highlighted = self.values.index(value)
