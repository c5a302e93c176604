"""The app as its screens see it: the Context, the seed, the shufflers. QuizApp (app.py) adds the screens on top,
so a screen reaches the app through `quiz_app` here without importing the module that imports it."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from textual.app import App
from textual.dom import DOMNode

from quiz.context import Context

if TYPE_CHECKING:  # quiz.core.sync is loaded only for a user who syncs
    from concurrent.futures import Future

    from quiz.core.sync import Exchanged, SyncReport


class QuizAppBase(App[None]):
    """`seed` makes every shuffle repeatable (tests, snapshots)."""

    def __init__(self, context: Context, seed: int | None = None) -> None:
        super().__init__()
        self.context = context
        self.seed = seed
        self.sync_line = ""  # what the last sync did, or why it could not (Home shows it)
        self.sync_report: SyncReport | None = None  # the start's sync: its problems printed after the app (quiz/cli.py)
        self.sync_started: Future[Exchanged | str] | None = None  # that sync's slow part, on its thread (autosync)
        self.backup_line = ""  # the start's backup under way, or what came of it (Home shows it: startbackup)
        context.store.settings()  # opens the store now, so a bad store fails before the UI starts

    def rng(self, *key: str) -> random.Random:
        """A shuffler: repeatable per key when the app has a seed, otherwise random."""
        return random.Random(":".join((str(self.seed), *key))) if self.seed is not None else random.Random()


def quiz_app(node: DOMNode) -> QuizAppBase:
    """The app `node` runs in, typed: Textual's `node.app` is any App."""
    app = node.app
    if not isinstance(app, QuizAppBase):
        raise TypeError(f"{type(node).__name__} runs only in quiz's app, not in {type(app).__name__}")
    return app
