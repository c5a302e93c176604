"""Fixtures the core tests share."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty synced folder (what `quiz sync --folder` is given)."""
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared
