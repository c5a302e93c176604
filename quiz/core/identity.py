"""Card identity: history is keyed by deck id + card key, so ids are what keep progress.

A note with id `x` owns the keys `x` (basic and every single-card kind, and a reverse note's front),
`x/reverse` (a reverse note's back) and `x/1`, `x/2`, ... (cloze gaps). Editing text keeps them; changing
the kind starts the note again (session.effective_state); `rename_card` moves them to a new id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace

from quiz.core.events import RENAME
from quiz.core.ids import is_id
from quiz.core.kinds import KINDS
from quiz.core.model import Deck, Note
from quiz.core.problems import Problem
from quiz.core.store import Store
from quiz.core.text import quoted, with_article


class RenameError(ValueError):
    """The rename was refused; the message says why."""


@dataclass(frozen=True, slots=True)
class Renamed:
    states: int  # card_state rows moved
    reviews: int  # review_log rows moved
    keys: tuple[tuple[str, str], ...]  # (old key, new key) pairs


def note_id_of(card_key: str) -> str:
    """The note a card key belongs to: `x`, `x/reverse` and `x/3` all belong to `x` (ids never hold '/')."""
    return card_key.split("/", 1)[0]


def renamed_key(card_key: str, new_id: str) -> str:
    _, slash, rest = card_key.partition("/")
    return new_id + slash + rest


_OWNED = "(card_key = ? OR substr(card_key, 1, length(?) + 1) = ? || '/')"  # no LIKE: '_' is a wildcard there


def _owned_keys(db: sqlite3.Connection, table: str, deck_id: str, note_id: str) -> list[str]:
    rows = db.execute(
        f"SELECT DISTINCT card_key FROM {table} WHERE deck_id = ? AND {_OWNED}",
        (deck_id, note_id, note_id, note_id),
    )
    return sorted(row[0] for row in rows)


def _has_history(db: sqlite3.Connection, deck_id: str, note_id: str) -> bool:
    return bool(_owned_keys(db, "card_state", deck_id, note_id) or _owned_keys(db, "review_log", deck_id, note_id))


def moved_by_last_rename(store: Store, deck_id: str, old_id: str, new_id: str) -> bool:
    """Whether the history of note `old_id` is at `new_id`, moved there by the deck's last rename to `new_id`:
    `old_id` has none left, `new_id` has some, and that rename was from `old_id` (so a card of hers that had
    history under `new_id` all along is never taken for it)."""
    return _last_renames(store, deck_id).get(new_id) == old_id and _moved(store, deck_id, old_id, new_id)


def renames_done(store: Store, deck_id: str) -> list[tuple[str, str]]:
    """The deck's renames (old id, new id) whose history is still where each moved it (`moved_by_last_rename`):
    one its import record still names by the old id was cut short before the record's write."""
    renames = _last_renames(store, deck_id)
    return [(old, new) for new, old in renames.items() if _moved(store, deck_id, old, new)]


def _last_renames(store: Store, deck_id: str) -> dict[str, str]:
    """The old id of the deck's last rename to each new id."""
    found = {}
    for event in store.read_events(kinds=[RENAME]):
        if event.deck_id == deck_id:
            found[str(event.body.get("new"))] = str(event.body.get("old"))
    return found


def _moved(store: Store, deck_id: str, old_id: str, new_id: str) -> bool:
    return not _has_history(store.db, deck_id, old_id) and _has_history(store.db, deck_id, new_id)


def rename_card(store: Store, deck_id: str, old_id: str, new_id: str) -> Renamed:
    """Move every card key of note `old_id` (x, x/reverse, x/N) to `new_id`, state, review log, flags and
    mark, atomically."""
    if not is_id(new_id):
        raise RenameError(
            f"{quoted(new_id)} is not a valid card id: use letters, digits, '-', '_' or '.', starting with a letter"
            " or digit"
        )
    if old_id == new_id:
        raise RenameError("the old and new ids are the same")
    with store.transaction() as db:
        if _has_history(db, deck_id, new_id):
            raise RenameError(
                f"card '{new_id}' in deck '{deck_id}' already has history; nothing was moved"
                " (pick another id, or rename that card first)"
            )
        state_keys = _owned_keys(db, "card_state", deck_id, old_id)
        log_keys = _owned_keys(db, "review_log", deck_id, old_id)
        if not state_keys and not log_keys:
            raise RenameError(f"card '{old_id}' in deck '{deck_id}' has no history to move")
        keys = tuple((key, renamed_key(key, new_id)) for key in sorted(set(state_keys) | set(log_keys)))
        states = reviews = 0
        for old_key, new_key in keys:
            states += db.execute(
                "UPDATE card_state SET card_key = ? WHERE deck_id = ? AND card_key = ?", (new_key, deck_id, old_key)
            ).rowcount
            reviews += db.execute(
                "UPDATE review_log SET card_key = ? WHERE deck_id = ? AND card_key = ?", (new_key, deck_id, old_key)
            ).rowcount
        for old_key in _owned_keys(db, "card_flag", deck_id, old_id):
            db.execute(
                "INSERT OR REPLACE INTO card_flag (deck_id, card_key, flag) SELECT deck_id, ?, flag FROM card_flag "
                "WHERE deck_id = ? AND card_key = ?",
                (renamed_key(old_key, new_id), deck_id, old_key),
            )
            db.execute("DELETE FROM card_flag WHERE deck_id = ? AND card_key = ?", (deck_id, old_key))
        db.execute(
            "UPDATE OR REPLACE note_mark SET note_id = ? WHERE deck_id = ? AND note_id = ?", (new_id, deck_id, old_id)
        )
        store.log_event(db, RENAME, deck_id, None, {"old": old_id, "new": new_id})
    return Renamed(states, reviews, keys)


