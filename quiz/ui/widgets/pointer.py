"""The one mark for "this one" in a list: the highlighted option, item or row, and the grade Enter records."""

#: Drawn beside a highlight, in the text itself: a screen reader reading the terminal, or a screen without colour,
#: misses a highlight's colour. The Linux console draws it as ► (quiz.ui.console_glyphs).
POINTER = "▸"
