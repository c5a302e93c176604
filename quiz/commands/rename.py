"""`quiz rename-card DECK OLD_ID NEW_ID`: move a card's study history to a new id."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from quiz.context import Context
from quiz.core.editing import how_to_copy_shipped, is_shipped
from quiz.core.identity import Renamed, RenameError, moved_by_last_rename, rename_card
from quiz.core.ids import is_id
from quiz.core.importers.update import (
    DeckFolder,
    UnreadableRecord,
    deck_file_of,
    record_path,
    record_writer,
    renamed_record_text,
)
from quiz.core.model import Deck
from quiz.core.text import as_written, quoted, shell_word
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "rename-card",
        help="move a card's study history to a new id (change the id in the deck file first, or use --before-edit)",
        description=(
            "Moves the card state and review log of card OLD_ID (and its reverse side and cloze gaps) in deck "
            "DECK to NEW_ID, in one transaction. Refused if NEW_ID already has history. In an imported deck, the "
            "note is renamed in the deck's import record too, so the next import still finds it. Refused if the "
            "deck's file has no card NEW_ID, unless --before-edit."
        ),
    )
    parser.add_argument(
        "--before-edit",
        action="store_true",
        help="move the history before you change the id in the deck file (which has no card NEW_ID yet)",
    )
    parser.add_argument("deck", metavar="DECK", help="the deck id")
    parser.add_argument("old_id", metavar="OLD_ID")
    parser.add_argument("new_id", metavar="NEW_ID")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    context.lock("renaming")  # an open app would keep writing under the old id
    deck = context.library.deck(args.deck)
    card_ids = frozenset(note.id for note in deck.notes) if deck is not None else frozenset[str]()
    if deck is not None and (refused := _no_card_to_take_it(deck, card_ids, args, context)):
        return fail(refused)
    try:
        deck_file, record = _deck_file_and_record(context, args.deck)
        record_text = None if record is None else renamed_record_text(record, args.old_id, args.new_id)
    except UnreadableRecord as exc:
        return fail(f"{exc}; nothing was moved")
    except ValueError as exc:
        return fail(f"{exc}; nothing was moved (pick another id)")
    try:
        moved = _rename(context, args, deck_file, record, record_text)
    except RenameError as exc:
        return fail(exc)
    if moved is None:
        echo(
            f"the history of '{args.old_id}' was moved to '{args.new_id}' by a rename-card cut short; the import"
            f" record {as_written(record)} still named '{args.old_id}': renamed there too, the next import finds it"
            " by its Anki note"
        )
    else:
        keys = ", ".join(f"{old} -> {new}" for old, new in moved.keys)
        echo(f"moved {moved.states} card state(s) and {moved.reviews} review(s) in deck '{args.deck}': {keys}")
        if record_text is not None:
            echo(
                f"renamed the note in the deck's import record {as_written(record)}: the next import finds it by its"
                " Anki note"
            )
    if (edit := _still_to_edit(deck, card_ids, deck_file, args)) is not None:
        echo(edit)
    return 0


def _no_card_to_take_it(deck: Deck, card_ids: frozenset[str], args: argparse.Namespace, context: Context) -> str | None:
    """Why the history is not moved to NEW_ID, which no card of the deck's file has: moved there, it would be no
    card's (an id mistyped, or a rename told of by another deck file with this deck id), unless she changes the
    id in the file after (--before-edit). A deck that comes with quiz has no file of hers to change. `card_ids`: the
    ids of the deck's notes."""
    if not is_id(args.new_id) or args.new_id in card_ids:
        return None  # an id that is none: rename_card says why
    nothing = f"{as_written(deck.path)} has no card {quoted(args.new_id)}; nothing was moved"
    if is_shipped(deck.path):
        return (
            f"{nothing}: deck {quoted(deck.id)} comes with quiz, and an update of quiz replaces its file, so its"
            f" card ids are not yours to change (its history stays with its cards). "
            + how_to_copy_shipped(deck.path, context.user_deck_dir)
        )
    if args.before_edit:
        return None
    return (
        f"{nothing}. Change `id: {args.old_id}` to `id: {args.new_id}` there first, then run it again; or, to move"
        " the history before you edit the file, run"
        f" `quiz rename-card --before-edit {args.deck} {shell_word(args.old_id)} {args.new_id}`"
    )


