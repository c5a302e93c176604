"""What a card shows: its question and its right answer, as plain text."""

from __future__ import annotations

from quiz.core import cloze
from quiz.core.model import Card, Kind


def question(card: Card) -> str:
    note = card.note
    if note.kind is Kind.CLOZE:
        return cloze.render(note.text, hidden=card.ordinal)
    if note.kind is Kind.REVERSE and card.ordinal == 1:
        return note.back
    return note.front


def expected_answer(card: Card) -> str:
    """The right answer, written out for display after answering."""
    note = card.note
    match note.kind:
        case Kind.BASIC:
            return note.back
        case Kind.REVERSE:
            return note.front if card.ordinal == 1 else note.back
        case Kind.CLOZE:
            return cloze.find_gaps(note.text)[card.ordinal - 1].answer
        case Kind.TYPED | Kind.CHOICE:
            return str(note.answer)
        case Kind.TRUEFALSE:
            return "True" if note.answer else "False"
        case Kind.MULTI:
            return "; ".join(note.answers)
        case Kind.ORDER:
            return " → ".join(note.items)
        case Kind.MATCH:
            return "; ".join(f"{left} → {right}" for left, right in note.pairs)
    raise ValueError(f"unknown kind {note.kind}")


def full_text(card: Card) -> str:
    """The complete back of the card: for cloze the text with every gap filled in."""
    if card.kind is Kind.CLOZE:
        return cloze.render(card.note.text, hidden=None)
    return expected_answer(card)
