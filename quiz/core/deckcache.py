"""A cache of parsed decks, so an unchanged deck file is never parsed twice.

Parsing and validating a 50,000-card deck takes seconds; reading it back from here takes
milliseconds. One cache entry per deck file, named by a BLAKE2 hash of quiz.core's source, the Python
and PyYAML versions (so a new quiz never trusts an old entry), the file's path and the file's bytes.
An entry holds the whole LoadResult - the deck *and* every problem and warning - in two parts:

- an index (marshal): the deck's header, every note's id, kind, topic, tags and line, every card's
  key, the pictures its notes name; enough to count, queue and list cards without touching any card
  text; read at start-up;
- the notes' full values, one marshal record per note: read from the file (all at once, checked) only
  when a note's text is first used, so start-up reads a 50,000-card deck's index, not its text.

Decks come back as real `Deck`, `Note` and `Card` values; their notes and cards are only built when
first used, and a note's text only when first read (`_LazyDeck`, `_LazyNote` below).

Nothing read from the cache is trusted blindly: an entry whose header, length or index CRC-32 is
wrong, or that fails to unmarshal, is ignored (and replaced) and the deck file is parsed again. The
notes part has its own CRC-32, checked when it is read; if it is gone or damaged by then, the deck
file is parsed again (when it still has the content the entry was made from; or the bytes a caller of
`cached` holds, as her editor may have saved the file since) and the notes are taken from that.
Entries are written to a temporary file and renamed into place, so a crash never leaves half an entry,
and are read into memory (never mapped, so a file truncated by hand cannot crash quiz). When the loader
changes, old entries are deleted.

Hashing a big deck costs as much as reading it, so a small stat index remembers, per path, the file's
size, mtime, ctime, inode and device and the content key they had. A file whose stat still matches is
not read at all; as in git, a file changed within two seconds of being recorded is never trusted
this way (a change inside one timestamp tick would keep its stat).

The pictures a deck names are other files, which its key does not cover: an entry remembers each picture the parse
checked and its problem (none when it passed), so a deck naming a missing picture is kept too, and at every hit each
is checked again. A deck whose picture fares otherwise (now wrong: gone, no picture, a link leading out of its
folder; or wrong no more, or wrong in another way) is parsed again, so the problem shown is the current one,
reported where the deck names the picture. A deck with another problem found outside its file is never kept.
The key of an entry with a picture's problem is its content key and a digest of those problems (`verdict_key`), so
it never takes the place of the entry of the same deck with its pictures in place, whose notes an open app may still
read; a hit on one whose pictures fare otherwise now looks for the entry made when they fared as now (`_current`).
Writing an entry with a picture's problem removes the others of the same bytes with other problems (their decks did
not load: no notes for an app to read), so a deck file has at most two: with its pictures in place, and with the
last problems seen. Each picture is looked at once per load (`_PictureLooks`): the entries tried and the parse take
that one verdict, so what is kept agrees with its key even when a picture is copied in or deleted meanwhile.
The stat index also remembers each picture's stat when it passed; one with that very stat (the same regular
file, reached through no link, not changed since) costs one lstat, not an open and a read (a deck of 5,000
pictures: ~250 ms at every start).
"""

from __future__ import annotations

import marshal
import os
import struct
import sys
import time
import zlib
from array import array

try:  # BLAKE2 without hashlib, whose OpenSSL import costs 2-3 ms at every start
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import fields
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar

from quiz.core.atomicfile import atomic_write
from quiz.core.deckfile import DeckFileError, read_deck_bytes
from quiz.core.gcpause import gc_paused
from quiz.core.images import PictureStat, image_problem, unlinked_picture_stat
from quiz.core.kindnames import KIND_NAMES
from quiz.core.model import Card, Deck, Note, Source, Topic
from quiz.core.problems import Problem

Verdict = tuple[str, str] | None  # a picture's problem (message, hint); None when it passed

if TYPE_CHECKING:  # decks is given to the cache (parse, load_result), never imported by it
    from quiz.core.deckfile import LoadResult
    from quiz.core.kinds.base import CardKind

    # LoadResult's own constructor: path, deck, problems, pictures
    LoadResultOf = Callable[[str, Deck | None, list[Problem], dict[str, Verdict]], LoadResult]
    # parse(data, path, look_at_picture) validates a deck file's bytes, each picture's problem (None when it passes)
    # taken from look_at_picture(image): the load's one look at it (_PictureLooks), not a look of its own
    Parse = Callable[[bytes, str, Callable[[str], Verdict]], LoadResult]

BeforeParse = Callable[[str, int], None]  # told a deck file's path and size before it is parsed (not in the cache)

