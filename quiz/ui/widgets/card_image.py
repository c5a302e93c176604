"""A card's picture: drawn by textual-image (Kitty's graphics protocol, sixel, or coloured half blocks) when
the terminal can show it (quiz.ui.graphics), and always named with the key that opens it in the system's
image viewer: without graphics a card shows `[image: name]` (for each of its pictures) and the key. A screen showing
cards takes the key from `PictureKey`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from quiz.core.deckfile import DeckFileError, open_regular
from quiz.core.images import MAX_IMAGE_BYTES, image_path, is_picture_file_name, leads_outside, picture_suffixes
from quiz.core.model import Deck
from quiz.core.text import as_written, shell_word
from quiz.ui.graphics import graphics_ready
from quiz.ui.widgets.literal import lit_line, say

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from textual.screen import Screen

    _Mixin = Screen[Any]  # the type checker sees the action against Screen's
else:
    _Mixin = object  # at run time not a Screen: Textual takes the screen's bindings and CSS from its own classes

IMAGE_HEIGHT = 8  # rows: with the question, the answer and the grade bar it fits an 80x24 terminal
MIN_IMAGE_HEIGHT = 2  # rows a picture keeps however little room a long question leaves it

#: The keys that open the shown picture: `i`, and Ctrl+O while typing an answer (where `i` is a letter).
IMAGE_BINDINGS = [
    Binding("i", "open_image", "Image", show=False, tooltip="Open the card's pictures in the system's viewer"),
    Binding("ctrl+o", "open_image", show=False, priority=True),
]

_drawer: type[Widget] | None = None  # textual-image's widget, once the terminal was asked


def prepare_graphics() -> None:
    """Load textual-image's widget once `ask_terminal` found graphics, before the app starts (it measures
    the terminal's cells then)."""
    global _drawer
    if _drawer is None and graphics_ready():
        try:
            from textual_image.widget import Image  # it measures the terminal's cells
        except Exception:  # as in ask_terminal: without graphics, cards name their pictures
            return
        _drawer = Image


class Picture(NamedTuple):
    """A picture to show: its file, the name to call it by (a drawn copy is called by its original's), and the
    folder it must not lead out of (a note's picture: its deck's folder)."""

    path: Path
    name: str
    folder: Path


def note_pictures(deck: Deck | None, images: Sequence[str]) -> tuple[Picture, ...]:
    """The pictures a note's `images` (its `image:`, its `answer_image:`, or both) name, in their order."""
    if deck is None:
        return ()
    folder = Path(deck.path).parent
    paths = (image_path(deck.path, image) for image in images)
    return tuple(Picture(path, path.name, folder) for path in paths)


def picture_state(picture: Picture) -> str:
    """ "found", "missing" (the file is gone), "linked out" (a link leading out of its folder put in its place since
    the deck was loaded: never drawn nor opened, as the deck's own check refuses it), "misnamed" (a file whose name,
    or that of the file a link leads to, does not end as a picture's: never drawn nor opened, the system's "open"
    would run `pic.hta` as a program) or "unreadable" (there, but Pillow, which draws it, cannot decode it: a damaged
    or cut-short file), so a bad picture is named rather than crashing the screen drawing it."""
    path = picture.path
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    if linked_out(picture):
        return "linked out"
    if not is_picture_file_name(path):
        return "misnamed"
    return "found" if _decodes(picture, stat.st_mtime_ns, stat.st_size) else "unreadable"


def linked_out(picture: Picture) -> bool:
    """Whether the picture is now a link leading out of its folder (as its deck's own check, quiz.core.images)."""
    return leads_outside(picture.folder, str(picture.path.relative_to(picture.folder)))


@lru_cache(maxsize=256)
def _decodes(picture: Picture, mtime_ns: int, size: int) -> bool:
    """Whether the picture decodes whole (keyed by its time and size, so a replaced file is looked at again)."""
    from PIL import Image  # loaded with the first picture, not at start-up

    try:
        with opened_picture(picture) as opened:
            opened.draft("RGB", (64, 64))  # a JPEG decodes at a small size: only whether it decodes matters
            opened.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    return True


