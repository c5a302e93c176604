"""What a note type is, told by its templates and kind, never by its name (which any language may write).

A cloze note type (Anki's own kind) is cloze; two templates that ask each other's field and add no words of
their own to the fields are a reverse pair (Anki's "Basic (and reversed card)" and "(optional reversed card)" in
any language, or a custom copy, its fields wrapped in markup or not; fields both backs show besides the answer are
its explanation); one template that asks one field and whose back
shows two or more others is a basic card whose answer is the first of them in the note's field order and
whose explanation is the rest (quiz's own Basic: Back, then Explanation and Sources; the package reader reads
only quiz's own note types so, and renders any other of this shape as Anki shows it); everything else is
rendered card by card, a template with `{{type:Field}}` making a typed card: so is a pair whose templates ask with
words of their own (`Which class is {{Drug}}?`, a back labelled `Class: {{Class}}`), as Anki shows each card, which a
quiz older than this rule read as one reverse note (`read_before_as`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from quiz.core.anki.model import Notetype
from quiz.core.anki.templates import filtered_field, own_text, section_fields, template_fields

FRONT_SIDE = "FrontSide"


@dataclass(frozen=True)
class Shape:
    kind: str  # "cloze", "reverse", "basic", "cards" (one quiz note per Anki card) or "occlusion"
    front_field: str = ""  # cloze: the field holding the text; reverse, basic: the field card 1 asks
    back_field: str = ""  # reverse: the field card 2 asks; basic: its answer
    extra_fields: tuple[str, ...] = ()  # reverse, basic: fields the backs show besides the answer (an explanation)


def shape_of(notetype: Notetype) -> Shape:
    fronts = [t.front for t in notetype.templates]
    if notetype.image_occlusion or any("image-occlusion" in f for f in fronts):
        return Shape("occlusion")
    if notetype.is_cloze:
        text_field = next((name for f in fronts if (name := filtered_field(f, "cloze"))), "")
        return Shape("cloze", text_field or (notetype.fields[0] if notetype.fields else ""))
    if (pair := _reverse_pair(notetype)) is not None and not adds_words(notetype):
        return pair
    if len(notetype.templates) == 1 and not filtered_field(fronts[0], "type"):
        question = template_fields(fronts[0])
        shown = template_fields(notetype.templates[0].back) - {FRONT_SIDE, *question}
        answer, *explanation = [f for f in notetype.fields if f in shown] or [""]
        if len(question) == 1 and explanation:  # one field alone (Anki's Basic) is rendered as Anki shows it
            return Shape("basic", question.pop(), answer, tuple(explanation))
    return Shape("cards")


def read_before_as(notetype: Notetype) -> Shape | None:
    """The shape a quiz older than the rule on words gave a note type it reads otherwise now: a reverse pair whose
    templates add words of their own, read card by card now, was one reverse note then. None for any other."""
    pair = _reverse_pair(notetype)
    return pair if pair is not None and adds_words(notetype) else None


def adds_words(notetype: Notetype) -> bool:
    """Whether a template shows words of its own around the fields (templates.own_text: a section's too, shown on
    the cards of the notes that fill its field): a letter, a digit or a symbol outside the fields and the HTML
    markup. A symbol (`→`, a flag, even a 🔊) counts: which it is, an arrow that says which way a card asks or an
    icon, no category tells, and a pair read card by card loses nothing of what Anki shows, where one quiz note of
    its fields would lose the arrow. Spaces, `&nbsp;`, punctuation alone (a `?` after the field, a dash between
    two) and a `[sound:...]` (a sound, which quiz does not play) are layout, which one quiz note loses nothing of."""
    sides = (side for t in notetype.templates for side in (t.front, t.back))
    return any(unicodedata.category(c)[0] in "LNS" for side in sides for c in own_text(side))


def _reverse_pair(notetype: Notetype) -> Shape | None:
    """Two templates whose fronts each ask one field, the other's (no typed answer), each back showing the field the
    other asks, and the same other fields (the pair's explanation); None for any other note type."""
    if len(notetype.templates) != 2:
        return None
    first, second = notetype.templates
    asked = template_fields(first.front), template_fields(second.front)
    if len(asked[0]) != 1 or len(asked[1]) != 1 or asked[0] == asked[1]:
        return None
    (a,), (b,) = asked
    if filtered_field(first.front, "type") or filtered_field(second.front, "type"):
        return None
    answers = template_fields(first.back) - {FRONT_SIDE, a}, template_fields(second.back) - {FRONT_SIDE, b}
    extra = answers[0] - {b}
    if b not in answers[0] or a not in answers[1] or extra != answers[1] - {a}:
        return None
    return Shape("reverse", a, b, tuple(f for f in notetype.fields if f in extra))


def unshown_fields(notetype: Notetype) -> tuple[str, ...]:
    """The fields no template shows nor tests (a switch, as Add Reverse, is used): data a note carries for a
    program, as quiz's own `quiz` field, or notes of the student's own."""
    sides = [side for t in notetype.templates for side in (t.front, t.back)]
    used = (name for side in sides for name in (*template_fields(side), *section_fields(side)))
    shown = {*used, *(filtered_field(side, "type") for side in sides)}
    return tuple(name for name in notetype.fields if name not in shown)