FORMAT = 12  # 9: a note's answer_images; 10: a picture whose name does not end as one is a problem; 11: a
# problem's `quoted` file names; 12: each picture checked and its problem, so a deck naming a missing one is kept
MAGIC = b"QZDC"
_HEADER = struct.Struct("<4sIIIQQ")  # magic, format, crc32 of the index, crc32 of the notes, their lengths
_MARSHAL_VERSION = 4
RACY_SECONDS = 2.0
ENTRY_SUFFIX = ".qdc"
_PROBLEMS_MARK = "-"  # between an entry's content key and the digest of its pictures' problems
STAT_INDEX = "stat-index"

_NOTE_FIELDS = tuple(f.name for f in fields(Note))
_EAGER = ("id", "kind", "topic", "tags", "line")  # what queues and counts read, kept in the index
_LAZY = tuple(name for name in _NOTE_FIELDS if name not in _EAGER)
_PROBLEM_FIELDS = tuple(f.name for f in fields(Problem))

_note_slot = {name: Note.__dict__[name] for name in _NOTE_FIELDS}  # the slot descriptors of Note
_deck_slot = {name: Deck.__dict__[name] for name in ("notes", "cards")}


# --- lazy values -------------------------------------------------------------------------------------


def _lazy_note_field(name: str) -> property:
    slot = _note_slot[name]

    def get(self: _LazyNote) -> Any:
        try:
            return slot.__get__(self, Note)
        except AttributeError:  # not read yet
            self._fill()
            return slot.__get__(self, Note)

    def set_(self: _LazyNote, value: Any) -> None:  # Note.__init__ (dataclasses.replace) sets every field
        slot.__set__(self, value)

    return property(get, set_, doc=f"Note.{name}, read from the deck cache when first used")


class _LazyNote(Note):
    """A Note whose id, kind, topic, tags and line are set, and whose other fields are read on first use.

    It compares and hashes like a Note with the same values (a plain Note included), so callers
    cannot tell the difference; only comparing two different notes is faster (ids first).
    """

    __slots__ = ("_src", "_at")
    _src: DeckIndex
    _at: int

    def _fill(self) -> None:
        values = self._src.note_values(self._at)
        for name, value in zip(_LAZY, values, strict=True):
            _note_slot[name].__set__(self, value)
        # read whole: the entry (a shared deck's notes part is MBs) is not held by the notes a caller keeps
        _del_src(self)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _NOTE_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Note):
            return NotImplemented
        if self is other:
            return True
        if self.id != other.id or self.kind != other.kind or self.line != other.line:
            return False
        return self._values() == tuple(getattr(other, name) for name in _NOTE_FIELDS)

    def __hash__(self) -> int:
        return hash(self._values())  # what the dataclass hash of an equal Note gives

    def __repr__(self) -> str:
        return "Note" + Note.__repr__(self)[len(type(self).__qualname__) :]

    def __reduce__(self) -> tuple[type[Note], tuple[Any, ...]]:  # pickles (and copies) as a plain Note
        return (Note, self._values())


for _name in _LAZY:
    setattr(_LazyNote, _name, _lazy_note_field(_name))


def _lazy_deck_field(name: str) -> property:
    slot = _deck_slot[name]

    def get(self: _LazyDeck) -> Any:
        try:
            return slot.__get__(self, Deck)
        except AttributeError:
            self._build()
            return slot.__get__(self, Deck)

    def set_(self: _LazyDeck, value: Any) -> None:
        slot.__set__(self, value)

    return property(get, set_, doc=f"Deck.{name}, built from the deck cache when first used")


class _LazyDeck(Deck):
    """A Deck whose notes and cards are built when first used; counting and topics need neither."""

    __slots__ = ("_src",)
    _src: DeckIndex

    def __new__(cls, *args: Any, **kwargs: Any) -> Deck:  # type: ignore[misc]  # a plain Deck, on purpose
        # The cache makes its decks with object.__new__; a call of the class is dataclasses.replace (an export
        # tagging marked notes), whose copy has all its values and no index: a plain Deck.
        return Deck(*args, **kwargs)

    def _build(self) -> None:
        notes, cards = self._src.build(self.id)
        _deck_slot["notes"].__set__(self, notes)
        _deck_slot["cards"].__set__(self, cards)

    # from the cache's index: the deck's lookups need no card built
    def _card_keys(self) -> Sequence[str]:
        return self._src.card_keys

    def _card_topics(self) -> Sequence[str]:
        topics = self._src.note_topics
        return [topics[note] for note in self._src.card_notes]

    def _card_topic_at(self, at: int) -> str:
        return self._src.note_topics[self._src.card_notes[at]]

    def topic_ids(self) -> list[str]:
        seen = [t.id for t in self.topics]
        for topic in self._src.topic_order():
            if topic not in seen:
                seen.append(topic)
        return seen

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Deck):
            return NotImplemented
        return (self.id, self.title, self.path, self.description, self.sources, self.topics, self.notes) == (
            other.id,
            other.title,
            other.path,
            other.description,
            other.sources,
            other.topics,
            other.notes,
        )

    def __hash__(self) -> int:
        return hash((self.id, self.title, self.path, self.description, self.sources, self.topics, self.notes))

    def __repr__(self) -> str:
        return "Deck" + Deck.__repr__(self)[len(type(self).__qualname__) :]

    def __reduce__(self) -> tuple[type[Deck], tuple[Any, ...]]:
        return (
            Deck,
            (self.id, self.title, self.path, self.description, self.sources, self.topics, self.notes, self.cards),
        )


