"""A deck's pictures and sound files as an .apkg carries them: each file once, under a plain name, for Anki's
media folder.

Anki keeps every picture of a collection in one flat folder and a field names it by its file name
(`<img src="heart.png">`), while a deck's `image:` is a path inside the deck's folder: two pictures called
`heart.png` in two folders get two names (`heart.png`, `heart-2.png`). A name is made as an imported
package's is (quiz.core.anki.media: never a Windows device's, `nul_.png`), without `%`, which a field's `src`
would read as an escape.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from quiz.core.anki.media import safe_name
from quiz.core.exporters.writer import ExportError
from quiz.core.images import image_path, image_problem, leads_outside, picture_file
from quiz.core.model import Deck, Note
from quiz.core.sounds import names_sounds, note_sounds, sound_file


def package_names(deck: Deck) -> dict[str, str]:
    """Each picture the deck's notes show (as `image:` gives it) -> its name in the package."""
    check_pictures(deck)
    return names_in_package(deck)


def check_pictures(deck: Deck) -> None:
    """A picture that cannot be read now (moved or changed since the deck was loaded) stops the export, named."""
    for note in deck.notes:
        for image in note.all_images:
            problem = image_problem(deck.path, image)
            if problem is not None:
                message, hint = problem
                raise ExportError(f"{where_shown(deck, note)}: {message}; {hint}")


def where_shown(deck: Deck, note: Note) -> str:
    """The note a message about one of its pictures names: `FILE:LINE: card 'heart'` (the line when known)."""
    line = f":{note.line}" if note.line else ""
    return f"{deck.path}{line}: card {note.id!r}"


def names_in_package(deck: Deck) -> dict[str, str]:
    """Each picture the deck's notes show (each spelling of its path) -> the name an export gives it in the
    package (an import of the package back knows the deck's own pictures by it)."""
    taken: set[str] = set()
    names: dict[str, str] = {}
    by_file: dict[str, str] = {}  # one name for a file however its paths spell it
    for note in deck.notes:
        for image in note.all_images:
            if image not in names:
                file = picture_file(image)
                if file not in by_file:
                    plain = PurePosixPath(file.replace("\\", "/")).name.replace("%", "_")
                    by_file[file] = safe_name(plain, taken)
                names[image] = by_file[file]
    return names


def package_files(deck: Deck, names: dict[str, str]) -> dict[str, Path]:
    """A package's name -> the picture file it is read from."""
    return {name: image_path(deck.path, image) for image, name in names.items()}


def sounds_in_package(deck: Deck, pictures: Mapping[str, str]) -> dict[str, tuple[str, Path]]:
    """Each sound file the deck's notes name (`[sound:name]`, in the deck's media folder) -> its name in the package
    (unique among the pictures' names, `pictures`) and the file it is read from. A sound whose file is not there
    (or leads out of the deck's folder) is not carried: its reference goes as written, as Anki shows a sound it
    lacks."""
    taken = {name.casefold() for name in pictures.values()}
    return {name: (safe_name(name.replace("%", "_"), taken), path) for name, path in sound_files(deck).items()}


def sound_files(deck: Deck) -> dict[str, Path]:
    """Each sound file the deck's notes name (`[sound:name]`) that is there, a file inside the deck's folder: its
    name -> the file."""
    found: dict[str, Path] = {}
    if not names_sounds(deck):
        return found
    folder = Path(deck.path).parent
    for note in deck.notes:
        for name in note_sounds(note):
            path = sound_file(deck.path, deck.id, name)
            if name in found or path is None or not path.is_file():
                continue
            if not leads_outside(folder, path.relative_to(folder).as_posix()):
                found[name] = path
    return found


def img_tags(names: Iterable[str]) -> str:
    """The HTML that shows these pictures in an Anki field, one after the other."""
    return "".join(f'<img src="{html.escape(name)}">' for name in names)
