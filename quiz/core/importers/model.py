"""What every reader hands the assembler: the notes found in one file, each with the line it came from.

A reader knows its format (columns, headers, markup); the assembler knows decks (unique ids, topics,
the deck id and title, the loader's check). This module is the contract between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from quiz.core.anki.model import Collection
from quiz.core.model import Deck, Source
from quiz.core.problems import Problem


class ImportFailure(Exception):
    """The file cannot be imported at all; the message (one line) says why and what to do.

    `problems` holds what was found in the rows before giving up (skipped rows, with file:line).
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class NoSuchAnkiDeck(ImportFailure):
    """--anki-deck names a deck the package has none of (`name`): she may have renamed it in Anki since it came in,
    which an import record, keeping its id, tells (`decks`: the package's decks, Anki id -> name split at "::";
    `default_notes`: the GUIDs of the notes of its deck of id 1, which tell her Default renamed: followed_ids)."""

    def __init__(
        self, message: str, name: str, decks: Mapping[int, tuple[str, ...]], default_notes: frozenset[str]
    ) -> None:
        super().__init__(message)
        self.name, self.decks, self.default_notes = name, decks, default_notes


@dataclass
class ImportOptions:
    deck_id: str | None = None
    title: str | None = None
    topic: str | None = None  # topic for every card that gets none from the file
    format: str | None = None  # a reader's name ("csv", "anki"); None: detected
    separator: str | None = None  # a name (tab, comma, ...) or one character; None: detected
    header: bool | None = None  # is the first row a header? None: detected
    html: bool | None = None  # are cells HTML? None: #html header, else detected
    kind: str = "basic"  # a kind's name, for rows that say nothing about their kind
    columns: dict[str, str] = field(default_factory=dict)  # role -> column number (1-based) or header name
    encoding: str = "utf-8"
    anki_deck: str | None = None  # a package's deck (`Medicine`, `Sprachen::日本語`) whose notes alone come in
    # with anki_deck, when a collection is taken apart: the GUIDs of the notes its deck takes (deck `medicine`
    # keeps a note she moved in Anki from Medicine to Sprachen)
    anki_notes: frozenset[str] | None = None
    # with anki_deck: the package is her whole collection taken apart, a deck of each top-level deck, so a note of
    # the deck it lacks is gone from Anki, whatever Anki deck it came from (ImportResult.covers)
    whole_collection: bool = False


