"""A package's media as quiz keeps it: the pictures a note's fields show and the sound files its `[sound:name]`
references name, under file names made safe, in the folder beside the deck (`media_folder`).

The media map's names and a field's `src` are written by whoever made the package: a name may hold a path
separator, `..`, control characters or differ from another only in case, so each is turned into one plain
file name, unique in its folder (case-insensitively, for macOS and Windows), never a Windows device's
(quiz.core.filenames).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from html.parser import HTMLParser
from urllib.parse import unquote

from quiz.core.filenames import unique_name, unreserved, without_refused

MAX_NAME = 120  # characters of a kept file name; Anki allows 120 bytes
#: Anki's reference to a sound file in a field's text, which its reviewer plays: `[sound:name.mp3]`.
SOUND = re.compile(r"\[sound:([^\]]*)\]")
#: The suffixes of the audio and video files Anki's editor takes as sounds (aqt/editor.py; Flash left out, AAC
#: added): only these are kept and opened, the system's "open" running a program or a script named as a sound.
SOUND_SUFFIXES = frozenset(
    "3gp aac avi flac flv m4a mkv mov mp3 mp4 mpeg mpg oga ogg ogv ogx opus spx wav webm".split()
)
#: A sound file is read whole as an import keeps it (its digest, then written), so it has a limit, as a picture has:
#: a long lecture's video is more than an import may hold (a package is in memory too).
MAX_SOUND_BYTES = 20 * 1024 * 1024


def megabytes(size: int) -> str:
    """A file's size as a warning says it: "21.0 MB"."""
    return f"{size / (1024 * 1024):.1f} MB"


def too_big(size: int) -> str:
    """Why a sound file of `size` bytes is not kept, for a warning naming it."""
    return f"is too big ({megabytes(size)}; quiz keeps sound files of {megabytes(MAX_SOUND_BYTES)} at most)"


def media_folder(deck_id: str) -> str:
    """The folder beside an imported deck file that holds its pictures and sounds (`con.x-media` would be a Windows
    device's)."""
    return unreserved(f"{deck_id}-media")


def may_name_sounds(text: str) -> bool:
    """Whether `text` may hold a `[sound:name]` reference: most texts hold none, and are never searched for one."""
    return "[sound:" in text


def sound_names(text: str) -> list[str]:
    """The file name each `[sound:name]` reference in `text` names, in order (those of a note's text are files
    in its deck's `media_folder`)."""
    return SOUND.findall(text) if may_name_sounds(text) else []


def is_sound_file(name: str) -> bool:
    """Whether `name` ends as an audio or video file's (`play.bat`, `x.mp3.` do not)."""
    stem, dot, suffix = name.rpartition(".")
    return bool(dot and stem) and suffix.lower() in SOUND_SUFFIXES


NOT_A_SOUND = "is not an audio or video file quiz opens"


def why_no_sound_file(name: str) -> str | None:
    """Why a `[sound:name]` reference names no sound file quiz keeps or opens, in the words an import's warning and
    the sound key both say (one reason a name); None when it names one. An import keeps the file of a sound whose
    name is no plain file name (a path, a leading dot) under one made plain (`safe_name`), so it says only the
    first two reasons; a deck's reference written by hand can have any."""
    if name != name.rstrip(" ."):
        return "ends in a space or a dot, which Windows drops from a file name"
    if not is_sound_file(name):
        return NOT_A_SOUND
    if "/" in name or "\\" in name:
        return "is a path (a `/` or `\\` in it), not the name of a file of the deck's media folder"
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters, which no file of the deck's media folder is"
    if _unpadded(name) != name:  # as `is_plain` reads it: any space (U+2003 too) or a dot
        return "starts with a space or a dot (a hidden file), which no file of the deck's media folder does"
    if without_refused(name) != name:
        return "holds a character no file of the deck's media folder has in its name (`<>:\"|?*`, a control character)"
    if unicodedata.normalize("NFC", name) != name:
        return "has its accents encoded as a Mac writes them, as no file of the deck's media folder has"
    return None


def decoded(field: str) -> str:
    """A field's HTML with its entities read as Anki reads a `[sound:...]` name: `&nbsp;` (and a no-break space) a
    plain space."""
    return html.unescape(field).replace("\xa0", " ")


def sounds_renamed(text: str, names: Mapping[str, str]) -> str:
    """`text` with each `[sound:name]` reference whose name `names` maps naming its new name (in one pass, so two
    names swapped stay swapped); the rest as it is."""
    if not may_name_sounds(text):
        return text
    return SOUND.sub(lambda found: f"[sound:{names.get(found[1], found[1])}]", text)


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            src = dict(attrs).get("src")
            if src:
                self.sources.append(src)


def image_sources(html: str) -> list[str]:
    """The `src` of every <img> in a field, in order, as Anki names the media file (URL-decoded)."""
    if "<img" not in html.lower():  # most fields of a big deck: no parse
        return []
    parser = _Images()
    parser.feed(html)
    parser.close()
    return [unquote(src) for src in parser.sources]


def _plain(name: str) -> str:
    return _unpadded(without_refused(unicodedata.normalize("NFC", name))) or "media"


def _unpadded(name: str) -> str:
    """`name` without the spaces (any, U+2003 too) around it, nor the dots leading it."""
    while name != (trimmed := name.strip().lstrip(".")):  # `. x.png`: no dot nor space leads once done
        name = trimmed
    return name


def is_plain(name: str) -> bool:
    """Whether `name` is a file name `safe_name` can give (one read back from quiz's own record is checked so)."""
    return len(name) <= MAX_NAME and _plain(name) == name


def safe_name(name: str, taken: set[str]) -> str:
    """A plain file name for `name`, not a Windows device's (`nul_.png`), not in `taken` (compared
    case-insensitively), which it is added to."""
    cleaned = _plain(name)
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = cleaned, ""
    # room for the suffix and a number; no dot nor space at the end, which Windows drops
    stem = stem[: MAX_NAME - len(suffix) - 8].rstrip(" .") or "media"
    return unique_name(stem, f".{suffix}" if suffix else "", taken)
