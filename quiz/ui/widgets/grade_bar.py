"""The four grades, each labelled with the interval it leads to, like Anki's answer bar: one line of one widget.

It was a bar of four Buttons: five widgets to lay out on every study key, each button with its bevelled
borders and its own styles to draw when the answer showed. Drawn as one line it is laid out as one widget
and painted once (~1 ms less per reveal); a click on a grade grades, as a button did.
"""

from __future__ import annotations

from datetime import timedelta

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from quiz.core.model import Grade
from quiz.core.scheduler import format_interval
from quiz.ui.widgets.drawn_lines import DrawnLines

LABELS = {Grade.AGAIN: "Again", Grade.HARD: "Hard", Grade.GOOD: "Good", Grade.EASY: "Easy"}


class GradeBar(DrawnLines, Widget):
    """Shown once the answer is: the grades, the proposed one marked. Its keys (1-4, Enter, Space) are the study
    screen's, so showing the bar moves no focus (a focus move restyles the widgets it leaves and enters, and
    redraws the footer)."""

    COMPONENT_CLASSES = {"grade-bar--grade", "grade-bar--proposed", "grade-bar--hover"}
    ALLOW_SELECT = False

    class Graded(Message):
        def __init__(self, grade: Grade) -> None:
            super().__init__()
            self.grade = grade

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.proposed = Grade.GOOD
        self.labels: dict[Grade, Content] = {grade: Content(LABELS[grade]) for grade in Grade}
        self._spans: list[tuple[int, int, Grade]] = []  # (first cell, end cell, grade) as last drawn
        self._hover: Grade | None = None
        self.shown = False

    def show(self, proposed: Grade, intervals: dict[Grade, timedelta] | None) -> None:
        """Label the grades (with intervals when scheduling) and mark the proposed one."""
        self.proposed = proposed
        self.shown = True
        for grade in Grade:
            marker = "▸" if grade is proposed else " "
            number = (f"{marker}{int(grade)} ", "dim" if grade is not proposed else "bold")
            label = Content.assemble(number, LABELS[grade])
            if intervals and grade in intervals:
                label += Content.styled(f"  {format_interval(intervals[grade])}", "bold")
            self.labels[grade] = label
        self.refresh()

    def clear(self) -> None:
        """No grades: a blank row (kept, so the screen above it does not move), clicks and hover ignored."""
        if self.shown:
            self.shown, self._hover = False, None
            self.refresh()

    def draw_lines(self, width: int) -> list[Content]:
        return [self.render()]

    def render(self) -> Content:
        """Four cells of equal width (the first ones a cell wider when the width does not divide), one cell
        apart, each grade's label centred in its own. Textual's Content, not a rich Text: Textual would turn a
        Text into Content first, which cost more than the rest of drawing the bar."""
        if not self.shown:
            self._spans = []
            return Content("")
        grade_style = self.get_visual_style("grade-bar--grade")
        proposed_style = self.get_visual_style("grade-bar--proposed")
        hover_style = self.get_visual_style("grade-bar--hover")
        width, extra = divmod(max(self.size.width - len(Grade) + 1, 0), len(Grade))
        cells: list[Content] = []
        spans: list[tuple[int, int, Grade]] = []
        start = 0
        for n, grade in enumerate(Grade):
            size = width + (n < extra)
            label = self.labels[grade].truncate(size, ellipsis=True)
            left = (size - label.cell_length) // 2
            cell = label.pad(left, size - left - label.cell_length)
            cell = cell.stylize_before(proposed_style if grade is self.proposed else grade_style)
            if grade is self._hover:
                cell = cell.stylize(hover_style)
            cells.append(cell)
            spans.append((start, start + size, grade))
            start += size + 1
        self._spans = spans
        return Content(" ").join(cells)

    # --- mouse ------------------------------------------------------------------------------------

    def _grade_at(self, event: events.MouseEvent) -> Grade | None:
        offset = event.get_content_offset(self)  # past the bar's padding
        if offset is None:
            return None
        return next((grade for start, end, grade in self._spans if start <= offset.x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        grade = self._grade_at(event)
        if grade is not self._hover:
            self._hover = grade
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        grade = self._grade_at(event)
        if grade is not None:
            self.post_message(self.Graded(grade))
