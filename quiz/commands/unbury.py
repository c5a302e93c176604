"""`quiz unbury [DECK [CARD]]`: bring buried cards back before the next study day."""

from __future__ import annotations

import argparse

from quiz.context import Context
from quiz.core.burying import unbury
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "unbury",
        help="bring back buried cards now: every one, a deck's, or one card's",
        description=(
            "A buried card (`=` while studying, `b` in Browse) is hidden until the next study day, as in Anki. "
            "This unburies every buried card, or those of DECK, or card CARD of DECK (with its reverse side "
            "and cloze gaps). It works beside an open app, which shows the cards from its next session."
        ),
    )
    parser.add_argument("deck", metavar="DECK", nargs="?", help="a deck id (see `quiz list`); default: every deck")
    parser.add_argument("card", metavar="CARD", nargs="?", help="a card id in DECK; default: every card of DECK")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    keys = unbury(context.store, context.clock.now(), args.deck, args.card)
    scope = f" in deck '{args.deck}'" if args.deck else ""
    if args.card:
        scope = f" of card '{args.card}'{scope}"
    if not keys:
        if args.deck and context.library.deck(args.deck) is None:
            return fail(f"no buried cards{scope}, and no loaded deck has that id; `quiz list` shows the deck ids")
        echo(f"no buried cards{scope}")
        return 0
    echo(f"unburied {len(keys)} card{'s' * (len(keys) != 1)}{scope}:")
    for deck_id, card_key in keys:
        echo(f"  {deck_id}  {card_key}")
    return 0
