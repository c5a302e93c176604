"""Pure computations behind the Browse screen: card rows, search, sorting, history, suspend and reset
(bury and unbury are in quiz.core.burying).

Nothing here knows about widgets: rows are plain values the UI turns into table cells.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from math import inf

from quiz.core.burying import is_buried
from quiz.core.cardstate import RELEARNING, CardState, effective_state
from quiz.core.clock import day_end, study_day
from quiz.core.events import SUSPEND
from quiz.core.faces import full_text, question
from quiz.core.kinds import KINDS
from quiz.core.marks import is_marked, tags_with_mark
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.scheduler import format_interval
from quiz.core.store import ReviewRecord, Store

STATUSES = ("new", "learning", "relearning", "review", "buried", "suspended", "leech")
SORT_KEYS = ("question", "deck", "topic", "tags", "flag", "status", "due", "lapses")


def search_form(text: str) -> str:
    """`text` as Browse's search compares it: case folded and each character in its compatibility form (NFKC), so
    full-width ｋｅｔａｍｉｎｅ finds ketamine and half-width ｹﾀﾐﾝ ケタミン, Straße finds STRASSE, and a text
    written decomposed (NFD, as macOS writes) is found by one typed composed."""
    return unicodedata.normalize("NFKC", text).casefold()


_ACCENTS = re.compile("[\u0300-\u036f]")  # combining marks, as NFKD writes a Latin, Greek or Cyrillic letter's accents


def _sort_form(text: str) -> str:
    """`text` as Browse sorts it: case folded, by its letters with their accents left out, then by its accents (NFKD),
    so Äpfel sorts between apfel and Apotheke, as German and French dictionaries sort it (not after Azur, nor after
    z), and full-width Ｚ with z."""
    spelt = unicodedata.normalize("NFKD", text.casefold())
    if spelt.isascii():
        return spelt
    # one string, not a tuple (twice as slow to sort): after the letters, a NUL sorts a plain word first (apfel,
    # Äpfel) and a longer one after (Äpfel, apfelx)
    return f"{_ACCENTS.sub('', spelt)}\0{spelt}"


def card_status(state: CardState, now: datetime) -> str:
    """One word: suspended cards are `leech` (suspended for lapsing too often) or `suspended`; then `buried`
    (hidden until the next study day); else the schedule's state."""
    if state.suspended:
        return "leech" if state.leech else "suspended"
    if is_buried(state, now):
        return "buried"
    if state.is_new:
        return "new"
    if state.is_learning:  # a lapsed card's steps, named apart as Anki does: it was learnt, then forgotten
        return "relearning" if state.fsrs_state == RELEARNING else "learning"
    return "review"


def one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One card as the browser lists it."""

    deck_id: str
    card_key: str
    position: int  # order in the library (decks, then cards as written): the natural sort
    question: str
    deck_title: str
    topic: str
    topic_title: str
    tags: tuple[str, ...]
    status: str  # one word for the table (card_status)
    stage: str  # "new", "learning" or "review", whether suspended or buried or not
    suspended: bool
    buried: bool
    leech: bool
    flag: int  # 0: none
    due: datetime | None
    due_at: float  # `due` as a POSIX timestamp, for is:due; inf for a card never due now (new, suspended, buried)
    lapses: int
    reps: int
    stability: float | None
    difficulty: float | None
    haystack: str  # the text the search looks in, in its `search_form`: question, answer, explanation, options, names

    @property
    def ident(self) -> str:
        return row_ident(self.deck_id, self.card_key)


def row_ident(deck_id: str, card_key: str) -> str:
    """A unique string per card (deck ids and card keys never contain a NUL)."""
    return f"{deck_id}\0{card_key}"


def browse_row(
    deck: Deck,
    card: Card,
    state: CardState | None,
    position: int,
    now: datetime,
    flag: int,
    tags: tuple[str, ...] | None = None,
) -> BrowseRow:
    """`tags`: the note's tags as a tuple other rows share (`card.note.tags`, with `marked` for a note the
    store marks: Browse shows and searches a mark as Anki's tag)."""
    effective = effective_state(card, state)
    due, buried = None if effective.is_new else effective.due, is_buried(effective, now)
    note = card.note
    text = one_line(question(card))
    topic = card.topic
    topic_title = deck.topic_title(topic) if topic else ""
    entries = [entry for _, listed in KINDS[card.kind].details(note) for entry in listed]
    searched = (text, full_text(card), note.explain, note.outside, *entries, deck.id, deck.title, topic, topic_title)
    haystack = "\n".join((*searched, " ".join(note.tags), card.key))
    return BrowseRow(
        deck_id=deck.id,
        card_key=card.key,
        position=position,
        question=text,
        deck_title=deck.title,
        topic=topic,
        topic_title=topic_title,
        tags=note.tags if tags is None else tags,
        status=card_status(effective, now),
        stage="new" if effective.is_new else "learning" if effective.is_learning else "review",
        suspended=effective.suspended,
        buried=buried,
        leech=effective.leech,
        flag=flag,
        due=due,
        due_at=inf if due is None or effective.suspended or buried else due.timestamp(),
        lapses=effective.lapses,
        reps=effective.reps,
        stability=effective.stability,
        difficulty=effective.difficulty,
        haystack=search_form(haystack),
    )


