"""Cloze gaps: `{{answer}}` or `{{answer::hint}}`, one card per gap."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from quiz.core.answertext import unmatchable_answer
from quiz.core.model import ClozeGap
from quiz.core.text import counted

_GAP = re.compile(r"\{\{(.*?)\}\}", re.S)
# Anki's cloze gap, {{c1::answer}} or {{c1::answer::hint}}: what an import converts, and what a deck is warned of.
ANKI_GAP = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.S)
_ANKI_MARK = re.compile(r"\{\{c\d+::")
MAX_GAPS = 50  # cloze gaps in one note: each is a card, and every card of the note draws the whole text


def find_gaps(text: str) -> list[ClozeGap]:
    gaps = []
    for match in _GAP.finditer(text):
        answer, _, hint = match.group(1).partition("::")
        gaps.append(ClozeGap(answer.strip(), hint.strip(), match.start(), match.end()))
    return gaps


def renumbered_gaps(before: str, after: str) -> list[tuple[str, int, int]]:
    """The gaps of cloze text `after` whose number is not the one they had in `before` (a gap added or removed
    before them): (answer, number before, number now). A gap's card is keyed by its number, so each such card
    takes the history of the gap that had its number."""
    old = [gap.answer for gap in find_gaps(before)]
    new = [gap.answer for gap in find_gaps(after)]
    if not any((index >= len(old) or old[index] != answer) and answer in old for index, answer in enumerate(new)):
        return []  # most updates: no answer at another number (then only is a match of the two worked out)
    # the runs of gaps kept in order first: of two gaps with one answer ({{2}} + {{2}}), the one kept is the one
    # whose neighbours stay with it; then a gap moved alone (two swapped) by its answer
    was: dict[int, int] = {}
    for block in SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        was |= {block.b + offset: block.a + offset for offset in range(block.size)}
    unused = [index for index in range(len(old)) if index not in was.values()]
    for index, answer in enumerate(new):
        if index not in was and (same := next((i for i in unused if old[i] == answer), None)) is not None:
            was[index] = same
            unused.remove(same)
    # a gap whose number had a gap of the same answer takes a history of that answer: nothing moved for her
    same_place = {index for index, answer in enumerate(new) if index < len(old) and old[index] == answer}
    return [(new[i], was[i] + 1, i + 1) for i in sorted(was) if was[i] != i and i not in same_place]


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
    if any("{" in gap.answer + gap.hint or "}" in gap.answer + gap.hint for gap in gaps):
        nested = " (quiz has no nested gaps, as Anki's {{c1::...{{c2::...}}}})" if has_anki_cloze(text) else ""
        return f"a cloze gap is nested or holds a brace{nested}", "write each gap as {{answer}}, with no { or } inside"
    if len(gaps) > MAX_GAPS:
        return f"the cloze has {len(gaps):,} gaps; at most {MAX_GAPS}", "split it into several cards"
    return None


def unmatchable_gaps(gaps: list[ClozeGap]) -> set[int]:
    """The numbers (1-based) of the gaps nothing typed can match (`{{?}}`, `{{!!}}`): each makes no card."""
    return {number for number, gap in enumerate(gaps, start=1) if unmatchable_answer("", gap.answer)}


def unmatchable_gap(text: str) -> tuple[str, str] | None:
    """Why a gap of `text` nothing typed can match could never be answered right, and what to write, or None."""
    gaps = find_gaps(text)
    numbers = sorted(unmatchable_gaps(gaps))
    if not numbers:
        return None
    why, fix = unmatchable_answer("the cloze gap", gaps[numbers[0] - 1].answer) or ("", "")
    others = f" (and {counted(len(numbers) - 1, 'other gap')} like it)" if len(numbers) > 1 else ""
    return why + others, fix


def unmatchable_gap_warning(text: str) -> tuple[str, str] | None:
    """`unmatchable_gap` as the loader warns of it: only a warning, since an older quiz accepted such gaps and one
    must not stop its deck from loading. The gap makes no card; its key (`x/2`) is kept, so its history comes back
    once its answer can be typed, and the other gaps keep theirs."""
    unmatchable = unmatchable_gap(text)
    if unmatchable is None:
        return None
    why, fix = unmatchable
    gaps = find_gaps(text)
    every = len(unmatchable_gaps(gaps)) == len(gaps)
    rest = "the note makes no card" if every else "it makes no card; the note's other gaps are studied as before"
    return f"{why}; {rest}", f"{fix}: its card comes back with its history"


def has_anki_cloze(text: str) -> bool:
    return bool(_ANKI_MARK.search(text))


def from_anki(text: str) -> str:
    """Anki `{{c1::answer}}` / `{{c1::answer::hint}}` -> quiz `{{answer}}` / `{{answer::hint}}`.

    quiz makes one card per gap, so gaps sharing a c-number become separate cards. A gap numbered 0 becomes its
    answer: Anki makes no card of it and shows the answer on every card.
    """

    def gap(match: re.Match[str]) -> str:
        answer, sep, hint = match.group(2).partition("::")
        if int(match.group(1)) == 0 and "{{" not in match.group(2):  # one holding a gap is left for has_anki_cloze
            return answer
        answer, hint = answer.strip(), hint.strip()
        return "{{" + answer + ("::" + hint if sep and hint else "") + "}}"

    return ANKI_GAP.sub(gap, text)


def anki_numbers(text: str) -> list[int | None]:
    """For each gap of Anki's cloze `text` converted (from_anki), in order, its Anki c-number: None for a `{{...}}`
    Anki reads as no gap (`{{C1::x}}`), of which it makes no card."""
    numbers: list[int | None] = []
    for match in _GAP.finditer(text):
        anki = ANKI_GAP.fullmatch(match.group(0))
        if anki is None:
            numbers.append(None)
        elif number := int(anki.group(1)):  # c0 becomes text
            numbers.append(number)
    return numbers


def anki_gap_warning(text: str) -> tuple[str, str] | None:
    """A sound cloze text's first gap written as Anki writes it, and how to write it, or None. Only a warning:
    `{{c4::White's second move}}` is also a right quiz gap, asking for the chess move c4 with a hint."""
    found = ANKI_GAP.search(text)
    if found is None:
        return None
    gap, number = found.group(0), "c" + found.group(1)
    rewrite = from_anki(gap)
    as_anki_meant = f"{rewrite}" if gap_problem(rewrite) is None else "the hidden answer inside the gap, {{answer}}"
    return (
        f"{gap} asks for '{number}' (in Anki's cloze syntax it would hide what follows '{number}::')",
        f"as Anki meant it, write {as_anki_meant}; or, if '{number}' is the answer, {{{{ {number}::...}}}}"
        " (a space first) keeps it without this warning",
    )


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