for _name in _deck_slot:
    setattr(_LazyDeck, _name, _lazy_deck_field(_name))

_new = object.__new__


def _array(typecode: str, data: bytes) -> array[int]:
    values = array(typecode)
    values.frombytes(data)
    return values


def _packed(typecode: str, values: Iterable[int]) -> bytes:
    return array(typecode, values).tobytes()


_set_id, _set_kind, _set_topic, _set_tags, _set_line = (_note_slot[n].__set__ for n in _EAGER)
# The slots' own setters (as for Note's fields above): the lazy classes are frozen like Note and Deck.
_set_src, _set_at = _LazyNote.__dict__["_src"].__set__, _LazyNote.__dict__["_at"].__set__
_del_src = _LazyNote.__dict__["_src"].__delete__
_set_deck_src = _LazyDeck.__dict__["_src"].__set__


class DeckCacheLost(RuntimeError):
    """A deck's notes are needed, its cache entry is damaged and the deck file has changed since."""


class DeckIndex:
    """One cache entry, read: the index in memory; the notes read on first use, then each note's values
    unmarshalled on demand."""

    def __init__(self, index: dict[str, Any], read_notes: Callable[[], bytes | tuple[Note, ...]]) -> None:
        """`read_notes()` gives the entry's notes part, or (when that is lost) the notes parsed again."""
        self._read_notes: Callable[[], bytes | tuple[Note, ...]] | None = read_notes
        self._notes: bytes | tuple[Note, ...] | None = None
        self.note_ids: tuple[str, ...] = index["note_ids"]
        self.note_kinds = _array("B", index["note_kinds"])
        self.kind_names: tuple[str, ...] = index["kind_names"]
        self._kinds: tuple[CardKind, ...] | None = None  # each of kind_names' kinds, loaded with the first note
        self.note_topics: tuple[str, ...] = index["note_topics"]
        self.note_tags: tuple[tuple[str, ...], ...] = index["note_tags"]
        self.note_lines = _array("I", index["note_lines"])
        self.note_offsets = _array("I", index["note_offsets"])
        self.card_keys: tuple[str, ...] = index["card_keys"]
        self.card_notes = _array("I", index["card_notes"])
        self.card_ordinals = _array("I", index["card_ordinals"])
        self.groups: tuple[tuple[str, int, tuple[str, ...]], ...] = index["card_groups"]
        self.pictures: tuple[str, ...] = index["pictures"]  # each `image:` and `answer_image:` once, as named
        self.has_pictures = bool(self.pictures)

    def notes_part(self) -> bytes | tuple[Note, ...]:
        """The entry's notes part, read on first use (DeckCacheLost when it is gone and its file changed)."""
        notes = self._notes
        if notes is None:
            assert self._read_notes is not None  # let go only once the notes are read
            notes = self._read_notes()
            if not isinstance(notes, bytes) and len(notes) != len(self.note_ids):
                raise DeckCacheLost("the deck parsed again does not match its cache entry")
            # let go of the reader: it may hold the deck file's bytes (`DeckCache.cached`), MBs for a shared deck
            self._notes, self._read_notes = notes, None
        return notes

    def note_values(self, at: int) -> tuple[Any, ...]:
        notes = self.notes_part()
        if not isinstance(notes, bytes):
            return tuple(getattr(notes[at], name) for name in _LAZY)
        start, end = self.note_offsets[at], self.note_offsets[at + 1]
        body_values, *rest = marshal.loads(memoryview(notes)[start:end])
        kinds = self._kinds
        if kinds is None:  # the kinds' modules load when a note is first read, not at every start
            from quiz.core.kinds import KINDS

            kinds = self._kinds = tuple(KINDS[name] for name in self.kind_names)
        kind = kinds[self.note_kinds[at]]
        return (kind.body(dict(zip((field.name for field in kind.fields), body_values, strict=True))), *rest)

    def card_groups(self) -> list[tuple[str, str, Sequence[str]]]:
        """The card keys of each topic and kind, as stored: counting reads them without building a card."""
        return [(topic, self.kind_names[kind], keys) for topic, kind, keys in self.groups]

    def topic_order(self) -> list[str]:
        return list(dict.fromkeys(t for t in self.note_topics if t))

    def build(self, deck_id: str) -> tuple[tuple[Note, ...], tuple[Card, ...]]:
        kinds = self.kind_names
        with gc_paused():
            notes: list[Note] = []
            append = notes.append
            for at, (note_id, kind, topic, tags, line) in enumerate(
                zip(self.note_ids, self.note_kinds, self.note_topics, self.note_tags, self.note_lines, strict=True)
            ):
                note = _new(_LazyNote)
                _set_id(note, note_id)
                _set_kind(note, kinds[kind])
                _set_topic(note, topic)
                _set_tags(note, tags)
                _set_line(note, line)
                _set_src(note, self)
                _set_at(note, at)
                append(note)
            cards = tuple(
                map(
                    Card,
                    [deck_id] * len(self.card_keys),
                    [notes[i] for i in self.card_notes],
                    self.card_keys,
                    self.card_ordinals,
                )
            )
        return tuple(notes), cards


