"""The four grades, each labelled with the interval it leads to, like Anki's answer bar: one line of one widget.

It was a bar of four Buttons: five widgets to lay out on every study key, each button with its bevelled
borders and its own styles to draw when the answer showed. Drawn as one line it is laid out as one widget
and painted once (~1 ms less per reveal); a click on a grade grades, as a button did.
"""

from __future__ import annotations

from datetime import timedelta

from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from quiz.core.model import Grade
from quiz.core.scheduler import format_interval
from quiz.ui.widgets.drawn_lines import DrawnLines
from quiz.ui.widgets.pointer import POINTER
from quiz.ui.widgets.pressable import Pressable

# The width four grades with their intervals need on one line ("▸3 Good  11m" and the like in four cells)
ONE_ROW_WIDTH = 58
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
        self.names: dict[Grade, Content] = {grade: Content(LABELS[grade]) for grade in Grade}  # "▸3 Good"
        self.intervals: dict[Grade, Content] = dict.fromkeys(Grade, Content(""))  # "11m", or nothing
        self.labels: dict[Grade, Content] = dict(self.names)  # "▸3 Good  11m"
        self.shown = False

    def show(self, proposed: Grade, intervals: dict[Grade, timedelta] | None) -> None:
        """Label the grades (with intervals when scheduling) and mark the proposed one."""
        self.proposed = proposed
        self.shown = True
        for grade in Grade:
            marker = POINTER if grade is proposed else " "
            number = (f"{marker}{int(grade)} ", "dim" if grade is not proposed else "bold")
            self.names[grade] = Content.assemble(number, LABELS[grade])
            interval = (intervals or {}).get(grade)
            after = "" if interval is None else format_interval(interval)
            self.intervals[grade] = Content.styled(after, "bold")
            self.labels[grade] = self.names[grade] + Content.styled(f"  {after}" if after else "", "bold")
        self.refresh()

    def clear(self) -> None:
        """No grades: a blank row (kept, so the screen above it does not move), clicks and hover ignored."""
        if self.shown:
            self.shown, self.hover = False, None
            self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Two rows below ONE_ROW_WIDTH (a phone's narrow terminal), whether shown or not (a grade key lays nothing
        out). Known from the width the bar is laid out at: a class the screen set at a breakpoint came a layout
        later, the bar drawn cut in between (on a resize, or the first frame of a late terminal size)."""
        return 1 if width >= ONE_ROW_WIDTH else 2

    def draw_lines(self, width: int) -> list[Content]:
        """One line of labels; given two rows (a narrow bar: get_content_height), each grade's name above its
        interval, which a cell a quarter of 40 or 50 columns wide cut to `1 Again…` or `▸3 Good  1…` on one line."""
        if not self.shown:
            return [Content("")]
        rows = [self.labels] if self.size.height < 2 else [self.names, self.intervals]
        return [self._row(width, labels) for labels in rows]

    def render(self) -> Content:
        return Content("\n").join(self.draw_lines(self.size.width))

    def _row(self, width: int, labels: dict[Grade, Content]) -> Content:
        """Each grade's label centred in its cell (`places`). Textual's Content, not a rich Text: Textual would turn a
        Text into Content first, which cost more than the rest of drawing the bar."""
        grade_style = self.get_visual_style("grade-bar--grade")
        proposed_style = self.get_visual_style("grade-bar--proposed")
        hover_style = self.get_visual_style("grade-bar--hover")
        cells: list[Content] = []
        for start, end, grade in self.places(width):
            size = end - start
            label = labels[grade].truncate(size, ellipsis=True)
            left = (size - label.cell_length) // 2
            cell = label.pad(left, size - left - label.cell_length)
            cell = cell.stylize_before(proposed_style if grade is self.proposed else grade_style)
            if grade is self.hover:
                cell = cell.stylize(hover_style)
            cells.append(cell)
        return Content(" ").join(cells)

    # --- mouse ------------------------------------------------------------------------------------

    def places_on(self, width: int, row: int) -> list[tuple[int, int, Grade]]:
        """A grade's name and its interval below it are pressed alike."""
        return self.places(width) if row < max(self.size.height, 1) else []

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
