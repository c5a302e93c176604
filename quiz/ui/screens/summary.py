"""After a study session: how many, how well, how long, per topic, and when the next cards are due."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quiz.core.model import Deck, Mode
from quiz.core.session import StudySession
from quiz.ui.base import quiz_app
from quiz.ui.next_due import next_card_due
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit_line


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("escape,enter,q", "close", "Back to decks", tooltip="Return to the deck list"),
    ]

    def __init__(self, session: StudySession, name: str) -> None:
        super().__init__()
        self.session = session
        self.deck_name = name

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary"):
            yield Static(id="summary-title", classes="title-bar")
            yield Static(id="summary-numbers")
            yield Static(id="per-topic")
            yield Static(id="summary-next")
        yield KeyBar()

    def on_mount(self) -> None:
        session, summary = self.session, self.session.summary
        label = "Practice" if session.mode is Mode.PRACTICE else "Session"
        self.query_one("#summary-title", Static).update(
            Text.assemble((f"{label} finished · ", "bold"), lit_line(self.deck_name, "bold"))
        )
        numbers = Text.assemble(
            ("Cards reviewed  ", "dim"),
            (str(summary.count), "bold"),
            ("\nAccuracy        ", "dim"),
            (f"{summary.accuracy:.0%}" if summary.count else "–", "bold"),
            (f"  ({summary.correct} of {summary.count} right)" if summary.count else "", "dim"),
            ("\nTime spent      ", "dim"),
            (duration(summary.seconds), "bold"),
            (f"  ({summary.seconds / summary.count:.0f}s a card)" if summary.count else "", "dim"),
        )
        self.query_one("#summary-numbers", Static).update(numbers)
        deck = quiz_app(self).context.library.deck(session.cards[0].deck_id) if session.cards else None
        show_topic_scores(self.query_one("#per-topic", Static), deck, summary.per_topic())
        self.query_one("#summary-next", Static).update(self._next_text())

    def _next_text(self) -> Text:
        session = self.session
        now = session.clock.now()
        parts = []
        if session.mode is Mode.PRACTICE:
            parts.append(Text("Practice does not change when cards are due.", style="dim"))
        learning = session.learning_due_later()
        waiting_now = learning is not None and learning <= now  # the session was ended with one due already
        left = session.counts()
        ended_early = session.mode is Mode.REVIEW and left.new + left.review  # today is not done
        if learning is not None:
            parts.append(
                Text.assemble(
                    ("Learning cards are waiting. ", "bold red"),
                    ("One is due now." + ("" if ended_early else " Study this deck again to carry on."))
                    if waiting_now
                    else f"{next_card_due(learning, now)}: study this deck again then.",
                )
            )
        if ended_early:
            parts.append(
                Text.assemble(
                    ("Left for today: ", "bold"),
                    f"{left.new} new, {left.review} due. Study this deck again to carry on.",
                )
            )
            return Text("\n").join(parts)
        next_due = session.next_due()
        if next_due is not None and next_due != learning and not waiting_now:
            parts.append(Text(next_card_due(next_due, now), style="bold"))
        elif learning is None:
            parts.append(Text("No cards in this deck are scheduled yet.", style="dim"))
        return Text("\n").join(parts)

    def action_close(self) -> None:
        self.app.pop_screen()


def show_topic_scores(shown: Static, deck: Deck | None, per_topic: Mapping[str, tuple[int, int]]) -> None:
    """Each topic's answers right of those given, and the share, in `shown` (shown only when there are some); the
    topics by their deck's titles. A long title wraps within the width, so the score beside it is never cut off
    (a table of fixed columns put it past the edge of a 60-column pane)."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Topic", overflow="fold")
    table.add_column("Right", justify="right", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    for topic, (right, total) in per_topic.items():
        title = deck.topic_title(topic) if deck and topic else (topic or "(no topic)")
        table.add_row(lit_line(title), Text(f"{right}/{total}"), Text(f"{right / total:.0%}" if total else ""))
    shown.update(table)
    shown.display = bool(per_topic)
