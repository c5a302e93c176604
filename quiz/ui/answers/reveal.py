"""The answer widget of basic and reverse cards: think of the answer, then show it."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding

from quiz.ui.answers.base import AnswerWidget
from quiz.ui.widgets.literal import lit
from quiz.ui.widgets.steady import SteadyStatic

PROMPT = lit("▶ Show answer (Space)")


class RevealAnswer(AnswerWidget):
    """Basic and reverse cards: think of the answer, then show it (Space or Enter) and grade yourself."""

    kinds: tuple[str, ...] = ("basic", "reverse")
    hint = "Think of the answer, then press Space or Enter to show it."
    self_graded = True
    BINDINGS = [
        Binding("space", "reveal", "Show answer", tooltip="Show the answer, then grade yourself"),
        Binding("enter", "reveal", "Show answer", show=False),
    ]

    class Prompt(SteadyStatic, can_focus=True):
        """A focusable line holding the reveal keys."""

    def setup(self) -> None:
        self.answered = False

    def compose(self) -> ComposeResult:
        self.prompt = self.Prompt(PROMPT, classes="reveal-prompt")
        yield self.prompt

    def reset(self) -> None:
        self.prompt.update(PROMPT)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once the answer shows, Space and Enter go on to the study screen, which grades.
        return not self.answered if action == "reveal" else True

    def action_reveal(self) -> None:
        self.reveal()

    @on(events.Click)
    def _clicked(self) -> None:
        if not self.answered:  # a click queued before the answer was shown asks nothing more
            self.reveal()

    def show_result(self) -> None:
        """The prompt goes blank but stays, with the focus: hiding it would move the focus away and the next
        card would bring it back, and each focus move repaints the whole screen (Textual's `Screen.focused`
        repaints) and restyles. Not disabled either, nor given a class: blank, it is no row high, so any
        restyle (twice per card) would be for nothing seen."""
        self.answered = True
        self.prompt.update("")
