"""Progress as events: every change to progress (an answer, an undo, a suspend, a bury, a reset, a flag, a
mark, a rename, the settings, an option preset, an exam) is one event, with a globally unique id, the device
that made it and its time. The store keeps them (table `event`, written in the same transaction as the
change) and card states, flags and marks are a cache replayed from them (quiz.core.replay); `quiz sync`
copies them between devices (quiz.core.sync).

This module holds what an event is, its ids, its JSON line, and the conversion of a store's history kept
before events existed. It imports nothing of the store, which imports it.
"""

from __future__ import annotations

import json
import marshal
import math
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from quiz.core.clock import EARLIEST_NOW, EPOCH, LATEST_ANSWER
from quiz.core.text import quoted, shortened, with_article

try:  # BLAKE2 without hashlib, whose OpenSSL import costs milliseconds at every start
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b

FORMAT = 1  # the version of an event line; a file naming a higher one is refused (a newer quiz wrote it)

# The kinds of event, and what their body holds (deck_id and card_key are columns of their own):
# review: grade, duration_ms, mode, answered_at, before (state or null: new), after (state): see STATE_FIELDS; an
# imported answer also IMPORTED (true), when not 1 occurrence (OCCURRENCE), and when dated at its import LOGGED_AT
REVIEW = "review"
UNDO = "undo"  # of: the review event taken back
SUSPEND = "suspend"  # kind, on: suspended or not (the rest of the state is kept)
BURY = "bury"  # kind, until: buried until (null: unburied)
# state: the whole state set (null: forgotten, a reset), as an undo, an import or a repair writes; an import's also
# newest (NEWEST)
STATE = "state"
FLAG = "flag"  # flag: 0-7; an import's also IMPORTED (true) and NEWEST
MARK = "mark"  # note, on (no card key: a mark is a note's)
RENAME = "rename"  # old, new: a note's ids in the deck (its cards' keys move)
SETTINGS = "settings"  # values: every setting
PRESET = "preset"  # name, options (null: removed)
PRESET_RENAME = "preset_rename"  # old, new
DECK_PRESET = "deck_preset"  # preset (null: Default); deck_id is the deck
EXAM = "exam"  # taken_at, title, correct, total, seconds, detail
EXAM_DATE = "exam_date"  # topic ('' : the whole deck), day (YYYY-MM-DD; null: removed), target; deck_id is the deck
# What marks an import's answer or flag: another program's, not given or set in quiz
IMPORTED = "imported"
KINDS = frozenset(
    {REVIEW, UNDO, SUSPEND, BURY, STATE, FLAG, MARK, RENAME, SETTINGS, PRESET, PRESET_RENAME, DECK_PRESET, EXAM}
    | {EXAM_DATE}
)
CARD_KINDS = frozenset({REVIEW, UNDO, SUSPEND, BURY, STATE, FLAG})  # what replays a card's state and flag
OPTION_KINDS = frozenset({SETTINGS, PRESET, PRESET_RENAME, DECK_PRESET, EXAM_DATE})

# EPOCH (clock's, 1970 UTC) is the time of a converted mark or setting, whose own time is unknown


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    device: str
    at: str  # UTC, isoformat: as text, events sort in time order
    kind: str
    deck_id: str | None
    card_key: str | None
    body: dict[str, Any]

    @property
    def answered_at(self) -> str:
        """A review's time: the answer's own (the event's time may be a little later, see Store.log_event)."""
        answered = self.body.get("answered_at")
        return answered if isinstance(answered, str) else self.at

    @property
    def order(self) -> tuple[str, str]:
        """Replay order: by time, ties by id (the same on every device)."""
        return self.at, self.id

    def line(self) -> str:
        """The event as one line of a device's file (no newline)."""
        record = {
            "v": FORMAT,
            "id": self.id,
            "device": self.device,
            "at": self.at,
            "kind": self.kind,
            "deck": self.deck_id,
            "card": self.card_key,
            "body": self.body,
        }
        return _LINE_JSON(record)


# One encoder each, made once: json.dumps with options of its own builds a new encoder at every call.
body_json = json.JSONEncoder(separators=(",", ":")).encode  # an event's body as the store keeps it
_LINE_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


class BadEvent(ValueError):
    """A line that is not an event this quiz can read; the message says what is wrong."""


class NewerFormat(BadEvent):
    """An event written by a newer quiz."""


MAX_NESTING = 16  # quiz nests a line's values 5 deep at most (an exam's mistakes)


