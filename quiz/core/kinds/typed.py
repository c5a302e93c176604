"""Typed cards: the user types the answer; small slips are forgiven, digits never."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from quiz.core.answertext import (
    harakat_agree,
    has_greek_letter,
    has_harakat,
    has_umlaut,
    kept_signs,
    normalize_answer,
    umlauts_spelt,
    unmatchable_answer,
)
from quiz.core.fieldreader import ANSWER, MAX_LIST, FieldReader
from quiz.core.kinds.base import Response, SingleCard, StudiedAs, text_field, text_list_field
from quiz.core.model import Card, Note
from quiz.core.yamlsafe import Node

# A word this short has no room for a slip: R and S, B and C, II and III, IV and IM name different things. An
# accent left out is still one (Sao for São), so they are compared without their accents and marks.
_SHORT_WORD = 3


def _short_words(normalized: str) -> list[str]:
    short = [word for word in normalized.split(" ") if len(word) <= _SHORT_WORD]
    return ["".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch)) for word in short]


def _only_slips(typed: str, target: str) -> bool:
    """Whether each letter `typed` adds to or drops from `target` could be a slip: one at a time, never at a word's
    start. Two in a row or a first letter make another word, often the opposite one: agonist for antagonist,
    reversible for irreversible, esketamine for ketamine, typical for atypical, hypotension for hypertension."""
    from rapidfuzz.distance import Indel

    for change in Indel.opcodes(typed, target):
        if change.tag == "equal":
            continue
        text, start, end = (
            (target, change.dest_start, change.dest_end)
            if change.tag == "insert"
            else (typed, change.src_start, change.src_end)
        )
        letters = [at for at in range(start, end) if text[at] != " "]
        if len(letters) > 1 or any(at == 0 or text[at - 1] == " " for at in letters):
            return False
    return True


def _digits_only_for_letters(typed: str, target: str) -> bool:
    """Whether each digit `typed` holds (`target` has none) stands in for one of its letters, a key's slip
    (serot0nin); a digit added names another thing (alpha2 is not alpha, ketamine2 not ketamine)."""
    if not any(ch.isdigit() for ch in typed):
        return True
    from rapidfuzz.distance import Levenshtein

    # spaces left out: a digit and the word after it are written as one (ketamin3 infusion is ketamin3infusion)
    typed, target = typed.replace(" ", ""), target.replace(" ", "")
    for_letters = sum(
        edit.tag == "replace" and typed[edit.src_pos].isdigit() and target[edit.dest_pos].isalpha()
        for edit in Levenshtein.editops(typed, target)
    )
    return for_letters == sum(ch.isdigit() for ch in typed)


# Writings read more than one way, each right when it matches (`normalize_answer`'s options): a space between
# numbers parts a list as well as it groups thousands (250 500 is right for the list 250, 500, as 1 2 3 is for 1, 2,
# 3, and for 250500, as 10 000 is for 10000); a Greek letter against a word is typed against it as often as apart
# (NF-kappaB and NF-kappa B are right for NF-κB), and against the word a hyphen parts it from (TNFalpha for TNF-α);
# and as the Latin letter it is spelt with, in each of those places (TNF-a, TNFa for TNF-α; b-blocker for β-blocker).
_OTHER_READINGS: tuple[dict[str, Any], ...] = (
    {"spaces_group": False},
    {"greek_at": "against"},
    {"greek_at": "joined"},
    *({"greek_at": at, "greek_latin": True} for at in ("apart", "against", "joined")),
)


def _right_read_otherwise(given: str, accepted: list[str]) -> bool:
    """Whether `given` is one of `accepted` in one of the `_OTHER_READINGS`. A Latin letter is read as a Greek one
    only in the deck's answer: typed, it is the letter typed (hepatitis β is not Hepatitis B)."""
    greek = any(has_greek_letter(text) for text in (given, *accepted))
    for reading in _OTHER_READINGS:
        if not greek and "greek_at" in reading:
            continue  # no Greek letter to read otherwise: a wrong answer is checked 3x faster
        typed = normalize_answer(given, **{**reading, "greek_latin": False})
        if any(typed == normalize_answer(answer, **reading) for answer in accepted):
            return True
    # the answer's umlauts spelt with an e, as where a keyboard has none (Uebelkeit for Übelkeit); an umlaut typed
    # for the answer's ae, oe, ue is a wrong letter (Pö for Poe)
    spelt = [umlauts_spelt(answer) for answer in accepted if has_umlaut(answer)]
    if spelt and any(pattern.fullmatch(normalize_answer(given)) for pattern in spelt):
        return True
    # Arabic written with all its vowel marks, some or none is the same word, unless a mark differs
    return any(has_harakat(text) for text in (given, *accepted)) and any(
        harakat_agree(given, answer) for answer in accepted
    )


