"""What the user acts on to answer a card: one answer widget per kind of card, found by the kind's name.

Every module of this package is an answer widget's (or a helper of several, like `option_lists`). A widget
class names the kinds it answers in `kinds`; nothing else registers it: a new kind's widget is one new
module here. What every widget shares is `base.AnswerWidget`.
"""

from __future__ import annotations

import importlib
import pkgutil
import random

from quiz.core.model import Card
from quiz.ui.answers.base import AnswerWidget


def _answer_widget_classes() -> dict[str, type[AnswerWidget]]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    found: dict[str, type[AnswerWidget]] = {}
    classes: list[type[AnswerWidget]] = [AnswerWidget]
    while classes:
        widget_class = classes.pop()
        classes += widget_class.__subclasses__()
        for kind in widget_class.__dict__.get("kinds", ()):  # a subclass answers its own kinds only
            if kind in found:
                raise TypeError(f"two answer widgets for kind {kind!r}: {found[kind]} and {widget_class}")
            found[kind] = widget_class
    return found


#: The answer widget of each kind of card, by the kind's name.
ANSWER_WIDGETS = _answer_widget_classes()


def answer_widget(card: Card, rng: random.Random) -> AnswerWidget:
    """A new answer widget for a card."""
    return ANSWER_WIDGETS[card.kind](card, rng)
