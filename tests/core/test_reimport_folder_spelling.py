"""A new version of a deck imported when the deck folder is named another way than by its real path: a relative
`--data-dir`, or a deck folder that is a link (docs/sync.md links it into the synced folder). The records were
found under the folder's spelling and the decks under their real paths, so her deck's own record was taken for
another deck's and the import refused ("is the import record of deck '?'")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli as run

VERSION_1 = "front,back\nq1,a1\nq2,a2\n"
VERSION_2 = "front,back\nq1,a1 changed\nq2,a2\n"


def _import_twice(capsys: pytest.CaptureFixture[str], data: str, sheet: Path) -> str:
    sheet.write_text(VERSION_1, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", data, "import", str(sheet))
    assert code == 0, err
    sheet.write_text(VERSION_2, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", data, "import", str(sheet))
    assert code == 0, err
    return out


def test_a_relative_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = _import_twice(capsys, "data", tmp_path / "p0.csv")
    assert "1 updated, 0 new, 1 unchanged" in out
    assert "a1 changed" in (tmp_path / "data" / "decks" / "p0.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "data" / "decks").iterdir()) == ["p0.import.json", "p0.yaml"]


def test_a_linked_deck_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "Sync" / "decks"
    real.mkdir(parents=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "decks").symlink_to(real)
    out = _import_twice(capsys, str(tmp_path / "data"), tmp_path / "p0.csv")
    assert "1 updated, 0 new, 1 unchanged" in out
    assert "a1 changed" in (real / "p0.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in real.iterdir()) == ["p0.import.json", "p0.yaml"]
