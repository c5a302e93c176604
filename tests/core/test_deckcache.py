"""The parsed-deck cache: a hit gives back exactly what parsing gives, a changed file is parsed again,
and a damaged cache file is never trusted."""

from __future__ import annotations

import copy
import os
import pickle
import time
import weakref
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import quiz.core.deckcache as deckcache
from quiz.core.deckfile import LoadResult
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.library import SHIPPED_DECKS, Library
from tests.core.test_deck_images import PNG

DECK = """\
deck: cached
title: Cached deck
sources: [{id: s1, title: A source}]
cards:
  - {id: b, kind: basic, topic: t1, tags: [x, y], front: "Front", back: "Back", explain: "Why", sources: [s1]}
  - {id: r, kind: reverse, front: "Word", back: "Meaning"}
  - {id: z, kind: cloze, topic: t2, text: "{{one}} and {{two::hint}}"}
  - {id: c, kind: choice, front: "Pick", options: [a, b, c], answer: b}
  - {id: m, kind: multi, front: "Pick all", options: [a, b, c], answers: [a, c]}
  - {id: t, kind: truefalse, front: "True?", answer: false}
  - {id: y, kind: typed, front: "Year?", answer: "2019", accept: ["'19"]}
  - {id: o, kind: order, front: "Order", items: [first, second, third]}
  - {id: p, kind: match, front: "Match", pairs: {left: right, up: down}}
  - {id: w, kind: basic, front: "Bell \\u0007 here", back: "b"}
"""


@pytest.fixture(autouse=True)
def _settled_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file written by a test has a fresh ctime; count it as settled unless a test says otherwise."""
    monkeypatch.setattr(deckcache, "RACY_SECONDS", -1.0)


def write(folder: Path, text: str = DECK, name: str = "deck.yaml", age: float = 60.0) -> Path:
    """A deck file whose mtime is `age` seconds in the past (older than the racy window)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def library(tmp_path: Path, decks: Path) -> Library:
    return Library.load([decks], cache_dir=tmp_path / "cache")


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "decks").glob("*.qdc"))


def test_a_second_load_is_a_hit_and_equals_parsing(tmp_path: Path) -> None:
    path = write(tmp_path / "decks")
    first = library(tmp_path, tmp_path / "decks")
    assert (first._cache.misses, first._cache.hits) == (1, 0)
    again = library(tmp_path, tmp_path / "decks")
    assert (again._cache.misses, again._cache.hits) == (0, 1)

    parsed = load_deck_file(path)
    cached = again.results[0]
    assert parsed.deck is not None and cached.deck is not None
    assert cached.path == parsed.path and cached.ok
    assert cached.problems == parsed.problems and any(p.severity == "warning" for p in cached.problems)
    assert cached.deck == parsed.deck and parsed.deck == cached.deck
    assert hash(cached.deck) == hash(parsed.deck)
    assert cached.deck.topic_ids() == parsed.deck.topic_ids() == ["t1", "t2"]
    assert len(cached.deck.cards) == len(parsed.deck.cards) == 12
    for mine, theirs in zip(cached.deck.cards, parsed.deck.cards, strict=True):
        assert (mine.deck_id, mine.key, mine.ordinal, mine.kind, mine.topic) == (
            theirs.deck_id,
            theirs.key,
            theirs.ordinal,
            theirs.kind,
            theirs.topic,
        )
        assert mine == theirs and mine.note == theirs.note and hash(mine.note) == hash(theirs.note)
    for mine, theirs in zip(cached.deck.notes, parsed.deck.notes, strict=True):
        for name in deckcache._NOTE_FIELDS:
            assert getattr(mine, name) == getattr(theirs, name), name
            assert type(getattr(mine, name)) is type(getattr(theirs, name)), name


def test_cached_values_behave_like_parsed_ones(tmp_path: Path) -> None:
    write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    deck = library(tmp_path, tmp_path / "decks").decks[0]
    parsed = load_deck_file(tmp_path / "decks" / "deck.yaml").deck
    note = deck.notes[0]
    assert repr(note) == repr(parsed.notes[0]) and repr(deck).startswith("Deck(")
    assert replace(note, line=0) == replace(parsed.notes[0], line=0)
    assert pickle.loads(pickle.dumps(deck)) == parsed
    assert copy.deepcopy(deck) == parsed and copy.copy(note) == note
    assert deck.notes[0] != deck.notes[1] and len({*deck.notes, *parsed.notes}) == len(parsed.notes)
    assert library(tmp_path, tmp_path / "decks").card("cached", "z/2").note.body.text == "{{one}} and {{two::hint}}"


