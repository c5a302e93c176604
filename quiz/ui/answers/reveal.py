"""The answer widget of basic and reverse cards: think of the answer, then show it."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding

from quiz.ui.answers.base import AnswerWidget
from quiz.ui.widgets.literal import lit
from quiz.ui.widgets.steady import SteadyStatic


class RevealAnswer(AnswerWidget):
    """Basic and reverse cards: think of the answer, then show it (Space or Enter) and grade yourself."""

    kinds = ("basic", "reverse")
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once the answer shows, Space and Enter go on to the study screen, which grades, even before
        # Textual has taken the focus from the hidden prompt.
        return self.display if action == "reveal" else True

    def action_reveal(self) -> None:
        self.reveal()

    @on(events.Click)
    def _clicked(self) -> None:
        if self.display:  # a click queued before the answer was shown asks nothing more
            self.reveal()

    def show_result(self) -> None:
        """Hidden, which locks it (a hidden widget takes no keys or clicks). Not also disabled: that would
        restyle it twice per card (disabled now, enabled again by the next card's `load`) for nothing seen."""
        self.display = False
