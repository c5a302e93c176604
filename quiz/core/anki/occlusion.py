"""Anki's Image Occlusion masks -> quiz's occlusion regions.

Anki keeps a note's masks as cloze text in its first field, one `{{cN::image-occlusion:SHAPE:key=value:...}}`
per shape (rslib/src/image_occlusion, ts/routes/image-occlusion): `rect` and `ellipse` with `left`, `top`,
`width` and `height` (an older `ellipse` has `rx` and `ry`), `polygon` with `points=x,y x,y ...`, all in
fractions of the picture; `text` shapes are labels on the picture, not masks. Shapes sharing an N are one
card; `oi=1` means "hide all, guess one", its absence "hide one, guess one". A quiz region is a box: a card's
shapes become the box around them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from quiz.core.kinds.occlusion import Region

_SHAPE = re.compile(r"\{\{c(\d+)::image-occlusion:(\w+):([^}]*)\}\}")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _box(shape: str, props: dict[str, str]) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of one shape, or None for a label or a shape quiz cannot read."""
    if shape == "polygon":
        points = [p.split(",") for p in props.get("points", "").split()]
        xs = [_number(p[0]) for p in points if len(p) == 2]
        ys = [_number(p[1]) for p in points if len(p) == 2]
        if not xs or None in xs or None in ys:
            return None
        xs_, ys_ = [x for x in xs if x is not None], [y for y in ys if y is not None]
        return min(xs_), min(ys_), max(xs_), max(ys_)
    if shape not in ("rect", "ellipse"):
        return None
    left, top = _number(props.get("left", "")), _number(props.get("top", ""))
    width, height = _number(props.get("width", "")), _number(props.get("height", ""))
    if width is None and shape == "ellipse":  # older notes: radii
        rx, ry = _number(props.get("rx", "")), _number(props.get("ry", ""))
        width, height = (2 * rx if rx is not None else None), (2 * ry if ry is not None else None)
    if left is None or top is None or width is None or height is None:
        return None
    return left, top, left + width, top + height


class Masks(NamedTuple):
    regions: tuple[Region, ...]  # one per card quiz can mask, in card order
    numbers: tuple[int, ...]  # each region's N (Anki's card ord + 1): a deleted mask or a label leaves a gap
    hide_all: bool  # oi=1: "hide all, guess one"


def regions(masks: str) -> Masks:
    """The regions of a note's masks, one per card in card order, their cards' numbers, and whether all are
    hidden at once."""
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    hide_all = False
    for number, shape, raw in _SHAPE.findall(masks):
        props = dict(item.partition("=")[::2] for item in raw.split(":"))
        hide_all = hide_all or props.get("oi") == "1"
        box = _box(shape, props)
        if box is not None:
            boxes.setdefault(int(number), []).append(box)
    found: list[Region] = []
    numbers: list[int] = []
    for number in sorted(boxes):
        group = boxes[number]
        left, top = max(0.0, min(b[0] for b in group)), max(0.0, min(b[1] for b in group))
        right, bottom = min(1.0, max(b[2] for b in group)), min(1.0, max(b[3] for b in group))
        if right > left and bottom > top:  # rounded as a deck file writes them, so that they read back the same
            found.append((round(left, 4), round(top, 4), round(right - left, 4), round(bottom - top, 4), ""))
            numbers.append(number)
    return Masks(tuple(found), tuple(numbers), hide_all)


def masks(found: tuple[Region, ...], hide_all: bool) -> str:
    """Regions as Anki keeps them in a note's Occlusion field: one rectangle per card, in card order (the
    reverse of `regions`, which gives them back)."""
    hide = ":oi=1" if hide_all else ""
    return "<br>".join(
        f"{{{{c{number}::image-occlusion:rect:left={x:g}:top={y:g}:width={w:g}:height={h:g}{hide}}}}}"
        for number, (x, y, w, h, _label) in enumerate(found, start=1)
    )
