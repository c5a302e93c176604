"""What the user acts on to answer a card: the widget of each kind of card, one line per kind.

The widgets live in their own modules (`reveal`, `typed`, `choice`, `multi`, and `arrange` for
ordering and matching); what they all share is `answer_base.AnswerWidget`.
"""

from __future__ import annotations

import random

from quiz.core.model import Card, Kind
from quiz.ui.widgets.answer_base import AnswerWidget
from quiz.ui.widgets.arrange import MatchAnswer, OrderAnswer
from quiz.ui.widgets.choice import ChoiceAnswer, TrueFalseAnswer
from quiz.ui.widgets.multi import MultiAnswer
from quiz.ui.widgets.reveal import RevealAnswer
from quiz.ui.widgets.typed import TypedAnswer

#: The answer widget of each kind of card, one line per kind.
ANSWER_WIDGETS: dict[Kind, type[AnswerWidget]] = {
    Kind.BASIC: RevealAnswer,
    Kind.REVERSE: RevealAnswer,
    Kind.TYPED: TypedAnswer,
    Kind.CLOZE: TypedAnswer,
    Kind.CHOICE: ChoiceAnswer,
    Kind.TRUEFALSE: TrueFalseAnswer,
    Kind.MULTI: MultiAnswer,
    Kind.ORDER: OrderAnswer,
    Kind.MATCH: MatchAnswer,
}


def answer_widget(card: Card, rng: random.Random) -> AnswerWidget:
    """A new answer widget for a card."""
    return ANSWER_WIDGETS[card.kind](card, rng)
