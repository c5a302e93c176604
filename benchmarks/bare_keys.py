"""The key-latency baseline: a bare Textual app (Header, Static, Footer, as benchmarks/bare_app.py) whose keys
update its one Static the way quiz's study screen answers them: Space shows the answer under the question,
1-4 show the next question."""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static


class BareKeysApp(App):
    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        *(Binding(str(grade), "next_card", f"Grade {grade}") for grade in range(1, 5)),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._question(0), id="card")
        yield Footer()

    def on_mount(self) -> None:
        self.card = 0

    def _question(self, card: int) -> str:
        return f"Question number {card}: what is {card} times 7?"

    def action_reveal(self) -> None:
        self.query_one("#card", Static).update(f"{self._question(self.card)}\n\n{self.card * 7}")

    def action_next_card(self) -> None:
        self.card += 1
        self.query_one("#card", Static).update(self._question(self.card))


if __name__ == "__main__":
    BareKeysApp().run()
