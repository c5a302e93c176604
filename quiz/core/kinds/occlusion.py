"""Occlusion cards (Anki's Image Occlusion): a picture with masked regions, one card per region.

A region is a box in fractions of the picture (x, y from its top-left corner, w, h), as Anki's Image
Occlusion stores its masks, with an optional label (what is under it). A card asks for one region: the
picture is shown with that region masked (and, unless `hide: one`, the others masked too, in another
colour: Anki's "hide all, guess one"); the answer is its label, or the region shown. The picture is the
note's `image:` (one picture), which this kind requires; the masks are drawn by the app (quiz/ui/answers/occlusion.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from quiz.core.fieldreader import ANSWER, MAX_LIST, FieldReader
from quiz.core.kinds.base import Field, FlowMapping, KindBase, Response, text_field
from quiz.core.model import Card, Note
from quiz.core.yamlsafe import Node, SequenceNode

#: (x, y, w, h, label): a box in fractions of the picture's width and height, and what is under it.
Region = tuple[float, float, float, float, str]
BOX = ("x", "y", "w", "h")
HIDE = ("all", "one")
NO_LABEL = "the region shown on the picture"


def _read_regions(reader: FieldReader, node: Node, name: str) -> tuple[Region, ...] | None:
    items = reader.sequence(node, name)
    if items is None:
        return None
    regions: list[Region] = []
    for item in items:
        fields = reader.mapping(item, "a region", (*BOX, "label"))
        if fields is None:
            return None
        missing = [b for b in BOX if b not in fields]
        if missing:
            reader.problem(item, f"a region needs {', '.join(missing)}", "write `{x: 0.1, y: 0.2, w: 0.3, h: 0.1}`")
            return None
        box: list[float] = []
        for key in BOX:
            text = reader.text(fields[key], key, ANSWER)
            try:
                value = float(text) if text is not None else math.nan
            except ValueError:
                value = math.nan
            if not 0 <= value <= 1 or (key in ("w", "h") and value == 0):
                if text is not None:
                    reader.problem(fields[key], *_out_of_range(key, value))
                return None
            box.append(value)
        x, y, w, h = box
        if x + w > 1.0001 or y + h > 1.0001:
            reader.problem(item, "a region reaches past the picture's edge", "make x + w and y + h at most 1")
            return None
        label = reader.text(fields["label"], "label", ANSWER) if "label" in fields else ""
        if label is None:
            return None
        regions.append((x, y, w, h, label))
    return tuple(regions)


def _out_of_range(key: str, value: float) -> tuple[str, str]:
    """What is wrong with a box's `key` (a corner may be 0, a size may not), and the fix; a value above 1 is
    most likely pixels, measured on the picture in an image editor."""
    allowed = "from 0 to 1" if key in ("x", "y") else "above 0 and at most 1"
    side, measure = ("width", "wide") if key in ("x", "w") else ("height", "high")
    fix = (
        f"divide it by the picture's {side} in pixels (a {key} of 120 on a picture 400 pixels {measure} is 0.3)"
        if value > 1
        else "measure from the picture's top-left corner: 0.5 is halfway"
    )
    return f"a region's {key} must be a fraction of the picture's {side}, {allowed}", fix


def _written_regions(regions: tuple[Region, ...]) -> list[FlowMapping]:
    written = []
    for x, y, w, h, label in regions:
        entry = FlowMapping(x=round(x, 4), y=round(y, 4), w=round(w, 4), h=round(h, 4))
        if label:
            entry["label"] = label
        written.append(entry)
    return written


@dataclass(frozen=True, slots=True)
class OcclusionBody:
    regions: tuple[Region, ...]
    front: str = ""  # shown above the picture (Anki's Header)
    hide: str = ""  # "one": only the asked region is masked; "" or "all": every region (Anki's default)


class Occlusion(KindBase[OcclusionBody]):
    name = "occlusion"
    example = """\
  # occlusion: a picture (image:, beside the deck) with masked regions, one card per region; boxes are
  # fractions of the picture from its top-left corner. Put a picture at pictures/cell.png, then take the
  # "# " (the # and the space after it) off each line below, so the card lines up with the others:
  # - id: example-occlusion
  #   kind: occlusion
  #   topic: details
  #   image: pictures/cell.png
  #   front: Name the part under the mask.
  #   regions:
  #     - {x: 0.1, y: 0.2, w: 0.3, h: 0.15, label: nucleus}
  #     - {x: 0.6, y: 0.5, w: 0.2, h: 0.2, label: mitochondrion}
"""  # commented in the template `quiz new` writes: a card of this kind needs a picture file
    body_type = OcclusionBody
    fields = (
        Field("front", text_field("front").read, optional=True),
        Field("regions", _read_regions, _written_regions),
        Field("hide", text_field("hide", ANSWER).read, optional=True, setting=True),
    )
    objective = False
    anki_note_type = "occlusion"  # Anki's Image Occlusion
    needs_picture = True

    def check(self, reader: FieldReader, nodes: dict[str, Node], values: dict[str, Any]) -> bool:
        ok = True
        if "image" not in nodes:
            reader.problem(nodes["regions"], "an occlusion card needs a picture", "add `image:`, the picture's path")
            ok = False
        elif isinstance(nodes["image"], SequenceNode) and len(nodes["image"].value) > 1:
            reader.problem(nodes["image"], "an occlusion card masks one picture", "give `image:` one path")
            ok = False
        if not 1 <= len(values["regions"]) <= MAX_LIST:
            reader.problem(nodes["regions"], f"'regions' needs 1 to {MAX_LIST} entries", "list the masked regions")
            ok = False
        if values.get("hide", "all") not in HIDE:
            reader.problem(nodes["hide"], f"'hide' is {values['hide']!r}", "write `hide: all` or `hide: one`")
            ok = False
        return ok

    def cards_of(self, deck_id: str, note: Note) -> list[Card]:
        regions = self.body_of(note).regions
        return [Card(deck_id, note, f"{note.id}/{n}", n) for n in range(1, len(regions) + 1)]

    def label(self, card: Card) -> str:
        return f"occlusion: region {card.ordinal} of {len(self.body_of(card.note).regions)}"

    def question(self, card: Card) -> str:
        return self.body_of(card.note).front or "What is under the highlighted mask?"

    def expected_answer(self, card: Card) -> str:
        return self.region(card)[4] or NO_LABEL

    def full_text(self, card: Card) -> str:
        return self.expected_answer(card)

    def region(self, card: Card) -> Region:
        return self.body_of(card.note).regions[card.ordinal - 1]

    def hides_all(self, note: Note) -> bool:
        return self.body_of(note).hide != "one"

    def grade(self, card: Card, response: Response, tolerance: int) -> tuple[bool, bool]:
        raise ValueError("a self-graded card has no answer to check")

    def anki_faces(self, note: Note) -> tuple[str, str]:
        body = self.body_of(note)
        labels = [f"{n}. {r[4] or NO_LABEL}" for n, r in enumerate(body.regions, start=1)]
        return body.front or "Image occlusion", "\n".join(labels)

    def details(self, note: Note) -> list[tuple[str, list[str]]]:
        body = self.body_of(note)
        return [("Regions", [f"{n}. {r[4] or '(no label)'}" for n, r in enumerate(body.regions, start=1)])]
