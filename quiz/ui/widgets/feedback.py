"""What the user sees after answering: right or wrong, the right answer, the back, the explanation, what the
note says from outside its sources, the source."""

from __future__ import annotations

from rich.text import Text

from quiz.core import faces
from quiz.core.exam import describe
from quiz.core.kinds import KINDS
from quiz.core.kinds.base import Response
from quiz.core.model import Card, Deck
from quiz.ui.widgets.literal import lit, lit_line

RIGHT, WRONG = "bold green", "bold red"
OUTSIDE_LABEL = "Not from the cited sources: "  # an `outside:` statement, set apart from what the sources say


def answer_in_context(pieces: list[tuple[str, bool]]) -> Text:
    """The card's text with the answer in it (a cloze, every gap filled in), the asked part highlighted."""
    return Text.assemble(*((piece, RIGHT + " underline" if asked else "") for piece, asked in pieces))


def verdict_line(correct: bool, near_miss: bool = False, revealed: bool = False) -> Text:
    """Right or wrong, for an answer the app checked (`revealed`: none was given)."""
    if correct:
        return Text("✓ Correct" + (" (near miss accepted: check the spelling)" if near_miss else ""), style=RIGHT)
    return Text("✗ No answer given — counted as not known" if revealed else "✗ Not quite", style=WRONG)


def judged_wrong_line() -> Text:
    """A self-graded card its user said, once shown its answer, they did not know (an exam's `n`)."""
    return Text("✗ Not known: your verdict", style=WRONG)


def feedback(card: Card, deck: Deck | None, verdict: Text | None, given: Response = None) -> Text:
    """The whole answer side as one literal Text: the verdict (None: self-graded), the right answer, the wrong answer
    `given` (None: not shown), the explanation, what is not from the sources, the sources."""
    parts: list[Text] = []
    if verdict is not None:
        parts.append(verdict)
    pieces = KINDS[card.kind].answer_in_context(card)
    if pieces is not None:
        parts.append(answer_in_context(pieces))
    else:
        parts.append(answer_line(faces.expected_answer(card)))
    if given is not None:
        parts.append(given_line(describe(given)))
    if card.note.explain:
        parts.append(Text(""))
        parts.append(lit(card.note.explain, "italic"))
    if card.note.outside:
        parts.append(Text(""))
        parts.append(Text.assemble((OUTSIDE_LABEL, "bold"), lit(card.note.outside)))
    titles = [s.title for sid in card.note.sources if deck and (s := deck.source(sid))]
    if titles:
        parts.append(Text(""))
        parts.extend(Text.assemble(("Source: ", "dim bold"), lit_line(title, "dim")) for title in titles)
    return Text("\n").join(parts)


def answer_line(expected: str) -> Text:
    """The right answer, written out."""
    return Text.assemble(("Answer: ", "bold"), lit(expected, RIGHT))


def given_line(given: str) -> Text:
    """The wrong answer given, written out."""
    return Text.assemble(("You answered: ", "bold"), lit(given, "red"))