@contextmanager
def _picture_file(picture: Picture) -> Iterator[BinaryIO]:
    """The picture's file open for reading, a regular file inside its folder only, or OSError: a pipe put in its
    place since the deck was loaded would block the screen forever, a link to /dev/zero would never end, and a
    link leading out must never be read. Checked once the file is open, so no link can be swapped in between."""
    try:
        with open_regular(picture.path) as (stream, opened):
            if linked_out(picture) or not os.path.samestat(opened, picture.path.stat()):
                raise OSError(f"{picture.path} leads outside its folder")
            yield stream
    except DeckFileError as exc:
        raise OSError(exc.message) from None


@contextmanager
def opened_picture(picture: Picture) -> Iterator[PILImage]:
    """The picture opened by Pillow from its checked file (`_picture_file`), or OSError."""
    from PIL import Image

    with _picture_file(picture) as stream, Image.open(stream) as image:
        yield image


def drawable(picture: Picture) -> PILImage | None:
    """The picture read and decoded once, for the drawer (None when it cannot be now): handed its path, the drawer
    read it again at every redraw, long after it was checked."""
    from PIL import Image

    try:
        with _picture_file(picture) as stream:
            data = stream.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:  # grown since it was checked
            return None
        image = Image.open(io.BytesIO(data))
        image.load()  # decoded here, so a file that cannot be is never handed to the drawer
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return image


def viewer_command(path: Path) -> list[str]:
    """The system's "open this file" program, with the path as one argument (never through a shell)."""
    return ["open" if sys.platform == "darwin" else "xdg-open", str(path.resolve())]


