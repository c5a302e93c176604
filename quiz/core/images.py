"""A note's `image:` and `answer_image:`: a picture file beside its deck, checked without decoding it (no Pillow
at load time)."""

from __future__ import annotations

import os
import stat
import unicodedata
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from quiz.core.deckfile import DeckFileError, open_regular, sizes

#: A card's picture fields, as a deck writes them -> the Note's attribute: shown with the question, and shown
#: only once the answer is.
IMAGE_FIELDS = {"image": "images", "answer_image": "answer_images"}

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # a large anatomy plate is a few MB; more is a mistake, not a card
MAKE_SMALLER = "make the picture smaller"  # the fix for one too large: a picture, unlike a deck, cannot be split

#: The first bytes of each picture format Pillow and the terminal graphics protocols handle.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (  # (bytes, where they start, format)
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
    (b"WEBP", 8, "WebP"),
    (b"BM", 0, "BMP"),
)
_FORMATS = "PNG, JPEG, GIF, WebP or BMP"
#: The suffixes of each format's files, the first the one an import gives: a picture is kept and opened only under
#: one of these (as a sound only under quiz.core.anki.media's SOUND_SUFFIXES), since the system's "open" picks the
#: program by the suffix alone (`pic.hta`, `pic.bat` holding a PNG's bytes would run).
PICTURE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "PNG": ("png",),
    "JPEG": ("jpg", "jpeg", "jpe"),
    "GIF": ("gif",),
    "WebP": ("webp",),
    "BMP": ("bmp",),
}


def image_format(head: bytes) -> str | None:
    """The picture format the first bytes of a file announce, or None."""
    for magic, at, name in _MAGIC:
        if head[at : at + len(magic)] == magic and (name != "WebP" or head[:4] == b"RIFF"):
            return name
    return None


def _suffix(name: str) -> str:
    """The suffix of a file name, lower-case, without its dot ("" for `png`, `.png` or a name ending in a dot)."""
    stem, dot, suffix = name.rpartition(".")
    return suffix.lower() if dot and stem else ""


def picture_suffixes() -> list[str]:
    """Every suffix a picture may have, in order."""
    return sorted(suffix for suffixes in PICTURE_SUFFIXES.values() for suffix in suffixes)


def is_picture_name(name: str) -> bool:
    """Whether the file name `name` ends as a picture's, of any format, as Windows reads it: the dots and spaces
    ending it dropped (`pic.png.` does, `pic.hta.` and `pic` do not)."""
    return _suffix(name.rstrip(" .")) in picture_suffixes()


def picture_name(name: str, picture_format: str) -> str:
    """`name` for a picture of `picture_format` (`image_format`'s): itself when it ends as a picture's, of any format
    (as Windows reads it: `pic.png.` does; a JPEG named `x.png`, common in shared decks, opens in a viewer all the
    same and no program runs from a picture's suffix), else its stem with that format's suffix (`pic.bat` holding
    a PNG: `pic.png`; `pic.png.hta`: `pic.png`; `.png`: `picture.png`)."""
    if is_picture_name(name):
        return name
    trimmed = name.rstrip(" .") or name
    stem, dot, _ = trimmed.rpartition(".")
    base = (stem if dot and stem else trimmed).lstrip(" .")
    if is_picture_name(base):
        return base
    if not base or base.casefold() in picture_suffixes():  # `.png`: no name of its own
        base = "picture"
    return f"{base}.{PICTURE_SUFFIXES[picture_format][0]}"


def is_picture_file_name(path: Path) -> bool:
    """Whether the file at `path` is named as a picture (`is_picture_name`), and so is the file it leads to when it
    is a link: the system's "open" picks the program by either name. The deck's check and the card's screen ask
    this one question."""
    if not is_picture_name(path.name):
        return False
    return not path.is_symlink() or is_picture_name(Path(os.path.realpath(path)).name)


def image_path(deck_path: str | Path, image: str) -> Path:
    """Where a note's image is: its `image:` read relative to the folder of its deck file."""
    return Path(deck_path).parent / image


def picture_file(image: str) -> str:
    """The one spelling of the file an `image:` path names: `./pics/a.png`, `pics//a.png` and `pics/a.png` are one
    file on the disk, so one picture (copied once, under one name)."""
    return Path(image).as_posix()


def leads_outside(folder: Path, image: str) -> bool:
    """Whether `image` (a path inside `folder`, without '..') leads out of it through a symbolic link.

    Only a link on its way can lead out, so the path is resolved only when a step is one: a deck read from the
    cache checks its pictures at every start, and resolving them all took 0.1 ms each.
    """
    step = str(folder)
    for part in Path(image).parts:
        step = os.path.join(step, part)
        try:
            found = os.lstat(step)
        except OSError:  # nothing there (or not to be looked into): no link further on, as resolve() finds too
            return False
        if stat.S_ISLNK(found.st_mode) or getattr(found, "st_reparse_tag", 0) != 0:  # a link, or a Windows junction
            # realpath, not resolve(): a link loop (which cannot be opened either) is no crash but a path left as is
            return not Path(os.path.realpath(folder / image)).is_relative_to(os.path.realpath(folder))
    return False


PictureStat = tuple[int, int, int, int, int]  # a picture file's inode, device, size, mtime and ctime (ns)


