"""The copies a file-sync tool leaves when two machines changed one file at once: Syncthing's
`name.sync-conflict-DATE-TIME-DEVICE.ext`, Dropbox's and Nextcloud's `name (... conflicted copy ...).ext`, Dropbox's
`name (Selective Sync Conflict).ext` and `name (Case Conflict).ext`, ownCloud's `name_conflict-DATE-TIME.ext`,
Seafile's `name (SFConflict ...).ext`. quiz never loads one (a deck's copy would be a second deck with the same id,
and could load before the real file); it names them instead."""

from __future__ import annotations

import re
from pathlib import Path

from quiz.core.filenames import one_file

# A tool's mark, whatever time follows its date: versions of a tool, and copies renamed by hand, differ in the time
# (`.sync-conflict-20261203.yaml`, a 4-digit time) and a copy missed would be loaded or read. Each mark is the one
# its tool writes, a date in it: a deck of hers named with the word alone (`peer.sync-conflict-resolution.yaml`,
# `Resolving (SFConflict cases).yaml`, `notes (how conflicted copy works).yaml`) is no copy. Dropbox writes two
# with no date: `(Case Conflict)`, taken only with the name it stands in for beside it (`_stands_in`), and `(Selective
# Sync Conflict)`, whose original is the folder this machine leaves out of sync, so never beside it: taken alone.
# Dropbox's parentheses may hold others: the machine's name ("Ana's MacBook Pro (2)", as macOS numbers a name taken)
# and the number of a day's second copy ("2026-01-05 (1)")
_IN_PARENTHESES = r"(?:[^()]|\([^()]*\))*"
_CONFLICT = re.compile(
    r"\.sync-conflict-\d{8}[^.]*|"  # Syncthing's, up to the suffix
    # Dropbox's and Nextcloud's, its date after the words
    rf" ?\({_IN_PARENTHESES}conflicted copy [^()]*?\d{{4}}-\d{{2}}-\d{{2}}{_IN_PARENTHESES}\)|"
    r" ?\(Selective Sync Conflict(?: \d+)?\)|"  # Dropbox's, of a file where a folder left out of sync was
    r"(?P<case> ?\(Case Conflict(?: \d+)?\))|"  # Dropbox's, of a name differing from another only in case
    r"_conflict-\d{8}-\d{6}|"  # ownCloud's
    r" ?\(SFConflict [^()]*\d{4}-\d{2}-\d{2}[^()]*\)",  # Seafile's
    re.IGNORECASE,
)


def is_conflict_copy(path: Path) -> bool:
    """Whether a file or folder is a sync tool's conflict copy."""
    marks = [mark["case"] for mark in _CONFLICT.finditer(path.name)]
    return any(case is None for case in marks) or (bool(marks) and _stands_in(path))


def _stands_in(path: Path) -> bool:
    """Whether the name a `(Case Conflict)` copy stands in for is beside it (in another case, on a file system that
    tells cases apart, or its accents otherwise encoded: the copy from a Mac's disk): a deck of hers so named with
    none such is hers."""
    return _beside(path) is not None


def _beside(path: Path) -> Path | None:
    """The file or folder beside a conflict copy named as its original but for case or the accents' encoding."""
    taken = one_file(original_name(path.name))
    try:
        return next((other for other in sorted(path.parent.iterdir()) if one_file(other.name) == taken), None)
    except OSError:  # its folder gone meanwhile: nothing is beside it
        return None


def original_of(path: Path) -> Path:
    """The file or folder a conflict copy `path` is a copy of: the one beside it, as it is named there (`pharm/` for
    `Pharm (Case Conflict)/`), else where it would be."""
    exact = path.parent / original_name(path.name)
    return exact if exact.exists() else _beside(path) or exact


def original_name(name: str) -> str:
    """The name of the file a conflict copy `name` is a copy of: without its tool's mark."""
    return _CONFLICT.sub("", name, count=1)