def open_externally(path: Path) -> None:
    """Open `path` in the system's viewer, detached: quiz goes on while it is open."""
    if sys.platform == "win32":
        os.startfile(path.resolve())  # type: ignore[attr-defined]  # Windows' own "open with", no shell
        return
    subprocess.Popen(
        viewer_command(path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


class PictureKey(_Mixin):
    """Mixin for a screen that shows a card (put it first, and IMAGE_BINDINGS in its BINDINGS): the key opens the
    pictures the screen shows now (`shown_pictures`: by default its CardImage's)."""

    def shown_pictures(self) -> Sequence[Picture]:
        return self.query_one(CardImage).pictures

    def action_open_image(self) -> None:
        open_images(self.app, self.shown_pictures())


def open_images(app: App[Any], pictures: Sequence[Picture]) -> None:
    """The key's action: open each of the card's pictures, in order, or say why not."""
    if not pictures:
        say(app, "This card has no picture.", timeout=2)
        return
    open_each(app, [picture.path for picture in pictures if _openable(app, picture)], "picture")


def open_each(app: App[Any], paths: Sequence[Path], what: str) -> None:
    """Open each of `paths` (files checked just now: pictures, or sound files, as `what` calls one) with the system's
    opener, in order, or say why not."""
    for index, path in enumerate(paths):
        try:
            open_externally(path)
        except FileNotFoundError:  # the opener program itself: every file left is there, each named
            say(app, _no_viewer(viewer_command(path)[0], paths[index:], what), severity="warning")
            return
        except OSError as exc:
            say(app, f"Could not open the {what}: {exc.strerror or exc}", severity="warning")
            return


def _openable(app: App[Any], picture: Picture) -> bool:
    """Whether the picture can be opened; if not, say why."""
    state, path = picture_state(picture), picture.path
    if state == "missing":
        say(app, f"The picture {as_written(path)} is gone.", severity="warning")
    elif state == "linked out":
        say(
            app,
            f"The picture {as_written(path)} is a link leading outside its deck's folder: copy the picture into the"
            " folder.",
            severity="warning",
        )
    elif state == "misnamed":
        say(
            app,
            f"The picture {as_written(path)} is not opened: its file's name does not end as a picture's"
            f" ({', '.join(f'.{suffix}' for suffix in picture_suffixes())}), and the system would run it as a"
            " program. Rename the file so, and its deck's path to it.",
            severity="warning",
        )
    elif state == "unreadable":
        say(
            app,
            f"The picture {as_written(path)} cannot be read (damaged or cut short): replace the file.",
            severity="warning",
        )
    return state == "found"


def _no_viewer(program: str, paths: Sequence[Path], what: str) -> str:
    """One notice naming every file to open by hand, a path a line (a file name may hold a comma), each quoted
    as one shell word (a name with a space pastes as one path)."""
    head = f"No program to open {what}s ({program} is not installed): "
    if len(paths) == 1:
        return f"{head}open {as_written(shell_word(paths[0]))} yourself."
    return f"{head}open these yourself:\n" + "\n".join(as_written(shell_word(path)) for path in paths)


def captions(pictures: Sequence[Picture]) -> Text:
    """`[image: name]` for each picture (`[image missing: name]` once its file is gone, `[image linked out: name]`
    once it leads out of its folder, `[image misnamed: name]` when its name does not end as a picture's,
    `[image unreadable: name]` when it cannot be decoded), in a line that wraps,
    the key after the last: the names are the deck's, shown as they are."""
    states = [picture_state(picture) for picture in pictures]
    named = [
        Text.assemble("[image" if state == "found" else f"[image {state}", ": ", lit_line(picture.name), "]")
        for picture, state in zip(pictures, states, strict=True)
    ]
    if "found" in states:
        what = "it" if len(pictures) == 1 else "them"
        named[-1].append_text(Text.assemble("  ", ("i", "bold"), f" opens {what}"))
    return Text("  ").join(named)


class CardImage(Vertical):
    """The pictures of the card shown (hidden when it has none): side by side, so that several take no more
    rows than one and the answer still fits an 80x24 terminal, their captions under them."""

    DEFAULT_CSS = f"""
    CardImage {{ height: auto; }}
    CardImage > .pictures {{ height: auto; }}
    CardImage .picture {{ height: {IMAGE_HEIGHT}; width: auto; margin-right: 1; }}
    CardImage > .caption {{ color: $text-muted; }}
    """

    def __init__(self, pictures: Sequence[Picture] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pictures = tuple(pictures)
        self.display = bool(pictures)
        self._composed = False

    def compose(self) -> ComposeResult:
        if _drawer is not None:
            with Horizontal(classes="pictures"):
                yield _drawer(classes="picture")  # most cards have one picture; more are mounted when needed
        yield Static(classes="caption")

    def on_mount(self) -> None:
        self._composed = True
        self.show(self.pictures)

    def fit(self, spare: int) -> None:
        """Take `spare` rows more (fewer when negative) for the pictures, within their rows in app.tcss and at least
        MIN_IMAGE_HEIGHT: the card's rows under them, down to the hint, stay in sight whatever the question's length."""
        for drawn in self.query(".picture"):
            height, limit = drawn.styles.height, drawn.styles.max_height
            rows = max(drawn.size.height + spare, MIN_IMAGE_HEIGHT)
            new_limit = None if height is None or rows >= (height.cells or 0) else rows
            if new_limit != (limit.cells if limit is not None else None):
                drawn.styles.max_height = new_limit

    def show(self, pictures: Sequence[Picture]) -> None:
        """Show `pictures` (none: hidden)."""
        self.pictures = tuple(pictures)
        self.display = bool(pictures)
        if not pictures or not self._composed:
            return  # shown once mounted
        self.query_one(".caption", Static).update(captions(self.pictures))
        if _drawer is None:
            return
        drawers = list(self.query(".picture"))
        if len(drawers) < len(self.pictures):
            more = [_drawer(classes="picture") for _ in range(len(self.pictures) - len(drawers))]
            self.query_one(".pictures", Horizontal).mount_all(more)
            drawers += more
        for index, drawn in enumerate(drawers):
            picture = self.pictures[index] if index < len(self.pictures) else None
            image = drawable(picture) if picture is not None and picture_state(picture) == "found" else None
            drawn.display = image is not None  # a bad file would crash drawing
            if image is not None:
                drawn.image = image  # type: ignore[attr-defined]  # textual-image's widget