# --- writing and reading entries --------------------------------------------------------------------


_V = TypeVar("_V", bound=Hashable)


def _dedupe(values: _V, seen: dict[_V, _V]) -> _V:
    """The same object for equal values, so marshal writes each once and reading shares them."""
    return seen.setdefault(values, values)


def encode(result: LoadResult) -> bytes:
    """A LoadResult as one cache entry."""
    deck: Deck | None = result.deck
    problems = tuple(tuple(getattr(p, name) for name in _PROBLEM_FIELDS) for p in result.problems)
    index: dict[str, Any] = {
        "path": result.path,
        "problems": problems,
        "picture_problems": result.pictures,
        "note_fields": _NOTE_FIELDS,
        "deck": None,
    }
    chunks: list[bytes] = []
    if deck is not None:
        from quiz.core.kinds import KINDS  # a deck was parsed: its kinds are loaded already

        seen: dict[Any, Any] = {}  # strings and tuples of them
        kind_names = tuple(KINDS)
        kind_at = {name: i for i, name in enumerate(kind_names)}
        offsets = [0]
        for note in deck.notes:
            body_values = tuple(KINDS[note.kind].field_values(note).values())
            values = tuple(body_values if name == "body" else getattr(note, name) for name in _LAZY)
            chunk = marshal.dumps(values, _MARSHAL_VERSION)
            chunks.append(chunk)
            offsets.append(offsets[-1] + len(chunk))
        note_at = {id(note): i for i, note in enumerate(deck.notes)}
        ids = {note.id: note.id for note in deck.notes}
        card_keys = tuple(ids.get(c.key, c.key) for c in deck.cards)  # a note's first card shares its id
        groups: dict[tuple[str, int], list[str]] = {}
        for card, key in zip(deck.cards, card_keys, strict=True):
            groups.setdefault((card.note.topic, kind_at[card.note.kind]), []).append(key)
        index.update(
            deck=(
                deck.id,
                deck.title,
                deck.path,
                deck.description,
                tuple((s.id, s.title, s.publisher, s.url) for s in deck.sources),
                tuple((t.id, t.title) for t in deck.topics),
            ),
            kind_names=kind_names,
            note_ids=tuple(ids[n.id] for n in deck.notes),
            note_kinds=_packed("B", (kind_at[n.kind] for n in deck.notes)),
            note_topics=tuple(_dedupe(n.topic, seen) for n in deck.notes),
            note_tags=tuple(_dedupe(tuple(_dedupe(t, seen) for t in n.tags), seen) for n in deck.notes),
            note_lines=_packed("I", (n.line for n in deck.notes)),
            note_offsets=_packed("I", offsets),
            card_keys=card_keys,
            card_groups=tuple((topic, kind, tuple(keys)) for (topic, kind), keys in groups.items()),
            pictures=tuple(dict.fromkeys(image for note in deck.notes for image in note.all_images)),
            card_notes=_packed("I", (note_at[id(c.note)] for c in deck.cards)),
            card_ordinals=_packed("I", (c.ordinal for c in deck.cards)),
        )
    index_bytes = marshal.dumps(index, _MARSHAL_VERSION)
    notes = b"".join(chunks)
    header = _HEADER.pack(MAGIC, FORMAT, zlib.crc32(index_bytes), zlib.crc32(notes), len(index_bytes), len(notes))
    return header + index_bytes + notes


class CorruptEntry(Exception):
    """A cache entry that cannot be used (the deck is parsed again)."""


class EntryHeader(NamedTuple):
    magic: bytes
    format: int
    index_crc: int
    notes_crc: int
    index_len: int
    notes_len: int

    @property
    def notes_at(self) -> int:
        return _HEADER.size + self.index_len


def read_header(file: BinaryIO, size: int) -> EntryHeader:
    """The header of an entry file of `size` bytes, or CorruptEntry."""
    data = file.read(_HEADER.size)
    if len(data) < _HEADER.size:
        raise CorruptEntry("too short")
    header = EntryHeader(*_HEADER.unpack(data))
    if header.magic != MAGIC or header.format != FORMAT or size != header.notes_at + header.notes_len:
        raise CorruptEntry("bad header or length")
    return header


def read_notes(path: Path, expected: EntryHeader) -> bytes:
    """The notes part of the entry at `path`, if it still has the header read at start-up and its CRC."""
    with open(path, "rb") as file:
        return _notes_of(file, expected)


