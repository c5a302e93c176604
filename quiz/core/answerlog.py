"""The review log's compact form (schema 10 on), and the step that converts an older store to it.

An answer's log id is the millisecond it was given (since 1970 UTC), or the next one free, as Anki's revlog
ids are: an id is never less than its answer's millisecond, so the answers since a time are found from the
primary key (`id >= id_floor(time)`, then their time compared) without an index by time. The log keeps no
card state: an answer's states before and after live once, in its event's row (quiz.core.events).
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from bisect import bisect_left
from contextlib import suppress
from datetime import datetime
from operator import itemgetter

from quiz.core.clock import utc_micros
from quiz.core.events import AFTER_COLUMNS, BEFORE_COLUMNS, REVIEW, STATE_FIELDS, imported_occurrence


def id_floor(moment: datetime) -> int:
    """The least log id an answer given at `moment` or later has."""
    return micros_id_floor(utc_micros(moment))


def micros_id_floor(micros: int) -> int:
    """id_floor of a moment given as microseconds since 1970 UTC (clock.utc_micros): its millisecond."""
    return micros // 1000


class ReceivedIds:
    """An id for each answer another device gave, as a sync's merge logs them one by one (in no time order):
    the one wanted or the next one free. Where the last search for a wanted id ended is kept, so the next answer
    wanting it searches on from there: thousands of answers of one millisecond (another program's history
    imported dated "now", its times being ahead of the clock) took one probe per id before each, and a second
    device's first sync of them hours."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._searched_to: dict[int, int] = {}  # wanted -> the first id not yet known to be taken

    def __call__(self, wanted: int) -> int:
        free = self._searched_to.get(wanted, wanted)
        while self._db.execute("SELECT 1 FROM review_log WHERE id = ?", (free,)).fetchone():
            free += 1
        self._searched_to[wanted] = free + 1  # the caller logs the answer under `free`
        return free


def newest_id(db: sqlite3.Connection) -> int:
    """The log's newest id (0: an empty log)."""
    (newest,) = db.execute("SELECT coalesce(max(id), 0) FROM review_log").fetchone()
    return int(newest)


def id_after_newest(newest: int, wanted: int) -> int:
    """`wanted`, or one past the log's `newest` id when that is later (this device's clock set back): an
    answer given here is the log's newest."""
    return max(wanted, newest + 1)


class FreeIds:
    """An id for each of many answers (an import), asked for in order (the answers in time order): each the one
    wanted or the next one free, in the log and after the ids given before it. `least`: the first id wanted; the
    ids in use from it on are read once."""

    def __init__(self, db: sqlite3.Connection, least: int) -> None:
        # in id order, 8 bytes each: as a set of Python ints, a re-import's 300,000 took 17 MB at its peak
        rows = db.execute("SELECT id FROM review_log WHERE id >= ? ORDER BY id", (least,))
        self._taken = array("q", (used for (used,) in rows))
        self._at = 0  # the first taken id not below the ids given so far
        self._last = least - 1

    def __call__(self, wanted: int) -> int:
        candidate = max(wanted, self._last + 1)
        taken = self._taken
        at = bisect_left(taken, candidate, self._at)
        while at < len(taken) and taken[at] == candidate:
            candidate += 1
            at += 1
        self._at, self._last = at, candidate
        return candidate


def imported_answer(
    db: sqlite3.Connection, deck_id: str, card_key: str, answered: str, grade: int, occurrence: int
) -> tuple[int, str] | None:
    """The log row (its id, the event it names) of the imported answer this content names: the card's answer at
    `answered` (UTC isoformat) with `grade` and that occurrence (events.OCCURRENCE), imported here or on another
    device; None when the log holds none. Looked up by the log's index by card."""
    for log_id, event_id, body in db.execute(
        "SELECT r.id, r.event_id, e.body FROM review_log AS r JOIN event AS e ON e.id = r.event_id "
        "WHERE r.deck_id = ? AND r.card_key = ? AND r.reviewed_at = ? AND r.grade = ? "
        "AND r.mode IN ('review', 'practice')",  # practice: Anki's preview
        (deck_id, card_key, answered, grade),
    ):
        with suppress(ValueError):
            if imported_occurrence(json.loads(body)) == occurrence:
                return log_id, event_id
    return None