def test_a_changed_file_is_parsed_again_and_its_old_entry_kept_until_pruned(tmp_path: Path) -> None:
    path = write(tmp_path / "decks")
    opened = library(tmp_path, tmp_path / "decks").decks[0]  # an open app, its notes not read yet
    (old,) = entries(tmp_path)
    write(tmp_path / "decks", DECK.replace('front: "Front"', 'front: "Changed front"'))
    changed = library(tmp_path, tmp_path / "decks")  # e.g. `quiz list` meanwhile
    assert (changed._cache.misses, changed._cache.hits) == (1, 0)
    assert changed.decks[0].notes[0].body.front == "Changed front"
    assert opened.notes[0].body.front == "Front"  # the open app still reads the entry of what it loaded
    assert old in entries(tmp_path) and len(entries(tmp_path)) == 2
    changed.prune_cache()  # as the app does when it exits
    assert old not in entries(tmp_path) and len(entries(tmp_path)) == 1
    assert load_deck_file(path).deck == changed.decks[0]


def test_a_change_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    path = write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    stat = path.stat()
    path.write_text(DECK.replace("Front", "Frant"), encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime; the ctime still moves
    reloaded = library(tmp_path, tmp_path / "decks")
    assert reloaded.decks[0].notes[0].body.front == "Frant"


def test_a_file_changed_just_now_is_hashed_not_trusted_by_stat(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(deckcache, "RACY_SECONDS", 2.0)
    write(tmp_path / "decks", age=0)
    library(tmp_path, tmp_path / "decks")
    again = library(tmp_path, tmp_path / "decks")
    assert again._cache.hits == 1  # found by content
    assert str(tmp_path / "decks" / "deck.yaml") not in again._cache._stat_index()


def test_broken_decks_are_cached_with_their_problems(tmp_path: Path) -> None:
    bad = DECK.replace("kind: choice", "kind: choise")
    path = write(tmp_path / "decks", bad)
    library(tmp_path, tmp_path / "decks")
    again = library(tmp_path, tmp_path / "decks")
    assert again._cache.hits == 1 and again.decks == []
    assert again.broken[0].problems == load_deck_file(path).problems
    assert "choise" in str(again.broken[0].problems[0])


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-10],  # truncated
        lambda data: data[:40] + bytes([data[40] ^ 0xFF]) + data[41:],  # a flipped byte in the body
        lambda data: b"garbage" + data[7:],  # a wrong header
        lambda data: b"",  # empty
    ],
    ids=["truncated", "flipped-byte", "bad-header", "empty"],
)
def test_a_damaged_cache_file_falls_back_to_parsing(tmp_path: Path, damage) -> None:
    path = write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    (entry,) = entries(tmp_path)
    entry.write_bytes(damage(entry.read_bytes()))
    reloaded = library(tmp_path, tmp_path / "decks")
    assert (reloaded._cache.misses, reloaded._cache.hits) == (1, 0)
    assert reloaded.decks[0] == load_deck_file(path).deck
    assert library(tmp_path, tmp_path / "decks")._cache.hits == 1  # and the entry was written again


def test_an_entry_that_unmarshals_to_nonsense_falls_back(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    (entry,) = entries(tmp_path)
    result = load_deck_file(path)
    monkeypatch.setattr(deckcache, "_NOTE_FIELDS", ("id",))  # as if written for another note model
    assert deckcache.DeckCache(entry.parent, parse_deck, LoadResult)._read_entry(entry.stem, str(path)) is None
    assert library(tmp_path, tmp_path / "decks").decks[0] == result.deck


def test_start_up_reads_the_index_not_the_notes(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    reads: list[Path] = []
    read_notes = deckcache.read_notes
    monkeypatch.setattr(deckcache, "read_notes", lambda path, header: reads.append(path) or read_notes(path, header))
    deck = library(tmp_path, tmp_path / "decks").decks[0]
    assert [c.key for c in deck.cards][:3] == ["b", "r", "r/reverse"] and reads == []  # what counting and queues read
    assert deck.notes[0].body.front == "Front" and deck.notes[-1].body.front == "Bell \ufffd here"
    assert reads == entries(tmp_path)  # the notes part, read once, on first use


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: entry.unlink(),
        lambda entry: entry.write_bytes(entry.read_bytes()[:-5]),
        lambda entry: entry.write_bytes(entry.read_bytes()[:-5] + b"XXXXX"),  # same length, bad notes CRC
    ],
    ids=["deleted", "truncated", "notes-damaged"],
)
def test_notes_lost_after_start_up_are_parsed_again_from_the_unchanged_file(tmp_path: Path, damage) -> None:
    path = write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    deck = library(tmp_path, tmp_path / "decks").decks[0]  # from the cache, notes not read yet
    (entry,) = entries(tmp_path)
    damage(entry)
    assert deck.notes == load_deck_file(path).deck.notes
    assert deck.notes[0].explain == "Why"
    again = library(tmp_path, tmp_path / "decks")  # the entry was written again: the next start reads it
    assert again._cache.hits == 1 and again.decks[0].notes == deck.notes