def json_record(text: str) -> Any:
    """A line of another device's file as JSON, or ValueError: numbers SQLite cannot hold (past 64 bits,
    NaN, Infinity, 1e999) and nesting deeper than quiz writes are refused here, not on the way in (a value
    nested 975 deep was kept, then its json.loads exhausted the app's deeper stack when an exam screen read it)."""
    try:
        record = json.loads(text, parse_int=_whole, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if text.count("{") + text.count("[") > MAX_NESTING and _deeper_than(record, MAX_NESTING):  # counting is cheap
        raise ValueError("nested too deeply")
    return record


def _deeper_than(value: Any, limit: int) -> bool:
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > limit:
            return True
        inside = (v.values() if isinstance(v, dict) else v for v in level if isinstance(v, dict | list))
        level = [child for children in inside for child in children if isinstance(child, dict | list)]
    return False


def _whole(text: str) -> int:
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise ValueError(f"the number {shortened(text, 20)} does not fit in 64 bits")
    return number


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {shortened(text, 20)} is too large to be a number")
    return number


def _no_constant(text: str) -> float:
    raise ValueError(f"{text} is not a number quiz writes")


def event_from_line(text: str) -> Event:
    """The event a file's line holds, or BadEvent saying why not."""
    try:
        record = json_record(text)
    except ValueError as exc:
        raise BadEvent(f"not JSON ({exc})") from None
    if not isinstance(record, dict):
        raise BadEvent("not an event (a JSON object)")
    version = record.get("v")
    if isinstance(version, int) and version > FORMAT:
        raise NewerFormat(f"written by a newer quiz (event format {version}; this quiz reads {FORMAT})")
    fields = (record.get(name) for name in ("id", "device", "at", "kind"))
    event_id, device, at, kind = fields
    deck, card, body = record.get("deck"), record.get("card"), record.get("body")
    if version != FORMAT or not all(isinstance(v, str) and v for v in (event_id, device, at, kind)):
        raise BadEvent("an event needs v, id, device, at and kind")
    assert isinstance(event_id, str) and isinstance(device, str) and isinstance(at, str) and isinstance(kind, str)
    if kind not in KINDS:
        raise BadEvent(f"unknown kind of event {quoted(kind)}")
    if not _ID.fullmatch(event_id):
        raise BadEvent(f"its id {quoted(event_id)} is not a UUID as quiz writes them")
    if not isinstance(body, dict) or not all(v is None or isinstance(v, str) for v in (deck, card)):
        raise BadEvent("an event's body is an object, its deck and card text")
    try:
        moment = _instant(at, _EVENT_TIMES)
    except ValueError as exc:
        raise BadEvent(f"its time: {exc}") from None
    try:
        _check_body(kind, deck, card, body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        why = shortened(f"{type(exc).__name__}: {exc}", 200)  # an error may quote a value, of any length
        raise BadEvent(f"{with_article(kind)} event holding values quiz never writes ({why})") from None
    return Event(event_id, device, moment.isoformat(), kind, deck, card, body)


_MODES = ("review", "practice", "exam")
# The times a line of another device may hold, with room over what quiz writes. An answer's time (and an
# exam's, and an import's newest answer) at most LATEST_ANSWER, where an import holds a damaged Anki log's. A
# card state's reach further (an import holds a damaged Anki due date to 100,000 days either side), but stay far
# from the ends of the calendar, where arithmetic on them overflows. An event's own time comes after every
# event its device held (Store.log_event), so it may pass LATEST_ANSWER once such an import is held: it is read
# as far as a state's, or a device that imported one would refuse another's events, and theirs its own.
_STATE_TIMES = (datetime(1000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC))
_ANSWER_TIMES = (EARLIEST_NOW, LATEST_ANSWER)
_EVENT_TIMES = (EARLIEST_NOW, _STATE_TIMES[1])


def _instant(value: Any, bounds: tuple[datetime, datetime]) -> datetime:
    """A time another device's event holds, in UTC, or ValueError: with its zone, and within `bounds`."""
    if not isinstance(value, str):
        raise ValueError(f"{quoted(value)} is not a time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{quoted(value)} is not a time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{quoted(value)} has no time zone")
    earliest, latest = bounds
    if not earliest <= moment <= latest:  # compared as instants: no conversion to overflow
        raise ValueError(f"{quoted(value)} is not between {earliest:%Y-%m-%d} and {latest:%Y-%m-%d}")
    return moment.astimezone(UTC)


def _check_body(kind: str, deck: str | None, card: str | None, body: dict[str, Any]) -> None:
    """Raise (KeyError, TypeError, ValueError) unless the body holds what quiz writes for its kind: a line in
    another device's file is read like any untrusted file."""
    from quiz.core.cardstate import CardState  # plain values

    def state(value: Any, may_be_none: bool = False) -> None:
        if value is None and may_be_none:
            return
        if not isinstance(value, dict):
            raise TypeError("a card state is an object")
        for name in ("due", "last_review", "buried_until"):
            if value.get(name) is not None:
                _instant(value[name], _STATE_TIMES)
        CardState.from_json(value).checked()

    def text(value: Any, may_be_none: bool = False) -> None:
        if not (isinstance(value, str) or (value is None and may_be_none)):
            raise TypeError(f"{quoted(value)} is not text")

    if kind in CARD_KINDS and (deck is None or card is None):
        raise ValueError("a card's event names its deck and card")
    if kind == REVIEW:
        if body["grade"] not in (1, 2, 3, 4) or body["mode"] not in _MODES or not isinstance(body["duration_ms"], int):
            raise ValueError("grade, mode or duration out of range")
        _instant(body.get("answered_at", "1970-01-01T00:00:00+00:00"), _ANSWER_TIMES)
        occurrence = body.get(OCCURRENCE, 1)
        if type(occurrence) is not int or occurrence < 1:
            raise ValueError("an imported answer's occurrence is a whole number from 1")
        state(body["before"], may_be_none=True)
        state(body["after"])
    elif kind == UNDO:
        text(body["of"])
    elif kind == STATE:
        state(body["state"], may_be_none=True)
        if body.get(NEWEST) is not None:
            _instant(body[NEWEST], _ANSWER_TIMES)
    elif kind in (SUSPEND, BURY):
        text(body["kind"], may_be_none=True)
        if kind == BURY and body["until"] is not None:
            _instant(body["until"], _STATE_TIMES)
    elif kind == FLAG:
        if body["flag"] not in range(8) or body.get(IMPORTED, True) is not True:
            raise ValueError("a flag is 0 to 7, and an imported one says so with true")
        if body.get(NEWEST) is not None:
            _instant(body[NEWEST], _ANSWER_TIMES)
    elif kind == MARK:
        text(body["note"])
    elif kind in (RENAME, PRESET_RENAME):
        text(body["old"])
        text(body["new"])
    elif kind == EXAM:
        text(body["title"])
        _instant(body["taken_at"], _ANSWER_TIMES)
        if not all(isinstance(body[n], int | float) for n in ("correct", "total", "seconds")):
            raise TypeError("an exam's numbers are numbers")
        if not isinstance(body["detail"], dict):
            raise TypeError("an exam's detail is an object")
    elif kind == EXAM_DATE:
        text(body["topic"])
        if deck is None:
            raise ValueError("an exam date names its deck")
        if body["day"] is not None:
            date.fromisoformat(body["day"])
            if not (isinstance(body["target"], int | float) and 0 < body["target"] < 1):
                raise ValueError("an exam's target is between 0 and 1")


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def new_event_id(at: datetime | None = None, after: str | None = None) -> str:
    """One event's id (EventIds): a UUIDv7 of `at` (None: now) greater than `after`."""
    return EventIds(after)(at)


class EventIds:
    """Ids for events made one after another: each a UUIDv7, 48 bits of milliseconds, then random bits, so
    ids made apart never meet; each greater than the one before, the first greater than `after` (a store's
    last id: its ids grow, so the last one appended says how far it has appended). The random bits are
    drawn in batches that grow to thousands of ids: an import makes hundreds of thousands. Never shared nor
    copied (a copy of its unused bits would make the same ids twice); kept beyond its transaction only by a
    store's answers, while nothing else has written (Store._answer_tail)."""

    def __init__(self, after: str | None = None) -> None:
        self._last = after if after is not None and _ID.fullmatch(after) else None
        self._counted: int | None = None  # the last id as a number, when it was counted on from the one before
        # the last id's milliseconds: an id of an earlier millisecond would be less, so it is counted on at once
        self._last_millis = -1 if self._last is None else int(self._last[:8] + self._last[9:13], 16)
        # the batch of random bits, used 32 at a time: as numbers (a count's step takes one) and as hex digits
        # (a new id takes three: 20 digits, the 80 bits after the time, of which 74 stay random)
        self._numbers = memoryview(b"").cast("I")
        self._digits = ""
        self._used = 0  # numbers used
        self._batch = 1  # ids drawn next time: a store writing one event draws for one

    def __call__(self, at: datetime | None = None) -> str:
        return self._made(_millis(at.timestamp() if at is not None else time.time()))

    def at_micros(self, micros: int) -> str:
        """The id of a moment given as microseconds since 1970 UTC (clock.utc_micros), as `__call__` makes it of
        the moment: its timestamp() is the same division of them, so the id's millisecond is the same."""
        return self._made(_millis(micros / 1_000_000))

    def _made(self, millis: int) -> str:
        last = self._last
        if last is None or millis > self._last_millis:
            if self._used + 3 > len(self._numbers):
                self._draw()
            start = 8 * self._used
            bits, self._used = self._digits[start : start + 20], self._used + 3
            digits = f"{millis:012x}"
            # version 7 in the 13th digit; the RFC 4122 variant (binary 10) in the top bits of the 17th
            made = f"{digits[:8]}-{digits[8:]}-7{bits[:3]}-{bits[3].translate(_VARIANT)}{bits[4:7]}-{bits[7:19]}"
            self._last, self._last_millis, self._counted = made, millis, None
            return made
        # the last id's millisecond, or a clock set back: counted on from the last id by 1 plus 32 random bits
        # (RFC 9562's monotonic random), not by 1: two copies of one store counting on from its last id (behind
        # an event from a clock ahead) made the same ids for different events, and a sync keeps one of an id
        if self._used == len(self._numbers):
            self._draw()
        counted = int(last.replace("-", ""), 16) if self._counted is None else self._counted
        value = counted + self._numbers[self._used] + 1
        self._used += 1
        if (value ^ counted) & _FIXED:  # the count reached the variant's bits: it goes on above them instead
            value = _unpacked(_packed(counted) + value - counted) | counted & _FIXED
        self._last, self._counted, self._last_millis = _uuid_text(value), value, value >> 80
        return self._last

    def _draw(self) -> None:
        random = os.urandom(12 * self._batch)
        self._numbers, self._digits, self._used = memoryview(random).cast("I"), random.hex(), 0
        self._batch = min(2 * self._batch, _MOST_DRAWN)


_MILLIS = (1 << 48) - 1


def _millis(seconds: float) -> int:
    """An id's 48 bits of milliseconds, of a moment as seconds since 1970."""
    return int(seconds * 1000) & _MILLIS


_MOST_DRAWN = 4096
_VARIANT = str.maketrans("0123456789abcdef", "89ab89ab89ab89ab")  # a hex digit's low two bits under binary 10
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_FIXED = 0xF << 76 | 0x3 << 62  # a UUID's version and variant bits
_LOW = (1 << 62) - 1  # the 62 bits under the variant


def _packed(number: int) -> int:
    """A UUID's time and its 74 other bits (12, then 62) as one number, without its version and variant."""
    return (number >> 80) << 74 | (number >> 64 & 0xFFF) << 62 | number & _LOW


def _unpacked(packed: int) -> int:
    """The UUID of a _packed number, its version and variant bits zero."""
    return (packed >> 74) << 80 | (packed >> 62 & 0xFFF) << 64 | packed & _LOW


def _uuid_text(value: int) -> str:
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def content_event_id(at: datetime, *parts: object) -> str:
    """An id made of what the event records (a UUIDv8: time, then a hash): the same history converted by two
    copies of one store gets the same ids, so a merge takes it once."""
    millis = max(int(at.timestamp() * 1000), 0) & (1 << 48) - 1
    digest = blake2b("\0".join(map(str, parts)).encode(), digest_size=10).digest()
    value = millis << 80 | int.from_bytes(digest, "big")
    value = value & ~(0xF << 76) | 0x8 << 76
    value = value & ~(0x3 << 62) | 0x2 << 62
    return _uuid_text(value)


def new_device_id() -> str:
    return os.urandom(8).hex()


# A review's card states are kept once, in typed columns of its event row (schema 10 on), each state in the
# columns a card_state row has, prefixed before_ and after_ (the before_ ones NULL: the card was new), rather
# than as JSON in its body: a tenth of the bytes, and SQLite reads them without parsing. Its body keeps the
# rest (grade, duration, mode, time); a line (`Event.line`) still carries both states in its body.
STATE_FIELDS = (
    "kind",
    "fsrs_state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "suspended",
    "leech",
    "buried_until",
)
BEFORE_COLUMNS = tuple(f"before_{name}" for name in STATE_FIELDS)
AFTER_COLUMNS = tuple(f"after_{name}" for name in STATE_FIELDS)
AFTER_SQL = ", ".join(AFTER_COLUMNS)  # the after-state's columns as a query names them: a card's state row
NO_STATE: tuple[None, ...] = (None,) * len(STATE_FIELDS)
_BEFORE, _AFTER = slice(7, 7 + len(STATE_FIELDS)), slice(7 + len(STATE_FIELDS), 7 + 2 * len(STATE_FIELDS))

EVENT_COLUMNS = f"id, device, at, kind, deck_id, card_key, body, {', '.join(BEFORE_COLUMNS + AFTER_COLUMNS)}"


# An imported answer's number among its card's answers of the same time and grade in the package, in its order
# there, kept in its body only when it is not 1 (Anki's review log keeps milliseconds, quiz seconds): with its deck,
# card, time and grade it names the answer, so one answer imported on two devices is logged once (quiz.core.sync).
OCCURRENCE = "occurrence"
# An imported answer the package dated after the import, dated at the import's time: the time the package gave it
# (UTC isoformat), by which a later import of the package knows it.
LOGGED_AT = "logged_at"


def imported_occurrence(body: dict[str, Any]) -> int | None:
    """An answer event's occurrence (OCCURRENCE) when another program's answer was imported, else None: quiz's
    own answers are each an answer, whatever they share."""
    if body.get(IMPORTED) is not True or body.get("mode") not in ("review", "practice"):  # practice: a preview
        return None
    return int(body.get(OCCURRENCE, 1))


# An imported state's newest answer in the package (UTC isoformat; null: the card has none), so that a replay
# decides as the import did whether the state replaces the card's: an import made on another device before it
# had this device's answers leaves a card studied since alone.
NEWEST = "newest"


def imported_state_kept(studied: bool, ours: datetime | None, newest: datetime | None) -> bool:
    """Whether a card keeps its state in quiz rather than take an import's: it has a state (`studied`) or
    answers (`ours`: its latest answer in review mode), and the package holds no answer (`newest`: its latest)
    newer than quiz's."""
    if not studied and ours is None:
        return False
    return newest is None or (ours is not None and newest <= ours)


def sets_state(event: Event) -> bool:
    """A review in review mode made by quiz (practice, exams and imported answers leave the state as it is)."""
    return event.kind == REVIEW and event.body.get("mode") == "review" and not event.body.get(IMPORTED)


# The same rule in SQL, kept in the event's `sets_state` column (schema 11 on) so a rebuild never parses a body:
# 1 where `sets_state` is true of a body as quiz writes it (mode review, no `imported`), 0 where it is false
# (practice, exam, imported), NULL for any other body (a review's body spelt otherwise: the replay in Python
# decides) and for the other kinds. `{kind}` and `{body}` name the event's columns or parameters.
_SETS_STATE_SQL = """CASE WHEN {kind} = 'review' AND json_valid({body}) THEN CASE
    WHEN json_extract({body}, '$.mode') = 'review' AND json_type({body}, '$.imported') IS NULL THEN 1
    WHEN json_extract({body}, '$.mode') IN ('practice', 'exam') OR json_type({body}, '$.imported') = 'true' THEN 0
END END"""
# The step to schema 11: the column, filled for the events kept before it.
SETS_STATE_SCRIPT = f"""
ALTER TABLE event ADD COLUMN sets_state;
UPDATE event SET sets_state = {_SETS_STATE_SQL.format(kind="kind", body="body")} WHERE kind = 'review';
"""
_PARAMETERS = ", ".join(f"?{n}" for n in range(1, 9 + 2 * len(STATE_FIELDS)))
_BEFORE_PARAMETERS = ", ".join(f"?{n}" for n in range(8, 8 + len(STATE_FIELDS)))
_AFTER_PARAMETERS = ", ".join(f"?{n}" for n in range(8 + len(STATE_FIELDS), 8 + 2 * len(STATE_FIELDS)))
# An event with its states (NULL: not a review) and whether it was received; `sets_state` made from its kind and
# body (the 4th and 7th values), and from it the card's number (not of an answer that leaves the state as it is)
# and the states' digests (only of an answer that sets it: what a rebuild checks), so no caller computes them
# (but an answer quiz makes gives them: INSERT_OWN_ANSWER below).
INSERT_EVENT = (
    f"INSERT OR IGNORE INTO event ({EVENT_COLUMNS}, received, sets_state, card_no, before_digest, after_digest) "
    f"SELECT {_PARAMETERS}, s, CASE WHEN s IS NOT 0 THEN quiz_card_number(?5, ?6) END, "
    f"CASE s WHEN 1 THEN quiz_state_digest({_BEFORE_PARAMETERS}) END, "
    f"CASE s WHEN 1 THEN quiz_state_digest({_AFTER_PARAMETERS}) END "
    f"FROM (SELECT {_SETS_STATE_SQL.format(kind='?4', body='?7')} AS s)"
)
# An imported answer's event: its body as `Store.import_history` writes it (mode review, or practice for Anki's
# preview; `"imported":true`), whose `sets_state` the rule above makes 0, so it is given rather than read from the
# JSON row by row (0.25-0.3 s of SQLite's time for 300,000 answers). tests/core/test_store.py runs the rule again
# on what an import wrote. Its rows' values (IMPORTED_ANSWER_VALUES) are listed after VALUES, many rows at once.
INSERT_IMPORTED_ANSWERS = f"INSERT OR IGNORE INTO event ({EVENT_COLUMNS}, received, sets_state) VALUES"
IMPORTED_ANSWER_VALUES = f"({', '.join('?' * (8 + 2 * len(STATE_FIELDS)))}, 0)"
_NO_STATES = (*NO_STATE, *NO_STATE)
# An answer quiz makes (Store.record_review): what INSERT_EVENT works out from its body given instead, by
# `own_answer_columns`, so SQLite reads no JSON and calls back no Python function for it (about 5 % of an answer's
# CPU). tests/core/test_store.py runs INSERT_EVENT's rule again on what answers of each mode wrote.
INSERT_OWN_ANSWER = (
    f"INSERT OR IGNORE INTO event ({EVENT_COLUMNS}, received, sets_state, card_no, before_digest, after_digest) "
    f"VALUES ({', '.join('?' * (12 + 2 * len(STATE_FIELDS)))})"
)


def own_answer_columns(
    sets: bool, deck_id: str, card_key: str, before: tuple[Any, ...], after: tuple[Any, ...]
) -> tuple[Any, ...]:
    """INSERT_OWN_ANSWER's last four values, as INSERT_EVENT makes them of an answer quiz made: `sets` whether it
    sets its card's state (its mode is review: `sets_state`), then the card's number and the states' digests, or
    none of them (an answer of practice or an exam)."""
    if not sets:
        return 0, None, None, None
    return 1, card_number(deck_id, card_key), state_digest_of(before), state_digest_of(after)


def card_number(deck_id: str, card_key: str) -> int:
    """A card's number, made of its identity (56 bits: an SQLite integer): the same on every device, forever.
    It seeds the card's fuzz (as Anki's card id does) and keys the store's chain index (pinned by a test)."""
    return int.from_bytes(blake2b(f"{deck_id}\0{card_key}".encode(), digest_size=7).digest(), "big")


def state_digest(*values: Any) -> int | None:
    """One number for a state's columns (STATE_FIELDS' values as SQLite holds them; None: no state, every column
    NULL): the same values of the same types give the same digest, and any other values, but for a chance of
    one in 2**63, another. Deterministic (the values' marshal form, version 2: a tag per type, floats as their 8
    bytes, no references; half the time of their repr), so the digests made on every device agree. Stricter than
    SQLite's `IS` (3 and 3.0 differ): a chain judged broken by it is only replayed in Python."""
    return state_digest_of(values)


def state_digest_of(values: tuple[Any, ...]) -> int | None:
    """`state_digest` of a tuple of the values (a caller holding them so spares a copy)."""
    if values.count(None) == len(values):
        return None
    return int.from_bytes(blake2b(marshal.dumps(values, 2), digest_size=8).digest(), "big", signed=True)


def _card_number_or_none(deck_id: Any, card_key: Any) -> int | None:
    return card_number(deck_id, card_key) if isinstance(deck_id, str) and isinstance(card_key, str) else None


def add_functions(db: sqlite3.Connection) -> None:
    """The functions INSERT_EVENT and the step to schema 12 call, on a connection that writes events."""
    db.create_function("quiz_card_number", 2, _card_number_or_none, deterministic=True)
    db.create_function("quiz_state_digest", len(STATE_FIELDS), state_digest, deterministic=True)


# The step to schema 12: each card event's card number and each review's two digests (as INSERT_EVENT makes
# them), for the events kept before it; an index of the answers that set their card's state, by card in replay
# order, holding what a rebuild checks (quiz.core.rebuild): each answer's digests and its kinds before and after
# (not the state it left: its digest stands for it, and an answer's index entry stays small); and an index of the
# events that are no answer (an answer writes one index more, not two).
OTHER_EVENTS = "sets_state IS NULL"
CHAIN_SCRIPT = f"""
ALTER TABLE event ADD COLUMN card_no;
ALTER TABLE event ADD COLUMN before_digest;
ALTER TABLE event ADD COLUMN after_digest;
UPDATE event SET card_no = quiz_card_number(deck_id, card_key),
before_digest = CASE sets_state WHEN 1 THEN quiz_state_digest({", ".join(BEFORE_COLUMNS)}) END,
after_digest = CASE sets_state WHEN 1 THEN quiz_state_digest({AFTER_SQL}) END
WHERE card_key IS NOT NULL AND deck_id IS NOT NULL AND sets_state IS NOT 0;
CREATE INDEX event_chain ON event (card_no, at, id, before_digest, after_digest, sets_state, before_kind, after_kind)
WHERE sets_state = 1;
CREATE INDEX event_other ON event (card_no) WHERE {OTHER_EVENTS};
"""
# Events as a store before schema 10 keeps them (events_from_history): no state columns yet.
_INSERT_PLAIN = "INSERT OR IGNORE INTO event (id, device, at, kind, deck_id, card_key, body) VALUES "
_INSERT_PLAIN += "(?, ?, ?, ?, ?, ?, ?)"


def state_values(state: dict[str, Any] | None) -> tuple[Any, ...]:
    """A state as an event body spells it (CardState.to_json), as the values of its columns."""
    if state is None:
        return NO_STATE
    values = tuple(state.get(name) for name in STATE_FIELDS)
    return (*values[:9], int(bool(values[9])), int(bool(values[10])), values[11])


def state_json(values: tuple[Any, ...]) -> dict[str, Any] | None:
    """The state that columns hold, spelt as an event body spells it (None: no state)."""
    if values[0] is None:
        return None
    state = dict(zip(STATE_FIELDS, values, strict=True))
    state["suspended"], state["leech"] = bool(values[9]), bool(values[10])
    return state


def review_row(event: Event, received: bool = False) -> tuple[Any, ...]:
    """A review's row of the event table: its states in their columns, the rest of its body as JSON."""
    body = {name: value for name, value in event.body.items() if name not in ("before", "after")}
    states = state_values(event.body.get("before")) + state_values(event.body.get("after"))
    plain = (event.id, event.device, event.at, event.kind, event.deck_id, event.card_key)
    return (*plain, body_json(body), *states, int(received))


def insert_event(db: sqlite3.Connection, event: Event, received: bool = False) -> bool:
    """Keep the event (in the caller's transaction); False when the store holds it already."""
    return db.execute(INSERT_EVENT, _event_row(event, received)).rowcount > 0


def _event_row(event: Event, received: bool) -> tuple[Any, ...]:
    if event.kind == REVIEW:
        return review_row(event, received)
    plain = (event.id, event.device, event.at, event.kind, event.deck_id, event.card_key)
    return (*plain, body_json(event.body), *_NO_STATES, int(received))


class Receiver:
    """Keeps events read from another device (in `db`'s transactions), and tells when the store holds one's id
    already with other content (a line edited by hand or damaged, or an id an older quiz made twice); the
    held version stays as it is. Compared inside the insert, only when the store holds the id, by a digest
    that costs next to nothing, so that a sync reading 50,000 events it holds (a copied store's history
    appended again) is not measurably slower: the time, kind, deck, card, both states and the body's length.
    Not the body's text: this store wrote its own bodies' keys in its own order and a line sorts them, and
    comparing them as JSON made such a sync about 8% slower; so an edit keeping the body's length (a grade 3
    made 4) is not seen. Nor the device: two copies of one old store converted apart name their own devices in
    the same events (their ids are made of the rest)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._otherwise = False
        db.create_function("quiz_held_otherwise", 0, self._note)

    def _note(self) -> int:
        self._otherwise = True
        return 0  # the held row is not updated

    def __call__(self, event: Event) -> bool | None:
        """Keep the event: True when it is new here, False when the store holds it, None when it holds its id
        with other content."""
        if self._db.execute(_RECEIVE_EVENT, _event_row(event, True)).rowcount > 0:
            return True
        otherwise, self._otherwise = self._otherwise, False
        return None if otherwise else False


_DIGESTED = ("at", "kind", "deck_id", "card_key", *BEFORE_COLUMNS, *AFTER_COLUMNS)


def _digest(row: str) -> str:
    """Receiver's digest of a row in SQL: `row` is '' for the held row, 'excluded.' for the one read."""
    return ", ".join((f"length({row}body)", *(row + name for name in _DIGESTED)))


_RECEIVE_EVENT = (
    INSERT_EVENT + f" WHERE true ON CONFLICT (id) DO UPDATE SET id = id WHERE CASE WHEN ({_digest('')}) IS NOT "
    f"({_digest('excluded.')}) THEN quiz_held_otherwise() ELSE 0 END"
)


def event_from_row(row: tuple[Any, ...]) -> Event:
    """The event an EVENT_COLUMNS row holds (a review's states put back in its body)."""
    body = json.loads(row[6])
    if row[3] == REVIEW:
        body["before"], body["after"] = state_json(row[_BEFORE]), state_json(row[_AFTER])
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], body)


