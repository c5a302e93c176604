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
