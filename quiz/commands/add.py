"""`quiz add FILE`: validate a deck and copy it into the user's deck folder, with an import record of it."""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath

from quiz.context import Context, PathArgument
from quiz.core.anki import PACKAGE_SUFFIXES
from quiz.core.atomicfile import StagedFiles, as_private_as, atomic_write, staged_files
from quiz.core.deckfile import DECK_SUFFIXES, DeckFileError, copy_limited, open_regular, read_deck_bytes
from quiz.core.decks import parse_deck
from quiz.core.filenames import (
    entries,
    new_name,
    unique_name,
    unportable,
    unreserved,
    why_named,
    without_dropped_end,
    without_refused,
)
from quiz.core.images import MAKE_SMALLER, MAX_IMAGE_BYTES, image_path, picture_file
from quiz.core.importers.update import base_text, record_path, record_text, record_writer, recorded_deck, within
from quiz.core.model import Deck
from quiz.core.problems import errors
from quiz.core.syncgit import is_clone
from quiz.core.text import as_written, counted, printable, shell_word
from quiz.core.yamlsafe import comments, images_replaced
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
            f"{as_written(source.name)} is an Anki package, not a deck file: run `quiz import {shell_word(source)}`"
            " to make a deck"
        )
    if source.suffix.lower() not in DECK_SUFFIXES:
        return fail(f"{as_written(source.name)}: a deck file's name must end in .yaml or .yml")
    try:  # read once: the bytes checked are the bytes copied, whatever happens to the file meanwhile
        data, read = read_deck_bytes(source)
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
    added = context.library.deck(deck.id)
    owner = None if added is None else added.path
    if owner is not None and same_file(owner, source):
        return fail(f"{source} is already loaded (deck id '{deck.id}'); there is no need to add it")
    hers = owner is not None and in_deck_folder(owner, context.user_deck_dir)
    if owner is not None and hers and _holds(owner, _as_added(data, deck, added)):
        echo(f"{source} is already in your deck folder, as {owner}, unchanged: nothing to add")  # nothing wrong
        return 0
    if owner is not None and hers:
        # a new version of a deck added before (a teacher's update): another deck id would cut it from its history
        another = (
            f"deck '{deck.id}' is already in your deck folder, in {owner}, so {as_written(source.name)} is another"
            " version of it"
        )
        leads = os.path.realpath(owner)
        if (clone := _clone_holding(leads, context.user_deck_dir)) is not None:
            return fail(
                f"{another}; {owner} is in the git clone {clone}: take new versions there with `git pull` (`quiz"
                f" import {shell_word(source)}` would rewrite {leads}, and git would then refuse to pull over it)"
            )
        if not within(owner, context.user_deck_dir):  # a link out of the folder
            return fail(
                f"{another}; {owner} is a link to {leads}: take new versions there, as you did, or run"
                f" `quiz import {shell_word(source)}`, which rewrites {leads}"
            )
        return fail(
            f"{another}; to take it, run `quiz import {shell_word(source)}` (your progress stays with each card id)"
        )
    if target.exists():
        return fail(f"{as_written(target)} already exists; remove it first, or rename {as_written(source.name)}")
    # a deck imported or added there once, its file deleted since: this deck's is replaced (added again), another's
    # never is
    record = record_path(target)
    own_record = os.path.lexists(record) and recorded_deck(record) == deck.id
    if os.path.lexists(record) and not own_record:
        return fail(
            f"{as_written(record)} is the import record of another deck; remove it first, or rename"
            f" {as_written(source.name)}"
        )
    if owner is not None:
        return fail(f"deck id '{deck.id}' is already used by {owner}; change `deck:` in {source}")
    # they go along, at the same places; each file once, however its paths spell it
    pictures = sorted({picture_file(image) for note in deck.notes for image in note.all_images})
    # a name Windows cannot keep is copied under one it can, the copy's `image:` lines naming it; the original
    # deck and its pictures are never touched
    renamed = _portable_pictures(pictures, target)
    copied = _images_renamed(data, target, renamed) if renamed else data
    unrenamed = renamed if copied is None else {}
    renamed = {} if copied is None else renamed
    try:
        with staged_files() as staged:
            # each read once, into a temporary file beside its copy, every one before any is placed: the bytes
            # compared with the deck folder's are the bytes copied, a picture refused leaves nothing behind, and
            # no more than a piece of one is in memory
            for picture in pictures:
                copy = image_path(target, renamed.get(picture, picture))
                _stage_picture(staged, source, picture, copy)
                if _differs(staged.temporary(copy), copy):
                    return fail(f"{as_written(copy)} already exists and is another picture; rename one of them")
                if copy.exists():  # kept as it is: her link to the picture there, or its permissions
                    staged.drop(copy)
            staged.place()
        target.parent.mkdir(parents=True, exist_ok=True)
        written = data if copied is None else copied
        # never overwrites, even a file made meanwhile
        with atomic_write(target, overwrite=False, at_most=as_private_as(read)) as out:
            out.write(written)
    except DeckFileError as exc:
        return fail(f"{exc}; the deck was not added")
    except OSError as exc:
        return fail(f"cannot copy {exc.filename or source} to {as_written(target.parent)}: {exc.strerror or exc}")
    echo(as_written(target))
    # the deck as copied: the one read above, unless its pictures were renamed
    copied_deck = deck if written is data else parse_deck(written, str(target), check_files=False).deck
    assert copied_deck is not None  # the bytes just checked with pictures renamed (read back by `_images_renamed`)
    unrecorded = _write_record(record, target, printable(source.name), written, copied_deck, own_record)
    if unrecorded is not None:
        echo(f"warning: cannot write {as_written(record)}: {unrecorded}; {_WITHOUT_RECORD}", error=True)
    if (why := why_named(source.name, target.name)) is not None:
        echo(why)
    for picture, made in renamed.items():
        echo(
            f"picture {as_written(picture)} copied as {as_written(made)}, which the copy of the deck names:"
            f" {_why_unportable(picture)}"
        )
    for picture in unrenamed:  # its `image:` line could not be rewritten: copied as named, and said so
        echo(
            f"warning: picture {as_written(picture)}: {_why_unportable(picture)}; rename it and its `image:` line",
            error=True,
        )
    echo(
        f"added deck '{deck.id}' ({deck.title}): {counted(len(deck.notes), 'note')}, {counted(len(deck.cards), 'card')}"
    )
    if pictures:
        echo(f"with {counted(len(pictures), 'picture')} beside it")
    if note := context.decks_not_committed(target.parent):
        echo(note)
    return 0