def events_from_history(db: sqlite3.Connection, device: str) -> None:
    """The history a store kept before events (schema 8 and earlier) as events, in the migration's
    transaction: every logged answer as a review with its recorded states, then each card's state, flag and
    mark, the settings, the option presets, the exam dates and the exam results as they are now. Replaying
    them gives the stored states exactly (`quiz rebuild`). Ids are made of the content, so two copies of one old store
    converted apart merge into one history."""
    # In SQL, row by row in SQLite rather than in Python: a long history (a million answers) converts in
    # seconds. A row whose states or time do not read (damage) gets no event; `quiz check` reports it.
    db.create_function("quiz_answer_id", 7, _answer_id, deterministic=True)
    db.create_function("quiz_utc", 1, _utc_or_none, deterministic=True)
    db.execute(
        "UPDATE review_log SET event_id = quiz_answer_id(id, deck_id, card_key, reviewed_at, grade, mode, duration_ms) "
        "WHERE json_valid(state_after) AND (state_before IS NULL OR json_valid(state_before))"
    )
    db.execute(
        "INSERT OR IGNORE INTO event (id, device, at, kind, deck_id, card_key, body) "
        "SELECT event_id, ?, quiz_utc(reviewed_at), 'review', deck_id, card_key, json_object('grade', grade, "
        "'duration_ms', duration_ms, 'mode', mode, 'answered_at', quiz_utc(reviewed_at), "
        "'before', json(state_before), 'after', json(state_after)) "
        "FROM review_log WHERE event_id IS NOT NULL ORDER BY id",
        (device,),
    )
    last_review: dict[tuple[str, str], str] = {
        (deck, key): last
        for deck, key, last in db.execute(
            "SELECT deck_id, card_key, max(quiz_utc(reviewed_at)) FROM review_log "
            "WHERE event_id IS NOT NULL AND mode = 'review' GROUP BY deck_id, card_key"
        )
    }

    def snapshot(kind: str, deck: str | None, key: str | None, body: dict[str, Any], at: datetime) -> None:
        """The present value, just after the last answer that led to it (or at the epoch)."""
        event_id = content_event_id(at, kind, deck, key, json.dumps(body, sort_keys=True))
        db.execute(_INSERT_PLAIN, (event_id, device, utc_text(at), kind, deck, key, body_json(body)))

    def after_last(deck: str, key: str) -> datetime:
        last = last_review.get((deck, key))
        return EPOCH if last is None else datetime.fromisoformat(last) + timedelta(microseconds=1)

    from quiz.core.cardstate import CardState  # plain values; imported here to keep this module's load light

    states = db.execute(
        "SELECT deck_id, card_key, kind, fsrs_state, step, stability, difficulty, due, last_review, reps, lapses, "
        "suspended, leech, buried_until FROM card_state"
    ).fetchall()
    stored = set()
    for deck, key, *values in states:
        names = ("kind", "fsrs_state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
        state = dict(zip(names, values[:9], strict=True))
        state.update(suspended=bool(values[9]), leech=bool(values[10]), buried_until=values[11])
        try:
            state = CardState.from_json(state).to_json()  # spelt as every later event spells it
        except (TypeError, ValueError):  # a damaged row: `quiz check` rebuilds it (an event then)
            continue
        snapshot(STATE, deck, key, {"state": state}, after_last(deck, key))
        stored.add((deck, key))
    for deck, key in sorted(set(last_review) - stored):  # answered, then reset: no state
        snapshot(STATE, deck, key, {"state": None}, after_last(deck, key))
    for deck, key, flag in db.execute("SELECT deck_id, card_key, flag FROM card_flag").fetchall():
        snapshot(FLAG, deck, key, {"flag": flag}, EPOCH)
    for deck, note in db.execute("SELECT deck_id, note_id FROM note_mark").fetchall():
        snapshot(MARK, deck, None, {"note": note, "on": True}, EPOCH)
    settings = {}
    for key, value in db.execute("SELECT key, value FROM settings"):
        try:
            settings[key] = json.loads(value)
        except (TypeError, ValueError):  # unreadable: its default applies, as it does when read
            continue
    if settings:
        snapshot(SETTINGS, None, None, {"values": settings}, EPOCH)
    for name, options in db.execute("SELECT name, options FROM preset").fetchall():
        snapshot(PRESET, None, None, {"name": name, "options": _json_object(options)}, EPOCH)
    for deck, name in db.execute("SELECT deck_id, preset FROM deck_preset").fetchall():
        snapshot(DECK_PRESET, deck, None, {"preset": name}, EPOCH)
    for deck, topic, day, target in db.execute("SELECT deck_id, topic, day, target FROM exam_date").fetchall():
        snapshot(EXAM_DATE, deck, None, {"topic": topic, "day": day, "target": target}, EPOCH)
    for taken_at, title, correct, total, seconds, detail in db.execute(
        "SELECT taken_at, title, correct, total, seconds, detail FROM exam_result"
    ).fetchall():
        try:
            moment, kept = datetime.fromisoformat(taken_at), json.loads(detail)
        except (TypeError, ValueError):
            continue
        body = {
            "taken_at": taken_at,
            "title": title,
            "correct": correct,
            "total": total,
            "seconds": seconds,
            "detail": kept,
        }
        snapshot(EXAM, None, None, body, moment)


def _answer_id(log_id: int, deck: str, key: str, at: str, grade: int, mode: str, duration: int) -> str | None:
    """A converted answer's id: its content and its row's number (copies of one store number alike)."""
    moment = _moment_or_none(at)
    if moment is None:
        return None
    return content_event_id(moment, deck, key, utc_text(moment), grade, mode, duration, log_id)


def _utc_or_none(at: str) -> str | None:
    moment = _moment_or_none(at)
    return None if moment is None else utc_text(moment)


def _moment_or_none(at: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _json_object(text: str) -> dict[str, Any]:
    """Stored options as the store reads them: what is not a JSON object reads as none."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
