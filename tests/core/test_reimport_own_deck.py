"""Her own deck, made in quiz, going back and forth with Anki: each package is `quiz export`'s, studied and
edited in Anki and exported from there, so its notes keep quiz's GUIDs. A note she added in quiz is the package's
once it came back from Anki unchanged: Anki's later edit of it comes in, and Anki's deletion of it goes with
--remove-missing, as for every other note. (A shared deck's record names its notes by Anki's GUIDs: her export
of that deck imported back is hers, tests/core/test_reimport.py.)

The round trip is Anki's own (the `anki` package, skipped without it); the same with another quiz standing for
Anki runs everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli as run

MINE = """deck: mine
title: Mine
cards:
  - id: a
    kind: basic
    front: Alpha?
    back: one
"""
ADDED = "  - id: c\n    kind: basic\n    front: Gamma?\n    back: thre\n"  # added in quiz, with a typo


def _quiz_import(capsys: pytest.CaptureFixture[str], data: Path, package: Path, *flags: str) -> str:
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(package), *flags)
    assert code == 0, err
    return out + err


def _export(capsys: pytest.CaptureFixture[str], data: Path, package: Path) -> Path:
    code, _, err = run(capsys, "--data-dir", str(data), "export", "mine", "-o", str(package), "--force")
    assert code == 0, err
    return package


def _her_deck(tmp_path: Path) -> tuple[Path, Path]:
    her = tmp_path / "her"
    (her / "decks").mkdir(parents=True)
    deck = her / "decks" / "mine.yaml"
    deck.write_text(MINE, encoding="utf-8")
    return her, deck


def test_a_note_she_added_in_quiz_is_updated_and_removed_by_anki_like_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anki's fix of the note came in as a conflict, `you: not known (no record of what quiz wrote before)`,
    though she had not touched it since; and its deletion in Anki never removed it."""
    collection = pytest.importorskip("anki.collection")
    monkeypatch.setenv("QUIZ_NOW", "2026-06-01T10:00:00+00:00")
    her, deck = _her_deck(tmp_path)
    (tmp_path / "anki").mkdir()
    col = collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    options = collection.ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
    )
    import_options = collection.ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)

    def through_anki(name: str, change: Callable[[], object] = lambda: None, *flags: str) -> str:
        package = _export(capsys, her, tmp_path / f"{name}.apkg")
        col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(package), options=import_options))
        change()
        back = tmp_path / f"{name}-anki.apkg"
        col.export_anki_package(out_path=str(back), options=options, limit=None)
        return _quiz_import(capsys, her, back, *flags)

    def gamma():  # noqa: ANN202 - an anki Note
        (found,) = col.find_notes('"Front:Gamma?"')
        return col.get_note(found)

    def fix() -> None:
        note = gamma()
        note["Back"] = "three"
        col.update_note(note)

    try:
        through_anki("p1")  # the record is made
        deck.write_text(MINE + ADDED, encoding="utf-8")
        through_anki("p2")  # c to Anki and back, unchanged
        said = through_anki("p3", fix)
        assert "back: three" in deck.read_text(encoding="utf-8"), said
        assert "1 updated" in said and "0 changed by both" in said, said
        said = through_anki("p4", lambda: col.remove_notes([gamma().id]), "--remove-missing")
        assert "Gamma?" not in deck.read_text(encoding="utf-8") and "c  Gamma?" in said, said
    finally:
        col.close()


@pytest.mark.parametrize("in_anki", ["fixed", "deleted"])
def test_a_note_she_added_in_quiz_follows_her_deck_s_next_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, in_anki: str
) -> None:
    """The same with another quiz for Anki (it keeps the notes' GUIDs, quiz's, as Anki does)."""
    monkeypatch.setenv("QUIZ_NOW", "2026-06-01T10:00:00+00:00")
    her, deck = _her_deck(tmp_path)
    _quiz_import(capsys, her, _export(capsys, her, tmp_path / "p1.apkg"))  # the record is made
    deck.write_text(MINE + ADDED, encoding="utf-8")
    _quiz_import(capsys, her, _export(capsys, her, tmp_path / "p2.apkg"))  # c there and back, unchanged
    other = tmp_path / "other"
    (other / "decks").mkdir(parents=True)
    changed = MINE + ADDED.replace("thre", "three") if in_anki == "fixed" else MINE
    (other / "decks" / "mine.yaml").write_text(changed, encoding="utf-8")
    if in_anki == "fixed":
        said = _quiz_import(capsys, her, _export(capsys, other, tmp_path / "p3.apkg"))
        assert "back: three" in deck.read_text(encoding="utf-8") and "0 changed by both" in said, said
    else:
        said = _quiz_import(capsys, her, _export(capsys, other, tmp_path / "p3.apkg"), "--remove-missing")
        assert "Gamma?" not in deck.read_text(encoding="utf-8") and "c  Gamma?" in said, said


def test_a_note_she_added_in_anki_comes_into_her_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anki gives the note it adds a GUID of its own: the package no longer named one deck by quiz's GUIDs only,
    so it came in as a second deck holding all her notes again."""
    collection = pytest.importorskip("anki.collection")
    from anki.decks import DeckId

    monkeypatch.setenv("QUIZ_NOW", "2026-06-01T10:00:00+00:00")
    her, deck = _her_deck(tmp_path)
    col = collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        package = str(_export(capsys, her, tmp_path / "mine.apkg"))
        col.import_anki_package(
            collection.ImportAnkiPackageRequest(
                package_path=package,
                options=collection.ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False),
            )
        )
        (alpha,) = col.find_notes('"Front:Alpha?"')
        gamma = col.new_note(col.get_note(alpha).note_type())
        gamma["Front"], gamma["Back"] = "Gamma?", "three"
        col.add_note(gamma, DeckId(col.get_note(alpha).cards()[0].did))
        back = tmp_path / "back.apkg"
        options = collection.ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
        )
        col.export_anki_package(out_path=str(back), options=options, limit=None)
    finally:
        col.close()
    said = _quiz_import(capsys, her, back)
    assert sorted(path.name for path in (her / "decks").glob("*.yaml")) == ["mine.yaml"], said
    text = deck.read_text(encoding="utf-8")
    assert "Alpha?" in text and "front: Gamma?" in text, said
