"""Importing a new version of a deck onto the deck file an earlier import wrote, without losing the user's edits.

Each note has three versions: what quiz wrote last time (kept in the import record beside the deck file),
the user's (the deck file now) and the package's. A note the user did not touch takes the package's; a note
the package did not change keeps the user's; a note both changed is a conflict: the user's is kept unless
`replace`. A note gone from the package stays unless `remove_missing` (one the user edited, only with
`replace` too). Notes match by id: ids from Anki's GUIDs are a function of the GUID (quiz.core.importers.ids),
so this is matching by GUID, and the card ids, and so the history in the store, stay the same.

The record holds the notes as a deck text (the same writer and validator as the deck file), each note's GUID
(which tell which imported deck a package updates, and when a file is another deck's altogether), the digest
of each picture the import wrote in the deck's pictures folder and the file name each picture of the package has
there, by its name in the package (quiz.core.importers.pictures; a record written before them has none), and the
key each Anki card's answers are logged under (quiz.core.importers.cardhomes). A small
file beside it (`pending_path`) names the pictures an import is about to write, before it writes them, until the
record naming them is written: an import stopped in between (an error, Ctrl-C, a kill, a power cut) leaves its
pictures known as quiz's, whether it was the deck's first or not.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO, TypeGuard

from quiz.core.anki.media import is_plain
from quiz.core.anki.topdecks import ANKI_DEFAULT_DECK, same_deck
from quiz.core.atomicfile import atomic_write
from quiz.core.cloze import renumbered_gaps
from quiz.core.deckfile import files_in
from quiz.core.decks import check_tree, parse_deck
from quiz.core.deckwriter import deck_text, note_fields
from quiz.core.filenames import entries, new_name, why_named
from quiz.core.identity import note_id_of, renamed_key
from quiz.core.importers.ids import deck_id_from_name, deck_of_guid
from quiz.core.kinds import KINDS
from quiz.core.marks import MARKED_TAG, tagged_marked
from quiz.core.model import Deck, Note, Source
from quiz.core.text import as_written
from quiz.core.yamlsafe import MAP, SEQ, STR, MappingNode, Node, ScalarNode, SequenceNode, YamlProblem, compose_document

RECORD_SUFFIX = ".import.json"  # beside <deck>.yaml: not a deck suffix, so the library never loads it
PENDING_SUFFIX = ".import-pending.json"  # the same, and not a record's: DeckFolder never takes it for one
_VERSION = 1
_SHOWN = 50  # characters of a field shown in a change
_PIECE = 1 << 20  # characters of a record's deck text escaped at a time


def record_path(deck_file: Path) -> Path:
    return deck_file.with_name(deck_file.stem + RECORD_SUFFIX)


def record_writer(record: Path, deck_file: Path, *, overwrite: bool = True) -> AbstractContextManager[TextIO]:
    """A stream that writes import record `record` of deck file `deck_file` whole or not at all, with the deck
    file's permissions at most: it holds the deck's whole text (her private deck's record is as private)."""
    try:
        deck_permissions = stat.S_IMODE(deck_file.stat().st_mode)
    except OSError:  # a new deck's file, written after its record: the record's own
        deck_permissions = 0o777
    return atomic_write(record, "w", encoding="utf-8", newline="\n", overwrite=overwrite, at_most=deck_permissions)


def record_files(folder: Path) -> list[Path]:
    """The import records in a deck folder, sorted, found where its decks are (subfolders too, not hidden ones):
    a deck she moved into a subfolder with its record is still the deck a new version updates."""
    # each named in its folder's real path, as the loaded decks' files are (DeckFolder.of): a relative or linked
    # deck folder would otherwise give two names to one record, the one beside her deck taken for another's
    return sorted(Path(os.path.realpath(path.parent)) / path.name for path in files_in(folder, (RECORD_SUFFIX,)))


def deck_file_of(record: Path) -> Path:
    """The deck file an import record is beside."""
    return record.with_name(record.name.removesuffix(RECORD_SUFFIX) + ".yaml")


def pending_path(deck_file: Path) -> Path:
    return deck_file.with_name(deck_file.stem + PENDING_SUFFIX)


@dataclass(frozen=True)
class ImportRecord:
    """What quiz wrote of each note at the last import of a deck, and where the notes came from."""

    source: str  # the imported file's name
    notes: dict[str, Note]  # by id
    guids: dict[str, str]  # note id -> Anki GUID, for the notes that had one
    pictures: dict[str, str]  # a picture's path, as notes name it -> the digest of what the import wrote there
    names: dict[str, str] | None  # a picture's name in the package -> its file's name there; None: an older record
    homes: dict[int, str]  # an Anki card id -> the key its answers are logged under (importers.cardhomes)
    topic_decks: dict[str, str] | None = None  # topic id -> the Anki deck it came from; None: an older record
    # each of those Anki decks -> its Anki id, which a rename in Anki keeps (none in an older record); Anki's Default
    # deck's, ANKI_DEFAULT_DECK, the same in every collection, is followed only with other evidence (followed_ids)
    deck_ids: dict[str, int] = field(default_factory=dict)
    # the Anki deck the deck was made of (ImportResult.took): a top-level deck, all of it, or one subdeck alone, its
    # Anki id among `deck_ids`; None: not known (an older record, a whole collection as one deck)
    took: str | None = None
    # the comments the deck file had when `quiz add` copied it (its author's, not the user's), until an update
    # writes the file anew without them
    comments: tuple[str, ...] = ()


def record_text(
    source: str,
    deck: str,
    guids: dict[str, str],
    pictures: dict[str, str],
    names: Mapping[str, str],
    homes: Mapping[int, str],
    topic_decks: Mapping[str, str],
    deck_ids: Mapping[str, int],
    comments: Sequence[str] = (),
    took: str | None = None,
) -> RecordText:
    """The record of an import of `source`: `deck`, a deck text of the notes as quiz wrote them, the GUIDs
    of those notes, the digests of the pictures written (none: no key, as before pictures were kept), the file
    names given to the package's pictures, always (none too: the key tells this record from an older one), the
    key each Anki card's answers are logged under (none: no key), the Anki deck each topic came from, always
    (as the names), the Anki id of each of those decks (none: no key), the comments the deck file holds that are not
    the user's (none: no key), and the Anki deck the deck was made of (none: no key)."""
    data: dict[str, Any] = {"version": _VERSION, "source": source, "guids": guids}
    if pictures:
        data["pictures"] = dict(sorted(pictures.items()))
    data["names"] = dict(sorted(names.items()))
    if homes:
        data["homes"] = {str(anki_id): key for anki_id, key in sorted(homes.items())}
    data["topics"] = dict(sorted(topic_decks.items()))
    if deck_ids:
        data["deck_ids"] = dict(sorted(deck_ids.items()))
    if took:
        data["took"] = took
    if comments:
        data["comments"] = list(comments)
    head = json.dumps(data, ensure_ascii=False)
    return RecordText(head[:-1], deck)


@dataclass(frozen=True)
class RecordText:
    """An import record's text, made as it is written: the JSON of `head` and its last key, the deck text, which
    is escaped a piece at a time (a shared deck's is 10 MB and more: its JSON is never held whole beside it, at
    the moment the update holds the most)."""

    head: str  # the JSON object up to its last key
    deck: str

    def pieces(self) -> Iterator[str]:
        """The text, in pieces of up to _PIECE characters of the deck text each."""
        yield self.head + _DECK_KEY
        for start in range(0, len(self.deck), _PIECE):
            yield _escaped(self.deck[start : start + _PIECE])
        yield _RECORD_END

    def __str__(self) -> str:
        return "".join(self.pieces())


_DECK_KEY = ', "deck": "'  # how a record's last key, its deck text, starts (after its other keys' JSON)
_RECORD_END = '"}\n'


def _escaped(text: str) -> str:
    """`text` as a JSON string has it, without its quotes: each character's escape is its own, so the pieces of
    a text give the pieces of its JSON."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _escaped_pieces(deck: bytes) -> Iterator[bytes]:
    """The JSON of the UTF-8 text `deck` as a record writes it (_escaped), a piece at a time, as UTF-8: the text
    is never decoded whole. UnicodeDecodeError when it is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(deck)
    for start in range(0, len(deck), _PIECE):
        end = start + _PIECE
        yield _escaped(decoder.decode(view[start:end], final=end >= len(deck))).encode("utf-8")


def pending_text(pending: Mapping[str, frozenset[str]], writing: Mapping[str, str]) -> str:
    """The pending file of an import about to write pictures (`writing`: path -> digest), keeping what earlier
    stopped imports may have written (`pending`): several digests a path, until a record names what is there.
    Small (no deck text), so writing it costs little beside the pictures."""
    digests = {path: set(known) for path, known in pending.items()}
    for path, value in writing.items():
        digests.setdefault(path, set()).add(value)
    data = {"version": _VERSION, "pictures": {path: sorted(known) for path, known in sorted(digests.items())}}
    return json.dumps(data, ensure_ascii=False) + "\n"


def read_pending(deck_file: Path) -> dict[str, frozenset[str]]:
    """The digests stopped imports may have written, by path; none when no import stopped since the last record
    (or the file cannot be read: a picture that differs from the package's is then hers)."""
    try:
        data = json.loads(pending_path(deck_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _VERSION or not isinstance(data.get("pictures"), dict):
        return {}
    return {
        str(path): frozenset(str(value) for value in known)
        for path, known in data["pictures"].items()
        if isinstance(known, list) and _plain_path(path)
    }


def _plain_path(path: object) -> bool:
    """Whether a picture's path read from a record or a pending file is one an import writes: its folder and file
    names are plain (`is_plain`), so an edited one (`..`, a control character) is never written to nor shown."""
    return isinstance(path, str) and bool(path) and all(is_plain(part) for part in path.split("/"))


def base_text(deck_id: str, notes: Sequence[Note]) -> str:
    """A deck text of the notes the record keeps, declaring each source they cite (by its id alone: the record
    keeps notes, and the deck file the sources), without which the text would not load, nor the record be read."""
    cited = dict.fromkeys(cited for note in notes for cited in note.sources)
    return deck_text(deck_id, deck_id, notes, sources=[Source(source, source) for source in cited])


def _record_deck(text: bytes, path: str) -> Deck | None:
    """The deck of a record's deck text; None when it cannot be read. An earlier quiz's update kept the notes
    citing sources without declaring them (the text did not load): those are declared by id, as base_text does."""
    deck = parse_deck(text, path, check_files=False).deck
    if deck is not None:
        return deck
    try:
        root, problems = compose_document(text)
    except YamlProblem:
        return None
    if problems or not isinstance(root, MappingNode) or _value_of(root, "sources") is not None:
        return None
    cards = _value_of(root, "cards")
    cited = dict.fromkeys(
        item.value
        for card in (cards.value if isinstance(cards, SequenceNode) else [])
        if isinstance(card, MappingNode) and isinstance(listed := _value_of(card, "sources"), SequenceNode)
        for item in listed.value
        if isinstance(item, ScalarNode)
    )
    if not cited:
        return None
    declared = [MappingNode(MAP, [_pair("id", source), _pair("title", source)], 0, 0) for source in cited]
    root.value.append((ScalarNode(STR, "sources", 0, 0), SequenceNode(SEQ, declared, 0, 0)))
    return check_tree(root, path, check_files=False).deck


def _value_of(mapping: MappingNode, key: str) -> Node | None:
    return next((value for name, value in mapping.value if isinstance(name, ScalarNode) and name.value == key), None)


def _pair(key: str, value: str) -> tuple[Node, Node]:
    return ScalarNode(STR, key, 0, 0), ScalarNode(STR, value, 0, 0)


def _record_json(path: Path) -> dict[str, Any] | None:
    """The record's JSON, None when there is none or it cannot be read (then every difference is a conflict)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("deck"), str):
        return None
    return data if _usable(data) else None


def _usable(data: dict[str, Any]) -> bool:
    return data.get("version") == _VERSION and isinstance(data.get("guids"), dict)


def _record_json_but(path: Path, deck: bytes) -> dict[str, Any] | None:
    """The record's JSON but its deck text, when that text is `deck` (the deck file's bytes, as long as she has
    not edited it), written last as quiz writes it (RecordText); else None. The text is compared a piece at a
    time, never read whole nor decoded: a shared deck's record is tens of MB of JSON, read at an update's peak."""
    try:
        length = sum(len(piece) for piece in _escaped_pieces(deck))
    except UnicodeDecodeError:  # not her deck as quiz wrote it
        return None
    key, end = _DECK_KEY.encode(), _RECORD_END.encode()
    try:
        with open(path, "rb") as file:
            head = file.read(max(os.fstat(file.fileno()).st_size - length - len(end), 0))
            if not head.endswith(key):
                return None
            data = json.loads(head[: -len(key)] + b"}")
            del head
            if not isinstance(data, dict) or not _usable(data):
                return None
            for piece in _escaped_pieces(deck):
                if file.read(len(piece)) != piece:
                    return None
            return data if file.read() == end else None
    except (OSError, ValueError):
        return None


_DECK_LINE = re.compile(r"^deck: *(\S+) *$", re.MULTILINE)


def _deck_named(data: dict[str, Any] | None) -> str | None:
    """The id of the deck a record's JSON is of, as its own deck text names it; None when it cannot be read."""
    named = _DECK_LINE.search(data["deck"]) if data is not None else None
    return named.group(1) if named is not None else None


def recorded_deck(path: Path) -> str | None:
    """The id of the deck the import record at `path` is of; None when there is none or it cannot be read."""
    return _deck_named(_record_json(path))


def read_record(deck_file: Path, read: tuple[bytes, Deck] | None = None, at: Path | None = None) -> ImportRecord | None:
    """The deck's import record; None when there is none or it cannot be read. `read`: the deck file's bytes and
    the deck parsed from them. The record keeps the deck text the import wrote, which the deck file holds as long
    as she has not edited it: then its notes are that deck's, not parsed a second time (for a shared deck,
    seconds, and tens of MB of parsing freed among what the import holds). `at`: the record, when it is not beside
    the deck file (not yet moved there: DeckFolder.bring_record)."""
    path = at or record_path(deck_file)
    data = _record_json_but(path, read[0]) if read is not None else None
    deck = read[1] if read is not None and data is not None else None
    if data is None:
        data = _record_json(path)
        if data is None:
            return None
        text = data.pop("deck").encode("utf-8")  # the text let go at once: a shared deck's is tens of MB
        deck = read[1] if read is not None and read[0] == text else None
        if deck is None:
            deck = _record_deck(text, str(path))
    if deck is None:
        return None
    notes = {note.id: replace(note, line=0) for note in deck.notes}
    guids = {str(k): str(v) for k, v in data["guids"].items()}
    pictures = data.get("pictures")
    # none in a record older than pictures' digests (or not readable): a picture that differs is then yours
    digests = {str(k): str(v) for k, v in pictures.items() if _plain_path(k)} if isinstance(pictures, dict) else {}
    homes = data.get("homes")
    return ImportRecord(
        str(data.get("source", "")),
        notes,
        guids,
        digests,
        _names(data.get("names")),
        {int(k): str(v) for k, v in homes.items() if k.isdigit()} if isinstance(homes, dict) else {},
        _topic_decks(data.get("topics"), path),
        _deck_ids(data.get("deck_ids")),
        _took(data.get("took")),
        _comments(data.get("comments")),
    )


class UnreadableRecord(Exception):
    """A deck has an import record that cannot be read: renaming a note without it would cut the note off from
    its Anki note."""


def renamed_record_text(path: Path, old_id: str, new_id: str) -> str | None:
    """The import record at `path` with note `old_id` named `new_id` (its notes, GUIDs and card homes), so the
    next import still finds the note by its GUID and logs its Anki answers under the new id; None when the record
    does not know `old_id`. Raises UnreadableRecord when it cannot be read, and ValueError when it already has a
    note `new_id`."""
    data = _record_json(path)
    loaded = None if data is None else _record_deck(data["deck"].encode("utf-8"), "")
    if data is None or loaded is None:
        raise UnreadableRecord(
            f"its import record {as_written(path)} cannot be read: put it back as it was (without it the next import"
            " of the "
            "deck would not find the note under its new id)"
        )
    if old_id not in {note.id for note in loaded.notes}:
        return None
    if new_id in {note.id for note in loaded.notes}:
        raise ValueError(f"its import record {as_written(path)} already has a note '{new_id}'")
    notes = [replace(note, id=new_id) if note.id == old_id else note for note in loaded.notes]
    data["deck"] = base_text(loaded.id, notes)
    data["guids"] = {new_id if note_id == old_id else note_id: guid for note_id, guid in data["guids"].items()}
    if isinstance(data.get("homes"), dict):
        data["homes"] = {
            card: renamed_key(key, new_id) if isinstance(key, str) and note_id_of(key) == old_id else key
            for card, key in data["homes"].items()
        }
    return json.dumps(data, ensure_ascii=False) + "\n"


def _topic_decks(found: object, path: Path) -> dict[str, str] | None:
    """The record's Anki deck of each topic ("": the deck of the notes in no topic); None in a record older than
    them. Raises UnreadableRecord for a value edited by hand into another shape: read as an older record, it
    would move her notes as if their Anki deck changed."""
    if found is None:
        return None
    if not _one_deck_each(found):
        raise UnreadableRecord(
            f'its import record {path} has a "topics" that is not each topic\'s id and its own Anki deck'
            ' ({"cardio": "Pharm::Cardio"}): put it back as it was, or delete the key "topics" (the import then'
            " takes each topic's Anki deck to be DECK::TOPIC, named by their titles as quiz's export names them, and"
            " records the decks anew)"
        )
    return dict(found)


def _deck_ids(found: object) -> dict[str, int]:
    """The record's Anki id of each Anki deck its topics came from; none in a record older than them, and none
    edited into another shape (each deck is then known by its name alone, as before)."""
    if not isinstance(found, dict):
        return {}
    return {str(name): anki_id for name, anki_id in found.items() if type(anki_id) is int}


def followed_ids(deck_ids: Mapping[str, int], *, shares_notes: bool) -> dict[str, int]:
    """The record's Anki deck ids (`deck_ids`) a rename in Anki is followed by: Anki's Default deck's, the same in
    every collection, only when the record shares notes with the package's deck of that id (her own Default, under a
    name of hers): another person's Default is never taken for hers, though it shares a shared deck's notes."""
    return {name: anki_id for name, anki_id in deck_ids.items() if shares_notes or anki_id != ANKI_DEFAULT_DECK}


def _took(found: object) -> str | None:
    """The record's Anki deck the deck was made of; None when it has none, or one edited into another shape."""
    return found if isinstance(found, str) and found else None


def made_of_subdeck_alone(anki_decks: Iterable[str], deck_id: str, name: str) -> bool:
    """Whether the deck `deck_id`, whose record keeps no Anki deck it was made of (an older quiz's), was made of a
    deck below the Anki deck `name` alone, as the Anki decks its topics came from tell (`anki_decks`): all from one
    deck below `name`, the deck not named by `name` (one made of all of `name` when its notes were all in one
    subdeck is)."""
    depth = len(name.split("::")) + 1
    parts = {tuple(deck.split("::")[:depth]) for deck in anki_decks}
    return len(parts) == 1 and len(next(iter(parts))) == depth and deck_id != deck_id_from_name(name)


def renamed_in_anki(deck_ids: Mapping[str, int], decks_now: Mapping[int, tuple[str, ...]]) -> dict[str, str]:
    """Each Anki deck a record names (`deck_ids`: its name -> its Anki id) that the package's collection
    (`decks_now`: Anki id -> the deck's name split at "::") holds under another name -> that name: she renamed it,
    or a deck above it, in Anki, which keeps a deck's id."""
    now = {anki_id: "::".join(path) for anki_id, path in decks_now.items() if path}
    return {name: now[anki_id] for name, anki_id in deck_ids.items() if now.get(anki_id, name) != name}


def _one_deck_each(found: object) -> TypeGuard[dict[str, str]]:
    """Whether `found` maps topic ids to Anki decks, no two to the same deck (a deck is one topic)."""
    if not isinstance(found, dict) or not all(isinstance(deck, str) for deck in found.values()):
        return False
    return len(set(found.values())) == len(found)


def _comments(found: object) -> tuple[str, ...]:
    """The record's comments that are not the user's; none when the key is missing or was edited into another
    shape (each comment is then the user's: an update names them, and writes nothing without --drop-comments)."""
    if not isinstance(found, list):
        return ()
    return tuple(text for text in found if isinstance(text, str))


def _names(found: object) -> dict[str, str] | None:
    """The record's file names, each a plain file name (one edited into a path is dropped: the picture takes a
    new name); None in a record older than them."""
    if not isinstance(found, dict):
        return None
    return {str(name): file for name, file in found.items() if isinstance(file, str) and is_plain(file)}


class DeckFolder:
    """The decks of a deck folder, as an import finds the one a package updates: the ids of the decks loaded, the
    files of those loaded from the folder, and the GUIDs each earlier import's record holds (read once, when first
    asked: a shared deck's is big). The one place a deck's import record is looked up, by import and rename-card."""

    def __init__(self, folder: Path, deck_ids: Iterable[str], files: Mapping[str, Path]) -> None:
        self.folder = folder
        self.deck_ids = frozenset(deck_ids)
        self.files = dict(files)  # by deck id: where each deck loaded from the folder is, whatever its file's name
        self._anki_decks: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {}  # anki_decks', per deck
        # took's, per deck, read with anki_decks': its name now and its Anki id (None: the record has none)
        self._took: dict[str, tuple[str, int | None]] = {}
        self._decks_now: Mapping[int, tuple[str, ...]] = {}  # the package's Anki decks by id (named_as_in)
        self._default_notes: frozenset[str] = frozenset()  # the notes of the package's deck of id 1 (named_as_in)

    @classmethod
    def of(cls, folder: Path, decks: Iterable[Deck]) -> DeckFolder:
        """The deck folder's, of the decks loaded (some from elsewhere: `--deck`). A deck file linked into the folder
        is where the link leads: the deck an update writes, its record beside it."""
        loaded = list(decks)
        files = {deck.id: Path(deck.path).resolve() for deck in loaded if within(deck.path, folder)}
        return cls(folder, (deck.id for deck in loaded), files)

    @cached_property
    def _read(self) -> dict[Path, tuple[str, frozenset[str] | None]]:
        """Each record's deck id and GUIDs (None: it cannot be read), by its path. The id is the one its own deck
        text names, never its file's name: she may rename a deck file with its record, or swap two decks' files.
        One that cannot be read is the deck's it is beside, else its file's name's (an import then refuses it)."""
        beside = {record_path(file): deck_id for deck_id, file in self.files.items()}
        found: dict[Path, tuple[str, frozenset[str] | None]] = {}
        for path in record_files(self.folder):
            data = _record_json(path)
            if data is not None and (named := _deck_named(data)) is not None:
                found[path] = (named, frozenset(data["guids"].values()))
            else:
                found[path] = (beside.get(path, path.name.removesuffix(RECORD_SUFFIX)), None)
        return found

    @cached_property
    def _candidates(self) -> dict[str, list[Path]]:
        """The records naming each deck, best first: the one beside its loaded file, then those beside a deck file
        (two: a copy left behind), then the rest, each in the folder's order."""
        found: dict[str, list[Path]] = {}
        for path, (deck_id, _) in self._read.items():
            found.setdefault(deck_id, []).append(path)
        return {deck_id: sorted(paths, key=lambda path: self._rank(deck_id, path)) for deck_id, paths in found.items()}

    def _rank(self, deck_id: str, record: Path) -> int:
        if deck_id in self.files and record == record_path(self.files[deck_id]):
            return 0
        return 1 if deck_file_of(record).is_file() else 2

    @cached_property
    def _records(self) -> dict[str, Path]:
        """Each deck's record, by its id: the best of those naming it."""
        return {deck_id: paths[0] for deck_id, paths in self._candidates.items()}

    def record(self, deck_id: str) -> Path | None:
        """The deck's import record: the one whose deck text names it (beside its loaded file when two do), or one
        that cannot be read (a link to nowhere too) beside its loaded file. None when it has none; UnreadableRecord
        when several name it and none is beside a deck file: which one is the deck's is not known."""
        paths = self._candidates.get(deck_id, [])
        if len(paths) > 1 and self._rank(deck_id, paths[0]) == 2:
            raise UnreadableRecord(f"{len(paths)} import records name deck '{deck_id}': {', '.join(map(str, paths))}")
        return paths[0] if paths else None

    def deck_file(self, deck_id: str) -> Path:
        """Where the deck's file is, or an import writes it: where it loaded from (moved or renamed without its
        record too), else beside its record, in whichever subfolder, else at the top of the folder, named by
        the id."""
        if deck_id in self.files:
            return self.files[deck_id]
        record = self._records.get(deck_id)
        return deck_file_of(record) if record is not None else self.folder / self._new_file(deck_id)

    @cached_property
    def _present(self) -> set[str]:
        """What the top of the folder holds, read once: a deck file's name made from it stays the same."""
        return entries(self.folder)

    def _new_file(self, deck_id: str) -> str:
        """The name a new deck file takes: its id's, unless Windows keeps it for a device or it is another file's
        name but for case (quiz.core.filenames)."""
        return new_name(self.folder, deck_id, ".yaml", self._present)

    def why_named(self, deck_id: str) -> str | None:
        """The line saying why the deck's new file is not named by its id; None when it is, or the deck has a file."""
        if deck_id in self.files or deck_id in self._records:
            return None
        return why_named(f"{deck_id}.yaml", self._new_file(deck_id))

    def bring_record(self, deck_id: str) -> None:
        """Move the deck's record beside its loaded file when she moved or renamed one without the other, so the
        deck keeps one record, where an update reads and writes it (an atomic rename: no copy is left).
        FileExistsError when another deck's record is there (she swapped two decks' files): never overwritten."""
        loaded = self.files.get(deck_id)
        record = self._records.get(deck_id)
        if loaded is None or record is None or record == record_path(loaded):
            return
        if os.path.lexists(record_path(loaded)):
            other = self._read.get(record_path(loaded), ("?", None))[0]
            raise FileExistsError(
                errno.EEXIST,
                f"{as_written(record_path(loaded))} is the import record of deck '{other}', not of deck '{deck_id}'"
                " (its record is"
                f" {as_written(record)}): put each deck file beside its own record",
            )
        _move(record, record_path(loaded))
        for cached in ("_read", "_candidates", "_records", "_guids"):
            self.__dict__.pop(cached, None)
        self._anki_decks.clear()
        self._took.clear()

    @cached_property
    def _guids(self) -> dict[str, frozenset[str]]:
        """Each readable record's GUIDs, by the id of its deck."""
        return {deck_id: guids for deck_id, path in self._records.items() if (guids := self._read[path][1]) is not None}

    def source(self, deck_id: str) -> str | None:
        """The name of the file the deck was last imported from, as its record says; None when it has no record
        that can be read."""
        try:
            record = self.record(deck_id)
        except UnreadableRecord:
            return None
        data = _record_json(record) if record is not None else None
        return str(data.get("source", "")) if data is not None else None

    def named_as_in(self, decks_now: Mapping[int, tuple[str, ...]], default_notes: frozenset[str]) -> None:
        """From now on, `anki_decks` names each Anki deck a record keeps the id of as the package names that id
        (`decks_now`: Anki id -> the deck's name split at "::"): one she renamed in Anki is the same deck (Default
        only for a record sharing notes with the package's deck of id 1, `default_notes`' GUIDs: followed_ids)."""
        self._decks_now = decks_now
        self._default_notes = default_notes
        self._anki_decks.clear()
        self._took.clear()

    def anki_decks(self, deck_id: str) -> tuple[frozenset[str], frozenset[str]] | None:
        """The GUIDs the deck's import record knows, and the Anki decks its topics came from ("Pharm::Cardio"; none
        in a record older than them; each by its name in the package when renamed in Anki since: `named_as_in`);
        None when it has no record that can be read. Read once per deck: an import
        of a whole collection asks it several times of each deck holding its notes (a shared deck's record is big),
        and writes no record before it has asked."""
        if deck_id not in self._anki_decks:
            self._anki_decks[deck_id] = self._read_anki_decks(deck_id)
        return self._anki_decks[deck_id]

    def _read_anki_decks(self, deck_id: str) -> tuple[frozenset[str], frozenset[str]] | None:
        try:
            record = self.record(deck_id)
        except UnreadableRecord:
            return None
        data = _record_json(record) if record is not None else None
        if data is None:
            return None
        topics = data.get("topics")
        decks = [deck for deck in topics.values() if isinstance(deck, str)] if isinstance(topics, dict) else []
        guids = frozenset(str(guid) for guid in data["guids"].values())
        deck_ids = followed_ids(_deck_ids(data.get("deck_ids")), shares_notes=not guids.isdisjoint(self._default_notes))
        renamed = renamed_in_anki(deck_ids, self._decks_now)
        if (took := _took(data.get("took"))) is not None:
            self._took[deck_id] = (renamed.get(took, took), deck_ids.get(took))
        return guids, frozenset(renamed.get(deck, deck) for deck in decks)

    def took(self, deck_id: str) -> str | None:
        """The Anki deck the deck was made of, as its import record says (ImportRecord.took), by its name in the
        package when renamed in Anki since; None when not known."""
        self.anki_decks(deck_id)
        return self._took[deck_id][0] if deck_id in self._took else None

    def made_of(self, name: str) -> str | None:
        """The deck made of the package's Anki deck `name`, as its import record says (`took`, by its Anki id:
        whether or not it holds notes of the package, she renamed the deck in Anki or the name was another deck's
        when it came in); None for none. Every record is read: only when the deck the name gives is another's."""
        anki_id = next((anki_id for anki_id, path in self._decks_now.items() if same_deck("::".join(path), name)), None)
        if anki_id is None or anki_id == ANKI_DEFAULT_DECK:  # Default's id, the same in every collection, tells nothing
            return None
        for deck_id in self._records:
            self.anki_decks(deck_id)
            if deck_id in self._took and self._took[deck_id][1] == anki_id and not self.deleted(deck_id):
                return deck_id
        return None

    def renamed_to(
        self, name: str, decks_now: Mapping[int, tuple[str, ...]], default_notes: frozenset[str]
    ) -> str | None:
        """What the Anki deck `name`, which a record keeps the id of, is called in the package (`decks_now`: Anki id
        -> its name split at "::"; `default_notes`: the GUIDs of its deck of id 1's notes, followed_ids): she
        renamed it in Anki since it came in; None for none. Every record is read: only for an import refused for
        naming no deck of the package."""
        for path in self._records.values():
            data = _record_json(path)
            if data is None:
                continue
            shares = not default_notes.isdisjoint(str(guid) for guid in data["guids"].values())
            renamed = renamed_in_anki(followed_ids(_deck_ids(data.get("deck_ids")), shares_notes=shares), decks_now)
            if (now := next((now for before, now in renamed.items() if same_deck(before, name)), None)) is not None:
                return now
        return None

    def has(self, deck_id: str) -> bool:
        """Whether the folder holds the deck, loaded or imported (its record left, its file deleted or not)."""
        return deck_id in self.deck_ids or deck_id in self._guids

    def deleted(self, deck_id: str) -> bool:
        """Whether only the record of an imported deck is left: its deck file was deleted (not its answers)."""
        return deck_id in self._guids and not self.deck_file(deck_id).is_file()

    def holders(self, guids: Iterable[str]) -> dict[str, str]:
        """Each of `guids` an imported deck (its file not deleted) holds -> that deck's id."""
        held = {guid: deck_id for deck_id, known in self._guids.items() if not self.deleted(deck_id) for guid in known}
        return {guid: held[guid] for guid in guids if guid in held}

    def updated_by(self, guids: set[str], *, deleted_too: bool = False) -> str | None:
        """The id of the imported deck that shares the most GUIDs with a package; None for none. A deck whose
        file was deleted only `deleted_too`."""
        best, shared = None, 0
        for deck_id, known in self._guids.items():
            count = len(guids & known)
            if count > shared and (deleted_too or not self.deleted(deck_id)):
                best, shared = deck_id, count
        return best


def _move(record: Path, to: Path) -> None:
    """A record that is a link is linked again from `to` to where it leads: moved, a relative link would lead
    nowhere from its new folder."""
    if record.is_symlink():
        to.symlink_to(os.path.relpath(record.resolve(), to.parent))
        record.unlink()
    else:
        os.replace(record, to)


def within(path: str, folder: Path) -> bool:
    """Whether `path`, its links followed, is in `folder` (its links followed too)."""
    try:
        return Path(path).resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # unreadable, or a loop of links (RuntimeError on Python 3.11)
        return False


@dataclass(frozen=True)
class Change:
    """One field of a note, before and after."""

    field: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.field}: {_short(self.before)} -> {_short(self.after)}"


@dataclass(frozen=True)
class Conflict:
    """A note both the user and the package changed (or, with no record, that differs: who changed it is not
    known)."""

    note_id: str
    front: str  # a short label: the note's first text
    package: tuple[Change, ...]  # from quiz's last version (yours when there is none) to the package's
    yours: tuple[Change, ...]  # from quiz's last version to yours; empty when you deleted it or it is unknown
    deleted: bool = False  # you deleted the note


@dataclass
class Merge:
    notes: list[Note] = field(default_factory=list)  # the deck's notes to write
    base: list[Note] = field(default_factory=list)  # what the record keeps as quiz's last version of each
    updated: list[Note] = field(default_factory=list)
    updated_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)  # note id -> the fields the update changed
    # note id -> the gaps of a cloze note the update renumbered (cloze.renumbered_gaps): only that is kept of your
    # version, which a shared deck's update would otherwise hold, note by note, until it is written
    gaps_renumbered: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    added: list[Note] = field(default_factory=list)
    unchanged: int = 0
    yours_kept: int = 0  # notes you edited that the package did not change
    deleted_kept: int = 0  # notes you deleted that the package did not change: they stay deleted
    own: int = 0  # notes you added yourself
    gone: list[Note] = field(default_factory=list)  # gone from the package, kept in the deck
    gone_edited: set[str] = field(default_factory=set)  # of those, the ids of notes you edited (or unknown)
    removed: list[Note] = field(default_factory=list)  # gone from the package, removed (remove_missing)
    # the notes of Anki decks the package left out (a subdeck taken alone), kept as they are, each with its Anki deck
    left_out: list[tuple[Note, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    replaced: bool = False  # the conflicts took the package's version
    recorded: bool = (
        True  # an import record told your edits apart; False: the deck has none (added by an older `quiz add`, say)
    )


def _same(a: Note, b: Note) -> bool:
    """Whether two versions of a note are the same, tags in any order (Anki sorts a note's)."""
    return replace(a, line=0, tags=b.tags) == replace(b, line=0) and set(a.tags) == set(b.tags)


def _as_yours(yours: Note, new: Note, marked: Container[str]) -> Note:
    """The package's `new` with no `marked` tag where the store marks the note and your note does not list it (your
    own export writes the store's mark so: no change of the file), and with your order of its tags when they are
    yours in another order."""
    if yours.id in marked and tagged_marked(new) and not tagged_marked(yours):
        new = replace(new, tags=tuple(tag for tag in new.tags if tag.casefold() != MARKED_TAG))
    if new.tags != yours.tags and set(new.tags) == set(yours.tags):
        new = replace(new, tags=yours.tags)
    return new


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def _fields(note: Note | None) -> dict[str, str]:
    if note is None:
        return {}
    return {name: _text(value) for name, value in note_fields(note).items() if name != "id"}


def changes(before: Note | None, after: Note | None) -> tuple[Change, ...]:
    """The fields that differ, in the order a deck file writes them (tags in another order do not)."""
    old, new = _fields(before), _fields(after)
    if before is not None and after is not None and set(before.tags) == set(after.tags):
        old.pop("tags", None)
        new.pop("tags", None)
    names = list(dict.fromkeys([*old, *new]))
    return tuple(Change(name, old.get(name, ""), new.get(name, "")) for name in names if old.get(name) != new.get(name))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


def label(note: Note) -> str:
    """A note's first text, on one line, shortened: what a list of notes shows beside the id."""
    text = " ".join(KINDS[note.kind].anki_faces(note)[0].split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def merge(
    record: ImportRecord | None,
    yours: Deck,
    package: list[Note],
    *,
    replace_conflicts: bool,
    remove_missing: bool,
    her_export: bool,
    left_out: Mapping[str, str] | None = None,
    marked: Container[str] = frozenset(),
) -> Merge:
    """The deck's notes after the update, in your order, new notes at the end in the package's order.

    The record takes the package's version of a note the package brings just as you have it, and forgets a note
    gone from both, unless the package is `her_export` (your own export of a deck the record has from elsewhere,
    `is_her_export`): then it keeps what that deck last gave, so your edits, your own notes and the notes you
    deleted stay yours at its next version. `left_out`: the record's notes of Anki decks the package leaves out (a
    subdeck taken alone), each -> its Anki deck: not gone from Anki, each is kept as it is, and the record's
    version of it too (one you deleted stays deleted at the next import of its deck). `marked`: the ids of the notes
    the store marks (`_as_yours`)."""
    left_out = left_out or {}
    base = record.notes if record else {}
    theirs = {note.id: note for note in package}
    result = Merge(replaced=replace_conflicts, recorded=record is not None)
    for note in yours.notes:
        last, new = base.get(note.id), theirs.get(note.id)
        new = _as_yours(note, new, marked) if new is not None else None
        if new is None and last is not None and note.id in left_out:
            result.left_out.append((note, left_out[note.id]))
            result.notes.append(note)
            result.base.append(last)
        elif new is None:
            _missing(result, record, note, last, replace_conflicts, remove_missing)
        elif _same(note, new):
            result.unchanged += 1
            # the package's note (equal but for its line): yours, parsed from the deck file, is let go with the
            # parse's leftovers, which the history's hundreds of thousands of answers then reuse
            result.notes.append(new if new.line == note.line else replace(new, line=note.line))
            if not her_export:
                result.base.append(new)
            elif last is not None:
                result.base.append(last)
        elif last is not None and _same(note, last):
            result.updated.append(new)
            result.updated_fields[new.id] = tuple(change.field for change in changes(note, new))
            _note_gaps_renumbered(result, note, new)
            result.notes.append(new)
            result.base.append(last if her_export else new)  # her export's change is her edit, not the deck's
        elif last is not None and _same(new, last):
            result.yours_kept += 1
            result.notes.append(note)
            result.base.append(last)
        else:
            package_changes = changes(last or note, new)
            yours_changes = changes(last, note) if last is not None else ()
            result.conflicts.append(Conflict(note.id, label(note), package_changes, yours_changes))
            result.notes.append(new if replace_conflicts else note)
            if replace_conflicts:  # taken as for an update (a deck with no record has every change so)
                _note_gaps_renumbered(result, note, new)
            # Her export's version, even replaced, is her edit: the record keeps the deck's (none: her own note).
            # With no record, it stays a conflict until replaced
            if replace_conflicts and not her_export:
                result.base.append(new)
            elif last is not None:
                result.base.append(last)
    in_yours = {note.id for note in yours.notes}
    # a note she deleted, which her export (or a package leaving its Anki deck out) does not hold either: still
    # deleted at the next version
    result.base.extend(
        last
        for key, last in base.items()
        if key not in in_yours and key not in theirs and (her_export or key in left_out)
    )
    for new in package:
        if new.id in in_yours:
            continue
        last = base.get(new.id)
        if last is None:
            result.added.append(new)
            result.notes.append(new)
            if not her_export:  # one she added to her export: her own, never gone from the deck's next version
                result.base.append(new)
        elif _same(new, last):
            result.deleted_kept += 1
            result.base.append(last)
        else:
            result.conflicts.append(Conflict(new.id, label(new), changes(last, new), (), deleted=True))
            if replace_conflicts:
                result.notes.append(new)
            result.base.append(new if replace_conflicts and not her_export else last)
    return result


def _note_gaps_renumbered(result: Merge, yours: Note, taken: Note) -> None:
    """Keep the gaps of cloze note `yours`, studied as it is, that `taken` (the version written) renumbers."""
    if yours.kind == taken.kind == "cloze" and (moved := renumbered_gaps(yours.body.text, taken.body.text)):
        result.gaps_renumbered[taken.id] = moved


def _missing(
    result: Merge, record: ImportRecord | None, note: Note, last: Note | None, replace_all: bool, remove: bool
) -> None:
    """A note of yours the package does not hold: your own, or gone from the package."""
    if record is not None and last is None:
        result.own += 1
        result.notes.append(note)
        return
    edited = last is None or not _same(note, last)  # no record: whether you edited it is not known
    if remove and (replace_all or not edited):
        result.removed.append(note)
        return
    result.gone.append(note)
    if edited:
        result.gone_edited.add(note.id)
    result.notes.append(note)
    if last is not None:
        result.base.append(last)


def is_her_export(record: ImportRecord | None, guids: Mapping[str, str]) -> bool:
    """Whether a package whose notes have `guids` (by note id) is her own export of a deck the record has from
    elsewhere: it names a note the record knows by Anki's GUID by quiz's (`quiz export` writes quiz's). A deck of
    hers going back and forth with Anki keeps quiz's GUIDs, and a shared deck's next version Anki's."""
    known = record.guids if record else {}
    return any(
        deck_of_guid(guid) is not None and deck_of_guid(known[note]) is None
        for note, guid in guids.items()
        if note in known
    )


def shares_notes(record: ImportRecord | None, yours: Deck, package: list[Note]) -> bool:
    """Whether the package holds any note of the deck (by id, so by GUID): else it is another deck."""
    ids = {note.id for note in yours.notes} | set(record.notes if record else ())
    return not ids or any(note.id in ids for note in package)
