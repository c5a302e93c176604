"""Which of the file's pictures an import writes beside the deck: a picture the user changed there (an arrow drawn
on it, a crop) is hers, kept as an edited note is (quiz.core.importers.update). A package's sound files (those its
notes' `[sound:name]` references name, quiz.core.sounds) are kept the same way, as pictures in all but being shown.

The import record keeps the digest of each picture as the import wrote it. At the next import, a picture whose
file still holds those bytes takes the file's new version; one changed since is hers, a conflict when the file
changed it too, until `--replace`. With no digest recorded (a record older than this rule, a folder filled by
other means) a picture whose bytes differ from the file's is hers. A picture she deleted is written again while
a note of the deck shows it (the deck does not load without it); one no note shows is not written, as a note
she deleted stays deleted. Only the pictures whose digest differs from the record's (and those a stopped import
wrote that no note shows) are read from the disk.

Each picture keeps the file name the last import gave it (the record maps the package's name to it, or a YAML
deck's `image:` path): a name made safe can clash with another's (`Heart.png` beside `heart.png`), and were the
names given afresh, in order, a picture added would move the others, her note then showing another file, or
another note's picture (`kept_names`).

Every import names the pictures it is about to write in a pending file first (quiz.core.importers.update), each
digest kept until a record names what is there: stopped after writing them and before the deck and its record
(once or several times), it leaves them known as quiz's, not taken for hers at the next import.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from quiz.core.anki.media import NOT_A_SOUND, is_sound_file, safe_name, why_no_sound_file
from quiz.core.images import image_format, is_picture_name, picture_name
from quiz.core.importers.model import ImportedDeck, ImportedNote, Lacking, Picture, Report

_KEPT_AS = ": kept as "  # in the warning of a picture named for its format, before its new name


def digest(data: bytes) -> str:
    """A picture's bytes as the import record keeps them."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of a file's bytes (read in pieces, whatever its size); None when it cannot be read."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def with_pictures(
    notes: list[ImportedNote],
    read: Callable[[str], bytes | None],
    report: Report,
    lacking: str,
    file_names: Mapping[str, str] | None = None,
    why_sound_lacks: Callable[[str], str] | None = None,
) -> ImportedDeck:
    """The notes with their pictures (`images`: names `read` gives the bytes of, None when it cannot) and sound files
    (`sounds`, kept as pictures are, whatever their bytes) under safe file names, as every reader hands them over
    (a new deck's: an update renames them as its record says, quiz.core.importers.target); a picture that cannot be
    read or is not a picture, or a sound that cannot be read, is named (it `lacking`, "is not in the package") and
    the note comes without it (a sound's reference stays as text). Each picture is checked and its digest taken here,
    and read again only if it is written, one at a time. A picture's file takes its name, or the one `file_names`
    gives it (a YAML deck's, whose notes name each picture by its path: the name quiz's export gives it);
    `why_sound_lacks` says why a sound was not read, when the reader can tell (too big)."""
    digests: dict[str, str] = {}
    file_names = dict(file_names or {})
    misnamed: dict[str, str] = {}  # a picture whose name does not end as its format's -> the format
    for name in sorted({image for note in notes for image in (*note.images, *note.answer_images)}):
        data = read(name)
        if data is not None and (found := image_format(data[:16])):
            digests[name] = digest(data)
            if (fixed := picture_name(file_names.get(name, name), found)) != file_names.get(name, name):
                file_names[name], misnamed[name] = fixed, found  # never kept as `pic.bat`, which would run
    shown_pictures = set(digests)
    for name in sorted({file for note in notes for _, file in note.sounds} - shown_pictures):  # any bytes: a sound's
        if is_sound_file(name) and (data := read(name)) is not None:
            digests[name] = digest(data)
    names = kept_names(digests, {}, {}, {}, {}, file_names=file_names)
    sounds = names.keys() - shown_pictures  # a picture's file is no sound, whatever its name says
    pictures = {
        safe: Picture(
            partial(_again, read, name), digests[name], name, file_names.get(name, name), name not in shown_pictures
        )
        for name, safe in names.items()
    }
    kept: list[ImportedNote] = []
    for note in notes:
        if not note.images and not note.answer_images and not note.sounds:  # most notes
            kept.append(note)
            continue
        for image in (*note.images, *note.answer_images):
            if image not in shown_pictures:
                report.warn(note.line, f"{_named(image, sound=False)} {lacking}, or not a picture quiz shows")
            elif image in misnamed:
                report.warn(note.line, renamed_warning(image, misnamed[image], names[image]))
        for _, sound in note.sounds:
            if sound in sounds:
                continue
            if is_sound_file(sound) and sound not in shown_pictures:  # at a re-import, the deck may have the file
                why = lacking if why_sound_lacks is None else why_sound_lacks(sound)  # a sound too big says so
                stays = "stays as written; a file an earlier import wrote under its name stays, if you kept it"
            else:
                why, stays = why_no_sound_file(sound) or NOT_A_SOUND, "stays as text"  # a picture's: no sound
            report.warn(note.line, f"{_named(sound, sound=True)} {why}; its [sound:...] reference {stays}")
        kept.append(
            replace(
                note,
                images=tuple(names[image] for image in note.images if image in shown_pictures),
                answer_images=tuple(names[image] for image in note.answer_images if image in shown_pictures),
                sounds=tuple((text, names[sound]) for text, sound in note.sounds if sound in sounds),
                lacking=media_lacking(note, pictures),
            )
        )
    return ImportedDeck(kept, media=pictures)


