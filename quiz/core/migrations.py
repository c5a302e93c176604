"""The store's schema, step by step: each step moves a store file one version up, and PRAGMA user_version
records how far a file has come. The number of steps is the newest schema this quiz reads: a file past it
was written by a newer quiz (`quiz.core.store` refuses to open it, and a backup of it is not restored)."""

from __future__ import annotations

from quiz.core import answerlog, events

# Each entry moves the schema one version up; PRAGMA user_version records how far a file has come.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE card_state (
        deck_id TEXT NOT NULL,
        card_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        fsrs_state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT,
        last_review TEXT,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        leech INTEGER NOT NULL DEFAULT 0,
        buried_until TEXT,
        PRIMARY KEY (deck_id, card_key)
    ) WITHOUT ROWID;
    CREATE INDEX card_state_due ON card_state (due);
    CREATE TABLE review_log (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL,
        card_key TEXT NOT NULL,
        grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
        reviewed_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('review', 'practice', 'exam')),
        state_before TEXT,
        state_after TEXT NOT NULL
    );
    CREATE INDEX review_log_card ON review_log (deck_id, card_key);
    CREATE INDEX review_log_time ON review_log (reviewed_at);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE exam_result (
        id INTEGER PRIMARY KEY,
        taken_at TEXT NOT NULL,
        title TEXT NOT NULL,
        correct INTEGER NOT NULL,
        total INTEGER NOT NULL,
        seconds REAL NOT NULL,
        detail TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO meta (key, value) VALUES ('writes', 0);
    """,
    # What a session queue and the deck counts read: per deck, unsuspended states by fsrs state in due
    # order, with every column they need (so SQLite answers from the index alone, never the table); and
    # the states whose due time is not spelt as quiz writes it (normally none), found without a scan.
    """
    CREATE INDEX card_state_queue ON card_state (deck_id, suspended, fsrs_state, due, kind, buried_until);
    CREATE INDEX card_state_odd_due ON card_state (deck_id, suspended, fsrs_state)
        WHERE due NOT GLOB '????-??-??T??:??:??*+00:00';
    """,
    # Every read of due times goes through card_state_queue (all are per deck): the plain due index only
    # cost a page write per answer.
    """
    DROP INDEX IF EXISTS card_state_due;
    """,
    # Anki's card flags (1 red .. 7 purple), a mark the user sets, apart from the schedule: a reset, an
    # undone answer or a state rebuilt by `quiz check` leaves it as it was. A card without a flag has no row.
    """
    CREATE TABLE card_flag (
        deck_id TEXT NOT NULL,
        card_key TEXT NOT NULL,
        flag INTEGER NOT NULL CHECK (flag BETWEEN 1 AND 7),
        PRIMARY KEY (deck_id, card_key)
    ) WITHOUT ROWID;
    """,
    # Option presets, as Anki's: named sets of per-deck options (the Default preset is the settings table), and
    # which preset a deck uses (no row: Default). A rename follows to the decks; a removal moves them to Default.
    """
    CREATE TABLE preset (name TEXT PRIMARY KEY, options TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE deck_preset (
        deck_id TEXT PRIMARY KEY,
        preset TEXT NOT NULL REFERENCES preset (name) ON UPDATE CASCADE ON DELETE CASCADE
    ) WITHOUT ROWID;
    """,
    # Anki's marked notes (its "marked" tag): a mark the user sets on a note, kept here rather than in the
    # deck file, which is the user's own text. A note without a mark has no row.
    """
    CREATE TABLE note_mark (
        deck_id TEXT NOT NULL,
        note_id TEXT NOT NULL,
        PRIMARY KEY (deck_id, note_id)
    ) WITHOUT ROWID;
    """,
    # Exam dates: a deck, or one topic of it ('' for the whole deck), studied to reach `target` predicted
    # recall on `day` (a local date, YYYY-MM-DD). Progress data, so it lives here rather than in the deck.
    """
    CREATE TABLE exam_date (
        deck_id TEXT NOT NULL,
        topic TEXT NOT NULL DEFAULT '',
        day TEXT NOT NULL,
        target REAL NOT NULL CHECK (target > 0 AND target < 1),
        PRIMARY KEY (deck_id, topic)
    ) WITHOUT ROWID;
    """,
    # Progress as events (quiz.core.events): every change, with a unique id, its device and its time, written
    # in the transaction of the change; the tables above are what replaying them gives. Keyed by id alone: this
    # store's own ids only grow (Store.log_event), so they also say how far `quiz sync` has appended them;
    # `received` marks the events read from other devices' files. One b-tree, no index by card: an answer
    # writes a page or two more, and only a sync or a rebuild reads them, in one pass. The history kept
    # before this step becomes events in the same transaction (events.events_from_history).
    """
    CREATE TABLE event (
        id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        deck_id TEXT,
        card_key TEXT,
        body TEXT NOT NULL,
        received INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    ALTER TABLE review_log ADD COLUMN event_id TEXT;
    CREATE TABLE sync (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE sync_read (file TEXT PRIMARY KEY, offset INTEGER NOT NULL, line INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO sync (key, value) VALUES ('device', lower(hex(randomblob(8))));
    """,
    # Answers kept once and compactly: a review's states in typed columns of its event row, the log's ids the
    # answers' milliseconds, no index by time (quiz.core.answerlog).
    answerlog.SCRIPT,
    # Whether a review sets its card's state, in a column of its own (events.sets_state): a rebuild reads it
    # instead of parsing a million bodies.
    events.SETS_STATE_SCRIPT,
    # Each card event's card number and each review's state digests, and the rebuild's two indexes.
    events.CHAIN_SCRIPT,
    # What `quiz sync` read last of each other device's part (syncfiles.Tail), checked before it reads on, so a
    # part damaged before that point is read again whole. NULL in a store synced before: its next read of the part
    # starts again from the start (a line end alone there may be another line's), and notes one.
    """
    ALTER TABLE sync_read ADD COLUMN tail_length INTEGER;
    ALTER TABLE sync_read ADD COLUMN tail_digest TEXT;
    """,
)
