"""Widgets of the quiz app: answer inputs per card kind, the grade bar, feedback after answering."""
