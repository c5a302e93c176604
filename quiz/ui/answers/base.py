"""The base of every answer widget: what the study and exam screens rely on, whatever the card's kind.

Each answer widget posts `AnswerWidget.Submitted` with its response (None: nothing answered, which the
study screen turns into "show me the answer"). After the answer is checked the screen calls
`show_result`, which locks the widget and marks the right (and wrong) choices. A locked widget keeps the
focus and its place: what holds the focus in it (an `AnswerPart`) takes no more keys or clicks, so the keys
go on to the screen (the grades) and nothing moves or is restyled.

A mounted answer widget can be given the next card of its kind with `load` (the study screen keeps one
per kind rather than removing and mounting one per card); it then looks and behaves exactly as a new
widget built for that card would.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

from quiz.core.kinds.base import Response
from quiz.core.library import Library
from quiz.core.model import Card
from quiz.ui.widgets.card_image import Picture, note_pictures
from quiz.ui.widgets.steady import SteadySize

if TYPE_CHECKING:
    _Mixin = Widget  # the type checker sees the override and its super() call against Widget's
else:
    _Mixin = object  # at run time not a Widget: Textual takes CSS from a class's first Widget base

NUMBER_KEYS: list[BindingType] = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]


class AnswerWidget(SteadySize, Vertical):
    """Base of the answer widgets: holds the card, posts Submitted, shows the result."""

    class Submitted(Message):
        def __init__(self, widget: AnswerWidget, response: Response) -> None:
            super().__init__()
            self.widget = widget
            self.response = response

    kinds: tuple[str, ...] = ()  # the card kinds (by name) this widget answers; found by quiz.ui.answers
    hint = ""  # how to operate it; the screen adds what Enter does there
    self_graded = False
    marks_answer = False  # once checked, the answer given is shown marked where it was given (the back need not)

    def __init__(self, card: Card, rng: random.Random) -> None:
        super().__init__(classes="answer")
        self.card = card
        self.rng = rng
        self.answered = False  # the answer is checked: the widget is locked
        self.setup()

    def setup(self) -> None:
        """Work out what to show for `self.card` (shuffles use `self.rng`), before compose or `reset`."""

    def reset(self) -> None:
        """Show `self.card` in the mounted children, unanswered, as compose would have built them."""

    def load(self, card: Card, rng: random.Random) -> None:
        """Show another card of the same kind, unanswered, in this mounted widget."""
        self.card = card
        self.rng = rng
        self.answered = False
        self.setup()
        self.display = True
        self.reset()

    def compose(self) -> ComposeResult:
        yield from ()

    def content_width(self) -> int:
        """The width inside this widget: the width of what holds it, less this widget's padding and border."""
        holder = self.parent
        width = holder.size.width if isinstance(holder, Widget) else 0
        return max(width - self.styles.gutter.width, 0)

    def response(self) -> Response:
        """What the user has given so far; None when nothing."""
        return None

    def submit(self) -> None:
        self.post_message(self.Submitted(self, self.response()))

    def action_submit(self) -> None:
        self.submit()

    def reveal(self) -> None:
        """Ask to see the answer without answering."""
        self.post_message(self.Submitted(self, None))

    def on_mount(self) -> None:
        self.focus_answer()

    def focus_answer(self) -> None:
        target = self.focus_target()
        if target is not None:
            target.focus()

    def focus_target(self) -> Widget | None:
        """The widget that takes the keys: the first focusable one inside."""
        return next((widget for widget in self.query("*") if widget.focusable), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once the answer is checked, the widget's keys (a number picks, Enter answers) go on to the screen's.
        return not self.answered

    def show_result(self) -> None:
        """Lock the widget once the answer is checked (subclasses also mark the right answer). Not `disabled`:
        that would take the focus away (the next card brings it back: each move restyles and repaints)."""
        self.lock_answer()

    def lock_answer(self) -> None:
        """Take no more keys or clicks, showing no answer: the answer given is the one kept (an exam whose
        result could not be saved grades it when Esc tries again)."""
        self.answered = True

    def pictures(self, own: tuple[Picture, ...], answered: bool) -> tuple[Picture, ...]:
        """The pictures shown with the card, before or after answering, given the note's own (a kind may
        draw on them)."""
        return own

    def card_pictures(self, library: Library, answered: bool) -> tuple[Picture, ...]:
        """What the study and exam screens show with the card, before or after answering: its note's pictures,
        from its deck's folder, as `pictures` draws them, and once answered those shown only with the answer."""
        deck, note = library.deck(self.card.deck_id), self.card.note
        shown = self.pictures(note_pictures(deck, note.images), answered)
        return shown + note_pictures(deck, note.answer_images) if answered else shown


def answer_of(widget: Widget) -> AnswerWidget:
    """The answer widget `widget` sits in (its picker, its input)."""
    return next(a for a in widget.ancestors if isinstance(a, AnswerWidget))


class AnswerPart(_Mixin):
    """Mixin for a Widget subclass (put it first) that takes the keys inside an answer widget (its list, its grid):
    once the answer is checked it keeps the focus but takes no key (they go on to the screen) and no click."""

    @property
    def locked(self) -> bool:
        return answer_of(self).answered

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return False if self.locked else super().check_action(action, parameters)

    def check_message_enabled(self, message: Message) -> bool:
        return not (isinstance(message, events.Click) and self.locked) and super().check_message_enabled(message)
