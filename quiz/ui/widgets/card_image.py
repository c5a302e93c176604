"""A card's picture: drawn by textual-image (Kitty's graphics protocol, sixel, or coloured half blocks) when
the terminal can show it (quiz.ui.graphics), and always named with the key that opens it in the system's
image viewer: without graphics a card shows `[image: name]` and the key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from quiz.core.images import image_path
from quiz.core.model import Deck, Note
from quiz.ui.graphics import graphics_ready
from quiz.ui.widgets.literal import lit_line, say

IMAGE_HEIGHT = 8  # rows: with the question, the answer and the grade bar it fits an 80x24 terminal

#: The keys that open the shown picture: `i`, and Ctrl+O while typing an answer (where `i` is a letter).
IMAGE_BINDINGS = [
    Binding("i", "open_image", "Image", show=False, tooltip="Open the card's picture in the system's viewer"),
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
    """A picture to show: its file, and the name to call it by (a drawn copy is called by its original's)."""

    path: Path
    name: str


def note_image(deck: Deck | None, note: Note) -> Picture | None:
    """The picture a note shows, or None."""
    if deck is None or not note.image:
        return None
    path = image_path(deck.path, note.image)
    return Picture(path, path.name)


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


def open_image(app: App[Any], path: Path | None) -> None:
    """The key's action: open the card's picture, or say why not."""
    if path is None:
        say(app, "This card has no picture.", timeout=2)
        return
    if not path.is_file():
        say(app, f"The picture {path} is gone.", severity="warning")
        return
    try:
        open_externally(path)
    except OSError as exc:
        say(app, f"Could not open the picture: {exc.strerror or exc}", severity="warning")


class CardImage(Vertical):
    """The picture of the card shown (hidden when it has none), bounded in height."""

    DEFAULT_CSS = f"""
    CardImage {{ height: auto; }}
    CardImage > .picture {{ height: {IMAGE_HEIGHT}; width: auto; }}
    CardImage > .caption {{ color: $text-muted; }}
    """

    def __init__(self, picture: Picture | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.picture = picture
        self.display = picture is not None
        self._composed = False

    def compose(self) -> ComposeResult:
        if _drawer is not None:
            yield _drawer(classes="picture")
        yield Static(classes="caption")

    def on_mount(self) -> None:
        self._composed = True
        self.show(self.picture)

    @property
    def path(self) -> Path | None:
        return self.picture.path if self.picture is not None else None

    def show(self, picture: Picture | None) -> None:
        """Show `picture` (None: no picture)."""
        self.picture = picture
        self.display = picture is not None
        if picture is None or not self._composed:
            return  # shown once mounted
        path = picture.path
        there = path.is_file()
        caption = Text.assemble("[image" if there else "[image missing", ": ", lit_line(picture.name), "]")
        if there:
            caption.append_text(Text.assemble("  ", ("i", "bold"), " opens it"))
        self.query_one(".caption", Static).update(caption)
        for drawn in self.query(".picture"):
            drawn.display = there
            if there:
                drawn.image = path  # type: ignore[attr-defined]  # textual-image's widget
