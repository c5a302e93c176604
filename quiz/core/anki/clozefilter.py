"""Anki's `{{cloze:Field}}` filter as Anki renders it for one card (rslib/src/cloze.rs), nested gaps included.

`{{c1::answer}}` and `{{c1::answer::hint}}` open with `{{cN::` and close with the nearest `}}`, so a gap may
hold others (`{{c1::Aspirin {{c2::irreversibly}} inhibits COX}}`, which Anki allows since 23.10). Card N's
question hides each gap numbered N as `[...]` (or `[hint]`), hidden gaps inside it included, and shows every
other gap's answer; its answer shows every gap's answer. A text with no gap numbered N gives nothing on
either side (card 3 of a standard note type whose template has `{{cloze:Field}}` asks c3). A `{{` that opens
no gap, and a `}}` that closes none, stay as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")


@dataclass
class _Gap:
    number: int
    parts: list[str | _Gap] = field(default_factory=list)


def render_cloze(text: str, number: int, question: bool) -> str:
    """`text` as card `number` (Anki's card ord + 1) shows it: its question when `question`, else its answer."""
    parts = _parse(text)
    if not any(gap.number == number for gap in _gaps(parts)):
        return ""
    return _shown(parts, number, question)


def gap_numbers(text: str) -> list[int]:
    """The numbers of the text's gaps, nested ones included, each once, in order: Anki's cards of the text (a gap
    numbered 0 makes none)."""
    return sorted({int(match.group(1)) for match in _TOKEN.finditer(text) if match.group(1) is not None} - {0})


def _gaps(parts: list[str | _Gap]) -> Iterator[_Gap]:
    """Every gap of `parts`, nested ones included (walked without recursion: a pasted text may nest thousands)."""
    waiting = list(parts)
    while waiting:
        part = waiting.pop()
        if isinstance(part, _Gap):
            yield part
            waiting.extend(part.parts)


def _parse(text: str) -> list[str | _Gap]:
    root: list[str | _Gap] = []
    open_gaps: list[tuple[_Gap, list[str | _Gap]]] = []  # each open gap and the parts it was put in
    position = 0
    for match in _TOKEN.finditer(text):
        parts = open_gaps[-1][0].parts if open_gaps else root
        if match.start() > position:
            parts.append(text[position : match.start()])
        position = match.end()
        if match.group(1) is not None:
            gap = _Gap(int(match.group(1)))
            parts.append(gap)
            open_gaps.append((gap, parts))
        elif open_gaps:
            open_gaps.pop()
        else:
            parts.append(match.group(0))
    (open_gaps[-1][0].parts if open_gaps else root).append(text[position:])
    # never closed, innermost first: its opening mark is text, its parts stay where they are; an open gap is
    # the last of the parts it was put in, as what followed it went inside it
    for gap, parts in reversed(open_gaps):
        parts[-1:] = [f"{{{{c{gap.number}::", *gap.parts]
    return root


def _shown(parts: list[str | _Gap], number: int, question: bool) -> str:
    """`parts` as card `number` shows them (walked without recursion, as `_gaps`)."""
    shown: list[str] = []
    walking = [iter(parts)]
    while walking:
        part = next(walking[-1], None)
        if part is None:
            walking.pop()
        elif isinstance(part, str):
            shown.append(part)
        elif question and part.number == number:
            shown.append(f"[{_answer_and_hint(part)[1] or '...'}]")
        else:
            walking.append(iter(_answer_and_hint(part)[0]))
    return "".join(shown)


def _answer_and_hint(gap: _Gap) -> tuple[list[str | _Gap], str]:
    """The gap's answer and its hint: what follows its own first `::` (outside the gaps it holds) up to the next
    gap it holds; the gaps and text after it are the answer's, as Anki has it (`{{c1::a::hint {{c2::b}}}}`
    answers `ab`)."""
    for place, part in enumerate(gap.parts):
        if isinstance(part, str) and "::" in part:
            before, _, hint = part.partition("::")
            return [*gap.parts[:place], before, *gap.parts[place + 1 :]], hint
    return gap.parts, ""
