"""The Textual app over the core: built from a Context (store, clock, decks), with one stylesheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from threading import Event

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from quiz.core.deckcache import DeckCacheLost
from quiz.core.store import StoreWriteError
from quiz.ui import autosync, startbackup
from quiz.ui.base import QuizAppBase
from quiz.ui.commands import QuizCommands
from quiz.ui.console_glyphs import ConsoleGlyphs, on_linux_console
from quiz.ui.hangup import take_hang_ups
from quiz.ui.legible import Legible
from quiz.ui.screens.home import HomeScreen
from quiz.ui.widgets.literal import lit_line, say

LEGIBLE = Legible()
CONSOLE_GLYPHS = ConsoleGlyphs()


# A Japanese or Chinese input method left on sends a key in its full-width form (３, ｂ, ？, and an ideographic space
# for Space): where no text is being typed, it is the key it stands for, so grading, showing the answer and every
# screen's keys work without turning the input method off first.
_KEY_OF_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


class QuizApp(QuizAppBase):
    """`python main.py` opens this: QuizAppBase (what the screens reach) with the screens, the stylesheet, the theme."""

    CSS_PATH = "app.tcss"
    TITLE = "quiz"
    COMMANDS = App.COMMANDS | {QuizCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", show=False, tooltip="Show the keys of every screen"),
    ]

    def _handle_exception(self, error: Exception) -> None:
        # A deck edited on disk while quiz had not yet read its card text, with its cached copy gone too:
        # a one-line message, not a traceback (every answer is already saved). That text is first read
        # wherever a screen first shows or checks a card, so the error is caught where Textual sends every
        # unhandled one; it has no public hook there (tests/ui/test_textual_internals.py checks this one).
        if isinstance(error, DeckCacheLost):
            self.exit(return_code=1, message=lit_line(f"quiz: {error}"))
            return
        super()._handle_exception(error)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.character in _KEY_OF_FULL_WIDTH and not event.is_forwarded:
            typing = self.focused is not None and self.focused.check_consume_key(event.key, event.character)
            if not typing:  # a text box (a typed answer, the search) keeps the character as it was typed
                character = _KEY_OF_FULL_WIDTH[event.character]
                event = events.Key(_character_to_key(character), character)
        await super().on_event(event)

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Last, so it measures the colours the terminal gets (NO_COLOR's greys included); the console's glyphs
        # change no colour.
        glyphs = [CONSOLE_GLYPHS] if on_linux_console() else []
        return [*super().get_line_filters(), LEGIBLE, *glyphs]

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.apply_theme()
        autosync.start(self)
        self._stop_backup = Event()
        startbackup.start(self, self._stop_backup)
        # However the theme changes (Settings, the command palette's "Change theme"), it is kept for next time.
        self.theme_changed_signal.subscribe(self, self.keep_theme)
        self._give_back_hang_ups = take_hang_ups(self)

    def on_unmount(self) -> None:
        self._stop_backup.set()  # quitting: the start's backup, if it still runs, stops (Textual waits for it)
        self._give_back_hang_ups()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        startbackup.finished(self, event)

    def apply_theme(self) -> None:
        """Use the stored theme when this Textual knows it."""
        theme = self.context.store.settings().theme
        if theme in self.available_themes:
            self.theme = theme

    def keep_theme(self, theme: Theme) -> None:
        store = self.context.store
        saved = store.settings()
        if saved.theme == theme.name:
            return
        try:
            store.save_settings(replace(saved, theme=theme.name))
        except (ValueError, StoreWriteError) as exc:
            say(self, f"Theme not saved: {exc}", severity="error")

    def action_help(self) -> None:
        from quiz.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