def check_typed(given: str, accepted: list[str], tolerance: int) -> tuple[bool, bool]:
    """(correct, near_miss). Case, spacing and punctuation between words never matter (`normalize_answer`);
    digits, the signs kept and short words must match exactly, and a near miss is made of slips (`_only_slips`)."""
    typed = normalize_answer(given)
    if not typed:
        return False, False
    from rapidfuzz import fuzz  # imported on first use: it adds ~7 ms to every start otherwise

    targets = [normalize_answer(a) for a in accepted]
    if typed in targets or _right_read_otherwise(given, accepted):
        return True, False
    for target in targets:
        if (
            any(ch.isdigit() for ch in target)
            or not _digits_only_for_letters(typed, target)
            or kept_signs(typed) != kept_signs(target)
            or _short_words(typed) != _short_words(target)
        ):
            continue  # a near miss on a number, a sign (C++, C#) or a short word is a different thing
        if fuzz.ratio(typed, target) >= tolerance and _only_slips(typed, target):
            return True, True
    return False, False


@dataclass(frozen=True, slots=True)
class TypedBody:
    front: str
    answer: str
    accept: tuple[str, ...] = ()  # other accepted answers


class Typed(SingleCard[TypedBody]):
    name = "typed"
    example = """\
  # typed: type the answer; small slips are forgiven, `accept` lists other right answers.
  # Text is read as written, with no quotes needed: 1969, yes and 1.50 are text, not a number or yes/no.
  - id: example-typed
    kind: typed
    topic: details
    front: In which year did people first walk on the Moon?
    answer: 1969
"""  # its card in the template `quiz new` writes
    body_type = TypedBody
    title = "type the answer"
    fields = (text_field("front"), text_field("answer", ANSWER), text_list_field("accept", MAX_LIST, optional=True))
    anki_note_type = "typed"

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        # Warnings, not errors: an older quiz accepted such answers, and its importer wrote them (a '?' to type);
        # one card must not stop its deck from loading. The card is studied as `studied_as` says.
        if studied := self.studied_as(values):
            reader.problem(
                nodes["answer"],
                f"{studied.why}; the card is studied as basic, self-graded, its back that answer",
                f"{studied.fix}, or write `kind: basic` and `back:` for `answer:`",
                "warning",
            )
            return True
        written = [("'answer'", nodes["answer"], values["answer"])]
        if "accept" in values:
            written += [
                ("the 'accept' entry", node, text)
                for node, text in zip(nodes["accept"].value, values["accept"], strict=True)
            ]
        for name, node, text in written:
            if unmatchable := unmatchable_answer(name, text):
                why, fix = unmatchable
                graded_on, or_else = (
                    ("'accept' entries", "") if name == "'answer'" else ("other answers", ", or remove it")
                )
                reader.problem(node, f"{why}; the card is graded on its {graded_on}", fix + or_else, "warning")
        return True

    def studied_as(self, values: dict[str, Any]) -> StudiedAs | None:
        """A typed note none of whose answers a typed answer can match is a basic card, self-graded, its back the
        answer: kept, as a new import makes it (quiz.core.importers)."""
        unmatchable = unmatchable_answer("'answer'", values["answer"])
        if unmatchable is None or any(unmatchable_answer("", text) is None for text in values.get("accept", ())):
            return None
        return StudiedAs("basic", {"front": values["front"], "back": values["answer"]}, *unmatchable)

    def expected_answer(self, card: Card) -> str:
        return self.body_of(card.note).answer

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        body = self.body_of(card.note)
        return check_typed(str(response), [body.answer, *body.accept], tolerance)

    def anki_faces(self, note: Note) -> tuple[str, str]:
        body = self.body_of(note)
        return body.front, body.answer

    def from_faces(self, front: str, back: str) -> TypedBody:
        return TypedBody(front, back)
