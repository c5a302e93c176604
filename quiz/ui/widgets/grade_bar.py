"""The four grade buttons, each labelled with the interval it leads to, like Anki's answer bar."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from quiz.core.model import Grade
from quiz.core.scheduler import format_interval

LABELS = {Grade.AGAIN: "Again", Grade.HARD: "Hard", Grade.GOOD: "Good", Grade.EASY: "Easy"}


class GradeButton(Button, can_focus=False):
    """A grade button: clicked with the mouse; the keys live on the study screen."""

    def __init__(self, grade: Grade) -> None:
        super().__init__(LABELS[grade], id=f"grade-{grade.name.lower()}", classes=f"grade grade-{int(grade)}")
        self.grade = grade


class GradeBar(Horizontal):
    """Shown once the answer is: the buttons, the proposed grade marked. Its keys (1-4, Enter, Space) are the
    study screen's, so showing the bar moves no focus (a focus move restyles the widgets it leaves and
    enters, and redraws the footer)."""

    class Graded(Message):
        def __init__(self, grade: Grade) -> None:
            super().__init__()
            self.grade = grade

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.proposed = Grade.GOOD

    def compose(self) -> ComposeResult:
        for grade in Grade:
            yield GradeButton(grade)

    def on_mount(self) -> None:
        self.buttons = {button.grade: button for button in self.query(GradeButton)}  # looked up once

    def show(self, proposed: Grade, intervals: dict[Grade, timedelta] | None) -> None:
        """Label the buttons (with intervals when scheduling) and highlight the proposed grade."""
        self.proposed = proposed
        for grade in Grade:
            marker = "▸" if grade is proposed else " "
            label = Text.assemble((f"{marker}{int(grade)} ", "dim" if grade is not proposed else "bold"), LABELS[grade])
            if intervals and grade in intervals:
                label.append(f"  {format_interval(intervals[grade])}", style="bold")
            button = self.buttons[grade]
            button.label = label
            button.set_class(grade is proposed, "-proposed")

    @on(Button.Pressed, ".grade")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert isinstance(event.button, GradeButton)
        self.post_message(self.Graded(event.button.grade))
