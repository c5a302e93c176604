"""Links that lead nowhere: a folder or file kept on a drive not connected, or a synced folder not mounted."""

from __future__ import annotations

import os
from pathlib import Path


def dangling_target(path: Path) -> str | None:
    """Where `path` leads when it is a link to nothing there; None when it is no link or leads somewhere."""
    if not path.is_symlink() or path.exists():
        return None
    try:
        return os.readlink(path)
    except OSError:  # removed or replaced since: not a link leading nowhere any more
        return None


def folder_away(path: Path) -> str | None:
    """Where `path` leads when it is a link to a file in a folder that is not there (kept on a drive not
    connected); None when it is no link, or leads into a folder that is there (its file can be made there)."""
    if dangling_target(path) is None:
        return None
    real = os.path.realpath(path)  # through every link of a chain, relative ones too
    return None if os.path.isdir(os.path.dirname(real)) else real
