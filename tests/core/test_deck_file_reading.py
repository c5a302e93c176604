"""Deck paths that name something other than a readable deck file: each is refused at once, with one clear line.

Every case goes through each way quiz reads a deck file: the library with a cache folder (the app and
`quiz list`), load_decks without one (`quiz validate`), and real `quiz ... list` / `quiz validate` processes.
The timeouts only catch a hang (before these fixes a FIFO blocked for ever and /dev/zero filled memory).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from PIL import Image

from quiz.core.deckcache import DeckCacheLost
from quiz.core.deckfile import DeckFileError, open_regular, read_deck_bytes
from quiz.core.library import Library, load_decks
from tests.conftest import basic_deck_yaml

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "docs" / "example-deck.yaml"
HANG = 60  # seconds: only to fail a hang, never a measure


class Hung(Exception):
    """Not an OSError (as TimeoutError is): code that handles read errors must not take it for one."""


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Fail a read that blocks (a FIFO opened without O_NONBLOCK waits for a writer for ever)."""

    def hung(*_: object) -> None:
        signal.alarm(HANG)  # again: reporting the failure may read the same file (repr of a lazy note)
        raise Hung(f"still reading after {HANG} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def fifo(path: Path) -> str:
    os.mkfifo(path)
    return "not a regular file but a named pipe (FIFO)"


def link_to(target: str, message: str) -> Callable[[Path], str]:
    def make(path: Path) -> str:
        if not os.path.exists(target):
            pytest.skip(f"no {target} here")
        path.symlink_to(target)
        return message

    return make


def sparse(path: Path) -> str:
    with open(path, "wb") as out:
        out.truncate(4 * 1024**3)  # sparse: 4 GiB that take no disk
    return "the file is 4,096 MiB (4,294,967,296 bytes); decks are limited to 32 MiB (33,554,432 bytes)"


def loop(path: Path) -> str:
    path.symlink_to(path.name)  # a link to itself
    return "cannot read the file: its symbolic links loop (or nest too deeply)"


def missing(path: Path) -> str:
    return "cannot read the file: no such file"


CASES = {
    "fifo": fifo,
    "dev-zero": link_to("/dev/zero", "not a regular file but a character device"),
    "dev-urandom": link_to("/dev/urandom", "not a regular file but a character device"),
    "sparse": sparse,
    "loop": loop,
    "missing": missing,
    # A regular file that cannot be read, even by root: reading a process's memory at address 0 fails.
    "unreadable": link_to("/proc/self/mem", "cannot read the file: Input/output error"),
}


class BadDeck(NamedTuple):
    case: str
    path: Path
    message: str


@pytest.fixture(params=list(CASES))
def bad_deck(request: pytest.FixtureRequest, tmp_path: Path) -> BadDeck:
    path = tmp_path / "x.yaml"
    return BadDeck(request.param, path, CASES[request.param](path))


def test_reading_refuses_with_a_message_naming_the_file(bad_deck: BadDeck) -> None:
    with pytest.raises(DeckFileError) as caught:
        read_deck_bytes(bad_deck.path)
    assert caught.value.message == bad_deck.message and caught.value.hint
    assert str(caught.value).startswith(f"{bad_deck.path}: {bad_deck.message} — ")


@pytest.mark.parametrize("cached", [True, False])
def test_the_library_reports_it_as_a_broken_deck(bad_deck: BadDeck, tmp_path: Path, cached: bool) -> None:
    library = Library.load([EXAMPLE, bad_deck.path], cache_dir=tmp_path / "cache" if cached else None)
    assert [d.id for d in library.decks] == ["example"]
    [broken] = library.broken
    [problem] = broken.problems
    assert (broken.path, problem.message, problem.line) == (str(bad_deck.path), bad_deck.message, 0)


def test_validating_reports_it(bad_deck: BadDeck) -> None:
    [result] = load_decks([bad_deck.path])
    [problem] = result.problems
    assert result.deck is None and problem.message == bad_deck.message


def quiz(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=HANG,
        env={**os.environ, "TZ": "UTC"},
    )


def test_quiz_validate_says_what_is_wrong_in_one_line(bad_deck: BadDeck, tmp_path: Path) -> None:
    done = quiz("--data-dir", str(tmp_path / "data"), "validate", str(bad_deck.path))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    [line] = done.stdout.splitlines()
    assert line.startswith(f"{bad_deck.path}: {bad_deck.message} — ")  # the whole file: no line 0, column 0


def test_quiz_list_names_the_file_and_lists_the_rest(bad_deck: BadDeck, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()  # `list` reads a data folder; it makes none
    done = quiz("--data-dir", str(tmp_path / "data"), "--deck", str(bad_deck.path), "list")
    assert done.returncode == 0
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("ketamine ")  # the shipped deck is still listed
    validate = f"quiz --data-dir {tmp_path / 'data'} --deck {bad_deck.path} validate {bad_deck.path}"
    assert lines[2:] == [f"{bad_deck.path}: not loaded: {bad_deck.message}; `{validate}` says more"]


def test_a_folder_named_as_a_deck_is_searched_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(DeckFileError, match="not a regular file but a folder"):
        read_deck_bytes(folder)
    assert load_decks([folder]) == []
    assert Library.load([folder], cache_dir=tmp_path / "cache").results == []
    done = quiz("--data-dir", str(tmp_path / "data"), "validate", str(folder))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == f"quiz: no deck files (*.yaml, *.yml) in {folder}\n"
    (tmp_path / "data").mkdir()  # `list` reads a data folder; it makes none
    done = quiz("--data-dir", str(tmp_path / "data"), "--deck", str(folder), "list")
    assert done.returncode == 0 and "Traceback" not in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_a_file_without_read_permission(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    path.chmod(0)
    with pytest.raises(DeckFileError, match="cannot read the file: permission denied"):
        read_deck_bytes(path)


def test_the_limit_and_the_name_are_the_callers(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"a,b\n" * 300)
    assert read_deck_bytes(path, limit=1200).data == b"a,b\n" * 300
    with pytest.raises(DeckFileError) as caught:
        read_deck_bytes(path, limit=1000, what="files to import")
    assert caught.value.message == "the file is 1,200 bytes; files to import are limited to 1,000 bytes"
    assert caught.value.hint == "split it into several smaller files to import"


def test_notes_read_again_from_a_deck_file_become_a_fifo(tmp_path: Path) -> None:
    """The cache's notes part is lost and the deck file has been replaced by a FIFO: a clear error, no hang."""
    deck = tmp_path / "deck.yaml"
    deck.write_bytes(EXAMPLE.read_bytes())
    shutil.copytree(EXAMPLE.parent / "pictures", tmp_path / "pictures")  # its occlusion card's picture
    Library.load([deck], cache_dir=tmp_path / "cache")  # parses and writes the cache entry
    library = Library.load([deck], cache_dir=tmp_path / "cache")  # reads it: note text only on first use
    for entry in (tmp_path / "cache" / "decks").glob("*.qdc"):
        entry.unlink()
    deck.unlink()
    os.mkfifo(deck)
    with pytest.raises(DeckCacheLost, match=f"^{deck}: .* \\(not a regular file but a named pipe \\(FIFO\\)\\)$"):
        library.decks[0].notes[0].body.front  # noqa: B018 - reading it is the test


def _picture(path: Path) -> None:
    Image.new("RGB", (4, 4)).save(path)


def _package(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("collection.anki21b", b"")


@pytest.mark.parametrize(
    ("name", "make", "what"), [("heart.png", _picture, "a PNG picture"), ("deck.apkg", _package, "a zip archive")]
)
def test_a_file_that_is_not_text_is_named_for_what_it_is(
    tmp_path: Path, name: str, make: Callable[[Path], None], what: str
) -> None:
    """`quiz validate heart.png` said 'save it as UTF-8': it says what the file is, and what to do with it."""
    path = tmp_path / name
    make(path)
    done = quiz("--data-dir", str(tmp_path / "data"), "validate", str(path))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    [line] = done.stdout.splitlines()
    assert line.startswith(f"{path}:1:1: the file is {what}")
    assert "not a deck (YAML text)" in line and " import FILE`" in line and "UTF-8" not in line


@pytest.mark.parametrize("cached", [True, False])
def test_in_a_deck_folder_it_is_reported_too_not_passed_over(bad_deck: BadDeck, tmp_path: Path, cached: bool) -> None:
    if bad_deck.case == "missing":
        pytest.skip("nothing there for a folder's listing to find")
    folder = bad_deck.path.parent
    (folder / "good.yaml").write_text(basic_deck_yaml(2), encoding="utf-8")
    library = Library.load([folder], cache_dir=tmp_path / "cache" if cached else None)
    assert [d.id for d in library.decks] == ["d"]
    [broken] = library.broken
    assert (broken.path, [p.message for p in broken.problems]) == (str(bad_deck.path), [bad_deck.message])


@pytest.mark.skipif(not hasattr(os, "O_NONBLOCK"), reason="no non-blocking open on this system")
def test_a_regular_file_is_read_blocking_once_checked(tmp_path: Path) -> None:
    """The open is non-blocking (a FIFO would wait there); the regular file it checked is read as any file is,
    sync's parts and a deck's pictures too."""
    path = tmp_path / "deck.yaml"
    path.write_text(basic_deck_yaml(1), encoding="utf-8")
    with open_regular(path) as (stream, _):
        assert os.get_blocking(stream.fileno())
