"""The answer widget of typed and cloze cards: type the answer."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Input

from quiz.core.kinds.base import Response
from quiz.ui.answers.base import AnswerWidget, answer_of


class AnswerInput(Input):
    """An Input where Space on an empty line shows the answer instead of typing (outside an exam)."""

    def on_key(self, event: events.Key) -> None:
        answer = answer_of(self)
        if event.key == "space" and not self.value.strip() and isinstance(answer, TypedAnswer) and answer.space_reveals:
            event.stop()
            event.prevent_default()
            answer.reveal()


class TypedAnswer(AnswerWidget):
    """Typed and cloze cards: type the answer (near misses are forgiven by the checker)."""

    kinds = ("typed", "cloze")
    hint = "Type the answer (Space on an empty line shows it)."
    space_reveals = True

    def in_exam(self) -> None:
        """An exam shows no answer before its end: Space is only a space."""
        self.space_reveals = False
        self.hint = "Type the answer."

    def compose(self) -> ComposeResult:
        yield AnswerInput(placeholder="type your answer", select_on_focus=False, compact=True)

    def reset(self) -> None:
        self.query_one(AnswerInput).clear()
        self.disabled = False

    def show_result(self) -> None:
        """Disabled: the input can keep no focus without taking the grade keys as letters."""
        super().show_result()
        self.disabled = True

    def response(self) -> Response:
        value = self.query_one(AnswerInput).value
        return value if value.strip() else None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()