_WITHOUT_RECORD = (
    "a new version taken with `quiz import` will not tell your edits from its author's, and will list each change"
    " of both as a conflict"
)


def _stage_picture(staged: StagedFiles, source: Path, picture: str, copy: Path) -> None:
    """Write the bytes of the picture of deck file `source` into `copy`'s temporary file, as read from the
    descriptor checked, or DeckFileError. Checked with the deck, a picture may have been swapped since (by whoever
    writes the folder the deck is added from): a pipe is refused, never waited on, and a link out never followed
    into her deck folder. So the file is found as its real path, inside the deck's real folder, then reached from
    there by descriptors, none through a link (one put on the way meanwhile fails to open), and must be the file
    found (a regular file, the same inode): nothing is checked by looking its name up again."""
    path = image_path(source, picture)
    top = Path(os.path.realpath(source.parent))
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(top):
        raise _replaced(path)
    with ExitStack() as opened:
        try:
            folder = opened.enter_context(_folder_reached(top, real.parent))
            found = os.stat(real if folder is None else real.name, dir_fd=folder, follow_symlinks=False)
            if not stat.S_ISREG(found.st_mode):
                raise _replaced(path)
            stream, read = opened.enter_context(open_regular(real, folder))
        except OSError:  # only the opening: an error writing the copy is said as one
            raise _replaced(path) from None
        if not os.path.samestat(read, found):
            raise _replaced(path)
        with staged.write(copy, at_most=as_private_as(read)) as out:
            copy_limited(stream, read, real, out.write, MAX_IMAGE_BYTES, "pictures", MAKE_SMALLER)


@contextmanager
def _folder_reached(top: Path, folder: Path) -> Iterator[int | None]:
    """A descriptor of `folder` (a real path inside real path `top`), opened from `top` one step at a time, never
    through a link; None where files cannot be opened relative to a folder (Windows): `folder` is then opened by
    its path."""
    if os.open not in os.supports_dir_fd:
        yield None
        return
    as_folder = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(top, as_folder)
    try:
        for part in folder.relative_to(top).parts:
            step = os.open(part, as_folder | getattr(os, "O_NOFOLLOW", 0), dir_fd=descriptor)
            os.close(descriptor)
            descriptor = step
        yield descriptor
    finally:
        os.close(descriptor)


def _replaced(path: Path) -> DeckFileError:
    return DeckFileError(
        path,
        "it was replaced while it was being copied (now a link out of the deck's folder, or another file)",
        "check the picture, then add the deck again",
        refused=True,
    )


def _write_record(record: Path, target: Path, source: str, written: bytes, deck: Deck, replacing: bool) -> str | None:
    """Write the import record of the deck as added to `target` (`written`, read as `deck`): its notes as the copy
    has them, and its comments (the author's), so that its next version, taken with `quiz import`, tells her
    edits, her deleted notes and her comments from its author's, as for a deck imported the first time. Why not,
    when it cannot be written."""
    authors = [c[2] for c in comments(written)]
    text = record_text(source, base_text(deck.id, deck.notes), {}, {}, {}, {}, {}, {}, authors)
    try:
        with record_writer(record, target, overwrite=replacing) as out:
            for piece in text.pieces():
                out.write(piece)
    except OSError as exc:
        return str(exc.strerror or exc)
    return None


