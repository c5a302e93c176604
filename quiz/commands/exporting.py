"""`quiz export DECK -o FILE`: .apkg (Anki, with the schedule and review log under `--with-scheduling`),
.csv/.tsv, .yaml; `--reviews` writes quiz's own review log as CSV."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from quiz.context import Context, PathArgument
from quiz.core.deckfile import DECK_SUFFIXES, trees_read
from quiz.core.decks import load_deck_file
from quiz.core.exporters import FORMATS, ExportError, Progress, export_deck, export_reviews
from quiz.core.filenames import unportable
from quiz.core.marks import with_marks
from quiz.core.model import Deck, Mode
from quiz.core.rebuild import replayed_reviews
from quiz.core.text import as_written, counted, shell_word
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export",
        help="write a deck as .apkg (Anki), .csv, .tsv or .yaml; or the review log as CSV",
        description=(
            "The format comes from the output's extension: "
            + ", ".join(f"{ext} ({name})" for ext, name in FORMATS.items())
            + ". With --with-scheduling, an .apkg also carries each card's schedule and its review log, for "
            "Anki's 'Import any learning progress'. With --reviews, writes quiz's own review log (of DECK, "
            "or of every deck) as CSV for spreadsheets and scripts, not for Anki: "
            "deck, card, grade (1 again .. 4 easy), time_utc, duration_ms, mode."
        ),
    )
    parser.add_argument(
        "deck", metavar="DECK", nargs="?", type=PathArgument, help="a deck id (see `quiz list`) or a deck file"
    )
    parser.add_argument("-o", "--output", metavar="FILE", type=PathArgument, required=True)
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--with-scheduling",
        action="store_true",
        help="(.apkg) include each card's schedule and review log, so Anki shows the same due dates",
    )
    what.add_argument("--reviews", action="store_true", help="export quiz's review log as CSV instead of the cards")
    parser.add_argument(
        "--force", action="store_true", help="overwrite FILE if it exists (and a .yaml export's pictures beside it)"
    )
    parser.set_defaults(run=run)


def find_deck(name: str, context: Context) -> Deck | str:
    """The deck, or a one-line reason it cannot be had."""
    path = Path(name)
    if path.suffix.lower() in DECK_SUFFIXES and path.is_file():
        result = load_deck_file(path)
        if result.deck is None or not result.ok:
            return f"{path} has errors; run `quiz validate {shell_word(path)}`"
        return result.deck
    deck = context.library.deck(name)
    if deck is not None:
        return deck
    broken = [r.path for r in context.library.broken]
    hint = f" ({len(broken)} deck file(s) failed to load; run `quiz validate`)" if broken else ""
    return f"no deck with id '{name}'; `quiz list` shows the deck ids{hint}"


def run(args: argparse.Namespace, context: Context) -> int:
    output = Path(args.output)
    found: Deck | None = None
    if args.deck and not args.reviews:  # first: what cannot be written is said before --force is asked for
        named = find_deck(args.deck, context)
        if isinstance(named, str):
            return fail(named)
        if (refused := _second_deck(output, named, context)) is not None:
            return fail(refused)
        found = named
    if output.exists() and not args.force:
        return fail(f"{output} already exists; pass --force to overwrite it")
    if output.is_dir():
        return fail(f"{output} is a folder; name the file to write")
    try:
        if args.reviews:
            if output.suffix.lower() == ".apkg":
                return fail("Anki cannot import quiz's review log: use --with-scheduling to put it in the .apkg")
            deck_id = None
            if args.deck:
                known = find_deck(args.deck, context)
                deck_id = known.id if isinstance(known, Deck) else args.deck  # history may outlive its deck
            rows = export_reviews(context.store.reviews(deck_id=deck_id), output)
            echo(f"wrote {as_written(output)}: {_answers_written(rows)}")
            _say_if_unportable(output)
            return 0
        if found is None:
            return fail("name the deck to export (see `quiz list`), or pass --reviews")
        now = context.clock.now()
        progress = None
        if args.with_scheduling:
            store = context.store
            progress = Progress(store.states(found.id), replayed_reviews(store, found.id), store.settings(), now)
        written = with_marks(found, context.store.marked_notes(found.id))  # a mark travels as Anki's tag
        flags = context.store.flags(found.id)
        kind, pictures = export_deck(written, output, now.timestamp(), flags, progress, args.force)
    except ExportError as exc:
        return fail(str(exc))
    echo(
        f"wrote {as_written(output)}: {kind}, deck '{found.id}', {counted(len(found.notes), 'note')},"
        f" {counted(len(found.cards), 'card')}"
    )
    if pictures:
        echo(f"copied {counted(pictures, 'picture')} beside it")
    _say_if_unportable(output)
    return 0


def _say_if_unportable(output: Path) -> None:
    """The name is hers to choose, so it is kept; but a file she syncs or sends to Windows must open there."""
    if (reason := unportable(output.name)) is not None:
        echo(f"warning: {reason}: give the file another name before it goes to Windows (a synced folder, Anki there)")


def _second_deck(output: Path, deck: Deck, context: Context) -> str | None:
    """Why a deck file cannot be written at `output`: the deck's own file would be written anew, its comments and
    layout lost; in a folder quiz loads decks from, a copy is a second deck of the same id, and one of the two is
    then not loaded (her own, if the copy is read first)."""
    if output.resolve() == Path(deck.path).resolve():
        return (
            f"{output} is the file of deck '{deck.id}' itself: an export writes a deck anew, without your comments"
            " and layout; export to another file, outside the deck folder"
        )
    if output.suffix.lower() not in DECK_SUFFIXES:
        return None
    where = output.parent.resolve()
    for folder in context.deck_folders:
        if folder.is_dir() and any(where.is_relative_to(tree) for tree in trees_read(folder)):  # linked ones too
            return (
                f"{output} is in the deck folder {folder}, where a copy of deck '{deck.id}' is a second deck of that"
                " id and one of the two is not loaded; export to another folder (to copy the deck in quiz,"
                " `quiz import` that export with --deck-id NEW_ID)"
            )
    return None


# What a row of the review log is called, by its mode: only an answer given in review mode is a review.
_ANSWER_NAMES = {
    Mode.REVIEW: ("review", "reviews"),
    Mode.PRACTICE: ("practice answer", "practice answers"),
    Mode.EXAM: ("exam answer", "exam answers"),
}


def _answers_written(written: Counter[Mode]) -> str:
    """'1 review, 2 exam answers': the rows written, counted by what they are."""
    counts = [f"{written[mode]:,} {_ANSWER_NAMES[mode][written[mode] != 1]}" for mode in Mode if written[mode]]
    return ", ".join(counts) or "no answers"
