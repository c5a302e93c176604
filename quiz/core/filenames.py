"""Names of the files quiz names itself (a new deck file, an imported deck's file and pictures folder, a picture
from a package): portable to every disk a synced deck folder may reach.

Windows cannot open a file whose name, before its first dot, is a device's (`con.yaml`, `nul.tar.gz`), nor
keep one holding `<>:"/\\|?*` or a control character, and macOS's and Windows' disks take two names differing only
in case for one file. A name made here is never a device's, holds none of those characters, and is no other's in its
folder but for case. A file she already has keeps its name.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Set
from pathlib import Path

from quiz.core.ids import numbered
from quiz.core.text import UNSAFE, as_written

# Windows' device names, in any case, whatever extension follows (COM0 and LPT0, ¹²³ too: newer Windows refuses them)
_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³"}
)


# what Windows refuses in a name (controls, separators, `<>:"|?*`), and the bidi marks that would reorder it on screen
REFUSED = re.compile(rf'[\x00-\x1f<>:"/\\|?*{UNSAFE}]')


def without_refused(name: str) -> str:
    """`name` with each character Windows refuses in a file name (and each bidi mark) replaced with `_`."""
    return REFUSED.sub("_", name)


def _code(char: str) -> str:
    """How a character Windows refuses is named: a name's byte that is not UTF-8 (Python's \\udc9b) as that byte."""
    return f"byte 0x{ord(char) - 0xDC00:02X}" if "\udc80" <= char <= "\udcff" else f"U+{ord(char):04X}"


def is_reserved(name: str) -> bool:
    """Whether Windows takes `name` for a device: its part before the first dot is one, in any case (a space
    before the dot does not count: `nul .png` is NUL too)."""
    return name.partition(".")[0].rstrip(" ").casefold() in _DEVICES


def unreserved(name: str) -> str:
    """`name`, or when Windows takes it for a device, the same with `_` after the device's name (`con_.yaml`)."""
    if not is_reserved(name):
        return name
    device, dot, rest = name.partition(".")
    return f"{device.rstrip(' ')}_{dot}{rest}"


def unique_name(stem: str, ext: str, taken: set[str]) -> str:
    """`stem + ext`, not a device's name, numbered (`stem-2.ext`, `-3`...) until `taken` (names casefolded) does
    not have it; the name is added to `taken`."""
    base = unreserved(without_refused(stem) + ext).removesuffix(ext)
    candidate = numbered(base, lambda name: name.casefold() in taken, after=ext)
    taken.add(candidate.casefold())
    return candidate


def entries(folder: Path) -> set[str]:
    """The names in `folder` (files, folders, links), composed as quiz composes names (macOS's disk gives them
    decomposed); none when it is not there or cannot be read."""
    try:
        with os.scandir(folder) as found:
            return {unicodedata.normalize("NFC", entry.name) for entry in found}
    except OSError:
        return set()


def one_file(name: str) -> str:
    """`name` as macOS's disk tells files apart: its case ignored (Windows' too), its accents however encoded
    (`café` composed and decomposed are one name there, two on Linux)."""
    return unicodedata.normalize("NFC", name).casefold()


def clash_but_for_case(present: Set[str], name: str) -> str | None:
    """The entry of `present` that is `name` but for case (or its accents' encoding, `one_file`), when none is
    `name` itself."""
    if name in present:
        return None
    return next((entry for entry in sorted(present) if one_file(entry) == one_file(name)), None)


def new_name(folder: Path, stem: str, ext: str, present: Set[str] | None = None) -> str:
    """The name a file quiz makes takes in `folder`: `stem + ext` itself when an entry has exactly that name
    (the caller's to update or refuse, as before), else one not a device's and no entry's but for case (macOS's
    and Windows' disks would take the two for one). `present`: the folder's entries, when read already."""
    present = entries(folder) if present is None else present
    wanted = stem + ext
    if wanted in present:
        return wanted
    return unique_name(stem, ext, {name.casefold() for name in present})


def unportable(name: str) -> str | None:
    """Why Windows cannot keep a file named `name` (or it would show otherwise than written), else None."""
    if refused := sorted(set(REFUSED.findall(name))):
        if signs := [char for char in refused if char.isprintable()]:
            return f"Windows cannot keep {' '.join(signs)} in a file name"
        codes = " ".join(_code(char) for char in refused)
        return f"{codes} in a file name would change how it shows (a control, a bidi mark, not UTF-8)"
    if is_reserved(name):
        device = name.partition(".")[0].rstrip(" ").upper()
        return f"Windows keeps the name {device} for a device and cannot open {name}"
    if without_dropped_end(name) != name:
        return "Windows drops the dots and spaces ending a file name"
    return None


def without_dropped_end(name: str) -> str:
    """`name` without the dots and spaces at its end, which Windows drops (`photo.png.` is `photo.png` there);
    `_` when nothing is left."""
    return name.rstrip(". ") or "_"


def why_named(wanted: str, made: str) -> str | None:
    """The line saying why a file quiz names is `made`, not `wanted` (`new_name`); None when it is `wanted`. The
    names are marked `as_written`: the line is said by the commands that make a file (add, import, new)."""
    if made == wanted:
        return None
    if (reason := unportable(wanted)) is not None:
        return f"named {as_written(made)}: {reason}"
    return (
        f"named {as_written(made)}: a file named {as_written(wanted)} but for case is there, and macOS and Windows"
        " take the two for one"
    )