def studied_kinds(store: Store, deck_id: str) -> dict[str, set[str]]:
    """The kinds each note of `deck_id` was studied as, by note id."""
    stored: dict[str, set[str]] = {}
    for key, state in store.states(deck_id).items():
        stored.setdefault(note_id_of(key), set()).add(state.kind)
    return stored


def kinds_before(note: Note, studied: Mapping[str, set[str]]) -> list[str]:
    """The kinds `note` was studied as that are not its kind now: its cards start again as new."""
    return sorted(studied.get(note.id, set()) - {note.kind})


def kind_change_warnings(deck: Deck, store: Store, studied: Mapping[str, set[str]] | None = None) -> list[Problem]:
    """A warning for each note whose kind differs from the kind its stored history was written for."""
    stored = studied_kinds(store, deck.id) if studied is None else studied
    problems = []
    for note in deck.notes:
        old_kinds = kinds_before(note, stored)
        if not old_kinds:
            continue
        problems.append(
            Problem(
                deck.path,
                note.line,
                1,
                f"kind changed from {' / '.join(old_kinds)} to {note.kind} since it was studied;"
                " it will start again as a new card",
                _how_to_keep_history(note, old_kinds[0]),
                note.id,
                "warning",
            )
        )
    return problems


def renamed_id_warnings(
    deck: Deck,
    store: Store,
    studied: Mapping[str, set[str]] | None = None,
    imported: Callable[[], Collection[str]] = tuple,
) -> list[Problem]:
    """A warning on a note with no history that looks like one whose id was changed in the file: of its kind, it
    is the deck's only note with none, and one note studied as that kind is no longer in the deck. Its history is
    kept under the old id, where `rename-card` moves it from, but only until the new id has answers of its own.
    A studied note deleted and a new one added later look the same: the store keeps no note's text to compare,
    nor the deck as it was, so the warning names both, and what to do in each. `imported`: the ids of the notes
    the deck's last import wrote (read only when a warning is due): such a note is no id she changed, but one an
    import added, where it removed the other (`--remove-missing`), so no warning."""
    stored = studied_kinds(store, deck.id) if studied is None else studied
    present = {note.id for note in deck.notes}
    gone: dict[str, list[str]] = {}  # kind -> the notes studied as it that the deck no longer has
    for note_id, kinds in stored.items():
        for kind in kinds if note_id not in present else ():
            gone.setdefault(kind, []).append(note_id)
    fresh: dict[str, list[Note]] = {}  # kind -> the deck's notes of it with no history
    for note in deck.notes:
        if note.id not in stored:
            fresh.setdefault(note.kind, []).append(note)
    problems = []
    for kind, notes in fresh.items():
        if len(notes) != 1 or len(gone.get(kind, ())) != 1:
            continue  # several either side: which is which is hers to say
        note, old = notes[0], gone[kind][0]
        if note.id in imported():
            continue
        problems.append(
            Problem(
                deck.path,
                note.line,
                1,
                f"it has no history, and '{old}', {with_article(kind)} card studied before, is no longer in the deck:"
                f" either you changed that card's id to '{note.id}' (its history is still under '{old}'), or you"
                f" deleted '{old}' and this is a new card (quiz keeps no card's text, so cannot tell which)",
                f"if you changed the id (check that '{old}' asked this same question: its history moves to this"
                f" card), run `quiz rename-card {deck.id} {old} {note.id}` (with the app closed) before"
                f" studying it, to keep that history; if you deleted '{old}', nothing to do: this warning stops once"
                f" you study this card, and the history of '{old}' stays in quiz should it come back",
                note.id,
                "warning",
            )
        )
    return problems


def _how_to_keep_history(note: Note, old_kind: str) -> str:
    """How to make `note` an `old_kind` card again. One `old_kind` refuses as it is (`CardKind.studied_as`: a
    typed answer '?' an older quiz accepted) is studied as its kind even when its file says `kind: old_kind`:
    its answer needs the fix that kind's warning gives."""
    kind = KINDS[old_kind]
    as_old = kind.from_faces(*KINDS[note.kind].anki_faces(note))
    studied = as_old is not None and kind.studied_as(kind.field_values(replace(note, kind=old_kind, body=as_old)))
    if studied and studied.kind == note.kind:
        return f"{studied.fix}, as `kind: {old_kind}`, to keep its history"
    return f"set `kind: {old_kind}` back to keep its history"
