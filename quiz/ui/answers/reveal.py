"""The answer widget of basic and reverse cards: think of the answer, then show it."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget

from quiz.ui.answers.base import AnswerWidget
from quiz.ui.widgets.drawn_lines import DrawnLines

PROMPT = "▶ Show answer (Space)"


class RevealAnswer(AnswerWidget):
    """Basic and reverse cards: think of the answer, then show it (Space or Enter) and grade yourself."""

    kinds: tuple[str, ...] = ("basic", "reverse")
    hint = "Think of the answer, then press Space or Enter to show it."
    self_graded = True
    BINDINGS = [
        Binding("space", "reveal", "Show answer", tooltip="Show the answer, then grade yourself"),
        Binding("enter", "reveal", "Show answer", show=False),
    ]

    class Prompt(DrawnLines, Widget, can_focus=True):
        """A focusable row holding the reveal keys: the prompt, drawn on its own background (brighter while focused),
        or nothing once the answer shows. The row stays, blank, so the answer shows without anything moving."""

        COMPONENT_CLASSES = {"reveal-prompt--button"}
        ALLOW_SELECT = False

        def __init__(self) -> None:
            super().__init__(classes="reveal-prompt")
            self.shown = True

        def show(self, shown: bool) -> None:
            if shown != self.shown:
                self.shown = shown
                self.refresh()

        def render(self) -> Content:
            if not self.shown:
                return Content("")
            return Content(f" {PROMPT} ").stylize_before(self.get_visual_style("reveal-prompt--button"))

    def compose(self) -> ComposeResult:
        self.prompt = self.Prompt()
        yield self.prompt

    def reset(self) -> None:
        self.prompt.show(True)

    def action_reveal(self) -> None:
        self.reveal()

    @on(events.Click)
    def _clicked(self) -> None:
        if not self.answered:  # a click queued before the answer was shown asks nothing more
            self.reveal()

    def show_result(self) -> None:
        """The prompt goes blank but stays, with the focus and its row: hiding it would move the focus away and the
        next card would bring it back (each focus move repaints the whole screen: Textual's `Screen.focused`
        repaints) and restyle; a row less would make Textual lay the screen out. Not disabled either, nor given a
        class: a restyle (twice per card) would be for nothing seen. Once the answer shows, Space and Enter go on to
        the study screen, which grades."""
        super().show_result()
        self.prompt.show(False)
