"""A quiz deck file (what `quiz export FILE.yaml` writes): every card comes in as it is, checked by the loader,
with its pictures (read beside the file, handed over as a package's are: quiz.core.importers.pictures)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from quiz.core.anki.media import MAX_SOUND_BYTES, too_big
from quiz.core.deckfile import DECK_SUFFIXES, MAX_BYTES, DeckFileError, open_regular
from quiz.core.decks import parse_deck
from quiz.core.exporters.apkgmedia import names_in_package
from quiz.core.images import image_path, image_problem, leads_outside, picture_file
from quiz.core.importers.model import ImportedDeck, ImportedNote, ImportFailure, ImportOptions, ImportSource, Report
from quiz.core.importers.pictures import with_pictures
from quiz.core.kinds import KINDS
from quiz.core.problems import Problem, errors
from quiz.core.sounds import names_sounds, sound_paths


class YamlDeckReader:
    name = "yaml"
    suffixes = DECK_SUFFIXES
    max_bytes = MAX_BYTES  # what the deck loader reads

    def sniff(self, source: ImportSource, options: ImportOptions) -> bool:
        return False  # chosen by its suffix: YAML has no signature

    def read(self, source: ImportSource, options: ImportOptions, report: Report) -> ImportedDeck:
        # A picture's path is checked here (none may lead outside the folder), its file below: one missing is a
        # warning, as a package's missing picture is, and its card comes without it
        loaded = parse_deck(source.data, source.name, check_files=False)
        report.problems.extend(p for p in loaded.problems if p.severity != "error")
        found = errors(loaded.problems)
        if loaded.deck is None or found:
            report.problems.extend(found)
            count = len(found)
            raise ImportFailure(
                f"{source.name} is not a valid deck ({count} problem{'s' * (count != 1)} above); fix it"
            )
        # each picture known by its path in the deck's folder, as `image:` gives it (one spelling a file): the
        # record keeps the file the import gave it under that path, whatever cards are added or moved (a name given
        # in card order would move); a new one's file is named as quiz's .apkg export names it (its file name, `-2`
        # for a second one)
        missing = {
            i for note in loaded.deck.notes for i in note.all_images if image_problem(source.name, i, any_name=True)
        }
        # a card of a kind that needs its picture (occlusion) is skipped without it, the others come without it
        skipped = {n.id for n in loaded.deck.notes if KINDS[n.kind].needs_picture and missing.intersection(n.images)}
        if missing:
            renamed = {i for note in loaded.deck.notes for i in note.all_images} - missing  # a misnamed one: renamed
            report.problems.extend(_picture_problems(source, loaded.problems, skipped, renamed))
        any_sound = names_sounds(loaded.deck)  # most decks name none: no note is read for one
        notes = [
            ImportedNote(
                note.line,
                note.kind,
                "",
                "",
                note.explain,
                note.tags,
                note.topic,
                (),
                note.id,
                "column",
                body=note.body,
                sources=note.sources,
                images=_files(note.images, missing),
                outside=note.outside,
                answer_images=_files(note.answer_images, missing),
                siblings=note.siblings,
                sounds=tuple((PurePosixPath(path).name, path) for path in sound_paths(loaded.deck.id, note))
                if any_sound
                else (),
            )
            for note in loaded.deck.notes
            if note.id not in skipped
        ]
        exported = {picture_file(image): name for image, name in names_in_package(loaded.deck).items()}
        # a sound file, in the deck's media folder, keeps its name (the one its reference gives)
        sounds = {path: PurePosixPath(path).name for note in notes for _, path in note.sounds}
        read = partial(_read, source.path, frozenset(sounds))
        why = partial(_why_sound_lacks, source.path)
        imported = with_pictures(notes, read, report, "cannot be read", exported | sounds, why_sound_lacks=why)
        imported.deck = loaded.deck
        imported.sources = loaded.deck.sources  # a new version's new ones are added to the deck's, as a package's
        return imported


def _files(images: tuple[str, ...], missing: set[str]) -> tuple[str, ...]:
    """The files `images` name (one spelling each), those `missing` left out."""
    return tuple(dict.fromkeys(picture_file(image) for image in images if image not in missing))


def _picture_problems(
    source: ImportSource, without_files: list[Problem], skipped: set[str], come_in: set[str]
) -> list[Problem]:
    """What the loader says of the pictures' files, where each `image:` names one, as warnings: the problems a
    check of the files adds (rarely asked: only when a picture is missing): a card `skipped` is said so here. The
    pictures that `come_in` (a misnamed one, renamed by the import) are not said to be left out."""
    seen = set(without_files)
    about = tuple(f"image {image!r} " for image in come_in)  # as quiz.core.images.image_problem's message starts
    checked = [p for p in parse_deck(source.data, source.name).problems if not p.message.startswith(about)]
    return [
        replace(p, severity="warning", message=f"row skipped: {p.message}", hint=f"{p.hint}, then import again")
        if p.card_id in skipped
        else replace(p, severity="warning", hint=f"{p.hint}, then import again; the card comes without it")
        for p in checked
        if p not in seen and p.severity == "error"
    ]


def _read(deck_path: Path, sounds: frozenset[str], image: str) -> bytes | None:
    """A picture's bytes, checked again as it is read (now and when it is written): a file inside the deck's
    folder, of 20 MB at most; None when it is not so any more. A sound file's (one of `sounds`): a regular file
    inside the deck's folder, whatever its bytes, of 20 MB at most (MAX_SOUND_BYTES)."""
    if image in sounds:
        return _sound_bytes(deck_path, image)
    if image_problem(deck_path, image, any_name=True) is not None:  # a misnamed picture: renamed, as a package's
        return None
    try:
        return image_path(deck_path, image).read_bytes()
    except OSError:
        return None


@contextmanager
def _opened_sound(deck_path: Path, sound: str) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """A sound file (`sound`: its path in the deck's media folder) open for reading, with its stat; DeckFileError
    or OSError when it is not a regular file inside the deck's folder (gone, a link leading out, a pipe)."""
    folder = Path(deck_path).parent
    if leads_outside(folder, sound):
        raise OSError(f"{sound} leads outside the deck's folder")
    with open_regular(folder / sound) as opened:
        yield opened


def _sound_bytes(deck_path: Path, sound: str) -> bytes | None:
    """A sound file's bytes; None when it cannot be read (`_opened_sound`) or is too big."""
    try:
        with _opened_sound(deck_path, sound) as (file, _):
            data = file.read(MAX_SOUND_BYTES + 1)  # never more than a sound kept may be
    except (DeckFileError, OSError):
        return None
    return data if len(data) <= MAX_SOUND_BYTES else None


def _why_sound_lacks(deck_path: Path, sound: str) -> str:
    """Why `_sound_bytes` gave none: too big (its size as the disk tells it), or it cannot be read."""
    try:
        with _opened_sound(deck_path, sound) as (_, status):
            if status.st_size > MAX_SOUND_BYTES:
                return too_big(status.st_size)
    except (DeckFileError, OSError):
        pass
    return "cannot be read"