def _deck_file_and_record(context: Context, deck_id: str) -> tuple[Path, Path | None]:
    """The deck's file and its import record, as an import finds them (`DeckFolder`): a deck that does not load (a
    mistake in its file) may still have a record, and she may have moved or renamed its file.
    Raises UnreadableRecord when the deck folder cannot be reached: whether it holds a record is not known."""
    if context.deck_folder_problem():  # said already, as the decks were loaded: here, what it stops
        raise UnreadableRecord(
            f"the deck's import record, if it has one, is in {context.user_deck_dir}, which cannot be reached: mount"
            " it, then run it again"
        )
    decks = DeckFolder.of(context.user_deck_dir, context.library.decks)
    deck = context.library.deck(deck_id)
    if deck is not None:
        beside = record_path(Path(deck.path))  # a deck loaded from elsewhere (`--deck`) has its record there
        outside = deck_id not in decks.files and os.path.lexists(beside)
        return Path(deck.path), beside if outside else decks.record(deck_id)
    record = decks.record(deck_id)
    return (deck_file_of(record) if record is not None else decks.deck_file(deck_id)), record


def _still_to_edit(
    deck: Deck | None, card_ids: frozenset[str], deck_file: Path, args: argparse.Namespace
) -> str | None:
    """What is still to change in the deck file: the id, when it names OLD_ID, or not NEW_ID, or it did not load;
    first her card NEW_ID's, when it has one (never two cards with one id)."""
    change = f"change `id: {args.old_id}` to `id: {args.new_id}` in {as_written(deck_file)}"
    if deck is None:
        return f"now {change}" if deck_file.is_file() else None
    if is_shipped(deck.path):
        return None  # an update of quiz replaces the file: not hers to edit (NEW_ID is one of its cards)
    if args.old_id in card_ids and args.new_id in card_ids:
        return (
            f"{as_written(deck_file)} has a card `id: {args.new_id}` already: give it another id (the history under"
            f" '{args.new_id}' stays with the renamed note), then {change}"
        )
    return f"now {change}" if args.old_id in card_ids or args.new_id not in card_ids else None


def _rename(
    context: Context, args: argparse.Namespace, deck_file: Path, record: Path | None, record_text: str | None
) -> Renamed | None:
    """The history moved, and the import record of `deck_file` rewritten when it knows the note: the record's new
    text is written to a temporary file first and put in place only once the store's transaction committed, so a
    refused rename or an unwritable record leaves both as they were. None: only the record was renamed, as a
    rename stopped between the store's commit and the record's move (a kill, a power cut) left the history
    moved and the record naming the old id."""
    if record is None or record_text is None:
        return rename_card(context.store, args.deck, args.old_id, args.new_id)
    finishing = moved_by_last_rename(context.store, args.deck, args.old_id, args.new_id)
    moved = None
    try:
        with record_writer(record, deck_file) as out:
            out.write(record_text)
            if not finishing:
                moved = rename_card(context.store, args.deck, args.old_id, args.new_id)
    except OSError as exc:
        if moved is None:  # refused before the commit, or only finishing the record: the store is as it was
            raise RenameError(
                f"cannot write {as_written(record)}: {exc}; nothing was moved (fix that, then run it again)"
            ) from exc
        raise RenameError(  # the record's move into place failed after the commit: rare, but say what to do
            f"moved the history to '{args.new_id}', but cannot write {as_written(record)}: {exc}; the next import of"
            " the deck "
            "will not know the note: run"
            f" `quiz rename-card --before-edit {args.deck} {args.new_id} {args.old_id}` to move it back"
        ) from exc
    return moved
