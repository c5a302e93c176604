"""`quiz add FILE`: validate a deck and copy it into the user's deck folder."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from quiz.context import Context, PathArgument
from quiz.core.anki import PACKAGE_SUFFIXES
from quiz.core.atomicfile import atomic_write
from quiz.core.deckfile import DECK_SUFFIXES, DeckFileError, read_deck_bytes
from quiz.core.decks import parse_deck
from quiz.core.filenames import new_name, why_named
from quiz.core.images import image_path, picture_file
from quiz.core.importers.update import within
from quiz.core.problems import errors
from quiz.core.text import counted, shell_word
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("add", help="check a deck file and copy it into your deck folder")
    parser.add_argument("file", metavar="FILE", type=PathArgument, help="a deck file (*.yaml or *.yml)")
    parser.set_defaults(run=run, writes=True)


def same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def run(args: argparse.Namespace, context: Context) -> int:
    source = Path(args.file)
    if source.is_dir():
        return fail(
            f"{source} is a folder; add the deck files in it one by one, or load it with --deck {shell_word(source)}"
        )
    if source.suffix.lower() in PACKAGE_SUFFIXES:
        return fail(
            f"{source.name} is an Anki package, not a deck file: run `quiz import {shell_word(source)}` to make a deck"
        )
    if source.suffix.lower() not in DECK_SUFFIXES:
        return fail(f"{source.name}: a deck file's name must end in .yaml or .yml")
    try:  # read once: the bytes checked are the bytes copied, whatever happens to the file meanwhile
        data = read_deck_bytes(source).data
    except DeckFileError as exc:
        return fail(f"{exc}; nothing was added")
    result = parse_deck(data, str(source))
    for problem in sorted(result.problems, key=lambda p: (p.line, p.column)):
        echo(problem, error=True)
    if result.deck is None or errors(result.problems):
        count = len(errors(result.problems))
        return fail(f"{source} is not a valid deck ({counted(count, 'problem')} above); nothing was added")
    deck = result.deck
    if unreachable := context.deck_folder_problem():
        return fail(unreachable.message)
    target = context.user_deck_dir / new_name(context.user_deck_dir, source.stem, source.suffix)
    if same_file(source, target):
        return fail(f"{source} is already in your deck folder")
    owner = next((d.path for d in context.library.decks if d.id == deck.id), None)
    if owner is not None and same_file(owner, source):
        return fail(f"{source} is already loaded (deck id '{deck.id}'); there is no need to add it")
    if owner is not None and _in_deck_folder(owner, context.user_deck_dir) and _holds(owner, data):
        return fail(f"{source} is already in your deck folder, as {owner}, unchanged; there is nothing to add")
    if owner is not None and _in_deck_folder(owner, context.user_deck_dir):
        # a new version of a deck added before (a teacher's update): another deck id would cut it from its history
        return fail(
            f"deck '{deck.id}' is already in your deck folder, in {owner}, so {source.name} is another version of it;"
            f" to take it, run `quiz import {shell_word(source)}` (your progress stays with each card id)"
        )
    if target.exists():
        return fail(f"{target} already exists; remove it first, or rename {source.name}")
    if owner is not None:
        return fail(f"deck id '{deck.id}' is already used by {owner}; change `deck:` in {source}")
    # they go along, at the same places; each file once, however its paths spell it
    pictures = sorted({picture_file(image) for note in deck.notes for image in note.images})
    try:
        clash = next((p for p in pictures if _differs(image_path(source, p), image_path(target, p))), None)
        if clash is not None:
            return fail(f"{image_path(target, clash)} already exists and is another picture; rename one of them")
        target.parent.mkdir(parents=True, exist_ok=True)
        for picture in pictures:
            image_path(target, picture).parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(image_path(target, picture)) as out:
                out.write(image_path(source, picture).read_bytes())
        with atomic_write(target, overwrite=False) as out:  # never overwrites, even a file made meanwhile
            out.write(data)
    except OSError as exc:
        return fail(f"cannot copy {exc.filename or source} to {target.parent}: {exc.strerror or exc}")
    echo(target)
    if (why := why_named(source.name, target.name)) is not None:
        echo(why)
    echo(
        f"added deck '{deck.id}' ({deck.title}): {counted(len(deck.notes), 'note')}, {counted(len(deck.cards), 'card')}"
    )
    if pictures:
        echo(f"with {counted(len(pictures), 'picture')} beside it")
    return 0


def _in_deck_folder(path: str, folder: Path) -> bool:
    """Whether deck file `path` is in the deck folder: by the path it was loaded by (a deck file there may be a
    link to a clone of the teacher's repository), or by where it leads."""
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder)) or within(path, folder)


def _holds(path: str | Path, data: bytes) -> bool:
    try:
        return Path(path).read_bytes() == data
    except OSError:
        return False


def _differs(picture: Path, there: Path) -> bool:
    """Whether `there` holds a file other than `picture` (then copying would replace another deck's)."""
    return there.exists() and there.read_bytes() != picture.read_bytes()