def _notes_of(file: BinaryIO, expected: EntryHeader) -> bytes:
    """The notes part of the open entry `file`, if it has the header `expected` and its CRC."""
    file.seek(0)
    if read_header(file, os.fstat(file.fileno()).st_size) != expected:
        raise CorruptEntry("the entry changed")
    file.seek(expected.notes_at)
    notes = file.read(expected.notes_len)
    if len(notes) != expected.notes_len or zlib.crc32(notes) != expected.notes_crc:
        raise CorruptEntry("bad notes checksum")
    return notes


class _HeldEntry:
    """An entry file kept open from its index's reading to its notes': its notes cannot be taken away meanwhile
    (another quiz pruning the entry, while her editor saves the deck) yet are read only when first used. Closed
    once they are read, or when let go unread."""

    def __init__(self, file: BinaryIO, header: EntryHeader) -> None:
        self._file, self._header = file, header

    def notes(self) -> bytes:
        """The notes part, or CorruptEntry or OSError (the file was written over in place, or cannot be read)."""
        with self._file:
            return _notes_of(self._file, self._header)

    def __del__(self) -> None:
        self._file.close()


def decode(
    header: EntryHeader,
    index_bytes: bytes,
    load_result: LoadResultOf,
    notes: Callable[[], bytes | tuple[Note, ...]],
) -> LoadResult:
    """A cache entry's index back to a LoadResult (lazy; `notes()` reads its notes part), or CorruptEntry."""
    if len(index_bytes) != header.index_len or zlib.crc32(index_bytes) != header.index_crc:
        raise CorruptEntry("bad checksum")
    try:
        index = marshal.loads(index_bytes)
        problems = [Problem(*values) for values in index["problems"]]
        if index["note_fields"] != _NOTE_FIELDS:
            raise CorruptEntry("written for another note model")
        if index["deck"] is not None and not set(index["kind_names"]) <= set(KIND_NAMES):
            raise CorruptEntry("written for other card kinds")
        deck: _LazyDeck | None = None
        if index["deck"] is not None:
            deck_id, title, path, description, sources, topics = index["deck"]
            src = DeckIndex(index, notes)
            if len(src.note_offsets) != len(src.note_ids) + 1 or src.note_offsets[-1] != header.notes_len:
                raise CorruptEntry("note table does not match")
            if not (len(src.card_keys) == len(src.card_notes) == len(src.card_ordinals)):
                raise CorruptEntry("card table does not match")
            if sum(len(keys) for _, _, keys in src.groups) != len(src.card_keys):
                raise CorruptEntry("card groups do not match")
            deck = _new(_LazyDeck)
            for name, value in (
                ("id", deck_id),
                ("title", title),
                ("path", path),
                ("description", description),
                ("sources", tuple(Source(*s) for s in sources)),
                ("topics", tuple(Topic(*t) for t in topics)),
            ):
                Deck.__dict__[name].__set__(deck, value)
            _set_deck_src(deck, src)
        return load_result(index["path"], deck, problems, index["picture_problems"])
    except CorruptEntry:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a damaged entry makes marshal or a constructor raise
        raise CorruptEntry(f"unreadable: {exc!r}") from None


def loader_tag() -> bytes:
    """What entries depend on besides the file: quiz's core source, Python, PyYAML and this format."""
    digest = blake2b(
        f"{FORMAT}|{sys.version_info[:2]}|{sys.implementation.name}|{sys.byteorder}|{array('I').itemsize}|".encode()
    )
    try:  # PyYAML's files by their stat: importing yaml only to read its version would cost 10 ms
        from importlib.util import find_spec

        spec = find_spec("yaml")
        for location in spec.submodule_search_locations or () if spec else ():
            for entry in sorted(os.scandir(location), key=lambda e: e.name):
                if entry.is_file():
                    st = entry.stat()
                    digest.update(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}|".encode())
    except (ImportError, OSError, ValueError):  # pragma: no cover
        digest.update(b"yaml?")
    core = os.path.dirname(os.path.abspath(__file__))
    for folder in ("", "kinds"):  # all the loader could use: the core and the card kinds
        where = os.path.join(core, folder)
        for name in sorted(e.name for e in os.scandir(where) if e.name.endswith(".py")):
            digest.update(os.path.join(folder, name).encode() + b"\0")
            try:
                with open(os.path.join(where, name), "rb") as source:
                    digest.update(source.read())
            except OSError:
                digest.update(b"?")
    return digest.digest()


_Stat = tuple[int, int, int, int, int, str]  # a deck file's size, mtime, ctime, inode, device; its content key


