"""The answer widget of typed and cloze cards: type the answer."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input

from quiz.core.kinds.base import Response
from quiz.ui.answers.base import AnswerPart, AnswerWidget, answer_of


class AnswerInput(AnswerPart, Input):
    """An Input where Space on an empty line shows the answer instead of typing (outside an exam).

    Locked with its answer (`AnswerPart`): it keeps the focus and what was typed, but takes no more
    letters, so every key (the grades, Space, Enter, u) goes on to the screen."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # a locked input lets the screen's bindings have the printable keys too (grades, u, -, =, e)
        return not self.locked and super().check_consume_key(key, character)

    def check_message_enabled(self, message: Message) -> bool:
        # nor does it take a paste, or a click moving its cursor or selecting
        locked_out = isinstance(message, events.Paste | events.MouseDown) and self.locked
        return not locked_out and super().check_message_enabled(message)

    def on_key(self, event: events.Key) -> None:
        if self.locked:
            event.prevent_default()  # Input's own handler would type the key; it bubbles on to the screen
            return
        answer = answer_of(self)
        if event.key == "space" and not self.value.strip() and isinstance(answer, TypedAnswer) and answer.space_reveals:
            event.stop()
            event.prevent_default()
            answer.reveal()

    def on_focus(self, event: events.Focus) -> None:
        if self.locked:  # Input's own focus handler, which runs after this one, starts the blink again
            self.call_next(self.show_cursor, False)

    def show_cursor(self, shown: bool) -> None:
        """Blink the cursor (typing), or hide it (locked: nothing more to type; nor a blink to repaint)."""
        self.cursor_blink = shown  # its watcher pauses or restarts the blink, leaving the cursor shown
        self._cursor_visible = shown  # no public way (tests/ui/test_textual_internals.py checks it still works)


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
        answer_input = self.query_one(AnswerInput)
        answer_input.clear()
        answer_input.show_cursor(True)

    def lock_answer(self) -> None:
        super().lock_answer()
        self.query_one(AnswerInput).show_cursor(False)

    def response(self) -> Response:
        value = self.query_one(AnswerInput).value
        return value if value.strip() else None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()
