"""A card's `answer_image:`: pictures shown only once the answer is, read, checked, cached and written back as
`image:` is (the Anki import of a back-only picture puts it there)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from quiz.core import deckcache
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.deckwriter import deck_text
from quiz.core.library import Library, has_pictures
from tests.conftest import run_cli as run
from tests.core.test_deck_images import PNG


def anatomy_deck(folder: Path, pictures: str = "image: q.png, answer_image: [a.png, b.png]") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("q.png", "a.png", "b.png"):
        (folder / name).write_bytes(PNG + name.encode())
    deck = folder / "anatomy.yaml"
    deck.write_text(f"deck: anatomy\ntitle: A\ncards:\n  - {{id: h, kind: basic, front: q, back: a, {pictures}}}\n")
    return deck


def test_answer_pictures_load_apart_from_the_question_s_and_are_written_back(tmp_path: Path) -> None:
    result = load_deck_file(anatomy_deck(tmp_path))
    assert result.deck is not None, [str(p) for p in result.problems]
    note = result.deck.notes[0]
    assert (note.images, note.answer_images) == (("q.png",), ("a.png", "b.png"))
    written = deck_text("anatomy", "A", result.deck.notes)
    assert "image: q.png" in written and "answer_image: [a.png, b.png]" in written
    again = parse_deck(written.encode(), str(tmp_path / "again.yaml"))
    assert again.deck is not None and again.deck.notes == result.deck.notes


def test_a_card_may_show_a_picture_only_with_its_answer(tmp_path: Path) -> None:
    result = load_deck_file(anatomy_deck(tmp_path, "answer_image: a.png"))
    assert result.deck is not None and result.deck.notes[0].images == ()
    assert result.deck.notes[0].answer_images == ("a.png",)
    assert "answer_image: a.png" in deck_text("anatomy", "A", result.deck.notes)


def test_an_occlusion_keeps_its_masked_picture_and_takes_answer_pictures(tmp_path: Path) -> None:
    for name in ("cell.png", "labelled.png"):
        (tmp_path / name).write_bytes(PNG)
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n  - {id: o, kind: occlusion, image: cell.png, answer_image: labelled.png,\n"
        "     regions: [{x: 0.1, y: 0.1, w: 0.2, h: 0.2}]}\n"
    )
    result = load_deck_file(deck)
    assert result.deck is not None, [str(p) for p in result.problems]
    note = result.deck.notes[0]
    assert (note.images, note.answer_images) == (("cell.png",), ("labelled.png",))


def test_wrong_answer_pictures_are_named_where_they_are_with_the_field(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n  - id: a\n    kind: basic\n    front: q\n    back: a\n    answer_image:\n"
        "      - a.png\n      - gone.png\n      - ../out.png\n"
        "  - {id: b, kind: basic, front: q, back: a, answer_image: []}\n"
    )
    result = load_deck_file(deck)
    assert result.deck is None
    found = [(p.line, p.column, p.message) for p in result.problems]
    assert found == [
        (10, 9, "image 'gone.png' does not exist"),
        (11, 9, "image '../out.png' is not a path inside the deck's folder"),
        (12, 59, "'answer_image' lists 0 pictures"),
    ]
    assert str(result.problems[0]).startswith(f"{deck}:10:9: card a: image 'gone.png' does not exist — put")
    assert result.problems[2].hint == "list 1 to 50, or remove `answer_image:`"


def test_a_cached_deck_gives_its_answer_pictures_back_and_checks_their_files(tmp_path: Path) -> None:
    deck = anatomy_deck(tmp_path / "decks")
    first = Library.load([tmp_path / "decks"], cache_dir=tmp_path / "cache")
    again = Library.load([tmp_path / "decks"], cache_dir=tmp_path / "cache")
    assert again._cache.hits == 1 and has_pictures(again.decks)
    assert (
        [n.answer_images for n in again.decks[0].notes]
        == [("a.png", "b.png")]
        == [n.answer_images for n in first.decks[0].notes]
    )
    (deck.parent / "b.png").unlink()  # a picture shown only with the answer is checked at start as any other
    gone = Library.load([tmp_path / "decks"], cache_dir=tmp_path / "cache")
    assert gone.decks == [] and "image 'b.png' does not exist" in str(gone.broken[0].problems[0])


def test_an_entry_written_before_answer_pictures_is_parsed_again(tmp_path: Path) -> None:
    """Format 8 entries hold no answer pictures: read as this format, a note's fields would be misread."""
    anatomy_deck(tmp_path / "decks")
    Library.load([tmp_path / "decks"], cache_dir=tmp_path / "cache")
    (entry,) = (tmp_path / "cache" / "decks").glob("*.qdc")
    data = bytearray(entry.read_bytes())
    assert struct.unpack_from("<I", data, 4) == (deckcache.FORMAT,) and deckcache.FORMAT > 8
    struct.pack_into("<I", data, 4, 8)
    entry.write_bytes(bytes(data))
    again = Library.load([tmp_path / "decks"], cache_dir=tmp_path / "cache")
    assert (again._cache.hits, again._cache.misses) == (0, 1)
    assert again.decks[0].notes[0].answer_images == ("a.png", "b.png")


def test_quiz_add_brings_the_answer_pictures_along(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = anatomy_deck(tmp_path / "mine")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 0, err
    assert "with 3 pictures beside it" in out
    added = tmp_path / "data" / "decks"
    assert [(added / n).read_bytes() for n in ("q.png", "a.png", "b.png")] == [
        PNG + n for n in (b"q.png", b"a.png", b"b.png")
    ]
    assert load_deck_file(added / "anatomy.yaml").ok


def test_quiz_add_renames_an_answer_picture_windows_cannot_hold_in_its_own_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A picture named as Windows cannot keep is copied under a name it can; the copy's `answer_image:` line names
    it, and the picture stays shown only with the answer."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "q.png").write_bytes(PNG)
    (folder / "CON.png").write_bytes(PNG + b"labelled")
    deck = folder / "win.yaml"
    text = "deck: win\ntitle: W\ncards:\n  - {id: a, kind: basic, front: f, back: b, image: q.png,\n"
    text += "     answer_image: CON.png}\n"
    deck.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 0, err
    copied = load_deck_file(tmp_path / "data" / "decks" / "win.yaml").deck
    assert copied is not None and (copied.notes[0].images, copied.notes[0].answer_images) == (("q.png",), ("CON_.png",))
    assert (tmp_path / "data" / "decks" / "CON_.png").read_bytes() == PNG + b"labelled"
    assert deck.read_text(encoding="utf-8") == text  # hers, as it was