class _PictureLooks:
    """The pictures of one deck file, each looked at once in one load, however many entries it tries and then the
    parse: so what the load gives, and keeps, is one verdict per picture (and 5,000 pictures are not looked at
    three times). A picture with the very stat it had when it last passed (`passed_before`) costs one lstat."""

    def __init__(self, deck_path: str, passed_before: dict[str, PictureStat]) -> None:
        self.deck_path = deck_path
        self._folder = str(Path(deck_path).parent)  # as image_problem reads the path
        self._passed_before = passed_before
        self._plain_folders: dict[str, bool] = {}
        # Only stats older than the racy window are remembered (a change inside one timestamp tick would keep its
        # stat); each is taken before its look, so a change after it is seen.
        self._settled_before = time.time_ns() - RACY_SECONDS * 1e9
        self._seen: dict[str, tuple[Verdict, PictureStat | None]] = {}  # each picture's problem, its settled stat

    def problem(self, image: str) -> Verdict:
        """The problem of `image` (None when it passes), looked at the first time it is asked for."""
        if image not in self._seen:
            found = unlinked_picture_stat(self._folder, image, self._plain_folders)
            unchanged = found is not None and found == self._passed_before.get(image)
            settled = found if found is not None and max(found[3], found[4]) < self._settled_before else None
            self._seen[image] = (None if unchanged else image_problem(self.deck_path, image), settled)
        return self._seen[image][0]

    def passed_stat(self, image: str) -> PictureStat | None:
        """The settled stat of a picture looked at that passed, to remember; None for any other."""
        problem, stat = self._seen[image]
        return stat if problem is None else None


