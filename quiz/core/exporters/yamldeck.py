"""Deck -> a YAML deck file, the format quiz reads, with its pictures beside it (a deck loads only with them), and
the sound files its `[sound:name]` references name, in the media folder beside it (quiz.core.sounds)."""

from __future__ import annotations

import filecmp
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from quiz.core.atomicfile import atomic_write, remove_leftovers
from quiz.core.deckwriter import deck_to_text
from quiz.core.exporters.apkgmedia import check_pictures, sound_files, where_shown
from quiz.core.exporters.writer import ExportError, text_file
from quiz.core.images import image_path, picture_file
from quiz.core.model import Deck
from quiz.core.sounds import sound_paths


class YamlWriter:
    name = "YAML deck"
    suffixes = (".yaml", ".yml")

    def write(self, deck: Deck, path: Path, timestamp: float, flags: Mapping[str, int], force: bool = False) -> int:
        """Write the file and its pictures (with `force`, replacing pictures there that differ: an earlier
        export's, refreshed); stopped partway, it removes the files and folders it made."""
        copies = pictures_to_copy(deck, path, force)
        made = _Made()
        written: list[Path] = []
        try:
            for copy in copies:
                made.folders_to(copy.target.parent, path.parent)
                new = not copy.target.exists()
                remove_leftovers(copy.target)  # as the file's (registry)
                data = copy.read()
                if not new and _written_already(copy, data, written):
                    continue
                with atomic_write(copy.target, overwrite=force) as out:  # without force, never a file made meanwhile
                    out.write(data)
                written.append(copy.target)
                if new:
                    made.files.append(copy.target)
            header = f"Exported from quiz: deck {deck.id}. Card ids keep study history: keep them when editing."
            with text_file(path) as out:
                out.write(deck_to_text(deck, header))
        except BaseException:
            made.undo()
            raise
        return len(written)


def _written_already(copy: PictureCopy, data: bytes, written: list[Path]) -> bool:
    """Whether this export already wrote `copy`'s picture at its target under another path: two spellings that are
    one file where it writes (`Heart.png`, `heart.png` on a disk that ignores case; a folder there that is a link),
    written once. Two different pictures there stop the export: either would replace the other."""
    same = next((other for other in written if copy.target.samefile(other)), None)
    if same is None:
        return False
    if same.read_bytes() != data:
        raise ExportError(
            f"{copy.shown_by}: image {copy.image!r} would be written at {copy.target}, which is {same} on this disk"
            " (it ignores case, or a folder there is a link), another picture; export to another folder"
        )
    return True


@dataclass(frozen=True)
class PictureCopy:
    source: Path
    target: Path
    image: str  # as the first note showing it names it
    shown_by: str  # that note, for a message: where_shown

    def read(self) -> bytes:
        """The picture's bytes; one that cannot be read any more (gone or locked since it was checked) stops the
        export, naming it and its card, not the file being written."""
        try:
            return self.source.read_bytes()
        except OSError as exc:
            raise ExportError(
                f"{self.shown_by}: image {self.image!r} cannot be copied ({exc.strerror or exc});"
                f" check {self.source}, then export again"
            ) from None


def pictures_to_copy(deck: Deck, path: Path, force: bool) -> list[PictureCopy]:
    """The deck's pictures to copy beside `path`, at the paths its `image:` gives (relative to the deck file),
    every target checked before any is written. One already there with the same bytes stays; another file there
    is replaced only with `force` (it may be another deck's picture): else the export stops, naming it, as it
    does for a file where a folder of pictures goes. The new ones come first, so a new picture that cannot be
    read stops the export before any file there is replaced (one to replace, after those before it)."""
    folder = path.parent
    copies: list[PictureCopy] = []
    replaced: list[PictureCopy] = []
    check_pictures(deck)
    shown_by: dict[str, tuple[str, str]] = {}  # each file (one spelling) -> the first note's image: and place
    for note in deck.notes:
        for image in note.all_images:
            shown_by.setdefault(picture_file(image), (image, where_shown(deck, note)))
    sounds = sound_files(deck)  # those there: a sound file missing leaves its reference as it is, as in the package
    for note in deck.notes if sounds else ():
        for sound in sound_paths(deck.id, note):
            if PurePosixPath(sound).name in sounds:
                shown_by.setdefault(sound, (sound, where_shown(deck, note)))
    for file in sorted(shown_by):
        image, where = shown_by[file]
        source, target = image_path(deck.path, file), image_path(path, file)
        # the path is untrusted: none leads outside the folder written to, by `..` (check_pictures refused it) or a
        # folder there that is a link (below)
        for on_the_way in reversed(target.relative_to(folder).parents[:-1]):  # each folder below `folder`
            if (folder / on_the_way).exists() and not (folder / on_the_way).is_dir():
                raise ExportError(
                    f"{folder / on_the_way} is a file where the pictures' folder goes ({image});"
                    " move it away, or export to another folder"
                )
        try:
            inside = target.parent.resolve().is_relative_to(folder.resolve())
        except (OSError, RuntimeError):  # a loop of links: RuntimeError on Python 3.11, OSError later
            raise ExportError(
                f"{target.parent} is a loop of symbolic links; remove it, or export to another folder"
            ) from None
        if not inside:
            raise ExportError(f"{target.parent} leads outside {folder} (a link); export to another folder")
        copy = PictureCopy(source, target, image, where)
        if target.exists() or target.is_symlink():
            if target.is_file() and _same_file_bytes(copy):
                continue  # the same picture, or the deck's own (exported beside itself)
            if not (force and target.is_file() and not target.is_symlink()):
                how = "pass --force to replace it, " if target.is_file() and not target.is_symlink() else ""
                raise ExportError(
                    f"{target} already exists and is another file; {how}move it away, or export to another folder"
                )
            replaced.append(copy)
            continue
        copies.append(copy)
    return copies + replaced


def _same_file_bytes(copy: PictureCopy) -> bool:
    try:
        return filecmp.cmp(copy.source, copy.target, shallow=False)
    except OSError as exc:
        copy.read()  # the picture's own problem, said with its card
        raise ExportError(
            f"{copy.target} already exists and cannot be read ({exc.strerror or exc});"
            " move it away, or export to another folder"
        ) from None


@dataclass
class _Made:
    """What an export made beside its file, removed if it stops partway (a picture it replaced stays new)."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def folders_to(self, target: Path, folder: Path) -> None:
        """Make the folders from `folder` (which exists) down to `target`, noting those made."""
        for on_the_way in reversed(target.relative_to(folder).parents[:-1]):
            self._folder(folder / on_the_way)
        self._folder(target)

    def _folder(self, path: Path) -> None:
        if not path.is_dir():
            path.mkdir()
            self.folders.append(path)

    def undo(self) -> None:
        for file in self.files:
            file.unlink(missing_ok=True)
        for made in reversed(self.folders):
            try:
                made.rmdir()
            except OSError:  # something else put there meanwhile: left
                pass
