"""The answer widget of occlusion cards: the picture with the asked region masked; show the answer, grade yourself.

The masks are drawn with Pillow onto a copy of the note's picture, kept in a folder of this process's own
under the system's temporary folder (removed when quiz ends), one file per card and side, and shown like
any card's picture (quiz/ui/widgets/card_image.py): drawn in the terminal, or opened with `i`.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from pathlib import Path

from quiz.core.kinds.base import body_as
from quiz.core.kinds.occlusion import OcclusionBody, Region
from quiz.core.model import Card
from quiz.ui.answers.reveal import RevealAnswer
from quiz.ui.widgets.card_image import Picture, linked_out, opened_picture

MAX_SIDE = 1600  # pixels: a larger picture is drawn smaller (a terminal shows far fewer)
ASKED = ("#ff7e7e", "#b22222")  # fill, outline: the region asked (Anki's colours)
OTHER = ("#ffeba2", "#c9a227")  # the other regions, when all are hidden
SHOWN = "#2e8b57"  # the outline of the asked region once answered

_folder: Path | None = None


def _drawing_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="quiz-occlusion-"))
        atexit.register(shutil.rmtree, _folder, True)
    return _folder


def _box(region: Region, width: int, height: int) -> tuple[int, int, int, int]:
    x, y, w, h, _label = region
    return round(x * width), round(y * height), round((x + w) * width), round((y + h) * height)


def masked(original: Picture, card: Card, answered: bool) -> Path | None:
    """A copy of the picture with the card's masks drawn on it, or None when it cannot be read or leads out of its
    folder (then named so, as it is)."""
    body = body_as(card.note, OcclusionBody)
    picture = original.path
    if linked_out(original):  # never read: its masked copy would show what it leads to
        return None
    try:
        stat = picture.stat()
    except OSError:
        return None
    key = repr((str(picture.resolve()), stat.st_mtime_ns, stat.st_size, body, card.ordinal, answered))
    target = _drawing_folder() / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.png"
    if target.is_file():
        return target
    from PIL import Image, ImageDraw  # loaded with the first occlusion card, not at start-up

    try:
        with opened_picture(original) as opened:
            opened.thumbnail((MAX_SIDE, MAX_SIDE))
            image = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    draw = ImageDraw.Draw(image)
    line = max(2, round(min(image.size) / 150))
    for number, region in enumerate(body.regions, start=1):
        box = _box(region, *image.size)
        if number == card.ordinal:
            if answered:
                draw.rectangle(box, outline=SHOWN, width=line)
            else:
                draw.rectangle(box, fill=ASKED[0], outline=ASKED[1], width=line)
        elif body.hide != "one":
            draw.rectangle(box, fill=OTHER[0], outline=OTHER[1], width=line)
    image.save(target, "PNG")
    return target


class OcclusionAnswer(RevealAnswer):
    """Occlusion cards: think of what the red mask hides, then show it and grade yourself."""

    kinds = ("occlusion",)
    hint = "Think of what the red mask hides, then press Space or Enter to show it."

    def pictures(self, own: tuple[Picture, ...], answered: bool) -> tuple[Picture, ...]:
        if not own:
            return ()
        picture = own[0]  # an occlusion note has one picture (its kind checks it)
        drawn = masked(picture, self.card, answered)
        if drawn is None:  # the picture is gone, cannot be decoded or leads out: named so (quiz.ui.widgets.card_image)
            return (picture,)
        side = "answer" if answered else f"region {self.card.ordinal} masked"
        return (Picture(drawn, f"{picture.name}, {side}", drawn.parent),)
