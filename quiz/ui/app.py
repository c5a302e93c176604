"""Placeholder app until the study screens land."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from quiz.context import Context


class QuizApp(App):
    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("quiz", markup=False)
        yield Footer()