def browse_rows(decks: Iterable[Deck], store: Store, now: datetime) -> list[BrowseRow]:
    """Every card of every deck with its current state and flag, three store queries per deck."""
    return [row for chunk in browse_row_chunks(decks, store, now) for row in chunk]


def browse_row_chunks(
    decks: Iterable[Deck], store: Store, now: datetime, first: int = 1_000_000, then: int = 1_000_000
) -> Iterator[list[BrowseRow]]:
    """browse_rows' rows, `first` of them, then `then` at a time (the last chunk may be shorter, none empty): a
    big library's first page can be shown before its other rows are made (45,000 cards: 1-4 s). A deck's store
    rows are read as its first card is reached."""
    chunk: list[BrowseRow] = []
    size, position = first, 0
    # One tuple per distinct set of tags: search looks a row's tags up in a dict, and a tuple found by
    # identity is not compared element by element (100,000 cards carry a few hundred sets).
    tag_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
    for deck in decks:
        states, flags, marked = store.states(deck.id), store.flags(deck.id), store.marked_notes(deck.id)
        for card in deck.cards:
            shown = tags_with_mark(card.note.tags, card.note.id in marked)
            tags = tag_sets.setdefault(shown, shown)
            chunk.append(browse_row(deck, card, states.get(card.key), position, now, flags.get(card.key, 0), tags))
            position += 1
            if len(chunk) == size:
                yield chunk
                chunk, size = [], then
    if chunk:
        yield chunk


def refreshed(row: BrowseRow, deck: Deck, card: Card, store: Store, now: datetime) -> BrowseRow:
    """The row again after its card's state, flag or mark changed."""
    flag, tags = store.flag(deck.id, card.key), tags_with_mark(card.note.tags, is_marked(store, card))
    return browse_row(deck, card, store.state(deck.id, card.key), row.position, now, flag, tags)


def sort_rows(rows: list[BrowseRow], key: str | None, reverse: bool = False) -> list[BrowseRow]:
    """Sorted by one column (None: library order). Cards without a due date sort last either way; by flag,
    flagged cards come first, in the flags' order."""
    if key is None:
        return sorted(rows, key=lambda r: r.position, reverse=reverse)
    if key == "due":
        dated = sorted((r for r in rows if r.due is not None), key=lambda r: (r.due, r.position), reverse=reverse)
        return dated + [r for r in rows if r.due is None]
    getters: dict[str, Callable[[BrowseRow], str | int]] = {
        "question": lambda r: _sort_form(r.question),
        "deck": lambda r: _sort_form(r.deck_title),
        "topic": lambda r: _sort_form(r.topic_title),
        "tags": lambda r: _sort_form(", ".join(r.tags)),
        "flag": lambda r: r.flag or 8,  # after flag 7
        "status": lambda r: STATUSES.index(r.status),
        "lapses": lambda r: r.lapses,
    }
    if key not in getters:
        raise ValueError(f"cannot sort by {key!r}; choose one of {', '.join(SORT_KEYS)}")
    getter = getters[key]
    return sorted(rows, key=lambda r: (getter(r), r.position), reverse=reverse)


def due_text(due: datetime | None, now: datetime, rollover_hour: int = 4, today_ends: datetime | None = None) -> str:
    """The study day a card is due (its local date, as Home and the queue count it: due at 02:30 on the 13th is
    due on the 12th's study day); `now` or `in 10m` for cards due within the current study day. `today_ends`:
    `day_end(now, rollover_hour)`, worked out once for a page of rows rather than for each."""
    if due is None:
        return "—"
    if due <= now:
        return "now"
    if due < (today_ends or day_end(now, rollover_hour)):
        return f"in {format_interval(due - now)}"
    return f"{study_day(due, rollover_hour):%Y-%m-%d}"


# --- suspend and reset ----------------------------------------------------------------------------


def toggle_suspended(store: Store, card: Card) -> CardState:
    """Suspend the card, or unsuspend it if it is suspended; a never-seen card gets a new state row."""
    state = effective_state(card, store.state(card.deck_id, card.key))
    changed = replace(state, suspended=not state.suspended)
    store.set_state(card.deck_id, card.key, changed, SUSPEND)
    return changed


def reset_card(store: Store, card: Card) -> None:
    """Forget the card's schedule: it is new again. Its answers stay in the review log."""
    store.set_state(card.deck_id, card.key, None)


# --- history --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryRow:
    when: str
    grade: str
    mode: str
    duration: str
    interval: str


def history_rows(records: Iterable[ReviewRecord]) -> list[HistoryRow]:
    """A card's answers, oldest first, as the history table shows them."""
    rows = []
    for record in records:
        interval = "—"
        if record.mode is Mode.REVIEW and record.state_after.due is not None:
            interval = format_interval(record.state_after.due - record.reviewed_at)
        rows.append(
            HistoryRow(
                when=f"{record.reviewed_at.astimezone():%Y-%m-%d %H:%M}",
                grade=Grade(record.grade).name.capitalize(),
                mode=str(record.mode),
                duration=f"{record.duration_ms / 1000:.1f}s",
                interval=interval,
            )
        )
    return rows