def test_notes_lost_after_the_file_changed_say_restart(tmp_path: Path) -> None:
    path = write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    deck = library(tmp_path, tmp_path / "decks").decks[0]
    entries(tmp_path)[0].unlink()
    path.write_text(DECK.replace("Front", "Changed"), encoding="utf-8")
    with pytest.raises(deckcache.DeckCacheLost, match="changed while quiz was open.*restart quiz"):
        _ = deck.notes[0].body.front


def test_a_damaged_stat_index_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    (tmp_path / "cache" / "decks" / deckcache.STAT_INDEX).write_bytes(b"\x00not marshal")
    again = library(tmp_path, tmp_path / "decks")
    assert again.decks[0].notes[0].body.front == "Front"


def test_entries_of_another_loader_are_removed(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    monkeypatch.setattr(deckcache, "loader_tag", lambda: b"another quiz")
    again = library(tmp_path, tmp_path / "decks")
    assert (again._cache.misses, again._cache.hits) == (1, 0)
    assert len(entries(tmp_path)) == 1


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    write(tmp_path / "decks")
    (tmp_path / "cache").write_text("a file where the folder should be")
    loaded = library(tmp_path, tmp_path / "decks")
    assert loaded.decks[0].title == "Cached deck" and loaded._cache.misses == 1


def test_duplicate_and_unreadable_decks_are_reported_as_without_cache(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    write(decks, name="a.yaml")
    write(decks, name="b.yaml")  # the same deck id again
    without = Library.load([decks])
    library(tmp_path, decks)
    with_cache = library(tmp_path, decks)
    assert with_cache._cache.hits == 2
    assert [r.problems for r in with_cache.results] == [r.problems for r in without.results]
    assert [r.deck is None for r in with_cache.results] == [False, True]
    missing = tmp_path / "missing.yaml"
    read = with_cache._cache.load(missing, lambda name, _exc: load_deck_file(name))
    assert read.deck is None and read.problems == load_deck_file(missing).problems


def test_the_shipped_decks_round_trip(tmp_path: Path) -> None:
    library(tmp_path, SHIPPED_DECKS)
    cached = library(tmp_path, SHIPPED_DECKS)
    parsed = Library.load([SHIPPED_DECKS])
    assert cached._cache.hits == len(parsed.results) >= 1
    for mine, theirs in zip(cached.results, parsed.results, strict=True):
        assert mine.problems == theirs.problems
        assert mine.deck == theirs.deck
        assert [c.key for c in mine.deck.cards] == [c.key for c in theirs.deck.cards]


def test_a_copy_of_a_cached_deck_made_by_replace_is_a_whole_deck(tmp_path: Path) -> None:
    """dataclasses.replace calls the deck's class, which the cache's index does not come with: the copy is a
    plain Deck holding the values given, its lookups working as a parsed deck's (an export tags marked notes so)."""
    write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    deck = library(tmp_path, tmp_path / "decks").decks[0]
    parsed = load_deck_file(tmp_path / "decks" / "deck.yaml").deck
    assert parsed is not None and type(deck) is not type(parsed)  # the second load is the cache's
    copied, expected = replace(deck, title="Copied"), replace(parsed, title="Copied")
    assert copied == expected and copied.title == "Copied"
    assert copied.topic_ids() == expected.topic_ids() and copied.topic_places() == expected.topic_places()
    assert copied.card_index() == expected.card_index()


def test_a_deck_missing_a_picture_loads_once_the_picture_is_put_in_place(tmp_path: Path) -> None:
    """A deck that failed for a picture it names was cached with that problem: it stayed "not loaded" (and
    `quiz validate` said the picture was missing) after she put the picture in place, until its file changed."""
    text = "deck: pic\ntitle: Pic\ncards:\n  - {id: a, kind: basic, front: q, back: a, image: pics/x.png}\n"
    write(tmp_path / "decks", text, "pic.yaml")
    first = library(tmp_path, tmp_path / "decks")
    assert first.decks == [] and "does not exist" in str(first.broken[0].problems[0])
    (tmp_path / "decks" / "pics").mkdir()
    (tmp_path / "decks" / "pics" / "x.png").write_bytes(PNG)
    again = library(tmp_path, tmp_path / "decks")
    assert [deck.id for deck in again.decks] == ["pic"] and again.broken == []


MISSING = "deck: pic\ntitle: Pic\ncards:\n  - {id: a, kind: basic, front: q, back: a, image: pics/x.png}\n"


def _shown(result: LoadResult) -> list[str]:
    return [str(problem) for problem in result.problems]


def test_a_deck_naming_a_missing_picture_is_read_back_with_its_problem_not_parsed_at_each_start(
    tmp_path: Path,
) -> None:
    """Such a deck was never written to the cache (the picture is looked for again): a 30,000-card deck naming one
    missing picture was parsed at every start. Its entry now remembers the picture's problem, checked at each hit."""
    decks = tmp_path / "decks"
    path = write(decks, MISSING, "pic.yaml")
    first = library(tmp_path, decks)
    again = library(tmp_path, decks)
    assert (again._cache.hits, again._cache.misses) == (1, 0) and again.decks == []
    assert _shown(again.broken[0]) == _shown(first.broken[0]) == _shown(load_deck_file(path))
    (tmp_path / "cache" / "decks" / "stat-index").unlink()  # or the deck file touched: found by its bytes
    assert library(tmp_path, decks)._cache.hits == 1
    assert (
        "pic.yaml:4:" in _shown(again.broken[0])[0]
        and "image 'pics/x.png' does not exist" in _shown(again.broken[0])[0]
    )

    (decks / "pics").mkdir()
    (decks / "pics" / "x.png").write_bytes(PNG)
    fixed = library(tmp_path, decks)
    assert (fixed._cache.hits, fixed._cache.misses) == (0, 1)
    assert [deck.id for deck in fixed.decks] == ["pic"] and fixed.broken == []
    assert library(tmp_path, decks)._cache.hits == 1


def test_a_missing_picture_replaced_by_no_picture_shows_the_new_problem(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    path = write(decks, MISSING, "pic.yaml")
    library(tmp_path, decks)
    (decks / "pics").mkdir()
    (decks / "pics" / "x.png").write_text("not a picture")
    again = library(tmp_path, decks)
    assert (again._cache.hits, again._cache.misses) == (0, 1)
    assert _shown(again.broken[0]) == _shown(load_deck_file(path))
    assert "image 'pics/x.png' is not a picture" in _shown(again.broken[0])[0]
    assert library(tmp_path, decks)._cache.hits == 1  # the new problem is kept in its turn


def test_a_picture_that_passed_in_a_deck_with_a_missing_one_is_checked_again(tmp_path: Path) -> None:
    """The deck does not load (no notes are kept), but the picture that passed is remembered and checked too."""
    decks = tmp_path / "decks"
    text = MISSING + "  - {id: b, kind: basic, front: q, back: a, image: here.png}\n"
    path = write(decks, text, "pic.yaml")
    (decks / "here.png").write_bytes(PNG)
    library(tmp_path, decks)
    assert library(tmp_path, decks)._cache.hits == 1
    (decks / "here.png").unlink()
    again = library(tmp_path, decks)
    assert (again._cache.hits, again._cache.misses) == (0, 1)
    assert _shown(again.broken[0]) == _shown(load_deck_file(path)) and len(again.broken[0].problems) == 2


def test_a_deck_with_a_problem_elsewhere_than_in_a_picture_is_not_kept(tmp_path: Path, monkeypatch) -> None:
    """Only a picture's problem is checked again at a hit: another found outside the deck file keeps it out."""
    from quiz.core import library as library_module
    from quiz.core.problems import Problem

    def with_another(data: bytes, path: str, look_at_picture: Callable[[str], tuple[str, str] | None]) -> LoadResult:
        result = parse_deck(data, path, look_at_picture=look_at_picture)
        result.problems.append(Problem(path, 1, 1, "another file is wrong", elsewhere=True))
        return result

    monkeypatch.setattr(library_module, "_parse_deck", with_another)
    decks = tmp_path / "decks"
    write(decks, MISSING, "pic.yaml")
    library(tmp_path, decks)
    again = library(tmp_path, decks)
    assert (again._cache.hits, again._cache.misses) == (0, 1) and entries(tmp_path) == []


def test_an_open_app_keeps_its_deck_s_notes_when_another_command_finds_a_picture_gone(tmp_path: Path) -> None:
    """A deck naming a missing picture was kept under the very key of the same deck with every picture in place:
    `quiz list` run after she deleted a picture wrote over the open app's entry, whose notes, read later, were
    then parsed again from a deck that no longer loads (DeckCacheLost: the app exited)."""
    decks = tmp_path / "decks"
    text = "deck: pic\ntitle: Pic\ncards:\n  - {id: a, kind: basic, front: q, back: a, image: in.png}\n"
    write(decks, text, "pic.yaml")
    (decks / "in.png").write_bytes(PNG)
    library(tmp_path, decks)
    app = library(tmp_path, decks)  # the open app: its notes not read yet
    assert app._cache.hits == 1
    (decks / "in.png").unlink()
    listed = library(tmp_path, decks)  # another command
    assert listed.decks == [] and "image 'in.png' does not exist" in str(listed.broken[0].problems[0])
    assert app.decks[0].notes[0].body.front == "q"
    assert library(tmp_path, decks)._cache.hits == 1  # the deck with its missing picture, read back

    listed.prune_cache()  # as an app started since exits: the entry with the picture in place is kept beside
    (decks / "in.png").write_bytes(PNG)
    fixed = library(tmp_path, decks)
    assert (fixed._cache.hits, fixed._cache.misses) == (1, 0) and [deck.id for deck in fixed.decks] == ["pic"]
    assert fixed.decks[0].notes[0].body.front == "q"
    (decks / "in.png").unlink()
    again = library(tmp_path, decks)
    assert (again._cache.hits, again._cache.misses) == (1, 0) and again.decks == []


def _link_out(picture: Path) -> None:
    outside = picture.parent.parent / "outside.png"
    outside.write_bytes(PNG)
    picture.unlink()
    picture.symlink_to(outside)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_link_out, "image 'in.png' leads outside the deck's folder"),
        (Path.unlink, "image 'in.png' does not exist"),
        (lambda picture: picture.write_text("not a picture"), "image 'in.png' is not a picture"),
    ],
    ids=["linked-out", "deleted", "text"],
)
def test_a_picture_changed_after_caching_is_checked_again(tmp_path: Path, change, message: str) -> None:
    """The cache entry is keyed by the deck file only: a picture replaced by a link out of the folder was still
    drawn and opened, and `quiz validate` said ok, as long as the deck file was unchanged."""
    decks = tmp_path / "decks"
    text = "deck: pic\ntitle: Pic\ncards:\n  - {id: a, kind: basic, front: q, back: a, image: in.png}\n"
    path = write(decks, text, "pic.yaml")
    (decks / "in.png").write_bytes(PNG)
    assert [deck.id for deck in library(tmp_path, decks).decks] == ["pic"]
    change(decks / "in.png")

    again = library(tmp_path, decks)
    assert again.decks == [] and [str(p) for p in again.broken[0].problems] == [
        str(p) for p in load_deck_file(path).problems
    ]
    assert message in str(again.broken[0].problems[0])
    assert library(tmp_path, decks)._cache.hits == 1  # kept with its problem, checked again at each hit
    (decks / "in.png").unlink(missing_ok=True)
    (decks / "in.png").write_bytes(PNG)
    fixed = library(tmp_path, decks)
    assert [deck.id for deck in fixed.decks] == ["pic"]
    assert (fixed._cache.misses, fixed._cache.hits) == (0, 1)  # the entry made with the picture in place


