"""The startup baseline: a bare Textual app (Header, Static, Footer), run exactly as quiz is run."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("bare")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
