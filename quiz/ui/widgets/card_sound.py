"""A card's sound files: the `[sound:name]` references its text shows as written (an Anki deck's, whose files the
import keeps beside the deck, quiz.core.sounds). quiz plays none itself; a key opens them with the system's
player, as `i` opens a card's pictures (quiz.ui.widgets.card_image), and is in the footer only on a card that names
a sound: before the answer those its question names (a word's pronunciation on the back stays hidden until then),
once answered every one of its note's. A screen showing cards takes the key from `SoundKey`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding

from quiz.core import faces
from quiz.core.anki.media import (
    MAX_SOUND_BYTES,
    NOT_A_SOUND,
    SOUND_SUFFIXES,
    is_sound_file,
    megabytes,
    sound_names,
    why_no_sound_file,
)
from quiz.core.model import Card, Deck
from quiz.core.sounds import note_sounds, sound_file
from quiz.core.text import as_written
from quiz.ui.widgets.card_image import Picture, linked_out, open_each
from quiz.ui.widgets.literal import say

if TYPE_CHECKING:
    from textual.screen import Screen

    _Mixin = Screen[Any]  # the type checker sees the action and its check against Screen's
else:
    _Mixin = object  # at run time not a Screen: Textual takes the screen's bindings and CSS from its own classes

#: `h` (hear) opens the card's sound files; Ctrl+L too, also while typing an answer (where `h` is a letter).
SOUND_BINDINGS = [
    Binding("h", "open_sound", "Sound", tooltip="Open the card's sound files in the system's player (Ctrl+L too)"),
    Binding("ctrl+l", "open_sound_anywhere", show=False, priority=True),
]


class Sounds(tuple[Picture, ...]):
    """A card's sound files, and the names of its references that name no audio or video file of its deck's media
    folder (`elsewhere`: a path, `..`, `play.bat`), said when the key is pressed (the key is in the footer only for
    a sound file)."""

    elsewhere: tuple[str, ...]

    def __new__(cls, files: Iterable[Picture], elsewhere: Iterable[str] = ()) -> Sounds:
        made = super().__new__(cls, files)
        made.elsewhere = tuple(elsewhere)
        return made


def card_sounds(deck: Deck | None, card: Card | None, answered: bool) -> Sounds:
    """The sound files `card` names: its question's before the answer is shown, every one of its note's after."""
    if deck is None or card is None:
        return Sounds(())
    names = note_sounds(card.note) if answered else dict.fromkeys(sound_names(faces.question(card)))
    return named_sounds(deck, names)


def named_sounds(deck: Deck, names: Iterable[str]) -> Sounds:
    """The files of the deck's media folder `names` name (a name that is no plain file name, or not an audio or
    video file's, names none)."""
    folder = Path(deck.path).parent
    paths = {name: sound_file(deck.path, deck.id, name) if is_sound_file(name) else None for name in names}
    return Sounds(
        (Picture(path, path.name, folder) for path in paths.values() if path is not None),
        (name for name, path in paths.items() if path is None),
    )


class SoundKey(_Mixin):
    """Mixin for a screen that shows a card (put it first, and SOUND_BINDINGS in its BINDINGS where the footer
    shows them): the screen says which sound files the card shown now names (`shown_sounds`); the key opens them,
    and is in the footer only when there is one."""

    def shown_sounds(self) -> Sounds:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_sound":
            return bool(self.shown_sounds())
        return super().check_action(action, parameters)

    def action_open_sound(self) -> None:
        open_sounds(self.app, self.shown_sounds())

    action_open_sound_anywhere = action_open_sound


def open_sounds(app: App[Any], sounds: Sounds) -> None:
    """The key's action: open each of the card's sound files, in order, or say why not."""
    elsewhere = sounds.elsewhere
    for name in elsewhere:
        say(app, f"This card's sound {name!r} {_why_not_opened(name)}", severity="warning")
    if not sounds:
        if not elsewhere:
            say(app, "This card names no sound file.", timeout=2)
        return
    open_each(app, [sound.path for sound in sounds if _openable(app, sound)], "sound file")


def _openable(app: App[Any], sound: Picture) -> bool:
    """Whether the sound file can be opened (there, and not a link leading out of its deck's folder); if not, say
    why."""
    if not sound.path.is_file():
        say(
            app,
            f"The sound file {as_written(sound.path)} is not there: import the deck's Anki package again to bring it"
            f" back (an import keeps no sound file over {megabytes(MAX_SOUND_BYTES)}: its warning said so).",
            severity="warning",
        )
        return False
    if linked_out(sound):
        say(
            app,
            f"The sound file {as_written(sound.path)} is a link leading outside its deck's folder: copy the file into"
            " the folder.",
            severity="warning",
        )
        return False
    if not is_sound_file(sound.path.resolve().name):  # a link of a sound's name to another file
        say(
            app,
            f"The sound file {as_written(sound.path)} {_why_not_opened(sound.path.resolve().name)}",
            severity="warning",
        )
        return False
    return True


def _why_not_opened(name: str) -> str:
    """Why a sound named `name` is not opened, in an import's words (why_no_sound_file), and what to do: another
    kind of file (the system's "open" would run a program or a script), or a name no file of the deck's media
    folder has."""
    why = why_no_sound_file(name) or NOT_A_SOUND
    if why == NOT_A_SOUND:
        suffixes = ", ".join(f".{suffix}" for suffix in sorted(SOUND_SUFFIXES))
        return f"{why}, so it is not opened (the system would run a program or a script): quiz opens only {suffixes}."
    return f"{why}: edit its [sound:...] reference to name a file of that folder."
