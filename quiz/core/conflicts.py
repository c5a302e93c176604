"""The copies a file-sync tool leaves when two machines changed one file at once: Syncthing's
`name.sync-conflict-DATE-TIME-DEVICE.ext`, Dropbox's and Nextcloud's `name (... conflicted copy ...).ext`, Dropbox's
`name (Selective Sync Conflict).ext` and `name (Case Conflict).ext`, ownCloud's `name_conflict-DATE-TIME.ext`,
Seafile's `name (SFConflict ...).ext`. quiz never loads one (a deck's copy would be a second deck with the same id,
and could load before the real file); it names them instead."""

from __future__ import annotations

import re

# A tool's mark, whatever time follows its date: versions of a tool, and copies renamed by hand, differ in the time
# (`.sync-conflict-20261203.yaml`, a 4-digit time) and a copy missed would be loaded or read. Each mark is the one
# its tool writes, a date in it (Dropbox's words alone where it writes no date): a deck of hers named with the word
# alone (`peer.sync-conflict-resolution.yaml`, `Resolving (SFConflict cases).yaml`) is no copy. Dropbox's parentheses
# may hold others: the machine's name ("Ana's MacBook Pro (2)", as macOS numbers a name taken) and the number of a
# day's second copy ("2026-01-05 (1)")
_IN_PARENTHESES = r"(?:[^()]|\([^()]*\))*"
_CONFLICT = re.compile(
    r"\.sync-conflict-\d{8}[^.]*|"  # Syncthing's, up to the suffix
    rf" ?\({_IN_PARENTHESES}conflicted copy{_IN_PARENTHESES}\)|"  # Dropbox's and Nextcloud's
    r" ?\((?:Selective Sync|Case) Conflict(?: \d+)?\)|"  # Dropbox's, of a file it could not put in its place
    r"_conflict-\d{8}-\d{6}|"  # ownCloud's
    r" ?\(SFConflict [^()]*\d{4}-\d{2}-\d{2}[^()]*\)",  # Seafile's
    re.IGNORECASE,
)


def is_conflict_copy(name: str) -> bool:
    """Whether a file or folder name is a sync tool's conflict copy."""
    return _CONFLICT.search(name) is not None


def original_name(name: str) -> str:
    """The name of the file a conflict copy `name` is a copy of: without its tool's mark."""
    return _CONFLICT.sub("", name, count=1)
