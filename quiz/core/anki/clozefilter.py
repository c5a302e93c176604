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
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")


@dataclass
class _Gap:
    number: int
    parts: list[str | _Gap] = field(default_factory=list)


def render_cloze(text: str, number: int, question: bool) -> str:
    """`text` as card `number` (Anki's card ord + 1) shows it: its question when `question`, else its answer."""
    parts = _parse(text)
    if not _has_gap(parts, number):
        return ""
    return "".join(_shown(part, number, question) for part in parts)


def gap_numbers(text: str) -> list[int]:
    """The numbers of the text's gaps, nested ones included, each once, in order: Anki's cards of the text."""
    return sorted({int(match.group(1)) for match in _TOKEN.finditer(text) if match.group(1) is not None})


def _has_gap(parts: list[str | _Gap], number: int) -> bool:
    return any(isinstance(p, _Gap) and (p.number == number or _has_gap(p.parts, number)) for p in parts)


def _parse(text: str) -> list[str | _Gap]:
    root: list[str | _Gap] = []
    open_gaps: list[_Gap] = []
    position = 0
    for match in _TOKEN.finditer(text):
        parts = open_gaps[-1].parts if open_gaps else root
        if match.start() > position:
            parts.append(text[position : match.start()])
        position = match.end()
        if match.group(1) is not None:
            gap = _Gap(int(match.group(1)))
            parts.append(gap)
            open_gaps.append(gap)
        elif open_gaps:
            open_gaps.pop()
        else:
            parts.append(match.group(0))
    (open_gaps[-1].parts if open_gaps else root).append(text[position:])
    for gap in reversed(open_gaps):  # never closed: its opening mark is text, its parts stay where they are
        _unwrap(root, gap)
    return root


def _unwrap(parts: list[str | _Gap], gap: _Gap) -> bool:
    for place, part in enumerate(parts):
        if part is gap:
            parts[place : place + 1] = [f"{{{{c{gap.number}::", *gap.parts]
            return True
        if isinstance(part, _Gap) and _unwrap(part.parts, gap):
            return True
    return False


def _shown(part: str | _Gap, number: int, question: bool) -> str:
    if isinstance(part, str):
        return part
    answer, hint = _answer_and_hint(part)
    if question and part.number == number:
        return f"[{hint or '...'}]"
    return "".join(_shown(inner, number, question) for inner in answer)


def _answer_and_hint(gap: _Gap) -> tuple[list[str | _Gap], str]:
    """The gap's answer and its hint: what follows its own first `::` (outside the gaps it holds)."""
    for place, part in enumerate(gap.parts):
        if isinstance(part, str) and "::" in part:
            before, _, hint = part.partition("::")
            rest = "".join(p if isinstance(p, str) else "" for p in gap.parts[place + 1 :])
            return [*gap.parts[:place], before], hint + rest
    return gap.parts, ""
