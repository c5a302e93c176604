"""The four grades, each labelled with the interval it leads to, like Anki's answer bar: one line of one widget.

It was a bar of four Buttons: five widgets to lay out on every study key, each button with its bevelled
borders and its own styles to draw when the answer showed. Drawn as one line it is laid out as one widget
and painted once (~1 ms less per reveal); a click on a grade grades, as a button did.
"""

from __future__ import annotations

from datetime import timedelta

from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from quiz.core.model import Grade
from quiz.core.scheduler import format_interval
from quiz.ui.widgets.drawn_lines import DrawnLines
from quiz.ui.widgets.pointer import POINTER
from quiz.ui.widgets.pressable import Pressable

LABELS = {Grade.AGAIN: "Again", Grade.HARD: "Hard", Grade.GOOD: "Good", Grade.EASY: "Easy"}


class GradeBar(Pressable[Grade], DrawnLines, Widget):
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
        self.shown = False

    def show(self, proposed: Grade, intervals: dict[Grade, timedelta] | None) -> None:
        """Label the grades (with intervals when scheduling) and mark the proposed one."""
        self.proposed = proposed
        self.shown = True
        for grade in Grade:
            marker = POINTER if grade is proposed else " "
            number = (f"{marker}{int(grade)} ", "dim" if grade is not proposed else "bold")
            label = Content.assemble(number, LABELS[grade])
            if intervals and grade in intervals:
                label += Content.styled(f"  {format_interval(intervals[grade])}", "bold")
            self.labels[grade] = label
        self.refresh()

    def clear(self) -> None:
        """No grades: a blank row (kept, so the screen above it does not move), clicks and hover ignored."""
        if self.shown:
            self.shown, self.hover = False, None
            self.refresh()

    def render(self) -> Content:
        """Each grade's label centred in its cell (`places`). Textual's Content, not a rich Text: Textual would turn a
        Text into Content first, which cost more than the rest of drawing the bar."""
        if not self.shown:
            return Content("")
        grade_style = self.get_visual_style("grade-bar--grade")
        proposed_style = self.get_visual_style("grade-bar--proposed")
        hover_style = self.get_visual_style("grade-bar--hover")
        cells: list[Content] = []
        for start, end, grade in self.places(self.size.width):
            size = end - start
            label = self.labels[grade].truncate(size, ellipsis=True)
            left = (size - label.cell_length) // 2
            cell = label.pad(left, size - left - label.cell_length)
            cell = cell.stylize_before(proposed_style if grade is self.proposed else grade_style)
            if grade is self.hover:
                cell = cell.stylize(hover_style)
            cells.append(cell)
        return Content(" ").join(cells)

    # --- mouse ------------------------------------------------------------------------------------

    def places(self, width: int) -> list[tuple[int, int, Grade]]:
        """Four cells of equal width (the first ones a cell wider when the width does not divide), one cell apart;
        none while the bar is blank."""
        if not self.shown:
            return []
        size, extra = divmod(max(width - len(Grade) + 1, 0), len(Grade))
        places, start = [], 0
        for n, grade in enumerate(Grade):
            end = start + size + (n < extra)
            places.append((start, end, grade))
            start = end + 1
        return places

    def press(self, grade: Grade) -> None:
        self.post_message(self.Graded(grade))
