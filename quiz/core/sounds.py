"""A note's sounds: the files its text's `[sound:name]` references name (Anki's, kept as text), in the media folder
beside its deck (quiz.core.anki.media), where an import puts them beside the pictures. quiz plays none itself: a key
opens them with the system's player (quiz.ui.widgets.card_sound)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from quiz.core.anki.media import is_plain, may_name_sounds, media_folder, sound_names, sounds_renamed
from quiz.core.kinds import texts, with_texts
from quiz.core.model import Deck, Note


def names_sounds(deck: Deck) -> bool:
    """Whether a note of the deck names a sound (most decks: none, and every pass over their notes for one is
    skipped)."""
    return any(may_name_sounds(text) for note in deck.notes for text in texts(note))


def note_sounds(note: Note) -> tuple[str, ...]:
    """The file names the note's `[sound:name]` references give, each once, in order."""
    return tuple(dict.fromkeys(name for text in texts(note) for name in sound_names(text)))


def with_sounds_renamed(note: Note, names: Mapping[str, str]) -> Note:
    """`note` with each sound reference whose name `names` maps naming its new name (the file an import keeps it
    under); the note itself when none changes."""
    if not any(name in names for name in note_sounds(note)):
        return note
    return with_texts(note, lambda text: sounds_renamed(text, names))


def sound_paths(deck_id: str, note: Note) -> tuple[str, ...]:
    """Where the note's sounds are, relative to its deck file (as `image:` paths are): a name that is no plain file
    name (a path, `..`) names no file of the folder."""
    folder = media_folder(deck_id)
    return tuple(f"{folder}/{name}" for name in note_sounds(note) if is_plain(name))


def sound_file(deck_path: str | Path, deck_id: str, name: str) -> Path | None:
    """The file a `[sound:name]` of the deck's names; None for a name that is no plain file name."""
    return Path(deck_path).parent / media_folder(deck_id) / name if is_plain(name) else None
