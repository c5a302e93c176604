"""quiz's own commands in Textual's command palette (Ctrl+P): on Home, study, practise or an exam on each deck
and each topic, the other screens, reloading the decks and checking the store; help everywhere.

Deck and topic titles are untrusted text: they reach the palette as rich Text (which it never reads as markup),
never through the matcher's highlighting, which would read them as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from quiz.core.model import Mode
from quiz.ui.base import quiz_app
from quiz.ui.screens.home import HomeScreen, Row
from quiz.ui.widgets.decklist import DeckList
from quiz.ui.widgets.literal import lit_line, say


@dataclass(frozen=True, slots=True)
class Command:
    text: str  # what the typed query is matched against, as shown
    run: Callable[[], object]
    help: str  # fixed text of ours: the palette reads it as markup


class QuizCommands(Provider):
    """The palette's quiz commands for the screen it was opened on."""

    def commands(self) -> list[Command]:
        commands = [Command("Help: the keys of every screen", partial(self.app.run_action, "app.help"), "Also ? or F1")]
        home = self.screen
        if not isinstance(home, HomeScreen):
            return commands  # the others act on Home's decks or open a screen from Home
        commands += [
            Command("Browse the cards", home.action_browse, "Search, open, suspend, reset (b on Home)"),
            Command("Stats", home.action_stats, "Forecast, reviews, retention, topics (s on Home)"),
            Command("Settings", home.action_settings, "Daily limits, retention, theme (, on Home)"),
            Command("Reload the decks", home.action_refresh, "Read every deck file again (r on Home)"),
            Command("Check the store", self.check_store, "Is the file of your progress sound? (like quiz check)"),
        ]
        for deck in quiz_app(home).context.library.decks:
            for topic in (None, *deck.topic_ids()):
                name = deck.title if topic is None else f"{deck.title} › {deck.topic_title(topic)}"
                row = Row(deck.id, topic)
                commands += [
                    Command(f"Study {name}", partial(start, home, row, Mode.REVIEW), "What is due (Enter on Home)"),
                    Command(f"Practise {name}", partial(start, home, row, Mode.PRACTICE), "Shuffled, off the schedule"),
                    Command(f"Exam on {name}", partial(exam, home, row), "Set up an exam (e on Home)"),
                ]
        return commands

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(lit_line(command.text), command.run, text=command.text, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.text)
            if score > 0:
                yield Hit(score, lit_line(command.text), command.run, text=command.text, help=command.help)

    def check_store(self) -> None:
        from quiz.core.storecheck import check_store  # loaded when asked for, not at start-up

        context = quiz_app(self.screen).context
        report = check_store(context.store.path, context.clock.now(), repair=False)
        if report.ok:
            say(self.app, "\n".join(report.facts), title="The store is sound")
        else:
            problems = report.problems or [report.unchecked]
            advice = "Quit quiz and run `quiz check`, which repairs what it safely can."
            say(self.app, "\n".join([*problems, report.advice or advice]), title="Store problems", severity="error")


def select(home: HomeScreen, row: Row) -> None:
    """Highlight `row` on Home, as if chosen there, for the action that follows."""
    decks = home.query_one(DeckList)
    keys = [shown.key for shown in decks.rows]
    if row.key in keys:
        decks.cursor = keys.index(row.key)


def start(home: HomeScreen, row: Row, mode: Mode) -> None:
    select(home, row)
    home.start_session(mode)


def exam(home: HomeScreen, row: Row) -> None:
    select(home, row)
    home.action_exam()
