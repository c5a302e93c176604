"""What a card shows: its question and its right answer, as plain text, as the card's kind writes them."""

from __future__ import annotations

from quiz.core.kinds import KINDS
from quiz.core.model import Card


def question(card: Card) -> str:
    return KINDS[card.kind].question(card)


def expected_answer(card: Card) -> str:
    """The right answer, written out for display after answering."""
    return KINDS[card.kind].expected_answer(card)


def full_text(card: Card) -> str:
    """The complete back of the card: for cloze the text with every gap filled in."""
    return KINDS[card.kind].full_text(card)