def _why_unportable(picture: str) -> str:
    """Why Windows (and a folder synced with it) cannot keep the picture: its name's, or a folder's on its way."""
    return next(reason for part in PurePosixPath(picture).parts if (reason := unportable(part)) is not None)


def _portable_pictures(pictures: list[str], target: Path) -> dict[str, str]:
    """picture -> the path it is copied under, for each whose name (or a folder's on its way) Windows cannot keep
    (`unportable`): named as quiz names its own files, no other picture's there, nor a file's, but for case."""
    taken: dict[PurePosixPath, set[str]] = {}  # a folder of the copy -> the names in it, casefolded

    def taken_in(folder: PurePosixPath) -> set[str]:
        if folder not in taken:
            taken[folder] = {name.casefold() for name in entries(target.parent / folder)}
        return taken[folder]

    paths = [PurePosixPath(picture) for picture in pictures]
    moved = {path for path in paths if any(unportable(part) is not None for part in path.parts)}
    for path in paths:  # those that keep their names keep them: a renamed one takes none of them
        if path not in moved:
            taken_in(path.parent).add(path.name.casefold())
    renamed = {}
    for path in sorted(moved, key=lambda path: (unportable(path.name) is not None, path)):  # a name kept first
        folder = PurePosixPath(*(unreserved(without_dropped_end(without_refused(part))) for part in path.parent.parts))
        name = PurePosixPath(without_dropped_end(path.name))
        renamed[path.as_posix()] = (folder / unique_name(name.stem, name.suffix, taken_in(folder))).as_posix()
    return renamed


def _images_renamed(data: bytes, target: Path, renamed: dict[str, str]) -> bytes | None:
    """The deck's text with its `image:` lines naming the pictures as `renamed`; None when the text read back
    does not name exactly those (a path written as a block scalar). Both are read by their paths alone: the
    copies are not written yet."""
    copied = images_replaced(data, lambda image: renamed.get(picture_file(image)))
    before = parse_deck(data, str(target), check_files=False).deck
    again = parse_deck(copied, str(target), check_files=False).deck
    if before is None or again is None:
        return None
    wanted = [tuple(renamed.get(picture_file(image), image) for image in note.all_images) for note in before.notes]
    return copied if [note.all_images for note in again.notes] == wanted else None


def in_deck_folder(path: str, folder: Path, linked: Sequence[Path] = ()) -> bool:
    """Whether deck file `path` is in the deck folder: by the path it was loaded by (a deck file there may be a
    link to a clone of the teacher's repository), or by where it leads. `linked`: the real paths of the folders
    linked into it (`trees_read`), when known: a file given by its path in one of them is there too."""
    if Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder)) or within(path, folder):
        return True
    return bool(linked) and any(Path(os.path.realpath(path)).is_relative_to(tree) for tree in linked)


def _clone_holding(path: str, folder: Path) -> Path | None:
    """The top of the git clone deck file `path` is in (a clone of the teacher's repository, in the deck folder
    or linked into it), unless that clone holds the whole deck folder (her own, which she commits herself)."""
    clone = next((parent for parent in Path(path).parents if is_clone(parent)), None)
    return None if clone is None or Path(os.path.realpath(folder)).is_relative_to(clone) else clone


def _as_added(data: bytes, deck: Deck, added: Deck | None) -> bytes:
    """The deck's text as `quiz add` wrote it when it made `added`, if the deck is unchanged since: its pictures
    named as `added` names them (a name Windows cannot keep was renamed, `_portable_pictures`)."""
    names = {note.id: note.all_images for note in added.notes} if added is not None else {}
    renamed = {
        picture_file(image): there
        for note in deck.notes
        for image, there in zip(note.all_images, names.get(note.id, ()), strict=False)
        if picture_file(there) != picture_file(image)
    }
    return images_replaced(data, lambda image: renamed.get(picture_file(image))) if renamed else data


def _holds(path: str | Path, data: bytes) -> bool:
    try:
        return Path(path).read_bytes() == data
    except OSError:
        return False


def _differs(staged: Path, there: Path) -> bool:
    """Whether `there` holds a file other than the picture read into `staged` (then copying it would replace another
    deck's): compared a piece at a time, as no more of a picture is held."""
    if not there.exists():
        return False
    with open(staged, "rb") as ours, open(there, "rb") as theirs:
        while (piece := ours.read(_PIECE)) == theirs.read(_PIECE):
            if not piece:
                return False
    return True


_PIECE = 1024 * 1024  # compared at a time
