"""Whether a store file is sound, and what to tell someone whose store is damaged or missing.

A file is sound when SQLite's integrity check passes and no row holds a value no quiz writes (a screen
in SQL, cheap enough for every backup); a backup is good when it is sound and still has the bytes it was
made with. The advice names the newest good backup and the `quiz restore` command. Works on files and
plain connections, never on a Store: the store's own errors carry this advice.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from quiz.core.backupfolder import Backup, backups_away, checksum_of, folder_of, list_backups
from quiz.core.links import folder_away
from quiz.core.migrations import MIGRATIONS


def integrity_problems(db: sqlite3.Connection, quick: bool = False) -> list[str]:
    """SQLite's integrity_check (or quick_check: structure only, several times faster): [] when it passes."""
    try:
        rows = [row[0] for row in db.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}").fetchall()]
    except sqlite3.Error as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


# A screen for values no quiz writes, as damage inside text leaves them (integrity_check reads structure,
# not text): JSON that does not parse or lacks a state's keys, times that are not times, states out of
# range. SQL only, so every backup can afford it (tens of ms for 100,000 reviews, against seconds for
# store.unreadable_rows, which reads rows as quiz does and finds what it can repair). CASE keeps the json_*
# calls off text that is not JSON (they would raise).
def _state_json_ok(column: str) -> str:
    return (
        f"CASE WHEN json_valid({column}) THEN json_type({column}, '$.kind') = 'text' "
        f"AND json_extract({column}, '$.fsrs_state') IN (0, 1, 2, 3) "
        f"AND json_type({column}, '$.reps') = 'integer' AND json_type({column}, '$.lapses') = 'integer' "
        "ELSE 0 END"
    )


def _time_ok(column: str) -> str:
    return f"({column} IS NULL OR datetime({column}) IS NOT NULL)"


def _state_columns_ok(side: str) -> str:
    return (
        f"typeof({side}_kind) = 'text' AND {side}_fsrs_state IN (0, 1, 2, 3) AND typeof({side}_reps) = 'integer' "
        f"AND typeof({side}_lapses) = 'integer'"
    )


# A store of schema 10 on keeps an answer's states in its event's columns (quiz.core.events), beside the
# event's JSON body; an older one (a backup an older quiz made) as JSON in its log row.
_ANSWER_STATES = (
    "event",
    f"NOT json_valid(body) OR kind = 'review' AND NOT ({_state_columns_ok('after')} "
    f"AND (before_kind IS NULL OR {_state_columns_ok('before')}))",
)
_OLD_ANSWER_STATES = (
    "review_log",
    f"NOT ({_state_json_ok('state_after')}) OR NOT (state_before IS NULL OR {_state_json_ok('state_before')})",
)
_IMPLAUSIBLE = {
    "review_log": "datetime(reviewed_at) IS NULL",
    "card_state": "typeof(kind) <> 'text' OR fsrs_state NOT IN (0, 1, 2, 3) OR typeof(reps) <> 'integer' "
    f"OR typeof(lapses) <> 'integer' OR NOT {_time_ok('due')} OR NOT {_time_ok('last_review')} "
    f"OR NOT {_time_ok('buried_until')}",
    "settings": "NOT json_valid(value)",
    "exam_result": "NOT json_valid(detail) OR datetime(taken_at) IS NULL",
}


def implausible_rows(db: sqlite3.Connection) -> list[str]:
    """[] when no row holds a value no quiz writes (see _IMPLAUSIBLE); otherwise one line per table."""
    found = []
    old = db.execute("SELECT 1 FROM pragma_table_info('review_log') WHERE name = 'state_after'").fetchone()
    for table, where in [*_IMPLAUSIBLE.items(), _OLD_ANSWER_STATES if old else _ANSWER_STATES]:
        count = db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
        if count:
            found.append(f"{count} {table} row(s) hold values no quiz writes")
    return found


def store_problems(db: sqlite3.Connection, quick: bool = False) -> list[str]:
    """[] when the open file is a sound quiz store: SQLite's check, then every row's values screened."""
    try:
        return integrity_problems(db, quick) or implausible_rows(db)
    except sqlite3.Error as exc:
        return [str(exc)]


def _open_read_only(path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True, timeout=5.0)


