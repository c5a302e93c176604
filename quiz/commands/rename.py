"""`quiz rename-card DECK OLD_ID NEW_ID`: move a card's study history to a new id."""

from __future__ import annotations

import argparse

from quiz.context import Context
from quiz.core.identity import RenameError, rename_card
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "rename-card",
        help="move a card's study history to a new id (then change the id in the deck file)",
        description=(
            "Moves the card state and review log of card OLD_ID (and its reverse side and cloze gaps) in deck "
            "DECK to NEW_ID, in one transaction. Refused if NEW_ID already has history."
        ),
    )
    parser.add_argument("deck", metavar="DECK", help="the deck id")
    parser.add_argument("old_id", metavar="OLD_ID")
    parser.add_argument("new_id", metavar="NEW_ID")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    context.lock(": close it before renaming")  # an open app would keep writing under the old id
    try:
        moved = rename_card(context.store, args.deck, args.old_id, args.new_id)
    except RenameError as exc:
        return fail(exc)
    keys = ", ".join(f"{old} -> {new}" for old, new in moved.keys)
    echo(f"moved {moved.states} card state(s) and {moved.reviews} review(s) in deck '{args.deck}': {keys}")
    deck = context.library.deck(args.deck)
    if deck is not None:
        ids = {note.id for note in deck.notes}
        if args.old_id in ids or args.new_id not in ids:
            echo(f"now change `id: {args.old_id}` to `id: {args.new_id}` in {deck.path}")
    return 0
