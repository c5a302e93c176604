"""Cloze gaps: `{{answer}}` or `{{answer::hint}}`, one card per gap."""

from __future__ import annotations

import re

from quiz.core.model import ClozeGap

_GAP = re.compile(r"\{\{(.*?)\}\}", re.S)
_ANKI_GAP = re.compile(r"(c\d+)::(.*)", re.S)  # a gap's inside as Anki writes it: {{c1::answer}}, {{c1::answer::hint}}
MAX_GAPS = 50  # cloze gaps in one note: each is a card, and every card of the note draws the whole text


def find_gaps(text: str) -> list[ClozeGap]:
    gaps = []
    for match in _GAP.finditer(text):
        answer, _, hint = match.group(1).partition("::")
        gaps.append(ClozeGap(answer.strip(), hint.strip(), match.start(), match.end()))
    return gaps


def unclosed_gap_at(text: str) -> int:
    """Offset of a `{{` that never closes, or -1."""
    stripped = _GAP.sub(lambda m: " " * len(m.group(0)), text)
    return stripped.find("{{")


def gap_problem(text: str) -> tuple[str, str] | None:
    """What is wrong with a cloze text's gaps and how to fix it, or None: one rule for deck files and imports."""
    if unclosed_gap_at(text) >= 0:
        return "a cloze gap '{{' is never closed", "close it with '}}'"
    gaps = find_gaps(text)
    if not gaps:
        return "the cloze has no gap", "mark each gap as {{answer}} or {{answer::hint}}"
    if any(not gap.answer for gap in gaps):
        return "a cloze gap is empty", "write the hidden answer inside {{...}}"
    anki = next(filter(None, (_ANKI_GAP.fullmatch(match.group(1)) for match in _GAP.finditer(text))), None)
    if anki is not None:  # read as quiz's gap, it would ask for "c1" and show the answer as the hint
        number, inside = anki.groups()
        gap = "{{" + inside.strip() + "}}"
        return (
            f"'{{{{{number}::' is Anki's cloze syntax, which quiz reads as the answer '{number}'",
            f"write the answer first, as {gap} (quiz's gaps are {{{{answer}}}} or {{{{answer::hint}}}}, each a card)",
        )
    if any("{" in gap.answer + gap.hint or "}" in gap.answer + gap.hint for gap in gaps):
        return "a cloze gap is nested or holds a brace", "write each gap as {{answer}}, with no { or } inside"
    if len(gaps) > MAX_GAPS:
        return f"the cloze has {len(gaps):,} gaps; at most {MAX_GAPS}", "split it into several cards"
    return None


def render(text: str, hidden: int | None, blank: str = "[...]") -> str:
    """The text with gap number `hidden` (1-based) shown as a blank (or its hint) and the others filled in.

    With hidden=None every gap is filled in (the answer side).
    """
    parts: list[str] = []
    last = 0
    for number, gap in enumerate(find_gaps(text), start=1):
        parts.append(text[last : gap.start])
        if number == hidden:
            parts.append(f"[{gap.hint}]" if gap.hint else blank)
        else:
            parts.append(gap.answer)
        last = gap.end
    parts.append(text[last:])
    return "".join(parts)
