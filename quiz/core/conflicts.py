"""The copies a file-sync tool leaves when two machines changed one file at once: Syncthing's
`name.sync-conflict-DATE-TIME-DEVICE.ext`, Dropbox's and Nextcloud's `name (... conflicted copy ...).ext`.
quiz never loads one (a deck's copy would be a second deck with the same id); it names them instead."""

from __future__ import annotations

import re

_CONFLICT = re.compile(r"\.sync-conflict-\d{8}-\d{6}|conflicted copy", re.IGNORECASE)


def is_conflict_copy(name: str) -> bool:
    """Whether a file or folder name is a sync tool's conflict copy."""
    return _CONFLICT.search(name) is not None
