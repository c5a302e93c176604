"""Deck -> a YAML deck file, the format quiz reads, with its pictures beside it (a deck loads only with them)."""

from __future__ import annotations

import filecmp
from collections.abc import Mapping
from pathlib import Path

from quiz.core.atomicfile import atomic_write
from quiz.core.deckwriter import deck_to_text
from quiz.core.exporters.apkgmedia import check_pictures
from quiz.core.exporters.writer import ExportError, text_file
from quiz.core.images import image_path, image_problem
from quiz.core.model import Deck


class YamlWriter:
    name = "YAML deck"
    suffixes = (".yaml", ".yml")

    def write(self, deck: Deck, path: Path, timestamp: float, flags: Mapping[str, int]) -> int:
        copied = copy_pictures(deck, path)
        header = f"Exported from quiz: deck {deck.id}. Card ids keep study history: keep them when editing."
        with text_file(path) as out:
            out.write(deck_to_text(deck, header))
        return copied


def copy_pictures(deck: Deck, path: Path) -> int:
    """Copy the deck's pictures beside `path` at the paths its `image:` gives (relative to the deck file), before
    the file: how many were written. One already there with the same bytes stays; another file there is never
    replaced (it may be another deck's picture): the export stops, naming it."""
    folder = path.parent
    copies: list[tuple[Path, Path]] = []
    check_pictures(deck)
    for image in sorted({image for note in deck.notes for image in note.images}):
        source, target = image_path(deck.path, image), image_path(path, image)
        # the path is untrusted: none leads outside the folder written to, by `..` or a folder there that is a link
        if (problem := image_problem(path, image, check_file=False)) is not None:
            raise ExportError(f"{deck.path}: {problem[0]}; {problem[1]}")
        if not target.parent.resolve().is_relative_to(folder.resolve()):
            raise ExportError(f"{target.parent} leads outside {folder} (a link); export to another folder")
        if target.exists() or target.is_symlink():
            if not (target.is_file() and filecmp.cmp(source, target, shallow=False)):
                raise ExportError(
                    f"{target} already exists and is another file; move it away, or export to another folder"
                )
            continue  # the same picture, or the deck's own (exported beside itself)
        copies.append((source, target))
    for source, target in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(target, overwrite=False) as out:  # never replaces a file made meanwhile
            out.write(source.read_bytes())
    return len(copies)