class DeckCache:
    """Parsed decks under `folder` (e.g. <data dir>/cache/decks), keyed by content."""

    def __init__(self, folder: str | Path, parse: Parse, load_result: LoadResultOf) -> None:
        """`parse` validates a file's bytes (`Parse`); `load_result(path, deck, problems)` builds the result."""
        self.folder = Path(folder)
        self.parse = parse
        self.load_result = load_result
        self._tag: bytes | None = None
        self._stats: dict[str, _Stat] | None = None
        self._pictures: dict[str, dict[str, PictureStat]] = {}  # per deck file: its pictures' stats when they passed
        self._stats_dirty = False
        self._used: set[str] = set()  # keys of the entries this process read or wrote
        self._problem_entries: dict[str, set[str]] | None = None  # see _with_problems
        self.hits = self.misses = 0

    @property
    def tag(self) -> bytes:
        if self._tag is None:
            self._tag = loader_tag()
        return self._tag

    def key(self, path: str, data: bytes) -> str:
        digest = blake2b(self.tag, digest_size=20)
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def entry(self, key: str) -> Path:
        return self.folder / f"{key}{ENTRY_SUFFIX}"

    @staticmethod
    def verdict_key(content_key: str, pictures: dict[str, Verdict]) -> str:
        """The key of the entry of the deck bytes of `content_key` whose pictures fared as `pictures` says: the
        content key when each passed, else with a digest of their problems."""
        problems = sorted((image, problem) for image, problem in pictures.items() if problem is not None)
        if not problems:
            return content_key
        digest = blake2b(repr(problems).encode("utf-8", "surrogateescape"), digest_size=6)  # repr: as marshal's
        return f"{content_key}{_PROBLEMS_MARK}{digest.hexdigest()}"  # bytes may vary with the objects' references

    @staticmethod
    def content_key(key: str) -> str:
        return key.partition(_PROBLEMS_MARK)[0]

    # --- the stat index ---

    def _stat_index(self) -> dict[str, _Stat]:
        if self._stats is None:
            self._stats = {}
            try:
                loaded = marshal.loads((self.folder / STAT_INDEX).read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                self._stats_dirty = True  # written (with the tag) even if no file is recorded in it
                return self._stats
            if isinstance(loaded, dict) and loaded.get("tag") == self.tag and isinstance(loaded.get("files"), dict):
                self._stats = loaded["files"]
                pictures = loaded.get("pictures")  # an index written before pictures were remembered has none
                self._pictures = pictures if isinstance(pictures, dict) else {}
            else:  # written by another quiz (or damaged): its entries can never be hit again
                for old in self.folder.glob(f"*{ENTRY_SUFFIX}"):
                    self._remove(old)
                self._stats_dirty = True
        return self._stats

    @staticmethod
    def _signature(st: os.stat_result) -> tuple[int, int, int, int, int]:
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)

    def _known_key(self, path: str, st: os.stat_result) -> str | None:
        known = self._stat_index().get(path)
        if known is not None and tuple(known[:5]) == self._signature(st):
            return known[5]
        return None

    def _remember(self, path: str, st: os.stat_result, key: str) -> None:
        stats = self._stat_index()
        previous = stats.get(path)
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_SECONDS * 1e9:
            if previous is None or tuple(previous) != (*self._signature(st), key):
                stats[path] = (*self._signature(st), key)
                self._stats_dirty = True
        elif previous is not None:
            del stats[path]
            self._stats_dirty = True

    def prune(self) -> None:
        """Delete the entries of content no deck file has any more. Not done as files change: an open app
        may still read the notes of an entry whose deck changed (the app prunes as it exits). The entry of a deck
        with its pictures in place is kept beside the one with a picture's problem: found again once it is fixed."""
        known_keys = {known[5] for known in self._stat_index().values()} | self._used
        wanted = known_keys | {self.content_key(key) for key in known_keys}
        for deck_path in [path for path in self._pictures if path not in self._stat_index()]:
            del self._pictures[deck_path]
            self._stats_dirty = True
        for entry in self.folder.glob(f"*{ENTRY_SUFFIX}"):
            if entry.stem not in wanted:
                self._remove(entry)
        self._problem_entries = None

    def flush(self) -> None:
        """Write the stat index if it changed. A load ends here: the next lists the folder again."""
        self._problem_entries = None
        if self._stats_dirty and self._stats is not None:
            index = {"tag": self.tag, "files": self._stats, "pictures": self._pictures}
            self._write(self.folder / STAT_INDEX, marshal.dumps(index))
            self._stats_dirty = False

    # --- files ---

    def _write(self, target: Path, data: bytes) -> None:
        """Atomically (temporary file, then rename); a cache that cannot be written is only slower."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # private as ever; not synced: an entry lost or damaged by a crash fails its checks and is remade
            with atomic_write(target, permissions=0o600, durable=False) as out:
                out.write(data)
        except OSError:
            pass

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass

    def _read_entry(self, key: str, deck_path: str, *, held_bytes: bytes | None = None) -> LoadResult | None:
        """The entry's LoadResult, its notes read when first needed; None if it is missing or damaged.
        `held_bytes`: the deck file's bytes the caller holds; the entry's file is kept open until its notes are
        read (_HeldEntry), and if they are damaged by then, those bytes are parsed, not the file again."""
        path = self.entry(key)
        try:
            file = open(path, "rb")  # read, not mapped: a file cut short under us must not crash quiz
            try:
                header = read_header(file, os.fstat(file.fileno()).st_size)
                index_bytes = file.read(header.index_len)
                if held_bytes is not None:
                    notes = partial(self._held_notes, _HeldEntry(file, header), key, deck_path, header, held_bytes)
                else:
                    file.close()
                    notes = partial(self._notes, key, deck_path, header)
                result = decode(header, index_bytes, self.load_result, notes)
            except BaseException:
                file.close()  # before a damaged entry is removed below: Windows cannot delete an open file
                raise
        except CorruptEntry:
            self._remove(path)
            return None
        except OSError:
            return None
        return result

    def _current(
        self, key: str, deck_path: str, looks: _PictureLooks, *, held_bytes: bytes | None = None
    ) -> tuple[str, LoadResult] | None:
        """The entry under `key` (and the key) if each picture its deck names fares as when it was parsed, else the
        entry of the same deck bytes made when they fared as they do now; None when there is none."""
        result = self._read_entry(key, deck_path, held_bytes=held_bytes)
        if result is None and key == self.content_key(key):  # none with each picture in place: one with a problem?
            sibling = min(self._with_problems(key), default=None)
            if sibling is None:
                return None
            key = sibling
            result = self._read_entry(key, deck_path, held_bytes=held_bytes)
        if result is None or result.path != deck_path:
            return None
        if self._pictures_hold(looks, result.pictures):
            return key, result
        now = {image: looks.problem(image) for image in result.pictures}
        other_key = self.verdict_key(self.content_key(key), now)
        other = self._read_entry(other_key, deck_path, held_bytes=held_bytes) if other_key != key else None
        if other is None or other.path != deck_path or not self._pictures_hold(looks, other.pictures):
            return None
        return other_key, other

    def _looks(self, deck_path: str) -> _PictureLooks:
        """A new load's looks at the pictures of the deck file at `deck_path`."""
        self._stat_index()
        passed = self._pictures.get(deck_path)
        return _PictureLooks(deck_path, passed if isinstance(passed, dict) else {})  # else a damaged index

    def _pictures_hold(self, looks: _PictureLooks, pictures: dict[str, Verdict]) -> bool:
        """Whether every picture the deck names still fares as when it was parsed (`LoadResult.pictures`): one that
        passed `image_problem` still passes, one that failed fails with the same problem. If so, the stats of those
        that passed are remembered, so they are not checked again while they keep them."""
        if not pictures:
            return True
        if any(looks.problem(image) != problem for image, problem in pictures.items()):
            return False
        passed = {image: stat for image in pictures if (stat := looks.passed_stat(image)) is not None}
        if passed != self._pictures.get(looks.deck_path, {}):
            self._pictures[looks.deck_path] = passed
            self._stats_dirty = True
        return True

    def _held_notes(
        self, held: _HeldEntry, key: str, deck_path: str, header: EntryHeader, data: bytes
    ) -> bytes | tuple[Note, ...]:
        """The notes part of an entry held open; if it cannot be read, as _notes, from the bytes `data` the entry
        was made from (the deck file may have been saved since: her editor, during an import's plan)."""
        try:
            return held.notes()
        except (CorruptEntry, OSError):
            return self._notes(key, deck_path, header, data)

    def _notes(
        self, key: str, deck_path: str, header: EntryHeader, data: bytes | None = None
    ) -> bytes | tuple[Note, ...]:
        """The notes part of an entry read at start-up; if it has gone or been damaged since, the notes of
        `data` parsed again, or (None) of the deck file when it still has the content the entry was made from."""
        try:
            return read_notes(self.entry(key), header)
        except CorruptEntry:
            self._remove(self.entry(key))  # damaged: written again below, so the next start reads it
        except OSError:
            pass
        if data is None:
            try:
                data = read_deck_bytes(deck_path).data
            except DeckFileError as exc:
                raise DeckCacheLost(
                    f"{deck_path}: its cached copy is damaged and the file cannot be read ({exc.message})"
                ) from None
            if self.key(deck_path, data) != self.content_key(key):
                raise DeckCacheLost(
                    f"{deck_path} changed while quiz was open and its cached copy is gone: restart quiz"
                )
        with gc_paused():
            result = self.parse(data, deck_path, self._looks(deck_path).problem)
        if result.deck is None:  # pragma: no cover - the same bytes loaded before: a picture gone since, entry lost
            raise DeckCacheLost(f"{deck_path} no longer loads")
        if not self.entry(key).exists():
            self._write(self.entry(key), encode(result))
        return result.deck.notes

    def _with_problems(self, content_key: str) -> set[str]:
        """The keys of the entries of the deck bytes of `content_key` with a picture's problem. The folder is listed
        once per load, not once per deck (1,500 decks breaking at once: seconds), and kept up to date with what
        this load writes and removes; an entry another quiz writes meanwhile is only missed (a parse), or pruned."""
        if self._problem_entries is None:
            self._problem_entries = {}
            try:
                with os.scandir(self.folder) as found:
                    for name in (item.name for item in found):
                        key = name.removesuffix(ENTRY_SUFFIX)
                        if key != name and key != self.content_key(key):
                            self._problem_entries.setdefault(self.content_key(key), set()).add(key)
            except OSError:
                pass  # no folder yet: no entries
        return self._problem_entries.setdefault(content_key, set())

    def _remove_other_problem_entries(self, content_key: str, kept: str) -> None:
        """Remove the entries of the deck bytes of `content_key` with other picture problems than `kept`'s, or one
        would stay per set of problems seen until an app exits (prune). None holds notes an open app may still read
        (a picture's problem is an error: its deck did not load); the one with every picture in place stays."""
        keys = self._with_problems(content_key)
        for key in keys - {kept}:
            self._remove(self.entry(key))
        keys.clear()
        keys.add(kept)

    # --- loading ---

    @staticmethod
    def _keepable(result: LoadResult) -> bool:
        """Whether every problem found outside the deck file is a picture's, which a hit checks again; another
        would only be found again, once she fixed it, by parsing the deck again."""
        return all(problem.picture in result.pictures for problem in result.problems if problem.elsewhere)

    def cached(self, path: str, data: bytes) -> LoadResult | None:
        """The entry made from these bytes of the file at `path`, read back (its notes when first used); None when
        there is none. Nothing is parsed nor written."""
        # held open: the caller holds only these bytes, which the file may no longer have when the notes are read
        found = self._current(self.key(path, data), path, self._looks(path), held_bytes=data)
        if found is None:
            return None
        key, result = found
        self._used.add(key)
        return result

    def load(
        self,
        path: str | Path,
        read_error: Callable[[str, Exception], LoadResult],
        before_parse: BeforeParse | None = None,
    ) -> LoadResult:
        """The deck file's LoadResult, from the cache when its content was seen before; `before_parse(path, size)`
        is told of a file that is parsed instead (its first load, or changed since)."""
        name = str(path)
        try:
            st = os.stat(name)
        except OSError as exc:
            return read_error(name, exc)
        known = self._known_key(name, st)
        looks = self._looks(name)  # each picture looked at once in this load, whichever entries are tried
        found = self._current(known, name, looks) if known is not None else None
        if found is None:
            try:
                data, st = read_deck_bytes(name)
            except DeckFileError as exc:
                return read_error(name, exc)
            content_key = self.key(name, data)
            found = self._current(content_key, name, looks) if content_key != known else None
        if found is not None:
            self.hits += 1
            key, result = found
        else:
            self.misses += 1
            if before_parse is not None:
                before_parse(name, len(data))
            with gc_paused():
                result = self.parse(data, name, looks.problem)
            key = self.verdict_key(content_key, result.pictures)
            if self._keepable(result):
                self._write(self.entry(key), encode(result))
                if key != content_key:
                    self._remove_other_problem_entries(content_key, key)
        self._used.add(key)
        self._remember(name, st, key)
        return result