PICTURES = "deck: pic\ntitle: Pic\ncards:\n" + "".join(
    f"  - {{id: n{n}, kind: basic, front: q{n}, back: a, image: pics/p{n}.png}}\n" for n in range(3)
)


def _picture_deck(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    write(decks, PICTURES, "pic.yaml")
    (decks / "pics").mkdir()
    for n in range(3):
        (decks / "pics" / f"p{n}.png").write_bytes(PNG)
    return decks


def _checks_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    checked: list[str] = []
    real = deckcache.image_problem

    def counted(deck_path: str, image: str) -> tuple[str, str] | None:
        checked.append(image)
        return real(deck_path, image)

    monkeypatch.setattr(deckcache, "image_problem", counted)
    return checked


def test_unchanged_pictures_are_not_opened_again_at_every_start(tmp_path: Path, monkeypatch) -> None:
    """Every cache hit checked each picture whole (an open, a read, path steps): ~250 ms at every start for a
    deck of 5,000 pictures. A picture with the stat it had when it passed is now taken as checked."""
    decks = _picture_deck(tmp_path)
    library(tmp_path, decks)  # parsed: its pictures checked by the parse
    checked = _checks_counted(monkeypatch)
    library(tmp_path, decks)  # the first hit checks them and remembers their stats
    assert sorted(checked) == ["pics/p0.png", "pics/p1.png", "pics/p2.png"]
    checked.clear()
    again = library(tmp_path, decks)
    assert [deck.id for deck in again.decks] == ["pic"] and again._cache.hits == 1 and checked == []
    (decks / "pics" / "p1.png").write_bytes(PNG + b"changed")
    library(tmp_path, decks)
    assert checked == ["pics/p1.png"]  # only the changed one


def test_a_folder_of_the_pictures_replaced_by_a_link_out_is_checked_again(tmp_path: Path) -> None:
    """The remembered stats are only trusted on a path of no links: the pictures' folder moved out of the deck's
    folder and linked back in keeps each picture's stat, and leads out."""
    decks = _picture_deck(tmp_path)
    library(tmp_path, decks)
    library(tmp_path, decks)
    (decks / "pics").rename(tmp_path / "elsewhere")
    (decks / "pics").symlink_to(tmp_path / "elsewhere")

    again = library(tmp_path, decks)
    assert again.decks == [] and "leads outside the deck's folder" in str(again.broken[0].problems[0])


def test_a_picture_changed_within_the_racy_window_is_not_remembered(tmp_path: Path, monkeypatch) -> None:
    """A picture written in the last two seconds could change again within one timestamp tick, keeping its stat:
    it is checked whole until it is older."""
    monkeypatch.setattr(deckcache, "RACY_SECONDS", 2.0)
    decks = _picture_deck(tmp_path)  # written just now
    library(tmp_path, decks)
    library(tmp_path, decks)
    checked = _checks_counted(monkeypatch)
    library(tmp_path, decks)
    assert len(checked) == 3


def test_a_note_read_whole_no_longer_holds_its_deck_s_entry(tmp_path: Path) -> None:
    """A caller keeping a few notes of a big deck read from the cache (an update keeps the notes gone from the
    package) does not keep the entry's notes part, MBs for a shared deck."""
    write(tmp_path / "decks")
    library(tmp_path, tmp_path / "decks")
    deck = library(tmp_path, tmp_path / "decks").decks[0]
    kept = deck.notes[1]
    assert kept.body.front  # read whole
    index = weakref.ref(deck._src)
    del deck
    assert index() is None and kept == load_deck_file(tmp_path / "decks" / "deck.yaml").deck.notes[1]


def test_a_file_s_bytes_are_read_back_from_their_entry_and_nothing_else_is(tmp_path: Path) -> None:
    path = write(tmp_path / "decks")
    loaded = library(tmp_path, tmp_path / "decks")
    cache = loaded.deck_cache()
    assert cache is not None
    data = path.read_bytes()
    found = cache.cached(str(path), data)
    assert found is not None and found.deck == load_deck_file(path).deck
    assert cache.cached(str(path), data + b"\n") is None  # other bytes: no entry, and none made
    assert cache.cached(str(tmp_path / "other.yaml"), data) is None  # an entry is its file's
    assert len(entries(tmp_path)) == 1


def test_bytes_read_back_keep_their_notes_when_the_entry_goes_and_the_file_changes(tmp_path: Path) -> None:
    """An import's plan holds the bytes it read: their entry is held open until its notes are read, so another
    quiz pruning the entry and her editor saving the file after it cannot fail the plan midway (DeckCacheLost)."""
    path = write(tmp_path / "decks")
    cache = library(tmp_path, tmp_path / "decks").deck_cache()
    assert cache is not None
    data = path.read_bytes()
    found = cache.cached(str(path), data)
    assert found is not None and found.deck is not None
    for entry in entries(tmp_path):
        entry.unlink()
    write(tmp_path / "decks", DECK.replace("Front", "Front edited"))
    assert found.deck.notes == parse_deck(data, str(path)).deck.notes


def test_bytes_read_back_read_their_notes_when_first_used(tmp_path: Path) -> None:
    """The notes part of a shared deck's entry is MBs: an import's plan reads it when it reads her notes, once it
    has let go of what it read before (the import record's JSON), not at the peak that makes."""
    path = write(tmp_path / "decks")
    cache = library(tmp_path, tmp_path / "decks").deck_cache()
    assert cache is not None
    found = cache.cached(str(path), path.read_bytes())
    assert found is not None and isinstance(found.deck, deckcache._LazyDeck)
    index = found.deck._src
    assert index._notes is None
    assert found.deck.notes[0].body.front
    assert isinstance(index._notes, bytes)


def _open_here(path: Path) -> bool:
    """Whether this process has the file at `path` open (read from /proc)."""
    fds = Path("/proc/self/fd")
    return any(os.path.realpath(fd) == os.path.realpath(path) for fd in fds.iterdir())


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc to see the files open")
def test_a_damaged_entry_read_back_for_bytes_is_closed_before_it_is_removed(tmp_path: Path, monkeypatch) -> None:
    """Windows cannot delete a file that is open: a damaged entry an import finds for her deck's bytes is closed
    first, so it goes there too and is written again, not found damaged at every import."""
    path = write(tmp_path / "decks")
    cache = library(tmp_path, tmp_path / "decks").deck_cache()
    assert cache is not None
    (entry,) = entries(tmp_path)
    data = entry.read_bytes()
    entry.write_bytes(data[:40] + bytes([data[40] ^ 0xFF]) + data[41:])  # its index no longer passes its CRC

    def remove_as_windows_does(file: Path) -> None:
        if not _open_here(file):
            file.unlink()

    monkeypatch.setattr(cache, "_remove", remove_as_windows_does)
    assert cache.cached(str(path), path.read_bytes()) is None
    assert entries(tmp_path) == []


TWICE = (
    "deck: d\ntitle: D\ncards:\n"
    "  - {id: a, kind: basic, front: q1, back: a, image: x.png}\n"
    "  - {id: b, kind: basic, front: q2, back: a, image: x.png}\n"
)


def _after_the_first_check(monkeypatch: pytest.MonkeyPatch, change: Callable[[], None]) -> None:
    """`change` made right after the load's first look at a picture on disk (the cache's, which the parse takes),
    as a copy running meanwhile would."""
    from quiz.core import decks as decks_module

    real = decks_module.image_problem

    def then_changed(deck_path: str, image: str, check_file: bool = True, **kwargs: Any) -> tuple[str, str] | None:
        found = real(deck_path, image, check_file, **kwargs)
        if check_file:
            for module in (decks_module, deckcache):
                monkeypatch.setattr(module, "image_problem", real)
            change()
        return found

    for module in (decks_module, deckcache):
        monkeypatch.setattr(module, "image_problem", then_changed)


def test_a_picture_put_in_place_during_the_parse_does_not_keep_the_deck_broken(tmp_path: Path, monkeypatch) -> None:
    """A picture named twice was checked at each naming: put in place between the two, the first card said it was
    missing and the entry recorded it as fine, so the broken deck was kept under the key of its pictures in place
    and read back, not loaded, at every start. Each picture is now checked once per parse."""
    decks = tmp_path / "decks"
    path = write(decks, TWICE, "d.yaml")
    _after_the_first_check(monkeypatch, lambda: (decks / "x.png").write_bytes(PNG))
    first = library(tmp_path, decks)
    assert [problem.line for problem in first.broken[0].problems] == [4, 5]  # one verdict for both cards
    again = library(tmp_path, decks)
    assert [deck.id for deck in again.decks] == ["d"] and again.broken == []
    assert library(tmp_path, decks)._cache.hits == 1 and load_deck_file(path).deck is not None


def test_a_picture_deleted_during_the_parse_shows_each_card_naming_it(tmp_path: Path, monkeypatch) -> None:
    """Deleted between the two checks, the entry kept only the second card's problem, shown at every start."""
    decks = tmp_path / "decks"
    path = write(decks, TWICE, "d.yaml")
    (decks / "x.png").write_bytes(PNG)
    _after_the_first_check(monkeypatch, (decks / "x.png").unlink)
    assert [deck.id for deck in library(tmp_path, decks).decks] == ["d"]  # both cards saw it in place
    again = library(tmp_path, decks)
    assert _shown(again.broken[0]) == _shown(load_deck_file(path)) and len(again.broken[0].problems) == 2
    assert _shown(library(tmp_path, decks).broken[0]) == _shown(again.broken[0])


def _pictures_checked_after_a_hit(tmp_path: Path, decks: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Loads `decks` twice, the second a hit that remembers the pictures' stats; then each picture whose file is
    checked, by the cache or the parse, is added to the list returned."""
    from quiz.core import decks as decks_module

    library(tmp_path, decks)
    library(tmp_path, decks)  # a hit: the pictures' stats remembered
    checked: list[str] = []
    real = decks_module.image_problem

    def counted(deck_path: str, image: str, check_file: bool = True, **kwargs: Any) -> tuple[str, str] | None:
        if check_file:
            checked.append(image)
        return real(deck_path, image, check_file, **kwargs)

    monkeypatch.setattr(decks_module, "image_problem", counted)
    monkeypatch.setattr(deckcache, "image_problem", counted)
    return checked


def test_a_miss_after_a_picture_is_put_back_checks_each_picture_once(tmp_path: Path, monkeypatch) -> None:
    """The entry of the deck with its picture missing was found by the stat index and failed, then found again by
    its bytes and failed again, each time checking every picture, then the parse checked them a third time: 3,002
    checks of 1,000 pictures. Each picture is now looked at once per load, its verdict passed along to the parse."""
    decks = tmp_path / "decks"
    pictures = 1_000
    cards = "".join(f"  - {{id: n{n}, kind: basic, front: q, back: a, image: p{n}.png}}\n" for n in range(pictures))
    write(decks, "deck: big\ntitle: Big\ncards:\n" + cards, "big.yaml")
    for n in range(1, pictures):
        (decks / f"p{n}.png").write_bytes(PNG)
    checked = _pictures_checked_after_a_hit(tmp_path, decks, monkeypatch)
    (decks / "p0.png").write_bytes(PNG)
    restored = library(tmp_path, decks)
    assert (restored._cache.misses, [deck.id for deck in restored.decks]) == (1, ["big"])
    assert checked == ["p0.png"]  # the others kept the stats they passed with: one lstat each, as at a hit


def test_a_deck_s_entries_with_picture_problems_do_not_pile_up(tmp_path: Path) -> None:
    """Each set of picture problems seen left its own entry until an app exited (20 pictures deleted one at a time,
    a command run after each: 40 entries). Writing one now removes the others of the same bytes with a problem
    (which hold no notes an app could still read); the entry with the pictures in place stays."""
    decks = _picture_deck(tmp_path)
    app = library(tmp_path, decks)
    for n in range(3):
        (decks / "pics" / f"p{n}.png").unlink()
        assert library(tmp_path, decks).decks == []
        assert len(entries(tmp_path)) == 2
    for n in range(3):
        (decks / "pics" / f"p{n}.png").write_bytes(PNG)
    assert app.decks[0].notes[0].body.front == "q0"
    assert library(tmp_path, decks)._cache.hits == 1 and len(entries(tmp_path)) == 2


def _cache_listings(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[str]:
    """Each listing of the cache folder `folder` (a glob in it lists it whole)."""
    listed: list[str] = []
    real_scandir, real_listdir = os.scandir, os.listdir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == folder:
            listed.append("scandir")
        return real_scandir(path)

    def listdir(path: Any = ".") -> list[str]:
        if Path(path) == folder:
            listed.append("listdir")
        return real_listdir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    return listed


@pytest.mark.parametrize("cached_before", [True, False], ids=["pictures-gone", "first-start"])
def test_many_decks_breaking_at_once_list_the_cache_folder_once(tmp_path: Path, monkeypatch, cached_before) -> None:
    """Each deck written with a picture's problem listed the whole cache folder to remove its other entries with
    problems, and each deck the cache did not have listed it to look for one: 1,500 decks whose shared pictures
    folder went missing spent 7.5 s of 11.7 s listing. The folder is now listed at most once per load."""
    decks = tmp_path / "decks"
    count = 20
    for n in range(count):
        write(
            decks,
            f"deck: d{n}\ntitle: T\ncards:\n  - {{id: a, kind: basic, front: q, back: a, image: pics/p{n}.png}}\n",
            f"d{n}.yaml",
        )
    if cached_before:
        (decks / "pics").mkdir()
        for n in range(count):
            (decks / "pics" / f"p{n}.png").write_bytes(PNG)
        library(tmp_path, decks)
        for n in range(count):
            (decks / "pics" / f"p{n}.png").unlink()
    listed = _cache_listings(monkeypatch, tmp_path / "cache" / "decks")
    broken = library(tmp_path, decks)
    assert (broken._cache.misses, len(broken.broken)) == (count, count)
    assert len(listed) <= 1
    assert len(entries(tmp_path)) == count * (2 if cached_before else 1)
    again = library(tmp_path, decks)
    assert again._cache.hits == count and _shown(again.broken[0]) == _shown(broken.broken[0])


def test_what_the_docs_say_of_a_deck_with_missing_pictures_read_again_is_what_happens(tmp_path: Path) -> None:
    """The data page said such a deck is read again only when a picture changes "in a way not read before": a set of
    problems read before, then replaced by another, is read again (only the last problems seen are kept)."""
    decks = tmp_path / "decks"
    write(decks, "deck: d\ntitle: T\ncards:\n  - {id: a, kind: basic, front: q, back: a, image: [p0.png, p1.png]}\n")
    for name in ("p0.png", "p1.png"):
        (decks / name).write_bytes(PNG)
    parsed = [library(tmp_path, decks)._cache.misses]
    for change in [(decks / "p0.png").unlink, (decks / "p1.png").unlink, lambda: (decks / "p1.png").write_bytes(PNG)]:
        change()  # p0 gone; both gone; p1 back: p0 gone, as read before
        parsed.append(library(tmp_path, decks)._cache.misses)
    (decks / "p0.png").write_bytes(PNG)
    parsed.append(library(tmp_path, decks)._cache.misses)  # every picture in place: kept beside
    assert parsed == [1, 1, 1, 1, 0]

    page = (Path(__file__).resolve().parents[2] / "docs" / "data-and-safety.md").read_text(encoding="utf-8")
    (row,) = [line for line in page.splitlines() if line.startswith("| `cache/` |")]
    assert "in a way not read before" not in row
    assert "even back to problems read before: only the last ones seen are kept" in row
    assert "a picture deleted and put back costs no reading" in row


def test_a_deck_edited_does_not_open_its_unchanged_pictures_again(tmp_path: Path, monkeypatch) -> None:
    """An edit, the most common miss, had the parse open and read every picture (5,000 pictures: ~650 ms), though
    each still had the stat it passed with. The parse now takes the cache's look: one lstat per unchanged picture."""
    decks = _picture_deck(tmp_path)
    opened = _pictures_checked_after_a_hit(tmp_path, decks, monkeypatch)
    write(decks, PICTURES + "  - {id: extra, kind: basic, front: q, back: a, image: pics/p1.png}\n", "pic.yaml")
    (decks / "pics" / "p2.png").write_bytes(PNG + b"changed")
    edited = library(tmp_path, decks)
    assert edited._cache.misses == 1 and len(edited.decks[0].notes) == 4
    assert opened == ["pics/p2.png"]  # only the changed one
    (decks / "pics" / "p0.png").unlink()
    assert "image 'pics/p0.png' does not exist" in _shown(library(tmp_path, decks).broken[0])[0]