def _named(name: str, *, sound: bool) -> str:
    """How the warning of a picture or sound file the file lacks starts (`says_lacking`)."""
    return f"its sound {name!r}" if sound else f"its picture {name!r}"


def renamed_warning(name: str, picture_format: str, kept: str) -> str:
    """The warning of the picture `name` kept under `kept`, its format's name (`pic.bat` holding a PNG)."""
    return f"{_named(name, sound=False)} is a {picture_format} picture{_KEPT_AS}{kept!r}"


def kept_in_place_warning(name: str, kept: str) -> str:
    """The warning of the picture `name`, which the file lacks, kept as the file `kept` its note showed in its place,
    under a name an import does not give it now: maybe another picture, which the import record cannot tell."""
    return (
        f"{_named(name, sound=False)} (not in the package) is kept as {kept!r}, the file its note showed in its"
        " place under another name: if Anki shows another picture there now, import a package with its media"
    )


def says_renamed(message: str, name: str) -> bool:
    """Whether a warning is the one `with_pictures` gives of the picture `name` it named for its format (`pic.bat`
    holding a PNG: kept as `pic.png`)."""
    return message.startswith(f"{_named(name, sound=False)} is a ") and _KEPT_AS in message


def says_lacking(message: str, lacking: Lacking) -> bool:
    """Whether a warning is the one `with_pictures` gives of the picture or sound file its file lacks."""
    return message.startswith(f"{_named(lacking.name, sound=bool(lacking.sound))} ")


def media_lacking(note: ImportedNote, media: Mapping[str, Picture]) -> tuple[Lacking, ...]:
    """The pictures `note` names (by their names in its file) under which `media` (with_pictures's: the pictures
    and sound files quiz keeps of the file) has none, in place, and the sound files it names so. Absent from the
    file, unreadable or no picture (broken in Anki's media folder) alike: the file the last import wrote may stand
    in (quiz.core.importers.target gives a picture only a picture's file, a sound only a sound's)."""
    had = {picture.name for picture in media.values()}
    return (
        *(
            Lacking(name, answer, place)
            for answer, names in ((False, note.images), (True, note.answer_images))
            for place, name in enumerate(names)
            if name not in had
        ),
        *(
            Lacking(name, False, 0, sound=text)
            for text, name in note.sounds
            if name not in had and is_sound_file(name)  # a name no sound file has: never one to look for
        ),
    )


def _again(read: Callable[[str], bytes | None], name: str) -> bytes:
    """A picture's bytes when it is written (a package's are in memory; a file may have gone since it was read)."""
    data = read(name)
    if data is None:
        raise OSError(errno.ENOENT, "the picture cannot be read any more", name)
    return data