def verify(path: str | Path, quick: bool = False, checksum: str | None = None) -> list[str]:
    """[] when the file is a sound quiz store (and, given a checksum, still the bytes it had when it was
    made); otherwise what is wrong. Opens it read-only. `quick` runs quick_check (structure only, several
    times faster) instead of integrity_check."""
    if checksum is not None:
        try:
            if checksum_of(path) != checksum:
                return ["its bytes changed since it was made (checksum mismatch)"]
        except OSError as exc:
            return [str(exc)]
    try:
        db = _open_read_only(path)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return store_problems(db, quick)
    finally:
        db.close()


def _number_in(path: str | Path, query: str) -> int | None:
    """The number `query` reads from the store file at `path`, opened read-only; None if unreadable."""
    try:
        db = _open_read_only(path)
        try:
            return int(db.execute(query).fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return None


def schema_of(path: str | Path) -> int | None:
    """The schema version a store file was written with (its PRAGMA user_version); None if unreadable."""
    return _number_in(path, "PRAGMA user_version")


def too_new(path: str | Path) -> str | None:
    """Why a sound store file cannot be restored by this quiz: a newer quiz made it (a backup of the time the
    user tried a newer version), and this one would refuse to open it in place of the store. None if not."""
    schema = schema_of(path)
    if schema is None or schema <= len(MIGRATIONS):
        return None
    newest = len(MIGRATIONS)
    return f"was made by a newer quiz (schema {schema}; this quiz reads up to {newest}): upgrade quiz to restore it"


def is_good(backup: Backup, quick: bool = False) -> bool:
    return not verify(backup.path, quick, backup.checksum)


def newest_good(store_path: str | Path, by_any_quiz: bool = False) -> Backup | None:
    """The newest backup this quiz can restore: good, and not made by a newer quiz. What `quiz restore latest`
    restores, and what every piece of advice names. `by_any_quiz`: the newest good one, a newer quiz's too."""
    backups = list_backups(store_path)
    return next((b for b in backups if (by_any_quiz or too_new(b.path) is None) and is_good(b)), None)


def reviews_in(backup: Backup) -> int | None:
    """How many reviews the backup holds: from its name, or (an older quiz's) read from it; None if unreadable."""
    if backup.reviews is not None:
        return backup.reviews
    return _number_in(backup.path, "SELECT count(*) FROM review_log")


def recovery_advice(store_path: str | Path) -> str:
    """What to tell someone whose store cannot be opened: the newest good backup and the command."""
    good = newest_good(store_path)
    if good is None:
        return (
            f"No good backup was found in {folder_of(store_path)}; run `quiz check` for details, "
            "or move the file away to start afresh."
        )
    return (
        f"The newest good backup is {good.describe()}; run `quiz restore latest` to go back to it "
        "(the damaged file is kept aside, never deleted)."
    )


def store_away(store_path: str | Path) -> str | None:
    """When the store is a link to a folder that is not there (kept on a drive not connected): what to say, by
    start-up and restore alike, instead of making or restoring a store there; None otherwise."""
    where = folder_away(Path(store_path))
    if where is None:
        return None
    return (
        f"{store_path} is a link to {where}, in a folder that is not there (a drive not connected?): connect it "
        "and run quiz again, or remove the link to keep the store in the data folder"
    )


def missing_store_advice(store_path: str | Path) -> str | None:
    """When there is no store but a good backup: what to say instead of creating an empty store over the
    history it holds (also when only a newer quiz can restore it, or when the backups are on a drive not
    connected: they may hold it), or when the store is on a drive not connected. None when there is no good
    backup (a first start)."""
    if away := store_away(store_path):
        return away
    if away := backups_away(folder_of(store_path)):
        return (
            f"there is no store at {store_path}, and the backups that may hold its history cannot be read: {away}. "
            "Connect it and run quiz again (`quiz restore latest` then brings the history back), or run "
            "`quiz restore --empty` to start afresh with an empty store."
        )
    good = newest_good(store_path)
    if good is None:
        newer = newest_good(store_path, by_any_quiz=True)  # none this quiz can restore: a newer quiz's, if any
        if newer is None:
            return None
        return (
            f"there is no store at {store_path}, but the backups hold a history that only a newer quiz can "
            f"restore: {newer.describe()}. Upgrade quiz and run `quiz restore latest`, or run `quiz restore "
            "--empty` to start afresh with an empty store (the backups are kept)."
        )
    good = replace(good, reviews=reviews_in(good))
    return (
        f"there is no store at {store_path}, but the backups hold a history: the newest good one is "
        f"{good.describe()}. Run `quiz restore latest` to bring it back, or `quiz restore --empty` to start "
        "afresh with an empty store (the backups are kept)."
    )
