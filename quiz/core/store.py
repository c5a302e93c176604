"""The SQLite store: card state, the review log, settings, option presets, exam results and exam dates, in one
file.

Every write is one `BEGIN IMMEDIATE` transaction, committed (WAL, synchronous=FULL) before the caller
moves on, so a recorded review survives a crash, a kill or a power cut, and two processes writing at
once queue (busy timeout) instead of failing half way. Every committed write but an answer also bumps a
counter in `meta`; with the review log's size, which every answer grows, it tells the automatic backup
whether the store changed since its last copy.

Failures come out as StoreError: StoreWriteError when a write could not be saved (nothing of it was
kept; it can be retried), StoreGoneError when the file was deleted or replaced while open (nothing more
is saved), StoreCorruptError when the file is damaged or is not a quiz store, StoreMissingError when
there is no store but backups hold a history (both messages name the newest good backup and the
`quiz restore` command).

Every commit first checks that the path still names the file that was opened (one stat, a few
microseconds): SQLite would otherwise go on writing, and saying "saved", into a file nobody can open again.
Every commit then checks that the write-ahead log is still the file opened (one more stat): one
deleted while open (a clean-up tool, a synced home folder) holds every answer since the last checkpoint, which a
crash would lose, so the commit then puts a whole copy with them in place of the store file (Store._fold_lost_log).
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from heapq import merge
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Concatenate, NamedTuple, ParamSpec, TypeVar

from quiz.core import answerlog, events, overlap
from quiz.core.atomicfile import sync_file, sync_folder
from quiz.core.cardstate import REVIEW, CardState
from quiz.core.clock import EPOCH, Clock, SystemClock, iso_or_none, micros_text, moment_or_none, utc_micros
from quiz.core.heldopen import held_open
from quiz.core.kindnames import KIND_NAMES
from quiz.core.lockholder import held_by_another_process
from quiz.core.migrations import MIGRATIONS
from quiz.core.model import Grade, Mode
from quiz.core.settings import Settings
from quiz.core.storehealth import integrity_problems, missing_store_advice, recovery_advice

STORE_NAME = "quiz.sqlite3"
_T = TypeVar("_T")
_P = ParamSpec("_P")

# The schema that made progress events: the step to it also converts the history kept before it.
EVENTS_SCHEMA = next(number for number, script in enumerate(MIGRATIONS, 1) if "CREATE TABLE event (" in script)
COMPACT_SCHEMA = MIGRATIONS.index(answerlog.SCRIPT) + 1  # the step to it converts the answers too

# SQLite result codes (the primary code, the low byte of sqlite_errorcode) that mean a damaged file.
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_ROW_ERRORS = (ValueError, TypeError, KeyError, AttributeError)  # a row whose values cannot be read back

_STATE_COLUMNS = ", ".join(events.STATE_FIELDS)
# A logged answer as ReviewRecord reads it: its states from its event's row
_REVIEWS = (
    "SELECT r.id, r.deck_id, r.card_key, r.grade, r.reviewed_at, r.duration_ms, r.mode, "
    f"{', '.join('e.' + column for column in events.BEFORE_COLUMNS + events.AFTER_COLUMNS)} "
    "FROM review_log AS r LEFT JOIN event AS e ON e.id = r.event_id"
)
_FIELDS = len(events.STATE_FIELDS)
_SUSPENDED_COLUMN = events.STATE_FIELDS.index("suspended")  # in a card_state row's state columns


def _since(since: datetime, table: str = "") -> tuple[str, list[Any]]:
    """The condition on the log for the answers given at `since` or later, and its arguments: the primary key
    bounds the rows (a log id is never less than its answer's millisecond), their time decides."""
    return f"{table}id >= ? AND {table}reviewed_at >= ?", [answerlog.id_floor(since), _utc_text(since)]


# Due times as quiz writes them (datetime.isoformat() of a UTC time) sort as text in time order, so SQLite
# can order and bound them; any other spelling is read apart and compared as a time.
_UTC_TEXT = "'????-??-??T??:??:??*+00:00'"  # as in the card_state_odd_due index

# What a stored state makes of its card, one character per state (a deck's 100,000 states come back as
# one string): a class (below) and the stored kind (the file keeps its name), the kind's number times the
# number of classes plus the class, from "@". Kinds are not bounded by the code: a character below the
# surrogates leaves room for some 11,000.
SUSPENDED, LEARNING, DUE, SEEN, BURIED_NEW = range(5)  # SEEN: a review not due; BURIED_NEW: new, buried
_CLASSES = 5
_UNKNOWN_KIND = 0  # a kind this quiz does not know: never a card's
_KIND_NUMBERS: dict[str, int] = {kind: number for number, kind in enumerate(KIND_NAMES, start=1)}


def _buried_past(buried: str | None, now: datetime) -> bool:
    """Whether a state's stored `buried_until` keeps it from being shown at `now`."""
    return buried is not None and datetime.fromisoformat(buried) > now


def state_code(state_class: int, kind: str) -> str:
    return chr(64 + state_class + _CLASSES * _KIND_NUMBERS.get(kind, _UNKNOWN_KIND))


class _StateCodes(dict[str, str]):
    """kind -> its state code in one class."""

    def __init__(self, state_class: int) -> None:
        super().__init__()
        self.state_class = state_class

    def __missing__(self, kind: str) -> str:
        code = self[kind] = state_code(self.state_class, kind)
        return code


class QueueRow(NamedTuple):
    """A state as a queue reads it (learning_rows): the few columns it needs, no CardState built."""

    key: str
    kind: str
    due: datetime | None
    buried_until: datetime | None


class DueRow(NamedTuple):
    """A state read for its due time (due_rows): it has one."""

    key: str
    kind: str
    due: datetime
    buried_until: datetime | None


class BriefState(NamedTuple):
    """A probed state: what tells whether its card is new, or a review due, today."""

    kind: str
    fsrs_state: int
    suspended: bool
    due: datetime | None
    buried_until: datetime | None


_LogFiles = tuple[tuple[int, int] | None, tuple[int, int] | None]  # (device, inode) of the -wal and the -shm


# The tables keyed by a deck id, read from their keys' indexes (never their rows' bodies)


def _distinct_deck_ids(table: str) -> str:
    """The deck ids of `table` by one index seek each (every table keyed by deck id has an index led by it), from
    the lowest to the next above it: a million answers to twenty decks is twenty seeks, not a million rows."""
    return (
        f"{table}_ids(deck_id) AS (SELECT min(deck_id) FROM {table} UNION ALL"
        f" SELECT (SELECT deck_id FROM {table} WHERE deck_id > {table}_ids.deck_id ORDER BY deck_id LIMIT 1)"
        f" FROM {table}_ids WHERE {table}_ids.deck_id IS NOT NULL)"
    )


_TABLES_BY_DECK = ("card_state", "review_log", "card_flag", "note_mark", "deck_preset", "exam_date")
_DECK_IDS_KEPT = (
    f"WITH RECURSIVE {', '.join(_distinct_deck_ids(table) for table in _TABLES_BY_DECK)} "
    + " UNION ".join(f"SELECT deck_id FROM {table}_ids WHERE deck_id IS NOT NULL" for table in _TABLES_BY_DECK)
)


def _exam_decks(detail: object) -> list[str]:
    """The deck ids an exam's kept detail names: its deck's, and its mistakes' (an exam across decks, or kept by
    a quiz that did not record its deck); none from a detail no quiz wrote, nor a "deck" that is no text (a list
    in odd JSON cannot be told apart, nor even put in a set)."""
    try:
        found = json.loads(detail) if isinstance(detail, str) else None
    except ValueError:
        return []
    if not isinstance(found, dict):
        return []
    mistakes = found.get("mistakes")
    named = (
        [mistake.get("deck") for mistake in mistakes if isinstance(mistake, dict)] if isinstance(mistakes, list) else []
    )
    return [deck for deck in (found.get("deck"), *named) if isinstance(deck, str)]


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do."""


class StoreWriteError(StoreError):
    """A write failed (disk full, read-only file, locked): nothing of it was kept, so it can be retried."""


class StoreGoneError(StoreWriteError):
    """The store file was deleted or replaced while open: this write and every later one is refused (a
    retry cannot help, unlike its parent's); what was saved before is still readable from the open file."""


class StoreCorruptError(StoreError):
    """The file is damaged or is not a quiz store. It is never written to; the message says how to recover."""


class StoreMissingError(StoreError):
    """No store file, but backups hold a history: an empty store is not created over it."""


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


_LOW_SPACE = 1 << 20  # below this much free space a store cannot be opened or repaired with any margin


def storage_limit(path: str | Path) -> str | None:
    """Why the folder of `path` cannot take writes, when the operating system says: "read-only", "disk full"
    (or None). For a link, the folder of the file it names, where SQLite writes the log and its index."""
    path = os.path.realpath(path)
    folder = Path(path).parent
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # no folder, or a system without statvfs (Windows)
        return None
    if info.f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK) or not _writable_if_there(path):
        return "read-only"
    if info.f_bavail * info.f_frsize < _LOW_SPACE:
        return "disk full"
    return None


def _writable_if_there(path: str | Path) -> bool:
    """Whether the store file, its write-ahead log and its index can be written, those that are there (SQLite
    opens a log it cannot write read-only, and every write then fails)."""
    files = [Path(path), *log_files(path)]
    return all(not file.exists() or os.access(file, os.W_OK) for file in files)


_LIMIT_ADVICE = {
    "read-only": (
        "it is read-only (the file, its -wal or -shm beside it, or its folder); make them writable, or use another "
        "--data-dir"
    ),
    "disk full": "the disk is full; free some space and try again",
}
_STORAGE_CODES = {8, 10, 13, 14}  # SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN


def _storage_advice(path: str, exc: sqlite3.Error) -> str | None:
    """What to do when SQLite failed for want of a writable folder or of space (else None)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF not in _STORAGE_CODES:  # locked, busy, ...: not the disk's doing
        return None
    limit = storage_limit(path)
    return _LIMIT_ADVICE[limit] if limit else None


def corrupt_error(path: str, detail: str) -> StoreCorruptError:
    return StoreCorruptError(f"{path} is damaged or is not a quiz store ({detail}). {recovery_advice(path)}")


# The store's path with "-journal" after it must fit in SQLite's 512 bytes a path (Linux, macOS)
SQLITE_LONGEST_PATH = 512 - len("-journal")


def _open_error(path: str, exc: sqlite3.DatabaseError) -> StoreError:
    """What to say when SQLite could not open `path` as a store."""
    if _is_corruption(exc):
        return corrupt_error(path, str(exc))
    if os.path.isdir(path):  # SQLite only says "unable to open database file"
        return StoreError(f"{path} is a folder, not a quiz store: move it away (quiz then makes a new store)")
    if (length := len(os.fsencode(os.path.abspath(path)))) > SQLITE_LONGEST_PATH:  # so it says for this too
        return StoreError(
            f"cannot use {path}: its path is {length} bytes long, and SQLite, which keeps the store, opens one of"
            f" at most {SQLITE_LONGEST_PATH}: give quiz a data folder with a shorter path (--data-dir or QUIZ_HOME)"
        )
    advice = _storage_advice(path, exc)
    if advice:
        return StoreError(f"cannot use {path}: {advice}")
    return StoreError(f"{path} is not a usable quiz store ({exc})")


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    id: int
    deck_id: str
    card_key: str
    grade: Grade
    reviewed_at: datetime
    duration_ms: int
    mode: Mode
    state_before: CardState | None
    state_after: CardState


class FittingAnswer(NamedTuple):
    """A review-mode answer as fitting FSRS reads it: no card states, only what the card was before it."""

    id: int
    deck_id: str
    card_key: str
    grade: int
    at_ms: int  # when it was given: milliseconds since 1970 UTC (Anki's revlog keeps milliseconds too)
    state_before: int  # the card's fsrs_state before the answer (NEW for its first)


class RetentionAnswer(NamedTuple):
    """A review-mode answer to a card in review, as true retention and calibration read it: the card's memory
    before it, not the answer's two whole card states (`reviews`), which took most of a calibration's time."""

    deck_id: str
    card_key: str
    grade: Grade
    reviewed_at: datetime
    stability: float | None  # the card's, before the answer
    last_review: datetime | None  # the card's, before the answer


class DeckAnswers(NamedTuple):
    """A deck's scheduled answers over a time (`Store.deck_answers_since`)."""

    introduced: set[str]  # keys of the cards answered new
    reviews: int  # answers to review cards
    answered: set[str]  # keys of every card answered


class ImportedAnswer(NamedTuple):
    """One answer from another program's review log, with the states before and after it, each as its values
    (state_tuple; before None: no state): a replayed history makes no state object per answer
    (Scheduler.replay_history)."""

    grade: Grade
    at: datetime
    duration_ms: int
    before: tuple[Any, ...] | None
    after: tuple[Any, ...]
    logged_at: datetime | None = None  # the time the package gave it, when that was after the import (`at`)
    mode: Mode = Mode.REVIEW  # practice: an answer that left the card as it was (Anki's preview), never fitted on


class ImportedCard(NamedTuple):
    """One card's history from another program: its answers (logged as reviews), its state now, its flag."""

    card_key: str
    answers: tuple[ImportedAnswer, ...]
    state: CardState | None
    flag: int
    # the key an earlier import logged its answers under, when another (its note changed shape): those it holds
    # are not logged again
    home: str | None = None


class ImportedHistoryResult(NamedTuple):
    """What `Store.import_history` wrote."""

    added: int  # answers new to the log
    known: int  # answers the log held already (an earlier import of the same review log): not written twice
    kept: frozenset[str]  # cards that keep their state in quiz: the import holds no answer newer than quiz's
    previews: int = 0  # of the answers added, those in practice mode (Anki's previews)
    # of the kept, those whose state in quiz is not the file's (studied or reset in quiz since); the others hold
    # the file's already (an earlier import of it gave it them)
    kept_own: int = 0


@dataclass(frozen=True)
class LoggedAnswers:
    """What a deck's log holds of the answers an import brings, read once before its history is replayed
    (Store.logged_answers) and used again by its write (Store.import_history) unless the store changed since."""

    deck_id: str  # the deck read: another deck's read is never taken for it
    # the store's change: its connection (one opened again after a deleted index starts its data_version anew),
    # another connection's commits and this one's changes (Store._change)
    version: tuple[int, int, int]
    # card key -> its answers (_known_as): an array a card, not a Counter (a shared deck's are hundreds of thousands)
    known: dict[str, array[int]]
    last: dict[str, datetime]  # card key -> its latest review-mode answer
    # card key -> (the package's time in seconds, grade) -> the time logged, of the imported answers that an
    # import dated at its own time, the package dating them after it: an import again dates them so too
    # (importers.history), so their card's replayed state is the one logged
    redated: dict[str, dict[tuple[int, int], datetime]]


def of_card(by_card: Mapping[str, _T], key: str, home: str | None) -> Iterator[_T]:
    """What `by_card` holds of an imported card: under its key, then under its home (the key an earlier import
    logged its Anki card's answers under, importers.cardhomes)."""
    if key in by_card:
        yield by_card[key]
    if home is not None and home in by_card:
        yield by_card[home]


def _utc_text(moment: datetime) -> str:
    """An aware moment as UTC text (isoformat's, `+00:00`)."""
    return micros_text(utc_micros(moment))


def _known_as(moment: datetime, grade: int) -> int:
    """What an import knows an answer the log holds by: the second it falls in and its grade (1-4), as one
    integer. A re-import holds one for every answer of the deck's log, at the import's peak: as a tuple of the
    second's text and the grade, 300,000 answers took ~20 MiB more."""
    return utc_micros(moment) // 1_000_000 * 8 + grade


_due_of = itemgetter(2)


# A state's values in the order of its fields (events.STATE_FIELDS), as an imported answer holds them.
state_tuple: Callable[[CardState], tuple[Any, ...]] = attrgetter(*events.STATE_FIELDS)


def _state_row(state: CardState) -> tuple[Any, ...]:
    return _columns(state_tuple(state), iso_or_none(state.last_review))


def _columns(values: tuple[Any, ...], last_review: str | None) -> tuple[Any, ...]:
    """A state's values (state_tuple) as its columns, its last review's time given as text (a caller may have
    it)."""
    kind, fsrs_state, step, stability, difficulty, due, _, reps, lapses, suspended, leech, buried_until = values
    return (
        kind,
        fsrs_state,
        step,
        stability,
        difficulty,
        iso_or_none(due),
        last_review,
        reps,
        lapses,
        int(suspended),
        int(leech),
        iso_or_none(buried_until),
    )


def _retention_answer(
    deck_id: str, card_key: str, grade: int, at: str, stability: object, last_review: str | None
) -> RetentionAnswer:
    """A retention_answers row, or ValueError when it holds values no quiz wrote (as state_from_columns)."""
    if stability is not None and not isinstance(stability, int | float):
        raise ValueError(f"card state values out of range: stability {stability!r}")
    return RetentionAnswer(
        deck_id, card_key, Grade(grade), datetime.fromisoformat(at), stability, moment_or_none(last_review)
    )


def state_from_columns(row: tuple[Any, ...]) -> CardState:
    """A stored state, or ValueError when the row holds values no quiz wrote (a damaged or edited file)."""
    return CardState(
        kind=row[0],
        fsrs_state=row[1],
        step=row[2],
        stability=row[3],
        difficulty=row[4],
        due=moment_or_none(row[5]),
        last_review=moment_or_none(row[6]),
        reps=row[7],
        lapses=row[8],
        suspended=bool(row[9]),
        leech=bool(row[10]),
        buried_until=moment_or_none(row[11]),
    ).checked()


def _identity(path: str) -> tuple[int, int] | None:
    """Which file `path` names now (device, inode), or None when it names none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def log_files(path: str | Path) -> tuple[Path, Path]:
    """The write-ahead log of the store at `path` and its index, where SQLite keeps them: beside the file a link at
    the path names (a store kept on another drive, linked into the data folder), not beside the link."""
    real = os.path.realpath(path)
    return Path(f"{real}-wal"), Path(f"{real}-shm")


def _beside_another_quiz(path: str) -> bool:
    """Whether another quiz holds the store's folder (this is a command run beside the app): a copy put in place of
    the file it has open would leave that quiz writing to a file no longer there (its answers refused)."""
    return held_by_another_process(Path(path).parent)


def _move_orphans_aside(path: Path, suffixes: Iterable[str] = ("-wal", "-shm")) -> None:
    """A -wal or -shm left behind by a store deleted while open would be read into a new store at the
    same path as if they were its own, and damage it: they are renamed aside (kept, never deleted), where SQLite
    keeps them (beside the file a link at the path names)."""
    path = Path(os.path.realpath(path))
    for suffix in suffixes:
        orphan = Path(f"{path}{suffix}")
        if not orphan.exists():
            continue
        target, number = path.with_name(f"{path.name}.orphaned{suffix}"), 0
        while target.exists():
            number += 1
            target = path.with_name(f"{path.name}.orphaned-{number}{suffix}")
        os.replace(orphan, target)


class _Stamps:
    """Ids and times for events kept one after another in a transaction (Store.log_event): each later than the
    one before and than every event the store holds. Times are microseconds since 1970 UTC (clock.utc_micros):
    an import stamps hundreds of thousands, each by integer arithmetic, no datetime made."""

    def __init__(self, clock: Clock, latest: int, ids: events.EventIds) -> None:
        self._clock, self._latest, self._ids = clock, latest, ids

    def __call__(self, at: datetime | None) -> tuple[str, int]:
        """The id and time of an event of `at` (None: now)."""
        return self.micros(utc_micros(self._clock.now() if at is None else at))

    def micros(self, wanted: int) -> tuple[str, int]:
        """The id and time of an event of the moment `wanted` (as microseconds)."""
        self._latest = latest = max(wanted, self._latest + 1)
        return self._ids.at_micros(latest), latest


class _Tail(NamedTuple):
    """What an answer follows: the store's latest event time (as microseconds, clock.utc_micros) and last event
    id (Store._latest), the log's newest id, as this connection saw them at `version` (PRAGMA data_version); and
    the ids its answers' events are made by, counted on from that last id."""

    version: int
    latest: int
    last_event: str | None
    newest_log: int
    ids: events.EventIds


_IMPORT_CACHE_KIB = 8 * 1024
_DEFAULT_CACHE_SIZE = -2000  # SQLite's own default (2,000 KiB)
_PUT_STATE = (
    f"INSERT OR REPLACE INTO card_state (deck_id, card_key, {_STATE_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_PUT_FLAG = "INSERT OR REPLACE INTO card_flag (deck_id, card_key, flag) VALUES (?, ?, ?)"


# Answers one INSERT writes: SQLite runs a statement's per-run work once for them all, not once a row (the review
# log's CHECK on its mode, `IN` a list, builds a table of the list at each run: 2 µs a row, its insert's half)
_ROWS_AT_ONCE = 20


def _write_answers(db: sqlite3.Connection, rows: Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
    """Write imported answers' events and log rows (_imported_rows), _ROWS_AT_ONCE answers a statement, each
    answer's values forgotten once written (the rows of 5,000 answers held at once took the big import's peak
    3-4 MiB higher)."""
    many_events = _inserting(events.INSERT_IMPORTED_ANSWERS, events.IMPORTED_ANSWER_VALUES, _ROWS_AT_ONCE)
    many_answers = _inserting(answerlog.PUT_ANSWERS, answerlog.ANSWER_VALUES, _ROWS_AT_ONCE)
    event_values: list[Any] = []
    log_values: list[Any] = []
    held = 0
    for event_row, log_row in rows:
        event_values += event_row
        log_values += log_row
        held += 1
        if held == _ROWS_AT_ONCE:
            db.execute(many_events, event_values)
            db.execute(many_answers, log_values)
            event_values.clear()
            log_values.clear()
            held = 0
    if held:
        db.execute(_inserting(events.INSERT_IMPORTED_ANSWERS, events.IMPORTED_ANSWER_VALUES, held), event_values)
        db.execute(_inserting(answerlog.PUT_ANSWERS, answerlog.ANSWER_VALUES, held), log_values)


def _inserting(insert: str, values: str, rows: int) -> str:
    """`insert` (an INSERT ending in VALUES) of `rows` rows, each of the parameters `values` lists."""
    return f"{insert} {', '.join([values] * rows)}"


@contextmanager
def _indexes_built_after(db: sqlite3.Connection, table: str, adding: int) -> Iterator[None]:
    """Around a bulk insert of `adding` rows into `table`: when they outnumber the rows it holds, its indexes
    are dropped and made again after it (one sort of all their keys, rather than each key put into a page
    of its own as it comes: for an import's 300,000 answers the index by card took 0.9 s row by row, 0.4 s
    made after). In the caller's transaction: a crash, or an error before it commits, leaves them as they
    were. The definitions are read from the schema, so the indexes made are the very ones dropped. They are
    made with SQLite's default page cache, which also bounds the sort's memory (the import's larger cache
    took the peak over 300 MB). A unique index stays: an INSERT OR REPLACE needs it to find the row replaced."""
    (held,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
    made = []
    if adding > held:
        made = db.execute(
            "SELECT m.name, m.sql FROM pragma_index_list(?) AS i JOIN sqlite_master AS m ON m.name = i.name "
            "WHERE i.origin = 'c' AND NOT i.\"unique\"",
            (table,),
        ).fetchall()
    for name, _ in made:
        db.execute(f'DROP INDEX "{name}"')
    yield
    if made:
        db.execute(f"PRAGMA cache_size = {_DEFAULT_CACHE_SIZE}")
    for _, sql in made:
        db.execute(sql)


def _newest(card: ImportedCard) -> datetime | None:
    """The time of a card's latest imported answer in review mode (None: it has none; a preview left the card as
    it was): looked for only where it is needed (a flagged card, a card quiz has a state or answers of), not for
    each of a shared deck's tens of thousands."""
    return max((a.at for a in card.answers if a.mode == Mode.REVIEW), default=None)


def _imported_state(state: CardState, newest: datetime | None) -> dict[str, Any]:
    """An imported state's event body: the state, and the package's newest answer to the card (events.NEWEST)."""
    return {"state": state.to_json(), **_newest_body(newest)}


def _imported_flag(flag: int, newest: datetime | None) -> dict[str, Any]:
    """An imported flag's event body: the flag, said imported, and the package's newest answer to the card: a
    replay keeps it out by the rule the import did (quiz.core.replay)."""
    return {"flag": flag, events.IMPORTED: True, **_newest_body(newest)}


def _newest_body(newest: datetime | None) -> dict[str, Any]:
    return {events.NEWEST: None if newest is None else _utc_text(newest)}


#: An imported answer as the import sorts it: its time, its card, its number among the card's, itself.
_Imported = tuple[datetime, str, int, ImportedAnswer]
# The imported answers of a deck the package dated after their import: event id -> the package's time. Their body
# names it (events.LOGGED_AT), which few do: a scan of the events, no index; read once an import (_read_logged).
_PACKAGE_TIMES = (
    f"SELECT id, json_extract(body, '$.{events.LOGGED_AT}') FROM event WHERE deck_id = ? AND kind = 'review' "
    f"AND sets_state = 0 AND instr(body, '\"{events.LOGGED_AT}\"')"
)


def _latest_body(db: sqlite3.Connection, deck_id: str, card_key: str, kind: str) -> dict[str, Any] | None:
    """The body of the card's latest event of `kind` (one that is no answer; None: it has none), read through
    the index of those events: looked for only for the few cards an import needs it of."""
    row = db.execute(
        "SELECT body FROM event WHERE card_no = ? AND sets_state IS NULL AND kind = ? AND deck_id = ?"
        " AND card_key = ? ORDER BY at DESC, id DESC LIMIT 1",
        (events.card_number(deck_id, card_key), kind, deck_id, card_key),
    ).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def _reset_in_quiz(db: sqlite3.Connection, deck_id: str, card_key: str) -> bool:
    """Whether the card's latest STATE event forgot its state (a reset): read only for a card away from its home
    with no state (rare)."""
    body = _latest_body(db, deck_id, card_key, events.STATE)
    return body is not None and body.get("state") is None


def _flagged_in_quiz(db: sqlite3.Connection, deck_id: str, card_key: str) -> bool:
    """Whether the card's flag was last set (or taken off) in quiz, not by an import (events.IMPORTED): read
    only for a card whose flag an import would change."""
    body = _latest_body(db, deck_id, card_key, events.FLAG)
    return body is not None and events.IMPORTED not in body


def _logged_answers(logged: dict[str, array[int]], card: ImportedCard) -> Counter[int]:
    """The answers the log holds of an imported card (_known_as), with those logged under its home."""
    found = Counter[int]()
    for answers in of_card(logged, card.card_key, card.home):
        found.update(answers)
    return found


def _read_logged(db: sqlite3.Connection, deck_id: str, version: tuple[int, int, int]) -> LoggedAnswers:
    """The deck's log as an import needs it (LoggedAnswers): one pass over its review-log rows. Known by second
    and grade: quiz keeps its own answers' microseconds, Anki milliseconds (a deck exported with its scheduling
    comes back with them), an import whole seconds. An answer the package dated after an earlier import is
    known by the time the package gave it."""
    package_times = dict(db.execute(_PACKAGE_TIMES, (deck_id,)))
    logged = LoggedAnswers(deck_id, version, {}, {}, {})
    known, last, redated = logged.known, logged.last, logged.redated
    for key, at, grade, event_id, mode in db.execute(
        "SELECT card_key, reviewed_at, grade, event_id, mode FROM review_log WHERE deck_id = ? AND mode IN (?, ?)",
        (deck_id, str(Mode.REVIEW), str(Mode.PRACTICE)),  # practice: an imported preview
    ):
        moment = datetime.fromisoformat(at)
        known_at = moment
        if event_id in package_times:
            known_at = datetime.fromisoformat(package_times[event_id])
            redated.setdefault(key, {})[int(known_at.timestamp()), grade] = moment
        known.setdefault(key, array("q")).append(_known_as(known_at, grade))
        if mode == Mode.REVIEW:
            last[key] = max(last.get(key, moment), moment)
    return logged


def _occurrences(answers: list[_Imported], skipped: Counter[tuple[str, int]]) -> Iterator[int]:
    """Each answer's number among its card's answers of the same time and grade (events.OCCURRENCE), for answers
    in time order, each card's in the package's order (equal times of a card sort by their number: in order);
    after the answers `skipped`, the log's (card, _known_as), an earlier import's."""
    last: tuple[str, datetime] | None = None
    counted: dict[int, int] = {}  # grade -> answers so far at this card's time
    for at, key, _, answer in answers:
        grade = int(answer.grade)
        if last == (key, at):
            counted[grade] = number = counted.get(grade, 0) + 1
        else:
            last, counted, number = (key, at), {grade: 1}, 1
        yield number + skipped[key, _known_as(at, grade)] if skipped else number


def _imported_rows(
    answers: list[_Imported],
    skipped: Counter[tuple[str, int]],
    stamps: _Stamps,
    log_ids: Callable[[int], int],
    device: str,
    deck_id: str,
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """Each answer's event row and log row, for answers in time order. An answer's state before is the one after
    the card's previous answer: its columns are made once; its state after was last reviewed at the answer's time
    (a replay's), whose text is made once. `log_ids`: each answer's log id, of the least id its time allows."""
    last: dict[str, tuple[tuple[Any, ...], tuple[Any, ...]]] = {}  # card key -> its latest state after, columns
    for (at, key, _, answer), occurrence in zip(answers, _occurrences(answers, skipped), strict=True):
        micros = utc_micros(at)
        answered = micros_text(micros)
        previous, values = last.get(key), answer.before
        if values is None:
            before = events.NO_STATE
        elif previous is not None and previous[0] is values:
            before = previous[1]
        else:
            before = _columns(values, iso_or_none(values[6]))
        values = answer.after
        after = _columns(values, answered if values[6] is at and at.tzinfo is UTC else iso_or_none(values[6]))
        last[key] = (values, after)
        event_id, stamped = stamps.micros(micros)
        log_id = log_ids(answerlog.micros_id_floor(micros))
        grade, mode = int(answer.grade), str(answer.mode)  # as int and str: SQLite's module adapts an enum slowly
        # another program's answer: history only; the card's state is the STATE event after them, or quiz's
        body = (
            f'{{"grade":{grade},"duration_ms":{answer.duration_ms},"mode":"{mode}",'
            f'"answered_at":"{answered}","imported":true'
            + (f',"{events.OCCURRENCE}":{occurrence}' if occurrence > 1 else "")
            + (f',"{events.LOGGED_AT}":"{_utc_text(answer.logged_at)}"}}' if answer.logged_at else "}")
        )
        # the event's time is the answer's unless an event held is as late (the stamp moved it)
        event_at = answered if stamped == micros else micros_text(stamped)
        yield (
            (event_id, device, event_at, events.REVIEW, deck_id, key, body, *before, *after, 0),
            (log_id, deck_id, key, grade, answered, answer.duration_ms, mode, event_id),
        )


def unreadable_rows(db: sqlite3.Connection) -> dict[str, list[Any]]:
    """Rows whose values quiz cannot read back: {table: [row keys]} (empty lists when all is well).
    Reads every row as quiz would (seconds for a long history): what `quiz check` looks for and repairs."""
    found: dict[str, list[Any]] = {"card_state": [], "settings": [], "review_log": [], "exam_result": [], "event": []}
    for row in db.execute(f"SELECT deck_id, card_key, {_STATE_COLUMNS} FROM card_state"):
        try:
            state_from_columns(row[2:])
        except _ROW_ERRORS:
            found["card_state"].append((row[0], row[1]))
    for key, value in db.execute("SELECT key, value FROM settings"):
        try:
            json.loads(value)
        except _ROW_ERRORS:
            found["settings"].append(key)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version >= COMPACT_SCHEMA:
        for row in db.execute(_REVIEWS):
            try:
                Store._record(row)
            except _ROW_ERRORS:
                found["review_log"].append(row[0])
    else:  # a store opened read-only, not converted: its answers keep their states as JSON
        for row in db.execute("SELECT id, reviewed_at, state_before, state_after FROM review_log"):
            try:
                datetime.fromisoformat(row[1])
                if row[2] is not None:
                    CardState.from_json(json.loads(row[2])).checked()
                CardState.from_json(json.loads(row[3])).checked()
            except _ROW_ERRORS:
                found["review_log"].append(row[0])
    for row in db.execute("SELECT id, taken_at, detail FROM exam_result"):
        try:
            datetime.fromisoformat(row[1])
            json.loads(row[2])
        except _ROW_ERRORS:
            found["exam_result"].append(row[0])
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'event'").fetchone():  # schema 8 on
        states = ", after_kind IS NULL AND kind = 'review'" if version >= COMPACT_SCHEMA else ", 0"
        for event_id, body, stateless in db.execute(f"SELECT id, body{states} FROM event"):
            try:
                if not isinstance(json.loads(body), dict) or stateless:
                    raise ValueError("not an object, or a review without its state after")
            except _ROW_ERRORS:
                found["event"].append(event_id)
    return found


def _guarded(method: Callable[Concatenate[Store, _P], _T]) -> Callable[Concatenate[Store, _P], _T]:
    """Run a read method under Store.reading, so a damaged file or row never escapes as a traceback."""

    @functools.wraps(method)
    def guarded(self: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        with self.reading():
            return method(self, *args, **kwargs)

    return guarded


class Store:
    def __init__(self, path: str | Path, clock: Clock | None = None) -> None:
        self.path = str(path)
        self.clock: Clock = clock or SystemClock()  # the time of the events a change makes (a review has its own)
        self._device: str | None = None
        self._counting = False
        self._tail: _Tail | None = None  # what this connection's last answer left (record_review)
        self._connections = 0  # how many times the store was opened again (_open_again): a read's change (_change)
        self.damaged = False  # set once a read or write has met a damaged file: no backup is taken of it
        self._opened: tuple[int, int] | None = None  # the file opened: each commit checks the path still names it
        self._log: _LogFiles = (None, None)  # the write-ahead log and its index opened: each commit checks the log
        self._file = os.path.realpath(self.path)  # what a link at the path names: a deleted log's copy replaces it
        self._wal_path, self._shm_path = (str(log) for log in log_files(self._file))
        self._counted = False  # in _open_here
        self._cannot_write = ""  # set when the store could not be opened again (_open_again): writes are refused
        try:
            self.db = self._connect()
        except sqlite3.DatabaseError as exc:
            raise _open_error(self.path, exc) from None
        try:
            self._opened = _identity(self.path)  # journal_mode=WAL made a new file: it has an identity from here
            if self._opened is not None:
                Store._open_here[self._opened] += 1
                self._counted = True
            self._migrate()
            self._counting = True
            self._log = self._log_files()
        except StoreError:
            self._close_quietly()
            raise
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise _open_error(self.path, exc) from None

    _open_here: Counter[tuple[int, int] | None] = Counter()  # the stores of each file open in this process
    _snapshots_here: Counter[tuple[int, int] | None] = Counter()  # their reads held open (a backup's copy)

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """The store as it is now, for the block, however other connections write meanwhile: a read transaction
        held open (a backup's copy, seconds long). Another store of the file in this process does not wait for it
        to end (_fold_lost_log)."""
        self.db.execute("BEGIN")  # deferred: the read below starts the snapshot
        Store._snapshots_here[self._opened] += 1
        try:
            self.db.execute("SELECT count(*) FROM meta").fetchone()
            yield self.db
        finally:
            Store._snapshots_here[self._opened] -= 1
            self.db.execute("COMMIT")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5.0)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            events.add_functions(db)
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _open_again(self) -> None:
        """Once a deleted log's answers are all in the file at the store's path, open the store again, on a log and
        index at its path: a command run beside quiz later then shares them (SQLite's locks are in the index),
        where with two logs each wrote the file unseen by the other (its answers lost, the file damaged). Only when
        this is the one store of the file open in this process: another would keep the deleted index for the new
        log."""
        self._tail = None  # known by the old connection's data_version, which the new one's does not continue
        self._connections += 1
        self._close_quietly()
        try:
            self.db = self._connect()
        except sqlite3.Error as exc:  # what was just saved is in the file; nothing more can be
            self._cannot_write = f"could not open it again after its write-ahead log was deleted ({exc})"
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5.0)
        self._opened = _identity(self.path)
        if self._opened is not None:
            Store._open_here[self._opened] += 1
            self._counted = True
        self._log = self._log_files()

    def _log_files(self) -> _LogFiles:
        return _identity(self._wal_path), _identity(self._shm_path)

    def _rejoin_index(self) -> None:
        """The wal-index (-shm) was deleted (or replaced) while open, its log not: this connection goes on with the
        deleted index, and another process opening the store makes one of its own at the path, from the log as it
        is then. Each then writes into the one log where its own index says the log ends: the other's answers
        saved since are written over (lost, the log and file damaged), and neither reads what the other saved.
        So before its next write the store is opened again, on the index at the path. With none there, no other
        process opened the store since (it would have made one): this connection's close, the last, copies the
        log into the file as its index, which holds all of it, says. With another's there, the close would copy an
        older view over what that process saved, then delete the log: another process holds the store open
        meanwhile, so the close does neither (quiz.core.heldopen). Only when this is the one store of the file
        open in this process, whose other store would keep the deleted index for the new connection. A write of
        the other process between the check and this store's write is not seen (a moment's window). The -wal
        deleted too is _fold_lost_log's; the file itself replaced, gone()'s (opened again, it would be the file put
        there, read with this store's log)."""
        if self._log[0] is None or _identity(self._wal_path) != self._log[0] or Store._open_here[self._opened] != 1:
            return
        if self.gone():
            return
        if _identity(self._shm_path) is None:
            self._open_again()
            return
        try:
            with held_open(self.path):
                self._open_again()
        except OSError as exc:
            self._cannot_write = f"its index {self._shm_path} was replaced while quiz had it open ({exc})"

    def _logs_of_others(self) -> list[str]:
        """The suffixes of a log or index at the store's path that are not those this store opened."""
        there = self._log_files()
        return [
            suffix
            for suffix, now, ours in zip(("-wal", "-shm"), there, self._log, strict=True)
            if now not in (None, ours)
        ]

    def _fold_lost_log(self) -> None:
        """The write-ahead log was deleted (or replaced) while open, its index with it or not: this connection goes
        on using the deleted files, so every answer since the last checkpoint, the one just committed included,
        would be lost with them at a crash, and another process would read the store without them.

        When no other process made a log at the path meanwhile and no other store of the file is open here, the
        store as this connection reads it (those answers with it) is written whole into a new file (synced), put
        in place of the store file and opened (_open_again). A checkpoint into the store file itself, stopped half
        way (a kill, a full disk), left it damaged, with no log to finish the copy from. Else the log is
        checkpointed into the store file after each commit until quiz closes: a log made at the path (by another
        process, from the file without these answers; or by another connection of this one, sharing the deleted
        index) would be read as its own; once the file holds every answer, such a log and index are renamed aside,
        as read over the file at the next start (after a crash) they would hide them all. Best effort: on failure
        (the disk full) the commit stands, as before, and the next one tries again."""
        if not self._logs_of_others() and Store._open_here[self._opened] == 1 and not _beside_another_quiz(self.path):
            self._replace_with_whole_copy()
            return
        # FULL waits for every read to end, up to the busy timeout: a backup's read of this process, held through
        # its copy, would stop the app at each answer. PASSIVE copies what that read allows; the rest is copied
        # once it ended (fold_lost_log), or by the next commit.
        mode = "PASSIVE" if Store._snapshots_here[self._opened] else "FULL"
        try:
            busy, log, copied = self.db.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error:
            return
        if not busy and log == copied:
            with suppress(OSError):
                _move_orphans_aside(Path(self._file), self._logs_of_others())

    def fold_lost_log(self) -> None:
        """Once a read that held back the folding of a deleted log ended (a backup's snapshot: _fold_lost_log), fold
        it in now: the answers given meanwhile are otherwise in the deleted log alone until the next commit."""
        lost = self._log[0] is not None and _identity(self._wal_path) != self._log[0]
        if lost and not (self._cannot_write or self.damaged or self.gone()):  # as a commit would: gone, none is
            self._fold_lost_log()

    def _replace_with_whole_copy(self) -> None:
        path = Path(self._file)  # a link at the store's path stays, leading to the copy
        whole = path.with_name(f".{path.name}.whole")  # what a kill leaves here the next attempt replaces
        try:
            for left in (whole, Path(f"{whole}-journal")):
                left.unlink(missing_ok=True)
            target = sqlite3.connect(whole)
            try:
                self.db.backup(target)
            finally:
                target.close()
            sync_file(whole)
            os.replace(whole, path)
        except (OSError, sqlite3.Error):
            with suppress(OSError):
                whole.unlink(missing_ok=True)
            return
        sync_folder(path.parent)
        self._open_again()

    def _close_quietly(self) -> None:
        self._forget_opened()
        try:
            self.db.close()
        except sqlite3.Error:
            pass

    @classmethod
    def in_folder(cls, folder: str | Path, fresh: bool = False, clock: Clock | None = None) -> Store:
        """The store in `folder`, created when there is none, unless good backups hold a history: then
        StoreMissingError (an empty store would hide it; the message names the backup and the commands).
        `fresh`: create it all the same (the user asked to start afresh)."""
        path = Path(folder) / STORE_NAME
        if not path.exists():
            advice = None if fresh else missing_store_advice(path)
            if advice:
                raise StoreMissingError(advice)
            Path(folder).mkdir(parents=True, exist_ok=True)
            _move_orphans_aside(path)
        return cls(path, clock)

    def gone(self) -> bool:
        """True when the path no longer names the file this store opened (deleted, or replaced)."""
        return self._opened is not None and _identity(self.path) != self._opened

    def folder_went(self) -> bool:
        """Whether the store's whole folder is not there: a share or a drive disconnected (its store is then as quiz
        left it, not lost), or the folder deleted."""
        return not os.path.isdir(os.path.dirname(self.path))

    def how_gone(self, while_open: str, folder_went: bool) -> str:
        """What became of the store file, once gone(); `while_open` says when."""
        if folder_went:
            return (
                f"the data folder {os.path.dirname(self.path)} went away {while_open} (a network share or a drive "
                "disconnected, or the folder deleted)"
            )
        return f"{self.path} was deleted or replaced {while_open}"

    def close(self) -> None:
        self._forget_opened()
        self.db.close()

    def _forget_opened(self) -> None:
        if self._counted:
            self._counted = False
            Store._open_here[self._opened] -= 1

    @contextmanager
    def transaction(
        self, answer: bool = False, meanwhile: Callable[[], object] | None = None
    ) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock up front, so read-then-write never fails half way. Every write
        but an `answer` (record_review) bumps the write counter: an answer adds a review-log row instead, and
        the backup compares both (quiz.core.backup.needs_backup). `meanwhile` runs on another thread while the
        commit waits for the disk (quiz.core.overlap); it must not use the store."""
        if not answer:
            self._tail = None  # another change: the next answer reads what it follows again
        if not self._cannot_write and _identity(self._shm_path) != self._log[1]:
            self._rejoin_index()
        if self._cannot_write:
            raise StoreWriteError(f"could not save to {self.path}: {self._cannot_write}; quit quiz and start it again")
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                if self._counting and not answer:
                    self.db.execute("UPDATE meta SET value = value + 1 WHERE key = 'writes'")
                if self.gone():
                    raise StoreGoneError(
                        f"{self.how_gone('while quiz had it open', self.folder_went())}, so this was NOT saved "
                        "and nothing more can be. Quit quiz: it then backs up what was saved before and says how to "
                        "bring it back"
                    )
                if meanwhile is None:
                    self.db.execute("COMMIT")
                else:
                    overlap.during(functools.partial(self.db.execute, "COMMIT"), meanwhile)
                if self._log[0] is not None and _identity(self._wal_path) != self._log[0]:
                    self._fold_lost_log()
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                self.damaged = True
                raise corrupt_error(self.path, str(exc)) from exc
            if isinstance(exc, sqlite3.OperationalError):
                why = _storage_advice(self.path, exc) or exc
                raise StoreWriteError(f"could not save to {self.path}: {why}") from exc
            raise

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Reads: a damaged file or an unreadable row becomes StoreCorruptError, never a traceback."""
        try:
            yield self.db
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                self.damaged = True
                raise corrupt_error(self.path, str(exc)) from exc
            raise StoreError(f"could not read {self.path}: {exc}") from exc
        except _ROW_ERRORS as exc:
            raise StoreCorruptError(
                f"{self.path} holds a value quiz cannot read ({type(exc).__name__}: {exc}); "
                "run `quiz check` to repair it"
            ) from exc

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer quiz (schema {version}); upgrade quiz")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                # Read again under the write lock: another process may have migrated meanwhile.
                if db.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue
                for statement in filter(str.strip, script.split(";")):
                    # spaced out here for reading, kept on one line: a store's whole schema fits in its first page
                    # (its literals hold no runs of spaces), by which a file with other pages damaged still opens
                    db.execute(" ".join(statement.split()))
                if number == EVENTS_SCHEMA:
                    events.events_from_history(db, self._device_in(db))
                if number == COMPACT_SCHEMA:
                    answerlog.compact_history(db)
                db.execute(f"PRAGMA user_version={number}")
        if version == 0:
            # A new file, made step by step: its schema packed again into the first page, by which a file whose
            # other pages are damaged still opens (and says so). Skipped when another process is reading it.
            with suppress(sqlite3.OperationalError):
                self.db.execute("VACUUM")

    # --- events -----------------------------------------------------------------------------------

    @staticmethod
    def _device_in(db: sqlite3.Connection) -> str:
        return str(db.execute("SELECT value FROM sync WHERE key = 'device'").fetchone()[0])

    @property
    def device(self) -> str:
        """This store's device id: made once, named by every event it makes."""
        if self._device is None:
            with self.reading() as db:
                self._device = self._device_in(db)
        return self._device

    @_guarded
    def sync_folder(self) -> Path | None:
        """The folder `quiz sync --folder` set on this device (None: none yet)."""
        row = self.db.execute("SELECT value FROM sync WHERE key = 'folder'").fetchone()
        return None if row is None else Path(row[0])

    def set_sync_folder(self, folder: Path) -> None:
        """Keep the synced folder for this device only (another machine has its own path to it): never an event."""
        with self.transaction() as db:
            self.put_sync_folder(db, folder)

    @staticmethod
    def put_sync_folder(db: sqlite3.Connection, folder: Path) -> None:
        """set_sync_folder in the caller's transaction `db` (a move keeps the folder with its notes)."""
        db.execute("INSERT OR REPLACE INTO sync (key, value) VALUES ('folder', ?)", (str(folder.resolve()),))

    def new_device(self) -> str:
        """Give this store a new device id (`quiz sync --new-device`); returns it."""
        device = events.new_device_id()
        with self.transaction() as db:
            db.execute("UPDATE sync SET value = ? WHERE key = 'device'", (device,))
        self._device = device
        return device

    def log_event(
        self,
        db: sqlite3.Connection,
        kind: str,
        deck_id: str | None,
        card_key: str | None,
        body: dict[str, Any],
        at: datetime | None = None,
    ) -> str:
        """Keep the event of a change, in the change's transaction `db`; returns its id.

        Its time is the change's, but always later than every event this store holds (by a microsecond
        if need be): events replay in time order, so a change made after another, here or on a device
        whose events were read before, is never replayed before it, whatever the clocks say."""
        event_id, moment = self._event_stamps(db)(at)
        events.insert_event(db, events.Event(event_id, self.device, micros_text(moment), kind, deck_id, card_key, body))
        return event_id

    def _event_stamps(
        self,
        db: sqlite3.Connection,
        known: tuple[int, str | None] | None = None,
        ids: events.EventIds | None = None,
    ) -> _Stamps:
        """Ids and times for events kept one after another in `db`'s transaction (see log_event). `known`: the
        store's latest time (as microseconds) and last id (_latest) when the caller knows them; `ids`: the ids
        counted on from that id, when the caller keeps them (an answer's tail)."""
        if known is None:
            latest, last_id = self._latest(db)
            known = utc_micros(latest), last_id
        return _Stamps(self.clock, known[0], events.EventIds(after=known[1]) if ids is None else ids)

    def _event_row(
        self, stamped: tuple[str, int], kind: str, deck_id: str, card_key: str, body: dict[str, Any]
    ) -> tuple[Any, ...]:
        event_id, moment = stamped
        return (
            event_id,
            self.device,
            micros_text(moment),
            kind,
            deck_id,
            card_key,
            events.body_json(body),
        )

    @staticmethod
    def _latest(db: sqlite3.Connection) -> tuple[datetime, str | None]:
        """The time of the latest event held (this store's last one, or a later one `quiz sync` read), and
        this store's last event id. Read in the write's transaction, never remembered: another process (a
        command beside the app) may have written one since."""
        row = db.execute("SELECT id, at FROM event WHERE received = 0 ORDER BY id DESC LIMIT 1").fetchone()
        times = [row[1]] if row else []
        times += [value for (value,) in db.execute("SELECT value FROM sync WHERE key = 'latest'")]
        return max(map(datetime.fromisoformat, times), default=EPOCH), row[0] if row else None

    def saw_event_at(self, db: sqlite3.Connection, at: str) -> None:
        """Note that an event of `at` was read from another device (in `db`'s transaction): this store's
        later events come after it."""
        if datetime.fromisoformat(at) > self._latest(db)[0]:
            db.execute("INSERT OR REPLACE INTO sync (key, value) VALUES ('latest', ?)", (at,))

    @_guarded
    def read_events(
        self,
        notes: Iterable[tuple[str, str]] | None = None,
        kinds: Iterable[str] | None = None,
        deck_id: str | None = None,
    ) -> list[events.Event]:
        """The events kept, by id (this store's own in the order it made them): all, or those of some notes
        ((deck id, note id): their cards' events and marks) and every rename, or some kinds', or one deck's.
        Filtered here rather than read and thrown away: a sync replays a few notes among a million events."""
        query, args = f"SELECT {events.EVENT_COLUMNS} FROM event WHERE 1=1", []
        if notes is not None:
            # a card key's note is what comes before its first '/' (quiz.core.identity.note_id_of); ids hold no space
            query += (
                " AND (kind = 'rename' OR deck_id || ' ' || CASE"
                " WHEN kind = 'mark' THEN json_extract(body, '$.note')"
                " WHEN instr(card_key, '/') > 0 THEN substr(card_key, 1, instr(card_key, '/') - 1) ELSE card_key END"
                " IN (SELECT value FROM json_each(?)))"
            )
            args.append(json.dumps(sorted(f"{deck} {note}" for deck, note in set(notes))))
        if kinds is not None:
            query += " AND kind IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(sorted(set(kinds))))
        if deck_id is not None:
            query += " AND deck_id = ?"
            args.append(deck_id)
        return [events.event_from_row(row) for row in self.db.execute(query + " ORDER BY id", args)]

    @_guarded
    def read_renames(self) -> list[events.Event]:
        """Every rename of a note, by id, through the index of the events that are no answer (a rename names no
        card): what `read_events(kinds=[RENAME])` gives, without reading every answer."""
        rows = self.db.execute(
            f"SELECT {events.EVENT_COLUMNS} FROM event WHERE {events.OTHER_EVENTS} AND card_no IS NULL AND kind = ? "
            "ORDER BY id",
            (events.RENAME,),
        )
        return [events.event_from_row(row) for row in rows]

    def put_progress(
        self,
        db: sqlite3.Connection,
        states: dict[tuple[str, str], CardState | None],
        flags: dict[tuple[str, str], int],
        marks: dict[tuple[str, str], bool],
    ) -> None:
        """Write replayed card states (None: none), flags (0: none) and marks (deck id, note id), in `db`'s
        transaction, making no event: they are what the events say."""
        for (deck_id, card_key), state in states.items():
            self._put_state(db, deck_id, card_key, state)
        for (deck_id, card_key), flag in flags.items():
            self._put_flag(db, deck_id, card_key, flag)
        for (deck_id, note_id), marked in marks.items():
            if marked:
                db.execute("INSERT OR IGNORE INTO note_mark (deck_id, note_id) VALUES (?, ?)", (deck_id, note_id))
            else:
                db.execute("DELETE FROM note_mark WHERE deck_id = ? AND note_id = ?", (deck_id, note_id))

    @_guarded
    def all_flags(self) -> dict[tuple[str, str], int]:
        return {
            (deck, key): int(flag)
            for deck, key, flag in self.db.execute("SELECT deck_id, card_key, flag FROM card_flag")
        }

    @_guarded
    def all_marks(self) -> set[tuple[str, str]]:
        return set(self.db.execute("SELECT deck_id, note_id FROM note_mark").fetchall())

    # --- health -----------------------------------------------------------------------------------

    def writes_and_reviews(self) -> tuple[int, int]:
        """How many write transactions other than answers this file has committed, ever, and how many answers it
        holds: what the backup compares, read in one statement so that another process's write cannot come
        between the two."""
        with self.reading() as db:
            writes, reviews = db.execute(
                "SELECT (SELECT value FROM meta WHERE key = 'writes'), (SELECT count(*) FROM review_log)"
            ).fetchone()
        return int(writes or 0), int(reviews)

    def is_empty(self) -> bool:
        """True while nothing worth keeping has been written (no answer, state, mark, setting, preset, exam result
        or exam date)."""
        kept = ("review_log", "card_state", "card_flag", "note_mark", "settings", "exam_result", "preset", "exam_date")
        with self.reading() as db:
            return not any(db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in kept)

    def deck_ids_with_history(self) -> frozenset[str]:
        """The deck ids, casefolded, this store keeps anything under (answers, progress, flags, marks, a preset, an
        exam date, an exam's result): a deck given one of them takes it, though its deck file is gone. The event
        log is not read: these tables are what replaying it gives, so it keeps no deck id they lack."""
        with self.reading() as db:
            found = {deck_id for (deck_id,) in db.execute(_DECK_IDS_KEPT)}
            found |= {
                deck_id for (detail,) in db.execute("SELECT detail FROM exam_result") for deck_id in _exam_decks(detail)
            }
        return frozenset(deck_id.casefold() for deck_id in found if isinstance(deck_id, str))

    def never_written(self) -> bool:
        """True when nothing has been committed to this file since it was made: no counted write, no answer,
        and nothing worth keeping (what a command that failed before its first write leaves)."""
        return self.writes_and_reviews() == (0, 0) and self.is_empty()

    def check_health(self) -> None:
        """Raise StoreCorruptError (naming the newest good backup) unless quick_check passes."""
        problems = integrity_problems(self.db, quick=True)
        if problems:
            self.damaged = True
            raise corrupt_error(self.path, problems[0])

    def repair_rows(self, unreadable: dict[str, list[Any]]) -> list[str]:
        """Fix what is safe to fix, in one transaction; return what was done.

        An unreadable card state is rebuilt from the card's latest readable review, or removed (the card
        is then new again; its history stays). An unreadable setting is removed (its default applies).
        Review and exam rows are history: they are reported, never changed.
        """
        done: list[str] = []
        with self.transaction() as db:
            for deck_id, card_key in unreadable.get("card_state", []):
                rebuilt: CardState | None = None
                rows = db.execute(
                    f"SELECT {events.AFTER_SQL} FROM review_log AS r JOIN event AS e ON e.id = r.event_id "
                    "WHERE r.deck_id = ? AND r.card_key = ? AND r.mode = 'review' ORDER BY r.id DESC",
                    (deck_id, card_key),
                )
                for row in rows:
                    try:
                        rebuilt = state_from_columns(row)
                        _state_row(rebuilt)
                        break
                    except _ROW_ERRORS:
                        rebuilt = None
                self._put_state(db, deck_id, card_key, rebuilt)
                self._log_state(db, deck_id, card_key, rebuilt, events.STATE)
                how = "rebuilt from its latest review" if rebuilt else "removed (the card starts again as new)"
                done.append(f"card state {deck_id}/{card_key}: {how}")
            for key in unreadable.get("settings", []):
                db.execute("DELETE FROM settings WHERE key = ?", (key,))
                done.append(f"setting {key}: removed (its default applies)")
        return done

    @property
    @_guarded
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # --- card state -------------------------------------------------------------------------------

    @_guarded
    def states(self, deck_id: str) -> dict[str, CardState]:
        rows = self.db.execute(f"SELECT card_key, {_STATE_COLUMNS} FROM card_state WHERE deck_id = ?", (deck_id,))
        return {row[0]: state_from_columns(row[1:]) for row in rows}

    @_guarded
    def state(self, deck_id: str, card_key: str) -> CardState | None:
        row = self.db.execute(
            f"SELECT {_STATE_COLUMNS} FROM card_state WHERE deck_id = ? AND card_key = ?", (deck_id, card_key)
        ).fetchone()
        return state_from_columns(row) if row else None

    # Compact reads for queues and counts: only the columns they need, no CardState built. Each reads
    # one deck; "unsuspended" means suspended = 0, "blocking" a state that keeps its card from being new.

    @_guarded
    def learning_rows(self, deck_id: str) -> list[QueueRow]:
        """Unsuspended learning and relearning states (any due time), in no particular order."""
        rows = self.db.execute(
            "SELECT card_key, kind, due, buried_until FROM card_state "
            "WHERE deck_id = ? AND suspended = 0 AND fsrs_state IN (1, 3)",
            (deck_id,),
        )
        return [QueueRow(key, kind, moment_or_none(due), moment_or_none(buried)) for key, kind, due, buried in rows]

    @_guarded
    def due_rows(
        self,
        deck_id: str,
        fsrs_state: int,
        after: datetime | None = None,
        before: datetime | None = None,
        limit: int | None = None,
    ) -> tuple[list[DueRow], datetime | None]:
        """Unsuspended states in one fsrs state due after `after` and before `before`, earliest first.

        With a limit, the rows may stop early: the second value is then a time, and every such state due
        before it is among the rows (later ones may be missing); None when every such state is there.
        """
        columns = "SELECT card_key, kind, due, buried_until FROM card_state"
        where = "deck_id = ? AND suspended = 0 AND fsrs_state = ?"
        query, args = f"{columns} WHERE {where} AND due GLOB {_UTC_TEXT}", [deck_id, fsrs_state]
        if after is not None:
            query += " AND due > ?"
            args.append(_utc_text(after))
        if before is not None:
            query += " AND due < ?"
            args.append(_utc_text(before))
        query += " ORDER BY due" if limit is None else f" ORDER BY due LIMIT {int(limit)}"
        # Built with tuple.__new__, skipping the NamedTuple's Python-level __new__: today's queue reads up to
        # ~13,000 of these rows at a start of study, 2.6 ms this way against 4.6 ms.
        rows = [
            tuple.__new__(DueRow, (key, kind, datetime.fromisoformat(due), moment_or_none(buried)))
            for key, kind, due, buried in self.db.execute(query, args)
        ]
        boundary = rows[-1].due if limit is not None and len(rows) >= limit else None
        others = []  # due times spelt otherwise (normally none): all of them, compared as times
        for key, kind, due, buried in self.db.execute(
            f"{columns} INDEXED BY card_state_odd_due WHERE {where} AND due NOT GLOB {_UTC_TEXT}",
            (deck_id, fsrs_state),
        ):
            moment, buried_at = moment_or_none(due), moment_or_none(buried)
            if moment is not None and (after is None or moment > after) and (before is None or moment < before):
                others.append(DueRow(key, kind, moment, buried_at))
        if others:  # spelt another way (a hand-edited file): merged by time
            others.sort(key=_due_of)
            rows = list(merge(rows, others, key=_due_of))
        return rows, boundary

    @_guarded
    def brief_states(self, deck_id: str, keys: Iterable[str]) -> dict[str, BriefState]:
        """The stored states of these cards, those that have one, by key."""
        rows = self.db.execute(
            "SELECT card_key, kind, fsrs_state, suspended, due, buried_until FROM card_state "
            "WHERE deck_id = ? AND card_key IN (SELECT value FROM json_each(?))",
            (deck_id, json.dumps(list(keys))),
        )
        return {
            key: BriefState(kind, fsrs_state, bool(suspended), moment_or_none(due), moment_or_none(buried))
            for key, kind, fsrs_state, suspended, due, buried in rows
        }

    @_guarded
    def state_codes(self, deck_id: str, end: datetime, now: datetime) -> dict[str, str]:
        """key -> state code (`state_code`) of every stored state but a plain new one: suspended, a learning
        card or a review due before `end` or not (one buried past `now` is not), a new state buried past `now`.
        Read a class at a time, each as one row (two strings), from the index: a deck's 100,000 states build no
        Python value each."""
        due_today = f"due < ? AND due GLOB {_UTC_TEXT}"
        classes = (  # each an index range; fsrs states outside 0..3 (no quiz writes them) count as seen
            (SUSPENDED, "suspended > 0"),
            (SUSPENDED, "suspended < 0"),
            # a learning card counts on the day its next step falls, as in Anki's deck list (a step of a
            # day or more is tomorrow's)
            (LEARNING, f"suspended = 0 AND fsrs_state IN (1, 3) AND (due IS NULL OR {due_today})"),
            (SEEN, f"suspended = 0 AND fsrs_state IN (1, 3) AND due IS NOT NULL AND NOT ({due_today})"),
            (DUE, f"suspended = 0 AND fsrs_state = 2 AND {due_today}"),
            (SEEN, f"suspended = 0 AND fsrs_state = 2 AND (due IS NULL OR NOT ({due_today}))"),
            (SEEN, "suspended = 0 AND fsrs_state > 3"),
            (SEEN, "suspended = 0 AND fsrs_state < 0"),
        )
        end_text = _utc_text(end)
        selects, args = [], []
        for _, where in classes:
            selects.append(
                "SELECT count(*), group_concat(card_key, char(10)), group_concat(kind, char(10)) "
                f"FROM card_state WHERE deck_id = ? AND {where}"
            )
            args += [deck_id, end_text] if "due < ?" in where else [deck_id]
        found: dict[str, str] = {}
        rows = self.db.execute(" UNION ALL ".join(selects), args).fetchall()
        for (state_class, where), (count, keys, kinds) in zip(classes, rows, strict=True):
            if not count:
                continue
            key_list, kind_list = keys.split("\n"), kinds.split("\n")
            if len(key_list) != count or len(kind_list) != count:  # a line break in a key or a kind
                pairs = self.db.execute(
                    f"SELECT card_key, kind FROM card_state WHERE deck_id = ? AND {where}",
                    [deck_id, end_text] if "due < ?" in where else [deck_id],
                ).fetchall()
                key_list, kind_list = [key for key, _ in pairs], [kind for _, kind in pairs]
            found.update(zip(key_list, map(_StateCodes(state_class).__getitem__, kind_list), strict=True))
        for key, kind, fsrs_state, due, buried in self.db.execute(  # due times spelt otherwise: compared as times
            f"SELECT card_key, kind, fsrs_state, due, buried_until FROM card_state INDEXED BY card_state_odd_due "
            f"WHERE deck_id = ? AND suspended = 0 AND fsrs_state IN (1, 2, 3) AND due NOT GLOB {_UTC_TEXT}",
            (deck_id,),
        ):
            today = DUE if fsrs_state == 2 else LEARNING
            shown = datetime.fromisoformat(due) < end and not _buried_past(buried, now)
            found[key] = state_code(today if shown else SEEN, kind)
        # Buried past now: a new card is told apart, and a learning card or review due today is not counted today,
        # as the session and Anki's deck list do not (each read from an index range of the classes above).
        buried_in = "SELECT card_key, kind, fsrs_state, buried_until FROM card_state WHERE deck_id = ? "
        buried_in += "AND suspended = 0"
        for key, kind, fsrs_state, buried in self.db.execute(
            f"{buried_in} AND fsrs_state = 0 AND buried_until IS NOT NULL UNION ALL "
            f"{buried_in} AND fsrs_state IN (1, 3) AND due IS NULL AND buried_until IS NOT NULL UNION ALL "
            f"{buried_in} AND fsrs_state IN (1, 2, 3) AND {due_today} AND buried_until IS NOT NULL",
            (deck_id, deck_id, deck_id, end_text),
        ):
            if _buried_past(buried, now):
                found[key] = state_code(BURIED_NEW if fsrs_state == 0 else SEEN, kind)
        return found

    @_guarded
    def suspended_keys(self, deck_id: str) -> dict[str, set[str]]:
        """kind -> keys of the suspended states."""
        found: dict[str, set[str]] = {}
        for key, kind in self.db.execute(
            "SELECT card_key, kind FROM card_state WHERE deck_id = ? AND suspended <> 0", (deck_id,)
        ):
            found.setdefault(kind, set()).add(key)
        return found

    @_guarded
    def buried_keys(self, now: datetime, deck_id: str | None = None) -> list[tuple[str, str]]:
        """(deck id, card key) of the states buried past `now`, of one deck or of all, in key order."""
        query = "SELECT deck_id, card_key, buried_until FROM card_state WHERE buried_until IS NOT NULL"
        args: tuple[str, ...] = ()
        if deck_id is not None:
            query, args = query + " AND deck_id = ?", (deck_id,)
        rows = self.db.execute(query + " ORDER BY deck_id, card_key", args)
        return [(deck, key) for deck, key, buried in rows if datetime.fromisoformat(buried) > now]

    def unbury(self, keys: Iterable[tuple[str, str]]) -> None:
        """Clear the burial of these (deck id, card key) states, in one transaction."""
        with self.transaction() as db:
            for deck_id, card_key in keys:
                db.execute(
                    "UPDATE card_state SET buried_until = NULL WHERE deck_id = ? AND card_key = ?", (deck_id, card_key)
                )
                self.log_event(db, events.BURY, deck_id, card_key, {"kind": None, "until": None})

    def _put_state(
        self,
        db: sqlite3.Connection,
        deck_id: str,
        card_key: str,
        state: CardState | None,
        row: tuple[Any, ...] | None = None,
    ) -> None:
        """Write the card's state (None: forget it); `row`: its columns (_state_row), when the caller has them."""
        if state is None:
            db.execute("DELETE FROM card_state WHERE deck_id = ? AND card_key = ?", (deck_id, card_key))
            return
        db.execute(_PUT_STATE, (deck_id, card_key, *(_state_row(state) if row is None else row)))

    def set_state(self, deck_id: str, card_key: str, state: CardState | None, change: str = events.STATE) -> None:
        """Write (or with None, forget) one card's state without a review. `change` is the event it makes: a
        SUSPEND or a BURY records only the suspension or the burial (so a merge keeps another device's
        answer), a STATE (a reset, an undo) the whole state."""
        with self.transaction() as db:
            self._put_state(db, deck_id, card_key, state)
            self._log_state(db, deck_id, card_key, state, change)

    def _log_state(
        self, db: sqlite3.Connection, deck_id: str, card_key: str, state: CardState | None, change: str
    ) -> None:
        body: dict[str, Any]
        if change == events.SUSPEND and state is not None:
            body = {"kind": state.kind, "on": state.suspended}
        elif change == events.BURY and state is not None:
            body = {"kind": state.kind, "until": iso_or_none(state.buried_until)}
        else:
            change, body = events.STATE, {"state": None if state is None else state.to_json()}
        self.log_event(db, change, deck_id, card_key, body)

    def set_states(self, deck_id: str, states: dict[str, CardState]) -> None:
        """Write many cards' states without a review, in one transaction (a reschedule)."""
        with self.transaction() as db:
            for card_key, state in states.items():
                self._put_state(db, deck_id, card_key, state)
                self._log_state(db, deck_id, card_key, state, events.STATE)

    # --- flags ------------------------------------------------------------------------------------

    @_guarded
    def flag(self, deck_id: str, card_key: str) -> int:
        """The card's flag, 1-7, or 0 for none."""
        row = self.db.execute(
            "SELECT flag FROM card_flag WHERE deck_id = ? AND card_key = ?", (deck_id, card_key)
        ).fetchone()
        return int(row[0]) if row else 0

    @_guarded
    def flags(self, deck_id: str) -> dict[str, int]:
        """card key -> flag, of the deck's flagged cards."""
        rows = self.db.execute("SELECT card_key, flag FROM card_flag WHERE deck_id = ?", (deck_id,))
        return {key: int(flag) for key, flag in rows}

    def set_flag(self, deck_id: str, card_key: str, flag: int) -> None:
        """Flag the card (1-7), or with 0 take its flag away."""
        if not 0 <= flag <= 7:
            raise ValueError(f"a flag is 0 (none) to 7, not {flag}")
        with self.transaction() as db:
            self._put_flag(db, deck_id, card_key, flag)
            self.log_event(db, events.FLAG, deck_id, card_key, {"flag": flag})

    @staticmethod
    def _put_flag(db: sqlite3.Connection, deck_id: str, card_key: str, flag: int) -> None:
        if flag:
            db.execute(_PUT_FLAG, (deck_id, card_key, flag))
        else:
            db.execute("DELETE FROM card_flag WHERE deck_id = ? AND card_key = ?", (deck_id, card_key))

    # --- marks ------------------------------------------------------------------------------------

    @_guarded
    def marked_notes(self, deck_id: str) -> frozenset[str]:
        """The ids of the deck's marked notes."""
        rows = self.db.execute("SELECT note_id FROM note_mark WHERE deck_id = ?", (deck_id,))
        return frozenset(note_id for (note_id,) in rows)

    @_guarded
    def is_marked(self, deck_id: str, note_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM note_mark WHERE deck_id = ? AND note_id = ?", (deck_id, note_id))
        return row.fetchone() is not None

    def set_mark(self, deck_id: str, note_id: str, marked: bool) -> None:
        """Mark the note, or take its mark away."""
        with self.transaction() as db:
            if marked:
                db.execute("INSERT OR IGNORE INTO note_mark (deck_id, note_id) VALUES (?, ?)", (deck_id, note_id))
            else:
                db.execute("DELETE FROM note_mark WHERE deck_id = ? AND note_id = ?", (deck_id, note_id))
            self.log_event(db, events.MARK, deck_id, None, {"note": note_id, "on": marked})

    # --- reviews ----------------------------------------------------------------------------------

    def record_review(
        self,
        deck_id: str,
        card_key: str,
        grade: Grade,
        at: datetime,
        duration_ms: int,
        mode: Mode,
        before: CardState | None,
        after: CardState,
        then: Callable[[], object] | None = None,
        meanwhile: Callable[[], object] | None = None,
    ) -> int:
        """Log one answer, its event and the card's new state in one transaction; return the log id. The two
        states are written once, in the event's row (quiz.core.events); the log row names the event. `then`
        is run last in the transaction, before it commits: a read it makes needs no read transaction of its
        own. `meanwhile` runs on another thread during the commit and must not use the store."""
        answered = _utc_text(at)
        body = {"grade": int(grade), "duration_ms": duration_ms, "mode": str(mode), "answered_at": answered}
        after_row = _state_row(after)  # the event's columns, and the card's row (one conversion for both)
        before_row = events.NO_STATE if before is None else _state_row(before)
        worked_out = events.own_answer_columns(mode is Mode.REVIEW, deck_id, card_key, before_row, after_row)
        with self.transaction(answer=True, meanwhile=meanwhile) as db:
            tail, self._tail = self._answer_tail(db), None  # remembered again once committed
            stamped = self._event_stamps(db, (tail.latest, tail.last_event), tail.ids)(at)
            event_row = self._event_row(stamped, events.REVIEW, deck_id, card_key, body)
            db.execute(events.INSERT_OWN_ANSWER, (*event_row, *before_row, *after_row, 0, *worked_out))
            log_id = answerlog.id_after_newest(tail.newest_log, answerlog.id_floor(at))
            db.execute(
                answerlog.PUT_ANSWER,
                (log_id, deck_id, card_key, int(grade), answered, duration_ms, str(mode), stamped[0]),
            )
            if mode is Mode.REVIEW:
                self._put_state(db, deck_id, card_key, after, after_row)
            if then is not None:
                then()
        self._tail = _Tail(tail.version, stamped[1], stamped[0], log_id, tail.ids)
        return log_id

    def _answer_tail(self, db: sqlite3.Connection) -> _Tail:
        """What the next answer follows, in its transaction `db`: remembered from this connection's last answer
        unless another connection has committed since (PRAGMA data_version tells, one statement) or this one
        wrote anything else (transaction forgets it), else read."""
        (version,) = db.execute("PRAGMA data_version").fetchone()
        tail = self._tail
        if tail is None or tail.version != version:
            latest, last_event = self._latest(db)
            ids = events.EventIds(after=last_event)
            tail = _Tail(version, utc_micros(latest), last_event, answerlog.newest_id(db), ids)
        return tail

    @_guarded
    def logged_answers(self, deck_id: str) -> LoggedAnswers:
        """What the deck's log holds of the answers an import brings (LoggedAnswers), read before its history
        is replayed; import_history uses it again unless the store changed since."""
        # where the store stands, read first: a commit after it makes import_history read the log again
        return _read_logged(self.db, deck_id, self._change(self.db))

    def _change(self, db: sqlite3.Connection) -> tuple[int, int, int]:
        """Where the store stands: the connection, another connection's commits (PRAGMA data_version) and this
        one's changes."""
        (version,) = db.execute("PRAGMA data_version").fetchone()
        return self._connections, version, db.total_changes

    def import_history(
        self,
        deck_id: str,
        cards: Iterable[ImportedCard],
        then: Callable[[], None],
        logged: LoggedAnswers | None = None,
    ) -> ImportedHistoryResult:
        """Write every card's history (each card once) in one transaction, `then` run before it commits (when it
        raises, nothing is kept). An answer the log already holds (same card, time and grade: an earlier import of
        the same review log) is not written again; every other answer goes in, in time order, beside quiz's own. A
        card takes the imported state (and flag) only when it has none in quiz yet, or when the import holds an
        answer newer than every answer logged for it (a card suspended in quiz stays suspended); otherwise it
        keeps its own, and its key is returned. A card's flag set or taken off in quiz since the last import is
        kept by the same rule. A state or flag the card holds already, with no new answer,
        logs no event. `logged`: the log as logged_answers read it for the history, read again unless the store
        is where it stood then."""
        # A long history is hundreds of MB of rows and index pages: with SQLite's default 2 MB page cache
        # they are spilled and rewritten as the indexes grow; 8 MB took a third off the insert (~3 % since a
        # first import's indexes are made after its rows, _indexes_built_after).
        self.db.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")
        try:
            return self._import_history(deck_id, cards, then, logged)
        finally:
            self.db.execute(f"PRAGMA cache_size = {_DEFAULT_CACHE_SIZE}")

    def _import_history(
        self, deck_id: str, cards: Iterable[ImportedCard], then: Callable[[], None], logged: LoggedAnswers | None
    ) -> ImportedHistoryResult:
        with self.transaction() as db:
            # each card's stored state and flag: an import that would leave them as they are writes no event
            # for them (a weekly re-import of an unchanged shared deck would log its cards again each time)
            stored = {
                key: tuple(columns)
                for key, *columns in db.execute(
                    f"SELECT card_key, {_STATE_COLUMNS} FROM card_state WHERE deck_id = ?", (deck_id,)
                )
            }
            stored_flags = dict(db.execute("SELECT card_key, flag FROM card_flag WHERE deck_id = ?", (deck_id,)))
            studied = stored.keys()
            suspended = {key for key, columns in stored.items() if columns[_SUSPENDED_COLUMN]}
            # each card's answers in the log, counted only when the card comes (_logged_answers)
            version = self._change(db)
            if logged is None or (logged.deck_id, logged.version) != (deck_id, version):
                logged = _read_logged(db, deck_id, version)
            in_log, last = logged.known, logged.last
            kept: set[str] = set()
            kept_own = 0
            states: list[tuple[str, CardState, datetime | None]] = []
            flags: list[tuple[str, int, datetime | None]] = []
            answers: list[_Imported] = []
            known = 0
            # card, time, grade -> answers the log holds before a new one equal to them (rare: held only for it)
            skipped: Counter[tuple[str, int]] = Counter()
            for card in cards:
                seen = _logged_answers(in_log, card) if in_log else None  # several answers can share a second
                new: Sequence[ImportedAnswer] = card.answers
                if seen:  # only a card with answers logged already needs each answer looked up
                    fresh, taken = [], Counter[int]()
                    for answer in card.answers:
                        at_grade = _known_as(answer.logged_at or answer.at, int(answer.grade))
                        if seen[at_grade] > 0:
                            seen[at_grade] -= 1
                            taken[at_grade] += 1
                        else:
                            fresh.append(answer)
                            if taken[at_grade]:
                                skipped[card.card_key, at_grade] = taken[at_grade]
                    new = fresh
                known += len(card.answers) - len(new)
                # the answer's number in its card's order makes equal times sort as the card has them, without a
                # key tuple an answer (300,000 of them, all made at the import's peak)
                answers += [(a.at, card.card_key, number, a) for number, a in enumerate(new)]
                newest = _newest(card)
                ours = last.get(card.card_key)
                if ours is None and card.home is not None and card.card_key not in studied:
                    # a card away from its home that you reset in quiz: its answers count, as at its home
                    ours = last.get(card.home) if _reset_in_quiz(db, deck_id, card.card_key) else None
                if events.imported_state_kept(card.card_key in studied, ours, newest):
                    kept.add(card.card_key)
                    kept_own += stored.get(card.card_key) != (None if card.state is None else _state_row(card.state))
                    continue
                if card.state is not None:
                    # a card you suspended in quiz stays suspended: that was your choice, not the schedule
                    state = replace(card.state, suspended=True) if card.card_key in suspended else card.state
                    if new or stored.get(card.card_key) != _state_row(state):
                        states.append((card.card_key, state, newest))
                # a flag set or taken off in quiz since the last import is kept as a state is (a card never
                # studied has none to keep: the flag alone says what you did)
                if (
                    card.flag
                    and stored_flags.get(card.card_key) != card.flag
                    and not events.imported_state_kept(_flagged_in_quiz(db, deck_id, card.card_key), ours, newest)
                ):
                    flags.append((card.card_key, card.flag, newest))
            # Written in batches (a shared deck brings hundreds of thousands of answers), in the order one
            # event at a time would give: the flags, the answers in time order, then each card's state.
            stamp = self._event_stamps(db)
            stateless = (*events.NO_STATE, *events.NO_STATE, 0)
            db.executemany(
                events.INSERT_EVENT,
                [
                    (
                        *self._event_row(stamp(at), events.FLAG, deck_id, key, _imported_flag(flag, at)),
                        *stateless,
                    )
                    for key, flag, at in flags
                ],
            )
            db.executemany(_PUT_FLAG, ((deck_id, key, flag) for key, flag, _ in flags))
            answers.sort()
            log_ids = answerlog.FreeIds(db, answerlog.id_floor(answers[0][0]) if answers else 0)
            with _indexes_built_after(db, "review_log", len(answers)):
                _write_answers(db, _imported_rows(answers, skipped, stamp, log_ids, self.device, deck_id))
            db.executemany(  # after the answers: the imported state is what replaying them ends with
                events.INSERT_EVENT,
                (
                    (
                        *self._event_row(stamp(None), events.STATE, deck_id, key, _imported_state(state, newest)),
                        *stateless,
                    )
                    for key, state, newest in states
                ),
            )
            with _indexes_built_after(db, "card_state", len(states)):
                db.executemany(_PUT_STATE, ((deck_id, key, *_state_row(state)) for key, state, _ in states))
            then()
        previews = sum(a.mode == Mode.PRACTICE for *_, a in answers)
        return ImportedHistoryResult(len(answers), known, frozenset(kept), previews, kept_own)

    @_guarded
    def undo_review(self, review_id: int, stored_before: CardState | None = None) -> ReviewRecord | None:
        """Delete a logged answer and put the card back as it was before it; None if it is gone. `stored_before`,
        the state stored before it: a card whose kind changed since is answered as new, its old kind's schedule
        set aside, and that schedule is put back too (a STATE event, so every device keeps it), not lost."""
        with self.transaction() as db:
            record = self._review(db, review_id)
            if record is None:
                return None
            (event_id,) = db.execute("SELECT event_id FROM review_log WHERE id = ?", (review_id,)).fetchone()
            db.execute("DELETE FROM review_log WHERE id = ?", (review_id,))
            if record.mode is Mode.REVIEW:
                self._put_state(db, record.deck_id, record.card_key, record.state_before)
            self.log_event(db, events.UNDO, record.deck_id, record.card_key, {"of": event_id})
            if (
                record.mode is Mode.REVIEW
                and stored_before is not None
                and stored_before.kind != record.state_after.kind
            ):
                self._put_state(db, record.deck_id, record.card_key, stored_before)
                self._log_state(db, record.deck_id, record.card_key, stored_before, events.STATE)
            return record

    def _review(self, db: sqlite3.Connection, review_id: int) -> ReviewRecord | None:
        row = db.execute(f"{_REVIEWS} WHERE r.id = ?", (review_id,)).fetchone()
        return self._record(row) if row else None

    @staticmethod
    def _record(row: tuple[Any, ...]) -> ReviewRecord:
        """A _REVIEWS row as a record, or ValueError (an answer without its event's states: damaged)."""
        before = row[7 : 7 + _FIELDS]
        return ReviewRecord(
            row[0],
            row[1],
            row[2],
            Grade(row[3]),
            datetime.fromisoformat(row[4]),
            row[5],
            Mode(row[6]),
            None if before[0] is None else state_from_columns(before),
            state_from_columns(row[7 + _FIELDS :]),
        )

    @_guarded
    def reviews(
        self,
        deck_id: str | None = None,
        card_key: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[ReviewRecord]:
        """The answers logged, oldest first; `until` leaves out those dated from it on (a day's end: an answer
        synced from a device whose clock runs ahead is dated on a later day)."""
        query = f"{_REVIEWS} WHERE 1=1"
        args: list[Any] = []
        if deck_id is not None:
            query += " AND r.deck_id = ?"
            args.append(deck_id)
        if card_key is not None:
            query += " AND r.card_key = ?"
            args.append(card_key)
        if since is not None:
            clause, bounds = _since(since, "r.")
            query += f" AND {clause}"
            args += bounds
        if until is not None:
            query += " AND r.reviewed_at < ?"
            args.append(_utc_text(until))
        return [self._record(row) for row in self.db.execute(query + " ORDER BY r.id", args)]

    @_guarded
    def fitting_answers(self, deck_ids: Iterable[str]) -> list[FittingAnswer]:
        """The review-mode answers of these decks as fitting reads them, by deck, card and time: SQLite reads
        each one's time and the card's state before it, rather than Python loading the two card states
        `reviews` loads per answer (for 100,000 answers that took most of a fit's time)."""
        decks = list(deck_ids)
        # One pass over the log beats the deck index here: it reads the rows in order, not one seek each.
        query = (
            "SELECT id, deck_id, card_key, grade,"
            " CAST(round((julianday(reviewed_at) - 2440587.5) * 86400000) AS INTEGER) AS at_ms,"  # from 1970
            " coalesce((SELECT before_fsrs_state FROM event WHERE event.id = event_id), 0)"
            f" FROM review_log NOT INDEXED WHERE mode = ? AND deck_id IN ({', '.join('?' * len(decks))})"
            " ORDER BY deck_id, card_key, at_ms, id"
        )
        answers = list(map(FittingAnswer._make, self.db.execute(query, (str(Mode.REVIEW), *decks))))
        unreadable = next((answer for answer in answers if answer.at_ms is None), None)
        if unreadable is not None:
            raise ValueError(f"the time of answer {unreadable.id} is not a time")
        return answers

    @_guarded
    def answer_counts(self, since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
        """How many answers of each mode (review, practice, exam) are logged, since `since` or ever, and before
        `until` (a day's end, as for `reviews`)."""
        clause, args = _since(since) if since is not None else ("1=1", [])
        if until is not None:
            clause, args = f"{clause} AND reviewed_at < ?", [*args, _utc_text(until)]
        query = f"SELECT mode, count(*) FROM review_log WHERE {clause} GROUP BY mode"
        return dict(self.db.execute(query, args).fetchall())

    @_guarded
    def retention_answers(self, since: datetime | None = None) -> list[RetentionAnswer]:
        """The review-mode answers to cards in review (graduated), since `since` or ever, oldest first."""
        clause, args = _since(since, "r.") if since is not None else ("1=1", [])
        rows = self.db.execute(
            "SELECT r.deck_id, r.card_key, r.grade, r.reviewed_at, e.before_stability, e.before_last_review"
            " FROM review_log AS r JOIN event AS e ON e.id = r.event_id"
            f" WHERE {clause} AND r.mode = ? AND e.before_fsrs_state = ? ORDER BY r.id",
            [*args, str(Mode.REVIEW), REVIEW],
        )
        return [_retention_answer(*row) for row in rows]

    @_guarded
    def answer_times(self, since: datetime, mode: Mode) -> list[datetime]:
        """When each answer of `mode` since `since` was given, oldest first: what counting answers per day
        needs, without the two card states `reviews` builds per answer (the Stats screen's half year of a
        year-old store's answers took half a second so)."""
        clause, args = _since(since)
        rows = self.db.execute(
            f"SELECT reviewed_at FROM review_log WHERE {clause} AND mode = ? ORDER BY id", args + [str(mode)]
        )
        return [datetime.fromisoformat(at) for (at,) in rows]

    @_guarded
    def answered_since(self, since: datetime) -> set[tuple[str, str]]:
        """(deck id, card key) of every card answered (in any mode) since `since`."""
        clause, args = _since(since)
        return set(
            self.db.execute(f"SELECT DISTINCT deck_id, card_key FROM review_log WHERE {clause}", args).fetchall()
        )

    @_guarded
    def answered_decks(self) -> list[str]:
        """The ids of the decks with an answer logged (in any mode), sorted."""
        # One seek of the (deck, card) index per deck, each for the first deck id past the last: a DISTINCT
        # reads every entry of the index (50 ms for 500,000 answers), as SQLite, without statistics, plans it.
        rows = self.db.execute(
            "WITH RECURSIVE answered(deck) AS (SELECT min(deck_id) FROM review_log UNION ALL"
            " SELECT (SELECT min(deck_id) FROM review_log WHERE deck_id > deck) FROM answered WHERE deck IS NOT NULL)"
            " SELECT deck FROM answered WHERE deck IS NOT NULL"
        )
        return [deck for (deck,) in rows]

    @_guarded
    def review_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM review_log").fetchone()[0])

    @_guarded
    def deck_answers_since(self, deck_id: str, since: datetime, until: datetime | None = None) -> DeckAnswers:
        """A deck's scheduled answers since `since` and before `until` (the day's start and end: what its daily
        limits have spent; an answer dated after the day, by a device whose clock is ahead, spends its own day's).
        A card answered new has no state before (quiz's own answer) or a new one (an answer imported from Anki,
        which counted it against its new-card limit as quiz does)."""
        clause, args = _since(since, "r.")
        if until is not None:
            clause, args = f"{clause} AND r.reviewed_at < ?", [*args, _utc_text(until)]
        rows = self.db.execute(
            "SELECT r.card_key, e.before_kind IS NULL OR e.before_fsrs_state = 0, e.before_fsrs_state "
            f"FROM review_log AS r LEFT JOIN event AS e ON e.id = r.event_id "
            f"WHERE r.deck_id = ? AND {clause} AND r.mode = 'review'",
            (deck_id, *args),
        ).fetchall()
        introduced = {key for key, was_new, _ in rows if was_new}
        reviews = sum(1 for _, was_new, state in rows if not was_new and state == 2)
        return DeckAnswers(introduced, reviews, {key for key, _, _ in rows})

    # --- settings ---------------------------------------------------------------------------------

    @_guarded
    def settings(self) -> Settings:
        stored = {key: json.loads(value) for key, value in self.db.execute("SELECT key, value FROM settings")}
        return Settings.from_dict(stored)

    def save_settings(self, settings: Settings) -> None:
        settings.validated()
        values = settings.to_dict()
        with self.transaction() as db:
            self.put_settings(db, values)
            self.log_event(db, events.SETTINGS, None, None, {"values": values})

    @staticmethod
    def put_settings(db: sqlite3.Connection, values: dict[str, Any]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            [(key, json.dumps(value)) for key, value in values.items()],
        )

    # --- option presets ---------------------------------------------------------------------------

    @_guarded
    def presets(self) -> dict[str, dict[str, Any]]:
        """name -> stored options of each preset but Default (whose options are the settings), by name.
        Options that do not read as a JSON object read as none, so the Default's values apply."""
        found: dict[str, dict[str, Any]] = {}
        for name, text in self.db.execute("SELECT name, options FROM preset ORDER BY name"):
            try:
                options = json.loads(text)
            except (TypeError, ValueError):
                options = None
            found[name] = options if isinstance(options, dict) else {}
        return found

    def save_preset(self, name: str, options: dict[str, Any]) -> None:
        """Create the preset or replace its options (an upsert: REPLACE would delete the row, and with it,
        by the cascade, every deck's choice of it)."""
        with self.transaction() as db:
            self.put_preset(db, name, options)
            self.log_event(db, events.PRESET, None, None, {"name": name, "options": options})

    @staticmethod
    def put_preset(db: sqlite3.Connection, name: str, options: dict[str, Any] | None) -> None:
        """Create or change preset `name` (None: remove it; its decks go back to Default)."""
        if options is None:
            db.execute("DELETE FROM preset WHERE name = ?", (name,))
            return
        db.execute(
            "INSERT INTO preset (name, options) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET options = excluded.options",
            (name, json.dumps(options)),
        )

    def rename_preset(self, old: str, new: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE preset SET name = ? WHERE name = ?", (new, old))
            self.log_event(db, events.PRESET_RENAME, None, None, {"old": old, "new": new})

    def remove_preset(self, name: str) -> list[str]:
        """Delete the preset; its decks go back to Default. Returns those decks' ids."""
        with self.transaction() as db:
            decks = [deck for (deck,) in db.execute("SELECT deck_id FROM deck_preset WHERE preset = ?", (name,))]
            self.put_preset(db, name, None)
            self.log_event(db, events.PRESET, None, None, {"name": name, "options": None})
            return decks

    @_guarded
    def deck_presets(self) -> dict[str, str]:
        """deck id -> the preset it uses, for each deck with one other than Default."""
        return dict(self.db.execute("SELECT deck_id, preset FROM deck_preset ORDER BY deck_id").fetchall())

    def assign_preset(self, deck_id: str, name: str | None) -> None:
        """Have the deck use the preset (None: Default)."""
        with self.transaction() as db:
            self.put_deck_preset(db, deck_id, name)
            self.log_event(db, events.DECK_PRESET, deck_id, None, {"preset": name})

    @staticmethod
    def put_deck_preset(db: sqlite3.Connection, deck_id: str, name: str | None) -> None:
        if name is None:
            db.execute("DELETE FROM deck_preset WHERE deck_id = ?", (deck_id,))
        else:
            db.execute("INSERT OR REPLACE INTO deck_preset (deck_id, preset) VALUES (?, ?)", (deck_id, name))

    # --- exams ------------------------------------------------------------------------------------

    def save_exam(
        self, taken_at: datetime, title: str, correct: int, total: int, seconds: float, detail: dict[str, Any]
    ) -> int:
        body = {"taken_at": taken_at.isoformat(), "title": title, "correct": correct, "total": total}
        body.update(seconds=seconds, detail=detail)
        with self.transaction() as db:
            self.log_event(db, events.EXAM, None, None, body, taken_at)
            return self.put_exam(db, body)

    @staticmethod
    def put_exam(db: sqlite3.Connection, body: dict[str, Any]) -> int:
        """Keep an exam's result (an EXAM event's body); returns its row id."""
        cursor = db.execute(
            "INSERT INTO exam_result (taken_at, title, correct, total, seconds, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (
                body["taken_at"],
                body["title"],
                body["correct"],
                body["total"],
                body["seconds"],
                json.dumps(body["detail"]),
            ),
        )
        return int(cursor.lastrowid or 0)

    @_guarded
    def exams(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT id, taken_at, title, correct, total, seconds, detail FROM exam_result ORDER BY taken_at DESC"
        )
        return [
            {
                "id": r[0],
                "taken_at": datetime.fromisoformat(r[1]),
                "title": r[2],
                "correct": r[3],
                "total": r[4],
                "seconds": r[5],
                "detail": json.loads(r[6]),
            }
            for r in rows
        ]

    # --- exam dates -------------------------------------------------------------------------------

    @_guarded
    def exam_dates(self) -> list[tuple[str, str, str, float]]:
        """(deck id, topic or '', day as YYYY-MM-DD, target) of every exam date, soonest first."""
        rows = self.db.execute("SELECT deck_id, topic, day, target FROM exam_date ORDER BY day, deck_id, topic")
        return [(deck_id, topic, day, float(target)) for deck_id, topic, day, target in rows]

    def save_exam_date(self, deck_id: str, topic: str, day: str, target: float) -> None:
        """Set the exam date and target of a deck's topic ('' : the whole deck), replacing any it had."""
        with self.transaction() as db:
            self.put_exam_date(db, deck_id, topic, day, target)
            self.log_event(db, events.EXAM_DATE, deck_id, None, {"topic": topic, "day": day, "target": target})

    def remove_exam_date(self, deck_id: str, topic: str) -> bool:
        """Forget the exam date of a deck's topic ('': the whole deck). Returns whether there was one."""
        with self.transaction() as db:
            removed = self.put_exam_date(db, deck_id, topic, None, None)
            if removed:
                self.log_event(db, events.EXAM_DATE, deck_id, None, {"topic": topic, "day": None, "target": None})
            return removed

    @staticmethod
    def put_exam_date(db: sqlite3.Connection, deck_id: str, topic: str, day: str | None, target: float | None) -> bool:
        """Set (or with day None, remove) an exam date in `db`'s transaction; whether a row changed."""
        if day is None or target is None:
            return db.execute("DELETE FROM exam_date WHERE deck_id = ? AND topic = ?", (deck_id, topic)).rowcount > 0
        db.execute(
            "INSERT OR REPLACE INTO exam_date (deck_id, topic, day, target) VALUES (?, ?, ?, ?)",
            (deck_id, topic, day, target),
        )
        return True

    @_guarded
    def all_states(self) -> Iterable[tuple[str, str, CardState]]:
        rows = self.db.execute(f"SELECT deck_id, card_key, {_STATE_COLUMNS} FROM card_state")
        return [(row[0], row[1], state_from_columns(row[2:])) for row in rows]