def kept_names(
    pictures: Mapping[str, str],
    earlier: Mapping[str, str],
    recorded: Mapping[str, str],
    in_place: Mapping[str, Iterable[str]],
    on_note: Mapping[str, Iterable[str]],
    left: Collection[str] = (),
    hers: Iterable[str] = (),
    file_names: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A file name in the deck's pictures folder for each of the package's pictures (`pictures`: its name in the
    package -> its digest), given the names the last import gave (`earlier`, the same way; none in a record older
    than them), the digests it recorded (`recorded`, by file name) and the files the record's notes showed where
    the package's notes now show each picture (by its name in the package; quiz.core.importers.target): in its
    place among as many pictures (`in_place`), or anywhere among the note's (`on_note`); and the files the
    deck's notes the package does not have show (`left`: her own, and those gone from the package).

    A picture keeps its earlier name: surely when that file holds its recorded bytes, or none was recorded, or its
    note showed that file anywhere among its pictures; else (changed, and now on another note) unless another
    picture claims the file by its recorded bytes or its note, or another note of the deck shows it (a
    name alone says little: her own export of the deck names the pictures by their files, a shared deck may
    swap two names). Then a picture takes the file its note showed in its place, unless the record gives that
    file to another picture of the package, or another note of the deck shows it (renamed and redrawn on its
    note, it is the same picture; a record without names gives none). The rest take names no picture ever had in the
    record, even one gone from the package (a later picture never takes its file silently), nor the name of a
    file she put in the folder herself (`hers`), except a picture with the bytes recorded of a file no picture
    kept: renamed in the package, it keeps its file (and her changes to it). A new name is made from the picture's
    name, or the one `file_names` gives it (a YAML deck's picture, known by its path). All are unique
    case-insensitively, as `safe_name` makes them, for a case-insensitive disk."""
    names: dict[str, str] = {}
    held: set[str] = set()
    file_names = file_names or {}

    def fits(name: str, file: str) -> bool:  # a picture is kept under a picture's name only (`pic.bat` would run)
        return not is_picture_name(file_names.get(name, name)) or is_picture_name(file)

    def give(candidates: Mapping[str, Iterable[str]]) -> None:
        for name in sorted(candidates.keys() - names.keys()):
            files = sorted(candidates[name])
            file = next((file for file in files if file.casefold() not in held and fits(name, file)), None)
            if file is not None:  # one file a picture, whatever the record says
                names[name] = file
                held.add(file.casefold())

    give(
        {
            name: [file]
            for name, file in earlier.items()
            if name in pictures
            and (file in on_note.get(name, ()) or recorded.get(file, pictures[name]) == pictures[name])
        }
    )
    with_bytes: dict[str, set[str]] = {}
    for file, recorded_digest in recorded.items():
        with_bytes.setdefault(recorded_digest, set()).add(file.casefold())
    claims: dict[str, set[str]] = {}
    shown_left = {file.casefold() for file in left}
    for name in pictures.keys() - names.keys():
        for file in {*with_bytes.get(pictures[name], ()), *(f.casefold() for f in on_note.get(name, ()))}:
            claims.setdefault(file, set()).add(name)
    give(
        {
            name: [file]
            for name, file in earlier.items()
            if name in pictures
            and not claims.get(file.casefold(), set()) - {name}
            and file.casefold() not in shown_left
        }
    )
    given = {file.casefold() for name, file in earlier.items() if name in pictures} | shown_left
    give(
        {name: [f for f in files if f.casefold() not in given] for name, files in in_place.items() if name in pictures}
    )
    taken = {file.casefold() for file in (*held, *earlier.values(), *recorded, *hers)}
    by_digest: dict[str, list[str]] = {}
    for file in sorted(recorded, reverse=True):  # the first in order last, to be taken first
        if file.casefold() not in held:  # its picture gone, or not known
            by_digest.setdefault(recorded[file], []).append(file)
    # a picture renamed for its format (`pic.bat`: `pic.png`) last: one already named so keeps its name
    for name in sorted(pictures.keys() - names.keys(), key=lambda name: (not fits(name, name), name)):
        renamed = by_digest.get(pictures[name], [])
        kept = next((file for file in reversed(renamed) if fits(name, file)), None)
        if kept is not None:
            renamed.remove(kept)
        names[name] = kept if kept is not None else safe_name(file_names.get(name, name), taken)
    return names


def names_to_record(earlier: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    """The names the record keeps after an import that gave `names`: the earlier ones too (a picture gone from
    the package keeps its name for when it comes back), but for a file now another picture's (renamed)."""
    now = {file.casefold() for file in names.values()}
    return {name: file for name, file in earlier.items() if file.casefold() not in now} | dict(names)


@dataclass(frozen=True)
class PictureConflict:
    path: str  # as a note's `image:` names it, relative to the deck's folder
    known: bool  # the record says what the import wrote (so she changed it since); else it is not known
    sound: bool = False  # a sound file (Picture.sound), named so


@dataclass
class Pictures:
    write: dict[str, Picture] = field(default_factory=dict)  # the file's pictures to write, by path
    recorded: dict[str, str] = field(default_factory=dict)  # the record's digests after the import, by path
    conflicts: list[PictureConflict] = field(default_factory=list)  # hers, changed by the file too


def pictures_to_write(
    folder: Path,
    shown: dict[str, Picture],
    recorded: dict[str, str],
    pending: Mapping[str, frozenset[str]],
    *,
    replace_conflicts: bool,
) -> Pictures:
    """What to write of the pictures the deck's notes show after the import (`shown`, by path relative to the
    deck's `folder`), given the digests the record keeps of what the last import wrote, and those of what
    imports that stopped may have written (`pending`). A picture no note shows keeps its recorded digest (a note
    may show it again), or takes the pending one its file holds."""
    result = Pictures(recorded=dict(recorded))
    folders = {path: path.is_dir() for path in {(folder / name).parent for name in shown}}
    for name, picture in shown.items():
        path = folder / name
        ours = pending.get(name, frozenset()) | ({recorded[name]} if name in recorded else set())
        if not folders[path.parent] or not path.exists():  # new, or deleted by her while a note shows it
            result.write[name] = picture
            result.recorded[name] = picture.digest
            continue
        if ours == {picture.digest}:  # the file did not change it: nothing to write, whatever she did to it
            result.recorded[name] = picture.digest
            continue
        now = file_digest(path)
        if now == picture.digest:  # the same bytes already: hers when quiz did not write them (her export back)
            result.recorded[name] = picture.digest if picture.digest in ours or name not in recorded else recorded[name]
            continue
        hers = now not in ours
        if hers:
            result.conflicts.append(PictureConflict(name, bool(ours), picture.sound))
        if not hers or replace_conflicts:
            result.write[name] = picture
            result.recorded[name] = picture.digest
    for name in pending.keys() - shown.keys():  # written by a stopped import, shown by no note now
        now = file_digest(folder / name)
        if now is not None and now in pending[name]:
            result.recorded[name] = now
    return result