#: One answer's log row: (id, deck_id, card_key, grade, reviewed_at, duration_ms, mode, event_id); PUT_ANSWERS
#: takes many, each of ANSWER_VALUES, listed after it.
PUT_ANSWERS = "INSERT INTO review_log (id, deck_id, card_key, grade, reviewed_at, duration_ms, mode, event_id) VALUES"
ANSWER_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?)"
PUT_ANSWER = f"{PUT_ANSWERS} {ANSWER_VALUES}"


# The step to schema 10: the event table gains a review's state columns, the review log is made again without
# its states and its index by time (the old one renamed aside here, copied and dropped by `compact_history`).
# Written tight, the columns without a declared type (they hold what quiz writes: a card_state row's values):
# a store's whole schema fits in its first page, which a damaged file still opens by.
SCRIPT = (
    "".join(f"ALTER TABLE event ADD COLUMN {column};\n" for column in BEFORE_COLUMNS + AFTER_COLUMNS)
    + """
ALTER TABLE review_log RENAME TO old_review_log;
DROP INDEX review_log_card;
DROP INDEX review_log_time;
CREATE TABLE review_log (id INTEGER PRIMARY KEY, deck_id TEXT NOT NULL, card_key TEXT NOT NULL,
grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4), reviewed_at TEXT NOT NULL, duration_ms INTEGER NOT NULL,
mode TEXT NOT NULL CHECK (mode IN ('review', 'practice', 'exam')), event_id TEXT, kept_states TEXT);
"""
)
# kept_states: only an answer whose event cannot give its states keeps its two states there, as the JSON it had:
# one without an event (its states or its time did not read when events were made, schema 8), or whose event's
# body did not read when converted here. History, named by `quiz check`, never read.


def compact_history(db: sqlite3.Connection) -> None:
    """Convert a store of schema 9 in the migration's transaction: each review's states move from its event's
    body to its columns, each answer gets its id from its time, and the old log is dropped."""
    columns = [
        f"{column} = json_extract(body, '$.{side}.{name}')"
        for side, names in (("before", BEFORE_COLUMNS), ("after", AFTER_COLUMNS))
        for column, name in zip(names, STATE_FIELDS, strict=True)
    ]
    db.execute(
        f"UPDATE event SET {', '.join(columns)}, body = json_remove(body, '$.before', '$.after') "
        "WHERE kind = ? AND json_valid(body) AND json_type(body, '$.after') = 'object' "
        "AND json_type(body, '$.before') IN ('object', 'null')",
        (REVIEW,),
    )
    wanted: list[tuple[int, int]] = []
    unreadable: list[int] = []
    for old, at in db.execute("SELECT id, reviewed_at FROM old_review_log ORDER BY id"):
        try:
            moment = datetime.fromisoformat(at)
            wanted.append((old, id_floor(moment)) if moment.tzinfo else (old, 0))
        except (TypeError, ValueError):
            unreadable.append(old)
    wanted += [(old, 0) for old in unreadable]  # a time that does not read: an id of its own all the same
    wanted.sort(key=itemgetter(1))
    db.execute("CREATE TEMP TABLE quiz_log_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    least = wanted[0][1] if wanted else 0
    db.executemany(
        "INSERT INTO temp.quiz_log_ids (old, new) VALUES (?, ?)",
        zip([old for old, _ in wanted], map(FreeIds(db, least), [floor for _, floor in wanted]), strict=True),
    )
    db.execute(
        "INSERT INTO review_log (id, deck_id, card_key, grade, reviewed_at, duration_ms, mode, event_id, kept_states) "
        "SELECT ids.new, old.deck_id, old.card_key, grade, reviewed_at, duration_ms, mode, event_id, "
        "CASE WHEN e.after_kind IS NULL THEN json_array(state_before, state_after) END "
        "FROM old_review_log AS old JOIN temp.quiz_log_ids AS ids ON ids.old = old.id "
        "LEFT JOIN event AS e ON e.id = old.event_id"
    )
    db.execute("DROP TABLE temp.quiz_log_ids")
    db.execute("DROP TABLE old_review_log")
    db.execute("CREATE INDEX review_log_card ON review_log (deck_id, card_key)")