class Report:
    """Warnings and skipped notes of one import, each with its line in the file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.name, line, 1, message, hint, severity="warning"))

    def skip(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(self.skip_problem(line, message, hint))

    def skip_problem(self, line: int, message: str, hint: str = "") -> Problem:
        """The warning `skip` says, not said yet: the caller says it when the row turns out to be skipped."""
        return Problem(self.name, line, 1, f"row skipped: {message}", hint, severity="warning")

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: p.line)


@dataclass(frozen=True)
class ImportSource:
    """The file being imported, read once (through quiz.core.deckfile) before any reader sees it."""

    path: Path
    data: bytes

    @property
    def name(self) -> str:
        return str(self.path)


#: In ImportedNote.anki_cards: a quiz card whose Anki card the package lacks; it comes in new (Anki's ids are > 0).
NO_CARD = 0


@dataclass(frozen=True)
class ImportedNote:
    """One note as its file gives it; `front` holds a cloze's text (in quiz's gap markup)."""

    line: int  # where it starts in the file, for warnings
    kind: str  # a kind's name
    front: str
    back: str
    explain: str
    tags: tuple[str, ...]
    topic: str  # a topic named by the file, "" for none
    deck_path: tuple[str, ...]  # an Anki deck name split at "::"; () for none
    wanted_id: str  # the id it asks for; the assembler makes it unique
    id_source: str  # where wanted_id came from: "column", "guid" or "front"
    guid: str = ""  # the Anki guid wanted_id came from, if any
    body: Any = None  # the kind's whole body when the file gives it (quiz's own table or .apkg, an occlusion's
    # regions); None: made from the faces
    sources: tuple[str, ...] = ()  # ids of the deck's sources it cites (a quiz deck file's)
    anki_cards: tuple[int, ...] = ()  # from a package: the Anki card id behind each of its quiz cards, in order
    images: tuple[str, ...] = ()  # the file names of its pictures, keys of ImportedDeck.media
    outside: str = ""  # its statement from outside its sources (a quiz deck, table or package gives it)
    answer_images: tuple[str, ...] = ()  # those of its pictures shown only once the answer is, as `images`
    siblings: str = ""  # the id its deck's notes made from one Anki note share (Note.siblings)
    # the sound files its text's `[sound:name]` references name: (the name as its text gives it, the file's name:
    # the package's media name from a reader, a key of ImportedDeck.media once `with_pictures` kept the file)
    sounds: tuple[tuple[str, str], ...] = ()
    # the pictures and sound files it names that its file lacks (`with_pictures` leaves them out)
    lacking: tuple[Lacking, ...] = ()


@dataclass(frozen=True)
class Lacking:
    """A picture or sound file a note names that its file lacks (a package exported without media): an update
    takes the one the last import wrote under that name, when the deck's folder still has it
    (quiz.core.importers.target)."""

    name: str  # as the file names it (a package's media name)
    answer: bool  # among the pictures shown once the answer is (`answer_images`), else the question's
    place: int  # its place among those the note names there, the lacking ones included
    # a sound file's: the name its `[sound:name]` reference gives it, which stays in the note's text (its place);
    # "" for a picture
    sound: str = ""


@dataclass(frozen=True)
class Picture:
    """A picture of the file: how to read its bytes (again, when it is written) and their digest
    (quiz.core.importers.pictures), taken the one time the reader had them whole."""

    read: Callable[[], bytes]
    digest: str
    name: str  # as the file names it (a package's media name, a YAML deck's path), the import record's key
    file_name: str  # the name a new file takes (safe_name makes it plain and unique): its `name`, or for a YAML
    # deck's picture the name quiz's export gives it (`heart.png`, `heart-2.png` for a second one)
    sound: bool = False  # a sound file a note's `[sound:name]` names, kept as a picture is (quiz.core.sounds)


@dataclass
class ImportedDeck:
    notes: list[ImportedNote]
    deck: Deck | None = None  # a quiz deck file's own deck: its id, title, topics and sources are kept
    collection: Collection | None = None  # a package's collection, whose schedule and review log can come along
    media: dict[str, Picture] = field(default_factory=dict)  # pictures and sound files, by a safe file name
    # False: the file's format has no pictures (a text file), so a note without one says nothing of the deck's
    carries_pictures: bool = True
    # the sources its notes cite, when the file declares them (quiz's .apkg, a deck file)
    sources: tuple[Source, ...] = ()
    # notes an earlier quiz read otherwise, as it read them (one cloze note of a cloze whose gaps share a number, one
    # reverse note of a reverse pair whose templates add words: `notes` holds each card by card now), their pictures
    # named as `media` names them: an update keeps such a note as the deck has it while Anki did not change it
    # (quiz.core.importers.target)
    earlier: list[ImportedNote] = field(default_factory=list)
    # the warnings of those of them whose reading now warns of nothing (a reverse pair adding words is no problem to
    # read card by card), said only of a note kept so: why quiz reads it otherwise now
    earlier_warnings: list[Problem] = field(default_factory=list)
    # the GUIDs of the notes an earlier quiz read as one reverse note that now come in card by card, kept so or not
    # (Anki changed them): none of their notes takes that reverse note's id (quiz.core.importers.target)
    reverse_before: set[str] = field(default_factory=set)
    # the package's deck --anki-deck named, as the package writes it: the new deck's id is made from it
    anki_deck: str = ""
    # with --anki-deck (not a whole collection taken apart): each note of the package outside the notes taken, by
    # GUID -> the Anki deck it is in: not gone from Anki (she moved it out of the deck taken alone)
    elsewhere: dict[str, str] = field(default_factory=dict)


class Reader(Protocol):
    """One import format. The registry asks `sniff` first, then matches `suffixes`; --format names `name`."""

    @property
    def name(self) -> str: ...

    @property
    def suffixes(self) -> tuple[str, ...]: ...

    @property
    def max_bytes(self) -> int:
        """The largest file it reads (the whole file is read before any reader sees it)."""
        ...

    def sniff(self, source: ImportSource, options: ImportOptions) -> bool:
        """Whether the content is unmistakably this format."""
        ...

    def read(self, source: ImportSource, options: ImportOptions, report: Report) -> ImportedDeck:
        """The notes, with warnings and skipped notes in `report`; ImportFailure when nothing can be read."""
        ...
