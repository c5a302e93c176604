"""The copies a file-sync tool leaves when two machines changed one file at once: Syncthing's
`name.sync-conflict-DATE-TIME-DEVICE.ext`, Dropbox's and Nextcloud's `name (... conflicted copy ...).ext`,
ownCloud's `name_conflict-DATE-TIME.ext`, Seafile's `name (SFConflict ...).ext`. quiz never loads one (a deck's
copy would be a second deck with the same id, and could load before the real file); it names them instead."""

from __future__ import annotations

import re

# Any name holding a tool's mark, whatever follows it: versions of a tool, and copies renamed by hand, differ in the
# date and time (`.sync-conflict-20261203.yaml`, a 4-digit time) and a copy missed would be loaded or read
_CONFLICT = re.compile(r"\.sync-conflict-|conflicted copy|_conflict-\d{8}-\d{6}|\(SFConflict ", re.IGNORECASE)


def is_conflict_copy(name: str) -> bool:
    """Whether a file or folder name is a sync tool's conflict copy."""
    return _CONFLICT.search(name) is not None