def unlinked_picture_stat(folder: str, image: str, plain_folders: dict[str, bool]) -> PictureStat | None:
    """The stat of `image` (a path inside `folder` that `image_problem` passed) when it is a regular file reached
    through no link, else None. A picture with the very stat it had when it passed is that same file, unchanged:
    the deck cache checks it so, with one lstat, rather than `image_problem` again at every start.
    `plain_folders` remembers, per folder part of the path, whether no step of it is a link."""
    where = os.path.dirname(image)
    if where not in plain_folders:
        plain_folders[where] = _no_link_on(folder, where)
    if not plain_folders[where]:
        return None
    try:
        found = os.lstat(os.path.join(folder, image))
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(found.st_mode) or getattr(found, "st_reparse_tag", 0) != 0:
        return None
    return (found.st_ino, found.st_dev, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def _no_link_on(folder: str, where: str) -> bool:
    """Whether every step of the folder path `where` inside `folder` is a real folder, none a link (as in
    `leads_outside`)."""
    step = folder
    for part in Path(where).parts:
        step = os.path.join(step, part)
        try:
            found = os.lstat(step)
        except (OSError, ValueError):
            return False
        if not stat.S_ISDIR(found.st_mode) or getattr(found, "st_reparse_tag", 0) != 0:
            return False
    return True


def _where_it_may_be(folder: Path, image: str) -> str | None:
    """The fix for a picture path written as another system reads it: with Windows' '\\' (only Windows takes it
    for '/'), in another case than the file's name (macOS and Windows ignore case, Linux does not), or with its
    accents encoded otherwise than the file's name (a Mac's decomposed é, which looks the same); None when none
    of these finds the file."""
    slashed = image.replace("\\", "/")
    if slashed != image and (folder / slashed).exists():
        return f"write the path with '/', which every system reads: {slashed}"
    found = folder
    for part in PurePosixPath(slashed).parts:
        names = _names_loosely(found).get(_loosely(part), [])
        if len(names) != 1:
            return None
        found = found / names[0]
    actual = found.relative_to(folder).as_posix()
    if _nfc(actual) == _nfc(slashed):
        return (
            f"the file's name has its accents encoded another way (as a Mac writes them), which looks the same but"
            f" is another name here: rename the file {actual}, typing its new name on this machine"
        )
    return f"the file is named {actual}: write it so, in the same case (Linux tells the cases apart)"


def _names_loosely(folder: Path) -> dict[str, list[str]]:
    """The names in `folder` by `_loosely`; empty when it cannot be listed."""
    try:
        st = os.stat(folder)
    except OSError:
        return {}
    return _listing(os.fspath(folder), st.st_dev, st.st_ino, st.st_mtime_ns)


# Kept while the folder's time stays (adding, removing or renaming a name changes it): listing the folder again for
# each missing picture made a deck missing 3,000 of a folder of 5,000 take 30 s to load, at every start.
@lru_cache(maxsize=64)
def _listing(folder: str, _device: int, _inode: int, _changed: int) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    try:
        for name in os.listdir(folder):
            names.setdefault(_loosely(name), []).append(name)
    except OSError:
        return {}
    return names


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _loosely(name: str) -> str:
    """A name as a Mac's or Windows' disk compares it: case and the encoding of accents ignored."""
    return _nfc(name).casefold()


def image_problem(
    deck_path: str | Path, image: str, check_file: bool = True, *, any_name: bool = False
) -> tuple[str, str] | None:
    """(message, hint) when `image` is not a picture file inside the deck's folder, else None (with
    check_file=False only the path is checked; with any_name, a picture whose name does not end as a picture's
    passes: an import renames it, quiz.core.importers.pictures).

    The path is untrusted: an absolute path or a `..` could make a shared deck show (or send to the
    system viewer) any file of the user's, so only a path inside the deck's folder is allowed.
    """
    parts = PurePosixPath(image.replace("\\", "/")).parts
    if not image.strip() or PureWindowsPath(image).drive or image.startswith(("/", "\\")) or ".." in parts:
        return (
            f"image {image!r} is not a path inside the deck's folder",
            "give a path relative to the deck file, without '..' (for example images/heart.png)",
        )
    if not check_file:
        return None
    folder = Path(deck_path).parent
    path = image_path(deck_path, image)
    try:
        if leads_outside(folder, image):
            return (f"image {image!r} leads outside the deck's folder", "copy the picture into the deck's folder")
        if not path.exists():
            return (
                f"image {image!r} does not exist",
                _where_it_may_be(folder, image) or f"put the picture at {path} or correct the path",
            )
        with open_regular(path) as (file, stat):
            if stat.st_size > MAX_IMAGE_BYTES:
                size, most = sizes(stat.st_size, MAX_IMAGE_BYTES)
                return (f"image {image!r} has {size}; at most {most}", MAKE_SMALLER)
            head = file.read(16)
    except DeckFileError as exc:  # a pipe, a device, a folder: never opened for reading
        return (f"image {image!r}: {exc.message}", exc.hint)
    except OSError as exc:
        return (f"image {image!r} cannot be read ({exc.strerror or exc})", "check the file and its permissions")
    found = image_format(head)
    if found is None:
        return (f"image {image!r} is not a picture", f"use a {_FORMATS} file")
    if not any_name and not is_picture_file_name(path):
        named = Path(os.path.realpath(path)).name if is_picture_name(path.name) else PurePosixPath(image).name
        return (
            f"image {image!r} is a {found} picture whose name does not end as a picture's (the system would open it"
            " as a program)",
            f"rename the file {picture_name(named, found)} (a {found} picture's name) and write that path; a deck"
            " imported from a package is fixed so by importing the package again (quiz import FILE)",
        )
    return None
